//! Speed of Word and Excel in and out: each real office file of
//! ../shared/corpus/import read into a draft, a 40-step SOP's own .docx read
//! back, and the .docx of the Bunder seed and of a 40-step SOP written (the
//! document's layout included, as `lajur export docx` does it).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use lajur_core::paper::PageSettings;
use lajur_core::sop::{Sop, SopDocument};
use lajur_layout::{BundledFont, document};
use std::hint::black_box;

fn docx_of(sop: &Sop, settings: &PageSettings) -> Vec<u8> {
    let layout = document(sop, settings, BundledFont::get());
    lajur_ooxml::export(sop, &layout, settings, None).expect("written")
}

fn bench_import(c: &mut Criterion) {
    let mut group = c.benchmark_group("import");
    for name in [
        "dkisp-kaltara-penerbitan-email-resmi.docx",
        "dkisp-kaltara-pembangunan-aplikasi.docx",
        "dkisp-kaltara-splp-pendaftaran-endpoint.docx",
        "basarnas-penerimaan-berita-115.xlsx",
    ] {
        let bytes = std::fs::read(format!(
            "{}/../../../shared/corpus/import/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("corpus file");
        group.bench_function(BenchmarkId::new("office", name), |b| {
            b.iter(|| lajur_ooxml::import(black_box(&bytes)).expect("imports"))
        });
    }
    let big = lajur_core::sop::sample::generated(40, 6, 5, 1);
    let bytes = docx_of(&big, &PageSettings::default());
    println!("40 steps × 6 lanes: {} bytes of .docx", bytes.len());
    group.bench_function(BenchmarkId::new("lajur-docx", "40x6"), |b| {
        b.iter(|| lajur_ooxml::import(black_box(&bytes)).expect("imports"))
    });
    group.finish();
}

fn bench_export(c: &mut Criterion) {
    let mut group = c.benchmark_group("export_docx");
    let settings = PageSettings::default();
    let seed = SopDocument::parse(lajur_core::sop::source::BUNDLED[0].1).sop;
    let big = lajur_core::sop::sample::generated(40, 6, 5, 1);
    for (name, sop) in [("bunder", &seed), ("generated-40x6", &big)] {
        group.bench_function(BenchmarkId::new("layout+write", name), |b| {
            b.iter(|| docx_of(black_box(sop), &settings))
        });
        let layout = document(sop, &settings, BundledFont::get());
        group.bench_function(BenchmarkId::new("write", name), |b| {
            b.iter(|| {
                lajur_ooxml::export(black_box(sop), &layout, &settings, None).expect("written")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_import, bench_export);
criterion_main!(benches);
