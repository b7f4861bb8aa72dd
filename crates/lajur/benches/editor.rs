//! The SOP editor while typing: one whole frame of the window (the form, the
//! live flowchart laid out again, the problems found again, tessellated) for
//! each keystroke into a step's Kegiatan, on SOPs of 10, 40 and 100 steps.
//! Target: under 5 ms per frame at 40 steps. Also an idle frame (no change).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::frame;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use lajur::ui::LajurApp;
use lajur::ui::app::Section;
use lajur_core::editor::{Edit, StepField};
use lajur_core::locale::Lang;
use lajur_records::library::SopSource;
use lajur_records::{LogoChange, NewUser, Store};

fn editor_app(dir: &std::path::Path, steps: usize) -> LajurApp {
    let mut store = Store::open(dir).expect("opens");
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
    let office = lajur_core::office::Office {
        unit_name: "Contoh".into(),
        district_name: "Contoh".into(),
        regency_name: "Contoh".into(),
        head_name: "Contoh".into(),
        ..Default::default()
    };
    store
        .save_office(&admin, &office, LogoChange::Keep)
        .expect("office");
    drop(store);
    let mut app = LajurApp::new(Lang::Id, SopSource::Bundled);
    app.open_records(dir);
    app.workspace_mut()
        .expect("records")
        .sign_in("admin", "rahasia")
        .expect("signed in");
    app.set_section(Section::Sops);
    app.new_sop_from(lajur_core::sop::sample::generated(steps, 5, 6, 7));
    app.sop_editor_mut()
        .expect("editor")
        .select_step(Some(steps / 2));
    app
}

fn bench_editor(c: &mut Criterion) {
    let mut group = c.benchmark_group("sop_editor");
    group.sample_size(40);
    for steps in [10usize, 40, 100] {
        let dir = tempfile::tempdir().expect("temp");
        let mut app = editor_app(dir.path(), steps);
        let ctx = egui::Context::default();
        // Warm up: fonts installed, text shaped, as in a running window.
        for _ in 0..5 {
            frame(&ctx, &mut app);
        }
        let row = steps / 2;
        let mut text = String::from("Memeriksa");
        group.bench_function(BenchmarkId::new("typing_frame", steps), |b| {
            b.iter(|| {
                // One more letter typed into the Kegiatan field, then the frame.
                text.push(if text.len() % 7 == 0 { ' ' } else { 'a' });
                if text.len() > 200 {
                    text.truncate(9);
                }
                app.sop_editor_mut()
                    .expect("editor")
                    .editor_mut()
                    .type_into(Edit::SetStep(row, StepField::Activity, text.clone()))
                    .expect("typed");
                frame(&ctx, &mut app)
            })
        });
        group.bench_function(BenchmarkId::new("idle_frame", steps), |b| {
            b.iter(|| frame(&ctx, &mut app))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_editor);
criterion_main!(benches);
