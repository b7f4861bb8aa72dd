//! What went wrong, as a clerk is told it. The records' and the paper's errors
//! each name one of these (with plain values only), and the catalogue
//! ([`crate::locale::failure_message`]) words it in the window's language.

use crate::office::LogoError;
use crate::records::Refusal;
use crate::workflow::EngineError;

/// A file operation that failed, by what the clerk can do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    PermissionDenied,
    NotFound,
    StorageFull,
    /// Anything else, with the system's own words (shown as a detail).
    Other(String),
}

impl FileProblem {
    pub fn of(e: &std::io::Error) -> FileProblem {
        match e.kind() {
            std::io::ErrorKind::PermissionDenied => FileProblem::PermissionDenied,
            std::io::ErrorKind::NotFound => FileProblem::NotFound,
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
                FileProblem::StorageFull
            }
            _ => FileProblem::Other(e.to_string()),
        }
    }
}

/// Why the office server could not be used (worded by the catalogue).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerProblem {
    /// Not a PostgreSQL address; the text, its password hidden.
    BadAddress(String),
    /// No answer from host:port/database (server off, cable, firewall).
    Unreachable(String),
    /// The server refused the role's name or password.
    Login,
    /// The database named does not exist on the server.
    NoSuchDatabase,
    /// The database was never prepared for Lajur (`lajur server init`).
    NotPrepared,
    /// The database holds another program's tables.
    NotLajur,
    /// Prepared by a newer Lajur.
    NewerSchema { found: i32, known: i32 },
    /// The role may not do this (the server's words).
    NoPermission(String),
    /// The server's disk (or memory) is full.
    Full,
    /// This PC holds records of its own, or another office's copy, and the
    /// server holds an office's records already: they are never mixed.
    OtherRecords,
    /// This PC's copy holds work of this office that the office server
    /// lacks (the server was filled from a copy taken before it): not
    /// joined, nothing changed.
    OnlyHere,
    /// The server at host:port/database no longer shows the certificate
    /// this PC saw when it joined, or no longer encrypts: refused.
    CertificateChanged(String),
    /// The data folder was joined to the office server by another program
    /// (or the window's worker) after this connection opened it.
    SharedMeanwhile,
    /// What the server holds after moving an office is not what was sent
    /// (read back before it counts): nothing switched.
    CopyDiffers,
    /// This PC's records did not pass the full check: they are not moved
    /// (the findings are shown by Verifikasi).
    NotIntactHere(usize),
    /// Not a plain role name (lowercase letters, digits, _).
    BadRoleName(String),
    /// Anything else, in the server's own words.
    Other(String),
}

/// Why a backup cannot be used (worded by the catalogue).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackupProblem {
    /// Not a SQLite file, or SQLite but not Lajur's.
    NotLajur,
    /// Made by a newer Lajur.
    Newer { found: i32, known: i32 },
    /// SQLite's integrity check failed (a cut or damaged copy).
    Damaged(String),
    /// The log's chain is broken inside the backup.
    ChainBroken(crate::records::ChainBreak),
    /// Attachment files the backup's records name that are not beside it.
    FilesMissing(Vec<String>),
    /// The data folder's records are shared through the office server, and
    /// the backup was made before they were: the server's history cannot go
    /// on from it.
    BeforeServer,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    // ── the records ──
    NewerVersion {
        found: i32,
        known: i32,
    },
    NotLajur,
    NetworkShare,
    AlreadyRunning,
    BadLogin,
    /// Too many wrong passwords for this name: wait this long.
    TooManyAttempts {
        seconds: u64,
    },
    NotAllowed(Refusal),
    NoSuchKegiatan,
    NoSuchUser(String),
    UserExists,
    NotRunning,
    SopInvalid,
    Engine(EngineError),
    AttachmentTooLarge {
        bytes: u64,
        /// The most the office takes.
        most: u64,
    },
    AttachmentDamaged,
    /// The file changed while it was being attached; nothing was stored.
    AttachmentChanging,
    /// A step id the kegiatan's SOP does not have.
    NoSuchStep,
    AttachmentMissing,
    /// Reading or writing a file of the records failed; nothing was saved.
    File(FileProblem),
    /// The database refused; the detail is the database's own words.
    Database(String),
    /// The database file is damaged: Lajur writes nothing into it. The
    /// newest backup that passed its checks, when there is one.
    Damaged {
        latest_good_backup: Option<String>,
    },
    /// Another program held the records for longer than Lajur waits.
    Busy,
    /// A backup that cannot be restored or kept; nothing was changed.
    BackupUnusable(BackupProblem),
    Password,
    Logo(LogoError),
    NoSuchSop,
    /// The office server could not be used; nothing was changed.
    Server(ServerProblem),
    /// The step the clerk acted on was done meanwhile (by whom, when, the
    /// office's offset from UTC in minutes); nothing was written.
    StepTaken {
        by: Option<String>,
        at: Option<chrono::DateTime<chrono::Utc>>,
        offset_minutes: i32,
    },
    // ── paper ──
    /// An SOP with errors is never printed.
    SopHasErrors,
    /// The bundled font could not be read.
    FontDamaged,
    /// An exported file could not be written; no file was changed.
    Write(FileProblem),
    /// The filled sheet is printed only after sign-off.
    NotSignedOff,
    /// The SOP's table cannot be printed whole on this paper.
    DoesNotFit(FitFailure),
    /// An office's Word or Excel file could not be read as an SOP.
    Import(ImportFailure),
}

/// Why a file could not be imported; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportFailure {
    /// A Word 97–2003 .doc (or Excel .xls): the old binary format.
    OldOffice,
    /// An OpenDocument file (.odt, .ods).
    OpenDocument,
    Pdf,
    /// Not a Word, Excel or SOP file at all.
    NotOffice,
    Encrypted,
    /// A truncated or damaged file.
    Damaged,
    /// A part that inflates far beyond any real document (a zip bomb).
    Bomb,
    TooBig {
        bytes: u64,
    },
    /// XML that declares entities (a trick, never in Office's own files).
    XmlEntities,
    /// No table with Kegiatan and Mutu Baku columns.
    NoSopTable,
}

/// Why an SOP's table cannot be printed whole on a paper: said before
/// anything prints, never cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FitFailure {
    pub paper: crate::paper::Paper,
    pub orientation: crate::paper::Orientation,
    pub kind: FitKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FitKind {
    /// The lanes and text columns at their least are wider than the page (mm).
    TooWide { needed: u32, available: u32 },
    /// One row is taller than a page holds (its No, and mm).
    RowTooTall {
        number: String,
        height: u32,
        available: u32,
    },
}
