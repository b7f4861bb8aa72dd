//! Lajur's records: SQLite (bundled) and files in the data folder. The only
//! crate that speaks SQL or touches the data folder; it offers operations in the
//! office's terms, each one IMMEDIATE transaction, each logged in the same
//! transaction. What it reads and writes are the plain values of
//! [`lajur_core::records`]; the office's rules it applies are
//! [`lajur_core::policy`]'s.
//!
//! This root only names the modules and what they offer.

mod audit;
pub mod backup;
pub(crate) mod cached;
pub mod clock;
pub mod credentials;
pub mod digest;
pub mod files;
pub mod fsutil;
pub mod journal;
mod kegiatan;
pub mod library;
pub mod location;
pub mod log;
pub mod logo;
mod office;
mod queries;
pub mod reports;
pub mod schema;
mod seal;
pub mod server;
mod sop_library;
mod store;
pub mod tls;
mod users;

pub use backup::{
    BackupProblem, BackupSummary, Checkpoint, backup_in_background, check_backup, checkpoints_in,
    latest_good_backup, restore,
};
pub use clock::Clock;
pub use lajur_core::records::{
    Approval, Attachment, Audit, CurrentStep, Finding, Kegiatan, KegiatanFilter, KegiatanId,
    KegiatanRow, LibraryEntry, LogRow, LogoChange, Mismatch, NewUser, OfficeProfile, Refusal,
    RegisterAction, RegisterKegiatan, Seal, SopRevision, SopStatus, Status, StepEvent, Task, User,
    UserEdit, UserId, Verification,
};
pub use queries::MAX_REGISTER_ROWS;
pub use seal::short_code;
pub use store::{Access, CheckingCopy, Result, SettingsNow, Store, StoreError};
pub use users::FREE_ATTEMPTS;
