//! What the paper documents print, gathered from the records in one go: the
//! filled sheet of one kegiatan, the register of many. Plain values; the
//! records fill them, the paper prints them.

use std::sync::Arc;

use crate::office::Letterhead;
use crate::records::{
    Attachment, AuthorityChange, Kegiatan, KegiatanFilter, LogRow, RegisterAction,
    RegisterKegiatan, Seal, StepEvent,
};
use crate::sop::Sop;
use crate::workflow::{Calendar, Compliance};

/// Everything a kegiatan's filled sheet prints, read from the records in one go.
#[derive(Debug, Clone)]
pub struct KegiatanRecord {
    pub sop: Arc<Sop>,
    pub kegiatan: Kegiatan,
    pub events: Vec<StepEvent>,
    pub attachments: Vec<Attachment>,
    /// The signer's returns for rework, with their notes, oldest first.
    pub returns: Vec<LogRow>,
    pub seal: Option<Seal>,
    pub calendar: Calendar,
    pub letterhead: Letterhead,
}

/// One row per kegiatan, or one per action of the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RegisterRows {
    #[default]
    PerKegiatan,
    PerAction,
}

/// Everything a register prints, read from the records in one go (the step
/// events already counted into `compliance`, never all held at once).
#[derive(Debug, Clone)]
pub struct RegisterData {
    pub filter: KegiatanFilter,
    /// The name of the filter's person, when it names one.
    pub person_name: Option<String>,
    pub kegiatan: Vec<RegisterKegiatan>,
    pub compliance: Compliance,
    /// The log rows, for a register of actions (empty for one of kegiatan).
    pub actions: Vec<RegisterAction>,
    /// Who was given or lost the signer or administrator role in the period.
    pub authority: Vec<AuthorityChange>,
    /// The records' chain head when the register was gathered: (row, hash),
    /// printed beside every page number.
    pub head: (i64, String),
    pub rows: RegisterRows,
    pub calendar: Calendar,
    pub letterhead: Letterhead,
}
