//! The office at work at 100,000 kegiatan (about a million log rows): one frame
//! of the home view (Tugas saya, Semua kegiatan at the top and deep in the
//! list) on the CPU, opening a kegiatan view, and one page of the list.
//! Growth is shown from 1,000 to 100,000 kegiatan (LAJUR_BENCH_SIZES).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use lajur::ui::LajurApp;
use lajur::ui::home::HomeTab;
use lajur::ui::kegiatan::KegiatanScreen;
use lajur_core::locale::Lang;
use lajur_records::library::SopSource;
use lajur_records::{KegiatanFilter, Store};

mod common;
use common::frame;

fn bench_workspace(c: &mut Criterion) {
    let sizes: Vec<usize> = std::env::var("LAJUR_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000]);
    for &size in &sizes {
        let dir = common::build(size);
        let mut group = c.benchmark_group(format!("workspace_{size}_kegiatan"));
        group.sample_size(20);
        let mut app = LajurApp::new(Lang::Id, SopSource::Bundled);
        app.open_records(&dir);
        app.workspace_mut()
            .expect("records open")
            .sign_in("ani", "rahasia")
            .expect("signs in");
        // These records have no office settings, so the administrator would
        // be asked for them first: measure the home view itself.
        app.workspace_mut()
            .expect("records")
            .go(lajur::ui::workspace::Place::Home);
        let ctx = egui::Context::default();
        for tab in [HomeTab::Tasks, HomeTab::All] {
            app.workspace_mut().expect("records").home_mut().tab = tab;
            // Warm up: fonts installed, lists read, text shaped, as in a running window.
            for _ in 0..5 {
                frame(&ctx, &mut app);
            }
            group.bench_function(BenchmarkId::new(format!("home_frame_{tab:?}"), size), |b| {
                b.iter(|| frame(&ctx, &mut app))
            });
        }
        let count = app
            .workspace()
            .map(|w| w.home().list.count())
            .unwrap_or_default();
        eprintln!("{size}: the list holds {count} kegiatan");
        drop(app);

        let mut store = Store::open(&dir).expect("opens");
        let user = store.user_by_name("ani").expect("user");
        let ids: Vec<i64> = {
            let mut stmt = store
                .connection()
                .prepare("SELECT id FROM kegiatan ORDER BY id DESC LIMIT 50")
                .expect("ids");
            stmt.query_map([], |r| r.get(0))
                .expect("ids")
                .collect::<Result<_, _>>()
                .expect("ids")
        };
        let mut n = 0;
        group.bench_function(BenchmarkId::new("open_kegiatan_view", size), |b| {
            b.iter(|| {
                n = (n + 1) % ids.len();
                KegiatanScreen::load(&mut store, &user, ids[n], Lang::Id).expect("loads")
            })
        });
        let filter = KegiatanFilter::default();
        let last_page = store
            .count_kegiatan(&filter)
            .expect("count")
            .saturating_sub(100);
        group.bench_function(BenchmarkId::new("list_page_last", size), |b| {
            b.iter(|| store.list_kegiatan(&filter, last_page, 100).expect("page"))
        });
        let search = KegiatanFilter {
            text: "Publikasi 99".into(),
            ..Default::default()
        };
        group.bench_function(BenchmarkId::new("search_count_and_first_page", size), |b| {
            b.iter(|| {
                (
                    store.count_kegiatan(&search).expect("count"),
                    store.list_kegiatan(&search, 0, 100).expect("page"),
                )
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(std::time::Duration::from_secs(3)).warm_up_time(std::time::Duration::from_secs(1));
    targets = bench_workspace
}
criterion_main!(benches);
