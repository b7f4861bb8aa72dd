//! An office moving to the server (issue "The office network"): the trust
//! benchmark's office (10,000 kegiatan, 1 GiB of drafts; built once under
//! target/bench-data) checked and moved to an empty server database on a
//! throwaway local cluster, every draft read back by the server's SHA-256;
//! then a new PC receiving all of it and checking its copy. One run each
//! (the move is minutes, not milliseconds). Skipped, with the reason, where
//! PostgreSQL's server programs are missing.
//!
//! `cargo bench -p lajur-records --bench office_move`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/it/cluster.rs"]
mod cluster;
#[path = "support/mod.rs"]
mod support;

use std::path::Path;
use std::time::Instant;

use lajur_records::Store;
use lajur_records::journal::Joined;
use lajur_records::server::{self, Address};

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("read") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn main() {
    let Some(cluster) = cluster::Cluster::start() else {
        println!("office_move: dilewati (PostgreSQL tidak ada)");
        return;
    };
    let office = support::big_office::build();
    let db = cluster.office_database("kantor");
    server::prepare(&Address::parse(&db.owner).expect("owner"), cluster::PC_ROLE)
        .expect("prepared");
    let root = tempfile::tempdir_in(office.parent().expect("bench-data")).expect("temp");
    let first = root.path().join("pc-ketua");
    // The office's own folder stays as the trust benchmark left it.
    for name in ["lajur.db", "lampiran"] {
        let from = office.join(name);
        if from.is_dir() {
            copy_folder(&from, &first.join(name));
        } else {
            std::fs::create_dir_all(&first).expect("folder");
            std::fs::copy(&from, first.join(name)).expect("copy");
        }
    }
    let address = Address::parse(&db.pc).expect("pc");
    let mut store = Store::open(&first).expect("opens");
    let kegiatan: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM kegiatan", [], |r| r.get(0))
        .expect("count");
    let started = Instant::now();
    let joined = store
        .join_office_server(
            cluster::administrator(&store).as_ref(),
            &address,
            "pc-ketua",
        )
        .expect("moved");
    let moved = started.elapsed();
    let Joined::Moved { log_rows, files } = joined else {
        panic!("not moved: {joined:?}");
    };
    let head = store.log_head().expect("head");
    drop(store);
    println!(
        "moved {kegiatan} kegiatan ({log_rows} log rows, {files} drafts) to the server in {moved:.1?} \
         (full check of this PC, entry 1 sent and read back)"
    );

    let second = root.path().join("pc-seksi");
    let mut store = Store::open(&second).expect("opens");
    let started = Instant::now();
    store
        .join_office_server(
            cluster::administrator(&store).as_ref(),
            &address,
            "pc-seksi",
        )
        .expect("received");
    let received = started.elapsed();
    let started = Instant::now();
    let audit = store.audit(&[]).expect("audit");
    let checked = started.elapsed();
    assert!(audit.findings.is_empty(), "{:?}", audit.findings);
    assert_eq!(audit.files, files);
    assert_eq!(store.log_head().expect("head"), head);
    println!(
        "a new PC received it in {received:.1?}; its full check: {checked:.1?} \
         ({} log rows, {} drafts, same head)",
        audit.log_rows, audit.files
    );
}
