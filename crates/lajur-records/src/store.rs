//! The records' handle: the database and the data folder opened once, for
//! the window alone or beside other command-line processes; its errors, in
//! terms of what went wrong for the clerk.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::clock::Clock;
use crate::files::{self, BlobError, Blobs};
use crate::{digest, location, log, schema};
use lajur_core::failure::{Failure, FileProblem, ServerProblem};
use lajur_core::records::{OfficeProfile, Refusal};
use lajur_core::sop::Sop;
use lajur_core::workflow::{self, Calendar};

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
    #[error("too many wrong passwords; wait {seconds} s")]
    TooManyAttempts { seconds: u64 },
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
    AttachmentTooLarge { bytes: u64, most: u64 },
    #[error("the file changed while it was being attached")]
    AttachmentChanging,
    #[error("no such step in the kegiatan's SOP")]
    NoSuchStep,
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
    #[error("the backup cannot be used: {0:?}")]
    BackupUnusable(lajur_core::failure::BackupProblem),
    #[error("the database file is damaged")]
    Damaged { latest_good_backup: Option<PathBuf> },
    #[error("no such SOP in the library")]
    NoSuchSop,
    #[error("the logo cannot be used: {0}")]
    LogoUnreadable(lajur_core::office::LogoError),
    #[error("the office server: {0:?}")]
    Server(lajur_core::failure::ServerProblem),
    #[error("the step was done meanwhile")]
    StepTaken {
        by: Option<String>,
        at: Option<DateTime<Utc>>,
        offset_minutes: i32,
    },
}

impl From<crate::journal::JournalError> for StoreError {
    fn from(e: crate::journal::JournalError) -> Self {
        use crate::journal::JournalError as J;
        match e {
            J::Server(p) => StoreError::Server(p),
            J::NewerVersion { found, known } => StoreError::NewerVersion { found, known },
            J::FileMissing => StoreError::AttachmentMissing,
            J::FileDamaged => StoreError::AttachmentDamaged,
            J::Db(e) => StoreError::Db(e),
            J::Io(e) => StoreError::Io(e),
            J::Blob(e) => e.into(),
        }
    }
}

impl From<BlobError> for StoreError {
    fn from(e: BlobError) -> Self {
        match e {
            BlobError::TooLarge { bytes, most } => StoreError::AttachmentTooLarge { bytes, most },
            BlobError::Changed => StoreError::AttachmentChanging,
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
            StoreError::TooManyAttempts { seconds } => {
                Failure::TooManyAttempts { seconds: *seconds }
            }
            StoreError::NotAllowed(r) => Failure::NotAllowed(*r),
            StoreError::NoSuchKegiatan => Failure::NoSuchKegiatan,
            StoreError::NoSuchUser(u) => Failure::NoSuchUser(u.clone()),
            StoreError::UserExists => Failure::UserExists,
            StoreError::NotRunning => Failure::NotRunning,
            StoreError::SopInvalid => Failure::SopInvalid,
            StoreError::Engine(e) => Failure::Engine(e.clone()),
            StoreError::AttachmentTooLarge { bytes, most } => Failure::AttachmentTooLarge {
                bytes: *bytes,
                most: *most,
            },
            StoreError::AttachmentDamaged => Failure::AttachmentDamaged,
            StoreError::AttachmentChanging => Failure::AttachmentChanging,
            StoreError::NoSuchStep => Failure::NoSuchStep,
            StoreError::AttachmentMissing => Failure::AttachmentMissing,
            StoreError::Io(e) => Failure::File(FileProblem::of(e)),
            StoreError::Damaged { latest_good_backup } => Failure::Damaged {
                latest_good_backup: latest_good_backup.as_ref().map(|p| p.display().to_string()),
            },
            StoreError::BackupUnusable(p) => Failure::BackupUnusable(p.clone()),
            StoreError::Db(e) => database_failure(e),
            StoreError::Password => Failure::Password,
            StoreError::NoSuchSop => Failure::NoSuchSop,
            StoreError::LogoUnreadable(e) => Failure::Logo(e.clone()),
            StoreError::Server(p) => Failure::Server(p.clone()),
            StoreError::StepTaken {
                by,
                at,
                offset_minutes,
            } => Failure::StepTaken {
                by: by.clone(),
                at: *at,
                offset_minutes: *offset_minutes,
            },
        }
    }

    /// The message a clerk reads.
    pub fn message(&self, lang: lajur_core::locale::Lang) -> String {
        lajur_core::locale::failure_message(&self.failure(), lang)
    }
}

/// SQLite's refusals by what the clerk can do about them; its own (English)
/// words only for what has no better name.
fn database_failure(e: &rusqlite::Error) -> Failure {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::DiskFull) => Failure::File(FileProblem::StorageFull),
        Some(C::ReadOnly | C::PermissionDenied | C::CannotOpen) => {
            Failure::File(FileProblem::PermissionDenied)
        }
        Some(C::DatabaseBusy | C::DatabaseLocked) => Failure::Busy,
        Some(C::DatabaseCorrupt | C::NotADatabase) => Failure::Damaged {
            latest_good_backup: None,
        },
        _ => Failure::Database(e.to_string()),
    }
}

fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// How a process holds the data folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The window: alone.
    Exclusive,
    /// Command-line and scripted use: alongside other command-line processes.
    Shared,
}

pub struct Store {
    pub(crate) conn: Connection,
    pub(crate) dir: PathBuf,
    pub(crate) blobs: Blobs,
    pub(crate) calendar: Calendar,
    pub(crate) sops: HashMap<i64, Arc<Sop>>,
    pub(crate) office: OfficeProfile,
    /// Counts changes of the office's settings, so views laid out with them
    /// know when to lay out again.
    pub(crate) office_generation: u64,
    /// What the office's settings row held when last read (see
    /// `load_office`).
    pub(crate) office_read: Option<[u8; 32]>,
    /// Where every instant written comes from (tests set it).
    pub(crate) clock: Clock,
    /// Whether SQLite's quick check passed since opening (see
    /// [`Store::begin_write`]).
    checked: std::cell::Cell<bool>,
    /// Where this PC shares its records (see `journal`), read from the data
    /// folder: every write goes through the office server.
    pub(crate) shared: Option<crate::journal::Shared>,
    /// The live connection to it, made at the first write (and again after
    /// one broke).
    pub(crate) link: std::cell::RefCell<Option<crate::journal::Link>>,
    /// Wrong passwords that could not be logged (the office server did not
    /// answer): counted here, so the wait after too many still holds.
    pub(crate) unlogged_wrong: std::cell::RefCell<Vec<(String, DateTime<Utc>)>>,
    /// Held for as long as the store is open: a second copy cannot take it.
    _lock: File,
}

/// A write in progress: the local transaction, and on a linked store the
/// office's write turn (see `journal`). Dropped without `commit`, nothing
/// is written anywhere.
pub(crate) struct Write<'a> {
    tx: rusqlite::Transaction<'a>,
    turn: Option<crate::journal::Turn<'a>>,
    blobs: &'a Blobs,
}

impl<'a> std::ops::Deref for Write<'a> {
    type Target = rusqlite::Transaction<'a>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl Write<'_> {
    /// On a linked store the server takes the changes first and the turn
    /// ends; then the local copy commits, without waiting for its disk (see
    /// [`Store::set_durability`]). Should that commit fail or be lost,
    /// nothing is: the entry is on the server, and this copy receives it at
    /// its next catch-up.
    pub(crate) fn commit(self) -> Result<()> {
        let Write {
            tx,
            mut turn,
            blobs,
        } = self;
        if let Some(turn) = turn.as_mut() {
            turn.publish(&tx, blobs)?;
        }
        drop(turn);
        tx.commit()?;
        Ok(())
    }
}

/// The office's settings one connection read, handed to another (see
/// [`Store::settings_now`]).
#[derive(Debug, Clone)]
pub struct SettingsNow {
    office: OfficeProfile,
    calendar: Calendar,
    generation: u64,
    read: Option<[u8; 32]>,
}

pub(crate) fn now_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

pub(crate) fn parse_time(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default()
}

/// Whether a file starts as a SQLite database does, read without SQLite (so
/// that refusing another program's file writes nothing): None when it is
/// absent or empty (a new database).
pub(crate) fn is_sqlite_file(path: &Path) -> std::io::Result<Option<bool>> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if file.metadata()?.len() == 0 {
        return Ok(None);
    }
    let mut magic = [0u8; 16];
    Ok(Some(
        file.read_exact(&mut magic).is_ok() && &magic == b"SQLite format 3\0",
    ))
}

/// Refuses, reading only: a file another program made (an empty one is new),
/// a newer schema. (Damage is looked for before the first write; see
/// [`Store::begin_write`].)
fn check_before_writing(conn: &Connection) -> Result<()> {
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let version: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let objects: i64 = conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0))?;
    let new_file = app_id == 0 && version == 0 && objects == 0;
    if app_id != schema::APPLICATION_ID && !new_file {
        return Err(StoreError::NotLajur);
    }
    if version > schema::CURRENT_VERSION {
        return Err(StoreError::NewerVersion {
            found: version,
            known: schema::CURRENT_VERSION,
        });
    }
    Ok(())
}

/// The data folder is its owner's alone: other accounts on the PC can
/// neither read the records and drafts nor list them. (On Windows the
/// user's own profile folder already is.)
pub(crate) fn keep_private(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode != 0o700 {
            // A folder we may not change (a read-only copy) is still opened;
            // the records refuse to write there in their own words.
            crate::fsutil::log_if_failed(
                std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)),
                "izin folder data tidak dapat dibatasi",
            );
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Takes the data folder's lock: alone (the window, a restore) or beside
/// other command-line processes. Held for as long as the file stays open.
pub(crate) fn lock_data(dir: &Path, access: Access) -> Result<File> {
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
    Ok(lock)
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
        keep_private(dir)?;
        let lock = lock_data(dir, access)?;
        let db_path = dir.join(Self::DB_FILE);
        // Whose file it is and its schema are read through SQLite below
        // (a newer schema may sit in the WAL); a file that is not SQLite at
        // all is refused before SQLite touches it.
        if is_sqlite_file(&db_path)? == Some(false) {
            return Err(StoreError::NotLajur);
        }
        let conn = Connection::open_with_flags(
            &db_path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // Every statement a write or a catch-up uses stays prepared (rusqlite
        // keeps 16; a shared PC applying other PCs' entries uses more, and
        // parsing them again was most of a catch-up's time).
        conn.set_prepared_statement_cache_capacity(256);
        // Before anything is written: what the file really holds (a newer
        // schema may still sit in the WAL, past the header read above).
        if let Err(e) = check_before_writing(&conn) {
            return Err(match e {
                StoreError::Db(e) if is_damage(&e) => StoreError::Damaged {
                    latest_good_backup: Self::latest_good_backup_in(dir),
                },
                other => other,
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Temporary tables (the written groups, see `digest`) and the
        // journals of statements and savepoints in memory, not in files.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        let mut store = Store {
            conn,
            dir: dir.to_path_buf(),
            blobs: Blobs::new(dir.join("lampiran")),
            calendar: Calendar::default(),
            office: OfficeProfile::default(),
            office_generation: 0,
            office_read: None,
            sops: HashMap::new(),
            clock: Clock::default(),
            checked: std::cell::Cell::new(false),
            shared: crate::journal::Shared::read(dir)?,
            link: std::cell::RefCell::new(None),
            unlogged_wrong: std::cell::RefCell::default(),
            _lock: lock,
        };
        store.set_durability()?;
        let migrated_from = store.migrate()?;
        digest::watch(&store.conn)?;
        if migrated_from.is_some_and(|v| v > 0 && v < schema::DIGESTS_SINCE) {
            store.log_baseline()?;
        }
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

    /// A second connection to the same records, for work done off the
    /// window's thread (the window stays drawn while it writes). It shares
    /// this store's hold on the data folder, its clock and its settings as
    /// they are now (see [`Store::adopt_settings`]); SQLite serialises the
    /// two connections' writes.
    pub fn another_connection(&self) -> Result<Store> {
        let conn = Connection::open_with_flags(
            self.dir.join(Self::DB_FILE),
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.set_prepared_statement_cache_capacity(256);
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Temporary tables (the written groups, see `digest`) and the
        // journals of statements and savepoints in memory, not in files.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        digest::watch(&conn)?;
        let store = Store {
            conn,
            dir: self.dir.clone(),
            blobs: Blobs::new(self.dir.join("lampiran")),
            calendar: self.calendar.clone(),
            sops: self.sops.clone(),
            office: self.office.clone(),
            office_generation: self.office_generation,
            office_read: self.office_read,
            clock: self.clock.clone(),
            // The same file: a check this opening passed holds for it too.
            checked: std::cell::Cell::new(self.checked.get()),
            shared: self.shared.clone(),
            link: std::cell::RefCell::new(None),
            unlogged_wrong: std::cell::RefCell::default(),
            _lock: self._lock.try_clone()?,
        };
        store.set_durability()?;
        Ok(store)
    }

    /// The office's settings as this connection holds them, to hand to
    /// another connection of this process ([`Store::adopt_settings`]).
    pub fn settings_now(&self) -> SettingsNow {
        SettingsNow {
            office: self.office.clone(),
            calendar: self.calendar.clone(),
            generation: self.office_generation,
            read: self.office_read,
        }
    }

    /// Takes the settings another connection of this process read (the
    /// window's, after the administrator saved them), so work done on this
    /// one prints and dates with the same.
    pub fn adopt_settings(&mut self, settings: SettingsNow) {
        if self.office_generation != settings.generation {
            self.office = settings.office;
            self.calendar = settings.calendar;
            self.office_generation = settings.generation;
            self.office_read = settings.read;
        }
    }

    /// Every write begins here: an IMMEDIATE transaction, once SQLite's quick
    /// check has passed for this opening. A damaged database is never
    /// written into; the clerk is told the last good backup instead. (Done
    /// at the first write, not at opening, so that reading, and the window's
    /// start, do not wait for a scan of the whole file.)
    pub(crate) fn begin_write(&self) -> Result<Write<'_>> {
        self.begin(true)
    }

    /// [`Store::begin_write`], for work on this copy alone (a migration of
    /// its schema): on a linked store, without the office's turn or a
    /// catch-up, so a PC updated to a newer Lajur opens its records with
    /// the server out of reach, and entries are applied only to the schema
    /// they were read for.
    fn begin_local_write(&self) -> Result<Write<'_>> {
        self.begin(false)
    }

    fn begin(&self, office_turn: bool) -> Result<Write<'_>> {
        // Another connection joined the office server since this one opened:
        // a write here alone would never reach the other PCs.
        if self.shared.is_none() && self.dir.join(crate::journal::Shared::FILE).exists() {
            return Err(StoreError::Server(ServerProblem::SharedMeanwhile));
        }
        if !self.checked.get() {
            let verdict: String = self
                .conn
                .query_row("PRAGMA quick_check", [], |r| r.get(0))
                .or_else(|e| {
                    if is_damage(&e) {
                        Ok(String::new())
                    } else {
                        Err(e)
                    }
                })?;
            if verdict != "ok" {
                return Err(StoreError::Damaged {
                    latest_good_backup: self.latest_good_backup(),
                });
            }
            self.checked.set(true);
        }
        // The office's turn (on a linked store), then the local lock: every
        // connection takes them in this order. (The checks above first: the
        // other PCs do not wait while this one scans its file.)
        let shared = self.shared.as_ref().filter(|_| office_turn);
        let turn = crate::journal::Turn::take(&self.link, shared)?;
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let mut write = Write {
            tx,
            turn,
            blobs: &self.blobs,
        };
        if let Some(turn) = write.turn.as_mut() {
            turn.catch_up(&self.conn, &self.blobs)?;
        }
        Ok(write)
    }

    /// Shares this PC's records through the office server from now on: an
    /// office's first PC moves its records there; any other PC catches up
    /// (see `journal::join`). Refused in words, nothing changed, when the
    /// server holds another office's records or this PC has records of its
    /// own that the server's are not. Done by `by` (see
    /// [`Store::may_set_up_server`]).
    pub fn join_office_server(
        &mut self,
        by: Option<&crate::User>,
        address: &crate::server::Address,
        pc: &str,
    ) -> Result<crate::journal::Joined> {
        self.may_set_up_server(by)?;
        // Joined already to this server: nothing to do. Another server is
        // a new one taking the office's records after the old one was lost
        // (this PC's copy holds every entry; `journal::join` moves it only
        // onto an empty server).
        if let Some(shared) = &self.shared
            && shared.address.place() == address.place()
        {
            return Ok(crate::journal::Joined::CaughtUp { entries: 0 });
        }
        // Only intact records are moved (or taken as a copy to go on from).
        if self.log_head()?.0 > 0 {
            let audit = self.audit(&[])?;
            if !audit.findings.is_empty() {
                return Err(StoreError::Server(ServerProblem::NotIntactHere(
                    audit.findings.len(),
                )));
            }
        }
        let link = crate::journal::Link::connect(address, pc)?;
        // The certificate seen now is the only one accepted from now on.
        let address = &address
            .clone()
            .pinned(link.certificate().map(str::to_string));
        self.link = std::cell::RefCell::new(Some(link));
        let joined = crate::journal::join(&self.conn, &self.blobs, &self.link);
        if joined.is_err() {
            self.link = std::cell::RefCell::new(None);
        }
        let joined = joined?;
        let shared = crate::journal::Shared {
            address: address.clone(),
            pc: pc.to_string(),
        };
        // From now on this folder's records are the office's: any program
        // opening it writes through the server.
        shared.write(&self.dir)?;
        self.shared = Some(shared);
        self.set_durability()?;
        self.load_office()?;
        Ok(joined)
    }

    /// The password of the office server's role, when the address kept in
    /// the data folder (which never holds it) and `PGPASSWORD` give none:
    /// the PC's credential store or the administrator supplies it.
    pub fn use_server_password(&mut self, password: &str) {
        if let Some(shared) = self.shared.as_mut() {
            shared.address = shared.address.clone().with_password(password);
            self.link = std::cell::RefCell::new(None);
        }
    }

    /// This PC's link to the office server (its records moved or joined
    /// there, another server, the server's certificate) is set up by an
    /// active administrator; a PC holding no users yet (a new one about to
    /// receive the office's) by anyone.
    fn may_set_up_server(&self, by: Option<&crate::User>) -> Result<()> {
        if self.user_count()? > 0 && !by.is_some_and(|u| u.is_admin && u.active) {
            return Err(StoreError::NotAllowed(Refusal::ServerAdminOnly));
        }
        Ok(())
    }

    /// The certificate the office server shows now, beside the one this PC
    /// holds it to (see [`crate::journal::Shared::certificate_shown_now`]).
    pub fn server_certificate_now(&self) -> Result<Option<String>> {
        match &self.shared {
            Some(shared) => shared.certificate_shown_now().map_err(StoreError::Server),
            None => Ok(None),
        }
    }

    /// From now on this PC accepts only `certificate` from the office server
    /// (the IT person replaced the server's): kept in the data folder; the
    /// next connection is held to it. Done by `by` (see
    /// [`Store::may_set_up_server`]).
    pub fn accept_server_certificate(
        &mut self,
        by: Option<&crate::User>,
        certificate: Option<String>,
    ) -> Result<()> {
        self.may_set_up_server(by)?;
        if let Some(shared) = self.shared.as_mut() {
            shared.hold_to(certificate, &self.dir)?;
            self.link = std::cell::RefCell::new(None);
        }
        Ok(())
    }

    /// Follows the data folder into the office server after another
    /// connection of this process joined it (the window's worker did),
    /// with the password typed there when there is one.
    pub fn adopt_shared(&mut self, password: Option<&str>) -> Result<()> {
        let Some(mut shared) = crate::journal::Shared::read(&self.dir)? else {
            return Ok(());
        };
        if let Some(password) = password {
            shared.address = shared.address.with_password(password);
        }
        self.shared = Some(shared);
        self.link = std::cell::RefCell::new(None);
        self.set_durability()?;
        self.load_office()
    }

    /// A PC on its own waits for every commit to reach its disk. A shared
    /// PC's writes are on the office server before they are committed here
    /// (see `journal`), so its own copy does not: one lost to a power cut
    /// comes back from the server at the next catch-up, and no action waits
    /// for the disk.
    fn set_durability(&self) -> Result<()> {
        let level = if self.shared.is_some() {
            "NORMAL"
        } else {
            "FULL"
        };
        self.conn.pragma_update(None, "synchronous", level)?;
        Ok(())
    }

    /// How this connection commits: 2 every commit waits for the disk, 1
    /// not (`PRAGMA synchronous`; see [`Store::set_durability`]).
    #[doc(hidden)]
    pub fn synchronous(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))?)
    }

    /// Reads the office's settings again (another connection of this
    /// process read in what another PC saved).
    pub fn reload_settings(&mut self) -> Result<()> {
        self.load_office()
    }

    /// Where the records are shared, when they are.
    pub fn shared(&self) -> Option<&crate::journal::Shared> {
        self.shared.as_ref()
    }

    /// Whether the records are shared through the office server.
    pub fn is_linked(&self) -> bool {
        self.shared.is_some()
    }

    /// Applies what other PCs wrote since this copy last caught up (a PC
    /// that heard of a new entry calls this); returns how many entries.
    pub fn catch_up(&mut self) -> Result<usize> {
        let Some(shared) = &self.shared else {
            return Ok(0);
        };
        let mut slot = self.link.borrow_mut();
        let (conn, blobs) = (&self.conn, &self.blobs);
        let applied = crate::journal::with_live_link(&mut slot, shared, |link| {
            let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
            let applied = crate::journal::catch_up(link, &tx, blobs)?;
            tx.commit()?;
            Ok(applied)
        })?;
        drop(slot);
        // Also when none were left: this connection's own writes apply the
        // others' entries first (see `journal`), settings another PC saved
        // among them. Read again only when they changed.
        self.load_office()?;
        Ok(applied)
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

    /// Brings the schema up to date; returns the version it started from
    /// when it changed anything.
    fn migrate(&mut self) -> Result<Option<i32>> {
        let version = self.schema_version()?;
        if version >= schema::CURRENT_VERSION {
            return Ok(None);
        }
        if version > 0 {
            self.backup_named(&format!("sebelum-migrasi-v{}", schema::CURRENT_VERSION))?;
        }
        let tx = self.begin_local_write()?;
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
        Ok(Some(version))
    }

    /// Records written before log rows carried digests get one row that
    /// vouches for all of them as they are now.
    fn log_baseline(&mut self) -> Result<()> {
        let tx = self.begin_write()?;
        digest::touch_all(&tx)?;
        log::append_office(
            &tx,
            &now_text(self.clock.now()),
            None,
            "dasar_pemeriksaan",
            format!("skema {}", schema::CURRENT_VERSION),
            "",
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// The records of a data folder Lajur may not write to (a copy on a CD, a
/// folder shared read-only), opened for checking: the database is copied to
/// a temporary folder and opened there; attachment files and backups are
/// read where they are. The temporary copy goes when this is dropped.
pub struct CheckingCopy {
    pub store: Store,
    temp: PathBuf,
}

impl Drop for CheckingCopy {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_dir_all(&self.temp) {
            ::log::warn!(
                "salinan pemeriksaan {} tidak terhapus: {e}",
                self.temp.display()
            );
        }
    }
}

impl Store {
    /// See [`CheckingCopy`].
    pub fn open_for_checking(dir: &Path) -> Result<CheckingCopy> {
        let temp = std::env::temp_dir().join(format!(
            "lajur-periksa-{}-{}",
            std::process::id(),
            crate::clock::system_now().timestamp_micros()
        ));
        std::fs::create_dir_all(&temp)?;
        let copied = (|| -> Result<Store> {
            for name in [Self::DB_FILE.to_string(), format!("{}-wal", Self::DB_FILE)] {
                let from = dir.join(&name);
                if from.exists() {
                    std::fs::copy(&from, temp.join(&name))?;
                }
            }
            let mut store = Store::open_with(&temp, Access::Shared)?;
            store.blobs = Blobs::new(dir.join("lampiran"));
            store.dir = dir.to_path_buf();
            Ok(store)
        })();
        match copied {
            Ok(store) => Ok(CheckingCopy { store, temp }),
            Err(e) => {
                crate::fsutil::log_if_failed(
                    std::fs::remove_dir_all(&temp),
                    "salinan pemeriksaan tidak terhapus",
                );
                Err(e)
            }
        }
    }
}
