//! Editing an SOP: every change the editor form can make, as a value
//! ([`Edit`]), applied to the SOP with the office's rules (a lane still in use
//! is not removed; inserting or moving a row keeps "flows to the next row"
//! meaning the next row), and undone or redone exactly. Pure: no UI, no IO.

use crate::sop::{
    Exit, Lane, LaneId, LaneMode, MutuBakuColumn, SignaturePlace, Sop, Step, StepId, Symbol,
};

/// A text field of the identity page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentityField {
    Name,
    Number,
    Unit,
    Place,
    ApproverName,
    ApproverNip,
}

/// A date of the identity page, written as the office writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateField {
    Created,
    Revised,
    Effective,
}

/// A list of the identity page, edited item by item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListField {
    UnitParents,
    ApproverTitles,
    LegalBasis,
    Qualifications,
    Related,
    Equipment,
    Warnings,
    Records,
}

impl ListField {
    pub const ALL: [ListField; 8] = [
        ListField::UnitParents,
        ListField::ApproverTitles,
        ListField::LegalBasis,
        ListField::Qualifications,
        ListField::Related,
        ListField::Equipment,
        ListField::Warnings,
        ListField::Records,
    ];
}

/// A text field of a step (a row of the table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepField {
    Number,
    Activity,
    Requirements,
    Time,
    Output,
    Remarks,
    /// The text in a start or end capsule ("Via email").
    Label,
}

impl StepField {
    pub const ALL: [StepField; 7] = [
        StepField::Number,
        StepField::Activity,
        StepField::Requirements,
        StepField::Time,
        StepField::Output,
        StepField::Remarks,
        StepField::Label,
    ];
}

/// A heading of the table the office may word its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeadingField {
    Activity,
    Requirements,
    Time,
    Output,
}

/// One change to the SOP. Indexes are positions at the time of the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    SetIdentity(IdentityField, String),
    /// A date, or none.
    SetDate(DateField, Option<chrono::NaiveDate>),
    ListInsert(ListField, usize, String),
    ListSet(ListField, usize, String),
    ListRemove(ListField, usize),
    ListMove(ListField, usize, usize),
    /// A new lane at the right, with a fresh id.
    AddLane(String),
    RenameLane(usize, String),
    MoveLane(usize, usize),
    /// Refused while a step is in the lane.
    RemoveLane(usize),
    /// A new process row at this position, in the lane of the row above (or the
    /// first lane), joined into the flow: the row above now flows to it.
    InsertStep(usize),
    MoveStep(usize, usize),
    /// The row goes; rows that flowed into it flow to where it flowed.
    DeleteStep(usize),
    SetStep(usize, StepField, String),
    /// The exits follow the symbol: a decision gets Ya (next row) and Tidak
    /// (the row above), an end none, start and process the next row.
    SetSymbol(usize, Symbol),
    /// Puts the step in this lane too, or takes it out (a step keeps one lane).
    ToggleStepLane(usize, usize),
    SetExitLabel(usize, usize, String),
    /// Where an exit goes: a step's id.
    SetExitTarget(usize, usize, StepId),
    AddExit(usize),
    RemoveExit(usize, usize),
    /// The step's symbol stands in the row of the step before it (or on a
    /// row of its own again). The No column keeps counting rows.
    SetSameRow(usize, bool),
    /// With several lanes: all act, or whichever has the case.
    SetLaneMode(usize, LaneMode),
    /// A step's value in one of the office's own Mutu Baku columns (its key).
    SetExtra(usize, String, String),
    SetHeading(HeadingField, String),
    /// Prints a standard Mutu Baku column (Kelengkapan, Waktu, Output) or not;
    /// its values stay in the steps.
    ToggleColumn(MutuBakuColumn),
    /// A column of the office's own at the end of the Mutu Baku group, with
    /// this heading (its key made from it).
    AddColumn(String),
    /// Renames the office's own column at this position of the group.
    RenameColumn(usize, String),
    /// Takes a column of the office's own out, with its values.
    RemoveColumn(usize),
    /// Where the official signs: under the table, or in the identity cell.
    SetSignaturePlace(SignaturePlace),
}

/// Why an edit was not made. Nothing changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The lane still carries steps (their numbers, as shown in the No column).
    #[error("the lane is still used by steps {0:?}")]
    LaneInUse(Vec<String>),
    #[error("there is no such row, lane, item or exit")]
    NoSuchPlace,
    #[error("a step keeps at least one lane")]
    LastLaneOfStep,
    #[error("an exit goes to a step of this SOP")]
    NoSuchTarget,
}

/// The SOP being edited, with its undo and redo history.
#[derive(Debug, Clone, Default)]
pub struct Editor {
    sop: Sop,
    undo: Vec<Sop>,
    redo: Vec<Sop>,
    /// The target of the last typing edit, so that typing into one field is
    /// one step of undo, not one per character.
    typing: Option<TypingKey>,
    /// Counts changes (edits, undo, redo), so views know when to lay out again.
    version: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum TypingKey {
    Identity(IdentityField),
    List(ListField, usize),
    Lane(usize),
    Step(usize, StepField),
    ExitLabel(usize, usize),
}

/// How far back undo goes.
pub const UNDO_DEPTH: usize = 200;

impl Editor {
    pub fn new(sop: Sop) -> Editor {
        Editor {
            sop,
            ..Editor::default()
        }
    }

    pub fn sop(&self) -> &Sop {
        &self.sop
    }

    /// Changes with every edit, undo and redo.
    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Applies an edit as one step of undo.
    pub fn apply(&mut self, edit: Edit) -> Result<(), Refused> {
        self.typing = None;
        self.apply_inner(edit)
    }

    /// Applies an edit typed into a field: successive edits of the same field
    /// are one step of undo.
    pub fn type_into(&mut self, edit: Edit) -> Result<(), Refused> {
        let key = match &edit {
            Edit::SetIdentity(f, _) => Some(TypingKey::Identity(*f)),
            Edit::ListSet(f, i, _) => Some(TypingKey::List(*f, *i)),
            Edit::RenameLane(i, _) => Some(TypingKey::Lane(*i)),
            Edit::SetStep(i, f, _) => Some(TypingKey::Step(*i, *f)),
            Edit::SetExitLabel(i, e, _) => Some(TypingKey::ExitLabel(*i, *e)),
            _ => None,
        };
        if key.is_some() && key == self.typing {
            let mut next = self.sop.clone();
            edit_sop(&mut next, edit)?;
            if next != self.sop {
                self.sop = next;
                self.redo.clear();
                self.version += 1;
            }
            return Ok(());
        }
        self.apply_inner(edit)?;
        self.typing = key;
        Ok(())
    }

    fn apply_inner(&mut self, edit: Edit) -> Result<(), Refused> {
        let mut next = self.sop.clone();
        edit_sop(&mut next, edit)?;
        if next == self.sop {
            return Ok(());
        }
        let previous = std::mem::replace(&mut self.sop, next);
        self.version += 1;
        self.undo.push(previous);
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.redo.clear();
        Ok(())
    }

    /// Takes back the last change; false when there is none.
    pub fn undo(&mut self) -> bool {
        self.typing = None;
        match self.undo.pop() {
            Some(previous) => {
                self.redo.push(std::mem::replace(&mut self.sop, previous));
                self.version += 1;
                true
            }
            None => false,
        }
    }

    /// Makes the last undone change again; false when there is none.
    pub fn redo(&mut self) -> bool {
        self.typing = None;
        match self.redo.pop() {
            Some(next) => {
                self.undo.push(std::mem::replace(&mut self.sop, next));
                self.version += 1;
                true
            }
            None => false,
        }
    }
}

fn list_mut(sop: &mut Sop, field: ListField) -> &mut Vec<String> {
    let id = &mut sop.identity;
    match field {
        ListField::UnitParents => &mut id.unit.parents,
        ListField::ApproverTitles => &mut id.approver.title_lines,
        ListField::LegalBasis => &mut id.legal_basis,
        ListField::Qualifications => &mut id.qualifications,
        ListField::Related => &mut id.related,
        ListField::Equipment => &mut id.equipment,
        ListField::Warnings => &mut id.warnings,
        ListField::Records => &mut id.records,
    }
}

/// The list a [`ListField`] names, to show it.
pub fn list(sop: &Sop, field: ListField) -> &[String] {
    let id = &sop.identity;
    match field {
        ListField::UnitParents => &id.unit.parents,
        ListField::ApproverTitles => &id.approver.title_lines,
        ListField::LegalBasis => &id.legal_basis,
        ListField::Qualifications => &id.qualifications,
        ListField::Related => &id.related,
        ListField::Equipment => &id.equipment,
        ListField::Warnings => &id.warnings,
        ListField::Records => &id.records,
    }
}

/// The text an [`IdentityField`] names, to show it.
pub fn identity_text(sop: &Sop, field: IdentityField) -> &str {
    let id = &sop.identity;
    match field {
        IdentityField::Name => &id.name,
        IdentityField::Number => &id.number,
        IdentityField::Unit => &id.unit.name,
        IdentityField::Place => &id.place,
        IdentityField::ApproverName => &id.approver.name,
        IdentityField::ApproverNip => id.approver.nip.as_deref().unwrap_or(""),
    }
}

/// The text a [`StepField`] names, to show it.
pub fn step_text(step: &Step, field: StepField) -> &str {
    match field {
        StepField::Number => &step.number,
        StepField::Activity => &step.activity,
        StepField::Requirements => &step.requirements,
        StepField::Time => &step.time,
        StepField::Output => &step.output,
        StepField::Remarks => &step.remarks,
        StepField::Label => &step.label,
    }
}

fn move_item<T>(items: &mut Vec<T>, from: usize, to: usize) -> Result<(), Refused> {
    if from >= items.len() || to >= items.len() {
        return Err(Refused::NoSuchPlace);
    }
    let item = items.remove(from);
    items.insert(to, item);
    Ok(())
}

/// An id not yet used among `taken`: "prefix-1", "prefix-2"…
fn fresh_id<'a>(prefix: &str, taken: impl Iterator<Item = &'a str> + Clone) -> String {
    (1..)
        .map(|n| format!("{prefix}-{n}"))
        .find(|c| !taken.clone().any(|t| t == c))
        .unwrap_or_else(|| prefix.to_string())
}

/// Whether each start/process row flows (one plain exit) to the row below it:
/// the file's "next row" that moving rows must keep meaning the next row.
fn flows_to_next(sop: &Sop) -> Vec<bool> {
    sop.steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            matches!(s.symbol, Symbol::Start | Symbol::Process)
                && matches!(s.exits.as_slice(), [e] if e.label.is_empty()
                    && sop.steps.get(i + 1).is_some_and(|n| n.id == e.target))
        })
        .collect()
}

/// Points every row marked as flowing to the next row at the row now below it.
fn reconnect_next(sop: &mut Sop, flows: &[bool]) {
    let ids: Vec<StepId> = sop.steps.iter().map(|s| s.id.clone()).collect();
    for (i, step) in sop.steps.iter_mut().enumerate() {
        if flows.get(i) == Some(&true) {
            match ids.get(i + 1) {
                Some(next) => {
                    step.exits = vec![Exit {
                        label: String::new(),
                        target: next.clone(),
                    }]
                }
                None => step.exits.clear(),
            }
        }
    }
}

/// The number the No column gives each step by default: its row's count, or
/// nothing for a symbol sharing the row before it.
fn default_numbers(sop: &Sop) -> Vec<String> {
    let mut row = 0;
    sop.steps
        .iter()
        .map(|s| {
            if s.same_row {
                String::new()
            } else {
                row += 1;
                row.to_string()
            }
        })
        .collect()
}

/// Keeps the No column counting 1, 2, 3… where it did.
fn renumber(sop: &mut Sop, counted: &[bool]) {
    let numbers = default_numbers(sop);
    for (i, step) in sop.steps.iter_mut().enumerate() {
        if counted.get(i) == Some(&true) {
            step.number = numbers[i].clone();
        }
    }
}

fn counted(sop: &Sop) -> Vec<bool> {
    let numbers = default_numbers(sop);
    sop.steps
        .iter()
        .zip(numbers)
        .map(|(s, n)| s.number == n)
        .collect()
}

/// A key for a new column of the office's own, from its heading: lowercase
/// letters, digits and underscores, not a key the format already uses.
fn column_key(sop: &Sop, heading: &str) -> String {
    let mut base: String = heading
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    while base.contains("__") {
        base = base.replace("__", "_");
    }
    let base = base.trim_matches('_').to_string();
    let base = if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
        format!("kolom_{base}").trim_end_matches('_').to_string()
    } else {
        base
    };
    let reserved = crate::sop::format::reserved_step_keys();
    let taken =
        |k: &str| reserved.contains(&k) || sop.headings.columns.iter().any(|c| c.key() == k);
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|k| !taken(k))
        .unwrap_or(base)
}

/// Applies one edit to the SOP, or refuses it leaving the SOP as it was
/// (callers work on a copy).
pub fn edit_sop(sop: &mut Sop, edit: Edit) -> Result<(), Refused> {
    let steps = sop.steps.len();
    match edit {
        Edit::SetIdentity(field, text) => {
            let id = &mut sop.identity;
            match field {
                IdentityField::Name => id.name = text,
                IdentityField::Number => id.number = text,
                IdentityField::Unit => id.unit.name = text,
                IdentityField::Place => id.place = text,
                IdentityField::ApproverName => id.approver.name = text,
                IdentityField::ApproverNip => {
                    id.approver.nip = (!text.trim().is_empty()).then_some(text)
                }
            }
        }
        Edit::SetDate(field, date) => {
            let id = &mut sop.identity;
            match field {
                DateField::Created => id.created = date,
                DateField::Revised => id.revised = date,
                DateField::Effective => id.effective = date,
            }
        }
        Edit::ListInsert(field, at, text) => {
            let items = list_mut(sop, field);
            if at > items.len() {
                return Err(Refused::NoSuchPlace);
            }
            items.insert(at, text);
        }
        Edit::ListSet(field, at, text) => {
            *list_mut(sop, field)
                .get_mut(at)
                .ok_or(Refused::NoSuchPlace)? = text;
        }
        Edit::ListRemove(field, at) => {
            let items = list_mut(sop, field);
            if at >= items.len() {
                return Err(Refused::NoSuchPlace);
            }
            items.remove(at);
        }
        Edit::ListMove(field, from, to) => move_item(list_mut(sop, field), from, to)?,
        Edit::AddLane(name) => {
            let id = fresh_id("pelaksana", sop.lanes.iter().map(|l| l.id.0.as_str()));
            sop.lanes.push(Lane {
                id: LaneId(id),
                name,
            });
        }
        Edit::RenameLane(at, name) => {
            sop.lanes.get_mut(at).ok_or(Refused::NoSuchPlace)?.name = name;
        }
        Edit::MoveLane(from, to) => move_item(&mut sop.lanes, from, to)?,
        Edit::RemoveLane(at) => {
            let lane = sop.lanes.get(at).ok_or(Refused::NoSuchPlace)?.id.clone();
            let users: Vec<String> = sop
                .steps
                .iter()
                .filter(|s| s.lanes.contains(&lane))
                .map(|s| s.number.clone())
                .collect();
            if !users.is_empty() {
                return Err(Refused::LaneInUse(users));
            }
            sop.lanes.remove(at);
        }
        Edit::InsertStep(at) => {
            if at > steps {
                return Err(Refused::NoSuchPlace);
            }
            let mut flows = flows_to_next(sop);
            let numbers = counted(sop);
            let id = fresh_id("langkah", sop.steps.iter().map(|s| s.id.0.as_str()));
            // The row above flows into the new row when it went nowhere yet
            // (the last row, before anything followed it); an exit of it that
            // has no target yet gets the new row.
            if let Some(above) = at.checked_sub(1).and_then(|a| sop.steps.get_mut(a)) {
                if matches!(above.symbol, Symbol::Start | Symbol::Process) && above.exits.is_empty()
                {
                    flows[at - 1] = true;
                }
                for exit in &mut above.exits {
                    if exit.target.0.is_empty() {
                        exit.target = StepId(id.clone());
                    }
                }
            }
            let lane = at
                .checked_sub(1)
                .and_then(|above| sop.steps.get(above))
                .and_then(|s| s.lanes.first().cloned())
                .or_else(|| sop.lanes.first().map(|l| l.id.clone()));
            sop.steps.insert(
                at,
                Step {
                    id: StepId(id),
                    number: (at + 1).to_string(),
                    lanes: lane.into_iter().collect(),
                    symbol: Symbol::Process,
                    ..Step::default()
                },
            );
            // The new row flows on to the row below it; the row above, if it
            // flowed to the next row, now flows into the new one.
            flows.insert(at, true);
            let mut numbers = numbers;
            numbers.insert(at, true);
            reconnect_next(sop, &flows);
            renumber(sop, &numbers);
        }
        Edit::MoveStep(from, to) => {
            let mut flows = flows_to_next(sop);
            let mut numbers = counted(sop);
            move_item(&mut sop.steps, from, to)?;
            move_item(&mut flows, from, to)?;
            move_item(&mut numbers, from, to)?;
            reconnect_next(sop, &flows);
            renumber(sop, &numbers);
        }
        Edit::DeleteStep(at) => {
            if at >= steps {
                return Err(Refused::NoSuchPlace);
            }
            let mut flows = flows_to_next(sop);
            let mut numbers = counted(sop);
            let gone = sop.steps.remove(at);
            flows.remove(at);
            numbers.remove(at);
            // A symbol that shared the deleted step's row keeps a row: it
            // now leads it.
            if !gone.same_row
                && let Some(next) = sop.steps.get_mut(at)
                && next.same_row
            {
                next.same_row = false;
            }
            // Where the deleted row went, when it went one way.
            let onward = match gone.exits.as_slice() {
                [one] => Some(one.target.clone()),
                _ => None,
            };
            for step in &mut sop.steps {
                for exit in &mut step.exits {
                    if exit.target == gone.id
                        && let Some(to) = &onward
                    {
                        exit.target = to.clone();
                    }
                }
            }
            reconnect_next(sop, &flows);
            renumber(sop, &numbers);
        }
        Edit::SetStep(at, field, text) => {
            let step = sop.steps.get_mut(at).ok_or(Refused::NoSuchPlace)?;
            match field {
                StepField::Number => step.number = text,
                StepField::Activity => step.activity = text,
                StepField::Requirements => step.requirements = text,
                StepField::Time => step.time = text,
                StepField::Output => step.output = text,
                StepField::Remarks => step.remarks = text,
                StepField::Label => step.label = text,
            }
        }
        Edit::SetSymbol(at, symbol) => {
            let next = sop.steps.get(at + 1).map(|s| s.id.clone());
            let above = at
                .checked_sub(1)
                .and_then(|a| sop.steps.get(a))
                .map(|s| s.id.clone());
            let step = sop.steps.get_mut(at).ok_or(Refused::NoSuchPlace)?;
            if step.symbol == symbol {
                return Ok(());
            }
            step.symbol = symbol;
            let plain = |to: Option<StepId>| -> Vec<Exit> {
                to.map(|target| Exit {
                    label: String::new(),
                    target,
                })
                .into_iter()
                .collect()
            };
            step.exits = match symbol {
                Symbol::End => Vec::new(),
                Symbol::Start | Symbol::Process => match step.exits.first() {
                    Some(e) => vec![Exit {
                        label: String::new(),
                        target: e.target.clone(),
                    }],
                    None => plain(next),
                },
                Symbol::Decision => {
                    let yes = step
                        .exits
                        .first()
                        .map(|e| e.target.clone())
                        .or(next.clone())
                        .unwrap_or_default();
                    let no = above.or(next).unwrap_or_default();
                    vec![
                        Exit {
                            label: "Ya".into(),
                            target: yes,
                        },
                        Exit {
                            label: "Tidak".into(),
                            target: no,
                        },
                    ]
                }
            };
        }
        Edit::ToggleStepLane(at, lane) => {
            let lane = sop.lanes.get(lane).ok_or(Refused::NoSuchPlace)?.id.clone();
            let step = sop.steps.get_mut(at).ok_or(Refused::NoSuchPlace)?;
            if let Some(pos) = step.lanes.iter().position(|l| *l == lane) {
                if step.lanes.len() == 1 {
                    return Err(Refused::LastLaneOfStep);
                }
                step.lanes.remove(pos);
            } else {
                step.lanes.push(lane);
                // Left to right, as the columns stand.
                let order = |l: &LaneId| sop.lanes.iter().position(|x| x.id == *l);
                step.lanes.sort_by_key(order);
            }
        }
        Edit::SetExitLabel(at, exit, label) => {
            sop.steps
                .get_mut(at)
                .and_then(|s| s.exits.get_mut(exit))
                .ok_or(Refused::NoSuchPlace)?
                .label = label;
        }
        Edit::SetExitTarget(at, exit, target) => {
            if sop.step(&target).is_none() {
                return Err(Refused::NoSuchTarget);
            }
            sop.steps
                .get_mut(at)
                .and_then(|s| s.exits.get_mut(exit))
                .ok_or(Refused::NoSuchPlace)?
                .target = target;
        }
        Edit::AddExit(at) => {
            let next = sop.steps.get(at + 1).map(|s| s.id.clone());
            let step = sop.steps.get_mut(at).ok_or(Refused::NoSuchPlace)?;
            let target = next
                .or_else(|| step.exits.last().map(|e| e.target.clone()))
                .unwrap_or_else(|| step.id.clone());
            step.exits.push(Exit {
                label: String::new(),
                target,
            });
        }
        Edit::RemoveExit(at, exit) => {
            let step = sop.steps.get_mut(at).ok_or(Refused::NoSuchPlace)?;
            if exit >= step.exits.len() {
                return Err(Refused::NoSuchPlace);
            }
            step.exits.remove(exit);
        }
        Edit::SetSameRow(at, same) => {
            let numbers = counted(sop);
            sop.steps.get_mut(at).ok_or(Refused::NoSuchPlace)?.same_row = same;
            renumber(sop, &numbers);
        }
        Edit::SetLaneMode(at, mode) => {
            sop.steps.get_mut(at).ok_or(Refused::NoSuchPlace)?.lane_mode = mode;
        }
        Edit::SetExtra(at, key, value) => {
            let own =
                |c: &MutuBakuColumn| matches!(c, MutuBakuColumn::Extra { key: k, .. } if *k == key);
            if !sop.headings.columns.iter().any(own) {
                return Err(Refused::NoSuchPlace);
            }
            let step = sop.steps.get_mut(at).ok_or(Refused::NoSuchPlace)?;
            step.extra.retain(|(k, _)| *k != key);
            if !value.is_empty() {
                step.extra.push((key, value));
                // In the columns' order, as the file writes them.
                let order = |k: &str| sop.headings.columns.iter().position(|c| c.key() == k);
                step.extra.sort_by_key(|(k, _)| order(k));
            }
        }
        Edit::SetHeading(field, text) => {
            let h = &mut sop.headings;
            match field {
                HeadingField::Activity => h.activity = text,
                HeadingField::Requirements => h.requirements = text,
                HeadingField::Time => h.time = text,
                HeadingField::Output => h.output = text,
            }
        }
        Edit::ToggleColumn(column) => {
            if matches!(column, MutuBakuColumn::Extra { .. }) {
                return Err(Refused::NoSuchPlace);
            }
            let columns = &mut sop.headings.columns;
            match columns.iter().position(|c| *c == column) {
                Some(at) => {
                    columns.remove(at);
                }
                None => {
                    // Back in the regulation's order among the standard ones,
                    // before the office's own.
                    let rank = |c: &MutuBakuColumn| match c {
                        MutuBakuColumn::Requirements => 0,
                        MutuBakuColumn::Time => 1,
                        MutuBakuColumn::Output => 2,
                        MutuBakuColumn::Extra { .. } => 3,
                    };
                    let at = columns
                        .iter()
                        .position(|c| rank(c) > rank(&column))
                        .unwrap_or(columns.len());
                    columns.insert(at, column);
                }
            }
        }
        Edit::AddColumn(heading) => {
            let key = column_key(sop, &heading);
            sop.headings
                .columns
                .push(MutuBakuColumn::Extra { key, heading });
        }
        Edit::RenameColumn(at, text) => match sop.headings.columns.get_mut(at) {
            Some(MutuBakuColumn::Extra { heading, .. }) => *heading = text,
            _ => return Err(Refused::NoSuchPlace),
        },
        Edit::RemoveColumn(at) => {
            let key = match sop.headings.columns.get(at) {
                Some(MutuBakuColumn::Extra { key, .. }) => key.clone(),
                _ => return Err(Refused::NoSuchPlace),
            };
            sop.headings.columns.remove(at);
            for step in &mut sop.steps {
                step.extra.retain(|(k, _)| *k != key);
            }
        }
        Edit::SetSignaturePlace(place) => sop.identity.approver.sign_at = place,
    }
    Ok(())
}

/// A part of a step that a revision changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepPart {
    Field(StepField),
    Lanes,
    Symbol,
    Exits,
    /// Sharing the row before, or how its lanes share it.
    Row,
    /// A value of the office's own Mutu Baku columns.
    Extra,
}

/// One difference between two revisions, in the office's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    Identity {
        field: IdentityField,
        old: String,
        new: String,
    },
    Date {
        field: DateField,
        old: Option<chrono::NaiveDate>,
        new: Option<chrono::NaiveDate>,
    },
    List {
        field: ListField,
        added: Vec<String>,
        removed: Vec<String>,
    },
    LaneAdded(String),
    LaneRemoved(String),
    LaneRenamed {
        old: String,
        new: String,
    },
    LanesReordered,
    StepAdded {
        number: String,
        activity: String,
    },
    StepRemoved {
        number: String,
        activity: String,
    },
    StepChanged {
        number: String,
        activity: String,
        parts: Vec<StepPart>,
    },
    StepsReordered,
    HeadingsChanged,
}

/// What changed from `old` to `new`: identity fields and lists, lanes and
/// steps (matched by their ids), in that order.
/// The tanggal revisi a new revision gets when it is first saved: today (the
/// office's date), unless the clerk already wrote one. `None` when nothing is
/// to change: not a new revision, or the date was set by hand.
pub fn revision_dating(
    new_revision: bool,
    editing: &Sop,
    saved: &Sop,
    today: chrono::NaiveDate,
) -> Option<Edit> {
    (new_revision && editing.identity.revised == saved.identity.revised)
        .then_some(Edit::SetDate(DateField::Revised, Some(today)))
}

pub fn compare(old: &Sop, new: &Sop) -> Vec<Difference> {
    let mut out = Vec::new();
    for field in [
        IdentityField::Name,
        IdentityField::Number,
        IdentityField::Unit,
        IdentityField::Place,
        IdentityField::ApproverName,
        IdentityField::ApproverNip,
    ] {
        let (a, b) = (identity_text(old, field), identity_text(new, field));
        if a != b {
            out.push(Difference::Identity {
                field,
                old: a.into(),
                new: b.into(),
            });
        }
    }
    for (field, a, b) in [
        (
            DateField::Created,
            old.identity.created,
            new.identity.created,
        ),
        (
            DateField::Revised,
            old.identity.revised,
            new.identity.revised,
        ),
        (
            DateField::Effective,
            old.identity.effective,
            new.identity.effective,
        ),
    ] {
        if a != b {
            out.push(Difference::Date {
                field,
                old: a,
                new: b,
            });
        }
    }
    for field in ListField::ALL {
        let (a, b) = (list(old, field), list(new, field));
        if a != b {
            out.push(Difference::List {
                field,
                added: b.iter().filter(|x| !a.contains(x)).cloned().collect(),
                removed: a.iter().filter(|x| !b.contains(x)).cloned().collect(),
            });
        }
    }
    if old.headings != new.headings {
        out.push(Difference::HeadingsChanged);
    }
    for lane in &new.lanes {
        match old.lane(&lane.id) {
            None => out.push(Difference::LaneAdded(lane.name.clone())),
            Some(o) if o.name != lane.name => out.push(Difference::LaneRenamed {
                old: o.name.clone(),
                new: lane.name.clone(),
            }),
            Some(_) => {}
        }
    }
    for lane in &old.lanes {
        if new.lane(&lane.id).is_none() {
            out.push(Difference::LaneRemoved(lane.name.clone()));
        }
    }
    let common = |a: &[Lane], b: &[Lane]| -> Vec<LaneId> {
        a.iter()
            .filter(|l| b.iter().any(|x| x.id == l.id))
            .map(|l| l.id.clone())
            .collect()
    };
    if common(&old.lanes, &new.lanes) != common(&new.lanes, &old.lanes) {
        out.push(Difference::LanesReordered);
    }
    for step in &new.steps {
        match old.step(&step.id) {
            None => out.push(Difference::StepAdded {
                number: step.number.clone(),
                activity: step.activity.clone(),
            }),
            Some(o) => {
                let mut parts = Vec::new();
                for field in StepField::ALL {
                    if step_text(o, field) != step_text(step, field) {
                        parts.push(StepPart::Field(field));
                    }
                }
                if o.lanes != step.lanes {
                    parts.push(StepPart::Lanes);
                }
                if o.symbol != step.symbol {
                    parts.push(StepPart::Symbol);
                }
                if o.exits != step.exits {
                    parts.push(StepPart::Exits);
                }
                if o.same_row != step.same_row || o.lane_mode != step.lane_mode {
                    parts.push(StepPart::Row);
                }
                if o.extra != step.extra {
                    parts.push(StepPart::Extra);
                }
                if !parts.is_empty() {
                    out.push(Difference::StepChanged {
                        number: step.number.clone(),
                        activity: step.activity.clone(),
                        parts,
                    });
                }
            }
        }
    }
    for step in &old.steps {
        if new.step(&step.id).is_none() {
            out.push(Difference::StepRemoved {
                number: step.number.clone(),
                activity: step.activity.clone(),
            });
        }
    }
    let order = |a: &Sop, b: &Sop| -> Vec<StepId> {
        a.steps
            .iter()
            .filter(|s| b.step(&s.id).is_some())
            .map(|s| s.id.clone())
            .collect()
    };
    if order(old, new) != order(new, old) {
        out.push(Difference::StepsReordered);
    }
    out
}
