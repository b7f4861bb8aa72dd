//! The office's SOP library in the window ("Daftar SOP" with records open):
//! search, status, validation, number and last revision of every SOP; new SOP
//! from a template; TOML import and export; activate and archive with a note;
//! each SOP's revisions, viewable, printable and compared; the editor.

use super::widgets::or_report;
use egui::RichText;

use super::shelf::{Shelf, Tab};
use super::sop_editor::{EditorOutcome, SopEditorScreen};
use super::workspace::Workspace;
use lajur_core::locale::{self as i18n, Lang, Text};
use lajur_core::sop::source::{LoadedSop, Origin};
use lajur_core::sop::{Sop, SopDocument};
use lajur_records::{LibraryEntry, SopRevision, SopStatus};

use super::theme::{ERROR_RED, MUTED, OK_GREEN, WARNING_AMBER};

/// The SOP on show, as the actions above the tabs need it.
struct Shown {
    sop_id: i64,
    status: SopStatus,
    revision: i64,
    active_revision: Option<i64>,
    has_errors: bool,
    name: String,
}

/// The library's view state: never part of the records.
#[derive(Default)]
pub struct LibraryView {
    pub search: String,
    /// The note for activating or archiving, and whether archiving is asked.
    pub note: String,
    pub archiving: bool,
    /// The revisions of the SOP on show, read when the tab opens.
    pub revisions: Option<(i64, Vec<SopRevision>)>,
    /// The two revisions compared (revision numbers).
    pub compare: (Option<i64>, Option<i64>),
    /// An earlier revision shown in place of the newest.
    pub viewing: Option<(i64, i64)>,
    /// The comparison on show: (SOP, revision A, revision B) and its lines.
    pub diff: Option<((i64, i64, i64), Vec<String>)>,
    pub message: Option<(bool, String)>,
}

pub fn status_text(status: SopStatus) -> Text {
    match status {
        SopStatus::Draft => Text::StatusDraft,
        SopStatus::Active => Text::StatusActive,
        SopStatus::Superseded => Text::StatusSuperseded,
        SopStatus::Archived => Text::StatusArchived,
    }
}

fn loaded(rev: &SopRevision) -> LoadedSop {
    LoadedSop {
        origin: Origin::Library {
            sop_id: rev.sop_id,
            revision: rev.revision,
        },
        text: rev.toml.clone(),
        document: Ok(SopDocument::parse(&rev.toml)),
    }
}

/// The library's state in the window: the SOPs as listed, the revisions in
/// force (offered for new kegiatan), the editor when open, the view state.
#[derive(Default)]
pub struct Library {
    /// The records have no user yet: the bundled SOPs are put in the
    /// library once the first administrator signs in, not before (a new PC
    /// joining an office on the server must hold no records of its own).
    pub awaiting_first_user: bool,
    pub entries: Option<Vec<LibraryEntry>>,
    pub active_sops: Vec<LoadedSop>,
    pub editor: Option<SopEditorScreen>,
    pub view: LibraryView,
}

/// What the library works on besides its own state: the SOPs on show, the
/// records (when open) and the window's language.
pub struct LibraryCx<'a> {
    pub shelf: &'a mut Shelf,
    pub records: &'a mut Option<std::result::Result<Workspace, String>>,
    pub lang: Lang,
}

impl Library {
    /// On first run the SOPs on hand (the sops/ folder, or the bundled ones)
    /// become the library's first, active revisions; then the library is read.
    pub(super) fn sync_library(&mut self, cx: &mut LibraryCx<'_>) {
        let sops = cx.shelf.sops.clone();
        let lang = cx.lang;
        let Some(Ok(ws)) = cx.records.as_mut() else {
            return;
        };
        // The first administrator puts them there (who may, once there is one).
        let by = ws.user().cloned();
        let store = ws.store_mut();
        let no_user = store.users().map(|u| u.is_empty()).unwrap_or(false);
        self.awaiting_first_user = no_user;
        if no_user {
            // The shelf keeps showing the bundled SOPs meanwhile.
            return;
        }
        match store.library_is_empty() {
            Ok(true) => {
                for sop in sops.iter().filter(|s| s.document.is_ok()) {
                    let origin = match &sop.origin {
                        Origin::Bundled(name) => format!("bawaan:{name}"),
                        Origin::File(path) => format!("berkas:{}", path.display()),
                        Origin::Library { sop_id, .. } => format!("pustaka:{sop_id}"),
                    };
                    if let Err(e) = store.import_sop(by.as_ref(), &sop.text, &origin, true, "") {
                        log::error!("SOP {origin} tidak dapat diimpor: {e}");
                        self.view.message = Some((false, e.message(lang)));
                    }
                }
            }
            Ok(false) => {}
            Err(e) => {
                self.view.message = Some((false, e.message(lang)));
                return;
            }
        }
        self.load_library(cx);
    }

    /// Reads the library again: the list, the active SOPs for new kegiatan.
    pub(super) fn load_library(&mut self, cx: &mut LibraryCx<'_>) {
        let Some(Ok(ws)) = cx.records.as_ref() else {
            return;
        };
        match ws.store().library() {
            Ok(entries) => {
                let keep = cx
                    .shelf
                    .selected
                    .and_then(|i| self.entries.as_ref()?.get(i))
                    .map(|e| e.sop_id);
                cx.shelf.sops = entries.iter().map(|e| loaded(&e.latest)).collect();
                self.active_sops = entries
                    .iter()
                    .filter_map(|e| e.active.as_ref().map(loaded))
                    .collect();
                cx.shelf.selected = keep
                    .and_then(|id| entries.iter().position(|e| e.sop_id == id))
                    .or(if entries.is_empty() { None } else { Some(0) });
                self.entries = Some(entries);
                cx.shelf.folder_failure = None;
            }
            Err(e) => {
                self.view.message = Some((false, e.message(cx.lang)));
            }
        }
        self.view.viewing = None;
        self.view.revisions = None;
        // A draft is rewritten under the same revision number: compare again.
        self.view.diff = None;
        cx.shelf.generation += 1;
        cx.shelf.view.selected = None;
    }

    /// The office's time zone, minutes east of UTC (WIB without records).
    fn utc_offset(&self, cx: &LibraryCx<'_>) -> i32 {
        cx.records
            .as_ref()
            .and_then(|r| r.as_ref().ok())
            .map_or(7 * 60, |w| w.store().calendar().utc_offset_minutes)
    }

    /// The library SOP on show.
    fn selected_entry(&self, cx: &LibraryCx<'_>) -> Option<&LibraryEntry> {
        cx.shelf
            .selected
            .and_then(|i| self.library_entries().get(i))
    }

    /// What the actions above the tabs need of the SOP on show, read each
    /// frame without copying its texts.
    fn shown_summary(&self, cx: &LibraryCx<'_>) -> Option<Shown> {
        self.selected_entry(cx).map(|e| Shown {
            sop_id: e.sop_id,
            status: e.status(),
            revision: e.latest.revision,
            active_revision: e.active.as_ref().map(|a| a.revision),
            has_errors: e.latest.has_errors,
            name: e.latest.name.clone(),
        })
    }

    /// The library as listed (with records open).
    pub fn library_entries(&self) -> &[LibraryEntry] {
        self.entries.as_deref().unwrap_or_default()
    }

    /// Shows the library SOP with this id.
    pub fn select_library_sop(&mut self, cx: &mut LibraryCx<'_>, sop_id: i64) {
        if let Some(i) = self
            .library_entries()
            .iter()
            .position(|e| e.sop_id == sop_id)
        {
            cx.shelf.selected = Some(i);
            self.view.viewing = None;
            self.view.revisions = None;
            cx.shelf.view = Default::default();
        }
    }

    /// Opens the editor on a new SOP made from a template.
    pub fn new_sop_from(&mut self, template: Sop) {
        self.editor = Some(SopEditorScreen::new_from(template));
    }

    /// Opens the editor on the selected library SOP's newest revision.
    pub fn edit_selected_sop(&mut self, cx: &mut LibraryCx<'_>) {
        if let Some(e) = self.selected_entry(cx) {
            self.editor = Some(SopEditorScreen::edit(&e.latest));
        }
    }

    pub fn sop_editor_mut(&mut self) -> Option<&mut SopEditorScreen> {
        self.editor.as_mut()
    }

    /// Imports an SOP file (Word, Excel or TOML) into the library as a draft
    /// and opens it in the editor, with everything the importer was unsure
    /// of listed as problems tied to their fields; it is never activated
    /// without a person's Aktifkan.
    pub fn import_sop_file(&mut self, cx: &mut LibraryCx<'_>, path: &std::path::Path) {
        let lang = cx.lang;
        let file = match crate::imports::read_sop_file(path) {
            Ok(file) => file,
            Err(e) => {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                self.view.message = Some((false, format!("{name}: {}", e.message(lang))));
                return;
            }
        };
        let Some(Ok(ws)) = cx.records.as_mut() else {
            return;
        };
        let user = ws.user().cloned();
        match ws.store_mut().import_sop(
            user.as_ref(),
            &file.toml,
            &format!("impor:{}", file.file_name),
            false,
            &file.revision_note(lang),
        ) {
            Ok(id) => {
                self.load_library(cx);
                self.select_library_sop(cx, id);
                let doubts = file.notes.len()
                    + file
                        .document
                        .diagnostics
                        .iter()
                        .filter(|d| d.problem.is_error())
                        .count();
                self.view.message = Some((
                    doubts == 0,
                    format!("{} {}", Text::ImportedAsDraft.get(lang), file.summary(lang)),
                ));
                self.edit_selected_sop(cx);
                if let Some(editor) = self.editor.as_mut() {
                    editor.set_import_notes(file.notes);
                }
            }
            Err(e) => {
                self.view.message = Some((false, e.message(lang)));
            }
        }
    }

    /// Writes the SOP on show as a TOML file.
    pub fn export_selected_toml(&mut self, cx: &mut LibraryCx<'_>, path: &std::path::Path) {
        let lang = cx.lang;
        let Some(sop) = cx.shelf.selected.and_then(|i| cx.shelf.sops.get(i)) else {
            return;
        };
        self.view.message = Some(super::widgets::toml_saved(path, &sop.text, lang));
    }

    pub(super) fn library_list_ui(&mut self, cx: &mut LibraryCx<'_>, ui: &mut egui::Ui) {
        let lang = cx.lang;
        ui.heading(Text::LibraryTitle.get(lang));
        ui.horizontal_wrapped(|ui| {
            ui.menu_button(format!("{}…", Text::NewSop.get(lang)), |ui| {
                if ui.button(Text::BlankTemplate.get(lang)).clicked() {
                    self.new_sop_from(Sop::default());
                    ui.close();
                }
                let entries: Vec<(String, String)> = self
                    .library_entries()
                    .iter()
                    .map(|e| (e.latest.name.clone(), e.latest.toml.clone()))
                    .collect();
                for (name, toml) in entries {
                    if ui
                        .button(format!("{} {name}", Text::CopyOf.get(lang)))
                        .clicked()
                    {
                        let mut copy = SopDocument::parse(&toml).sop;
                        copy.identity.name =
                            format!("{} ({})", copy.identity.name, Text::CopyWord.get(lang));
                        copy.identity.revised = None;
                        self.new_sop_from(copy);
                        ui.close();
                    }
                }
            });
            if ui
                .button(Text::ImportSop.get(lang))
                .on_hover_text(Text::ImportSopHint.get(lang))
                .clicked()
                && let Some(path) = super::widgets::file_dialog(|| {
                    rfd::FileDialog::new()
                        .add_filter(Text::ImportFileFilter.get(lang), &["docx", "xlsx", "toml"])
                        .pick_file()
                })
            {
                self.import_sop_file(cx, &path);
            }
        });
        let search = ui
            .add(
                egui::TextEdit::singleline(&mut self.view.search)
                    .hint_text(Text::SearchSopHint.get(lang))
                    .desired_width(f32::INFINITY),
            )
            .on_hover_text(Text::Search.get(lang));
        search.widget_info(|| {
            let mut info = egui::WidgetInfo::text_edit(true, "", "", "");
            info.label = Some(Text::SearchSop.get(lang).into());
            info
        });
        if let Some((ok, text)) = &self.view.message {
            ui.add(
                egui::Label::new(RichText::new(text).small().color(if *ok {
                    OK_GREEN
                } else {
                    ERROR_RED
                }))
                .wrap(),
            );
        }
        ui.separator();
        let needle = self.view.search.trim().to_lowercase();
        let offset = self.utc_offset(cx);
        // Read in place each frame: no copy of the library, no parsing (the
        // parsed revisions are in cx.shelf.sops, in the library's order).
        let entries = self.entries.as_deref().unwrap_or_default();
        let mut clicked = None;
        egui::ScrollArea::vertical().show(ui, |ui| {
            for (index, e) in entries.iter().enumerate() {
                let latest = &e.latest;
                if !needle.is_empty()
                    && !latest.name.to_lowercase().contains(&needle)
                    && !latest.number.to_lowercase().contains(&needle)
                {
                    continue;
                }
                let selected = cx.shelf.selected == Some(index);
                let title = if latest.name.trim().is_empty() {
                    Text::Untitled.get(lang).to_string()
                } else {
                    latest.name.clone()
                };
                let response = ui.add_sized(
                    [ui.available_width(), 0.0],
                    egui::Button::selectable(selected, RichText::new(title).strong())
                        .wrap_mode(egui::TextWrapMode::Wrap),
                );
                if response.clicked() && !selected {
                    clicked = Some(e.sop_id);
                }
                let (state, color) = if latest.has_errors {
                    (Text::StatusInvalid.get(lang), ERROR_RED)
                } else {
                    (Text::StatusValid.get(lang), OK_GREEN)
                };
                let status_color = match latest.status {
                    SopStatus::Active => OK_GREEN,
                    SopStatus::Draft => WARNING_AMBER,
                    _ => MUTED,
                };
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(status_text(latest.status).get(lang))
                            .color(status_color)
                            .strong(),
                    );
                    ui.label(RichText::new("·").color(MUTED));
                    ui.label(RichText::new(state).color(color));
                });
                // (While an earlier revision is on show its text is in that
                // slot; its date is not the newest's, so none is shown.)
                let viewing = self.view.viewing.is_some() && selected;
                let revised = (!viewing)
                    .then(|| cx.shelf.sops.get(index))
                    .flatten()
                    .and_then(|s| s.document.as_ref().ok())
                    .and_then(|d| d.sop.identity.revised);
                let mut line = format!(
                    "{} {} · {} {}",
                    Text::NumberShort.get(lang),
                    if latest.number.is_empty() {
                        "–"
                    } else {
                        &latest.number
                    },
                    Text::RevisionWord.get(lang),
                    latest.revision
                );
                if let Some(d) = revised {
                    line.push_str(&format!(
                        " · {} {}",
                        Text::RevisedDate.get(lang),
                        i18n::format_date(d, lang)
                    ));
                }
                line.push_str(&format!(
                    " · {} {}",
                    Text::SavedWord.get(lang),
                    i18n::format_datetime(latest.saved_at, offset, lang)
                ));
                ui.label(RichText::new(line).small().color(MUTED));
                ui.add_space(6.0);
            }
        });
        if let Some(id) = clicked {
            self.select_library_sop(cx, id);
        }
    }

    /// Above the tabs: the SOP's status and what may be done with it.
    pub(super) fn library_actions_ui(&mut self, cx: &mut LibraryCx<'_>, ui: &mut egui::Ui) {
        if self.entries.is_none() {
            return;
        }
        let lang = cx.lang;
        let Some(entry) = self.shown_summary(cx) else {
            return;
        };
        let user = cx
            .records
            .as_ref()
            .and_then(|r| r.as_ref().ok())
            .and_then(|w| w.user().cloned());
        let activation = user
            .as_ref()
            .map(|u| lajur_core::policy::activation_refusal(u, entry.status, entry.has_errors));
        let may_archive = user
            .as_ref()
            .is_some_and(|u| lajur_core::policy::may_archive(u, entry.status));
        let mut action: Option<&str> = None;
        ui.horizontal_wrapped(|ui| {
            let status = entry.status;
            ui.label(
                RichText::new(format!(
                    "{} · {} {}",
                    status_text(status).get(lang),
                    Text::RevisionWord.get(lang),
                    entry.revision
                ))
                .strong(),
            );
            if let Some(active) = entry.active_revision
                && active != entry.revision
            {
                ui.label(
                    RichText::new(format!(
                        "({} {} {})",
                        Text::InForce.get(lang),
                        Text::RevisionWord.get(lang),
                        active
                    ))
                    .color(MUTED),
                );
            }
            ui.separator();
            if ui.button(Text::EditSop.get(lang)).clicked() {
                action = Some("edit");
            }
            if ui.button(Text::ExportToml.get(lang)).clicked() {
                action = Some("toml");
            }
            // Offered to approvers while not in force; with errors it says why.
            use lajur_core::policy::ActivationRefusal as A;
            if let Some(refusal @ (None | Some(A::HasErrors))) = activation
                && ui
                    .add_enabled(
                        refusal.is_none(),
                        egui::Button::new(Text::Activate.get(lang)),
                    )
                    .on_disabled_hover_text(Text::ExportInvalidSop.get(lang))
                    .clicked()
            {
                action = Some("activate");
            }
            if may_archive && ui.button(Text::Archive.get(lang)).clicked() {
                self.view.archiving = true;
            }
        });
        if self.view.archiving {
            ui.horizontal_wrapped(|ui| {
                let l = ui.label(Text::ArchiveNote.get(lang));
                ui.add(egui::TextEdit::singleline(&mut self.view.note).desired_width(300.0))
                    .labelled_by(l.id);
                if ui.button(Text::ConfirmArchive.get(lang)).clicked() {
                    action = Some("archive");
                }
                if ui.button(Text::Cancel.get(lang)).clicked() {
                    self.view.archiving = false;
                }
            });
        }
        if let Some((sop_id, revision)) = self.view.viewing {
            let _ = sop_id;
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(
                    WARNING_AMBER,
                    format!("{} {revision}", Text::ViewingRevision.get(lang)),
                );
                if ui.button(Text::BackToLatest.get(lang)).clicked() {
                    action = Some("latest");
                }
            });
        }
        match action {
            Some("edit") => self.edit_selected_sop(cx),
            Some("toml") => {
                let name = lajur_records::fsutil::safe_file_name(&entry.name, "toml");
                if let Some(path) = super::widgets::file_dialog(|| {
                    rfd::FileDialog::new()
                        .set_file_name(name)
                        .add_filter("SOP (TOML)", &["toml"])
                        .save_file()
                }) {
                    self.export_selected_toml(cx, &path);
                }
            }
            Some("activate") => {
                let note = std::mem::take(&mut self.view.note);
                self.change_status(
                    cx,
                    entry.sop_id,
                    |store, user| store.activate_sop(user, entry.sop_id, &note).map(|_| ()),
                    Text::SopActivated,
                );
            }
            Some("archive") => {
                let note = self.view.note.clone();
                let done = self.change_status(
                    cx,
                    entry.sop_id,
                    |store, user| store.archive_sop(user, entry.sop_id, &note),
                    Text::SopArchived,
                );
                if done {
                    self.view.note.clear();
                    self.view.archiving = false;
                }
            }
            Some("latest") => {
                self.load_library(cx);
                self.select_library_sop(cx, entry.sop_id);
            }
            _ => {}
        }
    }

    fn change_status(
        &mut self,
        cx: &mut LibraryCx<'_>,
        sop_id: i64,
        f: impl FnOnce(&mut lajur_records::Store, &lajur_records::User) -> lajur_records::Result<()>,
        done: Text,
    ) -> bool {
        let lang = cx.lang;
        let Some(Ok(ws)) = cx.records.as_mut() else {
            return false;
        };
        let Some(user) = ws.user().cloned() else {
            return false;
        };
        let result = f(ws.store_mut(), &user);
        self.load_library(cx);
        self.select_library_sop(cx, sop_id);
        match result {
            Ok(()) => {
                self.view.message = Some((true, done.get(lang).into()));
                true
            }
            Err(e) => {
                self.view.message = Some((false, e.message(lang)));
                false
            }
        }
    }

    /// Shows an earlier revision in place of the newest (flowchart, identity,
    /// problems and Ekspor PDF all follow it).
    pub fn view_revision(&mut self, cx: &mut LibraryCx<'_>, rev: &SopRevision) {
        if let Some(i) = cx.shelf.selected {
            if let Some(slot) = cx.shelf.sops.get_mut(i) {
                *slot = loaded(rev);
            }
            self.view.viewing = Some((rev.sop_id, rev.revision));
            cx.shelf.generation += 1;
            cx.shelf.view = Default::default();
            cx.shelf.tab = Tab::Flowchart;
        }
    }

    pub(super) fn revisions_ui(&mut self, cx: &mut LibraryCx<'_>, ui: &mut egui::Ui) {
        let lang = cx.lang;
        let Some(sop_id) = self.selected_entry(cx).map(|e| e.sop_id) else {
            return;
        };
        let stale = self
            .view
            .revisions
            .as_ref()
            .is_none_or(|(id, _)| *id != sop_id);
        if stale {
            let mut failed = None;
            let revisions = match cx.records.as_ref().and_then(|r| r.as_ref().ok()) {
                Some(w) => or_report(w.store().sop_revisions(sop_id), &mut failed, cx.lang),
                None => Vec::new(),
            };
            if let Some(message) = failed {
                self.view.message = Some((false, message));
            }
            let n = revisions.len() as i64;
            self.view.compare = ((n >= 2).then_some(n - 1), (n >= 1).then_some(n));
            self.view.revisions = Some((sop_id, revisions));
        }
        // Taken out for the frame and put back: no copy per frame.
        let Some((sop_id, revisions)) = self.view.revisions.take() else {
            return;
        };
        let offset = self.utc_offset(cx);
        let mut view = None;
        egui::Grid::new("revisions")
            .num_columns(7)
            .striped(true)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                for h in [
                    Text::RevisionWord,
                    Text::Status,
                    Text::SavedWord,
                    Text::ByWord,
                    Text::NoteWord,
                    Text::CompareA,
                    Text::CompareB,
                ] {
                    ui.label(RichText::new(h.get(lang)).strong());
                }
                ui.label("");
                ui.end_row();
                for rev in &revisions {
                    ui.label(rev.revision.to_string());
                    ui.label(status_text(rev.status).get(lang));
                    ui.label(i18n::format_datetime(rev.saved_at, offset, lang));
                    ui.label(&rev.saved_by);
                    ui.label(&rev.note);
                    for (which, slot) in [
                        (Text::CompareA, &mut self.view.compare.0),
                        (Text::CompareB, &mut self.view.compare.1),
                    ] {
                        let on = *slot == Some(rev.revision);
                        let response = ui.radio_value(slot, Some(rev.revision), "");
                        let name = format!(
                            "{} {} {}",
                            which.get(lang),
                            Text::RevisionWord.get(lang),
                            rev.revision
                        );
                        response.widget_info(|| {
                            egui::WidgetInfo::selected(egui::Role::RadioButton, true, on, &name)
                        });
                    }
                    if ui
                        .button(format!("{} {}", Text::ViewWord.get(lang), rev.revision))
                        .clicked()
                    {
                        view = Some(rev.clone());
                    }
                    ui.end_row();
                }
            });
        if let Some(rev) = view {
            self.view.revisions = Some((sop_id, revisions));
            self.view_revision(cx, &rev);
            return;
        }
        ui.separator();
        self.comparison_ui(cx, ui, &revisions);
        self.view.revisions = Some((sop_id, revisions));
    }

    /// The two chosen revisions compared in words, worked out once per choice.
    fn comparison_ui(
        &mut self,
        cx: &mut LibraryCx<'_>,
        ui: &mut egui::Ui,
        revisions: &[SopRevision],
    ) {
        let lang = cx.lang;
        let pick = |n: Option<i64>| revisions.iter().find(|r| Some(r.revision) == n);
        match (pick(self.view.compare.0), pick(self.view.compare.1)) {
            (Some(a), Some(b)) if a.revision != b.revision => {
                ui.label(
                    RichText::new(format!(
                        "{} {} → {} {}",
                        Text::RevisionWord.get(lang),
                        a.revision,
                        Text::RevisionWord.get(lang),
                        b.revision
                    ))
                    .strong(),
                );
                let key = (a.sop_id, a.revision, b.revision);
                if self.view.diff.as_ref().is_none_or(|(k, _)| *k != key) {
                    let diff = lajur_core::editor::compare(
                        &SopDocument::parse(&a.toml).sop,
                        &SopDocument::parse(&b.toml).sop,
                    );
                    let lines = diff
                        .iter()
                        .map(|d| i18n::difference_text(d, lang))
                        .collect();
                    self.view.diff = Some((key, lines));
                }
                let diff: &[String] = self.view.diff.as_ref().map_or(&[], |(_, l)| l);
                if diff.is_empty() {
                    ui.label(Text::NoDifferences.get(lang));
                }
                egui::ScrollArea::vertical().show(ui, |ui| {
                    for d in diff {
                        ui.label(format!("• {d}"));
                    }
                });
            }
            _ => {
                ui.label(RichText::new(Text::ChooseTwoRevisions.get(lang)).color(MUTED));
            }
        }
    }

    /// The editor, full width, with the store and the signed-in user.
    pub(super) fn sop_editor_ui(&mut self, cx: &mut LibraryCx<'_>, ui: &mut egui::Ui) {
        let lang = cx.lang;
        let letterhead = cx
            .records
            .as_ref()
            .and_then(|r| r.as_ref().ok())
            .map(|w| w.store().office().letterhead())
            .unwrap_or_default();
        let (Some(editor), Some(Ok(ws))) = (self.editor.as_mut(), cx.records.as_mut()) else {
            self.editor = None;
            return;
        };
        let Some(user) = ws.user().cloned() else {
            return;
        };
        let outcome = editor.ui(ui, lang, ws.store_mut(), &user, &letterhead);
        match outcome {
            EditorOutcome::Stay => {}
            EditorOutcome::Saved(id) => {
                self.load_library(cx);
                self.select_library_sop(cx, id);
            }
            EditorOutcome::Close => {
                let id = self.editor.as_ref().and_then(SopEditorScreen::sop_id);
                self.editor = None;
                self.load_library(cx);
                if let Some(id) = id {
                    self.select_library_sop(cx, id);
                }
            }
        }
    }
}
