//! Peak memory of a 10,000-row register, measured in a process of its own
//! (the benchmark's process also holds earlier runs). Needs the benchmark
//! database: run `cargo bench --bench archive` once, then
//! `cargo run --release --example register_memory`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lajur_core::paperwork::RegisterRows;
use lajur_layout::PageSettings;
use lajur_paper::register::{register_content, register_layout, register_pdf};
use lajur_records::{KegiatanFilter, Store};

fn peak_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0u64)
        / 1024
}

fn main() -> anyhow::Result<()> {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .join("target/bench-data/k10000");
    let mut store = Store::open(&dir)?;
    let issuer = store.user_by_name("ani")?;
    eprintln!("records open: peak {} MB", peak_mb());
    let started = std::time::Instant::now();
    let data = store.register_data(&KegiatanFilter::default(), RegisterRows::PerKegiatan)?;
    let content = register_content(&data);
    eprintln!(
        "rows read ({}): peak {} MB",
        content.tables[1].rows.len(),
        peak_mb()
    );
    let layout = register_layout(
        &content,
        &issuer,
        None,
        "",
        store.now(),
        420,
        &PageSettings::default(),
    );
    eprintln!(
        "laid out ({} pages): peak {} MB",
        layout.pages.len(),
        peak_mb()
    );
    let bytes = register_pdf(&content, &layout, &issuer, None, store.now())?;
    eprintln!(
        "PDF {} KB in {:.2?}: peak {} MB",
        bytes.len() / 1024,
        started.elapsed(),
        peak_mb()
    );
    Ok(())
}
