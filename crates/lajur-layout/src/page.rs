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

#[derive(Debug, Clone, PartialEq)]
pub struct ExitLabel {
    pub text: String,
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
    pub step: usize,
    pub rect: Rect,
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
    /// Solid black squares (the modules of a verification QR code).
    pub marks: Vec<Rect>,
    /// Pictures (the office's logo), each painter drawing its own copy.
    pub images: Vec<PlacedImage>,
    /// Everything above as the painters draw it, in order (see
    /// [`crate::display`]); filled when the layout is finished.
    pub items: Vec<crate::item::Item>,
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
}
