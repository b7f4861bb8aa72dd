//! Writing and revising an SOP: the form (identity, lanes, steps) beside the
//! live flowchart drawn by the same layout as everywhere else, the problems
//! found so far (a click goes to the field), undo and redo, save as a draft
//! revision, export as TOML or PDF. Every change is an [`Edit`] on the
//! editor core; nothing here decides what an SOP may be.

use egui::RichText;

use super::flowchart::FlowchartView;
use lajur_core::editor::{
    DateField, Edit, Editor, HeadingField, IdentityField, ListField, StepField, identity_text,
    list, step_text,
};
use lajur_core::locale::{self as i18n, Lang, Text};
use lajur_core::sop::problem::Subject;
use lajur_core::sop::{LaneMode, MutuBakuColumn, Problem, Severity, SignaturePlace, Sop, Symbol};
use lajur_layout::{self as layout, BundledFont, Flow, Layout, PageSettings};
use lajur_records::{SopRevision, SopStatus, Store, User};

use super::theme::{ERROR_RED, MUTED, OK_GREEN, WARNING_AMBER};

/// The three parts of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorTab {
    Identity,
    Lanes,
    Steps,
}

/// What the window should do after a frame of the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditorOutcome {
    Stay,
    /// Saved: the library should be read again.
    Saved(i64),
    Close,
}

/// A field the form can take the keyboard to (from a problem, or after adding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum FieldKey {
    Identity(IdentityField),
    Date(DateField),
    ListItem(ListField, usize),
    Lane(usize),
    Step(StepField),
    Exit(usize),
    /// A step's value in the n-th Mutu Baku column (an office's own).
    Extra(usize),
    Heading(HeadingField),
    /// The heading of the n-th Mutu Baku column (an office's own).
    Column(usize),
}

pub struct SopEditorScreen {
    editor: Editor,
    /// The library SOP being edited; `None` until a new one is first saved.
    sop_id: Option<i64>,
    /// Editing an SOP in force (or archived) makes a new revision.
    new_revision: bool,
    /// The SOP as last saved, to know whether there is anything to save.
    saved: Sop,
    pub tab: EditorTab,
    selected: Option<usize>,
    view: FlowchartView,
    /// The layout and problems of the editor's current version.
    laid_out: Option<(u64, Layout, Vec<Problem>)>,
    /// Dates as typed (a half-typed date is not yet in the SOP).
    dates: [String; 3],
    dates_for: u64,
    message: Option<(bool, String)>,
    confirm_close: bool,
    focus: Option<FieldKey>,
    /// What the importer of a Word or Excel file was unsure of, each tied
    /// to a field: shown with the problems until the editor is closed.
    import_notes: Vec<Problem>,
}

fn date_of(sop: &Sop, field: DateField) -> Option<chrono::NaiveDate> {
    match field {
        DateField::Created => sop.identity.created,
        DateField::Revised => sop.identity.revised,
        DateField::Effective => sop.identity.effective,
    }
}

/// A date as a clerk types it: "3 Januari 2024", "03-01-2024", "2024-01-03".
fn typed_date(text: &str) -> Option<chrono::NaiveDate> {
    lajur_core::sop::format::parse_date_text(text).or_else(|| i18n::parse_date(text))
}

const DATES: [DateField; 3] = [DateField::Created, DateField::Revised, DateField::Effective];

fn symbol_text(symbol: Symbol) -> Text {
    match symbol {
        Symbol::Start => Text::SymbolStart,
        Symbol::Process => Text::SymbolProcess,
        Symbol::Decision => Text::SymbolDecision,
        Symbol::End => Text::SymbolEnd,
    }
}

/// Names a text field for screen readers and tests when no label stands
/// beside it (list items, lane names: "Dasar hukum 2").
fn name_field(response: &egui::Response, name: &str, value: &str) {
    response.widget_info(|| {
        let mut info = egui::WidgetInfo::text_edit(true, value, value, "");
        info.label = Some(name.to_string());
        info
    });
}

/// Room kept right of a list item's field for its three small buttons (each
/// a glyph plus padding, and the spacing between them).
const ICON_BUTTONS_WIDTH: f32 = 124.0;

/// A small button showing a symbol (↑ ↓ ← → ×), named for screen readers,
/// tests and the pointer's tooltip by what it does.
fn icon_button(ui: &mut egui::Ui, enabled: bool, icon: &str, name: &str) -> egui::Response {
    let response = ui
        .add_enabled(enabled, egui::Button::new(icon))
        .on_hover_text(name);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, name));
    response
}

impl SopEditorScreen {
    /// A new SOP from a template: blank, or a copy of another SOP.
    pub fn new_from(template: Sop) -> Self {
        Self::open(template, None, false)
    }

    /// Opens a library SOP's latest revision for editing.
    pub fn edit(revision: &SopRevision) -> Self {
        let sop = lajur_core::sop::SopDocument::parse(&revision.toml).sop;
        let new_revision = matches!(revision.status, SopStatus::Active | SopStatus::Archived);
        Self::open(sop, Some(revision.sop_id), new_revision)
    }

    fn open(sop: Sop, sop_id: Option<i64>, new_revision: bool) -> Self {
        SopEditorScreen {
            saved: if sop_id.is_some() {
                sop.clone()
            } else {
                Sop::default()
            },
            editor: Editor::new(sop),
            sop_id,
            new_revision,
            tab: EditorTab::Identity,
            selected: None,
            view: FlowchartView::default(),
            laid_out: None,
            dates: Default::default(),
            dates_for: u64::MAX,
            message: None,
            confirm_close: false,
            focus: None,
            import_notes: Vec::new(),
        }
    }

    pub fn editor(&self) -> &Editor {
        &self.editor
    }

    pub fn editor_mut(&mut self) -> &mut Editor {
        &mut self.editor
    }

    pub fn sop_id(&self) -> Option<i64> {
        self.sop_id
    }

    pub fn selected_step(&self) -> Option<usize> {
        self.selected
    }

    pub fn select_step(&mut self, step: Option<usize>) {
        self.selected = step;
        self.view.selected = step;
        if step.is_some() {
            self.tab = EditorTab::Steps;
        }
    }

    pub fn message(&self) -> Option<&str> {
        self.message.as_ref().map(|(_, m)| m.as_str())
    }

    /// Whether there are changes not yet saved.
    pub fn dirty(&self) -> bool {
        *self.editor.sop() != self.saved
    }

    /// The flowchart and problems of the SOP as it stands, laid out once per change.
    pub fn refresh(&mut self) -> (&Layout, &[Problem]) {
        let version = self.editor.version();
        if self.laid_out.as_ref().is_none_or(|(v, _, _)| *v != version) {
            let sop = self.editor.sop();
            let settings = PageSettings {
                flow: Flow::Continuous,
                ..PageSettings::default()
            };
            let layout = layout::layout(sop, &settings, BundledFont::get());
            let problems = lajur_core::sop::validate::validate(sop);
            self.laid_out = Some((version, layout, problems));
            self.view.layout_changed();
        }
        // Filled just above; the default is never used.
        let (_, layout, problems) = self
            .laid_out
            .get_or_insert_with(|| (version, Layout::default(), Vec::new()));
        (layout, problems)
    }

    fn apply(&mut self, edit: Edit, typing: bool, lang: Lang) {
        let result = if typing {
            self.editor.type_into(edit)
        } else {
            self.editor.apply(edit)
        };
        match result {
            Ok(()) => {
                if !typing {
                    self.message = None;
                }
            }
            Err(refused) => {
                self.message = Some((false, i18n::editor_refusal_message(&refused, lang)))
            }
        }
    }

    /// Saves the SOP as a draft revision in the library; true when saved.
    pub fn save(&mut self, store: &mut Store, user: &User, lang: Lang) -> bool {
        // The first save over an SOP in force starts a revision: today is its
        // tanggal revisi, unless the clerk already wrote one.
        let today = store.calendar().local_date(store.now());
        if let Some(edit) = lajur_core::editor::revision_dating(
            self.new_revision,
            self.editor.sop(),
            &self.saved,
            today,
        ) {
            self.apply(edit, false, lang);
        }
        let text = lajur_core::sop::format::write(self.editor.sop());
        match store.save_sop(user, self.sop_id, &text) {
            Ok(rev) => {
                self.sop_id = Some(rev.sop_id);
                self.new_revision = false;
                self.saved = self.editor.sop().clone();
                self.message = Some((
                    true,
                    format!(
                        "{} {} ({})",
                        Text::SavedAsDraft.get(lang),
                        rev.revision,
                        i18n::format_datetime(
                            rev.saved_at,
                            store.calendar().utc_offset_minutes,
                            lang
                        )
                    ),
                ));
                true
            }
            Err(e) => {
                self.message = Some((false, e.message(lang)));
                false
            }
        }
    }

    /// Writes the SOP as a TOML file (whole or not at all).
    pub fn export_toml_to(&mut self, path: &std::path::Path, lang: Lang) {
        let text = lajur_core::sop::format::write(self.editor.sop());
        self.message = Some(super::widgets::toml_saved(path, &text, lang));
    }

    /// Prints the SOP as PDF or Word (refused while it has errors).
    pub fn export_to(
        &mut self,
        format: crate::exports::SopFormat,
        path: &std::path::Path,
        settings: &PageSettings,
        letterhead: &lajur_core::office::Letterhead,
        lang: Lang,
    ) {
        let doc =
            lajur_core::sop::SopDocument::parse(&lajur_core::sop::format::write(self.editor.sop()));
        let saved = crate::exports::save_sop(format, &doc, settings, letterhead, path);
        self.message = Some(match saved {
            Ok(_) => (
                true,
                format!("{} {}", Text::ExportSaved.get(lang), path.display()),
            ),
            Err(e) => (false, e.message(lang)),
        });
    }

    /// Lists what an importer was unsure of with the problems.
    pub fn set_import_notes(&mut self, notes: Vec<Problem>) {
        self.import_notes = notes;
    }

    pub fn import_notes(&self) -> &[Problem] {
        &self.import_notes
    }

    /// Goes to the field a problem is about.
    pub fn go_to(&mut self, subject: &Subject) {
        match subject {
            Subject::Step { index, field } => {
                self.select_step(Some(*index));
                use lajur_core::sop::problem::StepField as P;
                self.focus = match field {
                    P::Activity | P::Whole | P::Id => Some(FieldKey::Step(StepField::Activity)),
                    P::Number => Some(FieldKey::Step(StepField::Number)),
                    P::Exit(i) => Some(FieldKey::Exit(*i)),
                    P::Label => Some(FieldKey::Step(StepField::Label)),
                    P::Exits | P::Lanes | P::Symbol | P::SameRow | P::LaneMode => None,
                };
            }
            Subject::Lane { index, .. } => {
                self.tab = EditorTab::Lanes;
                self.focus = Some(FieldKey::Lane(*index));
            }
            Subject::Identity(field) => {
                self.tab = EditorTab::Identity;
                use lajur_core::sop::problem::IdentityField as P;
                self.focus = Some(match field {
                    P::Name => FieldKey::Identity(IdentityField::Name),
                    P::Number => FieldKey::Identity(IdentityField::Number),
                    P::ApproverName => FieldKey::Identity(IdentityField::ApproverName),
                    P::Created => FieldKey::Date(DateField::Created),
                    P::Revised => FieldKey::Date(DateField::Revised),
                    P::Effective => FieldKey::Date(DateField::Effective),
                });
            }
            Subject::Document | Subject::Source(_) => {}
        }
    }

    /// The whole editor; the window acts on its outcome.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        store: &mut Store,
        user: &User,
        letterhead: &lajur_core::office::Letterhead,
    ) -> EditorOutcome {
        let mut outcome = EditorOutcome::Stay;
        // Our undo is the whole SOP's: taken before any text field sees the keys.
        let (undo, redo, save) = ui.input_mut(|i| {
            let undo = i.consume_shortcut(&egui::KeyboardShortcut::new(
                egui::Modifiers::COMMAND,
                egui::Key::Z,
            ));
            let redo = i.consume_shortcut(&egui::KeyboardShortcut::new(
                egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
                egui::Key::Z,
            )) || i.consume_shortcut(&egui::KeyboardShortcut::new(
                egui::Modifiers::COMMAND,
                egui::Key::Y,
            ));
            let save = i.consume_shortcut(&egui::KeyboardShortcut::new(
                egui::Modifiers::COMMAND,
                egui::Key::S,
            ));
            (undo, redo, save)
        });
        if undo {
            self.editor.undo();
        }
        if redo {
            self.editor.redo();
        }
        if save && self.save(store, user, lang) {
            outcome = EditorOutcome::Saved(self.sop_id.unwrap_or_default());
        }
        if let Some(o) = self.toolbar_ui(ui, lang, store, user, letterhead) {
            outcome = o;
        }
        self.problems_panel_ui(ui, lang);
        egui::Panel::left("editor_form")
            .resizable(true)
            .default_size(470.0)
            .show(ui, |ui| self.form_ui(ui, lang));
        egui::CentralPanel::default().show(ui, |ui| self.preview_ui(ui, lang));
        if self.confirm_close {
            match self.confirm_close_ui(ui.ctx(), lang, store, user) {
                Some(EditorOutcome::Close) => outcome = EditorOutcome::Close,
                Some(EditorOutcome::Saved(_)) => {
                    outcome = EditorOutcome::Saved(self.sop_id.unwrap_or_default())
                }
                _ => {}
            }
        }
        outcome
    }

    fn toolbar_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        store: &mut Store,
        user: &User,
        letterhead: &lajur_core::office::Letterhead,
    ) -> Option<EditorOutcome> {
        let mut outcome = None;
        egui::Panel::top("editor_toolbar").show(ui, |ui| {
            ui.add_space(4.0);
            ui.horizontal_wrapped(|ui| {
                let name = self.editor.sop().identity.name.trim();
                let title = match (self.sop_id, name.is_empty()) {
                    (None, true) => Text::NewSop.get(lang).to_string(),
                    (_, true) => Text::EditSop.get(lang).to_string(),
                    (_, false) => format!("{}: {name}", Text::EditSop.get(lang)),
                };
                ui.heading(title);
                ui.separator();
                if ui
                    .button(RichText::new(Text::Save.get(lang)).strong())
                    .on_hover_text("Ctrl+S")
                    .clicked()
                    && self.save(store, user, lang)
                {
                    outcome = Some(EditorOutcome::Saved(self.sop_id.unwrap_or_default()));
                }
                if ui
                    .add_enabled(
                        self.editor.can_undo(),
                        egui::Button::new(Text::Undo.get(lang)),
                    )
                    .on_hover_text("Ctrl+Z")
                    .clicked()
                {
                    self.editor.undo();
                }
                if ui
                    .add_enabled(
                        self.editor.can_redo(),
                        egui::Button::new(Text::Redo.get(lang)),
                    )
                    .on_hover_text("Ctrl+Y")
                    .clicked()
                {
                    self.editor.redo();
                }
                ui.separator();
                for (format, text, filter, extension) in [
                    (
                        crate::exports::SopFormat::Pdf,
                        Text::ExportPdf,
                        "PDF",
                        "pdf",
                    ),
                    (
                        crate::exports::SopFormat::Word,
                        Text::ExportWord,
                        "Word",
                        "docx",
                    ),
                ] {
                    if !ui.button(text.get(lang)).clicked() {
                        continue;
                    }
                    let name = lajur_records::fsutil::safe_file_name(
                        &format!("SOP {}", self.editor.sop().identity.name),
                        extension,
                    );
                    if let Some(path) = super::widgets::file_dialog(|| {
                        rfd::FileDialog::new()
                            .set_file_name(name)
                            .add_filter(filter, &[extension])
                            .save_file()
                    }) {
                        let settings = letterhead
                            .office
                            .as_ref()
                            .map(lajur_core::office::Office::page_settings)
                            .unwrap_or_default();
                        // On paper the records' head code goes beside each page number.
                        let printing = store
                            .letterhead_for_printing()
                            .unwrap_or_else(|_| letterhead.clone());
                        self.export_to(format, &path, &settings, &printing, lang);
                    }
                }
                if ui.button(Text::ExportToml.get(lang)).clicked() {
                    let name = lajur_records::fsutil::safe_file_name(
                        &self.editor.sop().identity.name,
                        "toml",
                    );
                    if let Some(path) = super::widgets::file_dialog(|| {
                        rfd::FileDialog::new()
                            .set_file_name(name)
                            .add_filter("SOP (TOML)", &["toml"])
                            .save_file()
                    }) {
                        self.export_toml_to(&path, lang);
                    }
                }
                ui.separator();
                if ui.button(Text::CloseEditor.get(lang)).clicked() {
                    if self.dirty() {
                        self.confirm_close = true;
                    } else {
                        outcome = Some(EditorOutcome::Close);
                    }
                }
            });
            if let Some((ok, text)) = &self.message {
                let color = if *ok { OK_GREEN } else { ERROR_RED };
                ui.add(egui::Label::new(RichText::new(text).color(color)).wrap());
            } else if self.dirty() {
                ui.label(RichText::new(Text::UnsavedChanges.get(lang)).color(MUTED));
            }
            ui.add_space(2.0);
        });
        outcome
    }

    fn confirm_close_ui(
        &mut self,
        ctx: &egui::Context,
        lang: Lang,
        store: &mut Store,
        user: &User,
    ) -> Option<EditorOutcome> {
        let mut outcome = None;
        egui::Window::new(Text::UnsavedTitle.get(lang))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                ui.label(Text::UnsavedExplain.get(lang));
                ui.horizontal(|ui| {
                    if ui.button(Text::SaveAndClose.get(lang)).clicked() {
                        if self.save(store, user, lang) {
                            outcome = Some(EditorOutcome::Close);
                        }
                        self.confirm_close = false;
                    }
                    if ui.button(Text::DiscardChanges.get(lang)).clicked() {
                        outcome = Some(EditorOutcome::Close);
                    }
                    if ui.button(Text::Cancel.get(lang)).clicked() {
                        self.confirm_close = false;
                    }
                });
            });
        outcome
    }

    fn problems_panel_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        self.refresh();
        // Taken out for the frame and put back: no copy per frame.
        let problems = self
            .laid_out
            .as_mut()
            .map(|(_, _, p)| std::mem::take(p))
            .unwrap_or_default();
        let mut go = None;
        // Room for the importer's doubts too, when a file was just read.
        let height = if self.import_notes.is_empty() {
            120.0
        } else {
            (ui.available_height() * 0.3).clamp(120.0, 220.0)
        };
        egui::Panel::bottom("editor_problems")
            .resizable(true)
            .default_size(height)
            .show(ui, |ui| {
                let errors = problems.iter().filter(|p| p.is_error()).count();
                let heading = if problems.is_empty() && self.import_notes.is_empty() {
                    RichText::new(Text::NoProblemsPrintable.get(lang)).color(OK_GREEN)
                } else {
                    RichText::new(format!(
                        "{} ({}; {} {})",
                        Text::Problems.get(lang),
                        problems.len() + self.import_notes.len(),
                        errors,
                        Text::ErrorsWord.get(lang)
                    ))
                    .color(if errors > 0 { ERROR_RED } else { WARNING_AMBER })
                };
                ui.label(heading.strong());
                egui::ScrollArea::vertical().show(ui, |ui| {
                    if !self.import_notes.is_empty() {
                        ui.label(
                            RichText::new(format!(
                                "{} ({})",
                                Text::ImportNotesTitle.get(lang),
                                self.import_notes.len()
                            ))
                            .color(WARNING_AMBER),
                        );
                    }
                    for p in self.import_notes.iter().chain(problems.iter()) {
                        let color = if p.severity == Severity::Error {
                            ERROR_RED
                        } else {
                            WARNING_AMBER
                        };
                        let place = match &p.subject {
                            Subject::Step { index, .. } => self
                                .editor
                                .sop()
                                .steps
                                .get(*index)
                                .map(|s| format!("{} {}: ", Text::StepWord.get(lang), s.number))
                                .unwrap_or_default(),
                            Subject::Lane { index, .. } => {
                                format!("{} {}: ", Text::Lanes.get(lang), index + 1)
                            }
                            Subject::Identity(_) => format!("{}: ", Text::TabIdentity.get(lang)),
                            _ => String::new(),
                        };
                        let text = format!("{place}{}", i18n::problem_message(&p.kind, lang));
                        if ui
                            .add(egui::Button::selectable(
                                false,
                                RichText::new(text).color(color),
                            ))
                            .clicked()
                        {
                            go = Some(p.subject.clone());
                        }
                    }
                });
            });
        if let Some((_, _, slot)) = self.laid_out.as_mut() {
            *slot = problems;
        }
        if let Some(subject) = go {
            self.go_to(&subject);
        }
    }

    fn preview_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.horizontal(|ui| {
            ui.label(RichText::new(Text::LivePreview.get(lang)).strong());
            self.view.zoom_buttons_ui(ui, lang);
        });
        self.refresh();
        if self.editor.sop().steps.is_empty() {
            ui.label(Text::NoSteps.get(lang));
            return;
        }
        self.view.selected = self.selected;
        let Some((version, layout, problems)) = self.laid_out.take() else {
            return;
        };
        let steps = &self.editor.sop().steps;
        let label = |i: usize| {
            steps
                .get(i)
                .map(|s| format!("{} {}: {}", Text::StepWord.get(lang), s.number, s.activity))
                .unwrap_or_default()
        };
        let events = self.view.ui(ui, &layout, &label);
        self.laid_out = Some((version, layout, problems));
        if let Some(step) = events.clicked_step {
            self.select_step(Some(step));
        } else if self.view.selected != self.selected {
            // Esc or the keys in the view moved the selection.
            self.selected = self.view.selected;
        }
    }

    fn form_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.horizontal(|ui| {
            for (tab, text) in [
                (EditorTab::Identity, Text::TabIdentity),
                (EditorTab::Lanes, Text::Lanes),
                (EditorTab::Steps, Text::Steps),
            ] {
                ui.selectable_value(&mut self.tab, tab, text.get(lang));
            }
        });
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| match self.tab {
                EditorTab::Identity => self.identity_form_ui(ui, lang),
                EditorTab::Lanes => self.lanes_form_ui(ui, lang),
                EditorTab::Steps => self.steps_form_ui(ui, lang),
            });
    }

    /// A labelled one-line field; the new text when it changed.
    fn line(
        &mut self,
        ui: &mut egui::Ui,
        key: FieldKey,
        label: &str,
        current: &str,
    ) -> Option<String> {
        self.text_field(ui, key, label, current, false)
    }

    fn multiline(
        &mut self,
        ui: &mut egui::Ui,
        key: FieldKey,
        label: &str,
        current: &str,
    ) -> Option<String> {
        self.text_field(ui, key, label, current, true)
    }

    fn text_field(
        &mut self,
        ui: &mut egui::Ui,
        key: FieldKey,
        label: &str,
        current: &str,
        multiline: bool,
    ) -> Option<String> {
        let mut text = current.to_string();
        let l = ui.label(label);
        let edit = if multiline {
            egui::TextEdit::multiline(&mut text).desired_rows(2)
        } else {
            egui::TextEdit::singleline(&mut text)
        };
        let response = ui
            .add(
                edit.id(ui.make_persistent_id(("editor-field", key)))
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
        if self.focus == Some(key) {
            response.request_focus();
            response.scroll_to_me(Some(egui::Align::Center));
            self.focus = None;
        }
        response.changed().then_some(text)
    }

    fn identity_form_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        if self.dates_for != self.editor.version() {
            // After an undo or redo the typed dates follow the SOP again.
            let sop = self.editor.sop();
            for (i, field) in DATES.iter().enumerate() {
                let shown = date_of(sop, *field)
                    .map(|d| d.format("%d-%m-%Y").to_string())
                    .unwrap_or_default();
                if typed_date(&self.dates[i]) != date_of(sop, *field) {
                    self.dates[i] = shown;
                }
            }
            self.dates_for = self.editor.version();
        }
        for (field, text) in [
            (IdentityField::Name, Text::SopName),
            (IdentityField::Number, Text::SopNumber),
            (IdentityField::Unit, Text::Unit),
        ] {
            let current = identity_text(self.editor.sop(), field).to_string();
            if let Some(t) = self.line(ui, FieldKey::Identity(field), text.get(lang), &current) {
                self.apply(Edit::SetIdentity(field, t), true, lang);
            }
        }
        self.list_ui(ui, ListField::UnitParents, lang);
        let place = identity_text(self.editor.sop(), IdentityField::Place).to_string();
        if let Some(t) = self.line(
            ui,
            FieldKey::Identity(IdentityField::Place),
            Text::PlaceLabel.get(lang),
            &place,
        ) {
            self.apply(Edit::SetIdentity(IdentityField::Place, t), true, lang);
        }
        ui.add_space(4.0);
        for (i, (field, text)) in [
            (DateField::Created, Text::CreatedDate),
            (DateField::Revised, Text::RevisedDate),
            (DateField::Effective, Text::EffectiveDate),
        ]
        .into_iter()
        .enumerate()
        {
            let current = self.dates[i].clone();
            let label = format!("{} ({})", text.get(lang), Text::DateHint.get(lang));
            if let Some(t) = self.line(ui, FieldKey::Date(field), &label, &current) {
                self.dates[i] = t.clone();
                let parsed = typed_date(&t);
                if t.trim().is_empty() {
                    self.apply(Edit::SetDate(field, None), false, lang);
                } else if let Some(d) = parsed {
                    self.apply(Edit::SetDate(field, Some(d)), false, lang);
                }
                self.dates_for = self.editor.version();
            }
            let typed = self.dates[i].trim();
            if !typed.is_empty() {
                match typed_date(typed) {
                    Some(d) => ui.label(
                        RichText::new(format!(
                            "{}: {}",
                            Text::UnderstoodAs.get(lang),
                            i18n::format_date(d, lang)
                        ))
                        .small()
                        .color(OK_GREEN),
                    ),
                    None => ui.label(
                        RichText::new(Text::DateNotUnderstood.get(lang))
                            .small()
                            .color(ERROR_RED),
                    ),
                };
            }
        }
        ui.add_space(4.0);
        ui.label(RichText::new(Text::ApprovedBy.get(lang)).strong());
        self.list_ui(ui, ListField::ApproverTitles, lang);
        for (field, text) in [
            (IdentityField::ApproverName, Text::ApproverNameLabel),
            (IdentityField::ApproverNip, Text::Nip),
        ] {
            let current = identity_text(self.editor.sop(), field).to_string();
            if let Some(t) = self.line(ui, FieldKey::Identity(field), text.get(lang), &current) {
                self.apply(Edit::SetIdentity(field, t), true, lang);
            }
        }
        for field in [
            ListField::LegalBasis,
            ListField::Qualifications,
            ListField::Related,
            ListField::Equipment,
            ListField::Warnings,
            ListField::Records,
        ] {
            ui.add_space(4.0);
            self.list_ui(ui, field, lang);
        }
        ui.add_space(6.0);
        self.headings_ui(ui, lang);
    }

    /// The table's headings as this office prints them: the activity
    /// column's, and which Mutu Baku columns, under which headings.
    fn headings_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.label(RichText::new(Text::HeadingsSection.get(lang)).strong());
        let headings = self.editor.sop().headings.clone();
        if let Some(t) = self.line(
            ui,
            FieldKey::Heading(HeadingField::Activity),
            Text::ActivityHeading.get(lang),
            &headings.activity,
        ) {
            self.apply(Edit::SetHeading(HeadingField::Activity, t), true, lang);
        }
        ui.label(Text::MutuColumns.get(lang));
        for (column, field, current, name) in [
            (
                MutuBakuColumn::Requirements,
                HeadingField::Requirements,
                headings.requirements.clone(),
                Text::RequirementsWord,
            ),
            (
                MutuBakuColumn::Time,
                HeadingField::Time,
                headings.time.clone(),
                Text::TimeWord,
            ),
            (
                MutuBakuColumn::Output,
                HeadingField::Output,
                headings.output.clone(),
                Text::OutputWord,
            ),
        ] {
            let mut on = headings.columns.contains(&column);
            ui.horizontal(|ui| {
                if ui.checkbox(&mut on, name.get(lang)).changed() {
                    self.apply(Edit::ToggleColumn(column.clone()), false, lang);
                }
                let mut text = current.clone();
                let response = ui.add(
                    egui::TextEdit::singleline(&mut text)
                        .id(ui.make_persistent_id(("editor-field", FieldKey::Heading(field))))
                        .desired_width(220.0),
                );
                name_field(&response, Text::ColumnHeading.get(lang), &current);
                if response.changed() {
                    self.apply(Edit::SetHeading(field, text), true, lang);
                }
            });
        }
        for (c, column) in headings.columns.iter().enumerate() {
            let MutuBakuColumn::Extra { heading, .. } = column else {
                continue;
            };
            ui.horizontal(|ui| {
                let mut text = heading.clone();
                let response = ui.add(
                    egui::TextEdit::singleline(&mut text)
                        .id(ui.make_persistent_id(("editor-field", FieldKey::Column(c))))
                        .desired_width(220.0),
                );
                name_field(&response, Text::ColumnHeading.get(lang), heading);
                if response.changed() {
                    self.apply(Edit::RenameColumn(c, text), true, lang);
                }
                if icon_button(ui, true, "×", Text::RemoveColumn.get(lang)).clicked() {
                    self.apply(Edit::RemoveColumn(c), false, lang);
                }
            });
        }
        if ui
            .button(format!("+ {}", Text::AddColumn.get(lang)))
            .clicked()
        {
            self.apply(
                Edit::AddColumn(Text::NewColumnName.get(lang).to_string()),
                false,
                lang,
            );
        }
        ui.add_space(6.0);
        let mut in_identity =
            self.editor.sop().identity.approver.sign_at == SignaturePlace::Identity;
        if ui
            .checkbox(&mut in_identity, Text::SignAtIdentity.get(lang))
            .changed()
        {
            let place = if in_identity {
                SignaturePlace::Identity
            } else {
                SignaturePlace::End
            };
            self.apply(Edit::SetSignaturePlace(place), false, lang);
        }
    }

    /// One of the identity page's lists, item by item.
    fn list_ui(&mut self, ui: &mut egui::Ui, field: ListField, lang: Lang) {
        let title = i18n::list_label(field).get(lang);
        ui.label(RichText::new(title).strong());
        let items: Vec<String> = list(self.editor.sop(), field).to_vec();
        let mut edit = None;
        for (i, item) in items.iter().enumerate() {
            ui.horizontal(|ui| {
                ui.label(format!("{}.", i + 1));
                let mut text = item.clone();
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut text)
                            .id(ui
                                .make_persistent_id(("editor-field", FieldKey::ListItem(field, i))))
                            .desired_width(ui.available_width() - ICON_BUTTONS_WIDTH),
                    )
                    .on_hover_text(title);
                name_field(&response, &format!("{title} {}", i + 1), item);
                if self.focus == Some(FieldKey::ListItem(field, i)) {
                    response.request_focus();
                    self.focus = None;
                }
                if response.changed() {
                    edit = Some((Edit::ListSet(field, i, text), true));
                }
                let n = i + 1;
                let up = format!("{} {title} {n}", Text::MoveUp.get(lang));
                if icon_button(ui, i > 0, "↑", &up).clicked() {
                    edit = Some((Edit::ListMove(field, i, i - 1), false));
                }
                let down = format!("{} {title} {n}", Text::MoveDown.get(lang));
                if icon_button(ui, n < items.len(), "↓", &down).clicked() {
                    edit = Some((Edit::ListMove(field, i, i + 1), false));
                }
                let remove = format!("{} {title} {n}", Text::RemoveItem.get(lang));
                if icon_button(ui, true, "×", &remove).clicked() {
                    edit = Some((Edit::ListRemove(field, i), false));
                }
            });
        }
        // "+ Dasar hukum": each list's own button, found by its name.
        if ui
            .button(format!("+ {title}"))
            .on_hover_text(Text::AddItem.get(lang))
            .clicked()
        {
            edit = Some((Edit::ListInsert(field, items.len(), String::new()), false));
            self.focus = Some(FieldKey::ListItem(field, items.len()));
        }
        if let Some((e, typing)) = edit {
            self.apply(e, typing, lang);
        }
    }

    fn lanes_form_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.label(
            RichText::new(Text::EditorLanesExplain.get(lang))
                .small()
                .color(MUTED),
        );
        let lanes: Vec<String> = self
            .editor
            .sop()
            .lanes
            .iter()
            .map(|l| l.name.clone())
            .collect();
        let mut edit = None;
        for (i, name) in lanes.iter().enumerate() {
            ui.horizontal(|ui| {
                ui.label(format!("{}.", i + 1));
                let mut text = name.clone();
                let label = format!("{} {}", Text::LaneName.get(lang), i + 1);
                let response = ui.add(
                    egui::TextEdit::singleline(&mut text)
                        .id(ui.make_persistent_id(("editor-field", FieldKey::Lane(i))))
                        .desired_width(ui.available_width() - ICON_BUTTONS_WIDTH),
                );
                name_field(&response, &label, name);
                if self.focus == Some(FieldKey::Lane(i)) {
                    response.request_focus();
                    self.focus = None;
                }
                if response.changed() {
                    edit = Some((Edit::RenameLane(i, text), true));
                }
                let n = i + 1;
                if icon_button(ui, i > 0, "←", &format!("{} {n}", Text::MoveLeft.get(lang)))
                    .clicked()
                {
                    edit = Some((Edit::MoveLane(i, i - 1), false));
                }
                if icon_button(
                    ui,
                    n < lanes.len(),
                    "→",
                    &format!("{} {n}", Text::MoveRight.get(lang)),
                )
                .clicked()
                {
                    edit = Some((Edit::MoveLane(i, i + 1), false));
                }
                if icon_button(
                    ui,
                    true,
                    "×",
                    &format!("{} {n}", Text::RemoveLane.get(lang)),
                )
                .clicked()
                {
                    edit = Some((Edit::RemoveLane(i), false));
                }
            });
        }
        if ui
            .button(format!("+ {}", Text::AddLane.get(lang)))
            .clicked()
        {
            edit = Some((Edit::AddLane(String::new()), false));
            self.focus = Some(FieldKey::Lane(lanes.len()));
        }
        if let Some((e, typing)) = edit {
            self.apply(e, typing, lang);
        }
    }

    fn steps_form_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let rows: Vec<(String, String)> = self
            .editor
            .sop()
            .steps
            .iter()
            .map(|s| (s.number.clone(), s.activity.clone()))
            .collect();
        let mut edit = None;
        ui.label(
            RichText::new(Text::StepsExplain.get(lang))
                .small()
                .color(MUTED),
        );
        egui::ScrollArea::vertical()
            .id_salt("editor_step_rows")
            .max_height(220.0)
            .show(ui, |ui| {
                for (i, (number, activity)) in rows.iter().enumerate() {
                    let short: String = activity.chars().take(60).collect();
                    let text = format!("{number}. {short}");
                    let response = ui
                        .add_sized(
                            [ui.available_width(), 0.0],
                            egui::Button::selectable(self.selected == Some(i), text)
                                .wrap_mode(egui::TextWrapMode::Truncate)
                                // Left-aligned, like the rows of a table.
                                .right_text(""),
                        )
                        .interact(egui::Sense::click_and_drag());
                    // Drag a row onto another to move it there.
                    response.dnd_set_drag_payload(i);
                    if let Some(from) = response.dnd_release_payload::<usize>()
                        && *from != i
                    {
                        edit = Some(Edit::MoveStep(*from, i));
                    }
                    if response.dnd_hover_payload::<usize>().is_some() {
                        ui.painter().hline(
                            response.rect.x_range(),
                            response.rect.top(),
                            egui::Stroke::new(2.0, super::theme::FOCUS_INK),
                        );
                    }
                    if response.clicked() {
                        self.select_step(Some(i));
                    }
                }
            });
        ui.horizontal_wrapped(|ui| {
            let at = self.selected.map_or(rows.len(), |s| s + 1);
            if ui
                .button(format!("+ {}", Text::AddStep.get(lang)))
                .clicked()
            {
                edit = Some(Edit::InsertStep(at));
                self.selected = Some(at);
                self.focus = Some(FieldKey::Step(StepField::Activity));
            }
            if let Some(s) = self.selected {
                if ui.button(Text::InsertAbove.get(lang)).clicked() {
                    edit = Some(Edit::InsertStep(s));
                    self.focus = Some(FieldKey::Step(StepField::Activity));
                }
                if icon_button(ui, s > 0, "↑", Text::MoveStepUp.get(lang)).clicked() {
                    edit = Some(Edit::MoveStep(s, s - 1));
                }
                if icon_button(ui, s + 1 < rows.len(), "↓", Text::MoveStepDown.get(lang)).clicked()
                {
                    edit = Some(Edit::MoveStep(s, s + 1));
                }
                if ui.button(Text::DeleteStep.get(lang)).clicked() {
                    edit = Some(Edit::DeleteStep(s));
                    self.selected = if rows.len() > 1 {
                        Some(s.min(rows.len() - 2))
                    } else {
                        None
                    };
                }
            }
        });
        if let Some(e) = edit.take() {
            if let Edit::MoveStep(from, to) = &e
                && self.selected == Some(*from)
            {
                self.selected = Some(*to);
            }
            self.apply(e, false, lang);
        }
        let Some(index) = self.selected.filter(|i| *i < self.editor.sop().steps.len()) else {
            ui.label(RichText::new(Text::ChooseStepToEdit.get(lang)).color(MUTED));
            return;
        };
        self.view.selected = Some(index);
        ui.separator();
        self.step_form_ui(ui, index, lang);
    }

    fn step_form_ui(&mut self, ui: &mut egui::Ui, index: usize, lang: Lang) {
        let step = self.editor.sop().steps[index].clone();
        let lanes = self.editor.sop().lanes.clone();
        let all_steps: Vec<(lajur_core::sop::StepId, String)> = self
            .editor
            .sop()
            .steps
            .iter()
            .map(|s| {
                let short: String = s.activity.chars().take(40).collect();
                (s.id.clone(), format!("{}. {short}", s.number))
            })
            .collect();
        let mut edits: Vec<(Edit, bool)> = Vec::new();
        ui.label(RichText::new(format!("{} {}", Text::StepWord.get(lang), step.number)).strong());
        if let Some(t) = self.line(
            ui,
            FieldKey::Step(StepField::Number),
            Text::Number.get(lang),
            &step.number,
        ) {
            edits.push((Edit::SetStep(index, StepField::Number, t), true));
        }
        if let Some(t) = self.multiline(
            ui,
            FieldKey::Step(StepField::Activity),
            Text::Activity.get(lang),
            &step.activity,
        ) {
            edits.push((Edit::SetStep(index, StepField::Activity, t), true));
        }
        // A symbol standing in the row of the step before (a start and the
        // first box, a box and the end, …).
        if index > 0 {
            let mut same_row = step.same_row;
            if ui
                .checkbox(&mut same_row, Text::SameRowLabel.get(lang))
                .on_hover_text(Text::SameRowHint.get(lang))
                .changed()
            {
                edits.push((Edit::SetSameRow(index, same_row), false));
            }
        }
        ui.label(Text::Lanes.get(lang));
        ui.horizontal_wrapped(|ui| {
            for (li, lane) in lanes.iter().enumerate() {
                let mut on = step.lanes.contains(&lane.id);
                let name = if lane.name.trim().is_empty() {
                    lane.id.0.clone()
                } else {
                    lane.name.clone()
                };
                if ui.checkbox(&mut on, name).changed() {
                    edits.push((Edit::ToggleStepLane(index, li), false));
                }
            }
        });
        if step.lanes.len() > 1 {
            ui.horizontal_wrapped(|ui| {
                ui.label(Text::LaneModeLabel.get(lang));
                for (mode, text) in [
                    (LaneMode::All, Text::LaneModeAll),
                    (LaneMode::Any, Text::LaneModeAny),
                ] {
                    if ui.radio(step.lane_mode == mode, text.get(lang)).clicked()
                        && step.lane_mode != mode
                    {
                        edits.push((Edit::SetLaneMode(index, mode), false));
                    }
                }
            });
        }
        ui.label(Text::Symbol.get(lang));
        ui.horizontal_wrapped(|ui| {
            for symbol in Symbol::ALL {
                if ui
                    .selectable_label(step.symbol == symbol, symbol_text(symbol).get(lang))
                    .clicked()
                    && step.symbol != symbol
                {
                    edits.push((Edit::SetSymbol(index, symbol), false));
                }
            }
        });
        if matches!(step.symbol, Symbol::Start | Symbol::End) {
            if let Some(t) = self.line(
                ui,
                FieldKey::Step(StepField::Label),
                Text::CapsuleLabel.get(lang),
                &step.label,
            ) {
                edits.push((Edit::SetStep(index, StepField::Label, t), true));
            }
            ui.label(
                RichText::new(Text::CapsuleLabelHint.get(lang))
                    .small()
                    .color(MUTED),
            );
        }
        if step.symbol != Symbol::End {
            ui.label(Text::NextSteps.get(lang));
            for (e, exit) in step.exits.iter().enumerate() {
                ui.horizontal(|ui| {
                    if step.symbol == Symbol::Decision || step.exits.len() > 1 {
                        let mut label = exit.label.clone();
                        let response = ui.add(
                            egui::TextEdit::singleline(&mut label)
                                .desired_width(70.0)
                                .hint_text("Ya / Tidak"),
                        );
                        name_field(
                            &response,
                            &format!("{} {}", Text::ExitLabel.get(lang), e + 1),
                            &exit.label,
                        );
                        if response.changed() {
                            edits.push((Edit::SetExitLabel(index, e, label), true));
                        }
                    }
                    ui.label("→");
                    let shown = all_steps
                        .iter()
                        .find(|(id, _)| *id == exit.target)
                        .map(|(_, t)| t.clone())
                        .unwrap_or_else(|| format!("? {}", exit.target));
                    let combo = egui::ComboBox::from_id_salt(("exit_target", index, e))
                        .selected_text(shown)
                        .width(ui.available_width() - 40.0)
                        .show_ui(ui, |ui| {
                            for (id, text) in &all_steps {
                                if ui.selectable_label(*id == exit.target, text).clicked() {
                                    edits.push((Edit::SetExitTarget(index, e, id.clone()), false));
                                }
                            }
                        })
                        .response;
                    combo.widget_info(|| {
                        egui::WidgetInfo::labeled(
                            egui::Role::ComboBox,
                            true,
                            format!("{} {}", Text::ExitTarget.get(lang), e + 1),
                        )
                    });
                    if self.focus == Some(FieldKey::Exit(e)) {
                        combo.request_focus();
                        self.focus = None;
                    }
                    let remove = format!("{} {}", Text::RemoveExit.get(lang), e + 1);
                    if icon_button(ui, true, "×", &remove).clicked() {
                        edits.push((Edit::RemoveExit(index, e), false));
                    }
                });
            }
            if ui
                .button(format!("+ {}", Text::AddExit.get(lang)))
                .clicked()
            {
                edits.push((Edit::AddExit(index), false));
            }
        }
        // The row's Mutu Baku and Keterangan: written on its first step only.
        let headings = self.editor.sop().headings.clone();
        let shown: Vec<(StepField, String)> = if step.same_row {
            Vec::new()
        } else {
            let mut v: Vec<(StepField, String)> = headings
                .columns
                .iter()
                .filter_map(|c| match c {
                    MutuBakuColumn::Requirements => {
                        Some((StepField::Requirements, headings.requirements.clone()))
                    }
                    MutuBakuColumn::Time => Some((StepField::Time, headings.time.clone())),
                    MutuBakuColumn::Output => Some((StepField::Output, headings.output.clone())),
                    MutuBakuColumn::Extra { .. } => None,
                })
                .collect();
            v.push((StepField::Remarks, Text::Remarks.get(lang).to_string()));
            v
        };
        if !step.same_row {
            for (c, column) in headings.columns.iter().enumerate() {
                if let MutuBakuColumn::Extra { key, heading } = column {
                    let current = step.mutu_baku(column).to_string();
                    if let Some(t) = self.line(ui, FieldKey::Extra(c), heading, &current) {
                        edits.push((Edit::SetExtra(index, key.clone(), t), true));
                    }
                }
            }
        }
        for (field, label) in shown {
            let current = step_text(&step, field).to_string();
            if let Some(t) = self.line(ui, FieldKey::Step(field), &label, &current) {
                edits.push((Edit::SetStep(index, field, t), true));
            }
            if field == StepField::Time {
                // How the Waktu was understood, at once.
                let understood = i18n::describe_standard_time(step.standard_time(), lang);
                let (color, text) = match step.standard_time() {
                    lajur_core::sop::StandardTime::Unparsed => {
                        (WARNING_AMBER, Text::TimeNotUnderstood.get(lang).to_string())
                    }
                    lajur_core::sop::StandardTime::Empty => {
                        (MUTED, Text::TimeEmpty.get(lang).to_string())
                    }
                    _ => (OK_GREEN, understood),
                };
                ui.label(
                    RichText::new(format!("{}: {text}", Text::UnderstoodAs.get(lang)))
                        .small()
                        .color(color),
                );
            }
        }
        for (edit, typing) in edits {
            self.apply(edit, typing, lang);
        }
    }
}
