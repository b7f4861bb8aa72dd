//! Killing the program at random points while it writes loses nothing that was
//! acknowledged, and leaves nothing half-written: database, log and files agree.
//!
//! The test runs this same test binary as a worker process (the `worker` test,
//! which does nothing unless LAJUR_CRASH_WORKER names a data folder), kills it
//! with SIGKILL at random moments, and checks the records after each round.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use lajur_core::workflow::{Action, Allowed};
use lajur_records::{Access, NewUser, Status};

const SOP: &str = include_str!("../../../../sops/bunder-penyebarluasan-informasi-medsos.toml");

#[test]
fn worker() {
    let Ok(dir) = std::env::var("LAJUR_CRASH_WORKER") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let mut store = crate::engine::open_with(&dir, Access::Shared).expect("worker opens");
    let ani = store.user_by_name("ani").expect("user");
    let draft = dir.join("draf-kerja.txt");
    let mut n: u64 = 0;
    loop {
        n += 1;
        let running: Option<i64> = store
            .connection()
            .query_row(
                "SELECT id FROM kegiatan WHERE status = 'berjalan' ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .ok();
        let id = match running {
            Some(id) => id,
            None => store
                .start_kegiatan(&ani, SOP, &format!("kegiatan {n}"), "")
                .expect("start"),
        };
        if n.is_multiple_of(7) {
            std::fs::write(&draft, format!("draf nomor {n}").repeat(2000)).expect("draft");
            let step = store
                .kegiatan(id)
                .expect("k")
                .current
                .expect("current")
                .step;
            store
                .attach(&ani, id, &step, &draft, Some("draf"))
                .expect("attach");
        } else {
            let action = match store.allowed(&ani, id).expect("allowed").first() {
                Some(Allowed::Answer { exit, .. }) => {
                    Action::Answer(if n.is_multiple_of(3) { 1 } else { *exit })
                }
                _ => Action::Complete,
            };
            store.act(&ani, None, id, action, "").expect("act");
        }
        // Acknowledged only after the commit returned.
        let (seq, hash): (i64, String) = store
            .connection()
            .query_row(
                "SELECT seq, hash FROM log ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("head");
        println!("ack {seq} {hash}");
    }
}

#[test]
fn kills_at_random_points_lose_nothing_acknowledged() {
    let dir = tempfile::tempdir().expect("temp");
    {
        let mut store = crate::engine::open(dir.path()).expect("opens");
        store
            .create_user(
                None,
                NewUser {
                    username: "ani".into(),
                    name: "Ani".into(),
                    lanes: vec!["ketua".into(), "seksi".into(), "admin".into()],
                    password: "rahasia".into(),
                    ..NewUser::default()
                },
            )
            .expect("user");
    }
    let exe = std::env::current_exe().expect("test binary");
    let mut acked: Vec<(i64, String)> = Vec::new();
    let mut rounds = 0;
    let mut rng: u64 = 0x5eed;
    while acked.len() < 1000 {
        rounds += 1;
        assert!(rounds < 200, "the worker keeps failing to make progress");
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let stop_after = 3 + (rng >> 33) as usize % 60;
        let mut child = Command::new(&exe)
            .args([
                "crash::worker",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("LAJUR_CRASH_WORKER", dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("worker starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut seen = 0;
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(rest) = line.strip_prefix("ack ") {
                let (seq, hash) = rest.split_once(' ').expect("ack line");
                acked.push((seq.parse().expect("seq"), hash.to_string()));
                seen += 1;
                if seen >= stop_after {
                    // Mid-flight: the worker is already into its next transition.
                    std::thread::sleep(std::time::Duration::from_micros((rng >> 40) % 3000));
                    child.kill().expect("the worker is killed");
                    break;
                }
            }
        }
        child.wait().expect("the worker is gone");

        // After every kill: the records open, are whole, and hold every ack.
        let store = crate::engine::open(dir.path()).expect("reopens after a kill");
        let integrity: String = store
            .connection()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("check");
        assert_eq!(integrity, "ok");
        assert!(
            store.verify_log().expect("verify").is_ok(),
            "round {rounds}: the chain holds"
        );
        for (seq, hash) in acked.iter().rev().take(stop_after.max(50)) {
            let stored: String = store
                .connection()
                .query_row("SELECT hash FROM log WHERE seq = ?1", [seq], |r| r.get(0))
                .unwrap_or_else(|_| panic!("round {rounds}: acknowledged row {seq} is lost"));
            assert_eq!(&stored, hash);
        }
        // Every attachment row points at a whole file.
        let ids: Vec<i64> = {
            let mut stmt = store
                .connection()
                .prepare("SELECT DISTINCT kegiatan_id FROM attachments")
                .expect("q");
            stmt.query_map([], |r| r.get(0))
                .expect("rows")
                .collect::<Result<_, _>>()
                .expect("ids")
        };
        for id in ids {
            for a in store.attachments(id).expect("attachments") {
                assert!(
                    store.open_attachment(&a).is_ok(),
                    "round {rounds}: attachment {} is whole",
                    a.id
                );
            }
        }
        // Each kegiatan is in one consistent state.
        let broken: i64 = store
            .connection()
            .query_row(
                "SELECT COUNT(*) FROM kegiatan k LEFT JOIN current_steps c ON c.kegiatan_id = k.id
                 WHERE (k.status = 'berjalan') != (c.kegiatan_id IS NOT NULL)",
                [],
                |r| r.get(0),
            )
            .expect("q");
        assert_eq!(broken, 0);
        let _ = Status::Running;
    }
    // Every acknowledged row, checked once more at the end.
    let store = crate::engine::open(dir.path()).expect("opens");
    for (seq, hash) in &acked {
        let stored: String = store
            .connection()
            .query_row("SELECT hash FROM log WHERE seq = ?1", [seq], |r| r.get(0))
            .expect("row present");
        assert_eq!(&stored, hash);
    }
    println!(
        "{} acknowledged transitions over {rounds} kills",
        acked.len()
    );
}
