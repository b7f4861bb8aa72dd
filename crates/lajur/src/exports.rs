//! Exports as both faces of the program do them: the paper made from the
//! records' values, written to a file whole or not at all (a new file, never
//! over an earlier one, for what is archived), and each export recorded in the
//! activity log with the file's SHA-256.

use std::path::{Path, PathBuf};

use lajur_core::failure::Failure;
use lajur_core::locale::Lang;
use lajur_core::office::Letterhead;
use lajur_core::paperwork::RegisterRows;
use lajur_core::records::{KegiatanFilter, KegiatanId, Seal, User};
use lajur_core::sop::SopDocument;
use lajur_layout::PageSettings;
use lajur_paper::ExportError;
use lajur_paper::register::{register_content, register_layout, register_pdf};
use lajur_paper::sheet::sheet_pdf;
use lajur_records::{Store, StoreError, fsutil};

/// Why an export did not happen; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error(transparent)]
    Paper(#[from] ExportError),
    #[error(transparent)]
    Records(#[from] StoreError),
}

impl From<std::io::Error> for SaveError {
    fn from(e: std::io::Error) -> Self {
        SaveError::Paper(ExportError::Write(e))
    }
}

impl From<lajur_paper::PdfError> for SaveError {
    fn from(e: lajur_paper::PdfError) -> Self {
        SaveError::Paper(ExportError::Pdf(e))
    }
}

impl SaveError {
    pub fn failure(&self) -> Failure {
        match self {
            SaveError::Paper(e) => e.failure(),
            SaveError::Records(e) => e.failure(),
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        lajur_core::locale::failure_message(&self.failure(), lang)
    }
}

/// Makes the SOP document and writes it to `path` whole or not at all; returns
/// the file's size in bytes. Refuses an SOP with errors, writing nothing.
pub fn save_sop_pdf(
    doc: &SopDocument,
    settings: &PageSettings,
    letterhead: &Letterhead,
    path: &Path,
) -> Result<usize, ExportError> {
    let bytes = lajur_paper::sop_document_pdf(
        doc,
        settings,
        letterhead,
        lajur_records::clock::system_now(),
    )?;
    fsutil::write_atomically(path, &bytes)?;
    Ok(bytes.len())
}

/// What an SOP is exported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SopFormat {
    Pdf,
    Word,
}

/// Makes the SOP document in `format` and writes it to `path` whole or not
/// at all; returns its size in bytes. The one place both faces export an SOP.
pub fn save_sop(
    format: SopFormat,
    doc: &SopDocument,
    settings: &PageSettings,
    letterhead: &Letterhead,
    path: &Path,
) -> Result<usize, ExportError> {
    match format {
        SopFormat::Pdf => save_sop_pdf(doc, settings, letterhead, path),
        SopFormat::Word => save_sop_docx(doc, settings, letterhead, path),
    }
}

/// Makes the SOP document as a Word file (the same layout as the PDF) and
/// writes it to `path` whole or not at all; returns its size in bytes.
/// Refuses an SOP with errors, or one whose table cannot fit the paper.
pub fn save_sop_docx(
    doc: &SopDocument,
    settings: &PageSettings,
    letterhead: &Letterhead,
    path: &Path,
) -> Result<usize, ExportError> {
    let sop = lajur_paper::printable(doc)?;
    let layout = lajur_layout::document_for_office(
        sop,
        settings,
        letterhead,
        lajur_layout::BundledFont::get(),
    );
    if let Some(problem) = layout.fit.first() {
        return Err(ExportError::DoesNotFit(problem.failure(sop, settings)));
    }
    let bytes = lajur_ooxml::export(
        &letterhead.sop(sop),
        &layout,
        &letterhead.settings_for(sop, settings),
        letterhead.logo.as_deref(),
    )
    .map_err(|e| ExportError::Write(std::io::Error::other(e.to_string())))?;
    fsutil::write_atomically(path, &bytes)?;
    Ok(bytes.len())
}

/// The SHA-256 of bytes, in hex.
fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    lajur_records::log::hex(&Sha256::digest(bytes))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
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
) -> Result<PathBuf, SaveError> {
    let data = store.kegiatan_record(id)?;
    if data.seal.is_none() {
        return Err(ExportError::NotSignedOff.into());
    }
    let bytes = sheet_pdf(&data, settings, store.now())?;
    let written = fsutil::write_new(path, &bytes)?;
    store.record_export(
        actor,
        Some(id),
        &format!("lembar kegiatan {}", file_name(&written)),
        &sha256_hex(&bytes),
    )?;
    Ok(written)
}

/// Makes the register, seals it when `password` is given (the issuer must be
/// a signer), writes it to a new file and logs the export with its SHA-256.
pub fn save_register(
    store: &mut Store,
    issuer: &User,
    password: Option<&str>,
    filter: &KegiatanFilter,
    rows: RegisterRows,
    settings: &PageSettings,
    path: &Path,
) -> Result<(PathBuf, Option<Seal>), SaveError> {
    let data = store.register_data(filter, rows)?;
    let content = register_content(&data);
    let seal = match password {
        Some(p) => Some(store.seal_register(issuer, p, &content.description, &content.sha256())?),
        None => None,
    };
    let now = store.now();
    let layout = register_layout(
        &content,
        issuer,
        seal.as_ref(),
        &data.letterhead.place(),
        now,
        data.calendar.utc_offset_minutes,
        settings,
    );
    let bytes = register_pdf(&content, &layout, issuer, seal.as_ref(), now)?;
    let written = fsutil::write_new(path, &bytes)?;
    store.record_export(
        issuer,
        None,
        &format!("register {}: {}", file_name(&written), content.description),
        &sha256_hex(&bytes),
    )?;
    Ok((written, seal))
}
