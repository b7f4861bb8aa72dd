//! Lajur's paper: the PDF painter (one match over the layout's display list)
//! and the documents it prints: the SOP AP document, the filled sheet of a
//! kegiatan, the register. It takes values (an SOP, a kegiatan's record, a
//! register's data) and returns PDF bytes; it never reads the records and never
//! writes a file.

pub mod pdf;
pub mod register;
pub mod sheet;

use chrono::{DateTime, Utc};
use lajur_core::failure::{Failure, FileProblem};
use lajur_core::locale::{Lang, Text, fill};
use lajur_core::office::Letterhead;
use lajur_core::sop::{Sop, SopDocument};
use lajur_layout::{BundledFont, PageSettings, document_for_office};

pub use pdf::{PdfError, PdfInfo, Pictures};

/// What can go wrong when exporting, in terms a clerk can act on (see
/// [`ExportError::failure`]).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("the SOP has errors; an SOP is printed only without errors")]
    SopHasErrors,
    #[error("the PDF could not be made: {0}")]
    Pdf(#[from] PdfError),
    #[error("the file could not be written: {0}")]
    Write(#[from] std::io::Error),
    #[error("the kegiatan is not signed off yet")]
    NotSignedOff,
    #[error("the SOP's table does not fit the paper")]
    DoesNotFit(lajur_core::failure::FitFailure),
}

impl ExportError {
    pub fn failure(&self) -> Failure {
        match self {
            ExportError::SopHasErrors => Failure::SopHasErrors,
            ExportError::Pdf(_) => Failure::FontDamaged,
            ExportError::Write(e) => Failure::Write(FileProblem::of(e)),
            ExportError::NotSignedOff => Failure::NotSignedOff,
            ExportError::DoesNotFit(fit) => Failure::DoesNotFit(fit.clone()),
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        lajur_core::locale::failure_message(&self.failure(), lang)
    }
}

/// The pictures the office's letterhead places.
pub fn pictures(letterhead: &Letterhead) -> Pictures {
    Pictures {
        logo: letterhead.logo.clone(),
    }
}

/// The SOP AP document (identity page, flowchart, approval) as PDF bytes,
/// printed as written.
pub fn sop_pdf(
    sop: &Sop,
    settings: &PageSettings,
    printed_at: DateTime<Utc>,
) -> Result<Vec<u8>, PdfError> {
    office_sop_pdf(sop, settings, &Letterhead::default(), printed_at)
}

/// The SOP AP document as the office prints it: its letterhead applied.
pub fn office_sop_pdf(
    sop: &Sop,
    settings: &PageSettings,
    letterhead: &Letterhead,
    printed_at: DateTime<Utc>,
) -> Result<Vec<u8>, PdfError> {
    let layout = document_for_office(sop, settings, letterhead, BundledFont::get());
    paint_sop(&layout, sop, letterhead, printed_at)
}

/// Paints a laid-out SOP document with its PDF information.
fn paint_sop(
    layout: &lajur_layout::Layout,
    sop: &Sop,
    letterhead: &Letterhead,
    printed_at: DateTime<Utc>,
) -> Result<Vec<u8>, PdfError> {
    let printed = letterhead.sop(sop);
    let id = &printed.identity;
    let mut unit = vec![id.unit.name.clone()];
    unit.extend(id.unit.parents.iter().cloned());
    let info = PdfInfo {
        created: printed_at,
        title: id.name.clone(),
        author: unit
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        subject: fill(Text::PdfSopSubject, Lang::Id, &[("number", &id.number)]),
        keywords: vec!["SOP AP".into(), id.number.clone()],
    };
    pdf::render_with(layout, &info, &pictures(letterhead))
}

/// The SOP of a document, if it may be printed: an SOP with errors never is
/// (warnings are fine). The one place this rule lives.
pub fn printable(doc: &SopDocument) -> Result<&Sop, ExportError> {
    doc.valid_sop().ok_or(ExportError::SopHasErrors)
}

/// The SOP document of a file as the office prints it, refused (nothing
/// made) when the SOP still has errors or its table cannot fit the paper
/// (content is never cut).
pub fn sop_document_pdf(
    doc: &SopDocument,
    settings: &PageSettings,
    letterhead: &Letterhead,
    printed_at: DateTime<Utc>,
) -> Result<Vec<u8>, ExportError> {
    let sop = printable(doc)?;
    let layout = document_for_office(sop, settings, letterhead, BundledFont::get());
    if let Some(problem) = layout.fit.first() {
        return Err(ExportError::DoesNotFit(problem.failure(sop, settings)));
    }
    Ok(paint_sop(&layout, sop, letterhead, printed_at)?)
}
