//! The office server under load (issue "The office network"): ten PCs (ten
//! processes, each with its data folder and connection, as ten office PCs run
//! ten Lajurs) pressing Selesai at the same time on a
//! throwaway local PostgreSQL cluster, each action taking the office's write
//! turn, catching up with the others' entries and adding its own; p50, p95
//! and max per action, first with every PC pressing again the moment its
//! last action returned (the turn never rests), then with each pressing at
//! random moments. Before them, the same ten PCs in this one process
//! taking turns in order: what one write turn costs (catching up nine
//! entries, acting, sending) without ten processes sharing the machine's
//! cores. Also how long a new PC takes to join an office of that size.
//! Skipped, with the reason, where PostgreSQL's server programs are
//! missing.
//!
//! `cargo bench -p lajur-records --bench office_server`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/it/cluster.rs"]
mod cluster;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lajur_core::workflow::{Action, Allowed};
use lajur_records::server::{self, Address};
use lajur_records::{NewUser, Store};

const SOP: &str = include_str!("../../../sops/bunder-penyebarluasan-informasi-medsos.toml");
const PCS: usize = 10;
const ACTIONS_EACH: usize = 30;

fn main() {
    // This same program is each PC's process (see `ten_at_once`).
    if let Some(dir) = std::env::var_os("LAJUR_BENCH_PC") {
        pc_process(std::path::Path::new(&dir));
        return;
    }
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
            .join_office_server(
                cluster::administrator(&store).as_ref(),
                &Address::parse(&db.pc).expect("pc"),
                "pc0",
            )
            .expect("moved");
    }
    let started = Instant::now();
    let pcs: Vec<Store> = (1..PCS)
        .map(|i| {
            let mut store = Store::open(&root.path().join(format!("pc{i}"))).expect("opens");
            store
                .join_office_server(
                    cluster::administrator(&store).as_ref(),
                    &Address::parse(&db.pc).expect("pc"),
                    &format!("pc{i}"),
                )
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
        for n in 0..ACTIONS_EACH {
            let Some(action) = next_action(store, &ani, id, n) else {
                break;
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
    // The ten PCs in this one process, taking turns in order: each action
    // first catches up the nine entries the others wrote since its last.
    // The office's write turn as it is, without ten processes sharing two
    // cores: ten of these make one round of the back-to-back figure below.
    {
        let mut started = Vec::new();
        for (i, store) in pcs.iter_mut().enumerate() {
            store.use_server_password(&pc_password);
            store.catch_up().expect("caught up");
            let ani = store.user_by_name("ani").expect("ani");
            let id = store
                .start_kegiatan(&ani, SOP, &format!("Bergiliran {i}"), "")
                .expect("start");
            started.push((ani, id));
        }
        let mut turns = Vec::new();
        for n in 0..ACTIONS_EACH {
            for (store, (ani, id)) in pcs.iter_mut().zip(&started) {
                let Some(action) = next_action(store, ani, *id, n) else {
                    continue;
                };
                let t = Instant::now();
                store.act(ani, None, *id, action, "").expect("act");
                turns.push(t.elapsed());
            }
        }
        turns.sort();
        let at = |p: f64| turns[((turns.len() as f64 - 1.0) * p).round() as usize];
        println!(
            "Selesai from {PCS} PCs in one process taking turns in order (each catching up the other {}), {} actions: p50 {:.2?}, p95 {:.2?}",
            PCS - 1,
            turns.len(),
            at(0.5),
            at(0.95)
        );
    }
    // Ten PCs pressing Selesai back to back (each presses again the moment
    // its last action returned: the office's write turn never rests), then
    // ten clerks pressing at random moments, one press per PC every 100 ms
    // on average (an office-wide 100 actions a second, far above a real
    // office's day).
    let folders: Vec<std::path::PathBuf> = (0..PCS)
        .map(|i| root.path().join(format!("pc{i}")))
        .collect();
    drop(pcs);
    for (what, pace) in [("back to back", 0u64), ("each every ~100 ms", 100)] {
        let times = ten_at_once(&folders, &pc_password, pace, what);
        let at = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
        println!(
            "Selesai from {PCS} PC processes at once, {what}, {} actions: p50 {:.1?}, p95 {:.1?}, max {:.1?}",
            times.len(),
            at(0.5),
            at(0.95),
            times.last().copied().unwrap_or_default()
        );
    }
    let joined = Instant::now();
    let mut late = Store::open(&root.path().join("late")).expect("opens");
    late.join_office_server(
        cluster::administrator(&late).as_ref(),
        &Address::parse(&db.pc).expect("pc"),
        "late",
    )
    .expect("joined");
    println!(
        "a new PC joining the office afterwards: {:.0?}",
        joined.elapsed()
    );
}

/// Each PC in its own process: it opens its data folder (as Lajur does on
/// that PC), starts a kegiatan, says it is ready; once all ten are, each
/// takes its kegiatan through `ACTIONS_EACH` actions, waiting a random
/// 0..2×`pace` ms before each when paced. The time of every action, sorted.
fn ten_at_once(
    folders: &[std::path::PathBuf],
    password: &str,
    pace: u64,
    what: &str,
) -> Vec<Duration> {
    let exe = std::env::current_exe().expect("this program");
    let mut children: Vec<_> = folders
        .iter()
        .enumerate()
        .map(|(i, dir)| {
            Command::new(&exe)
                .env("LAJUR_BENCH_PC", dir)
                .env("LAJUR_BENCH_PACE", pace.to_string())
                .env("LAJUR_BENCH_TITLE", format!("Beban {i} {what}"))
                .env("PGPASSWORD", password)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .expect("a PC's process starts")
        })
        .collect();
    let mut outputs: Vec<_> = children
        .iter_mut()
        .map(|c| BufReader::new(c.stdout.take().expect("stdout")))
        .collect();
    for out in &mut outputs {
        let mut line = String::new();
        out.read_line(&mut line).expect("ready");
        assert_eq!(line.trim(), "siap", "a PC's process did not start");
    }
    for child in &mut children {
        let mut stdin = child.stdin.take().expect("stdin");
        writeln!(stdin, "mulai").expect("go");
    }
    let mut times: Vec<Duration> = Vec::new();
    for out in outputs {
        for line in out.lines() {
            let line = line.expect("line");
            if let Some(micros) = line.strip_prefix("t ") {
                times.push(Duration::from_micros(micros.parse().expect("micros")));
            }
        }
    }
    for mut child in children {
        assert!(
            child.wait().expect("ends").success(),
            "a PC's process failed"
        );
    }
    assert_eq!(
        times.len(),
        folders.len() * ACTIONS_EACH,
        "every action timed"
    );
    times.sort();
    times
}

/// One PC's process (see `ten_at_once`): its answers on stdout.
fn pc_process(dir: &std::path::Path) {
    let pace: u64 = std::env::var("LAJUR_BENCH_PACE")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let title = std::env::var("LAJUR_BENCH_TITLE").unwrap_or_default();
    let mut store = Store::open(dir).expect("opens");
    // As Lajur does on opening a shared folder: read what others wrote.
    store.catch_up().expect("caught up");
    let ani = store.user_by_name("ani").expect("ani");
    let id = store.start_kegiatan(&ani, SOP, &title, "").expect("start");
    let mut out = std::io::stdout();
    writeln!(out, "siap").expect("said");
    out.flush().expect("said");
    let mut go = String::new();
    std::io::stdin().read_line(&mut go).expect("go");
    let mut rng: u64 = 0x9E37_79B9 ^ u64::from(std::process::id());
    for n in 0..ACTIONS_EACH {
        if pace > 0 {
            rng = rng
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            std::thread::sleep(Duration::from_millis((rng >> 33) % (2 * pace)));
        }
        let Some(action) = next_action(&mut store, &ani, id, n) else {
            break;
        };
        let t = Instant::now();
        store.act(&ani, None, id, action, "").expect("act");
        writeln!(out, "t {}", t.elapsed().as_micros()).expect("said");
    }
}

/// The `n`th action on a kegiatan: Selesai, or at a decision every third
/// time the first answer (which loops back), else the one its step offers
/// first. None at its end.
fn next_action(
    store: &mut Store,
    who: &lajur_records::User,
    id: lajur_records::KegiatanId,
    n: usize,
) -> Option<Action> {
    match store.allowed(who, id).expect("allowed").first()? {
        Allowed::Answer { exit, .. } => {
            Some(Action::Answer(if n.is_multiple_of(3) { 1 } else { *exit }))
        }
        Allowed::Complete { .. } => Some(Action::Complete),
    }
}
