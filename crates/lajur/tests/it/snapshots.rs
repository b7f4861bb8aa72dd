//! Image snapshots of both seed flowcharts, rendered with wgpu. Opt-in
//! (`--features snapshots`): they need a Vulkan driver (Mesa's lavapipe in CI).
//! Regenerate with `UPDATE_SNAPSHOTS=1 cargo test --features snapshots --test snapshots`.
#![cfg(feature = "snapshots")]

use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lajur::ui::LajurApp;
use lajur_core::locale::Lang;
use lajur_records::library::SopSource;

fn open(sop_button: Option<&str>, paged: bool) -> Harness<'static, LajurApp> {
    let app = LajurApp::new(Lang::Id, SopSource::Bundled);
    let mut harness = Harness::builder()
        .with_max_steps(12)
        .with_size(egui::vec2(1366.0, 768.0))
        .build_ui_state(|ui, app: &mut LajurApp| app.ui(ui), app);
    harness.run();
    if let Some(label) = sop_button {
        harness.get_by_role_and_label(Role::Button, label).click();
        harness.run();
    }
    if paged {
        harness.get_by_label("Per halaman").click();
        harness.run();
    }
    harness
}

#[test]
fn bunder_flowchart() {
    let mut harness = open(None, false);
    harness.snapshot("bunder_bersambung");
}

#[test]
fn bunder_flowchart_by_page() {
    let mut harness = open(None, true);
    harness.snapshot("bunder_per_halaman");
}

#[test]
fn mojogedang_flowchart() {
    let mut harness = open(
        Some("PENGELOLAAN WEBSITE DAN MEDIA SOSIAL\nNo. 487.22/26.11/I/2021"),
        false,
    );
    harness.snapshot("mojogedang_bersambung");
}

/// Every page of both seed PDFs, on A4 and F4, rendered by poppler's pdftoppm
/// (installed by `.ci/run`) and compared with the stored images.
#[test]
fn seed_pdf_pages() {
    use lajur_layout::{PageSettings, Paper};
    let dir = tempfile::tempdir().expect("temp dir");
    for (short, file) in [
        ("bunder", "bunder-penyebarluasan-informasi-medsos.toml"),
        ("mojogedang", "mojogedang-pengelolaan-website-medsos.toml"),
    ] {
        let text = std::fs::read_to_string(format!(
            "{}/sops/{file}",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
        ))
        .expect("seed");
        let sop = lajur_core::sop::SopDocument::parse(&text).sop;
        for (paper, tag) in [(Paper::A4, "a4"), (Paper::F4, "f4")] {
            let settings = PageSettings {
                paper,
                ..PageSettings::default()
            };
            let pdf = dir.path().join(format!("{short}-{tag}.pdf"));
            std::fs::write(
                &pdf,
                lajur_paper::sop_pdf(&sop, &settings, lajur_records::clock::system_now())
                    .expect("PDF"),
            )
            .expect("write");
            let prefix = dir.path().join(format!("{short}-{tag}"));
            let status = std::process::Command::new("pdftoppm")
                .args(["-r", "50", "-png"])
                .arg(&pdf)
                .arg(&prefix)
                .status()
                .expect("pdftoppm runs (apt-get install poppler-utils)");
            assert!(status.success());
            let mut pages: Vec<_> = std::fs::read_dir(dir.path())
                .expect("list")
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name().is_some_and(|n| {
                        let n = n.to_string_lossy();
                        n.starts_with(&format!("{short}-{tag}-")) && n.ends_with(".png")
                    })
                })
                .collect();
            pages.sort();
            assert!(!pages.is_empty());
            for (n, page) in pages.iter().enumerate() {
                let image = image::open(page).expect("PNG").to_rgba8();
                egui_kittest::image_snapshot(&image, format!("pdf_{short}_{tag}_{}", n + 1));
            }
        }
    }
}

/// The editor just after a Word SOP was imported, rendered to a PNG for a
/// person to look at (not compared): `LAJUR_LOOK=dir cargo test -p lajur
/// --features snapshots --test it snapshots::imported_draft_for_looking`.
#[test]
fn imported_draft_for_looking() {
    let Some(dir) = std::env::var_os("LAJUR_LOOK") else {
        return;
    };
    let data = tempfile::tempdir().expect("temp");
    {
        let mut store = lajur_records::Store::open(data.path()).expect("store");
        store
            .create_user(
                None,
                lajur_records::NewUser {
                    username: "admin".into(),
                    name: "Pak Admin".into(),
                    password: "admin-rahasia".into(),
                    ..lajur_records::NewUser::default()
                },
            )
            .expect("admin");
    }
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/import/dkisp-kaltara-penerbitan-email-resmi.docx");
    for (name, w, h) in [("impor-1366", 1366.0, 768.0), ("impor-1024", 1024.0, 600.0)] {
        let mut app = LajurApp::new(Lang::Id, SopSource::Bundled);
        app.open_records(data.path());
        app.workspace_mut()
            .expect("records")
            .sign_in("admin", "admin-rahasia")
            .expect("signed in");
        app.set_section(lajur::ui::app::Section::Sops);
        app.import_sop_file(&corpus);
        let mut harness = Harness::builder()
            .with_max_steps(12)
            .with_size(egui::vec2(w, h))
            .build_ui_state(|ui, app: &mut LajurApp| app.ui(ui), app);
        harness.run();
        let image = harness.render().expect("rendered");
        image
            .save(std::path::Path::new(&dir).join(format!("{name}.png")))
            .expect("saved");
    }
}

/// Verifikasi after a signed-off kegiatan's code is typed, rendered for a
/// person to compare with the paper (not compared): `LAJUR_LOOK=dir`.
#[test]
fn verification_for_looking() {
    let Some(dir) = std::env::var_os("LAJUR_LOOK") else {
        return;
    };
    let data = tempfile::tempdir().expect("temp");
    let code = {
        let (mut store, lurah, _, id) = crate::signoff::finished(data.path());
        store
            .sign_off(&lurah, "lurah-rahasia", id)
            .expect("signed")
            .code
    };
    for (name, w, h) in [
        ("verifikasi-1366", 1366.0, 768.0),
        ("verifikasi-1024", 1024.0, 600.0),
    ] {
        let mut app = LajurApp::new(Lang::Id, SopSource::Bundled);
        app.open_records(data.path());
        app.workspace_mut()
            .expect("records")
            .sign_in("lurah", "lurah-rahasia")
            .expect("signed in");
        let mut harness = crate::common::harness(&mut app, w, h);
        // At 1024 px Verifikasi is in the account menu.
        if harness
            .query_by_role_and_label(Role::Button, "Verifikasi")
            .is_none()
        {
            harness.get_by_label_contains("Santoso ▼").click();
            harness.run();
        }
        harness
            .get_by_role_and_label(Role::Button, "Verifikasi")
            .click();
        harness.run();
        // The code field has the keyboard when the window opens.
        harness.event(egui::Event::Text(code.clone()));
        harness.run();
        harness
            .get_by_role_and_label(Role::Button, "Periksa")
            .click();
        harness.run();
        harness
            .get_by_role_and_label(Role::Button, "Periksa seluruh catatan")
            .click();
        crate::common::settle(&mut harness);
        let image = harness.render().expect("rendered");
        image
            .save(std::path::Path::new(&dir).join(format!("{name}.png")))
            .expect("saved");
    }
}

/// Every screen at 1024×600, rendered for a person to look at (not compared):
/// `LAJUR_LOOK=dir`. The Lurah's view of a kegiatan awaiting sign-off.
#[test]
fn screens_at_1024_for_looking() {
    let Some(dir) = std::env::var_os("LAJUR_LOOK") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let data = tempfile::tempdir().expect("temp");
    let id = {
        let (mut store, lurah, _, id) = crate::signoff::finished(data.path());
        store
            .save_office(
                &lurah,
                &crate::office::bunder_office(),
                lajur_records::LogoChange::Keep,
            )
            .expect("office");
        id
    };
    let mut app = LajurApp::new(Lang::Id, SopSource::Bundled);
    app.open_records(data.path());
    app.workspace_mut()
        .expect("records")
        .sign_in("lurah", "lurah-rahasia")
        .expect("signed in");
    let shot = |h: &mut Harness<'_>, name: &str| {
        h.run();
        h.render()
            .expect("rendered")
            .save(dir.join(format!("1024-{name}.png")))
            .expect("saved");
    };
    {
        let mut h = crate::common::harness(&mut app, 1024.0, 600.0);
        shot(&mut h, "beranda");
        h.get_by_label("Daftar SOP").click();
        shot(&mut h, "daftar-sop");
        h.get_by_label("Pengguna").click();
        shot(&mut h, "pengguna");
        h.get_by_label("Pengaturan kantor").click();
        shot(&mut h, "pengaturan");
    }
    app.workspace_mut().expect("records").open_kegiatan(id);
    let mut h = crate::common::harness(&mut app, 1024.0, 600.0);
    shot(&mut h, "kegiatan-diagram");
    h.get_by_label("Riwayat").click();
    shot(&mut h, "kegiatan-riwayat");
    h.get_by_label("Lembar").click();
    shot(&mut h, "kegiatan-lembar");
}

/// The office server as a clerk meets it, at 1024×600 (not compared; for a
/// person to look at): Pengaturan kantor's Server kantor section, and the
/// message line while the server does not answer. `LAJUR_LOOK=dir`.
#[test]
fn office_server_for_looking() {
    let Some(dir) = std::env::var_os("LAJUR_LOOK").map(std::path::PathBuf::from) else {
        return;
    };
    let Some(cluster) = crate::cluster::Cluster::start() else {
        return;
    };
    let db = cluster.prepared_office("kalurahan");
    let data = tempfile::tempdir().expect("temp");
    crate::workspace::lurah_with_one_kegiatan(data.path());
    crate::cluster::join_folder(data.path(), &db.pc, "pc-seksi");
    let mut app = crate::workspace::app_on(data.path(), SopSource::Bundled);
    {
        let ws = app.workspace_mut().expect("records");
        ws.store_mut()
            .use_server_password(crate::cluster::PC_PASSWORD);
        ws.sign_in("lurah", "rahasia").expect("sign in");
        ws.go(lajur::ui::workspace::Place::Office);
    }
    let mut h = crate::common::harness(&mut app, 1024.0, 600.0);
    h.get_by_label("Pakai kata sandi").scroll_to_me();
    for _ in 0..20 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
    h.render()
        .expect("rendered")
        .save(dir.join("1024-server-kantor.png"))
        .expect("saved");
    // "Pindah ke server lain" opened.
    let header = "Pindah ke server lain (server kantor diganti)";
    h.get_by_label(header).scroll_to_me();
    h.run_ok();
    h.get_by_label(header).click();
    h.run_ok();
    h.get_by_label("Tes sambungan").scroll_to_me();
    h.run_ok();
    h.render()
        .expect("rendered")
        .save(dir.join("1024-server-ganti.png"))
        .expect("saved");
    h.get_by_label(header).click();
    h.run_ok();
    cluster.stop();
    for _ in 0..200 {
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.step();
        if h.query_all_by_label_contains("Server kantor tidak menjawab")
            .next()
            .is_some()
        {
            break;
        }
    }
    h.step();
    h.render()
        .expect("rendered")
        .save(dir.join("1024-server-terputus.png"))
        .expect("saved");
}

/// Pengaturan kantor's Server kantor form on a PC not yet sharing, at
/// 1024×600: as it opens, after Tes sambungan, with the move's question, and
/// after the move. `LAJUR_LOOK=dir`.
#[test]
fn office_server_setup_for_looking() {
    let Some(dir) = std::env::var_os("LAJUR_LOOK").map(std::path::PathBuf::from) else {
        return;
    };
    let Some(cluster) = crate::cluster::Cluster::start() else {
        return;
    };
    cluster.prepared_office("kalurahan");
    let data = tempfile::tempdir().expect("temp");
    crate::workspace::lurah_with_one_kegiatan(data.path());
    let mut app = crate::workspace::app_on(data.path(), SopSource::Bundled);
    {
        let ws = app.workspace_mut().expect("records");
        ws.sign_in("lurah", "rahasia").expect("sign in");
        ws.go(lajur::ui::workspace::Place::Office);
    }
    let mut h = crate::common::harness(&mut app, 1024.0, 600.0);
    let shot = |h: &mut egui_kittest::Harness<'_>, name: &str| {
        h.run_ok();
        h.render()
            .expect("rendered")
            .save(dir.join(name))
            .expect("saved");
    };
    h.get_by_label("Pindahkan catatan ke server").scroll_to_me();
    shot(&mut h, "1024-server-form.png");
    crate::common::fill_server_form(
        &mut h,
        cluster.port,
        "kalurahan",
        "pc-lurah",
        crate::cluster::PC_PASSWORD,
    );
    crate::common::press(&mut h, "Tes sambungan");
    for _ in 0..200 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
        if h.query_all_by_label_contains("Tersambung ke")
            .next()
            .is_some()
        {
            break;
        }
    }
    h.get_by_label("Pindahkan catatan ke server").scroll_to_me();
    shot(&mut h, "1024-server-tes.png");
    crate::common::press(&mut h, "Pindahkan catatan ke server");
    h.get_by_label("Ya, pindahkan").scroll_to_me();
    shot(&mut h, "1024-server-tanya.png");
    crate::common::press(&mut h, "Ya, pindahkan");
    for _ in 0..500 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
        if h.query_all_by_label_contains("kini menjadi catatan kantor")
            .next()
            .is_some()
        {
            break;
        }
    }
    shot(&mut h, "1024-server-pindah.png");
    drop(h);
    // A new PC's first screen, its join panel opened.
    let fresh = tempfile::tempdir().expect("temp");
    let mut app = crate::workspace::app_on(fresh.path(), SopSource::Bundled);
    let mut h = crate::common::harness(&mut app, 1024.0, 600.0);
    h.get_by_label_contains("Kantor sudah memakai server kantor")
        .click();
    h.run_ok();
    h.get_by_label("Gabung dengan server kantor").scroll_to_me();
    shot(&mut h, "1024-pc-baru-gabung.png");
}

/// Pengaturan kantor after the server's certificate was replaced, at
/// 1024×600: the two fingerprints compared, then the question before the
/// new one is accepted. `LAJUR_LOOK=dir`.
#[test]
fn server_certificate_for_looking() {
    let Some(dir) = std::env::var_os("LAJUR_LOOK").map(std::path::PathBuf::from) else {
        return;
    };
    let Some(cluster) = crate::cluster::Cluster::start() else {
        return;
    };
    cluster.use_new_certificate();
    let db = cluster.prepared_office("kalurahan");
    let data = tempfile::tempdir().expect("temp");
    crate::workspace::lurah_with_one_kegiatan(data.path());
    crate::cluster::join_folder(data.path(), &db.pc, "pc-lurah");
    cluster.use_new_certificate();
    let mut app = crate::workspace::app_on(data.path(), SopSource::Bundled);
    {
        let ws = app.workspace_mut().expect("records");
        ws.store_mut()
            .use_server_password(crate::cluster::PC_PASSWORD);
        ws.sign_in("lurah", "rahasia").expect("sign in");
        ws.go(lajur::ui::workspace::Place::Office);
    }
    let mut h = crate::common::harness(&mut app, 1024.0, 600.0);
    let settle_until = |h: &mut egui_kittest::Harness<'_>, text: &str| {
        for _ in 0..200 {
            std::thread::sleep(std::time::Duration::from_millis(20));
            h.step();
            if h.query_all_by_label_contains(text).next().is_some() {
                break;
            }
        }
        h.run_ok();
    };
    h.get_by_label("Periksa sertifikat server").scroll_to_me();
    h.run_ok();
    crate::common::press(&mut h, "Periksa sertifikat server");
    settle_until(&mut h, "Berbeda.");
    h.get_by_label("Terima sertifikat baru").scroll_to_me();
    h.run_ok();
    h.render()
        .expect("rendered")
        .save(dir.join("1024-sertifikat-berbeda.png"))
        .expect("saved");
    crate::common::press(&mut h, "Terima sertifikat baru");
    settle_until(&mut h, "Ya, sudah cocok; terima");
    h.get_by_label("Ya, sudah cocok; terima").scroll_to_me();
    h.run_ok();
    h.render()
        .expect("rendered")
        .save(dir.join("1024-sertifikat-pertanyaan.png"))
        .expect("saved");
}
