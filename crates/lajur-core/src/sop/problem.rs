//! Problems found in an SOP: in its file (format) or in its content (validation).
//!
//! A problem names *what* is wrong and *where in the model*; the file reader's
//! [`SourceMap`] turns that into a line and column, and the editor (later) into a
//! form field. Messages come from the i18n catalogue.

use std::collections::HashMap;
use std::ops::Range;

use super::model::{LaneId, StepId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The SOP cannot be used until this is fixed.
    Error,
    /// Worth fixing, but the SOP works.
    Warning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentityField {
    Name,
    Number,
    Created,
    Revised,
    Effective,
    ApproverName,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LaneField {
    Whole,
    Id,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepField {
    Whole,
    Id,
    Number,
    Activity,
    Lanes,
    Symbol,
    /// The n-th exit (its target).
    Exit(usize),
    /// All exits together (e.g. "a decision needs two").
    Exits,
    /// `sebaris`: shares the row before.
    SameRow,
    /// `pelaksana_cara`: all lanes, or whichever has the case.
    LaneMode,
    /// The text in a start or end capsule.
    Label,
}

/// Where a problem is, in terms of the model (or, for format problems, of the text).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    /// The file or SOP as a whole.
    Document,
    /// A byte range of the source text (syntax, unknown fields, wrong types).
    Source(Range<usize>),
    Identity(IdentityField),
    Lane {
        index: usize,
        field: LaneField,
    },
    Step {
        index: usize,
        field: StepField,
    },
}

/// The kind of value a field expects, to say so when it gets another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Text,
    TextList,
    Table,
    TableList,
    Integer,
    Date,
    /// `true` or `false`.
    YesNo,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    // ── the file ──
    /// TOML syntax error; the message comes from the TOML parser (English).
    Syntax {
        detail: String,
    },
    UnknownField {
        field: String,
        suggestion: Option<&'static str>,
    },
    WrongType {
        field: String,
        expected: ValueKind,
    },
    MissingField {
        field: String,
    },
    MissingFormatVersion,
    UnsupportedFormatVersion {
        found: String,
    },
    InvalidDate {
        field: String,
        text: String,
    },
    UnknownSymbol {
        text: String,
    },
    /// A key of version 2 in a version 1 file.
    NeedsVersion2 {
        field: String,
    },
    /// `pelaksana_cara` other than "bersama" or "salah_satu".
    UnknownLaneMode {
        text: String,
    },
    /// `tanda_tangan` other than "akhir" or "identitas".
    UnknownSignaturePlace {
        text: String,
    },
    /// A Mutu Baku column key that cannot be a key.
    BadColumnKey {
        key: String,
    },
    /// An office's own Mutu Baku column without its heading.
    ColumnWithoutHeading {
        key: String,
    },
    DuplicateColumn {
        key: String,
    },
    /// Something an importer could not decide for sure in an office's Word
    /// or Excel file: what it guessed is in the draft, to be confirmed.
    Imported {
        place: ImportPlace,
        note: ImportNote,
    },
    // ── the content ──
    NoLanes,
    NoSteps,
    EmptyLaneId,
    DuplicateLaneId {
        id: LaneId,
    },
    EmptyStepId,
    DuplicateStepId {
        id: StepId,
    },
    DuplicateNumber {
        number: String,
    },
    StepWithoutLane,
    UnknownLane {
        lane: LaneId,
    },
    UnknownTarget {
        target: StepId,
    },
    ExitToItself,
    DecisionExitCount {
        found: usize,
    },
    DecisionExitUnlabelled,
    DecisionExitsSameLabel {
        label: String,
    },
    /// Both exits of a decision lead to the same step: the question decides nothing.
    DecisionExitsSameTarget,
    /// `sebaris` on the first step: there is no row before it.
    SameRowFirst,
    /// A step sharing the row before it carries texts of its own (No, Mutu
    /// Baku, Keterangan): only the row's first step's are printed.
    SameRowTexts,
    /// A label on a symbol other than a start or an end.
    LabelNotTerminator,
    FlowExitCount {
        found: usize,
    },
    EndWithExits,
    NoStart,
    NoEnd,
    Unreachable,
    NeverEnds,
    EmptyActivity,
    EmptyApproverName,
    DateBeforeCreated {
        field: IdentityField,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub kind: ProblemKind,
    pub subject: Subject,
}

impl Problem {
    pub fn error(kind: ProblemKind, subject: Subject) -> Self {
        Self {
            severity: Severity::Error,
            kind,
            subject,
        }
    }

    pub fn warning(kind: ProblemKind, subject: Subject) -> Self {
        Self {
            severity: Severity::Warning,
            kind,
            subject,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Where each part of the model was written in the source text.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    spans: HashMap<Subject, Range<usize>>,
}

impl SourceMap {
    pub fn insert(&mut self, subject: Subject, span: Range<usize>) {
        self.spans.insert(subject, span);
    }

    /// The best span for a subject: its own, or that of the thing it belongs to.
    pub fn span(&self, subject: &Subject) -> Option<Range<usize>> {
        if let Subject::Source(span) = subject {
            return Some(span.clone());
        }
        if let Some(span) = self.spans.get(subject) {
            return Some(span.clone());
        }
        let parent = match subject {
            Subject::Step {
                index,
                field: StepField::Exit(_),
            } => Subject::Step {
                index: *index,
                field: StepField::Exits,
            },
            Subject::Step { index, field } if *field != StepField::Whole => Subject::Step {
                index: *index,
                field: StepField::Whole,
            },
            Subject::Lane { index, field } if *field != LaneField::Whole => Subject::Lane {
                index: *index,
                field: LaneField::Whole,
            },
            _ => return None,
        };
        self.span(&parent)
    }
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl Location {
    pub fn of_offset(text: &str, offset: usize) -> Location {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Location { line, column }
    }
}

/// A problem placed in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub problem: Problem,
    pub location: Location,
}

/// Where in an imported file: a table of a Word document or a sheet of a
/// workbook, and a row of it (1-based, as the office counts them).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImportPlace {
    /// "2" for the second table, or the sheet's name.
    pub part: ImportPart,
    pub row: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ImportPart {
    Table(usize),
    Sheet(String),
    /// The file as a whole.
    File,
}

/// What an importer was unsure of (a step is named by its No).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ImportNote {
    /// No arrow leaves this step; it is taken to flow to `proposed`.
    NoArrowOut { proposed: String },
    /// An arrow's end is not at a symbol; taken to go to `proposed`.
    UnclearTarget { label: String, proposed: String },
    /// A decision's exit has no label near it; `label` is supposed.
    ExitLabelGuessed { label: String },
    /// The document draws no exits of this decision; Ya and Tidak proposed.
    DecisionExitsProposed { yes: String, no: String },
    /// The document does not tell starts and ends from other steps (a mark
    /// in the lane cell, capsules without words): the first step is taken
    /// as the start and the last as the end.
    StartEndGuessed,
    /// A row has no symbol in any lane; the step is put in `lane`.
    NoSymbol { lane: String },
    /// One row marks several lanes: read as one step they all do.
    SeveralLanes,
    /// A shape outside the lanes (or invisible) is left out.
    ShapeIgnored { text: String },
    /// A picture in a lane cell is read as a box (a process).
    PictureAsProcess,
    /// The document has no arrows at all: the flow follows the rows.
    NoArrows,
    /// A template's placeholder (`${nama}`) still in the text.
    Placeholder { text: String },
    /// A date without a day or otherwise not understood; left empty.
    DateUnclear { text: String },
    /// The unit and the units above it were read from the heading's lines.
    UnitGuessed { unit: String },
    /// An identity field was not found.
    FieldMissing { field: IdentityField },
    /// A step has more than one arrow leaving it; the first is kept.
    ExtraExit { target: String },
    /// A lane has no symbol in any row.
    EmptyLane { lane: String },
    /// A line of the signature that has no place in the format (a rank).
    SignatureLineDropped { text: String },
    /// An identity field's label is there but its value is empty.
    FieldEmpty { field: IdentityField },
    /// A step marked as a process whose words choose ("jika …, jika
    /// tidak …"): the file may have left a decision undrawn.
    ReadsLikeDecision,
}
