//! The office's settings on real records: who may change them, what is
//! refused, what survives a restart and a backup, and how they reach paper
//! (the SOP's identity page with the logo, the register, the command line)
//! and the window (asked on first run, the title, the crash report offer).

use crate::common::{press, type_into};

use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lajur::ui::LajurApp;
use lajur::ui::workspace::Place;
use lajur_core::locale::Lang;
use lajur_core::office::Letterhead;
use lajur_core::office::{Office, OfficeProblem, Zone};
use lajur_core::sop::{Sop, SopDocument};
use lajur_layout::{ImageKey, PageSettings, Paper};
use lajur_paper::{office_sop_pdf, sop_pdf};
use lajur_records::library::SopSource;
use lajur_records::{LogoChange, NewUser, Refusal, Store, StoreError, User};

const BUNDER: &str = include_str!("../../../../sops/bunder-penyebarluasan-informasi-medsos.toml");
const MOJOGEDANG: &str =
    include_str!("../../../../sops/mojogedang-pengelolaan-website-medsos.toml");

pub(crate) fn bunder_office() -> Office {
    Office {
        unit_name: "Bunder".into(),
        district_name: "Patuk".into(),
        regency_name: "Gunungkidul".into(),
        address: "Jl. Patuk - Bunder km 2".into(),
        head_name: "Sutarno".into(),
        head_nip: "196805121990031005".into(),
        ..Office::default()
    }
}

/// A 300 × 200 PNG: a green field with a red square in the middle.
fn logo_png() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(300, 200, |x, y| {
        if (100..200).contains(&x) && (50..150).contains(&y) {
            image::Rgba([200, 30, 30, 255])
        } else {
            image::Rgba([30, 120, 60, 255])
        }
    });
    let mut png = Vec::new();
    image::DynamicImage::ImageRgba8(img)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("png");
    png
}

fn admin_and_staff(store: &mut Store) -> (User, User) {
    let admin = store
        .create_user(
            None,
            NewUser {
                username: "admin".into(),
                name: "Pak Admin".into(),
                jabatan: "Carik".into(),
                password: "admin-rahasia".into(),
                ..NewUser::default()
            },
        )
        .expect("admin");
    let staff = store
        .create_user(
            Some(&admin),
            NewUser {
                username: "sari".into(),
                name: "Sari".into(),
                jabatan: "Staf".into(),
                password: "sari-rahasia".into(),
                ..NewUser::default()
            },
        )
        .expect("staff");
    (admin, staff)
}

fn log_rows(store: &Store) -> i64 {
    store
        .connection()
        .query_row("SELECT COUNT(*) FROM log", [], |r| r.get(0))
        .expect("count")
}

fn sop(text: &str) -> Sop {
    SopDocument::parse(text).sop
}

/// The image XObjects of a PDF, as (width, height), and whether page 1 draws one.
fn images_in(bytes: &[u8]) -> (Vec<(i64, i64)>, bool) {
    let doc = lopdf::Document::load_mem(bytes).expect("the PDF parses");
    let mut images = Vec::new();
    for object in doc.objects.values() {
        if let Ok(stream) = object.as_stream()
            && stream
                .dict
                .get(b"Subtype")
                .and_then(|s| s.as_name())
                .is_ok_and(|n| n == b"Image")
        {
            let w = stream
                .dict
                .get(b"Width")
                .and_then(|v| v.as_i64())
                .unwrap_or(0);
            let h = stream
                .dict
                .get(b"Height")
                .and_then(|v| v.as_i64())
                .unwrap_or(0);
            images.push((w, h));
        }
    }
    let first = *doc.get_pages().values().next().expect("a page");
    let content = doc.get_page_content(first);
    let drawn = String::from_utf8_lossy(&content).contains(" Do");
    (images, drawn)
}

fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("the PDF parses");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("text")
}

#[test]
fn only_an_administrator_saves_complete_settings_and_they_survive_a_restart() {
    let dir = tempfile::tempdir().expect("temp");
    let mut store = crate::engine::open(dir.path()).expect("opens");
    assert!(!store.office().configured);
    let (admin, staff) = admin_and_staff(&mut store);
    let before = log_rows(&store);

    let refused = store.save_office(&staff, &bunder_office(), LogoChange::Keep);
    assert!(matches!(
        refused,
        Err(StoreError::NotAllowed(Refusal::SettingsAdminOnly))
    ));
    let incomplete = Office {
        regency_name: String::new(),
        ..bunder_office()
    };
    assert_eq!(incomplete.problems(), [OfficeProblem::RegencyNameMissing]);
    assert!(matches!(
        store.save_office(&admin, &incomplete, LogoChange::Keep),
        Err(StoreError::NotAllowed(Refusal::OfficeIncomplete))
    ));
    assert!(matches!(
        store.save_office(
            &admin,
            &bunder_office(),
            LogoChange::Set(b"GIF89a not a logo".to_vec())
        ),
        Err(StoreError::LogoUnreadable(_))
    ));
    assert_eq!(log_rows(&store), before, "refusals write nothing");
    assert!(!store.office().configured);

    let office = Office {
        zone: Zone::Wita,
        paper: Paper::A4,
        holidays: vec![chrono::NaiveDate::from_ymd_opt(2026, 12, 25).expect("date")],
        ..bunder_office()
    };
    store
        .save_office(&admin, &office, LogoChange::Set(logo_png()))
        .expect("saved");
    assert_eq!(log_rows(&store), before + 1);
    assert_eq!(store.calendar().utc_offset_minutes, 480);
    let action: String = store
        .connection()
        .query_row(
            "SELECT action FROM log ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("row");
    assert_eq!(action, "pengaturan_kantor");
    assert!(store.verify_log().expect("verify").is_ok());
    drop(store);

    let mut store = crate::engine::open(dir.path()).expect("reopens");
    let profile = store.office().clone();
    assert!(profile.configured);
    assert_eq!(profile.office, office);
    let logo = profile.logo.expect("logo kept");
    assert_eq!((logo.width, logo.height), (300, 200));
    assert_eq!(store.calendar(), &office.calendar());
    assert_eq!(store.office_logo_bytes().expect("bytes"), Some(logo_png()));

    // Keep keeps the logo; Remove removes it.
    let admin = store.user_by_name("admin").expect("admin");
    store
        .save_office(&admin, &bunder_office(), LogoChange::Keep)
        .expect("saved");
    assert!(store.office().logo.is_some());
    store
        .save_office(&admin, &bunder_office(), LogoChange::Remove)
        .expect("saved");
    assert!(store.office().logo.is_none());
    assert_eq!(store.office_logo_bytes().expect("bytes"), None);
}

#[test]
fn a_backup_holds_the_settings_and_the_logo() {
    let dir = tempfile::tempdir().expect("temp");
    let mut store = crate::engine::open(dir.path()).expect("opens");
    let (admin, _) = admin_and_staff(&mut store);
    store
        .save_office(&admin, &bunder_office(), LogoChange::Set(logo_png()))
        .expect("saved");
    let backup = store.backup_named("uji").expect("backup");
    // The office changes its mind, then restores the backup.
    let other = Office {
        unit_name: "Nglanggeran".into(),
        ..bunder_office()
    };
    store
        .save_office(&admin, &other, LogoChange::Remove)
        .expect("saved");
    drop(store);
    lajur_records::restore(dir.path(), &backup).expect("restored");
    let store = crate::engine::open(dir.path()).expect("opens");
    if crate::engine::shared() {
        // A shared PC's restored copy catches up with the office's journal:
        // what was saved after the backup is the office's history and comes
        // back (a backup mends a PC, it does not undo the office).
        assert_eq!(store.office().office.unit_name, "Nglanggeran");
        assert!(store.office().logo.is_none());
    } else {
        assert_eq!(store.office().office.unit_name, "Bunder");
        assert!(store.office().logo.is_some());
    }
}

#[test]
fn the_office_backup_folder_and_count_are_used() {
    let dir = tempfile::tempdir().expect("temp");
    let elsewhere = tempfile::tempdir().expect("temp");
    let mut store = crate::engine::open(dir.path()).expect("opens");
    let (admin, _) = admin_and_staff(&mut store);
    assert_eq!(store.daily_backups(), (store.backup_dir(), 14));
    let office = Office {
        backup_dir: elsewhere.path().display().to_string(),
        backups_kept: 3,
        ..bunder_office()
    };
    store
        .save_office(&admin, &office, LogoChange::Keep)
        .expect("saved");
    let (backups, keep) = store.daily_backups();
    assert_eq!((backups.as_path(), keep), (elsewhere.path(), 3));
    let made = lajur_records::backup_in_background(dir.path().to_path_buf(), backups, keep)
        .join()
        .expect("thread")
        .expect("backup")
        .expect("made today");
    assert!(made.starts_with(elsewhere.path()));
}

#[test]
fn the_office_own_sop_prints_with_its_logo_head_and_place_and_another_as_written() {
    let letterhead = Letterhead {
        office: Some(bunder_office()),
        logo: Some(std::sync::Arc::new(
            lajur_records::logo::decode_logo(&logo_png()).expect("logo"),
        )),
        footer: None,
    };
    let settings = PageSettings::default();
    let bunder = sop(BUNDER);
    let bytes = office_sop_pdf(
        &bunder,
        &settings,
        &letterhead,
        lajur_records::clock::system_now(),
    )
    .expect("pdf");
    let (images, drawn) = images_in(&bytes);
    assert_eq!(images, [(300, 200)], "one logo, drawn once in the file");
    assert!(drawn, "the identity page draws it");
    let text = pdf_text(&bytes);
    assert!(
        text.contains("Sutarno"),
        "the head fills the empty approver name"
    );
    assert!(text.contains("196805121990031005"));
    assert!(
        text.contains("LURAH BUNDER"),
        "the SOP's own title lines stay"
    );

    // The layout puts the logo in the unit block, above the unit's name,
    // inside the page and the identity table.
    let laid = lajur_layout::document(
        &letterhead.sop(&bunder),
        &letterhead.settings_for(&bunder, &settings),
        lajur_layout::BundledFont::get(),
    );
    let page = &laid.pages[0];
    assert_eq!(page.images.len(), 1);
    let logo = page.images[0];
    assert_eq!(logo.image, ImageKey::Logo);
    assert!((logo.rect.width() / logo.rect.height() - 1.5).abs() < 0.01);
    let unit = page
        .texts
        .iter()
        .find(|t| t.text.contains("PPID KALURAHAN"))
        .expect("unit line");
    assert!(logo.rect.max.y <= unit.pos.y, "logo above the unit's name");
    assert!(logo.rect.min.x >= 0.0 && logo.rect.max.x <= page.width);

    // Another office's SOP prints exactly as it did without settings.
    let mojogedang = sop(MOJOGEDANG);
    let theirs = office_sop_pdf(
        &mojogedang,
        &settings,
        &letterhead,
        lajur_records::clock::system_now(),
    )
    .expect("pdf");
    assert_eq!(images_in(&theirs).0, []);
    assert!(!pdf_text(&theirs).contains("Sutarno"));
    let plain = sop_pdf(&mojogedang, &settings, lajur_records::clock::system_now()).expect("pdf");
    assert_eq!(pdf_text(&plain), pdf_text(&theirs));
}

#[test]
fn the_register_carries_the_office_name_and_place() {
    let dir = tempfile::tempdir().expect("temp");
    let mut store = crate::engine::open(dir.path()).expect("opens");
    let (admin, _) = admin_and_staff(&mut store);
    store
        .save_office(&admin, &bunder_office(), LogoChange::Keep)
        .expect("saved");
    let out = dir.path().join("register.pdf");
    let paper = store.office().office.page_settings();
    let (written, _) = lajur::exports::save_register(
        &mut store,
        &admin,
        None,
        &lajur_records::KegiatanFilter::default(),
        lajur_core::paperwork::RegisterRows::PerKegiatan,
        &paper,
        &out,
    )
    .expect("register");
    let text = pdf_text(&std::fs::read(written).expect("read"));
    assert!(
        text.contains("KALURAHAN BUNDER, KAPANEWON PATUK, KABUPATEN GUNUNGKIDUL"),
        "{text}"
    );
    assert!(text.contains("Bunder, "), "the place before the date");
    // Sealed or not, every page says how far the records reached.
    assert!(text.contains("Kepala catatan "), "{text}");
}

#[test]
fn the_command_line_prints_on_the_office_paper_with_its_letterhead() {
    let dir = tempfile::tempdir().expect("temp");
    {
        let mut store = crate::engine::open(dir.path()).expect("opens");
        let (admin, _) = admin_and_staff(&mut store);
        let office = Office {
            paper: Paper::A4,
            ..bunder_office()
        };
        store
            .save_office(&admin, &office, LogoChange::Set(logo_png()))
            .expect("saved");
    }
    let out = dir.path().join("bunder.pdf");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_lajur"))
        .args(["--data"])
        .arg(dir.path())
        .args(["export", "sop"])
        .arg(format!(
            "{}/sops/bunder-penyebarluasan-informasi-medsos.toml",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
        ))
        .arg("-o")
        .arg(&out)
        .status()
        .expect("runs");
    assert!(status.success());
    let bytes = std::fs::read(&out).expect("written");
    let doc = lopdf::Document::load_mem(&bytes).expect("pdf");
    let first = *doc.get_pages().values().next().expect("page");
    let media = doc
        .get_dictionary(first)
        .and_then(|d| d.get(b"MediaBox"))
        .and_then(|m| m.as_array())
        .expect("media box")
        .iter()
        .map(|v| v.as_float().unwrap_or(0.0))
        .collect::<Vec<f32>>();
    // A4 landscape: 297 × 210 mm.
    assert!(
        (media[2] - 841.9).abs() < 1.0 && (media[3] - 595.3).abs() < 1.0,
        "{media:?}"
    );
    assert_eq!(images_in(&bytes).0.len(), 1);
    assert!(pdf_text(&bytes).contains("Sutarno"));
}

fn harness(app: &mut LajurApp) -> Harness<'_> {
    crate::common::harness(app, 1366.0, 1000.0)
}

#[test]
fn the_first_run_asks_for_the_office_in_indonesian_and_points_at_what_is_missing() {
    let dir = tempfile::tempdir().expect("temp");
    let logo = dir.path().join("logo-bunder.png");
    std::fs::write(&logo, logo_png()).expect("logo");
    let broken = dir.path().join("rusak.png");
    std::fs::write(&broken, &logo_png()[..60]).expect("broken");
    let data = dir.path().join("data");
    let mut app = LajurApp::new(Lang::Id, SopSource::Bundled);
    crate::common::open_records(&mut app, &data);
    {
        let mut h = harness(&mut app);
        type_into(&mut h, Role::TextInput, "Nama lengkap", "Pak Admin");
        type_into(&mut h, Role::TextInput, "Jabatan", "Carik");
        type_into(&mut h, Role::TextInput, "Nama pengguna", "admin");
        type_into(&mut h, Role::PasswordInput, "Kata sandi", "admin-rahasia");
        type_into(
            &mut h,
            Role::PasswordInput,
            "Ulangi kata sandi",
            "admin-rahasia",
        );
        press(&mut h, "Buat administrator");
        h.get_by_label_contains("Langkah berikutnya: isi data kantor");
        h.get_by_label_contains("Isi data kantor Anda");

        // Saving an empty form names each missing field, in Indonesian.
        press(&mut h, "Simpan");
        // Each problem under its field and again in the list by the button.
        h.get_by_label("Perbaiki isian yang ditandai merah di atas.");
        for problem in [
            "Nama kalurahan/desa/kecamatan belum diisi",
            "Nama kapanewon/kecamatan induk belum diisi",
            "Nama kabupaten/kota belum diisi",
            "Nama kepala kantor",
        ] {
            assert_eq!(
                h.query_all_by_label_contains(problem).count(),
                2,
                "{problem}"
            );
        }

        type_into(&mut h, Role::TextInput, "Nama unit", "Bunder");
        type_into(&mut h, Role::TextInput, "Kapanewon", "Patuk");
        type_into(&mut h, Role::TextInput, "Kabupaten", "Gunungkidul");
        type_into(&mut h, Role::TextInput, "Nama", "Sutarno");
        type_into(
            &mut h,
            Role::MultilineTextInput,
            "Hari libur",
            "25-12-2026, 31-02-2026",
        );
        h.get_by_label_contains("KALURAHAN BUNDER · KAPANEWON PATUK · KABUPATEN GUNUNGKIDUL");
        press(&mut h, "Simpan");
        h.get_by_label_contains("Tanggal libur ini tidak dikenali");
        h.get_by_label_contains("31-02-2026");
    }
    // A damaged logo is refused in words; a good one is shown before saving.
    if let Some(ws) = app.workspace_mut() {
        ws.office_screen().choose_logo(&broken, Lang::Id);
        assert!(
            ws.office_screen()
                .error()
                .is_some_and(|e| e.contains("bukan gambar PNG atau JPEG"))
        );
        ws.office_screen().set_holidays_text("25-12-2026");
        ws.office_screen().choose_logo(&logo, Lang::Id);
        assert_eq!(ws.office_screen().error(), None);
    }
    {
        let mut h = harness(&mut app);
        h.get_by_label_contains("Logo baru, disimpan saat Simpan ditekan: logo-bunder.png");
        press(&mut h, "Simpan");
        h.get_by_label_contains("Pengaturan kantor tersimpan");
        // Then on to the staff.
        h.get_by_role_and_label(Role::Button, "Tambah pengguna");
    }
    assert_eq!(
        app.window_title(),
        "Lajur — Kalurahan Bunder — Pak Admin (Carik)"
    );
    let ws = app.workspace().expect("records");
    assert_eq!(ws.place(), Place::Users);
    let profile = ws.store().office();
    assert!(profile.configured);
    assert_eq!(profile.office.unit_name, "Bunder");
    assert_eq!(profile.office.head_name, "Sutarno");
    assert_eq!(profile.office.holidays.len(), 1);
    assert!(profile.logo.is_some());

    // The SOP list's printed view shows the office's logo on the Bunder SOP.
    app.set_section(lajur::ui::app::Section::Sops);
    let bunder = app
        .library_entries()
        .iter()
        .find(|e| e.latest.name.contains("PENYEBARLUASAN"))
        .expect("the bundled SOPs are in the library")
        .sop_id;
    app.select_library_sop(bunder);
    {
        let mut h = harness(&mut app);
        press(&mut h, "Per halaman");
        h.run();
    }
    let layout = app.current_layout().expect("laid out");
    assert_eq!(layout.pages[0].images.len(), 1);
}

#[test]
fn settings_are_read_only_for_staff_and_asked_again_while_unsaved() {
    let dir = tempfile::tempdir().expect("temp");
    {
        let mut store = crate::engine::open(dir.path()).expect("opens");
        admin_and_staff(&mut store);
    }
    let mut app = LajurApp::new(Lang::Id, SopSource::Bundled);
    crate::common::open_records(&mut app, dir.path());
    // An administrator who signs in to an office never set up is asked first.
    app.workspace_mut()
        .expect("records")
        .sign_in("admin", "admin-rahasia")
        .expect("signed in");
    assert_eq!(app.workspace().expect("ws").place(), Place::Office);
    app.workspace_mut().expect("ws").sign_out();
    // Staff are not asked; the settings show, but cannot be changed.
    app.workspace_mut()
        .expect("ws")
        .sign_in("sari", "sari-rahasia")
        .expect("signed in");
    assert_eq!(app.workspace().expect("ws").place(), Place::Home);
    app.workspace_mut().expect("ws").go(Place::Office);
    let h = harness(&mut app);
    assert!(
        h.query_all_by_label_contains("Hanya administrator yang dapat mengubah pengaturan kantor")
            .count()
            >= 1
    );
    // No dead Simpan for someone who cannot save.
    assert!(h.query_by_role_and_label(Role::Button, "Simpan").is_none());
}

#[test]
fn the_last_crash_is_offered_once_with_its_report() {
    let dir = tempfile::tempdir().expect("temp");
    let report = lajur_records::reports::write_report(
        &dir.path().join(lajur_records::reports::REPORTS_DIR),
        &lajur_records::reports::report_text("indeks di luar batas", "src/x.rs:1:1", "main", "-"),
    )
    .expect("report");
    assert_eq!(
        lajur_records::reports::unseen_report(dir.path()),
        Some(report.clone())
    );
    let mut app = LajurApp::new(Lang::Id, SopSource::Bundled);
    crate::common::open_records(&mut app, &dir.path().join("data"));
    app.offer_crash_report(report.clone());
    {
        let mut h = harness(&mut app);
        h.get_by_label("Lajur tertutup tiba-tiba pada pemakaian sebelumnya");
        h.get_by_label_contains("Semua yang sudah disimpan tetap ada");
        press(&mut h, "Lihat laporan");
        h.get_by_role_and_label(Role::Button, "Sembunyikan laporan");
        assert!(h.query_by_label_contains("indeks di luar batas").is_some());
        press(&mut h, "Tutup");
        assert!(
            h.query_by_label("Lajur tertutup tiba-tiba pada pemakaian sebelumnya")
                .is_none()
        );
    }
    assert_eq!(app.crash_report(), None);
    assert_eq!(lajur_records::reports::unseen_report(dir.path()), None);
}

/// A real panic in a real process leaves a readable report in the data folder.
#[test]
fn a_panic_writes_a_report_the_next_start_finds() {
    let dir = tempfile::tempdir().expect("temp");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_lajur"))
        .args(["--data"])
        .arg(dir.path())
        .args([
            "user-add",
            "--username",
            "x",
            "--name",
            "X",
            "--jabatan",
            "Y",
        ])
        .env("LAJUR_NEW_PASSWORD", "rahasia-sekali")
        .env("LAJUR_TEST_PANIC", "1")
        .output()
        .expect("runs");
    assert!(!status.status.success());
    let report = lajur_records::reports::unseen_report(dir.path()).expect("a report");
    let text = std::fs::read_to_string(report).expect("read");
    assert!(text.contains("LAPORAN KESALAHAN LAJUR"), "{text}");
    assert!(text.contains("uji laporan kesalahan"), "{text}");
    assert!(text.contains(env!("CARGO_PKG_VERSION")));
    let log = std::fs::read_to_string(dir.path().join("log").join("lajur.log")).expect("log");
    assert!(log.contains("panic"), "{log}");
}

/// An SOP printed with the records at hand carries their head code beside
/// every page number (issue 17): a later rewrite contradicts the paper.
#[test]
fn an_sop_printed_from_the_records_carries_their_head_code_on_every_page() {
    let dir = tempfile::tempdir().expect("temp");
    let mut store = crate::engine::open(dir.path()).expect("opens");
    let (admin, _) = admin_and_staff(&mut store);
    store
        .save_office(&admin, &bunder_office(), LogoChange::Keep)
        .expect("saved");
    let letterhead = store.letterhead_for_printing().expect("letterhead");
    let (seq, hash) = store.log_head().expect("head");
    let code = lajur_core::locale::head_code(seq, &hash);
    assert_eq!(
        letterhead.footer.as_deref(),
        Some(format!("Kepala catatan {code}").as_str())
    );
    let bunder = sop(BUNDER);
    let layout = lajur_layout::document_for_office(
        &bunder,
        &PageSettings::default(),
        &letterhead,
        lajur_layout::BundledFont::get(),
    );
    assert!(layout.pages.len() >= 2);
    for page in &layout.pages {
        assert!(
            page.texts.iter().any(|t| t.text.contains(&code)),
            "every page carries the head code"
        );
    }
}
