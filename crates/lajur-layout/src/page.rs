//! What the layout places on a page, by what it is: rows, rules, texts, shapes,
//! arrows, off-page connectors, marks, pictures. The checker and the window's
//! hit testing read these; the painters draw the page's display list
//! ([`crate::display`]), made from them.

use crate::geom::{Pt, Rect};
use crate::kinds::{ArrowKind, ImageKey, ShapeKind, TextRole};
use crate::text::Weight;

/// One line of text, its top-left corner at `pos`.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    pub pos: Pt,
    pub text: String,
    pub size_pt: f32,
    pub weight: Weight,
    pub width: f32,
    pub role: TextRole,
    /// The step whose row this text belongs to, if any.
    pub step: Option<usize>,
    /// The cell (or box) the text must stay inside, when it has one.
    pub cell: Option<Rect>,
    /// The line ends inside a word that goes on on the next line.
    pub word_split: bool,
}

impl TextRun {
    pub fn rect(&self) -> Rect {
        Rect::from_min_size(
            self.pos,
            self.width,
            crate::theme::line_height(self.size_pt),
        )
    }
}

/// A straight ruled line of the table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub a: Pt,
    pub b: Pt,
    pub width: f32,
}

/// A step's shape in one lane.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shape {
    pub step: usize,
    pub lane: usize,
    pub kind: ShapeKind,
    pub rect: Rect,
}

impl Shape {
    /// Whether a rectangle overlaps the symbol as drawn: a decision is a
    /// diamond, whose bounding box has empty corners.
    pub fn overlaps(&self, r: &Rect) -> bool {
        if !self.rect.overlaps(r) {
            return false;
        }
        if self.kind != ShapeKind::Decision {
            return true;
        }
        let c = self.rect.center();
        let (a, b) = (self.rect.width() / 2.0, self.rect.height() / 2.0);
        // The rectangle's point nearest the centre, axis by axis.
        let dx = (c.x.clamp(r.min.x, r.max.x) - c.x).abs();
        let dy = (c.y.clamp(r.min.y, r.max.y) - c.y).abs();
        dx / a + dy / b < 1.0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExitLabel {
    /// The label as the SOP writes it.
    pub text: String,
    /// As printed: one line, or two when the lane is too narrow for one.
    pub lines: Vec<String>,
    pub rect: Rect,
    pub size_pt: f32,
}

/// An orthogonal polyline from one shape (or connector) to another, arrowhead at the end.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrow {
    pub from_step: usize,
    pub to_step: usize,
    /// Which exit of `from_step` this arrow draws.
    pub exit: usize,
    pub kind: ArrowKind,
    pub points: Vec<Pt>,
    pub label: Option<ExitLabel>,
    /// This part starts at an off-page connector (the continuation on a later page).
    pub from_connector: bool,
    /// This part ends at an off-page connector.
    pub to_connector: bool,
    /// Ends on the line of another arrow into the same step, and goes in
    /// with it (a box has four sides; more arrows come into it merged).
    pub joins: bool,
}

impl Arrow {
    pub fn bounds(&self) -> Rect {
        let r = Rect::bounding(&self.points);
        match &self.label {
            Some(l) => r.union(&l.rect),
            None => r,
        }
    }
}

/// A lettered off-page connector (pentagon pointing down).
#[derive(Debug, Clone, PartialEq)]
pub struct Connector {
    pub letter: String,
    pub rect: Rect,
    /// The arrow arrives at this connector (it continues elsewhere), or leaves it.
    pub incoming: bool,
    pub from_step: usize,
    pub to_step: usize,
    pub exit: usize,
}

/// One row of the table on a page, for hit testing and highlighting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowBox {
    /// The first step of the row (it holds the row's texts).
    pub step: usize,
    /// The last step whose symbol stands in the row.
    pub last: usize,
    pub rect: Rect,
    /// The least height the row's symbols and the route tracks beside them
    /// need, mm.
    pub symbol_room: f32,
}

impl RowBox {
    /// Whether the symbol of `step` stands in this row.
    pub fn holds(&self, step: usize) -> bool {
        self.step <= step && step <= self.last
    }
}

/// One page of the flowchart (or the whole table, in continuous flow).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    /// The table's outer rectangle (header included).
    pub table: Rect,
    /// The x range of the lane columns (where shapes and arrows live).
    pub lanes_x: (f32, f32),
    pub rows: Vec<RowBox>,
    pub rules: Vec<Rule>,
    pub texts: Vec<TextRun>,
    pub shapes: Vec<Shape>,
    pub arrows: Vec<Arrow>,
    pub connectors: Vec<Connector>,
    /// Header cells shaded on paper and screen.
    pub header: Rect,
    /// Where the header's second row begins (lane names and Mutu Baku
    /// columns under "Pelaksana" and "Mutu Baku").
    pub header_split: f32,
    /// The identity block's measures, on the page that has it (other
    /// drawings of the page, the Word file, rebuild it from them).
    pub identity: Option<IdentityGeometry>,
    /// Solid black squares (the modules of a verification QR code).
    pub marks: Vec<Rect>,
    /// Pictures (the office's logo), each painter drawing its own copy.
    pub images: Vec<PlacedImage>,
    /// Everything above as the painters draw it, in order (see
    /// [`crate::display`]); filled when the layout is finished.
    pub items: Vec<crate::item::Item>,
}

/// How the identity block is divided: the head (unit block on the left, six
/// labelled fields on the right) and the three pairs of list boxes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IdentityGeometry {
    /// Type size of the block, pt.
    pub size: f32,
    /// Widths of the unit block and the field labels, mm (the values take
    /// the rest; each list box half the width).
    pub unit_w: f32,
    pub label_w: f32,
    /// Heights of the six field rows and of the three box rows, mm.
    pub field_heights: Vec<f32>,
    pub box_heights: Vec<f32>,
    /// Room left between the approver's titles and name, for the signature.
    pub signature_gap: f32,
    /// Where a numbered list's text begins after its number, mm.
    pub list_indent: f32,
    /// The logo's size in the unit block, mm, when it has one.
    pub logo: Option<(f32, f32)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedImage {
    pub rect: Rect,
    pub image: ImageKey,
}

/// The flowchart, laid out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    pub pages: Vec<Page>,
    /// Column edges (x, mm), left to right, the same on every page.
    pub columns: Vec<f32>,
    /// What cannot be printed at all on this paper (said before printing).
    pub fit: Vec<FitProblem>,
}

/// Why a table cannot be printed whole on its paper.
#[derive(Debug, Clone, PartialEq)]
pub enum FitProblem {
    /// The lanes and text columns, at their least, are wider than the page.
    TooWide { needed: f32, available: f32 },
    /// A row is taller than a page can hold (a very long text).
    RowTooTall {
        step: usize,
        height: f32,
        available: f32,
    },
}

impl FitProblem {
    /// The problem in the office's terms (the row by its No), to be said.
    pub fn failure(
        &self,
        sop: &lajur_core::sop::Sop,
        settings: &lajur_core::paper::PageSettings,
    ) -> lajur_core::failure::FitFailure {
        use lajur_core::failure::{FitFailure, FitKind};
        let mm = |v: f32| v.max(0.0).round() as u32;
        let kind = match self {
            FitProblem::TooWide { needed, available } => FitKind::TooWide {
                needed: mm(*needed),
                available: mm(*available),
            },
            FitProblem::RowTooTall {
                step,
                height,
                available,
            } => FitKind::RowTooTall {
                number: sop
                    .steps
                    .get(*step)
                    .map(|s| s.number.clone())
                    .unwrap_or_default(),
                height: mm(*height),
                available: mm(*available),
            },
        };
        FitFailure {
            paper: settings.paper,
            orientation: settings.orientation,
            kind,
        }
    }
}
