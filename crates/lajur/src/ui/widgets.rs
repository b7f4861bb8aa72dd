//! Small pieces every screen uses: reading the records with the failure shown
//! in words (never an empty list that hides it), a labelled text field.

use egui::RichText;

use super::theme::{ERROR_RED, MUTED};
use lajur_core::locale::{self as i18n, Lang, Text};
use lajur_records::StoreError;

/// What a read of the records gave, or its default when it failed: the
/// failure is logged and its message put where the screen shows errors, so
/// a list that could not be read never looks merely empty.
pub fn or_report<T: Default>(
    read: Result<T, StoreError>,
    shown: &mut Option<String>,
    lang: Lang,
) -> T {
    match read {
        Ok(value) => value,
        Err(e) => {
            log::error!("catatan tidak dapat dibaca: {e}");
            *shown = Some(e.message(lang));
            T::default()
        }
    }
}

/// One labelled text field in a two-column grid; true when Enter was pressed in it.
pub fn field(ui: &mut egui::Ui, label: &str, value: &mut String, password: bool) -> bool {
    let label = ui.label(label);
    let response = ui
        .add(
            egui::TextEdit::singleline(value)
                .password(password)
                .desired_width(260.0),
        )
        .labelled_by(label.id);
    ui.end_row();
    response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
}

/// The due time: plain, or red "Terlambat …" when past.
pub fn due_ui(
    ui: &mut egui::Ui,
    due: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
    offset: i32,
    lang: Lang,
) {
    let Some(due) = due else {
        ui.label(RichText::new(Text::NoDueTime.get(lang)).color(MUTED));
        return;
    };
    ui.vertical(|ui| {
        if due < now {
            ui.label(
                RichText::new(format!(
                    "{} {}",
                    Text::LateBy.get(lang),
                    i18n::describe_span(now - due, lang)
                ))
                .color(ERROR_RED)
                .strong(),
            );
        } else {
            ui.label(format!(
                "{} {}",
                Text::TimeLeft.get(lang),
                i18n::describe_span(due - now, lang)
            ));
        }
        ui.label(
            RichText::new(i18n::format_datetime(due, offset, lang))
                .small()
                .color(MUTED),
        );
    });
}

/// Writes an SOP's text to a file (whole or not at all); the message to show.
pub fn toml_saved(path: &std::path::Path, text: &str, lang: Lang) -> (bool, String) {
    match lajur_records::fsutil::write_atomically(path, text.as_bytes()) {
        Ok(()) => (
            true,
            format!("{} {}", Text::TomlSaved.get(lang), path.display()),
        ),
        Err(e) => (false, lajur_paper::ExportError::Write(e).message(lang)),
    }
}
