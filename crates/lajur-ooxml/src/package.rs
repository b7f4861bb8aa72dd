//! The zip package of a .docx or .xlsx, opened with bounds: a file too big,
//! too many entries, an entry that inflates too far or too much (a zip
//! bomb), a truncated or damaged archive, a password: each refused in words
//! before anything is read. Also tells the files offices have that are not
//! Office Open XML (Word 97 .doc, .odt, .pdf) from the bytes.

use std::io::{Cursor, Read};

use crate::error::ImportError;

/// The largest file read at all (an SOP with its logo is well under this).
pub const MAX_FILE: usize = 20 * 1024 * 1024;
/// The most an entry may inflate to, and the whole package.
const MAX_ENTRY: u64 = 40 * 1024 * 1024;
const MAX_TOTAL: u64 = 120 * 1024 * 1024;
/// An entry inflating more than this many times its size is a bomb.
const MAX_RATIO: u64 = 200;
const MAX_ENTRIES: usize = 5000;

/// What kind of file the bytes are, by their first bytes (never the name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Zip,
    /// An OLE compound file: a Word 97 .doc or Excel 97 .xls, or an Office
    /// file encrypted with a password (Office wraps those in one).
    Compound,
    Pdf,
    Other,
}

pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Sniffed::Zip
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Sniffed::Compound
    } else if bytes.starts_with(b"%PDF") {
        Sniffed::Pdf
    } else {
        Sniffed::Other
    }
}

/// An encrypted Office file is an OLE container holding an "EncryptionInfo"
/// stream; its directory names are UTF-16.
pub fn is_encrypted_office(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptionInfo"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// An opened package.
pub struct Package {
    archive: zip::ZipArchive<Cursor<Vec<u8>>>,
    read_so_far: u64,
}

impl Package {
    pub fn open(bytes: Vec<u8>) -> Result<Package, ImportError> {
        if bytes.len() > MAX_FILE {
            return Err(ImportError::TooBig {
                bytes: bytes.len() as u64,
            });
        }
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ImportError::Damaged)?;
        if archive.len() > MAX_ENTRIES {
            return Err(ImportError::Damaged);
        }
        Ok(Package {
            archive,
            read_so_far: 0,
        })
    }

    /// Whether the package has an entry of this name.
    pub fn has(&self, name: &str) -> bool {
        self.archive.index_for_name(name).is_some()
    }

    /// An entry's bytes, bounded; `None` when there is no such entry.
    pub fn bytes(&mut self, name: &str) -> Result<Option<Vec<u8>>, ImportError> {
        let Some(index) = self.archive.index_for_name(name) else {
            return Ok(None);
        };
        let mut file = self.archive.by_index(index).map_err(|e| match e {
            zip::result::ZipError::UnsupportedArchive(_) => ImportError::Encrypted,
            _ => ImportError::Damaged,
        })?;
        if file.encrypted() {
            return Err(ImportError::Encrypted);
        }
        let declared = file.size();
        let packed = file.compressed_size().max(1);
        if declared > MAX_ENTRY || declared / packed > MAX_RATIO {
            return Err(ImportError::Bomb);
        }
        // The header's size is not trusted: read at most the bound, and one
        // byte more to know it was passed.
        let mut out = Vec::new();
        (&mut file)
            .take(MAX_ENTRY + 1)
            .read_to_end(&mut out)
            .map_err(|_| ImportError::Damaged)?;
        let read = out.len() as u64;
        if read > MAX_ENTRY || read / packed > MAX_RATIO {
            return Err(ImportError::Bomb);
        }
        self.read_so_far += read;
        if self.read_so_far > MAX_TOTAL {
            return Err(ImportError::Bomb);
        }
        Ok(Some(out))
    }

    /// An entry as text (UTF-8, as Office writes its XML).
    pub fn text(&mut self, name: &str) -> Result<Option<String>, ImportError> {
        match self.bytes(name)? {
            None => Ok(None),
            Some(bytes) => String::from_utf8(bytes)
                .map(Some)
                .map_err(|_| ImportError::Damaged),
        }
    }
}
