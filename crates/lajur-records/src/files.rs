//! Attachment files: stored by their SHA-256 inside the data folder, written as
//! a temporary file, flushed, then renamed, before the database row commits.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use super::log::hex;
use lajur_core::records::MAX_ATTACHMENT_BYTES;

/// For tests: make the N-th write, flush or rename fail, as a full disk would.
#[doc(hidden)]
#[derive(Default)]
pub struct Faults {
    pub fail_write_at: AtomicU64,
    pub fail_sync_at: AtomicU64,
    pub fail_rename_at: AtomicU64,
    writes: AtomicU64,
    syncs: AtomicU64,
    renames: AtomicU64,
    /// Runs once after the first chunk of a copy is read (a test changes the
    /// source there, as another program writing it would).
    pub during_copy: std::sync::Mutex<Option<Box<dyn FnOnce() + Send>>>,
}

impl std::fmt::Debug for Faults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Faults").finish_non_exhaustive()
    }
}

impl Faults {
    /// Clears the counters and targets: the next fault counts from here.
    pub fn reset(&self) {
        for a in [
            &self.fail_write_at,
            &self.fail_sync_at,
            &self.fail_rename_at,
            &self.writes,
            &self.syncs,
            &self.renames,
        ] {
            a.store(0, Ordering::SeqCst);
        }
    }

    fn hit(counter: &AtomicU64, at: &AtomicU64) -> io::Result<()> {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        if at.load(Ordering::SeqCst) == n {
            return Err(io::Error::new(io::ErrorKind::StorageFull, "injected fault"));
        }
        Ok(())
    }
}

/// The content-addressed file store under `<data>/lampiran`.
#[derive(Debug)]
pub struct Blobs {
    root: PathBuf,
    pub faults: Faults,
}

#[derive(Debug)]
pub enum BlobError {
    TooLarge {
        bytes: u64,
        most: u64,
    },
    /// The file changed while it was being copied (another program still
    /// writing it): nothing was stored.
    Changed,
    Io(io::Error),
}

impl From<io::Error> for BlobError {
    fn from(e: io::Error) -> Self {
        BlobError::Io(e)
    }
}

impl Blobs {
    pub fn new(root: PathBuf) -> Blobs {
        Blobs {
            root,
            faults: Faults::default(),
        }
    }

    /// Removes temporary files left by interrupted writes (call only when no
    /// other process writes here).
    pub fn remove_leftovers(&self) {
        if let Ok(entries) = fs::read_dir(&self.root) {
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with(".masuk-") {
                    crate::fsutil::remove_quietly(&e.path());
                }
            }
        }
    }

    pub fn path_of(&self, sha256: &str) -> PathBuf {
        let (a, rest) = sha256.split_at(2.min(sha256.len()));
        self.root.join(a).join(rest)
    }

    /// Copies `source` in, streaming; returns (sha256, size). The file is in
    /// place (flushed and renamed) when this returns Ok.
    /// The file's size and modification time are compared before and after
    /// the copy, and the bytes copied with the size: a file another program
    /// is still writing is refused, never stored torn.
    /// Copies `source` in by its SHA-256; refused above `most` bytes (the
    /// office's limit; never above [`MAX_ATTACHMENT_BYTES`]).
    pub fn store(&self, source: &Path, most: u64) -> Result<(String, u64), BlobError> {
        let most = most.min(MAX_ATTACHMENT_BYTES);
        let mut input = File::open(source)?;
        let before = input.metadata()?;
        let size = before.len();
        if size > most {
            return Err(BlobError::TooLarge { bytes: size, most });
        }
        fs::create_dir_all(&self.root)?;
        let temp = self
            .root
            .join(format!(".masuk-{}-{}", std::process::id(), unique()));
        let result = self.copy_hashing(&mut input, &temp, most);
        let unchanged = |written: u64| -> Result<bool, BlobError> {
            let after = std::fs::metadata(source)?;
            Ok(written == size
                && after.len() == size
                && after.modified().ok() == before.modified().ok())
        };
        let (hash, written) = match result.and_then(|(hash, written)| {
            if unchanged(written)? {
                Ok((hash, written))
            } else {
                Err(BlobError::Changed)
            }
        }) {
            Ok(v) => v,
            Err(e) => {
                crate::fsutil::remove_quietly(&temp);
                return Err(e);
            }
        };
        self.place(&temp, &hash)?;
        Ok((hash, written))
    }

    /// Stores a draft's bytes as they came from the office server (the
    /// limit was the office's when it took them), written once, straight
    /// into the pool. False, nothing stored, when they are not the draft
    /// `sha256` names.
    pub fn store_bytes(&self, mut bytes: &[u8], sha256: &str) -> Result<bool, BlobError> {
        fs::create_dir_all(&self.root)?;
        let temp = self
            .root
            .join(format!(".masuk-{}-{}", std::process::id(), unique()));
        let hash = match self.copy_hashing(&mut bytes, &temp, MAX_ATTACHMENT_BYTES) {
            Ok((hash, _)) if hash == sha256 => hash,
            Ok(_) => {
                crate::fsutil::remove_quietly(&temp);
                return Ok(false);
            }
            Err(e) => {
                crate::fsutil::remove_quietly(&temp);
                return Err(e);
            }
        };
        self.place(&temp, &hash)?;
        Ok(true)
    }

    /// Moves a whole, synced temporary file to its place in the pool.
    fn place(&self, temp: &Path, hash: &str) -> Result<(), BlobError> {
        let target = self.path_of(hash);
        let placed = (|| {
            if let Some(dir) = target.parent() {
                fs::create_dir_all(dir)?;
            }
            Faults::hit(&self.faults.renames, &self.faults.fail_rename_at)?;
            fs::rename(temp, &target)?;
            sync_dir(target.parent().unwrap_or(&self.root));
            Ok::<_, io::Error>(())
        })();
        if let Err(e) = placed {
            crate::fsutil::remove_quietly(temp);
            return Err(e.into());
        }
        Ok(())
    }

    fn copy_hashing(
        &self,
        input: &mut impl Read,
        temp: &Path,
        most: u64,
    ) -> Result<(String, u64), BlobError> {
        let mut out = File::create(temp)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut written = 0u64;
        loop {
            let n = input.read(&mut buf)?;
            if n == 0 {
                break;
            }
            written += n as u64;
            if written > most {
                return Err(BlobError::TooLarge {
                    bytes: written,
                    most,
                });
            }
            hasher.update(&buf[..n]);
            Faults::hit(&self.faults.writes, &self.faults.fail_write_at)?;
            out.write_all(&buf[..n])?;
            if let Some(change) = self
                .faults
                .during_copy
                .lock()
                .ok()
                .and_then(|mut c| c.take())
            {
                change();
            }
        }
        Faults::hit(&self.faults.syncs, &self.faults.fail_sync_at)?;
        out.sync_all()?;
        Ok((hex(&hasher.finalize()), written))
    }

    /// Checks a stored file against its hash, streaming.
    pub fn check(&self, sha256: &str) -> io::Result<bool> {
        Ok(sha256_of(&self.path_of(sha256))? == sha256)
    }
}

/// A file's SHA-256, streamed (drafts, backup copies, verify).
pub fn sha256_of(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn unique() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::SeqCst)
}

/// Flushes a directory entry (a rename) to disk where the platform allows it.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        crate::fsutil::log_if_failed(d.sync_all(), "folder lampiran tidak dapat disinkronkan");
    }
    #[cfg(not(unix))]
    let _ = dir;
}
