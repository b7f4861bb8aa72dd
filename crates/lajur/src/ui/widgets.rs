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

/// Set when a file dialog gave nothing back faster than anyone could have
/// cancelled it: it did not open (no dialog program or portal on this PC).
/// The window says so once (see [`take_dialog_failure`]).
static DIALOG_FAILED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Shows a system file dialog (`show` builds and runs it). A dialog that
/// answers "nothing" within a quarter of a second never opened: that is
/// remembered and logged, so the button is not silent.
pub fn file_dialog<T>(show: impl FnOnce() -> Option<T>) -> Option<T> {
    let started = std::time::Instant::now();
    let chosen = show();
    if chosen.is_none() && started.elapsed() < std::time::Duration::from_millis(250) {
        log::warn!("the file dialog returned at once: it could not open");
        DIALOG_FAILED.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    chosen
}

/// Whether a file dialog failed to open since the last call.
pub fn take_dialog_failure() -> bool {
    DIALOG_FAILED.swap(false, std::sync::atomic::Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dialog_that_answers_at_once_did_not_open() {
        take_dialog_failure();
        // Cancelled by a person: takes longer than a quarter of a second.
        let cancelled: Option<()> = file_dialog(|| {
            std::thread::sleep(std::time::Duration::from_millis(300));
            None
        });
        assert!(cancelled.is_none());
        assert!(!take_dialog_failure());
        // Nothing, at once: the dialog never showed.
        let failed: Option<()> = file_dialog(|| None);
        assert!(failed.is_none());
        assert!(take_dialog_failure());
        assert!(!take_dialog_failure(), "said once");
        // A choice is a choice, however fast.
        assert_eq!(file_dialog(|| Some(7)), Some(7));
        assert!(!take_dialog_failure());
    }
}
