//! What every screen of the signed-in window shares: the records, who is
//! signed in, where the window is, the message under the top bar, and the
//! requests a screen makes of the window (go elsewhere, read again, attach
//! files), which the workspace carries out after the screen is drawn. A
//! screen holds its own state and this desk, never the other screens.

use std::path::PathBuf;

use egui::RichText;

use super::theme::{ERROR_RED, OK_GREEN};
use lajur_core::locale::{Lang, Text};
use lajur_records::{KegiatanId, Store, StoreError, User};

/// The height of the message line, points: one button's row.
const MESSAGE_LINE: f32 = 26.0;

/// Which part of the signed-in window is on show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Place {
    Home,
    Kegiatan(KegiatanId),
    Users,
    /// Pengaturan kantor.
    Office,
}

/// A message under the top bar: what just happened, or why it did not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Done(String),
    Failed(String),
    /// A file was written: shown with a button that opens it.
    Saved(PathBuf),
}

/// What a screen asks the window to do once it is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Show another place (a kegiatan is read and laid out first).
    Go(Place),
    /// The records changed: read the open kegiatan and the lists again.
    Refresh,
    /// Attach files to the open kegiatan's current step (a new version of
    /// the draft when named).
    Attach {
        paths: Vec<PathBuf>,
        draft: Option<String>,
    },
    /// Replace the records with this backup (the window closes them first).
    Restore(PathBuf),
}

pub struct Desk {
    pub store: Store,
    pub user: Option<User>,
    pub place: Place,
    pub message: Option<Message>,
    /// The office's settings are asked for before anything else (first run).
    pub first_settings: bool,
    /// The window's language, set by the app each frame.
    pub lang: Lang,
    /// Counts changes to the records made through this window, so lists
    /// know to read again.
    pub changes: u64,
    requests: Vec<Request>,
}

impl Desk {
    pub fn new(store: Store) -> Desk {
        Desk {
            store,
            user: None,
            place: Place::Home,
            message: None,
            first_settings: false,
            lang: Lang::default(),
            changes: 0,
            requests: Vec::new(),
        }
    }

    /// Asks to show another place once this frame's screen is drawn.
    pub fn go(&mut self, place: Place) {
        self.requests.push(Request::Go(place));
    }

    /// Says the records changed: the open kegiatan and the lists are read again.
    pub fn refresh(&mut self) {
        self.changes += 1;
        self.requests.push(Request::Refresh);
    }

    /// Asks to attach files to the open kegiatan's current step.
    pub fn attach_files(&mut self, paths: Vec<PathBuf>, draft: Option<&str>) {
        self.requests.push(Request::Attach {
            paths,
            draft: draft.map(str::to_string),
        });
    }

    /// Asks the window to restore the records from a checked backup.
    pub fn restore(&mut self, backup: PathBuf) {
        self.requests.push(Request::Restore(backup));
    }

    /// The requests made since they were last taken, oldest first.
    pub fn take_requests(&mut self) -> Vec<Request> {
        std::mem::take(&mut self.requests)
    }

    /// Shows why something failed, in the clerk's words.
    pub fn fail(&mut self, e: &StoreError, lang: Lang) {
        self.message = Some(Message::Failed(e.message(lang)));
    }

    /// The message line under the top bar. Its room is kept while there is
    /// no message, so a message coming or going does not move what is under
    /// it (a tab jumping down just as it is clicked).
    pub fn message_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let Some(message) = self.message.clone() else {
            ui.allocate_space(egui::vec2(ui.available_width(), MESSAGE_LINE));
            return;
        };
        let (color, text) = match &message {
            Message::Done(t) => (OK_GREEN, t.clone()),
            Message::Failed(t) => (ERROR_RED, t.clone()),
            Message::Saved(path) => (
                OK_GREEN,
                format!("{} {}", Text::ExportSaved.get(lang), path.display()),
            ),
        };
        let mut close = false;
        ui.horizontal(|ui| {
            ui.set_min_height(MESSAGE_LINE);
            close = ui.button(Text::Close.get(lang)).clicked();
            if let Message::Saved(path) = &message
                && ui.button(Text::OpenPdf.get(lang)).clicked()
                && open::that_detached(path).is_err()
            {
                self.message = Some(Message::Failed(format!(
                    "{} {}",
                    Text::OpenFailed.get(lang),
                    path.display()
                )));
            }
            ui.add(egui::Label::new(RichText::new(text).color(color).strong()).wrap());
        });
        if close {
            self.message = None;
        }
    }
}
