//! The window, driven the way a user sees it (egui_kittest, no GPU needed).

use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lajur::i18n::Lang;
use lajur::library::SopSource;
use lajur::ui::LajurApp;

#[test]
fn the_window_lists_both_bundled_sops_with_their_state() {
    let mut app = LajurApp::new(Lang::Id, SopSource::Bundled);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1200.0, 760.0))
        .build_ui(|ui| app.ui(ui));
    harness.run();
    harness.get_by_role_and_label(
        Role::Button,
        "PENYEBARLUASAN INFORMASI MELALUI MEDIA SOSIAL",
    );
    harness.get_by_role_and_label(Role::Button, "PENGELOLAAN WEBSITE DAN MEDIA SOSIAL");
    harness.get_by_label("Siap dipakai");
    harness.get_by_label("Siap dipakai, ada catatan (1)");
    // The first SOP is selected: its one remark is shown with its place in the file.
    harness.get_by_label("Nama pejabat yang mengesahkan masih kosong.");

    harness
        .get_by_role_and_label(Role::Button, "PENGELOLAAN WEBSITE DAN MEDIA SOSIAL")
        .click();
    harness.run();
    harness.get_by_label("Tidak ada masalah.");
    harness.get_by_label("487.22/26.11/I/2021");
}

#[test]
fn a_broken_sop_shows_its_errors_in_the_window() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("rusak.toml"),
        "versi_format = 1\n[identitas]\nnama_sop = \"RUSAK\"\nwarna = 1\n",
    )
    .expect("write");
    let mut app = LajurApp::new(Lang::Id, SopSource::Folder(dir.path().to_path_buf()));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1200.0, 760.0))
        .build_ui(|ui| app.ui(ui));
    harness.run();
    harness.get_by_role_and_label(Role::Button, "RUSAK");
    harness.get_by_label("Isian `warna` tidak dikenal.");
    harness.get_by_label("baris 4, kolom 1");
}
