//! The records, against real SQLite files and real files in a temp folder: whole
//! runs, refusals, attachments, tampering, faults and concurrent writers.

use std::path::Path;

use lajur::sop::StepId;
use lajur::store::log::Break;
use lajur::store::{Access, NewUser, Status, Store, StoreError, User};
use lajur::workflow::{Action, Allowed};

fn seed_text(name: &str) -> String {
    std::fs::read_to_string(format!("{}/sops/{name}", env!("CARGO_MANIFEST_DIR"))).expect("seed")
}

fn user(store: &mut Store, by: Option<&User>, name: &str, lanes: &[&str]) -> User {
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
fn run_to_end(store: &mut Store, users: &[User], id: i64, attach_dir: &Path) -> (usize, usize) {
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
        let mut store = Store::open(dir.path()).expect("opens");
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
    let mut store = Store::open(dir.path()).expect("opens");
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
    let mut store = Store::open(dir.path()).expect("opens");
    let admin = user(&mut store, None, "admin", &[]);
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
    let mut store = Store::open(dir.path()).expect("opens");
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
        let mut store = Store::open(dir).expect("opens");
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
        let store = Store::open(dir.path()).expect("opens");
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
    drop(Store::open(dir.path()).expect("opens"));
    let db = dir.path().join("lajur.db");
    {
        let raw = rusqlite::Connection::open(&db).expect("raw");
        raw.pragma_update(None, "journal_mode", "DELETE")
            .expect("no wal");
        raw.pragma_update(None, "user_version", 99).expect("bump");
    }
    let before = file_hash(&db);
    assert!(matches!(
        Store::open(dir.path()),
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
    assert!(matches!(Store::open(dir.path()), Err(StoreError::NotLajur)));
    assert_eq!(file_hash(&db), before);
    std::fs::write(&db, "ini bukan basis data").expect("write");
    assert!(matches!(Store::open(dir.path()), Err(StoreError::NotLajur)));
    assert_eq!(
        std::fs::read_to_string(&db).expect("read"),
        "ini bukan basis data"
    );

    // A second window on the same data; command-line writers share.
    let dir = tempfile::tempdir().expect("temp");
    let first = Store::open(dir.path()).expect("opens");
    assert!(matches!(
        Store::open(dir.path()),
        Err(StoreError::AlreadyRunning)
    ));
    assert!(matches!(
        Store::open_with(dir.path(), Access::Shared),
        Err(StoreError::AlreadyRunning)
    ));
    drop(first);
    let a = Store::open_with(dir.path(), Access::Shared).expect("shared");
    let b = Store::open_with(dir.path(), Access::Shared).expect("shared too");
    drop((a, b));

    // A network share.
    assert!(matches!(
        Store::open(Path::new("\\\\kantor\\data\\lajur")),
        Err(StoreError::NetworkShare)
    ));
}

#[test]
fn an_empty_or_version_zero_database_is_migrated() {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::write(dir.path().join("lajur.db"), b"").expect("empty file");
    let store = Store::open(dir.path()).expect("migrates an empty file");
    assert_eq!(
        store.schema_version().expect("v"),
        lajur::store::schema::CURRENT_VERSION
    );
    drop(store);
    let dir = tempfile::tempdir().expect("temp");
    rusqlite::Connection::open(dir.path().join("lajur.db"))
        .expect("raw")
        .execute_batch("PRAGMA user_version = 0;")
        .expect("v0");
    let store = Store::open(dir.path()).expect("migrates version 0");
    assert_eq!(
        store.schema_version().expect("v"),
        lajur::store::schema::CURRENT_VERSION
    );
}

#[test]
fn attachments_are_checked_and_faults_leave_nothing_dangling() {
    let dir = tempfile::tempdir().expect("temp");
    let mut store = Store::open(&dir.path().join("data")).expect("opens");
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

    // Damage is reported, never shown.
    let stored = store.open_attachment(&att).expect("intact");
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
fn two_processes_writing_at_once_lose_nothing() {
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    let lajur = env!("CARGO_BIN_EXE_lajur");
    let run = |args: &[&str], password: &str| {
        let out = std::process::Command::new(lajur)
            .arg("--data")
            .arg(&data)
            .args(args)
            .env("LAJUR_PASSWORD", password)
            .env("LAJUR_NEW_PASSWORD", "rahasia1")
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run(
        &[
            "user-add",
            "--username",
            "ani",
            "--name",
            "Ani",
            "--lanes",
            "ketua,seksi,admin",
        ],
        "",
    );
    let sop = format!(
        "{}/sops/bunder-penyebarluasan-informasi-medsos.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let data = data.clone();
            let sop = sop.clone();
            std::thread::spawn(move || {
                for i in 0..6 {
                    let out = std::process::Command::new(lajur)
                        .arg("--data")
                        .arg(&data)
                        .args([
                            "start",
                            "--sop",
                            &sop,
                            "--title",
                            &format!("w{w}-{i}"),
                            "--as",
                            "ani",
                        ])
                        .env("LAJUR_PASSWORD", "rahasia1")
                        .output()
                        .expect("runs");
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stdout)
                    );
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer finished");
    }
    let store = Store::open(&data).expect("opens");
    let count: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM kegiatan", [], |r| r.get(0))
        .expect("count");
    assert_eq!(count, 12, "every start is there");
    assert_eq!(store.verify_log().expect("verify"), Ok(13));
}

#[test]
fn the_task_list_is_limited_to_the_most_urgent() {
    let dir = tempfile::tempdir().expect("temp");
    let mut store = Store::open(dir.path()).expect("opens");
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

/// The "done when", from the command line: a whole kegiatan of the Bunder
/// SOP with two users, one rejection loop and two drafts; the log verifies; a
/// planted edit is caught; a backup restores the records as they were.
#[test]
fn a_whole_kegiatan_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    let lajur = |args: &[&str], password: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_lajur"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .arg("--data")
            .arg(&data)
            .args(args)
            .env("LAJUR_PASSWORD", password)
            .env(
                "LAJUR_NEW_PASSWORD",
                if args.contains(&"admin1") {
                    "sandi-dua"
                } else {
                    "sandi-satu"
                },
            )
            .output()
            .expect("runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let ok = |r: (i32, String)| {
        assert_eq!(r.0, 0, "{}", r.1);
        r.1
    };
    ok(lajur(
        &[
            "user-add",
            "--username",
            "pak",
            "--name",
            "Pak Lurah",
            "--lanes",
            "ketua,seksi",
            "--signer",
        ],
        "",
    ));
    ok(lajur(
        &[
            "user-add",
            "--as",
            "pak",
            "--username",
            "admin1",
            "--name",
            "Admin Medsos",
            "--lanes",
            "admin",
        ],
        "sandi-satu",
    ));
    assert!(
        ok(lajur(
            &[
                "start",
                "--sop",
                "sops/bunder-penyebarluasan-informasi-medsos.toml",
                "--title",
                "Publikasi Musyawarah",
                "--as",
                "pak"
            ],
            "sandi-satu"
        ))
        .contains("nomor 1")
    );
    let draft = dir.path().join("konsep.docx");
    let pak = |args: &[&str]| ok(lajur(args, "sandi-satu"));
    let admin = |args: &[&str]| ok(lajur(args, "sandi-dua"));
    pak(&["act", "1", "--as", "pak"]);
    pak(&["act", "1", "--as", "pak"]);
    assert!(admin(&["tasks", "--as", "admin1"]).contains("olah-materi"));
    std::fs::write(&draft, "konsep pertama").expect("draft");
    admin(&[
        "attach",
        "1",
        "--step",
        "olah-materi",
        "--file",
        draft.to_str().expect("path"),
        "--as",
        "admin1",
    ]);
    admin(&["act", "1", "--as", "admin1"]);
    assert!(
        pak(&[
            "act",
            "1",
            "--as",
            "pak",
            "--answer",
            "Tidak",
            "--note",
            "perbaiki judul"
        ])
        .contains("olah-materi (2)")
    );
    std::fs::write(&draft, "konsep kedua").expect("draft");
    admin(&[
        "attach",
        "1",
        "--step",
        "olah-materi",
        "--file",
        draft.to_str().expect("path"),
        "--as",
        "admin1",
    ]);
    admin(&["act", "1", "--as", "admin1"]);
    pak(&["act", "1", "--as", "pak", "--answer", "Ya"]);
    pak(&["act", "1", "--as", "pak", "--answer", "Ya"]);
    pak(&["act", "1", "--as", "pak"]);
    pak(&["act", "1", "--as", "pak"]);
    admin(&["act", "1", "--as", "admin1"]);
    admin(&["act", "1", "--as", "admin1"]);
    pak(&["act", "1", "--as", "pak"]);
    assert!(pak(&["act", "1", "--as", "pak"]).contains("menunggu pengesahan"));
    assert!(ok(lajur(&["verify"], "")).contains("utuh"));
    let backup = ok(lajur(&["backup"], ""));
    let backup_path = backup.trim().rsplit(' ').next().expect("path").to_string();

    // A planted edit behind the program's back.
    {
        let raw = rusqlite::Connection::open(data.join("lajur.db")).expect("raw");
        raw.execute_batch(
            "DROP TRIGGER log_no_update; UPDATE log SET note = 'tidak ada catatan' WHERE seq = 8;",
        )
        .expect("tamper");
    }
    let (code, out) = lajur(&["verify"], "");
    assert_eq!(code, 1);
    assert!(out.contains("baris 8"), "{out}");

    // The checked backup brings the records back.
    ok(lajur(&["backup", "--restore", &backup_path], ""));
    assert!(ok(lajur(&["verify"], "")).contains("utuh"));
    // A wrong password is refused, and the error says so plainly.
    let (code, out) = lajur(&["tasks", "--as", "pak"], "salah");
    assert_eq!(code, 1);
    assert!(out.contains("kata sandi salah"), "{out}");
}
