//! Word and Excel in and out. An office's SOP kept as a .docx (shapes
//! anchored in the lane cells, or a mark in the lane cell) or a .xlsx
//! (shapes over the sheet) is read into an SOP draft, with everything the
//! reader was unsure of said as a located note ([`ProblemKind::Imported`]);
//! and any SOP is written as a .docx whose tables and shapes look like its
//! PDF. Bytes in, bytes out: the caller reads and writes the files.
//!
//! The files are opened with bounds ([`package`]), their XML read with
//! roxmltree (no DTD), and interpreted from a neutral [`model`] of tables,
//! cells and shapes.

mod docx;
mod error;
mod identity;
mod interpret;
pub mod model;
mod package;
mod runs;
mod text;
mod vml;
mod write;
mod xlsx;
mod xml;

pub use error::ImportError;
pub use model::Kind;

use lajur_core::sop::{Problem, Sop};

pub use package::MAX_FILE;
pub use write::{WriteError, export};

/// An SOP read from an office's file, to be confirmed: the draft, and what
/// the reader was unsure of (each a warning located in the file and tied to
/// the draft's field).
#[derive(Debug, Clone)]
pub struct Imported {
    pub sop: Sop,
    pub notes: Vec<Problem>,
    pub kind: Kind,
}

/// Reads a .docx or .xlsx (by its content, not its name).
pub fn import(bytes: &[u8]) -> Result<Imported, ImportError> {
    if bytes.len() > package::MAX_FILE {
        return Err(ImportError::TooBig {
            bytes: bytes.len() as u64,
        });
    }
    match package::sniff(bytes) {
        package::Sniffed::Zip => {}
        package::Sniffed::Compound if package::is_encrypted_office(bytes) => {
            return Err(ImportError::Encrypted);
        }
        package::Sniffed::Compound => return Err(ImportError::OldOffice),
        package::Sniffed::Pdf => return Err(ImportError::Pdf),
        package::Sniffed::Other => return Err(ImportError::NotOffice),
    }
    let mut pkg = package::Package::open(bytes.to_vec())?;
    if let Some(mime) = pkg.text("mimetype")?
        && mime.contains("opendocument")
    {
        return Err(ImportError::OpenDocument);
    }
    let (doc, kind) = if pkg.has("word/document.xml") {
        (docx::read(&mut pkg)?, Kind::Word)
    } else if pkg.has("xl/workbook.xml") {
        (xlsx::read(&mut pkg)?, Kind::Excel)
    } else {
        return Err(ImportError::NotOffice);
    };
    let (sop, notes) = interpret::interpret(&doc, kind)?;
    Ok(Imported { sop, notes, kind })
}
