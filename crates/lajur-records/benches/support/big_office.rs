//! The office of the trust and move benchmarks: 10,000 kegiatan (one in ten
//! still running) with 1 GiB of drafts, built once under target/bench-data.

// Each benchmark uses part of it.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

use lajur_core::workflow::{Action, Allowed};
use lajur_records::{NewUser, Store, User};

const SOP: &str = include_str!("../../../../sops/bunder-penyebarluasan-informasi-medsos.toml");
pub const KEGIATAN: usize = 10_000;
/// 2,048 drafts of 512 KiB: 1 GiB.
pub const FILES: usize = 2_048;
pub const FILE_BYTES: usize = 512 * 1024;

fn bench_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .join("target")
        .join("bench-data")
        .join("trust-10000-1gb")
}

/// Distinct content for each draft, quickly (xorshift).
fn draft(path: &Path, seed: u64) {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut bytes = vec![0u8; FILE_BYTES];
    for chunk in bytes.chunks_mut(8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        chunk.copy_from_slice(&x.to_le_bytes()[..chunk.len()]);
    }
    std::fs::File::create(path)
        .and_then(|mut f| f.write_all(&bytes))
        .expect("draft");
}

fn step(store: &mut Store, user: &User, id: i64) -> bool {
    let action = match store.allowed(user, id).expect("allowed").first() {
        Some(Allowed::Answer { exit, .. }) => Action::Answer(*exit),
        Some(Allowed::Complete { .. }) => Action::Complete,
        None => return false,
    };
    store.act(user, None, id, action, "").expect("act");
    true
}

pub fn attach_drafts(store: &mut Store, user: &User, running: &[i64], from: usize, count: usize) {
    let scratch = tempfile::tempdir().expect("scratch");
    for n in from..from + count {
        let id = running[n % running.len()];
        let step = store
            .kegiatan(id)
            .expect("k")
            .current
            .expect("running")
            .step;
        let file = scratch.path().join(format!("draf-{n}.docx"));
        draft(&file, n as u64 + 1);
        store.attach(user, id, &step, &file, None).expect("attach");
        std::fs::remove_file(&file).expect("tidy");
    }
}

/// Builds (once) the office: 10,000 kegiatan, one in ten still running, and
/// 1 GiB of drafts attached to the running ones.
pub fn build() -> PathBuf {
    let dir = bench_dir();
    if dir.join("siap").exists() {
        return dir;
    }
    std::fs::remove_dir_all(&dir).unwrap_or_default();
    let started = std::time::Instant::now();
    let mut store = Store::open(&dir).expect("opens");
    store
        .connection()
        .execute_batch("PRAGMA synchronous = OFF")
        .expect("fast build");
    let user = store
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
    let mut running = Vec::new();
    for k in 0..KEGIATAN {
        let id = store
            .start_kegiatan(&user, SOP, &format!("Publikasi {k}"), "")
            .expect("start");
        if k % 10 == 0 {
            running.push(id);
            step(&mut store, &user, id);
        } else {
            while step(&mut store, &user, id) {}
        }
    }
    attach_drafts(&mut store, &user, &running, 0, FILES);
    drop(store);
    std::fs::write(dir.join("siap"), "").expect("marker");
    eprintln!(
        "built {KEGIATAN} kegiatan and {FILES} drafts in {:.1?}",
        started.elapsed()
    );
    dir
}
