//! The corpus of real SOPs (tests/corpus): the sheets Lajur prints for each
//! against its original's, on A4 and F4 in landscape (the originals' own
//! orientation), and how long laying out and printing the whole corpus takes.
//! `cargo bench --bench corpus` prints the table first.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{Criterion, criterion_group, criterion_main};
use lajur_core::sop::{Sop, SopDocument};
use lajur_layout::{BundledFont, Orientation, PageSettings, Paper, document};
use std::hint::black_box;
use std::path::PathBuf;

fn corpus() -> Vec<(String, Sop, usize)> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/corpus"));
    let mut out = Vec::new();
    for index in ["index/statistics.toml", "index/procurement.toml"] {
        let text = std::fs::read_to_string(dir.join(index)).expect("index");
        let table: toml::Table = text.parse().expect("index is TOML");
        for entry in table["sop"].as_array().expect("[[sop]]") {
            let file = entry["file"].as_str().expect("file");
            let pages = entry["pages"].as_integer().expect("pages") as usize;
            let sop_text = std::fs::read_to_string(dir.join(file)).expect("SOP");
            out.push((file.to_string(), SopDocument::parse(&sop_text).sop, pages));
        }
    }
    out
}

fn bench_corpus(c: &mut Criterion) {
    let corpus = corpus();
    let papers = [(Paper::A4, "A4"), (Paper::F4, "F4")];
    println!("{:<72} {:>8} {:>4} {:>4}", "SOP", "original", "A4", "F4");
    let mut over = 0;
    let (mut total_original, mut total_a4, mut total_f4) = (0, 0, 0);
    for (name, sop, original) in &corpus {
        let pages: Vec<usize> = papers
            .iter()
            .map(|(paper, _)| {
                let settings = PageSettings {
                    paper: *paper,
                    orientation: Orientation::Landscape,
                    ..PageSettings::default()
                };
                document(sop, &settings, BundledFont::get()).pages.len()
            })
            .collect();
        let mark = if pages.iter().any(|p| p > original) {
            over += 1;
            "  more than the original"
        } else {
            ""
        };
        total_original += original;
        total_a4 += pages[0];
        total_f4 += pages[1];
        println!(
            "{name:<72} {original:>8} {:>4} {:>4}{mark}",
            pages[0], pages[1]
        );
    }
    println!(
        "{:<72} {total_original:>8} {total_a4:>4} {total_f4:>4}",
        "total"
    );
    println!(
        "{over} of {} SOPs print on more sheets than their original",
        corpus.len()
    );

    let settings = PageSettings {
        paper: Paper::A4,
        orientation: Orientation::Landscape,
        ..PageSettings::default()
    };
    c.bench_function("corpus/layout_all_a4", |b| {
        b.iter(|| {
            for (_, sop, _) in &corpus {
                black_box(document(black_box(sop), &settings, BundledFont::get()));
            }
        })
    });
    c.bench_function("corpus/export_all_a4", |b| {
        b.iter(|| {
            for (_, sop, _) in &corpus {
                black_box(
                    lajur_paper::sop_pdf(sop, &settings, lajur_records::clock::system_now())
                        .expect("PDF"),
                );
            }
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(4));
    targets = bench_corpus
}
criterion_main!(benches);
