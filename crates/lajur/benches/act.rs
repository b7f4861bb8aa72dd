//! From a click on Selesai (or a decision's first answer) to the settled
//! frame that shows the next step, in the real window logic (egui_kittest,
//! CPU only: the records written, the kegiatan view read and laid out
//! again, the frame built and tessellated), on the kegiatan view of a
//! 40-step SOP at 1366×768 and 1024×600. Rendering by the GPU (or Mesa's
//! software renderer) comes on top: see the `window_latency` benchmark.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use lajur::ui::LajurApp;
use lajur::ui::workspace::Place;
use lajur_core::locale::Lang;
use lajur_core::workflow::Allowed;
use lajur_records::library::SopSource;
use lajur_records::{NewUser, Store};

/// Records with one clerk in every lane of a generated 40-step SOP and
/// `count` kegiatan of it, just started.
fn records(dir: &std::path::Path, count: usize) -> String {
    let sop = lajur_core::sop::sample::generated(40, 6, 5, 7);
    let text = lajur_core::sop::format::write(&sop);
    let mut store = Store::open(dir).expect("store");
    // The first user is the administrator (asked for the office's settings
    // first); the clerk measured is the second.
    let admin = store
        .create_user(
            None,
            NewUser {
                username: "admin".into(),
                name: "Admin".into(),
                password: "rahasia".into(),
                ..NewUser::default()
            },
        )
        .expect("admin");
    let user = store
        .create_user(
            Some(&admin),
            NewUser {
                username: "ani".into(),
                name: "Ani".into(),
                lanes: sop.lanes.iter().map(|l| l.id.0.clone()).collect(),
                password: "rahasia".into(),
                ..NewUser::default()
            },
        )
        .expect("user");
    for k in 0..count {
        store
            .start_kegiatan(&user, &text, &format!("Bench {k}"), "")
            .expect("start");
    }
    text
}

fn bench_act(c: &mut Criterion) {
    let mut group = c.benchmark_group("act_to_frame");
    group.sample_size(30);
    for (w, h) in [(1366.0, 768.0), (1024.0, 600.0)] {
        let dir = tempfile::tempdir().expect("temp");
        records(dir.path(), 400);
        let mut app = LajurApp::new(Lang::Id, SopSource::Bundled);
        app.open_records(dir.path());
        app.workspace_mut()
            .expect("records")
            .sign_in("ani", "rahasia")
            .expect("signed in");
        let mut harness = Harness::builder()
            .with_max_steps(12)
            .with_size(egui::vec2(w, h))
            .build_ui_state(|ui, app: &mut LajurApp| app.ui(ui), app);
        let mut kegiatan = 1;
        harness
            .state_mut()
            .workspace_mut()
            .expect("ws")
            .go(Place::Kegiatan(kegiatan));
        harness.run();
        group.bench_function(
            BenchmarkId::new("click_to_settled_frame", format!("{w}x{h}")),
            |b| {
                b.iter_custom(|iterations| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iterations {
                        // The next button to press: Selesai, or the first answer.
                        let label = loop {
                            let ws = harness.state_mut().workspace_mut().expect("ws");
                            let user = ws.user().cloned().expect("user");
                            let allowed = ws.store_mut().allowed(&user, kegiatan).expect("allowed");
                            match allowed.first() {
                                Some(Allowed::Complete { .. }) => break "Selesai".to_string(),
                                Some(Allowed::Answer { label, .. }) => break label.clone(),
                                None => {
                                    // This kegiatan reached its end: the next one.
                                    kegiatan += 1;
                                    harness
                                        .state_mut()
                                        .workspace_mut()
                                        .expect("ws")
                                        .go(Place::Kegiatan(kegiatan));
                                    harness.run();
                                }
                            }
                        };
                        let log_rows = |h: &mut Harness<'_, LajurApp>| -> i64 {
                            h.state_mut()
                                .workspace_mut()
                                .expect("ws")
                                .store_mut()
                                .connection()
                                .query_row("SELECT COUNT(*) FROM log", [], |r| r.get(0))
                                .expect("count")
                        };
                        let before = log_rows(&mut harness);
                        let started = Instant::now();
                        // A step of several lanes says whose part: "Selesai (P1)".
                        harness
                            .query_all_by_role(Role::Button)
                            .find(|n| {
                                n.accesskit_node().label().is_some_and(|l| {
                                    l == label || l.starts_with(&format!("{label} ("))
                                })
                            })
                            .unwrap_or_else(|| panic!("no button {label}"))
                            .click();
                        // Until the result is drawn (a slow write shows
                        // "Menyimpan…" first, its spinner asking for frames).
                        harness.run_ok();
                        while harness.state().workspace().is_some_and(|w| w.busy()) {
                            harness.step();
                        }
                        harness.run();
                        total += started.elapsed();
                        // The click did the work (one more row in the log).
                        assert_eq!(log_rows(&mut harness), before + 1, "the click did nothing");
                    }
                    total
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench_act);
criterion_main!(benches);
