//! Finding and reading SOP files: a folder of `*.toml`, or the SOPs bundled in the
//! program. One broken file never stops the others from loading.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use lajur_core::sop::SopDocument;
use lajur_core::sop::source::{BUNDLED, LoadedSop, MAX_SOP_FILE_BYTES, Origin, ReadFailure};

pub fn load_file(path: &Path) -> LoadedSop {
    match read_text(path) {
        Ok(text) => LoadedSop {
            origin: Origin::File(path.to_path_buf()),
            document: Ok(SopDocument::parse(&text)),
            text,
        },
        Err(failure) => LoadedSop {
            origin: Origin::File(path.to_path_buf()),
            text: String::new(),
            document: Err(failure),
        },
    }
}

/// The text of an SOP file (size-limited, byte-order mark dropped, UTF-8 checked).
pub fn read_text(path: &Path) -> Result<String, ReadFailure> {
    let raw = read_bytes(path, MAX_SOP_FILE_BYTES)?;
    // Files saved by Windows Notepad may start with a byte-order mark.
    let raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&raw);
    String::from_utf8(raw.to_vec()).map_err(|_| ReadFailure::NotText)
}

/// A file's bytes, refused before reading when it is bigger than `limit`.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, ReadFailure> {
    let file = fs::File::open(path).map_err(io_failure)?;
    let bytes = file.metadata().map_err(io_failure)?.len();
    if bytes > limit {
        return Err(ReadFailure::TooLarge { bytes });
    }
    let mut raw = Vec::with_capacity(usize::try_from(bytes).unwrap_or(0));
    // Read one byte past the limit so a file that grew since the check is caught too.
    file.take(limit + 1)
        .read_to_end(&mut raw)
        .map_err(io_failure)?;
    if raw.len() as u64 > limit {
        return Err(ReadFailure::TooLarge {
            bytes: raw.len() as u64,
        });
    }
    Ok(raw)
}

fn io_failure(e: std::io::Error) -> ReadFailure {
    match e.kind() {
        std::io::ErrorKind::NotFound => ReadFailure::NotFound,
        std::io::ErrorKind::PermissionDenied => ReadFailure::PermissionDenied,
        std::io::ErrorKind::IsADirectory => ReadFailure::NotText,
        _ => ReadFailure::Other {
            detail: e.to_string(),
        },
    }
}

/// Every `*.toml` file in a folder, sorted by name, each loaded on its own.
pub fn load_folder(dir: &Path) -> Result<Vec<LoadedSop>, ReadFailure> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(io_failure)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
        })
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    Ok(paths.iter().map(|p| load_file(p)).collect())
}

pub fn load_bundled() -> Vec<LoadedSop> {
    BUNDLED
        .iter()
        .map(|(name, text)| LoadedSop {
            origin: Origin::Bundled(name),
            text: (*text).to_string(),
            document: Ok(SopDocument::parse(text)),
        })
        .collect()
}

/// Where the window and `lajur check` look for SOPs when not told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SopSource {
    Folder(PathBuf),
    Bundled,
}

impl SopSource {
    /// `sops/` in the working folder when there is one (a checkout, or an office's
    /// own folder), otherwise the bundled SOPs.
    pub fn default_for(working_dir: &Path) -> SopSource {
        let dir = working_dir.join("sops");
        if dir.is_dir() {
            SopSource::Folder(dir)
        } else {
            SopSource::Bundled
        }
    }

    pub fn load(&self) -> Result<Vec<LoadedSop>, ReadFailure> {
        match self {
            SopSource::Folder(dir) => load_folder(dir),
            SopSource::Bundled => Ok(load_bundled()),
        }
    }
}
