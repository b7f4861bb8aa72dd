//! The screen painter: draws the layout's display list with egui, and the view
//! around it (zoom, pan, hover, selection). The PDF painter draws the same list.

use egui::{Color32, FontFamily, FontId, Pos2, Sense, Shape as EShape, Stroke, Vec2};

use super::painter::{Accent, Canvas};
use super::theme::{
    CURRENT_FILL, DESK, DONE_FILL, FOCUS_INK, HOVER_FILL, LOOP_INK, PAPER, SELECT_FILL, TAKEN_INK,
};
use lajur_core::workflow::Trace;
use lajur_layout::display::{Item, Role};
use lajur_layout::text::MM_PER_PT;
use lajur_layout::{ArrowKind, Layout, Page, Pt, Rect as MmRect, Weight};

/// Screen pixels (egui points) per millimetre at 100 %: 96 dpi.
pub const POINTS_PER_MM: f32 = 96.0 / 25.4;
pub const MIN_ZOOM: f32 = 0.25;
pub const MAX_ZOOM: f32 = 4.0;
/// Space between pages, mm.
const PAGE_GAP: f32 = 8.0;
/// Size of the culling bands, mm.
const BAND: f32 = 20.0;

/// One kegiatan drawn over its SOP: what it did (the engine's replay of its
/// events) and who did each step when, for the pointer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overlay {
    pub trace: Trace,
    /// Who did each step and when, shown when the pointer rests on its row.
    pub notes: Vec<String>,
}

/// Which items of a page lie in which horizontal band, so a frame only visits
/// what is on screen, whatever the SOP's size.
#[derive(Default)]
struct PageIndex {
    items: Vec<Vec<usize>>,
    rows: Vec<Vec<usize>>,
    /// Each item's bounds, measured once.
    bounds: Vec<MmRect>,
}

fn bands_of(r: &MmRect, count: usize) -> std::ops::RangeInclusive<usize> {
    let first = ((r.min.y / BAND).floor().max(0.0) as usize).min(count.saturating_sub(1));
    let last = ((r.max.y / BAND).floor().max(0.0) as usize).min(count.saturating_sub(1));
    first..=last
}

impl PageIndex {
    fn new(page: &Page) -> PageIndex {
        let count = (page.height / BAND).ceil() as usize + 1;
        let mut index = PageIndex {
            items: vec![Vec::new(); count],
            rows: vec![Vec::new(); count],
            bounds: page.items.iter().map(Item::bounds).collect(),
        };
        for (i, b) in index.bounds.iter().enumerate() {
            for band in bands_of(b, count) {
                index.items[band].push(i);
            }
        }
        for (i, r) in page.rows.iter().enumerate() {
            for b in bands_of(&r.rect, count) {
                index.rows[b].push(i);
            }
        }
        index
    }

    /// Items of one list in the visible bands, each once, in list order.
    fn visible(list: &[Vec<usize>], bounds: impl Fn(usize) -> MmRect, view: MmRect) -> Vec<usize> {
        let count = list.len();
        let range = bands_of(&view, count);
        let first_visible = *range.start();
        let mut out = Vec::new();
        for b in range {
            for &i in &list[b] {
                // Drawn from the first visible band it appears in, never twice.
                let own_first = *bands_of(&bounds(i), count).start();
                if own_first.max(first_visible) == b {
                    out.push(i);
                }
            }
        }
        out.sort_unstable();
        out
    }
}

/// View state of the flowchart: zoom, scroll, hover and selection. Never part of
/// the SOP or the layout.
pub struct FlowchartView {
    pub zoom: f32,
    pub hovered: Option<usize>,
    pub selected: Option<usize>,
    /// Scroll to set on the next frame (after zooming or a key), in egui points.
    pending_offset: Option<Vec2>,
    /// The scroll offset and visible size of the last frame.
    last_offset: Vec2,
    last_viewport: Vec2,
    fit_width: bool,
    index: Vec<PageIndex>,
    indexed_for: usize,
    /// egui's text size that matches our millimetre metrics, per point of font size.
    text_scale: Option<f32>,
}

impl Default for FlowchartView {
    fn default() -> Self {
        FlowchartView {
            zoom: 1.0,
            hovered: None,
            selected: None,
            pending_offset: None,
            last_offset: Vec2::ZERO,
            last_viewport: Vec2::ZERO,
            fit_width: true,
            index: Vec::new(),
            indexed_for: 0,
            text_scale: None,
        }
    }
}

/// What happened in the view this frame.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ViewEvents {
    pub clicked_step: Option<usize>,
}

impl FlowchartView {
    pub fn set_zoom(&mut self, zoom: f32) {
        self.zoom = zoom.clamp(MIN_ZOOM, MAX_ZOOM);
        self.fit_width = false;
    }

    pub fn zoom_in(&mut self) {
        self.set_zoom(self.zoom * 1.25);
    }

    pub fn zoom_out(&mut self) {
        self.set_zoom(self.zoom / 1.25);
    }

    pub fn fit_to_width(&mut self) {
        self.fit_width = true;
    }

    /// − 100% + and "Sesuai lebar": the zoom controls above every flowchart.
    pub fn zoom_buttons_ui(&mut self, ui: &mut egui::Ui, lang: lajur_core::locale::Lang) {
        use lajur_core::locale::Text;
        if ui
            .button("−")
            .on_hover_text(Text::ZoomOut.get(lang))
            .clicked()
        {
            self.zoom_out();
        }
        let percent = format!("{:.0}%", self.zoom * 100.0);
        if ui
            .button(percent)
            .on_hover_text(Text::ZoomReset.get(lang))
            .clicked()
        {
            self.set_zoom(1.0);
        }
        if ui
            .button("+")
            .on_hover_text(Text::ZoomIn.get(lang))
            .clicked()
        {
            self.zoom_in();
        }
        if ui.button(Text::FitWidth.get(lang)).clicked() {
            self.fit_to_width();
        }
    }

    /// Forget the layout's index (call when the layout changes).
    pub fn layout_changed(&mut self) {
        self.index.clear();
        self.indexed_for = 0;
    }

    fn scale(&self) -> f32 {
        self.zoom * POINTS_PER_MM
    }

    /// Draws the layout in the remaining space of `ui`, with scroll bars.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        layout: &Layout,
        activity_of: &dyn Fn(usize) -> String,
    ) -> ViewEvents {
        self.ui_with(ui, layout, activity_of, None)
    }

    /// As [`FlowchartView::ui`], with one kegiatan's progress drawn over the SOP.
    pub fn ui_with(
        &mut self,
        ui: &mut egui::Ui,
        layout: &Layout,
        activity_of: &dyn Fn(usize) -> String,
        overlay: Option<&Overlay>,
    ) -> ViewEvents {
        let key = layout as *const Layout as usize;
        if self.indexed_for != key || self.index.len() != layout.pages.len() {
            self.index = layout.pages.iter().map(PageIndex::new).collect();
            self.indexed_for = key;
        }
        let text_scale = *self
            .text_scale
            .get_or_insert_with(|| measure_text_scale(ui));
        let widest = layout.pages.iter().map(|p| p.width).fold(0.0, f32::max);
        let available = ui.available_width();
        if self.fit_width && widest > 0.0 {
            self.zoom = ((available - 24.0) / (widest + 2.0 * PAGE_GAP) / POINTS_PER_MM)
                .clamp(MIN_ZOOM, MAX_ZOOM);
        }
        self.keyboard(ui, layout);

        let scale = self.scale();
        let total_h: f32 = layout
            .pages
            .iter()
            .map(|p| p.height + PAGE_GAP)
            .sum::<f32>()
            + PAGE_GAP;
        let content = Vec2::new((widest + 2.0 * PAGE_GAP) * scale, total_h * scale);
        let mut area = egui::ScrollArea::both()
            .auto_shrink([false, false])
            .scroll_source(egui::scroll_area::ScrollSource {
                drag: egui::scroll_area::DragScroll::Always,
                ..Default::default()
            });
        if let Some(offset) = self.pending_offset.take() {
            area = area.scroll_offset(offset);
        }
        let mut events = ViewEvents::default();
        let output = area.show_viewport(ui, |ui, viewport| {
            let (rect, _) = ui.allocate_exact_size(content, Sense::hover());
            let painter = ui.painter_at(ui.clip_rect());
            painter.rect_filled(ui.clip_rect(), 0.0, DESK);
            let mut hovered = None;
            let mut y = PAGE_GAP;
            for (p, page) in layout.pages.iter().enumerate() {
                let origin = rect.min + Vec2::new(PAGE_GAP * scale, y * scale);
                y += page.height + PAGE_GAP;
                let page_rect =
                    egui::Rect::from_min_size(origin, Vec2::new(page.width, page.height) * scale);
                if !page_rect.intersects(ui.clip_rect()) {
                    continue;
                }
                // The visible part of this page, in page millimetres.
                let vis = viewport.translate(rect.min.to_vec2()).intersect(page_rect);
                let view = MmRect {
                    min: Pt {
                        x: (vis.min.x - origin.x) / scale,
                        y: (vis.min.y - origin.y) / scale,
                    },
                    max: Pt {
                        x: (vis.max.x - origin.x) / scale,
                        y: (vis.max.y - origin.y) / scale,
                    },
                };
                let canvas = Canvas {
                    painter: &painter,
                    origin,
                    scale,
                    text_scale,
                };
                paper(&canvas, page);
                // Row widgets: hover, click and keyboard focus, with accessible names.
                let rows = PageIndex::visible(&self.index[p].rows, |i| page.rows[i].rect, view);
                for &r in &rows {
                    let row = page.rows[r];
                    let id = ui.make_persistent_id(("flowchart-row", p, row.step));
                    let response = ui.interact(canvas.rect(row.rect), id, Sense::click());
                    let label = activity_of(row.step);
                    response.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::Button, true, &label)
                    });
                    if response.hovered() || response.has_focus() {
                        hovered = Some(row.step);
                    }
                    let response = match overlay.and_then(|o| o.notes.get(row.step)) {
                        Some(note) if !note.is_empty() => response.on_hover_text(note),
                        _ => response,
                    };
                    if response.clicked() {
                        events.clicked_step = Some(row.step);
                    }
                }
                let focus = self.selected.or(self.hovered);
                // Under the document: the rows' fills.
                for &r in &rows {
                    let row = page.rows[r];
                    let fill = match overlay {
                        // Over a kegiatan the fills say done/current; the
                        // pointer and the selection are outlines.
                        // (A row holding several symbols is the current row
                        // while any of them is.)
                        Some(o) if o.trace.current.is_some_and(|c| row.holds(c)) => {
                            Some(CURRENT_FILL)
                        }
                        Some(o) if (row.step..=row.last).any(|s| o.trace.done(s) > 0) => {
                            Some(DONE_FILL)
                        }
                        Some(_) => None,
                        None if self.selected.is_some_and(|s| row.holds(s)) => Some(SELECT_FILL),
                        None if self.hovered.is_some_and(|s| row.holds(s)) => Some(HOVER_FILL),
                        None => None,
                    };
                    if let Some(fill) = fill {
                        painter.rect_filled(canvas.rect(row.rect), 0.0, fill);
                    }
                }
                // The document itself: its display list, in order.
                let index = &self.index[p];
                for i in PageIndex::visible(&index.items, |i| index.bounds[i], view) {
                    let item = &page.items[i];
                    let accent = accent(item, focus, overlay);
                    painter.add(canvas.shape(ui.ctx(), item, accent));
                }
                // Over the document: where the pointer is, and what a kegiatan did.
                if let Some(o) = overlay {
                    for &r in &rows {
                        let row = page.rows[r];
                        if self.selected.is_some_and(|s| row.holds(s))
                            || self.hovered.is_some_and(|s| row.holds(s))
                        {
                            painter.rect_stroke(
                                canvas.rect(row.rect),
                                0.0,
                                Stroke::new(2.0, FOCUS_INK),
                                egui::StrokeKind::Inside,
                            );
                        }
                    }
                    for a in &page.arrows {
                        let times = o.trace.taken(a.from_step, a.exit);
                        if a.kind == ArrowKind::Back && times > 1 && a.bounds().overlaps(&view) {
                            loop_count(&canvas, &a.points, times);
                        }
                    }
                    // One badge per step (on its first shape): a tick, and the
                    // count when the step was done more than once (a loop).
                    let mut marked = std::collections::HashSet::new();
                    for s in &page.shapes {
                        let times = o.trace.done(s.step);
                        if times > 0 && s.rect.overlaps(&view) && marked.insert(s.step) {
                            done_badge(&canvas, s.rect, times);
                        }
                    }
                }
            }
            hovered
        });
        self.hovered = output.inner;
        self.last_offset = output.state.clamped_offset();
        self.last_viewport = output.inner_rect.size();

        // Ctrl+wheel (or pinch) zooms around the pointer.
        let zoom_delta = ui.input(|i| i.zoom_delta());
        if (zoom_delta - 1.0).abs() > 1e-4 && ui.rect_contains_pointer(output.inner_rect) {
            let before = self.zoom;
            self.set_zoom(self.zoom * zoom_delta);
            let pointer = ui
                .input(|i| i.pointer.hover_pos())
                .unwrap_or(output.inner_rect.center());
            let anchor = pointer - output.inner_rect.min + output.state.clamped_offset();
            let ratio = self.zoom / before;
            self.pending_offset = Some(anchor * ratio - (pointer - output.inner_rect.min));
            ui.ctx().request_repaint();
        }
        if events.clicked_step.is_some() {
            self.selected = events.clicked_step;
        }
        events
    }

    /// Keys: ctrl+plus/minus/0 zoom; arrows and Page Up/Down pan; with a step
    /// selected, Up/Down move to the previous/next step.
    fn keyboard(&mut self, ui: &egui::Ui, layout: &Layout) {
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        use egui::{Key, Modifiers};
        let pressed = |key: Key| ui.input_mut(|i| i.consume_key(Modifiers::NONE, key));
        let command = |key: Key| ui.input_mut(|i| i.consume_key(Modifiers::COMMAND, key));
        if command(Key::Plus) || command(Key::Equals) {
            self.zoom_in();
        }
        if command(Key::Minus) {
            self.zoom_out();
        }
        if command(Key::Num0) {
            self.set_zoom(1.0);
        }
        let step_count: usize = layout.pages.iter().map(|p| p.rows.len()).sum();
        let page = self.last_viewport.y * 0.9;
        let mut pan = Vec2::ZERO;
        if pressed(Key::ArrowLeft) {
            pan.x -= 60.0;
        }
        if pressed(Key::ArrowRight) {
            pan.x += 60.0;
        }
        if pressed(Key::PageUp) {
            pan.y -= page;
        }
        if pressed(Key::PageDown) {
            pan.y += page;
        }
        let up = pressed(Key::ArrowUp);
        let down = pressed(Key::ArrowDown);
        match self.selected {
            Some(s) if up || down => {
                let next = if up {
                    s.saturating_sub(1)
                } else {
                    (s + 1).min(step_count.saturating_sub(1))
                };
                self.selected = Some(next);
                self.reveal(layout, next);
            }
            _ => {
                if up {
                    pan.y -= 60.0;
                }
                if down {
                    pan.y += 60.0;
                }
            }
        }
        if pressed(Key::Home) {
            self.pending_offset = Some(Vec2::ZERO);
        }
        if pan != Vec2::ZERO {
            self.pending_offset = Some((self.last_offset + pan).max(Vec2::ZERO));
        }
    }

    /// Scrolls so that a step's row is on screen.
    fn reveal(&mut self, layout: &Layout, step: usize) {
        let scale = self.scale();
        let mut y = PAGE_GAP;
        for page in &layout.pages {
            if let Some(row) = page.rows.iter().find(|r| r.holds(step)) {
                let top = (y + row.rect.min.y) * scale;
                let bottom = (y + row.rect.max.y) * scale;
                let view_top = self.last_offset.y;
                let view_bottom = view_top + self.last_viewport.y;
                if top < view_top || bottom > view_bottom {
                    let target = (top - self.last_viewport.y * 0.3).max(0.0);
                    self.pending_offset = Some(Vec2::new(self.last_offset.x, target));
                }
                return;
            }
            y += page.height + PAGE_GAP;
        }
    }
}

/// egui's font size per typographic point that makes text as wide on screen as
/// the layout measured it (the two engines define "size" differently).
fn measure_text_scale(ui: &egui::Ui) -> f32 {
    let sample = "Kegiatan Pelaksana Mutu Baku";
    let probe = 20.0;
    let galley = ui.painter().layout_no_wrap(
        sample.into(),
        FontId::new(probe, FontFamily::Proportional),
        Color32::BLACK,
    );
    let ours = lajur_layout::BundledFont::get();
    let wanted_mm = lajur_layout::FontMetrics::width(ours, sample, Weight::Regular, 1.0);
    let got_per_probe = galley.size().x / probe;
    if got_per_probe > 0.0 {
        wanted_mm / got_per_probe
    } else {
        MM_PER_PT
    }
}

/// How the view wants an item drawn: lit when its step is under the pointer
/// or selected, traced over a kegiatan, loops in their own colour.
fn accent(item: &Item, focus: Option<usize>, overlay: Option<&Overlay>) -> Accent {
    let tag = item.tag();
    let Some(step) = tag.step else {
        return Accent::Plain;
    };
    match (tag.role, overlay) {
        (
            Role::Arrow { exit, to, kind }
            | Role::ArrowHead { exit, to, kind }
            | Role::ExitLabel { exit, to, kind },
            over,
        ) => match over {
            Some(o) => {
                let times = if matches!(kind, ArrowKind::Join | ArrowKind::Either) {
                    o.trace.done(step)
                } else {
                    o.trace.taken(step, exit)
                };
                if times > 0 {
                    Accent::Taken
                } else {
                    Accent::Untaken
                }
            }
            None if focus == Some(step) || focus == Some(to) => Accent::Lit,
            None if kind == ArrowKind::Back => Accent::Loop,
            None => Accent::Plain,
        },
        (Role::Symbol(_), Some(o)) if o.trace.current == Some(step) => Accent::Current,
        (Role::Symbol(_), Some(o)) if o.trace.done(step) > 0 => Accent::Done,
        (Role::Symbol(_), _) if focus == Some(step) => Accent::Lit,
        _ => Accent::Plain,
    }
}

/// The sheet of paper under a page, with its shadow on the desk.
fn paper(canvas: &Canvas<'_>, page: &Page) {
    let r = egui::Rect::from_min_size(
        canvas.origin,
        Vec2::new(page.width, page.height) * canvas.scale,
    );
    canvas.painter.rect_filled(
        r.translate(Vec2::splat(2.0)),
        0.0,
        super::theme::PAGE_SHADOW,
    );
    canvas.painter.rect_filled(r, 0.0, PAPER);
}

/// A green tick at a shape's top right corner, with "2×" after a loop.
fn done_badge(canvas: &Canvas<'_>, r: MmRect, times: u32) {
    let rect = canvas.rect(r);
    let radius = (2.0 * canvas.scale).max(6.0);
    let c = Pos2::new(rect.max.x, rect.min.y);
    canvas.painter.circle_filled(c, radius, TAKEN_INK);
    let tick = vec![
        c + Vec2::new(-0.5, 0.05) * radius,
        c + Vec2::new(-0.12, 0.45) * radius,
        c + Vec2::new(0.55, -0.4) * radius,
    ];
    canvas.painter.add(EShape::line(
        tick,
        Stroke::new((radius * 0.25).max(1.5), PAPER),
    ));
    if times > 1 {
        let px = (3.2 * canvas.scale).max(11.0);
        let text_pos = c + Vec2::new(radius + 2.0, -radius);
        let galley = canvas.painter.layout_no_wrap(
            format!("{times}×"),
            FontId::new(px, super::theme::bold_family()),
            PAPER,
        );
        let bg = egui::Rect::from_min_size(text_pos, galley.size()).expand(2.0);
        canvas.painter.rect_filled(bg, 3.0, TAKEN_INK);
        canvas.painter.galley(text_pos, galley, PAPER);
    }
}

/// How often a loop was taken, at the middle of its longest segment (once
/// is said by the green line itself).
fn loop_count(canvas: &Canvas<'_>, points: &[Pt], times: u32) {
    let longest = points
        .windows(2)
        .max_by(|x, y| {
            let len = |s: &[Pt]| (s[1].x - s[0].x).abs() + (s[1].y - s[0].y).abs();
            len(x).total_cmp(&len(y))
        })
        .map(|s| Pt {
            x: (s[0].x + s[1].x) / 2.0,
            y: (s[0].y + s[1].y) / 2.0,
        });
    if let Some(mid) = longest {
        let px = (3.0 * canvas.scale).max(11.0);
        let galley = canvas.painter.layout_no_wrap(
            format!("{times}×"),
            FontId::new(px, super::theme::bold_family()),
            PAPER,
        );
        let at = canvas.pos(mid) - galley.size() / 2.0;
        let bg = egui::Rect::from_min_size(at, galley.size()).expand(2.0);
        canvas.painter.rect_filled(bg, 3.0, LOOP_INK);
        canvas.painter.galley(at, galley, PAPER);
    }
}
