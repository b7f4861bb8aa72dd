//! Paper: the SOP AP document as PDF, drawn from the same layout as the screen.

pub mod pdf;
pub mod register;
pub mod sheet;

use std::io::Write;
use std::path::Path;

use std::sync::Arc;

use crate::layout::{BundledFont, PageSettings, document};
use crate::office::{Logo, Office};
use crate::sop::{Sop, SopDocument};

pub use pdf::{PdfError, PdfInfo, Pictures};

/// What the office's settings put on paper: its name, head and place on its
/// own SOPs, its logo on their identity page, its place before dates. Empty
/// (`default`) until the settings are saved: then documents print as written.
#[derive(Debug, Clone, Default)]
pub struct Letterhead {
    pub office: Option<Office>,
    pub logo: Option<Arc<Logo>>,
}

impl Letterhead {
    pub fn from_profile(profile: &crate::store::OfficeProfile) -> Letterhead {
        if !profile.configured {
            return Letterhead::default();
        }
        Letterhead {
            office: Some(profile.office.clone()),
            logo: profile.logo.clone(),
        }
    }

    /// The SOP as the office prints it (see [`Office::letterhead`]).
    pub fn sop(&self, sop: &Sop) -> Sop {
        match &self.office {
            Some(office) => office.letterhead(sop),
            None => sop.clone(),
        }
    }

    /// The page settings with room for the logo, on the office's own SOPs.
    pub fn settings_for(&self, sop: &Sop, settings: &PageSettings) -> PageSettings {
        let owns = self.office.as_ref().is_some_and(|o| o.owns(sop));
        PageSettings {
            logo_aspect: self.logo.as_ref().filter(|_| owns).map(|l| l.aspect()),
            ..*settings
        }
    }

    pub fn pictures(&self) -> Pictures {
        Pictures {
            logo: self.logo.clone(),
        }
    }

    /// The place written before a date ("Bunder"), empty when unknown.
    pub fn place(&self) -> String {
        self.office.as_ref().map(Office::place).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::safe_file_name;

    #[test]
    fn file_names_are_safe_on_windows() {
        assert_eq!(
            safe_file_name("SOP 01/KPTS/2024: Medsos?", "pdf"),
            "SOP 01-KPTS-2024- Medsos-.pdf"
        );
        assert_eq!(safe_file_name("CON", "pdf"), "lajur-CON.pdf");
        assert_eq!(safe_file_name("  ...  ", "pdf"), "lajur-.pdf");
        assert_eq!(safe_file_name("nul.txt", "pdf"), "lajur-nul.txt.pdf");
        assert!(safe_file_name(&"a".repeat(300), "pdf").len() <= 124);
    }
}

/// What can go wrong when exporting, in terms a clerk can act on (see i18n).
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
    #[error("records: {0}")]
    Store(#[from] crate::store::StoreError),
}

/// The SOP AP document (identity page, flowchart, approval) as PDF bytes,
/// printed as written.
pub fn sop_pdf(sop: &Sop, settings: &PageSettings) -> Result<Vec<u8>, PdfError> {
    office_sop_pdf(sop, settings, &Letterhead::default())
}

/// The SOP AP document as the office prints it: its letterhead applied.
pub fn office_sop_pdf(
    sop: &Sop,
    settings: &PageSettings,
    letterhead: &Letterhead,
) -> Result<Vec<u8>, PdfError> {
    let settings = letterhead.settings_for(sop, settings);
    let sop = &letterhead.sop(sop);
    let layout = document(sop, &settings, BundledFont::get());
    let id = &sop.identity;
    let mut unit = vec![id.unit.name.clone()];
    unit.extend(id.unit.parents.iter().cloned());
    let info = PdfInfo {
        title: id.name.clone(),
        author: unit
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        subject: format!(
            "Standar Operasional Prosedur Administrasi Pemerintahan, Nomor {}",
            id.number
        ),
        keywords: vec!["SOP AP".into(), id.number.clone()],
    };
    pdf::render_with(&layout, &info, &letterhead.pictures())
}

/// The SOP of a document, if it may be printed: an SOP with errors never is
/// (warnings are fine). The one place this rule lives.
pub fn printable(doc: &SopDocument) -> Result<&Sop, ExportError> {
    doc.valid_sop().ok_or(ExportError::SopHasErrors)
}

/// Makes the SOP document and writes it to `path` whole or not at all; returns
/// the file's size in bytes. Refuses an SOP with errors, writing nothing.
pub fn save_sop_pdf(
    doc: &SopDocument,
    settings: &PageSettings,
    letterhead: &Letterhead,
    path: &Path,
) -> Result<usize, ExportError> {
    let bytes = office_sop_pdf(printable(doc)?, settings, letterhead)?;
    write_atomically(path, &bytes)?;
    Ok(bytes.len())
}

/// A file name safe on Windows and everywhere else: no reserved characters or
/// device names (CON, NUL, COM1…), no trailing dots or spaces, at most 120 chars.
pub fn safe_file_name(name: &str, extension: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || "<>:\"/\\|?*".contains(c) {
                '-'
            } else {
                c
            }
        })
        .collect();
    let mut stem: String = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    stem = stem
        .trim_matches(|c: char| c == '.' || c == ' ')
        .to_string();
    if stem.chars().count() > 120 {
        stem = stem
            .chars()
            .take(120)
            .collect::<String>()
            .trim_end()
            .to_string();
    }
    const RESERVED: [&str; 22] = [
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
        "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];
    let base = stem.split('.').next().unwrap_or("").to_uppercase();
    if stem.is_empty() || RESERVED.contains(&base.as_str()) {
        stem = format!("lajur-{stem}");
    }
    format!("{stem}.{extension}")
}

/// Writes a new file, never over an existing one: when `path` is taken, the
/// next free "name (2).pdf", "name (3).pdf"… is used. Whole or not at all, as
/// [`write_atomically`]. Returns the path written.
pub fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<std::path::PathBuf> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "lajur".into());
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    for n in 1..1000 {
        let candidate = if n == 1 {
            path.to_path_buf()
        } else {
            dir.join(format!("{stem} ({n}){ext}"))
        };
        if candidate.exists() {
            continue;
        }
        // The temporary file is linked to the name only if nothing took it
        // meanwhile (a link never replaces); where links are not supported
        // (FAT drives), it is renamed after a last check.
        let temp = dir.join(format!(".{stem}.{}.baru", std::process::id()));
        let result = (|| {
            let mut file = std::fs::File::create(&temp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            drop(file);
            match std::fs::hard_link(&temp, &candidate) {
                Ok(()) => {
                    std::fs::remove_file(&temp)?;
                    Ok(true)
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
                Err(_) if !candidate.exists() => std::fs::rename(&temp, &candidate).map(|_| true),
                Err(_) => Ok(false),
            }
        })();
        let _ = std::fs::remove_file(&temp);
        match result {
            Ok(true) => return Ok(candidate),
            Ok(false) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        "too many files with this name",
    ))
}

/// Writes a file so that it is either wholly there or not changed at all: a
/// temporary file beside it, flushed to disk, then renamed over the target.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "lajur".into());
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}
