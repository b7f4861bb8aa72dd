//! The flowchart table's columns and rows: which columns the SOP has (No,
//! Kegiatan, one per lane, its Mutu Baku columns, Keterangan), how wide each
//! is (from the content: no row taller than it needs while another column has
//! room), the wrapped cell texts and headings, row heights, and which rows go
//! on which page.

use std::ops::Range;

use super::text::{FontMetrics, Measured, Weight, wrap, wrap_marked};
use lajur_core::locale::{Lang, Text};
use lajur_core::paper::{Flow, PageSettings, RowsPerPage};
use lajur_core::sop::{Sop, Symbol};

pub(super) const BODY_PT: f32 = 8.0;
pub(super) const HEADER_PT: f32 = 8.0;
/// Headings shrink to this size before a word of theirs is broken.
pub(super) const MIN_HEADER_PT: f32 = 6.0;
pub(super) const LABEL_PT: f32 = 6.5;
/// An exit label shrinks to this size before it gives up a place.
pub(super) const LABEL_MIN_PT: f32 = 5.5;
/// Padding inside a cell, mm.
pub(super) const PAD: f32 = 1.5;
/// The least distance between a route and a parallel rule or route (the
/// quality standard, see `check`).
pub const SPACING: f32 = 2.5;
/// The least distance between a route's track and a symbol it runs beside.
pub(super) const SYMBOL_CLEAR: f32 = 1.5;
/// Height of the band that holds off-page connectors at a page break.
pub(super) const BAND: f32 = 11.0;
/// Space under the table for the page number.
pub(super) const FOOTER: f32 = 7.0;
pub(super) const SHAPE_H: f32 = 7.0;
pub(super) const DECISION_H: f32 = 9.0;
pub(super) const SHAPE_MAX_W: f32 = 16.0;
pub(super) const SHAPE_MIN_W: f32 = 6.0;
pub(super) const CONNECTOR: f32 = 6.0;
/// Between two symbols stacked in one lane of one row: room for one track.
pub(super) const STACK_GAP: f32 = 2.0 * SYMBOL_CLEAR + 1.0;
/// The narrowest lane: a symbol and a track on each side of it.
pub(super) const LANE_MIN: f32 = SHAPE_MIN_W + 2.0 * (SPACING + SYMBOL_CLEAR);
/// A comfortable lane: a full-size symbol and two tracks each side.
const LANE_PREFERRED: f32 = SHAPE_MAX_W + 2.0 * (2.0 * SPACING + SYMBOL_CLEAR);
/// Lanes begin this wide (a symbol and one track each side): the text
/// columns are served first, and lanes widen (up to [`LANE_PREFERRED`]) only
/// with room the text does not need.
const LANE_START: f32 = 10.0 + 2.0 * (SPACING + SYMBOL_CLEAR);

/// The document's language (the table's own headings).
pub(super) const DOC_LANG: Lang = Lang::Id;

/// What a column of the table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColKind {
    No,
    Activity,
    Lane(usize),
    /// The n-th Mutu Baku column of the SOP.
    Mutu(usize),
    Remarks,
}

impl ColKind {
    pub fn is_text(self) -> bool {
        !matches!(self, ColKind::Lane(_))
    }

    /// (least width, mm; how strongly it asks for room)
    fn floor(self) -> f32 {
        match self {
            ColKind::No => 6.0,
            ColKind::Activity => 20.0,
            ColKind::Mutu(_) => 10.0,
            ColKind::Remarks => 10.0,
            ColKind::Lane(_) => LANE_MIN,
        }
    }
}

/// The column of the first lane (after No and Kegiatan).
pub(crate) const FIRST_LANE: usize = 2;

/// The table's columns, left to right, in the official order.
pub(crate) fn column_kinds(sop: &Sop) -> Vec<ColKind> {
    let mut kinds = vec![ColKind::No, ColKind::Activity];
    kinds.extend((0..sop.lanes.len().max(1)).map(ColKind::Lane));
    kinds.extend((0..sop.headings.columns.len()).map(ColKind::Mutu));
    kinds.push(ColKind::Remarks);
    kinds
}

/// What a text cell of a row holds (`leader`: the row's first step).
pub(crate) fn cell_text(sop: &Sop, kind: ColKind, leader: usize) -> String {
    let Some(step) = sop.steps.get(leader) else {
        return String::new();
    };
    match kind {
        ColKind::No => step.number.clone(),
        ColKind::Activity => step.activity.clone(),
        ColKind::Mutu(j) => sop
            .headings
            .columns
            .get(j)
            .map(|c| step.mutu_baku(c).to_string())
            .unwrap_or_default(),
        ColKind::Remarks => step.remarks.clone(),
        ColKind::Lane(_) => String::new(),
    }
}

/// A column's heading.
pub(crate) fn heading_text(sop: &Sop, kind: ColKind) -> String {
    match kind {
        ColKind::No => Text::DocColNo.get(DOC_LANG).to_string(),
        ColKind::Activity => sop.headings.activity.clone(),
        ColKind::Lane(i) => sop.lanes.get(i).map(|l| l.name.clone()).unwrap_or_default(),
        ColKind::Mutu(j) => sop
            .headings
            .columns
            .get(j)
            .map(|c| sop.headings.heading(c).to_string())
            .unwrap_or_default(),
        ColKind::Remarks => Text::DocColRemarks.get(DOC_LANG).to_string(),
    }
}

/// The least width of a column (the quality standard's, see `quality`): its
/// floor, its heading's longest word at the smallest heading size, and for a
/// text column its longest word (up to 45 mm), so no word need break.
pub(crate) fn least_width(
    metrics: &dyn FontMetrics,
    kind: ColKind,
    heading: &str,
    cells: &[Measured],
) -> f32 {
    least_widths(metrics, kind, heading, cells).1
}

/// A column's least width without and with its longest word kept whole.
fn least_widths(
    metrics: &dyn FontMetrics,
    kind: ColKind,
    heading: &str,
    cells: &[Measured],
) -> (f32, f32) {
    let head = Measured::new(metrics, heading, Weight::Bold, MIN_HEADER_PT);
    let words = cells
        .iter()
        .map(|m| m.widest_piece)
        .fold(0.0f32, f32::max)
        .min(45.0);
    // Lanes keep their heading's words whole (a lane is as wide as its
    // symbol needs anyway); a text column's heading, like its text, gives
    // way on a page too narrow (it shrinks, then breaks with a hyphen).
    // (A hair more than the word: a word exactly as wide as its line would
    // break on a rounding.)
    let heading = head.widest_piece.min(40.0) + 2.0 * PAD + 0.2;
    let hard = if kind.is_text() {
        kind.floor()
    } else {
        kind.floor().max(heading)
    };
    let soft = hard.max(heading).max(if kind.is_text() {
        words + 2.0 * PAD + 0.2
    } else {
        0.0
    });
    (hard, soft)
}

/// A heading: its lines and the size it is printed at.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Heading {
    pub lines: Vec<String>,
    pub size: f32,
}

/// One row of the table: the steps whose symbols stand in it (the first holds
/// the row's texts), its height, and how its symbols stack.
pub(super) struct Row {
    pub steps: Range<usize>,
    pub height: f32,
    /// Wrapped lines per column (lanes have none).
    pub cells: Vec<Vec<String>>,
    /// Per column, per line: the line ends inside a broken word.
    pub split: Vec<Vec<bool>>,
    /// The symbol level of each step of the row (0 = top), and the levels' count.
    pub level_of: Vec<usize>,
    pub levels: usize,
    /// Height of the symbols' stack.
    pub stack_h: f32,
    /// Each level's symbol height.
    pub level_h: Vec<f32>,
    /// Tracks kept free above and below the symbols for routes. A row has
    /// one below its symbols and none above (the row above lends its own);
    /// a row a route could not get through cleanly gets more.
    pub tracks: Tracks,
}

/// Route tracks kept free above and below a row's symbols.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tracks {
    pub above: usize,
    pub below: usize,
}

impl Default for Tracks {
    fn default() -> Self {
        Tracks { above: 0, below: 1 }
    }
}

impl Tracks {
    /// One more, on the side that has fewer.
    pub fn grown(self) -> Tracks {
        if self.above < self.below {
            Tracks {
                above: self.above + 1,
                ..self
            }
        } else {
            Tracks {
                below: self.below + 1,
                ..self
            }
        }
    }

    pub fn total(self) -> usize {
        self.above + self.below
    }
}

impl Row {
    /// The room kept above the symbols, mm.
    pub fn clear_above(&self) -> f32 {
        SYMBOL_CLEAR + self.tracks.above as f32 * SPACING
    }

    /// The room kept below the symbols, mm.
    pub fn clear_below(&self) -> f32 {
        SYMBOL_CLEAR + self.tracks.below as f32 * SPACING
    }

    /// The least height the symbols and their tracks need.
    pub fn symbol_room(&self) -> f32 {
        self.clear_above() + self.stack_h + self.clear_below()
    }

    /// Where the symbols' stack starts in a row placed from `top` to
    /// `bottom`: what the tracks leave, shared evenly above and below.
    pub fn stack_top(&self, top: f32, bottom: f32) -> f32 {
        let free = (bottom - top - self.symbol_room()).max(0.0);
        top + self.clear_above() + free / 2.0
    }
}

pub(super) struct Table {
    /// Column edges, left to right.
    pub edges: Vec<f32>,
    pub kinds: Vec<ColKind>,
    pub lane_count: usize,
    /// The column index of the first lane.
    pub first_lane: usize,
    pub header_top: f32,
    pub header_bottom: f32,
    /// The headings of every column (lanes and Mutu Baku in the second row).
    pub heads: Vec<Heading>,
    /// The group headings: Pelaksana over the lanes, Mutu Baku over its columns.
    pub lanes_head: Heading,
    pub mutu_head: Option<Heading>,
    pub rows: Vec<Row>,
    pub shape_w: f32,
    /// Which Mutu Baku column is Waktu (printed centred), if the SOP has one.
    pub time_column: Option<usize>,
}

/// Why the table cannot be printed on this paper at all.
#[derive(Debug, Clone, PartialEq)]
pub enum Fit {
    Fits,
    /// The lanes and the text columns' least widths are wider than the page.
    TooWide {
        needed: f32,
        available: f32,
    },
    /// A row is taller than a page can hold.
    RowTooTall {
        step: usize,
        height: f32,
        available: f32,
    },
}

impl Table {
    pub fn header_height(&self) -> f32 {
        self.header_top + self.header_bottom
    }

    #[cfg(test)]
    pub fn col(&self, kind: ColKind) -> Option<usize> {
        self.kinds.iter().position(|k| *k == kind)
    }

    /// x range of column `i`.
    pub fn col_x(&self, i: usize) -> (f32, f32) {
        (self.edges[i], self.edges[i + 1])
    }

    /// x range of lane `i`.
    pub fn lane_x(&self, i: usize) -> (f32, f32) {
        self.col_x(self.first_lane + i)
    }

    pub fn lanes_x(&self) -> (f32, f32) {
        (
            self.edges[self.first_lane],
            self.edges[self.first_lane + self.lane_count],
        )
    }

    pub fn measure(
        sop: &Sop,
        settings: &PageSettings,
        metrics: &dyn FontMetrics,
        tracks: &[Tracks],
        gutters: &[usize],
    ) -> Table {
        let (page_w, _) = settings.page_size();
        let total = (page_w - settings.margins.left - settings.margins.right).max(60.0);
        let lane_count = sop.lanes.len().max(1);
        let kinds = column_kinds(sop);
        let first_lane = FIRST_LANE;

        let groups = sop.rows();
        let cell_text = |kind: ColKind, leader: usize| cell_text(sop, kind, leader);
        let heading_text = |kind: ColKind| heading_text(sop, kind);
        // What each text cell needs, measured once.
        let measured: Vec<Vec<Measured>> = kinds
            .iter()
            .map(|k| {
                groups
                    .iter()
                    .map(|g| {
                        if k.is_text() {
                            Measured::new(
                                metrics,
                                &cell_text(*k, g.start),
                                Weight::Regular,
                                BODY_PT,
                            )
                        } else {
                            Measured::default()
                        }
                    })
                    .collect()
            })
            .collect();
        // A column's least width keeps its longest word whole when the page
        // has room for that; on a page too narrow, long words give way first
        // (they break with a hyphen).
        let bounds: Vec<(f32, f32)> = kinds
            .iter()
            .enumerate()
            .map(|(c, k)| least_widths(metrics, *k, &heading_text(*k), &measured[c]))
            .collect();
        // Extra tracks asked for lanes a route could not get through cleanly.
        let asked: Vec<f32> = (0..lane_count)
            .map(|i| gutters.get(i).copied().unwrap_or(0) as f32 * 2.0 * SPACING)
            .collect();
        let asked_total: f32 = asked.iter().sum();
        let lanes_least = LANE_MIN * lane_count as f32 + asked_total;
        let (hard, soft): (f32, f32) = bounds
            .iter()
            .zip(&kinds)
            .filter(|(_, k)| k.is_text())
            .fold((0.0, 0.0), |(h, s), ((a, b), _)| (h + a, s + b));
        let keep = if soft + lanes_least <= total || soft - hard < 0.01 {
            1.0
        } else {
            ((total - lanes_least - hard) / (soft - hard)).clamp(0.0, 1.0)
        };
        let least: Vec<f32> = bounds.iter().map(|(h, s)| h + (s - h) * keep).collect();

        // Lanes: a comfortable width when the page has it, never below the least.
        let text_least: f32 = least
            .iter()
            .zip(&kinds)
            .filter(|(_, k)| k.is_text())
            .map(|(w, _)| w)
            .sum();
        let for_lanes = (total - text_least) / lane_count as f32;
        let mut lane_w = for_lanes.clamp(LANE_MIN, LANE_START);

        // Rows: their symbol stacks (steps sharing a lane in a row stack up).
        let mut rows: Vec<Row> = groups
            .iter()
            .map(|g| {
                let mut level_of = Vec::with_capacity(g.len());
                let mut used: Vec<Vec<usize>> = Vec::new();
                for i in g.clone() {
                    let lanes: Vec<usize> = sop.steps[i]
                        .lanes
                        .iter()
                        .filter_map(|l| sop.lane_index(l))
                        .collect();
                    // The lowest level none of its lanes (nor the lanes between
                    // them, which its join line crosses) is taken at.
                    let (lo, hi) = (
                        lanes.iter().min().copied().unwrap_or(0),
                        lanes.iter().max().copied().unwrap_or(0),
                    );
                    let level = (0..)
                        .find(|lv| {
                            used.get(*lv)
                                .is_none_or(|taken| !taken.iter().any(|l| (lo..=hi).contains(l)))
                        })
                        .unwrap_or(0);
                    if used.len() <= level {
                        used.resize(level + 1, Vec::new());
                    }
                    used[level].extend(lo..=hi);
                    level_of.push(level);
                }
                let levels = used.len().max(1);
                let level_h: Vec<f32> = (0..levels)
                    .map(|lv| {
                        let decision = g
                            .clone()
                            .zip(&level_of)
                            .any(|(i, l)| *l == lv && sop.steps[i].symbol == Symbol::Decision);
                        if decision { DECISION_H } else { SHAPE_H }
                    })
                    .collect();
                let stack_h =
                    level_h.iter().sum::<f32>() + STACK_GAP * (levels.saturating_sub(1)) as f32;
                Row {
                    tracks: Tracks::default(),
                    steps: g.clone(),
                    height: 0.0,
                    cells: vec![Vec::new(); kinds.len()],
                    split: vec![Vec::new(); kinds.len()],
                    level_of,
                    levels,
                    stack_h,
                    level_h,
                }
            })
            .collect();
        for (r, row) in rows.iter_mut().enumerate() {
            row.tracks = tracks.get(r).copied().unwrap_or_default();
        }

        // Text columns share what the lanes leave, then trade width until no
        // row is taller than it needs while another column has room.
        // A lane a route could not get through cleanly gets another track on
        // each side, as far as the text columns' least widths allow.
        if asked_total > 0.0 {
            // The other lanes give way first, down to their least.
            let n = lane_count as f32;
            lane_w = ((total - text_least - asked_total) / n).clamp(LANE_MIN, lane_w);
        }
        let free = (total - lane_w * lane_count as f32 - text_least).max(0.0);
        let share = if asked_total > 0.0 {
            (free / asked_total).min(1.0)
        } else {
            0.0
        };
        let lane_widths: Vec<f32> = asked.iter().map(|a| lane_w + a * share).collect();

        let lanes_total: f32 = lane_widths.iter().sum();
        let line_h = metrics.line_height(BODY_PT);
        let symbol_h: Vec<f32> = rows.iter().map(Row::symbol_room).collect();
        let text_cols: Vec<usize> = (0..kinds.len()).filter(|c| kinds[*c].is_text()).collect();
        let mut widths = vec![0.0f32; kinds.len()];
        for c in 0..kinds.len() {
            widths[c] = match kinds[c] {
                ColKind::Lane(i) => lane_widths.get(i).copied().unwrap_or(lane_w),
                _ => least[c],
            };
        }
        let spare = (total - lanes_total - text_least).max(0.0);
        let demand: Vec<f32> = text_cols
            .iter()
            .map(|c| {
                let want: f32 = measured[*c].iter().map(Measured::single_line_width).sum();
                match kinds[*c] {
                    ColKind::No => 0.0,
                    _ => want.sqrt().max(1.0),
                }
            })
            .collect();
        let demand_sum: f32 = demand.iter().sum::<f32>().max(1.0);
        for (k, c) in text_cols.iter().enumerate() {
            widths[*c] += spare * demand[k] / demand_sum;
        }
        balance(
            &mut widths,
            &text_cols,
            &least,
            &measured,
            &symbol_h,
            line_h,
        );
        // Room the text columns do not need (no row of theirs would take
        // another line without it) widens the lanes, up to a comfortable width.
        let want = (LANE_PREFERRED - lane_w).max(0.0) * lane_count as f32;
        if want > 0.01 {
            let rooms: Vec<(usize, f32)> = text_cols
                .iter()
                .map(|c| (*c, column_room(*c, widths[*c], least[*c], &measured[*c])))
                .collect();
            let total_room: f32 = rooms.iter().map(|(_, r)| r).sum();
            if total_room > 0.01 {
                let give = total_room.min(want);
                for (c, r) in &rooms {
                    widths[*c] -= give * r / total_room;
                }
                lane_w += give / lane_count as f32;
                for c in 0..kinds.len() {
                    if !kinds[c].is_text() {
                        widths[c] += give / lane_count as f32;
                    }
                }
            }
        }
        let shape_w = (lane_w - 2.0 * (SPACING + SYMBOL_CLEAR)).clamp(SHAPE_MIN_W, SHAPE_MAX_W);
        let lanes_total: f32 = (0..lane_count).map(|i| widths[first_lane + i]).sum();

        let mut edges = Vec::with_capacity(kinds.len() + 1);
        let mut x = settings.margins.left;
        edges.push(x);
        for w in &widths {
            x += w;
            edges.push(x);
        }

        // Headings: the second row (lanes, Mutu Baku) and the columns that span both.
        let heads: Vec<Heading> = kinds
            .iter()
            .enumerate()
            .map(|(c, k)| heading(metrics, &heading_text(*k), widths[c]))
            .collect();
        let lanes_head = heading(metrics, Text::DocColLanes.get(DOC_LANG), lanes_total);
        let mutu_cols: Vec<usize> = (0..kinds.len())
            .filter(|c| matches!(kinds[*c], ColKind::Mutu(_)))
            .collect();
        let mutu_head = (!mutu_cols.is_empty()).then(|| {
            let w: f32 = mutu_cols.iter().map(|c| widths[*c]).sum();
            heading(metrics, Text::DocColMutu.get(DOC_LANG), w)
        });
        let head_line = |h: &Heading| h.lines.len() as f32 * metrics.line_height(h.size);
        let header_top = head_line(&lanes_head)
            .max(mutu_head.as_ref().map_or(0.0, head_line))
            .max(metrics.line_height(HEADER_PT))
            + 2.0 * PAD;
        let second = kinds
            .iter()
            .enumerate()
            .filter(|(_, k)| matches!(k, ColKind::Lane(_) | ColKind::Mutu(_)))
            .map(|(c, _)| head_line(&heads[c]))
            .fold(metrics.line_height(HEADER_PT), f32::max)
            + 2.0 * PAD;
        // Columns spanning both header rows must fit in their sum.
        let spanning = kinds
            .iter()
            .enumerate()
            .filter(|(_, k)| matches!(k, ColKind::No | ColKind::Activity | ColKind::Remarks))
            .map(|(c, _)| head_line(&heads[c]) + 2.0 * PAD)
            .fold(0.0f32, f32::max);
        let header_bottom = second.max(spanning - header_top);

        for (r, row) in rows.iter_mut().enumerate() {
            let leader = row.steps.start;
            let mut lines = 1usize;
            for c in &text_cols {
                let wrapped = wrap_marked(
                    metrics,
                    &cell_text(kinds[*c], leader),
                    Weight::Regular,
                    BODY_PT,
                    (widths[*c] - 2.0 * PAD).max(1.0),
                );
                lines = lines.max(wrapped.len());
                row.split[*c] = wrapped.iter().map(|(_, s)| *s).collect();
                row.cells[*c] = wrapped.into_iter().map(|(l, _)| l).collect();
            }
            let text_h = lines as f32 * line_h + 2.0 * PAD;
            row.height = text_h.max(symbol_h[r]);
        }
        Table {
            edges,
            kinds,
            lane_count,
            first_lane,
            header_top,
            header_bottom,
            heads,
            lanes_head,
            mutu_head,
            rows,
            shape_w,
            time_column: sop
                .headings
                .columns
                .iter()
                .position(|c| *c == lajur_core::sop::MutuBakuColumn::Time),
        }
    }

    /// Whether the table can be printed on a page of this body height.
    pub fn fit(&self, sop: &Sop, settings: &PageSettings) -> Fit {
        let (page_w, page_h) = settings.page_size();
        let available = page_w - settings.margins.left - settings.margins.right;
        let used = self.edges.last().copied().unwrap_or(0.0) - self.edges[0];
        if used > available + 0.5 {
            return Fit::TooWide {
                needed: used,
                available,
            };
        }
        let body = page_h
            - settings.margins.top
            - settings.margins.bottom
            - FOOTER
            - self.header_height()
            - 2.0 * BAND;
        for row in &self.rows {
            if row.height > body {
                let _ = sop;
                return Fit::RowTooTall {
                    step: row.steps.start,
                    height: row.height,
                    available: body,
                };
            }
        }
        Fit::Fits
    }
}

/// How much narrower column `c` could be with none of its rows taking another
/// line (never below its least width).
fn column_room(c: usize, width: f32, least: f32, measured: &[Measured]) -> f32 {
    let _ = c;
    let inner = |w: f32| (w - 2.0 * PAD).max(1.0);
    let lines_at = |w: f32| -> Vec<usize> { measured.iter().map(|m| m.lines(inner(w))).collect() };
    let now = lines_at(width);
    let (mut lo, mut hi) = (least, width);
    if hi - lo < 0.1 {
        return 0.0;
    }
    if lines_at(lo) == now {
        return hi - lo;
    }
    for _ in 0..10 {
        let mid = (lo + hi) / 2.0;
        if lines_at(mid) == now {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    (width - hi).max(0.0)
}

/// Moves width between text columns while a row is taller than it needs and
/// another column has room: a move never makes any row taller, so each one
/// shortens the table, and none is left when it stops (what `quality` asks).
fn balance(
    widths: &mut [f32],
    text_cols: &[usize],
    least: &[f32],
    measured: &[Vec<Measured>],
    symbol_h: &[f32],
    line_h: f32,
) {
    let inner = |w: f32| (w - 2.0 * PAD).max(1.0);
    let rows = symbol_h.len();
    let lines_at = |c: usize, w: f32| -> Vec<usize> {
        measured[c].iter().map(|m| m.lines(inner(w))).collect()
    };
    let mut lines: Vec<Vec<usize>> = (0..widths.len())
        .map(|c| {
            if text_cols.contains(&c) {
                lines_at(c, widths[c])
            } else {
                vec![0; rows]
            }
        })
        .collect();
    // Each column's room: how much narrower it could be with no row of it
    // taking more lines. Known until the column's width changes.
    let room_of = |c: usize, width: f32, lines: &[usize]| -> f32 {
        let mut lo = least[c];
        let mut hi = width;
        if hi - lo < 0.1 {
            return 0.0;
        }
        if lines_at(c, lo) == lines {
            return hi - lo;
        }
        for _ in 0..10 {
            let mid = (lo + hi) / 2.0;
            if lines_at(c, mid) == lines {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        (width - hi).max(0.0)
    };
    let mut room: Vec<Option<f32>> = vec![None; widths.len()];
    for _round in 0..2000 {
        let mut moved = false;
        'rows: for r in 0..rows {
            // A row whose height its text sets, and the one column setting it.
            let tallest = text_cols
                .iter()
                .copied()
                .max_by_key(|c| lines[*c][r])
                .unwrap_or(0);
            let n = lines[tallest][r];
            let text_h = n as f32 * line_h + 2.0 * PAD;
            if text_h <= symbol_h[r] + 0.01 || n <= 1 {
                continue;
            }
            if text_cols.iter().any(|c| *c != tallest && lines[*c][r] == n) {
                continue;
            }
            // The most room any other column has.
            let mut best: Option<(usize, f32)> = None;
            for d in text_cols.iter().copied().filter(|d| *d != tallest) {
                let have = match room[d] {
                    Some(v) => v,
                    None => {
                        let v = room_of(d, widths[d], &lines[d]);
                        room[d] = Some(v);
                        v
                    }
                };
                if best.is_none_or(|(_, b)| have > b) {
                    best = Some((d, have));
                }
            }
            let Some((donor, have)) = best else { continue };
            if have < 0.05 || measured[tallest][r].lines(inner(widths[tallest] + have)) >= n {
                continue;
            }
            // The least width that takes a line off this row.
            let (mut lo, mut hi) = (0.0f32, have);
            for _ in 0..14 {
                let mid = (lo + hi) / 2.0;
                if measured[tallest][r].lines(inner(widths[tallest] + mid)) < n {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            widths[donor] -= hi;
            widths[tallest] += hi;
            lines[donor] = lines_at(donor, widths[donor]);
            lines[tallest] = lines_at(tallest, widths[tallest]);
            room[donor] = None;
            room[tallest] = None;
            moved = true;
            break 'rows;
        }
        if !moved {
            break;
        }
    }
}

/// A heading in `width`: wrapped at spaces; shrunk (down to the smallest
/// heading size) before a word is broken.
fn heading(metrics: &dyn FontMetrics, text: &str, width: f32) -> Heading {
    let inner = (width - 2.0 * PAD).max(1.0);
    let mut size = HEADER_PT;
    while size > MIN_HEADER_PT {
        let widest = Measured::new(metrics, text, Weight::Bold, size).widest_piece;
        if widest <= inner {
            break;
        }
        size -= 0.5;
    }
    Heading {
        lines: wrap(metrics, text, Weight::Bold, size, inner),
        size,
    }
}

/// The rows of one page, and whether the table continues before or after it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PagePlan {
    pub rows: Range<usize>,
    pub has_prev: bool,
    pub has_next: bool,
    /// Where the table starts on this page (below the identity block on the
    /// first page of a compact document, else the top margin).
    pub top: f32,
}

/// Splits the rows into pages. `tail` is room (mm) kept free below the last row,
/// for the approval block; `first_top` is where the table may start on the
/// first page (when it shares that page). The last page never holds a single
/// row that could have stayed on the page before: then two rows go over.
pub(super) fn paginate(
    table: &Table,
    settings: &PageSettings,
    tail: f32,
    first_top: Option<f32>,
    no_break_after: &[usize],
) -> Vec<PagePlan> {
    let n = table.rows.len();
    let m = settings.margins;
    if settings.flow == Flow::Continuous || n == 0 {
        return vec![PagePlan {
            rows: 0..n,
            has_prev: false,
            has_next: false,
            top: m.top,
        }];
    }
    let (_, page_h) = settings.page_size();
    let bottom = page_h - m.bottom - FOOTER;
    let limit = match settings.rows_per_page {
        RowsPerPage::Auto => usize::MAX,
        RowsPerPage::Fixed(k) => usize::from(k.max(1)),
    };
    let mut plans: Vec<PagePlan> = Vec::new();
    let mut start = 0;
    while start < n {
        let has_prev = start > 0;
        let top = match (plans.is_empty(), first_top) {
            (true, Some(t)) => t,
            _ => m.top,
        };
        let mut room = bottom - top - table.header_height() - if has_prev { BAND } else { 0.0 };
        let mut end = start;
        while end < n && end - start < limit {
            let h = table.rows[end].height;
            // The last row needs no band for a following page, but room for the tail.
            let after = if end + 1 < n { BAND } else { tail };
            if h + after > room && end > start {
                break;
            }
            if h + after > room && end == start && plans.is_empty() && first_top.is_some() {
                // Not even one row fits under the identity block: start on a page of its own.
                break;
            }
            room -= h;
            end += 1;
        }
        if end == start {
            // The first page had no room: the table begins on the next page.
            return paginate(table, settings, tail, None, no_break_after);
        }
        // A break with more connectors than its bands hold moves up a row
        // (fewer arrows cross it), while the page keeps a row.
        while end < n && end > start + 1 && no_break_after.contains(&(end - 1)) {
            end -= 1;
        }
        plans.push(PagePlan {
            rows: start..end,
            has_prev,
            has_next: end < n,
            top,
        });
        start = end;
    }
    // A last page holding one row, when the page before could have held it
    // but not it and the approval block: two rows go over together.
    if plans.len() >= 2 && tail > 0.0 {
        let last = plans.len() - 1;
        let single = plans[last].rows.len() == 1;
        let before_rows = plans[last - 1].rows.len();
        if single && before_rows >= 2 {
            let moved = plans[last - 1].rows.end - 1;
            plans[last - 1].rows.end = moved;
            plans[last - 1].has_next = true;
            plans[last].rows.start = moved;
        }
    }
    plans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BundledFont;
    use lajur_core::sop::BUNDLED;

    fn bunder() -> Sop {
        lajur_core::sop::SopDocument::parse(BUNDLED[0].1).sop
    }

    #[test]
    fn columns_fill_the_width_for_any_lane_count() {
        for paper_w in [297.0f32, 330.0] {
            for lanes in 1..=8 {
                let mut sop = lajur_core::sop::sample::generated(12, lanes, 4, 7);
                sop.identity.name = "x".into();
                let settings = PageSettings::default();
                let _ = paper_w;
                let t = Table::measure(&sop, &settings, BundledFont::get(), &[], &[]);
                let (w, _) = settings.page_size();
                let avail = w - settings.margins.left - settings.margins.right;
                let used = t.edges.last().copied().unwrap_or(0.0) - t.edges[0];
                assert!(used <= avail + 0.5, "{lanes}: {used} > {avail}");
                assert!(t.edges.windows(2).all(|e| e[1] > e[0]));
            }
        }
    }

    #[test]
    fn a_long_keterangan_gets_room_from_columns_that_have_it() {
        let mut sop = bunder();
        sop.steps[0].remarks = "Catatan panjang ".repeat(40);
        let t = Table::measure(&sop, &PageSettings::default(), BundledFont::get(), &[], &[]);
        let remarks = t
            .col(ColKind::Remarks)
            .map(|c| t.col_x(c))
            .unwrap_or_default();
        assert!(remarks.1 - remarks.0 > 30.0, "{remarks:?}");
    }
}
