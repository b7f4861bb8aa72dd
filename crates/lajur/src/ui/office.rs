//! "Pengaturan kantor": the office's name and parents, address, logo, head,
//! time zone, working days and holidays, default paper and backups. Asked
//! right after the first administrator is made; an administrator edits it
//! later, everyone else reads it. The store checks and keeps it.

use std::path::Path;

use egui::RichText;

use super::desk::{Desk, Message, Place};
use super::theme::{ERROR_RED, MUTED, OK_GREEN};
use super::worker::Ticket;
use lajur_core::locale::{self as i18n, Lang, Text};
use lajur_core::office::{
    DistrictKind, HeadTitle, Logo, Office, OfficeProblem, RegencyKind, UnitKind, Zone,
};
use lajur_layout::Paper;
use lajur_records::LogoChange;
use lajur_records::server::{Address, Server, ServerError, ServerSummary};

/// The label column of every section, so that the fields line up.
const LABEL_WIDTH: f32 = 230.0;

/// The settings being edited, with the logo change not yet saved.
#[derive(Default)]
pub struct OfficeScreen {
    /// The office server's password for this PC, as typed.
    server_password: String,
    /// The office server's address being typed (a PC not yet sharing).
    server: ServerForm,
    form: Option<Office>,
    /// One date a line, as typed; read into the form on save.
    holidays: String,
    logo: Option<LogoChange>,
    /// The chosen file's name and the picture, to show before saving.
    logo_name: Option<String>,
    /// The new logo, decoded once when chosen.
    new_logo: Option<Logo>,
    /// The picture on show and its width over height, made once per change.
    logo_preview: Option<(egui::TextureHandle, f32)>,
    /// Problems of the last save attempt, each pointing at its field.
    problems: Vec<OfficeProblem>,
    bad_holidays: Vec<String>,
    error: Option<String>,
    /// A backup chosen to restore, checked, waiting for the administrator's yes.
    restore_offer: Option<lajur_records::BackupSummary>,
    /// "Periksa sertifikat server" on a shared PC.
    certificate: CertificateCheck,
}

/// The office server's certificate now, beside the one this PC holds it
/// to: after the IT person replaced the server's, the administrator
/// compares the two and accepts the new one (or sees that nothing changed).
#[derive(Default)]
struct CertificateCheck {
    asking: Option<Ticket<Result<Option<String>, lajur_records::StoreError>>>,
    /// What the server showed (None: no TLS), or why it could not be asked.
    shown: Option<Result<Option<String>, String>>,
    confirming: bool,
}

impl OfficeScreen {
    /// Checks a backup chosen to restore and, when it is a whole Lajur
    /// backup this build knows, offers it with what it holds (what the file
    /// dialog does once a file is chosen); else says why not.
    pub fn offer_restore(&mut self, path: &std::path::Path, lang: Lang) -> Result<(), String> {
        self.restore_offer = None;
        match lajur_records::check_backup(path) {
            Ok(Ok(summary)) => {
                self.restore_offer = Some(summary);
                Ok(())
            }
            Ok(Err(problem)) => Err(i18n::backup_problem_message(&problem, lang)),
            Err(e) => Err(e.message(lang)),
        }
    }

    fn load(&mut self, office: &Office) {
        self.form = Some(office.clone());
        self.holidays = office
            .holidays
            .iter()
            .map(|d| d.format("%d-%m-%Y").to_string())
            .collect::<Vec<_>>()
            .join("\n");
        self.logo = None;
        self.logo_name = None;
        self.logo_preview = None;
        self.new_logo = None;
        self.problems.clear();
        self.bad_holidays.clear();
        self.error = None;
    }

    /// Forgets edits, so the next visit reads the saved settings again.
    pub fn reset(&mut self) {
        *self = OfficeScreen::default();
    }

    /// The form's settings (after the first frame of a visit).
    pub fn form_mut(&mut self) -> Option<&mut Office> {
        self.form.as_mut()
    }

    pub fn set_holidays_text(&mut self, text: &str) {
        self.holidays = text.to_string();
    }

    pub fn problems(&self) -> &[OfficeProblem] {
        &self.problems
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// A logo file chosen in the dialog (or by a test): read and checked now,
    /// kept when the settings are saved.
    pub fn choose_logo(&mut self, path: &Path, lang: Lang) {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                self.error = Some(lajur_records::StoreError::Io(e).message(lang));
                return;
            }
        };
        match lajur_records::logo::decode_logo(&bytes) {
            Ok(decoded) => {
                self.logo = Some(LogoChange::Set(bytes));
                self.new_logo = Some(decoded);
                self.logo_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                self.logo_preview = None;
                self.error = None;
            }
            Err(e) => self.error = Some(i18n::logo_error_message(&e, lang)),
        }
    }
}

/// Reads "17-08-2026" lines; returns the dates and the lines that are not dates.
fn parse_holidays(text: &str) -> (Vec<chrono::NaiveDate>, Vec<String>) {
    let mut dates = Vec::new();
    let mut bad = Vec::new();
    for line in text.lines().flat_map(|l| l.split(',')) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match i18n::parse_date(line) {
            Some(d) => dates.push(d),
            None => bad.push(line.to_string()),
        }
    }
    dates.sort();
    dates.dedup();
    (dates, bad)
}

/// Saves the form through the store. True when saved.
pub fn save_office(desk: &mut Desk, screen: &mut OfficeScreen, lang: Lang) -> bool {
    let Some(user) = desk.user.clone() else {
        return false;
    };

    let Some(mut office) = screen.form.clone() else {
        return false;
    };
    let (dates, bad) = parse_holidays(&screen.holidays);
    screen.bad_holidays = bad;
    office.holidays = dates;
    office.head_nip = office.head_nip.trim().to_string();
    screen.problems = office.problems();
    if !screen.problems.is_empty() || !screen.bad_holidays.is_empty() {
        screen.error = Some(Text::FixMarked.get(lang).into());
        return false;
    }
    let change = screen.logo.clone().unwrap_or(LogoChange::Keep);
    match desk.store.save_office(&user, &office, change) {
        Ok(()) => {
            let first_time = desk.first_settings;
            screen.load(&office);
            desk.message = Some(Message::Done(Text::OfficeSettingsSaved.get(lang).into()));
            // The calendar changed: due times and lists are read again.
            desk.refresh();
            if first_time {
                desk.first_settings = false;
                desk.go(Place::Users);
            }
            true
        }
        Err(e) => {
            screen.error = Some(e.message(lang));
            false
        }
    }
}

fn combo<T: Copy + PartialEq>(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    value: &mut T,
    options: &[T],
    name: impl Fn(T) -> String,
) {
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(id)
        .selected_text(name(*value))
        .width(260.0)
        .show_ui(ui, |ui| {
            for o in options {
                ui.selectable_value(value, *o, name(*o));
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
}

fn text_row(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    hint: Option<&str>,
    problem: Option<&str>,
) {
    let l = ui.label(label);
    ui.vertical(|ui| {
        let mut edit = egui::TextEdit::singleline(value).desired_width(260.0);
        if let Some(h) = hint {
            edit = edit.hint_text(h);
        }
        ui.add(edit).labelled_by(l.id);
        if let Some(p) = problem {
            ui.colored_label(ERROR_RED, p);
        }
    });
    ui.end_row();
}

pub fn office_ui(desk: &mut Desk, screen: &mut OfficeScreen, ui: &mut egui::Ui, lang: Lang) {
    let is_admin = desk
        .user
        .as_ref()
        .is_some_and(lajur_core::policy::may_change_office);
    if screen.form.is_none() {
        let saved = desk.store.office().office.clone();
        screen.load(&saved);
    }
    let saved_logo = desk.store.office().logo.clone();
    let first = desk.first_settings;
    let mut save = false;
    // Save and what stops it stay in sight below the form, however long it is.
    egui::Panel::bottom("office_save").show(ui, |ui| {
        ui.add_space(6.0);
        // No dead button: staff see why they cannot save, not a Simpan
        // that does nothing.
        if !is_admin {
            ui.label(RichText::new(Text::OfficeSettingsAdminOnly.get(lang)).color(MUTED));
        }
        ui.scope(|ui| {
            if !is_admin {
                return;
            }
            ui.horizontal_wrapped(|ui| {
                save = ui
                    .button(RichText::new(Text::Save.get(lang)).strong())
                    .clicked();
                if let Some(e) = &screen.error {
                    ui.colored_label(ERROR_RED, e);
                }
            });
            for p in &screen.problems {
                ui.colored_label(
                    ERROR_RED,
                    format!("• {}", i18n::office_problem_message(*p, lang)),
                );
            }
        });
        ui.add_space(4.0);
    });
    egui::CentralPanel::default().show(ui, |ui| {
        desk.message_ui(ui, lang);
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading(Text::OfficeSettings.get(lang));
            let intro = if first {
                Text::OfficeSettingsFirstRun
            } else if is_admin {
                Text::OfficeSettingsExplain
            } else {
                Text::OfficeSettingsAdminOnly
            };
            ui.add(egui::Label::new(intro.get(lang)).wrap());
            ui.add_space(6.0);
            ui.add_enabled_ui(is_admin, |ui| {
                settings_form_ui(screen, ui, lang, saved_logo.as_deref());
            });
            if is_admin && !first {
                backups_ui(desk, screen, ui, lang);
            }
            if !first {
                server_ui(desk, screen, ui, lang, is_admin);
            }
        });
    });
    if save {
        save_office(desk, screen, lang);
    }
}

/// Where the records are kept: this PC alone, or the office server. On a PC
/// of its own the administrator connects it (Tes sambungan, then "Pindahkan
/// catatan ke server"); on a shared one everyone sees where and as which PC,
/// and the administrator gives the role's password when the server refuses it.
fn server_ui(
    desk: &mut Desk,
    screen: &mut OfficeScreen,
    ui: &mut egui::Ui,
    lang: Lang,
    is_admin: bool,
) {
    if desk.store.shared().is_none() && !is_admin {
        return;
    }
    ui.add_space(10.0);
    ui.label(RichText::new(Text::ServerHeading.get(lang)).strong());
    let Some(shared) = desk.store.shared() else {
        server_setup_ui(desk, &mut screen.server, ui, lang);
        return;
    };
    ui.label(format!(
        "{} ({})",
        shared.address.without_password(),
        shared.pc
    ));
    let tls = match shared.address.pin() {
        Some(pin) => i18n::fill(
            Text::ServerPinned,
            lang,
            &[("sha", pin.get(..16).unwrap_or(pin))],
        ),
        None => Text::ServerNotPinned.get(lang).to_string(),
    };
    ui.add(egui::Label::new(RichText::new(tls).small().color(MUTED)).wrap());
    if let Some(lost) = &desk.server_lost {
        ui.colored_label(ERROR_RED, lost);
    }
    if !is_admin {
        return;
    }
    let pc = shared.pc.clone();
    certificate_ui(desk, &mut screen.certificate, ui, lang);
    let label = ui.label(Text::ServerPassword.get(lang));
    let field = ui
        .add(
            egui::TextEdit::singleline(&mut screen.server_password)
                .password(true)
                .desired_width(260.0),
        )
        .labelled_by(label.id);
    let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    let typed = !screen.server_password.is_empty();
    if (ui
        .add_enabled(typed, egui::Button::new(Text::ServerUsePassword.get(lang)))
        .clicked()
        || enter)
        && typed
    {
        let password = std::mem::take(&mut screen.server_password);
        let kept = desk.use_server_password(&password, lang);
        desk.message = Some(Message::Done(kept));
    }
    ui.label(
        RichText::new(Text::ServerPasswordExplain.get(lang))
            .small()
            .color(MUTED),
    );
    // The server replaced (its disk died): this PC moves its copy onto the
    // new one, or is rebuilt from it (see `Store::join_office_server`).
    ui.add_space(4.0);
    egui::CollapsingHeader::new(Text::ServerReplace.get(lang))
        .id_salt("server_replace")
        .show(ui, |ui| {
            if !screen.server.named {
                screen.server.pc = pc;
                screen.server.named = true;
            }
            server_setup_ui(desk, &mut screen.server, ui, lang);
        });
}

/// "Periksa sertifikat server": asked on the worker (a server that does not
/// answer takes seconds to say so); the two fingerprints in groups of four,
/// to be read out with the IT person; a different one is accepted only
/// after a question.
fn certificate_ui(desk: &mut Desk, check: &mut CertificateCheck, ui: &mut egui::Ui, lang: Lang) {
    if let Some(found) = check.asking.as_ref().and_then(|t| t.outcome(lang)) {
        check.asking = None;
        check.shown = Some(found);
    }
    ui.horizontal_wrapped(|ui| {
        let idle = check.asking.is_none() && !desk.busy();
        if ui
            .add_enabled(
                idle,
                egui::Button::new(Text::ServerCheckCertificate.get(lang)),
            )
            .clicked()
        {
            check.shown = None;
            check.confirming = false;
            match desk.work(|store| store.server_certificate_now()) {
                Ok(ticket) => check.asking = Some(ticket),
                Err(e) => check.shown = Some(Err(e.message(lang))),
            }
        }
        if check.asking.is_some() {
            ui.spinner();
            ui.label(Text::ServerTesting.get(lang));
        }
    });
    let shown = match &check.shown {
        None => return,
        Some(Err(why)) => {
            ui.add(egui::Label::new(RichText::new(why).color(ERROR_RED)).wrap());
            return;
        }
        Some(Ok(shown)) => shown.clone(),
    };
    let kept = desk
        .store
        .shared()
        .and_then(|s| s.address.pin())
        .map(str::to_string);
    let none = Text::ServerCertificateNone.get(lang);
    let grouped = |sha: &Option<String>| match sha {
        Some(sha) => sha
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" "),
        None => none.to_string(),
    };
    let both = i18n::fill(
        Text::ServerCertificates,
        lang,
        &[("kept", &grouped(&kept)), ("shown", &grouped(&shown))],
    );
    ui.add(egui::Label::new(RichText::new(both).monospace().small()).wrap());
    if kept == shown {
        ui.add(
            egui::Label::new(RichText::new(Text::ServerCertificateSame.get(lang)).color(OK_GREEN))
                .wrap(),
        );
        return;
    }
    ui.add(
        egui::Label::new(RichText::new(Text::ServerCertificateDiffers.get(lang)).color(ERROR_RED))
            .wrap(),
    );
    if !check.confirming {
        if ui
            .add_enabled(
                !desk.busy(),
                egui::Button::new(Text::ServerCertificateAccept.get(lang)),
            )
            .clicked()
        {
            check.confirming = true;
        }
        return;
    }
    ui.add(egui::Label::new(Text::ServerCertificateAcceptConfirm.get(lang)).wrap());
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(
                !desk.busy(),
                egui::Button::new(Text::ServerCertificateAcceptYes.get(lang)),
            )
            .clicked()
        {
            desk.accept_server_certificate(shown, lang);
            *check = CertificateCheck::default();
        }
        if ui.button(Text::Cancel.get(lang)).clicked() {
            check.confirming = false;
        }
    });
}

/// The office server's address as the administrator types it.
pub struct ServerForm {
    host: String,
    port: String,
    database: String,
    role: String,
    password: String,
    pc: String,
    /// What "Tes sambungan" is doing or found.
    test: Option<Ticket<Result<ServerSummary, ServerError>>>,
    tested: Option<Result<String, String>>,
    /// "Pindahkan catatan ke server" was pressed: its question is shown.
    confirming: bool,
    problem: Option<String>,
    /// Whether this PC holds no records of its own (read once, not each frame).
    new_pc: Option<bool>,
    /// A shared PC's own name was put in "Nama komputer ini".
    named: bool,
}

impl Default for ServerForm {
    fn default() -> ServerForm {
        ServerForm {
            host: String::new(),
            port: "5432".into(),
            database: "lajur".into(),
            role: "lajur_pc".into(),
            password: String::new(),
            pc: this_pc_name(),
            test: None,
            tested: None,
            confirming: false,
            problem: None,
            new_pc: None,
            named: false,
        }
    }
}

impl ServerForm {
    /// The address typed, or why it is not one.
    fn address(&self, lang: Lang) -> Result<Address, String> {
        let port = match self.port.trim().parse::<u16>() {
            Ok(p) if p > 0 => p,
            _ => return Err(Text::ServerBadPort.get(lang).into()),
        };
        let address = Address::from_parts(&self.host, port, &self.database, &self.role)
            .map_err(|e| e.message(lang))?;
        Ok(if self.password.is_empty() {
            address
        } else {
            address.with_password(&self.password)
        })
    }

    /// This PC's name, when it is one the history can carry.
    fn pc(&self, lang: Lang) -> Result<String, String> {
        let pc = self.pc.trim();
        let fits = !pc.is_empty()
            && pc.len() <= 40
            && pc
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
        if fits {
            Ok(pc.to_string())
        } else {
            Err(Text::ServerPcNameMissing.get(lang).into())
        }
    }
}

/// The computer's own name, as a starting point for "Nama komputer ini".
fn this_pc_name() -> String {
    let name = std::env::var("COMPUTERNAME")
        .or_else(|_| std::env::var("HOSTNAME"))
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .unwrap_or_default();
    let name: String = name
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
        .take(40)
        .collect();
    if name.is_empty() { "pc".into() } else { name }
}

/// The address form, Tes sambungan and the move (or, on a new PC with no
/// records yet, receiving the office's records). Fits the settings page and
/// the first-run panel alike.
pub fn server_setup_ui(desk: &mut Desk, form: &mut ServerForm, ui: &mut egui::Ui, lang: Lang) {
    // A PC with no records of its own receives the office's: said so.
    let new_pc = *form.new_pc.get_or_insert_with(|| {
        desk.store
            .log_head()
            .map(|(seq, _)| seq == 0)
            .unwrap_or(false)
    });
    let explain = if desk.store.is_linked() {
        Text::ServerReplaceExplain
    } else if new_pc {
        Text::ServerJoinExplain
    } else {
        Text::ServerSetupExplain
    };
    ui.add(egui::Label::new(RichText::new(explain.get(lang)).small().color(MUTED)).wrap());
    let joining = desk.joining_server();
    let label_width = LABEL_WIDTH.min(ui.available_width() * 0.42);
    let field_width = (ui.available_width() - label_width - 16.0).clamp(120.0, 260.0);
    ui.add_enabled_ui(!joining && form.test.is_none(), |ui| {
        egui::Grid::new("server_form")
            .num_columns(2)
            .min_col_width(label_width)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                let row = |ui: &mut egui::Ui,
                           label: Text,
                           value: &mut String,
                           hint: Option<&str>,
                           secret: bool| {
                    let l = ui.label(label.get(lang));
                    let mut edit = egui::TextEdit::singleline(value)
                        .password(secret)
                        .desired_width(field_width);
                    if let Some(h) = hint {
                        edit = edit.hint_text(h);
                    }
                    ui.add(edit).labelled_by(l.id);
                    ui.end_row();
                };
                row(
                    ui,
                    Text::ServerHost,
                    &mut form.host,
                    Some("192.168.1.10"),
                    false,
                );
                row(ui, Text::ServerPort, &mut form.port, None, false);
                row(ui, Text::ServerDatabase, &mut form.database, None, false);
                row(ui, Text::ServerRole, &mut form.role, None, false);
                row(ui, Text::ServerRolePassword, &mut form.password, None, true);
                row(
                    ui,
                    Text::ServerPcName,
                    &mut form.pc,
                    Some(Text::ServerPcNameHint.get(lang)),
                    false,
                );
            });
    });
    // Tes sambungan: on the worker (a server that does not answer takes
    // seconds to say so).
    if let Some(found) = form.test.as_ref().and_then(|t| t.outcome(lang)) {
        form.test = None;
        form.tested =
            Some(found.map(|summary| crate::server_words::tested(&summary, lang).join(" ")));
    }
    let busy = joining || form.test.is_some() || desk.busy();
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(!busy, egui::Button::new(Text::ServerTest.get(lang)))
            .clicked()
        {
            form.tested = None;
            form.confirming = false;
            match form.address(lang) {
                Ok(address) => match desk.work(move |_| Server::connect(&address)?.summary()) {
                    Ok(ticket) => form.test = Some(ticket),
                    Err(e) => form.tested = Some(Err(e.message(lang))),
                },
                Err(why) => form.tested = Some(Err(why)),
            }
        }
        let go = if new_pc {
            Text::ServerJoin
        } else {
            Text::ServerMove
        };
        if ui
            .add_enabled(!busy, egui::Button::new(go.get(lang)))
            .clicked()
        {
            form.problem = None;
            match (form.address(lang), form.pc(lang)) {
                (Ok(_), Ok(_)) => form.confirming = true,
                (Err(why), _) | (_, Err(why)) => form.problem = Some(why),
            }
        }
        if form.test.is_some() {
            ui.spinner();
            ui.label(Text::ServerTesting.get(lang));
        }
        if joining {
            ui.spinner();
            ui.label(Text::ServerMoving.get(lang));
        }
    });
    match &form.tested {
        Some(Ok(words)) => {
            ui.add(egui::Label::new(words.as_str()).wrap());
        }
        Some(Err(why)) => {
            ui.colored_label(ERROR_RED, why);
        }
        None => {}
    }
    if let Some(why) = &form.problem {
        ui.colored_label(ERROR_RED, why);
    }
    if form.confirming && !joining {
        let (Ok(address), Ok(pc)) = (form.address(lang), form.pc(lang)) else {
            form.confirming = false;
            return;
        };
        let question = if new_pc {
            Text::ServerJoinConfirm
        } else {
            Text::ServerMoveConfirm
        };
        ui.add(egui::Label::new(i18n::fill(question, lang, &[("place", &address.place())])).wrap());
        ui.horizontal(|ui| {
            if ui
                .button(
                    RichText::new(if new_pc {
                        Text::ServerJoinYes.get(lang)
                    } else {
                        Text::ServerMoveYes.get(lang)
                    })
                    .strong(),
                )
                .clicked()
            {
                form.confirming = false;
                let password = std::mem::take(&mut form.password);
                desk.join_office_server(address, pc, password, lang);
            }
            if ui.button(Text::Cancel.get(lang)).clicked() {
                form.confirming = false;
            }
        });
    }
}

/// A backup now, and restoring one: the backup is checked and what it holds
/// shown before anything is replaced.
fn backups_ui(desk: &mut Desk, screen: &mut OfficeScreen, ui: &mut egui::Ui, lang: Lang) {
    ui.add_space(10.0);
    ui.label(RichText::new(Text::BackupsHeading.get(lang)).strong());
    ui.add(
        egui::Label::new(
            RichText::new(Text::BackupsExplain.get(lang))
                .small()
                .color(MUTED),
        )
        .wrap(),
    );
    let mut choose = false;
    ui.horizontal_wrapped(|ui| {
        // Copying the records and every draft takes seconds in a large
        // office: the worker does it, the window says it is busy.
        if ui
            .add_enabled(!desk.busy(), egui::Button::new(Text::BackupNow.get(lang)))
            .clicked()
        {
            desk.act_off_thread(lang, move |store| {
                let (dir, _) = store.daily_backups();
                super::desk::Finished {
                    message: Some(match store.backup_into(&dir, "manual") {
                        Ok(path) => Message::Done(format!(
                            "{} {}",
                            Text::CliBackupMade.get(lang),
                            path.display()
                        )),
                        Err(e) => Message::Failed(e.message(lang)),
                    }),
                    ..super::desk::Finished::default()
                }
            });
        }
        choose = ui.button(Text::RestoreFromBackup.get(lang)).clicked();
    });
    if choose
        && let Some(path) = super::widgets::file_dialog(|| {
            rfd::FileDialog::new()
                .set_title(Text::RestoreFromBackup.get(lang))
                .add_filter("Lajur", &["db"])
                .pick_file()
        })
        && let Err(why) = screen.offer_restore(&path, lang)
    {
        desk.message = Some(Message::Failed(why));
    }
    let mut decided = None;
    if let Some(summary) = &screen.restore_offer {
        // Asked in a window of its own, in sight wherever the form is scrolled.
        egui::Window::new(Text::RestoreFromBackup.get(lang))
            .collapsible(false)
            .resizable(false)
            .default_width(520.0)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ui.ctx(), |ui| {
                ui.add(egui::Label::new(i18n::backup_summary_message(summary, lang)).wrap());
                ui.add(
                    egui::Label::new(
                        RichText::new(Text::RestoreWarning.get(lang)).color(ERROR_RED),
                    )
                    .wrap(),
                );
                ui.horizontal(|ui| {
                    if ui
                        .button(RichText::new(Text::RestoreConfirm.get(lang)).strong())
                        .clicked()
                    {
                        decided = Some(true);
                    }
                    if ui.button(Text::Cancel.get(lang)).clicked() {
                        decided = Some(false);
                    }
                });
            });
    }
    match decided {
        Some(true) => {
            if let Some(summary) = screen.restore_offer.take() {
                desk.restore(summary.path);
            }
        }
        Some(false) => screen.restore_offer = None,
        None => {}
    }
}

/// The form itself (Save is below it, in its own panel).
fn settings_form_ui(
    screen: &mut OfficeScreen,
    ui: &mut egui::Ui,
    lang: Lang,
    saved: Option<&Logo>,
) {
    let problems = screen.problems.clone();
    let said = |p: OfficeProblem| {
        problems
            .contains(&p)
            .then(|| i18n::office_problem_message(p, lang))
    };
    let Some(form) = screen.form.as_mut() else {
        return;
    };

    ui.label(RichText::new(Text::SectionUnit.get(lang)).strong());
    egui::Grid::new("office_unit")
        .min_col_width(LABEL_WIDTH)
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            let before = form.unit_kind;
            combo(
                ui,
                "unit_kind",
                Text::UnitKindLabel.get(lang),
                &mut form.unit_kind,
                &UnitKind::ALL,
                |k| k.word().to_string(),
            );
            if form.unit_kind != before {
                // Yogyakarta's words go together; the usual head follows the unit.
                form.head_title = form.unit_kind.usual_head();
                form.district_kind = form.unit_kind.usual_district();
            }
            text_row(
                ui,
                Text::UnitNameLabel.get(lang),
                &mut form.unit_name,
                Some(Text::UnitNameHint.get(lang)),
                said(OfficeProblem::UnitNameMissing),
            );
            if form.unit_kind.is_village() {
                combo(
                    ui,
                    "district_kind",
                    Text::DistrictLabel.get(lang),
                    &mut form.district_kind,
                    &DistrictKind::ALL,
                    |k| k.word().to_string(),
                );
                text_row(
                    ui,
                    form.district_kind.word(),
                    &mut form.district_name,
                    Some(Text::DistrictHint.get(lang)),
                    said(OfficeProblem::DistrictNameMissing),
                );
            }
            combo(
                ui,
                "regency_kind",
                Text::RegencyLabel.get(lang),
                &mut form.regency_kind,
                &RegencyKind::ALL,
                |k| k.word().to_string(),
            );
            text_row(
                ui,
                form.regency_kind.word(),
                &mut form.regency_name,
                Some(Text::RegencyHint.get(lang)),
                said(OfficeProblem::RegencyNameMissing),
            );
            text_row(
                ui,
                Text::AddressLabel.get(lang),
                &mut form.address,
                None,
                None,
            );
        });
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(Text::OnPaper.get(lang)).color(MUTED));
        ui.label(RichText::new(form.unit_lines().join(" · ").to_uppercase()).strong());
    });

    ui.add_space(6.0);
    ui.label(RichText::new(Text::LogoLabel.get(lang)).strong());
    let mut pick = false;
    ui.horizontal(|ui| {
        let shown: Option<&Logo> = match &screen.logo {
            Some(LogoChange::Set(_)) => screen.new_logo.as_ref(),
            Some(LogoChange::Remove) => None,
            _ => saved,
        };
        match shown {
            Some(logo) => {
                let (texture, aspect) = screen.logo_preview.get_or_insert_with(|| {
                    (
                        super::painter::logo_texture(ui.ctx(), "logo-pratinjau", logo),
                        logo.aspect(),
                    )
                });
                let h = 64.0;
                ui.add(egui::Image::new((texture.id(), egui::vec2(h * *aspect, h))));
            }
            None => {
                ui.label(RichText::new(Text::NoLogo.get(lang)).color(MUTED));
            }
        }
        ui.vertical(|ui| {
            pick = ui.button(Text::ChooseLogo.get(lang)).clicked();
            let has_logo = match &screen.logo {
                Some(LogoChange::Set(_)) => true,
                Some(LogoChange::Remove) => false,
                _ => saved.is_some(),
            };
            if has_logo && ui.button(Text::RemoveLogo.get(lang)).clicked() {
                screen.logo = Some(LogoChange::Remove);
                screen.logo_preview = None;
                screen.logo_name = None;
            }
            match (&screen.logo, &screen.logo_name) {
                (Some(LogoChange::Set(_)), Some(name)) => {
                    ui.label(format!("{} {name}", Text::LogoChosen.get(lang)));
                }
                (Some(LogoChange::Remove), _) => {
                    ui.label(Text::LogoWillBeRemoved.get(lang));
                }
                _ => {}
            }
        });
    });

    ui.add_space(6.0);
    ui.label(RichText::new(Text::SectionHead.get(lang)).strong());
    egui::Grid::new("office_head")
        .min_col_width(LABEL_WIDTH)
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            combo(
                ui,
                "head_title",
                Text::HeadTitleLabel.get(lang),
                &mut form.head_title,
                &HeadTitle::ALL,
                |t| t.word().to_string(),
            );
            text_row(
                ui,
                Text::HeadNameLabel.get(lang),
                &mut form.head_name,
                None,
                said(OfficeProblem::HeadNameMissing),
            );
            text_row(
                ui,
                Text::HeadNipLabel.get(lang),
                &mut form.head_nip,
                None,
                said(OfficeProblem::NipNotDigits),
            );
        });

    ui.add_space(6.0);
    ui.label(RichText::new(Text::SectionCalendar.get(lang)).strong());
    egui::Grid::new("office_calendar")
        .min_col_width(LABEL_WIDTH)
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            combo(
                ui,
                "zone",
                Text::TimeZoneLabel.get(lang),
                &mut form.zone,
                &Zone::ALL,
                |z| z.name().to_string(),
            );
            ui.label(Text::WorkingDaysLabel.get(lang));
            ui.vertical(|ui| {
                ui.horizontal_wrapped(|ui| {
                    let days = [
                        Text::Monday,
                        Text::Tuesday,
                        Text::Wednesday,
                        Text::Thursday,
                        Text::Friday,
                        Text::Saturday,
                        Text::Sunday,
                    ];
                    for (i, d) in days.iter().enumerate() {
                        ui.checkbox(&mut form.working_days[i], d.get(lang));
                    }
                });
                if let Some(p) = said(OfficeProblem::NoWorkingDay) {
                    ui.colored_label(ERROR_RED, p);
                }
            });
            ui.end_row();
            let l = ui.label(Text::HolidaysLabel.get(lang));
            ui.vertical(|ui| {
                ui.add(
                    egui::TextEdit::multiline(&mut screen.holidays)
                        .hint_text(Text::HolidaysHint.get(lang))
                        .desired_rows(3)
                        .desired_width(260.0),
                )
                .labelled_by(l.id);
                if !screen.bad_holidays.is_empty() {
                    ui.colored_label(
                        ERROR_RED,
                        format!(
                            "{} {}",
                            Text::HolidaysNotUnderstood.get(lang),
                            screen.bad_holidays.join(", ")
                        ),
                    );
                }
            });
            ui.end_row();
        });

    ui.add_space(6.0);
    ui.label(RichText::new(Text::SectionPaperBackup.get(lang)).strong());
    let mut pick_folder = false;
    egui::Grid::new("office_paper")
        .min_col_width(LABEL_WIDTH)
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            combo(
                ui,
                "paper",
                Text::DefaultPaperLabel.get(lang),
                &mut form.paper,
                &[Paper::F4, Paper::A4],
                |p| match p {
                    Paper::F4 => "F4 / Folio (215 × 330 mm)".into(),
                    Paper::A4 => "A4 (210 × 297 mm)".into(),
                },
            );
            ui.label(Text::BackupFolderLabel.get(lang));
            ui.vertical(|ui| {
                let shown = if form.backup_dir.trim().is_empty() {
                    Text::BackupFolderDefault.get(lang).to_string()
                } else {
                    form.backup_dir.clone()
                };
                ui.label(RichText::new(shown).monospace());
                ui.horizontal(|ui| {
                    pick_folder = ui.button(Text::ChooseFolder.get(lang)).clicked();
                    if !form.backup_dir.is_empty()
                        && ui.button(Text::UseDataFolder.get(lang)).clicked()
                    {
                        form.backup_dir.clear();
                    }
                });
            });
            ui.end_row();
            let l = ui.label(Text::BackupsKeptLabel.get(lang));
            ui.vertical(|ui| {
                ui.add(
                    egui::DragValue::new(&mut form.backups_kept)
                        .range(0..=lajur_core::office::MAX_BACKUPS_KEPT),
                )
                .labelled_by(l.id);
                if let Some(p) = said(OfficeProblem::BackupsKeptZero) {
                    ui.colored_label(ERROR_RED, p);
                }
            });
            ui.end_row();
            let l = ui.label(Text::AttachmentLimitLabel.get(lang));
            ui.vertical(|ui| {
                ui.add(
                    egui::DragValue::new(&mut form.attachment_limit_mb)
                        .range(1..=lajur_core::office::MAX_ATTACHMENT_MB)
                        .suffix(" MB"),
                )
                .labelled_by(l.id);
                if let Some(p) = said(OfficeProblem::AttachmentLimitOutOfRange) {
                    ui.colored_label(ERROR_RED, p);
                }
            });
            ui.end_row();
        });

    if pick_folder
        && let Some(dir) = super::widgets::file_dialog(|| rfd::FileDialog::new().pick_folder())
        && let Some(form) = screen.form.as_mut()
    {
        form.backup_dir = dir.display().to_string();
    }
    if pick
        && let Some(path) = super::widgets::file_dialog(|| {
            rfd::FileDialog::new()
                .add_filter("PNG / JPEG", &["png", "jpg", "jpeg"])
                .pick_file()
        })
    {
        screen.choose_logo(&path, lang);
    }
}
