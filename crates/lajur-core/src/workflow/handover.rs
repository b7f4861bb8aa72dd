//! The words left for whoever does the current step now: the note of the
//! action that brought the kegiatan there (a step handed on, a decision
//! answered, a return from sign-off), so the reason for a return reaches
//! the person who must fix it.

use chrono::{DateTime, Utc};

use crate::records::{LogRow, StepEvent};
use crate::sop::StepId;

/// The log's word for a kegiatan sent back from sign-off to its last step.
pub const RETURNED_FROM_SIGN_OFF: &str = "dikembalikan";

/// A note for the current step, and who left it when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    pub by: String,
    pub at: DateTime<Utc>,
    pub note: String,
    /// The decision's answer that sent the kegiatan here, if it was one.
    pub answer: Option<String>,
    /// Sent back from sign-off to be put right.
    pub returned: bool,
}

/// The note of the latest action that brought the kegiatan to `current`,
/// when that action had one; `None` when it came with none (an older note
/// is not for this arrival).
pub fn handover(history: &[LogRow], events: &[StepEvent], current: &StepId) -> Option<Handover> {
    let arrival = |row: &LogRow| {
        events
            .iter()
            .find(|e| e.log_seq == row.seq && e.next_step.as_ref() == Some(current))
    };
    let (row, event) = history
        .iter()
        .filter_map(|row| {
            if row.action == RETURNED_FROM_SIGN_OFF {
                Some((row, None))
            } else {
                arrival(row).map(|e| (row, Some(e)))
            }
        })
        .max_by_key(|(row, _)| row.seq)?;
    let note = row.note.trim();
    if note.is_empty() {
        return None;
    }
    Some(Handover {
        by: row.actor_name.clone().unwrap_or_default(),
        at: row.at,
        note: note.to_string(),
        answer: event.and_then(|e| e.answer.clone()),
        returned: row.action == RETURNED_FROM_SIGN_OFF,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sop::LaneId;

    fn at(minute: u32) -> DateTime<Utc> {
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 12, 2, 1, minute, 0)
            .single()
            .expect("time")
    }

    fn row(seq: i64, action: &str, note: &str) -> LogRow {
        LogRow {
            seq,
            at: at(seq as u32),
            actor: Some(1),
            actor_name: Some(format!("orang {seq}")),
            on_behalf_of: None,
            step: None,
            action: action.into(),
            detail: String::new(),
            note: note.into(),
        }
    }

    fn event(seq: i64, step: &str, answer: Option<&str>, next: &str) -> StepEvent {
        StepEvent {
            log_seq: seq,
            step: StepId(step.into()),
            visit: 1,
            lane: LaneId("l".into()),
            actor: 1,
            actor_name: String::new(),
            recorded_by: None,
            entered_at: at(0),
            done_at: at(seq as u32),
            answer: answer.map(str::to_string),
            next_step: Some(StepId(next.into())),
            note: String::new(),
        }
    }

    #[test]
    fn the_note_of_the_action_that_brought_the_kegiatan_here() {
        let olah = StepId("olah".into());
        let history = vec![
            row(1, "mulai", ""),
            row(2, "selesai_langkah", "sudah saya teruskan"),
            row(3, "keputusan", "Caption terlalu panjang"),
        ];
        let events = vec![
            event(2, "teruskan", None, "olah"),
            event(3, "periksa", Some("Tidak"), "olah"),
        ];
        let h = handover(&history, &events, &olah).expect("a note");
        assert_eq!(h.note, "Caption terlalu panjang");
        assert_eq!(h.by, "orang 3");
        assert_eq!(h.answer.as_deref(), Some("Tidak"));
        assert!(!h.returned);
        // Arriving again without a note: the old one is not for this visit.
        let mut later = history.clone();
        later.push(row(4, "keputusan", ""));
        let mut later_events = events.clone();
        later_events.push(event(4, "periksa", Some("Tidak"), "olah"));
        assert_eq!(handover(&later, &later_events, &olah), None);
        // Another step's arrival is not this step's.
        assert_eq!(handover(&history, &events, &StepId("unggah".into())), None);
    }

    #[test]
    fn a_return_from_sign_off_carries_the_signers_words() {
        let last = StepId("unggah".into());
        let history = vec![
            row(5, "selesai_langkah", ""),
            row(6, RETURNED_FROM_SIGN_OFF, "Tautan belum dilampirkan"),
        ];
        let events = vec![event(5, "cek", None, "unggah")];
        let h = handover(&history, &events, &last).expect("a note");
        assert!(h.returned);
        assert_eq!(h.note, "Tautan belum dilampirkan");
    }
}
