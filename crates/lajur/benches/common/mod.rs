#![allow(dead_code)] // Each benchmark uses its own part of this module.
//! The office-scale databases the benchmarks share: built once (with fsync
//! off, for speed) under target/bench-data and reused by later runs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use lajur_core::workflow::{Action, Allowed};
use lajur_records::{NewUser, Store, User};

pub const SOP: &str = include_str!("../../../../sops/bunder-penyebarluasan-informasi-medsos.toml");

pub fn data_dir(kegiatan: usize) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .join("target")
        .join("bench-data")
        .join(format!("k{kegiatan}"))
}

pub fn step(store: &mut Store, user: &User, id: i64, n: usize) -> bool {
    let action = match store.allowed(user, id).expect("allowed").first() {
        Some(Allowed::Answer { exit, .. }) => {
            Action::Answer(if n.is_multiple_of(4) { 1 } else { *exit })
        }
        Some(Allowed::Complete { .. }) => Action::Complete,
        None => return false,
    };
    store.act(user, None, id, action, "").expect("act");
    true
}

/// Builds (once) a database of `kegiatan` kegiatan: most run to the end, one in
/// ten still running at some step. About ten log rows each.
pub fn build(kegiatan: usize) -> PathBuf {
    let dir = data_dir(kegiatan);
    if dir.join("siap").exists() {
        return dir;
    }
    // A half-built database from an interrupted run is built again.
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
    for k in 0..kegiatan {
        let id = store
            .start_kegiatan(&user, SOP, &format!("Publikasi {k}"), "")
            .expect("start");
        let stop = if k % 10 == 0 { k % 9 } else { usize::MAX };
        let mut n = 0;
        while n < stop && step(&mut store, &user, id, n + k) {
            n += 1;
        }
    }
    let rows: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM log", [], |r| r.get(0))
        .expect("count");
    drop(store);
    std::fs::write(dir.join("siap"), rows.to_string()).expect("marker");
    eprintln!(
        "built {kegiatan} kegiatan, {rows} log rows in {:.1?}",
        started.elapsed()
    );
    dir
}

/// A frame's input at the size of a common office monitor.
pub fn frame_input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1366.0, 768.0),
        )),
        ..Default::default()
    }
}

/// One frame of the whole window, tessellated, as eframe would do it.
pub fn frame(ctx: &egui::Context, app: &mut lajur::ui::LajurApp) -> usize {
    let output = ctx.run_ui(frame_input(), |ui| app.ui(ui));
    ctx.tessellate(output.shapes, output.pixels_per_point).len()
}
