//! The layout's promises, checked by code: used by the tests on every seed and on
//! generated SOPs, and available to anyone who lays out an SOP.

use crate::geom::*;
use crate::kinds::*;
use crate::page::*;
use lajur_core::sop::{Sop, Symbol};

#[derive(Debug, Clone, PartialEq)]
pub enum Violation {
    ShapesOverlap {
        page: usize,
        a: usize,
        b: usize,
    },
    ArrowCrossesShape {
        page: usize,
        from: usize,
        to: usize,
        shape_of: usize,
    },
    ArrowOutsideLanes {
        page: usize,
        from: usize,
        to: usize,
    },
    ArrowNotOrthogonal {
        page: usize,
        from: usize,
        to: usize,
    },
    ArrowBadStart {
        page: usize,
        from: usize,
        to: usize,
    },
    ArrowBadEnd {
        page: usize,
        from: usize,
        to: usize,
    },
    DecisionExitNotShown {
        step: usize,
        exit: usize,
    },
    DecisionExitUnlabelled {
        step: usize,
        exit: usize,
    },
    ConnectorWithoutTwin {
        letter: String,
    },
    LoopNotMarked {
        page: usize,
        from: usize,
        to: usize,
    },
    LabelOverShape {
        page: usize,
        from: usize,
        label: String,
    },
    LabelOutsideLanes {
        page: usize,
        from: usize,
        label: String,
    },
    TextOutsideCell {
        page: usize,
        text: String,
    },
    MissingArrow {
        from: usize,
        exit: usize,
    },
    /// An arrow running along a ruling line of the table, where it cannot be seen.
    ArrowOnRule {
        page: usize,
        from: usize,
        to: usize,
    },
}

const EPS: f32 = 0.01;

fn on_boundary(r: &Rect, p: Pt) -> bool {
    let inside_x = p.x >= r.min.x - EPS && p.x <= r.max.x + EPS;
    let inside_y = p.y >= r.min.y - EPS && p.y <= r.max.y + EPS;
    inside_x
        && inside_y
        && ((p.x - r.min.x).abs() < EPS
            || (p.x - r.max.x).abs() < EPS
            || (p.y - r.min.y).abs() < EPS
            || (p.y - r.max.y).abs() < EPS)
}

/// Every broken promise of a layout of `sop`.
pub fn check(layout: &Layout, sop: &Sop) -> Vec<Violation> {
    let mut out = Vec::new();
    for (p, page) in layout.pages.iter().enumerate() {
        shapes(p, page, &mut out);
        arrows(p, page, &mut out);
        texts(p, page, layout, &mut out);
    }
    decisions_and_connectors(layout, sop, &mut out);
    out
}

fn shapes(p: usize, page: &Page, out: &mut Vec<Violation>) {
    for (i, a) in page.shapes.iter().enumerate() {
        for b in &page.shapes[i + 1..] {
            if a.rect.overlaps(&b.rect) {
                out.push(Violation::ShapesOverlap {
                    page: p,
                    a: a.step,
                    b: b.step,
                });
            }
        }
    }
}

fn arrows(p: usize, page: &Page, out: &mut Vec<Violation>) {
    let (lx0, lx1) = page.lanes_x;
    let body_top = page.header.max.y;
    let row_of = |step: usize| {
        page.rows
            .iter()
            .find(|r| r.step <= step && step <= r.last)
            .map(|r| (r.rect.min.y, step))
    };
    for arrow in &page.arrows {
        let (from, to) = (arrow.from_step, arrow.to_step);
        for seg in arrow.points.windows(2) {
            let (a, b) = (seg[0], seg[1]);
            if (a.x - b.x).abs() > EPS && (a.y - b.y).abs() > EPS {
                out.push(Violation::ArrowNotOrthogonal { page: p, from, to });
            }
            for shape in &page.shapes {
                if shape.rect.crossed_by(a, b) {
                    out.push(Violation::ArrowCrossesShape {
                        page: p,
                        from,
                        to,
                        shape_of: shape.step,
                    });
                }
            }
            let on_rule = page.rules.iter().any(|r| {
                let horizontal = (a.y - b.y).abs() < EPS && (r.a.y - r.b.y).abs() < EPS;
                let vertical = (a.x - b.x).abs() < EPS && (r.a.x - r.b.x).abs() < EPS;
                let overlap = |p0: f32, p1: f32, q0: f32, q1: f32| {
                    p0.min(p1).max(q0.min(q1)) + 0.2 < p0.max(p1).min(q0.max(q1))
                };
                (horizontal && (a.y - r.a.y).abs() < 0.3 && overlap(a.x, b.x, r.a.x, r.b.x))
                    || (vertical && (a.x - r.a.x).abs() < 0.3 && overlap(a.y, b.y, r.a.y, r.b.y))
            });
            if on_rule {
                out.push(Violation::ArrowOnRule { page: p, from, to });
            }
            for q in [a, b] {
                if q.x < lx0 - EPS
                    || q.x > lx1 + EPS
                    || q.y < body_top - EPS
                    || q.y > page.table.max.y + EPS
                {
                    out.push(Violation::ArrowOutsideLanes { page: p, from, to });
                }
            }
        }
        let (Some(first), Some(last)) = (arrow.points.first(), arrow.points.last()) else {
            continue;
        };
        let starts_ok = if arrow.from_connector {
            page.connectors
                .iter()
                .any(|c| !c.incoming && c.from_step == from && on_boundary(&c.rect, *first))
        } else {
            page.shapes
                .iter()
                .any(|s| s.step == from && on_boundary(&s.rect, *first))
        };
        if !starts_ok {
            out.push(Violation::ArrowBadStart { page: p, from, to });
        }
        let on_line = |p: Pt, a: &Arrow| {
            a.points.windows(2).any(|w| {
                let r = Rect::bounding(&[w[0], w[1]]).expand(EPS);
                r.contains(p)
            })
        };
        let ends_ok = if arrow.joins {
            page.arrows.iter().any(|other| {
                !std::ptr::eq(other, arrow) && other.to_step == to && on_line(*last, other)
            })
        } else if arrow.to_connector {
            page.connectors
                .iter()
                .any(|c| c.incoming && c.to_step == to && on_boundary(&c.rect, *last))
        } else {
            page.shapes
                .iter()
                .any(|s| s.step == to && on_boundary(&s.rect, *last))
        };
        if !ends_ok {
            out.push(Violation::ArrowBadEnd { page: p, from, to });
        }
        if !matches!(arrow.kind, ArrowKind::Join | ArrowKind::Either)
            && !arrow.from_connector
            && !arrow.to_connector
            && let (Some(rf), Some(rt)) = (row_of(from), row_of(to))
        {
            let back = rt < rf;
            if back != (arrow.kind == ArrowKind::Back) {
                out.push(Violation::LoopNotMarked { page: p, from, to });
            }
        }
        if let Some(label) = &arrow.label {
            if page
                .shapes
                .iter()
                .any(|s| s.step != from && s.overlaps(&label.rect))
            {
                out.push(Violation::LabelOverShape {
                    page: p,
                    from,
                    label: label.text.clone(),
                });
            }
            if label.rect.min.x < lx0 - EPS || label.rect.max.x > lx1 + EPS {
                out.push(Violation::LabelOutsideLanes {
                    page: p,
                    from,
                    label: label.text.clone(),
                });
            }
        }
    }
}

fn texts(p: usize, page: &Page, layout: &Layout, out: &mut Vec<Violation>) {
    for t in &page.texts {
        let r = t.rect();
        let inside_page = r.min.x >= -EPS
            && r.max.x <= page.width + EPS
            && r.min.y >= -EPS
            && r.max.y <= page.height + EPS;
        // A cell's text stays within its column.
        let in_column = t.role != TextRole::Cell
            || layout
                .columns
                .windows(2)
                .any(|c| r.min.x >= c[0] - EPS && r.max.x <= c[1] + EPS);
        if !inside_page || !in_column {
            out.push(Violation::TextOutsideCell {
                page: p,
                text: t.text.clone(),
            });
        }
    }
}

fn decisions_and_connectors(layout: &Layout, sop: &Sop, out: &mut Vec<Violation>) {
    let laid_out = |i: usize| {
        layout
            .pages
            .iter()
            .any(|pg| pg.shapes.iter().any(|s| s.step == i))
    };
    for (i, step) in sop.steps.iter().enumerate() {
        if !laid_out(i) {
            continue;
        }
        for (e, exit) in step.exits.iter().enumerate() {
            let Some(t) = sop.step_index(&exit.target) else {
                continue;
            };
            if t == i || !laid_out(t) {
                continue;
            }
            let first_parts: Vec<&Arrow> = layout
                .pages
                .iter()
                .flat_map(|pg| pg.arrows.iter())
                .filter(|a| a.from_step == i && a.exit == e && !a.from_connector)
                .collect();
            if first_parts.len() != 1 {
                out.push(if step.symbol == Symbol::Decision {
                    Violation::DecisionExitNotShown { step: i, exit: e }
                } else {
                    Violation::MissingArrow { from: i, exit: e }
                });
                continue;
            }
            if step.symbol == Symbol::Decision
                && first_parts[0]
                    .label
                    .as_ref()
                    .is_none_or(|l| l.text != exit.label || l.text.trim().is_empty())
            {
                out.push(Violation::DecisionExitUnlabelled { step: i, exit: e });
            }
        }
    }
    let mut letters: std::collections::HashMap<&str, (usize, usize, Vec<usize>)> =
        Default::default();
    for (p, page) in layout.pages.iter().enumerate() {
        for c in &page.connectors {
            let entry = letters.entry(c.letter.as_str()).or_default();
            if c.incoming {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
            entry.2.push(p);
        }
    }
    for (letter, (incoming, outgoing, pages)) in letters {
        if incoming != 1 || outgoing != 1 || pages.first() == pages.last() {
            out.push(Violation::ConnectorWithoutTwin {
                letter: letter.to_string(),
            });
        }
    }
}
