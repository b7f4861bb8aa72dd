//! Speed of the flowchart: layout, and one painted frame (CPU side: egui's pass
//! plus tessellation) at fit-width and zoomed in, for SOPs of growing size.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use lajur::ui::flowchart::FlowchartView;
use lajur_core::sop::sample;
use lajur_layout::{BundledFont, Flow, Layout, PageSettings, layout};
use std::hint::black_box;

fn bench_layout(c: &mut Criterion) {
    let mut group = c.benchmark_group("layout");
    for steps in [40usize, 200, 1000] {
        let sop = sample::generated(steps, 8, 5, 1);
        for flow in [Flow::Paged, Flow::Continuous] {
            let settings = PageSettings {
                flow,
                ..PageSettings::default()
            };
            group.bench_with_input(
                BenchmarkId::new(format!("{flow:?}"), steps),
                &sop,
                |b, sop| b.iter(|| layout(black_box(sop), &settings, BundledFont::get())),
            );
        }
    }
    group.finish();
}

fn frame_input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1366.0, 768.0),
        )),
        ..Default::default()
    }
}

/// Runs one frame of the flowchart view and tessellates it, as eframe would
/// before handing the triangles to the GPU.
fn frame(ctx: &egui::Context, view: &mut FlowchartView, layout: &Layout) -> usize {
    let output = ctx.run_ui(frame_input(), |ui| {
        view.ui(ui, layout, &|i| format!("Kegiatan {}", i + 1));
    });
    let prims = ctx.tessellate(output.shapes, output.pixels_per_point);
    prims.len()
}

fn bench_frame(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");
    for steps in [40usize, 200, 1000] {
        let sop = sample::generated(steps, 8, 5, 1);
        let layout = layout(
            &sop,
            &PageSettings {
                flow: Flow::Continuous,
                ..PageSettings::default()
            },
            BundledFont::get(),
        );
        for (name, zoom) in [("fit_width", None), ("zoom_300", Some(3.0))] {
            let ctx = egui::Context::default();
            lajur::ui::theme::apply(&ctx);
            let mut view = FlowchartView::default();
            if let Some(z) = zoom {
                view.set_zoom(z);
            }
            // Warm up: fonts installed, text shaped and cached, as in a running window.
            for _ in 0..3 {
                frame(&ctx, &mut view, &layout);
            }
            group.bench_function(BenchmarkId::new(name, steps), |b| {
                b.iter(|| frame(&ctx, &mut view, &layout))
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = bench_layout, bench_frame
}
criterion_main!(benches);
