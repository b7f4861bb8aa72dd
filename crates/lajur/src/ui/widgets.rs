//! Small pieces every screen uses: reading the records with the failure shown
//! in words (never an empty list that hides it), a labelled text field.

use lajur_core::locale::Lang;
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
