//! Look of the window: the bundled font, a light theme, text sized for an office monitor.

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily, FontId, TextStyle};

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
