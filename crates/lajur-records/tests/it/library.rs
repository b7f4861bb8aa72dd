//! The SOP library on real records: import, drafts, revisions, activation and
//! archiving with notes, who may do what, kegiatan pinned to the revision they
//! started with, and the plain comparison of two revisions.

use lajur_core::editor::{Difference, Edit, Editor, IdentityField, StepField, StepPart, compare};
use lajur_core::sop::BUNDLED;
use lajur_core::sop::format::{read, write};
use lajur_records::{NewUser, Refusal, SopStatus, Store, StoreError, User};

fn office(dir: &std::path::Path) -> (Store, User, User) {
    let mut store = crate::engine::open(dir).expect("opens");
    let admin = store
        .create_user(
            None,
            NewUser {
                username: "admin".into(),
                name: "Pak Admin".into(),
                lanes: vec!["ketua".into(), "seksi".into(), "admin".into()],
                password: "admin-rahasia".into(),
                ..NewUser::default()
            },
        )
        .expect("admin");
    let clerk = store
        .create_user(
            Some(&admin),
            NewUser {
                username: "sari".into(),
                name: "Sari".into(),
                password: "sari-rahasia".into(),
                ..NewUser::default()
            },
        )
        .expect("clerk");
    (store, admin, clerk)
}

fn log_rows(store: &Store) -> i64 {
    store
        .connection()
        .query_row("SELECT COUNT(*) FROM log", [], |r| r.get(0))
        .expect("count")
}

#[test]
fn revisions_draft_activate_supersede_and_archive_with_notes() {
    let dir = tempfile::tempdir().expect("temp");
    let (mut store, admin, clerk) = office(dir.path());
    assert!(store.library_is_empty().expect("empty"));
    let id = store
        .import_sop(None, BUNDLED[0].1, "bawaan:bunder", true, "")
        .expect("imported");
    let broken = store
        .import_sop(
            Some(&admin),
            "[identitas\nnama_sop = ",
            "impor:rusak.toml",
            true,
            "diimpor dari rusak.toml",
        )
        .expect("kept as a draft");
    assert!(!store.library_is_empty().expect("not empty"));
    let library = store.library().expect("library");
    assert_eq!(library.len(), 2);
    let bunder = library.iter().find(|e| e.sop_id == id).expect("bunder");
    assert_eq!(bunder.status(), SopStatus::Active);
    assert_eq!(bunder.latest.number, "01/KPTS/2024");
    assert!(!bunder.latest.has_errors);
    let rusak = library.iter().find(|e| e.sop_id == broken).expect("broken");
    assert_eq!(rusak.latest.note, "diimpor dari rusak.toml");
    assert_eq!(
        rusak.status(),
        SopStatus::Draft,
        "an SOP with errors is never active"
    );
    assert!(rusak.latest.has_errors);

    // Editing the active SOP makes revision 2, a draft; revision 1 stays in force.
    let mut editor = Editor::new(read(BUNDLED[0].1).0);
    editor
        .apply(Edit::SetStep(2, StepField::Time, "45 Menit".into()))
        .expect("edit");
    let revised = store
        .save_sop(&clerk, Some(id), &write(editor.sop()))
        .expect("saved");
    assert_eq!((revised.revision, revised.status), (2, SopStatus::Draft));
    assert_eq!(revised.saved_by, "Sari");
    let entry = store
        .library()
        .expect("library")
        .into_iter()
        .find(|e| e.sop_id == id)
        .expect("entry");
    assert_eq!(entry.active.as_ref().map(|r| r.revision), Some(1));
    assert_eq!(entry.revisions, 2);
    // Saving the draft again rewrites it: still two revisions.
    editor
        .apply(Edit::SetIdentity(
            IdentityField::Number,
            "01/KPTS/2025".into(),
        ))
        .expect("edit");
    let again = store
        .save_sop(&clerk, Some(id), &write(editor.sop()))
        .expect("saved");
    assert_eq!((again.revision, again.id), (2, revised.id));
    assert_eq!(store.sop_revisions(id).expect("revisions").len(), 2);

    // A clerk may write drafts but not put them in force.
    assert!(matches!(
        store.activate_sop(&clerk, id, "disetujui"),
        Err(StoreError::NotAllowed(Refusal::SopApproverOnly))
    ));
    assert!(matches!(
        store.activate_sop(&admin, broken, ""),
        Err(StoreError::SopInvalid)
    ));
    let active = store
        .activate_sop(&admin, id, "Waktu telaah diperpanjang")
        .expect("activated");
    assert_eq!((active.revision, active.status), (2, SopStatus::Active));
    assert_eq!(active.note, "Waktu telaah diperpanjang");
    let revisions = store.sop_revisions(id).expect("revisions");
    assert_eq!(revisions[0].status, SopStatus::Superseded);
    assert_eq!(revisions[1].status, SopStatus::Active);
    // Earlier revisions stay readable, as their own text.
    assert_eq!(revisions[0].toml, BUNDLED[0].1);

    // Archiving needs a note; nothing is deleted.
    let before = log_rows(&store);
    assert!(matches!(
        store.archive_sop(&admin, id, "  "),
        Err(StoreError::NotAllowed(Refusal::NoteRequired))
    ));
    assert_eq!(log_rows(&store), before);
    store
        .archive_sop(&admin, id, "Diganti SOP baru")
        .expect("archived");
    let revisions = store.sop_revisions(id).expect("revisions");
    assert_eq!(revisions.len(), 2);
    assert_eq!(revisions[1].status, SopStatus::Archived);
    assert_eq!(revisions[1].note, "Diganti SOP baru");
    assert_eq!(log_rows(&store), before + 1);
    assert!(store.verify_log().expect("verify").is_ok());
}

#[test]
fn a_new_sop_is_a_draft_and_kegiatan_keep_the_revision_they_started_with() {
    let dir = tempfile::tempdir().expect("temp");
    let (mut store, admin, _) = office(dir.path());
    let first = store.save_sop(&admin, None, BUNDLED[0].1).expect("saved");
    assert_eq!((first.revision, first.status), (1, SopStatus::Draft));
    store
        .activate_sop(&admin, first.sop_id, "")
        .expect("active");
    let kegiatan = store
        .start_kegiatan(&admin, &first.toml, "Publikasi", "")
        .expect("started");
    // A revision changes the SOP's first step's time; the running kegiatan
    // still follows revision 1's text.
    let changed = first
        .toml
        .replacen("waktu = \"10 Menit\"", "waktu = \"1 Jam\"", 1);
    assert_ne!(changed, first.toml);
    store
        .save_sop(&admin, Some(first.sop_id), &changed)
        .expect("revised");
    store
        .activate_sop(&admin, first.sop_id, "revisi")
        .expect("active");
    let sop = store.sop_of(kegiatan).expect("sop");
    assert_eq!(sop.steps[0].time, "10 Menit");
    let later = store
        .start_kegiatan(&admin, &changed, "Publikasi 2", "")
        .expect("started");
    assert_eq!(store.sop_of(later).expect("sop").steps[0].time, "1 Jam");
}

#[test]
fn a_plain_comparison_says_what_changed() {
    let old = read(BUNDLED[0].1).0;
    let mut editor = Editor::new(old.clone());
    editor
        .apply(Edit::SetIdentity(
            IdentityField::Number,
            "02/KPTS/2025".into(),
        ))
        .expect("edit");
    editor
        .apply(Edit::ListInsert(
            lajur_core::editor::ListField::Equipment,
            0,
            "Printer".into(),
        ))
        .expect("edit");
    editor
        .apply(Edit::AddLane("Operator".into()))
        .expect("lane");
    editor
        .apply(Edit::RenameLane(0, "Ketua PPID Kalurahan".into()))
        .expect("rename");
    editor.apply(Edit::InsertStep(3)).expect("insert");
    editor
        .apply(Edit::SetStep(
            3,
            StepField::Activity,
            "Memeriksa ejaan".into(),
        ))
        .expect("edit");
    editor
        .apply(Edit::SetStep(6, StepField::Time, "20 Menit".into()))
        .expect("edit");
    editor.apply(Edit::DeleteStep(10)).expect("delete");
    let diff = compare(&old, editor.sop());
    assert!(diff.contains(&Difference::Identity {
        field: IdentityField::Number,
        old: "01/KPTS/2024".into(),
        new: "02/KPTS/2025".into(),
    }));
    assert!(diff.contains(&Difference::List {
        field: lajur_core::editor::ListField::Equipment,
        added: vec!["Printer".into()],
        removed: vec![],
    }));
    assert!(diff.contains(&Difference::LaneAdded("Operator".into())));
    assert!(diff.contains(&Difference::LaneRenamed {
        old: "Ketua PPID".into(),
        new: "Ketua PPID Kalurahan".into(),
    }));
    assert!(diff.contains(&Difference::StepAdded {
        number: "4".into(),
        activity: "Memeriksa ejaan".into(),
    }));
    assert!(
        diff.iter()
            .any(|d| matches!(d, Difference::StepRemoved { number, .. } if number == "10"))
    );
    assert!(diff.iter().any(|d| matches!(d,
        Difference::StepChanged { parts, .. } if parts.contains(&StepPart::Field(StepField::Time)))));
    assert!(compare(&old, &old).is_empty());
}
