//! The window, driven the way a user sees it (egui_kittest, no GPU needed).

use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lajur::ui::LajurApp;
use lajur::ui::app::Tab;
use lajur_core::locale::Lang;
use lajur_records::library::SopSource;

fn harness(app: &mut LajurApp) -> Harness<'_> {
    let mut harness = Harness::builder()
        .with_max_steps(12)
        .with_size(egui::vec2(1366.0, 768.0))
        .build_ui(|ui| app.ui(ui));
    harness.run();
    harness
}

/// The Mojogedang SOP's entry in the list: its name and its number.
const MOJOGEDANG: &str = "PENGELOLAAN WEBSITE DAN MEDIA SOSIAL\nNo. 487.22/26.11/I/2021";

#[test]
fn the_window_lists_both_bundled_sops_with_their_state() {
    let mut app = LajurApp::new(Lang::Id, SopSource::Bundled);
    let mut harness = harness(&mut app);
    // Each with its number, so alike names are told apart.
    harness.get_by_role_and_label(
        Role::Button,
        "PENYEBARLUASAN INFORMASI MELALUI MEDIA SOSIAL\nNo. 01/KPTS/2024",
    );
    harness.get_by_role_and_label(Role::Button, MOJOGEDANG);
    harness.get_by_label("Siap dipakai");
    harness.get_by_label("Siap dipakai, ada catatan (1)");

    // The first SOP is selected; its one remark is on the Masalah tab.
    harness.get_by_label("Masalah").click();
    harness.run();
    harness.get_by_label("Nama pejabat yang mengesahkan masih kosong.");
    harness.get_by_label("baris 58, kolom 8");

    harness
        .get_by_role_and_label(Role::Button, MOJOGEDANG)
        .click();
    harness.run();
    harness.get_by_label("Tidak ada masalah.");
    harness.get_by_label("Identitas").click();
    harness.run();
    harness.get_by_label("487.22/26.11/I/2021");
    harness.get_by_label_contains("Drs. Toto Joko Mulyono, M.M.");
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
    let mut harness = harness(&mut app);
    harness.get_by_role_and_label(Role::Button, "RUSAK");
    harness.get_by_label_contains("Ada kesalahan (");
    harness.get_by_label_contains("SOP ini masih punya kesalahan");
    harness.get_by_label("Masalah").click();
    harness.run();
    harness.get_by_label("Isian `warna` tidak dikenal.");
    harness.get_by_label("baris 4, kolom 1");
}

#[test]
fn clicking_a_step_opens_its_details() {
    let mut app = LajurApp::new(Lang::Id, SopSource::Bundled);
    let mut harness = harness(&mut app);
    harness
        .get_by_label_contains("Langkah 4: Menyampaikan materi yang akan diunggah di medsos untuk mendapatkan persetujuan")
        .click();
    harness.run();
    harness.get_by_label("Rincian langkah");
    // The decision's two exits, with their labels and where they lead.
    harness.get_by_label_contains("Ya: Langkah 5:");
    harness.get_by_label_contains("Tidak: Langkah 3:");
    harness.get_by_label_contains("(Dipahami sebagai: 15 menit)");
    harness.get_by_label("Keputusan");
    // Escape closes the panel again.
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Rincian langkah").is_none());
}

#[test]
fn zoom_buttons_keys_and_modes_change_the_view() {
    let app = LajurApp::new(Lang::Id, SopSource::Bundled);
    let mut harness = Harness::builder()
        .with_max_steps(12)
        .with_size(egui::vec2(1366.0, 768.0))
        .build_ui_state(|ui, app: &mut LajurApp| app.ui(ui), app);
    harness.run();
    let zoom = |h: &Harness<'_, LajurApp>| h.state().view().zoom;
    let before = zoom(&harness);
    harness.get_by_label("+").click();
    harness.run();
    let after_button = zoom(&harness);
    assert!(after_button > before * 1.2, "{before} → {after_button}");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Plus);
    harness.run();
    let after_key = zoom(&harness);
    assert!(
        after_key > after_button * 1.2,
        "{after_button} → {after_key}"
    );
    harness.get_by_label("−").click();
    harness.run();
    assert!(zoom(&harness) < after_key);
    harness.get_by_label("Sesuai lebar").click();
    harness.run();
    assert!(
        (zoom(&harness) - before).abs() < 1e-3,
        "fit width returns to the first view"
    );

    harness.get_by_label("Per halaman").click();
    harness.run();
    assert_eq!(harness.state().settings().flow, lajur_layout::Flow::Paged);
    assert_eq!(harness.state().tab(), Tab::Flowchart);
}

#[test]
fn scrolling_pans_the_flowchart() {
    let app = LajurApp::new(Lang::Id, SopSource::Bundled);
    let mut harness = Harness::builder()
        .with_max_steps(12)
        .with_size(egui::vec2(1366.0, 768.0))
        .build_ui_state(|ui, app: &mut LajurApp| app.ui(ui), app);
    harness.run();
    harness.get_by_label("+").click();
    harness.run();
    harness.get_by_label("+").click();
    harness.run();
    let row = "Langkah 1: Ketua PPID memberikan instruksi kepada seksie Pengolahan Data dan Dokumentasi Informasi";
    let top_before = harness.get_by_label(row).rect().top();
    harness.get_by_label(row).scroll_down();
    harness.run();
    let top_after = harness.get_by_label(row).rect().top();
    assert!(top_after < top_before, "{top_before} → {top_after}");
}

#[test]
fn exporting_from_the_window_saves_and_offers_to_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = LajurApp::new(Lang::Id, SopSource::Bundled);
    let mut harness = Harness::builder()
        .with_max_steps(12)
        .with_size(egui::vec2(1366.0, 768.0))
        .build_ui_state(|ui, app: &mut LajurApp| app.ui(ui), app);
    harness.run();
    harness.get_by_label("Ekspor PDF");
    let path = dir.path().join("bunder.pdf");
    harness.state_mut().export_to(&path);
    harness.run();
    harness.get_by_label_contains("PDF tersimpan:");
    harness.get_by_label("Buka PDF");
    let bytes = std::fs::read(&path).expect("the PDF is on disk");
    assert!(bytes.starts_with(b"%PDF"));

    // A folder that does not exist: a clear message, and nothing written.
    let nowhere = dir.path().join("tidak-ada").join("x.pdf");
    harness.state_mut().export_to(&nowhere);
    harness.run();
    harness.get_by_label_contains("foldernya tidak ada");
    assert!(!nowhere.exists());
    harness.get_by_label("Tutup").click();
    harness.run();
    assert!(harness.state().notice().is_none());
}

#[test]
fn the_keyboard_moves_between_steps_and_pans() {
    let app = LajurApp::new(Lang::Id, SopSource::Bundled);
    let mut harness = Harness::builder()
        .with_max_steps(12)
        .with_size(egui::vec2(1366.0, 768.0))
        .build_ui_state(|ui, app: &mut LajurApp| app.ui(ui), app);
    harness.run();
    harness.get_by_label_contains("Langkah 2: ").click();
    harness.run();
    assert_eq!(harness.state().view().selected, Some(1));
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    assert_eq!(harness.state().view().selected, Some(2));
    harness.key_press(egui::Key::ArrowUp);
    harness.key_press(egui::Key::ArrowUp);
    harness.run();
    assert_eq!(harness.state().view().selected, Some(0));
    harness.get_by_label("Keterangan");
    // A row can be reached with Tab and opened with Enter, like a button.
    harness.key_press(egui::Key::Escape);
    harness.run();
    let row = harness.get_by_label_contains("Langkah 6: ");
    row.focus();
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(harness.state().view().selected, Some(5));
}

#[test]
fn english_can_be_chosen() {
    let app = LajurApp::new(Lang::Id, SopSource::Bundled);
    let mut harness = Harness::builder()
        .with_max_steps(12)
        .with_size(egui::vec2(1366.0, 768.0))
        .build_ui_state(|ui, app: &mut LajurApp| app.ui(ui), app);
    harness.run();
    harness.get_by_label("Daftar SOP");
    harness
        .get_by_role_and_label(Role::ComboBox, "Bahasa")
        .click();
    harness.run();
    harness.get_by_label("English").click();
    harness.run();
    harness.get_by_label("SOP list");
    harness.get_by_label("Problems").click();
    harness.run();
    harness.get_by_label("The approving official's name is empty.");
}

/// A table that cannot be printed on the paper chosen is said over the
/// flowchart and in the Masalah tab, with the printed table's judgement on
/// a paper where it fits.
#[test]
fn the_window_says_when_the_table_cannot_print_and_judges_its_layout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut sop = lajur_core::sop::sample::generated(6, 12, 0, 1);
    sop.identity.name = "DUA BELAS PELAKSANA".into();
    std::fs::write(
        dir.path().join("lebar.toml"),
        lajur_core::sop::format::write(&sop),
    )
    .expect("write");
    let mut app = LajurApp::new(Lang::Id, SopSource::Folder(dir.path().to_path_buf()));
    let mut harness = harness(&mut app);
    harness.get_by_role_and_label(
        Role::Button,
        &format!("DUA BELAS PELAKSANA\nNo. {}", sop.identity.number),
    );
    // Portrait: twelve lanes do not fit a page 215 mm wide.
    harness.get_by_label("Tegak").click();
    harness.run();
    harness.get_by_label_contains("Tabel tidak muat di kertas F4 tegak");
    harness.get_by_label("Masalah").click();
    harness.run();
    harness.get_by_label("Tata letak cetak");
    harness.get_by_label_contains("Tabel tidak muat di kertas F4 tegak");
    // Landscape: it fits, and the printed table has no fault.
    harness.get_by_label("Diagram alir").click();
    harness.run();
    harness.get_by_label("Mendatar").click();
    harness.run();
    harness.get_by_label("Masalah").click();
    harness.run();
    harness.get_by_label("Tata letak cetak bersih: tidak ada cacat di kertas ini.");
}
