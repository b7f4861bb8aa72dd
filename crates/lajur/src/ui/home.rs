//! Home: the steps waiting for me, every kegiatan (filtered, paged, virtual
//! rows), and starting a new kegiatan.

use super::widgets::or_report;
use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::desk::{Desk, Message, Place};
use super::theme::{ERROR_RED, MUTED};
use lajur_core::locale::{self as i18n, Lang, Text};
use lajur_core::sop::source::LoadedSop;
use lajur_records::{KegiatanFilter, KegiatanRow, Status, Store, User, UserId};

/// Rows fetched at a time for the kegiatan list.
const PAGE: u64 = 100;
const ROW_HEIGHT: f32 = 30.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum HomeTab {
    #[default]
    Tasks,
    All,
    New,
}

/// A task, with what it needs for display resolved once.
#[derive(Debug, Clone)]
pub struct TaskRow {
    pub kegiatan: i64,
    pub title: String,
    pub sop: String,
    pub step: String,
    pub lane: String,
    pub entered_at: chrono::DateTime<Utc>,
    pub due_at: Option<chrono::DateTime<Utc>>,
    /// The words left for this step (a Tidak's reason, a return).
    pub note: Option<String>,
}

/// A period of the list's filter, in local dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    #[default]
    Any,
    Today,
    Last7Days,
    ThisMonth,
    LastMonth,
    ThisYear,
    Dates,
}

impl Period {
    const ALL: [Period; 7] = [
        Period::Any,
        Period::Today,
        Period::Last7Days,
        Period::ThisMonth,
        Period::LastMonth,
        Period::ThisYear,
        Period::Dates,
    ];

    fn name(self, lang: Lang) -> &'static str {
        match self {
            Period::Any => Text::PeriodAny,
            Period::Today => Text::PeriodToday,
            Period::Last7Days => Text::PeriodLast7Days,
            Period::ThisMonth => Text::PeriodThisMonth,
            Period::LastMonth => Text::PeriodLastMonth,
            Period::ThisYear => Text::PeriodThisYear,
            Period::Dates => Text::PeriodDates,
        }
        .get(lang)
    }

    /// The first and last local day of the period.
    fn range(
        self,
        today: NaiveDate,
        from: &str,
        to: &str,
    ) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let first_of_month = today.with_day(1).unwrap_or(today);
        match self {
            Period::Any => (None, None),
            Period::Today => (Some(today), Some(today)),
            Period::Last7Days => (Some(today - Duration::days(6)), Some(today)),
            Period::ThisMonth => (Some(first_of_month), Some(today)),
            Period::LastMonth => {
                let last = first_of_month.pred_opt().unwrap_or(first_of_month);
                (Some(last.with_day(1).unwrap_or(last)), Some(last))
            }
            Period::ThisYear => (today.with_ordinal(1), Some(today)),
            Period::Dates => (parse_date(from), parse_date(to)),
        }
    }
}

use lajur_core::locale::parse_date;

#[derive(Default)]
pub struct KegiatanList {
    pub text: String,
    pub sop: Option<String>,
    pub status: Option<Status>,
    pub period: Period,
    pub from: String,
    pub to: String,
    pub person: Option<UserId>,
    /// The filter the cache below belongs to.
    applied: Option<KegiatanFilter>,
    count: u64,
    pages: HashMap<u64, Vec<KegiatanRow>>,
    sop_names: Vec<String>,
    people: Vec<User>,
    error: Option<String>,
    /// The "Cetak register" window, when open.
    register: Option<RegisterForm>,
}

#[derive(Default)]
struct RegisterForm {
    per_action: bool,
    password: String,
    error: Option<String>,
    /// Being printed (and sealed) by the worker: the file written, or why not.
    printing: Option<super::worker::Ticket<Result<std::path::PathBuf, String>>>,
}

impl KegiatanList {
    /// The filter as chosen, its period counted from `today` (the office's date).
    pub fn filter(&self, today: NaiveDate) -> KegiatanFilter {
        let (from, to) = self.period.range(today, &self.from, &self.to);
        KegiatanFilter {
            text: self.text.trim().to_string(),
            sop: self.sop.clone(),
            status: self.status,
            from,
            to,
            person: self.person,
        }
    }

    /// Counts again and forgets fetched pages when the filter changed (or
    /// after `invalidate`); a frame otherwise reads only what is cached.
    fn sync(&mut self, store: &Store, filter: KegiatanFilter, lang: Lang) {
        if self.applied.as_ref() == Some(&filter) {
            return;
        }
        self.pages.clear();
        self.error = None;
        match store.count_kegiatan(&filter) {
            Ok(n) => self.count = n,
            Err(e) => {
                self.count = 0;
                self.error = Some(e.message(lang));
            }
        }
        self.sop_names = or_report(store.sop_names(), &mut self.error, lang);
        self.people = or_report(store.users(), &mut self.error, lang);
        self.applied = Some(filter);
    }

    fn row(&mut self, store: &Store, index: u64, lang: Lang) -> Option<&KegiatanRow> {
        let page = index / PAGE;
        if !self.pages.contains_key(&page) {
            let filter = self.applied.clone()?;
            let rows = or_report(
                store.list_kegiatan(&filter, page * PAGE, PAGE),
                &mut self.error,
                lang,
            );
            // Keep memory flat however far the clerk scrolls.
            if self.pages.len() > 20 {
                self.pages.clear();
            }
            self.pages.insert(page, rows);
        }
        self.pages
            .get(&page)
            .and_then(|rows| rows.get((index % PAGE) as usize))
    }

    pub fn count(&self) -> u64 {
        self.count
    }
}

#[derive(Default)]
pub struct NewKegiatanForm {
    pub sop: Option<usize>,
    /// The number of the SOP last chosen (kept between runs), offered first.
    pub last_sop: Option<String>,
    /// Where the kegiatan starts, for an SOP with several starts (the
    /// user's own by default), and the SOP it was chosen for.
    pub start: Option<(usize, lajur_core::sop::StepId)>,
    pub title: String,
    pub description: String,
    pub files: Vec<PathBuf>,
    pub error: Option<String>,
}

#[derive(Default)]
pub struct Home {
    pub tab: HomeTab,
    tasks: Option<Vec<TaskRow>>,
    /// For a signer: kegiatan whose steps are all done, waiting for them.
    sign_offs: Vec<(i64, String, String)>,
    tasks_error: Option<String>,
    pub list: KegiatanList,
    pub new: NewKegiatanForm,
}

impl Home {
    /// Forget what was read, so the next frame reads the records again.
    pub fn invalidate(&mut self) {
        self.tasks = None;
        self.list.applied = None;
    }

    pub fn add_first_files(&mut self, paths: Vec<PathBuf>) {
        self.tab = HomeTab::New;
        for p in paths {
            if !self.new.files.contains(&p) {
                self.new.files.push(p);
            }
        }
    }

    pub fn tasks(&self) -> Option<&[TaskRow]> {
        self.tasks.as_deref()
    }

    fn load_tasks(&mut self, store: &mut Store, user: &User, lang: Lang) {
        if self.tasks.is_some() {
            return;
        }
        self.sign_offs.clear();
        if user.is_signer {
            let waiting = or_report(store.awaiting_sign_off(200), &mut self.tasks_error, lang);
            for id in waiting {
                let read = store
                    .kegiatan(id)
                    .and_then(|k| Ok((k.title, store.sop_of(id)?.identity.name.clone())));
                match read {
                    Ok((title, sop)) => self.sign_offs.push((id, title, sop)),
                    Err(e) => {
                        or_report(Err::<(), _>(e), &mut self.tasks_error, lang);
                    }
                }
            }
        }
        match store.tasks(user, 500) {
            Ok(tasks) => {
                let rows = tasks
                    .into_iter()
                    .map(|t| {
                        let sop = or_report(
                            store.sop_of(t.kegiatan).map(Some),
                            &mut self.tasks_error,
                            lang,
                        );
                        let step = sop
                            .as_ref()
                            .and_then(|s| s.step(&t.step))
                            .map(|s| format!("{}. {}", s.number, s.activity))
                            .unwrap_or_else(|| t.step.0.clone());
                        let lane = sop
                            .as_ref()
                            .and_then(|s| s.lane(&t.lane))
                            .map(|l| l.name.clone())
                            .unwrap_or_else(|| t.lane.0.clone());
                        let note = or_report(
                            store.handover(t.kegiatan, &t.step),
                            &mut self.tasks_error,
                            lang,
                        )
                        .map(|h| format!("{}: {}", h.by, h.note));
                        TaskRow {
                            note,
                            kegiatan: t.kegiatan,
                            title: t.title,
                            sop: sop.map(|s| s.identity.name.clone()).unwrap_or_default(),
                            step,
                            lane,
                            entered_at: t.entered_at,
                            due_at: t.due_at,
                        }
                    })
                    .collect();
                self.tasks = Some(rows);
                self.tasks_error = None;
            }
            Err(e) => {
                self.tasks = Some(Vec::new());
                self.tasks_error = Some(e.message(lang));
            }
        }
    }
}

pub fn home_ui(
    desk: &mut Desk,
    home: &mut Home,
    ui: &mut egui::Ui,
    lang: Lang,
    sops: &[LoadedSop],
) {
    let Some(user) = desk.user.clone() else {
        return;
    };
    if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::N)) {
        home.tab = HomeTab::New;
    }
    if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::F5)) {
        home.invalidate();
    }
    home.load_tasks(&mut desk.store, &user, lang);
    egui::CentralPanel::default().show(ui, |ui| {
        desk.message_ui(ui, lang);
        let waiting = home.tasks.as_ref().map_or(0, Vec::len) + home.sign_offs.len();
        ui.horizontal(|ui| {
            let tabs = [
                (
                    HomeTab::Tasks,
                    format!("{} ({waiting})", Text::MyTasks.get(lang)),
                ),
                (HomeTab::All, Text::AllKegiatan.get(lang).to_string()),
                (HomeTab::New, Text::NewKegiatan.get(lang).to_string()),
            ];
            for (tab, name) in tabs {
                let shortcut = match tab {
                    HomeTab::New => "Ctrl+N",
                    _ => "F5",
                };
                ui.selectable_value(&mut home.tab, tab, RichText::new(name).size(17.0))
                    .on_hover_text(shortcut);
            }
        });
        ui.separator();
        match home.tab {
            HomeTab::Tasks => tasks_ui(desk, home, ui, lang),
            HomeTab::All => all_ui(desk, home, ui, lang),
            HomeTab::New => new_ui(desk, home, ui, lang, sops, &user),
        }
    });
}

fn tasks_ui(desk: &mut Desk, home: &mut Home, ui: &mut egui::Ui, lang: Lang) {
    let offset = desk.store.calendar().utc_offset_minutes;
    if let Some(error) = &home.tasks_error {
        ui.colored_label(ERROR_RED, error);
    }
    let Some(tasks) = home.tasks.clone() else {
        return;
    };
    if !home.sign_offs.is_empty() {
        ui.label(
            RichText::new(format!(
                "{} ({})",
                Text::AwaitingYourSignOff.get(lang),
                home.sign_offs.len()
            ))
            .strong()
            .size(16.0),
        );
        let mut open = None;
        for (id, title, sop) in &home.sign_offs {
            ui.horizontal(|ui| {
                // A button, so it looks like what it is: the way in.
                if ui
                    .button(RichText::new(format!("#{id} {title}")).strong())
                    .on_hover_text(Text::ReviewAndSign.get(lang))
                    .clicked()
                {
                    open = Some(*id);
                }
                ui.label(RichText::new(sop).small().color(MUTED));
            });
        }
        if let Some(id) = open {
            desk.go(Place::Kegiatan(id));
            return;
        }
        ui.separator();
    }
    if tasks.is_empty() {
        ui.add_space(12.0);
        ui.label(RichText::new(Text::NoTasks.get(lang)).size(17.0));
        // Someone without lanes is told what their work is: a signer signs
        // off, an administrator sets the office up; only staff are told to
        // ask for lanes.
        if let Some(user) = desk.user.as_ref().filter(|u| u.lanes.is_empty()) {
            let text = if user.is_signer {
                Text::NoLanesSigner
            } else if user.is_admin {
                Text::NoLanesAdmin
            } else {
                Text::NoLanesYet
            };
            ui.label(RichText::new(text.get(lang)).color(MUTED));
        }
        return;
    }
    let now = desk.store.now();
    let mut open = None;
    let overdue = tasks
        .iter()
        .filter(|t| t.due_at.is_some_and(|d| d < now))
        .count();
    if overdue > 0 {
        ui.colored_label(
            ERROR_RED,
            RichText::new(format!("{} {overdue}", Text::OverdueCount.get(lang))).strong(),
        );
    }
    TableBuilder::new(ui)
        .id_salt("tasks")
        .striped(true)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::remainder().at_least(220.0).clip(true))
        .column(Column::initial(300.0).at_least(160.0).clip(true))
        .column(Column::initial(140.0).clip(true))
        .column(Column::initial(250.0).at_least(180.0))
        .header(26.0, |mut h| {
            for t in [Text::Kegiatan, Text::StepNow, Text::Lanes, Text::DueTime] {
                h.col(|ui| {
                    ui.strong(t.get(lang));
                });
            }
        })
        .body(|body| {
            body.rows(44.0, tasks.len(), |mut row| {
                let t = &tasks[row.index()];
                row.col(|ui| {
                    ui.vertical(|ui| {
                        if ui
                            .link(RichText::new(format!("#{} {}", t.kegiatan, t.title)).strong())
                            .clicked()
                        {
                            open = Some(t.kegiatan);
                        }
                        // The reason the work came back, where the clerk
                        // looks first; else the SOP's name.
                        match &t.note {
                            Some(note) => {
                                ui.add(
                                    egui::Label::new(
                                        RichText::new(format!("← {note}"))
                                            .small()
                                            .color(super::theme::WARNING_AMBER),
                                    )
                                    .truncate(),
                                )
                                .on_hover_text(format!("{note}\n{}", t.sop));
                            }
                            None => {
                                ui.label(RichText::new(&t.sop).small().color(MUTED));
                            }
                        }
                    });
                });
                row.col(|ui| {
                    two_lines(ui, &t.step);
                });
                row.col(|ui| {
                    ui.label(&t.lane);
                });
                row.col(|ui| {
                    super::widgets::due_ui(ui, t.due_at, now, offset, lang);
                });
            });
        });
    if let Some(id) = open {
        desk.go(Place::Kegiatan(id));
    }
}

/// Text wrapped to at most two lines (the rest on hover): long activities
/// stay readable in a list of even rows.
pub fn two_lines(ui: &mut egui::Ui, text: &str) {
    let mut job = egui::text::LayoutJob::single_section(
        text.to_owned(),
        egui::TextFormat {
            font_id: egui::TextStyle::Body.resolve(ui.style()),
            color: ui.visuals().text_color(),
            ..Default::default()
        },
    );
    job.wrap = egui::text::TextWrapping {
        max_width: ui.available_width(),
        max_rows: 2,
        break_anywhere: false,
        overflow_character: Some('…'),
    };
    ui.add(egui::Label::new(job).wrap()).on_hover_text(text);
}

fn all_ui(desk: &mut Desk, home: &mut Home, ui: &mut egui::Ui, lang: Lang) {
    let offset = desk.store.calendar().utc_offset_minutes;
    let focus_search = ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::F));
    let list = &mut home.list;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(Text::Search.get(lang));
        let search = ui
            .add(
                egui::TextEdit::singleline(&mut list.text)
                    .hint_text(Text::SearchHint.get(lang))
                    .desired_width(220.0),
            )
            .labelled_by(label.id)
            .on_hover_text("Ctrl+F");
        if focus_search {
            search.request_focus();
        }
        let label = ui.label(Text::Sop.get(lang));
        egui::ComboBox::from_id_salt("filter_sop")
            .selected_text(
                list.sop
                    .clone()
                    .unwrap_or_else(|| Text::All.get(lang).into()),
            )
            .width(200.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut list.sop, None, Text::All.get(lang));
                for name in list.sop_names.clone() {
                    ui.selectable_value(&mut list.sop, Some(name.clone()), name);
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label(Text::Status.get(lang));
        egui::ComboBox::from_id_salt("filter_status")
            .selected_text(
                list.status
                    .map_or(Text::All.get(lang), |s| i18n::status_name(s, lang)),
            )
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut list.status, None, Text::All.get(lang));
                for s in Status::ALL {
                    ui.selectable_value(&mut list.status, Some(s), i18n::status_name(s, lang));
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label(Text::Period.get(lang));
        egui::ComboBox::from_id_salt("filter_period")
            .selected_text(list.period.name(lang))
            .show_ui(ui, |ui| {
                for p in Period::ALL {
                    ui.selectable_value(&mut list.period, p, p.name(lang));
                }
            })
            .response
            .labelled_by(label.id);
        if list.period == Period::Dates {
            for (text, value) in [
                (Text::FromDate, &mut list.from),
                (Text::ToDate, &mut list.to),
            ] {
                let label = ui.label(text.get(lang));
                let bad = !value.trim().is_empty() && parse_date(value).is_none();
                let mut edit = egui::TextEdit::singleline(value)
                    .hint_text("31-12-2024")
                    .desired_width(100.0);
                if bad {
                    edit = edit.text_color(ERROR_RED);
                }
                ui.add(edit).labelled_by(label.id);
            }
        }
        let label = ui.label(Text::Person.get(lang));
        let person_name = list
            .person
            .and_then(|id| list.people.iter().find(|u| u.id == id))
            .map_or(Text::All.get(lang).to_string(), |u| u.name.clone());
        egui::ComboBox::from_id_salt("filter_person")
            .selected_text(person_name)
            .width(180.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut list.person, None, Text::All.get(lang));
                for u in list.people.clone() {
                    ui.selectable_value(&mut list.person, Some(u.id), u.name.clone());
                }
            })
            .response
            .labelled_by(label.id);
    });
    let filter = list.filter(desk.store.calendar().local_date(desk.store.now()));
    list.sync(&desk.store, filter, lang);
    if let Some(error) = &list.error {
        ui.colored_label(ERROR_RED, error);
    }
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!(
                "{} {}",
                lajur_core::locale::format_number(list.count),
                Text::KegiatanFound.get(lang)
            ))
            .color(MUTED),
        );
        if ui
            .button(Text::PrintRegister.get(lang))
            .on_hover_text(Text::PrintRegisterHint.get(lang))
            .clicked()
        {
            list.register = Some(RegisterForm::default());
        }
    });
    ui.separator();
    register_dialog_ui(desk, &mut home.list, ui.ctx(), lang);
    let list = &mut home.list;
    let count = list.count as usize;
    let now = desk.store.now();
    let mut open = None;
    let store = &desk.store;
    TableBuilder::new(ui)
        .id_salt("all_kegiatan")
        .striped(true)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::initial(70.0))
        .column(Column::remainder().at_least(200.0).clip(true))
        .column(Column::initial(220.0).clip(true))
        .column(Column::initial(160.0))
        .column(Column::initial(225.0))
        .column(Column::initial(150.0).clip(true))
        .header(26.0, |mut h| {
            for t in [
                Text::NumberShort,
                Text::Kegiatan,
                Text::Sop,
                Text::Status,
                Text::Started,
                Text::StartedBy,
            ] {
                h.col(|ui| {
                    ui.strong(t.get(lang));
                });
            }
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, count, |mut row| {
                let index = row.index() as u64;
                let Some(k) = list.row(store, index, lang).cloned() else {
                    row.col(|ui| {
                        ui.label("…");
                    });
                    return;
                };
                row.col(|ui| {
                    ui.label(format!("#{}", k.id));
                });
                row.col(|ui| {
                    if ui.link(&k.title).clicked() {
                        open = Some(k.id);
                    }
                });
                row.col(|ui| {
                    ui.label(&k.sop_name);
                });
                row.col(|ui| {
                    let late = k.due_at.is_some_and(|d| d < now);
                    let text = RichText::new(i18n::status_name(k.status, lang));
                    ui.label(if late {
                        text.color(ERROR_RED).strong()
                    } else {
                        text
                    });
                    if late {
                        ui.label(RichText::new(Text::Late.get(lang)).color(ERROR_RED).small());
                    }
                });
                row.col(|ui| {
                    ui.label(i18n::format_datetime(k.started_at, offset, lang));
                });
                row.col(|ui| {
                    ui.label(&k.started_by);
                });
            });
        });
    if let Some(id) = open {
        desk.go(Place::Kegiatan(id));
    }
}

fn new_ui(
    desk: &mut Desk,
    home: &mut Home,
    ui: &mut egui::Ui,
    lang: Lang,
    sops: &[LoadedSop],
    user: &User,
) {
    let usable: Vec<(usize, &LoadedSop)> = sops
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.has_errors())
        .collect();
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.set_max_width(760.0);
        let form = &mut home.new;
        if form
            .sop
            .is_none_or(|i| !usable.iter().any(|(j, _)| *j == i))
        {
            // First offer the SOP chosen last time, else one the user may
            // start (the store's rule).
            let startable = |s: &LoadedSop| {
                s.document
                    .as_ref()
                    .is_ok_and(|d| lajur_core::policy::may_start(user, &d.sop))
            };
            let last = usable.iter().find(|(_, s)| {
                startable(s)
                    && s.document.as_ref().is_ok_and(|d| {
                        form.last_sop.as_deref() == Some(d.sop.identity.number.as_str())
                    })
            });
            let theirs = usable.iter().find(|(_, s)| startable(s));
            form.sop = last.or(theirs).or(usable.first()).map(|(i, _)| *i);
        }
        // Whatever is chosen now is what the next run offers first.
        form.last_sop = form
            .sop
            .and_then(|i| sops.get(i))
            .and_then(|s| s.document.as_ref().ok())
            .map(|d| d.sop.identity.number.clone());
        ui.label(RichText::new(Text::NewKegiatanExplain.get(lang)).color(MUTED));
        ui.add_space(6.0);
        egui::Grid::new("new_kegiatan")
            .num_columns(2)
            .spacing([12.0, 10.0])
            .show(ui, |ui| {
                let label = ui.label(Text::Sop.get(lang));
                let name = |s: &LoadedSop| {
                    s.document
                        .as_ref()
                        .map(|d| d.sop.identity.name.clone())
                        .unwrap_or_default()
                };
                let shown = form
                    .sop
                    .and_then(|i| sops.get(i))
                    .map(name)
                    .unwrap_or_else(|| Text::NoUsableSop.get(lang).into());
                egui::ComboBox::from_id_salt("new_sop")
                    .selected_text(shown)
                    .width(460.0)
                    .show_ui(ui, |ui| {
                        for (i, s) in &usable {
                            ui.selectable_value(&mut form.sop, Some(*i), name(s));
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                // Several starts the user may begin at ("Langsung ke kantor",
                // "Via email"): the window asks which.
                let chosen_sop = form
                    .sop
                    .and_then(|i| sops.get(i).map(|s| (i, s)))
                    .and_then(|(i, s)| s.document.as_ref().ok().map(|d| (i, &d.sop)));
                if let Some((i, sop)) = chosen_sop {
                    let starts: Vec<&lajur_core::sop::Step> = lajur_core::policy::starts(sop)
                        .filter(|s| lajur_core::policy::may_start_at(user, s))
                        .collect();
                    if form.start.as_ref().is_none_or(|(for_sop, _)| *for_sop != i) {
                        form.start =
                            lajur_core::policy::default_start(user, sop).map(|s| (i, s.id.clone()));
                    }
                    if starts.len() > 1 {
                        let label = ui.label(Text::ChooseStart.get(lang));
                        ui.vertical(|ui| {
                            ui.label(
                                RichText::new(Text::StartChoiceHint.get(lang))
                                    .small()
                                    .color(MUTED),
                            );
                            for step in starts {
                                let lanes: Vec<&str> = step
                                    .lanes
                                    .iter()
                                    .filter_map(|l| sop.lane(l).map(|l| l.name.as_str()))
                                    .collect();
                                let name = if step.label.trim().is_empty() {
                                    step.activity.trim()
                                } else {
                                    step.label.trim()
                                };
                                let text = format!("{name} ({})", lanes.join(", "));
                                let on = form.start.as_ref().is_some_and(|(_, id)| *id == step.id);
                                if ui.radio(on, text).labelled_by(label.id).clicked() {
                                    form.start = Some((i, step.id.clone()));
                                }
                            }
                        });
                        ui.end_row();
                    }
                }
                let label = ui.label(Text::Title.get(lang));
                ui.add(
                    egui::TextEdit::singleline(&mut form.title)
                        .hint_text(Text::TitleHint.get(lang))
                        .desired_width(460.0),
                )
                .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(Text::SourceMaterial.get(lang));
                ui.add(
                    egui::TextEdit::multiline(&mut form.description)
                        .hint_text(Text::SourceMaterialHint.get(lang))
                        .desired_rows(4)
                        .desired_width(460.0),
                )
                .labelled_by(label.id);
                ui.end_row();
                ui.label(Text::FirstFiles.get(lang));
                ui.vertical(|ui| {
                    let mut remove = None;
                    for (i, path) in form.files.iter().enumerate() {
                        ui.horizontal(|ui| {
                            let name = path
                                .file_name()
                                .map(|n| n.to_string_lossy().into_owned())
                                .unwrap_or_default();
                            ui.label(&name);
                            if ui
                                .small_button(Text::Remove.get(lang))
                                .on_hover_text(path.display().to_string())
                                .clicked()
                            {
                                remove = Some(i);
                            }
                        });
                    }
                    if let Some(i) = remove {
                        form.files.remove(i);
                    }
                    if ui.button(Text::ChooseFiles.get(lang)).clicked()
                        && let Some(paths) = super::widgets::file_dialog(|| {
                            rfd::FileDialog::new()
                                .set_title(Text::ChooseFiles.get(lang))
                                .pick_files()
                        })
                    {
                        for p in paths {
                            if !form.files.contains(&p) {
                                form.files.push(p);
                            }
                        }
                    }
                    ui.label(
                        RichText::new(Text::OrDropFiles.get(lang))
                            .small()
                            .color(MUTED),
                    );
                });
                ui.end_row();
            });
        ui.add_space(10.0);
        let start = ui.button(RichText::new(Text::StartKegiatan.get(lang)).strong());
        if let Some(error) = &form.error {
            ui.colored_label(ERROR_RED, error);
        }
        if start.clicked() {
            let text = form.sop.and_then(|i| sops.get(i)).map(|s| s.text.clone());
            start_kegiatan(desk, home, user, text, lang);
        }
    });
}

/// Starts the kegiatan of the form, attaches its first files, opens it.
fn start_kegiatan(
    desk: &mut Desk,
    home: &mut Home,
    user: &User,
    sop_text: Option<String>,
    lang: Lang,
) {
    let Some(text) = sop_text else {
        home.new.error = Some(Text::NoUsableSop.get(lang).into());
        return;
    };
    let form = &home.new;
    let started = desk.store.start_kegiatan_at(
        user,
        &text,
        form.title.trim(),
        form.description.trim(),
        form.start.as_ref().map(|(_, id)| id),
    );
    match started {
        Ok(id) => {
            let files = std::mem::take(&mut home.new.files);
            home.new = NewKegiatanForm::default();
            home.tab = HomeTab::Tasks;
            home.invalidate();
            desk.go(Place::Kegiatan(id));
            if files.is_empty() {
                desk.message = Some(Message::Done(Text::KegiatanStarted.get(lang).into()));
            } else {
                desk.attach_files(files, None);
            }
        }
        Err(e) => home.new.error = Some(e.message(lang)),
    }
}

/// "Cetak register": one row per kegiatan or per action, for the list's
/// current filter; a signer seals it with their password.
fn register_dialog_ui(desk: &mut Desk, list: &mut KegiatanList, ctx: &egui::Context, lang: Lang) {
    let Some(user) = desk.user.clone() else {
        return;
    };
    let Some(form) = list.register.as_mut() else {
        return;
    };
    if let Some(done) = form.printing.as_ref().and_then(|t| t.outcome(lang)) {
        match done {
            Ok(written) => {
                list.register = None;
                desk.message = Some(Message::Saved(written));
                return;
            }
            Err(why) => {
                form.printing = None;
                form.error = Some(why);
            }
        }
    }
    let mut open = true;
    let mut print = false;
    egui::Window::new(Text::PrintRegister.get(lang))
        .collapsible(false)
        .resizable(false)
        .open(&mut open)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 80.0))
        .show(ctx, |ui| {
            ui.add(egui::Label::new(Text::PrintRegisterHint.get(lang)).wrap());
            ui.radio_value(&mut form.per_action, false, Text::RowPerKegiatan.get(lang));
            ui.radio_value(&mut form.per_action, true, Text::RowPerAction.get(lang));
            if user.is_signer {
                // The label above its field: beside it, a long label left
                // the field a few pixels wide.
                let label = ui.label(Text::PasswordToSeal.get(lang));
                ui.add(
                    egui::TextEdit::singleline(&mut form.password)
                        .password(true)
                        .desired_width(260.0),
                )
                .labelled_by(label.id);
            }
            if form.printing.is_some() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(Text::Saving.get(lang));
                });
            } else {
                print = ui.button(Text::SavePdf.get(lang)).clicked();
            }
            if let Some(error) = &form.error {
                ui.colored_label(ERROR_RED, error);
            }
        });
    if print {
        let filter = list.applied.clone().unwrap_or_default();
        let rows = if form.per_action {
            lajur_core::paperwork::RegisterRows::PerAction
        } else {
            lajur_core::paperwork::RegisterRows::PerKegiatan
        };
        let password = std::mem::take(&mut form.password);
        let seal = user.is_signer && !password.is_empty();
        let Some(path) = super::widgets::file_dialog(|| {
            rfd::FileDialog::new()
                .set_title(Text::PrintRegister.get(lang))
                .set_file_name("Register kegiatan.pdf")
                .add_filter("PDF", &["pdf"])
                .save_file()
        }) else {
            return;
        };
        let settings = desk.store.office().office.page_settings();
        form.error = None;
        // Sealing opens the key with the password (a second on a weak PC)
        // and a year's register is many pages: both off the window's thread.
        let printing = desk.work(move |store| {
            let seal_with = seal.then_some(password.as_str());
            crate::exports::save_register(store, &user, seal_with, &filter, rows, &settings, &path)
                .map(|(written, _)| written)
                .map_err(|e| e.message(lang))
        });
        match printing {
            Ok(ticket) => form.printing = Some(ticket),
            Err(e) => form.error = Some(e.message(lang)),
        }
        return;
    }
    // Not closed while printing: the file's name comes with the answer.
    if !open && list.register.as_ref().is_some_and(|f| f.printing.is_none()) {
        list.register = None;
    }
}
