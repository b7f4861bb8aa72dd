//! Speed and size of the printed SOP: each seed exported to PDF (layout of the
//! whole document, painting, font subsetting, compression).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use lajur_core::sop::SopDocument;
use lajur_layout::{PageSettings, Paper};
use std::hint::black_box;

fn bench_export(c: &mut Criterion) {
    let mut group = c.benchmark_group("export_sop_pdf");
    for name in [
        "bunder-penyebarluasan-informasi-medsos",
        "mojogedang-pengelolaan-website-medsos",
    ] {
        let text = std::fs::read_to_string(format!(
            "{}/sops/{name}.toml",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
        ))
        .expect("seed readable");
        let sop = SopDocument::parse(&text).sop;
        for (paper, tag) in [(Paper::A4, "a4"), (Paper::F4, "f4")] {
            let settings = PageSettings {
                paper,
                ..PageSettings::default()
            };
            let size = lajur_paper::sop_pdf(&sop, &settings, lajur_records::clock::system_now())
                .expect("PDF")
                .len();
            println!("{name} {tag}: {size} bytes");
            group.bench_function(BenchmarkId::new(name, tag), |b| {
                b.iter(|| {
                    lajur_paper::sop_pdf(
                        black_box(&sop),
                        &settings,
                        lajur_records::clock::system_now(),
                    )
                    .expect("PDF")
                })
            });
        }
    }
    // The whole `export sop` of a large SOP: 200 steps over 8 lanes, A4
    // landscape (layout with its routes, painting, subsetting, compression).
    let sop = lajur_core::sop::sample::generated(200, 8, 5, 1);
    let settings = PageSettings {
        paper: Paper::A4,
        ..PageSettings::default()
    };
    group.bench_function(BenchmarkId::new("generated", "200x8"), |b| {
        b.iter(|| {
            lajur_paper::sop_pdf(
                black_box(&sop),
                &settings,
                lajur_records::clock::system_now(),
            )
            .expect("PDF")
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(4));
    targets = bench_export
}
criterion_main!(benches);
