//! The flowchart table of an SOP: measured, paginated and routed.

use lajur_core::paper::PageSettings;
use lajur_core::sop::Sop;

use crate::page::Layout;
use crate::text::FontMetrics;
use crate::{route, table};

/// Lays out the flowchart of an SOP. Works on any SOP, valid or not: exits to
/// unknown steps and steps in unknown lanes are simply not drawn.
pub fn layout(sop: &Sop, settings: &PageSettings, metrics: &dyn FontMetrics) -> Layout {
    let mut layout = layout_with_tail(sop, settings, metrics, 0.0);
    crate::display::finish(&mut layout);
    layout
}

/// As [`layout`], keeping `tail` mm free under the last row (for the approval block).
pub(crate) fn layout_with_tail(
    sop: &Sop,
    settings: &PageSettings,
    metrics: &dyn FontMetrics,
    tail: f32,
) -> Layout {
    let table = table::Table::measure(sop, settings, metrics);
    let pages = table::paginate(&table, settings, tail);
    route::build(sop, &table, &pages, settings, metrics)
}
