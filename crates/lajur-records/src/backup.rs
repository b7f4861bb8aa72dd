//! Backups that bring everything back: a consistent copy of the database
//! (SQLite's online backup API), the attachment files beside it (copied once
//! each: they never change), and a checkpoint, the log's chain head at that
//! moment, in a small text file an office can keep elsewhere. Each backup is
//! checked after writing. Restoring reads only the backup, never the live
//! database (which may be the damaged thing), and puts the current data aside.

use std::fs::File;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::store::{Result, Store, StoreError, parse_time};
use crate::{clock, files::Blobs, fsutil, log, schema};

/// The folder inside a backup folder that holds the attachment files.
pub const FILES_DIR: &str = "lampiran";
/// A checkpoint's file extension.
pub const CHECKPOINT_EXT: &str = "kepala";

pub use lajur_core::failure::BackupProblem;
pub use lajur_core::records::BackupSummary;

fn read_only(path: &Path) -> rusqlite::Result<Connection> {
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}

/// Takes the day's backup on a thread of its own (its own connection, through
/// SQLite's online backup API), checks it, and keeps the newest `keep`.
pub fn backup_in_background(
    dir: PathBuf,
    backups: PathBuf,
    keep: usize,
) -> std::thread::JoinHandle<Result<Option<PathBuf>>> {
    std::thread::spawn(move || {
        let made = read_only(&dir.join(Store::DB_FILE))
            .map_err(StoreError::from)
            .and_then(|conn| daily_backup(&conn, &dir, &backups, keep));
        // Nobody waits for this thread: a failure is at least in the log.
        if let Err(e) = &made {
            ::log::warn!("cadangan harian gagal ({}): {e}", backups.display());
        }
        made
    })
}

/// Writes a backup of `conn` (the data folder `data`) into `dir`, with its
/// files and checkpoint, and checks it. Nothing is left behind on failure.
fn backup_to(conn: &Connection, data: &Path, dir: &Path, label: &str) -> Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    crate::store::keep_private(dir)?;
    let stamp = clock::system_now().format("%Y%m%d-%H%M%S");
    // Two backups in one second get two names, never one over the other.
    let path = (1..)
        .map(|n| match n {
            1 => dir.join(format!("lajur-{stamp}-{label}.db")),
            n => dir.join(format!("lajur-{stamp}-{label}-{n}.db")),
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| dir.join(format!("lajur-{stamp}-{label}.db")));
    let temp = path.with_extension("db.sementara");
    let made = (|| -> Result<()> {
        conn.backup(
            rusqlite::MAIN_DB,
            &temp,
            None::<fn(rusqlite::backup::Progress)>,
        )?;
        {
            // A backup is one self-contained file: no WAL beside it.
            let copy = Connection::open(&temp)?;
            copy.pragma_update(None, "journal_mode", "DELETE")?;
        }
        File::open(&temp)?.sync_all()?;
        copy_files(
            &read_only(&temp)?,
            &data.join(FILES_DIR),
            &dir.join(FILES_DIR),
        )?;
        std::fs::rename(&temp, &path)?;
        Ok(())
    })();
    if let Err(e) = made {
        fsutil::remove_quietly(&temp);
        return Err(e);
    }
    match check_backup(&path)? {
        Ok(summary) => {
            write_checkpoint(&path, &summary)?;
            Ok(path)
        }
        Err(problem) => {
            fsutil::log_if_failed(
                std::fs::rename(&path, path.with_extension("rusak")),
                "cadangan rusak tidak dapat diberi nama .rusak",
            );
            Err(StoreError::BackupUnusable(problem))
        }
    }
}

/// Every attachment file the backup's records name, copied into the backup's
/// file folder unless it is already there (same name, same size: files are
/// named by their content), each checked against its hash after copying.
fn copy_files(backup: &Connection, from: &Path, to: &Path) -> Result<()> {
    let source = Blobs::new(from.to_path_buf());
    let target = Blobs::new(to.to_path_buf());
    for (sha, size) in attachment_files(backup)? {
        let there = target.path_of(&sha);
        if std::fs::metadata(&there).is_ok_and(|m| m.len() == size) {
            continue;
        }
        if let Some(parent) = there.parent() {
            std::fs::create_dir_all(parent)?;
        }
        copy_checked(&source.path_of(&sha), &there, &sha)?;
    }
    Ok(())
}

/// Copies a content-named file beside its place, checks the copy's hash, and
/// renames it into place.
fn copy_checked(from: &Path, to: &Path, sha: &str) -> Result<()> {
    let temp = to.with_extension("sementara");
    let copied = (|| -> Result<()> {
        std::fs::copy(from, &temp)?;
        File::open(&temp)?.sync_all()?;
        if crate::files::sha256_of(&temp)? != sha {
            return Err(StoreError::AttachmentDamaged);
        }
        std::fs::rename(&temp, to)?;
        Ok(())
    })();
    if copied.is_err() {
        fsutil::remove_quietly(&temp);
    }
    copied.map_err(|e| match e {
        StoreError::Io(io) if io.kind() == std::io::ErrorKind::NotFound => {
            StoreError::AttachmentMissing
        }
        other => other,
    })
}

fn attachment_files(conn: &Connection) -> Result<Vec<(String, u64)>> {
    let mut stmt = conn.prepare("SELECT sha256, MAX(size) FROM attachments GROUP BY sha256")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn write_checkpoint(backup: &Path, summary: &BackupSummary) -> Result<()> {
    let text = format!(
        "LAJUR-TITIK-PERIKSA 1\nbaris: {}\nhash: {}\nwaktu: {}\ncadangan: {}\n",
        summary.head.0,
        summary.head.1,
        summary
            .last_activity
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default(),
        backup
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    fsutil::write_atomically(&backup.with_extension(CHECKPOINT_EXT), text.as_bytes())?;
    Ok(())
}

/// A checkpoint read back: where it is, and the chain head it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub file: PathBuf,
    pub seq: i64,
    pub hash: String,
}

/// Every checkpoint under these folders (three levels deep: a drive, its
/// backup folder, a dated folder in it).
pub fn checkpoints_in(dirs: &[PathBuf]) -> Vec<Checkpoint> {
    fn walk(dir: &Path, depth: usize, found: &mut Vec<Checkpoint>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if depth > 0 && entry.file_name() != FILES_DIR {
                    walk(&path, depth - 1, found);
                }
            } else if path.extension().is_some_and(|e| e == CHECKPOINT_EXT)
                && let Some(c) = read_checkpoint(&path)
            {
                found.push(c);
            }
        }
    }
    let mut found = Vec::new();
    for dir in dirs {
        walk(dir, 3, &mut found);
    }
    found.sort_by(|a, b| a.file.cmp(&b.file));
    found.dedup_by(|a, b| a.file == b.file);
    found
}

fn read_checkpoint(path: &Path) -> Option<Checkpoint> {
    let text = std::fs::read_to_string(path).ok()?;
    if !text.starts_with("LAJUR-TITIK-PERIKSA") {
        return None;
    }
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
    };
    Some(Checkpoint {
        file: path.to_path_buf(),
        seq: field("baris:")?.parse().ok()?,
        hash: field("hash:")?,
    })
}

fn daily_backup(
    conn: &Connection,
    data: &Path,
    dir: &Path,
    keep: usize,
) -> Result<Option<PathBuf>> {
    let today = format!("lajur-{}", clock::system_now().format("%Y%m%d"));
    let dailies = |dir: &Path| -> Vec<PathBuf> {
        let mut all: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        all.retain(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with("-harian.db"))
        });
        all.sort();
        all
    };
    let taken_today = dailies(dir).iter().any(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(&today))
    });
    let made = if taken_today {
        None
    } else {
        Some(backup_to(conn, data, dir, "harian")?)
    };
    // Old databases go; their checkpoints stay (they are small, and each is
    // one more point the chain is compared with). Files stay: newer backups
    // name them too.
    let mut all = dailies(dir);
    while all.len() > keep.max(1) {
        fsutil::remove_quietly(&all.remove(0));
    }
    Ok(made)
}

/// Checks a backup without changing it: a Lajur database of a schema this
/// build knows, whole (SQLite's integrity check), its chain unbroken, and
/// every attachment file it names beside it. Returns what it holds.
pub fn check_backup(path: &Path) -> Result<std::result::Result<BackupSummary, BackupProblem>> {
    if crate::store::is_sqlite_file(path).ok().flatten() != Some(true) {
        return Ok(Err(BackupProblem::NotLajur));
    }
    let conn = read_only(path)?;
    let identity = (|| -> rusqlite::Result<(i32, i32)> {
        Ok((
            conn.query_row("PRAGMA application_id", [], |r| r.get(0))?,
            conn.query_row("PRAGMA user_version", [], |r| r.get(0))?,
        ))
    })();
    let (app_id, version) = match identity {
        Ok(v) => v,
        Err(e) => return Ok(Err(BackupProblem::Damaged(e.to_string()))),
    };
    if app_id != schema::APPLICATION_ID || version < 1 {
        return Ok(Err(BackupProblem::NotLajur));
    }
    if version > schema::CURRENT_VERSION {
        return Ok(Err(BackupProblem::Newer {
            found: version,
            known: schema::CURRENT_VERSION,
        }));
    }
    let integrity: String = match conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)) {
        Ok(v) => v,
        Err(e) => return Ok(Err(BackupProblem::Damaged(e.to_string()))),
    };
    if integrity != "ok" {
        return Ok(Err(BackupProblem::Damaged(integrity)));
    }
    if let Err(b) = log::verify(&conn)? {
        return Ok(Err(BackupProblem::ChainBroken(b)));
    }
    let files_dir = path.parent().unwrap_or(Path::new(".")).join(FILES_DIR);
    let blobs = Blobs::new(files_dir);
    let files = attachment_files(&conn)?;
    let missing: Vec<String> = files
        .iter()
        .filter(|(sha, size)| {
            !std::fs::metadata(blobs.path_of(sha)).is_ok_and(|m| m.len() == *size)
        })
        .map(|(sha, _)| sha.clone())
        .collect();
    if !missing.is_empty() {
        return Ok(Err(BackupProblem::FilesMissing(missing)));
    }
    let head = log::head(&conn)?;
    let last: Option<String> = conn
        .query_row("SELECT at FROM log ORDER BY seq DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    // A backup from before the office table has no settings to show.
    let office: Option<String> = conn
        .query_row("SELECT settings FROM office WHERE id = 1", [], |r| r.get(0))
        .ok();
    let office = office
        .and_then(|t| lajur_core::office::Office::from_text(&t).ok())
        .map(|o| o.unit_lines().join(", "))
        .unwrap_or_default();
    Ok(Ok(BackupSummary {
        path: path.to_path_buf(),
        office,
        kegiatan: conn.query_row("SELECT COUNT(*) FROM kegiatan", [], |r| r.get(0))?,
        users: conn.query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?,
        last_activity: last.map(|t| parse_time(&t)),
        head,
        schema: version,
        files: files.len(),
    }))
}

/// The newest backup in `dir` that passes its checks.
pub fn latest_good_backup(dir: &Path) -> Option<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "db"))
        .collect();
    all.sort();
    all.into_iter()
        .rev()
        .find(|p| matches!(check_backup(p), Ok(Ok(_))))
}

/// Restores a backup into the data folder `data`, which no one may have
/// open: checks the backup, puts the current database aside (never deleted)
/// in a dated folder, puts the backup and its attachment files in place, and
/// opens the result; if any of it fails, puts everything back as it was.
/// Returns what was restored and where the earlier data now is.
/// Whether a backup holds records but no journal entry: made before its
/// records were shared through the office server.
fn summary_is_before_server(backup: &Path) -> Result<bool> {
    let conn = read_only(backup)?;
    let seq = crate::journal::local_seq(&conn)?;
    let logged: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM log)", [], |r| r.get(0))?;
    Ok(seq == 0 && logged)
}

pub fn restore(data: &Path, backup: &Path) -> Result<(BackupSummary, PathBuf)> {
    let summary = check_backup(backup)?.map_err(StoreError::BackupUnusable)?;
    // On a PC sharing the office's records the restored copy catches up
    // from the journal entry it holds: one from before the move holds none.
    if crate::journal::Shared::read(data)?.is_some() && summary_is_before_server(backup)? {
        return Err(StoreError::BackupUnusable(BackupProblem::BeforeServer));
    }
    std::fs::create_dir_all(data)?;
    let lock = crate::store::lock_data(data, crate::store::Access::Exclusive)?;
    let stamp = clock::system_now().format("%Y%m%d-%H%M%S");
    let aside = data.join(format!("sebelum-pemulihan-{stamp}"));
    std::fs::create_dir_all(&aside)?;
    let live = [
        Store::DB_FILE.to_string(),
        format!("{}-wal", Store::DB_FILE),
        format!("{}-shm", Store::DB_FILE),
    ];
    let mut moved = Vec::new();
    let result = (|| -> Result<()> {
        for name in &live {
            let from = data.join(name);
            if from.exists() {
                std::fs::rename(&from, aside.join(name))?;
                moved.push(name.clone());
            }
        }
        let temp = data.join(".lajur.db.pulih");
        let placed = (|| -> Result<()> {
            std::fs::copy(backup, &temp)?;
            File::open(&temp)?.sync_all()?;
            std::fs::rename(&temp, data.join(Store::DB_FILE))?;
            Ok(())
        })();
        if placed.is_err() {
            fsutil::remove_quietly(&temp);
        }
        placed?;
        let conn = read_only(&data.join(Store::DB_FILE))?;
        let from = backup.parent().unwrap_or(Path::new(".")).join(FILES_DIR);
        copy_files(&conn, &from, &data.join(FILES_DIR))?;
        drop(conn);
        drop(lock);
        // It opens as the window will open it (an older backup migrates
        // here); its integrity was checked with the backup above.
        Store::open(data).map(drop)
    })();
    if let Err(e) = result {
        fsutil::remove_quietly(&data.join(Store::DB_FILE));
        for name in &moved {
            fsutil::log_if_failed(
                std::fs::rename(aside.join(name), data.join(name)),
                "data lama tidak dapat dikembalikan dari folder sebelum-pemulihan",
            );
        }
        return Err(e);
    }
    Ok((summary, aside))
}

impl Store {
    pub fn backup_dir(&self) -> PathBuf {
        self.dir.join("cadangan")
    }

    /// Where the daily backups go (the office's chosen folder, or the
    /// data folder's) and how many are kept.
    pub fn daily_backups(&self) -> (PathBuf, usize) {
        let office = &self.office.office;
        let dir = if office.backup_dir.trim().is_empty() {
            self.backup_dir()
        } else {
            PathBuf::from(office.backup_dir.trim())
        };
        (dir, office.backups_kept.max(1) as usize)
    }

    /// A backup now, into the data folder's backup folder, with its files and
    /// checkpoint, checked.
    pub fn backup_named(&self, label: &str) -> Result<PathBuf> {
        backup_to(&self.conn, &self.dir, &self.backup_dir(), label)
    }

    /// As [`Store::backup_named`], into a folder of the caller's choosing.
    pub fn backup_into(&self, dir: &Path, label: &str) -> Result<PathBuf> {
        backup_to(&self.conn, &self.dir, dir, label)
    }

    /// The newest good backup in a data folder's backup folder.
    pub(crate) fn latest_good_backup_in(data: &Path) -> Option<PathBuf> {
        latest_good_backup(&data.join("cadangan"))
    }

    /// The newest good backup of these records: in the office's own backup
    /// folder first, then the data folder's.
    pub(crate) fn latest_good_backup(&self) -> Option<PathBuf> {
        latest_good_backup(&self.daily_backups().0)
            .or_else(|| Self::latest_good_backup_in(&self.dir))
    }

    /// Checks a backup; see [`check_backup`].
    pub fn check_backup(path: &Path) -> Result<std::result::Result<BackupSummary, BackupProblem>> {
        check_backup(path)
    }
}
