//! The records, against real SQLite files and real files in a temp folder: whole
//! runs, refusals, attachments, tampering, faults and concurrent writers.

use std::path::Path;

use lajur_core::records::ChainBreak as Break;
use lajur_core::records::Refusal;
use lajur_core::sop::StepId;
use lajur_core::workflow::{Action, Allowed};
use lajur_records::{Access, NewUser, Status, Store, StoreError, User};

pub(crate) fn seed_text(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/sops/{name}",
        concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
    ))
    .expect("seed")
}

pub(crate) fn user(store: &mut Store, by: Option<&User>, name: &str, lanes: &[&str]) -> User {
    store
        .create_user(
            by,
            NewUser {
                username: name.into(),
                name: name.to_uppercase(),
                jabatan: "Staf".into(),
                lanes: lanes.iter().map(|s| s.to_string()).collect(),
                password: format!("{name}-rahasia"),
                ..NewUser::default()
            },
        )
        .expect("user created")
}

/// Runs a kegiatan to its end: whoever may act acts; the first decision says
/// its second exit (Tidak) once; drafts are attached at the first two steps of
/// `attach_lane`. Returns (steps acted, repeats).
pub(crate) fn run_to_end(
    store: &mut Store,
    users: &[User],
    id: i64,
    attach_dir: &Path,
) -> (usize, usize) {
    let mut acted = 0;
    let mut repeats = 0;
    let mut rejected = false;
    let mut attached = 0;
    while store.kegiatan(id).expect("kegiatan").status == Status::Running {
        acted += 1;
        assert!(acted < 100, "the run must end");
        let (who, choice) = users
            .iter()
            .find_map(|u| {
                store
                    .allowed(u, id)
                    .expect("allowed")
                    .first()
                    .cloned()
                    .map(|a| (u.clone(), a))
            })
            .expect("someone may act");
        if attached < 2 {
            let step = store
                .kegiatan(id)
                .expect("k")
                .current
                .expect("current")
                .step;
            let file = attach_dir.join(format!("draf-{attached}.docx"));
            std::fs::write(&file, format!("isi draf {attached}")).expect("write draft");
            store
                .attach(&who, id, &step, &file, Some("konsep"))
                .expect("attached");
            attached += 1;
        }
        let action = match choice {
            Allowed::Complete { .. } => Action::Complete,
            Allowed::Answer { .. } if !rejected => {
                rejected = true;
                Action::Answer(1)
            }
            Allowed::Answer { .. } => Action::Answer(0),
        };
        let out = store.act(&who, None, id, action, "catatan").expect("acted");
        if out.entered.as_ref().is_some_and(|(_, v)| *v > 1) {
            repeats += 1;
        }
    }
    (acted, repeats)
}

#[test]
fn each_seed_runs_start_to_end_with_two_users_a_loop_and_two_drafts() {
    for (name, lanes_a, lanes_b) in [
        (
            "bunder-penyebarluasan-informasi-medsos.toml",
            vec!["ketua", "seksi"],
            vec!["admin"],
        ),
        (
            "mojogedang-pengelolaan-website-medsos.toml",
            vec!["ppid", "bidang-pdki", "sekretaris"],
            vec!["sekretariat", "staf"],
        ),
    ] {
        let dir = tempfile::tempdir().expect("temp");
        let mut store = crate::engine::open(dir.path()).expect("opens");
        let a = user(&mut store, None, "ani", &lanes_a);
        let b = user(&mut store, Some(&a), "budi", &lanes_b);
        let id = store
            .start_kegiatan(
                &a,
                &seed_text(name),
                "Publikasi Musyawarah",
                "bahan: notulen",
            )
            .expect("started");
        let (_, repeats) = run_to_end(&mut store, &[a.clone(), b.clone()], id, dir.path());
        assert!(repeats >= 1, "{name}: the Tidak loop repeats a step");
        assert_eq!(
            store.kegiatan(id).expect("k").status,
            Status::AwaitingSignOff
        );
        let drafts = store.attachments(id).expect("attachments");
        assert_eq!(
            drafts.iter().map(|d| d.version).collect::<Vec<_>>(),
            [1, 2],
            "{name}: two versions kept"
        );
        for d in &drafts {
            assert!(store.open_attachment(d).is_ok());
        }
        assert!(matches!(store.verify_log().expect("verify"), Ok(n) if n > 10));
        assert!(
            store.act(&a, None, id, Action::Complete, "").is_err(),
            "nothing after the end"
        );
    }
}

#[test]
fn the_kegiatan_keeps_its_sop_when_the_file_changes() {
    let dir = tempfile::tempdir().expect("temp");
    let mut store = crate::engine::open(dir.path()).expect("opens");
    let a = user(&mut store, None, "ani", &["ketua", "seksi", "admin"]);
    let text = seed_text("bunder-penyebarluasan-informasi-medsos.toml");
    let id = store.start_kegiatan(&a, &text, "A", "").expect("started");
    let changed = text.replace(
        "Menyetujui materi untuk diunggah di medsos",
        "Menyetujui materi (revisi)",
    );
    let id2 = store
        .start_kegiatan(&a, &changed, "B", "")
        .expect("started");
    assert_ne!(
        store.kegiatan(id).expect("k").sop_hash,
        store.kegiatan(id2).expect("k").sop_hash
    );
    let sop = store.sop_of(id).expect("sop");
    assert!(
        sop.steps
            .iter()
            .any(|s| s.activity == "Menyetujui materi untuk diunggah di medsos")
    );
}

#[test]
fn who_may_act() {
    let dir = tempfile::tempdir().expect("temp");
    let mut store = crate::engine::open(dir.path()).expect("opens");
    let admin = user(&mut store, None, "admin", &[]);
    // Nobody works in the first step's lane yet: a kegiatan would wait for
    // ever unseen, so even the administrator cannot start one.
    let bunder = seed_text("bunder-penyebarluasan-informasi-medsos.toml");
    assert!(matches!(
        store.start_kegiatan(&admin, &bunder, "Tak terlihat", ""),
        Err(StoreError::NotAllowed(Refusal::NobodyInFirstLane))
    ));
    let ketua = user(&mut store, Some(&admin), "ketua", &["ketua"]);
    let medsos = user(&mut store, Some(&admin), "medsos", &["admin"]);
    assert!(matches!(
        store.create_user(
            Some(&ketua),
            NewUser {
                username: "x".into(),
                password: "xxxxxx".into(),
                ..NewUser::default()
            }
        ),
        Err(StoreError::NotAllowed(_))
    ));
    let id = store
        .start_kegiatan(
            &ketua,
            &seed_text("bunder-penyebarluasan-informasi-medsos.toml"),
            "A",
            "",
        )
        .expect("started");
    assert!(
        store.allowed(&medsos, id).expect("allowed").is_empty(),
        "outside the lane: no actions"
    );
    assert!(matches!(
        store.act(&medsos, None, id, Action::Complete, ""),
        Err(StoreError::Engine(_))
    ));
    assert!(matches!(
        store.act(&medsos, Some(&ketua), id, Action::Complete, ""),
        Err(StoreError::NotAllowed(_))
    ));
    // The administrator acts for the ketua; the log says so.
    store
        .act(&admin, Some(&ketua), id, Action::Complete, "atas nama")
        .expect("on behalf");
    let on_behalf: Option<i64> = store
        .connection()
        .query_row(
            "SELECT on_behalf_of FROM log WHERE kegiatan_id = ?1 AND action = 'selesai_langkah'",
            [id],
            |r| r.get(0),
        )
        .expect("row");
    assert_eq!(on_behalf, Some(ketua.id));
    assert!(matches!(
        store.authenticate("ketua", "salah"),
        Err(StoreError::BadLogin)
    ));
    assert!(store.authenticate("ketua", "ketua-rahasia").is_ok());
    // Cancelling needs a reason and an administrator.
    assert!(store.cancel(&ketua, id, "x").is_err());
    store.cancel(&admin, id, "salah input").expect("cancelled");
    assert_eq!(store.kegiatan(id).expect("k").status, Status::Cancelled);
}

#[test]
fn tasks_come_most_urgent_first() {
    let dir = tempfile::tempdir().expect("temp");
    let mut store = crate::engine::open(dir.path()).expect("opens");
    let a = user(&mut store, None, "ani", &["ketua", "seksi", "admin"]);
    let text = seed_text("bunder-penyebarluasan-informasi-medsos.toml");
    let slow = store
        .start_kegiatan(&a, &text, "lama", "")
        .expect("started");
    store.act(&a, None, slow, Action::Complete, "").expect("ok");
    store.act(&a, None, slow, Action::Complete, "").expect("ok"); // now at a 60-minute step
    let quick = store
        .start_kegiatan(&a, &text, "cepat", "")
        .expect("started"); // a 10-minute step
    let tasks = store.tasks(&a, 100).expect("tasks");
    assert_eq!(
        tasks.iter().map(|t| t.kegiatan).collect::<Vec<_>>(),
        [quick, slow]
    );
}

#[test]
fn tampering_with_the_log_is_caught() {
    let setup = |dir: &Path| {
        let mut store = crate::engine::open(dir).expect("opens");
        let a = user(&mut store, None, "ani", &["ketua", "seksi", "admin"]);
        let id = store
            .start_kegiatan(
                &a,
                &seed_text("bunder-penyebarluasan-informasi-medsos.toml"),
                "A",
                "",
            )
            .expect("ok");
        for _ in 0..3 {
            store.act(&a, None, id, Action::Complete, "").expect("ok");
        }
        assert_eq!(store.verify_log().expect("verify"), Ok(5));
    };
    // The program itself cannot edit or delete a row.
    let dir = tempfile::tempdir().expect("temp");
    setup(dir.path());
    let raw = rusqlite::Connection::open(dir.path().join("lajur.db")).expect("raw");
    assert!(
        raw.execute("UPDATE log SET note = 'x' WHERE seq = 3", [])
            .is_err()
    );
    assert!(raw.execute("DELETE FROM log WHERE seq = 3", []).is_err());
    drop(raw);

    let cases: [(&str, Break); 4] = [
        (
            "UPDATE log SET note = 'diubah' WHERE seq = 3",
            Break::Altered { seq: 3 },
        ),
        ("DELETE FROM log WHERE seq = 4", Break::Gap { seq: 5 }),
        (
            "DELETE FROM log WHERE seq = 5",
            Break::Truncated { last_seq: 4 },
        ),
        (
            "UPDATE log SET seq = 100 WHERE seq = 2; UPDATE log SET seq = 2 WHERE seq = 5; UPDATE log SET seq = 5 WHERE seq = 100",
            Break::Altered { seq: 2 },
        ),
    ];
    for (sql, expected) in cases {
        let dir = tempfile::tempdir().expect("temp");
        setup(dir.path());
        let raw = rusqlite::Connection::open(dir.path().join("lajur.db")).expect("raw");
        raw.execute_batch(
            "PRAGMA foreign_keys = OFF; DROP TRIGGER log_no_update; DROP TRIGGER log_no_delete;",
        )
        .expect("drop guards");
        raw.execute_batch(sql).expect("tamper");
        drop(raw);
        let store = crate::engine::open(dir.path()).expect("opens");
        assert_eq!(store.verify_log().expect("verify"), Err(expected), "{sql}");
    }
}

fn file_hash(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read")
}

#[test]
fn refusals_write_nothing() {
    // A database from a newer Lajur.
    let dir = tempfile::tempdir().expect("temp");
    drop(crate::engine::open(dir.path()).expect("opens"));
    let db = dir.path().join("lajur.db");
    {
        let raw = rusqlite::Connection::open(&db).expect("raw");
        raw.pragma_update(None, "journal_mode", "DELETE")
            .expect("no wal");
        raw.pragma_update(None, "user_version", 99).expect("bump");
    }
    let before = file_hash(&db);
    assert!(matches!(
        crate::engine::open(dir.path()),
        Err(StoreError::NewerVersion { found: 99, .. })
    ));
    assert_eq!(file_hash(&db), before);
    assert!(!dir.path().join("lajur.db-wal").exists());

    // A file that is not a Lajur database: another program's SQLite, or not SQLite at all.
    let dir = tempfile::tempdir().expect("temp");
    let db = dir.path().join("lajur.db");
    {
        let raw = rusqlite::Connection::open(&db).expect("raw");
        raw.execute_batch("PRAGMA application_id = 12345; CREATE TABLE x (a);")
            .expect("other db");
    }
    let before = file_hash(&db);
    assert!(matches!(
        crate::engine::open(dir.path()),
        Err(StoreError::NotLajur)
    ));
    assert_eq!(file_hash(&db), before);
    std::fs::write(&db, "ini bukan basis data").expect("write");
    assert!(matches!(
        crate::engine::open(dir.path()),
        Err(StoreError::NotLajur)
    ));
    assert_eq!(
        std::fs::read_to_string(&db).expect("read"),
        "ini bukan basis data"
    );

    // A second window on the same data; command-line writers share.
    let dir = tempfile::tempdir().expect("temp");
    let first = crate::engine::open(dir.path()).expect("opens");
    assert!(matches!(
        crate::engine::open(dir.path()),
        Err(StoreError::AlreadyRunning)
    ));
    assert!(matches!(
        crate::engine::open_with(dir.path(), Access::Shared),
        Err(StoreError::AlreadyRunning)
    ));
    drop(first);
    let a = crate::engine::open_with(dir.path(), Access::Shared).expect("shared");
    let b = crate::engine::open_with(dir.path(), Access::Shared).expect("shared too");
    drop((a, b));

    // A network share.
    assert!(matches!(
        crate::engine::open(Path::new("\\\\kantor\\data\\lajur")),
        Err(StoreError::NetworkShare)
    ));
}

#[test]
fn an_empty_or_version_zero_database_is_migrated() {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::write(dir.path().join("lajur.db"), b"").expect("empty file");
    let store = crate::engine::open(dir.path()).expect("migrates an empty file");
    assert_eq!(
        store.schema_version().expect("v"),
        lajur_records::schema::CURRENT_VERSION
    );
    drop(store);
    let dir = tempfile::tempdir().expect("temp");
    rusqlite::Connection::open(dir.path().join("lajur.db"))
        .expect("raw")
        .execute_batch("PRAGMA user_version = 0;")
        .expect("v0");
    let store = crate::engine::open(dir.path()).expect("migrates version 0");
    assert_eq!(
        store.schema_version().expect("v"),
        lajur_records::schema::CURRENT_VERSION
    );
}

#[test]
fn attachments_are_checked_and_faults_leave_nothing_dangling() {
    let dir = tempfile::tempdir().expect("temp");
    let mut store = crate::engine::open(&dir.path().join("data")).expect("opens");
    let a = user(&mut store, None, "ani", &["ketua", "seksi", "admin"]);
    let id = store
        .start_kegiatan(
            &a,
            &seed_text("bunder-penyebarluasan-informasi-medsos.toml"),
            "A",
            "",
        )
        .expect("ok");
    let source = dir.path().join("CON.docx");
    std::fs::write(&source, vec![7u8; 300_000]).expect("write");
    let step = StepId("instruksi".into());
    let att = store
        .attach(&a, id, &step, &source, None)
        .expect("attached");

    // Exported under a name Windows accepts.
    let out = tempfile::tempdir().expect("out");
    let exported = store.export_attachment(&att, out.path()).expect("exported");
    assert_eq!(
        exported.file_name().and_then(|n| n.to_str()),
        Some("lajur-CON.docx")
    );

    // Opened for reading: a read-only copy with its own name and extension,
    // never the stored original (issue "Daily use", item 5).
    let view = store.view_copy(&att).expect("a copy to open");
    assert_eq!(
        view.file_name().and_then(|n| n.to_str()),
        Some("lajur-CON.docx")
    );
    assert!(!view.starts_with(dir.path()), "outside the data folder");
    assert!(
        std::fs::metadata(&view)
            .expect("copy")
            .permissions()
            .readonly()
    );
    assert_eq!(std::fs::read(&view).expect("read"), vec![7u8; 300_000]);
    assert_eq!(store.view_copy(&att).expect("again"), view);

    // Damage is reported, never shown.
    let stored = store.open_attachment(&att).expect("intact");
    assert_ne!(stored, view);
    let mut bytes = std::fs::read(&stored).expect("read");
    bytes[1000] ^= 1;
    std::fs::write(&stored, &bytes).expect("damage");
    assert!(matches!(
        store.open_attachment(&att),
        Err(StoreError::AttachmentDamaged)
    ));
    std::fs::remove_file(&stored).expect("remove");
    assert!(matches!(
        store.open_attachment(&att),
        Err(StoreError::AttachmentMissing)
    ));

    // The N-th write, flush or rename fails: the error surfaces, no row refers to
    // a missing file, no temporary file is left behind.
    use std::sync::atomic::Ordering;
    for (which, n) in [("write", 1), ("write", 3), ("sync", 1), ("rename", 1)] {
        let faults = store.faults();
        faults.reset();
        match which {
            "write" => faults.fail_write_at.store(n, Ordering::SeqCst),
            "sync" => faults.fail_sync_at.store(n, Ordering::SeqCst),
            _ => faults.fail_rename_at.store(n, Ordering::SeqCst),
        }
        let rows_before = store.attachments(id).expect("rows").len();
        let other = dir.path().join(format!("lain-{which}-{n}.pdf"));
        std::fs::write(&other, vec![n as u8; 200_000]).expect("write");
        let err = store
            .attach(&a, id, &step, &other, None)
            .expect_err("the fault surfaces");
        assert!(
            matches!(err, StoreError::Io(ref e) if e.kind() == std::io::ErrorKind::StorageFull),
            "{which}: {err:?}"
        );
        assert_eq!(
            store.attachments(id).expect("rows").len(),
            rows_before,
            "{which}: no row for a failed file"
        );
        let leftovers: Vec<_> = walk(&dir.path().join("data").join("lampiran"))
            .into_iter()
            .filter(|p| p.to_string_lossy().contains(".masuk-"))
            .collect();
        assert!(leftovers.is_empty(), "{which}: {leftovers:?}");
    }
    for att in store.attachments(id).expect("rows").iter().skip(1) {
        assert!(store.open_attachment(att).is_ok());
    }
    assert!(store.verify_log().expect("verify").is_ok());
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn the_task_list_is_limited_to_the_most_urgent() {
    let dir = tempfile::tempdir().expect("temp");
    let mut store = crate::engine::open(dir.path()).expect("opens");
    let a = user(&mut store, None, "ani", &["ketua", "seksi", "admin"]);
    let text = seed_text("bunder-penyebarluasan-informasi-medsos.toml");
    let ids: Vec<i64> = (0..5)
        .map(|i| {
            store
                .start_kegiatan(&a, &text, &format!("k{i}"), "")
                .expect("start")
        })
        .collect();
    let page = store.tasks(&a, 3).expect("tasks");
    assert_eq!(
        page.iter().map(|t| t.kegiatan).collect::<Vec<_>>(),
        ids[..3].to_vec(),
        "oldest due first"
    );
    let outsider = user(&mut store, Some(&a), "lain", &["bukan-lane"]);
    assert!(store.tasks(&outsider, 10).expect("tasks").is_empty());
}

#[test]
fn users_are_managed_by_the_administrator_and_never_deleted_once_in_the_records() {
    use lajur_records::{Refusal, UserEdit};
    let dir = tempfile::tempdir().expect("temp");
    let mut store = crate::engine::open(dir.path()).expect("opens");
    let admin = user(&mut store, None, "admin", &[]);
    assert!(admin.is_admin, "the first user is the administrator");
    let sari = user(&mut store, Some(&admin), "sari", &["seksi"]);
    let dewi = user(&mut store, Some(&admin), "dewi", &[]);

    // Rules of names and passwords live in the store.
    let bad = |username: &str, name: &str, password: &str| NewUser {
        username: username.into(),
        name: name.into(),
        password: password.into(),
        ..NewUser::default()
    };
    for (new, refusal) in [
        (bad("dua kata", "Dua", "rahasia"), Refusal::BadUserName),
        (bad("", "Kosong", "rahasia"), Refusal::BadUserName),
        (bad("tono", " ", "rahasia"), Refusal::NameMissing),
        (bad("tono", "Tono", "12345"), Refusal::PasswordTooShort),
    ] {
        assert!(matches!(
            store.create_user(Some(&admin), new),
            Err(StoreError::NotAllowed(r)) if r == refusal
        ));
    }
    // Only an administrator manages users.
    assert!(matches!(
        store.update_user(&sari, dewi.id, UserEdit::from(&dewi)),
        Err(StoreError::NotAllowed(Refusal::AdminOnly))
    ));
    // The office keeps an active administrator.
    let mut edit = UserEdit::from(&admin);
    edit.is_admin = false;
    assert!(matches!(
        store.update_user(&admin, admin.id, edit),
        Err(StoreError::NotAllowed(Refusal::LastAdmin))
    ));
    assert!(
        store.user(admin.id).expect("admin").is_admin,
        "nothing changed"
    );

    // Lanes and roles change; the user name stays.
    let mut edit = UserEdit::from(&sari);
    edit.lanes.push(lajur_core::sop::LaneId("admin".into()));
    edit.is_signer = true;
    edit.nip = Some(" 198001012005011001 ".into());
    let sari = store.update_user(&admin, sari.id, edit).expect("updated");
    assert_eq!(sari.lanes.len(), 2);
    assert!(sari.is_signer);
    assert_eq!(sari.nip.as_deref(), Some("198001012005011001"));

    // Passwords: reset by the admin, changed by the user proving the old one.
    store
        .reset_password(&admin, sari.id, "baru-sekali")
        .expect("reset");
    assert!(store.authenticate("sari", "sari-rahasia").is_err());
    assert!(matches!(
        store.change_password(&sari, "salah", "lebih-baru"),
        Err(StoreError::BadLogin)
    ));
    store
        .change_password(&sari, "baru-sekali", "lebih-baru")
        .expect("changed");
    store
        .authenticate("sari", "lebih-baru")
        .expect("new password");

    // Someone who worked is deactivated, never deleted; someone who never
    // did anything may be deleted.
    // (The administrator may start once someone works the first lane.)
    let in_records = user(&mut store, Some(&admin), "tono", &["ketua"]);
    store
        .start_kegiatan(
            &admin,
            &seed_text("bunder-penyebarluasan-informasi-medsos.toml"),
            "A",
            "",
        )
        .expect("admin may start");
    store
        .start_kegiatan(
            &in_records,
            &seed_text("bunder-penyebarluasan-informasi-medsos.toml"),
            "B",
            "",
        )
        .expect("starts");
    assert!(matches!(
        store.delete_user(&admin, in_records.id),
        Err(StoreError::NotAllowed(Refusal::UserInRecords))
    ));
    let mut edit = UserEdit::from(&in_records);
    edit.active = false;
    store
        .update_user(&admin, in_records.id, edit)
        .expect("deactivated");
    assert!(matches!(
        store.authenticate("tono", "tono-rahasia"),
        Err(StoreError::BadLogin)
    ));
    store.delete_user(&admin, dewi.id).expect("never worked");
    assert!(store.user(dewi.id).is_err());
    let names: Vec<String> = store
        .users()
        .expect("users")
        .into_iter()
        .map(|u| u.username)
        .collect();
    assert_eq!(
        names,
        vec!["admin", "sari", "tono"],
        "active first, by name"
    );
    assert!(store.verify_log().expect("verify").is_ok());
}

#[test]
fn the_kegiatan_list_filters_and_pages_and_steps_record_who_did_them() {
    use lajur_records::KegiatanFilter;
    let dir = tempfile::tempdir().expect("temp");
    let mut store = crate::engine::open(dir.path()).expect("opens");
    let admin = user(&mut store, None, "admin", &["ketua"]);
    let sari = user(&mut store, Some(&admin), "sari", &["seksi", "admin"]);
    let bunder = seed_text("bunder-penyebarluasan-informasi-medsos.toml");
    let mojogedang = seed_text("mojogedang-pengelolaan-website-medsos.toml");
    let mut ids = Vec::new();
    for k in 0..25 {
        let title = if k % 5 == 0 {
            format!("Publikasi 100% posyandu {k}")
        } else {
            format!("Pengumuman {k}")
        };
        ids.push(
            store
                .start_kegiatan(&admin, &bunder, &title, "")
                .expect("start"),
        );
    }
    let ppid = user(&mut store, Some(&admin), "ppid", &["ppid"]);
    let m = store
        .start_kegiatan(&ppid, &mojogedang, "Berita website", "")
        .expect("start");
    // Two steps of the first: the Ketua's, then Sari's, entered by the admin
    // for her.
    store
        .act(&admin, None, ids[0], Action::Complete, "")
        .expect("act");
    store
        .act(&admin, Some(&sari), ids[0], Action::Complete, "")
        .expect("act for");
    store.cancel(&admin, ids[1], "dobel").expect("cancel");

    let all = KegiatanFilter::default();
    assert_eq!(store.count_kegiatan(&all).expect("count"), 26);
    let first = store.list_kegiatan(&all, 0, 10).expect("page");
    assert_eq!(first.len(), 10);
    assert_eq!(first[0].id, m, "newest first");
    let last = store.list_kegiatan(&all, 20, 10).expect("page");
    assert_eq!(last.len(), 6);
    assert_eq!(last.last().map(|k| k.id), Some(ids[0]));

    let count = |f: KegiatanFilter| store.count_kegiatan(&f).expect("count");
    // "%" is a character to look for, not a wildcard.
    assert_eq!(
        count(KegiatanFilter {
            text: "100%".into(),
            ..Default::default()
        }),
        5
    );
    assert_eq!(
        count(KegiatanFilter {
            text: format!("#{m}"),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        count(KegiatanFilter {
            sop: Some("PENGELOLAAN WEBSITE DAN MEDIA SOSIAL".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        count(KegiatanFilter {
            status: Some(Status::Cancelled),
            ..Default::default()
        }),
        1
    );
    // Sari did a step of one kegiatan (entered for her by the admin).
    assert_eq!(
        count(KegiatanFilter {
            person: Some(sari.id),
            ..Default::default()
        }),
        1
    );
    let today = store.calendar().local_date(store.now());
    assert_eq!(
        count(KegiatanFilter {
            from: Some(today),
            to: Some(today),
            ..Default::default()
        }),
        26
    );
    assert_eq!(
        count(KegiatanFilter {
            to: today.pred_opt(),
            ..Default::default()
        }),
        0
    );
    let events = store.step_events(ids[0]).expect("events");
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].actor_name, "ADMIN");
    assert_eq!(
        events[0].next_step,
        Some(StepId("teruskan-instruksi".into()))
    );
    assert_eq!(events[1].actor_name, "SARI");
    assert_eq!(events[1].recorded_by.as_deref(), Some("ADMIN"));
    assert!(events[1].entered_at <= events[1].done_at);
    let history = store.history(ids[0]).expect("history");
    assert_eq!(
        history.last().and_then(|r| r.on_behalf_of.clone()),
        Some("SARI".into())
    );
}

#[test]
fn a_version_one_database_is_migrated_to_the_current_schema_with_a_backup_and_keeps_its_records() {
    let dir = tempfile::tempdir().expect("temp");
    {
        let raw = rusqlite::Connection::open(dir.path().join("lajur.db")).expect("raw");
        raw.execute_batch(lajur_records::schema::MIGRATIONS[0])
            .expect("v1 schema");
        raw.execute_batch(&format!(
            "PRAGMA user_version = 1; PRAGMA application_id = {};
             INSERT INTO users (username, name, jabatan, password_hash, is_admin, is_signer, created_at)
             VALUES ('lama', 'Pengguna Lama', '', 'x', 1, 0, '2026-01-01T00:00:00Z');",
            lajur_records::schema::APPLICATION_ID
        ))
        .expect("v1 data");
    }
    let store = crate::engine::open(dir.path()).expect("migrates");
    assert_eq!(
        store.schema_version().expect("v"),
        lajur_records::schema::CURRENT_VERSION
    );
    assert_eq!(
        store.user_by_name("lama").expect("kept").name,
        "Pengguna Lama"
    );
    assert_eq!(store.step_events(1).expect("new table").len(), 0);
    let backups: Vec<String> = std::fs::read_dir(store.backup_dir())
        .expect("backups")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        backups.iter().any(|n| n.contains(&format!(
            "sebelum-migrasi-v{}",
            lajur_records::schema::CURRENT_VERSION
        ))),
        "{backups:?}"
    );
}

/// Puts a closed data folder's file back to schema 6, as that version left
/// `step_events`: the reference to the log checked at once, no index.
pub(crate) fn put_back_to_version_six(dir: &std::path::Path) {
    rusqlite::Connection::open(dir.join("lajur.db"))
        .expect("raw")
        .execute_batch(
            "BEGIN;
             CREATE TABLE step_events_v6 (
                 id INTEGER PRIMARY KEY,
                 kegiatan_id INTEGER NOT NULL REFERENCES kegiatan(id),
                 log_seq INTEGER NOT NULL REFERENCES log(seq),
                 step_id TEXT NOT NULL,
                 visit INTEGER NOT NULL,
                 lane TEXT NOT NULL,
                 actor INTEGER NOT NULL REFERENCES users(id),
                 recorded_by INTEGER REFERENCES users(id),
                 entered_at TEXT NOT NULL,
                 done_at TEXT NOT NULL,
                 answer TEXT,
                 next_step TEXT
             );
             INSERT INTO step_events_v6 SELECT * FROM step_events;
             DROP TABLE step_events;
             ALTER TABLE step_events_v6 RENAME TO step_events;
             CREATE INDEX step_events_by_kegiatan ON step_events(kegiatan_id, id);
             CREATE INDEX step_events_by_actor ON step_events(actor, kegiatan_id);
             PRAGMA user_version = 6;
             COMMIT;",
        )
        .expect("as version 6");
}

/// Schema 7 declares a step event's reference to its log row checked at
/// commit (every write asked for it before, and SQLite then compiled every
/// statement again) and indexes it: a version-6 file holding kegiatan is
/// rebuilt to it, its records and their digests as they were, and goes on.
#[test]
fn a_version_six_database_gets_its_step_events_rebuilt_and_keeps_its_records() {
    let dir = tempfile::tempdir().expect("temp");
    let bunder = seed_text("bunder-penyebarluasan-informasi-medsos.toml");
    let (id, events, head) = {
        let mut store = Store::open(dir.path()).expect("opens");
        let ani = user(&mut store, None, "ani", &["ketua", "seksi", "admin"]);
        let id = store
            .start_kegiatan(&ani, &bunder, "Publikasi Posyandu", "")
            .expect("started");
        for _ in 0..3 {
            store
                .act(&ani, None, id, Action::Complete, "")
                .expect("acted");
        }
        let events = store.step_events(id).expect("events").len();
        (id, events, store.log_head().expect("head"))
    };
    assert!(events >= 3);
    put_back_to_version_six(dir.path());

    let mut store = Store::open(dir.path()).expect("migrates");
    assert_eq!(
        store.schema_version().expect("v"),
        lajur_records::schema::CURRENT_VERSION
    );
    let (table, indexed): (String, i64) = store
        .connection()
        .query_row(
            "SELECT (SELECT sql FROM sqlite_schema WHERE name = 'step_events'),
                    (SELECT count(*) FROM sqlite_schema WHERE name = 'step_events_by_log')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("schema");
    assert!(
        table.contains("REFERENCES log(seq) DEFERRABLE INITIALLY DEFERRED"),
        "{table}"
    );
    assert_eq!(indexed, 1);
    assert_eq!(store.step_events(id).expect("events").len(), events);
    assert_eq!(store.log_head().expect("head"), head);
    let audit = store.audit(&[]).expect("audit");
    assert!(audit.ok(), "{:?}", audit.findings);

    // And goes on: the next step, the chain whole.
    let ani = store.user_by_name("ani").expect("ani");
    let action = match store.allowed(&ani, id).expect("allowed").first() {
        Some(Allowed::Answer { exit, .. }) => Action::Answer(*exit),
        _ => Action::Complete,
    };
    store
        .act(&ani, None, id, action, "")
        .expect("acted after the migration");
    assert_eq!(store.step_events(id).expect("events").len(), events + 1);
    assert!(matches!(store.verify_log().expect("verify"), Ok(n) if n > head.0));
    assert!(store.audit(&[]).expect("audit").ok());
}

/// An SOP with two starts (issue 15, item 11): the person of the second
/// start's lane begins there without being refused, the counter clerk at
/// theirs; either of two lanes records the letter.
#[test]
fn a_kegiatan_begins_at_the_start_of_its_starter() {
    let dir = tempfile::tempdir().expect("temp");
    let mut store = crate::engine::open(dir.path()).expect("opens");
    let admin = user(&mut store, None, "admin", &[]);
    let mail = user(&mut store, Some(&admin), "surel", &["email"]);
    let desk = user(&mut store, Some(&admin), "loket", &["loket"]);
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/surat-masuk.toml"
    ))
    .expect("fixture");
    let text = text.as_str();
    let by_mail = store
        .start_kegiatan(&mail, text, "Surat lewat surel", "")
        .expect("the e-mail admin may start (refused before)");
    let by_desk = store
        .start_kegiatan_at(
            &desk,
            text,
            "Surat di loket",
            "",
            Some(&StepId("langsung".into())),
        )
        .expect("the clerk starts at the counter");
    // The clerk cannot begin at the e-mail start.
    assert!(
        store
            .start_kegiatan_at(&desk, text, "Salah awal", "", Some(&StepId("surel".into())))
            .is_err()
    );
    // The e-mail start, then "catat" done by the e-mail admin alone.
    store
        .act(&mail, None, by_mail, Action::Complete, "")
        .expect("start done");
    let outcome = store
        .act(&mail, None, by_mail, Action::Complete, "dicatat")
        .expect("recorded by one lane");
    assert_eq!(
        outcome.entered.map(|(s, _)| s.0),
        Some("telaah".to_string())
    );
    store
        .act(&desk, None, by_desk, Action::Complete, "")
        .expect("start done");
}

/// The administrator sets how large a draft may be (an office keeping its
/// drafts on the server may want less than Lajur's own 200 MB): a larger one
/// is refused in words that give the limit, nothing stored; one within it
/// goes in; 0 and more than 200 MB are refused as settings.
#[test]
fn the_office_sets_the_largest_draft_a_clerk_may_attach() {
    let dir = tempfile::tempdir().expect("temp");
    let mut store = crate::engine::open(&dir.path().join("data")).expect("opens");
    let a = user(&mut store, None, "ani", &["ketua", "seksi", "admin"]);
    let mut office = store.office().office.clone();
    office.unit_name = "Bunder".into();
    office.district_name = "Patuk".into();
    office.regency_name = "Gunungkidul".into();
    office.head_name = "Pak Lurah".into();
    for wrong in [0, 201] {
        office.attachment_limit_mb = wrong;
        assert!(
            store
                .save_office(&a, &office, lajur_records::LogoChange::Keep)
                .is_err(),
            "{wrong} MB taken"
        );
    }
    office.attachment_limit_mb = 1;
    store
        .save_office(&a, &office, lajur_records::LogoChange::Keep)
        .expect("saved");
    let id = store
        .start_kegiatan(
            &a,
            &seed_text("bunder-penyebarluasan-informasi-medsos.toml"),
            "A",
            "",
        )
        .expect("ok");
    let step = StepId("instruksi".into());
    let big = dir.path().join("pindaian.pdf");
    std::fs::write(&big, vec![1u8; 1024 * 1024 + 1]).expect("write");
    let refused = store.attach(&a, id, &step, &big, None);
    let Err(e) = refused else {
        panic!("a draft above the office's limit was taken");
    };
    assert!(
        matches!(e, StoreError::AttachmentTooLarge { most, .. } if most == 1024 * 1024),
        "{e:?}"
    );
    assert!(
        e.message(lajur_core::locale::Lang::Id)
            .contains("paling besar 1 MB"),
        "{}",
        e.message(lajur_core::locale::Lang::Id)
    );
    assert!(store.attachments(id).expect("list").is_empty());
    let small = dir.path().join("surat.docx");
    std::fs::write(&small, vec![2u8; 1024 * 1024]).expect("write");
    store
        .attach(&a, id, &step, &small, None)
        .expect("within the limit");
    assert_eq!(store.attachments(id).expect("list").len(), 1);
}
