//! Where an SOP's text came from and how it read: the values the SOP library,
//! the window and `lajur check` pass around. The SOPs bundled in the program
//! live here too (compiled in, so a fresh install has something to open).

use std::path::PathBuf;

use super::SopDocument;

/// SOP files larger than this are refused: a real SOP is a few kilobytes, and a
/// huge file is almost certainly the wrong file.
pub const MAX_SOP_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// The SOPs shipped with Lajur, so a fresh install has something to open.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "bunder-penyebarluasan-informasi-medsos.toml",
        include_str!("../../../../sops/bunder-penyebarluasan-informasi-medsos.toml"),
    ),
    (
        "mojogedang-pengelolaan-website-medsos.toml",
        include_str!("../../../../sops/mojogedang-pengelolaan-website-medsos.toml"),
    ),
];

/// Where an SOP came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File(PathBuf),
    Bundled(&'static str),
    /// A revision in the office's SOP library (the records).
    Library {
        sop_id: i64,
        revision: i64,
    },
}

impl Origin {
    /// The name to show in messages: the path, or the bundled file's name.
    pub fn display_name(&self) -> String {
        match self {
            Origin::File(p) => p.display().to_string(),
            Origin::Bundled(name) => (*name).to_string(),
            Origin::Library { sop_id, revision } => format!("SOP #{sop_id}, revisi {revision}"),
        }
    }
}

/// Why a file could not even be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadFailure {
    NotFound,
    PermissionDenied,
    TooLarge { bytes: u64 },
    NotText,
    Other { detail: String },
}

#[derive(Debug, Clone)]
pub struct LoadedSop {
    pub origin: Origin,
    /// The file's text as read (empty when it could not be read): kegiatan are
    /// pinned to exactly this text.
    pub text: String,
    pub document: Result<SopDocument, ReadFailure>,
}

impl LoadedSop {
    pub fn has_errors(&self) -> bool {
        self.document.as_ref().map_or(true, SopDocument::has_errors)
    }
}
