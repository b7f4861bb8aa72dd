//! The office at work: first run and sign-in, the home view (tasks, all
//! kegiatan, a new kegiatan), one kegiatan on its flowchart, and the users.
//! Every change goes through the store, which asks the engine; nothing here
//! decides who may do what: it shows what the store allows and its refusals.

use super::widgets::{field, or_report};
use std::path::PathBuf;

use egui::{Color32, RichText};

use super::desk::{Desk, Finished, Request};
pub use super::desk::{Message, Place};
use super::home::Home;
use super::kegiatan::KegiatanScreen;
use super::theme::{ERROR_RED, MUTED, OK_GREEN};
use super::users::UsersScreen;
use super::worker::{Answer, Ticket};
use lajur_core::locale::{self as i18n, Lang, Text};
use lajur_core::sop::source::LoadedSop;
use lajur_records::{KegiatanId, NewUser, Store, StoreError, User};

/// How long the frame that asked for an action waits for its answer.
const QUICK_ANSWER: std::time::Duration = std::time::Duration::from_millis(30);

#[derive(Default)]
struct SignInForm {
    username: String,
    password: String,
    error: Option<String>,
    /// Put the cursor in the password field on the next frame: when the
    /// form first shows with a user chosen, and after a wrong password (the
    /// field lost the keyboard on Enter; typing again must reach it).
    focus_password: bool,
    /// The users, read when the screen first shows, not per frame.
    users: Option<Vec<User>>,
    /// What happened before signing in was asked (a restore), said above
    /// the form until someone signs in.
    notice: Option<String>,
    /// The password being checked by the worker (Argon2: up to a second on
    /// a weak PC), the window drawn meanwhile.
    checking: Option<Ticket<Result<User, StoreError>>>,
}

#[derive(Default)]
struct FirstRunForm {
    name: String,
    jabatan: String,
    username: String,
    password: String,
    repeat: String,
    error: Option<String>,
}

/// "Does this paper match the records?": a code or QR text, and the answer.
#[derive(Default)]
struct VerifyForm {
    text: String,
    answer: Option<VerifyAnswer>,
    /// The code field takes the keyboard when the window opens.
    focused: bool,
    /// The chain head now, as a short code, read when the window opens.
    head: Option<String>,
    /// The whole records check: asked (shown as busy for a frame first, it
    /// reads every file), then its answer, one line per finding.
    audit: AuditState,
}

#[derive(Default)]
enum AuditState {
    #[default]
    NotAsked,
    Asked,
    /// The worker is reading every record and file.
    Running(Ticket<(bool, Vec<String>)>),
    Done {
        ok: bool,
        lines: Vec<String>,
    },
}

#[derive(Default)]
struct PasswordForm {
    old: String,
    new: String,
    repeat: String,
    error: Option<String>,
}

pub struct Workspace {
    /// What every screen shares: the records, who is signed in, where, the message.
    pub(super) desk: Desk,
    pub(super) home: Home,
    pub(super) kegiatan: Option<KegiatanScreen>,
    pub(super) users: UsersScreen,
    pub(super) office: super::office::OfficeScreen,
    sign_in: SignInForm,
    first_run: FirstRunForm,
    /// A new PC of an office already on the server joins from the first
    /// screen, instead of making a first administrator of its own.
    first_run_server: super::office::ServerForm,
    password: Option<PasswordForm>,
    verify: Option<VerifyForm>,
    /// Where to go once signed in (the last view of the previous session).
    pub(super) resume: Option<Place>,
    /// A backup to restore, asked for in Pengaturan kantor: the window does
    /// it, since the records must be closed first.
    restore_asked: Option<PathBuf>,
    /// Another PC wrote: the worker reads it in (see `hear_the_server`).
    news_waiting: bool,
    catching_up: Option<Ticket<Result<usize, StoreError>>>,
}

impl Workspace {
    pub fn new(store: Store) -> Workspace {
        Workspace {
            desk: Desk::new(store),
            home: Home::default(),
            kegiatan: None,
            users: UsersScreen::default(),
            office: super::office::OfficeScreen::default(),
            sign_in: SignInForm::default(),
            first_run: FirstRunForm::default(),
            first_run_server: super::office::ServerForm::default(),
            password: None,
            verify: None,
            resume: None,
            restore_asked: None,
            news_waiting: false,
            catching_up: None,
        }
    }

    pub fn store(&self) -> &Store {
        &self.desk.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.desk.store
    }

    pub fn user(&self) -> Option<&User> {
        self.desk.user.as_ref()
    }

    pub fn place(&self) -> Place {
        self.desk.place
    }

    /// Where to go after the next sign-in (the view the last session ended on).
    pub fn resume_at(&mut self, place: Place) {
        self.resume = Some(place);
    }

    pub fn home(&self) -> &super::home::Home {
        &self.home
    }

    pub fn home_mut(&mut self) -> &mut super::home::Home {
        &mut self.home
    }

    pub fn kegiatan_screen(&self) -> Option<&KegiatanScreen> {
        self.kegiatan.as_ref()
    }

    /// Forgets the last message: it belonged to the view the person left.
    pub fn clear_message(&mut self) {
        self.desk.message = None;
    }

    /// Whether an action is being written (the window shows "Menyimpan…").
    pub fn busy(&self) -> bool {
        self.desk.busy()
    }

    pub fn message(&self) -> Option<&Message> {
        self.desk.message.as_ref()
    }

    /// The user name to offer on the sign-in screen (the last one signed in).
    pub fn remember_user(&mut self, username: &str) {
        if self.sign_in.username.is_empty() {
            self.sign_in.username = username.to_string();
            self.sign_in.focus_password = true;
        }
    }

    pub(super) fn fail(&mut self, e: &StoreError, lang: Lang) {
        self.desk.fail(e, lang);
    }

    /// Signs in (the store checks the password) and goes to the last view.
    pub fn sign_in(&mut self, username: &str, password: &str) -> Result<(), StoreError> {
        let user = self.desk.store.authenticate(username.trim(), password)?;
        self.signed_in(user);
        Ok(())
    }

    /// Opens the window for someone whose password was accepted.
    fn signed_in(&mut self, user: User) {
        // The sign-in form offers this person first next time.
        self.sign_in.username = user.username.clone();
        self.sign_in.notice = None;
        self.desk.user = Some(user);
        self.home.invalidate();
        self.users = UsersScreen::default();
        self.desk.message = None;
        let place = self.resume.take().unwrap_or(Place::Home);
        self.go(place);
        self.ask_settings_if_new(self.desk.lang);
    }

    /// An administrator of an office whose settings were never saved is
    /// asked for them first.
    fn ask_settings_if_new(&mut self, lang: Lang) {
        if self
            .desk
            .user
            .as_ref()
            .is_some_and(lajur_core::policy::may_change_office)
            && !self.desk.store.office().configured
        {
            self.desk.first_settings = true;
            self.office.reset();
            self.desk.place = Place::Office;
            self.kegiatan = None;
            self.desk.message = Some(Message::Done(
                Text::OfficeSettingsFirstRunShort.get(lang).into(),
            ));
        }
    }

    /// The office's settings screen (for the test harness and the top bar).
    pub fn office_screen(&mut self) -> &mut super::office::OfficeScreen {
        &mut self.office
    }

    pub fn sign_out(&mut self) {
        // What was being written is finished first: its answer belongs to
        // the one leaving.
        self.wait_for_work(self.desk.lang);
        self.desk.user = None;
        self.kegiatan = None;
        self.desk.place = Place::Home;
        self.home = Home::default();
        self.password = None;
        self.desk.message = None;
        self.office.reset();
        self.desk.first_settings = false;
        self.sign_in.password.clear();
        // The same person (or the next at this desk) types a password next.
        self.sign_in.focus_password = !self.sign_in.username.is_empty();
        // Users may have been added or deactivated meanwhile.
        self.sign_in.users = None;
    }

    /// Moves to a place, loading what it shows; a kegiatan that cannot be
    /// opened leaves the view where it was, with the reason.
    pub fn go(&mut self, place: Place) {
        match place {
            Place::Kegiatan(id) => self.open_kegiatan(id),
            Place::Users if !self.desk.user.as_ref().is_some_and(|u| u.is_admin) => {
                self.desk.place = Place::Home;
            }
            Place::Office => {
                // Each visit starts from what is saved.
                if self.desk.place != Place::Office {
                    self.office.reset();
                }
                self.desk.place = Place::Office;
                self.kegiatan = None;
            }
            other => {
                self.desk.place = other;
                self.kegiatan = None;
            }
        }
    }

    pub fn open_kegiatan(&mut self, id: KegiatanId) {
        let Some(user) = self.desk.user.clone() else {
            return;
        };
        match KegiatanScreen::load(&mut self.desk.store, &user, id, self.desk.lang) {
            Ok(screen) => {
                self.kegiatan = Some(screen);
                self.desk.place = Place::Kegiatan(id);
            }
            Err(e) => {
                self.desk.message = Some(Message::Failed(e.message(self.desk.lang)));
            }
        }
    }

    /// Re-reads the open kegiatan and the lists after a change.
    pub(super) fn refresh(&mut self) {
        self.home.invalidate();
        if let (Some(user), Some(screen)) = (self.desk.user.clone(), self.kegiatan.as_mut())
            && let Err(e) = screen.reload(&mut self.desk.store, &user, self.desk.lang)
        {
            self.desk.message = Some(Message::Failed(e.message(self.desk.lang)));
        }
    }

    /// Exports the open kegiatan's filled sheet (what "Ekspor lembar PDF…"
    /// does once a file is chosen).
    pub fn export_sheet_to(&mut self, user: &User, path: &std::path::Path, lang: Lang) {
        super::kegiatan::export_sheet_to(&mut self.desk, &mut self.kegiatan, user, path, lang);
        self.carry_out(lang);
    }

    /// The backup whose restore was asked for, once.
    pub fn take_restore(&mut self) -> Option<PathBuf> {
        self.restore_asked.take()
    }

    /// Says something above the sign-in form until someone signs in.
    pub fn set_sign_in_notice(&mut self, text: String) {
        self.sign_in.notice = Some(text);
    }

    /// Does what the screens asked for while they were drawn, in order.
    pub(super) fn carry_out(&mut self, lang: Lang) {
        for request in self.desk.take_requests() {
            match request {
                Request::Go(place) => self.go(place),
                Request::Refresh => self.refresh(),
                Request::Attach { paths, draft } => {
                    self.attach_files(paths, draft.as_deref(), lang)
                }
                Request::Restore(backup) => self.restore_asked = Some(backup),
            }
        }
    }

    /// Files dropped on the window: attached to the open kegiatan's current
    /// step, or added to the new kegiatan's first files.
    pub fn files_dropped(&mut self, paths: Vec<PathBuf>, lang: Lang) {
        if paths.is_empty() || self.desk.user.is_none() {
            return;
        }
        match self.desk.place {
            Place::Kegiatan(_) => self.attach_files(paths, None, lang),
            Place::Home => self.home.add_first_files(paths),
            Place::Users | Place::Office => {}
        }
    }

    /// Has the worker attach files to the open kegiatan's current step (a
    /// new version of `draft` when given). Each file is its own transaction:
    /// one that fails is reported and the others stay.
    pub(super) fn attach_files(&mut self, paths: Vec<PathBuf>, draft: Option<&str>, lang: Lang) {
        let (Some(user), Some(screen)) = (self.desk.user.clone(), self.kegiatan.as_ref()) else {
            return;
        };
        let id = screen.id();
        let Some(step) = screen.attach_step() else {
            self.desk.message = Some(Message::Failed(Text::CannotAttachNow.get(lang).into()));
            return;
        };
        let draft = draft.map(str::to_string);
        self.desk.act_off_thread(lang, move |store| {
            let mut done = Vec::new();
            let mut failed = Vec::new();
            for path in &paths {
                match store.attach(&user, id, &step, path, draft.as_deref()) {
                    Ok(a) => done.push(a.file_name),
                    Err(e) => failed.push(format!(
                        "{}: {}",
                        path.file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_else(|| path.display().to_string()),
                        e.message(lang)
                    )),
                }
            }
            Finished::done(
                id,
                if failed.is_empty() {
                    Message::Done(format!("{} {}", Text::Attached.get(lang), done.join(", ")))
                } else {
                    Message::Failed(format!(
                        "{} {}",
                        Text::AttachFailed.get(lang),
                        failed.join("; ")
                    ))
                },
            )
        });
    }

    /// Takes the worker's answer to the pending action once it has come.
    fn settle(&mut self, lang: Lang) {
        let done = self.desk.settle(lang);
        self.take_answers(&done, lang);
    }

    /// What the worker's answers mean for the open kegiatan's screen; then
    /// the lists and the kegiatan are read again.
    fn take_answers(&mut self, done: &[Finished], lang: Lang) {
        if done.is_empty() {
            return;
        }
        // A new PC joined the office server: its users arrived. Before
        // anyone signed in, the answer is said on the first screen.
        if done.iter().any(|f| f.joined == Some(true)) {
            self.sign_in.users = None;
        }
        if self.desk.user.is_none() {
            for f in done.iter().filter(|f| f.joined.is_some()) {
                match &f.message {
                    Some(Message::Done(words)) => self.sign_in.notice = Some(words.clone()),
                    Some(Message::Failed(words)) => {
                        self.first_run.error = Some(words.clone());
                    }
                    _ => {}
                }
            }
            self.desk.message = None;
        }
        if let Some(screen) = self.kegiatan.as_mut() {
            for finished in done {
                screen.finish(finished);
            }
        }
        self.carry_out(lang);
    }

    /// Records shared through the office server: what another PC wrote is
    /// read in as soon as it is heard, and the lists and the open kegiatan
    /// are read again; a lost connection is said until it is back.
    fn hear_the_server(&mut self, ctx: &egui::Context, lang: Lang) {
        let (news, connected, problem) = self.desk.server_news(ctx);
        match (connected, problem) {
            (Some(false), Some(lajur_core::failure::ServerProblem::Unreachable(_)) | None) => {
                self.desk.server_lost = Some(Text::ServerLost.get(lang).into());
            }
            (Some(false), Some(problem)) => {
                self.desk.server_lost = Some(format!(
                    "{} {}",
                    i18n::failure_message(&lajur_core::failure::Failure::Server(problem), lang),
                    Text::ServerSeeSettings.get(lang)
                ));
            }
            (Some(true), _) if self.desk.server_lost.is_some() => {
                self.desk.server_lost = None;
                self.desk.message = Some(Message::Done(Text::ServerBack.get(lang).into()));
            }
            _ => {}
        }
        // Read in by the worker (a query to the server and a local write:
        // never on the frame); what was heard meanwhile waits its turn.
        self.news_waiting |= news;
        if let Some(ticket) = &self.catching_up {
            let Some(read) = ticket.outcome(lang) else {
                return;
            };
            self.catching_up = None;
            match read {
                Ok(0) => {}
                // Settings another PC saved come with the rest.
                Ok(_) => match self.desk.store.reload_settings() {
                    Ok(()) => self.refresh(),
                    Err(e) => log::warn!("pengaturan kantor belum terbaca: {}", e.message(lang)),
                },
                Err(why) => log::warn!("catatan dari server belum terbaca: {why}"),
            }
        }
        if std::mem::take(&mut self.news_waiting) {
            match self.desk.work(|store| store.catch_up()) {
                Ok(ticket) => self.catching_up = Some(ticket),
                Err(e) => log::warn!("catatan dari server belum terbaca: {}", e.message(lang)),
            }
        }
    }

    /// Waits for the action being written and takes its answer (tests; and
    /// signing out, so the answer is not left for the next person).
    pub fn wait_for_work(&mut self, lang: Lang) {
        let done = self.desk.wait_for_work(lang);
        self.take_answers(&done, lang);
    }

    // ───────────── first run and sign-in ─────────────

    pub fn sign_in_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        // A new PC joining the office server from the first screen: the
        // worker's answer is taken here too.
        self.desk.repaint = Some(ui.ctx().clone());
        self.settle(lang);
        // Read once per visit (not per frame); every user, active or not: an
        // office with none yet gets the first-run form.
        if self.sign_in.users.is_none() {
            self.sign_in.users = Some(or_report(
                self.desk.store.users(),
                &mut self.sign_in.error,
                lang,
            ));
        }
        let first_run = self.sign_in.users.as_ref().is_some_and(Vec::is_empty);
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(24.0);
                ui.set_max_width(460.0);
                egui::Frame::group(ui.style())
                    .inner_margin(egui::Margin::same(20))
                    .show(ui, |ui| {
                        ui.set_width(420.0);
                        if first_run {
                            self.first_run_ui(ui, lang);
                        } else {
                            self.sign_in_form_ui(ui, lang);
                        }
                    });
            });
        });
    }

    fn first_run_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.heading(Text::WelcomeTitle.get(lang));
        ui.add(egui::Label::new(Text::FirstRunExplain.get(lang)).wrap());
        ui.add_space(8.0);
        let f = &mut self.first_run;
        let mut submit = false;
        egui::Grid::new("first_run")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                submit |= field(ui, Text::FullName.get(lang), &mut f.name, false);
                submit |= field(ui, Text::Jabatan.get(lang), &mut f.jabatan, false);
                submit |= field(ui, Text::UserName.get(lang), &mut f.username, false);
                submit |= field(ui, Text::Password.get(lang), &mut f.password, true);
                submit |= field(ui, Text::RepeatPassword.get(lang), &mut f.repeat, true);
            });
        ui.add_space(8.0);
        if ui.button(Text::CreateAdmin.get(lang)).clicked() {
            submit = true;
        }
        if submit {
            if f.password != f.repeat {
                f.error = Some(Text::PasswordsDiffer.get(lang).into());
            } else {
                let new = NewUser {
                    username: f.username.trim().to_string(),
                    name: f.name.trim().to_string(),
                    jabatan: f.jabatan.trim().to_string(),
                    is_admin: true,
                    password: f.password.clone(),
                    ..NewUser::default()
                };
                let password = f.password.clone();
                match self.desk.store.create_user(None, new) {
                    Ok(user) => {
                        self.first_run = FirstRunForm::default();
                        self.sign_in.users = None;
                        if let Err(e) = self.sign_in(&user.username, &password) {
                            self.fail(&e, lang);
                        } else if !self.desk.first_settings {
                            self.desk.place = Place::Users;
                            self.desk.message =
                                Some(Message::Done(Text::AdminCreated.get(lang).into()));
                        }
                    }
                    Err(e) => {
                        self.first_run.error = Some(e.message(lang));
                    }
                }
            }
        }
        if let Some(error) = &self.first_run.error {
            ui.colored_label(ERROR_RED, error);
        }
        ui.add_space(12.0);
        egui::CollapsingHeader::new(Text::FirstRunOrJoin.get(lang))
            .id_salt("first_run_server")
            .show(ui, |ui| {
                super::office::server_setup_ui(
                    &mut self.desk,
                    &mut self.first_run_server,
                    ui,
                    lang,
                );
            });
    }

    fn sign_in_form_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.heading(Text::SignInTitle.get(lang));
        if let Some(notice) = &self.sign_in.notice {
            ui.add(egui::Label::new(RichText::new(notice).color(OK_GREEN)).wrap());
        }
        ui.add_space(8.0);
        let users: Vec<User> = self
            .sign_in
            .users
            .iter()
            .flatten()
            .filter(|u| u.active)
            .cloned()
            .collect();
        let f = &mut self.sign_in;
        let mut submit = false;
        egui::Grid::new("sign_in")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let label = ui.label(Text::UserName.get(lang));
                let shown = users
                    .iter()
                    .find(|u| u.username == f.username)
                    .map(|u| format!("{} ({})", u.name, u.username))
                    .unwrap_or_else(|| Text::ChooseUser.get(lang).to_string());
                egui::ComboBox::from_id_salt("sign_in_user")
                    .selected_text(shown)
                    .width(260.0)
                    .show_ui(ui, |ui| {
                        for u in &users {
                            ui.selectable_value(
                                &mut f.username,
                                u.username.clone(),
                                format!("{} ({})", u.name, u.username),
                            );
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(Text::Password.get(lang));
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut f.password)
                            .password(true)
                            .desired_width(260.0),
                    )
                    .labelled_by(label.id);
                ui.end_row();
                if std::mem::take(&mut f.focus_password) {
                    response.request_focus();
                }
                submit |= response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            });
        ui.add_space(8.0);
        if f.checking.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(Text::CheckingPassword.get(lang));
            });
            submit = false;
        } else if ui.button(Text::SignIn.get(lang)).clicked() {
            submit = true;
        }
        if submit {
            let (username, password) = (f.username.clone(), std::mem::take(&mut f.password));
            if username.is_empty() {
                self.sign_in.error = Some(Text::ChooseUser.get(lang).into());
            } else {
                self.sign_in.error = None;
                self.desk.repaint = Some(ui.ctx().clone());
                match self
                    .desk
                    .work(move |store| store.authenticate(username.trim(), &password))
                {
                    Ok(ticket) => self.sign_in.checking = Some(ticket),
                    Err(e) => self.sign_in.error = Some(e.message(lang)),
                }
            }
        }
        self.take_sign_in_answer(lang);
        if let Some(error) = &self.sign_in.error {
            ui.colored_label(ERROR_RED, error);
        }
        ui.add_space(6.0);
        ui.label(
            RichText::new(Text::ForgotPassword.get(lang))
                .small()
                .color(MUTED),
        );
    }

    /// Signs in once the worker has checked the password, or says why not.
    fn take_sign_in_answer(&mut self, lang: Lang) {
        let Some(ticket) = &self.sign_in.checking else {
            return;
        };
        let Some(answer) = ticket.outcome(lang) else {
            return;
        };
        self.sign_in.checking = None;
        match answer {
            Ok(user) => self.signed_in(user),
            Err(error) => {
                self.sign_in.error = Some(error);
                self.sign_in.focus_password = true;
            }
        }
    }

    // ───────────── signed in ─────────────

    /// The user's name and the buttons for their own account, for the top bar.
    pub fn account_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let Some(user) = &self.desk.user else { return };
        let name = user.name.clone();
        if ui.button(Text::SignOut.get(lang)).clicked() {
            self.sign_out();
            return;
        }
        if ui.button(Text::ChangePassword.get(lang)).clicked() {
            self.password = Some(PasswordForm::default());
        }
        if ui.button(Text::Verify.get(lang)).clicked() {
            self.verify = Some(VerifyForm::default());
        }
        ui.label(RichText::new(name).strong());
    }

    /// The same, folded into one menu under the user's name, for a narrow
    /// window (1024 px): the top bar never draws one group over the other.
    pub fn account_menu_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let Some(user) = &self.desk.user else { return };
        let name = user.name.clone();
        let mut sign_out = false;
        ui.menu_button(format!("{name} ▼"), |ui| {
            if ui.button(Text::Verify.get(lang)).clicked() {
                self.verify = Some(VerifyForm::default());
                ui.close();
            }
            if ui.button(Text::ChangePassword.get(lang)).clicked() {
                self.password = Some(PasswordForm::default());
                ui.close();
            }
            if ui.button(Text::SignOut.get(lang)).clicked() {
                sign_out = true;
                ui.close();
            }
        });
        if sign_out {
            self.sign_out();
        }
    }

    /// Checks a paper's code (or QR text) against the records: the verdict,
    /// what disagrees, and what the records hold laid out as the paper has
    /// it, in the office's time, for the signer to compare line by line.
    pub fn verify_paper(&mut self, code_or_qr: &str, lang: Lang) -> VerifyAnswer {
        let offset = self.desk.store.calendar().utc_offset_minutes;
        let v = match self.desk.store.verify_code(code_or_qr) {
            Ok(v) => v,
            Err(e) => {
                return VerifyAnswer {
                    ok: false,
                    verdict: e.message(lang),
                    ..VerifyAnswer::default()
                };
            }
        };
        let mut answer = VerifyAnswer {
            ok: v.ok(),
            verdict: i18n::verification_verdict(&v, lang),
            problems: v
                .problems
                .iter()
                .map(|m| i18n::mismatch_message(m, lang))
                .collect(),
            ..VerifyAnswer::default()
        };
        let Some(seal) = &v.seal else {
            return answer;
        };
        answer.technical = format!("{}\nlog: {}", seal.payload, seal.log_head);
        answer
            .lines
            .push((Text::VerifyCode.get(lang).into(), seal.code.clone()));
        if let Some(id) = seal.kegiatan
            && let Ok(record) = self.desk.store.kegiatan_record(id)
        {
            let k = &record.kegiatan;
            answer.lines.push((
                Text::VerifyKegiatan.get(lang).into(),
                format!("#{} {}", k.id, k.title),
            ));
            answer.lines.push((
                Text::VerifySop.get(lang).into(),
                format!(
                    "{} ({})",
                    record.sop.identity.name, record.sop.identity.number
                ),
            ));
            answer.lines.push((
                Text::VerifyStarted.get(lang).into(),
                i18n::format_datetime(k.started_at, offset, lang),
            ));
            for e in &record.events {
                let step = record.sop.step(&e.step);
                let lane = record
                    .sop
                    .lane(&e.lane)
                    .map_or(e.lane.0.as_str(), |l| l.name.as_str());
                let mut remark = e.answer.clone().unwrap_or_default();
                if !e.note.trim().is_empty() {
                    if !remark.is_empty() {
                        remark.push_str(" · ");
                    }
                    remark.push_str(e.note.trim());
                }
                answer.steps.push([
                    step.map_or(String::new(), |s| s.number.clone()),
                    step.map_or(e.step.0.clone(), |s| s.activity.clone()),
                    format!("{} ({lane})", e.actor_name),
                    i18n::format_short_datetime(e.done_at, offset),
                    remark,
                ]);
            }
        }
        answer.lines.push((
            Text::VerifySigned.get(lang).into(),
            i18n::sealed_by(seal, offset, lang),
        ));
        answer.lines.push((
            Text::VerifySignerKey.get(lang).into(),
            format!(
                "{} · {} · {}",
                seal.signer_username,
                seal.key_fingerprint,
                i18n::format_datetime(seal.key_created, offset, lang)
            ),
        ));
        answer
            .lines
            .push((Text::VerifyHead.get(lang).into(), seal.head_code()));
        answer
    }

    /// The whole records check of the Verifikasi window (see `lajur
    /// verify`), done by the worker: it reads every file.
    fn start_audit(&mut self, lang: Lang) -> AuditState {
        let job = self.desk.work(move |store| match store.audit(&[]) {
            Ok(audit) => (
                audit.ok(),
                i18n::audit_message(&audit, lang)
                    .lines()
                    .map(str::to_string)
                    .collect(),
            ),
            Err(e) => (false, vec![e.message(lang)]),
        });
        match job {
            Ok(ticket) => AuditState::Running(ticket),
            Err(e) => AuditState::Done {
                ok: false,
                lines: vec![e.message(lang)],
            },
        }
    }

    fn verify_ui(&mut self, ctx: &egui::Context, lang: Lang) {
        self.desk.repaint = Some(ctx.clone());
        let Some(form) = self.verify.as_mut() else {
            return;
        };
        if form.head.is_none() {
            form.head = Some(match self.desk.store.log_head() {
                Ok((seq, hash)) => i18n::head_code(seq, &hash),
                Err(e) => e.message(lang),
            });
        }
        if let AuditState::Running(ticket) = &form.audit {
            match ticket.answer() {
                Answer::Waiting => {}
                Answer::Ready((ok, lines)) => form.audit = AuditState::Done { ok, lines },
                Answer::Lost => {
                    form.audit = AuditState::Done {
                        ok: false,
                        lines: vec![Text::WorkLost.get(lang).into()],
                    }
                }
            }
        }
        if matches!(form.audit, AuditState::Asked) {
            let running = self.start_audit(lang);
            if let Some(form) = self.verify.as_mut() {
                form.audit = running;
            }
        }
        let Some(form) = self.verify.as_mut() else {
            return;
        };
        let mut open = true;
        let mut check = false;
        // On a small screen (1024×600) the answer's own scrolling part is
        // shorter, so the window never runs off the bottom.
        let room = (ctx.content_rect().height() - 390.0).clamp(90.0, 300.0);
        egui::Window::new(Text::Verify.get(lang))
            .collapsible(false)
            .open(&mut open)
            .default_width(620.0)
            .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 60.0))
            .show(ctx, |ui| {
                ui.add(egui::Label::new(Text::VerifyExplain.get(lang)).wrap());
                ui.horizontal(|ui| {
                    let response = ui.add(
                        egui::TextEdit::singleline(&mut form.text)
                            .hint_text("LJR-XXXX-XXXX")
                            .desired_width(440.0),
                    );
                    if !form.focused {
                        response.request_focus();
                        form.focused = true;
                    }
                    check = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    check |= ui.button(Text::Check.get(lang)).clicked();
                });
                verify_window_body(ui, form, room, lang);
            });
        if check {
            let text = form.text.clone();
            let answer = self.verify_paper(&text, lang);
            if let Some(form) = self.verify.as_mut() {
                form.answer = Some(answer);
            }
        }
        if !open {
            self.verify = None;
        }
    }

    /// The change-password and verification windows, when open.
    pub fn dialogs_ui(&mut self, ctx: &egui::Context, lang: Lang) {
        self.verify_ui(ctx, lang);
        let Some(form) = self.password.as_mut() else {
            return;
        };
        let mut open = true;
        let mut submit = false;
        let mut cancel = false;
        egui::Window::new(Text::ChangePassword.get(lang))
            .collapsible(false)
            .resizable(false)
            .open(&mut open)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                egui::Grid::new("change_password")
                    .num_columns(2)
                    .spacing([12.0, 8.0])
                    .show(ui, |ui| {
                        submit |= field(ui, Text::OldPassword.get(lang), &mut form.old, true);
                        submit |= field(ui, Text::NewPassword.get(lang), &mut form.new, true);
                        submit |= field(ui, Text::RepeatPassword.get(lang), &mut form.repeat, true);
                    });
                ui.horizontal(|ui| {
                    submit |= ui.button(Text::Save.get(lang)).clicked();
                    cancel = ui.button(Text::Cancel.get(lang)).clicked();
                });
                if let Some(error) = &form.error {
                    ui.colored_label(ERROR_RED, error);
                }
            });
        if submit {
            let Some(user) = self.desk.user.clone() else {
                return;
            };
            if form.new != form.repeat {
                form.error = Some(Text::PasswordsDiffer.get(lang).into());
            } else {
                let (old, new) = (form.old.clone(), form.new.clone());
                match self.desk.store.change_password(&user, &old, &new) {
                    Ok(()) => {
                        self.password = None;
                        self.desk.message =
                            Some(Message::Done(Text::PasswordChanged.get(lang).into()));
                        return;
                    }
                    Err(e) => {
                        if let Some(form) = self.password.as_mut() {
                            form.error = Some(e.message(lang));
                        }
                    }
                }
            }
        }
        if !open || cancel {
            self.password = None;
        }
    }

    /// The message line under the top bar.
    pub fn message_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        self.desk.message_ui(ui, lang);
    }

    /// The signed-in window below the top bar: home, a kegiatan or the users.
    pub fn work_ui(&mut self, ui: &mut egui::Ui, lang: Lang, sops: &[LoadedSop]) {
        self.desk.repaint = Some(ui.ctx().clone());
        self.settle(lang);
        self.hear_the_server(ui.ctx(), lang);
        let dropped: Vec<PathBuf> = ui.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            self.files_dropped(dropped, lang);
        }
        let hovering_files = ui.input(|i| !i.raw.hovered_files.is_empty());
        // A kegiatan view without its records (it failed to open) falls back home.
        if matches!(self.desk.place, Place::Kegiatan(_)) && self.kegiatan.is_none() {
            self.desk.place = Place::Home;
        }
        match self.desk.place {
            Place::Home => super::home::home_ui(&mut self.desk, &mut self.home, ui, lang, sops),
            Place::Kegiatan(_) => {
                super::kegiatan::kegiatan_ui(&mut self.desk, &mut self.kegiatan, ui, lang)
            }
            Place::Users => super::users::users_ui(&mut self.desk, &mut self.users, ui, lang, sops),
            Place::Office => super::office::office_ui(&mut self.desk, &mut self.office, ui, lang),
        }
        self.carry_out(lang);
        // An action asked in this frame and written within its share of the
        // frame: drawn again at once with its result (egui repeats the pass
        // before painting), instead of one frame later.
        let done = self.desk.quick_answer(lang, QUICK_ANSWER);
        if !done.is_empty() {
            self.take_answers(&done, lang);
            ui.ctx().request_discard("hasil tindakan sudah ada");
        }
        if hovering_files {
            let rect = ui.ctx().content_rect();
            let painter = ui.ctx().layer_painter(egui::LayerId::new(
                egui::Order::Foreground,
                egui::Id::unique("drop_files"),
            ));
            painter.rect_filled(rect, 0.0, super::theme::DROP_SHADE);
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                Text::DropToAttach.get(lang),
                egui::FontId::proportional(24.0),
                Color32::WHITE,
            );
        }
    }
}

/// What Verifikasi found, laid out for a person: the verdict, what does not
/// agree, what the records hold as the paper prints it (the office's time,
/// names, step numbers), and the sealed text itself only behind "Detail
/// teknis".
#[derive(Debug, Clone, Default)]
pub struct VerifyAnswer {
    pub ok: bool,
    pub verdict: String,
    pub problems: Vec<String>,
    /// Label and value, as the paper's heading has them.
    pub lines: Vec<(String, String)>,
    /// No, step, done by (lane), done at, remarks.
    pub steps: Vec<[String; 5]>,
    pub technical: String,
}

/// The Verifikasi window below the code field: the paper's answer, then the
/// whole records' head code and check.
fn verify_window_body(ui: &mut egui::Ui, form: &mut VerifyForm, room: f32, lang: Lang) {
    if let Some(answer) = &form.answer {
        ui.separator();
        verify_answer_ui(ui, answer, room, lang);
    }
    ui.separator();
    ui.label(RichText::new(Text::WholeRecords.get(lang)).strong());
    ui.horizontal_wrapped(|ui| {
        ui.label(Text::HeadCodeNow.get(lang));
        ui.label(
            RichText::new(form.head.as_deref().unwrap_or_default())
                .monospace()
                .strong(),
        );
    });
    ui.add(
        egui::Label::new(
            RichText::new(Text::HeadCodeExplain.get(lang))
                .small()
                .color(MUTED),
        )
        .wrap(),
    );
    match &form.audit {
        AuditState::NotAsked => {
            if ui.button(Text::CheckAllRecords.get(lang)).clicked() {
                form.audit = AuditState::Asked;
            }
        }
        AuditState::Asked | AuditState::Running(_) => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(Text::CheckingRecords.get(lang));
            });
        }
        AuditState::Done { ok, lines } => {
            let color = if *ok { OK_GREEN } else { ERROR_RED };
            egui::ScrollArea::vertical()
                .id_salt("audit_lines")
                .max_height(room.min(160.0))
                .show(ui, |ui| {
                    for (n, line) in lines.iter().enumerate() {
                        let text = RichText::new(line);
                        ui.add(
                            egui::Label::new(if n == 0 {
                                text.strong().color(color)
                            } else {
                                text
                            })
                            .wrap(),
                        );
                    }
                });
            if ui.button(Text::CheckAgain.get(lang)).clicked() {
                form.audit = AuditState::Asked;
            }
        }
    }
}

fn verify_answer_ui(ui: &mut egui::Ui, answer: &VerifyAnswer, room: f32, lang: Lang) {
    let color = if answer.ok { OK_GREEN } else { ERROR_RED };
    ui.add(
        egui::Label::new(
            RichText::new(&answer.verdict)
                .color(color)
                .strong()
                .size(16.0),
        )
        .wrap(),
    );
    for p in &answer.problems {
        ui.add(egui::Label::new(RichText::new(format!("• {p}")).color(ERROR_RED)).wrap());
    }
    if answer.lines.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.label(RichText::new(Text::VerifyCompare.get(lang)).strong());
    egui::ScrollArea::both().max_height(room).show(ui, |ui| {
        egui::Grid::new("verify_lines")
            .num_columns(2)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                for (label, value) in &answer.lines {
                    ui.label(RichText::new(label).color(MUTED));
                    ui.add(egui::Label::new(value).wrap());
                    ui.end_row();
                }
            });
        if !answer.steps.is_empty() {
            ui.add_space(6.0);
            egui::Grid::new("verify_steps")
                .num_columns(5)
                .striped(true)
                .spacing([10.0, 4.0])
                .show(ui, |ui| {
                    for heading in [
                        Text::VerifyColNo,
                        Text::VerifyColStep,
                        Text::VerifyColWho,
                        Text::VerifyColDone,
                        Text::VerifyColRemark,
                    ] {
                        ui.label(RichText::new(heading.get(lang)).strong());
                    }
                    ui.end_row();
                    // The step and the remarks wrap in a set width; the
                    // rest stay on one line, as on the paper's table.
                    const WIDTHS: [Option<f32>; 5] = [None, Some(260.0), None, None, Some(200.0)];
                    for row in &answer.steps {
                        for (cell, width) in row.iter().zip(WIDTHS) {
                            match width {
                                Some(w) => {
                                    ui.vertical(|ui| {
                                        ui.set_width(w);
                                        ui.add(egui::Label::new(cell).wrap());
                                    });
                                }
                                None => {
                                    ui.add(egui::Label::new(cell).extend());
                                }
                            }
                        }
                        ui.end_row();
                    }
                });
        }
    });
    if !answer.technical.is_empty() {
        ui.add_space(6.0);
        egui::CollapsingHeader::new(Text::VerifyTechnical.get(lang))
            .default_open(false)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .max_height(200.0)
                    .show(ui, |ui| {
                        ui.add(
                            egui::Label::new(RichText::new(&answer.technical).monospace()).wrap(),
                        );
                    });
            });
    }
}
