//! Column widths, wrapped cell text, row heights, and which rows go on which page.

use std::ops::Range;

use super::text::{FontMetrics, Weight, wrap};
use lajur_core::paper::{Flow, PageSettings, RowsPerPage};
use lajur_core::sop::{Sop, Symbol};

pub(super) const BODY_PT: f32 = 8.0;
pub(super) const HEADER_PT: f32 = 8.0;
pub(super) const LABEL_PT: f32 = 6.5;
/// Padding inside a cell, mm.
pub(super) const PAD: f32 = 1.5;
/// Free space kept above and below every shape in its row: the channel where
/// arrows jog sideways between rows.
pub(super) const CLEARANCE: f32 = 4.0;
/// Width kept free at each side of a lane column for vertical arrow tracks.
pub(super) const GUTTER: f32 = 3.6;
/// Distance between parallel arrow tracks.
pub(super) const TRACK: f32 = 1.2;
/// Height of the band that holds off-page connectors at a page break.
pub(super) const BAND: f32 = 11.0;
/// Space under the table for the page number.
pub(super) const FOOTER: f32 = 7.0;
pub(super) const SHAPE_H: f32 = 7.0;
pub(super) const DECISION_H: f32 = 9.0;
pub(super) const SHAPE_MAX_W: f32 = 20.0;
pub(super) const CONNECTOR: f32 = 6.0;

/// Headings of the fixed columns, as the official format prints them.
use lajur_core::locale::{Lang, Text};
/// The table's fixed headings, in the document's language.
pub(super) const HEAD_NO: Text = Text::DocColNo;
pub(super) const HEAD_ACTIVITY: Text = Text::DocColActivity;
pub(super) const HEAD_LANES: Text = Text::DocColLanes;
pub(super) const HEAD_MUTU: Text = Text::DocColMutu;
pub(super) const HEAD_REMARKS: Text = Text::DocColRemarks;
/// The document's language.
pub(super) const DOC_LANG: Lang = Lang::Id;

/// The text columns other than the lanes, in table order around them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TextCol {
    No,
    Activity,
    Requirements,
    Time,
    Output,
    Remarks,
}

impl TextCol {
    const BEFORE: [TextCol; 2] = [TextCol::No, TextCol::Activity];
    const AFTER: [TextCol; 4] = [
        TextCol::Requirements,
        TextCol::Time,
        TextCol::Output,
        TextCol::Remarks,
    ];

    /// (preferred share of the table width, minimum width in mm)
    fn sizing(self) -> (f32, f32) {
        match self {
            TextCol::No => (0.03, 7.0),
            TextCol::Activity => (0.21, 32.0),
            TextCol::Requirements => (0.11, 18.0),
            TextCol::Time => (0.065, 12.0),
            TextCol::Output => (0.11, 18.0),
            // Wide enough for the heading "Keterangan" in bold.
            TextCol::Remarks => (0.08, 18.0),
        }
    }
}

pub(super) struct Row {
    pub height: f32,
    /// Wrapped lines per text column, in `TextCol` order: No, Activity, Req, Time, Output, Remarks.
    pub cells: [Vec<String>; 6],
}

pub(super) struct Table {
    /// Column edges, left to right: No | Kegiatan | lanes… | Kel | Waktu | Output | Ket.
    pub edges: Vec<f32>,
    pub lane_count: usize,
    pub header_top: f32,
    pub header_bottom: f32,
    /// Wrapped lane names and Mutu Baku headings (second header row).
    pub lane_heads: Vec<Vec<String>>,
    pub mutu_heads: [Vec<String>; 3],
    pub rows: Vec<Row>,
    /// Shape size per step (width, height); zero width when the step has no known lane.
    pub shape_w: f32,
}

impl Table {
    pub fn header_height(&self) -> f32 {
        self.header_top + self.header_bottom
    }

    /// x range of lane `i`.
    pub fn lane_x(&self, i: usize) -> (f32, f32) {
        (self.edges[2 + i], self.edges[3 + i])
    }

    pub fn lanes_x(&self) -> (f32, f32) {
        (self.edges[2], self.edges[2 + self.lane_count])
    }

    /// x range of a text column.
    pub fn col_x(&self, col: TextCol) -> (f32, f32) {
        let i = match col {
            TextCol::No => 0,
            TextCol::Activity => 1,
            TextCol::Requirements => 2 + self.lane_count,
            TextCol::Time => 3 + self.lane_count,
            TextCol::Output => 4 + self.lane_count,
            TextCol::Remarks => 5 + self.lane_count,
        };
        (self.edges[i], self.edges[i + 1])
    }

    pub fn measure(sop: &Sop, settings: &PageSettings, metrics: &dyn FontMetrics) -> Table {
        let (page_w, _) = settings.page_size();
        let left = settings.margins.left;
        let total = (page_w - settings.margins.left - settings.margins.right).max(60.0);
        let lane_count = sop.lanes.len().max(1);
        let widths = column_widths(total, lane_count);
        let mut edges = Vec::with_capacity(widths.len() + 1);
        let mut x = left;
        edges.push(x);
        for w in &widths {
            x += w;
            edges.push(x);
        }
        let lane_w = widths[2];
        let shape_w = (lane_w - 2.0 * GUTTER).clamp(4.0, SHAPE_MAX_W);

        let line_h = metrics.line_height(BODY_PT);
        let head_line_h = metrics.line_height(HEADER_PT);
        let inner = |w: f32| (w - 2.0 * PAD).max(2.0);
        let wrap_head = |s: &str, w: f32| wrap(metrics, s, Weight::Bold, HEADER_PT, inner(w));
        let lane_heads: Vec<Vec<String>> = (0..lane_count)
            .map(|i| wrap_head(sop.lanes.get(i).map_or("", |l| l.name.as_str()), lane_w))
            .collect();
        let after = 2 + lane_count;
        let mutu_heads = [
            wrap_head(&sop.headings.requirements, widths[after]),
            wrap_head(&sop.headings.time, widths[after + 1]),
            wrap_head(&sop.headings.output, widths[after + 2]),
        ];
        let header_top = head_line_h + 2.0 * PAD;
        let second_lines = lane_heads
            .iter()
            .chain(mutu_heads.iter())
            .map(Vec::len)
            .max()
            .unwrap_or(1);
        // "Kegiatan" and "Keterangan" span both header rows and must fit too.
        let header_bottom =
            (second_lines as f32 * head_line_h + 2.0 * PAD).max(head_line_h + 2.0 * PAD);

        let col_w = |c: TextCol| match c {
            TextCol::No => widths[0],
            TextCol::Activity => widths[1],
            TextCol::Requirements => widths[after],
            TextCol::Time => widths[after + 1],
            TextCol::Output => widths[after + 2],
            TextCol::Remarks => widths[after + 3],
        };
        let wrap_cell =
            |s: &str, c: TextCol| wrap(metrics, s, Weight::Regular, BODY_PT, inner(col_w(c)));
        let rows = sop
            .steps
            .iter()
            .map(|step| {
                let cells = [
                    wrap_cell(&step.number, TextCol::No),
                    wrap_cell(&step.activity, TextCol::Activity),
                    wrap_cell(&step.requirements, TextCol::Requirements),
                    wrap_cell(&step.time, TextCol::Time),
                    wrap_cell(&step.output, TextCol::Output),
                    wrap_cell(&step.remarks, TextCol::Remarks),
                ];
                let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
                let text_h = lines as f32 * line_h + 2.0 * PAD;
                let shape_h = if step.symbol == Symbol::Decision {
                    DECISION_H
                } else {
                    SHAPE_H
                };
                let height = text_h.max(shape_h + 2.0 * CLEARANCE);
                Row { height, cells }
            })
            .collect();
        Table {
            edges,
            lane_count,
            header_top,
            header_bottom,
            lane_heads,
            mutu_heads,
            rows,
            shape_w,
        }
    }
}

/// Widths of every column: text columns at their preferred share, lanes sharing
/// the rest within sensible bounds; text columns give way (down to their minimum)
/// when the lanes would be too narrow.
fn column_widths(total: f32, lanes: usize) -> Vec<f32> {
    const LANE_MIN: f32 = 17.0;
    const LANE_MAX: f32 = 36.0;
    let lane_min = if lanes == 1 { 34.0 } else { LANE_MIN };
    let cols: Vec<TextCol> = TextCol::BEFORE
        .iter()
        .chain(TextCol::AFTER.iter())
        .copied()
        .collect();
    let preferred: Vec<f32> = cols
        .iter()
        .map(|c| c.sizing().0 * total)
        .map(|w| w.max(0.0))
        .collect();
    let minimum: Vec<f32> = cols.iter().map(|c| c.sizing().1).collect();
    let mut text: Vec<f32> = preferred
        .iter()
        .zip(&minimum)
        .map(|(p, m)| p.max(*m))
        .collect();
    let text_sum = |t: &[f32]| t.iter().sum::<f32>();
    let mut lane_w = (total - text_sum(&text)) / lanes as f32;
    if lane_w < lane_min {
        // Shrink text columns toward their minimum, proportionally to their slack.
        let need = (lane_min - lane_w) * lanes as f32;
        let slack: f32 = text.iter().zip(&minimum).map(|(t, m)| t - m).sum();
        let take = if slack > 0.0 {
            (need / slack).min(1.0)
        } else {
            0.0
        };
        for (t, m) in text.iter_mut().zip(&minimum) {
            *t -= (*t - m) * take;
        }
        lane_w = (total - text_sum(&text)) / lanes as f32;
    } else if lane_w > LANE_MAX {
        // Lanes need no more than this; the Kegiatan column takes most of the rest.
        let extra = (lane_w - LANE_MAX) * lanes as f32;
        lane_w = LANE_MAX;
        text[1] += extra * 0.5;
        for t in text.iter_mut().skip(2) {
            *t += extra * 0.125;
        }
    }
    let lane_w = lane_w.max(6.0);
    let mut out = vec![text[0], text[1]];
    out.extend(std::iter::repeat_n(lane_w, lanes));
    out.extend_from_slice(&text[2..]);
    out
}

/// The rows of one page, and whether the table continues before or after it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PagePlan {
    pub rows: Range<usize>,
    pub has_prev: bool,
    pub has_next: bool,
}

/// Splits the rows into pages. `tail` is room (mm) kept free below the last row,
/// for the approval block: the signature never stands alone on a page unless a
/// single row and the block cannot share one.
pub(super) fn paginate(table: &Table, settings: &PageSettings, tail: f32) -> Vec<PagePlan> {
    let n = table.rows.len();
    if settings.flow == Flow::Continuous || n == 0 {
        return vec![PagePlan {
            rows: 0..n,
            has_prev: false,
            has_next: false,
        }];
    }
    let (_, page_h) = settings.page_size();
    let body =
        page_h - settings.margins.top - settings.margins.bottom - FOOTER - table.header_height();
    let limit = match settings.rows_per_page {
        RowsPerPage::Auto => usize::MAX,
        RowsPerPage::Fixed(k) => usize::from(k.max(1)),
    };
    let mut plans = Vec::new();
    let mut start = 0;
    while start < n {
        let has_prev = start > 0;
        let mut room = body - if has_prev { BAND } else { 0.0 };
        let mut end = start;
        while end < n && end - start < limit {
            let h = table.rows[end].height;
            // The last row needs no band for a following page, but room for the tail.
            let after = if end + 1 < n { BAND } else { tail };
            if h + after > room && end > start {
                break;
            }
            room -= h;
            end += 1;
        }
        plans.push(PagePlan {
            rows: start..end,
            has_prev,
            has_next: end < n,
        });
        start = end;
    }
    plans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fill_the_width_for_any_lane_count() {
        for total in [180.0, 270.0, 303.0] {
            for lanes in 1..=10 {
                let w = column_widths(total, lanes);
                assert_eq!(w.len(), 6 + lanes);
                let sum: f32 = w.iter().sum();
                assert!(sum <= total + 0.5 || lanes >= 8, "{total} {lanes}: {sum}");
                assert!(w.iter().all(|x| *x > 0.0));
            }
        }
    }
}
