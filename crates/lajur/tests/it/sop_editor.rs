//! Writing an SOP in the real window (egui_kittest) on real records: a clerk
//! builds a six-step SOP with a decision from scratch, sees the table and the
//! problems while typing, saves it, reopens it, exports it as TOML and PDF,
//! and the Lurah activates it; undo and redo from the keyboard; a lane in use
//! is refused in words; a revision of an active SOP is compared with it.

use crate::common::{press, type_into};

use egui::{Key, Modifiers, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lajur::ui::LajurApp;
use lajur::ui::app::Section;
use lajur_core::locale::Lang;
use lajur_core::sop::{SopDocument, Symbol};
use lajur_records::library::SopSource;
use lajur_records::{NewUser, SopStatus, Store};

fn office(data: &std::path::Path) {
    let mut store = Store::open(data).expect("store");
    let admin = store
        .create_user(
            None,
            NewUser {
                username: "admin".into(),
                name: "Pak Admin".into(),
                jabatan: "Carik".into(),
                lanes: vec!["staf".into()],
                password: "admin-rahasia".into(),
                ..NewUser::default()
            },
        )
        .expect("admin");
    store
        .save_office(
            &admin,
            &lajur_core::office::Office {
                unit_name: "Bunder".into(),
                district_name: "Patuk".into(),
                regency_name: "Gunungkidul".into(),
                head_name: "Sutarno".into(),
                ..Default::default()
            },
            lajur_records::LogoChange::Keep,
        )
        .expect("office");
}

fn signed_in_app(data: &std::path::Path) -> LajurApp {
    let mut app = LajurApp::new(Lang::Id, SopSource::Bundled);
    app.open_records(data);
    app.workspace_mut()
        .expect("records")
        .sign_in("admin", "admin-rahasia")
        .expect("signed in");
    app.set_section(Section::Sops);
    app
}

fn harness(app: &mut LajurApp) -> Harness<'_> {
    crate::common::harness(app, 1500.0, 1000.0)
}

/// One row of the table: its activity, the lane it goes in (ticked, the
/// others unticked), its symbol and its Waktu.
fn add_step(
    h: &mut Harness,
    activity: &str,
    lane: &str,
    others: &[&str],
    symbol: &str,
    time: &str,
) {
    press(h, "+ Tambah langkah");
    type_into(h, Role::MultilineTextInput, "Kegiatan", activity);
    let lane_box = h.get_by_role_and_label(Role::CheckBox, lane);
    if lane_box.accesskit_node().is_selected() != Some(true)
        && lane_box.accesskit_node().toggled() != Some(egui::accesskit::Toggled::True)
    {
        lane_box.click();
        h.run();
    }
    for other in others {
        let node = h.get_by_role_and_label(Role::CheckBox, other);
        if node.accesskit_node().toggled() == Some(egui::accesskit::Toggled::True) {
            node.click();
            h.run();
        }
    }
    press(h, symbol);
    type_into(h, Role::TextInput, "Waktu", time);
}

use egui_kittest::kittest::NodeT;

#[test]
fn a_clerk_builds_a_six_step_sop_with_a_decision_saves_reopens_and_exports_it() {
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    office(&data);
    let mut app = signed_in_app(&data);
    // The bundled SOPs were imported on first opening, active.
    assert_eq!(app.library_entries().len(), 2);
    assert!(
        app.library_entries()
            .iter()
            .all(|e| e.status() == SopStatus::Active)
    );
    {
        let mut h = harness(&mut app);
        h.get_by_label("Pustaka SOP");
        press(&mut h, "SOP baru…");
        press(&mut h, "Kosong");
        h.get_by_label("SOP baru");

        // Identity: typed, with immediate feedback on the date.
        type_into(
            &mut h,
            Role::TextInput,
            "Nama SOP",
            "PELAYANAN SURAT KETERANGAN DOMISILI",
        );
        type_into(&mut h, Role::TextInput, "Nomor SOP", "05/SOP/2026");
        type_into(&mut h, Role::TextInput, "Unit kerja", "Kalurahan Bunder");
        type_into(
            &mut h,
            Role::TextInput,
            "Tanggal pembuatan (mis. 03-01-2024)",
            "03-11-2026",
        );
        h.get_by_label("Dipahami sebagai: 3 November 2026");
        type_into(
            &mut h,
            Role::TextInput,
            "Tanggal efektif (mis. 03-01-2024)",
            "3 Nov 2026",
        );
        press(&mut h, "+ Jabatan yang mengesahkan");
        type_into(
            &mut h,
            Role::TextInput,
            "Jabatan yang mengesahkan 1",
            "LURAH BUNDER",
        );
        type_into(&mut h, Role::TextInput, "Nama pejabat", "Sutarno");
        press(&mut h, "+ Dasar hukum");
        type_into(
            &mut h,
            Role::TextInput,
            "Dasar hukum 1",
            "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
        );

        // Lanes.
        h.get_by_role_and_label(Role::Button, "Pelaksana").click();
        h.run();
        for (i, name) in ["Staf Pelayanan", "Carik", "Lurah"].iter().enumerate() {
            press(&mut h, "+ Tambah pelaksana");
            type_into(
                &mut h,
                Role::TextInput,
                &format!("Nama pelaksana {}", i + 1),
                name,
            );
        }

        // Six rows, the fourth a decision.
        h.get_by_role_and_label(Role::Button, "Langkah").click();
        h.run();
        let all = ["Staf Pelayanan", "Carik", "Lurah"];
        let others =
            |lane: &str| -> Vec<&str> { all.iter().copied().filter(|l| *l != lane).collect() };
        add_step(
            &mut h,
            "Menerima berkas permohonan dari warga",
            "Staf Pelayanan",
            &others("Staf Pelayanan"),
            "Mulai",
            "10 Menit",
        );
        h.get_by_label("Dipahami sebagai: 10 menit");
        add_step(
            &mut h,
            "Memeriksa kelengkapan berkas",
            "Staf Pelayanan",
            &others("Staf Pelayanan"),
            "Proses",
            "15 Menit",
        );
        add_step(
            &mut h,
            "Membuat konsep surat keterangan",
            "Staf Pelayanan",
            &others("Staf Pelayanan"),
            "Proses",
            "30 Menit",
        );
        add_step(
            &mut h,
            "Memeriksa konsep surat",
            "Carik",
            &others("Carik"),
            "Keputusan",
            "15 Menit",
        );
        add_step(
            &mut h,
            "Menandatangani surat keterangan",
            "Lurah",
            &others("Lurah"),
            "Proses",
            "1 hari kerja",
        );
        h.get_by_label("Dipahami sebagai: 1 hari kerja");
        add_step(
            &mut h,
            "Menyerahkan surat kepada pemohon",
            "Staf Pelayanan",
            &others("Staf Pelayanan"),
            "Selesai",
            "5 Menit",
        );

        h.get_by_label("Tidak ada masalah: SOP ini siap dicetak.");
        // The table is drawn as it is typed: six rows, one button each.
        for (n, activity) in [
            "Menerima berkas permohonan dari warga",
            "Memeriksa kelengkapan berkas",
            "Membuat konsep surat keterangan",
            "Memeriksa konsep surat",
            "Menandatangani surat keterangan",
            "Menyerahkan surat kepada pemohon",
        ]
        .iter()
        .enumerate()
        {
            h.get_by_label(&format!("Langkah {}: {activity}", n + 1));
        }
        press(&mut h, "Simpan");
        h.get_by_label_contains("Tersimpan sebagai draf, revisi 1");
    }
    let sop = app.sop_editor_mut().expect("editor").editor().sop().clone();
    assert_eq!(sop.steps.len(), 6);
    assert_eq!(sop.lanes.len(), 3);
    let decision = &sop.steps[3];
    assert_eq!(decision.symbol, Symbol::Decision);
    assert_eq!(decision.exits[0].label, "Ya");
    assert_eq!(decision.exits[0].target, sop.steps[4].id);
    assert_eq!(decision.exits[1].label, "Tidak");
    assert_eq!(
        decision.exits[1].target, sop.steps[2].id,
        "Tidak goes back to the draft"
    );
    assert_eq!(
        sop.steps[3].lanes[0].0, sop.lanes[1].id.0,
        "the decision is the Carik's"
    );
    assert!(lajur_core::sop::validate::validate(&sop).is_empty());

    // Close, reopen from the library, export.
    {
        let mut h = harness(&mut app);
        press(&mut h, "Tutup penyunting");
        h.get_by_label("PELAYANAN SURAT KETERANGAN DOMISILI");
        h.get_by_label_contains("Draf · Revisi 1");
        press(&mut h, "Ubah SOP");
        h.get_by_label("Ubah SOP: PELAYANAN SURAT KETERANGAN DOMISILI");
    }
    let reopened = app.sop_editor_mut().expect("editor");
    assert_eq!(reopened.editor().sop(), &sop);
    let toml = dir.path().join("domisili.toml");
    let pdf = dir.path().join("domisili.pdf");
    reopened.export_toml_to(&toml, Lang::Id);
    for (format, path) in [
        (lajur::exports::SopFormat::Pdf, &pdf),
        (
            lajur::exports::SopFormat::Word,
            &dir.path().join("domisili.docx"),
        ),
    ] {
        reopened.export_to(
            format,
            path,
            &lajur_layout::PageSettings::default(),
            &lajur_core::office::Letterhead::default(),
            Lang::Id,
        );
    }
    // The Word file reads back as the SOP the clerk wrote.
    let word = lajur_ooxml::import(&std::fs::read(dir.path().join("domisili.docx")).expect("docx"))
        .expect("Lajur's own .docx imports");
    let steps = |s: &lajur_core::sop::Sop| {
        s.steps
            .iter()
            .map(|st| {
                let exits: Vec<(String, Option<usize>)> = st
                    .exits
                    .iter()
                    .map(|e| (e.label.clone(), s.step_index(&e.target)))
                    .collect();
                (st.activity.clone(), st.symbol, st.time.clone(), exits)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(steps(&word.sop), steps(&sop));
    assert_eq!(word.sop.identity.name, sop.identity.name);
    let text = std::fs::read_to_string(&toml).expect("toml written");
    let back = SopDocument::parse(&text);
    assert!(back.diagnostics.is_empty(), "{:?}", back.diagnostics);
    assert_eq!(back.sop, sop);
    assert!(text.contains("simbol = \"keputusan\"") || text.contains("ya = "));
    let doc = lopdf::Document::load(&pdf).expect("a PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let printed: String = doc
        .extract_text(&pages)
        .expect("text")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for words in [
        "PELAYANAN SURAT KETERANGAN DOMISILI",
        "05/SOP/2026",
        "Memeriksa konsep surat",
        "Staf Pelayanan",
        "Sutarno",
    ] {
        assert!(printed.contains(words), "{words} not in the PDF");
    }

    // The administrator puts it in force; new kegiatan may follow it.
    {
        let mut h = harness(&mut app);
        press(&mut h, "Tutup penyunting");
        press(&mut h, "Aktifkan");
        h.get_by_label_contains("SOP diaktifkan");
        h.get_by_label_contains("Aktif · Revisi 1");
    }
    let entry = app
        .library_entries()
        .iter()
        .find(|e| e.latest.name == "PELAYANAN SURAT KETERANGAN DOMISILI")
        .expect("in the library")
        .clone();
    assert_eq!(entry.status(), SopStatus::Active);
    let store = app.workspace().expect("ws").store();
    assert_eq!(
        store.sop_revisions(entry.sop_id).expect("revisions").len(),
        1
    );
}

#[test]
fn undo_and_redo_from_the_keyboard_a_lane_in_use_refused_and_a_revision_compared() {
    let dir = tempfile::tempdir().expect("temp");
    office(dir.path());
    let mut app = signed_in_app(dir.path());
    let bunder = app
        .library_entries()
        .iter()
        .find(|e| e.latest.name.contains("PENYEBARLUASAN"))
        .expect("bunder")
        .sop_id;
    app.select_library_sop(bunder);
    app.edit_selected_sop();
    let before = app.sop_editor_mut().expect("editor").editor().sop().clone();
    {
        let mut h = harness(&mut app);
        h.get_by_label("Ubah SOP: PENYEBARLUASAN INFORMASI MELALUI MEDIA SOSIAL");
        type_into(&mut h, Role::TextInput, "Nomor SOP", "-REV");
        h.get_by_label("Ada perubahan yang belum disimpan.");
        // Ctrl+Z takes the whole typing back (not one letter).
        h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        h.run();
    }
    assert_eq!(
        app.sop_editor_mut().expect("editor").editor().sop(),
        &before
    );
    {
        let mut h = harness(&mut app);
        h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
        h.run();
    }
    assert_eq!(
        app.sop_editor_mut()
            .expect("editor")
            .editor()
            .sop()
            .identity
            .number,
        "01/KPTS/2024-REV"
    );
    {
        // A problem clicked takes the form to its field: the Bunder SOP has no
        // approver's name yet.
        let mut h = harness(&mut app);
        h.get_by_role_and_label(Role::Button, "Langkah").click();
        h.run();
        press(
            &mut h,
            "Identitas: Nama pejabat yang mengesahkan masih kosong.",
        );
    }
    assert_eq!(
        app.sop_editor_mut().expect("editor").tab,
        lajur::ui::sop_editor::EditorTab::Identity
    );
    {
        let mut h = harness(&mut app);
        h.get_by_role_and_label(Role::Button, "Pelaksana").click();
        h.run();
        press(&mut h, "Hapus pelaksana 1");
        h.get_by_label_contains("Pelaksana ini masih dipakai kegiatan no. 1, 5, 6, 11");
        // Saving over the active SOP starts revision 2, dated today.
        press(&mut h, "Simpan");
        h.get_by_label_contains("Tersimpan sebagai draf, revisi 2");
        press(&mut h, "Tutup penyunting");
        h.get_by_label_contains("Draf · Revisi 2");
        h.get_by_label_contains("yang berlaku: Revisi 1");
        h.get_by_role_and_label(Role::Button, "Revisi").click();
        h.run();
        // The newest two are compared at once, in words.
        h.get_by_label("Revisi 1 → Revisi 2");
        h.get_by_label_contains("Nomor SOP: \"01/KPTS/2024\" → \"01/KPTS/2024-REV\"");
        h.get_by_label_contains("Tanggal revisi: 10 Januari 2024 →");
        // Revision 1 can still be shown (and printed) as it was.
        press(&mut h, "Lihat revisi 1");
        h.get_by_label("Menampilkan revisi 1");
    }
    let revisions = app
        .workspace()
        .expect("ws")
        .store()
        .sop_revisions(bunder)
        .expect("revisions");
    assert_eq!(revisions.len(), 2);
    assert_eq!(revisions[0].status, SopStatus::Active);
    assert_eq!(revisions[1].status, SopStatus::Draft);
    let revised = SopDocument::parse(&revisions[1].toml).sop;
    assert_eq!(
        revised.identity.revised,
        // The office's date (WIB by default), not the computer's.
        Some(
            lajur_core::workflow::Calendar::default()
                .local_date(lajur_records::clock::system_now())
        )
    );
    assert_eq!(revised.lanes, before.lanes);
}

/// An office's Word SOP imported in the window: it becomes a draft, never
/// active; the editor opens on it with the importer's doubts listed among
/// the problems, each taking the clerk to its field; a PDF chosen by
/// mistake is refused in words and adds nothing.
#[test]
fn a_word_sop_imported_in_the_window_opens_as_a_draft_with_its_doubts_tied_to_fields() {
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    office(&data);
    let mut app = signed_in_app(&data);
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/import/dkisp-kaltara-penerbitan-email-resmi.docx");
    app.import_sop_file(&corpus);
    assert_eq!(app.library_entries().len(), 3);
    let imported = app
        .library_entries()
        .iter()
        .find(|e| e.status() == SopStatus::Draft)
        .expect("a draft")
        .clone();
    assert!(imported.active.is_none());
    assert!(
        imported.latest.note.contains("Catatan impor"),
        "{}",
        imported.latest.note
    );
    let editor = app.sop_editor_mut().expect("the editor opens on the draft");
    assert_eq!(editor.import_notes().len(), 7);
    {
        let mut h = harness(&mut app);
        h.get_by_label_contains("Catatan impor: tebakan yang perlu diperiksa (7)");
        h.get_by_label_contains("lajur Kepala Dinas tidak punya simbol")
            .click();
        h.run();
    }
    assert_eq!(
        app.sop_editor_mut().expect("editor").tab,
        lajur::ui::sop_editor::EditorTab::Lanes
    );
    {
        let mut h = harness(&mut app);
        // The rank line dropped from the signature: a note on the approver.
        h.query_all_by_label_contains("Pembina Tingkat 1")
            .find(|n| n.accesskit_node().role() == Role::Button)
            .expect("the note is a button")
            .click();
        h.run();
    }
    assert_eq!(
        app.sop_editor_mut().expect("editor").tab,
        lajur::ui::sop_editor::EditorTab::Identity
    );

    // A PDF is not an SOP to import: said, nothing added.
    let pdf = dir.path().join("sop.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n").expect("pdf");
    drop(app);
    let mut app = signed_in_app(&data);
    app.import_sop_file(&pdf);
    assert_eq!(app.library_entries().len(), 3);
    let h = harness(&mut app);
    h.get_by_label_contains("PDF tidak dapat diimpor");
}
