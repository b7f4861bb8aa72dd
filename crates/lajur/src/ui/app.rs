//! The main window: the SOP list on the left; the chosen SOP's flowchart, identity
//! and problems on the right; a step's details beside the flowchart.

use crate::exports::SopFormat;
use egui::{Color32, RichText};

use super::flowchart::FlowchartView;
use super::home::HomeTab;
use super::shelf::Shelf;
pub use super::shelf::Tab;
use super::sop_library::{Library, LibraryCx};
use super::workspace::{Place, Workspace};
use lajur_core::locale::{self as i18n, Lang, Text};
use lajur_core::sop::{Severity, Sop, SopDocument, Symbol};
use lajur_layout::{self as layout, BundledFont, Flow, Layout, Orientation, PageSettings, Paper};
use lajur_records::library::SopSource;

use super::theme::{ERROR_RED, OK_GREEN, WARNING_AMBER};

/// The window width (points) under which the top bar folds its right group.
const COMPACT_TOP_BAR: f32 = 1250.0;

/// The outcome of the last export, shown under the toolbar until dismissed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Saved(std::path::PathBuf),
    Failed(String),
}

pub struct LajurApp {
    pub(super) lang: Lang,
    pub(super) source: SopSource,
    /// The SOPs on show and which one is chosen.
    pub(super) shelf: Shelf,
    pub(super) settings: PageSettings,
    /// The layout of the selected SOP, for these settings; laid out only when
    /// either changes, never per frame.
    pub(super) layout: Option<(usize, PageSettings, u64, Layout)>,
    /// The printed table of the selected SOP judged against the quality
    /// standard on the paper chosen; made when the Masalah tab asks.
    pub(super) layout_report:
        Option<(usize, PageSettings, u64, crate::layout_report::LayoutReport)>,
    pub(super) notice: Option<Notice>,
    /// The office's records (SQLite in the data folder) and the work on them,
    /// or why they could not be opened.
    pub(super) records: Option<std::result::Result<Workspace, String>>,
    pub(super) records_dir: Option<std::path::PathBuf>,
    /// With records open: the work (home, kegiatan, users) or the SOP list.
    pub(super) section: Section,
    /// The title last sent to the window, and the settings the logo texture is of.
    pub(super) shown_title: String,
    pub(super) logo_generation: Option<u64>,
    /// A crash report from the last run, offered once: its path, its text
    /// when shown.
    pub(super) crash_report: Option<(std::path::PathBuf, Option<String>)>,
    /// With records open: the office's SOP library (the list shows each
    /// SOP's newest revision), the active revisions offered for new kegiatan,
    /// the editor when open, and the library's own view state.
    pub(super) library: Library,
    /// A file dialog could not open: said in a window until closed.
    pub(super) dialog_failed: bool,
}

/// The two halves of the signed-in window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Section {
    Work,
    Sops,
}

/// What the window remembers between runs (eframe keeps it with the window size).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Remembered {
    pub lang: String,
    pub username: Option<String>,
    pub section: Section,
    pub place: Place,
    pub home_tab: HomeTab,
    /// The number of the SOP last chosen to start a kegiatan.
    #[serde(default)]
    pub last_sop: Option<String>,
}

const REMEMBERED_KEY: &str = "lajur-tampilan";

impl LajurApp {
    pub fn new(lang: Lang, source: SopSource) -> Self {
        let mut app = Self {
            lang,
            source,
            shelf: Shelf::default(),
            settings: PageSettings {
                flow: Flow::Continuous,
                ..PageSettings::default()
            },
            layout: None,
            layout_report: None,
            notice: None,
            dialog_failed: false,
            records: None,
            records_dir: None,
            section: Section::Work,
            shown_title: String::new(),
            logo_generation: None,
            crash_report: None,
            library: Library::default(),
        };
        app.reload();
        app
    }

    /// Opens (creating on first run) the records in `dir`, and takes the day's
    /// backup in the background. A failure is shown in the window; SOPs can
    /// still be viewed and printed.
    pub fn open_records(&mut self, dir: &std::path::Path) {
        self.records_dir = Some(dir.to_path_buf());
        self.records = Some(match lajur_records::Store::open(dir) {
            Ok(store) => {
                if store.office().configured {
                    self.settings.paper = store.office().office.paper;
                }
                let (backups, keep) = store.daily_backups();
                lajur_records::backup_in_background(store.dir().to_path_buf(), backups, keep);
                Ok(Workspace::new(store))
            }
            Err(e) => Err(e.message(self.lang)),
        });
        {
            let (library, mut cx) = self.library_cx();
            library.sync_library(&mut cx)
        };
    }

    /// Restores the records from a backup (checked and confirmed in
    /// Pengaturan kantor): the records are closed, the backup put in place
    /// (the current data kept aside), and opened again; everyone signs in
    /// again, told what happened.
    fn restore_records(&mut self, backup: &std::path::Path) {
        let Some(dir) = self.records_dir.clone() else {
            return;
        };
        let username = self
            .workspace()
            .and_then(Workspace::user)
            .map(|u| u.username.clone());
        // Closes the store, releasing the data folder for the restore.
        self.records = None;
        let said = match lajur_records::restore(&dir, backup) {
            Ok((summary, aside)) => i18n::fill(
                Text::RestoredInWindow,
                self.lang,
                &[
                    ("file", &backup.display().to_string()),
                    ("n", &summary.kegiatan.to_string()),
                    ("aside", &aside.display().to_string()),
                ],
            ),
            Err(e) => e.message(self.lang),
        };
        self.open_records(&dir);
        if let Some(ws) = self.workspace_mut() {
            if let Some(name) = &username {
                ws.remember_user(name);
            }
            ws.set_sign_in_notice(said);
        }
    }

    /// The work on the records, when they are open.
    pub fn workspace(&self) -> Option<&Workspace> {
        self.records.as_ref().and_then(|r| r.as_ref().ok())
    }

    pub fn workspace_mut(&mut self) -> Option<&mut Workspace> {
        self.records.as_mut().and_then(|r| r.as_mut().ok())
    }

    pub fn section(&self) -> Section {
        self.section
    }

    pub fn set_section(&mut self, section: Section) {
        self.section = section;
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
    }

    /// What to keep for the next run.
    pub fn remembered(&self) -> Remembered {
        let ws = self.workspace();
        Remembered {
            lang: self.lang.code().into(),
            username: ws.and_then(|w| w.user()).map(|u| u.username.clone()),
            section: self.section,
            place: ws.map_or(Place::Home, |w| w.place()),
            home_tab: ws.map_or(HomeTab::Tasks, |w| w.home().tab),
            last_sop: ws.and_then(|w| w.home().new.last_sop.clone()),
        }
    }

    /// Takes back what the last run kept: language, the last user (offered at
    /// sign-in) and the view to return to after signing in.
    pub fn restore(&mut self, r: &Remembered) {
        if let Some(lang) = Lang::from_code(&r.lang) {
            self.lang = lang;
        }
        self.section = r.section;
        if let Some(ws) = self.workspace_mut() {
            if let Some(name) = &r.username {
                ws.remember_user(name);
            }
            ws.resume_at(r.place);
            ws.home_mut().tab = r.home_tab;
            ws.home_mut().new.last_sop = r.last_sop.clone();
        }
    }

    pub fn reload(&mut self) {
        if self.library.entries.is_some() {
            {
                let (library, mut cx) = self.library_cx();
                library.load_library(&mut cx)
            };
            return;
        }
        match self.source.load() {
            Ok(sops) => {
                self.shelf.sops = sops;
                self.shelf.folder_failure = None;
            }
            Err(failure) => {
                self.shelf.sops.clear();
                self.shelf.folder_failure = Some(failure);
            }
        }
        self.shelf.generation += 1;
        self.shelf.selected = match self.shelf.selected {
            Some(i) if i < self.shelf.sops.len() => Some(i),
            _ if self.shelf.sops.is_empty() => None,
            _ => Some(0),
        };
        self.shelf.view.selected = None;
    }

    pub fn view(&self) -> &FlowchartView {
        &self.shelf.view
    }

    /// The selected SOP's layout as last drawn (with the office's letterhead
    /// in the printed view).
    pub fn current_layout(&self) -> Option<&Layout> {
        self.layout.as_ref().map(|(_, _, _, l)| l)
    }

    pub fn settings(&self) -> &PageSettings {
        &self.settings
    }

    pub fn tab(&self) -> Tab {
        self.shelf.tab
    }

    fn t(&self, text: Text) -> &'static str {
        text.get(self.lang)
    }

    // ── the SOP library, for the window's own buttons and the tests ──

    /// The library as listed (with records open).
    pub fn library_entries(&self) -> &[lajur_records::LibraryEntry] {
        self.library.library_entries()
    }

    /// Shows the library SOP with this id.
    pub fn select_library_sop(&mut self, sop_id: i64) {
        let (library, mut cx) = self.library_cx();
        library.select_library_sop(&mut cx, sop_id);
    }

    /// Opens the editor on a new SOP made from a template.
    pub fn new_sop_from(&mut self, template: Sop) {
        self.library.new_sop_from(template);
    }

    /// Opens the editor on the selected library SOP's newest revision.
    pub fn edit_selected_sop(&mut self) {
        let (library, mut cx) = self.library_cx();
        library.edit_selected_sop(&mut cx);
    }

    pub fn sop_editor_mut(&mut self) -> Option<&mut super::sop_editor::SopEditorScreen> {
        self.library.sop_editor_mut()
    }

    /// Imports an SOP file into the library as a draft.
    pub fn import_sop_file(&mut self, path: &std::path::Path) {
        let (library, mut cx) = self.library_cx();
        library.import_sop_file(&mut cx, path);
    }

    /// Writes the SOP on show as a TOML file.
    pub fn export_selected_toml(&mut self, path: &std::path::Path) {
        let (library, mut cx) = self.library_cx();
        library.export_selected_toml(&mut cx, path);
    }

    /// Shows an earlier revision of the SOP on show.
    pub fn view_revision(&mut self, rev: &lajur_records::SopRevision) {
        let (library, mut cx) = self.library_cx();
        library.view_revision(&mut cx, rev);
    }

    /// The library and what it works on, borrowed apart from the rest.
    fn library_cx(&mut self) -> (&mut Library, LibraryCx<'_>) {
        (
            &mut self.library,
            LibraryCx {
                shelf: &mut self.shelf,
                records: &mut self.records,
                lang: self.lang,
            },
        )
    }

    /// What the office's settings put on paper (nothing before they are saved).
    fn letterhead(&self) -> lajur_core::office::Letterhead {
        self.workspace()
            .map(|w| w.store().office().letterhead())
            .unwrap_or_default()
    }

    /// Offers the report of the last run's crash when the window opens.
    pub fn offer_crash_report(&mut self, path: std::path::PathBuf) {
        self.crash_report = Some((path, None));
    }

    /// The crash report on offer, if any.
    pub fn crash_report(&self) -> Option<&std::path::Path> {
        self.crash_report.as_ref().map(|(p, _)| p.as_path())
    }

    /// "Lajur closed unexpectedly last time": the report to read, its folder
    /// to open, and Close, which stops offering it.
    fn crash_report_ui(&mut self, ctx: &egui::Context) {
        let lang = self.lang;
        let Some((path, shown)) = self.crash_report.as_mut() else {
            return;
        };
        let mut close = false;
        egui::Window::new(Text::CrashTitle.get(lang))
            .collapsible(false)
            .resizable(true)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .default_width(560.0)
            .show(ctx, |ui| {
                ui.add(egui::Label::new(Text::CrashExplain.get(lang)).wrap());
                ui.label(
                    RichText::new(path.display().to_string())
                        .monospace()
                        .small(),
                );
                ui.horizontal(|ui| {
                    if shown.is_none() {
                        if ui.button(Text::ShowReport.get(lang)).clicked() {
                            *shown = Some(
                                std::fs::read_to_string(&*path).unwrap_or_else(|e| e.to_string()),
                            );
                        }
                    } else if ui.button(Text::HideReport.get(lang)).clicked() {
                        *shown = None;
                    }
                    if ui.button(Text::OpenReportFolder.get(lang)).clicked()
                        && let Some(dir) = path.parent()
                        && open::that_detached(dir).is_err()
                    {
                        // The folder is named above: the clerk can open it by hand.
                        *shown = Some(format!(
                            "{} {}",
                            Text::OpenFileFailed.get(lang),
                            dir.display()
                        ));
                    }
                    close = ui.button(Text::Close.get(lang)).clicked();
                });
                if let Some(text) = shown.as_ref() {
                    egui::ScrollArea::vertical()
                        .max_height(320.0)
                        .show(ui, |ui| {
                            ui.add(
                                egui::Label::new(RichText::new(text.as_str()).monospace().small())
                                    .selectable(true),
                            );
                        });
                }
            });
        if close {
            if let Err(e) = lajur_records::reports::mark_seen(path) {
                log::warn!("laporan tidak dapat ditandai: {e}");
            }
            self.crash_report = None;
        }
    }

    /// Keeps the window's title and the logo's texture (for the flowchart
    /// painter) in step with the office's settings and the signed-in user.
    fn window_chrome(&mut self, ctx: &egui::Context) {
        let title = self.window_title();
        if title != self.shown_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
        let generation = self.workspace().map(|w| w.store().office_generation());
        if generation != self.logo_generation {
            self.logo_generation = generation;
            let logo = self
                .workspace()
                .and_then(|w| w.store().office().logo.clone());
            super::painter::set_logo(ctx, logo.as_deref());
        }
    }

    /// The window's title: the program, the office and who is signed in.
    pub fn window_title(&self) -> String {
        let mut title = String::from("Lajur");
        if let Some(ws) = self.workspace() {
            let office = ws.store().office();
            if office.configured {
                title.push_str(" — ");
                title.push_str(&office.office.display_name());
            }
            if let Some(u) = ws.user() {
                title.push_str(&format!(" — {} ({})", u.name, u.jabatan));
            }
        }
        title
    }

    fn document(&self) -> Option<&SopDocument> {
        self.shelf
            .selected
            .and_then(|i| self.shelf.sops.get(i))
            .and_then(|s| s.document.as_ref().ok())
    }

    /// Lays the selected SOP out again if it or the settings changed.
    fn refresh_layout(&mut self) {
        let Some(index) = self.shelf.selected else {
            self.layout = None;
            return;
        };
        let generation = self.shelf.generation
            + self
                .workspace()
                .map_or(0, |w| w.store().office_generation());
        let fresh = matches!(&self.layout, Some((i, s, g, _)) if *i == index && *s == self.settings && *g == generation);
        if fresh {
            return;
        }
        let letterhead = self.letterhead();
        self.layout = self.document().map(|doc| {
            // "Per halaman" shows the whole printed document, page for page,
            // with the office's letterhead as it will print.
            let layout = match self.settings.flow {
                Flow::Paged => layout::document_for_office(
                    &doc.sop,
                    &self.settings,
                    &letterhead,
                    BundledFont::get(),
                ),
                Flow::Continuous => layout::layout(&doc.sop, &self.settings, BundledFont::get()),
            };
            (index, self.settings, generation, layout)
        });
        self.shelf.view.layout_changed();
    }

    /// Draws the whole window into `ui` (the eframe root, or a test harness).
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        // The bundled fonts and theme are installed on a context's first frame
        // (they take effect from the next), whoever runs the app: eframe or a
        // test harness, which may bring a fresh context to the same app.
        let marker = egui::Id::unique("lajur-theme-installed");
        if !ui
            .ctx()
            .data(|d| d.get_temp::<bool>(marker).unwrap_or(false))
        {
            super::theme::apply(ui.ctx());
            ui.ctx().data_mut(|d| d.insert_temp(marker, true));
            ui.ctx().request_repaint();
            return;
        }
        self.window_chrome(ui.ctx());
        self.crash_report_ui(&ui.ctx().clone());
        self.dialog_failure_ui(ui.ctx());
        egui::Panel::top("top_bar").show(ui, |ui| self.top_bar_ui(ui));
        let lang = self.lang;
        if self.library.awaiting_first_user
            && matches!(&self.records, Some(Ok(ws)) if ws.user().is_some())
        {
            let (library, mut cx) = self.library_cx();
            library.sync_library(&mut cx);
        }
        if let Some(Ok(ws)) = self.records.as_mut() {
            ws.desk.lang = lang;
            if ws.user().is_none() {
                // What the last person was told is not for the next one.
                self.notice = None;
                self.library.view.message = None;
                egui::CentralPanel::default().show(ui, |ui| ws.sign_in_ui(ui, lang));
                return;
            }
            ws.dialogs_ui(ui.ctx(), lang);
            if self.section == Section::Work {
                // New kegiatan follow the active revisions of the library.
                let sops = if self.library.entries.is_some() {
                    &self.library.active_sops
                } else {
                    &self.shelf.sops
                };
                ws.work_ui(ui, lang, sops);
                if let Some(backup) = ws.take_restore() {
                    self.restore_records(&backup);
                }
                return;
            }
        }
        if self.library.editor.is_some() {
            {
                let (library, mut cx) = self.library_cx();
                library.sop_editor_ui(&mut cx, ui)
            };
            return;
        }
        egui::Panel::left("sop_list")
            .resizable(true)
            .default_size(300.0)
            .show(ui, |ui| self.sop_list_ui(ui));
        if self.shelf.tab == Tab::Flowchart && self.shelf.view.selected.is_some() {
            egui::Panel::right("step_details")
                .resizable(true)
                .default_size(340.0)
                .show(ui, |ui| self.step_panel_ui(ui));
        }
        egui::CentralPanel::default().show(ui, |ui| self.main_ui(ui));
    }

    /// As when a file dialog could not open (tests have no dialog).
    pub fn note_dialog_failure(&mut self) {
        self.dialog_failed = true;
    }

    /// Says that a file dialog could not open (the button would otherwise
    /// have done nothing), and what to do instead.
    fn dialog_failure_ui(&mut self, ctx: &egui::Context) {
        if super::widgets::take_dialog_failure() {
            self.dialog_failed = true;
        }
        if !self.dialog_failed {
            return;
        }
        let mut open = true;
        let mut close = false;
        egui::Window::new(self.t(Text::DialogFailedTitle))
            .collapsible(false)
            .resizable(false)
            .open(&mut open)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                ui.set_max_width(440.0);
                ui.add(egui::Label::new(self.t(Text::DialogFailed)).wrap());
                close = ui.button(self.t(Text::Close)).clicked();
            });
        if !open || close {
            self.dialog_failed = false;
        }
    }

    fn top_bar_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        // Below this width the right-hand group folds (the account into a
        // menu, the language without its label) so it never covers the left.
        let compact = ui.available_width() < COMPACT_TOP_BAR;
        ui.horizontal(|ui| {
            ui.heading(self.t(Text::AppTitle));
            ui.separator();
            let signed_in = self.workspace().and_then(Workspace::user).cloned();
            let mut navigated = false;
            if let Some(user) = &signed_in {
                let place = self.workspace().map(Workspace::place);
                let on_home = self.section == Section::Work
                    && !matches!(place, Some(Place::Users | Place::Office));
                if ui.selectable_label(on_home, Text::Home.get(lang)).clicked() {
                    navigated = true;
                    self.section = Section::Work;
                    if let Some(ws) = self.workspace_mut()
                        && matches!(ws.place(), Place::Users | Place::Office)
                    {
                        ws.go(Place::Home);
                    }
                }
                if ui
                    .selectable_label(self.section == Section::Sops, Text::SopList.get(lang))
                    .clicked()
                {
                    navigated = true;
                    self.section = Section::Sops;
                }
                if user.is_admin
                    && ui
                        .selectable_label(
                            self.section == Section::Work && place == Some(Place::Users),
                            Text::Users.get(lang),
                        )
                        .clicked()
                {
                    navigated = true;
                    self.section = Section::Work;
                    if let Some(ws) = self.workspace_mut() {
                        ws.go(Place::Users);
                    }
                }
                if ui
                    .selectable_label(
                        self.section == Section::Work && place == Some(Place::Office),
                        Text::OfficeSettings.get(lang),
                    )
                    .clicked()
                {
                    navigated = true;
                    self.section = Section::Work;
                    if let Some(ws) = self.workspace_mut() {
                        ws.go(Place::Office);
                    }
                }
                ui.separator();
            }
            // A message belongs to the view it was said in: moving to
            // another part of the window leaves it behind.
            if navigated {
                self.notice = None;
                self.library.view.message = None;
                if let Some(ws) = self.workspace_mut() {
                    ws.clear_message();
                }
            }
            let signing_in = signed_in.is_none() && self.workspace().is_some();
            if !signing_in
                && (signed_in.is_none() || self.section == Section::Sops)
                && ui.button(self.t(Text::Reload)).clicked()
            {
                self.reload();
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if let Some(ws) = self.workspace_mut() {
                    if compact {
                        ws.account_menu_ui(ui, lang);
                    } else {
                        ws.account_ui(ui, lang);
                    }
                    if ws.user().is_some() {
                        ui.separator();
                    }
                }
                let mut lang = self.lang;
                let combo = egui::ComboBox::from_id_salt("language")
                    .selected_text(if compact {
                        lang.code().to_uppercase()
                    } else {
                        lang.native_name().to_string()
                    })
                    .show_ui(ui, |ui| {
                        for l in Lang::ALL {
                            ui.selectable_value(&mut lang, l, l.native_name());
                        }
                    })
                    .response;
                // Labelled for screen readers; the visible label stands
                // beside it when there is room.
                if compact {
                    let name = self.t(Text::Language).to_string();
                    combo.on_hover_text(&name).widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &name)
                    });
                } else {
                    let label = ui.label(self.t(Text::Language));
                    combo.labelled_by(label.id);
                }
                self.lang = lang;
            });
        });
    }

    fn sop_list_ui(&mut self, ui: &mut egui::Ui) {
        ui.add_space(4.0);
        if self.library.entries.is_some() {
            // The office's library, in the records (see sop_library.rs).
            {
                let (library, mut cx) = self.library_cx();
                library.library_list_ui(&mut cx, ui)
            };
            ui.separator();
            self.records_ui(ui);
            return;
        }
        ui.heading(self.t(Text::SopList));
        let source = match &self.source {
            SopSource::Folder(dir) => format!("{}: {}", self.t(Text::Folder), dir.display()),
            SopSource::Bundled => self.t(Text::BundledSops).to_string(),
        };
        ui.label(RichText::new(source).small());
        ui.separator();
        if let Some(failure) = &self.shelf.folder_failure {
            ui.colored_label(ERROR_RED, i18n::read_failure_message(failure, self.lang));
        }
        self.records_ui(ui);
        if self.shelf.sops.is_empty() {
            ui.label(self.t(Text::NoSopsFound));
            if let SopSource::Folder(dir) = &self.source {
                ui.monospace(dir.display().to_string());
            }
            return;
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            for index in 0..self.shelf.sops.len() {
                let (title, status, color) = self.entry_summary(index);
                let selected = self.shelf.selected == Some(index);
                let response = ui.add_sized(
                    [ui.available_width(), 0.0],
                    egui::Button::selectable(selected, RichText::new(&title).strong())
                        .wrap_mode(egui::TextWrapMode::Wrap),
                );
                if response.clicked() && !selected {
                    self.shelf.selected = Some(index);
                    self.shelf.view = FlowchartView::default();
                }
                ui.colored_label(color, status);
                ui.add_space(6.0);
            }
        });
    }

    fn records_ui(&self, ui: &mut egui::Ui) {
        let Some(dir) = &self.records_dir else { return };
        match &self.records {
            Some(Ok(_)) => {
                ui.label(
                    RichText::new(format!("{}: {}", self.t(Text::DataFolder), dir.display()))
                        .small(),
                );
            }
            Some(Err(message)) => {
                ui.colored_label(ERROR_RED, message);
            }
            None => {}
        }
        ui.separator();
    }

    /// Title, status text and status colour of one SOP in the list.
    fn entry_summary(&self, index: usize) -> (String, String, Color32) {
        let sop = &self.shelf.sops[index];
        let file_name = sop.origin.display_name();
        match &sop.document {
            Err(_) => (file_name, self.t(Text::StatusUnreadable).into(), ERROR_RED),
            Ok(doc) => {
                let name = doc.sop.identity.name.trim();
                let title = if name.is_empty() {
                    file_name
                } else {
                    name.to_string()
                };
                let errors = doc
                    .diagnostics
                    .iter()
                    .filter(|d| d.problem.is_error())
                    .count();
                let warnings = doc.diagnostics.len() - errors;
                // Two SOPs with alike names are told apart by their numbers.
                let number = doc.sop.identity.number.trim();
                let title = if number.is_empty() {
                    title
                } else {
                    format!("{title}\n{} {number}", self.t(Text::NumberShort))
                };
                if errors > 0 {
                    (
                        title,
                        format!("{} ({errors})", self.t(Text::StatusInvalid)),
                        ERROR_RED,
                    )
                } else if warnings > 0 {
                    (
                        title,
                        format!("{} ({warnings})", self.t(Text::StatusWarnings)),
                        WARNING_AMBER,
                    )
                } else {
                    (title, self.t(Text::StatusValid).into(), OK_GREEN)
                }
            }
        }
    }

    fn main_ui(&mut self, ui: &mut egui::Ui) {
        let Some(index) = self.shelf.selected.filter(|i| *i < self.shelf.sops.len()) else {
            ui.label(self.t(Text::ChooseSop));
            return;
        };
        if let Err(failure) = &self.shelf.sops[index].document {
            ui.label(RichText::new(self.shelf.sops[index].origin.display_name()).small());
            ui.colored_label(ERROR_RED, i18n::read_failure_message(failure, self.lang));
            return;
        }
        {
            let (library, mut cx) = self.library_cx();
            library.library_actions_ui(&mut cx, ui)
        };
        ui.horizontal(|ui| {
            for (tab, text) in [
                (Tab::Flowchart, Text::TabFlowchart),
                (Tab::Identity, Text::TabIdentity),
                (Tab::Problems, Text::TabProblems),
            ] {
                ui.selectable_value(&mut self.shelf.tab, tab, text.get(self.lang));
            }
            if self.library.entries.is_some() {
                ui.selectable_value(
                    &mut self.shelf.tab,
                    Tab::Revisions,
                    Text::TabRevisions.get(self.lang),
                );
            }
        });
        ui.separator();
        match self.shelf.tab {
            Tab::Flowchart => self.flowchart_ui(ui),
            Tab::Identity => self.identity_ui(ui),
            Tab::Problems => self.problems_ui(ui),
            Tab::Revisions => {
                let (library, mut cx) = self.library_cx();
                library.revisions_ui(&mut cx, ui)
            }
        }
    }

    fn flowchart_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        ui.horizontal_wrapped(|ui| {
            self.shelf.view.zoom_buttons_ui(ui, lang);
            ui.separator();
            ui.selectable_value(&mut self.settings.flow, Flow::Paged, Text::Paged.get(lang));
            ui.selectable_value(
                &mut self.settings.flow,
                Flow::Continuous,
                Text::Continuous.get(lang),
            );
            ui.separator();
            ui.label(Text::Paper.get(lang));
            ui.selectable_value(&mut self.settings.paper, Paper::F4, "F4");
            ui.selectable_value(&mut self.settings.paper, Paper::A4, "A4");
            ui.selectable_value(
                &mut self.settings.orientation,
                Orientation::Landscape,
                Text::Landscape.get(lang),
            );
            ui.selectable_value(
                &mut self.settings.orientation,
                Orientation::Portrait,
                Text::Portrait.get(lang),
            );
            ui.separator();
            if ui.button(Text::ExportPdf.get(lang)).clicked() {
                self.export_with_dialog(SopFormat::Pdf);
            }
            if ui.button(Text::ExportWord.get(lang)).clicked() {
                self.export_with_dialog(SopFormat::Word);
            }
        });
        self.notice_ui(ui);
        if self.document().is_some_and(SopDocument::has_errors) {
            ui.colored_label(ERROR_RED, Text::SopHasErrors.get(lang));
        }
        self.refresh_layout();
        let Some((_, _, _, layout)) = &self.layout else {
            return;
        };
        // A table that cannot be printed whole on this paper is said before
        // anything prints (export refuses it too).
        if let Some(doc) = self.document() {
            for problem in &layout.fit {
                let fit = problem.failure(&doc.sop, &self.settings);
                ui.colored_label(ERROR_RED, crate::layout_report::fit_line(&fit, lang));
            }
        }
        let Some(doc) = self
            .shelf
            .selected
            .and_then(|i| self.shelf.sops.get(i))
            .and_then(|s| s.document.as_ref().ok())
        else {
            return;
        };
        if doc.sop.steps.is_empty() {
            ui.label(Text::NoSteps.get(lang));
            return;
        }
        let sop = &doc.sop;
        let label = |i: usize| {
            let step = &sop.steps[i];
            format!(
                "{} {}: {}",
                Text::StepWord.get(lang),
                step.number,
                step.activity
            )
        };
        let events = self.shelf.view.ui(ui, layout, &label);
        if events.clicked_step.is_some() {
            ui.ctx().request_repaint();
        }
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            self.shelf.view.selected = None;
        }
    }

    fn step_panel_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let Some(doc) = self
            .shelf
            .selected
            .and_then(|i| self.shelf.sops.get(i))
            .and_then(|s| s.document.as_ref().ok())
        else {
            return;
        };
        let Some(step) = self.shelf.view.selected.and_then(|i| doc.sop.steps.get(i)) else {
            return;
        };
        let sop = &doc.sop;
        let mut close = false;
        ui.horizontal(|ui| {
            ui.heading(Text::StepDetails.get(lang));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                close = ui.button(Text::Close.get(lang)).clicked();
            });
        });
        ui.separator();
        egui::ScrollArea::vertical().show(ui, |ui| {
            let field = |ui: &mut egui::Ui, name: &str, value: &str| {
                ui.label(RichText::new(name).strong());
                ui.add(
                    egui::Label::new(if value.trim().is_empty() {
                        "–"
                    } else {
                        value
                    })
                    .wrap(),
                );
                ui.add_space(4.0);
            };
            field(ui, Text::Number.get(lang), &step.number);
            field(ui, Text::Activity.get(lang), &step.activity);
            let lanes: Vec<&str> = step
                .lanes
                .iter()
                .map(|l| sop.lane(l).map_or(l.0.as_str(), |lane| lane.name.as_str()))
                .collect();
            field(ui, Text::Lanes.get(lang), &lanes.join(", "));
            field(ui, Text::Symbol.get(lang), symbol_name(step.symbol, lang));
            let next: Vec<String> = step
                .exits
                .iter()
                .map(|e| {
                    let target = sop.step(&e.target).map_or(e.target.0.clone(), |t| {
                        format!("{} {}: {}", Text::StepWord.get(lang), t.number, t.activity)
                    });
                    if e.label.is_empty() {
                        target
                    } else {
                        format!("{}: {target}", e.label)
                    }
                })
                .collect();
            let next = if next.is_empty() {
                Text::EndOfFlow.get(lang).to_string()
            } else {
                next.join("\n")
            };
            field(ui, Text::NextSteps.get(lang), &next);
            field(ui, &sop.headings.requirements, &step.requirements);
            let understood = format!(
                "{}\n({}: {})",
                if step.time.trim().is_empty() {
                    "–"
                } else {
                    step.time.as_str()
                },
                Text::UnderstoodAs.get(lang),
                i18n::describe_standard_time(step.standard_time(), lang)
            );
            field(ui, &sop.headings.time, &understood);
            field(ui, &sop.headings.output, &step.output);
            field(ui, Text::Remarks.get(lang), &step.remarks);
        });
        if close {
            self.shelf.view.selected = None;
        }
    }

    fn identity_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let Some(doc) = self.document() else { return };
        let id = &doc.sop.identity;
        egui::ScrollArea::vertical().show(ui, |ui| {
            let mut unit = vec![id.unit.name.clone()];
            unit.extend(id.unit.parents.iter().cloned());
            let date = |d: Option<chrono::NaiveDate>| {
                d.map(|d| i18n::format_date(d, lang))
                    .unwrap_or_else(|| "–".into())
            };
            egui::Grid::new("identity")
                .num_columns(2)
                .spacing([20.0, 8.0])
                .striped(true)
                .show(ui, |ui| {
                    let mut row = |name: Text, value: String| {
                        ui.label(RichText::new(name.get(lang)).strong());
                        ui.add(egui::Label::new(value).wrap());
                        ui.end_row();
                    };
                    row(Text::SopName, id.name.clone());
                    row(Text::SopNumber, id.number.clone());
                    row(Text::Unit, unit.join(", "));
                    row(Text::CreatedDate, date(id.created));
                    row(Text::RevisedDate, date(id.revised));
                    row(Text::EffectiveDate, date(id.effective));
                    let mut approver = id.approver.title_lines.join("\n");
                    if !id.approver.name.is_empty() {
                        approver.push_str(&format!("\n{}", id.approver.name));
                    }
                    if let Some(nip) = &id.approver.nip {
                        approver.push_str(&format!("\n{} {nip}", Text::Nip.get(lang)));
                    }
                    row(Text::ApprovedBy, approver);
                    let lanes: Vec<&str> = doc.sop.lanes.iter().map(|l| l.name.as_str()).collect();
                    row(Text::Lanes, lanes.join("\n"));
                });
            ui.add_space(12.0);
            for (name, items) in [
                (Text::LegalBasis, &id.legal_basis),
                (Text::Qualifications, &id.qualifications),
                (Text::Related, &id.related),
                (Text::Equipment, &id.equipment),
                (Text::Warnings, &id.warnings),
                (Text::Records, &id.records),
            ] {
                ui.label(RichText::new(name.get(lang)).strong());
                if items.is_empty() {
                    ui.label("–");
                }
                for (k, item) in items.iter().enumerate() {
                    let text = if items.len() > 1 {
                        format!("{}. {item}", k + 1)
                    } else {
                        item.clone()
                    };
                    ui.add(egui::Label::new(text).wrap());
                }
                ui.add_space(8.0);
            }
        });
    }

    fn problems_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let Some(index) = self.shelf.selected else {
            return;
        };
        self.refresh_layout_report(index);
        let sop = &self.shelf.sops[index];
        ui.label(RichText::new(sop.origin.display_name()).small());
        let Ok(doc) = &sop.document else { return };
        egui::ScrollArea::vertical().show(ui, |ui| {
            if doc.diagnostics.is_empty() {
                ui.colored_label(OK_GREEN, Text::NoProblems.get(lang));
            }
            for d in &doc.diagnostics {
                let color = match d.problem.severity {
                    Severity::Error => ERROR_RED,
                    Severity::Warning => WARNING_AMBER,
                };
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(
                        color,
                        format!(
                            "{} {}, {} {}",
                            Text::Line.get(lang),
                            d.location.line,
                            Text::Column.get(lang),
                            d.location.column
                        ),
                    );
                    ui.label(i18n::problem_message(&d.problem.kind, lang));
                });
            }
            // The printed table on the paper chosen above, against the
            // quality standard (what `lajur check --layout` prints).
            let Some((_, _, _, report)) = &self.layout_report else {
                return;
            };
            ui.add_space(8.0);
            ui.strong(Text::LayoutFaults.get(lang));
            let paper = i18n::paper_name(report.settings.paper, report.settings.orientation, lang);
            if report.is_clean() {
                ui.colored_label(OK_GREEN, Text::LayoutFaultsNone.get(lang));
                return;
            }
            for fit in &report.fit {
                ui.colored_label(ERROR_RED, crate::layout_report::fit_line(fit, lang));
            }
            if !report.faults.is_empty() {
                ui.label(i18n::fill(
                    Text::LayoutFaultsSome,
                    lang,
                    &[
                        ("paper", &paper),
                        ("count", &report.faults.len().to_string()),
                    ],
                ));
            }
            for fault in &report.faults {
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(
                        WARNING_AMBER,
                        format!(
                            "{} · {}",
                            i18n::fill(
                                Text::FaultPage,
                                lang,
                                &[("page", &(fault.page + 1).to_string())]
                            ),
                            crate::layout_report::kind_name(fault.kind, lang)
                        ),
                    );
                    ui.label(crate::layout_report::fault_place(
                        fault,
                        &doc.sop,
                        &report.settings,
                        lang,
                    ));
                });
            }
        });
    }

    /// Judges the printed table of the selected SOP again if it, the paper
    /// or the office's letterhead changed (never per frame).
    fn refresh_layout_report(&mut self, index: usize) {
        let generation = self.shelf.generation
            + self
                .workspace()
                .map_or(0, |w| w.store().office_generation());
        let settings = PageSettings {
            flow: Flow::Paged,
            ..self.settings
        };
        let fresh = matches!(&self.layout_report, Some((i, s, g, _)) if *i == index && *s == settings && *g == generation);
        if fresh {
            return;
        }
        let letterhead = self.letterhead();
        self.layout_report = self
            .shelf
            .sops
            .get(index)
            .and_then(|s| s.document.as_ref().ok())
            .and_then(|d| d.valid_sop())
            .map(|sop| {
                let report = crate::layout_report::judge(sop, &settings, &letterhead);
                (index, settings, generation, report)
            });
    }

    /// Asks where to save (the system's own dialog), then exports there.
    fn export_with_dialog(&mut self, format: SopFormat) {
        let Some(doc) = self.document() else { return };
        let sop = match lajur_paper::printable(doc) {
            Ok(sop) => sop,
            Err(e) => {
                self.notice = Some(Notice::Failed(e.message(self.lang)));
                return;
            }
        };
        let (title, filter, extension) = match format {
            SopFormat::Pdf => (Text::ExportPdf, "PDF", "pdf"),
            SopFormat::Word => (Text::ExportWord, "Word", "docx"),
        };
        let name =
            lajur_records::fsutil::safe_file_name(&format!("SOP {}", sop.identity.name), extension);
        let chosen = super::widgets::file_dialog(|| {
            rfd::FileDialog::new()
                .set_title(title.get(self.lang))
                .set_file_name(name)
                .add_filter(filter, &[extension])
                .save_file()
        });
        if let Some(path) = chosen {
            self.export_as(format, &path);
        }
    }

    /// Exports the SOP on show, as printed, to `path` as PDF; the outcome
    /// becomes the notice.
    pub fn export_to(&mut self, path: &std::path::Path) {
        self.export_as(SopFormat::Pdf, path);
    }

    /// The same as a Word file.
    pub fn export_docx_to(&mut self, path: &std::path::Path) {
        self.export_as(SopFormat::Word, path);
    }

    fn export_as(&mut self, format: SopFormat, path: &std::path::Path) {
        // On paper the records' head code goes beside each page number.
        let letterhead = self
            .workspace()
            .and_then(|w| w.store().letterhead_for_printing().ok())
            .unwrap_or_else(|| self.letterhead());
        let Some(doc) = self.document() else { return };
        let result = crate::exports::save_sop(format, doc, &self.settings, &letterhead, path);
        self.notice = Some(match result {
            Ok(_) => Notice::Saved(path.to_path_buf()),
            Err(e) => Notice::Failed(format!(
                "{}: {}",
                Text::ExportFailed.get(self.lang),
                e.message(self.lang)
            )),
        });
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    fn notice_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let Some(notice) = self.notice.clone() else {
            return;
        };
        let mut dismiss = false;
        ui.horizontal_wrapped(|ui| match &notice {
            Notice::Saved(path) => {
                ui.colored_label(
                    OK_GREEN,
                    format!("{} {}", Text::ExportSaved.get(lang), path.display()),
                );
                let open_text = if path.extension().is_some_and(|e| e == "pdf") {
                    Text::OpenPdf
                } else {
                    Text::OpenDocument
                };
                if ui.button(open_text.get(lang)).clicked() && open::that_detached(path).is_err() {
                    self.notice = Some(Notice::Failed(format!(
                        "{} {}",
                        Text::OpenFailed.get(lang),
                        path.display()
                    )));
                }
                dismiss = ui.button(Text::Close.get(lang)).clicked();
            }
            Notice::Failed(message) => {
                ui.colored_label(ERROR_RED, message);
                dismiss = ui.button(Text::Close.get(lang)).clicked();
            }
        });
        if dismiss {
            self.notice = None;
        }
    }

    /// The SOP on show, if any (for tests and later views).
    pub fn current_sop(&self) -> Option<&Sop> {
        self.document().map(|d| &d.sop)
    }

    pub fn set_tab(&mut self, tab: Tab) {
        self.shelf.tab = tab;
    }
}

fn symbol_name(symbol: Symbol, lang: Lang) -> &'static str {
    match symbol {
        Symbol::Start => Text::SymbolStart.get(lang),
        Symbol::Process => Text::SymbolProcess.get(lang),
        Symbol::Decision => Text::SymbolDecision.get(lang),
        Symbol::End => Text::SymbolEnd.get(lang),
    }
}

impl eframe::App for LajurApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        LajurApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, REMEMBERED_KEY, &self.remembered());
    }
}

/// What the last run kept, if anything.
pub fn remembered_in(storage: Option<&dyn eframe::Storage>) -> Option<Remembered> {
    storage.and_then(|s| eframe::get_value(s, REMEMBERED_KEY))
}
