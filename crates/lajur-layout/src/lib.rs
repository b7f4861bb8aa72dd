//! The flowchart table laid out once, in millimetres, as a display list that the
//! screen painter and the PDF painter both draw. Pure: no egui, no printpdf.
//!
//! The table follows SOP AP: No | Kegiatan | one column per pelaksana | Mutu Baku
//! (Kelengkapan, Waktu, Output) | Keterangan. Each step's shape sits in its lane
//! column(s); arrows run orthogonally in the free space between shapes: straight
//! down or with a jog in the gap between two rows, and along "gutters" (tracks at
//! the side of each lane column, where no shape ever stands) when they skip rows
//! or go back. Where the table breaks across pages, arrows end in lettered
//! off-page connectors.
//!
//! This root only names the modules and what they offer.

pub mod check;
pub mod display;
pub mod document;
pub mod flowchart;
pub mod geom;
pub mod item;
pub mod kinds;
pub mod page;
pub mod quality;
mod route;
pub mod sheet;
mod table;
pub mod text;
pub mod theme;

pub use document::{Signature, document, document_for_office};
pub use flowchart::layout;
pub use geom::{Pt, Rect, pt};
pub use kinds::{ArrowKind, ImageKey, ShapeKind, TextRole};
pub use lajur_core::paper::{Flow, Margins, Orientation, PageSettings, Paper, RowsPerPage};
pub use page::{
    Arrow, Connector, ExitLabel, FitProblem, IdentityGeometry, Layout, Page, PlacedImage, RowBox,
    Rule, Shape, TextRun,
};

/// The table's measures that another drawing of it (the Word file) repeats.
pub mod measures {
    /// Room between a cell's rules and its text, mm.
    pub const CELL_PAD: f32 = crate::table::PAD;
    /// The height of an empty band that carries off-page connectors at a
    /// page's top or bottom, mm.
    pub const BAND: f32 = crate::table::BAND;
    /// Room kept under the table for the page number, mm.
    pub const FOOTER: f32 = crate::table::FOOTER;
    /// The approval block: type size, pt; its gap under the table and the
    /// room to sign, mm.
    pub const APPROVAL_PT: f32 = crate::document::APPROVAL_PT;
    pub const APPROVAL_GAP: f32 = crate::document::APPROVAL_GAP;
    /// The approval block's widest width, mm (at most 45 % of the table's).
    pub const APPROVAL_WIDTH: f32 = crate::document::APPROVAL_WIDTH;
    pub const SIGNATURE_SPACE: f32 = crate::document::SIGNATURE_SPACE;
}
pub use text::{BundledFont, FontMetrics, Weight};

/// The words the flowchart table's text cell in `column` holds for the row
/// led by step `leader`, before the layout wraps them (`None` for a lane
/// column): another drawing of the table tells a wrapped line from a line
/// the words themselves break.
pub fn cell_words(sop: &lajur_core::sop::Sop, column: usize, leader: usize) -> Option<String> {
    match table::column_kinds(sop).get(column)? {
        table::ColKind::Lane(_) => None,
        kind => Some(table::cell_text(sop, *kind, leader)),
    }
}
