//! The office server under load (issue "The office network"): ten PCs (ten
//! data folders, ten connections) pressing Selesai at the same time on a
//! throwaway local PostgreSQL cluster, each action taking the office's write
//! turn, catching up with the others' entries and adding its own; p50, p95
//! and max per action, first with every PC pressing again the moment its
//! last action returned (the turn never rests), then with each pressing at
//! random moments. Also how long a new PC takes to join an office of that
//! size. Skipped, with the reason, where PostgreSQL's server programs are
//! missing.
//!
//! `cargo bench -p lajur-records --bench office_server`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/it/cluster.rs"]
mod cluster;

use std::time::{Duration, Instant};

use lajur_core::workflow::{Action, Allowed};
use lajur_records::server::{self, Address};
use lajur_records::{NewUser, Store};

const SOP: &str = include_str!("../../../sops/bunder-penyebarluasan-informasi-medsos.toml");
const PCS: usize = 10;
const ACTIONS_EACH: usize = 30;

fn main() {
    let Some(cluster) = cluster::Cluster::start() else {
        println!("office_server: dilewati (PostgreSQL tidak ada)");
        return;
    };
    let db = cluster.office_database("kantor");
    server::prepare(&Address::parse(&db.owner).expect("owner"), cluster::PC_ROLE)
        .expect("prepared");
    let root = tempfile::tempdir().expect("temp");
    // The first PC: one clerk in every lane, moved to the server.
    {
        let mut store = Store::open(&root.path().join("pc0")).expect("opens");
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
        store
            .join_office_server(&Address::parse(&db.pc).expect("pc"), "pc0")
            .expect("moved");
    }
    let started = Instant::now();
    let pcs: Vec<Store> = (1..PCS)
        .map(|i| {
            let mut store = Store::open(&root.path().join(format!("pc{i}"))).expect("opens");
            store
                .join_office_server(&Address::parse(&db.pc).expect("pc"), &format!("pc{i}"))
                .expect("joined");
            store
        })
        .chain(std::iter::once(
            Store::open(&root.path().join("pc0")).expect("opens"),
        ))
        .collect();
    println!("{} PCs joined in {:.0?}", PCS - 1, started.elapsed());
    let pc_password = cluster::PC_PASSWORD.to_string();
    // One PC alone first: what an action costs through the server when no
    // other PC is writing.
    let mut pcs = pcs;
    {
        let store = &mut pcs[0];
        store.use_server_password(&pc_password);
        let ani = store.user_by_name("ani").expect("ani");
        let id = store
            .start_kegiatan(&ani, SOP, "Sendiri", "")
            .expect("start");
        let mut alone = Vec::new();
        for _ in 0..ACTIONS_EACH {
            let action = match store.allowed(&ani, id).expect("allowed").first() {
                Some(Allowed::Answer { exit, .. }) => Action::Answer(*exit),
                Some(Allowed::Complete { .. }) => Action::Complete,
                None => break,
            };
            let t = Instant::now();
            store.act(&ani, None, id, action, "").expect("act");
            alone.push(t.elapsed());
        }
        alone.sort();
        let at = |p: f64| alone[((alone.len() as f64 - 1.0) * p).round() as usize];
        println!(
            "Selesai from one PC alone, {} actions: p50 {:.1?}, p95 {:.1?}",
            alone.len(),
            at(0.5),
            at(0.95)
        );
    }
    // Ten PCs pressing Selesai back to back (each presses again the moment
    // its last action returned: the office's write turn never rests), then
    // ten clerks pressing at random moments, one press per PC every 100 ms
    // on average (an office-wide 100 actions a second, far above a real
    // office's day).
    for (what, pace) in [("back to back", None), ("each every ~100 ms", Some(100u64))] {
        let times = ten_at_once(&mut pcs, &pc_password, pace, what);
        let at = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
        println!(
            "Selesai from {PCS} PCs at once, {what}, {} actions: p50 {:.1?}, p95 {:.1?}, max {:.1?}",
            times.len(),
            at(0.5),
            at(0.95),
            times.last().copied().unwrap_or_default()
        );
    }
    let joined = Instant::now();
    let mut late = Store::open(&root.path().join("late")).expect("opens");
    late.join_office_server(&Address::parse(&db.pc).expect("pc"), "late")
        .expect("joined");
    println!(
        "a new PC joining the office afterwards: {:.0?}",
        joined.elapsed()
    );
}

/// Each PC in its own thread starts a kegiatan and takes it through
/// `ACTIONS_EACH` actions, waiting a random 0..2×`pace` ms before each when
/// paced; the time of every action, sorted.
fn ten_at_once(pcs: &mut [Store], password: &str, pace: Option<u64>, what: &str) -> Vec<Duration> {
    let mut times: Vec<Duration> = std::thread::scope(|s| {
        let runs: Vec<_> = pcs
            .iter_mut()
            .enumerate()
            .map(|(i, store)| {
                s.spawn(move || {
                    store.use_server_password(password);
                    let ani = store.user_by_name("ani").expect("ani");
                    let id = store
                        .start_kegiatan(&ani, SOP, &format!("Beban {i} {what}"), "")
                        .expect("start");
                    let mut rng: u64 = 0x9E37_79B9 + i as u64;
                    let mut times = Vec::new();
                    for n in 0..ACTIONS_EACH {
                        if let Some(pace) = pace {
                            rng = rng
                                .wrapping_mul(6364136223846793005)
                                .wrapping_add(1442695040888963407);
                            std::thread::sleep(Duration::from_millis((rng >> 33) % (2 * pace)));
                        }
                        let action = match store.allowed(&ani, id).expect("allowed").first() {
                            Some(Allowed::Answer { exit, .. }) => {
                                Action::Answer(if n % 3 == 0 { 1 } else { *exit })
                            }
                            Some(Allowed::Complete { .. }) => Action::Complete,
                            None => break,
                        };
                        let t = Instant::now();
                        store.act(&ani, None, id, action, "").expect("act");
                        times.push(t.elapsed());
                    }
                    times
                })
            })
            .collect();
        runs.into_iter()
            .flat_map(|r| r.join().expect("pc"))
            .collect()
    });
    times.sort();
    times
}
