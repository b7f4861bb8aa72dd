//! The SOP AP as data: identity page, lanes (pelaksana) and steps (kegiatan rows).
//!
//! The model is deliberately permissive: it can hold an SOP with mistakes (a branch
//! to a missing step, a decision with one exit) so that the editor and the file
//! loader can show those mistakes instead of refusing the whole document.
//! `validate` says what is wrong; nothing here does IO or knows about the UI.

use chrono::NaiveDate;

use super::waktu::StandardTime;

/// The newest version of the `sops/*.toml` file format. Version 1 files still
/// read and mean what they meant; a file is written in the lowest version
/// that holds its SOP (see `format::write`).
pub const FORMAT_VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sop {
    pub identity: Identity,
    /// Column headings of the Mutu Baku group, as this office prints them.
    pub headings: MutuBakuHeadings,
    /// The swimlanes, left to right.
    pub lanes: Vec<Lane>,
    /// The rows of the flowchart table, top to bottom.
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Identity {
    /// Nama SOP.
    pub name: String,
    /// Nomor SOP, in the office's own numbering (e.g. `01/KPTS/2024`).
    pub number: String,
    pub unit: Unit,
    /// Tanggal pembuatan: when drafting was finished.
    pub created: Option<NaiveDate>,
    /// Tanggal revisi: empty for an SOP never revised.
    pub revised: Option<NaiveDate>,
    /// Tanggal efektif.
    pub effective: Option<NaiveDate>,
    /// Disahkan oleh.
    pub approver: Approver,
    /// Where the SOP is approved, printed before the date above the signature
    /// (e.g. "Bunder"); may be empty.
    pub place: String,
    /// Dasar hukum.
    pub legal_basis: Vec<String>,
    /// Kualifikasi pelaksana.
    pub qualifications: Vec<String>,
    /// Keterkaitan: related SOPs.
    pub related: Vec<String>,
    /// Peralatan / perlengkapan.
    pub equipment: Vec<String>,
    /// Peringatan.
    pub warnings: Vec<String>,
    /// Pencatatan dan pendataan.
    pub records: Vec<String>,
}

/// The unit that owns the SOP and the units above it, nearest first
/// (e.g. "PPID Kalurahan Bunder", then "Kapanewon Patuk").
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Unit {
    pub name: String,
    pub parents: Vec<String>,
}

/// The official who approves (mengesahkan) the SOP.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Approver {
    /// Title lines as printed, e.g. "LURAH BUNDER", "SELAKU ATASAN PPID".
    pub title_lines: Vec<String>,
    pub name: String,
    /// NIP: a Lurah or Kepala Desa often has none.
    pub nip: Option<String>,
    /// Where the official signs.
    pub sign_at: SignaturePlace,
}

/// Where an SOP is signed. Offices do both: the regulation's model and many
/// village SOPs end with a signature block under the table; agencies that
/// sign electronically sign in the identity page's "Disahkan oleh" cell only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignaturePlace {
    /// Under the table, after the last row (the identity page's cell keeps
    /// room for a signature too).
    #[default]
    End,
    /// In the identity page's "Disahkan oleh" cell only.
    Identity,
}

/// The headings of the table's columns as this office prints them. Offices
/// rename them ("Persyaratan" for Kelengkapan, "Uraian" or "Aktivitas" for
/// Kegiatan), print Mutu Baku with two columns, or add one ("Sumber Data").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MutuBakuHeadings {
    pub requirements: String,
    pub time: String,
    pub output: String,
    /// The heading of the activity column.
    pub activity: String,
    /// The Mutu Baku columns the table has, in order.
    pub columns: Vec<MutuBakuColumn>,
}

/// One column of the Mutu Baku group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MutuBakuColumn {
    Requirements,
    Time,
    Output,
    /// A column of the office's own ("Sumber Data"): its key in the file and
    /// its heading.
    Extra {
        key: String,
        heading: String,
    },
}

impl MutuBakuColumn {
    /// The key of the column in the file.
    pub fn key(&self) -> &str {
        match self {
            MutuBakuColumn::Requirements => "kelengkapan",
            MutuBakuColumn::Time => "waktu",
            MutuBakuColumn::Output => "output",
            MutuBakuColumn::Extra { key, .. } => key,
        }
    }
}

impl MutuBakuHeadings {
    /// The three columns of the regulation's model, in its order.
    pub fn standard_columns() -> Vec<MutuBakuColumn> {
        vec![
            MutuBakuColumn::Requirements,
            MutuBakuColumn::Time,
            MutuBakuColumn::Output,
        ]
    }

    /// The heading printed over a Mutu Baku column.
    pub fn heading<'a>(&'a self, column: &'a MutuBakuColumn) -> &'a str {
        match column {
            MutuBakuColumn::Requirements => &self.requirements,
            MutuBakuColumn::Time => &self.time,
            MutuBakuColumn::Output => &self.output,
            MutuBakuColumn::Extra { heading, .. } => heading,
        }
    }
}

impl Default for MutuBakuHeadings {
    fn default() -> Self {
        Self {
            requirements: "Kelengkapan".into(),
            time: "Waktu".into(),
            output: "Output".into(),
            activity: "Kegiatan".into(),
            columns: MutuBakuHeadings::standard_columns(),
        }
    }
}

/// A stable identifier of a lane, written in the SOP file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct LaneId(pub String);

/// A stable identifier of a step, written in the SOP file; kegiatan records refer to it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct StepId(pub String);

impl std::fmt::Display for LaneId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Display for StepId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A pelaksana: one swimlane column.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Lane {
    pub id: LaneId,
    pub name: String,
}

/// The shape a step is drawn with. Arrows and off-page connectors are not
/// steps: the layout derives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Symbol {
    /// Capsule labelled MULAI.
    Start,
    /// Rectangle.
    #[default]
    Process,
    /// Diamond with exactly two labelled exits.
    Decision,
    /// Capsule labelled SELESAI.
    End,
}

impl Symbol {
    pub const ALL: [Symbol; 4] = [
        Symbol::Start,
        Symbol::Process,
        Symbol::Decision,
        Symbol::End,
    ];
}

/// How the lanes of a step drawn in several lanes share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LaneMode {
    /// Every lane does its part ("bersama"): the step is done when all have.
    #[default]
    All,
    /// Whichever lane has the case does it ("salah satu"): the step is done
    /// when one of them has (a letter arrives at the counter or by e-mail).
    Any,
}

/// One way out of a step.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Exit {
    /// The label on the arrow: "Ya"/"Tidak" on most decisions, but offices also
    /// write e.g. "Teknis"/"Administratif". Empty for the plain flow of a process.
    pub label: String,
    pub target: StepId,
}

/// One symbol of the flowchart, and (unless it shares the row before it) one
/// row of the table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Step {
    pub id: StepId,
    /// The number shown in the No column (usually 1, 2, 3…, but offices write "3a").
    pub number: String,
    /// The Kegiatan column: what is done, as a sentence. A step sharing the
    /// row before it may name just its symbol here (shown in task lists).
    pub activity: String,
    /// The lane or lanes that carry it out.
    pub lanes: Vec<LaneId>,
    /// With several lanes: all of them act, or whichever has the case.
    pub lane_mode: LaneMode,
    /// This symbol stands in the same table row as the step before it (a row
    /// holding a start and the first box, a box and the end, …). The row's
    /// No, Kegiatan, Mutu Baku and Keterangan are the first step's.
    pub same_row: bool,
    /// Text printed inside a start or end capsule instead of MULAI/SELESAI
    /// ("Langsung ke kantor", "Via email").
    pub label: String,
    /// Values of the office's own Mutu Baku columns, by their key.
    pub extra: Vec<(String, String)>,
    pub symbol: Symbol,
    /// Where the work goes next: one exit for start and process, two for a decision,
    /// none for an end.
    pub exits: Vec<Exit>,
    /// Mutu baku: kelengkapan (inputs needed).
    pub requirements: String,
    /// Mutu baku: waktu, exactly as written. See [`Step::standard_time`].
    pub time: String,
    /// Mutu baku: output.
    pub output: String,
    /// Keterangan.
    pub remarks: String,
}

impl Step {
    /// The Waktu column understood as a machine value, where it can be.
    pub fn standard_time(&self) -> StandardTime {
        StandardTime::parse(&self.time)
    }

    /// The value of one Mutu Baku column of this step.
    pub fn mutu_baku<'a>(&'a self, column: &MutuBakuColumn) -> &'a str {
        match column {
            MutuBakuColumn::Requirements => &self.requirements,
            MutuBakuColumn::Time => &self.time,
            MutuBakuColumn::Output => &self.output,
            MutuBakuColumn::Extra { key, .. } => self
                .extra
                .iter()
                .find(|(k, _)| k == key)
                .map_or("", |(_, v)| v.as_str()),
        }
    }

    /// Whether a lane finishing its part finishes the step, given the lanes
    /// done so far.
    pub fn done_by(&self, lanes_done: &std::collections::BTreeSet<LaneId>) -> bool {
        match self.lane_mode {
            LaneMode::All => self.lanes.iter().all(|l| lanes_done.contains(l)),
            LaneMode::Any => self.lanes.iter().any(|l| lanes_done.contains(l)),
        }
    }
}

impl Sop {
    /// The table's rows: each a range of steps, the first one holding the
    /// row's texts, the others sharing its row (`same_row`).
    pub fn rows(&self) -> Vec<std::ops::Range<usize>> {
        let mut rows: Vec<std::ops::Range<usize>> = Vec::new();
        for (i, step) in self.steps.iter().enumerate() {
            match rows.last_mut() {
                Some(row) if step.same_row => row.end = i + 1,
                _ => rows.push(i..i + 1),
            }
        }
        rows
    }

    /// The step holding the texts of step `index`'s row.
    pub fn row_leader(&self, index: usize) -> usize {
        let mut i = index.min(self.steps.len().saturating_sub(1));
        while i > 0 && self.steps.get(i).is_some_and(|s| s.same_row) {
            i -= 1;
        }
        i
    }

    pub fn step(&self, id: &StepId) -> Option<&Step> {
        self.steps.iter().find(|s| &s.id == id)
    }

    pub fn step_index(&self, id: &StepId) -> Option<usize> {
        self.steps.iter().position(|s| &s.id == id)
    }

    pub fn lane(&self, id: &LaneId) -> Option<&Lane> {
        self.lanes.iter().find(|l| &l.id == id)
    }

    pub fn lane_index(&self, id: &LaneId) -> Option<usize> {
        self.lanes.iter().position(|l| &l.id == id)
    }
}
