//! Time compliance for the register: per SOP, how many kegiatan are in each
//! state and how many steps were done within their Mutu Baku Waktu; per
//! kegiatan, the time taken against the time its steps allow. Counted one
//! event at a time, so a year's register never holds every event at once.

use std::collections::{BTreeMap, HashMap};

use super::due::Calendar;
use crate::records::{KegiatanId, Status, StepEvent};
use crate::sop::Sop;

/// One SOP's line of the register's summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SopCompliance {
    pub kegiatan: usize,
    pub running: usize,
    pub awaiting_sign_off: usize,
    pub done: usize,
    pub cancelled: usize,
    /// Parts of steps with a standard time, done later than it allows.
    pub late: usize,
    /// Parts of steps with a standard time, done within it.
    pub on_time: usize,
}

impl SopCompliance {
    /// Parts of steps judged against a standard time.
    pub fn judged(&self) -> usize {
        self.late + self.on_time
    }

    /// The share done in time, 0–1; none when nothing was judged.
    pub fn share_on_time(&self) -> Option<f64> {
        let judged = self.judged();
        (judged > 0).then(|| self.on_time as f64 / judged as f64)
    }

    fn add(&mut self, o: &SopCompliance) {
        self.kegiatan += o.kegiatan;
        self.running += o.running;
        self.awaiting_sign_off += o.awaiting_sign_off;
        self.done += o.done;
        self.cancelled += o.cancelled;
        self.late += o.late;
        self.on_time += o.on_time;
    }
}

/// Minutes a kegiatan's steps took, and minutes their standard times allow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KegiatanTimes {
    pub taken_minutes: i64,
    pub allowed_minutes: i64,
}

/// The register's figures, counted as events and kegiatan go by.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Compliance {
    /// By SOP name (every revision of it together).
    pub per_sop: BTreeMap<String, SopCompliance>,
    pub per_kegiatan: HashMap<KegiatanId, KegiatanTimes>,
}

/// Whether a part of a step was done later than its Mutu Baku Waktu allows
/// (none when the step has no usable standard time).
pub fn late(e: &StepEvent, sop: &Sop, calendar: &Calendar) -> Option<bool> {
    let limit = sop.step(&e.step)?.standard_time().limit()?;
    Some(e.done_at > calendar.due(e.entered_at, limit))
}

impl Compliance {
    /// Counts one lane's part of a step of kegiatan `k`, run on `sop`.
    pub fn count_event(&mut self, k: KegiatanId, sop: &Sop, e: &StepEvent, calendar: &Calendar) {
        let times = self.per_kegiatan.entry(k).or_default();
        times.taken_minutes += (e.done_at - e.entered_at).num_minutes();
        if let Some(limit) = sop.step(&e.step).and_then(|s| s.standard_time().limit()) {
            times.allowed_minutes +=
                (calendar.due(e.entered_at, limit) - e.entered_at).num_minutes();
        }
        let line = self.per_sop.entry(sop.identity.name.clone()).or_default();
        match late(e, sop, calendar) {
            Some(true) => line.late += 1,
            Some(false) => line.on_time += 1,
            None => {}
        }
    }

    /// Counts one kegiatan of SOP `sop_name` in its state.
    pub fn count_kegiatan(&mut self, sop_name: &str, status: Status) {
        let line = self.per_sop.entry(sop_name.to_string()).or_default();
        line.kegiatan += 1;
        match status {
            Status::Running => line.running += 1,
            Status::AwaitingSignOff => line.awaiting_sign_off += 1,
            Status::Done => line.done += 1,
            Status::Cancelled => line.cancelled += 1,
        }
    }

    /// Every SOP together (the JUMLAH line).
    pub fn total(&self) -> SopCompliance {
        let mut total = SopCompliance::default();
        for line in self.per_sop.values() {
            total.add(line);
        }
        total
    }
}
