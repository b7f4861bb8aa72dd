//! Lajur's records: SQLite (bundled) and files in the data folder. The only
//! crate that speaks SQL or touches the data folder; it offers operations in the
//! office's terms, each one IMMEDIATE transaction, each logged in the same
//! transaction. What it reads and writes are the plain values of
//! [`lajur_core::records`]; the office's rules it applies are
//! [`lajur_core::policy`]'s.

pub mod clock;
pub mod files;
pub mod fsutil;
pub mod library;
pub mod location;
pub mod log;
pub mod logo;
mod office;
mod queries;
pub mod reports;
pub mod schema;
mod seal;
mod sop_library;
mod users;

pub use clock::Clock;
pub use lajur_core::records::{
    Attachment, CurrentStep, Kegiatan, KegiatanFilter, KegiatanId, KegiatanRow, LibraryEntry,
    LogRow, LogoChange, Mismatch, NewUser, OfficeProfile, Refusal, RegisterAction,
    RegisterKegiatan, Seal, SopRevision, SopStatus, Status, StepEvent, Task, User, UserEdit,
    UserId, Verification,
};
pub use seal::short_code;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordVerifier};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use sha2::{Digest, Sha256};

use files::{BlobError, Blobs};
use lajur_core::failure::{Failure, FileProblem};
use lajur_core::policy;
use lajur_core::sop::{LaneId, Sop, SopDocument, StepId};
use lajur_core::workflow::{self, Action, Calendar, Current, Outcome, Progress};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the database belongs to a newer version of Lajur (schema {found}, this build knows {known})"
    )]
    NewerVersion { found: i32, known: i32 },
    #[error("the file is not a Lajur database")]
    NotLajur,
    #[error("the data folder is on a network share")]
    NetworkShare,
    #[error("another copy of Lajur is using this data folder")]
    AlreadyRunning,
    #[error("wrong user name or password")]
    BadLogin,
    #[error("not allowed: {0:?}")]
    NotAllowed(Refusal),
    #[error("no such kegiatan")]
    NoSuchKegiatan,
    #[error("no such user: {0}")]
    NoSuchUser(String),
    #[error("the user name is taken")]
    UserExists,
    #[error("the kegiatan is not running")]
    NotRunning,
    #[error("the SOP has errors")]
    SopInvalid,
    #[error("workflow: {0}")]
    Engine(#[from] workflow::EngineError),
    #[error("the attachment is too large ({bytes} bytes)")]
    AttachmentTooLarge { bytes: u64 },
    #[error("the attachment file is damaged or changed")]
    AttachmentDamaged,
    #[error("the attachment file is missing")]
    AttachmentMissing,
    #[error("file: {0}")]
    Io(#[from] std::io::Error),
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("password hashing failed")]
    Password,
    #[error("no such SOP in the library")]
    NoSuchSop,
    #[error("the logo cannot be used: {0}")]
    LogoUnreadable(lajur_core::office::LogoError),
}

impl From<BlobError> for StoreError {
    fn from(e: BlobError) -> Self {
        match e {
            BlobError::TooLarge { bytes } => StoreError::AttachmentTooLarge { bytes },
            BlobError::Io(e) => StoreError::Io(e),
        }
    }
}

impl StoreError {
    /// What went wrong, in the words of the catalogue (see
    /// [`lajur_core::locale::failure_message`]).
    pub fn failure(&self) -> Failure {
        match self {
            StoreError::NewerVersion { found, known } => Failure::NewerVersion {
                found: *found,
                known: *known,
            },
            StoreError::NotLajur => Failure::NotLajur,
            StoreError::NetworkShare => Failure::NetworkShare,
            StoreError::AlreadyRunning => Failure::AlreadyRunning,
            StoreError::BadLogin => Failure::BadLogin,
            StoreError::NotAllowed(r) => Failure::NotAllowed(*r),
            StoreError::NoSuchKegiatan => Failure::NoSuchKegiatan,
            StoreError::NoSuchUser(u) => Failure::NoSuchUser(u.clone()),
            StoreError::UserExists => Failure::UserExists,
            StoreError::NotRunning => Failure::NotRunning,
            StoreError::SopInvalid => Failure::SopInvalid,
            StoreError::Engine(e) => Failure::Engine(e.clone()),
            StoreError::AttachmentTooLarge { bytes } => {
                Failure::AttachmentTooLarge { bytes: *bytes }
            }
            StoreError::AttachmentDamaged => Failure::AttachmentDamaged,
            StoreError::AttachmentMissing => Failure::AttachmentMissing,
            StoreError::Io(e) => Failure::File(FileProblem::of(e)),
            StoreError::Db(e) => Failure::Database(e.to_string()),
            StoreError::Password => Failure::Password,
            StoreError::NoSuchSop => Failure::NoSuchSop,
            StoreError::LogoUnreadable(e) => Failure::Logo(e.clone()),
        }
    }

    /// The message a clerk reads.
    pub fn message(&self, lang: lajur_core::locale::Lang) -> String {
        lajur_core::locale::failure_message(&self.failure(), lang)
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

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
            let _ = std::fs::rename(path, path.with_extension("rusak"));
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
        let _ = std::fs::remove_file(all.remove(0));
    }
    Ok(made)
}

/// How a process holds the data folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The window: alone.
    Exclusive,
    /// Command-line and scripted use: alongside other command-line processes.
    Shared,
}

pub struct Store {
    conn: Connection,
    dir: PathBuf,
    blobs: Blobs,
    calendar: Calendar,
    sops: HashMap<i64, Arc<Sop>>,
    office: OfficeProfile,
    /// Counts changes of the office's settings, so views laid out with them
    /// know when to lay out again.
    office_generation: u64,
    /// Where every instant written comes from (tests set it).
    clock: Clock,
    /// Held for as long as the store is open: a second copy cannot take it.
    _lock: File,
}

fn now_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn parse_time(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default()
}

/// Reads the SQLite header of an existing file without opening it with SQLite,
/// so that refusing it writes nothing: (application id, user version).
fn peek_header(path: &Path) -> Result<Option<(i32, i32)>> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if file.metadata()?.len() == 0 {
        return Ok(None);
    }
    let mut header = [0u8; 100];
    if file.read_exact(&mut header).is_err() || &header[..16] != b"SQLite format 3\0" {
        return Err(StoreError::NotLajur);
    }
    let be = |at: usize| {
        i32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    Ok(Some((be(68), be(60))))
}

impl Store {
    pub const DB_FILE: &'static str = "lajur.db";

    /// Opens the records for the window: one window per data folder, and no
    /// command-line writer while it is open. See [`Store::open_with`].
    pub fn open(dir: &Path) -> Result<Store> {
        Self::open_with(dir, Access::Exclusive)
    }

    /// Opens (creating if needed) the records in `dir`. Refuses, writing nothing
    /// to the database: a newer schema, a file that is not Lajur's, a network
    /// share, a second window on the same data (`Exclusive`); command-line
    /// processes (`Shared`) may write side by side, SQLite serialising them.
    pub fn open_with(dir: &Path, access: Access) -> Result<Store> {
        if location::is_network_path(dir) {
            return Err(StoreError::NetworkShare);
        }
        std::fs::create_dir_all(dir)?;
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join("lajur.lock"))?;
        // A lock can be held for a moment by a child process this one is
        // starting (between fork and exec, e.g. opening a PDF): a few short
        // tries before saying another copy has the data open.
        let mut tries = 0;
        loop {
            let locked = match access {
                Access::Exclusive => lock.try_lock(),
                Access::Shared => lock.try_lock_shared(),
            };
            match locked {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) if tries < 10 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(30));
                }
                Err(std::fs::TryLockError::WouldBlock) => return Err(StoreError::AlreadyRunning),
                Err(std::fs::TryLockError::Error(e)) => return Err(e.into()),
            }
        }
        let db_path = dir.join(Self::DB_FILE);
        let existing = peek_header(&db_path)?;
        if let Some((app_id, version)) = existing {
            if app_id != schema::APPLICATION_ID && !(app_id == 0 && version == 0) {
                return Err(StoreError::NotLajur);
            }
            if version > schema::CURRENT_VERSION {
                return Err(StoreError::NewerVersion {
                    found: version,
                    known: schema::CURRENT_VERSION,
                });
            }
        }
        let conn = Connection::open_with_flags(
            &db_path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store {
            conn,
            dir: dir.to_path_buf(),
            blobs: Blobs::new(dir.join("lampiran")),
            calendar: Calendar::default(),
            office: OfficeProfile::default(),
            office_generation: 0,
            sops: HashMap::new(),
            clock: Clock::default(),
            _lock: lock,
        };
        store.migrate()?;
        store.load_office()?;
        if access == Access::Exclusive {
            // Alone on this data: temporary files of writes a crash cut short
            // belong to nobody and can go.
            store.blobs.remove_leftovers();
        }
        Ok(store)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The time now, by the records' clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The records' clock (tests set it to make a step late).
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    pub fn set_calendar(&mut self, calendar: Calendar) {
        self.calendar = calendar;
    }

    #[doc(hidden)]
    pub fn faults(&self) -> &files::Faults {
        &self.blobs.faults
    }

    #[doc(hidden)]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn schema_version(&self) -> Result<i32> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn migrate(&mut self) -> Result<()> {
        let version = self.schema_version()?;
        if version >= schema::CURRENT_VERSION {
            return Ok(());
        }
        if version > 0 {
            self.backup_named(&format!("sebelum-migrasi-v{}", schema::CURRENT_VERSION))?;
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (v, sql) in schema::MIGRATIONS
            .iter()
            .enumerate()
            .skip(version.max(0) as usize)
        {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", v as i32 + 1)?;
        }
        tx.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
        tx.commit()?;
        Ok(())
    }

    // ───────────── backups ─────────────

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

    // ───────────── users ─────────────

    pub fn user_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?)
    }

    /// Adds a user. The very first user is the office's administrator; after
    /// that only an administrator may add users.
    pub fn create_user(&mut self, by: Option<&User>, new: NewUser) -> Result<User> {
        let first = self.user_count()? == 0;
        if !first && !by.is_some_and(|u| u.is_admin) {
            return Err(StoreError::NotAllowed(Refusal::AdminOnly));
        }
        users::check_new_user(&new)?;
        let is_admin = new.is_admin || first;
        let hash = users::hash_password(&new.password)?;
        let now = now_text(self.clock.now());
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM users WHERE username = ?1)",
            [&new.username],
            |r| r.get(0),
        )?;
        if exists {
            return Err(StoreError::UserExists);
        }
        tx.execute(
            "INSERT INTO users (username, name, jabatan, nip, password_hash, is_admin, is_signer, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![new.username, new.name, new.jabatan, new.nip, hash, is_admin, new.is_signer, now],
        )?;
        let id = tx.last_insert_rowid();
        for lane in &new.lanes {
            tx.execute(
                "INSERT OR IGNORE INTO user_lanes (user_id, lane) VALUES (?1, ?2)",
                params![id, lane.trim()],
            )?;
        }
        log::append(
            &tx,
            log::Entry {
                seq: 0,
                at: now,
                actor: by.map(|u| u.id).or(Some(id)),
                on_behalf_of: None,
                kegiatan_id: None,
                step_id: None,
                action: "tambah_pengguna".into(),
                detail: format!(
                    "{} ({}); pelaksana: {}; admin: {is_admin}; penandatangan: {}",
                    new.username,
                    new.name,
                    new.lanes.join(","),
                    new.is_signer
                ),
                note: String::new(),
                attachments: String::new(),
            },
        )?;
        tx.commit()?;
        self.user(id)
    }

    pub fn user(&self, id: UserId) -> Result<User> {
        let mut user = self
            .conn
            .query_row(
                "SELECT id, username, name, jabatan, nip, is_admin, is_signer, active FROM users WHERE id = ?1",
                [id],
                |r| {
                    Ok(User {
                        id: r.get(0)?,
                        username: r.get(1)?,
                        name: r.get(2)?,
                        jabatan: r.get(3)?,
                        nip: r.get(4)?,
                        lanes: Vec::new(),
                        is_admin: r.get(5)?,
                        is_signer: r.get(6)?,
                        active: r.get(7)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::NoSuchUser(id.to_string()))?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT lane FROM user_lanes WHERE user_id = ?1 ORDER BY lane")?;
        user.lanes = stmt
            .query_map([id], |r| Ok(LaneId(r.get(0)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(user)
    }

    pub fn user_by_name(&self, username: &str) -> Result<User> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM users WHERE username = ?1",
                [username],
                |r| r.get(0),
            )
            .optional()?;
        self.user(id.ok_or_else(|| StoreError::NoSuchUser(username.to_string()))?)
    }

    /// Checks a password; an unknown name and a wrong password look the same.
    pub fn authenticate(&self, username: &str, password: &str) -> Result<User> {
        let row: Option<(i64, String, bool)> = self
            .conn
            .query_row(
                "SELECT id, password_hash, active FROM users WHERE username = ?1",
                [username],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((id, hash, active)) = row else {
            return Err(StoreError::BadLogin);
        };
        let parsed = PasswordHash::new(&hash).map_err(|_| StoreError::BadLogin)?;
        if !active
            || argon2::Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_err()
        {
            return Err(StoreError::BadLogin);
        }
        self.user(id)
    }

    // ───────────── kegiatan ─────────────

    /// The SOP of one stored version (as kegiatan were started with it).
    pub fn sop_of_version(&mut self, version: i64) -> Result<Arc<Sop>> {
        if let Some(sop) = self.sops.get(&version) {
            return Ok(sop.clone());
        }
        let toml: String = self.conn.query_row(
            "SELECT toml FROM sop_versions WHERE id = ?1",
            [version],
            |r| r.get(0),
        )?;
        let sop = Arc::new(SopDocument::parse(&toml).sop);
        self.sops.insert(version, sop.clone());
        Ok(sop)
    }

    /// The SOP a kegiatan runs on: exactly the text it was started with.
    pub fn sop_of(&mut self, kegiatan: KegiatanId) -> Result<Arc<Sop>> {
        let version: i64 = self
            .conn
            .query_row(
                "SELECT sop_version_id FROM kegiatan WHERE id = ?1",
                [kegiatan],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NoSuchKegiatan)?;
        self.sop_of_version(version)
    }

    /// Starts a kegiatan from an SOP file's text, pinned to that exact text.
    pub fn start_kegiatan(
        &mut self,
        actor: &User,
        sop_text: &str,
        title: &str,
        description: &str,
    ) -> Result<KegiatanId> {
        if title.trim().is_empty() {
            return Err(StoreError::NotAllowed(Refusal::TitleMissing));
        }
        let doc = SopDocument::parse(sop_text);
        let sop = doc.valid_sop().ok_or(StoreError::SopInvalid)?.clone();
        let now = self.clock.now();
        let progress = workflow::engine::start(&sop, None, now)?;
        let current = progress.current.clone().ok_or(StoreError::SopInvalid)?;
        let start_step = sop.step(&current.step).ok_or(StoreError::SopInvalid)?;
        if !policy::may_start_at(actor, start_step) {
            return Err(StoreError::NotAllowed(Refusal::FirstStepOtherLane));
        }
        let hash = log::hex(&Sha256::digest(sop_text.as_bytes()));
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT OR IGNORE INTO sop_versions (content_hash, toml, name, number, stored_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![hash, sop_text, sop.identity.name, sop.identity.number, now_text(now)],
        )?;
        let version: i64 = tx.query_row(
            "SELECT id FROM sop_versions WHERE content_hash = ?1",
            [&hash],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO kegiatan (title, description, sop_version_id, status, started_by, started_at) VALUES (?1, ?2, ?3, 'berjalan', ?4, ?5)",
            params![title, description, version, actor.id, now_text(now)],
        )?;
        let id = tx.last_insert_rowid();
        write_current(&tx, &sop, id, &current, &self.calendar)?;
        tx.execute(
            "INSERT INTO visits (kegiatan_id, step_id, count) VALUES (?1, ?2, 1)",
            params![id, current.step.0],
        )?;
        log::append(
            &tx,
            log::Entry {
                seq: 0,
                at: now_text(now),
                actor: Some(actor.id),
                on_behalf_of: None,
                kegiatan_id: Some(id),
                step_id: Some(current.step.0.clone()),
                action: "mulai".into(),
                detail: format!(
                    "{title}; SOP {} ({}), sha256 {hash}",
                    sop.identity.name, sop.identity.number
                ),
                note: description.into(),
                attachments: String::new(),
            },
        )?;
        tx.commit()?;
        self.sops.insert(version, Arc::new(sop));
        Ok(id)
    }

    pub fn kegiatan(&self, id: KegiatanId) -> Result<Kegiatan> {
        let mut k = self
            .conn
            .query_row(
                "SELECT k.id, k.title, k.description, k.sop_version_id, v.content_hash, k.status, k.started_at
                 FROM kegiatan k JOIN sop_versions v ON v.id = k.sop_version_id WHERE k.id = ?1",
                [id],
                |r| {
                    Ok(Kegiatan {
                        id: r.get(0)?,
                        title: r.get(1)?,
                        description: r.get(2)?,
                        sop_version: r.get(3)?,
                        sop_hash: r.get(4)?,
                        status: Status::from_code(&r.get::<_, String>(5)?),
                        started_at: parse_time(&r.get::<_, String>(6)?),
                        current: None,
                    })
                },
            )
            .optional()?
            .ok_or(StoreError::NoSuchKegiatan)?;
        k.current = self
            .conn
            .query_row(
                "SELECT step_id, entered_at, due_at, visit FROM current_steps WHERE kegiatan_id = ?1",
                [id],
                |r| {
                    let due: Option<String> = r.get(2)?;
                    Ok(CurrentStep {
                        step: StepId(r.get(0)?),
                        entered_at: parse_time(&r.get::<_, String>(1)?),
                        due_at: due.map(|d| parse_time(&d)),
                        visit: r.get(3)?,
                    })
                },
            )
            .optional()?;
        Ok(k)
    }

    fn progress(&self, id: KegiatanId) -> Result<Progress> {
        progress_in(&self.conn, id)
    }

    /// What `user` may do on a kegiatan now (the engine decides).
    pub fn allowed(&mut self, user: &User, id: KegiatanId) -> Result<Vec<workflow::Allowed>> {
        let k = self.kegiatan(id)?;
        if k.status != Status::Running {
            return Ok(Vec::new());
        }
        let sop = self.sop_of(id)?;
        let progress = self.progress(id)?;
        Ok(workflow::engine::allowed(&sop, &progress, &user.lanes))
    }

    /// Acts on the current step. An administrator may act for another user
    /// (`on_behalf_of`), which the log records.
    pub fn act(
        &mut self,
        actor: &User,
        on_behalf_of: Option<&User>,
        id: KegiatanId,
        action: Action,
        note: &str,
    ) -> Result<Outcome> {
        let acting_for = match on_behalf_of {
            Some(other) if actor.is_admin => other,
            Some(_) => {
                return Err(StoreError::NotAllowed(Refusal::ActForOthers));
            }
            None => actor,
        };
        let sop = self.sop_of(id)?;
        let now = self.clock.now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let status: String =
            tx.query_row("SELECT status FROM kegiatan WHERE id = ?1", [id], |r| {
                r.get(0)
            })?;
        if status != Status::Running.code() {
            return Err(StoreError::NotRunning);
        }
        // Read the progress inside the transaction, so two writers never act on
        // the same state.
        let progress = progress_in(&tx, id)?;
        let outcome = workflow::engine::apply(&sop, &progress, &action, &acting_for.lanes, now)?;
        let step_id = progress.current.as_ref().map(|c| c.step.0.clone());
        match &outcome.progress.current {
            Some(current) if outcome.entered.is_some() => {
                write_current(&tx, &sop, id, current, &self.calendar)?;
                tx.execute(
                    "INSERT INTO visits (kegiatan_id, step_id, count) VALUES (?1, ?2, ?3)
                     ON CONFLICT(kegiatan_id, step_id) DO UPDATE SET count = excluded.count",
                    params![id, current.step.0, current.visit],
                )?;
            }
            Some(_) => {
                tx.execute(
                    "UPDATE current_lanes SET done = 1 WHERE kegiatan_id = ?1 AND lane = ?2",
                    params![id, outcome.lane.0],
                )?;
            }
            None => {
                tx.execute("DELETE FROM current_lanes WHERE kegiatan_id = ?1", [id])?;
                tx.execute("DELETE FROM current_steps WHERE kegiatan_id = ?1", [id])?;
                tx.execute(
                    "UPDATE kegiatan SET status = 'menunggu_pengesahan', finished_at = ?2 WHERE id = ?1",
                    params![id, now_text(now)],
                )?;
            }
        }
        let mut detail = format!("pelaksana {}", outcome.lane);
        if let Some(answer) = &outcome.answer {
            detail.push_str(&format!("; jawaban {answer}"));
        }
        if let Some((entered, visit)) = &outcome.entered {
            detail.push_str(&format!("; lanjut ke {entered} (kali ke-{visit})"));
        }
        if outcome.finished {
            detail.push_str("; selesai, menunggu pengesahan");
        }
        let seq = log::append(
            &tx,
            log::Entry {
                seq: 0,
                at: now_text(now),
                actor: Some(actor.id),
                on_behalf_of: on_behalf_of.map(|u| u.id),
                kegiatan_id: Some(id),
                step_id: step_id.clone(),
                action: match action {
                    Action::Complete => "selesai_langkah".into(),
                    Action::Answer(_) => "keputusan".into(),
                },
                detail,
                note: note.into(),
                attachments: String::new(),
            },
        )?;
        if let Some(current) = &progress.current {
            tx.execute(
                "INSERT INTO step_events (kegiatan_id, log_seq, step_id, visit, lane, actor, recorded_by, entered_at, done_at, answer, next_step)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    id,
                    seq,
                    current.step.0,
                    current.visit,
                    outcome.lane.0,
                    acting_for.id,
                    on_behalf_of.map(|_| actor.id),
                    now_text(current.entered_at),
                    now_text(now),
                    outcome.answer,
                    outcome.entered.as_ref().map(|(s, _)| s.0.clone()),
                ],
            )?;
        }
        tx.commit()?;
        Ok(outcome)
    }

    /// Whether `user` may cancel this kegiatan now: an administrator, while it runs.
    pub fn may_cancel(&self, user: &User, id: KegiatanId) -> Result<bool> {
        Ok(policy::may_cancel(user, self.kegiatan(id)?.status))
    }

    /// Cancels a running kegiatan, with the reason (required) in the log.
    pub fn cancel(&mut self, actor: &User, id: KegiatanId, reason: &str) -> Result<()> {
        if !policy::may_cancel_any(actor) {
            return Err(StoreError::NotAllowed(Refusal::CancelAdminOnly));
        }
        if reason.trim().is_empty() {
            return Err(StoreError::NotAllowed(Refusal::NoteRequired));
        }
        let now = now_text(self.clock.now());
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE kegiatan SET status = 'dibatalkan', finished_at = ?2, cancel_reason = ?3 WHERE id = ?1 AND status = 'berjalan'",
            params![id, now, reason],
        )?;
        if changed == 0 {
            return Err(StoreError::NotRunning);
        }
        tx.execute("DELETE FROM current_lanes WHERE kegiatan_id = ?1", [id])?;
        tx.execute("DELETE FROM current_steps WHERE kegiatan_id = ?1", [id])?;
        log::append(
            &tx,
            log::Entry {
                seq: 0,
                at: now,
                actor: Some(actor.id),
                on_behalf_of: None,
                kegiatan_id: Some(id),
                step_id: None,
                action: "batal".into(),
                detail: String::new(),
                note: reason.into(),
                attachments: String::new(),
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The steps waiting for a user, most urgent first (by due time; steps
    /// without one after, oldest first), at most `limit` of them.
    pub fn tasks(&self, user: &User, limit: usize) -> Result<Vec<Task>> {
        if user.lanes.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let placeholders = vec!["?"; user.lanes.len()].join(",");
        // Walks the urgency index and stops after `limit` matches. Only running
        // kegiatan have a current step (finishing or cancelling removes it), so
        // no status filter is needed; CROSS JOIN keeps SQLite on that index.
        let sql = format!(
            "SELECT k.id, k.title, c.step_id,
                    (SELECT l.lane FROM current_lanes l WHERE l.kegiatan_id = c.kegiatan_id AND l.done = 0 AND l.lane IN ({placeholders}) LIMIT 1),
                    c.entered_at, c.due_at
             FROM current_steps c CROSS JOIN kegiatan k ON k.id = c.kegiatan_id
             WHERE EXISTS (
                 SELECT 1 FROM current_lanes l WHERE l.kegiatan_id = c.kegiatan_id AND l.done = 0 AND l.lane IN ({placeholders}))
             ORDER BY c.urgency
             LIMIT {limit}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let lanes: Vec<&str> = user.lanes.iter().map(|l| l.0.as_str()).collect();
        let args: Vec<&str> = lanes.iter().chain(lanes.iter()).copied().collect();
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            let due: Option<String> = r.get(5)?;
            Ok(Task {
                kegiatan: r.get(0)?,
                title: r.get(1)?,
                step: StepId(r.get(2)?),
                lane: LaneId(r.get(3)?),
                entered_at: parse_time(&r.get::<_, String>(4)?),
                due_at: due.map(|d| parse_time(&d)),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ───────────── attachments ─────────────

    /// Whether `user` may add drafts to a step of a kegiatan: its lanes, or an
    /// administrator; only while the kegiatan runs.
    pub fn may_attach(&mut self, user: &User, id: KegiatanId, step: &StepId) -> Result<bool> {
        if self.kegiatan(id)?.status != Status::Running || !user.active {
            return Ok(false);
        }
        let sop = self.sop_of(id)?;
        let in_lane = sop
            .step(step)
            .is_some_and(|s| s.lanes.iter().any(|l| user.lanes.contains(l)));
        Ok(user.is_admin || in_lane)
    }

    /// Adds a draft file to a step of a kegiatan. The same draft name again
    /// makes a new version; the old one stays.
    pub fn attach(
        &mut self,
        actor: &User,
        id: KegiatanId,
        step: &StepId,
        source: &Path,
        draft: Option<&str>,
    ) -> Result<Attachment> {
        let file_name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "lampiran".into());
        let draft = draft
            .map(str::to_string)
            .unwrap_or_else(|| file_name.clone());
        if !self.may_attach(actor, id, step)? {
            return Err(StoreError::NotAllowed(Refusal::OtherLane));
        }
        // The file is in place (written, flushed, renamed) before its row commits:
        // a crash leaves at worst an unreferenced file, never a dangling row.
        let (sha, size) = self.blobs.store(source)?;
        let added_at = self.clock.now();
        let now = now_text(added_at);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM attachments WHERE kegiatan_id = ?1 AND draft = ?2",
            params![id, draft],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO attachments (kegiatan_id, step_id, draft, version, file_name, sha256, size, added_by, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![id, step.0, draft, version, file_name, sha, size as i64, actor.id, now],
        )?;
        let attachment_id = tx.last_insert_rowid();
        log::append(
            &tx,
            log::Entry {
                seq: 0,
                at: now,
                actor: Some(actor.id),
                on_behalf_of: None,
                kegiatan_id: Some(id),
                step_id: Some(step.0.clone()),
                action: "lampiran".into(),
                detail: format!("{draft} versi {version}: {file_name} ({size} byte)"),
                note: String::new(),
                attachments: sha.clone(),
            },
        )?;
        tx.commit()?;
        Ok(Attachment {
            id: attachment_id,
            kegiatan: id,
            step: step.clone(),
            draft,
            version,
            file_name,
            sha256: sha,
            size,
            added_by: actor.name.clone(),
            added_at,
        })
    }

    pub fn attachments(&self, id: KegiatanId) -> Result<Vec<Attachment>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, a.kegiatan_id, a.step_id, a.draft, a.version, a.file_name, a.sha256, a.size, u.name, a.added_at
             FROM attachments a JOIN users u ON u.id = a.added_by WHERE a.kegiatan_id = ?1 ORDER BY a.id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(Attachment {
                id: r.get(0)?,
                kegiatan: r.get(1)?,
                step: StepId(r.get(2)?),
                draft: r.get(3)?,
                version: r.get(4)?,
                file_name: r.get(5)?,
                sha256: r.get(6)?,
                size: r.get::<_, i64>(7)? as u64,
                added_by: r.get(8)?,
                added_at: parse_time(&r.get::<_, String>(9)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The stored file of an attachment, checked against its hash first.
    pub fn open_attachment(&self, a: &Attachment) -> Result<PathBuf> {
        match self.blobs.check(&a.sha256) {
            Ok(true) => Ok(self.blobs.path_of(&a.sha256)),
            Ok(false) => Err(StoreError::AttachmentDamaged),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(StoreError::AttachmentMissing)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Copies an attachment out under its own name, made safe for Windows.
    pub fn export_attachment(&self, a: &Attachment, dest_dir: &Path) -> Result<PathBuf> {
        let source = self.open_attachment(a)?;
        let (stem, ext) = match a.file_name.rsplit_once('.') {
            Some((s, e)) if !s.is_empty() => (s, e),
            _ => (a.file_name.as_str(), "bin"),
        };
        let ext: String = ext
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(10)
            .collect();
        let ext = if ext.is_empty() {
            "bin".to_string()
        } else {
            ext
        };
        let target = dest_dir.join(fsutil::safe_file_name(stem, &ext));
        // Streamed copy beside the target, flushed, then renamed into place.
        let temp = dest_dir.join(format!(".{}.salin", std::process::id()));
        let copied = (|| {
            std::fs::copy(&source, &temp)?;
            File::open(&temp)?.sync_all()?;
            std::fs::rename(&temp, &target)
        })();
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&temp);
            return Err(e.into());
        }
        Ok(target)
    }

    // ───────────── the log ─────────────

    /// Checks the whole activity log: Ok(rows) or the first broken row.
    pub fn verify_log(&self) -> Result<std::result::Result<i64, lajur_core::records::ChainBreak>> {
        Ok(log::verify(&self.conn)?)
    }

    /// The log rows of one kegiatan, oldest first, with the names of who acted.
    pub fn history(&self, id: KegiatanId) -> Result<Vec<LogRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.seq, l.at, l.actor, u.name, b.name, l.step_id, l.action, l.detail, l.note
             FROM log l LEFT JOIN users u ON u.id = l.actor LEFT JOIN users b ON b.id = l.on_behalf_of
             WHERE l.kegiatan_id = ?1 ORDER BY l.seq",
        )?;
        let rows = stmt.query_map([id], queries::log_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn progress_in(conn: &Connection, id: KegiatanId) -> Result<Progress> {
    let current: Option<(String, String, u32)> = conn
        .query_row(
            "SELECT step_id, entered_at, visit FROM current_steps WHERE kegiatan_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let mut visits = BTreeMap::new();
    let mut stmt =
        conn.prepare_cached("SELECT step_id, count FROM visits WHERE kegiatan_id = ?1")?;
    for row in stmt.query_map([id], |r| Ok((StepId(r.get(0)?), r.get::<_, u32>(1)?)))? {
        let (s, c) = row?;
        visits.insert(s, c);
    }
    let mut lanes_done = BTreeSet::new();
    let mut stmt =
        conn.prepare_cached("SELECT lane FROM current_lanes WHERE kegiatan_id = ?1 AND done = 1")?;
    for lane in stmt.query_map([id], |r| Ok(LaneId(r.get(0)?)))? {
        lanes_done.insert(lane?);
    }
    Ok(Progress {
        current: current.map(|(step, at, visit)| Current {
            step: StepId(step),
            lanes_done,
            entered_at: parse_time(&at),
            visit,
        }),
        visits,
    })
}

/// Records the step a kegiatan now waits at, its due time and its lanes.
fn write_current(
    conn: &Connection,
    sop: &Sop,
    id: KegiatanId,
    current: &Current,
    calendar: &Calendar,
) -> Result<()> {
    let due = sop
        .step(&current.step)
        .and_then(|s| s.standard_time().limit())
        .map(|limit| now_text(calendar.due(current.entered_at, limit)));
    let entered = now_text(current.entered_at);
    let urgency = due.clone().unwrap_or_else(|| format!("~{entered}"));
    conn.execute(
        "INSERT INTO current_steps (kegiatan_id, step_id, entered_at, due_at, urgency, visit) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(kegiatan_id) DO UPDATE SET step_id = excluded.step_id, entered_at = excluded.entered_at,
             due_at = excluded.due_at, urgency = excluded.urgency, visit = excluded.visit",
        params![id, current.step.0, entered, due, urgency, current.visit],
    )?;
    conn.execute("DELETE FROM current_lanes WHERE kegiatan_id = ?1", [id])?;
    if let Some(step) = sop.step(&current.step) {
        for lane in &step.lanes {
            conn.execute(
                "INSERT OR IGNORE INTO current_lanes (kegiatan_id, lane, done) VALUES (?1, ?2, 0)",
                params![id, lane.0],
            )?;
        }
    }
    Ok(())
}
