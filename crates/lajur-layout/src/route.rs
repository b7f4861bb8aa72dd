//! Placing the table, the symbols and the arrows on the pages.
//!
//! Arrows are routed on a grid of tracks: vertical tracks at each lane's
//! middle and in the gutters beside its symbols, horizontal tracks in the
//! room kept above and below the symbols of each row. Tracks lie at least
//! [`SPACING`] from every rule and from each other, so no route runs along a
//! rule or hugs another. A route is the cheapest path (length, bends,
//! crossings) from a free side of its source symbol to a free side of its
//! target; a grid edge carries one route only, a corner belongs to one route,
//! and routes cross only at right angles. Where the table breaks across
//! pages, a route ends in a lettered off-page connector in the band at the
//! page's foot and resumes from its twin at the head of the next.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use super::table::*;
use super::text::{FontMetrics, Measured, Weight, wrap, wrap_marked};
use crate::geom::*;
use crate::kinds::*;
use crate::page::*;
use lajur_core::locale::{Lang, Text};
use lajur_core::paper::*;
use lajur_core::sop::{LaneMode, Sop, StepId, Symbol};

const OUTER_RULE: f32 = 0.35;
const INNER_RULE: f32 = 0.2;
/// What a bend costs, in mm of route: routes prefer fewer turns.
const BEND: f32 = 7.0;
/// What crossing another route costs.
const CROSS: f32 = 4.0;
/// What ending on another route into the same step costs (a free side of
/// the step is better).
const JOIN: f32 = 12.0;
/// How close a route may pass a symbol or connector it does not touch.
const OBSTACLE_MARGIN: f32 = 0.6;
/// Room kept around an exit label.
const LABEL_MARGIN: f32 = 0.4;

/// Where a row landed on its page.
#[derive(Debug, Clone, Copy)]
struct RowPos {
    page: usize,
    top: f32,
    bottom: f32,
}

struct PageFrame {
    header_top: f32,
    body_top: f32,
    top_band: Option<(f32, f32)>,
    bottom_band: Option<(f32, f32)>,
    table_bottom: f32,
}

/// An arrow that could not be routed cleanly (drawn straight instead).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Unrouted {
    pub page: usize,
    pub from: usize,
    pub to: usize,
    /// The table rows that would give it room.
    pub rows: std::ops::Range<usize>,
    /// The page break after this row has more connectors than its band can
    /// hold side by side.
    pub crowded_break: Option<usize>,
    /// The lanes the arrow runs between.
    pub lanes: std::ops::Range<usize>,
}

/// Lays out the pages of the flowchart: returns them, with the arrows that
/// found no clean route (the caller gives the rows more room and tries again).
pub(super) fn build(
    sop: &Sop,
    table: &Table,
    plans: &[PagePlan],
    settings: &PageSettings,
    metrics: &dyn FontMetrics,
    first: &[(usize, usize)],
    salt: u64,
) -> (Layout, Vec<Unrouted>) {
    let (page_w, page_h) = settings.page_size();
    let m = settings.margins;
    let mut pages = Vec::with_capacity(plans.len());
    let mut frames = Vec::with_capacity(plans.len());
    let mut row_pos: Vec<Option<RowPos>> = vec![None; table.rows.len()];
    let right = table.edges.last().copied().unwrap_or(m.left);
    for (p, plan) in plans.iter().enumerate() {
        let header_top = plan.top;
        let body_top = header_top + table.header_height();
        let mut y = body_top;
        let top_band = plan.has_prev.then(|| {
            y += BAND;
            (y - BAND, y)
        });
        for r in plan.rows.clone() {
            let h = table.rows[r].height;
            row_pos[r] = Some(RowPos {
                page: p,
                top: y,
                bottom: y + h,
            });
            y += h;
        }
        let bottom_band = plan.has_next.then(|| {
            y += BAND;
            (y - BAND, y)
        });
        let height = match settings.flow {
            Flow::Paged => page_h,
            Flow::Continuous => y + m.bottom,
        };
        frames.push(PageFrame {
            header_top,
            body_top,
            top_band,
            bottom_band,
            table_bottom: y,
        });
        pages.push(Page {
            width: page_w,
            height,
            table: Rect {
                min: pt(table.edges[0], header_top),
                max: pt(right, y),
            },
            lanes_x: table.lanes_x(),
            header: Rect {
                min: pt(table.edges[0], header_top),
                max: pt(right, body_top),
            },
            header_split: header_top + table.header_top,
            ..Page::default()
        });
    }
    for (p, page) in pages.iter_mut().enumerate() {
        grid(page, table, &frames[p], &plans[p], &row_pos, metrics);
    }

    // Symbols: one per known lane of each step, at its level of its row.
    let row_of: Vec<usize> = {
        let mut v = vec![0; sop.steps.len()];
        for (r, row) in table.rows.iter().enumerate() {
            for i in row.steps.clone() {
                v[i] = r;
            }
        }
        v
    };
    let mut step_shapes: Vec<Vec<Shape>> = vec![Vec::new(); sop.steps.len()];
    for (r, row) in table.rows.iter().enumerate() {
        let Some(pos) = row_pos[r] else { continue };
        let mut level_top = Vec::with_capacity(row.levels);
        let mut y = row.stack_top(pos.top, pos.bottom);
        for h in &row.level_h {
            level_top.push(y);
            y += h + STACK_GAP;
        }
        for (k, i) in row.steps.clone().enumerate() {
            let step = &sop.steps[i];
            let level = row.level_of.get(k).copied().unwrap_or(0);
            let mut lanes: Vec<usize> = step
                .lanes
                .iter()
                .filter_map(|l| sop.lane_index(l))
                .collect();
            lanes.sort_unstable();
            lanes.dedup();
            let (kind, h) = match step.symbol {
                Symbol::Start | Symbol::End => (ShapeKind::Terminator, SHAPE_H),
                Symbol::Process => (ShapeKind::Process, SHAPE_H),
                Symbol::Decision => (ShapeKind::Decision, DECISION_H),
            };
            let level_h = row.level_h.get(level).copied().unwrap_or(h);
            let cy = level_top.get(level).copied().unwrap_or(pos.top) + level_h / 2.0;
            for lane in lanes {
                let (l, rgt) = table.lane_x(lane);
                let shape = Shape {
                    step: i,
                    lane,
                    kind,
                    rect: Rect::from_center_size(pt((l + rgt) / 2.0, cy), table.shape_w, h),
                };
                step_shapes[i].push(shape);
                pages[pos.page].shapes.push(shape);
                if kind == ShapeKind::Terminator {
                    let word = if !step.label.trim().is_empty() {
                        step.label.trim().to_string()
                    } else if step.symbol == Symbol::Start {
                        Text::DocStart.get(Lang::Id).to_string()
                    } else {
                        Text::DocEnd.get(Lang::Id).to_string()
                    };
                    symbol_label(&mut pages[pos.page], metrics, &word, shape.rect, i);
                }
            }
        }
    }

    let mut index_of: HashMap<&StepId, usize> = HashMap::with_capacity(sop.steps.len());
    for (i, step) in sop.steps.iter().enumerate() {
        index_of.entry(&step.id).or_insert(i);
    }

    // The grids, one per page, with the joins of steps done in several lanes.
    let mut grids: Vec<Grid> = (0..pages.len())
        .map(|p| Grid::new(table, &frames[p], &plans[p], &row_pos, &pages[p]))
        .collect();
    for (i, shapes) in step_shapes.iter().enumerate() {
        let Some(pos) = row_pos[row_of[i]] else {
            continue;
        };
        for pair in shapes.windows(2) {
            let y = pair[0].rect.center().y;
            let (a, b) = (pt(pair[0].rect.max.x, y), pt(pair[1].rect.min.x, y));
            grids[pos.page].occupy_line(a, b);
            pages[pos.page].arrows.push(Arrow {
                from_step: i,
                to_step: i,
                exit: usize::MAX,
                kind: ArrowKind::Join,
                points: vec![a, b],
                label: None,
                from_connector: false,
                to_connector: false,
                joins: false,
            });
            if sop.steps[i].lane_mode == LaneMode::Any {
                // "Whichever has the case": the join is drawn as a loop is, dashed.
                if let Some(last) = pages[pos.page].arrows.last_mut() {
                    last.kind = ArrowKind::Either;
                }
            }
        }
    }

    // Every arrow to route: (page, source, target), with what it carries.
    struct Leg {
        page: usize,
        from: Endpoint,
        to: Endpoint,
        step: usize,
        exit: usize,
        target: usize,
        kind: ArrowKind,
        label: String,
        from_connector: bool,
        to_connector: bool,
        letter: Option<String>,
    }
    let mut unrouted: Vec<Unrouted> = Vec::new();
    let mut legs: Vec<Leg> = Vec::new();
    let mut next_letter = 0;
    for (i, step) in sop.steps.iter().enumerate() {
        if step_shapes[i].is_empty() {
            continue;
        }
        let Some(src) = row_pos[row_of[i]] else {
            continue;
        };
        for (e, exit) in step.exits.iter().enumerate() {
            let Some(&t) = index_of.get(&exit.target) else {
                continue;
            };
            if t == i || step_shapes[t].is_empty() {
                continue;
            }
            let Some(dst) = row_pos[row_of[t]] else {
                continue;
            };
            let backward = (dst.page, dst.top, t) < (src.page, src.top, i)
                && !(dst.page == src.page && row_of[t] == row_of[i] && t > i);
            let kind = if backward {
                ArrowKind::Back
            } else {
                ArrowKind::Forward
            };
            // Which exit is the main way on: a decision's first forward exit.
            let main = match step.symbol {
                Symbol::Decision => {
                    let first_forward = step.exits.iter().position(|x| {
                        index_of
                            .get(&x.target)
                            .and_then(|t| row_pos[row_of[*t]].map(|p| (p.page, p.top, *t)))
                            .is_some_and(|d| d > (src.page, src.top, i))
                    });
                    first_forward == Some(e)
                }
                _ => true,
            };
            let same_row = row_of[t] == row_of[i];
            let source = Endpoint::Symbol {
                step: i,
                main,
                backward,
                same_row,
            };
            let target = Endpoint::Symbol {
                step: t,
                main: true,
                backward,
                same_row,
            };
            if src.page == dst.page {
                legs.push(Leg {
                    page: src.page,
                    from: source,
                    to: target,
                    step: i,
                    exit: e,
                    target: t,
                    kind,
                    label: exit.label.clone(),
                    from_connector: false,
                    to_connector: false,
                    letter: None,
                });
                continue;
            }
            let letter = connector_letter(next_letter);
            next_letter += 1;
            // Forward: down into a connector at the foot of this page, on from
            // its twin at the head of the target's page. Backward: the other way.
            let (here_band, there_band) = if backward {
                (Band::Top, Band::Bottom)
            } else {
                (Band::Bottom, Band::Top)
            };
            let lane_here = step_shapes[i].first().map_or(0, |s| s.lane);
            let lane_there = step_shapes[t].first().map_or(0, |s| s.lane);
            // Each connector where a straight line joins it to its step, if
            // such a place is free.
            let reach =
                |step: usize| -> Vec<Rect> { step_shapes[step].iter().map(|s| s.rect).collect() };
            let (here, here_fits) =
                grids[src.page].place_connector(table, here_band, lane_here, &reach(i));
            let (there, there_fits) =
                grids[dst.page].place_connector(table, there_band, lane_there, &reach(t));
            // A band with no place left: the page should break elsewhere.
            for (fits, page, band) in [
                (here_fits, src.page, here_band),
                (there_fits, dst.page, there_band),
            ] {
                if !fits {
                    let rows = &plans[page].rows;
                    let r = match band {
                        Band::Top => rows.start,
                        Band::Bottom => rows.end.saturating_sub(1),
                    };
                    unrouted.push(Unrouted {
                        page,
                        from: i,
                        to: t,
                        rows: r..r + 1,
                        crowded_break: Some(match band {
                            Band::Top => rows.start.saturating_sub(1),
                            Band::Bottom => rows.end.saturating_sub(1),
                        }),
                        lanes: 0..0,
                    });
                }
            }
            for (page, rect) in [(src.page, here), (dst.page, there)] {
                pages[page].connectors.push(Connector {
                    letter: letter.clone(),
                    rect,
                    incoming: page == src.page,
                    from_step: i,
                    to_step: t,
                    exit: e,
                });
                symbol_label(&mut pages[page], metrics, &letter, rect, usize::MAX);
                if let Some(label) = pages[page].texts.last_mut() {
                    label.step = None;
                }
            }
            legs.push(Leg {
                page: src.page,
                from: source,
                to: Endpoint::Connector {
                    rect: here,
                    band: here_band,
                },
                step: i,
                exit: e,
                target: t,
                kind,
                label: exit.label.clone(),
                from_connector: false,
                to_connector: true,
                letter: Some(letter.clone()),
            });
            legs.push(Leg {
                page: dst.page,
                from: Endpoint::Connector {
                    rect: there,
                    band: there_band,
                },
                to: target,
                step: i,
                exit: e,
                target: t,
                kind,
                label: String::new(),
                from_connector: true,
                to_connector: false,
                letter: Some(letter),
            });
        }
    }

    // Shortest first: they have the fewest ways to go.
    // After several tries the order is stirred a little (deterministically):
    // a different order often lets every arrow through.
    let stir = |leg: &Leg| -> f32 {
        if salt == 0 {
            return 0.0;
        }
        let h = (leg.step as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add((leg.target as u64) << 17)
            .wrapping_add(salt.wrapping_mul(0xBF58_476D_1CE4_E5B9));
        ((h >> 40) % 60) as f32
    };
    let estimate = |leg: &Leg| -> f32 {
        let a = leg.from.centre(&step_shapes);
        let b = leg.to.centre(&step_shapes);
        (a.x - b.x).abs()
            + (a.y - b.y).abs()
            + if leg.kind == ArrowKind::Back {
                50.0
            } else {
                0.0
            }
            + stir(leg)
    };
    let mut order: Vec<usize> = (0..legs.len()).collect();
    // Arrows that found no way in an earlier try go first now.
    let late = |leg: &Leg| !first.contains(&(leg.step, leg.target));
    order.sort_by(|a, b| {
        late(&legs[*a]).cmp(&late(&legs[*b])).then(
            estimate(&legs[*a])
                .partial_cmp(&estimate(&legs[*b]))
                .unwrap_or(Ordering::Equal),
        )
    });
    let mut routed: Vec<(usize, Vec<Pt>)> = Vec::with_capacity(legs.len());
    let mut joined_legs: Vec<usize> = Vec::new();
    // Arrows still to leave each step, per page: an arrow coming in leaves
    // them a free side, joining another incoming arrow when it must.
    let mut pending_out: HashMap<(usize, usize), usize> = HashMap::new();
    for leg in &legs {
        if let Endpoint::Symbol { step, .. } = leg.from {
            *pending_out.entry((leg.page, step)).or_default() += 1;
        }
    }
    for k in order {
        let leg = &legs[k];
        let grid = &mut grids[leg.page];
        if let Endpoint::Symbol { step, .. } = leg.from
            && let Some(n) = pending_out.get_mut(&(leg.page, step))
        {
            *n = n.saturating_sub(1);
        }
        let sources = grid.ports(&leg.from, &step_shapes, true);
        let mut targets = grid.ports(&leg.to, &step_shapes, false);
        if let Endpoint::Symbol { step, .. } = leg.to {
            let joins = grid.join_ports(step);
            let mut sides: Vec<(i64, i64)> = targets.iter().map(|t| t.key).collect();
            sides.sort_unstable();
            sides.dedup();
            let pending = pending_out.get(&(leg.page, step)).copied().unwrap_or(0);
            if sides.len() <= pending && !joins.is_empty() {
                targets.clear();
            }
            targets.extend(joins);
        }
        let routed_to = match leg.to {
            Endpoint::Symbol { step, .. } => Some(step),
            Endpoint::Connector { .. } => None,
        };
        let points = match grid.route(&sources, &targets, routed_to) {
            Some((points, joined)) => {
                if joined {
                    joined_legs.push(k);
                }
                points
            }
            None => {
                let page_rows = plans[leg.page].rows.clone();
                let row_at = |end: &Endpoint| match end {
                    Endpoint::Symbol { step, .. } => row_of[*step],
                    Endpoint::Connector {
                        band: Band::Top, ..
                    } => page_rows.start,
                    Endpoint::Connector {
                        band: Band::Bottom, ..
                    } => page_rows.end.saturating_sub(1),
                };
                let (a, b) = (row_at(&leg.from), row_at(&leg.to));
                unrouted.push(Unrouted {
                    page: leg.page,
                    from: leg.step,
                    to: leg.target,
                    rows: a.min(b)..a.max(b) + 1,
                    crowded_break: None,
                    lanes: lanes_between(&step_shapes, leg.step, leg.target),
                });
                // Straight, so the fault is seen rather than hidden.
                let a = leg.from.centre(&step_shapes);
                let b = leg.to.centre(&step_shapes);
                vec![a, pt(a.x, b.y), b]
            }
        };
        routed.push((k, points));
    }
    routed.sort_by_key(|(k, _)| *k);
    for (k, points) in routed {
        let leg = &legs[k];
        let mut arrow = Arrow {
            from_step: leg.step,
            to_step: leg.target,
            exit: leg.exit,
            kind: leg.kind,
            points: simplify(points),
            label: None,
            from_connector: leg.from_connector,
            to_connector: leg.to_connector,
            joins: joined_legs.contains(&k),
        };
        if !leg.label.trim().is_empty() {
            arrow.label = Some(ExitLabel {
                text: leg.label.trim().to_string(),
                lines: vec![leg.label.trim().to_string()],
                rect: Rect::default(),
                size_pt: LABEL_PT,
            });
        }
        let _ = &leg.letter;
        pages[leg.page].arrows.push(arrow);
    }
    // Exit labels, once every route of the page is known: beside the first
    // stretch of their route, inside one lane and one row, clear of every line.
    for (p, page) in pages.iter_mut().enumerate() {
        place_labels(page, table, &frames[p], metrics, &mut unrouted, p, &row_of);
    }
    (
        Layout {
            pages,
            columns: table.edges.clone(),
            fit: Vec::new(),
        },
        unrouted,
    )
}

/// The lanes from the leftmost to the rightmost symbol of two steps.
fn lanes_between(shapes: &[Vec<Shape>], a: usize, b: usize) -> std::ops::Range<usize> {
    let lanes: Vec<usize> = [a, b]
        .iter()
        .filter_map(|i| shapes.get(*i))
        .flatten()
        .map(|s| s.lane)
        .collect();
    match (lanes.iter().min(), lanes.iter().max()) {
        (Some(lo), Some(hi)) => *lo..*hi + 1,
        _ => 0..0,
    }
}

/// Connector letters: A … Z, then AA, AB, …
fn connector_letter(n: usize) -> String {
    let mut n = n;
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Drops points that add nothing (repeats, and middles of straight runs).
fn simplify(points: Vec<Pt>) -> Vec<Pt> {
    let mut out: Vec<Pt> = Vec::with_capacity(points.len());
    for p in points {
        if out
            .last()
            .is_some_and(|q| (q.x - p.x).abs() < 1e-3 && (q.y - p.y).abs() < 1e-3)
        {
            continue;
        }
        if out.len() >= 2 {
            let a = out[out.len() - 2];
            let b = out[out.len() - 1];
            let straight_v = (a.x - b.x).abs() < 1e-3 && (b.x - p.x).abs() < 1e-3;
            let straight_h = (a.y - b.y).abs() < 1e-3 && (b.y - p.y).abs() < 1e-3;
            if straight_v || straight_h {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Band {
    Top,
    Bottom,
}

/// One end of a route.
#[derive(Debug, Clone, Copy)]
enum Endpoint {
    /// A step's symbols (any of its lanes).
    Symbol {
        step: usize,
        /// The step's main way on (leaves from the bottom; others from a side).
        main: bool,
        backward: bool,
        /// Source and target share a row: sides first.
        same_row: bool,
    },
    /// An off-page connector in a band.
    Connector { rect: Rect, band: Band },
}

impl Endpoint {
    fn centre(&self, shapes: &[Vec<Shape>]) -> Pt {
        match self {
            Endpoint::Symbol { step, .. } => shapes
                .get(*step)
                .and_then(|s| s.first())
                .map_or(Pt::default(), |s| s.rect.center()),
            Endpoint::Connector { rect, .. } => rect.center(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Dir {
    Up,
    Down,
    Left,
    Right,
}

impl Dir {
    fn horizontal(self) -> bool {
        matches!(self, Dir::Left | Dir::Right)
    }
}

/// A port: a point on a symbol's or connector's outline, the grid node it
/// attaches to, and the direction a route takes from the port to that node.
#[derive(Debug, Clone, Copy)]
struct Port {
    point: Pt,
    node: usize,
    /// Direction from the port to its node (a source leaves this way; a
    /// target is entered the opposite way).
    out: Dir,
    cost: f32,
    key: (i64, i64),
    /// A join onto another route: entered only straight on (no turn there).
    exact: bool,
    /// A node the stub crosses (a route passing square to it).
    via: Option<usize>,
}

#[derive(Debug, Clone, Copy, Default)]
struct NodeUse {
    blocked: bool,
    /// A route passes straight through, horizontally / vertically.
    through_h: bool,
    through_v: bool,
    /// A route turns, starts or ends here: no other route may touch it.
    taken: bool,
}

/// The tracks of one page and what uses them.
struct Grid {
    xs: Vec<f32>,
    ys: Vec<f32>,
    nodes: Vec<NodeUse>,
    /// Edge (i,j)→(i+1,j) and (i,j)→(i,j+1): usable.
    h_free: Vec<bool>,
    v_free: Vec<bool>,
    obstacles: Vec<Rect>,
    /// Ports already used (by point), so each side of a symbol serves one route.
    used_ports: Vec<(i64, i64)>,
    /// Where connectors may go, per band: (x, lane) candidates.
    band_top: Option<(f32, f32)>,
    band_bottom: Option<(f32, f32)>,
    connectors: Vec<Rect>,
    /// Per target step: the nodes routes into it pass straight through, and
    /// whether they pass vertically (another route may join them there).
    joins: HashMap<usize, Vec<(usize, bool)>>,
}

fn key_of(p: Pt) -> (i64, i64) {
    ((p.x * 100.0).round() as i64, (p.y * 100.0).round() as i64)
}

fn push_unique(v: &mut Vec<f32>, x: f32) {
    if !v.iter().any(|y| (y - x).abs() < 0.05) {
        v.push(x);
    }
}

impl Grid {
    fn new(
        table: &Table,
        frame: &PageFrame,
        plan: &PagePlan,
        row_pos: &[Option<RowPos>],
        page: &Page,
    ) -> Grid {
        let mut xs = Vec::new();
        for lane in 0..table.lane_count {
            let (l, r) = table.lane_x(lane);
            let c = (l + r) / 2.0;
            push_unique(&mut xs, c);
            let half = table.shape_w / 2.0;
            let mut k = 0;
            loop {
                let x = l + SPACING * (k + 1) as f32;
                if x > c - half - SYMBOL_CLEAR + 0.01 {
                    break;
                }
                push_unique(&mut xs, x);
                push_unique(&mut xs, r - SPACING * (k + 1) as f32);
                k += 1;
            }
        }
        xs.sort_by(f32::total_cmp);
        let mut ys = Vec::new();
        for r in plan.rows.clone() {
            let Some(pos) = row_pos[r] else { continue };
            let row = &table.rows[r];
            let stack_top = row.stack_top(pos.top, pos.bottom);
            let stack_bottom = stack_top + row.stack_h;
            let mut k = 0;
            loop {
                let y = pos.top + SPACING * (k + 1) as f32;
                if y > stack_top - SYMBOL_CLEAR + 0.01 {
                    break;
                }
                push_unique(&mut ys, y);
                k += 1;
            }
            let mut k = 0;
            loop {
                let y = pos.bottom - SPACING * (k + 1) as f32;
                if y < stack_bottom + SYMBOL_CLEAR - 0.01 {
                    break;
                }
                push_unique(&mut ys, y);
                k += 1;
            }
            let mut y = stack_top;
            for (lv, h) in row.level_h.iter().enumerate() {
                push_unique(&mut ys, y + h / 2.0);
                y += h;
                if lv + 1 < row.levels {
                    push_unique(&mut ys, y + STACK_GAP / 2.0);
                    y += STACK_GAP;
                }
            }
        }
        ys.sort_by(f32::total_cmp);
        let obstacles: Vec<Rect> = page
            .shapes
            .iter()
            .map(|s| s.rect.expand(OBSTACLE_MARGIN))
            .collect();
        let (lanes_l, lanes_r) = table.lanes_x();
        let body = (frame.body_top, frame.table_bottom);
        let mut nodes = vec![NodeUse::default(); xs.len() * ys.len()];
        for (j, y) in ys.iter().enumerate() {
            for (i, x) in xs.iter().enumerate() {
                let p = pt(*x, *y);
                let outside = *x < lanes_l || *x > lanes_r || *y < body.0 || *y > body.1;
                nodes[j * xs.len() + i].blocked =
                    outside || obstacles.iter().any(|o| o.contains(p));
            }
        }
        let mut grid = Grid {
            h_free: vec![true; xs.len().saturating_sub(1) * ys.len()],
            v_free: vec![true; xs.len() * ys.len().saturating_sub(1)],
            xs,
            ys,
            nodes,
            obstacles,
            used_ports: Vec::new(),
            band_top: frame.top_band,
            band_bottom: frame.bottom_band,
            connectors: Vec::new(),
            joins: HashMap::new(),
        };
        let (nx, ny) = (grid.xs.len(), grid.ys.len());
        for j in 0..ny {
            for i in 0..nx.saturating_sub(1) {
                let (a, b) = (pt(grid.xs[i], grid.ys[j]), pt(grid.xs[i + 1], grid.ys[j]));
                if grid.obstacles.iter().any(|o| o.crossed_by(a, b)) {
                    grid.h_free[j * (nx - 1) + i] = false;
                }
            }
        }
        for j in 0..ny.saturating_sub(1) {
            for i in 0..nx {
                let (a, b) = (pt(grid.xs[i], grid.ys[j]), pt(grid.xs[i], grid.ys[j + 1]));
                if grid.obstacles.iter().any(|o| o.crossed_by(a, b)) {
                    grid.v_free[j * nx + i] = false;
                }
            }
        }
        grid
    }

    fn node(&self, i: usize, j: usize) -> usize {
        j * self.xs.len() + i
    }

    fn coords(&self, n: usize) -> (usize, usize) {
        (n % self.xs.len(), n / self.xs.len())
    }

    fn at(&self, n: usize) -> Pt {
        let (i, j) = self.coords(n);
        pt(self.xs[i], self.ys[j])
    }

    fn ix(&self, x: f32) -> Option<usize> {
        self.xs.iter().position(|v| (v - x).abs() < 0.05)
    }

    /// The neighbour of a node in a direction, if the edge there is free.
    fn step(&self, n: usize, d: Dir) -> Option<usize> {
        let (i, j) = self.coords(n);
        let nx = self.xs.len();
        let (ni, nj, free) = match d {
            Dir::Left if i > 0 => (i - 1, j, self.h_free[j * (nx - 1) + i - 1]),
            Dir::Right if i + 1 < nx => (i + 1, j, self.h_free[j * (nx - 1) + i]),
            Dir::Up if j > 0 => (i, j - 1, self.v_free[(j - 1) * nx + i]),
            Dir::Down if j + 1 < self.ys.len() => (i, j + 1, self.v_free[j * nx + i]),
            _ => return None,
        };
        free.then(|| self.node(ni, nj))
    }

    fn edge_slot(&mut self, a: usize, b: usize) -> Option<&mut bool> {
        let (ai, aj) = self.coords(a);
        let (bi, bj) = self.coords(b);
        let nx = self.xs.len();
        if aj == bj && ai.abs_diff(bi) == 1 {
            let i = ai.min(bi);
            self.h_free.get_mut(aj * (nx - 1) + i)
        } else if ai == bi && aj.abs_diff(bj) == 1 {
            let j = aj.min(bj);
            self.v_free.get_mut(j * nx + ai)
        } else {
            None
        }
    }

    /// Marks a straight line (a join between a step's symbols) as taken.
    fn occupy_line(&mut self, a: Pt, b: Pt) {
        let Some(j) = self.ys.iter().position(|y| (y - a.y).abs() < 0.05) else {
            return;
        };
        let (x0, x1) = (a.x.min(b.x), a.x.max(b.x));
        let nx = self.xs.len();
        for i in 0..nx.saturating_sub(1) {
            if self.xs[i] >= x0 - 0.01 && self.xs[i + 1] <= x1 + 0.01 {
                self.h_free[j * (nx - 1) + i] = false;
            }
        }
        for i in 0..nx {
            if self.xs[i] > x0 && self.xs[i] < x1 {
                let n = self.node(i, j);
                self.nodes[n].taken = true;
            }
        }
    }

    /// A place for a connector in a band, in `lane` or as near it as room
    /// allows; `false` when the band is full (it is put beside the last one).
    fn place_connector(
        &mut self,
        table: &Table,
        band: Band,
        lane: usize,
        step: &[Rect],
    ) -> (Rect, bool) {
        let (top, bottom) = match band {
            Band::Top => self.band_top,
            Band::Bottom => self.band_bottom,
        }
        .unwrap_or((0.0, 0.0));
        let cy = (top + bottom) / 2.0;
        let mut lanes: Vec<usize> = (0..table.lane_count).collect();
        lanes.sort_by_key(|l| l.abs_diff(lane));
        for l in lanes {
            let (a, b) = table.lane_x(l);
            let c = (a + b) / 2.0;
            // The lane's middle first, then its tracks, nearest the middle first.
            let mut candidates: Vec<f32> = self
                .xs
                .iter()
                .copied()
                .filter(|x| *x - CONNECTOR / 2.0 >= a + 0.5 && *x + CONNECTOR / 2.0 <= b - 0.5)
                .collect();
            // Clear first: nothing but the step's own symbol between the
            // connector and the step, straight up or down.
            let clear = |x: f32| -> bool {
                let Some(target) = step.iter().find(|r| r.min.x <= x && x <= r.max.x) else {
                    // Not over the step: clear if nothing stands in the way
                    // down to the step's row.
                    let y = step.first().map_or(cy, |r| r.center().y);
                    let (a, b) = (pt(x, cy), pt(x, y));
                    return !self.obstacles.iter().any(|o| o.crossed_by(a, b));
                };
                let y = target.center().y;
                let (a, b) = (pt(x, cy), pt(x, y));
                !self
                    .obstacles
                    .iter()
                    .filter(|o| !o.contains(target.center()))
                    .any(|o| o.crossed_by(a, b))
            };
            candidates.sort_by(|x, y| {
                clear(*y)
                    .cmp(&clear(*x))
                    .then((x - c).abs().total_cmp(&(y - c).abs()))
            });
            for x in candidates {
                let rect = Rect::from_center_size(pt(x, cy), CONNECTOR, CONNECTOR);
                // Its route must be able to reach it: the track below (or
                // above) it is free up to the first crossing.
                let (port, dir) = match band {
                    Band::Top => (pt(x, rect.max.y), Dir::Down),
                    Band::Bottom => (pt(x, rect.min.y), Dir::Up),
                };
                if self.attach(port, dir, 0.0).is_none() {
                    continue;
                }
                if !self
                    .connectors
                    .iter()
                    .any(|r| r.expand(0.8).overlaps(&rect))
                {
                    self.connectors.push(rect);
                    self.obstacles.push(rect.expand(OBSTACLE_MARGIN));
                    return (rect, true);
                }
            }
        }
        // Every place is taken: beside the last one (a fault the checker names).
        let x = table.lane_x(lane);
        let rect = Rect::from_center_size(pt((x.0 + x.1) / 2.0, cy), CONNECTOR, CONNECTOR);
        self.connectors.push(rect);
        (rect, false)
    }

    /// Where a route may end on the line of a route already going into
    /// `step`: a node that route passes straight, entered square to it.
    fn join_ports(&self, step: usize) -> Vec<Port> {
        let mut out = Vec::new();
        for (node, vertical) in self.joins.get(&step).into_iter().flatten() {
            let n = self.nodes[*node];
            if n.taken || (n.through_h && n.through_v) {
                continue;
            }
            let point = self.at(*node);
            let key = key_of(point);
            if self.used_ports.contains(&key) {
                continue;
            }
            let sides = if *vertical {
                [Dir::Left, Dir::Right]
            } else {
                [Dir::Up, Dir::Down]
            };
            for out_dir in sides {
                out.push(Port {
                    point,
                    node: *node,
                    out: out_dir,
                    cost: JOIN,
                    key,
                    exact: true,
                    via: None,
                });
            }
        }
        out
    }

    /// The ports a route may start from (`source`) or end at.
    fn ports(&self, end: &Endpoint, shapes: &[Vec<Shape>], source: bool) -> Vec<Port> {
        let mut out = Vec::new();
        match end {
            Endpoint::Connector { rect, band } => {
                let c = rect.center();
                // A connector at the foot is entered from above (or left
                // downward); one at the head is left downward (or entered from below).
                let (point, out_dir) = match (band, source) {
                    (Band::Top, true) => (pt(c.x, rect.max.y), Dir::Down),
                    (Band::Top, false) => (pt(c.x, rect.max.y), Dir::Down),
                    (Band::Bottom, true) => (pt(c.x, rect.min.y), Dir::Up),
                    (Band::Bottom, false) => (pt(c.x, rect.min.y), Dir::Up),
                };
                if let Some(port) = self.attach(point, out_dir, 0.0) {
                    out.push(port);
                }
            }
            Endpoint::Symbol {
                step,
                main,
                backward,
                same_row,
            } => {
                let Some(list) = shapes.get(*step) else {
                    return out;
                };
                for s in list {
                    let r = s.rect;
                    let c = r.center();
                    let (bottom, top, side) = match (source, *main, *backward, *same_row) {
                        // Same row: side to side.
                        (_, _, _, true) => (20.0, 20.0, 0.0),
                        // Leaving: the main way from the bottom, others from a side.
                        (true, true, false, _) => (0.0, 40.0, 8.0),
                        (true, false, false, _) => (10.0, 40.0, 0.0),
                        // A loop leaves from a side (the bottom is the way on).
                        (true, _, true, _) => (f32::INFINITY, 25.0, 0.0),
                        // Arriving: from above, else from a side.
                        (false, _, false, _) => (30.0, 0.0, 6.0),
                        // A loop comes in from a side (the top is for the
                        // step above), or joins another arrow into it.
                        (false, _, true, _) => (f32::INFINITY, f32::INFINITY, 0.0),
                    };
                    for (point, dir, cost) in [
                        (pt(c.x, r.max.y), Dir::Down, bottom),
                        (pt(c.x, r.min.y), Dir::Up, top),
                        (pt(r.max.x, c.y), Dir::Right, side),
                        (pt(r.min.x, c.y), Dir::Left, side),
                    ] {
                        if cost.is_finite()
                            && let Some(port) = self.attach(point, dir, cost)
                        {
                            out.push(port);
                        }
                    }
                }
            }
        }
        out
    }

    /// The port at `point` leaving in `dir`: the first free node that way.
    fn attach(&self, point: Pt, dir: Dir, cost: f32) -> Option<Port> {
        let key = key_of(point);
        if self.used_ports.contains(&key) {
            return None;
        }
        // The nearest track beyond `from` on an axis, in the direction's sense.
        let beyond = |tracks: &[f32], from: f32, forward: bool| -> Option<usize> {
            if forward {
                (0..tracks.len()).find(|k| tracks[*k] > from + 0.01)
            } else {
                (0..tracks.len()).rev().find(|k| tracks[*k] < from - 0.01)
            }
        };
        let first = match dir {
            Dir::Down | Dir::Up => {
                let i = self.ix(point.x)?;
                self.node(i, beyond(&self.ys, point.y, dir == Dir::Down)?)
            }
            Dir::Left | Dir::Right => {
                let j = self.ys.iter().position(|y| (y - point.y).abs() < 0.05)?;
                self.node(beyond(&self.xs, point.x, dir == Dir::Right)?, j)
            }
        };
        let free = |n: &NodeUse| !(n.blocked || n.taken || n.through_h || n.through_v);
        // The first node on the way, or (when a route passes it square to
        // the stub) the one after it: the stub crosses that route.
        let (node, via) = if free(&self.nodes[first]) {
            (first, None)
        } else {
            let n = self.nodes[first];
            let crossable = !n.blocked
                && !n.taken
                && if dir.horizontal() {
                    n.through_v && !n.through_h
                } else {
                    n.through_h && !n.through_v
                };
            let next = self.step(first, dir).filter(|m| free(&self.nodes[*m]));
            match (crossable, next) {
                (true, Some(m)) => (m, Some(first)),
                _ => return None,
            }
        };
        // The stub from the port to its node crosses nothing.
        let stub_clear = !self
            .obstacles
            .iter()
            .filter(|o| !o.contains(point))
            .any(|o| o.crossed_by(point, self.at(node)));
        stub_clear.then_some(Port {
            point,
            node,
            out: dir,
            cost: cost + if via.is_some() { CROSS } else { 0.0 },
            key,
            exact: false,
            via,
        })
    }

    /// The cheapest route from one of the sources to one of the targets, as
    /// points, and whether it ends by joining another route; marks what it
    /// uses. `into`: the step it goes into, so later routes may join it.
    fn route(
        &mut self,
        sources: &[Port],
        targets: &[Port],
        into: Option<usize>,
    ) -> Option<(Vec<Pt>, bool)> {
        #[derive(PartialEq)]
        struct Open {
            f: f32,
            g: f32,
            state: (usize, Dir),
        }
        impl Eq for Open {}
        impl PartialOrd for Open {
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                Some(self.cmp(other))
            }
        }
        impl Ord for Open {
            fn cmp(&self, other: &Self) -> Ordering {
                other.f.total_cmp(&self.f)
            }
        }
        if sources.is_empty() || targets.is_empty() {
            return None;
        }
        let h = |n: usize| -> f32 {
            let p = self.at(n);
            targets
                .iter()
                .map(|t| (t.point.x - p.x).abs() + (t.point.y - p.y).abs())
                .fold(f32::MAX, f32::min)
        };
        let mut best: HashMap<(usize, Dir), f32> = HashMap::new();
        let mut came: HashMap<(usize, Dir), Option<(usize, Dir)>> = HashMap::new();
        let mut start_port: HashMap<(usize, Dir), usize> = HashMap::new();
        let mut open = BinaryHeap::new();
        for (k, s) in sources.iter().enumerate() {
            let p = self.at(s.node);
            let g = s.cost + (p.x - s.point.x).abs() + (p.y - s.point.y).abs();
            let state = (s.node, s.out);
            if best.get(&state).is_none_or(|b| g < *b) {
                best.insert(state, g);
                came.insert(state, None);
                start_port.insert(state, k);
                open.push(Open {
                    f: g + h(s.node),
                    g,
                    state,
                });
            }
        }
        let mut finish: Option<((usize, Dir), usize, f32)> = None;
        while let Some(Open { g, state, .. }) = open.pop() {
            if best.get(&state).is_some_and(|b| g > *b + 1e-4) {
                continue;
            }
            if finish.is_some_and(|(_, _, f)| g >= f) {
                break;
            }
            let (n, dir) = state;
            // Arriving here: may we end at a target port attached to this node?
            for (k, t) in targets.iter().enumerate() {
                if t.node != n {
                    continue;
                }
                // The final stub enters the port opposite to its out direction.
                let enter = match t.out {
                    Dir::Up => Dir::Down,
                    Dir::Down => Dir::Up,
                    Dir::Left => Dir::Right,
                    Dir::Right => Dir::Left,
                };
                if t.exact && enter != dir {
                    continue;
                }
                let bend = if enter == dir { 0.0 } else { BEND };
                let p = self.at(n);
                let total = g + bend + t.cost + (p.x - t.point.x).abs() + (p.y - t.point.y).abs();
                if finish.is_none_or(|(_, _, f)| total < f) {
                    finish = Some((state, k, total));
                }
            }
            for d in [Dir::Up, Dir::Down, Dir::Left, Dir::Right] {
                // No reversing.
                let reverse = matches!(
                    (dir, d),
                    (Dir::Up, Dir::Down)
                        | (Dir::Down, Dir::Up)
                        | (Dir::Left, Dir::Right)
                        | (Dir::Right, Dir::Left)
                );
                if reverse {
                    continue;
                }
                let Some(m) = self.step(n, d) else { continue };
                let here = self.nodes[n];
                let there = self.nodes[m];
                if there.blocked || there.taken {
                    continue;
                }
                let turning = d != dir;
                // A turn here needs a node no other route passes through.
                if turning && (here.through_h || here.through_v) {
                    continue;
                }
                // Passing a node straight: only across a route going the other way.
                if !turning
                    && ((d.horizontal() && here.through_h) || (!d.horizontal() && here.through_v))
                {
                    continue;
                }
                let a = self.at(n);
                let b = self.at(m);
                let mut cost = (a.x - b.x).abs() + (a.y - b.y).abs();
                if turning {
                    cost += BEND;
                }
                if (d.horizontal() && there.through_v) || (!d.horizontal() && there.through_h) {
                    cost += CROSS;
                }
                let ng = g + cost;
                let next = (m, d);
                if best.get(&next).is_none_or(|b| ng < *b - 1e-4) {
                    best.insert(next, ng);
                    came.insert(next, Some(state));
                    if let Some(k) = start_port.get(&state).copied() {
                        start_port.insert(next, k);
                    }
                    open.push(Open {
                        f: ng + h(m),
                        g: ng,
                        state: next,
                    });
                }
            }
        }
        let (end_state, target_k, _) = finish?;
        let mut chain = vec![end_state];
        let mut cur = end_state;
        while let Some(Some(prev)) = came.get(&cur) {
            chain.push(*prev);
            cur = *prev;
        }
        chain.reverse();
        let source = sources[*start_port.get(&chain[0])?];
        let target = targets[target_k];
        // Mark: edges, nodes (corners and ends taken; straight passes noted).
        for w in chain.windows(2) {
            if let Some(slot) = self.edge_slot(w[0].0, w[1].0) {
                *slot = false;
            }
        }
        let nodes: Vec<usize> = chain.iter().map(|s| s.0).collect();
        for (k, s) in chain.iter().enumerate() {
            let n = s.0;
            let incoming = s.1;
            let outgoing = chain.get(k + 1).map(|next| next.1);
            let ends = k == 0 || k + 1 == chain.len();
            match outgoing {
                Some(o) if o == incoming && !ends => {
                    if o.horizontal() {
                        self.nodes[n].through_h = true;
                    } else {
                        self.nodes[n].through_v = true;
                    }
                }
                _ => self.nodes[n].taken = true,
            }
        }
        self.used_ports.push(source.key);
        self.used_ports.push(target.key);
        // A stub that crosses a route: that node is now crossed both ways,
        // and the edge the stub uses is taken.
        for port in [&source, &target] {
            if let Some(v) = port.via {
                if port.out.horizontal() {
                    self.nodes[v].through_h = true;
                } else {
                    self.nodes[v].through_v = true;
                }
                if let Some(slot) = self.edge_slot(v, port.node) {
                    *slot = false;
                }
            }
        }
        if let Some(step) = into {
            let passes: Vec<(usize, bool)> = chain
                .windows(3)
                .filter(|w| w[1].1 == w[2].1)
                .map(|w| (w[1].0, !w[2].1.horizontal()))
                .collect();
            self.joins.entry(step).or_default().extend(passes);
        }
        let mut points = vec![source.point];
        points.extend(nodes.iter().map(|n| self.at(*n)));
        points.push(target.point);
        Some((points, target.exact))
    }
}

/// The text inside a symbol (MULAI, SELESAI, a start's label) or a
/// connector's letter: centred, on up to two lines, smaller when it must be.
fn symbol_label(page: &mut Page, metrics: &dyn FontMetrics, text: &str, rect: Rect, step: usize) {
    let room_w = rect.width() - 1.6;
    let room_h = rect.height() - 0.8;
    // The largest size at which the words fit whole (SELESAI stays one
    // word in a narrow capsule); only when none does, a word breaks.
    let fits = |size: f32, whole: bool| -> Option<Vec<(String, bool)>> {
        let marked = wrap_marked(metrics, text, Weight::Bold, size, room_w);
        let widest = marked
            .iter()
            .map(|(l, _)| metrics.width(l, Weight::Bold, size))
            .fold(0.0f32, f32::max);
        let tall = marked.len() as f32 * metrics.line_height(size);
        let split = marked.iter().any(|(_, s)| *s);
        (widest <= room_w && tall <= room_h && marked.len() <= 2 && !(whole && split))
            .then_some(marked)
    };
    let sizes: Vec<f32> = (0..=12).map(|k| LABEL_PT - 0.25 * k as f32).collect();
    let (size, lines) = sizes
        .iter()
        .find_map(|s| fits(*s, true).map(|l| (*s, l)))
        .or_else(|| sizes.iter().find_map(|s| fits(*s, false).map(|l| (*s, l))))
        .unwrap_or_else(|| {
            let s = LABEL_PT - 3.0;
            let lines = wrap(metrics, text, Weight::Bold, s, room_w);
            (s, lines.into_iter().map(|l| (l, false)).collect())
        });
    let lh = metrics.line_height(size);
    let c = rect.center();
    let top = c.y - lh * lines.len() as f32 / 2.0;
    for (k, (line, split)) in lines.iter().enumerate() {
        let width = metrics.width(line, Weight::Bold, size);
        page.texts.push(TextRun {
            pos: pt(c.x - width / 2.0, top + k as f32 * lh),
            text: line.clone(),
            size_pt: size,
            weight: Weight::Bold,
            width,
            role: TextRole::ShapeLabel,
            step: (step != usize::MAX).then_some(step),
            cell: None,
            word_split: *split,
        });
    }
}

/// The segments of every route and join of a page, as thin rectangles.
fn segment_rects(page: &Page) -> Vec<Rect> {
    let mut out = Vec::new();
    for a in &page.arrows {
        for w in a.points.windows(2) {
            out.push(Rect::bounding(&[w[0], w[1]]).expand(0.15));
        }
    }
    out
}

/// Places each exit label beside the first stretch of its route where it is
/// inside one lane and one row and clear of every line, symbol and label.
fn place_labels(
    page: &mut Page,
    table: &Table,
    frame: &PageFrame,
    metrics: &dyn FontMetrics,
    unrouted: &mut Vec<Unrouted>,
    page_index: usize,
    row_of: &[usize],
) {
    let lines = segment_rects(page);
    let shapes = page.shapes.clone();
    let mut taken: Vec<Rect> = page.connectors.iter().map(|c| c.rect).collect();
    // Rows and bands: a label may not sit across a row's rule.
    let mut bands: Vec<(f32, f32)> = page
        .rows
        .iter()
        .map(|r| (r.rect.min.y, r.rect.max.y))
        .collect();
    bands.extend(frame.top_band);
    bands.extend(frame.bottom_band);
    let lanes: Vec<(f32, f32)> = (0..table.lane_count).map(|l| table.lane_x(l)).collect();
    let fits = |r: &Rect, taken: &[Rect]| -> bool {
        let in_lane = lanes
            .iter()
            .any(|(l, rr)| r.min.x >= l + LABEL_MARGIN && r.max.x <= rr - LABEL_MARGIN);
        let in_row = bands
            .iter()
            .any(|(t, b)| r.min.y >= t + LABEL_MARGIN && r.max.y <= b - LABEL_MARGIN);
        let grown = r.expand(LABEL_MARGIN);
        in_lane
            && in_row
            && !lines.iter().any(|l| l.overlaps(&grown))
            && !taken.iter().any(|t| t.overlaps(&grown))
            && !shapes.iter().any(|s| s.overlaps(&grown))
    };
    for a in page.arrows.iter_mut() {
        let Some(label) = a.label.as_mut() else {
            continue;
        };
        // One line when the lane has room for it, else wrapped at a space
        // (or, for one long word, with a hyphen) to the lane's width.
        let room = lanes
            .iter()
            .map(|(l, r)| r - l - 2.0 * LABEL_MARGIN - 1.0)
            .fold(f32::MAX, f32::min)
            .max(4.0);
        // As set at a size: on one line (when the lane holds it), or on as
        // many lines as it has words.
        let set = |size: f32, stacked: bool| {
            let width = if stacked {
                Measured::new(metrics, &label.text, Weight::Regular, size).widest_piece + 0.01
            } else {
                room
            };
            let lines = wrap(metrics, &label.text, Weight::Regular, size, width.min(room));
            let w = lines
                .iter()
                .map(|l| metrics.width(l, Weight::Regular, size))
                .fold(0.0f32, f32::max);
            let h = metrics.line_height(size) * lines.len().max(1) as f32;
            (lines, w, h)
        };
        // Beside the route, as near its start as there is room: each stretch
        // in turn, along it, close to the line first; smaller only when the
        // label's own size finds no room anywhere.
        let mut found = None;
        'sizes: for (size, stacked) in [
            (LABEL_PT, false),
            (LABEL_PT, true),
            (LABEL_MIN_PT, false),
            (LABEL_MIN_PT, true),
        ] {
            let (lines, w, h) = set(size, stacked);
            for seg in a.points.windows(2) {
                let (p, q) = (seg[0], seg[1]);
                let len = (q.x - p.x).abs() + (q.y - p.y).abs();
                let steps = (len / 0.75).ceil().max(1.0) as usize;
                for gap in [0.6f32, 1.5, 3.0] {
                    for k in 0..=steps {
                        let t = (k as f32 * 0.75).min(len);
                        let candidates: [Rect; 2] = if (p.x - q.x).abs() < 1e-3 {
                            let dy = if q.y > p.y { t } else { -t };
                            let y = p.y + dy + if q.y > p.y { 0.3 } else { -0.3 - h };
                            [
                                Rect::from_min_size(pt(p.x + gap, y), w, h),
                                Rect::from_min_size(pt(p.x - gap - w, y), w, h),
                            ]
                        } else {
                            let dx = if q.x > p.x { t } else { -t };
                            let x = p.x + dx + if q.x > p.x { 0.4 } else { -0.4 - w };
                            [
                                Rect::from_min_size(pt(x, p.y - gap - h), w, h),
                                Rect::from_min_size(pt(x, p.y + gap), w, h),
                            ]
                        };
                        for r in candidates {
                            if fits(&r, &taken) {
                                found = Some((r, lines.clone(), size));
                                break 'sizes;
                            }
                        }
                    }
                }
            }
        }
        let rect = match found {
            Some((r, lines, size)) => {
                label.lines = lines;
                label.size_pt = size;
                r
            }
            None => {
                let r = row_of.get(a.from_step).copied().unwrap_or(0);
                // A wider lane has room beside the route.
                let own: Vec<usize> = shapes
                    .iter()
                    .filter(|s| s.step == a.from_step)
                    .map(|s| s.lane)
                    .collect();
                let lanes = match (own.iter().min(), own.iter().max()) {
                    (Some(lo), Some(hi)) => *lo..*hi + 1,
                    _ => 0..0,
                };
                unrouted.push(Unrouted {
                    page: page_index,
                    from: a.from_step,
                    to: a.to_step,
                    rows: r..r + 1,
                    crowded_break: None,
                    lanes,
                });
                let (lines, w, h) = set(LABEL_PT, false);
                label.lines = lines;
                let p = a.points.first().copied().unwrap_or_default();
                Rect::from_min_size(pt(p.x + 0.7, p.y + 0.3), w, h)
            }
        };
        label.rect = rect;
        taken.push(rect);
    }
}

/// The ruled table: header, rows and bands, with all cell texts.
fn grid(
    page: &mut Page,
    table: &Table,
    frame: &PageFrame,
    plan: &PagePlan,
    row_pos: &[Option<RowPos>],
    metrics: &dyn FontMetrics,
) {
    let left = table.edges[0];
    let right = *table.edges.last().unwrap_or(&left);
    let top = frame.header_top;
    let mid = top + table.header_top;
    let body_top = frame.body_top;
    let bottom = frame.table_bottom;
    let mut h = |y: f32, x0: f32, x1: f32, w: f32| {
        page.rules.push(Rule {
            a: pt(x0, y),
            b: pt(x1, y),
            width: w,
        })
    };
    h(top, left, right, OUTER_RULE);
    h(body_top, left, right, OUTER_RULE);
    h(bottom, left, right, OUTER_RULE);
    // Under "Pelaksana" and "Mutu Baku" the header splits in two.
    let (lanes_l, lanes_r) = table.lanes_x();
    h(mid, lanes_l, lanes_r, INNER_RULE);
    let mutu: Vec<usize> = (0..table.kinds.len())
        .filter(|c| matches!(table.kinds[*c], ColKind::Mutu(_)))
        .collect();
    let mutu_x = match (mutu.first(), mutu.last()) {
        (Some(a), Some(b)) => Some((table.edges[*a], table.edges[*b + 1])),
        _ => None,
    };
    if let Some((a, b)) = mutu_x {
        h(mid, a, b, INNER_RULE);
    }
    let mut y_lines: Vec<f32> = Vec::new();
    if let Some((_, b)) = frame.top_band {
        y_lines.push(b);
    }
    for r in plan.rows.clone() {
        if let Some(pos) = row_pos[r] {
            y_lines.push(pos.bottom);
        }
    }
    for y in &y_lines {
        if (y - bottom).abs() > 0.01 {
            h(*y, left, right, INNER_RULE);
        }
    }
    for (k, x) in table.edges.iter().enumerate() {
        let outer = k == 0 || k + 1 == table.edges.len();
        // Lane and Mutu Baku dividers start below the spanning header cell.
        let inside_lanes = k > table.first_lane && k < table.first_lane + table.lane_count;
        let inside_mutu = mutu.len() > 1 && k > mutu[0] && k <= mutu[mutu.len() - 1];
        let y0 = if inside_lanes || inside_mutu {
            mid
        } else {
            top
        };
        page.rules.push(Rule {
            a: pt(*x, y0),
            b: pt(*x, bottom),
            width: if outer { OUTER_RULE } else { INNER_RULE },
        });
    }

    let header = |page: &mut Page, head: &Heading, x0: f32, x1: f32, y0: f32, y1: f32| {
        centred_lines(
            page,
            metrics,
            &head.lines,
            head.size,
            (x0, x1),
            (y0, y1),
            Weight::Bold,
            TextRole::Header,
            None,
        );
    };
    for (c, kind) in table.kinds.iter().enumerate() {
        let (x0, x1) = table.col_x(c);
        match kind {
            ColKind::Lane(_) => header(page, &table.heads[c], x0, x1, mid, body_top),
            ColKind::Mutu(_) if mutu_x.is_some() => {
                header(page, &table.heads[c], x0, x1, mid, body_top)
            }
            _ => header(page, &table.heads[c], x0, x1, top, body_top),
        }
    }
    header(page, &table.lanes_head, lanes_l, lanes_r, top, mid);
    if let (Some(head), Some((a, b))) = (&table.mutu_head, mutu_x) {
        header(page, head, a, b, top, mid);
    }

    let line_h = metrics.line_height(BODY_PT);
    for r in plan.rows.clone() {
        let Some(pos) = row_pos[r] else { continue };
        let row = &table.rows[r];
        page.rows.push(RowBox {
            step: row.steps.start,
            last: row.steps.end.saturating_sub(1),
            rect: Rect {
                min: pt(left, pos.top),
                max: pt(right, pos.bottom),
            },
            symbol_room: row.symbol_room(),
        });
        for (c, kind) in table.kinds.iter().enumerate() {
            if !kind.is_text() {
                continue;
            }
            let (x0, x1) = table.col_x(c);
            let cell = Rect {
                min: pt(x0, pos.top),
                max: pt(x1, pos.bottom),
            };
            let lines = &row.cells[c];
            let centred = matches!(kind, ColKind::No)
                || matches!(kind, ColKind::Mutu(j) if table.time_column == Some(*j));
            if centred {
                let block_bottom = pos.top + 2.0 * PAD + line_h * lines.len() as f32;
                let first = page.texts.len();
                centred_lines(
                    page,
                    metrics,
                    lines,
                    BODY_PT,
                    (x0, x1),
                    (pos.top, block_bottom),
                    Weight::Regular,
                    TextRole::Cell,
                    Some(row.steps.start),
                );
                for t in &mut page.texts[first..] {
                    t.cell = Some(cell);
                }
                continue;
            }
            for (k, line) in lines.iter().enumerate() {
                if line.is_empty() {
                    continue;
                }
                let width = metrics.width(line, Weight::Regular, BODY_PT);
                page.texts.push(TextRun {
                    pos: pt(x0 + PAD, pos.top + PAD + k as f32 * line_h),
                    text: line.clone(),
                    size_pt: BODY_PT,
                    weight: Weight::Regular,
                    width,
                    role: TextRole::Cell,
                    step: Some(row.steps.start),
                    cell: Some(cell),
                    word_split: row
                        .split
                        .get(c)
                        .is_some_and(|s| s.get(k).copied().unwrap_or(false)),
                });
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn centred_lines(
    page: &mut Page,
    metrics: &dyn FontMetrics,
    lines: &[String],
    size: f32,
    (x0, x1): (f32, f32),
    (y0, y1): (f32, f32),
    weight: Weight,
    role: TextRole,
    step: Option<usize>,
) {
    let line_h = metrics.line_height(size);
    let block = line_h * lines.len() as f32;
    let top = (y0 + y1 - block) / 2.0;
    for (k, line) in lines.iter().enumerate() {
        if line.is_empty() {
            continue;
        }
        let width = metrics.width(line, weight, size);
        page.texts.push(TextRun {
            pos: pt((x0 + x1 - width) / 2.0, top + k as f32 * line_h),
            text: line.clone(),
            size_pt: size,
            weight,
            width,
            role,
            step,
            cell: Some(Rect {
                min: pt(x0, y0),
                max: pt(x1, y1),
            }),
            word_split: false,
        });
    }
}
