//! Why a file could not be read.

use lajur_core::failure::{Failure, ImportFailure};

/// Why a file could not be read; nothing was made of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("an old binary Word or Excel file")]
    OldOffice,
    #[error("an OpenDocument file")]
    OpenDocument,
    #[error("a PDF")]
    Pdf,
    #[error("not an Office file")]
    NotOffice,
    #[error("protected by a password")]
    Encrypted,
    #[error("damaged or truncated")]
    Damaged,
    #[error("inflates too far (a zip bomb)")]
    Bomb,
    #[error("too big ({bytes} bytes)")]
    TooBig { bytes: u64 },
    #[error("XML with a DTD")]
    XmlEntities,
    #[error("no SOP table")]
    NotAnSop,
}

impl ImportError {
    pub fn failure(&self) -> Failure {
        Failure::Import(match self {
            ImportError::OldOffice => ImportFailure::OldOffice,
            ImportError::OpenDocument => ImportFailure::OpenDocument,
            ImportError::Pdf => ImportFailure::Pdf,
            ImportError::NotOffice => ImportFailure::NotOffice,
            ImportError::Encrypted => ImportFailure::Encrypted,
            ImportError::Damaged => ImportFailure::Damaged,
            ImportError::Bomb => ImportFailure::Bomb,
            ImportError::TooBig { bytes } => ImportFailure::TooBig { bytes: *bytes },
            ImportError::XmlEntities => ImportFailure::XmlEntities,
            ImportError::NotAnSop => ImportFailure::NoSopTable,
        })
    }

    pub fn message(&self, lang: lajur_core::locale::Lang) -> String {
        lajur_core::locale::failure_message(&self.failure(), lang)
    }
}
