//! One kegiatan: its SOP's flowchart with what happened drawn on it, the
//! current step with its drafts and the actions the engine allows, and its log.

use std::sync::Arc;

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::desk::{Desk, Finished, Message, Place};
use super::flowchart::{FlowchartView, Overlay};
use super::theme::{ERROR_RED, MUTED, OK_GREEN};
use lajur_core::locale::{self as i18n, Lang, Text};
use lajur_core::sop::{Sop, Step, StepId};
use lajur_core::workflow::{Action, Allowed};
use lajur_layout::{self as layout, BundledFont, Flow, Layout, PageSettings};
use lajur_records::{
    Attachment, Kegiatan, KegiatanId, LogRow, Status, StepEvent, Store, StoreError, User,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KegiatanTab {
    Flowchart,
    History,
    /// The filled sheet as it will print.
    Sheet,
}

/// What the kegiatan view shows, read from the store in one go.
pub struct KegiatanRecords {
    pub kegiatan: Kegiatan,
    pub sop: Arc<Sop>,
    pub events: Vec<StepEvent>,
    pub history: Vec<LogRow>,
    pub attachments: Vec<Attachment>,
    /// What the signed-in user may do now (the engine's answer).
    pub allowed: Vec<Allowed>,
    /// Whether they may add drafts to the current step (the store's answer).
    pub may_attach: bool,
    /// The active people in the current step's lanes.
    pub waiting_for: Vec<String>,
    /// Whether the user may sign off or return it now (the store's answer).
    pub may_sign_off: bool,
    /// Whether the user may cancel it now (the store's answer).
    pub may_cancel: bool,
    /// The seal, once signed off.
    pub seal: Option<lajur_records::Seal>,
    pub overlay: Overlay,
    /// The words left for whoever does the current step (a Tidak's reason,
    /// a return from sign-off).
    pub handover: Option<lajur_core::workflow::Handover>,
}

pub struct KegiatanScreen {
    pub records: KegiatanRecords,
    layout: Layout,
    pub view: FlowchartView,
    pub tab: KegiatanTab,
    pub note: String,
    /// The filled sheet, laid out when first shown and after each change.
    pub sheet: Option<Layout>,
    pub sheet_view: FlowchartView,
    /// The signer's password, typed to sign off (cleared after each try).
    pub password: String,
    /// Why the last sign-off did not happen, said under the password field.
    pub sign_error: Option<String>,
    /// An action is being written (by the worker): the panel shows that
    /// instead of its buttons, so nothing is asked twice.
    pub busy: bool,
    /// An administrator's reason for cancelling.
    pub cancel_reason: String,
}

impl KegiatanScreen {
    /// Reads a kegiatan and lays its SOP out (what opening the view costs).
    pub fn load(
        store: &mut Store,
        user: &User,
        id: KegiatanId,
        lang: Lang,
    ) -> Result<Self, StoreError> {
        let records = read_records(store, user, id, lang)?;
        let settings = PageSettings {
            flow: Flow::Continuous,
            ..PageSettings::default()
        };
        let layout = layout::layout(&records.sop, &settings, BundledFont::get());
        Ok(KegiatanScreen {
            records,
            layout,
            view: FlowchartView::default(),
            tab: KegiatanTab::Flowchart,
            note: String::new(),
            sheet: None,
            sheet_view: FlowchartView::default(),
            password: String::new(),
            sign_error: None,
            busy: false,
            cancel_reason: String::new(),
        })
    }

    pub fn id(&self) -> KegiatanId {
        self.records.kegiatan.id
    }

    /// Reads the records again after a change, keeping the view (zoom,
    /// scroll) and the layout: the SOP of a kegiatan never changes.
    pub fn reload(&mut self, store: &mut Store, user: &User, lang: Lang) -> Result<(), StoreError> {
        self.records = read_records(store, user, self.id(), lang)?;
        self.sheet = None;
        Ok(())
    }

    /// The step new drafts go to: the current one, when the user may add there.
    pub fn attach_step(&self) -> Option<StepId> {
        if !self.records.may_attach {
            return None;
        }
        self.records
            .kegiatan
            .current
            .as_ref()
            .map(|c| c.step.clone())
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }
}

fn read_records(
    store: &mut Store,
    user: &User,
    id: KegiatanId,
    lang: Lang,
) -> Result<KegiatanRecords, StoreError> {
    let kegiatan = store.kegiatan(id)?;
    let sop = store.sop_of(id)?;
    let events = store.step_events(id)?;
    let history = store.history(id)?;
    let attachments = store.attachments(id)?;
    let allowed = store.allowed(user, id)?;
    let may_attach = match &kegiatan.current {
        Some(c) => store.may_attach(user, id, &c.step)?,
        None => false,
    };
    let overlay = overlay(
        &sop,
        &kegiatan,
        &events,
        store.calendar().utc_offset_minutes,
        lang,
    );
    // The active people who can do the current step now (the office's rule);
    // awaiting sign-off, the signers.
    let waiting_for = if kegiatan.status == Status::AwaitingSignOff {
        store
            .users()?
            .into_iter()
            .filter(|u| u.active && u.is_signer)
            .map(|u| u.name)
            .collect()
    } else {
        store.waiting_for(id)?.into_iter().map(|u| u.name).collect()
    };
    let handover = kegiatan
        .current
        .as_ref()
        .and_then(|c| lajur_core::workflow::handover(&history, &events, &c.step));
    Ok(KegiatanRecords {
        handover,
        kegiatan,
        sop,
        events,
        history,
        attachments,
        allowed,
        may_attach,
        waiting_for,
        may_sign_off: store.may_sign_off(user, id)?,
        may_cancel: store.may_cancel(user, id)?,
        seal: store.seal_of(id)?,
        overlay,
    })
}

/// The kegiatan's path over its SOP (the engine's replay of its events), with
/// who did each step and when, for the pointer.
fn overlay(
    sop: &Sop,
    kegiatan: &Kegiatan,
    events: &[StepEvent],
    offset: i32,
    lang: Lang,
) -> Overlay {
    let mut notes = vec![String::new(); sop.steps.len()];
    for e in events {
        let Some(note) = sop.step_index(&e.step).and_then(|i| notes.get_mut(i)) else {
            continue;
        };
        if !note.is_empty() {
            note.push('\n');
        }
        note.push_str(&format!(
            "{}: {}",
            e.actor_name,
            i18n::format_datetime(e.done_at, offset, lang)
        ));
        if let Some(answer) = &e.answer {
            note.push_str(&format!(" ({answer})"));
        }
    }
    Overlay {
        trace: lajur_core::workflow::trace(sop, events, kegiatan.current.as_ref().map(|c| &c.step)),
        notes,
    }
}

pub fn kegiatan_ui(
    desk: &mut Desk,
    kegiatan: &mut Option<KegiatanScreen>,
    ui: &mut egui::Ui,
    lang: Lang,
) {
    let Some(user) = desk.user.clone() else {
        return;
    };
    if let Some(screen) = kegiatan.as_mut() {
        screen.busy = desk.busy();
    }
    let offset = desk.store.calendar().utc_offset_minutes;
    if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::F5)) {
        desk.refresh();
    }
    let back_key = ui.input(|i| i.key_pressed(egui::Key::Escape))
        && kegiatan.as_ref().is_some_and(|s| s.view.selected.is_none())
        && !ui.ctx().egui_wants_keyboard_input();
    if let Some(screen) = kegiatan.as_mut()
        && screen.tab == KegiatanTab::Sheet
        && screen.sheet.is_none()
    {
        match desk.store.kegiatan_record(screen.id()) {
            Ok(data) => {
                screen.sheet = Some(lajur_paper::sheet::sheet_layout(
                    &data,
                    &desk.store.office().office.page_settings(),
                ));
                screen.sheet_view.layout_changed();
            }
            Err(e) => desk.message = Some(Message::Failed(e.message(lang))),
        }
    }
    let Some(screen) = kegiatan.as_mut() else {
        return;
    };
    // Esc first closes a chosen step's record, then goes home.
    if ui.input(|i| i.key_pressed(egui::Key::Escape)) && !back_key {
        screen.view.selected = None;
    }
    let mut back = back_key;
    let mut act: Option<Action> = None;
    let mut attach_dialog: Option<Option<String>> = None;
    let mut signing: Option<SignRequest> = None;
    let mut failure: Option<String> = None;
    egui::Panel::top("kegiatan_title").show(ui, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            back |= ui
                .button(Text::BackHome.get(lang))
                .on_hover_text("Esc")
                .clicked();
            let k = &screen.records.kegiatan;
            ui.heading(format!("#{} {}", k.id, k.title));
        });
        ui.horizontal_wrapped(|ui| {
            let k = &screen.records.kegiatan;
            ui.label(RichText::new(&screen.records.sop.identity.name).color(MUTED));
            ui.label("·");
            let status = RichText::new(i18n::status_name(k.status, lang)).strong();
            ui.label(match k.status {
                Status::Running => status,
                Status::AwaitingSignOff | Status::Done => status.color(OK_GREEN),
                Status::Cancelled => status.color(ERROR_RED),
            });
            ui.label("·");
            ui.label(format!(
                "{} {}",
                Text::Started.get(lang),
                i18n::format_datetime(k.started_at, offset, lang)
            ));
        });
        if !screen.records.kegiatan.description.trim().is_empty() {
            ui.add(
                egui::Label::new(
                    RichText::new(format!(
                        "{}: {}",
                        Text::SourceMaterial.get(lang),
                        screen.records.kegiatan.description
                    ))
                    .color(MUTED),
                )
                .wrap(),
            );
        }
        ui.horizontal(|ui| {
            ui.selectable_value(
                &mut screen.tab,
                KegiatanTab::Flowchart,
                Text::TabFlowchart.get(lang),
            );
            ui.selectable_value(
                &mut screen.tab,
                KegiatanTab::History,
                Text::TabHistory.get(lang),
            );
            ui.selectable_value(
                &mut screen.tab,
                KegiatanTab::Sheet,
                Text::TabSheet.get(lang),
            );
            // The flowchart and the paper can be made larger, smaller or
            // fit to the width, from the tabs' own row.
            match screen.tab {
                KegiatanTab::Flowchart => {
                    ui.separator();
                    screen.view.zoom_buttons_ui(ui, lang);
                }
                KegiatanTab::Sheet => {
                    ui.separator();
                    screen.sheet_view.zoom_buttons_ui(ui, lang);
                }
                KegiatanTab::History => {}
            }
        });
        ui.add_space(2.0);
    });
    // Narrow enough to leave the flowchart room at 1024 px.
    egui::Panel::right("kegiatan_step")
        .resizable(true)
        .default_size(380.0)
        .min_size(220.0)
        .show(ui, |ui| {
            // A scroll state of its own per step shown (and per visit): the
            // panel opens at the step's title, not where the last one was left.
            let shown = (
                screen.view.selected,
                screen
                    .records
                    .kegiatan
                    .current
                    .as_ref()
                    .map(|c| (c.step.0.clone(), c.visit)),
            );
            egui::ScrollArea::vertical()
                .id_salt(("kegiatan_step_scroll", shown))
                .show(ui, |ui| {
                    step_panel_ui(
                        ui,
                        screen,
                        lang,
                        offset,
                        &mut act,
                        &mut attach_dialog,
                        &mut failure,
                        &desk.store,
                        &mut signing,
                    );
                });
        });
    egui::CentralPanel::default().show(ui, |ui| {
        desk.message_ui(ui, lang);
        let Some(screen) = kegiatan.as_mut() else {
            return;
        };
        match screen.tab {
            KegiatanTab::Flowchart => {
                let sop = screen.records.sop.clone();
                let label = |i: usize| {
                    let step = &sop.steps[i];
                    format!(
                        "{} {}: {}",
                        Text::StepWord.get(lang),
                        step.number,
                        step.activity
                    )
                };
                // Wrapped, so a narrow window never widens the flowchart's area.
                ui.horizontal_wrapped(|ui| {
                    legend_ui(ui, lang);
                });
                screen
                    .view
                    .ui_with(ui, &screen.layout, &label, Some(&screen.records.overlay));
            }
            KegiatanTab::History => history_ui(ui, &screen.records, lang, offset),
            KegiatanTab::Sheet => {
                if let Some(sheet) = &screen.sheet {
                    let label = |i: usize| format!("{} {}", Text::AtStep.get(lang), i + 1);
                    screen.sheet_view.ui(ui, sheet, &label);
                }
            }
        }
    });
    if let Some(message) = failure {
        desk.message = Some(Message::Failed(message));
    }
    if let Some(draft) = attach_dialog
        && let Some(paths) = super::widgets::file_dialog(|| {
            rfd::FileDialog::new()
                .set_title(Text::AddDraft.get(lang))
                .pick_files()
        })
        && let Some(screen) = kegiatan.as_mut()
    {
        // Copied and hashed by the worker.
        let _ = screen;
        desk.attach_files(paths, draft.as_deref());
    }
    if let Some(action) = act {
        perform(desk, kegiatan, &user, action, lang);
    }
    if let Some(request) = signing {
        sign(desk, kegiatan, &user, request, lang);
    }
    if back {
        desk.go(Place::Home);
    }
}

/// Has one action done by the worker; its answer becomes the message.
pub fn perform(
    desk: &mut Desk,
    kegiatan: &mut Option<KegiatanScreen>,
    user: &User,
    action: Action,
    lang: Lang,
) {
    let Some(screen) = kegiatan.as_mut() else {
        return;
    };
    let id = screen.id();
    let note = screen.note.trim().to_string();
    let sop = screen.records.sop.clone();
    let user = user.clone();
    // The step on the screen: if it was done meanwhile (another PC), the
    // clerk is told by whom instead of the click landing on the next step.
    let seen = screen
        .records
        .kegiatan
        .current
        .as_ref()
        .map(|c| (c.step.clone(), c.visit));
    desk.act_off_thread(lang, move |store| {
        let at = seen.as_ref().map(|(step, visit)| (step, *visit));
        match store.act_at(&user, None, id, at, action, &note) {
            Ok(outcome) => Finished {
                clear_note: true,
                ..Finished::done(id, Message::Done(moved_text(&outcome, &sop, lang)))
            },
            Err(e) => Finished::failed(id, &e, lang),
        }
    });
}

/// Where an action took the kegiatan, in the clerk's words.
fn moved_text(outcome: &lajur_core::workflow::Outcome, sop: &Sop, lang: Lang) -> String {
    if outcome.finished {
        Text::KegiatanFinished.get(lang).to_string()
    } else if let Some((step, visit)) = &outcome.entered {
        let name = sop
            .step(step)
            .map(|s| format!("{}. {}", s.number, s.activity))
            .unwrap_or_else(|| step.0.clone());
        if *visit > 1 {
            format!(
                "{} {name} ({})",
                Text::MovedTo.get(lang),
                i18n::fill(Text::TimeNumber, lang, &[("n", &visit.to_string())])
            )
        } else {
            format!("{} {name}", Text::MovedTo.get(lang))
        }
    } else {
        Text::PartDone.get(lang).to_string()
    }
}

impl KegiatanScreen {
    /// Takes what the worker's answer means for this screen, when it was
    /// about this kegiatan.
    pub fn finish(&mut self, finished: &Finished) {
        if finished.kegiatan != Some(self.id()) {
            return;
        }
        if let Some(error) = &finished.sign_error {
            self.sign_error = Some(error.clone());
        }
        if finished.clear_note {
            self.note.clear();
        }
    }
}

fn legend_ui(ui: &mut egui::Ui, lang: Lang) {
    for (color, text) in [
        (super::theme::DONE_FILL, Text::LegendDone),
        (super::theme::CURRENT_FILL, Text::LegendCurrent),
    ] {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(16.0, 16.0), egui::Sense::hover());
        ui.painter().rect_filled(rect, 2.0, color);
        ui.painter().rect_stroke(
            rect,
            2.0,
            egui::Stroke::new(1.0, MUTED),
            egui::StrokeKind::Inside,
        );
        ui.label(RichText::new(text.get(lang)).small());
    }
    let (rect, _) = ui.allocate_exact_size(egui::vec2(22.0, 16.0), egui::Sense::hover());
    ui.painter().line_segment(
        [rect.left_center(), rect.right_center()],
        egui::Stroke::new(2.5, super::theme::TAKEN_INK),
    );
    ui.label(RichText::new(Text::LegendPath.get(lang)).small());
    ui.label(
        RichText::new(Text::LegendHover.get(lang))
            .small()
            .color(MUTED),
    );
}

/// The note left for this step, framed where the clerk starts reading.
fn handover_ui(ui: &mut egui::Ui, h: &lajur_core::workflow::Handover, lang: Lang, offset: i32) {
    let at = i18n::format_datetime(h.at, offset, lang);
    let heading = match (&h.answer, h.returned) {
        (_, true) => i18n::fill(Text::HandoverReturned, lang, &[("by", &h.by), ("at", &at)]),
        (Some(answer), false) => i18n::fill(
            Text::HandoverAnswer,
            lang,
            &[("by", &h.by), ("answer", answer), ("at", &at)],
        ),
        (None, false) => i18n::fill(Text::HandoverNote, lang, &[("by", &h.by), ("at", &at)]),
    };
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.0, super::theme::WARNING_AMBER))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(
                RichText::new(heading)
                    .strong()
                    .color(super::theme::WARNING_AMBER),
            );
            ui.add(egui::Label::new(&h.note).wrap());
        });
}

#[allow(clippy::too_many_arguments)]
fn step_panel_ui(
    ui: &mut egui::Ui,
    screen: &mut KegiatanScreen,
    lang: Lang,
    offset: i32,
    act: &mut Option<Action>,
    attach_dialog: &mut Option<Option<String>>,
    failure: &mut Option<String>,
    store: &Store,
    signing: &mut Option<SignRequest>,
) {
    let records = &screen.records;
    let sop = records.sop.clone();
    // A step chosen on the flowchart shows its own record; Esc returns here.
    if let Some(i) = screen.view.selected
        && let Some(step) = sop.steps.get(i)
    {
        {
            ui.horizontal(|ui| {
                ui.heading(format!("{} {}", Text::StepWord.get(lang), step.number));
                if ui.button(Text::BackToCurrent.get(lang)).clicked() {
                    screen.view.selected = None;
                }
            });
            ui.add(egui::Label::new(&step.activity).wrap());
            ui.separator();
            let mine: Vec<&StepEvent> = records
                .events
                .iter()
                .filter(|e| e.step == step.id)
                .collect();
            if mine.is_empty() {
                ui.label(RichText::new(Text::StepNotDoneYet.get(lang)).color(MUTED));
            }
            for e in mine {
                passage_ui(ui, e, &sop, lang, offset);
            }
            return;
        }
    }
    let k = &records.kegiatan;
    let Some(current) = &k.current else {
        ui.heading(i18n::status_name(k.status, lang));
        ui.add(
            egui::Label::new(match k.status {
                Status::AwaitingSignOff if records.may_sign_off => Text::SignOffExplain.get(lang),
                Status::AwaitingSignOff => Text::AwaitingSignOffExplain.get(lang),
                Status::Done => Text::DoneExplain.get(lang),
                _ => Text::CancelledExplain.get(lang),
            })
            .wrap(),
        );
        if k.status == Status::AwaitingSignOff
            && !records.may_sign_off
            && !records.waiting_for.is_empty()
        {
            ui.label(format!(
                "{} {}",
                Text::WaitingFor.get(lang),
                records.waiting_for.join(", ")
            ));
        }
        // A cancelled kegiatan says why.
        if k.status == Status::Cancelled
            && let Some(reason) = records
                .history
                .iter()
                .rev()
                .find(|r| r.action == "batal")
                .map(|r| r.note.trim())
                .filter(|n| !n.is_empty())
        {
            ui.label(format!("{}: {reason}", Text::CancelReason.get(lang)));
        }
        if records.may_sign_off {
            sign_off_ui(ui, screen, lang, signing);
        }
        if let Some(seal) = &screen.records.seal {
            ui.add_space(6.0);
            ui.label(
                RichText::new(format!(
                    "{} {}",
                    Text::VerificationCode.get(lang),
                    seal.code
                ))
                .strong(),
            );
            ui.label(format!(
                "{} ({}), {}",
                seal.signer,
                seal.jabatan,
                i18n::format_datetime(seal.signed_at, offset, lang)
            ));
            if ui.button(Text::ExportSheet.get(lang)).clicked() {
                *signing = Some(SignRequest::Export);
            }
        }
        let records = &screen.records;
        ui.separator();
        attachments_ui(
            ui,
            records,
            lang,
            offset,
            attach_dialog,
            failure,
            store,
            false,
        );
        return;
    };
    let Some(step) = sop.step(&current.step) else {
        return;
    };
    ui.label(RichText::new(Text::StepNow.get(lang)).small().color(MUTED));
    ui.heading(format!("{}. {}", step.number, step.activity));
    let lanes: Vec<&str> = step
        .lanes
        .iter()
        .map(|l| sop.lane(l).map_or(l.0.as_str(), |x| x.name.as_str()))
        .collect();
    ui.label(format!("{}: {}", Text::Lanes.get(lang), lanes.join(", ")));
    if current.visit > 1 {
        ui.colored_label(
            super::theme::LOOP_INK,
            i18n::fill(Text::TimeNumber, lang, &[("n", &current.visit.to_string())]),
        );
    }
    if let Some(h) = &records.handover {
        handover_ui(ui, h, lang, offset);
    }
    ui.label(RichText::new(Text::DueTime.get(lang)).strong());
    super::widgets::due_ui(ui, current.due_at, store.now(), offset, lang);
    ui.label(
        RichText::new(format!(
            "{} {}",
            Text::EnteredAt.get(lang),
            i18n::format_datetime(current.entered_at, offset, lang)
        ))
        .small()
        .color(MUTED),
    );
    ui.separator();
    // The actions first, so they are in sight without scrolling; what the
    // step needs and its drafts below.
    actions_ui(ui, screen, step, &sop, lang, act);
    ui.separator();
    let records = &screen.records;
    ui.add_space(4.0);
    let section = |ui: &mut egui::Ui, title: &str, value: &str| {
        ui.label(RichText::new(title).strong());
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
    section(ui, &sop.headings.requirements, &step.requirements);
    section(ui, &sop.headings.output, &step.output);
    section(ui, &sop.headings.time, &step.time);
    ui.separator();
    attachments_ui(
        ui,
        records,
        lang,
        offset,
        attach_dialog,
        failure,
        store,
        true,
    );
    if records.may_cancel {
        ui.add_space(12.0);
        egui::CollapsingHeader::new(Text::CancelKegiatan.get(lang))
            .id_salt("cancel_kegiatan")
            .show(ui, |ui| {
                ui.add(egui::Label::new(Text::CancelExplain.get(lang)).wrap());
                let label = ui.label(Text::CancelReason.get(lang));
                ui.add(
                    egui::TextEdit::multiline(&mut screen.cancel_reason)
                        .desired_rows(2)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
                if ui.button(Text::ConfirmCancel.get(lang)).clicked() {
                    *signing = Some(SignRequest::Cancel);
                }
            });
    }
}

fn actions_ui(
    ui: &mut egui::Ui,
    screen: &mut KegiatanScreen,
    step: &lajur_core::sop::Step,
    sop: &Sop,
    lang: Lang,
    act: &mut Option<Action>,
) {
    if screen.busy {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(Text::Saving.get(lang));
        });
        return;
    }
    let records = &screen.records;
    if records.allowed.is_empty() {
        ui.label(RichText::new(Text::NotYourStep.get(lang)).strong());
        let waiting = &records.waiting_for;
        if !waiting.is_empty() {
            ui.add(
                egui::Label::new(format!(
                    "{} {}",
                    Text::WaitingFor.get(lang),
                    waiting.join(", ")
                ))
                .wrap(),
            );
        }
        return;
    }
    let label = ui.label(RichText::new(Text::Note.get(lang)).strong());
    ui.add(
        egui::TextEdit::multiline(&mut screen.note)
            .hint_text(Text::NoteHint.get(lang))
            .desired_rows(3)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    ui.add_space(6.0);
    let single_complete =
        records.allowed.len() == 1 && matches!(records.allowed[0], Allowed::Complete { .. });
    let shortcut = ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter));
    // Ctrl+1, Ctrl+2…: the first, second… button, for the keyboard alone.
    const NUMBERS: [egui::Key; 9] = [
        egui::Key::Num1,
        egui::Key::Num2,
        egui::Key::Num3,
        egui::Key::Num4,
        egui::Key::Num5,
        egui::Key::Num6,
        egui::Key::Num7,
        egui::Key::Num8,
        egui::Key::Num9,
    ];
    let numbered = ui.input_mut(|i| {
        NUMBERS
            .iter()
            .position(|key| i.consume_key(egui::Modifiers::COMMAND, *key))
    });
    ui.horizontal_wrapped(|ui| {
        for (n, allowed) in records.allowed.iter().enumerate() {
            let (text, action) = match allowed {
                Allowed::Complete { lane } => {
                    let mut text = Text::MarkDone.get(lang).to_string();
                    if step.lanes.len() > 1 {
                        let name = sop.lane(lane).map_or(lane.0.as_str(), |l| l.name.as_str());
                        text = format!("{text} ({name})");
                    }
                    (text, Action::Complete)
                }
                Allowed::Answer { exit, label, .. } => (label.clone(), Action::Answer(*exit)),
            };
            // Where an answer leads, said under it ("→ kembali ke langkah 3,
            // Admin Medsos"): the clerk sees what each choice does.
            let leads_to = match &action {
                Action::Answer(exit) => step
                    .exits
                    .get(*exit)
                    .and_then(|e| destination(sop, step, &e.target, lang)),
                _ => None,
            };
            ui.vertical(|ui| {
                let button = egui::Button::new(RichText::new(&text).strong().size(16.0))
                    .min_size(egui::vec2(110.0, 34.0));
                let mut response = ui.add(button);
                if single_complete {
                    response = response.on_hover_text("Ctrl+Enter");
                } else if n < NUMBERS.len() {
                    response = response.on_hover_text(format!("Ctrl+{}", n + 1));
                }
                if let Some(to) = &leads_to {
                    ui.label(RichText::new(to).small().color(MUTED));
                }
                if response.clicked() || numbered == Some(n) {
                    *act = Some(action);
                }
            });
        }
    });
    if single_complete && shortcut {
        *act = Some(Action::Complete);
    }
}

/// "→ ke langkah 5, Ketua PPID" or "→ kembali ke langkah 3, Admin Medsos".
fn destination(sop: &Sop, from: &Step, target: &StepId, lang: Lang) -> Option<String> {
    let to_index = sop.step_index(target)?;
    let from_index = sop.step_index(&from.id)?;
    let to = sop.steps.get(to_index)?;
    let lanes: Vec<&str> = to
        .lanes
        .iter()
        .map(|l| sop.lane(l).map_or(l.0.as_str(), |x| x.name.as_str()))
        .collect();
    let number = if to.number.trim().is_empty() {
        // A symbol sharing a row is named by the row's number.
        sop.steps[..to_index]
            .iter()
            .rev()
            .find(|s| !s.number.trim().is_empty())
            .map_or(String::new(), |s| s.number.clone())
    } else {
        to.number.clone()
    };
    let text = if to_index <= from_index {
        Text::LeadsBack
    } else {
        Text::LeadsTo
    };
    Some(i18n::fill(
        text,
        lang,
        &[("n", &number), ("lanes", &lanes.join(", "))],
    ))
}

fn passage_ui(ui: &mut egui::Ui, e: &StepEvent, sop: &Sop, lang: Lang, offset: i32) {
    let lane = sop
        .lane(&e.lane)
        .map_or(e.lane.0.as_str(), |l| l.name.as_str());
    ui.label(RichText::new(format!("{} ({lane})", e.actor_name)).strong());
    ui.label(format!(
        "{} {} · {} {}",
        Text::EnteredAt.get(lang),
        i18n::format_datetime(e.entered_at, offset, lang),
        Text::DoneAt.get(lang),
        i18n::format_datetime(e.done_at, offset, lang)
    ));
    let took = i18n::describe_span(e.done_at - e.entered_at, lang);
    ui.label(RichText::new(format!("{} {took}", Text::Took.get(lang))).color(MUTED));
    if let Some(answer) = &e.answer {
        ui.label(format!("{}: {answer}", Text::Answer.get(lang)));
    }
    if let Some(by) = &e.recorded_by {
        ui.label(RichText::new(format!("{} {by}", Text::RecordedBy.get(lang))).small());
    }
    ui.add_space(6.0);
}

#[allow(clippy::too_many_arguments)]
fn attachments_ui(
    ui: &mut egui::Ui,
    records: &KegiatanRecords,
    lang: Lang,
    offset: i32,
    attach_dialog: &mut Option<Option<String>>,
    failure: &mut Option<String>,
    store: &Store,
    adding: bool,
) {
    ui.label(RichText::new(Text::Drafts.get(lang)).strong());
    if records.attachments.is_empty() {
        ui.label(RichText::new(Text::NoDrafts.get(lang)).color(MUTED));
    }
    // Newest version of each draft first, older versions under it.
    let mut drafts: Vec<&str> = Vec::new();
    for a in &records.attachments {
        if !drafts.contains(&a.draft.as_str()) {
            drafts.push(&a.draft);
        }
    }
    for draft in drafts {
        let mut versions: Vec<&Attachment> = records
            .attachments
            .iter()
            .filter(|a| a.draft == draft)
            .collect();
        versions.sort_by_key(|a| std::cmp::Reverse(a.version));
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.add(egui::Label::new(RichText::new(draft).strong()).wrap());
            for (n, a) in versions.iter().enumerate() {
                let step = records
                    .sop
                    .step(&a.step)
                    .map_or(a.step.0.clone(), |s| s.number.clone());
                // A version saved under another file name says which.
                let file = if a.file_name == draft {
                    String::new()
                } else {
                    format!(" · {}", a.file_name)
                };
                let text = format!(
                    "{} {}{file} · {} · {} · {} {step}",
                    Text::Version.get(lang),
                    a.version,
                    a.added_by,
                    i18n::format_datetime(a.added_at, offset, lang),
                    Text::AtStep.get(lang),
                );
                ui.label(if n == 0 {
                    RichText::new(text)
                } else {
                    RichText::new(text).small().color(MUTED)
                });
                ui.horizontal(|ui| {
                    if ui
                        .small_button(Text::Open.get(lang))
                        .on_hover_text(format!(
                            "{} ({})",
                            a.file_name,
                            lajur_core::locale::format_bytes(a.size)
                        ))
                        .clicked()
                    {
                        match store.view_copy(a) {
                            Ok(path) => {
                                if open::that_detached(&path).is_err() {
                                    *failure = Some(format!(
                                        "{} {}",
                                        Text::OpenFileFailed.get(lang),
                                        path.display()
                                    ));
                                }
                            }
                            Err(e) => *failure = Some(e.message(lang)),
                        }
                    }
                    if ui.small_button(Text::SaveCopy.get(lang)).clicked()
                        && let Some(dir) = super::widgets::file_dialog(|| {
                            rfd::FileDialog::new()
                                .set_title(Text::SaveCopy.get(lang))
                                .pick_folder()
                        })
                        && let Err(e) = store.export_attachment(a, &dir)
                    {
                        *failure = Some(e.message(lang));
                    }
                    if n == 0
                        && adding
                        && records.may_attach
                        && ui.small_button(Text::NewVersion.get(lang)).clicked()
                    {
                        *attach_dialog = Some(Some(draft.to_string()));
                    }
                });
            }
        });
    }
    if adding && records.may_attach {
        if ui.button(Text::AddDraft.get(lang)).clicked() {
            *attach_dialog = Some(None);
        }
        ui.label(
            RichText::new(Text::OrDropFiles.get(lang))
                .small()
                .color(MUTED),
        );
    }
}

/// What a row of the history did, in the office's words: the answer, where
/// the work went (step number and lane, not the step's id), the file and its
/// size as a person reads it, and the note; the log's own text only for
/// what has none of these.
fn history_detail(r: &LogRow, records: &KegiatanRecords, lang: Lang) -> String {
    let sop = &records.sop;
    let mut parts: Vec<String> = Vec::new();
    let event = records.events.iter().find(|e| e.log_seq == r.seq);
    if let Some(e) = event {
        if let Some(answer) = &e.answer {
            parts.push(i18n::fill(Text::HistoryAnswer, lang, &[("answer", answer)]));
        }
        if let Some(next) = e.next_step.as_ref().and_then(|n| sop.step(n)) {
            let lanes: Vec<&str> = next
                .lanes
                .iter()
                .map(|l| sop.lane(l).map_or(l.0.as_str(), |x| x.name.as_str()))
                .collect();
            parts.push(i18n::fill(
                Text::HistoryNext,
                lang,
                &[("n", &next.number), ("lanes", &lanes.join(", "))],
            ));
        }
    } else if r.action == "lampiran" {
        parts.extend(
            records
                .attachments
                .iter()
                .filter(|a| a.added_at == r.at)
                .map(|a| {
                    i18n::fill(
                        Text::HistoryFile,
                        lang,
                        &[
                            ("file", &a.file_name),
                            ("v", &a.version.to_string()),
                            ("size", &i18n::format_bytes(a.size)),
                        ],
                    )
                }),
        );
    }
    if r.action == "mulai" {
        parts.push(format!(
            "SOP {} ({})",
            sop.identity.name, sop.identity.number
        ));
    } else if parts.is_empty() && !matches!(r.action.as_str(), "selesai_langkah" | "keputusan") {
        // The log's own words, without the fingerprints kept for checking.
        let plain = r.detail.split(" sha256").next().unwrap_or_default();
        parts.push(plain.trim_end_matches([';', ',', ' ']).to_string());
    }
    if !r.note.is_empty() {
        parts.push(format!("{}: {}", Text::Note.get(lang), r.note));
    }
    parts.join("\n")
}

fn history_ui(ui: &mut egui::Ui, records: &KegiatanRecords, lang: Lang, offset: i32) {
    let rows = &records.history;
    let sop = &records.sop;
    // A narrow window scrolls the table sideways rather than losing columns.
    egui::ScrollArea::horizontal().show(ui, |ui| {
        TableBuilder::new(ui)
            .id_salt("history")
            .striped(true)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Min))
            .column(Column::initial(190.0))
            .column(Column::initial(150.0))
            .column(Column::initial(150.0))
            .column(Column::initial(220.0).clip(true))
            .column(Column::remainder().at_least(200.0))
            .header(26.0, |mut h| {
                for t in [
                    Text::When,
                    Text::Who,
                    Text::What,
                    Text::StepWord,
                    Text::Details,
                ] {
                    h.col(|ui| {
                        ui.strong(t.get(lang));
                    });
                }
            })
            .body(|mut body| {
                for r in rows {
                    let detail = history_detail(r, records, lang);
                    let lines = 1 + detail.len() / 70 + detail.matches('\n').count();
                    body.row(22.0 * lines as f32 + 6.0, |mut row| {
                        row.col(|ui| {
                            ui.label(i18n::format_datetime(r.at, offset, lang));
                        });
                        row.col(|ui| {
                            let mut who = r.actor_name.clone().unwrap_or_default();
                            if let Some(other) = &r.on_behalf_of {
                                who.push_str(&format!(" ({} {other})", Text::OnBehalfOf.get(lang)));
                            }
                            ui.label(who);
                        });
                        row.col(|ui| {
                            ui.label(i18n::log_action_name(&r.action, lang));
                        });
                        row.col(|ui| {
                            let step = r
                                .step
                                .as_ref()
                                .and_then(|s| sop.step(s))
                                .map(|s| format!("{}. {}", s.number, s.activity))
                                .unwrap_or_default();
                            ui.add(egui::Label::new(step).truncate());
                        });
                        row.col(|ui| {
                            ui.add(egui::Label::new(detail).wrap());
                        });
                    });
                }
            });
    });
}

/// What the signer asked for in the side panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignRequest {
    SignOff,
    Return,
    Export,
    /// An administrator cancels the kegiatan, the note saying why.
    Cancel,
}

fn sign_off_ui(
    ui: &mut egui::Ui,
    screen: &mut KegiatanScreen,
    lang: Lang,
    signing: &mut Option<SignRequest>,
) {
    if screen.busy {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(Text::Saving.get(lang));
        });
        return;
    }
    ui.add_space(6.0);
    if screen.tab != KegiatanTab::Sheet && ui.button(Text::ShowSheet.get(lang)).clicked() {
        screen.tab = KegiatanTab::Sheet;
    }
    ui.add_space(6.0);
    let label = ui.label(RichText::new(Text::YourPassword.get(lang)).strong());
    let field = ui
        .add(
            egui::TextEdit::singleline(&mut screen.password)
                .password(true)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    if let Some(error) = &screen.sign_error {
        ui.colored_label(super::theme::ERROR_RED, error);
    }
    let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    let button = ui.add(
        egui::Button::new(RichText::new(Text::SignOff.get(lang)).strong().size(16.0))
            .min_size(egui::vec2(140.0, 34.0)),
    );
    if button.clicked() || enter {
        *signing = Some(SignRequest::SignOff);
    }
    ui.label(
        RichText::new(Text::SealExplain.get(lang))
            .small()
            .color(MUTED),
    );
    ui.separator();
    let label = ui.label(RichText::new(Text::ReturnNote.get(lang)).strong());
    ui.add(
        egui::TextEdit::multiline(&mut screen.note)
            .hint_text(Text::ReturnNoteHint.get(lang))
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    if ui.button(Text::ReturnForRework.get(lang)).clicked() {
        *signing = Some(SignRequest::Return);
    }
}

/// Has the worker sign off, return or cancel (signing opens the key with
/// the password: a second on a weak PC); an export asks for a file first.
fn sign(
    desk: &mut Desk,
    kegiatan: &mut Option<KegiatanScreen>,
    user: &User,
    request: SignRequest,
    lang: Lang,
) {
    let Some(screen) = kegiatan.as_mut() else {
        return;
    };
    let id = screen.id();
    let password = std::mem::take(&mut screen.password);
    let note = screen.note.trim().to_string();
    let reason = screen.cancel_reason.trim().to_string();
    screen.sign_error = None;
    if matches!(request, SignRequest::SignOff) && password.is_empty() {
        // Said beside the field, not as a wrong user name far away.
        screen.sign_error = Some(Text::TypePasswordToSign.get(lang).into());
        return;
    }
    if request == SignRequest::Export {
        let name = lajur_records::fsutil::safe_file_name(
            &format!("Lembar {} {}", id, screen.records.kegiatan.title),
            "pdf",
        );
        if let Some(path) = super::widgets::file_dialog(|| {
            rfd::FileDialog::new()
                .set_title(Text::ExportSheet.get(lang))
                .set_file_name(name)
                .add_filter("PDF", &["pdf"])
                .save_file()
        }) {
            export_sheet_to(desk, kegiatan, user, &path, lang);
        }
        return;
    }
    let user = user.clone();
    desk.act_off_thread(lang, move |store| {
        let result = match request {
            SignRequest::SignOff => match store.sign_off(&user, &password, id) {
                Err(StoreError::BadLogin) => {
                    return Finished {
                        kegiatan: Some(id),
                        sign_error: Some(Text::WrongPasswordToSign.get(lang).into()),
                        ..Finished::default()
                    };
                }
                other => other.map(|seal| {
                    Message::Done(format!("{} {}", Text::SignedOff.get(lang), seal.code))
                }),
            },
            SignRequest::Return => store
                .return_for_rework(&user, id, &note)
                .map(|()| Message::Done(Text::Returned.get(lang).into())),
            SignRequest::Cancel => store
                .cancel(&user, id, &reason)
                .map(|()| Message::Done(Text::KegiatanCancelled.get(lang).into())),
            SignRequest::Export => return Finished::default(),
        };
        match result {
            Ok(message) => Finished {
                clear_note: true,
                ..Finished::done(id, message)
            },
            Err(e) => Finished::failed(id, &e, lang),
        }
    });
}

/// Has the worker print the open kegiatan's filled sheet to `path` (or
/// the next free name).
pub fn export_sheet_to(
    desk: &mut Desk,
    kegiatan: &mut Option<KegiatanScreen>,
    user: &User,
    path: &std::path::Path,
    lang: Lang,
) {
    let Some(id) = kegiatan.as_ref().map(KegiatanScreen::id) else {
        return;
    };
    let settings = desk.store.office().office.page_settings();
    let user = user.clone();
    let path = path.to_path_buf();
    desk.act_off_thread(lang, move |store| {
        match crate::exports::save_sheet(store, &user, id, &settings, &path) {
            Ok(written) => Finished::done(id, Message::Saved(written)),
            Err(e) => Finished::done(id, Message::Failed(e.message(lang))),
        }
    });
}
