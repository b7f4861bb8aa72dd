//! Backups: a consistent copy of the database through SQLite's online backup
//! API, the daily one on a thread of its own, checked after writing; restoring
//! one over the records, keeping a copy of them as they were.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::store::{Result, Store, StoreError};
use crate::{clock, fsutil, log};

/// Takes the day's backup on a thread of its own (its own connection, through
/// SQLite's online backup API), checks it, and keeps the newest `keep`.
pub fn backup_in_background(
    dir: PathBuf,
    backups: PathBuf,
    keep: usize,
) -> std::thread::JoinHandle<Result<Option<PathBuf>>> {
    std::thread::spawn(move || {
        let conn = Connection::open_with_flags(
            dir.join(Store::DB_FILE),
            OpenFlags::SQLITE_OPEN_READ_ONLY,
        )?;
        let made = daily_backup(&conn, &backups, keep)?;
        if let Some(path) = &made
            && let Err(why) = Store::check_backup(path)?
        {
            fsutil::log_if_failed(
                std::fs::rename(path, path.with_extension("rusak")),
                "cadangan rusak tidak dapat diberi nama .rusak",
            );
            return Err(StoreError::Io(std::io::Error::other(why)));
        }
        Ok(made)
    })
}

fn backup_to(conn: &Connection, dir: &Path, label: &str) -> Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let stamp = clock::system_now().format("%Y%m%d-%H%M%S");
    let path = dir.join(format!("lajur-{stamp}-{label}.db"));
    conn.backup(
        rusqlite::MAIN_DB,
        &path,
        None::<fn(rusqlite::backup::Progress)>,
    )?;
    // A backup is one self-contained file: no WAL beside it.
    Connection::open(&path)?.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(path)
}

fn daily_backup(conn: &Connection, dir: &Path, keep: usize) -> Result<Option<PathBuf>> {
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
        Some(backup_to(conn, dir, "harian")?)
    };
    let mut all = dailies(dir);
    while all.len() > keep.max(1) {
        fsutil::remove_quietly(&all.remove(0));
    }
    Ok(made)
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

    /// A consistent copy through SQLite's online backup API.
    pub fn backup_named(&self, label: &str) -> Result<PathBuf> {
        backup_to(&self.conn, &self.backup_dir(), label)
    }

    /// Checks a backup: SQLite's integrity check and the log's chain.
    pub fn check_backup(path: &Path) -> Result<std::result::Result<i64, String>> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if integrity != "ok" {
            return Ok(Err(integrity));
        }
        Ok(log::verify(&conn)?.map_err(|b| format!("{b:?}")))
    }

    /// Replaces the records with a backup (checked first), keeping a copy of
    /// the records as they were.
    pub fn restore_from(&mut self, backup: &Path) -> Result<()> {
        if let Err(why) = Self::check_backup(backup)? {
            return Err(StoreError::Io(std::io::Error::other(why)));
        }
        self.backup_named("sebelum-pemulihan")?;
        self.conn.restore(
            rusqlite::MAIN_DB,
            backup,
            None::<fn(rusqlite::backup::Progress)>,
        )?;
        self.sops.clear();
        self.load_office()?;
        Ok(())
    }
}
