//! The office at work, driven through the real window (egui_kittest) on real
//! records in a temporary data folder: first run, users, a whole kegiatan of
//! the Bunder SOP by two people with a rejection loop and drafts, refusals,
//! and the task list's order.

use crate::common::{press, type_into};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use lajur::ui::LajurApp;
use lajur::ui::workspace::Place;
use lajur_core::locale::Lang;
use lajur_core::workflow::{Action, EngineError};
use lajur_records::library::SopSource;
use lajur_records::{Status, StoreError};

const BUNDER: &str = include_str!("../../../../sops/bunder-penyebarluasan-informasi-medsos.toml");

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

pub(crate) fn app_on(data: &Path, sops: SopSource) -> LajurApp {
    let mut app = LajurApp::new(Lang::Id, sops);
    crate::common::open_records(&mut app, data);
    app
}

fn harness(app: &mut LajurApp) -> Harness<'_> {
    crate::common::harness(app, 1366.0, 900.0)
}

fn drop_file(h: &mut Harness, path: &Path) {
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(path.to_path_buf())));
    // The draft is taken in on the worker: wait for it, not for a number of
    // frames (under load the spinner outlasted twelve, seen in CI).
    crate::common::settle(h);
}

/// The first run: the window asks for the administrator, then the admin adds
/// the Lurah (Ketua PPID lane) and Sari (Seksi and Admin Medsos lanes).
fn set_up_office(h: &mut Harness) {
    h.get_by_label("Selamat datang di Lajur");
    type_into(h, Role::TextInput, "Nama lengkap", "Pak Admin");
    type_into(h, Role::TextInput, "Jabatan", "Sekretaris Desa");
    type_into(h, Role::TextInput, "Nama pengguna", "admin");
    type_into(h, Role::PasswordInput, "Kata sandi", "admin-rahasia");
    type_into(h, Role::PasswordInput, "Ulangi kata sandi", "admin-rahasia");
    press(h, "Buat administrator");
    h.get_by_label_contains("Administrator dibuat dan sudah masuk");
    fill_office_settings(h);

    for (username, name, jabatan, lanes, signer) in [
        ("lurah", "Budi Santoso", "Lurah", vec!["Ketua PPID"], true),
        (
            "sari",
            "Sari Wulandari",
            "Staf",
            vec![
                "Seksi Pengolahan Data dan Dokumentasi Informasi",
                "Admin Medsos",
            ],
            false,
        ),
    ] {
        press(h, "Tambah pengguna");
        type_into(h, Role::TextInput, "Nama pengguna", username);
        type_into(h, Role::TextInput, "Nama lengkap", name);
        type_into(h, Role::TextInput, "Jabatan", jabatan);
        type_into(
            h,
            Role::PasswordInput,
            "Kata sandi",
            &format!("{username}-rahasia"),
        );
        for lane in lanes {
            h.get_by_role_and_label(Role::CheckBox, lane).click();
            h.run();
        }
        if signer {
            h.get_by_role_and_label(Role::CheckBox, "Penandatangan (mengesahkan)")
                .click();
            h.run();
        }
        press(h, "Simpan");
        h.get_by_label_contains(&format!("Tersimpan: {name}"));
    }
    press(h, "Keluar");
}

/// The office's settings, asked right after the administrator is made:
/// unit, parents, head; then Save goes on to the users.
fn fill_office_settings(h: &mut Harness) {
    h.get_by_label_contains("Isi data kantor Anda");
    type_into(h, Role::TextInput, "Nama unit", "Bunder");
    type_into(h, Role::TextInput, "Kapanewon", "Patuk");
    type_into(h, Role::TextInput, "Kabupaten", "Gunungkidul");
    type_into(h, Role::TextInput, "Nama", "Budi Santoso");
    press(h, "Simpan");
    h.get_by_label_contains("Pengaturan kantor tersimpan");
    h.get_by_role_and_label(Role::Button, "Tambah pengguna");
}

/// Records with the Lurah (Ketua PPID lane, password "rahasia"), the first
/// user and so the administrator, who has started kegiatan #1 "Publikasi".
pub(crate) fn lurah_with_one_kegiatan(data: &Path) {
    let mut store = crate::engine::open(data).expect("store");
    let lurah = store
        .create_user(
            None,
            lajur_records::NewUser {
                username: "lurah".into(),
                name: "Budi Santoso".into(),
                lanes: vec!["ketua".into()],
                password: "rahasia".into(),
                ..Default::default()
            },
        )
        .expect("user");
    office_saved(&mut store, &lurah);
    store
        .start_kegiatan(&lurah, BUNDER, "Publikasi", "")
        .expect("start");
}

/// The office's settings, saved as the first administrator does on first run
/// (until then an administrator who signs in is asked for them first).
fn office_saved(store: &mut lajur_records::Store, admin: &lajur_records::User) {
    let office = lajur_core::office::Office {
        unit_name: "Bunder".into(),
        district_name: "Patuk".into(),
        regency_name: "Gunungkidul".into(),
        head_name: "Budi Santoso".into(),
        ..Default::default()
    };
    store
        .save_office(admin, &office, lajur_records::LogoChange::Keep)
        .expect("office settings");
}

fn sign_in(h: &mut Harness, shown: &str, password: &str) {
    h.get_by_label("Masuk ke Lajur");
    h.get_by_role_and_label(Role::ComboBox, "Nama pengguna")
        .click();
    h.run();
    h.get_by_label(shown).click();
    h.run();
    type_into(h, Role::PasswordInput, "Kata sandi", password);
    press(h, "Masuk");
}

/// Opens a kegiatan from "Tugas saya".
fn open_task(h: &mut Harness, title_contains: &str) {
    h.get_by_label_contains("Tugas saya (").click();
    h.run();
    h.get_by_label_contains(title_contains).click();
    h.run();
    h.get_by_label("Langkah sekarang");
}

#[test]
fn two_people_carry_a_bunder_kegiatan_through_every_step_with_a_rejection_and_drafts() {
    let data = tempfile::tempdir().expect("temp");
    let files = tempfile::tempdir().expect("temp");
    let instruction = files.path().join("surat-instruksi.pdf");
    std::fs::write(&instruction, b"%PDF-1.4 instruksi").expect("write");
    let draft_v1 = files.path().join("draf-materi.txt");
    std::fs::write(&draft_v1, "Materi posyandu, versi pertama").expect("write");
    let v2_dir = files.path().join("v2");
    std::fs::create_dir(&v2_dir).expect("dir");
    let draft_v2 = v2_dir.join("draf-materi.txt");
    std::fs::write(&draft_v2, "Materi posyandu, foto diganti").expect("write");

    let mut app = app_on(data.path(), SopSource::Bundled);
    let mut h = harness(&mut app);
    set_up_office(&mut h);

    // The Lurah (Ketua PPID) starts the kegiatan with the instruction letter.
    sign_in(&mut h, "Budi Santoso (lurah)", "lurah-rahasia");
    h.get_by_label_contains("Tidak ada langkah yang menunggu Anda");
    h.get_by_label("Mulai kegiatan baru").click();
    h.run();
    type_into(&mut h, Role::TextInput, "Judul", "Publikasi posyandu Mei");
    type_into(
        &mut h,
        Role::MultilineTextInput,
        "Bahan",
        "Foto dan notulen dari kader posyandu",
    );
    drop_file(&mut h, &instruction);
    h.get_by_label("surat-instruksi.pdf");
    press(&mut h, "Mulai kegiatan");
    h.get_by_label_contains("Dilampirkan: surat-instruksi.pdf");
    h.get_by_label_contains("#1 Publikasi posyandu Mei");
    press(&mut h, "Selesai");
    h.get_by_label_contains("Lanjut ke langkah 2.");

    // Now the step is the Seksi's: the Lurah sees no action, and the engine
    // refuses if asked anyway.
    assert!(
        h.query_by_role_and_label(Role::Button, "Selesai").is_none(),
        "no action buttons outside one's lane"
    );
    h.get_by_label("Langkah ini dikerjakan pelaksana lain.");
    h.get_by_label_contains("Menunggu: Sari Wulandari");
    press(&mut h, "Keluar");
    drop(h);
    {
        let ws = app.workspace_mut().expect("records");
        let store = ws.store_mut();
        let lurah = store.user_by_name("lurah").expect("lurah");
        let refused = store.act(&lurah, None, 1, Action::Complete, "");
        assert!(
            matches!(refused, Err(StoreError::Engine(EngineError::NotYourStep))),
            "{refused:?}"
        );
    }
    let mut h = harness(&mut app);

    // Sari passes the instruction on, prepares the material with a draft,
    // and rejects it at her own check (Tidak): back to step 3.
    sign_in(&mut h, "Sari Wulandari (sari)", "sari-rahasia");
    open_task(&mut h, "#1 Publikasi posyandu Mei");
    press(&mut h, "Selesai");
    h.get_by_label_contains("Lanjut ke langkah 3.");
    drop_file(&mut h, &draft_v1);
    h.get_by_label_contains("Dilampirkan: draf-materi.txt");
    press(&mut h, "Selesai");
    type_into(
        &mut h,
        Role::MultilineTextInput,
        "Catatan",
        "Foto kurang jelas, ganti",
    );
    // Each answer says where it leads.
    h.get_by_label("→ kembali ke langkah 3, Admin Medsos");
    h.get_by_label("→ ke langkah 5, Ketua PPID");
    press(&mut h, "Tidak");
    h.get_by_label_contains("(kali ke-2)");
    h.get_by_label("kali ke-2");
    // The reason reaches the step it sent the work back to.
    h.get_by_label_contains("Sari Wulandari menjawab Tidak");
    h.get_by_label("Foto kurang jelas, ganti");
    drop_file(&mut h, &draft_v2);
    h.get_by_label_contains("versi 2 · Sari Wulandari");
    press(&mut h, "Selesai");
    press(&mut h, "Ya");
    h.get_by_label_contains("Lanjut ke langkah 5.");
    press(&mut h, "Keluar");

    // The Lurah approves (two steps).
    sign_in(&mut h, "Budi Santoso (lurah)", "lurah-rahasia");
    open_task(&mut h, "#1 Publikasi posyandu Mei");
    press(&mut h, "Ya");
    press(&mut h, "Selesai");
    press(&mut h, "Keluar");

    // Sari publishes (four steps), then the Lurah closes.
    sign_in(&mut h, "Sari Wulandari (sari)", "sari-rahasia");
    open_task(&mut h, "#1 Publikasi posyandu Mei");
    for _ in 0..4 {
        press(&mut h, "Selesai");
    }
    h.get_by_label("Langkah ini dikerjakan pelaksana lain.");
    press(&mut h, "Keluar");
    sign_in(&mut h, "Budi Santoso (lurah)", "lurah-rahasia");
    open_task(&mut h, "#1 Publikasi posyandu Mei");
    press(&mut h, "Selesai");
    h.get_by_label_contains("Langkah terakhir selesai");
    assert_eq!(h.get_all_by_label("Menunggu pengesahan").count(), 2);

    // The Lurah is the signer: he looks at the filled sheet, signs off with
    // his password, and the kegiatan is done and read-only.
    press(&mut h, "Kembali ke beranda");
    h.get_by_label_contains("Tugas saya (").click();
    h.run();
    h.get_by_label("Menunggu pengesahan Anda (1)");
    h.get_by_label_contains("#1 Publikasi posyandu Mei").click();
    h.run();
    press(&mut h, "Lihat lembar");
    h.get_by_label("langkah 1");
    // Said under the field: no password yet, then a wrong one.
    press(&mut h, "Sahkan");
    h.get_by_label("Ketik kata sandi Anda di atas untuk mengesahkan.");
    type_into(&mut h, Role::PasswordInput, "Kata sandi Anda", "salah");
    press(&mut h, "Sahkan");
    h.get_by_label("Kata sandi salah; ketik lagi kata sandi Anda sendiri.");
    type_into(
        &mut h,
        Role::PasswordInput,
        "Kata sandi Anda",
        "lurah-rahasia",
    );
    press(&mut h, "Sahkan");
    h.get_by_label_contains("Kegiatan disahkan. Kode verifikasi: LJR-");
    h.get_by_label("Ekspor lembar PDF…");
    assert!(h.query_by_role_and_label(Role::Button, "Sahkan").is_none());

    // The history tab shows the log, rejection note included.
    h.get_by_label("Riwayat").click();
    h.run();
    assert_eq!(
        h.get_all_by_label("Memutuskan").count(),
        3,
        "three decisions"
    );
    h.get_by_label_contains("Foto kurang jelas, ganti");
    // In the office's words: step numbers and lanes, files and their size;
    // never a step's id or a hash.
    h.get_by_label_contains("Jawaban: Tidak");
    assert!(
        h.query_all_by_label_contains("lanjut ke langkah 3 (Admin Medsos)")
            .count()
            >= 1
    );
    h.get_by_label_contains("draf-materi.txt, versi 1");
    assert!(h.query_by_label_contains("teruskan-instruksi").is_none());
    assert!(h.query_by_label_contains("sha256").is_none());
    drop(h);

    let ws = app.workspace_mut().expect("records");
    let screen = ws.kegiatan_screen().expect("kegiatan open");
    let overlay = &screen.records.overlay;
    let sop = &screen.records.sop;
    let index = |id: &str| sop.steps.iter().position(|s| s.id.0 == id).expect("step");
    assert_eq!(
        overlay.trace.done[index("olah-materi")],
        2,
        "the loop shows twice"
    );
    assert_eq!(overlay.trace.done[index("periksa-seksi")], 2);
    assert_eq!(overlay.trace.done[index("selesai")], 1);
    assert!(
        overlay.trace.done.iter().all(|d| *d >= 1),
        "every step was done"
    );
    assert_eq!(overlay.trace.current, None);
    // Tidak at periksa-seksi (exit 1) was taken once, Ya (exit 0) once.
    assert_eq!(
        overlay.trace.taken.get(&(index("periksa-seksi"), 1)),
        Some(&1)
    );
    assert_eq!(
        overlay.trace.taken.get(&(index("periksa-seksi"), 0)),
        Some(&1)
    );
    assert_eq!(overlay.trace.taken.get(&(index("periksa-ketua"), 1)), None);

    let store = ws.store_mut();
    let k = store.kegiatan(1).expect("kegiatan");
    assert_eq!(k.status, Status::Done);
    let events = store.step_events(1).expect("events");
    assert_eq!(
        events.len(),
        13,
        "11 steps plus the two repeated by the loop"
    );
    let by: std::collections::BTreeSet<&str> =
        events.iter().map(|e| e.actor_name.as_str()).collect();
    assert_eq!(
        by,
        ["Budi Santoso", "Sari Wulandari"].into_iter().collect(),
        "two people"
    );
    let attachments = store.attachments(1).expect("attachments");
    let drafts: Vec<(String, i64)> = attachments
        .iter()
        .map(|a| (a.draft.clone(), a.version))
        .collect();
    assert_eq!(
        drafts,
        vec![
            ("surat-instruksi.pdf".to_string(), 1),
            ("draf-materi.txt".to_string(), 1),
            ("draf-materi.txt".to_string(), 2)
        ]
    );
    // The two bundled SOPs imported into the library, three users added, the
    // office's settings, the start, 13 steps done, 3 files attached, the
    // wrong sign-off password, the sign-off: 25 rows, the chain intact, and
    // everything else checks against it.
    assert_eq!(store.verify_log().expect("verify"), Ok(25));
    let audit = store.audit(&[]).expect("audit");
    assert!(audit.ok(), "{:?}", audit.findings);
    let code = store.seal_of(1).expect("seal").expect("signed").code;

    // The sheet exported from the window's path, then the code checked in the
    // Verifikasi window.
    let lurah = store.user_by_name("lurah").expect("lurah");
    let out = files.path().join("lembar.pdf");
    ws.export_sheet_to(&lurah, &out, Lang::Id);
    ws.wait_for_work(Lang::Id);
    assert!(matches!(ws.message(), Some(lajur::ui::workspace::Message::Saved(p)) if p == &out));
    assert!(std::fs::metadata(&out).expect("written").len() > 10_000);
    // Tall enough that the window needs no scrolling to show it all.
    let mut h = crate::common::harness(&mut app, 1366.0, 1800.0);
    press(&mut h, "Verifikasi");
    h.get_by_role(Role::TextInput).focus();
    h.get_by_role(Role::TextInput)
        .type_text(&code.to_lowercase());
    h.run();
    press(&mut h, "Periksa");
    h.get_by_label("COCOK: kertas ini sesuai dengan catatan Lajur dan segelnya sah.");
    // Laid out as the paper has it: the kegiatan, its steps with names and
    // the office's time; the sealed text only behind Detail teknis.
    // (The kegiatan view behind the window shows the title too.)
    assert!(h.query_all_by_label("#1 Publikasi posyandu Mei").count() >= 1);
    h.get_by_label("Dikerjakan oleh");
    assert!(h.query_all_by_label_contains("Sari Wulandari (").count() >= 5);
    assert!(h.query_all_by_label_contains(" WIB").count() >= 13);
    assert!(h.query_by_label_contains("LAJUR-SEGEL").is_none());
    assert!(h.query_by_label_contains("T01:").is_none());
    h.get_by_label("Detail teknis").click();
    h.run();
    h.get_by_label_contains("LAJUR-SEGEL 1");
    // The paper's anchors, and the whole records checked from the window.
    h.get_by_label("Kepala catatan saat disegel");
    h.get_by_label("Kode kepala catatan sekarang:");
    press(&mut h, "Periksa seluruh catatan");
    h.get_by_label_contains("Catatan kegiatan utuh:");
}

#[test]
fn the_task_list_puts_the_most_urgent_step_first() {
    let data = tempfile::tempdir().expect("temp");
    let sops = tempfile::tempdir().expect("temp");
    // Two copies of the Bunder SOP: the first step due in two days in one,
    // in ten minutes in the other.
    std::fs::write(
        sops.path().join("lambat.toml"),
        BUNDER
            .replacen("waktu = \"10 Menit\"", "waktu = \"2 hari\"", 1)
            .replace(
                "PENYEBARLUASAN INFORMASI MELALUI MEDIA SOSIAL",
                "SOP LAMBAT",
            ),
    )
    .expect("write");
    std::fs::write(sops.path().join("cepat.toml"), BUNDER).expect("write");
    {
        let mut store = crate::engine::open(data.path()).expect("store");
        let admin = store
            .create_user(
                None,
                lajur_records::NewUser {
                    username: "lurah".into(),
                    name: "Budi Santoso".into(),
                    lanes: vec!["ketua".into()],
                    password: "rahasia".into(),
                    ..Default::default()
                },
            )
            .expect("admin");
        office_saved(&mut store, &admin);
        let slow = std::fs::read_to_string(sops.path().join("lambat.toml")).expect("read");
        store
            .start_kegiatan(&admin, &slow, "Dimulai dulu, tenggat jauh", "")
            .expect("start");
        store
            .start_kegiatan(&admin, BUNDER, "Dimulai kemudian, tenggat dekat", "")
            .expect("start");
    }
    let mut app = app_on(data.path(), SopSource::Folder(sops.path().to_path_buf()));
    let mut h = harness(&mut app);
    sign_in(&mut h, "Budi Santoso (lurah)", "rahasia");
    let near = h
        .get_by_label_contains("Dimulai kemudian, tenggat dekat")
        .rect();
    let far = h.get_by_label_contains("Dimulai dulu, tenggat jauh").rect();
    assert!(
        near.min.y < far.min.y,
        "the step due sooner is listed first ({near:?} vs {far:?})"
    );
    h.get_by_label("Tugas saya (2)");
    drop(h);
    let tasks = app
        .workspace()
        .and_then(|w| w.home().tasks())
        .expect("tasks")
        .iter()
        .map(|t| t.kegiatan)
        .collect::<Vec<_>>();
    assert_eq!(tasks, vec![2, 1]);
}

#[test]
fn a_wrong_password_is_refused_and_an_inactive_user_cannot_sign_in() {
    let data = tempfile::tempdir().expect("temp");
    {
        let mut store = crate::engine::open(data.path()).expect("store");
        let admin = store
            .create_user(
                None,
                lajur_records::NewUser {
                    username: "admin".into(),
                    name: "Pak Admin".into(),
                    password: "rahasia".into(),
                    ..Default::default()
                },
            )
            .expect("admin");
        let staff = store
            .create_user(
                Some(&admin),
                lajur_records::NewUser {
                    username: "dewi".into(),
                    name: "Dewi".into(),
                    password: "rahasia".into(),
                    ..Default::default()
                },
            )
            .expect("staff");
        let mut edit = lajur_records::UserEdit::from(&staff);
        edit.active = false;
        store
            .update_user(&admin, staff.id, edit)
            .expect("deactivate");
    }
    let mut app = app_on(data.path(), SopSource::Bundled);
    let mut h = harness(&mut app);
    sign_in(&mut h, "Pak Admin (admin)", "salah-sandi");
    h.get_by_label("Nama pengguna atau kata sandi salah.");
    // Deactivated users are not offered at sign-in.
    h.get_by_role_and_label(Role::ComboBox, "Nama pengguna")
        .click();
    h.run();
    assert!(h.query_by_label("Dewi (dewi)").is_none());
    drop(h);
    assert!(app.workspace().and_then(|w| w.user()).is_none());
    assert!(
        app.workspace_mut()
            .expect("records")
            .sign_in("dewi", "rahasia")
            .is_err()
    );
}

/// Typed straight at the keyboard, as a clerk does without touching the mouse.
fn keyboard(h: &mut Harness, text: &str) {
    h.event(egui::Event::Text(text.to_string()));
    h.run();
    h.key_press(egui::Key::Enter);
    crate::common::settle(h);
}

/// After a wrong password the cursor is back in the password field, so the
/// right one typed at once signs in; a remembered user starts with the
/// cursor there too (issue "Daily use", item 4).
#[test]
fn after_a_wrong_password_the_right_one_can_be_typed_at_once() {
    let data = tempfile::tempdir().expect("temp");
    lurah_with_one_kegiatan(data.path());
    let mut app = app_on(data.path(), SopSource::Bundled);
    {
        let mut h = harness(&mut app);
        sign_in(&mut h, "Budi Santoso (lurah)", "salah-sandi");
        h.get_by_label("Nama pengguna atau kata sandi salah.");
        keyboard(&mut h, "rahasia");
    }
    assert_eq!(
        app.workspace()
            .and_then(|w| w.user())
            .map(|u| u.username.clone()),
        Some("lurah".to_string())
    );
    let kept = app.remembered();
    drop(app);
    let mut again = app_on(data.path(), SopSource::Bundled);
    again.restore(&kept);
    {
        let mut h = harness(&mut again);
        h.get_by_label("Masuk ke Lajur");
        keyboard(&mut h, "rahasia");
    }
    assert!(again.workspace().and_then(|w| w.user()).is_some());
}

/// A message of one person's work ("PDF tersimpan …") is gone once they
/// sign out; the next person starts clean (issue "Daily use", item 11).
#[test]
fn messages_do_not_outlive_the_person_they_were_for() {
    let data = tempfile::tempdir().expect("temp");
    lurah_with_one_kegiatan(data.path());
    let mut app = app_on(data.path(), SopSource::Bundled);
    app.workspace_mut()
        .expect("records")
        .sign_in("lurah", "rahasia")
        .expect("sign in");
    app.set_section(lajur::ui::app::Section::Sops);
    let pdf = data.path().join("sop.pdf");
    app.export_to(&pdf);
    assert!(app.notice().is_some(), "the export is said");
    // Moving to another part of the window leaves the message behind.
    {
        let mut h = harness(&mut app);
        h.get_by_label("Beranda").click();
        h.run();
    }
    assert!(app.notice().is_none(), "{:?}", app.notice());
    app.set_section(lajur::ui::app::Section::Sops);
    app.export_to(&pdf);
    assert!(app.notice().is_some());
    app.workspace_mut().expect("records").sign_out();
    {
        let mut h = harness(&mut app);
        h.get_by_label("Masuk ke Lajur");
        keyboard(&mut h, "rahasia");
        h.run();
    }
    assert!(app.workspace().and_then(|w| w.user()).is_some());
    assert!(app.notice().is_none(), "{:?}", app.notice());
}

/// The Lurah sends a finished kegiatan back with a reason; the clerk who
/// opens it sees who returned it, when and why, where the step begins
/// (issue "Daily use", item 1).
#[test]
fn a_return_from_sign_off_shows_its_reason_to_the_clerk() {
    let data = tempfile::tempdir().expect("temp");
    {
        let mut store = crate::engine::open(data.path()).expect("store");
        let lurah = store
            .create_user(
                None,
                lajur_records::NewUser {
                    username: "lurah".into(),
                    name: "Budi Santoso".into(),
                    lanes: vec!["ketua".into(), "seksi".into(), "admin".into()],
                    is_signer: true,
                    password: "rahasia".into(),
                    ..Default::default()
                },
            )
            .expect("user");
        office_saved(&mut store, &lurah);
        let id = store
            .start_kegiatan(&lurah, BUNDER, "Publikasi", "")
            .expect("start");
        // Through every step, Ya at each decision, to sign-off.
        for _ in 0..40 {
            let allowed = store.allowed(&lurah, id).expect("allowed");
            let action = allowed.iter().find_map(|a| match a {
                lajur_core::workflow::Allowed::Complete { .. } => {
                    Some(lajur_core::workflow::Action::Complete)
                }
                lajur_core::workflow::Allowed::Answer { exit, label, .. } if label == "Ya" => {
                    Some(lajur_core::workflow::Action::Answer(*exit))
                }
                _ => None,
            });
            let Some(action) = action else { break };
            store.act(&lurah, None, id, action, "").expect("act");
        }
        store
            .return_for_rework(&lurah, id, "Tautan unggahan belum dilampirkan")
            .expect("returned");
    }
    let mut app = app_on(data.path(), SopSource::Bundled);
    app.workspace_mut()
        .expect("records")
        .sign_in("lurah", "rahasia")
        .expect("sign in");
    let mut h = harness(&mut app);
    // Already in Tugas saya: who sent it back and why.
    h.get_by_label_contains("Tugas saya (").click();
    h.run();
    h.get_by_label("← Budi Santoso: Tautan unggahan belum dilampirkan");
    open_task(&mut h, "#1 Publikasi");
    h.get_by_label_contains("Dikembalikan oleh Budi Santoso");
    h.get_by_label("Tautan unggahan belum dilampirkan");
}

/// At 1024×600 the top bar's widgets never overlap (issue "Daily use",
/// item 3): the account folds into a menu under the user's name, which
/// still signs out.
#[test]
fn at_1024_by_600_nothing_in_the_top_bar_overlaps() {
    let data = tempfile::tempdir().expect("temp");
    {
        let mut store = crate::engine::open(data.path()).expect("store");
        let admin = store
            .create_user(
                None,
                lajur_records::NewUser {
                    username: "admin".into(),
                    name: "Suryaningsih Wulandari".into(),
                    lanes: vec!["ketua".into()],
                    is_admin: true,
                    password: "rahasia".into(),
                    ..Default::default()
                },
            )
            .expect("admin");
        office_saved(&mut store, &admin);
    }
    let mut app = app_on(data.path(), SopSource::Bundled);
    app.workspace_mut()
        .expect("records")
        .sign_in("admin", "rahasia")
        .expect("sign in");
    for section in [lajur::ui::app::Section::Work, lajur::ui::app::Section::Sops] {
        app.set_section(section);
        let h = crate::common::harness(&mut app, 1024.0, 600.0);
        let top: Vec<(String, egui::Rect)> = [Role::Button, Role::ComboBox, Role::Label]
            .into_iter()
            .flat_map(|role| h.query_all_by_role(role).collect::<Vec<_>>())
            .map(|n| (n.accesskit_node().label().unwrap_or_default(), n.rect()))
            .filter(|(_, r)| r.max.y < 40.0 && r.width() > 0.0)
            .collect();
        assert!(top.len() >= 7, "{top:?}");
        for (i, (a, ra)) in top.iter().enumerate() {
            for (b, rb) in top.iter().skip(i + 1) {
                assert!(
                    !ra.shrink(1.0).intersects(rb.shrink(1.0)),
                    "{section:?}: {a:?} {ra:?} overlaps {b:?} {rb:?}"
                );
            }
        }
    }
    let mut h = crate::common::harness(&mut app, 1024.0, 600.0);
    h.get_by_label("Suryaningsih Wulandari ▼").click();
    h.run();
    press(&mut h, "Keluar");
    h.get_by_label("Masuk ke Lajur");
}

/// A message coming does not move what is under it: the tab the clerk is
/// about to click stays where it was (issue "Daily use", item 11).
#[test]
fn a_message_does_not_move_the_tabs() {
    let data = tempfile::tempdir().expect("temp");
    lurah_with_one_kegiatan(data.path());
    let mut app = app_on(data.path(), SopSource::Bundled);
    {
        let ws = app.workspace_mut().expect("records");
        ws.sign_in("lurah", "rahasia").expect("sign in");
        ws.go(Place::Kegiatan(1));
    }
    let mut h = harness(&mut app);
    press(&mut h, "Kembali ke beranda");
    let before = h.get_by_label("Semua kegiatan").rect();
    h.get_by_label_contains("#1 Publikasi").click();
    h.run();
    press(&mut h, "Selesai");
    press(&mut h, "Kembali ke beranda");
    // The message of the step just done stands above the tabs.
    h.get_by_label_contains("Lanjut ke langkah 2.");
    assert_eq!(h.get_by_label("Semua kegiatan").rect(), before);
}

/// Someone without lanes is told what their work is, not to ask for lanes
/// when they are the office's administrator or signer (issue "Daily use",
/// item 12).
#[test]
fn people_without_lanes_are_told_what_their_work_is() {
    let data = tempfile::tempdir().expect("temp");
    {
        let mut store = crate::engine::open(data.path()).expect("store");
        let admin = store
            .create_user(
                None,
                lajur_records::NewUser {
                    username: "admin".into(),
                    name: "Pak Admin".into(),
                    is_admin: true,
                    password: "rahasia".into(),
                    ..Default::default()
                },
            )
            .expect("admin");
        office_saved(&mut store, &admin);
        store
            .create_user(
                Some(&admin),
                lajur_records::NewUser {
                    username: "lurah".into(),
                    name: "Pak Lurah".into(),
                    is_signer: true,
                    password: "rahasia".into(),
                    ..Default::default()
                },
            )
            .expect("signer");
    }
    for (who, says) in [
        ("admin", "Sebagai administrator Anda mengatur pegawai"),
        ("lurah", "Sebagai penandatangan"),
    ] {
        let mut app = app_on(data.path(), SopSource::Bundled);
        app.workspace_mut()
            .expect("records")
            .sign_in(who, "rahasia")
            .expect("sign in");
        let h = harness(&mut app);
        h.get_by_label_contains(says);
        assert!(h.query_by_label_contains("minta administrator").is_none());
    }
}

/// A file dialog that cannot open is said in a window, not a silent button
/// (issue "Daily use", item 6).
#[test]
fn a_file_dialog_that_cannot_open_is_said() {
    let data = tempfile::tempdir().expect("temp");
    lurah_with_one_kegiatan(data.path());
    let mut app = app_on(data.path(), SopSource::Bundled);
    app.note_dialog_failure();
    let mut h = harness(&mut app);
    h.get_by_label("Jendela berkas tidak dapat dibuka");
    h.get_by_label_contains("seret berkasnya ke jendela Lajur");
    press(&mut h, "Tutup");
    assert!(
        h.query_by_label("Jendela berkas tidak dapat dibuka")
            .is_none()
    );
}

/// Another program holding the records' write lock (SQLite's IMMEDIATE
/// transaction) until dropped: a write waits for it, as it would for a
/// slow disk.
struct WriteHold(rusqlite::Connection);

impl WriteHold {
    fn take(data: &std::path::Path) -> WriteHold {
        let conn = rusqlite::Connection::open(data.join("lajur.db")).expect("open");
        conn.execute_batch("BEGIN IMMEDIATE")
            .expect("hold the write lock");
        WriteHold(conn)
    }

    fn release(self) {
        self.0.execute_batch("COMMIT").expect("release");
    }
}

/// The window goes on drawing while an action is written: with the
/// records' write lock held elsewhere, frames still come, each showing
/// "Menyimpan…" and no second Selesai; the result shows once the lock
/// goes (issue "Daily use", item 13: nothing blocks the frame loop).
#[test]
fn the_window_keeps_drawing_while_an_action_is_written() {
    let data = tempfile::tempdir().expect("temp");
    lurah_with_one_kegiatan(data.path());
    let mut app = app_on(data.path(), SopSource::Bundled);
    {
        let ws = app.workspace_mut().expect("records");
        ws.sign_in("lurah", "rahasia").expect("sign in");
        ws.go(Place::Kegiatan(1));
    }
    let mut h = harness(&mut app);
    let hold = WriteHold::take(data.path());
    h.get_by_role_and_label(Role::Button, "Selesai").click();
    let started = std::time::Instant::now();
    for _ in 0..20 {
        h.step();
    }
    // Twenty frames while the write waits for the lock: each was drawn at
    // once (a frame that waited on the records would take the 10 s timeout).
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert!(h.query_all_by_label("Menyimpan…").count() >= 1);
    assert!(h.query_by_role_and_label(Role::Button, "Selesai").is_none());
    hold.release();
    crate::common::settle(&mut h);
    h.get_by_label_contains("Lanjut ke langkah 2.");
    assert!(h.query_by_label("Menyimpan…").is_none());
}

/// Drafts dropped while an earlier one is still being written wait their
/// turn: none is lost, each answer comes back in order, and a failure is
/// not hidden by the success after it.
#[test]
fn work_asked_while_busy_waits_its_turn() {
    let data = tempfile::tempdir().expect("temp");
    let files = tempfile::tempdir().expect("temp");
    lurah_with_one_kegiatan(data.path());
    let mut app = app_on(data.path(), SopSource::Bundled);
    {
        let ws = app.workspace_mut().expect("records");
        ws.sign_in("lurah", "rahasia").expect("sign in");
        ws.go(Place::Kegiatan(1));
    }
    let hold = WriteHold::take(data.path());
    for name in ["draf-satu.txt", "hilang.txt", "draf-dua.txt"] {
        let path = files.path().join(name);
        if name != "hilang.txt" {
            std::fs::write(&path, name).expect("draft");
        }
        app.workspace_mut()
            .expect("records")
            .files_dropped(vec![path], Lang::Id);
    }
    let mut h = harness(&mut app);
    assert!(h.query_all_by_label("Menyimpan…").count() >= 1);
    hold.release();
    crate::common::settle(&mut h);
    h.get_by_label_contains("hilang.txt:");
    assert!(h.query_by_label("Dilampirkan: draf-dua.txt").is_none());
    drop(h);
    let names: Vec<String> = app
        .workspace()
        .expect("records")
        .store()
        .attachments(1)
        .expect("attachments")
        .into_iter()
        .map(|a| a.file_name)
        .collect();
    assert_eq!(names, ["draf-satu.txt", "draf-dua.txt"]);
}

/// Ctrl+1 presses the first of the step's buttons, for a clerk at the
/// keyboard (and shown when the pointer rests on it).
#[test]
fn ctrl_and_a_number_presses_that_button() {
    let data = tempfile::tempdir().expect("temp");
    lurah_with_one_kegiatan(data.path());
    let mut app = app_on(data.path(), SopSource::Bundled);
    {
        let ws = app.workspace_mut().expect("records");
        ws.sign_in("lurah", "rahasia").expect("sign in");
        ws.go(Place::Kegiatan(1));
    }
    let mut h = harness(&mut app);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num2);
    crate::common::settle(&mut h);
    assert!(h.query_by_label_contains("Lanjut ke langkah 2.").is_none());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num1);
    crate::common::settle(&mut h);
    h.get_by_label_contains("Lanjut ke langkah 2.");
}

/// Sahkan (which opens the key with the password: a second on a weak PC)
/// shows its busy sign first too.
#[test]
fn signing_off_shows_a_busy_sign_before_its_result() {
    let data = tempfile::tempdir().expect("temp");
    let id = crate::signoff::finished(data.path()).3;
    let mut app = app_on(data.path(), SopSource::Bundled);
    {
        let ws = app.workspace_mut().expect("records");
        ws.sign_in("lurah", "lurah-rahasia").expect("sign in");
        ws.go(Place::Kegiatan(id));
    }
    let mut h = harness(&mut app);
    type_into(
        &mut h,
        Role::PasswordInput,
        "Kata sandi Anda",
        "lurah-rahasia",
    );
    h.get_by_role_and_label(Role::Button, "Sahkan").click();
    h.step();
    h.step();
    assert!(h.query_all_by_label("Menyimpan…").count() >= 1);
    crate::common::settle(&mut h);
    h.get_by_label_contains("Kegiatan disahkan. Kode verifikasi:");
    assert!(h.query_by_label("Menyimpan…").is_none());
}

/// The SOP last chosen to start a kegiatan is offered first the next time
/// the window opens.
#[test]
fn the_last_chosen_sop_is_offered_first_after_a_restart() {
    let data = tempfile::tempdir().expect("temp");
    {
        let mut store = crate::engine::open(data.path()).expect("store");
        let ani = store
            .create_user(
                None,
                lajur_records::NewUser {
                    username: "ani".into(),
                    name: "Ani".into(),
                    lanes: vec!["ketua".into(), "ppid".into()],
                    password: "rahasia".into(),
                    ..Default::default()
                },
            )
            .expect("user");
        office_saved(&mut store, &ani);
    }
    let mojogedang = "PENGELOLAAN WEBSITE DAN MEDIA SOSIAL";
    let mut app = app_on(data.path(), SopSource::Bundled);
    app.workspace_mut()
        .expect("records")
        .sign_in("ani", "rahasia")
        .expect("sign in");
    {
        let mut h = harness(&mut app);
        press(&mut h, "Mulai kegiatan baru");
        h.get_by_role_and_label(Role::ComboBox, "SOP").click();
        h.run();
        h.get_by_label(mojogedang).click();
        h.run();
    }
    let kept = app.remembered();
    assert_eq!(kept.last_sop.as_deref(), Some("487.22/26.11/I/2021"));
    drop(app);
    let mut again = app_on(data.path(), SopSource::Bundled);
    again
        .workspace_mut()
        .expect("records")
        .sign_in("ani", "rahasia")
        .expect("sign in");
    again.restore(&kept);
    {
        let mut h = harness(&mut again);
        press(&mut h, "Mulai kegiatan baru");
    }
    // The form drawn after the restart chose it (else it would now name Bunder's).
    let form = &again.workspace().expect("records").home().new;
    assert!(form.sop.is_some());
    assert_eq!(form.last_sop.as_deref(), Some("487.22/26.11/I/2021"));
}

/// An administrator restores a backup from Pengaturan kantor: it is checked
/// and what it holds shown; after Pulihkan the records are the backup's, the
/// earlier ones kept aside, and everyone signs in again, told so.
#[test]
fn a_backup_made_in_the_window_restores_in_the_window() {
    let data = tempfile::tempdir().expect("temp");
    lurah_with_one_kegiatan(data.path());
    let mut app = app_on(data.path(), SopSource::Bundled);
    {
        let ws = app.workspace_mut().expect("records");
        ws.sign_in("lurah", "rahasia").expect("sign in");
        ws.go(Place::Office);
    }
    let mut h = harness(&mut app);
    // Made by the worker on its own connection to the records.
    h.get_by_label("Buat cadangan sekarang").scroll_to_me();
    h.run();
    press(&mut h, "Buat cadangan sekarang");
    h.get_by_label_contains("Cadangan dibuat dan diperiksa:");
    drop(h);
    let (folder, _) = app.workspace().expect("records").store().daily_backups();
    let backup = std::fs::read_dir(&folder)
        .expect("backup folder")
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.extension().is_some_and(|x| x == "db")
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().contains("manual"))
        })
        .expect("the backup the window made");
    // The restore closes the records, the worker's connection with them:
    // the file can be moved aside and replaced.
    app.workspace_mut()
        .expect("records")
        .office_screen()
        .offer_restore(&backup, Lang::Id)
        .expect("offered");
    let mut h = harness(&mut app);
    press(&mut h, "Pulihkan");
    h.get_by_label_contains("Catatan dipulihkan dari cadangan");
    drop(h);
    assert!(
        app.workspace()
            .expect("records")
            .store()
            .audit(&[])
            .expect("audit")
            .ok()
    );
}

#[test]
fn an_administrator_restores_a_backup_from_the_window() {
    let data = tempfile::tempdir().expect("temp");
    lurah_with_one_kegiatan(data.path());
    let mut app = app_on(data.path(), SopSource::Bundled);
    let backup = {
        let ws = app.workspace_mut().expect("records");
        ws.sign_in("lurah", "rahasia").expect("sign in");
        let backup = ws.store().backup_named("uji").expect("backup");
        // Work after the backup, which the restore will take away.
        let lurah = ws.user().cloned().expect("user");
        ws.store_mut()
            .start_kegiatan(&lurah, BUNDER, "Sesudah cadangan", "")
            .expect("start");
        ws.go(Place::Office);
        // Not a backup: refused in words, nothing offered.
        let text = data.path().join("bukan.db");
        std::fs::write(&text, "bukan cadangan").expect("write");
        let refused = ws
            .office_screen()
            .offer_restore(&text, Lang::Id)
            .expect_err("refused");
        assert!(refused.contains("bukan cadangan Lajur"), "{refused}");
        ws.office_screen()
            .offer_restore(&backup, Lang::Id)
            .expect("offered");
        backup
    };
    let mut h = harness(&mut app);
    h.get_by_label_contains("Isi cadangan:");
    h.get_by_label_contains("akan diganti dengan isi cadangan ini");
    press(&mut h, "Pulihkan");
    h.get_by_label_contains("Catatan dipulihkan dari cadangan");
    h.get_by_label("Masuk ke Lajur");
    drop(h);
    let store = app.workspace().expect("records").store();
    assert!(store.kegiatan(2).is_err(), "the later kegiatan is gone");
    assert!(store.kegiatan(1).is_ok());
    assert!(store.audit(&[]).expect("audit").ok());
    assert!(backup.exists());
    let aside = std::fs::read_dir(data.path())
        .expect("data")
        .filter_map(|e| e.ok())
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("sebelum-pemulihan")
        });
    assert!(aside, "the earlier records are kept aside");
}

#[test]
fn the_window_returns_to_the_last_view_after_sign_in() {
    let data = tempfile::tempdir().expect("temp");
    lurah_with_one_kegiatan(data.path());
    let mut app = app_on(data.path(), SopSource::Bundled);
    {
        let ws = app.workspace_mut().expect("records");
        ws.sign_in("lurah", "rahasia").expect("sign in");
        ws.go(Place::Kegiatan(1));
    }
    app.set_lang(Lang::En);
    let kept = app.remembered();
    // The window closes (releasing the data folder) and opens again.
    drop(app);
    let mut again = app_on(data.path(), SopSource::Bundled);
    again.restore(&kept);
    assert_eq!(again.lang(), Lang::En);
    let mut h = harness(&mut again);
    h.get_by_label("Sign in to Lajur");
    type_into(&mut h, Role::PasswordInput, "Password", "rahasia");
    press(&mut h, "Sign in");
    h.get_by_label_contains("#1 Publikasi");
    drop(h);
    assert_eq!(
        again.workspace().map(|w| w.place()),
        Some(Place::Kegiatan(1))
    );
}

#[test]
fn a_vanished_file_and_a_damaged_draft_end_in_a_message_and_nothing_is_lost() {
    let data = tempfile::tempdir().expect("temp");
    let files = tempfile::tempdir().expect("temp");
    let good = files.path().join("draf.txt");
    std::fs::write(&good, "isi draf").expect("write");
    lurah_with_one_kegiatan(data.path());
    let mut app = app_on(data.path(), SopSource::Bundled);
    let mut h = harness(&mut app);
    sign_in(&mut h, "Budi Santoso (lurah)", "rahasia");
    open_task(&mut h, "#1 Publikasi");
    // Two files dropped, one of them gone by the time it is read.
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(files.path().join("hilang.docx"))));
    drop_file(&mut h, &good);
    h.get_by_label_contains("Sebagian berkas tidak dilampirkan");
    h.get_by_label_contains("hilang.docx: Berkas tidak dapat dibaca atau ditulis");
    h.get_by_label_contains("versi 1 · Budi Santoso");
    drop(h);

    // The stored draft is damaged on disk: opening it is refused, plainly.
    {
        let ws = app.workspace_mut().expect("records");
        let store = ws.store_mut();
        let a = store.attachments(1).expect("list").remove(0);
        let path = store.open_attachment(&a).expect("intact so far");
        std::fs::write(&path, "diubah di luar Lajur").expect("damage");
    }
    let mut h = harness(&mut app);
    h.get_by_role_and_label(Role::Button, "Buka").click();
    h.run();
    h.get_by_label_contains("Berkas lampiran rusak atau telah diubah di luar Lajur");
    // The work is as it was: the step still waits for the Lurah.
    press(&mut h, "Selesai");
    h.get_by_label_contains("Lanjut ke langkah 2.");
}

#[test]
fn an_administrator_cancels_a_kegiatan_with_a_reason_and_others_cannot() {
    let data = tempfile::tempdir().expect("temp");
    lurah_with_one_kegiatan(data.path());
    {
        let mut store = crate::engine::open(data.path()).expect("store");
        let lurah = store.user_by_name("lurah").expect("lurah");
        store
            .create_user(
                Some(&lurah),
                lajur_records::NewUser {
                    username: "dewi".into(),
                    name: "Dewi".into(),
                    lanes: vec!["ketua".into()],
                    password: "rahasia".into(),
                    ..Default::default()
                },
            )
            .expect("staff");
    }
    let mut app = app_on(data.path(), SopSource::Bundled);
    let mut h = harness(&mut app);
    // Dewi works in the same lane but is no administrator: no cancelling.
    sign_in(&mut h, "Dewi (dewi)", "rahasia");
    open_task(&mut h, "#1 Publikasi");
    assert!(h.query_by_label("Batalkan kegiatan").is_none());
    press(&mut h, "Keluar");
    sign_in(&mut h, "Budi Santoso (lurah)", "rahasia");
    open_task(&mut h, "#1 Publikasi");
    // The section sits at the foot of the side panel: scrolled to, as a user would.
    h.get_by_label("Batalkan kegiatan").scroll_to_me();
    h.run();
    h.get_by_label("Batalkan kegiatan").click();
    h.run();
    let confirm = |h: &mut Harness| {
        h.get_by_role_and_label(Role::Button, "Ya, batalkan kegiatan ini")
            .scroll_to_me();
        h.run();
        press(h, "Ya, batalkan kegiatan ini");
    };
    // Without a reason the store refuses, in words.
    confirm(&mut h);
    h.get_by_label_contains("Tuliskan alasannya");
    type_into(
        &mut h,
        Role::MultilineTextInput,
        "Alasan pembatalan",
        "Dobel dengan #2",
    );
    confirm(&mut h);
    h.get_by_label("Kegiatan dibatalkan.");
    assert_eq!(
        h.get_all_by_label("Dibatalkan").count(),
        2,
        "status and heading"
    );
    // The reason stands with it.
    h.get_by_label("Alasan pembatalan: Dobel dengan #2");
    drop(h);
    let ws = app.workspace().expect("records");
    let history = ws.store().history(1).expect("history");
    assert!(
        history
            .iter()
            .any(|r| r.action == "batal" && r.note == "Dobel dengan #2")
    );
}
