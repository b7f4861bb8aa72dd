//! Content rules of an SOP AP, checked on the model (so the file loader and the
//! editor report the same problems).

use std::collections::{HashMap, HashSet, VecDeque};

use super::model::*;
use super::problem::*;

/// Every problem in the SOP's content, errors and warnings.
pub fn validate(sop: &Sop) -> Vec<Problem> {
    let mut problems = Vec::new();
    identity(sop, &mut problems);
    lanes(sop, &mut problems);
    steps(sop, &mut problems);
    flow(sop, &mut problems);
    problems
}

fn step_at(index: usize, field: StepField) -> Subject {
    Subject::Step { index, field }
}

fn identity(sop: &Sop, problems: &mut Vec<Problem>) {
    let id = &sop.identity;
    if id.approver.name.trim().is_empty() {
        problems.push(Problem::warning(
            ProblemKind::EmptyApproverName,
            Subject::Identity(IdentityField::ApproverName),
        ));
    }
    if let Some(created) = id.created {
        for (date, field) in [
            (id.revised, IdentityField::Revised),
            (id.effective, IdentityField::Effective),
        ] {
            if date.is_some_and(|d| d < created) {
                problems.push(Problem::warning(
                    ProblemKind::DateBeforeCreated { field },
                    Subject::Identity(field),
                ));
            }
        }
    }
}

fn lanes(sop: &Sop, problems: &mut Vec<Problem>) {
    if sop.lanes.is_empty() {
        problems.push(Problem::error(ProblemKind::NoLanes, Subject::Document));
    }
    let mut seen = HashSet::new();
    for (index, lane) in sop.lanes.iter().enumerate() {
        let subject = Subject::Lane {
            index,
            field: LaneField::Id,
        };
        if lane.id.0.trim().is_empty() {
            problems.push(Problem::error(ProblemKind::EmptyLaneId, subject));
        } else if !seen.insert(&lane.id) {
            problems.push(Problem::error(
                ProblemKind::DuplicateLaneId {
                    id: lane.id.clone(),
                },
                subject,
            ));
        }
    }
}

fn steps(sop: &Sop, problems: &mut Vec<Problem>) {
    if sop.steps.is_empty() {
        problems.push(Problem::error(ProblemKind::NoSteps, Subject::Document));
    }
    let lane_ids: HashSet<&LaneId> = sop.lanes.iter().map(|l| &l.id).collect();
    let step_ids: HashSet<&StepId> = sop.steps.iter().map(|s| &s.id).collect();
    let mut seen_ids = HashSet::new();
    let mut seen_numbers = HashSet::new();
    for (index, step) in sop.steps.iter().enumerate() {
        // A step sharing a row has the row's texts: its own are not checked.
        let leads_row = !step.same_row || index == 0;
        if step.id.0.trim().is_empty() {
            problems.push(Problem::error(
                ProblemKind::EmptyStepId,
                step_at(index, StepField::Id),
            ));
        } else if !seen_ids.insert(&step.id) {
            problems.push(Problem::error(
                ProblemKind::DuplicateStepId {
                    id: step.id.clone(),
                },
                step_at(index, StepField::Id),
            ));
        }
        if !step.number.trim().is_empty() && !seen_numbers.insert(step.number.trim()) {
            problems.push(Problem::warning(
                ProblemKind::DuplicateNumber {
                    number: step.number.clone(),
                },
                step_at(index, StepField::Number),
            ));
        }
        if leads_row && step.activity.trim().is_empty() {
            problems.push(Problem::warning(
                ProblemKind::EmptyActivity,
                step_at(index, StepField::Activity),
            ));
        }
        if step.lanes.is_empty() {
            problems.push(Problem::error(
                ProblemKind::StepWithoutLane,
                step_at(index, StepField::Lanes),
            ));
        }
        for lane in &step.lanes {
            if !lane_ids.contains(lane) {
                problems.push(Problem::error(
                    ProblemKind::UnknownLane { lane: lane.clone() },
                    step_at(index, StepField::Lanes),
                ));
            }
        }
        exits(index, step, &step_ids, problems);
        if step.same_row {
            if index == 0 {
                problems.push(Problem::warning(
                    ProblemKind::SameRowFirst,
                    step_at(index, StepField::SameRow),
                ));
            } else if !step.number.trim().is_empty()
                || !step.requirements.trim().is_empty()
                || !step.time.trim().is_empty()
                || !step.output.trim().is_empty()
                || !step.remarks.trim().is_empty()
                || step.extra.iter().any(|(_, v)| !v.trim().is_empty())
            {
                problems.push(Problem::warning(
                    ProblemKind::SameRowTexts,
                    step_at(index, StepField::SameRow),
                ));
            }
        }
        if !step.label.trim().is_empty() && !matches!(step.symbol, Symbol::Start | Symbol::End) {
            problems.push(Problem::warning(
                ProblemKind::LabelNotTerminator,
                step_at(index, StepField::Label),
            ));
        }
    }
}

fn exits(index: usize, step: &Step, step_ids: &HashSet<&StepId>, problems: &mut Vec<Problem>) {
    let count = step.exits.len();
    match step.symbol {
        Symbol::Decision => {
            if count != 2 {
                problems.push(Problem::error(
                    ProblemKind::DecisionExitCount { found: count },
                    step_at(index, StepField::Exits),
                ));
            }
            for (n, exit) in step.exits.iter().enumerate() {
                if exit.label.trim().is_empty() {
                    problems.push(Problem::error(
                        ProblemKind::DecisionExitUnlabelled,
                        step_at(index, StepField::Exit(n)),
                    ));
                }
            }
            if let [a, b] = step.exits.as_slice()
                && a.target == b.target
                && !a.target.0.trim().is_empty()
            {
                problems.push(Problem::warning(
                    ProblemKind::DecisionExitsSameTarget,
                    step_at(index, StepField::Exit(1)),
                ));
            }
            if let [a, b] = step.exits.as_slice()
                && !a.label.trim().is_empty()
                && a.label.trim() == b.label.trim()
            {
                problems.push(Problem::error(
                    ProblemKind::DecisionExitsSameLabel {
                        label: a.label.clone(),
                    },
                    step_at(index, StepField::Exit(1)),
                ));
            }
        }
        Symbol::Start | Symbol::Process if count != 1 => {
            problems.push(Problem::error(
                ProblemKind::FlowExitCount { found: count },
                step_at(index, StepField::Exits),
            ));
        }
        Symbol::End if count != 0 => {
            problems.push(Problem::error(
                ProblemKind::EndWithExits,
                step_at(index, StepField::Exits),
            ));
        }
        _ => {}
    }
    for (n, exit) in step.exits.iter().enumerate() {
        if exit.target == step.id {
            problems.push(Problem::error(
                ProblemKind::ExitToItself,
                step_at(index, StepField::Exit(n)),
            ));
        } else if !step_ids.contains(&exit.target) {
            problems.push(Problem::error(
                ProblemKind::UnknownTarget {
                    target: exit.target.clone(),
                },
                step_at(index, StepField::Exit(n)),
            ));
        }
    }
}

/// Every step must be reachable from a start and must be able to reach an end.
fn flow(sop: &Sop, problems: &mut Vec<Problem>) {
    if sop.steps.is_empty() {
        return;
    }
    let starts: Vec<usize> = indices_where(sop, |s| s.symbol == Symbol::Start);
    let ends: Vec<usize> = indices_where(sop, |s| s.symbol == Symbol::End);
    if starts.is_empty() {
        problems.push(Problem::error(ProblemKind::NoStart, Subject::Document));
    }
    if ends.is_empty() {
        problems.push(Problem::error(ProblemKind::NoEnd, Subject::Document));
    }
    // With duplicate ids the first step of that id is the target, as everywhere else.
    let mut index_of: HashMap<&StepId, usize> = HashMap::new();
    for (i, s) in sop.steps.iter().enumerate() {
        index_of.entry(&s.id).or_insert(i);
    }
    let mut forward = vec![Vec::new(); sop.steps.len()];
    let mut backward = vec![Vec::new(); sop.steps.len()];
    for (i, s) in sop.steps.iter().enumerate() {
        for exit in &s.exits {
            if let Some(&j) = index_of.get(&exit.target) {
                forward[i].push(j);
                backward[j].push(i);
            }
        }
    }
    if !starts.is_empty() {
        let reached = reach(&starts, &forward);
        for (i, ok) in reached.iter().enumerate() {
            if !ok {
                problems.push(Problem::error(
                    ProblemKind::Unreachable,
                    step_at(i, StepField::Whole),
                ));
            }
        }
    }
    if !ends.is_empty() {
        let finishing = reach(&ends, &backward);
        for (i, ok) in finishing.iter().enumerate() {
            if !ok {
                problems.push(Problem::error(
                    ProblemKind::NeverEnds,
                    step_at(i, StepField::Whole),
                ));
            }
        }
    }
}

fn indices_where(sop: &Sop, pred: impl Fn(&Step) -> bool) -> Vec<usize> {
    sop.steps
        .iter()
        .enumerate()
        .filter(|(_, s)| pred(s))
        .map(|(i, _)| i)
        .collect()
}

fn reach(from: &[usize], edges: &[Vec<usize>]) -> Vec<bool> {
    let mut seen = vec![false; edges.len()];
    let mut queue: VecDeque<usize> = from.iter().copied().collect();
    for &i in from {
        seen[i] = true;
    }
    while let Some(i) = queue.pop_front() {
        for &j in &edges[i] {
            if !seen[j] {
                seen[j] = true;
                queue.push_back(j);
            }
        }
    }
    seen
}
