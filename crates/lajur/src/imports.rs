//! Reading an office's SOP file as both faces of the program do it: a Word
//! or Excel file through `lajur-ooxml` (its guesses said as notes), or a
//! Lajur TOML file as it is. What comes in is always a draft to confirm.

use std::path::Path;

use lajur_core::locale::{self as i18n, Lang, Text};
use lajur_core::sop::source::ReadFailure;
use lajur_core::sop::{Problem, SopDocument};
use lajur_ooxml::{ImportError, Kind};

/// Why a file could not be imported; nothing was made of it.
#[derive(Debug, Clone)]
pub enum ImportFileError {
    Read(ReadFailure),
    Office(ImportError),
}

impl ImportFileError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ImportFileError::Read(f) => i18n::read_failure_message(f, lang),
            ImportFileError::Office(e) => e.message(lang),
        }
    }
}

/// Where an imported SOP came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportedFrom {
    Word,
    Excel,
    Toml,
}

/// An SOP read from a file, ready to become a draft.
#[derive(Debug, Clone)]
pub struct ImportedFile {
    /// The file's name as the office named it.
    pub file_name: String,
    pub from: ImportedFrom,
    /// The draft's text: the file itself for TOML, else written by Lajur.
    pub toml: String,
    pub document: SopDocument,
    /// What the importer was unsure of, each tied to a field of the draft.
    pub notes: Vec<Problem>,
}

impl ImportedFile {
    /// One line saying what was read.
    pub fn summary(&self, lang: Lang) -> String {
        let text = match self.from {
            ImportedFrom::Word => Text::ImportReadWord,
            ImportedFrom::Excel => Text::ImportReadExcel,
            ImportedFrom::Toml => Text::ImportReadToml,
        };
        let notes = match self.from {
            ImportedFrom::Toml => self.document.diagnostics.len(),
            _ => self.notes.len(),
        };
        let sop = &self.document.sop;
        i18n::fill(
            text,
            lang,
            &[
                ("file", &self.file_name),
                ("steps", &sop.steps.len().to_string()),
                ("lanes", &sop.lanes.len().to_string()),
                ("notes", &notes.to_string()),
            ],
        )
    }

    /// Each note (or, for a TOML file, each problem with its line), worded.
    pub fn note_lines(&self, lang: Lang) -> Vec<String> {
        let mut lines: Vec<String> = self
            .notes
            .iter()
            .map(|p| i18n::problem_message(&p.kind, lang))
            .collect();
        if self.from == ImportedFrom::Toml {
            lines.extend(self.document.diagnostics.iter().map(|d| {
                format!(
                    "{} {}: {}: {}",
                    Text::Line.get(lang),
                    d.location.line,
                    i18n::severity_word(d.problem.severity, lang),
                    i18n::problem_message(&d.problem.kind, lang)
                )
            }));
        }
        lines
    }

    /// The note kept with the draft's revision in the library, so the
    /// importer's doubts are still there when the editor is opened later.
    pub fn revision_note(&self, lang: Lang) -> String {
        let lines = self.note_lines(lang);
        if lines.is_empty() {
            i18n::fill(
                Text::ImportRevisionNoteClean,
                lang,
                &[("file", &self.file_name)],
            )
        } else {
            i18n::fill(
                Text::ImportRevisionNote,
                lang,
                &[
                    ("file", &self.file_name),
                    ("n", &lines.len().to_string()),
                    ("notes", &lines.join(" · ")),
                ],
            )
        }
    }
}

/// Reads an SOP file: `.toml` as Lajur's own format, anything else as a Word
/// or Excel file (told by its content, so a renamed file is still refused in
/// words).
pub fn read_sop_file(path: &Path) -> Result<ImportedFile, ImportFileError> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let is_toml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    if is_toml {
        let toml = lajur_records::library::read_text(path).map_err(ImportFileError::Read)?;
        let document = SopDocument::parse(&toml);
        return Ok(ImportedFile {
            file_name,
            from: ImportedFrom::Toml,
            toml,
            document,
            notes: Vec::new(),
        });
    }
    let bytes = lajur_records::library::read_bytes(path, lajur_ooxml::MAX_FILE as u64).map_err(
        |f| match f {
            ReadFailure::TooLarge { bytes } => {
                ImportFileError::Office(ImportError::TooBig { bytes })
            }
            other => ImportFileError::Read(other),
        },
    )?;
    let imported = lajur_ooxml::import(&bytes).map_err(ImportFileError::Office)?;
    let toml = lajur_core::sop::format::write(&imported.sop);
    let document = SopDocument::parse(&toml);
    Ok(ImportedFile {
        file_name,
        from: match imported.kind {
            Kind::Word => ImportedFrom::Word,
            Kind::Excel => ImportedFrom::Excel,
        },
        toml,
        document,
        notes: imported.notes,
    })
}
