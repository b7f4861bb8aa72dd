//! What every screen of the signed-in window shares: the records, who is
//! signed in, where the window is, the message under the top bar, and the
//! requests a screen makes of the window (go elsewhere, read again, attach
//! files), which the workspace carries out after the screen is drawn. A
//! screen holds its own state and this desk, never the other screens.

use std::path::PathBuf;

use egui::RichText;

use super::theme::{ERROR_RED, OK_GREEN};
use super::worker::{Answer, Ticket, Worker};
use lajur_core::locale::{self as i18n, Lang, Text};
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
    /// The answer to joining the office server (None: the job was not a
    /// join): Some(true) when the records now go through it (the window's
    /// connection follows), Some(false) when it was refused.
    pub joined: Option<bool>,
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

/// What the window knows of the office server while it watches the journal.
#[derive(Debug, Default)]
pub struct ServerNews {
    /// Another PC wrote (or the connection came back): catch up.
    pub news: bool,
    /// None before the first answer; then whether the server answers.
    pub connected: Option<bool>,
    /// Why it does not, when it does not.
    pub problem: Option<lajur_core::failure::ServerProblem>,
}

pub struct Desk {
    /// Hears every entry another PC adds to the office's journal (records
    /// shared through the office server only).
    watch: Option<lajur_records::journal::Watch>,
    server_news: std::sync::Arc<std::sync::Mutex<ServerNews>>,
    /// Why the server cannot be used now (it does not answer, it refuses
    /// the password): said in the message line until it can.
    pub server_lost: Option<String>,
    /// Does the slow writes off the window's thread, on its own connection
    /// (started at the first; finished before the records close).
    worker: Option<Worker>,
    /// The actions the worker is doing for the window, oldest first (a
    /// draft dropped while a step is being saved waits its turn): while
    /// there are any the window shows "Menyimpan…".
    pending: std::collections::VecDeque<Ticket<Finished>>,
    /// The newest action was asked in this frame (see [`Desk::quick_answer`]).
    asked_now: bool,
    /// The password typed for the office server while this PC joins it.
    joining_password: Option<String>,
    /// An action of the work still queued failed: its message is not
    /// replaced by a later success of the same burst.
    burst_failed: bool,
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
            watch: None,
            server_news: std::sync::Arc::default(),
            server_lost: None,
            worker: None,
            pending: std::collections::VecDeque::new(),
            asked_now: false,
            joining_password: None,
            burst_failed: false,
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
                self.pending.push_back(ticket);
                self.asked_now = true;
            }
            Err(e) => self.fail(&e, lang),
        }
    }

    /// Starts hearing the office server (once, when the records are shared
    /// there); afterwards, what it said since the last frame.
    pub fn server_news(
        &mut self,
        ctx: &egui::Context,
    ) -> (
        bool,
        Option<bool>,
        Option<lajur_core::failure::ServerProblem>,
    ) {
        if self.watch.is_none()
            && let Some(shared) = self.store.shared()
        {
            let news = self.server_news.clone();
            let ctx = ctx.clone();
            let started = lajur_records::journal::Watch::start(shared, move |heard| {
                if let Ok(mut n) = news.lock() {
                    match heard {
                        lajur_records::journal::Heard::Connected => {
                            n.connected = Some(true);
                            n.news = true;
                        }
                        lajur_records::journal::Heard::Entry(_) => n.news = true,
                        lajur_records::journal::Heard::Lost(problem) => {
                            n.connected = Some(false);
                            n.problem = Some(problem);
                        }
                    }
                }
                ctx.request_repaint();
            });
            match started {
                Ok(watch) => self.watch = Some(watch),
                Err(e) => log::warn!("pengamat server tidak dapat dimulai: {e}"),
            }
        }
        match self.server_news.lock() {
            Ok(mut n) => (std::mem::take(&mut n.news), n.connected, n.problem.clone()),
            Err(_) => (false, None, None),
        }
    }

    /// The office server's password for this PC: the window's connection,
    /// the worker's and the watch's all use it from now on.
    /// Kept in the PC's credential store; returns what became of it.
    pub fn use_server_password(&mut self, password: &str, lang: Lang) -> String {
        self.store.use_server_password(password);
        self.restart_server_links();
        self.keep_server_password(password, lang)
    }

    /// The administrator accepted the office server's new certificate: this
    /// PC holds the server to it from now on (the window's connection, then
    /// the worker's and the watch's).
    pub fn accept_server_certificate(&mut self, certificate: Option<String>, lang: Lang) {
        match self
            .store
            .accept_server_certificate(self.user.as_ref(), certificate)
        {
            Ok(()) => {
                self.restart_server_links();
                self.server_lost = None;
                self.message = Some(Message::Done(
                    Text::ServerCertificateTaken.get(lang).to_string(),
                ));
            }
            Err(e) => self.fail(&e, lang),
        }
    }

    /// The worker's and the watch's connections are made again, with what
    /// the window's store now knows, at the next job and the next frame.
    fn restart_server_links(&mut self) {
        self.worker = None;
        self.watch = None;
        if let Ok(mut n) = self.server_news.lock() {
            *n = ServerNews::default();
        }
    }

    /// The records of this PC join the office server (see
    /// `Store::join_office_server`), on the worker: moving a large office
    /// takes a while, and the window shows it is busy meanwhile.
    pub fn join_office_server(
        &mut self,
        address: lajur_records::server::Address,
        pc: String,
        password: String,
        lang: Lang,
    ) {
        self.joining_password = Some(password);
        // The administrator signed in; none on a new PC's first screen.
        let by = self.user.clone();
        self.act_off_thread(lang, move |store| {
            let place = address.place();
            match store.join_office_server(by.as_ref(), &address, &pc) {
                Ok(joined) => Finished {
                    message: Some(Message::Done(crate::server_words::joined(
                        &joined, &place, lang,
                    ))),
                    joined: Some(true),
                    ..Finished::default()
                },
                Err(e) => Finished {
                    message: Some(Message::Failed(e.message(lang))),
                    joined: Some(false),
                    ..Finished::default()
                },
            }
        });
    }

    /// Whether this PC's records are being joined to the office server.
    pub fn joining_server(&self) -> bool {
        self.joining_password.is_some()
    }

    /// The worker joined the office server: the window's connection, and
    /// the worker's and the watch's after it, use it too; the password
    /// typed goes into the PC's credential store.
    fn follow_office_server(&mut self, lang: Lang) -> String {
        let password = self.joining_password.take().unwrap_or_default();
        if let Err(e) = self
            .store
            .adopt_shared((!password.is_empty()).then_some(password.as_str()))
        {
            return e.message(lang);
        }
        self.restart_server_links();
        // A lost server replaced by this one: the join's words say what
        // happened, not "tersambung lagi" at the watch's first answer.
        self.server_lost = None;
        if password.is_empty() {
            return String::new();
        }
        self.keep_server_password(&password, lang)
    }

    /// Keeps the password in the PC's credential store; what became of it.
    fn keep_server_password(&self, password: &str, lang: Lang) -> String {
        let Some(shared) = self.store.shared() else {
            return String::new();
        };
        let store = lajur_records::credentials::store_name().get(lang);
        match lajur_records::credentials::remember(&shared.address, password) {
            Ok(()) => i18n::fill(Text::ServerPasswordKept, lang, &[("store", store)]),
            Err(why) => i18n::fill(
                Text::ServerPasswordNotKept,
                lang,
                &[("store", store), ("why", &why.0)],
            ),
        }
    }

    /// Whether an action is being written.
    pub fn busy(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Most actions are written in a few milliseconds: the frame that asked
    /// for one waits that long (at most `limit`, a share of a frame) so its
    /// answer can be drawn at once, not a whole frame later (on a PC drawing
    /// without a GPU a frame is 20–120 ms). A slower one shows as busy.
    pub fn quick_answer(&mut self, lang: Lang, limit: std::time::Duration) -> Vec<Finished> {
        if !std::mem::take(&mut self.asked_now) {
            return Vec::new();
        }
        // The worker answers in order: the newest answered means all did.
        let Some(newest) = self.pending.back_mut() else {
            return Vec::new();
        };
        *newest = match newest.answer_within(limit) {
            Answer::Waiting => return Vec::new(),
            Answer::Ready(finished) => Ticket::ready(finished),
            Answer::Lost => Ticket::lost(),
        };
        self.settle(lang)
    }

    /// Takes the worker's answers that have come, in the order asked: the
    /// last message stays (a failure over the later successes of work asked
    /// while it was queued) and everything is read again; the kegiatan's
    /// screen gets the rest.
    pub fn settle(&mut self, lang: Lang) -> Vec<Finished> {
        let mut done = Vec::new();
        while let Some(oldest) = self.pending.front() {
            let finished = match oldest.answer() {
                Answer::Waiting => break,
                Answer::Ready(finished) => finished,
                Answer::Lost => Finished {
                    message: Some(Message::Failed(Text::WorkLost.get(lang).into())),
                    ..Finished::default()
                },
            };
            self.pending.pop_front();
            let mut finished = finished;
            if finished.joined == Some(false) {
                self.joining_password = None;
            }
            if finished.joined == Some(true) {
                let kept = self.follow_office_server(lang);
                if let Some(Message::Done(words)) = &mut finished.message
                    && !kept.is_empty()
                {
                    words.push(' ');
                    words.push_str(&kept);
                }
            }
            if finished.sign_error.is_none() {
                self.refresh();
                match &finished.message {
                    Some(failed @ Message::Failed(_)) => {
                        self.message = Some(failed.clone());
                        self.burst_failed = true;
                    }
                    Some(message) if !self.burst_failed => self.message = Some(message.clone()),
                    _ => {}
                }
            }
            done.push(finished);
        }
        if self.pending.is_empty() {
            self.burst_failed = false;
        }
        done
    }

    /// Waits for the pending actions (tests, and signing out).
    pub fn wait_for_work(&mut self, lang: Lang) -> Vec<Finished> {
        for ticket in self.pending.iter_mut() {
            let waited = std::mem::replace(ticket, Ticket::lost());
            *ticket = match waited.wait() {
                Some(finished) => Ticket::ready(finished),
                None => Ticket::lost(),
            };
        }
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
        if let Some(lost) = &self.server_lost {
            ui.horizontal(|ui| {
                ui.set_min_height(MESSAGE_LINE);
                ui.add(egui::Label::new(RichText::new(lost).color(ERROR_RED).strong()).wrap());
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
