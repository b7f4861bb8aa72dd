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
    // Not settled while something is being written (its spinner keeps
    // asking for frames): `settle` waits for that.
    harness.run_ok();
    harness
}

pub fn type_into(h: &mut Harness, role: Role, label: &str, text: &str) {
    let node = h.get_by_role_and_label(role, label);
    node.focus();
    node.type_text(text);
    h.run();
}

/// Presses the button by its accessibility action, not a pointer at where
/// it was drawn: a message arriving from the worker or the office server
/// between two frames may move the form, and a pointer click then misses.
pub fn press(h: &mut Harness, label: &str) {
    h.get_by_role_and_label(Role::Button, label)
        .click_accesskit();
    settle(h);
}

/// What the window shows while the records are being written or checked
/// off its thread (the spinner beside it keeps asking for frames).
const BUSY: [&str; 6] = [
    "Menyimpan…",
    "Saving…",
    "Memeriksa kata sandi…",
    "Checking the password…",
    "Memeriksa seluruh catatan",
    "Checking all records",
];

/// Runs frames until the window is idle: nothing being written, nothing
/// more to draw. Gives up (failing the test) after a minute.
pub fn settle(h: &mut Harness) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let settled = h.run_ok().is_some();
        let busy = BUSY
            .iter()
            .any(|text| h.query_all_by_label_contains(text).next().is_some());
        if settled && !busy {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the window stayed busy for a minute"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// Clears the text field labelled `label` and types `text` into it.
pub fn retype(h: &mut Harness, role: Role, label: &str, text: &str) {
    h.get_by_role_and_label(role, label).focus();
    h.run_ok();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_ok();
    h.get_by_role_and_label(role, label).type_text(text);
    h.run_ok();
}

/// Types the office server's address into the Server kantor form: the
/// local cluster's port, `database`, this PC's name and the role's password.
pub fn fill_server_form(h: &mut Harness, port: u16, database: &str, pc: &str, password: &str) {
    retype(
        h,
        Role::TextInput,
        "Alamat server (nama atau IP)",
        "127.0.0.1",
    );
    retype(h, Role::TextInput, "Port", &port.to_string());
    retype(h, Role::TextInput, "Basis data", database);
    retype(h, Role::TextInput, "Nama komputer ini", pc);
    retype(h, Role::PasswordInput, "Kata sandi peran", password);
}

/// Opens the data folder in the window as `app.open_records` does, on this
/// binary's engine: on the office server a folder not shared yet joins its
/// own database first (a folder that cannot be opened is left for the
/// window to refuse in its own words).
pub fn open_records(app: &mut LajurApp, dir: &std::path::Path) {
    if crate::ENGINE == crate::engine::Engine::OfficeServer {
        drop(crate::engine::open(dir));
    }
    app.open_records(dir);
}
