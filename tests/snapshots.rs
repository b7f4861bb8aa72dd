//! Image snapshots of both seed flowcharts, rendered with wgpu. Opt-in
//! (`--features snapshots`): they need a Vulkan driver (Mesa's lavapipe in CI).
//! Regenerate with `UPDATE_SNAPSHOTS=1 cargo test --features snapshots --test snapshots`.
#![cfg(feature = "snapshots")]

use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lajur::i18n::Lang;
use lajur::library::SopSource;
use lajur::ui::LajurApp;

fn open(sop_button: Option<&str>, paged: bool) -> Harness<'static, LajurApp> {
    let app = LajurApp::new(Lang::Id, SopSource::Bundled);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .build_ui_state(|ui, app: &mut LajurApp| app.ui(ui), app);
    harness.run();
    if let Some(label) = sop_button {
        harness.get_by_role_and_label(Role::Button, label).click();
        harness.run();
    }
    if paged {
        harness.get_by_label("Per halaman").click();
        harness.run();
    }
    harness
}

#[test]
fn bunder_flowchart() {
    let mut harness = open(None, false);
    harness.snapshot("bunder_bersambung");
    let mut harness = open(None, true);
    harness.snapshot("bunder_per_halaman");
}

#[test]
fn mojogedang_flowchart() {
    let mut harness = open(Some("PENGELOLAAN WEBSITE DAN MEDIA SOSIAL"), false);
    harness.snapshot("mojogedang_bersambung");
}
