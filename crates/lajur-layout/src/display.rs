//! The display list: every page as an ordered list of geometric items, in
//! drawing order: filled and stroked paths (with their dashes), text runs
//! with their font and size, pictures. Each item is tagged with the step and
//! the role it belongs to, so the window can light up a step's arrows and
//! the paper can ignore it. The painters (screen and PDF) are one match over
//! these items; every shape, arrowhead and dash is decided here, once.

use crate::geom::{Pt, Rect, pt};
pub use crate::item::{Item, Path, Role, Segment, Tag};
use crate::kinds::{ArrowKind, ShapeKind, TextRole};
use crate::page::{Arrow, Layout, Page, TextRun};
use crate::text::Weight;
use crate::theme::{self, Stroke};

fn text_item(t: &TextRun, role: Role) -> Item {
    Item::Text {
        pos: t.pos,
        text: t.text.clone(),
        size_pt: t.size_pt,
        weight: t.weight,
        colour: theme::INK,
        tag: Tag { step: t.step, role },
    }
}

/// A capsule: a rectangle with half-round ends (cubic Béziers, κ = 0.5523).
fn capsule(r: Rect) -> Path {
    let rad = r.height() / 2.0;
    let k = 0.5523 * rad;
    let (x0, x1, y0, y1) = (r.min.x + rad, r.max.x - rad, r.min.y, r.max.y);
    let cy = (y0 + y1) / 2.0;
    Path {
        start: pt(x0, y0),
        segments: vec![
            Segment::Line(pt(x1, y0)),
            Segment::Cubic(pt(x1 + k, y0), pt(r.max.x, cy - k), pt(r.max.x, cy)),
            Segment::Cubic(pt(r.max.x, cy + k), pt(x1 + k, y1), pt(x1, y1)),
            Segment::Line(pt(x0, y1)),
            Segment::Cubic(pt(x0 - k, y1), pt(r.min.x, cy + k), pt(r.min.x, cy)),
            Segment::Cubic(pt(r.min.x, cy - k), pt(x0 - k, y0), pt(x0, y0)),
        ],
        closed: true,
    }
}

fn diamond(r: Rect) -> Path {
    let c = r.center();
    Path::polygon(&[
        pt(c.x, r.min.y),
        pt(r.max.x, c.y),
        pt(c.x, r.max.y),
        pt(r.min.x, c.y),
    ])
}

/// The off-page connector: a pentagon pointing down.
fn pentagon(r: Rect) -> Path {
    let shoulder = r.min.y + r.height() * theme::CONNECTOR_SHOULDER;
    Path::polygon(&[
        r.min,
        pt(r.max.x, r.min.y),
        pt(r.max.x, shoulder),
        pt(r.center().x, r.max.y),
        pt(r.min.x, shoulder),
    ])
}

/// The arrowhead at the end of an arrow's last segment.
fn arrowhead(points: &[Pt]) -> Option<Path> {
    let n = points.len();
    if n < 2 {
        return None;
    }
    let (from, tip) = (points[n - 2], points[n - 1]);
    let (dx, dy) = (tip.x - from.x, tip.y - from.y);
    let len = (dx * dx + dy * dy).sqrt().max(1e-3);
    let (ux, uy) = (dx / len, dy / len);
    let base = pt(
        tip.x - ux * theme::ARROWHEAD_LENGTH,
        tip.y - uy * theme::ARROWHEAD_LENGTH,
    );
    let (nx, ny) = (
        -uy * theme::ARROWHEAD_HALF_WIDTH,
        ux * theme::ARROWHEAD_HALF_WIDTH,
    );
    Some(Path::polygon(&[
        tip,
        pt(base.x + nx, base.y + ny),
        pt(base.x - nx, base.y - ny),
    ]))
}

fn arrow_items(a: &Arrow, out: &mut Vec<Item>) {
    let step = Some(a.from_step);
    let (exit, to, kind) = (a.exit, a.to_step, a.kind);
    out.push(Item::Stroke {
        path: Path::polyline(&a.points),
        stroke: Stroke {
            width: theme::ARROW_STROKE,
            colour: theme::INK,
            dash: matches!(kind, ArrowKind::Back | ArrowKind::Either).then_some(theme::LOOP_DASH),
        },
        fill: None,
        tag: Tag {
            step,
            role: Role::Arrow { exit, to, kind },
        },
    });
    if !matches!(kind, ArrowKind::Join | ArrowKind::Either)
        && let Some(head) = arrowhead(&a.points)
    {
        out.push(Item::Fill {
            path: head,
            colour: theme::INK,
            tag: Tag {
                step,
                role: Role::ArrowHead { exit, to, kind },
            },
        });
    }
    if let Some(label) = &a.label {
        let line_h = theme::line_height(label.size_pt);
        for (k, line) in label.lines.iter().enumerate() {
            out.push(Item::Text {
                pos: pt(label.rect.min.x, label.rect.min.y + k as f32 * line_h),
                text: line.clone(),
                size_pt: label.size_pt,
                weight: Weight::Regular,
                colour: theme::INK,
                tag: Tag {
                    step,
                    role: Role::ExitLabel { exit, to, kind },
                },
            });
        }
    }
}

/// The page's display list, in drawing order: header shading, marks,
/// pictures, rules, cell text, arrows (line, head, label), symbols,
/// connectors, then the words inside symbols.
pub fn items(page: &Page) -> Vec<Item> {
    let mut out = Vec::new();
    if page.header.width() > 0.0 {
        out.push(Item::Fill {
            path: Path::rect(page.header),
            colour: theme::HEADER_FILL,
            tag: Tag {
                step: None,
                role: Role::HeaderFill,
            },
        });
    }
    for m in &page.marks {
        out.push(Item::Fill {
            path: Path::rect(*m),
            colour: theme::INK,
            tag: Tag {
                step: None,
                role: Role::Mark,
            },
        });
    }
    for p in &page.images {
        out.push(Item::Image {
            rect: p.rect,
            image: p.image,
            tag: Tag {
                step: None,
                role: Role::Picture,
            },
        });
    }
    for r in &page.rules {
        out.push(Item::Stroke {
            path: Path::polyline(&[r.a, r.b]),
            stroke: Stroke::solid(r.width, theme::INK),
            fill: None,
            tag: Tag {
                step: None,
                role: Role::Rule,
            },
        });
    }
    for t in page.texts.iter().filter(|t| t.role != TextRole::ShapeLabel) {
        out.push(text_item(t, Role::Text(t.role)));
    }
    for a in &page.arrows {
        arrow_items(a, &mut out);
    }
    for s in &page.shapes {
        let path = match s.kind {
            ShapeKind::Process => Path::rect(s.rect),
            ShapeKind::Decision => diamond(s.rect),
            ShapeKind::Terminator => capsule(s.rect),
        };
        out.push(Item::Stroke {
            path,
            stroke: Stroke::solid(theme::SYMBOL_STROKE, theme::INK),
            fill: Some(theme::PAPER),
            tag: Tag {
                step: Some(s.step),
                role: Role::Symbol(s.kind),
            },
        });
    }
    for c in &page.connectors {
        out.push(Item::Stroke {
            path: pentagon(c.rect),
            stroke: Stroke::solid(theme::SYMBOL_STROKE, theme::INK),
            fill: Some(theme::PAPER),
            tag: Tag {
                step: Some(c.from_step),
                role: Role::Connector,
            },
        });
    }
    for t in page.texts.iter().filter(|t| t.role == TextRole::ShapeLabel) {
        out.push(text_item(t, Role::SymbolLabel));
    }
    out
}

/// Fills every page's display list from what is placed on it: the last step
/// of every layout.
pub fn finish(layout: &mut Layout) {
    for page in &mut layout.pages {
        page.items = items(page);
    }
}
