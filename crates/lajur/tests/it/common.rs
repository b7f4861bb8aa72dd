#![allow(dead_code)] // Each test file uses its own part of this module.
//! What the window tests share: a harness on the real app, typing into a
//! field found by its role and accessible name, pressing a button by name.

use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lajur::ui::LajurApp;

/// The whole window at this size, run until it settles.
pub fn harness(app: &mut LajurApp, width: f32, height: f32) -> Harness<'_> {
    let mut harness = Harness::builder()
        .with_max_steps(12)
        .with_size(egui::vec2(width, height))
        .build_ui(|ui| app.ui(ui));
    harness.run();
    harness
}

pub fn type_into(h: &mut Harness, role: Role, label: &str, text: &str) {
    let node = h.get_by_role_and_label(role, label);
    node.focus();
    node.type_text(text);
    h.run();
}

pub fn press(h: &mut Harness, label: &str) {
    h.get_by_role_and_label(Role::Button, label).click();
    h.run();
}
