//! What a kegiatan did on its SOP, replayed from its step events: how often
//! each step was done, which exits were taken how often, where it waits. The
//! window draws it over the flowchart; nothing else replays events.

use std::collections::HashMap;

use crate::records::StepEvent;
use crate::sop::{Sop, StepId};

/// A kegiatan's path over its SOP, by step index (the layout's numbering).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trace {
    /// How many times each step was done.
    pub done: Vec<u32>,
    /// The step the kegiatan waits at.
    pub current: Option<usize>,
    /// How many times each exit (step index, exit index) was taken.
    pub taken: HashMap<(usize, usize), u32>,
}

impl Trace {
    pub fn done(&self, step: usize) -> u32 {
        self.done.get(step).copied().unwrap_or(0)
    }

    pub fn taken(&self, step: usize, exit: usize) -> u32 {
        self.taken.get(&(step, exit)).copied().unwrap_or(0)
    }
}

/// Replays the step events of a kegiatan (oldest first) on its SOP; `current`
/// is the step it waits at now (none once it has ended).
pub fn trace(sop: &Sop, events: &[StepEvent], current: Option<&StepId>) -> Trace {
    let index = |id: &StepId| sop.steps.iter().position(|s| &s.id == id);
    let mut t = Trace {
        done: vec![0; sop.steps.len()],
        current: current.and_then(index),
        taken: HashMap::new(),
    };
    for (n, e) in events.iter().enumerate() {
        let Some(i) = index(&e.step) else { continue };
        if let Some(next) = &e.next_step {
            t.done[i] += 1;
            // The exit taken: by the decision's answer, else by its target.
            let exits = &sop.steps[i].exits;
            let exit = exits
                .iter()
                .position(|x| e.answer.as_ref().is_some_and(|a| &x.label == a) && &x.target == next)
                .or_else(|| exits.iter().position(|x| &x.target == next));
            if let Some(exit) = exit {
                *t.taken.entry((i, exit)).or_insert(0) += 1;
            }
        } else if n + 1 == events.len() && current.is_none() {
            // The last part of the end step: done, with nowhere to go. (Other
            // parts without a next step are lanes that finished before the
            // step's last lane, which moves it on and counts it.)
            t.done[i] += 1;
        }
    }
    t
}
