//! Look of the window: the bundled font, a light theme, text sized for an
//! office monitor, and every colour the window itself chooses (the document's
//! are lajur_layout::theme's).
// The one place colours are named (clippy.toml forbids it elsewhere).
#![allow(clippy::disallowed_methods)]

use std::sync::Arc;

use egui::{Color32, FontData, FontDefinitions, FontFamily, FontId, TextStyle};

use lajur_layout::text::{BOLD_TTF, REGULAR_TTF};

/// The family that draws bold text (Liberation Sans Bold).
pub fn bold_family() -> FontFamily {
    FontFamily::Name("lajur-bold".into())
}

/// Installs Liberation Sans as the window's font (egui's own fonts stay as
/// fallbacks for symbols), and the light theme.
pub fn apply(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        "liberation".into(),
        Arc::new(FontData::from_static(REGULAR_TTF)),
    );
    fonts.font_data.insert(
        "liberation-bold".into(),
        Arc::new(FontData::from_static(BOLD_TTF)),
    );
    let fallbacks = fonts
        .families
        .get(&FontFamily::Proportional)
        .cloned()
        .unwrap_or_default();
    if let Some(list) = fonts.families.get_mut(&FontFamily::Proportional) {
        list.insert(0, "liberation".into());
    }
    let mut bold = vec!["liberation-bold".to_string()];
    bold.extend(fallbacks);
    fonts.families.insert(bold_family(), bold);
    ctx.set_fonts(fonts);

    ctx.set_visuals(egui::Visuals::light());
    // Ctrl+plus/minus zoom the flowchart, not the whole window.
    ctx.options_mut(|o| o.zoom_with_keyboard = false);
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Heading,
                FontId::new(20.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(15.0, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(15.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Small,
                FontId::new(12.5, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(14.0, FontFamily::Monospace),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
    });
}

// ── the window's own colours (the document's are lajur_layout::theme's) ──

/// The desk the pages lie on.
pub const DESK: Color32 = Color32::from_rgb(0xD6, 0xD9, 0xDE);
/// A sheet of paper on screen.
pub const PAPER: Color32 = Color32::WHITE;
/// The row under the pointer, and the row chosen, on a plain SOP.
pub const HOVER_FILL: Color32 = Color32::from_rgb(0xFF, 0xF6, 0xD5);
pub const SELECT_FILL: Color32 = Color32::from_rgb(0xDC, 0xEB, 0xFF);
/// What is lit when the pointer is on its step.
pub const FOCUS_INK: Color32 = Color32::from_rgb(0x0B, 0x57, 0xD0);
/// Loops (arrows back to an earlier step) on a plain SOP.
pub const LOOP_INK: Color32 = Color32::from_rgb(0x9A, 0x3B, 0x00);
/// A kegiatan over its flowchart: steps done, the step it waits at, the path taken.
pub const DONE_FILL: Color32 = Color32::from_rgb(0xE3, 0xF4, 0xE6);
pub const CURRENT_FILL: Color32 = Color32::from_rgb(0xFF, 0xD9, 0x9A);
pub const TAKEN_INK: Color32 = Color32::from_rgb(0x1E, 0x6B, 0x2E);
pub const CURRENT_INK: Color32 = Color32::from_rgb(0xC2, 0x6A, 0x00);
pub const UNTAKEN_INK: Color32 = Color32::from_rgb(0x9A, 0x9E, 0xA6);
/// Messages: failed, done, a warning, and text that matters less.
pub const ERROR_RED: Color32 = Color32::from_rgb(0xB0, 0x1E, 0x1E);
pub const OK_GREEN: Color32 = Color32::from_rgb(0x1E, 0x6B, 0x2E);
pub const MUTED: Color32 = Color32::from_rgb(0x55, 0x5B, 0x66);
pub const WARNING_AMBER: Color32 = Color32::from_rgb(0x8A, 0x5A, 0x00);
/// The shadow under a page on the desk.
pub const PAGE_SHADOW: Color32 = Color32::from_black_alpha(40);
/// The window darkened while files are dragged over it.
pub const DROP_SHADE: Color32 = Color32::from_black_alpha(120);
