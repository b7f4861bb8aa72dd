//! The rules of running a kegiatan through an SOP, as pure functions: where the
//! work stands, what may be done now and by whom, and what doing it changes.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::due::Calendar;
use crate::sop::{LaneId, Sop, StepId, Symbol};

/// The step a kegiatan waits at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Current {
    pub step: StepId,
    /// Lanes that have done their part (a step shared by several lanes).
    pub lanes_done: BTreeSet<LaneId>,
    pub entered_at: DateTime<Utc>,
    /// 1 the first time the step is reached, 2 after one loop back, …
    pub visit: u32,
}

/// Where a kegiatan stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// `None` once the end is reached.
    pub current: Option<Current>,
    /// How often each step has been entered.
    pub visits: BTreeMap<StepId, u32>,
}

impl Progress {
    pub fn finished(&self) -> bool {
        self.current.is_none()
    }
}

/// What a user may do on the current step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Allowed {
    /// Mark their lane's part of a start, process or end step done ("Selesai").
    Complete { lane: LaneId },
    /// Answer a decision with one of its two exits.
    Answer {
        lane: LaneId,
        exit: usize,
        label: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Complete,
    Answer(usize),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("the SOP has errors and cannot be run")]
    SopInvalid,
    #[error("no such start step")]
    NoSuchStart,
    #[error("the kegiatan has already ended")]
    Finished,
    #[error("the user has no lane of this step left to act in")]
    NotYourStep,
    #[error("this action does not fit the step")]
    WrongAction,
    #[error("the decision has no such exit")]
    NoSuchExit,
    #[error("the step leads to a step that does not exist")]
    BrokenFlow,
}

/// The change one action made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub progress: Progress,
    pub lane: LaneId,
    /// The step left (all its lanes done, or a decision answered).
    pub left: Option<StepId>,
    /// The step entered next, with its visit count (above 1: a repeat).
    pub entered: Option<(StepId, u32)>,
    /// The answer given, for a decision.
    pub answer: Option<String>,
    /// The end was reached: the kegiatan now waits for sign-off.
    pub finished: bool,
}

/// Starts at a start step (the first one when there are several and none is named).
pub fn start(
    sop: &Sop,
    start: Option<&StepId>,
    at: DateTime<Utc>,
) -> Result<Progress, EngineError> {
    if crate::sop::validate::validate(sop)
        .iter()
        .any(|p| p.is_error())
    {
        return Err(EngineError::SopInvalid);
    }
    let step = match start {
        Some(id) => sop
            .step(id)
            .filter(|s| s.symbol == Symbol::Start)
            .ok_or(EngineError::NoSuchStart)?,
        None => sop
            .steps
            .iter()
            .find(|s| s.symbol == Symbol::Start)
            .ok_or(EngineError::NoSuchStart)?,
    };
    let mut visits = BTreeMap::new();
    visits.insert(step.id.clone(), 1);
    Ok(Progress {
        current: Some(Current {
            step: step.id.clone(),
            lanes_done: BTreeSet::new(),
            entered_at: at,
            visit: 1,
        }),
        visits,
    })
}

/// Everything a user acting in `lanes` may do now.
pub fn allowed(sop: &Sop, progress: &Progress, lanes: &[LaneId]) -> Vec<Allowed> {
    let Some(current) = &progress.current else {
        return Vec::new();
    };
    let Some(step) = sop.step(&current.step) else {
        return Vec::new();
    };
    let mine: Vec<&LaneId> = step
        .lanes
        .iter()
        .filter(|l| lanes.contains(l) && !current.lanes_done.contains(*l))
        .collect();
    let Some(lane) = mine.first() else {
        return Vec::new();
    };
    match step.symbol {
        Symbol::Decision => step
            .exits
            .iter()
            .enumerate()
            .map(|(exit, e)| Allowed::Answer {
                lane: (*lane).clone(),
                exit,
                label: e.label.clone(),
            })
            .collect(),
        _ => mine
            .into_iter()
            .map(|l| Allowed::Complete { lane: l.clone() })
            .collect(),
    }
}

/// Applies an action by a user acting in `lanes`.
pub fn apply(
    sop: &Sop,
    progress: &Progress,
    action: &Action,
    lanes: &[LaneId],
    at: DateTime<Utc>,
) -> Result<Outcome, EngineError> {
    let current = progress.current.as_ref().ok_or(EngineError::Finished)?;
    let step = sop.step(&current.step).ok_or(EngineError::BrokenFlow)?;
    let lane = step
        .lanes
        .iter()
        .find(|l| lanes.contains(l) && !current.lanes_done.contains(*l))
        .ok_or(EngineError::NotYourStep)?
        .clone();
    let mut next = progress.clone();
    let target = match (step.symbol, action) {
        (Symbol::Decision, Action::Answer(exit)) => {
            let e = step.exits.get(*exit).ok_or(EngineError::NoSuchExit)?;
            Some((e.target.clone(), Some(e.label.clone())))
        }
        (Symbol::Decision, Action::Complete) | (_, Action::Answer(_)) => {
            return Err(EngineError::WrongAction);
        }
        (_, Action::Complete) => {
            let mut done = current.lanes_done.clone();
            done.insert(lane.clone());
            // Every lane, or whichever lane has the case (`salah_satu`).
            let all_done = step.done_by(&done);
            if !all_done {
                if let Some(c) = next.current.as_mut() {
                    c.lanes_done = done;
                }
                return Ok(Outcome {
                    progress: next,
                    lane,
                    left: None,
                    entered: None,
                    answer: None,
                    finished: false,
                });
            }
            step.exits.first().map(|e| (e.target.clone(), None))
        }
    };
    let left = Some(step.id.clone());
    match target {
        None => {
            next.current = None;
            Ok(Outcome {
                progress: next,
                lane,
                left,
                entered: None,
                answer: None,
                finished: true,
            })
        }
        Some((target, answer)) => {
            sop.step(&target).ok_or(EngineError::BrokenFlow)?;
            let visit = next.visits.get(&target).copied().unwrap_or(0) + 1;
            next.visits.insert(target.clone(), visit);
            next.current = Some(Current {
                step: target.clone(),
                lanes_done: BTreeSet::new(),
                entered_at: at,
                visit,
            });
            Ok(Outcome {
                progress: next,
                lane,
                left,
                entered: Some((target, visit)),
                answer,
                finished: false,
            })
        }
    }
}

/// Reopens a finished kegiatan at `step` (the step that finished it, or the
/// first end step), for rework the signer asked for: one more visit there.
pub fn reopen(
    sop: &Sop,
    progress: &Progress,
    step: Option<&StepId>,
    at: DateTime<Utc>,
) -> Result<Progress, EngineError> {
    if progress.current.is_some() {
        return Err(EngineError::WrongAction);
    }
    let step = match step {
        Some(id) => sop.step(id).ok_or(EngineError::BrokenFlow)?,
        None => sop
            .steps
            .iter()
            .find(|s| s.symbol == Symbol::End)
            .ok_or(EngineError::BrokenFlow)?,
    };
    let mut next = progress.clone();
    let visit = next.visits.get(&step.id).copied().unwrap_or(0) + 1;
    next.visits.insert(step.id.clone(), visit);
    next.current = Some(Current {
        step: step.id.clone(),
        lanes_done: BTreeSet::new(),
        entered_at: at,
        visit,
    });
    Ok(next)
}

/// When the current step is due, from its Waktu (none when it has no usable Waktu).
pub fn due(sop: &Sop, progress: &Progress, calendar: &Calendar) -> Option<DateTime<Utc>> {
    let current = progress.current.as_ref()?;
    let limit = sop.step(&current.step)?.standard_time().limit()?;
    Some(calendar.due(current.entered_at, limit))
}

pub fn overdue(sop: &Sop, progress: &Progress, calendar: &Calendar, now: DateTime<Utc>) -> bool {
    due(sop, progress, calendar).is_some_and(|d| now > d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sop::SopDocument;

    fn bunder() -> Sop {
        SopDocument::parse(crate::sop::BUNDLED[0].1).sop
    }

    /// A fixed instant: the engine never reads the clock.
    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp(1_767_225_600, 0).unwrap_or_default()
    }

    fn lanes(ids: &[&str]) -> Vec<LaneId> {
        ids.iter().map(|s| LaneId((*s).into())).collect()
    }

    #[test]
    fn a_whole_run_with_one_rejection() {
        let sop = bunder();
        let t = t0();
        let mut p = start(&sop, None, t).expect("starts");
        let everyone = lanes(&["ketua", "seksi", "admin"]);
        let mut repeats = 0;
        let mut rejected = false;
        let mut steps = 0;
        while !p.finished() {
            steps += 1;
            assert!(steps < 50);
            let choices = allowed(&sop, &p, &everyone);
            let action = match &choices[0] {
                Allowed::Complete { .. } => Action::Complete,
                Allowed::Answer { .. } if !rejected => {
                    rejected = true;
                    Action::Answer(1)
                }
                Allowed::Answer { .. } => Action::Answer(0),
            };
            let out = apply(&sop, &p, &action, &everyone, t).expect("allowed action applies");
            if let Some((_, visit)) = &out.entered
                && *visit > 1
            {
                repeats += 1;
            }
            p = out.progress;
        }
        assert_eq!(
            repeats, 2,
            "olah-materi and periksa-seksi are entered again after Tidak"
        );
        assert_eq!(p.visits[&StepId("olah-materi".into())], 2);
    }

    #[test]
    fn only_the_steps_lane_may_act() {
        let sop = bunder();
        let p = start(&sop, None, t0()).expect("starts");
        assert!(allowed(&sop, &p, &lanes(&["admin"])).is_empty());
        assert_eq!(
            apply(&sop, &p, &Action::Complete, &lanes(&["admin"]), t0()),
            Err(EngineError::NotYourStep)
        );
        assert_eq!(
            allowed(&sop, &p, &lanes(&["ketua"])),
            vec![Allowed::Complete {
                lane: LaneId("ketua".into())
            }]
        );
        assert_eq!(
            apply(&sop, &p, &Action::Answer(0), &lanes(&["ketua"]), t0()),
            Err(EngineError::WrongAction)
        );
    }

    #[test]
    fn a_shared_step_waits_for_every_lane() {
        let mut sop = bunder();
        sop.steps[1].lanes = lanes(&["seksi", "admin"]);
        let t = t0();
        let p = start(&sop, None, t).expect("starts");
        let p = apply(&sop, &p, &Action::Complete, &lanes(&["ketua"]), t)
            .expect("ok")
            .progress;
        let half = apply(&sop, &p, &Action::Complete, &lanes(&["seksi"]), t).expect("ok");
        assert_eq!(half.left, None);
        assert_eq!(
            half.progress.current.as_ref().map(|c| c.step.0.as_str()),
            Some("teruskan-instruksi")
        );
        assert!(
            allowed(&sop, &half.progress, &lanes(&["seksi"])).is_empty(),
            "seksi has done its part"
        );
        let done = apply(
            &sop,
            &half.progress,
            &Action::Complete,
            &lanes(&["admin"]),
            t,
        )
        .expect("ok");
        assert_eq!(
            done.entered.map(|(s, _)| s.0),
            Some("olah-materi".to_string())
        );
    }

    #[test]
    fn due_times_follow_the_waktu() {
        let sop = bunder();
        let t = t0();
        let p = start(&sop, None, t).expect("starts");
        assert_eq!(
            due(&sop, &p, &Calendar::default()),
            Some(t + chrono::Duration::minutes(10))
        );
        assert!(overdue(
            &sop,
            &p,
            &Calendar::default(),
            t + chrono::Duration::minutes(11)
        ));
        assert!(!overdue(
            &sop,
            &p,
            &Calendar::default(),
            t + chrono::Duration::minutes(9)
        ));
    }

    #[test]
    fn an_invalid_sop_does_not_start() {
        let mut sop = bunder();
        sop.steps[3].exits.pop();
        assert_eq!(start(&sop, None, t0()), Err(EngineError::SopInvalid));
    }
}
