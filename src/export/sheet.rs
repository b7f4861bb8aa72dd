//! The filled SOP sheet of one kegiatan: the official document with what
//! happened written into its Keterangan column, a table of every step done
//! (who, when, how long against the Mutu Baku Waktu, answers, drafts), the
//! sign-off block and the verification block with its QR code.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::{ExportError, Letterhead, PdfInfo, pdf, write_new};
use crate::i18n::{self, Lang};
use crate::layout::sheet::{SealBlock, TextTable, filled_sheet};
use crate::layout::{BundledFont, Layout, PageSettings, Signature};
use crate::sop::Sop;
use crate::store::{Attachment, Kegiatan, KegiatanId, Seal, StepEvent, Store, StoreError, User};
use crate::workflow::Calendar;

/// Everything the sheet prints, read from the records in one go.
pub struct SheetData {
    pub sop: Arc<Sop>,
    pub kegiatan: Kegiatan,
    pub events: Vec<StepEvent>,
    pub attachments: Vec<Attachment>,
    pub seal: Option<Seal>,
    pub calendar: Calendar,
    pub letterhead: Letterhead,
}

pub fn sheet_data(store: &mut Store, id: KegiatanId) -> Result<SheetData, StoreError> {
    Ok(SheetData {
        sop: store.sop_of(id)?,
        kegiatan: store.kegiatan(id)?,
        events: store.step_events(id)?,
        attachments: store.attachments(id)?,
        seal: store.seal_of(id)?,
        calendar: store.calendar().clone(),
        letterhead: Letterhead::from_profile(store.office()),
    })
}

/// "22/11/2026 09.30": short enough for a table cell.
pub(super) fn short_time(at: DateTime<Utc>, offset: i32) -> String {
    let local = at + chrono::Duration::minutes(i64::from(offset));
    local.format("%d/%m/%Y %H.%M").to_string()
}

fn short_hash(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// Whether a part of a step was done later than its Mutu Baku Waktu allows.
pub(super) fn late(e: &StepEvent, sop: &Sop, calendar: &Calendar) -> Option<bool> {
    let limit = sop.step(&e.step)?.standard_time().limit()?;
    Some(e.done_at > calendar.due(e.entered_at, limit))
}

/// The SOP with each step's Keterangan holding what happened there.
fn sop_with_record(d: &SheetData) -> Sop {
    let offset = d.calendar.utc_offset_minutes;
    let mut sop = (*d.sop).clone();
    for step in &mut sop.steps {
        let mine: Vec<&StepEvent> = d.events.iter().filter(|e| e.step == step.id).collect();
        if mine.is_empty() {
            continue;
        }
        let mut lines: Vec<String> = Vec::new();
        if !step.remarks.trim().is_empty() {
            lines.push(step.remarks.trim().to_string());
        }
        for e in mine {
            let local = e.done_at + chrono::Duration::minutes(i64::from(offset));
            // Name and time on lines of their own: the column is narrow.
            let mut line = format!("{}\n{}", e.actor_name, local.format("%d/%m %H.%M"));
            if let Some(answer) = &e.answer {
                line.push_str(&format!(", {answer}"));
            }
            if late(e, &d.sop, &d.calendar) == Some(true) {
                line.push_str(", TERLAMBAT");
            }
            lines.push(line);
        }
        step.remarks = lines.join("\n");
    }
    sop
}

fn steps_table(d: &SheetData) -> TextTable {
    let offset = d.calendar.utc_offset_minutes;
    let k = &d.kegiatan;
    let sop = &d.sop;
    let mut title = vec![
        "LEMBAR PELAKSANAAN SOP".to_string(),
        format!("Kegiatan #{}: {}", k.id, k.title),
        format!("SOP: {} (Nomor {})", sop.identity.name, sop.identity.number),
        format!(
            "Dimulai {}",
            i18n::format_datetime(k.started_at, offset, Lang::Id)
        ),
    ];
    if !k.description.trim().is_empty() {
        title.push(format!("Bahan: {}", k.description.trim()));
    }
    let mut rows = Vec::new();
    let mut bold = Vec::new();
    for e in &d.events {
        let step = sop.step(&e.step);
        let lane = sop
            .lane(&e.lane)
            .map_or(e.lane.0.as_str(), |l| l.name.as_str());
        let mut who = format!("{} ({lane})", e.actor_name);
        if let Some(by) = &e.recorded_by {
            who.push_str(&format!(", dicatat oleh {by}"));
        }
        let is_late = late(e, sop, &d.calendar);
        let mut remark = match is_late {
            Some(true) => "TERLAMBAT".to_string(),
            Some(false) => "tepat waktu".to_string(),
            None => "-".to_string(),
        };
        if let Some(answer) = &e.answer {
            remark.push_str(&format!("; jawaban: {answer}"));
        }
        if e.visit > 1 {
            remark.push_str(&format!("; kali ke-{}", e.visit));
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
            i18n::describe_span(e.done_at - e.entered_at, Lang::Id),
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
                "Lampiran".into(),
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
            "No",
            "Kegiatan",
            "Pelaksana",
            "Mulai",
            "Selesai",
            "Lama",
            "Mutu baku waktu",
            "Keterangan",
            "Lampiran (sha256)",
        ]
        .map(String::from)
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
            let date = i18n::format_date(local, Lang::Id);
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
            titles: vec!["BELUM DISAHKAN".into()],
            name: String::new(),
            nip: None,
        },
    }
}

/// The QR code's modules with a quiet zone of two modules around them.
pub fn qr_modules(text: &str) -> Vec<Vec<bool>> {
    let Ok(code) = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M) else {
        return Vec::new();
    };
    let width = code.width();
    let colors = code.to_colors();
    let quiet = 2;
    let side = width + 2 * quiet;
    let mut grid = vec![vec![false; side]; side];
    for (i, c) in colors.iter().enumerate() {
        grid[i / width + quiet][i % width + quiet] = *c == qrcode::Color::Dark;
    }
    grid
}

fn seal_block(seal: &Seal, offset: i32) -> SealBlock {
    let seq = seal.log_head.split(':').next().unwrap_or("0");
    SealBlock {
        code: format!("Kode verifikasi: {}", seal.code),
        qr: qr_modules(&seal.qr_text()),
        lines: vec![
            format!(
                "Segel integritas Lajur (Ed25519) atas catatan kegiatan ini dan log kegiatan sampai baris {seq}, dibuat {}.",
                i18n::format_datetime(seal.signed_at, offset, Lang::Id)
            ),
            format!(
                "Periksa: lajur verify {} (atau menu Verifikasi).",
                seal.code
            ),
            "Segel ini bukan tanda tangan elektronik tersertifikasi (TTE).".into(),
        ],
    }
}

/// The sheet as pages (also shown in the window before signing off).
pub fn sheet_layout(d: &SheetData, settings: &PageSettings) -> Layout {
    let offset = d.calendar.utc_offset_minutes;
    let sop = d.letterhead.sop(&sop_with_record(d));
    let settings = d.letterhead.settings_for(&d.sop, settings);
    let seal = d.seal.as_ref().map(|s| seal_block(s, offset));
    filled_sheet(
        &sop,
        &[steps_table(d)],
        &signature(d),
        seal.as_ref(),
        &settings,
        BundledFont::get(),
    )
}

pub fn sheet_pdf(d: &SheetData, settings: &PageSettings) -> Result<Vec<u8>, pdf::PdfError> {
    let layout = sheet_layout(d, settings);
    let info = PdfInfo {
        title: format!("Lembar pelaksanaan SOP: {}", d.kegiatan.title),
        author: d
            .seal
            .as_ref()
            .map(|s| s.signer.clone())
            .unwrap_or_default(),
        subject: format!("{} (Nomor {})", d.sop.identity.name, d.sop.identity.number),
        keywords: vec![
            "SOP AP".into(),
            format!("kegiatan {}", d.kegiatan.id),
            d.seal.as_ref().map(|s| s.code.clone()).unwrap_or_default(),
        ],
    };
    pdf::render_with(&layout, &info, &d.letterhead.pictures())
}

/// Exports a signed-off kegiatan's sheet to a new file (never over an
/// existing one: "name (2).pdf" then), and records the export with the
/// file's SHA-256 in the activity log. Returns the file written.
pub fn save_sheet(
    store: &mut Store,
    actor: &User,
    id: KegiatanId,
    settings: &PageSettings,
    path: &Path,
) -> Result<PathBuf, ExportError> {
    let data = sheet_data(store, id)?;
    if data.seal.is_none() {
        return Err(ExportError::NotSignedOff);
    }
    let bytes = sheet_pdf(&data, settings)?;
    let written = write_new(path, &bytes)?;
    let sha = crate::store::log::hex(&Sha256::digest(&bytes));
    let name = written
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    store.record_export(actor, Some(id), &format!("lembar kegiatan {name}"), &sha)?;
    Ok(written)
}
