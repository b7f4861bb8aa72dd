//! The screen painter: draws the layout's display list with egui, and the view
//! around it (zoom, pan, hover, selection). The PDF painter draws the same list.

use egui::{
    Align2, Color32, CornerRadius, FontFamily, FontId, Pos2, Sense, Shape as EShape, Stroke, Vec2,
};

use lajur_layout::text::MM_PER_PT;
use lajur_layout::{ArrowKind, Layout, Page, Pt, Rect as MmRect, ShapeKind, TextRole, Weight};

/// Screen pixels (egui points) per millimetre at 100 %: 96 dpi.
pub const POINTS_PER_MM: f32 = 96.0 / 25.4;
pub const MIN_ZOOM: f32 = 0.25;
pub const MAX_ZOOM: f32 = 4.0;
/// Space between pages, mm.
const PAGE_GAP: f32 = 8.0;
/// Size of the culling bands, mm.
const BAND: f32 = 20.0;

const INK: Color32 = Color32::from_rgb(0x10, 0x10, 0x10);
const PAPER: Color32 = Color32::WHITE;
const DESK: Color32 = Color32::from_rgb(0xD6, 0xD9, 0xDE);
const HEADER_FILL: Color32 = Color32::from_rgb(0xEC, 0xEE, 0xF1);
const HOVER_FILL: Color32 = Color32::from_rgb(0xFF, 0xF6, 0xD5);
const SELECT_FILL: Color32 = Color32::from_rgb(0xDC, 0xEB, 0xFF);
const FOCUS_INK: Color32 = Color32::from_rgb(0x0B, 0x57, 0xD0);
const LOOP_INK: Color32 = Color32::from_rgb(0x9A, 0x3B, 0x00);
/// A kegiatan over its flowchart: steps done, the step it waits at, the path taken.
pub const DONE_FILL: Color32 = Color32::from_rgb(0xE3, 0xF4, 0xE6);
pub const CURRENT_FILL: Color32 = Color32::from_rgb(0xFF, 0xD9, 0x9A);
pub const TAKEN_INK: Color32 = Color32::from_rgb(0x1E, 0x6B, 0x2E);
const CURRENT_INK: Color32 = Color32::from_rgb(0xC2, 0x6A, 0x00);
const UNTAKEN_INK: Color32 = Color32::from_rgb(0x9A, 0x9E, 0xA6);

/// What one kegiatan did on the SOP, by step index (the layout's numbering).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overlay {
    /// How many times each step was done.
    pub done: Vec<u32>,
    /// The step the kegiatan waits at.
    pub current: Option<usize>,
    /// How many times each exit (step, exit index) was taken.
    pub taken: std::collections::HashMap<(usize, usize), u32>,
    /// Who did each step and when, shown when the pointer rests on its row.
    pub notes: Vec<String>,
}

impl Overlay {
    fn done(&self, step: usize) -> u32 {
        self.done.get(step).copied().unwrap_or(0)
    }
}

/// Which items of a page lie in which horizontal band, so a frame only visits
/// what is on screen, whatever the SOP's size.
#[derive(Default)]
struct PageIndex {
    rules: Vec<Vec<usize>>,
    texts: Vec<Vec<usize>>,
    shapes: Vec<Vec<usize>>,
    arrows: Vec<Vec<usize>>,
    rows: Vec<Vec<usize>>,
}

fn rule_bounds(r: &lajur_layout::Rule) -> MmRect {
    MmRect::bounding(&[r.a, r.b])
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
            rules: vec![Vec::new(); count],
            texts: vec![Vec::new(); count],
            shapes: vec![Vec::new(); count],
            arrows: vec![Vec::new(); count],
            rows: vec![Vec::new(); count],
        };
        for (i, r) in page.rules.iter().enumerate() {
            for b in bands_of(&rule_bounds(r), count) {
                index.rules[b].push(i);
            }
        }
        for (i, t) in page.texts.iter().enumerate() {
            for b in bands_of(&t.rect(), count) {
                index.texts[b].push(i);
            }
        }
        for (i, s) in page.shapes.iter().enumerate() {
            for b in bands_of(&s.rect, count) {
                index.shapes[b].push(i);
            }
        }
        for (i, a) in page.arrows.iter().enumerate() {
            for b in bands_of(&a.bounds(), count) {
                index.arrows[b].push(i);
            }
        }
        for (i, r) in page.rows.iter().enumerate() {
            for b in bands_of(&r.rect, count) {
                index.rows[b].push(i);
            }
        }
        index
    }

    /// Items of one list in the visible bands, each once.
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
                canvas.paper(page);
                for m in &page.marks {
                    if m.overlaps(&view) {
                        canvas.fill(*m, INK);
                    }
                }
                for placed in &page.images {
                    if placed.rect.overlaps(&view) {
                        canvas.image(ui.ctx(), placed);
                    }
                }
                // Row widgets: hover, click and keyboard focus, with accessible names.
                for r in PageIndex::visible(&self.index[p].rows, |i| page.rows[i].rect, view) {
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
                for r in PageIndex::visible(&self.index[p].rows, |i| page.rows[i].rect, view) {
                    let row = page.rows[r];
                    match overlay {
                        // Over a kegiatan the fills say done/current; the
                        // pointer and the selection are outlines.
                        Some(o) => {
                            if o.current == Some(row.step) {
                                canvas.fill(row.rect, CURRENT_FILL);
                            } else if o.done(row.step) > 0 {
                                canvas.fill(row.rect, DONE_FILL);
                            }
                        }
                        None if Some(row.step) == self.selected => {
                            canvas.fill(row.rect, SELECT_FILL);
                        }
                        None if Some(row.step) == self.hovered => {
                            canvas.fill(row.rect, HOVER_FILL);
                        }
                        None => {}
                    }
                }
                for i in
                    PageIndex::visible(&self.index[p].rules, |i| rule_bounds(&page.rules[i]), view)
                {
                    canvas.rule(&page.rules[i]);
                }
                let texts =
                    PageIndex::visible(&self.index[p].texts, |i| page.texts[i].rect(), view);
                // Cell text first; words inside shapes and connectors after them.
                for &i in &texts {
                    if page.texts[i].role != TextRole::ShapeLabel {
                        canvas.text(&page.texts[i]);
                    }
                }
                for i in
                    PageIndex::visible(&self.index[p].arrows, |i| page.arrows[i].bounds(), view)
                {
                    let a = &page.arrows[i];
                    match overlay {
                        Some(o) => {
                            let times = if a.kind == ArrowKind::Join {
                                o.done(a.from_step)
                            } else {
                                o.taken.get(&(a.from_step, a.exit)).copied().unwrap_or(0)
                            };
                            canvas.arrow_traced(a, times);
                        }
                        None => {
                            let lit = focus.is_some_and(|f| a.from_step == f || a.to_step == f);
                            canvas.arrow(a, lit);
                        }
                    }
                }
                for i in PageIndex::visible(&self.index[p].shapes, |i| page.shapes[i].rect, view) {
                    let s = &page.shapes[i];
                    match overlay {
                        Some(o) if o.current == Some(s.step) => {
                            canvas.shape_in(s.kind, s.rect, canvas.stroke(0.6, CURRENT_INK));
                        }
                        Some(o) if o.done(s.step) > 0 => {
                            canvas.shape_in(s.kind, s.rect, canvas.stroke(0.4, TAKEN_INK));
                        }
                        _ => canvas.shape(s.kind, s.rect, Some(s.step) == focus),
                    }
                }
                for c in &page.connectors {
                    if c.rect.overlaps(&view) {
                        canvas.connector(c.rect);
                    }
                }
                for &i in &texts {
                    if page.texts[i].role == TextRole::ShapeLabel {
                        canvas.text(&page.texts[i]);
                    }
                }
                if overlay.is_some() {
                    for r in PageIndex::visible(&self.index[p].rows, |i| page.rows[i].rect, view) {
                        let row = page.rows[r];
                        if Some(row.step) == self.selected || Some(row.step) == self.hovered {
                            canvas.painter.rect_stroke(
                                canvas.rect(row.rect),
                                0.0,
                                Stroke::new(2.0, FOCUS_INK),
                                egui::StrokeKind::Inside,
                            );
                        }
                    }
                }
                if let Some(o) = overlay {
                    // One badge per step (on its first shape): a tick, and the
                    // count when the step was done more than once (a loop).
                    let mut marked = std::collections::HashSet::new();
                    for i in
                        PageIndex::visible(&self.index[p].shapes, |i| page.shapes[i].rect, view)
                    {
                        let s = &page.shapes[i];
                        let times = o.done(s.step);
                        if times > 0 && marked.insert(s.step) {
                            canvas.done_badge(s.rect, times);
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
            if let Some(row) = page.rows.iter().find(|r| r.step == step) {
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
        INK,
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

/// One page placed on screen: millimetres in, egui shapes out.
pub struct Canvas<'a> {
    pub painter: &'a egui::Painter,
    pub origin: Pos2,
    pub scale: f32,
    pub text_scale: f32,
}

/// Where the office logo's texture is kept for every view that paints pages.
fn logo_texture_id() -> egui::Id {
    egui::Id::unique("lajur-office-logo-texture")
}

/// The logo as a texture for the screen.
pub fn logo_texture(
    ctx: &egui::Context,
    name: &str,
    logo: &lajur_core::office::Logo,
) -> egui::TextureHandle {
    let image = egui::ColorImage::from_rgba_unmultiplied(
        [logo.width as usize, logo.height as usize],
        &logo.rgba,
    );
    ctx.load_texture(name, image, egui::TextureOptions::LINEAR)
}

/// Gives the painters the office's logo (or takes it away).
pub fn set_logo(ctx: &egui::Context, logo: Option<&lajur_core::office::Logo>) {
    match logo {
        Some(l) => {
            let texture = logo_texture(ctx, "office-logo", l);
            ctx.data_mut(|d| d.insert_temp(logo_texture_id(), texture));
        }
        None => ctx.data_mut(|d| d.remove::<egui::TextureHandle>(logo_texture_id())),
    }
}

impl Canvas<'_> {
    /// A placed picture: the logo's texture, or a grey box where there is none yet.
    pub fn image(&self, ctx: &egui::Context, placed: &lajur_layout::PlacedImage) {
        let rect = self.rect(placed.rect);
        let lajur_layout::ImageKey::Logo = placed.image;
        match ctx.data(|d| d.get_temp::<egui::TextureHandle>(logo_texture_id())) {
            Some(texture) => {
                self.painter.image(
                    texture.id(),
                    rect,
                    egui::Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
                    Color32::WHITE,
                );
            }
            None => {
                self.painter.rect_filled(rect, 0.0, HEADER_FILL);
            }
        }
    }

    fn pos(&self, p: Pt) -> Pos2 {
        self.origin + Vec2::new(p.x, p.y) * self.scale
    }

    fn rect(&self, r: MmRect) -> egui::Rect {
        egui::Rect::from_min_max(self.pos(r.min), self.pos(r.max))
    }

    fn stroke(&self, mm: f32, color: Color32) -> Stroke {
        Stroke::new((mm * self.scale).max(0.6), color)
    }

    fn fill(&self, r: MmRect, color: Color32) {
        self.painter.rect_filled(self.rect(r), 0.0, color);
    }

    pub fn paper(&self, page: &Page) {
        let r =
            egui::Rect::from_min_size(self.origin, Vec2::new(page.width, page.height) * self.scale);
        self.painter.rect_filled(
            r.translate(Vec2::splat(2.0)),
            0.0,
            Color32::from_black_alpha(40),
        );
        self.painter.rect_filled(r, 0.0, PAPER);
        self.fill(page.header, HEADER_FILL);
    }

    pub fn rule(&self, rule: &lajur_layout::Rule) {
        self.painter.line_segment(
            [self.pos(rule.a), self.pos(rule.b)],
            self.stroke(rule.width, INK),
        );
    }

    pub fn text(&self, t: &lajur_layout::TextRun) {
        let px = t.size_pt * self.text_scale * self.scale;
        if px < 3.0 {
            return; // Too small to read at this zoom; skip the work.
        }
        let family = match t.weight {
            Weight::Regular => FontFamily::Proportional,
            Weight::Bold => super::theme::bold_family(),
        };
        self.painter.text(
            self.pos(t.pos),
            Align2::LEFT_TOP,
            &t.text,
            FontId::new(px, family),
            INK,
        );
    }

    pub fn shape(&self, kind: ShapeKind, r: MmRect, lit: bool) {
        let stroke = if lit {
            self.stroke(0.45, FOCUS_INK)
        } else {
            self.stroke(0.3, INK)
        };
        self.shape_in(kind, r, stroke);
    }

    /// A green tick at a shape's top right corner, with "2×" after a loop.
    pub fn done_badge(&self, r: MmRect, times: u32) {
        let rect = self.rect(r);
        let radius = (2.0 * self.scale).max(6.0);
        let c = Pos2::new(rect.max.x, rect.min.y);
        self.painter.circle_filled(c, radius, TAKEN_INK);
        let tick = vec![
            c + Vec2::new(-0.5, 0.05) * radius,
            c + Vec2::new(-0.12, 0.45) * radius,
            c + Vec2::new(0.55, -0.4) * radius,
        ];
        self.painter.add(EShape::line(
            tick,
            Stroke::new((radius * 0.25).max(1.5), PAPER),
        ));
        if times > 1 {
            let px = (3.2 * self.scale).max(11.0);
            let text_pos = c + Vec2::new(radius + 2.0, -radius);
            let galley = self.painter.layout_no_wrap(
                format!("{times}×"),
                FontId::new(px, super::theme::bold_family()),
                PAPER,
            );
            let bg = egui::Rect::from_min_size(text_pos, galley.size()).expand(2.0);
            self.painter.rect_filled(bg, 3.0, TAKEN_INK);
            self.painter.galley(text_pos, galley, PAPER);
        }
    }

    pub fn shape_in(&self, kind: ShapeKind, r: MmRect, stroke: Stroke) {
        let rect = self.rect(r);
        match kind {
            ShapeKind::Process => {
                self.painter
                    .rect(rect, 0.0, PAPER, stroke, egui::StrokeKind::Middle);
            }
            ShapeKind::Terminator => {
                let radius = (rect.height() / 2.0).min(255.0) as u8;
                self.painter.rect(
                    rect,
                    CornerRadius::same(radius),
                    PAPER,
                    stroke,
                    egui::StrokeKind::Middle,
                );
            }
            ShapeKind::Decision => {
                let c = rect.center();
                let points = vec![
                    Pos2::new(c.x, rect.min.y),
                    Pos2::new(rect.max.x, c.y),
                    Pos2::new(c.x, rect.max.y),
                    Pos2::new(rect.min.x, c.y),
                ];
                self.painter
                    .add(EShape::convex_polygon(points, PAPER, stroke));
            }
        }
    }

    pub fn connector(&self, r: MmRect) {
        let rect = self.rect(r);
        let shoulder = rect.min.y + rect.height() * 0.62;
        let points = vec![
            rect.left_top(),
            rect.right_top(),
            Pos2::new(rect.max.x, shoulder),
            Pos2::new(rect.center().x, rect.max.y),
            Pos2::new(rect.min.x, shoulder),
        ];
        self.painter
            .add(EShape::convex_polygon(points, PAPER, self.stroke(0.3, INK)));
    }

    pub fn arrow(&self, a: &lajur_layout::Arrow, lit: bool) {
        let color = if lit {
            FOCUS_INK
        } else if a.kind == ArrowKind::Back {
            LOOP_INK
        } else {
            INK
        };
        self.arrow_in(a, color, if lit { 0.4 } else { 0.25 });
    }

    /// An arrow of a kegiatan's path: green and heavier when taken, grey when not.
    pub fn arrow_traced(&self, a: &lajur_layout::Arrow, times: u32) {
        if times == 0 {
            self.arrow_in(a, UNTAKEN_INK, 0.2);
            return;
        }
        self.arrow_in(a, TAKEN_INK, 0.45);
        // A loop taken more than once says how often (once is the green line).
        if a.kind == ArrowKind::Back && times > 1 {
            // The count sits at the middle of the loop's longest segment.
            let longest = a
                .points
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
                let px = (3.0 * self.scale).max(11.0);
                let galley = self.painter.layout_no_wrap(
                    format!("{times}×"),
                    FontId::new(px, super::theme::bold_family()),
                    PAPER,
                );
                let at = self.pos(mid) - galley.size() / 2.0;
                let bg = egui::Rect::from_min_size(at, galley.size()).expand(2.0);
                self.painter.rect_filled(bg, 3.0, LOOP_INK);
                self.painter.galley(at, galley, PAPER);
            }
        }
    }

    fn arrow_in(&self, a: &lajur_layout::Arrow, color: Color32, width_mm: f32) {
        let points: Vec<Pos2> = a.points.iter().map(|p| self.pos(*p)).collect();
        if points.len() < 2 {
            return;
        }
        let stroke = self.stroke(width_mm, color);
        if a.kind == ArrowKind::Back {
            let dash = (1.6 * self.scale).max(3.0);
            let gap = (0.9 * self.scale).max(2.0);
            self.painter
                .extend(EShape::dashed_line(&points, stroke, dash, gap));
        } else {
            self.painter.add(EShape::line(points.clone(), stroke));
        }
        if a.kind != ArrowKind::Join {
            let n = points.len();
            let (from, tip) = (points[n - 2], points[n - 1]);
            let dir = (tip - from).normalized();
            let normal = Vec2::new(-dir.y, dir.x);
            let len = 1.8 * self.scale;
            let half = 0.7 * self.scale;
            let base = tip - dir * len;
            self.painter.add(EShape::convex_polygon(
                vec![tip, base + normal * half, base - normal * half],
                color,
                Stroke::NONE,
            ));
        }
        if let Some(label) = &a.label {
            let size = label.rect.height() / 1.15 / MM_PER_PT;
            let px = size * self.text_scale * self.scale;
            if px >= 3.0 {
                self.painter.text(
                    self.pos(label.rect.min),
                    Align2::LEFT_TOP,
                    &label.text,
                    FontId::new(px, FontFamily::Proportional),
                    color,
                );
            }
        }
    }
}
