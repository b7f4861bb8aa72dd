//! The quality standard of the printed flowchart table, and the checker that
//! counts its faults on every page.
//!
//! A page passes as an official document when none of these is found on it:
//!
//! | fault            | what it is |
//! |------------------|------------|
//! | `overlap`        | two marks on top of each other: symbols, off-page connectors, exit labels, or two texts |
//! | `text-crossed`   | a text crossed by an arrow or join line |
//! | `text-cut`       | a text crossed by a rule of the table, or not wholly inside its cell (or its symbol) |
//! | `near-parallel`  | a route segment closer than 2.5 mm ([`SPACING`]) to a parallel rule of the table, or to a parallel segment of another route (or of its own), over any length: a reader cannot tell them apart |
//! | `outside-lane`   | a symbol, an off-page connector or an exit label not wholly inside one lane, or a route leaving the lanes |
//! | `through-symbol` | a route through a symbol, a connector or an exit label |
//! | `row-too-tall`   | a row taller than it needs because the column setting its height is narrower than its text wants, while another text column has room (is wider, by more than half a millimetre, than its least width and its widest line) |
//! | `orphan-row`     | a page holding one row that would have fitted on the page before, had the approval block been moved instead |
//! | `broken-word`    | a word broken across lines without a hyphen |
//! | `content-cut`    | anything of the SOP not printed whole: a text missing or different from the SOP, a row or symbol missing, text off the page, a table wider than its page, content the paper cannot hold at all |
//! | `structure`      | an arrow that does not join what it should (see [`crate::check`]) |
//!
//! A text column's least width is 10 mm (No: 6 mm, Kegiatan: 20 mm), its
//! heading's longest word at 6 pt, and its longest word up to 45 mm; a lane's
//! is a symbol and a route track on each side. The checker reads only the laid-out pages and
//! the SOP: it does not ask the layout how it decided.

use crate::check::{Violation, check};
use crate::geom::*;
use crate::kinds::TextRole;
use crate::page::*;
use crate::table::{
    BAND, BODY_PT, FIRST_LANE, FOOTER, MIN_HEADER_PT, PAD, SPACING, cell_text, column_kinds,
    heading_text, least_width,
};
use crate::text::{FontMetrics, Measured, Weight};
use lajur_core::locale::Text;
use lajur_core::paper::PageSettings;
use lajur_core::sop::Sop;

/// What is wrong (see the module's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaultKind {
    Overlap,
    TextCrossed,
    TextCut,
    NearParallel,
    OutsideLane,
    ThroughSymbol,
    RowTooTall,
    OrphanRow,
    BrokenWord,
    ContentCut,
    Structure,
}

impl FaultKind {
    pub const ALL: [FaultKind; 11] = [
        FaultKind::Overlap,
        FaultKind::TextCrossed,
        FaultKind::TextCut,
        FaultKind::NearParallel,
        FaultKind::OutsideLane,
        FaultKind::ThroughSymbol,
        FaultKind::RowTooTall,
        FaultKind::OrphanRow,
        FaultKind::BrokenWord,
        FaultKind::ContentCut,
        FaultKind::Structure,
    ];
}

/// One fault: on which page (0-based), where on it (mm), the steps it
/// concerns (indexes into the SOP's steps) and the text it concerns.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    pub page: usize,
    pub kind: FaultKind,
    pub at: Pt,
    pub steps: Vec<usize>,
    pub text: Option<String>,
}

/// Tolerance for touching (mm).
const EPS: f32 = 0.05;
/// Less room than this in a column does not count as room (mm).
const ROOM: f32 = 0.5;

/// Every fault of a laid-out document or flowchart of `sop`, page by page.
pub fn faults(
    layout: &Layout,
    sop: &Sop,
    settings: &PageSettings,
    metrics: &dyn FontMetrics,
) -> Vec<Fault> {
    let mut out = Vec::new();
    let lanes = lane_edges(layout, sop);
    for (p, page) in layout.pages.iter().enumerate() {
        let mut f = |kind, at, steps: Vec<usize>, text: Option<String>| {
            out.push(Fault {
                page: p,
                kind,
                at,
                steps,
                text,
            })
        };
        overlaps(page, &mut f);
        crossings(page, metrics, &mut f);
        parallels(page, &mut f);
        inside_lanes(page, &lanes, &mut f);
        off_page(page, &mut f);
    }
    cells(layout, sop, metrics, &mut out);
    rows_too_tall(layout, sop, metrics, &mut out);
    orphans(layout, settings, &mut out);
    completeness(layout, sop, &mut out);
    // The structural promises; what the checks above judge more finely
    // (overlaps, crossings, rules, lanes, cells) is left to them.
    for v in check(layout, sop) {
        let finer = matches!(
            v,
            Violation::ShapesOverlap { .. }
                | Violation::ArrowCrossesShape { .. }
                | Violation::ArrowOutsideLanes { .. }
                | Violation::ArrowOnRule { .. }
                | Violation::LabelOverShape { .. }
                | Violation::LabelOutsideLanes { .. }
                | Violation::TextOutsideCell { .. }
        );
        if !finer {
            out.push(structure(v));
        }
    }
    out
}

type Report<'a> = dyn FnMut(FaultKind, Pt, Vec<usize>, Option<String>) + 'a;

/// A rectangle a little smaller, so that touching is not overlapping.
fn inner(r: &Rect) -> Rect {
    r.expand(-EPS)
}

/// The marks of a page that must not touch each other: symbols (a decision
/// as its diamond), connectors, exit labels, each with its step(s) and text.
struct Mark<'p> {
    rect: Rect,
    shape: Option<&'p Shape>,
    steps: Vec<usize>,
    text: Option<String>,
}

impl Mark<'_> {
    fn overlaps(&self, r: &Rect) -> bool {
        match self.shape {
            Some(s) => s.overlaps(r),
            None => inner(&self.rect).overlaps(r),
        }
    }
}

fn marks(page: &Page) -> Vec<Mark<'_>> {
    let mut out = Vec::new();
    for s in &page.shapes {
        out.push(Mark {
            rect: s.rect,
            shape: Some(s),
            steps: vec![s.step],
            text: None,
        });
    }
    for c in &page.connectors {
        out.push(Mark {
            rect: c.rect,
            shape: None,
            steps: vec![c.from_step, c.to_step],
            text: Some(c.letter.clone()),
        });
    }
    for a in &page.arrows {
        if let Some(l) = &a.label {
            out.push(Mark {
                rect: l.rect,
                shape: None,
                steps: vec![a.from_step],
                text: Some(l.text.clone()),
            });
        }
    }
    out
}

fn overlaps(page: &Page, f: &mut Report<'_>) {
    let marks = marks(page);
    for (i, a) in marks.iter().enumerate() {
        for b in &marks[i + 1..] {
            // Two symbols: their boxes (a diamond beside a diamond still
            // reads as touching); a label or connector: the symbol as drawn.
            let hit = match (a.shape, b.shape) {
                (Some(_), Some(_)) => inner(&a.rect).overlaps(&inner(&b.rect)),
                (Some(_), None) => a.overlaps(&inner(&b.rect)),
                _ => b.overlaps(&inner(&a.rect)),
            };
            if hit {
                let mut steps = a.steps.clone();
                steps.extend(&b.steps);
                f(
                    FaultKind::Overlap,
                    a.rect.center(),
                    steps,
                    a.text.clone().or(b.text.clone()),
                );
            }
        }
    }
    // Texts: sorted by top, each against those that start above its bottom.
    let mut texts: Vec<(Rect, &TextRun)> =
        page.texts.iter().map(|t| (inner(&t.rect()), t)).collect();
    texts.sort_by(|a, b| a.0.min.y.total_cmp(&b.0.min.y));
    for (i, (a, ta)) in texts.iter().enumerate() {
        for (b, tb) in &texts[i + 1..] {
            if b.min.y >= a.max.y {
                break;
            }
            if a.overlaps(b) {
                f(
                    FaultKind::Overlap,
                    a.center(),
                    ta.step.into_iter().chain(tb.step).collect(),
                    Some(format!("{} / {}", ta.text, tb.text)),
                );
            }
        }
        // A text over a mark it does not belong in (a symbol's own word, a
        // connector's letter, sit inside theirs).
        for m in &marks {
            let belongs =
                ta.role == TextRole::ShapeLabel && m.rect.contains(a.min) && m.rect.contains(a.max);
            if !belongs && m.overlaps(a) {
                f(
                    FaultKind::Overlap,
                    a.center(),
                    m.steps.clone(),
                    Some(ta.text.clone()),
                );
            }
        }
    }
}

/// Every straight piece of every arrow and join on the page, with its arrow.
fn segments(page: &Page) -> Vec<(usize, Pt, Pt)> {
    let mut out = Vec::new();
    for (k, a) in page.arrows.iter().enumerate() {
        for w in a.points.windows(2) {
            out.push((k, w[0], w[1]));
        }
    }
    out
}

fn crossings(page: &Page, metrics: &dyn FontMetrics, f: &mut Report<'_>) {
    let segs = segments(page);
    for t in &page.texts {
        let r = inner(&t.rect());
        for (k, a, b) in &segs {
            if r.crossed_by(*a, *b) {
                f(
                    FaultKind::TextCrossed,
                    r.center(),
                    vec![page.arrows[*k].from_step],
                    Some(t.text.clone()),
                );
            }
        }
        // A horizontal rule under the baseline is an underline (the
        // approver's name); any rule through the letters cuts them.
        let letters = Rect {
            min: r.min,
            max: pt(r.max.x, (t.pos.y + metrics.ascent(t.size_pt)).min(r.max.y)),
        };
        for rule in &page.rules {
            let vertical = (rule.a.x - rule.b.x).abs() < 1e-3;
            let cut = if vertical {
                r.crossed_by(rule.a, rule.b)
            } else {
                letters.crossed_by(rule.a, rule.b)
            };
            if cut {
                f(
                    FaultKind::TextCut,
                    r.center(),
                    t.step.into_iter().collect(),
                    Some(t.text.clone()),
                );
            }
        }
        if let Some(cell) = t.cell
            && !(cell.expand(EPS).contains(t.rect().min) && cell.expand(EPS).contains(t.rect().max))
        {
            f(
                FaultKind::TextCut,
                r.center(),
                t.step.into_iter().collect(),
                Some(t.text.clone()),
            );
        }
        if t.role == TextRole::ShapeLabel {
            let holder = page
                .shapes
                .iter()
                .map(|s| s.rect)
                .chain(page.connectors.iter().map(|c| c.rect))
                .any(|m| {
                    m.expand(EPS).contains(t.rect().min) && m.expand(EPS).contains(t.rect().max)
                });
            if !holder {
                f(
                    FaultKind::TextCut,
                    r.center(),
                    t.step.into_iter().collect(),
                    Some(t.text.clone()),
                );
            }
        }
    }
    for a in &page.arrows {
        let Some(label) = &a.label else { continue };
        let r = inner(&label.rect);
        let lines: Vec<&str> = label.lines.iter().map(String::as_str).collect();
        match follow(&label.text, &lines) {
            Ok(0) => {}
            Ok(_) => f(
                FaultKind::BrokenWord,
                r.center(),
                vec![a.from_step],
                Some(label.text.clone()),
            ),
            Err(()) => f(
                FaultKind::ContentCut,
                r.center(),
                vec![a.from_step],
                Some(label.text.clone()),
            ),
        }
        for rule in &page.rules {
            if r.crossed_by(rule.a, rule.b) {
                f(
                    FaultKind::TextCut,
                    r.center(),
                    vec![a.from_step],
                    Some(label.text.clone()),
                );
            }
        }
        for (k, p, q) in &segs {
            if r.crossed_by(*p, *q) {
                f(
                    FaultKind::ThroughSymbol,
                    r.center(),
                    vec![a.from_step, page.arrows[*k].from_step],
                    Some(label.text.clone()),
                );
            }
        }
    }
    for (k, a, b) in &segs {
        let arrow = &page.arrows[*k];
        for s in &page.shapes {
            if inner(&s.rect).crossed_by(*a, *b) {
                f(
                    FaultKind::ThroughSymbol,
                    s.rect.center(),
                    vec![arrow.from_step, s.step],
                    None,
                );
            }
        }
        for c in &page.connectors {
            if inner(&c.rect).crossed_by(*a, *b) {
                f(
                    FaultKind::ThroughSymbol,
                    c.rect.center(),
                    vec![arrow.from_step],
                    Some(c.letter.clone()),
                );
            }
        }
    }
}

/// (vertical?, fixed coordinate, from, to) of an axis-parallel segment.
fn axis(a: Pt, b: Pt) -> Option<(bool, f32, f32, f32)> {
    if (a.x - b.x).abs() < 1e-3 {
        Some((true, a.x, a.y.min(b.y), a.y.max(b.y)))
    } else if (a.y - b.y).abs() < 1e-3 {
        Some((false, a.y, a.x.min(b.x), a.x.max(b.x)))
    } else {
        None
    }
}

/// Two parallel pieces closer than the standard allows, over a length.
fn too_close(p: (bool, f32, f32, f32), q: (bool, f32, f32, f32)) -> bool {
    p.0 == q.0 && (p.1 - q.1).abs() < SPACING - EPS && p.2.max(q.2) + EPS < p.3.min(q.3)
}

fn parallels(page: &Page, f: &mut Report<'_>) {
    let segs = segments(page);
    let pieces: Vec<Option<(bool, f32, f32, f32)>> =
        segs.iter().map(|(_, a, b)| axis(*a, *b)).collect();
    for (i, (k, a, _)) in segs.iter().enumerate() {
        let Some(p) = pieces[i] else { continue };
        for rule in &page.rules {
            if let Some(q) = axis(rule.a, rule.b)
                && too_close(p, q)
            {
                f(
                    FaultKind::NearParallel,
                    *a,
                    vec![page.arrows[*k].from_step],
                    None,
                );
            }
        }
        for (j, (k2, _, _)) in segs.iter().enumerate().skip(i + 1) {
            // The pieces of one route that meet at a corner are not parallel;
            // the next but one may be, and is judged like any other.
            if k == k2 && j == i + 1 {
                continue;
            }
            if let Some(q) = pieces[j]
                && too_close(p, q)
            {
                f(
                    FaultKind::NearParallel,
                    *a,
                    vec![page.arrows[*k].from_step, page.arrows[*k2].from_step],
                    None,
                );
            }
        }
    }
}

/// The x edges of the lane columns (from the layout's columns).
fn lane_edges(layout: &Layout, sop: &Sop) -> Vec<(f32, f32)> {
    let n = sop.lanes.len().max(1);
    (0..n)
        .filter_map(|i| {
            let l = layout.columns.get(FIRST_LANE + i)?;
            let r = layout.columns.get(FIRST_LANE + i + 1)?;
            Some((*l, *r))
        })
        .collect()
}

fn inside_lanes(page: &Page, lanes: &[(f32, f32)], f: &mut Report<'_>) {
    let in_one = |r: &Rect| {
        lanes
            .iter()
            .any(|(l, rr)| r.min.x > l + EPS && r.max.x < rr - EPS)
    };
    for s in &page.shapes {
        let own = lanes
            .get(s.lane)
            .is_some_and(|(l, r)| s.rect.min.x > l + EPS && s.rect.max.x < r - EPS);
        if !own {
            f(FaultKind::OutsideLane, s.rect.center(), vec![s.step], None);
        }
    }
    for c in &page.connectors {
        if !in_one(&c.rect) {
            f(
                FaultKind::OutsideLane,
                c.rect.center(),
                vec![c.from_step],
                Some(c.letter.clone()),
            );
        }
    }
    let (lx0, lx1) = match (lanes.first(), lanes.last()) {
        (Some(a), Some(b)) => (a.0, b.1),
        _ => return,
    };
    for a in &page.arrows {
        if let Some(l) = &a.label
            && !in_one(&l.rect)
        {
            f(
                FaultKind::OutsideLane,
                l.rect.center(),
                vec![a.from_step],
                Some(l.text.clone()),
            );
        }
        if let Some(p) = a.points.iter().find(|p| p.x < lx0 + EPS || p.x > lx1 - EPS) {
            f(FaultKind::OutsideLane, *p, vec![a.from_step], None);
        }
    }
}

fn off_page(page: &Page, f: &mut Report<'_>) {
    let sheet = Rect {
        min: pt(0.0, 0.0),
        max: pt(page.width, page.height),
    }
    .expand(EPS);
    for t in &page.texts {
        let r = t.rect();
        if !(sheet.contains(r.min) && sheet.contains(r.max)) {
            f(
                FaultKind::ContentCut,
                r.min,
                t.step.into_iter().collect(),
                Some(t.text.clone()),
            );
        }
    }
    if !(sheet.contains(page.table.min) && sheet.contains(page.table.max)) {
        f(FaultKind::ContentCut, page.table.max, Vec::new(), None);
    }
}

/// The printed lines of each text cell and heading of the table, read back
/// against the SOP: every word there, none broken without a hyphen.
fn cells(layout: &Layout, sop: &Sop, metrics: &dyn FontMetrics, out: &mut Vec<Fault>) {
    let kinds = column_kinds(sop);
    let _ = metrics;
    let column_at = |x: f32| layout.columns.iter().position(|e| (e - x).abs() < EPS);
    let headings: Vec<String> = kinds
        .iter()
        .map(|k| heading_text(sop, *k))
        .chain([
            Text::DocColLanes.get(crate::table::DOC_LANG).to_string(),
            Text::DocColMutu.get(crate::table::DOC_LANG).to_string(),
        ])
        .collect();
    for (p, page) in layout.pages.iter().enumerate() {
        // Group the runs by their cell, in reading order.
        let mut groups: Vec<(Rect, TextRole, Option<usize>, Vec<&TextRun>)> = Vec::new();
        for t in &page.texts {
            let Some(cell) = t.cell else { continue };
            if !matches!(t.role, TextRole::Cell | TextRole::Header) {
                continue;
            }
            if !page.table.expand(EPS).contains(t.rect().min) {
                continue; // the identity block's own cells
            }
            match groups
                .iter_mut()
                .find(|g| g.0 == cell && g.1 == t.role && g.2 == t.step)
            {
                Some(g) => g.3.push(t),
                None => groups.push((cell, t.role, t.step, vec![t])),
            }
        }
        // Every cell of every row printed here that has text has its lines.
        for row in &page.rows {
            for (c, kind) in kinds.iter().enumerate() {
                if !kind.is_text() || cell_text(sop, *kind, row.step).trim().is_empty() {
                    continue;
                }
                let Some(x) = layout.columns.get(c) else {
                    continue;
                };
                let printed = groups.iter().any(|g| {
                    g.1 == TextRole::Cell && g.2 == Some(row.step) && (g.0.min.x - x).abs() < EPS
                });
                if !printed {
                    out.push(Fault {
                        page: p,
                        kind: FaultKind::ContentCut,
                        at: pt(*x, row.rect.min.y),
                        steps: vec![row.step],
                        text: Some(cell_text(sop, *kind, row.step)),
                    });
                }
            }
        }
        for (cell, role, step, mut runs) in groups {
            runs.sort_by(|a, b| a.pos.y.total_cmp(&b.pos.y));
            let lines: Vec<&str> = runs.iter().map(|r| r.text.as_str()).collect();
            let at = runs.first().map_or(cell.min, |r| r.pos);
            let result = match (role, step) {
                (TextRole::Cell, Some(leader)) => {
                    let Some(kind) = column_at(cell.min.x).and_then(|c| kinds.get(c)) else {
                        continue;
                    };
                    follow(&cell_text(sop, *kind, leader), &lines)
                }
                _ => headings
                    .iter()
                    .map(|h| follow(h, &lines))
                    .find(Result::is_ok)
                    .unwrap_or(Err(())),
            };
            let steps: Vec<usize> = step.into_iter().collect();
            match result {
                Ok(0) => {}
                Ok(_) => out.push(Fault {
                    page: p,
                    kind: FaultKind::BrokenWord,
                    at,
                    steps,
                    text: Some(lines.join(" / ")),
                }),
                Err(()) => out.push(Fault {
                    page: p,
                    kind: FaultKind::ContentCut,
                    at,
                    steps,
                    text: Some(lines.join(" / ")),
                }),
            }
        }
    }
}

/// Follows printed lines through their source text: how many words are
/// broken without a hyphen, or `Err` when the lines are not the whole text.
pub(crate) fn follow(source: &str, lines: &[&str]) -> Result<usize, ()> {
    let src: Vec<char> = source.chars().collect();
    let mut pos = 0;
    let mut broken = 0;
    let skip_space = |pos: &mut usize| {
        while src.get(*pos).is_some_and(|c| c.is_whitespace()) {
            *pos += 1;
        }
    };
    for (k, line) in lines.iter().enumerate() {
        skip_space(&mut pos);
        let lc: Vec<char> = line.chars().collect();
        let last = k + 1 == lines.len();
        if src.get(pos..pos + lc.len()) == Some(&lc[..]) {
            pos += lc.len();
            let next = src.get(pos);
            let at_break = next.is_none_or(|c| c.is_whitespace())
                || lc.last().is_some_and(|c| matches!(c, '-' | '/'));
            if !last && !at_break {
                broken += 1;
            }
            continue;
        }
        // A hyphen the printing added where it broke a word.
        if lc.last() == Some(&'-') {
            let body = &lc[..lc.len() - 1];
            if src.get(pos..pos + body.len()) == Some(body)
                && src
                    .get(pos + body.len())
                    .is_some_and(|c| !c.is_whitespace())
            {
                pos += body.len();
                continue;
            }
        }
        return Err(());
    }
    skip_space(&mut pos);
    if pos < src.len() { Err(()) } else { Ok(broken) }
}

/// Rows taller than they need: the text column setting a row's height could
/// have had another column's room, and the row would be lower.
fn rows_too_tall(layout: &Layout, sop: &Sop, metrics: &dyn FontMetrics, out: &mut Vec<Fault>) {
    let kinds = column_kinds(sop);
    if layout.columns.len() != kinds.len() + 1 {
        return; // `completeness` says so
    }
    let line_h = metrics.line_height(BODY_PT);
    let width = |c: usize| layout.columns[c + 1] - layout.columns[c];
    let table_top = |page: &Page| page.header.max.y;
    // Each text column's widest printed line, over every page.
    let mut widest = vec![0.0f32; kinds.len()];
    for page in &layout.pages {
        for t in page
            .texts
            .iter()
            .filter(|t| t.role == TextRole::Cell && t.step.is_some())
        {
            if t.pos.y < table_top(page) {
                continue;
            }
            if let Some(c) = layout
                .columns
                .windows(2)
                .position(|e| t.pos.x >= e[0] - EPS && t.pos.x + t.width <= e[1] + EPS)
            {
                widest[c] = widest[c].max(t.width);
            }
        }
    }
    let rows = sop.rows();
    let room: Vec<f32> = kinds
        .iter()
        .enumerate()
        .map(|(c, k)| {
            if !k.is_text() {
                return 0.0;
            }
            let measured: Vec<Measured> = rows
                .iter()
                .map(|g| {
                    Measured::new(
                        metrics,
                        &cell_text(sop, *k, g.start),
                        Weight::Regular,
                        BODY_PT,
                    )
                })
                .collect();
            let least = least_width(metrics, *k, &heading_text(sop, *k), &measured);
            (width(c) - least.max(widest[c] + 2.0 * PAD)).max(0.0)
        })
        .collect();
    let _ = MIN_HEADER_PT;
    for (p, page) in layout.pages.iter().enumerate() {
        for row in &page.rows {
            let h = row.rect.height();
            // Each text column's text height in this row.
            let text_h: Vec<f32> = kinds
                .iter()
                .enumerate()
                .map(|(c, k)| {
                    if !k.is_text() {
                        return 0.0;
                    }
                    let (x0, x1) = (layout.columns[c], layout.columns[c + 1]);
                    page.texts
                        .iter()
                        .filter(|t| {
                            t.step == Some(row.step)
                                && t.role == TextRole::Cell
                                && t.pos.x >= x0 - EPS
                                && t.pos.x <= x1 + EPS
                                && t.pos.y >= row.rect.min.y - EPS
                                && t.pos.y < row.rect.max.y
                        })
                        .map(|t| t.pos.y + line_h - row.rect.min.y + PAD)
                        .fold(0.0f32, f32::max)
                })
                .collect();
            let Some(tallest) = (0..kinds.len()).max_by(|a, b| text_h[*a].total_cmp(&text_h[*b]))
            else {
                continue;
            };
            if text_h[tallest] < h - EPS {
                continue; // the symbols set this row's height
            }
            let second = (0..kinds.len())
                .filter(|c| *c != tallest)
                .map(|c| text_h[c])
                .fold(0.0f32, f32::max);
            if second >= h - EPS {
                continue;
            }
            let symbols = row.symbol_room;
            let donor = (0..kinds.len())
                .filter(|c| *c != tallest)
                .map(|c| room[c])
                .fold(0.0f32, f32::max);
            // Half a millimetre or less is no room to speak of.
            if donor < ROOM {
                continue;
            }
            let text = cell_text(sop, kinds[tallest], row.step);
            let measured = Measured::new(metrics, &text, Weight::Regular, BODY_PT);
            let wider = (width(tallest) + donor - 2.0 * PAD).max(1.0);
            let lower = measured.lines(wider) as f32 * line_h + 2.0 * PAD;
            let new_h = lower.max(second).max(symbols);
            if new_h < h - 0.2 {
                out.push(Fault {
                    page: p,
                    kind: FaultKind::RowTooTall,
                    at: row.rect.min,
                    steps: vec![row.step],
                    text: Some(format!("{:.1} → {:.1} mm", h, new_h)),
                });
            }
        }
    }
}

/// A page holding one row of the table that the page before could have held,
/// had the approval block gone over instead.
fn orphans(layout: &Layout, settings: &PageSettings, out: &mut Vec<Fault>) {
    let (_, page_h) = settings.page_size();
    let limit = page_h - settings.margins.bottom - FOOTER;
    let mut before: Option<&Page> = None;
    for (p, page) in layout.pages.iter().enumerate() {
        if page.rows.is_empty() {
            continue;
        }
        if let (Some(prev), [row]) = (before, page.rows.as_slice()) {
            let last_row_bottom = prev.rows.last().map_or(prev.table.max.y, |r| r.rect.max.y);
            // The band of connectors at the foot of the page before goes
            // when its rows are the last.
            // (It keeps one when rows follow on a later page.)
            let rows_follow = layout.pages[p + 1..].iter().any(|q| !q.rows.is_empty());
            let room = limit - last_row_bottom - if rows_follow { BAND } else { 0.0 };
            if row.rect.height() <= room + EPS && prev.rows.len() >= 2 {
                out.push(Fault {
                    page: p,
                    kind: FaultKind::OrphanRow,
                    at: row.rect.min,
                    steps: vec![row.step],
                    text: None,
                });
            }
        }
        before = Some(page);
    }
}

/// Everything of the SOP printed: each row once, each symbol, the table
/// within its paper, and nothing the layout could not fit.
fn completeness(layout: &Layout, sop: &Sop, out: &mut Vec<Fault>) {
    let mut fault = |page: usize, steps: Vec<usize>, text: Option<String>| {
        out.push(Fault {
            page,
            kind: FaultKind::ContentCut,
            at: Pt::default(),
            steps,
            text,
        })
    };
    for problem in &layout.fit {
        let text = match problem {
            FitProblem::TooWide { needed, available } => format!("{needed:.0} > {available:.0} mm"),
            FitProblem::RowTooTall {
                height, available, ..
            } => {
                format!("{height:.0} > {available:.0} mm")
            }
        };
        let steps = match problem {
            FitProblem::RowTooTall { step, .. } => vec![*step],
            FitProblem::TooWide { .. } => Vec::new(),
        };
        fault(0, steps, Some(text));
    }
    let kinds = column_kinds(sop);
    if layout.columns.len() != kinds.len() + 1 {
        fault(0, Vec::new(), None);
    }
    let printed = |i: usize| {
        layout
            .pages
            .iter()
            .filter(|pg| pg.rows.iter().any(|r| r.step == i))
            .count()
    };
    for row in sop.rows() {
        if printed(row.start) != 1 {
            fault(0, vec![row.start], None);
        }
    }
    for (i, step) in sop.steps.iter().enumerate() {
        let known = step.lanes.iter().any(|l| sop.lane_index(l).is_some());
        let drawn = layout
            .pages
            .iter()
            .any(|pg| pg.shapes.iter().any(|s| s.step == i));
        if known && !drawn {
            fault(0, vec![i], None);
        }
    }
}

fn structure(v: Violation) -> Fault {
    let (page, steps) = match &v {
        Violation::ShapesOverlap { page, a, b } => (*page, vec![*a, *b]),
        Violation::ArrowCrossesShape {
            page,
            from,
            to,
            shape_of,
        } => (*page, vec![*from, *to, *shape_of]),
        Violation::ArrowOutsideLanes { page, from, to }
        | Violation::ArrowNotOrthogonal { page, from, to }
        | Violation::ArrowBadStart { page, from, to }
        | Violation::ArrowBadEnd { page, from, to }
        | Violation::LoopNotMarked { page, from, to }
        | Violation::ArrowOnRule { page, from, to } => (*page, vec![*from, *to]),
        Violation::LabelOverShape { page, from, .. }
        | Violation::LabelOutsideLanes { page, from, .. } => (*page, vec![*from]),
        Violation::TextOutsideCell { page, .. } => (*page, Vec::new()),
        Violation::DecisionExitNotShown { step, .. }
        | Violation::DecisionExitUnlabelled { step, .. } => (0, vec![*step]),
        Violation::MissingArrow { from, .. } => (0, vec![*from]),
        Violation::ConnectorWithoutTwin { .. } => (0, Vec::new()),
    };
    Fault {
        page,
        kind: FaultKind::Structure,
        at: Pt::default(),
        steps,
        text: Some(format!("{v:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::follow;

    #[test]
    fn following_printed_lines_through_their_text() {
        assert_eq!(
            follow("Surat masuk diagendakan", &["Surat masuk", "diagendakan"]),
            Ok(0)
        );
        assert_eq!(follow("Penganggaran dan", &["Penganggara", "n dan"]), Ok(1));
        assert_eq!(
            follow("Penganggaran dan", &["Penganggar-", "an dan"]),
            Ok(0)
        );
        assert_eq!(follow("Sub-bagian umum", &["Sub-", "bagian umum"]), Ok(0));
        assert_eq!(follow("a/b", &["a/", "b"]), Ok(0));
        assert_eq!(follow("Surat masuk diagendakan", &["Surat masuk"]), Err(()));
        assert_eq!(follow("Surat", &["Surat", "lain"]), Err(()));
        assert_eq!(follow("", &[]), Ok(0));
        assert_eq!(follow("  baris\n\nbaru ", &["baris", "baru"]), Ok(0));
    }
}
