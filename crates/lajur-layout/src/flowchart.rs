//! The flowchart table of an SOP: measured, paginated and routed. When a
//! route finds no clean way, the rows get more room for tracks and the table
//! is laid out again (a few times at most).

use lajur_core::paper::PageSettings;
use lajur_core::sop::Sop;

use crate::page::{FitProblem, Layout};
use crate::text::FontMetrics;
use crate::{route, table};

/// Tracks kept above and below the symbols of a row at most, together.
const MAX_TRACKS: usize = 6;
/// Extra route tracks each side of a lane, at most.
const MAX_GUTTERS: usize = 4;
/// Layouts tried at most.
const MAX_TRIES: usize = 20;

/// Lays out the flowchart of an SOP. Works on any SOP, valid or not: exits to
/// unknown steps and steps in unknown lanes are simply not drawn.
pub fn layout(sop: &Sop, settings: &PageSettings, metrics: &dyn FontMetrics) -> Layout {
    let (mut layout, _) = layout_with_tail(sop, settings, metrics, 0.0, None);
    crate::display::finish(&mut layout);
    layout
}

/// As [`layout`], keeping `tail` mm free under the last row (for the approval
/// block), and starting at `first_top` on the first page when given (the
/// table sharing the identity page). Also says how many arrows or labels
/// found no clean place (drawn anyway, where the checker will see them).
pub(crate) fn layout_with_tail(
    sop: &Sop,
    settings: &PageSettings,
    metrics: &dyn FontMetrics,
    tail: f32,
    first_top: Option<f32>,
) -> (Layout, usize) {
    // Rows start with one track below their symbols (see `table::Tracks`); a row that a
    // route could not get through cleanly gets another, and the table is laid
    // out again.
    let mut tracks = vec![table::Tracks::default(); sop.rows().len()];
    let mut tries = 0;
    let mut salt = 0u64;
    let mut first: Vec<(usize, usize)> = Vec::new();
    let mut crowded: Vec<usize> = Vec::new();
    let mut gutters = loop_gutters(sop);
    let mut failures = vec![0usize; sop.lanes.len()];
    loop {
        let table = table::Table::measure(sop, settings, metrics, &tracks, &gutters);
        let plans = table::paginate(&table, settings, tail, first_top, &crowded);
        let (mut layout, unrouted) =
            route::build(sop, &table, &plans, settings, metrics, &first, salt);
        let mut grown = false;
        // Nothing left to grow: try the arrows in another order.
        let stuck = tries >= 4;
        for u in &unrouted {
            if let Some(r) = u.crowded_break
                && !crowded.contains(&r)
            {
                crowded.push(r);
                grown = true;
                continue;
            }
            // An arrow that finds no way goes first next time, its rows get
            // room and the lanes at its ends another track each side.
            if !first.contains(&(u.from, u.to)) {
                first.push((u.from, u.to));
                grown = true;
            }
            if !u.lanes.is_empty() {
                for l in [u.lanes.start, u.lanes.end - 1] {
                    let Some(count) = failures.get_mut(l) else {
                        continue;
                    };
                    *count += 1;
                    if *count >= 1
                        && let Some(g) = gutters.get_mut(l)
                        && *g < MAX_GUTTERS
                    {
                        *g += 1;
                        *count = 0;
                        grown = true;
                    }
                }
            }
            for r in u.rows.clone() {
                if let Some(t) = tracks.get_mut(r)
                    && t.total() < MAX_TRACKS
                {
                    *t = t.grown();
                    grown = true;
                }
            }
        }
        tries += 1;
        if !grown && stuck && !unrouted.is_empty() {
            salt += 1;
            grown = true;
        }
        if unrouted.is_empty() || !grown || tries >= MAX_TRIES {
            match table.fit(sop, settings) {
                table::Fit::Fits => {}
                table::Fit::TooWide { needed, available } => {
                    layout.fit.push(FitProblem::TooWide { needed, available })
                }
                table::Fit::RowTooTall {
                    step,
                    height,
                    available,
                } => layout.fit.push(FitProblem::RowTooTall {
                    step,
                    height,
                    available,
                }),
            }
            return (layout, unrouted.len());
        }
    }
}

/// Extra tracks each side of each lane for the arrows that skip rows or go
/// back (loops): they run down the lanes' sides, and a lane where several
/// run side by side needs room for each. A lane has one track each side of
/// its symbols to begin with.
fn loop_gutters(sop: &Sop) -> Vec<usize> {
    let rows = sop.rows();
    let mut row_of = vec![0usize; sop.steps.len()];
    for (r, range) in rows.iter().enumerate() {
        for i in range.clone() {
            row_of[i] = r;
        }
    }
    let lanes_of = |i: usize| -> Vec<usize> {
        sop.steps[i]
            .lanes
            .iter()
            .filter_map(|l| sop.lane_index(l))
            .collect()
    };
    // Per lane, per row: the long arrows passing that row with an end in the lane.
    let mut passing = vec![vec![0usize; rows.len()]; sop.lanes.len()];
    for (i, step) in sop.steps.iter().enumerate() {
        for exit in &step.exits {
            let Some(t) = sop.step_index(&exit.target) else {
                continue;
            };
            let (a, b) = (row_of[i], row_of[t]);
            if b == a || b == a + 1 {
                continue;
            }
            let (lo, hi) = (a.min(b), a.max(b));
            let mut ends = lanes_of(i);
            ends.extend(lanes_of(t));
            ends.sort_unstable();
            ends.dedup();
            for l in ends {
                for count in &mut passing[l][lo..=hi] {
                    *count += 1;
                }
            }
        }
    }
    passing
        .iter()
        .map(|rows| {
            let most = rows.iter().copied().max().unwrap_or(0);
            // Two run beside a lane's symbols anyway (one track each side),
            // a third mostly finds a way: more ask for room.
            most.saturating_sub(3).div_ceil(2).min(MAX_GUTTERS)
        })
        .collect()
}
