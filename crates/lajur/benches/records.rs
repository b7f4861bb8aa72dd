//! The records at office scale: 1,000 / 10,000 / 100,000 kegiatan with ten log
//! rows each (up to 1,000,000 rows). Opening, one user's task list, one
//! transition committed with fsync, and resident memory.
//!
//! The databases are built once (with fsync off, for speed) under
//! target/bench-data and reused by later runs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use lajur_records::{Access, Store};

mod common;

use common::{SOP, build, step};

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse()
                    .unwrap_or(0)
            })
        })
        .unwrap_or(0)
}

fn bench_records(c: &mut Criterion) {
    let sizes: Vec<usize> = std::env::var("LAJUR_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000]);
    for &size in &sizes {
        let dir = build(size);
        let rows = std::fs::read_to_string(dir.join("siap")).unwrap_or_default();
        let mut group = c.benchmark_group(format!("records_{size}_kegiatan_{rows}_log_rows"));
        group.sample_size(10);
        group.bench_function(BenchmarkId::new("open", size), |b| {
            b.iter(|| drop(Store::open(&dir).expect("opens")))
        });
        let mut store = Store::open_with(&dir, Access::Shared).expect("opens");
        let user = store.user_by_name("ani").expect("user");
        group.bench_function(BenchmarkId::new("task_list", size), |b| {
            b.iter(|| store.tasks(&user, 100).expect("tasks"))
        });
        let mut n = 0usize;
        group.bench_function(BenchmarkId::new("transition_fsync", size), |b| {
            b.iter(|| {
                n += 1;
                let running: Option<i64> = store
                    .connection()
                    .query_row("SELECT id FROM kegiatan WHERE status = 'berjalan' ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
                    .ok();
                if !running.is_some_and(|id| step(&mut store, &user, id, n)) {
                    store.start_kegiatan(&user, SOP, "tambahan", "").expect("start");
                }
            })
        });
        group.finish();
        drop(store);
        let store = Store::open(&dir).expect("opens");
        let tasks = store
            .tasks(&store.user_by_name("ani").expect("user"), 100)
            .expect("tasks")
            .len();
        eprintln!(
            "{size} kegiatan: resident memory after open + task list ({tasks} tasks): {} MB",
            rss_kb() / 1024
        );
        verify_timing(&store, path_size(&dir));
    }
}

fn path_size(dir: &Path) -> u64 {
    std::fs::metadata(dir.join("lajur.db"))
        .map(|m| m.len())
        .unwrap_or(0)
}

fn verify_timing(store: &Store, bytes: u64) {
    let t = std::time::Instant::now();
    let rows = store.verify_log().expect("verify").expect("intact");
    eprintln!(
        "  database {} MB; verify of {rows} log rows took {:.2?}",
        bytes / (1024 * 1024),
        t.elapsed()
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(std::time::Duration::from_secs(3)).warm_up_time(std::time::Duration::from_secs(1));
    targets = bench_records
}
criterion_main!(benches);
