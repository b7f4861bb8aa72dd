//! The window. Views read state, draw it and turn clicks into calls on the core;
//! no rule about SOPs lives here.

pub mod app;
pub mod flowchart;
pub mod home;
pub mod kegiatan;
pub mod theme;
pub mod users;
pub mod workspace;

use std::process::ExitCode;

use crate::i18n::Lang;
use crate::library::SopSource;

pub use app::LajurApp;

/// Opens the main window and runs until it is closed.
pub fn run_window(
    lang: Lang,
    explicit_lang: bool,
    source: SopSource,
    data: std::path::PathBuf,
) -> ExitCode {
    let mut viewport = egui::ViewportBuilder::default();
    // The icon is ours (packaging/linux/lajur.svg rendered); a damaged one only
    // leaves the system's default.
    if let Ok(icon) =
        eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icons/lajur-256.png"))
    {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport: viewport
            .with_title("Lajur")
            .with_inner_size([1200.0, 760.0])
            .with_min_inner_size([640.0, 400.0]),
        ..Default::default()
    };
    let result = eframe::run_native(
        "Lajur",
        options,
        Box::new(move |cc| {
            let mut app = LajurApp::new(lang, source);
            app.open_records(&data);
            if let Some(remembered) = app::remembered_in(cc.storage) {
                app.restore(&remembered);
                // A language chosen on the command line wins over the last run's.
                if explicit_lang {
                    app.set_lang(lang);
                }
            }
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "Jendela Lajur tidak dapat dibuka: {e}\n\
                 (The Lajur window could not be opened.) Perintah baris seperti \
                 `lajur check` tetap dapat dipakai."
            );
            ExitCode::FAILURE
        }
    }
}
