//! What every screen of the signed-in window shares: the records, who is
//! signed in, where the window is, the message under the top bar, and the
//! requests a screen makes of the window (go elsewhere, read again, attach
//! files), which the workspace carries out after the screen is drawn. A
//! screen holds its own state and this desk, never the other screens.

use std::path::PathBuf;

use egui::RichText;

use super::theme::{ERROR_RED, OK_GREEN};
use super::worker::{Answer, Ticket, Worker};
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

/// What a kegiatan's action came to, done by the worker: the message to
/// show, and what the kegiatan's screen makes of it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Finished {
    /// The kegiatan the action was on (its screen takes the rest).
    pub kegiatan: Option<KegiatanId>,
    pub message: Option<Message>,
    /// Said under the signer's password field instead of the message line.
    pub sign_error: Option<String>,
    /// The action used the typed note: it is cleared.
    pub clear_note: bool,
}

impl Finished {
    pub fn done(kegiatan: KegiatanId, message: Message) -> Finished {
        Finished {
            kegiatan: Some(kegiatan),
            message: Some(message),
            ..Finished::default()
        }
    }

    pub fn failed(kegiatan: KegiatanId, e: &StoreError, lang: Lang) -> Finished {
        Self::done(kegiatan, Message::Failed(e.message(lang)))
    }
}

pub struct Desk {
    /// Does the slow writes off the window's thread, on its own connection
    /// (started at the first; finished before the records close).
    worker: Option<Worker>,
    /// The action the worker is doing for the window: while it is there the
    /// window shows "Menyimpan…" and asks for no other.
    pending: Option<Ticket<Finished>>,
    /// The pending action was asked in this frame (see [`Desk::quick_answer`]).
    asked_now: bool,
    /// Woken when the worker has an answer.
    pub repaint: Option<egui::Context>,
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
            worker: None,
            pending: None,
            asked_now: false,
            repaint: None,
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

    /// Has `job` done on the records off the window's thread, after the
    /// jobs asked before it; the answer comes back on the ticket.
    pub fn work<R: Send + 'static>(
        &mut self,
        job: impl FnOnce(&mut Store) -> R + Send + 'static,
    ) -> Result<Ticket<R>, StoreError> {
        let worker = match self.worker.take() {
            Some(worker) => worker,
            None => Worker::start(self.store.another_connection()?)?,
        };
        let ticket = worker.run(self.repaint.as_ref(), self.store.settings_now(), job);
        self.worker = Some(worker);
        Ok(ticket)
    }

    /// Has a kegiatan's action done by the worker; the window shows it is
    /// busy until [`Desk::settle`] takes the answer.
    pub fn act_off_thread(
        &mut self,
        lang: Lang,
        job: impl FnOnce(&mut Store) -> Finished + Send + 'static,
    ) {
        match self.work(job) {
            Ok(ticket) => {
                self.pending = Some(ticket);
                self.asked_now = true;
            }
            Err(e) => self.fail(&e, lang),
        }
    }

    /// Whether an action is being written.
    pub fn busy(&self) -> bool {
        self.pending.is_some()
    }

    /// Most actions are written in a few milliseconds: the frame that asked
    /// for one waits that long (at most `limit`, a share of a frame) so its
    /// answer can be drawn at once, not a whole frame later (on a PC drawing
    /// without a GPU a frame is 20–120 ms). A slower one shows as busy.
    pub fn quick_answer(&mut self, lang: Lang, limit: std::time::Duration) -> Option<Finished> {
        if !std::mem::take(&mut self.asked_now) {
            return None;
        }
        let early = self.pending.as_ref()?.answer_within(limit);
        self.pending = Some(match early {
            Answer::Waiting => return None,
            Answer::Ready(finished) => Ticket::ready(finished),
            Answer::Lost => Ticket::lost(),
        });
        self.settle(lang)
    }

    /// Takes the worker's answer to the pending action once it has come:
    /// the message is shown and everything read again; the kegiatan's
    /// screen gets the rest.
    pub fn settle(&mut self, lang: Lang) -> Option<Finished> {
        let finished = match self.pending.as_ref()?.answer() {
            Answer::Waiting => return None,
            Answer::Ready(finished) => finished,
            Answer::Lost => Finished {
                message: Some(Message::Failed(Text::WorkLost.get(lang).into())),
                ..Finished::default()
            },
        };
        self.pending = None;
        if finished.sign_error.is_none() {
            self.refresh();
            if let Some(message) = &finished.message {
                self.message = Some(message.clone());
            }
        }
        Some(finished)
    }

    /// Waits for the pending action (tests, and closing the window).
    pub fn wait_for_work(&mut self, lang: Lang) -> Option<Finished> {
        let ticket = self.pending.take()?;
        let answer = ticket.wait();
        self.pending = Some(match answer {
            Some(finished) => Ticket::ready(finished),
            None => Ticket::lost(),
        });
        self.settle(lang)
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
        if self.busy() {
            ui.horizontal(|ui| {
                ui.set_min_height(MESSAGE_LINE);
                ui.spinner();
                ui.label(RichText::new(Text::Saving.get(lang)).strong());
            });
            return;
        }
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
