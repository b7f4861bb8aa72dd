//! The main window: the SOPs found, each with its validation state and problems.

use egui::{Color32, RichText};

use crate::i18n::{self, Lang, Text};
use crate::library::{LoadedSop, SopSource};
use crate::sop::Severity;

pub struct LajurApp {
    lang: Lang,
    source: SopSource,
    sops: Vec<LoadedSop>,
    /// Why the SOP folder itself could not be read, if it could not.
    folder_failure: Option<crate::library::ReadFailure>,
    selected: Option<usize>,
}

const ERROR_RED: Color32 = Color32::from_rgb(0xB0, 0x1E, 0x1E);
const WARNING_AMBER: Color32 = Color32::from_rgb(0x8A, 0x5A, 0x00);
const OK_GREEN: Color32 = Color32::from_rgb(0x1E, 0x6B, 0x2E);

/// Light theme with text large enough for an office monitor.
pub fn apply_theme(ctx: &egui::Context) {
    ctx.set_visuals(egui::Visuals::light());
    ctx.all_styles_mut(|style| {
        use egui::{FontFamily, FontId, TextStyle};
        style.text_styles = [
            (
                TextStyle::Heading,
                FontId::new(21.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(15.0, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(15.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Small,
                FontId::new(12.5, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(14.0, FontFamily::Monospace),
            ),
        ]
        .into();
    });
}

impl LajurApp {
    pub fn new(lang: Lang, source: SopSource) -> Self {
        let mut app = Self {
            lang,
            source,
            sops: Vec::new(),
            folder_failure: None,
            selected: None,
        };
        app.reload();
        app
    }

    pub fn reload(&mut self) {
        match self.source.load() {
            Ok(sops) => {
                self.sops = sops;
                self.folder_failure = None;
            }
            Err(failure) => {
                self.sops.clear();
                self.folder_failure = Some(failure);
            }
        }
        self.selected = match self.selected {
            Some(i) if i < self.sops.len() => Some(i),
            _ if self.sops.is_empty() => None,
            _ => Some(0),
        };
    }

    fn t(&self, text: Text) -> &'static str {
        text.get(self.lang)
    }

    /// Draws the whole window into `ui` (the eframe root, or a test harness).
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("top_bar").show(ui, |ui| self.top_bar_ui(ui));
        egui::Panel::left("sop_list")
            .resizable(true)
            .default_size(340.0)
            .show(ui, |ui| self.sop_list_ui(ui));
        egui::CentralPanel::default().show(ui, |ui| self.details_ui(ui));
    }

    fn top_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.heading(self.t(Text::AppTitle));
            ui.separator();
            if ui.button(self.t(Text::Reload)).clicked() {
                self.reload();
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let mut lang = self.lang;
                egui::ComboBox::from_label(self.t(Text::Language))
                    .selected_text(lang.native_name())
                    .show_ui(ui, |ui| {
                        for l in Lang::ALL {
                            ui.selectable_value(&mut lang, l, l.native_name());
                        }
                    });
                self.lang = lang;
            });
        });
    }

    fn sop_list_ui(&mut self, ui: &mut egui::Ui) {
        ui.add_space(4.0);
        ui.heading(self.t(Text::SopList));
        let source = match &self.source {
            SopSource::Folder(dir) => format!("{}: {}", self.t(Text::Folder), dir.display()),
            SopSource::Bundled => self.t(Text::BundledSops).to_string(),
        };
        ui.label(RichText::new(source).small());
        ui.separator();
        if let Some(failure) = &self.folder_failure {
            ui.colored_label(ERROR_RED, i18n::read_failure_message(failure, self.lang));
        }
        if self.sops.is_empty() {
            ui.label(self.t(Text::NoSopsFound));
            if let SopSource::Folder(dir) = &self.source {
                ui.monospace(dir.display().to_string());
            }
            return;
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            for index in 0..self.sops.len() {
                let (title, status, color) = self.entry_summary(index);
                let selected = self.selected == Some(index);
                let response = ui.add(
                    egui::Button::selectable(selected, RichText::new(&title).strong())
                        .wrap_mode(egui::TextWrapMode::Wrap),
                );
                if response.clicked() {
                    self.selected = Some(index);
                }
                ui.colored_label(color, status);
                ui.add_space(6.0);
            }
        });
    }

    /// Title, status text and status colour of one SOP in the list.
    fn entry_summary(&self, index: usize) -> (String, String, Color32) {
        let sop = &self.sops[index];
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
                if errors > 0 {
                    let status = format!("{} ({errors})", self.t(Text::StatusInvalid));
                    (title, status, ERROR_RED)
                } else if warnings > 0 {
                    let status = format!("{} ({warnings})", self.t(Text::StatusWarnings));
                    (title, status, WARNING_AMBER)
                } else {
                    (title, self.t(Text::StatusValid).into(), OK_GREEN)
                }
            }
        }
    }

    fn details_ui(&mut self, ui: &mut egui::Ui) {
        let Some(index) = self.selected.filter(|i| *i < self.sops.len()) else {
            ui.label(self.t(Text::ChooseSop));
            return;
        };
        let lang = self.lang;
        let sop = &self.sops[index];
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.label(RichText::new(sop.origin.display_name()).small());
            let doc = match &sop.document {
                Ok(doc) => doc,
                Err(failure) => {
                    ui.colored_label(ERROR_RED, i18n::read_failure_message(failure, lang));
                    return;
                }
            };
            let id = &doc.sop.identity;
            if !id.name.is_empty() {
                ui.heading(&id.name);
            }
            egui::Grid::new("identity_summary")
                .num_columns(2)
                .spacing([16.0, 6.0])
                .show(ui, |ui| {
                    let mut row = |label: Text, value: String| {
                        ui.label(RichText::new(label.get(lang)).strong());
                        ui.label(value);
                        ui.end_row();
                    };
                    row(Text::SopNumber, id.number.clone());
                    let mut unit = vec![id.unit.name.clone()];
                    unit.extend(id.unit.parents.iter().cloned());
                    row(Text::Unit, unit.join(", "));
                    row(
                        Text::EffectiveDate,
                        id.effective
                            .map(|d| i18n::format_date(d, lang))
                            .unwrap_or_default(),
                    );
                    let lanes: Vec<&str> = doc.sop.lanes.iter().map(|l| l.name.as_str()).collect();
                    row(Text::Lanes, lanes.join(" · "));
                    row(Text::Steps, doc.sop.steps.len().to_string());
                });
            ui.add_space(12.0);
            ui.heading(Text::Problems.get(lang));
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
        });
    }
}

impl eframe::App for LajurApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        LajurApp::ui(self, ui);
    }
}
