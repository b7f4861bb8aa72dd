//! Sign-off and the archive, on real records and real PDFs: the seal, the
//! filled sheet parsed back, the QR code read back from the printed marks,
//! tampering caught, exports that never overwrite, rework and keys.

use std::path::Path;

use lajur::exports::save_sheet;
use lajur_core::workflow::{Action, Allowed};
use lajur_layout::PageSettings;
use lajur_paper::sheet::sheet_layout;
use lajur_records::{Mismatch, NewUser, Refusal, Status, Store, StoreError, User};

const BUNDER: &str = include_str!("../../../../sops/bunder-penyebarluasan-informasi-medsos.toml");

fn add(store: &mut Store, by: Option<&User>, name: &str, lanes: &[&str], signer: bool) -> User {
    store
        .create_user(
            by,
            NewUser {
                username: name.into(),
                name: format!("{} Santoso", name.to_uppercase()),
                jabatan: if signer {
                    "Lurah".into()
                } else {
                    "Staf".into()
                },
                nip: signer.then(|| "198001012005011001".to_string()),
                lanes: lanes.iter().map(|s| s.to_string()).collect(),
                is_signer: signer,
                password: format!("{name}-rahasia"),
                ..NewUser::default()
            },
        )
        .expect("user")
}

/// An office with a Lurah (ketua lane, signer) and Sari (the other lanes),
/// and one kegiatan carried to its end with one Tidak and a draft.
pub(crate) fn finished(dir: &Path) -> (Store, User, User, i64) {
    let mut store = crate::engine::open(dir).expect("opens");
    let lurah = add(&mut store, None, "lurah", &["ketua"], true);
    let sari = add(&mut store, Some(&lurah), "sari", &["seksi", "admin"], false);
    let id = store
        .start_kegiatan(&lurah, BUNDER, "Publikasi posyandu Mei", "Foto dari kader")
        .expect("start");
    let draft = dir.join("draf-materi.txt");
    std::fs::write(&draft, "materi").expect("draft");
    let mut said_no = false;
    while store.kegiatan(id).expect("k").status == Status::Running {
        let (who, allowed) = [&lurah, &sari]
            .into_iter()
            .find_map(|u| {
                let a = store.allowed(u, id).expect("allowed");
                a.first().cloned().map(|a| (u.clone(), a))
            })
            .expect("someone acts");
        let step = store.kegiatan(id).expect("k").current.expect("c").step;
        if step.0 == "olah-materi" {
            store.attach(&who, id, &step, &draft, None).expect("attach");
        }
        let (action, note) = match allowed {
            Allowed::Answer { .. } if !said_no => {
                said_no = true;
                (Action::Answer(1), "Foto buram")
            }
            Allowed::Answer { .. } => (Action::Answer(0), ""),
            Allowed::Complete { .. } => (Action::Complete, ""),
        };
        store.act(&who, None, id, action, note).expect("act");
    }
    (store, lurah, sari, id)
}

/// Whoever may act acts, answering every decision with its first exit, to the end.
fn carry(store: &mut Store, users: &[&User], id: i64) {
    while store.kegiatan(id).expect("k").status == Status::Running {
        let (who, allowed) = users
            .iter()
            .find_map(|u| {
                let a = store.allowed(u, id).expect("allowed");
                a.first().cloned().map(|a| ((*u).clone(), a))
            })
            .expect("someone acts");
        let action = match allowed {
            Allowed::Answer { .. } => Action::Answer(0),
            Allowed::Complete { .. } => Action::Complete,
        };
        store.act(&who, None, id, action, "").expect("act");
    }
}

fn pdf_text(path: &Path) -> String {
    let doc = lopdf::Document::load(path).expect("a PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("text")
}

/// Rasterises the printed QR marks of a layout page and reads them back.
fn read_qr(page: &lajur_layout::Page) -> String {
    let px_per_mm = 8.0;
    let (w, h) = (
        (page.width * px_per_mm) as u32,
        (page.height * px_per_mm) as u32,
    );
    let mut img = image::GrayImage::from_pixel(w, h, image::Luma([255]));
    for m in &page.marks {
        for y in (m.min.y * px_per_mm) as u32..(m.max.y * px_per_mm) as u32 {
            for x in (m.min.x * px_per_mm) as u32..(m.max.x * px_per_mm) as u32 {
                img.put_pixel(x, y, image::Luma([0]));
            }
        }
    }
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the page");
    grids[0].decode().expect("decodes").1
}

#[test]
fn a_signed_off_kegiatan_prints_as_a_filled_sheet_whose_code_and_qr_verify() {
    let dir = tempfile::tempdir().expect("temp");
    let (mut store, lurah, sari, id) = finished(dir.path());
    assert_eq!(
        store.kegiatan(id).expect("k").status,
        Status::AwaitingSignOff
    );

    // Only a signer, with their own password.
    assert!(matches!(
        store.sign_off(&sari, "sari-rahasia", id),
        Err(StoreError::NotAllowed(Refusal::SignerOnly))
    ));
    assert!(matches!(
        store.sign_off(&lurah, "salah", id),
        Err(StoreError::BadLogin)
    ));
    let seal = store.sign_off(&lurah, "lurah-rahasia", id).expect("signed");
    assert_eq!(store.kegiatan(id).expect("k").status, Status::Done);
    assert!(seal.code.starts_with("LJR-") && seal.code.len() == 13);

    // Read-only from now on.
    let step = lajur_core::sop::StepId("selesai".into());
    assert!(store.act(&lurah, None, id, Action::Complete, "").is_err());
    assert!(!store.may_attach(&lurah, id, &step).expect("may"));
    assert!(
        store
            .attach(&lurah, id, &step, &dir.path().join("draf-materi.txt"), None)
            .is_err()
    );

    // The sheet, on A4 and F4: every step's actor and times, the drafts, the
    // signer, the code; the QR read back from the printed marks.
    for settings in [
        PageSettings::default(),
        PageSettings {
            paper: lajur_layout::Paper::A4,
            ..PageSettings::default()
        },
    ] {
        let data = store.kegiatan_record(id).expect("data");
        let layout = sheet_layout(&data, &settings);
        // Every page names its kegiatan and code, so a page found alone
        // can be tied to it; the SOP's own 2024 approval block is not
        // printed before the real sign-off.
        let footer = format!("Lembar kegiatan #{id}, kode {}", seal.code);
        for page in &layout.pages {
            assert!(
                page.texts.iter().any(|t| t.text.starts_with(&footer)),
                "a page without {footer}"
            );
        }
        assert!(
            !layout
                .pages
                .iter()
                .flat_map(|p| &p.texts)
                .any(|t| t.text.starts_with("(....")),
            "the SOP's own approval block is on the sheet"
        );
        let last = layout.pages.last().expect("pages");
        assert_eq!(read_qr(last), seal.qr_text());
        let v = store.verify_code(&read_qr(last)).expect("verify");
        assert!(v.ok(), "{:?}", v.problems);
    }
    let out = dir.path().join("lembar.pdf");
    let first = save_sheet(&mut store, &lurah, id, &PageSettings::default(), &out).expect("saved");
    assert_eq!(first, out);
    let text = pdf_text(&first);
    let events = store.step_events(id).expect("events");
    assert_eq!(events.len(), 13);
    // The reason given with the Tidak is printed with it.
    assert!(
        events
            .iter()
            .any(|e| e.note == "Foto buram" && e.answer.is_some()),
        "{events:?}"
    );
    assert!(text.contains("Foto buram"), "the note is not on the sheet");
    for e in &events {
        assert!(text.contains(&e.actor_name), "{}", e.actor_name);
        let local = e.done_at + chrono::Duration::hours(7);
        assert!(
            text.contains(&local.format("%d/%m/%Y %H.%M").to_string()),
            "done time of {:?}",
            e.step
        );
    }
    for needle in [
        "LEMBAR PELAKSANAAN SOP",
        "Publikasi posyandu Mei",
        "draf-materi.txt",
        "jawaban:",
        "kali ke-2",
        "LURAH Santoso",
        "NIP. 198001012005011001",
        &seal.code,
        "bukan tanda tangan elektronik tersertifikasi (TTE)",
    ] {
        assert!(text.contains(needle), "{needle} missing");
    }

    // A second export goes to a new file; the first is untouched. Both are
    // in the log with their SHA-256.
    let before = std::fs::read(&first).expect("read");
    let second = save_sheet(&mut store, &lurah, id, &PageSettings::default(), &out).expect("again");
    assert_ne!(second, first);
    assert_eq!(std::fs::read(&first).expect("read"), before);
    let exports: Vec<_> = store
        .history(id)
        .expect("history")
        .into_iter()
        .filter(|r| r.action == "ekspor")
        .collect();
    assert_eq!(exports.len(), 2);
    use sha2::Digest;
    let sha = lajur_records::log::hex(&sha2::Sha256::digest(&before));
    assert!(
        store
            .connection()
            .query_row(
                "SELECT COUNT(*) FROM log WHERE action = 'ekspor' AND attachments = ?1",
                [&sha],
                |r| r.get::<_, i64>(0)
            )
            .expect("query")
            == 1
    );

    // The code, typed carelessly, still finds the seal; the log still verifies.
    let typed = seal.code.to_lowercase().replace('-', " ");
    assert!(store.verify_code(&typed).expect("verify").ok());
    assert!(store.verify_log().expect("log").is_ok());
}

/// With the office's settings saved, the filled sheet carries the office's
/// logo on its identity page, the head in the SOP's empty approver block and
/// the office's place before the sign-off date; the seal still verifies.
#[test]
fn the_filled_sheet_carries_the_office_letterhead() {
    let dir = tempfile::tempdir().expect("temp");
    let (mut store, lurah, _, id) = finished(dir.path());
    let mut png = Vec::new();
    image::DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
        120,
        120,
        image::Rgba([20, 90, 40, 255]),
    ))
    .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
    .expect("png");
    let office = lajur_core::office::Office {
        unit_name: "Bunder".into(),
        district_name: "Patuk".into(),
        regency_name: "Gunungkidul".into(),
        head_name: "Sutarno".into(),
        ..Default::default()
    };
    store
        .save_office(&lurah, &office, lajur_records::LogoChange::Set(png))
        .expect("settings");
    let seal = store.sign_off(&lurah, "lurah-rahasia", id).expect("signed");
    let data = store.kegiatan_record(id).expect("data");
    let layout = sheet_layout(&data, &PageSettings::default());
    assert_eq!(
        layout.pages[0].images.len(),
        1,
        "the logo on the identity page"
    );
    let out = dir.path().join("lembar.pdf");
    let written =
        save_sheet(&mut store, &lurah, id, &PageSettings::default(), &out).expect("saved");
    let text = pdf_text(&written);
    assert!(text.contains("Sutarno"), "the head in the approval block");
    assert!(
        text.contains("Bunder, "),
        "the place before the sign-off date"
    );
    let last = layout.pages.last().expect("pages");
    assert!(store.verify_code(&read_qr(last)).expect("verify").ok());
    assert!(store.verify_code(&seal.code).expect("verify").ok());
}

#[test]
fn any_change_to_the_record_or_the_log_makes_verification_fail() {
    let cases: [(&str, Mismatch); 6] = [
        (
            "UPDATE kegiatan SET title = 'Judul lain' WHERE id = 1",
            Mismatch::RecordChanged("judul".into()),
        ),
        (
            "UPDATE step_events SET done_at = '2020-01-01T00:00:00.000000Z' WHERE id = 3",
            Mismatch::RecordChanged("langkah 3".into()),
        ),
        (
            "UPDATE attachments SET sha256 = 'ff' WHERE id = 1",
            Mismatch::RecordChanged("lampiran 1".into()),
        ),
        (
            "DELETE FROM step_events WHERE id = 13",
            Mismatch::RecordChanged("jumlah baris".into()),
        ),
        (
            "UPDATE log SET note = 'diubah' WHERE seq = 5",
            Mismatch::LogChanged,
        ),
        (
            "UPDATE seals SET payload = replace(payload, 'Publikasi', 'Publlkasi')",
            Mismatch::BadSignature,
        ),
    ];
    for (sql, expected) in cases {
        let dir = tempfile::tempdir().expect("temp");
        let code = {
            let (mut store, lurah, _, id) = finished(dir.path());
            let seal = store.sign_off(&lurah, "lurah-rahasia", id).expect("signed");
            assert!(store.verify_code(&seal.code).expect("verify").ok());
            seal.code
        };
        let raw = rusqlite::Connection::open(dir.path().join("lajur.db")).expect("raw");
        raw.execute_batch(
            "PRAGMA foreign_keys = OFF; DROP TRIGGER log_no_update; DROP TRIGGER log_no_delete;",
        )
        .expect("guards off");
        raw.execute_batch(sql).expect("tamper");
        drop(raw);
        let store = crate::engine::open(dir.path()).expect("opens");
        let v = store.verify_code(&code).expect("verify");
        assert!(!v.ok(), "{sql}");
        assert!(v.problems.contains(&expected), "{sql}: {:?}", v.problems);
    }
    let dir = tempfile::tempdir().expect("temp");
    let (store, ..) = finished(dir.path());
    assert_eq!(
        store.verify_code("LJR-0000-0000").expect("verify").problems,
        vec![Mismatch::UnknownCode]
    );
}

#[test]
fn the_signer_returns_work_with_a_note_and_keys_follow_password_changes() {
    let dir = tempfile::tempdir().expect("temp");
    let (mut store, lurah, sari, id) = finished(dir.path());
    assert!(matches!(
        store.return_for_rework(&lurah, id, "  "),
        Err(StoreError::NotAllowed(Refusal::NoteRequired))
    ));
    assert!(store.return_for_rework(&sari, id, "x").is_err());
    store
        .return_for_rework(&lurah, id, "Tautan belum dilampirkan")
        .expect("returned");
    let k = store.kegiatan(id).expect("k");
    assert_eq!(k.status, Status::Running);
    let current = k.current.expect("current");
    assert_eq!(current.step.0, "selesai");
    assert_eq!(current.visit, 2);
    assert!(
        store
            .history(id)
            .expect("history")
            .iter()
            .any(|r| r.action == "dikembalikan" && r.note == "Tautan belum dilampirkan")
    );
    store
        .act(&lurah, None, id, Action::Complete, "tautan dilampirkan")
        .expect("done again");

    // The signer changes their password: the key follows (first sign-off
    // made it; a second kegiatan is signed with the new password).
    let first = store.sign_off(&lurah, "lurah-rahasia", id).expect("signed");
    // The sheet says where the work went back and why.
    let sheet = dir.path().join("lembar-kembali.pdf");
    let sheet =
        save_sheet(&mut store, &lurah, id, &PageSettings::default(), &sheet).expect("saved");
    let text = pdf_text(&sheet)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("Dikembalikan penandatangan"), "{text}");
    assert!(text.contains("“Tautan belum"), "{text}");
    store
        .change_password(&lurah, "lurah-rahasia", "sandi-baru")
        .expect("changed");
    let id2 = store
        .start_kegiatan(&lurah, BUNDER, "Kedua", "")
        .expect("start");
    carry(&mut store, &[&lurah, &sari], id2);
    assert!(store.sign_off(&lurah, "lurah-rahasia", id2).is_err());
    let second = store.sign_off(&lurah, "sandi-baru", id2).expect("signed");
    assert_eq!(
        first.public_key, second.public_key,
        "the same key, resealed"
    );

    // An administrator resets the password: the old key is retired (it
    // cannot be opened), a new one is made, and old seals still verify.
    store
        .reset_password(&lurah, lurah.id, "diatur-admin")
        .expect("reset");
    let id3 = store
        .start_kegiatan(&lurah, BUNDER, "Ketiga", "")
        .expect("start");
    carry(&mut store, &[&lurah, &sari], id3);
    let third = store.sign_off(&lurah, "diatur-admin", id3).expect("signed");
    assert_ne!(third.public_key, first.public_key);
    for seal in [&first, &second, &third] {
        assert!(store.verify_code(&seal.code).expect("verify").ok());
    }
}

#[test]
fn the_register_lists_the_period_with_compliance_and_a_seal_that_verifies() {
    use lajur::exports::save_register;
    use lajur_core::paperwork::RegisterRows;
    use lajur_paper::register::register_content;
    use lajur_records::KegiatanFilter;
    let dir = tempfile::tempdir().expect("temp");
    let (mut store, lurah, sari, id) = finished(dir.path());
    store.sign_off(&lurah, "lurah-rahasia", id).expect("signed");
    let running = store
        .start_kegiatan(&lurah, BUNDER, "Masih berjalan", "")
        .expect("start");
    let today = store.calendar().local_date(store.now());
    let month = KegiatanFilter {
        from: Some(today - chrono::Duration::days(30)),
        to: Some(today),
        ..Default::default()
    };
    let content = register_content(
        &store
            .register_data(&month, RegisterRows::PerKegiatan)
            .expect("data"),
    );
    let summary = &content.tables[0];
    let total = summary.rows.last().expect("total row");
    assert_eq!(total[0], "JUMLAH");
    assert_eq!(total[1], "2", "two kegiatan in the month");
    assert_eq!(total[2], "1", "one running");
    assert_eq!(total[4], "1", "one done");
    assert_eq!(
        total[6], "13",
        "13 steps judged against their Mutu Baku Waktu"
    );
    assert_eq!(total[7], "100,0%", "all done in time (a test runs fast)");
    let rows = &content.tables[1].rows;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][0], format!("#{id}"));
    assert_eq!(rows[0][8], "LURAH Santoso", "signed off by");
    assert_eq!(rows[1][0], format!("#{running}"));

    // Nothing outside the period or outside a person's work.
    let before = KegiatanFilter {
        to: Some(today - chrono::Duration::days(1)),
        ..Default::default()
    };
    let empty = register_content(
        &store
            .register_data(&before, RegisterRows::PerKegiatan)
            .expect("data"),
    );
    assert!(empty.tables[1].rows.is_empty());
    let hers = KegiatanFilter {
        person: Some(sari.id),
        ..Default::default()
    };
    let hers = register_content(
        &store
            .register_data(&hers, RegisterRows::PerAction)
            .expect("data"),
    );
    assert!(
        hers.tables[1]
            .rows
            .iter()
            .all(|r| r[4].starts_with(&format!("#{id} ")))
    );

    // Issued by the signer: sealed, written, logged; the seal verifies.
    let out = dir.path().join("register.pdf");
    let (path, seal) = save_register(
        &mut store,
        &lurah,
        Some("lurah-rahasia"),
        &month,
        RegisterRows::PerKegiatan,
        &PageSettings::default(),
        &out,
    )
    .expect("saved");
    let seal = seal.expect("sealed");
    let text = pdf_text(&path);
    for needle in [
        "REGISTER KEGIATAN",
        "Publikasi posyandu Mei",
        "Masih berjalan",
        "JUMLAH",
        &seal.code,
    ] {
        assert!(text.contains(needle), "{needle} missing");
    }
    assert!(store.verify_code(&seal.code).expect("verify").ok());
    // A non-signer may print it, unsealed.
    let (_, unsealed) = save_register(
        &mut store,
        &sari,
        None,
        &month,
        RegisterRows::PerAction,
        &PageSettings::default(),
        &out,
    )
    .expect("saved");
    assert!(unsealed.is_none());
    assert!(matches!(
        store.seal_register(&sari, "sari-rahasia", "x", "y"),
        Err(StoreError::NotAllowed(Refusal::SignerOnly))
    ));
}
