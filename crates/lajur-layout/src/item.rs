//! The items of a page's display list: paths (filled or stroked, with dashes),
//! text runs, pictures, each tagged with the step and role it belongs to.
//! Built by [`crate::display`]; drawn by the painters.

use crate::geom::{Pt, Rect, pt};
use crate::kinds::{ArrowKind, ImageKey, ShapeKind, TextRole};
use crate::text::Weight;
use crate::theme::{self, Rgb, Stroke};

/// One piece of a path after its start.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Segment {
    Line(Pt),
    /// A cubic Bézier: two control points, then the end.
    Cubic(Pt, Pt, Pt),
}

/// A path: a start, its segments, and whether it closes back to the start.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    pub start: Pt,
    pub segments: Vec<Segment>,
    pub closed: bool,
}

impl Path {
    pub fn polyline(points: &[Pt]) -> Path {
        Path {
            start: points.first().copied().unwrap_or_default(),
            segments: points.iter().skip(1).map(|p| Segment::Line(*p)).collect(),
            closed: false,
        }
    }

    pub fn polygon(points: &[Pt]) -> Path {
        Path {
            closed: true,
            ..Path::polyline(points)
        }
    }

    pub fn rect(r: Rect) -> Path {
        Path::polygon(&[r.min, pt(r.max.x, r.min.y), r.max, pt(r.min.x, r.max.y)])
    }

    /// Every point the path passes through (Bézier ends included, control
    /// points left out).
    pub fn points(&self) -> Vec<Pt> {
        let mut out = vec![self.start];
        for s in &self.segments {
            out.push(match s {
                Segment::Line(p) | Segment::Cubic(_, _, p) => *p,
            });
        }
        out
    }

    pub fn bounds(&self) -> Rect {
        let mut all = self.points();
        for s in &self.segments {
            if let Segment::Cubic(a, b, _) = s {
                all.push(*a);
                all.push(*b);
            }
        }
        Rect::bounding(&all)
    }
}

/// What an item is part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The shaded header cells.
    HeaderFill,
    /// A ruled line of a table.
    Rule,
    /// Text of a cell, a heading, a page number.
    Text(TextRole),
    /// A step's symbol.
    Symbol(ShapeKind),
    /// The word inside a symbol or the letter in a connector.
    SymbolLabel,
    /// An arrow's line, its head, its label: of `exit` of the tagged step,
    /// leading to step `to`.
    Arrow {
        exit: usize,
        to: usize,
        kind: ArrowKind,
    },
    ArrowHead {
        exit: usize,
        to: usize,
        kind: ArrowKind,
    },
    ExitLabel {
        exit: usize,
        to: usize,
        kind: ArrowKind,
    },
    /// An off-page connector (pentagon).
    Connector,
    /// A module of a QR code.
    Mark,
    /// A picture (the office's logo).
    Picture,
}

/// The step (by index) and role of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag {
    pub step: Option<usize>,
    pub role: Role,
}

/// One thing drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A path filled with a colour, no outline.
    Fill { path: Path, colour: Rgb, tag: Tag },
    /// A path's outline, and its inside filled when `fill` is given.
    Stroke {
        path: Path,
        stroke: Stroke,
        fill: Option<Rgb>,
        tag: Tag,
    },
    /// One line of text, the top-left corner of its line box at `pos`.
    Text {
        pos: Pt,
        text: String,
        size_pt: f32,
        weight: Weight,
        colour: Rgb,
        tag: Tag,
    },
    /// A picture filling `rect`.
    Image {
        rect: Rect,
        image: ImageKey,
        tag: Tag,
    },
}

impl Item {
    pub fn tag(&self) -> Tag {
        match self {
            Item::Fill { tag, .. }
            | Item::Stroke { tag, .. }
            | Item::Text { tag, .. }
            | Item::Image { tag, .. } => *tag,
        }
    }

    /// Where the item is on its page (for drawing only what is on screen).
    pub fn bounds(&self) -> Rect {
        match self {
            Item::Fill { path, .. } => path.bounds(),
            Item::Stroke { path, stroke, .. } => path.bounds().expand(stroke.width / 2.0),
            Item::Text {
                pos,
                text,
                size_pt,
                weight,
                ..
            } => {
                use crate::text::FontMetrics;
                let width = crate::text::BundledFont::get().width(text, *weight, *size_pt);
                Rect::from_min_size(*pos, width, theme::line_height(*size_pt))
            }
            Item::Image { rect, .. } => *rect,
        }
    }
}
