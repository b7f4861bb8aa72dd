//! The office's records as plain values: users, kegiatan, the steps done, drafts,
//! log rows, seals, SOP revisions. `lajur-records` reads and writes them; the
//! window, the command line and the paper take them as they are. No SQL here.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use crate::office::{Logo, LogoError, Office};
use crate::sop::{LaneId, StepId};

pub type UserId = i64;
pub type KegiatanId = i64;

/// The shortest password the office accepts.
pub const MIN_PASSWORD_CHARS: usize = 6;

/// The largest draft file Lajur keeps (a scanned letter, a photo, a slide deck).
pub const MAX_ATTACHMENT_BYTES: u64 = crate::office::MAX_ATTACHMENT_MB as u64 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub name: String,
    pub jabatan: String,
    pub nip: Option<String>,
    pub lanes: Vec<LaneId>,
    pub is_admin: bool,
    pub is_signer: bool,
    pub active: bool,
}

#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub username: String,
    pub name: String,
    pub jabatan: String,
    pub nip: Option<String>,
    pub lanes: Vec<String>,
    pub is_admin: bool,
    pub is_signer: bool,
    pub password: String,
    /// An existing signer's approval, when this gives authority (see
    /// [`crate::policy::grants_authority`]).
    pub approval: Option<Approval>,
}

/// A signer approves a change of authority with their own password.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Approval {
    pub signer: String,
    pub password: String,
}

/// The editable part of a user (the user name stays: the log refers to it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserEdit {
    pub name: String,
    pub jabatan: String,
    pub nip: Option<String>,
    pub lanes: Vec<LaneId>,
    pub is_admin: bool,
    pub is_signer: bool,
    pub active: bool,
    /// An existing signer's approval, when this gives authority.
    pub approval: Option<Approval>,
}

impl From<&User> for UserEdit {
    fn from(u: &User) -> Self {
        UserEdit {
            name: u.name.clone(),
            jabatan: u.jabatan.clone(),
            nip: u.nip.clone(),
            lanes: u.lanes.clone(),
            is_admin: u.is_admin,
            is_signer: u.is_signer,
            active: u.active,
            approval: None,
        }
    }
}

/// Where a kegiatan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Running,
    AwaitingSignOff,
    Done,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Running,
        Status::AwaitingSignOff,
        Status::Done,
        Status::Cancelled,
    ];

    /// The word kept in the records.
    pub fn code(self) -> &'static str {
        match self {
            Status::Running => "berjalan",
            Status::AwaitingSignOff => "menunggu_pengesahan",
            Status::Done => "selesai",
            Status::Cancelled => "dibatalkan",
        }
    }

    pub fn from_code(s: &str) -> Status {
        match s {
            "menunggu_pengesahan" => Status::AwaitingSignOff,
            "selesai" => Status::Done,
            "dibatalkan" => Status::Cancelled,
            _ => Status::Running,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Kegiatan {
    pub id: KegiatanId,
    pub title: String,
    pub description: String,
    pub sop_version: i64,
    pub sop_hash: String,
    pub status: Status,
    pub started_at: DateTime<Utc>,
    pub current: Option<CurrentStep>,
}

/// The step a running kegiatan waits at.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentStep {
    pub step: StepId,
    pub entered_at: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
    /// 1 the first time, more after loops back.
    pub visit: u32,
}

/// One row of the activity log, as shown in a kegiatan's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<i64>,
    pub actor_name: Option<String>,
    pub on_behalf_of: Option<String>,
    pub step: Option<StepId>,
    pub action: String,
    pub detail: String,
    pub note: String,
}

/// A step waiting for a user.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub kegiatan: KegiatanId,
    pub title: String,
    pub step: StepId,
    pub lane: LaneId,
    pub entered_at: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: i64,
    pub kegiatan: KegiatanId,
    pub step: StepId,
    pub draft: String,
    pub version: i64,
    pub file_name: String,
    pub sha256: String,
    pub size: u64,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

/// What the "Semua kegiatan" list shows; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct KegiatanFilter {
    /// Words in the title, or a kegiatan number.
    pub text: String,
    /// The SOP's name (every revision of it).
    pub sop: Option<String>,
    pub status: Option<Status>,
    /// Started on or after this local date.
    pub from: Option<NaiveDate>,
    /// Started on or before this local date.
    pub to: Option<NaiveDate>,
    /// Started by, or did a step of, this person.
    pub person: Option<UserId>,
}

/// One row of the kegiatan list.
#[derive(Debug, Clone, PartialEq)]
pub struct KegiatanRow {
    pub id: KegiatanId,
    pub title: String,
    pub sop_name: String,
    pub sop_version: i64,
    pub status: Status,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub started_by: String,
    /// Where a running kegiatan waits, and when that step is due.
    pub current_step: Option<StepId>,
    pub due_at: Option<DateTime<Utc>>,
}

/// One lane's part of a step, done.
#[derive(Debug, Clone, PartialEq)]
pub struct StepEvent {
    pub log_seq: i64,
    pub step: StepId,
    pub visit: u32,
    pub lane: LaneId,
    pub actor: UserId,
    pub actor_name: String,
    /// An administrator who entered it for the actor.
    pub recorded_by: Option<String>,
    pub entered_at: DateTime<Utc>,
    pub done_at: DateTime<Utc>,
    pub answer: Option<String>,
    /// Where the kegiatan went next (none while other lanes still owe their
    /// part, and at the end).
    pub next_step: Option<StepId>,
    /// The words the actor left with it ("" when none).
    pub note: String,
}

/// One kegiatan of a register: its list row, when it ended and who signed it off.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterKegiatan {
    pub row: KegiatanRow,
    pub signer: Option<String>,
}

/// One log row of a register, with its kegiatan's title.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterAction {
    pub row: LogRow,
    pub kegiatan: Option<KegiatanId>,
    pub title: Option<String>,
}

/// What a backup holds, shown before it is restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    pub path: std::path::PathBuf,
    pub office: String,
    pub kegiatan: i64,
    pub users: i64,
    /// The newest log row's time.
    pub last_activity: Option<DateTime<Utc>>,
    /// The log's chain head: (row, hash).
    pub head: (i64, String),
    pub schema: i32,
    pub files: usize,
}

/// A change of who holds authority (the signer or administrator role, or
/// whether such a user is active), as the next register lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityChange {
    pub at: DateTime<Utc>,
    /// Who made the change (the administrator), by name.
    pub by: Option<String>,
    /// Whose roles changed, by name.
    pub user: String,
    /// (before, after) of each: a new user starts from (false, false).
    pub admin: (bool, bool),
    pub signer: (bool, bool),
    pub active: (bool, bool),
    /// The signer who approved it, by user name.
    pub approved_by: Option<String>,
}

/// The chain head as a short code an office writes in its agenda book or
/// sends to the kecamatan: the row and the first 16 hex of its hash.
pub fn head_code(seq: i64, hash: &str) -> String {
    format!("{seq}-{}", hash.get(..16).unwrap_or(hash).to_uppercase())
}

/// What a seal covers and who made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    pub code: String,
    pub kegiatan: Option<KegiatanId>,
    pub payload: String,
    pub signature: String,
    pub public_key: String,
    /// The signer's name, jabatan and NIP as sealed (not as they are now).
    pub signer: String,
    pub jabatan: String,
    pub nip: Option<String>,
    /// The signer's user name now.
    pub signer_username: String,
    /// The first 16 hex digits of the SHA-256 of the signer's public key.
    pub key_fingerprint: String,
    /// When the signer's key was made.
    pub key_created: DateTime<Utc>,
    pub signed_at: DateTime<Utc>,
    /// The log's chain head the seal covers: "seq:hash".
    pub log_head: String,
}

impl Seal {
    /// The text a QR code carries: the code and signature, and the anchors
    /// printed beside them (the chain head and the key's fingerprint), so a
    /// rewrite after printing shows even when the code itself is re-made.
    pub fn qr_text(&self) -> String {
        let (seq, hash) = self.log_head.split_once(':').unwrap_or(("0", ""));
        format!(
            "LAJUR2:{}:{}:{seq}:{}:{}",
            self.code,
            self.signature,
            hash.get(..16).unwrap_or(hash),
            self.key_fingerprint
        )
    }

    /// The chain head as printed: "row-HASH16".
    pub fn head_code(&self) -> String {
        let (seq, hash) = self.log_head.split_once(':').unwrap_or(("0", ""));
        head_code(seq.parse().unwrap_or(0), hash)
    }

    /// The log row the seal covers (the number before the colon of its head).
    pub fn log_row(&self) -> &str {
        self.log_head.split(':').next().unwrap_or("")
    }
}

/// Why a paper does not match the records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// Not a code at all (a typing error).
    MalformedCode,
    /// A well-formed code no seal in the records has: the records were
    /// rewritten since the paper was printed, or it is another office's.
    UnknownCode,
    /// The QR's chain head is not the one this seal covers.
    HeadDiffers,
    /// The QR's key fingerprint is not the key the records hold for it.
    KeyDiffers,
    /// The QR text's signature is not the one recorded under this code.
    QrDiffers,
    /// The signature does not verify with the signer's public key.
    BadSignature,
    /// The kegiatan's record differs from what was sealed (a field of it).
    RecordChanged(String),
    /// The activity log no longer holds the sealed chain head, or is broken.
    LogChanged,
}

/// The answer to "does this paper match the records?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub seal: Option<Seal>,
    pub problems: Vec<Mismatch>,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.seal.is_some() && self.problems.is_empty()
    }
}

/// What `lajur verify` found wrong in the records (see [`Audit`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// SQLite's integrity check failed: the file itself is damaged.
    Damaged(String),
    /// The log's hash chain does not hold.
    Chain(ChainBreak),
    /// A trigger that keeps the log append-only was removed.
    GuardMissing(String),
    /// A record (table, key) the log never recorded: added outside Lajur.
    RecordUnlogged { table: String, key: i64 },
    /// A record that differs from its state at log row `seq`.
    RecordChanged { table: String, key: i64, seq: i64 },
    /// A record the log holds that is no longer there.
    RecordRemoved { table: String, key: i64, seq: i64 },
    /// The SOP text a kegiatan was started with no longer matches its hash.
    SopTextChanged { name: String },
    /// An attachment file is missing from the data folder.
    FileMissing { kegiatan: i64, file_name: String },
    /// An attachment file's content no longer matches its hash.
    FileChanged { kegiatan: i64, file_name: String },
    /// A seal's signature does not verify with the key recorded for it.
    SealInvalid { code: String },
    /// A checkpoint (a backup's chain head) that the log contradicts: row
    /// `seq` has another hash, or the log no longer reaches it.
    Checkpoint {
        file: String,
        seq: i64,
        missing: bool,
    },
}

/// The answer of `lajur verify`: what was checked and what was found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Audit {
    pub log_rows: i64,
    /// The chain head now: (row, hash).
    pub head: (i64, String),
    pub records: usize,
    pub files: usize,
    pub checkpoints: usize,
    pub findings: Vec<Finding>,
}

impl Audit {
    pub fn ok(&self) -> bool {
        self.findings.is_empty()
    }
}

/// Why the activity log's chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// Row `seq`'s content or links do not match its hash.
    Altered { seq: i64 },
    /// A row is missing before `seq` (or rows are out of order).
    Gap { seq: i64 },
    /// The last rows were removed: the log ends before the recorded head.
    Truncated { last_seq: i64 },
}

/// Where a revision of a library SOP stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SopStatus {
    /// Being written or revised; not yet offered for kegiatan.
    Draft,
    /// In force: new kegiatan follow it.
    Active,
    /// An earlier revision, replaced by a newer active one.
    Superseded,
    /// Withdrawn: kept, viewable and printable, not offered for kegiatan.
    Archived,
}

impl SopStatus {
    /// The word kept in the records.
    pub fn code(self) -> &'static str {
        match self {
            SopStatus::Draft => "draf",
            SopStatus::Active => "aktif",
            SopStatus::Superseded => "lama",
            SopStatus::Archived => "diarsipkan",
        }
    }

    pub fn from_code(code: &str) -> SopStatus {
        match code {
            "aktif" => SopStatus::Active,
            "lama" => SopStatus::Superseded,
            "diarsipkan" => SopStatus::Archived,
            _ => SopStatus::Draft,
        }
    }
}

/// One saved revision of an SOP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SopRevision {
    pub id: i64,
    pub sop_id: i64,
    /// 1, 2, 3… per SOP.
    pub revision: i64,
    pub status: SopStatus,
    pub toml: String,
    pub name: String,
    pub number: String,
    pub has_errors: bool,
    pub saved_at: DateTime<Utc>,
    /// Who saved it (empty for the SOPs imported on first run).
    pub saved_by: String,
    pub note: String,
}

/// An SOP of the library: its newest revision, and the one in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryEntry {
    pub sop_id: i64,
    /// The newest revision (a draft being written, or the active one).
    pub latest: SopRevision,
    /// The revision new kegiatan follow, if one is active.
    pub active: Option<SopRevision>,
    pub revisions: i64,
}

impl LibraryEntry {
    /// The status shown for the SOP as a whole.
    pub fn status(&self) -> SopStatus {
        self.latest.status
    }
}

/// What to do with the logo when saving the office's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogoChange {
    Keep,
    Remove,
    /// A new logo, as the file's bytes (PNG or JPEG).
    Set(Vec<u8>),
}

/// The office's settings as stored, and the logo when there is one.
#[derive(Debug, Clone, Default)]
pub struct OfficeProfile {
    pub office: Office,
    pub logo: Option<Arc<Logo>>,
    /// False until an administrator has saved the settings once.
    pub configured: bool,
    /// Why the stored logo could not be used, if it could not.
    pub logo_problem: Option<LogoError>,
}

impl OfficeProfile {
    /// What the settings put on paper: nothing until they are saved once.
    pub fn letterhead(&self) -> crate::office::Letterhead {
        if !self.configured {
            return crate::office::Letterhead::default();
        }
        crate::office::Letterhead {
            office: Some(self.office.clone()),
            logo: self.logo.clone(),
            footer: None,
        }
    }
}

/// Why the records refused an operation: the office's rules of who may do what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Only an administrator manages users.
    AdminOnly,
    /// The step belongs to another lane.
    OtherLane,
    /// The SOP's first step belongs to another lane.
    FirstStepOtherLane,
    /// Nobody active works in the lanes of the step a new kegiatan would
    /// wait at: nobody would ever see it in Tugas saya.
    NobodyInFirstLane,
    /// Only an administrator acts for someone else.
    ActForOthers,
    /// Only an administrator cancels a kegiatan.
    CancelAdminOnly,
    /// The office would be left without an active administrator.
    LastAdmin,
    /// The user appears in the records, so is deactivated instead of deleted.
    UserInRecords,
    /// Passwords have at least [`MIN_PASSWORD_CHARS`] characters.
    PasswordTooShort,
    /// User names are one word of letters, digits, dots, dashes or underscores.
    BadUserName,
    /// Every user has a name to print.
    NameMissing,
    /// A kegiatan needs a title.
    TitleMissing,
    /// Only a signer (penandatangan) signs off or returns a kegiatan.
    SignerOnly,
    /// Only a kegiatan whose steps are all done waits for sign-off.
    NotAwaitingSignOff,
    /// Returning a kegiatan for rework says why.
    NoteRequired,
    /// The office's settings are saved only when every required field is filled.
    OfficeIncomplete,
    /// Only an administrator changes the office's settings.
    SettingsAdminOnly,
    /// Only an administrator sets up the PC's link to the office server
    /// (moves the records there or to another one, accepts its certificate);
    /// a PC holding no users yet joins without one.
    ServerAdminOnly,
    /// Only an administrator or a signer activates or archives an SOP.
    SopApproverOnly,
    /// Another active signer has this name or NIP: a second "Pak Lurah"
    /// could sign papers that read as the real one's.
    DuplicateSigner,
    /// Giving the signer or administrator role needs an existing signer's
    /// password (their approval), since a signer exists.
    SignerApprovalNeeded,
    /// The approving signer's password was wrong.
    ApprovalPasswordWrong,
}
