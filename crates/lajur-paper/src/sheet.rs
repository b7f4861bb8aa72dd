//! The filled SOP sheet of one kegiatan: the official document with what
//! happened written into its Keterangan column, a table of every step done
//! (who, when, how long against the Mutu Baku Waktu, answers, drafts), the
//! sign-off block and the verification block with its QR code.

use chrono::{DateTime, Utc};

use crate::{PdfInfo, pdf};
use lajur_core::locale::{self as i18n, Lang, Text, fill};
use lajur_core::paperwork::KegiatanRecord as SheetData;
use lajur_core::records::{Seal, StepEvent};
use lajur_core::sop::Sop;
use lajur_core::workflow::late;
use lajur_layout::sheet::{SealBlock, TextTable, filled_sheet, qr_modules};
use lajur_layout::{BundledFont, Layout, PageSettings, Signature};

/// Paper is printed in the office's language.
const L: Lang = Lang::Id;

/// "22/11/2026 09.30": short enough for a table cell.
pub(crate) fn short_time(at: DateTime<Utc>, offset: i32) -> String {
    let local = at + chrono::Duration::minutes(i64::from(offset));
    local.format("%d/%m/%Y %H.%M").to_string()
}

fn short_hash(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// The SOP with each step's Keterangan holding what happened there.
fn sop_with_record(d: &SheetData) -> Sop {
    let offset = d.calendar.utc_offset_minutes;
    let mut sop = (*d.sop).clone();
    // What happened at each symbol goes in its row's Keterangan: a row with
    // several symbols has one Keterangan cell, its first step's.
    for row in d.sop.rows() {
        let mut mine: Vec<(usize, &StepEvent)> = row
            .clone()
            .flat_map(|i| {
                let id = &d.sop.steps[i].id;
                d.events
                    .iter()
                    .filter(move |e| &e.step == id)
                    .map(move |e| (i, e))
            })
            .collect();
        if mine.is_empty() {
            continue;
        }
        mine.sort_by_key(|(_, e)| e.done_at);
        let leader = row.start;
        let mut lines: Vec<String> = Vec::new();
        let own = d.sop.steps[leader].remarks.trim();
        if !own.is_empty() {
            lines.push(own.to_string());
        }
        for (i, e) in mine {
            let local = e.done_at + chrono::Duration::minutes(i64::from(offset));
            // Name and time on lines of their own: the column is narrow. A
            // symbol sharing the row says which it is.
            let step = &d.sop.steps[i];
            let mut line = if i != leader && !step.activity.trim().is_empty() {
                format!(
                    "{}: {}\n{}",
                    step.activity.trim(),
                    e.actor_name,
                    local.format("%d/%m %H.%M")
                )
            } else {
                format!("{}\n{}", e.actor_name, local.format("%d/%m %H.%M"))
            };
            if let Some(answer) = &e.answer {
                line.push_str(&format!(", {answer}"));
            }
            if late(e, &d.sop, &d.calendar) == Some(true) {
                line.push_str(&format!(", {}", Text::SheetLate.get(L)));
            }
            // The words left with it (a Tidak's reason) are part of the record.
            if !e.note.trim().is_empty() {
                line.push_str(&format!(
                    "\n{}",
                    fill(Text::SheetNote, L, &[("note", e.note.trim())])
                ));
            }
            lines.push(line);
        }
        if let Some(step) = sop.steps.get_mut(leader) {
            step.remarks = lines.join("\n");
        }
    }
    sop
}

fn steps_table(d: &SheetData) -> TextTable {
    let offset = d.calendar.utc_offset_minutes;
    let k = &d.kegiatan;
    let sop = &d.sop;
    let mut title = vec![
        Text::SheetTitle.get(L).to_string(),
        fill(
            Text::SheetKegiatanLine,
            L,
            &[("id", &k.id.to_string()), ("title", &k.title)],
        ),
        fill(
            Text::SheetSopLine,
            L,
            &[
                ("name", &sop.identity.name),
                ("number", &sop.identity.number),
            ],
        ),
        fill(
            Text::SheetStartedLine,
            L,
            &[("when", &i18n::format_datetime(k.started_at, offset, L))],
        ),
    ];
    if !k.description.trim().is_empty() {
        title.push(fill(
            Text::SheetMaterialLine,
            L,
            &[("text", k.description.trim())],
        ));
    }
    let mut rows = Vec::new();
    let mut bold = Vec::new();
    // The signer's returns, each before the first step done after it, so
    // the reason stands where the work went back.
    let mut returns = d.returns.iter().peekable();
    let return_row = |r: &lajur_core::records::LogRow| {
        let to = r
            .step
            .as_ref()
            .and_then(|s| sop.step(s))
            .map_or(String::new(), |s| s.number.clone());
        vec![
            "-".to_string(),
            Text::SheetReturned.get(L).to_string(),
            r.actor_name.clone().unwrap_or_default(),
            short_time(r.at, offset),
            String::new(),
            String::new(),
            String::new(),
            format!(
                "{}; {}",
                fill(Text::SheetNote, L, &[("note", r.note.trim())]),
                fill(Text::SheetReturnedTo, L, &[("n", &to)])
            ),
            "-".to_string(),
        ]
    };
    for e in &d.events {
        while let Some(r) = returns.next_if(|r| r.at <= e.done_at) {
            rows.push(return_row(r));
            bold.push(false);
        }
        let step = sop.step(&e.step);
        let lane = sop
            .lane(&e.lane)
            .map_or(e.lane.0.as_str(), |l| l.name.as_str());
        let mut who = format!("{} ({lane})", e.actor_name);
        if let Some(by) = &e.recorded_by {
            who.push_str(&format!(
                ", {}",
                fill(Text::SheetRecordedBy, L, &[("name", by)])
            ));
        }
        let is_late = late(e, sop, &d.calendar);
        let mut remark = match is_late {
            Some(true) => Text::SheetLate.get(L).to_string(),
            Some(false) => Text::SheetOnTime.get(L).to_string(),
            None => "-".to_string(),
        };
        if let Some(answer) = &e.answer {
            remark.push_str(&format!(
                "; {}",
                fill(Text::SheetAnswer, L, &[("answer", answer)])
            ));
        }
        if e.visit > 1 {
            remark.push_str(&format!(
                "; {}",
                fill(Text::SheetVisit, L, &[("n", &e.visit.to_string())])
            ));
        }
        if !e.note.trim().is_empty() {
            remark.push_str(&format!(
                "; {}",
                fill(Text::SheetNote, L, &[("note", e.note.trim())])
            ));
        }
        let drafts: Vec<String> = d
            .attachments
            .iter()
            .filter(|a| a.step == e.step && a.added_at <= e.done_at && a.added_at >= e.entered_at)
            .map(|a| format!("{} v{} ({})", a.file_name, a.version, short_hash(&a.sha256)))
            .collect();
        rows.push(vec![
            step.map_or(e.step.0.clone(), |s| s.number.clone()),
            step.map_or(String::new(), |s| s.activity.clone()),
            who,
            short_time(e.entered_at, offset),
            short_time(e.done_at, offset),
            i18n::describe_span(e.done_at - e.entered_at, L),
            step.map_or(String::new(), |s| s.time.clone()),
            remark,
            if drafts.is_empty() {
                "-".into()
            } else {
                drafts.join("; ")
            },
        ]);
        bold.push(is_late == Some(true));
    }
    for r in returns {
        rows.push(return_row(r));
        bold.push(false);
    }
    // Drafts added outside a step's recorded span (e.g. before the first
    // step was done) are listed too, so every file the record holds prints.
    for a in &d.attachments {
        let listed = d
            .events
            .iter()
            .any(|e| a.step == e.step && a.added_at <= e.done_at && a.added_at >= e.entered_at);
        if !listed {
            rows.push(vec![
                sop.step(&a.step)
                    .map_or(a.step.0.clone(), |s| s.number.clone()),
                Text::SheetAttachment.get(L).into(),
                a.added_by.clone(),
                short_time(a.added_at, offset),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                format!("{} v{} ({})", a.file_name, a.version, short_hash(&a.sha256)),
            ]);
            bold.push(false);
        }
    }
    TextTable {
        title,
        headers: [
            Text::SheetColNo,
            Text::SheetColActivity,
            Text::SheetColActor,
            Text::SheetColStart,
            Text::SheetColFinish,
            Text::SheetColTook,
            Text::SheetColStandard,
            Text::SheetColRemarks,
            Text::SheetColFiles,
        ]
        .map(|t| t.get(L).to_string())
        .to_vec(),
        widths: vec![0.5, 4.0, 2.4, 1.6, 1.6, 1.3, 1.2, 1.8, 2.6],
        rows,
        bold,
    }
}

fn signature(d: &SheetData) -> Signature {
    let offset = d.calendar.utc_offset_minutes;
    let office_place = d.letterhead.place();
    let place = match d.sop.identity.place.trim() {
        "" => office_place.as_str(),
        written => written,
    };
    match &d.seal {
        Some(seal) => {
            let local =
                (seal.signed_at + chrono::Duration::minutes(i64::from(offset))).date_naive();
            let date = i18n::format_date(local, L);
            Signature {
                place_date: if place.is_empty() {
                    date
                } else {
                    format!("{place}, {date}")
                },
                titles: vec![seal.jabatan.clone()],
                name: seal.signer.clone(),
                nip: seal.nip.clone(),
            }
        }
        None => Signature {
            place_date: format!("{place}, ........................"),
            titles: vec![Text::NotSignedOffYet.get(L).into()],
            name: String::new(),
            nip: None,
        },
    }
}

fn seal_block(seal: &Seal, offset: i32) -> SealBlock {
    SealBlock {
        code: fill(Text::SealCodeLine, L, &[("code", &seal.code)]),
        qr: qr_modules(&seal.qr_text()),
        lines: vec![
            fill(
                Text::SealSheetLine,
                L,
                &[
                    ("row", seal.log_row()),
                    ("when", &i18n::format_datetime(seal.signed_at, offset, L)),
                ],
            ),
            fill(
                Text::SealAnchorLine,
                L,
                &[("head", &seal.head_code()), ("key", &seal.key_fingerprint)],
            ),
            fill(Text::SealCheckSheet, L, &[("code", &seal.code)]),
            Text::SealNotTte.get(L).into(),
        ],
    }
}

/// The sheet as pages (also shown in the window before signing off).
pub fn sheet_layout(d: &SheetData, settings: &PageSettings) -> Layout {
    let offset = d.calendar.utc_offset_minutes;
    let sop = d.letterhead.sop(&sop_with_record(d));
    let settings = d.letterhead.settings_for(&d.sop, settings);
    let seal = d.seal.as_ref().map(|s| seal_block(s, offset));
    // Every page says whose it is: the kegiatan, and its code once sealed.
    let id = d.kegiatan.id.to_string();
    let footer = match &d.seal {
        Some(s) => fill(
            Text::SheetFooterSealed,
            L,
            &[("id", &id), ("code", &s.code)],
        ),
        None => fill(Text::SheetFooter, L, &[("id", &id)]),
    };
    filled_sheet(
        &sop,
        &[steps_table(d)],
        &signature(d),
        seal.as_ref(),
        &settings,
        BundledFont::get(),
        &footer,
    )
}

/// The filled sheet as PDF bytes; refused (nothing made) when the SOP's
/// table cannot fit the paper.
pub fn sheet_pdf(
    d: &SheetData,
    settings: &PageSettings,
    printed_at: DateTime<Utc>,
) -> Result<Vec<u8>, crate::ExportError> {
    let layout = sheet_layout(d, settings);
    if let Some(problem) = layout.fit.first() {
        return Err(crate::ExportError::DoesNotFit(
            problem.failure(&d.sop, settings),
        ));
    }
    let info = PdfInfo {
        created: printed_at,
        title: fill(Text::SheetPdfTitle, L, &[("title", &d.kegiatan.title)]),
        author: d
            .seal
            .as_ref()
            .map(|s| s.signer.clone())
            .unwrap_or_default(),
        subject: fill(
            Text::SheetSopLine,
            L,
            &[
                ("name", &d.sop.identity.name),
                ("number", &d.sop.identity.number),
            ],
        ),
        keywords: vec![
            "SOP AP".into(),
            format!("kegiatan {}", d.kegiatan.id),
            d.seal.as_ref().map(|s| s.code.clone()).unwrap_or_default(),
        ],
    };
    Ok(pdf::render_with(
        &layout,
        &info,
        &crate::pictures(&d.letterhead),
    )?)
}
