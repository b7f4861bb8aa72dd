//! What trust costs at office scale (issue "Trust that survives faults"):
//! `verify` of everything (the chain, every record against it, SQLite's
//! integrity check, every attachment file re-hashed) on 10,000 kegiatan with
//! 1 GB of attachments, and the daily backup of the same when only today's
//! files are new. The office is built once under target/bench-data.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{Criterion, criterion_group, criterion_main};
use lajur_records::Store;

#[path = "support/mod.rs"]
mod support;
use support::big_office::{FILES, attach_drafts, build};

fn bench_trust(c: &mut Criterion) {
    let dir = build();
    let store = Store::open(&dir).expect("opens");
    let mut group = c.benchmark_group("trust_10000_kegiatan_1gb");
    group.sample_size(10);
    group.bench_function("verify_everything", |b| {
        b.iter(|| {
            let audit = store.audit(&[]).expect("audit");
            assert!(audit.ok(), "{:?}", audit.findings);
            assert_eq!(audit.files, FILES);
        })
    });
    // The daily backup: the first one copies every file; after that, a day's
    // work (ten new drafts) is all that is copied beside the database.
    let backups = tempfile::tempdir().expect("backups");
    let first = std::time::Instant::now();
    store
        .backup_into(backups.path(), "harian")
        .expect("first backup");
    eprintln!("first backup (every file): {:.1?}", first.elapsed());
    let user = store.user_by_name("ani").expect("user");
    let running: Vec<i64> = store
        .connection()
        .prepare("SELECT id FROM kegiatan WHERE status = 'berjalan'")
        .expect("q")
        .query_map([], |r| r.get(0))
        .expect("rows")
        .map(|r| r.expect("id"))
        .collect();
    let mut day = 0;
    let store = std::cell::RefCell::new(store);
    group.bench_function("daily_backup_ten_new_drafts", |b| {
        b.iter_batched(
            || {
                day += 1;
                attach_drafts(
                    &mut store.borrow_mut(),
                    &user,
                    &running,
                    FILES + day * 10,
                    10,
                );
            },
            |()| {
                let made = store
                    .borrow()
                    .backup_into(backups.path(), "harian")
                    .expect("backup");
                std::fs::remove_file(&made).expect("tidy");
            },
            criterion::BatchSize::PerIteration,
        )
    });
    group.finish();
    let db = std::fs::metadata(dir.join("lajur.db"))
        .map(|m| m.len())
        .unwrap_or(0);
    eprintln!("database {} MB", db / (1024 * 1024));
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(std::time::Duration::from_secs(1));
    targets = bench_trust
}
criterion_main!(benches);
