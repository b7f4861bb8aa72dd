//! Placing the table, the shapes and the arrows on the pages.

use std::collections::HashMap;

use super::table::*;
use super::text::{FontMetrics, Weight};
use crate::geom::*;
use crate::kinds::*;
use crate::page::*;
use lajur_core::paper::*;
use lajur_core::sop::{Sop, StepId, Symbol};

/// Where a step's row landed.
#[derive(Debug, Clone, Copy)]
struct RowPos {
    page: usize,
    top: f32,
    bottom: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Side {
    Left,
    Right,
}

/// Free tracks for arrows on one page: vertical tracks in the lane gutters and
/// horizontal levels in the gaps between rows, each remembering what it carries.
#[derive(Default)]
struct Tracks {
    vertical: HashMap<(usize, Side, usize), Vec<(f32, f32)>>,
    horizontal: HashMap<(i64, usize), Vec<(f32, f32)>>,
}

/// Offsets (in tracks) of the horizontal runs from a row boundary: never on the
/// boundary itself, where the arrow would vanish into the table's ruling.
const GAP_LEVELS: [f32; 4] = [-1.25, 1.25, -2.25, 2.25];

fn overlaps(list: &[(f32, f32)], a: f32, b: f32) -> bool {
    let (lo, hi) = (a.min(b) - 0.6, a.max(b) + 0.6);
    list.iter().any(|(x, y)| lo < *y && *x < hi)
}

impl Tracks {
    /// An x for a vertical run from y0 to y1 in a gutter of `lane`: on `side`, or,
    /// when `either` and that side is full, on the other.
    fn gutter(
        &mut self,
        table: &Table,
        lane: usize,
        side: Side,
        either: bool,
        y0: f32,
        y1: f32,
    ) -> f32 {
        let (left, right) = table.lane_x(lane);
        let free = ((right - left) - table.shape_w) / 2.0;
        let count = (((free - 0.9) / TRACK).floor() as usize + 1).clamp(1, 4);
        let x_of = |side: Side, k: usize| match side {
            Side::Right => right - 1.0 - k as f32 * TRACK,
            Side::Left => left + 1.0 + k as f32 * TRACK,
        };
        let other = if side == Side::Right {
            Side::Left
        } else {
            Side::Right
        };
        let sides: &[Side] = if either { &[side, other] } else { &[side] };
        for &s in sides {
            for k in 0..count {
                let used = self.vertical.entry((lane, s, k)).or_default();
                if !overlaps(used, y0, y1) {
                    used.push((y0.min(y1), y0.max(y1)));
                    return x_of(s, k);
                }
            }
        }
        // Every track is taken: share the outermost one rather than cross a shape.
        x_of(side, 0)
    }

    /// A y near `boundary` for a horizontal run from x0 to x1.
    fn jog(&mut self, boundary: f32, x0: f32, x1: f32) -> f32 {
        let key = (boundary * 100.0).round() as i64;
        for (level, d) in GAP_LEVELS.iter().enumerate() {
            let used = self.horizontal.entry((key, level)).or_default();
            if !overlaps(used, x0, x1) {
                used.push((x0.min(x1), x0.max(x1)));
                return boundary + d * TRACK;
            }
        }
        boundary + GAP_LEVELS[0] * TRACK
    }
}

struct PageFrame {
    header_top: f32,
    body_top: f32,
    top_band: Option<(f32, f32)>,
    bottom_band: Option<(f32, f32)>,
    table_bottom: f32,
}

pub(super) fn build(
    sop: &Sop,
    table: &Table,
    plans: &[PagePlan],
    settings: &PageSettings,
    metrics: &dyn FontMetrics,
) -> Layout {
    let (page_w, page_h) = settings.page_size();
    let m = settings.margins;
    let mut pages = Vec::with_capacity(plans.len());
    let mut frames = Vec::with_capacity(plans.len());
    let mut row_pos: Vec<Option<RowPos>> = vec![None; sop.steps.len()];
    for (p, plan) in plans.iter().enumerate() {
        let header_top = m.top;
        let body_top = header_top + table.header_height();
        let mut y = body_top;
        let top_band = plan.has_prev.then(|| {
            y += BAND;
            (y - BAND, y)
        });
        for i in plan.rows.clone() {
            let h = table.rows[i].height;
            row_pos[i] = Some(RowPos {
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
                max: pt(*table.edges.last().unwrap_or(&0.0), y),
            },
            lanes_x: table.lanes_x(),
            header: Rect {
                min: pt(table.edges[0], header_top),
                max: pt(*table.edges.last().unwrap_or(&0.0), body_top),
            },
            ..Page::default()
        });
    }
    for (p, page) in pages.iter_mut().enumerate() {
        grid(page, table, &frames[p], &plans[p], metrics);
    }

    // Shapes: one per known lane of each step, centred in its cell.
    let mut step_shapes: Vec<Vec<Shape>> = vec![Vec::new(); sop.steps.len()];
    for (i, step) in sop.steps.iter().enumerate() {
        let Some(pos) = row_pos[i] else { continue };
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
        let cy = (pos.top + pos.bottom) / 2.0;
        for lane in lanes {
            let (l, r) = table.lane_x(lane);
            let shape = Shape {
                step: i,
                lane,
                kind,
                rect: Rect::from_center_size(pt((l + r) / 2.0, cy), table.shape_w, h),
            };
            step_shapes[i].push(shape);
            pages[pos.page].shapes.push(shape);
            if kind == ShapeKind::Terminator {
                let word = if step.symbol == Symbol::Start {
                    lajur_core::locale::Text::DocStart.get(lajur_core::locale::Lang::Id)
                } else {
                    lajur_core::locale::Text::DocEnd.get(lajur_core::locale::Lang::Id)
                };
                centred_label(&mut pages[pos.page], metrics, word, shape.rect, Some(i));
            }
        }
        // A step done by several lanes: its shapes are joined by a plain line.
        let shapes = &step_shapes[i];
        for pair in shapes.windows(2) {
            pages[pos.page].arrows.push(Arrow {
                from_step: i,
                to_step: i,
                exit: usize::MAX,
                kind: ArrowKind::Join,
                points: vec![pt(pair[0].rect.max.x, cy), pt(pair[1].rect.min.x, cy)],
                label: None,
                from_connector: false,
                to_connector: false,
            });
        }
    }

    // Steps by id (the first of a duplicated id, as validation reads it), and the
    // first row of each page: looked up per arrow, so kept in tables, not searched.
    let mut index_of: HashMap<&StepId, usize> = HashMap::with_capacity(sop.steps.len());
    for (i, step) in sop.steps.iter().enumerate() {
        index_of.entry(&step.id).or_insert(i);
    }
    let first_on_page: Vec<Option<usize>> = plans
        .iter()
        .map(|p| (!p.rows.is_empty()).then_some(p.rows.start))
        .collect();
    let mut router = Router {
        first_on_page,
        table,
        frames: &frames,
        row_pos: &row_pos,
        step_shapes: &step_shapes,
        tracks: (0..pages.len()).map(|_| Tracks::default()).collect(),
        pages,
        metrics,
        next_letter: 0,
    };
    for (i, step) in sop.steps.iter().enumerate() {
        if step_shapes[i].is_empty() {
            continue;
        }
        let ports = exit_ports(sop, i, &row_pos, table, &index_of);
        for (e, exit) in step.exits.iter().enumerate() {
            let Some(&t) = index_of.get(&exit.target) else {
                continue;
            };
            if t == i || step_shapes[t].is_empty() {
                continue;
            }
            router.route(i, e, t, ports[e], &exit.label);
        }
    }
    Layout {
        pages: router.pages,
        columns: table.edges.clone(),
    }
}

/// Where each exit leaves its shape: the bottom for the main way forward, a side
/// for the other exit of a decision and for loops back.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Port {
    Bottom,
    Side(Side),
}

fn exit_ports(
    sop: &Sop,
    i: usize,
    row_pos: &[Option<RowPos>],
    table: &Table,
    index_of: &HashMap<&StepId, usize>,
) -> Vec<Port> {
    let step = &sop.steps[i];
    let order = |t: usize| -> (usize, f32) {
        row_pos[t].map_or((usize::MAX, f32::MAX), |p| (p.page, p.top))
    };
    let here = order(i);
    let targets: Vec<Option<usize>> = step
        .exits
        .iter()
        .map(|e| index_of.get(&e.target).copied())
        .collect();
    let forward = |t: Option<usize>| t.is_some_and(|t| order(t) > here);
    let lanes: Vec<usize> = step
        .lanes
        .iter()
        .filter_map(|l| sop.lane_index(l))
        .collect();
    let outer_right = lanes.iter().max().copied().unwrap_or(0);
    // Go out to the right unless that is the last lane (the text columns begin there).
    let default_side = if outer_right + 1 < table.lane_count {
        Side::Right
    } else {
        Side::Left
    };
    let mut ports: Vec<Port> = targets
        .iter()
        .map(|t| {
            if forward(*t) {
                Port::Bottom
            } else {
                Port::Side(default_side)
            }
        })
        .collect();
    // Only one exit may use the bottom: the first forward one, or the nearest.
    let bottoms: Vec<usize> = (0..ports.len())
        .filter(|e| ports[*e] == Port::Bottom)
        .collect();
    if bottoms.len() > 1 {
        let keep = *bottoms
            .iter()
            .min_by(|a, b| {
                let ka = targets[**a].map(order).unwrap_or((usize::MAX, f32::MAX));
                let kb = targets[**b].map(order).unwrap_or((usize::MAX, f32::MAX));
                ka.partial_cmp(&kb).unwrap_or(std::cmp::Ordering::Equal)
            })
            .unwrap_or(&bottoms[0]);
        for e in bottoms {
            if e != keep {
                ports[e] = Port::Side(default_side);
            }
        }
    }
    // Two exits on one side: the second takes the other side if that is inside the
    // lanes, otherwise the bottom (then turns back along a gutter).
    let sides: Vec<usize> = (0..ports.len())
        .filter(|e| matches!(ports[*e], Port::Side(_)))
        .collect();
    if sides.len() > 1 {
        let outer_left = lanes.iter().min().copied().unwrap_or(0);
        for (n, e) in sides.iter().enumerate().skip(1) {
            let bottom_free = !ports.contains(&Port::Bottom);
            ports[*e] = if n == 1 && default_side == Side::Right && outer_left > 0 {
                Port::Side(Side::Left)
            } else if bottom_free {
                Port::Bottom
            } else {
                Port::Side(default_side)
            };
        }
    }
    ports
}

struct Router<'a> {
    first_on_page: Vec<Option<usize>>,
    table: &'a Table,
    frames: &'a [PageFrame],
    row_pos: &'a [Option<RowPos>],
    step_shapes: &'a [Vec<Shape>],
    tracks: Vec<Tracks>,
    pages: Vec<Page>,
    metrics: &'a dyn FontMetrics,
    next_letter: usize,
}

/// Where a route starts: a point, the direction it leaves in, its page and lane.
struct Start {
    step: usize,
    point: Pt,
    page: usize,
    lane: usize,
    port: Port,
    row_bottom: f32,
}

impl Router<'_> {
    fn route(&mut self, s: usize, exit: usize, t: usize, port: Port, label: &str) {
        let (Some(src), Some(dst)) = (self.row_pos[s], self.row_pos[t]) else {
            return;
        };
        let backward = (dst.page, dst.top) < (src.page, src.top);
        let kind = if backward {
            ArrowKind::Back
        } else {
            ArrowKind::Forward
        };
        let start = self.start(s, t, port);
        let same_page = src.page == dst.page;
        let mut points = vec![start.point];
        if same_page {
            if backward {
                self.up_to_row(&start, &mut points, t);
                self.enter_side(&mut points, t);
            } else {
                self.down_to_row(&start, &mut points, t);
            }
            let label = self.exit_label(label, &points, backward);
            self.push(
                src.page,
                Arrow {
                    from_step: s,
                    to_step: t,
                    exit,
                    kind,
                    points,
                    label,
                    from_connector: false,
                    to_connector: false,
                },
            );
            return;
        }
        // Across a page break: end in a connector here, resume from its twin there.
        let letter = letter(self.next_letter);
        self.next_letter += 1;
        let frame = &self.frames[src.page];
        let (conn_rect, end) = if backward {
            let (band_top, band_bottom) =
                frame.top_band.unwrap_or((frame.body_top, frame.body_top));
            let x = self.vertical_to(&start, &mut points, band_bottom);
            let rect = self.place_connector(src.page, x, band_top, band_bottom, &mut points, false);
            (rect, pt(points.last().map_or(x, |p| p.x), rect.max.y))
        } else {
            let (band_top, band_bottom) = frame
                .bottom_band
                .unwrap_or((frame.table_bottom, frame.table_bottom));
            let x = self.vertical_to(&start, &mut points, band_top);
            let rect = self.place_connector(src.page, x, band_top, band_bottom, &mut points, true);
            (rect, pt(points.last().map_or(x, |p| p.x), rect.min.y))
        };
        points.push(end);
        let arrow_label = self.exit_label(label, &points, backward);
        self.pages[src.page].connectors.push(Connector {
            letter: letter.clone(),
            rect: conn_rect,
            incoming: true,
            from_step: s,
            to_step: t,
            exit,
        });
        centred_label(
            &mut self.pages[src.page],
            self.metrics,
            &letter,
            conn_rect,
            None,
        );
        self.push(
            src.page,
            Arrow {
                from_step: s,
                to_step: t,
                exit,
                kind,
                points,
                label: arrow_label,
                from_connector: false,
                to_connector: true,
            },
        );

        // The continuation on the target's page.
        let frame = &self.frames[dst.page];
        let target_lane = self.nearest_shape(t, self.table.lanes_x().0).lane;
        let mut points = Vec::new();
        let rect;
        if backward {
            let (band_top, band_bottom) = frame
                .bottom_band
                .unwrap_or((frame.table_bottom, frame.table_bottom));
            let cy = (dst.top + dst.bottom) / 2.0;
            let x = self.tracks[dst.page].gutter(
                self.table,
                target_lane,
                Side::Right,
                true,
                cy,
                band_bottom,
            );
            rect = Rect::from_center_size(pt(x, band_top + BAND / 2.0), CONNECTOR, CONNECTOR);
            points.push(pt(x, rect.min.y));
            points.push(pt(x, cy));
            self.enter_side(&mut points, t);
        } else {
            let (band_top, _) = frame.top_band.unwrap_or((frame.body_top, frame.body_top));
            let first_on_page = self.first_row_on_page(dst.page) == Some(t);
            let target = self.nearest_shape(t, self.table.lanes_x().0);
            let x = if first_on_page {
                target.rect.center().x
            } else {
                self.tracks[dst.page].gutter(
                    self.table,
                    target.lane,
                    Side::Right,
                    true,
                    band_top,
                    dst.top,
                )
            };
            rect = Rect::from_center_size(pt(x, band_top + BAND / 2.0), CONNECTOR, CONNECTOR);
            points.push(pt(x, rect.max.y));
            if first_on_page {
                points.push(pt(x, target.rect.min.y));
            } else {
                let y = self.tracks[dst.page].jog(dst.top, x, target.rect.center().x);
                points.push(pt(x, y));
                points.push(pt(target.rect.center().x, y));
                points.push(pt(target.rect.center().x, target.rect.min.y));
            }
        }
        self.pages[dst.page].connectors.push(Connector {
            letter: letter.clone(),
            rect,
            incoming: false,
            from_step: s,
            to_step: t,
            exit,
        });
        centred_label(&mut self.pages[dst.page], self.metrics, &letter, rect, None);
        self.push(
            dst.page,
            Arrow {
                from_step: s,
                to_step: t,
                exit,
                kind,
                points,
                label: None,
                from_connector: true,
                to_connector: false,
            },
        );
    }

    fn push(&mut self, page: usize, mut arrow: Arrow) {
        arrow
            .points
            .dedup_by(|a, b| (a.x - b.x).abs() < 1e-3 && (a.y - b.y).abs() < 1e-3);
        self.pages[page].arrows.push(arrow);
    }

    fn first_row_on_page(&self, page: usize) -> Option<usize> {
        self.first_on_page.get(page).copied().flatten()
    }

    /// Whether no row follows this step's row on its page.
    fn last_on_page(&self, step: usize) -> bool {
        let page = self.row_pos[step].map(|p| p.page);
        self.row_pos
            .get(step + 1)
            .copied()
            .flatten()
            .map(|p| p.page)
            != page
    }

    /// The shape of step `t` nearest to x.
    fn nearest_shape(&self, t: usize, x: f32) -> Shape {
        let shapes = &self.step_shapes[t];
        *shapes
            .iter()
            .min_by(|a, b| {
                let da = (a.rect.center().x - x).abs();
                let db = (b.rect.center().x - x).abs();
                da.partial_cmp(&db).unwrap_or(std::cmp::Ordering::Equal)
            })
            .unwrap_or(&shapes[0])
    }

    fn start(&self, s: usize, t: usize, port: Port) -> Start {
        let pos = self.row_pos[s].unwrap_or(RowPos {
            page: 0,
            top: 0.0,
            bottom: 0.0,
        });
        let shapes = &self.step_shapes[s];
        let (shape, point) = match port {
            Port::Bottom => {
                let tx = self.step_shapes[t]
                    .first()
                    .map_or(0.0, |sh| sh.rect.center().x);
                let shape = self.nearest_shape(s, tx);
                (shape, pt(shape.rect.center().x, shape.rect.max.y))
            }
            Port::Side(Side::Right) => {
                let shape = *shapes.iter().max_by_key(|sh| sh.lane).unwrap_or(&shapes[0]);
                (shape, pt(shape.rect.max.x, shape.rect.center().y))
            }
            Port::Side(Side::Left) => {
                let shape = *shapes.iter().min_by_key(|sh| sh.lane).unwrap_or(&shapes[0]);
                (shape, pt(shape.rect.min.x, shape.rect.center().y))
            }
        };
        Start {
            step: s,
            point,
            page: pos.page,
            lane: shape.lane,
            port,
            row_bottom: pos.bottom,
        }
    }

    /// From the start, reaches the vertical `x` of a gutter (or stays in the shape's
    /// column) and goes down or up to `y`. Returns the x it ends at.
    fn vertical_to(&mut self, start: &Start, points: &mut Vec<Pt>, y: f32) -> f32 {
        let p = start.point;
        match start.port {
            Port::Bottom => {
                // Straight down when nothing else stands below on this page.
                let below_free = y > p.y && self.last_on_page(start.step);
                if below_free {
                    points.push(pt(p.x, y));
                    return p.x;
                }
                let side = Side::Right;
                let x = self.tracks[start.page].gutter(
                    self.table,
                    start.lane,
                    side,
                    true,
                    start.row_bottom,
                    y,
                );
                let jy = self.tracks[start.page].jog(start.row_bottom, p.x, x);
                points.push(pt(p.x, jy));
                points.push(pt(x, jy));
                points.push(pt(x, y));
                x
            }
            Port::Side(side) => {
                let x = self.tracks[start.page].gutter(self.table, start.lane, side, false, p.y, y);
                points.push(pt(x, p.y));
                points.push(pt(x, y));
                x
            }
        }
    }

    /// Forward on the same page: into the top of the target.
    fn down_to_row(&mut self, start: &Start, points: &mut Vec<Pt>, t: usize) {
        let Some(dst) = self.row_pos[t] else { return };
        let p = start.point;
        let target = self.nearest_shape(t, p.x);
        let tx = target.rect.center().x;
        let consecutive = (dst.top - start.row_bottom).abs() < 0.01;
        match start.port {
            Port::Bottom if consecutive => {
                if (tx - p.x).abs() > 0.01 {
                    let y = self.tracks[start.page].jog(dst.top, p.x, tx);
                    points.push(pt(p.x, y));
                    points.push(pt(tx, y));
                }
            }
            _ => {
                let x = self.vertical_to(start, points, dst.top);
                // Replace the run's end with a jog in the gap above the target row.
                points.pop();
                let y = self.tracks[start.page].jog(dst.top, x, tx);
                points.push(pt(x, y));
                points.push(pt(tx, y));
            }
        }
        points.push(pt(tx, target.rect.min.y));
    }

    /// Backward on the same page: up a gutter to the target's middle.
    fn up_to_row(&mut self, start: &Start, points: &mut Vec<Pt>, t: usize) {
        let Some(dst) = self.row_pos[t] else { return };
        let cy = (dst.top + dst.bottom) / 2.0;
        self.vertical_to(start, points, cy);
    }

    /// From the last point (at the target's middle height), into the facing side.
    fn enter_side(&mut self, points: &mut Vec<Pt>, t: usize) {
        let Some(last) = points.last().copied() else {
            return;
        };
        let target = self.nearest_shape(t, last.x);
        let x = if last.x <= target.rect.center().x {
            target.rect.min.x
        } else {
            target.rect.max.x
        };
        let y = target.rect.center().y;
        if (last.y - y).abs() > 0.01 {
            points.push(pt(last.x, y));
        }
        points.push(pt(x, y));
    }

    /// Puts a connector in a band around x (moving it aside if another is there),
    /// extending the route to sit right above or below it.
    fn place_connector(
        &mut self,
        page: usize,
        x: f32,
        band_top: f32,
        band_bottom: f32,
        points: &mut Vec<Pt>,
        below: bool,
    ) -> Rect {
        let cy = (band_top + band_bottom) / 2.0;
        let lane_edges = &self.table.edges[2..=2 + self.table.lane_count];
        // Taken: another connector is there, or the arrow into this one would run
        // down a lane's ruling line.
        let taken = |cx: f32, pages: &[Page]| {
            let r = Rect::from_center_size(pt(cx, cy), CONNECTOR, CONNECTOR).expand(0.8);
            pages[page].connectors.iter().any(|c| c.rect.overlaps(&r))
                || lane_edges.iter().any(|e| (e - cx).abs() < 1.0)
        };
        let (lo, hi) = self.table.lanes_x();
        let mut cx = x;
        let mut step: usize = 0;
        while taken(cx, &self.pages) && step < 40 {
            step += 1;
            let shift = (CONNECTOR + 1.0) * step.div_ceil(2) as f32;
            cx = if step % 2 == 1 { x + shift } else { x - shift };
            cx = cx.clamp(lo + CONNECTOR, hi - CONNECTOR);
        }
        if (cx - x).abs() > 0.01 {
            // Jog inside the band, beside the connector row.
            let y = if below {
                band_top + 1.2
            } else {
                band_bottom - 1.2
            };
            if let Some(last) = points.last_mut() {
                last.y = y;
            }
            points.push(pt(cx, y));
        }
        Rect::from_center_size(pt(cx, cy), CONNECTOR, CONNECTOR)
    }

    /// The label of a decision exit, beside the first segment of its arrow and on
    /// the side away from where the arrow turns.
    fn exit_label(&self, text: &str, points: &[Pt], backward: bool) -> Option<ExitLabel> {
        if text.trim().is_empty() || points.len() < 2 {
            return None;
        }
        let size = LABEL_PT;
        let w = self.metrics.width(text, Weight::Regular, size);
        let h = crate::theme::line_height(size);
        let (a, b) = (points[0], points[1]);
        let rect = if (a.x - b.x).abs() < 1e-3 {
            // Leaves downward: label beside the line, away from the next turn.
            let turns_right = points.get(2).is_some_and(|c| c.x > a.x);
            let x = if turns_right {
                a.x - 0.7 - w
            } else {
                a.x + 0.7
            };
            Rect::from_min_size(pt(x, a.y + 0.3), w, h)
        } else {
            // Leaves sideways: above the line if the route then goes down, else below.
            let rightward = b.x > a.x;
            let x = if rightward { a.x + 0.5 } else { a.x - 0.5 - w };
            let y = if backward { a.y + 0.4 } else { a.y - 0.4 - h };
            Rect::from_min_size(pt(x, y), w, h)
        };
        Some(ExitLabel {
            text: text.to_string(),
            rect,
            size_pt: size,
        })
    }
}

/// Connector letters: A … Z, then AA, AB, …
fn letter(n: usize) -> String {
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

fn centred_label(
    page: &mut Page,
    metrics: &dyn FontMetrics,
    text: &str,
    rect: Rect,
    step: Option<usize>,
) {
    let mut size = LABEL_PT;
    let mut width = metrics.width(text, Weight::Bold, size);
    let room = rect.width() - 1.0;
    if width > room && width > 0.0 {
        size = (size * room / width).max(3.0);
        width = metrics.width(text, Weight::Bold, size);
    }
    let h = crate::theme::line_height(size);
    let c = rect.center();
    page.texts.push(TextRun {
        pos: pt(c.x - width / 2.0, c.y - h / 2.0),
        text: text.to_string(),
        size_pt: size,
        weight: Weight::Bold,
        width,
        role: TextRole::ShapeLabel,
        step,
    });
}

/// The ruled table: header, rows and bands, with all cell texts.
fn grid(
    page: &mut Page,
    table: &Table,
    frame: &PageFrame,
    plan: &PagePlan,
    metrics: &dyn FontMetrics,
) {
    const OUTER: f32 = 0.35;
    const INNER: f32 = 0.2;
    let left = table.edges[0];
    let right = *table.edges.last().unwrap_or(&left);
    let top = frame.header_top;
    let mid = top + table.header_top;
    let body_top = frame.body_top;
    let bottom = frame.table_bottom;
    let n = table.lane_count;
    let mut h = |y: f32, x0: f32, x1: f32, w: f32| {
        page.rules.push(Rule {
            a: pt(x0, y),
            b: pt(x1, y),
            width: w,
        })
    };
    h(top, left, right, OUTER);
    h(body_top, left, right, OUTER);
    h(bottom, left, right, OUTER);
    // Under "Pelaksana" and "Mutu Baku" the header splits in two.
    h(mid, table.edges[2], table.edges[2 + n], INNER);
    h(mid, table.edges[2 + n], table.edges[5 + n], INNER);
    let mut y_lines: Vec<f32> = Vec::new();
    if let Some((_, b)) = frame.top_band {
        y_lines.push(b);
    }
    let mut y_text = Vec::new();
    for i in plan.rows.clone() {
        let row_top = y_lines.last().copied().unwrap_or(body_top);
        let row_bottom = row_top + table.rows[i].height;
        y_text.push((i, row_top, row_bottom));
        y_lines.push(row_bottom);
    }
    for y in &y_lines {
        if (y - bottom).abs() > 0.01 {
            h(*y, left, right, INNER);
        }
    }
    for (k, x) in table.edges.iter().enumerate() {
        let outer = k == 0 || k + 1 == table.edges.len();
        // Lane and Mutu Baku dividers start below the spanning header cell.
        let inside_span = (k > 2 && k < 2 + n) || (k > 2 + n && k < 5 + n);
        let y0 = if inside_span { mid } else { top };
        page.rules.push(Rule {
            a: pt(*x, y0),
            b: pt(*x, bottom),
            width: if outer { OUTER } else { INNER },
        });
    }

    let head_h = metrics.line_height(HEADER_PT);
    let header_text = |page: &mut Page, text: &str, x0: f32, x1: f32, y0: f32, y1: f32| {
        let lines = super::text::wrap(
            metrics,
            text,
            Weight::Bold,
            HEADER_PT,
            (x1 - x0 - 2.0 * PAD).max(2.0),
        );
        centred_lines(
            page,
            metrics,
            &lines,
            x0,
            x1,
            y0,
            y1,
            head_h,
            Weight::Bold,
            TextRole::Header,
            None,
        );
    };
    header_text(
        page,
        HEAD_NO.get(DOC_LANG),
        table.edges[0],
        table.edges[1],
        top,
        body_top,
    );
    header_text(
        page,
        HEAD_ACTIVITY.get(DOC_LANG),
        table.edges[1],
        table.edges[2],
        top,
        body_top,
    );
    header_text(
        page,
        HEAD_LANES.get(DOC_LANG),
        table.edges[2],
        table.edges[2 + n],
        top,
        mid,
    );
    header_text(
        page,
        HEAD_MUTU.get(DOC_LANG),
        table.edges[2 + n],
        table.edges[5 + n],
        top,
        mid,
    );
    header_text(
        page,
        HEAD_REMARKS.get(DOC_LANG),
        table.edges[5 + n],
        table.edges[6 + n],
        top,
        body_top,
    );
    // The second header row: lane names, then the Mutu Baku headings.
    let lane_cells = table
        .lane_heads
        .iter()
        .enumerate()
        .map(|(i, l)| (table.lane_x(i), l));
    let mutu_cells = table
        .mutu_heads
        .iter()
        .enumerate()
        .map(|(k, l)| ((table.edges[2 + n + k], table.edges[3 + n + k]), l));
    for ((x0, x1), lines) in lane_cells.chain(mutu_cells) {
        centred_lines(
            page,
            metrics,
            lines,
            x0,
            x1,
            mid,
            body_top,
            head_h,
            Weight::Bold,
            TextRole::Header,
            None,
        );
    }

    let line_h = metrics.line_height(BODY_PT);
    let cols = [
        TextCol::No,
        TextCol::Activity,
        TextCol::Requirements,
        TextCol::Time,
        TextCol::Output,
        TextCol::Remarks,
    ];
    for (i, row_top, row_bottom) in y_text {
        page.rows.push(RowBox {
            step: i,
            rect: Rect {
                min: pt(left, row_top),
                max: pt(right, row_bottom),
            },
        });
        for (c, col) in cols.iter().enumerate() {
            let (x0, x1) = table.col_x(*col);
            let lines = &table.rows[i].cells[c];
            if *col == TextCol::No || *col == TextCol::Time {
                centred_lines(
                    page,
                    metrics,
                    lines,
                    x0,
                    x1,
                    row_top,
                    row_top + 2.0 * PAD + line_h * lines.len() as f32,
                    line_h,
                    Weight::Regular,
                    TextRole::Cell,
                    Some(i),
                );
                continue;
            }
            for (k, line) in lines.iter().enumerate() {
                if line.is_empty() {
                    continue;
                }
                let width = metrics.width(line, Weight::Regular, BODY_PT);
                page.texts.push(TextRun {
                    pos: pt(x0 + PAD, row_top + PAD + k as f32 * line_h),
                    text: line.clone(),
                    size_pt: BODY_PT,
                    weight: Weight::Regular,
                    width,
                    role: TextRole::Cell,
                    step: Some(i),
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
    x0: f32,
    x1: f32,
    y0: f32,
    y1: f32,
    line_h: f32,
    weight: Weight,
    role: TextRole,
    step: Option<usize>,
) {
    let size = if role == TextRole::Header {
        HEADER_PT
    } else {
        BODY_PT
    };
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
        });
    }
}
