//! A forger in the test suite: what a dishonest administrator with sqlite3 and
//! the data folder would do, and for each case what catches it (`verify`, a
//! printed paper's code or QR, a backup's checkpoint). Then restores of bad
//! backups, damaged live databases, pages overwritten at random, files that
//! change while attached, and wrong passwords.

use std::path::{Path, PathBuf};

use ed25519_dalek::{Signer, SigningKey};
use lajur_core::records::{Finding, Mismatch, Refusal};
use lajur_core::workflow::Action;
use lajur_records::{Approval, NewUser, Store, StoreError, User};
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use crate::records::{run_to_end, seed_text, user};

const LURAH_PASSWORD: &str = "lurah-rahasia";

/// An office with history: an SOP in the library, three users, a kegiatan run
/// through a Tidak loop with drafts and signed off, a second one running, a
/// backup (with its checkpoint), and one more step after it.
pub(crate) struct Office {
    pub(crate) dir: tempfile::TempDir,
    qr: String,
    code: String,
}

pub(crate) fn office() -> Office {
    let dir = tempfile::tempdir().expect("temp");
    let mut store = crate::engine::open(dir.path()).expect("opens");
    let ani = user(&mut store, None, "ani", &["ketua", "seksi"]);
    let budi = user(&mut store, Some(&ani), "budi", &["admin"]);
    let lurah = store
        .create_user(
            Some(&ani),
            NewUser {
                username: "lurah".into(),
                name: "Pak Lurah".into(),
                jabatan: "Lurah Bunder".into(),
                nip: Some("197001012000031001".into()),
                is_signer: true,
                password: LURAH_PASSWORD.into(),
                ..NewUser::default()
            },
        )
        .expect("signer");
    let sop = seed_text("bunder-penyebarluasan-informasi-medsos.toml");
    store
        .import_sop(Some(&ani), &sop, "uji", true, "")
        .expect("library");
    let drafts = tempfile::tempdir().expect("drafts");
    let k1 = store
        .start_kegiatan(&ani, &sop, "Publikasi Musyawarah", "notulen")
        .expect("k1");
    run_to_end(&mut store, &[ani.clone(), budi.clone()], k1, drafts.path());
    let seal = store.sign_off(&lurah, LURAH_PASSWORD, k1).expect("sealed");
    let k2 = store
        .start_kegiatan(&ani, &sop, "Publikasi Posyandu", "")
        .expect("k2");
    store.backup_named("uji").expect("backup");
    store
        .act(&ani, None, k2, Action::Complete, "sesudah cadangan")
        .expect("acted");
    let audit = store.audit(&[]).expect("audit");
    assert!(
        audit.ok(),
        "an honest office audits clean: {:?}",
        audit.findings
    );
    assert!(audit.files >= 2 && audit.checkpoints == 1, "{audit:?}");
    Office {
        dir,
        qr: seal.qr_text(),
        code: seal.code,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A fresh copy of the office for one forgery.
pub(crate) fn copy_of(office: &Office) -> tempfile::TempDir {
    let to = tempfile::tempdir().expect("temp");
    copy_dir(office.dir.path(), to.path());
    to
}

pub(crate) fn sqlite3(dir: &Path) -> Connection {
    Connection::open(dir.join("lajur.db")).expect("raw")
}

/// The forger recomputes every hash of the chain after rewriting, and moves
/// the head, as anyone who read log.rs could.
fn rechain(conn: &Connection) {
    let rows: Vec<(lajur_records::log::Entry, String)> = {
        let mut stmt = conn
            .prepare("SELECT seq, at, actor, on_behalf_of, kegiatan_id, step_id, action, detail, note, attachments, rows FROM log ORDER BY seq")
            .expect("prepare");
        stmt.query_map([], |r| {
            Ok((
                lajur_records::log::Entry {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    on_behalf_of: r.get(3)?,
                    kegiatan_id: r.get(4)?,
                    step_id: r.get(5)?,
                    action: r.get(6)?,
                    detail: r.get(7)?,
                    note: r.get(8)?,
                    attachments: r.get(9)?,
                },
                r.get(10)?,
            ))
        })
        .expect("query")
        .map(|r| r.expect("row"))
        .collect()
    };
    let mut prev = lajur_records::log::GENESIS.to_string();
    for (e, digests) in &rows {
        let hash = lajur_records::log::row_hash(&prev, e, digests);
        conn.execute(
            "UPDATE log SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![prev, hash, e.seq],
        )
        .expect("rechain");
        prev = hash;
    }
    let last = rows.last().map(|(e, _)| e.seq).unwrap_or(0);
    conn.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'log_head'",
        [format!("{last}:{prev}")],
    )
    .expect("head");
}

pub(crate) const DROP_GUARDS: &str =
    "PRAGMA foreign_keys = OFF; DROP TRIGGER log_no_update; DROP TRIGGER log_no_delete;";
pub(crate) const RESTORE_GUARDS: &str = "
CREATE TRIGGER log_no_update BEFORE UPDATE ON log BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
CREATE TRIGGER log_no_delete BEFORE DELETE ON log BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;";

fn audit(dir: &Path) -> Vec<Finding> {
    let store = crate::engine::open(dir).expect("opens");
    store.audit(&[]).expect("audit").findings
}

#[test]
fn a_dishonest_administrator_is_caught_by_verify_papers_and_checkpoints() {
    let office = office();

    // Dropping the guards shows, even with nothing else changed.
    let d = copy_of(&office);
    sqlite3(d.path()).execute_batch(DROP_GUARDS).expect("drop");
    let found = audit(d.path());
    assert!(
        found.iter().any(|f| matches!(f, Finding::GuardMissing(_))),
        "{found:?}"
    );

    // An older row rewritten and the whole chain recomputed, guards put back:
    // the chain itself holds, but the backup's checkpoint and the printed
    // paper both disagree.
    let d = copy_of(&office);
    {
        let raw = sqlite3(d.path());
        raw.execute_batch(DROP_GUARDS).expect("drop");
        raw.execute(
            "UPDATE log SET note = 'tidak ada catatan' WHERE seq = 8",
            [],
        )
        .expect("rewrite");
        rechain(&raw);
        raw.execute_batch(RESTORE_GUARDS).expect("guards back");
    }
    let store = crate::engine::open(d.path()).expect("opens");
    assert!(store.verify_log().expect("chain").is_ok(), "re-chained");
    let found = store.audit(&[]).expect("audit").findings;
    assert!(
        found
            .iter()
            .any(|f| matches!(f, Finding::Checkpoint { missing: false, .. })),
        "{found:?}"
    );
    let paper = store.verify_code(&office.qr).expect("verify");
    assert!(paper.problems.contains(&Mismatch::LogChanged), "{paper:?}");
    assert!(!store.verify_code(&office.code).expect("verify").ok());
    drop(store);

    // The newest rows deleted and the head moved: the checkpoint names a row
    // that is gone, and the records those rows wrote are no longer vouched for.
    let d = copy_of(&office);
    {
        let raw = sqlite3(d.path());
        raw.execute_batch(DROP_GUARDS).expect("drop");
        let last: i64 = raw
            .query_row("SELECT MAX(seq) FROM log", [], |r| r.get(0))
            .expect("max");
        raw.execute("DELETE FROM log WHERE seq > ?1", [last - 3])
            .expect("delete tail");
        rechain(&raw);
        raw.execute_batch(RESTORE_GUARDS).expect("guards back");
    }
    let found = audit(d.path());
    assert!(
        found
            .iter()
            .any(|f| matches!(f, Finding::Checkpoint { missing: true, .. })),
        "{found:?}"
    );
    assert!(
        found.iter().any(|f| matches!(
            f,
            Finding::RecordChanged { .. } | Finding::RecordUnlogged { .. }
        )),
        "{found:?}"
    );

    // A key of the forger's own, the record rewritten and re-sealed: the
    // paper's code is no longer in the records ("changed since printed"),
    // and verify finds the unlogged key and the changed seal.
    let d = copy_of(&office);
    {
        let raw = sqlite3(d.path());
        let key = SigningKey::from_bytes(&[7u8; 32]);
        let public = hex(key.verifying_key().as_bytes());
        raw.execute(
            "INSERT INTO signing_keys (user_id, public_key, secret_sealed, salt, created_at)
             SELECT id, ?1, '', '', '2026-01-01T00:00:00Z' FROM users WHERE username = 'lurah'",
            [&public],
        )
        .expect("key");
        let key_id = raw.last_insert_rowid();
        raw.execute(
            "UPDATE kegiatan SET title = 'Publikasi Lain' WHERE id = 1",
            [],
        )
        .expect("title");
        let payload: String = raw
            .query_row("SELECT payload FROM seals WHERE kegiatan_id = 1", [], |r| {
                r.get(0)
            })
            .expect("payload");
        let payload = payload.replace("judul: Publikasi Musyawarah", "judul: Publikasi Lain");
        let signature = key.sign(payload.as_bytes()).to_bytes();
        let code = lajur_records::short_code(&signature);
        raw.execute(
            "UPDATE seals SET code = ?1, payload = ?2, signature = ?3, key_id = ?4 WHERE kegiatan_id = 1",
            rusqlite::params![code, payload, hex(&signature), key_id],
        )
        .expect("re-seal");
    }
    let store = crate::engine::open(d.path()).expect("opens");
    for paper in [&office.code, &office.qr] {
        let v = store.verify_code(paper).expect("verify");
        assert_eq!(v.problems, [Mismatch::UnknownCode], "{paper}");
        let said = lajur_core::locale::verification_message(&v, 420, lajur_core::locale::Lang::Id);
        assert!(said.contains("diubah sejak kertas ini dicetak"), "{said}");
    }
    let found = store.audit(&[]).expect("audit").findings;
    for table in ["signing_keys", "seals", "kegiatan"] {
        assert!(
            found.iter().any(|f| matches!(f,
                Finding::RecordUnlogged { table: t, .. } | Finding::RecordChanged { table: t, .. } if t == table)),
            "{table}: {found:?}"
        );
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn every_table_outside_the_log_is_checked_against_it() {
    let office = office();
    let cases: &[(&str, &str)] = &[
        (
            "users",
            "UPDATE users SET nip = '1' WHERE username = 'lurah'",
        ),
        (
            "user_lanes",
            "INSERT INTO user_lanes VALUES ((SELECT id FROM users WHERE username = 'budi'), 'ketua')",
        ),
        ("sop_versions", "UPDATE sop_versions SET name = 'SOP Lain'"),
        (
            "kegiatan",
            "UPDATE kegiatan SET status = 'dibatalkan' WHERE id = 2",
        ),
        (
            "current_steps",
            "UPDATE current_steps SET due_at = NULL, urgency = '~' WHERE kegiatan_id = 2",
        ),
        (
            "current_lanes",
            "UPDATE current_lanes SET done = 1 WHERE kegiatan_id = 2",
        ),
        (
            "visits",
            "UPDATE visits SET count = 1 WHERE kegiatan_id = 1",
        ),
        (
            "step_events",
            "DELETE FROM step_events WHERE id = (SELECT MAX(id) FROM step_events WHERE kegiatan_id = 1)",
        ),
        (
            "attachments",
            "UPDATE attachments SET file_name = 'lain.docx' WHERE id = 1",
        ),
        (
            "signing_keys",
            "UPDATE signing_keys SET created_at = '2020-01-01T00:00:00Z'",
        ),
        (
            "seals",
            "UPDATE seals SET signed_at = '2020-01-01T00:00:00Z'",
        ),
        (
            "office",
            "INSERT INTO office (id, settings, updated_at) VALUES (1, 'nama_unit = \"Lain\"', '2026-01-01')",
        ),
        ("sop_library", "UPDATE sop_library SET origin = 'lain'"),
        (
            "sop_revisions",
            "UPDATE sop_revisions SET status = 'diarsipkan'",
        ),
    ];
    // Every covered table has its case.
    for (table, _) in lajur_records::digest::COVERED {
        assert!(cases.iter().any(|(t, _)| t == table), "no case for {table}");
    }
    for (table, sql) in cases {
        let d = copy_of(&office);
        sqlite3(d.path()).execute_batch(sql).expect(sql);
        let found = audit(d.path());
        assert!(
            found.iter().any(|f| matches!(f,
                Finding::RecordUnlogged { table: t, .. }
                | Finding::RecordChanged { table: t, .. }
                | Finding::RecordRemoved { table: t, .. } if t == table)),
            "{table}: {found:?}"
        );
        let said = lajur_core::locale::audit_message(
            &lajur_core::records::Audit {
                findings: found,
                ..Default::default()
            },
            lajur_core::locale::Lang::Id,
        );
        assert!(said.contains("di luar Lajur"), "{said}");
    }

    // The pinned SOP text and the attachment files against their hashes.
    let d = copy_of(&office);
    sqlite3(d.path())
        .execute_batch("UPDATE sop_versions SET toml = toml || ' '")
        .expect("sop text");
    assert!(
        audit(d.path())
            .iter()
            .any(|f| matches!(f, Finding::SopTextChanged { .. }))
    );
    let d = copy_of(&office);
    let sha: String = sqlite3(d.path())
        .query_row("SELECT sha256 FROM attachments WHERE id = 1", [], |r| {
            r.get(0)
        })
        .expect("sha");
    let file = d.path().join("lampiran").join(&sha[..2]).join(&sha[2..]);
    std::fs::write(&file, b"isi yang diganti").expect("replace bytes");
    assert!(
        audit(d.path())
            .iter()
            .any(|f| matches!(f, Finding::FileChanged { kegiatan: 1, .. }))
    );
    std::fs::remove_file(&file).expect("remove");
    assert!(
        audit(d.path())
            .iter()
            .any(|f| matches!(f, Finding::FileMissing { kegiatan: 1, .. }))
    );
}

#[test]
fn nobody_becomes_a_second_pak_lurah() {
    let dir = tempfile::tempdir().expect("temp");
    let mut store = crate::engine::open(dir.path()).expect("opens");
    let admin = user(&mut store, None, "ani", &["ketua"]);
    let lurah_new = |name: &str, nip: &str, approval: Option<Approval>| NewUser {
        username: name.to_lowercase().replace(' ', ""),
        name: name.into(),
        jabatan: "Lurah Bunder".into(),
        nip: Some(nip.into()),
        is_signer: true,
        password: LURAH_PASSWORD.into(),
        approval,
        ..NewUser::default()
    };
    // The first signer needs nobody's approval.
    store
        .create_user(
            Some(&admin),
            lurah_new("Pak Lurah", "197001012000031001", None),
        )
        .expect("first signer");
    let refused = |r: Result<User, StoreError>| match r {
        Err(StoreError::NotAllowed(r)) => r,
        other => panic!("not refused: {other:?}"),
    };
    // The same name (however spaced), or the same NIP, even with approval.
    let approval = Some(Approval {
        signer: "paklurah".into(),
        password: LURAH_PASSWORD.into(),
    });
    assert_eq!(
        refused(store.create_user(Some(&admin), lurah_new("pak  LURAH", "1", approval.clone()))),
        Refusal::DuplicateSigner
    );
    assert_eq!(
        refused(store.create_user(
            Some(&admin),
            lurah_new("Pak Wakil", "1970 0101 2000 031001", approval.clone())
        )),
        Refusal::DuplicateSigner
    );
    // Another signer, or another administrator, only with the signer's password.
    assert_eq!(
        refused(store.create_user(Some(&admin), lurah_new("Pak Wakil", "2", None))),
        Refusal::SignerApprovalNeeded
    );
    let second_admin = NewUser {
        username: "admin2".into(),
        name: "Admin Dua".into(),
        is_admin: true,
        password: "sandi-rahasia".into(),
        ..NewUser::default()
    };
    assert_eq!(
        refused(store.create_user(Some(&admin), second_admin.clone())),
        Refusal::SignerApprovalNeeded
    );
    assert!(matches!(
        store.create_user(
            Some(&admin),
            NewUser {
                approval: Some(Approval {
                    signer: "paklurah".into(),
                    password: "salah".into()
                }),
                ..second_admin.clone()
            }
        ),
        Err(StoreError::NotAllowed(Refusal::ApprovalPasswordWrong))
    ));
    // A clerk made a signer by editing, too.
    let clerk = user(&mut store, Some(&admin), "budi", &["admin"]);
    let mut edit = lajur_records::UserEdit::from(&clerk);
    edit.is_signer = true;
    assert_eq!(
        refused(store.update_user(&admin, clerk.id, edit.clone())),
        Refusal::SignerApprovalNeeded
    );
    edit.approval = approval;
    store
        .update_user(&admin, clerk.id, edit)
        .expect("approved by the signer");
    let log = store.audit(&[]).expect("audit");
    assert!(log.ok(), "{:?}", log.findings);
    // The register lists who was given authority, by whom, approved by whom.
    let changes = store.authority_changes().expect("changes");
    type Said = (String, (bool, bool), (bool, bool), Option<String>);
    let said: Vec<Said> = changes
        .iter()
        .map(|c| (c.user.clone(), c.admin, c.signer, c.approved_by.clone()))
        .collect();
    assert_eq!(
        said,
        [
            ("ANI".to_string(), (false, true), (false, false), None),
            ("Pak Lurah".to_string(), (false, false), (false, true), None),
            (
                "BUDI".to_string(),
                (false, false),
                (false, true),
                Some("paklurah".to_string())
            ),
        ]
    );
    let register = store
        .register_data(
            &lajur_core::records::KegiatanFilter::default(),
            lajur_core::paperwork::RegisterRows::PerKegiatan,
        )
        .expect("register");
    assert_eq!(register.authority.len(), 3);
}

#[test]
fn restore_refuses_what_is_not_a_whole_lajur_backup_and_changes_nothing() {
    let office = office();
    let live = copy_of(&office);
    let backups = live.path().join("cadangan");
    let good = std::fs::read_dir(&backups)
        .expect("backups")
        .map(|e| e.expect("e").path())
        .find(|p| p.extension().is_some_and(|e| e == "db"))
        .expect("a backup");
    let before = std::fs::read(live.path().join("lajur.db")).expect("db");
    let refused = |backup: &Path| {
        let e = lajur_records::restore(live.path(), backup).expect_err("refused");
        assert!(matches!(e, StoreError::BackupUnusable(_)), "{e:?}");
        assert_eq!(
            std::fs::read(live.path().join("lajur.db")).expect("db"),
            before,
            "the office's records are untouched"
        );
        e
    };
    let other = tempfile::tempdir().expect("temp");
    // A foreign SQLite file that happens to have a log table.
    let foreign = other.path().join("asing.db");
    Connection::open(&foreign)
        .expect("foreign")
        .execute_batch(
            "CREATE TABLE log (seq INTEGER, hash TEXT); INSERT INTO log VALUES (1, 'x');",
        )
        .expect("foreign table");
    refused(&foreign);
    // Not SQLite at all.
    let text = other.path().join("catatan.db");
    std::fs::write(&text, "bukan basis data").expect("text");
    refused(&text);
    // From a newer Lajur.
    let newer = other.path().join("baru.db");
    std::fs::copy(&good, &newer).expect("copy");
    Connection::open(&newer)
        .expect("newer")
        .execute_batch("PRAGMA user_version = 99;")
        .expect("version");
    let e = refused(&newer);
    assert!(
        e.message(lajur_core::locale::Lang::Id)
            .contains("lebih baru")
    );
    // Cut in half.
    let cut = other.path().join("potong.db");
    let bytes = std::fs::read(&good).expect("read");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("cut");
    refused(&cut);
    // The database without the files beside it.
    let alone = other.path().join("sendiri.db");
    std::fs::copy(&good, &alone).expect("copy");
    let e = refused(&alone);
    assert!(
        e.message(lajur_core::locale::Lang::Id)
            .contains("tidak lengkap")
    );
    // The good one restores, and the records as they were are kept aside.
    let (summary, aside) = lajur_records::restore(live.path(), &good).expect("restored");
    assert_eq!(summary.kegiatan, 2);
    assert!(aside.join("lajur.db").exists());
    let store = crate::engine::open(live.path()).expect("opens");
    assert!(store.audit(&[]).expect("audit").ok());
}

#[test]
fn a_new_pc_with_only_the_backup_folder_gets_every_record_and_draft_back() {
    let office = office();
    // The old PC's disk dies; the backup folder was copied to a flash disk.
    let flash = tempfile::tempdir().expect("flash");
    copy_dir(&office.dir.path().join("cadangan"), flash.path());
    drop(office.dir);
    let backup = std::fs::read_dir(flash.path())
        .expect("flash")
        .map(|e| e.expect("e").path())
        .find(|p| p.extension().is_some_and(|e| e == "db"))
        .expect("backup");
    let new_pc = tempfile::tempdir().expect("new pc");
    let data = new_pc.path().join("lajur-data");
    lajur_records::restore(&data, &backup).expect("restored");
    let store = crate::engine::open(&data).expect("opens");
    let audit = store.audit(&[flash.path().to_path_buf()]).expect("audit");
    assert!(audit.ok(), "{:?}", audit.findings);
    let drafts = store.attachments(1).expect("drafts");
    assert!(drafts.len() >= 2);
    for d in &drafts {
        let path = store.open_attachment(d).expect("every draft opens");
        assert!(std::fs::metadata(path).is_ok());
    }
    assert!(store.seal_of(1).expect("seal").is_some());
}

#[test]
fn a_damaged_live_database_is_refused_before_any_write_and_restored_from_the_last_good_backup() {
    let office = office();
    let live = copy_of(&office);
    let db = live.path().join("lajur.db");
    // A page of records overwritten (a bad sector, a crash mid-write): the
    // middle one of the log's, wherever the file's layout put it.
    let page: usize = rusqlite::Connection::open(&db)
        .expect("raw")
        .query_row(
            "SELECT pageno FROM dbstat WHERE name = 'log' AND pagetype = 'leaf'
             ORDER BY pageno LIMIT 1
             OFFSET (SELECT count(*) / 2 FROM dbstat WHERE name = 'log' AND pagetype = 'leaf')",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| 4096 * (n as usize - 1))
        .expect("a page of the log");
    let mut bytes = std::fs::read(&db).expect("db");
    for b in &mut bytes[page + 100..page + 4000] {
        *b = 0xA5;
    }
    std::fs::write(&db, &bytes).expect("damage");
    // Opening reads; the first write finds the damage and writes nothing.
    let e = match crate::engine::open(live.path()) {
        Err(e) => e,
        Ok(mut store) => {
            let ani = store.user_by_name("ani");
            let refused = match ani {
                Ok(ani) => store
                    .start_kegiatan(
                        &ani,
                        &seed_text("bunder-penyebarluasan-informasi-medsos.toml"),
                        "Baru",
                        "",
                    )
                    .expect_err("no write into a damaged file"),
                Err(e) => e,
            };
            assert!(!store.audit(&[]).expect("audit").ok(), "verify sees it");
            refused
        }
    };
    let StoreError::Damaged {
        latest_good_backup: Some(backup),
    } = &e
    else {
        panic!("{e:?}");
    };
    assert_eq!(std::fs::read(&db).expect("db"), bytes, "nothing written");
    let said = e.message(lajur_core::locale::Lang::Id);
    assert!(
        said.contains("lajur backup --restore") && said.contains("Catatan rusak"),
        "{said}"
    );
    lajur_records::restore(live.path(), backup).expect("restored");
    assert!(
        crate::engine::open(live.path())
            .expect("opens")
            .audit(&[])
            .expect("audit")
            .ok()
    );
}

/// A small deterministic generator (no randomness crate needed).
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

fn dump(dir: &Path) -> Vec<String> {
    let conn = Connection::open_with_flags(
        dir.join("lajur.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("open");
    let mut out = Vec::new();
    for (table, _) in lajur_records::digest::COVERED
        .iter()
        .chain(&[("log", "seq")])
    {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table}"))
            .expect("select");
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).map(|v| format!("{v:?}"))))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .expect("rows");
        out.extend(rows.map(|r| format!("{table}: {}", r.expect("row"))));
    }
    out
}

#[test]
fn a_page_overwritten_at_random_is_never_called_intact_nor_written_into() {
    let office = office();
    let original = copy_of(&office);
    let expected = dump(original.path());
    let pristine = std::fs::read(original.path().join("lajur.db")).expect("db");
    let pages = pristine.len() / 4096;
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let (mut refused, mut caught, mut harmless) = (0, 0, 0);
    for _ in 0..100 {
        let d = tempfile::tempdir().expect("temp");
        let page = (next(&mut seed) as usize) % pages;
        let mut bytes = pristine.clone();
        for b in &mut bytes[page * 4096..(page + 1) * 4096] {
            *b = next(&mut seed) as u8;
        }
        std::fs::write(d.path().join("lajur.db"), &bytes).expect("write");
        // A shared PC's file sits beside where its records are shared.
        let shared = original.path().join(lajur_records::journal::Shared::FILE);
        if shared.exists() {
            std::fs::copy(&shared, d.path().join(lajur_records::journal::Shared::FILE))
                .expect("copy");
        }
        let hash = Sha256::digest(&bytes);
        match crate::engine::open_with(d.path(), lajur_records::Access::Shared) {
            Err(_) => {
                refused += 1;
                let now = std::fs::read(d.path().join("lajur.db")).expect("db");
                assert_eq!(Sha256::digest(&now), hash, "page {page}: written into");
            }
            Ok(mut store) => {
                let audit = store.audit(&[]).expect("audit");
                // A write is refused unless the file is whole.
                let wrote = store
                    .user_by_name("ani")
                    .and_then(|ani| store.record_export(&ani, None, "uji", "-"))
                    .is_ok();
                drop(store);
                if audit.ok() {
                    // Only a page nothing lives on (free, or slack) can be
                    // overwritten without the records changing.
                    assert_eq!(dump(d.path()), expected, "page {page}: called intact");
                    harmless += 1;
                } else {
                    assert!(!wrote, "page {page}: written into a damaged file");
                    let now = std::fs::read(d.path().join("lajur.db")).expect("db");
                    assert_eq!(Sha256::digest(&now), hash, "page {page}: written into");
                    caught += 1;
                }
            }
        }
    }
    eprintln!(
        "100 pages overwritten: {refused} refused at opening, {caught} caught by verify, {harmless} harmless"
    );
    assert!(refused + caught > 50);
}

#[test]
fn foreign_and_newer_databases_are_refused_even_with_the_schema_in_the_wal() {
    // An ordinary SQLite file of another program.
    let d = tempfile::tempdir().expect("temp");
    Connection::open(d.path().join("lajur.db"))
        .expect("raw")
        .execute_batch("CREATE TABLE penduduk (nik TEXT); INSERT INTO penduduk VALUES ('3301');")
        .expect("foreign");
    let before = std::fs::read(d.path().join("lajur.db")).expect("db");
    assert!(matches!(
        crate::engine::open(d.path()),
        Err(StoreError::NotLajur)
    ));
    assert_eq!(
        std::fs::read(d.path().join("lajur.db")).expect("db"),
        before
    );

    // A newer schema that is still in the WAL (the header says otherwise).
    let d = tempfile::tempdir().expect("temp");
    drop(crate::engine::open(d.path()).expect("creates"));
    let newer = Connection::open(d.path().join("lajur.db")).expect("raw");
    newer
        .execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; PRAGMA user_version = 99;",
        )
        .expect("newer in wal");
    assert!(d.path().join("lajur.db-wal").exists());
    assert!(matches!(
        crate::engine::open_with(d.path(), lajur_records::Access::Shared),
        Err(StoreError::NewerVersion { found: 99, .. })
    ));
    drop(newer);
}

#[test]
fn a_file_that_changes_while_attached_is_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().expect("temp");
    let mut store = crate::engine::open(dir.path()).expect("opens");
    let ani = user(&mut store, None, "ani", &["ketua", "seksi"]);
    let sop = seed_text("bunder-penyebarluasan-informasi-medsos.toml");
    let k = store.start_kegiatan(&ani, &sop, "Uji", "").expect("k");
    let step = store.kegiatan(k).expect("k").current.expect("current").step;
    let file = dir.path().join("draf.docx");
    for (what, change) in [("grows", true), ("shrinks", false)] {
        std::fs::write(&file, vec![b'x'; 300_000]).expect("draft");
        let path = file.clone();
        *store.faults().during_copy.lock().expect("hook") = Some(Box::new(move || {
            if change {
                use std::io::Write;
                let mut f = std::fs::OpenOptions::new()
                    .append(true)
                    .open(&path)
                    .expect("open");
                f.write_all(&[b'y'; 100_000]).expect("grow");
            } else {
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(&path)
                    .expect("open")
                    .set_len(1000)
                    .expect("shrink");
            }
        }));
        let e = store.attach(&ani, k, &step, &file, None).expect_err(what);
        assert!(matches!(e, StoreError::AttachmentChanging), "{what}: {e:?}");
        assert!(
            store.attachments(k).expect("rows").is_empty(),
            "{what}: no row"
        );
        let stored: Vec<PathBuf> = walk(&dir.path().join("lampiran"));
        assert!(stored.is_empty(), "{what}: no file left: {stored:?}");
    }
    // Left alone, the same file attaches.
    store.attach(&ani, k, &step, &file, None).expect("attached");
    // A step the SOP does not have, even for an administrator.
    assert!(matches!(
        store.attach(
            &ani,
            k,
            &lajur_core::sop::StepId("../../../../tmp/evil".into()),
            &file,
            None
        ),
        Err(StoreError::NoSuchStep)
    ));
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.path().is_dir() {
                out.extend(walk(&e.path()));
            } else {
                out.push(e.path());
            }
        }
    }
    out
}

#[test]
fn wrong_passwords_are_logged_and_slow_the_next_try() {
    let dir = tempfile::tempdir().expect("temp");
    let mut store = crate::engine::open(dir.path()).expect("opens");
    user(&mut store, None, "ani", &["ketua"]);
    store.clock().set_fixed(lajur_records::clock::system_now());
    for _ in 0..3 {
        assert!(matches!(
            store.authenticate("ani", "salah"),
            Err(StoreError::BadLogin)
        ));
    }
    // Now even the right password waits.
    let e = store.authenticate("ani", "ani-rahasia").expect_err("waits");
    assert!(
        matches!(e, StoreError::TooManyAttempts { seconds } if seconds >= 1),
        "{e:?}"
    );
    assert!(e.message(lajur_core::locale::Lang::Id).contains("Tunggu"));
    store.clock().shift(chrono::Duration::seconds(2));
    store
        .authenticate("ani", "ani-rahasia")
        .expect("after the wait");
    // An unknown name is refused the same way, and counted the same way.
    for _ in 0..3 {
        assert!(matches!(
            store.authenticate("tidak-ada", "x"),
            Err(StoreError::BadLogin)
        ));
    }
    assert!(matches!(
        store.authenticate("tidak-ada", "x"),
        Err(StoreError::TooManyAttempts { .. })
    ));
    let logged: i64 = store
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM log WHERE action = 'sandi_salah'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(logged, 6);
    assert!(store.audit(&[]).expect("audit").ok());
}

#[test]
fn a_read_only_copy_of_the_data_is_checked_where_it_is() {
    let office = office();
    let copy = Store::open_for_checking(office.dir.path()).expect("copy");
    let audit = copy.store.audit(&[]).expect("audit");
    assert!(
        audit.ok() && audit.files >= 2 && audit.checkpoints == 1,
        "{audit:?}"
    );
}
