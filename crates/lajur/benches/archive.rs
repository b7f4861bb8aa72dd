//! Paper from the records: the filled sheet of one Bunder kegiatan (target
//! under 100 ms), and the register with 100 / 1,000 / 10,000 rows (target:
//! 10,000 rows under 2 s, peak memory under 200 MB), each from reading the
//! records to the finished PDF bytes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use lajur_core::paperwork::RegisterRows;
use lajur_core::workflow::{Action, Allowed};
use lajur_layout::PageSettings;
use lajur_paper::register::{register_content, register_layout, register_pdf};
use lajur_paper::sheet::sheet_pdf;
use lajur_records::{KegiatanFilter, NewUser, Status, Store};

mod common;

fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse()
                    .unwrap_or(0)
            })
        })
        .unwrap_or(0)
}

fn bench_sheet(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp");
    let mut store = Store::open(dir.path()).expect("opens");
    let lurah = store
        .create_user(
            None,
            NewUser {
                username: "lurah".into(),
                name: "Budi Santoso".into(),
                jabatan: "Lurah".into(),
                lanes: vec!["ketua".into(), "seksi".into(), "admin".into()],
                is_signer: true,
                password: "rahasia".into(),
                ..NewUser::default()
            },
        )
        .expect("user");
    let id = store
        .start_kegiatan(&lurah, common::SOP, "Publikasi", "Bahan")
        .expect("start");
    let mut n = 0;
    while store.kegiatan(id).expect("k").status == Status::Running {
        let action = match store.allowed(&lurah, id).expect("a")[0] {
            Allowed::Answer { .. } if n == 0 => Action::Answer(1),
            Allowed::Answer { .. } => Action::Answer(0),
            Allowed::Complete { .. } => Action::Complete,
        };
        n += 1;
        store.act(&lurah, None, id, action, "").expect("act");
    }
    store.sign_off(&lurah, "rahasia", id).expect("signed");
    let settings = PageSettings::default();
    let mut size = 0;
    c.bench_function("filled_sheet_bunder_pdf", |b| {
        b.iter(|| {
            let data = store.kegiatan_record(id).expect("data");
            size = sheet_pdf(&data, &settings, store.now()).expect("pdf").len();
        })
    });
    eprintln!("filled sheet: {} KB", size / 1024);
}

fn bench_register(c: &mut Criterion) {
    let sizes: Vec<usize> = std::env::var("LAJUR_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| vec![100, 1_000, 10_000]);
    let mut group = c.benchmark_group("register_pdf");
    group.sample_size(10);
    for size in sizes {
        let dir = common::build(size);
        let mut store = Store::open(&dir).expect("opens");
        let issuer = store.user_by_name("ani").expect("user");
        let filter = KegiatanFilter::default();
        let settings = PageSettings::default();
        let before = peak_kb();
        let mut pages = 0;
        let mut bytes = 0;
        group.bench_function(BenchmarkId::new("per_kegiatan", size), |b| {
            b.iter(|| {
                let data = store
                    .register_data(&filter, RegisterRows::PerKegiatan)
                    .expect("data");
                let content = register_content(&data);
                let now = store.now();
                let layout = register_layout(&content, &issuer, None, "", now, 420, &settings);
                pages = layout.pages.len();
                bytes = register_pdf(&content, &layout, &issuer, None, now)
                    .expect("pdf")
                    .len();
            })
        });
        eprintln!(
            "register of {size} kegiatan: {pages} pages, {} KB; peak memory {} MB (was {} MB before)",
            bytes / 1024,
            peak_kb() / 1024,
            before / 1024
        );
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(std::time::Duration::from_secs(3)).warm_up_time(std::time::Duration::from_secs(1));
    targets = bench_sheet, bench_register
}
criterion_main!(benches);
