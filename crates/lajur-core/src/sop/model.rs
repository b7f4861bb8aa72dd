//! The SOP AP as data: identity page, lanes (pelaksana) and steps (kegiatan rows).
//!
//! The model is deliberately permissive: it can hold an SOP with mistakes (a branch
//! to a missing step, a decision with one exit) so that the editor and the file
//! loader can show those mistakes instead of refusing the whole document.
//! `validate` says what is wrong; nothing here does IO or knows about the UI.

use chrono::NaiveDate;

use super::waktu::StandardTime;

/// The current version of the `sops/*.toml` file format.
pub const FORMAT_VERSION: u32 = 1;

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
}

/// The headings of the three Mutu Baku columns. Offices rename them
/// (e.g. "Sumber Data" for Kelengkapan, "Keluaran" for Output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MutuBakuHeadings {
    pub requirements: String,
    pub time: String,
    pub output: String,
}

impl Default for MutuBakuHeadings {
    fn default() -> Self {
        Self {
            requirements: "Kelengkapan".into(),
            time: "Waktu".into(),
            output: "Output".into(),
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

/// One way out of a step.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Exit {
    /// The label on the arrow: "Ya"/"Tidak" on most decisions, but offices also
    /// write e.g. "Teknis"/"Administratif". Empty for the plain flow of a process.
    pub label: String,
    pub target: StepId,
}

/// One row of the flowchart table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Step {
    pub id: StepId,
    /// The number shown in the No column (usually 1, 2, 3…, but offices write "3a").
    pub number: String,
    /// The Kegiatan column: what is done, as a sentence.
    pub activity: String,
    /// The lane or lanes that carry it out together.
    pub lanes: Vec<LaneId>,
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
}

impl Sop {
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
