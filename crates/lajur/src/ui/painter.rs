//! The screen painter: one match over the layout's display list, turning each
//! item into one egui shape. The look of every item was decided by the
//! layout; the view may only ask for an accent (a lit step, a kegiatan's path).

use egui::{Align2, Color32, FontFamily, FontId, Pos2, Shape, Stroke, Vec2};

use lajur_layout::display::{Item, Path, Role, Segment};
use lajur_layout::geom::{Pt, Rect as MmRect};
use lajur_layout::theme::Rgb;
use lajur_layout::{ImageKey, Weight};

use super::theme;

/// One page placed on screen: millimetres in, egui points out.
pub struct Canvas<'a> {
    pub painter: &'a egui::Painter,
    pub origin: Pos2,
    /// Screen points per millimetre.
    pub scale: f32,
    /// egui's font size per typographic point, at 1 mm = 1 point.
    pub text_scale: f32,
}

/// How the view wants an item drawn, over the document's own look.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Accent {
    /// As the document is.
    Plain,
    /// The loops of a plain SOP, in their own colour.
    Loop,
    /// Part of the step under the pointer or selected.
    Lit,
    /// The step a kegiatan waits at.
    Current,
    /// A step a kegiatan has done.
    Done,
    /// An exit a kegiatan has taken.
    Taken,
    /// An exit a kegiatan has not taken.
    Untaken,
}

/// The document's colours on screen (named in lajur_layout::theme).
#[allow(clippy::disallowed_methods)]
pub fn colour(c: Rgb) -> Color32 {
    Color32::from_rgb(c.0, c.1, c.2)
}

impl Canvas<'_> {
    pub fn pos(&self, p: Pt) -> Pos2 {
        self.origin + Vec2::new(p.x, p.y) * self.scale
    }

    pub fn rect(&self, r: MmRect) -> egui::Rect {
        egui::Rect::from_min_max(self.pos(r.min), self.pos(r.max))
    }

    /// A stroke of `mm` millimetres, never thinner than a hairline.
    pub fn stroke(&self, mm: f32, colour: Color32) -> Stroke {
        Stroke::new((mm * self.scale).max(0.6), colour)
    }

    /// The path's points on screen, Béziers flattened.
    fn points(&self, path: &Path) -> Vec<Pos2> {
        let mut out = vec![self.pos(path.start)];
        let mut last = self.pos(path.start);
        for s in &path.segments {
            match s {
                Segment::Line(p) => {
                    last = self.pos(*p);
                    out.push(last);
                }
                Segment::Cubic(a, b, p) => {
                    let curve = egui::epaint::CubicBezierShape::from_points_stroke(
                        [last, self.pos(*a), self.pos(*b), self.pos(*p)],
                        false,
                        Color32::TRANSPARENT,
                        Stroke::NONE,
                    );
                    out.extend(curve.flatten(Some(0.1)).into_iter().skip(1));
                    last = self.pos(*p);
                }
            }
        }
        if path.closed && out.len() > 1 && out.first() == out.last() {
            out.pop();
        }
        out
    }

    /// An axis-aligned rectangle path as a screen rectangle (egui draws those
    /// natively, crisp on the pixel grid).
    fn as_rect(&self, path: &Path) -> Option<egui::Rect> {
        let pts = path.points();
        if !path.closed || pts.len() != 4 || path.segments.len() != 3 {
            return None;
        }
        let r = MmRect::bounding(&pts);
        let on_corner =
            |p: &Pt| (p.x == r.min.x || p.x == r.max.x) && (p.y == r.min.y || p.y == r.max.y);
        pts.iter().all(on_corner).then(|| self.rect(r))
    }

    /// One item as one egui shape: the whole screen painter.
    pub fn shape(&self, ctx: &egui::Context, item: &Item, accent: Accent) -> Shape {
        match item {
            Item::Fill {
                path, colour: c, ..
            } => {
                let fill = accented(colour(*c), accent);
                match self.as_rect(path) {
                    Some(r) => Shape::rect_filled(r, 0.0, fill),
                    None => Shape::convex_polygon(self.points(path), fill, Stroke::NONE),
                }
            }
            Item::Stroke {
                path,
                stroke,
                fill,
                tag,
            } => {
                let (width, ink) = accented_stroke(stroke.width, colour(stroke.colour), accent);
                let line = self.stroke(width, ink);
                match (fill, path.closed) {
                    (Some(f), _) => match self.as_rect(path) {
                        Some(r) => Shape::Rect(egui::epaint::RectShape::new(
                            r,
                            0.0,
                            colour(*f),
                            line,
                            egui::StrokeKind::Middle,
                        )),
                        None => Shape::convex_polygon(self.points(path), colour(*f), line),
                    },
                    (None, true) => Shape::closed_line(self.points(path), line),
                    (None, false) => match stroke.dash {
                        Some(d) => Shape::Vec(Shape::dashed_line(
                            &self.points(path),
                            line,
                            (d.on * self.scale).max(3.0),
                            (d.off * self.scale).max(2.0),
                        )),
                        // A table's rule snaps to the pixel grid, crisp.
                        None if tag.role == Role::Rule => match self.points(path).as_slice() {
                            [a, b] => Shape::line_segment([*a, *b], line),
                            points => Shape::line(points.to_vec(), line),
                        },
                        None => Shape::line(self.points(path), line),
                    },
                }
            }
            Item::Text {
                pos,
                text,
                size_pt,
                weight,
                colour: c,
                ..
            } => {
                let px = size_pt * self.text_scale * self.scale;
                if px < 3.0 {
                    return Shape::Noop; // Too small to read at this zoom.
                }
                let family = match weight {
                    Weight::Regular => FontFamily::Proportional,
                    Weight::Bold => theme::bold_family(),
                };
                let ink = accented(colour(*c), accent);
                ctx.fonts_mut(|fonts| {
                    Shape::text(
                        fonts,
                        self.pos(*pos),
                        Align2::LEFT_TOP,
                        text,
                        FontId::new(px, family),
                        ink,
                    )
                })
            }
            Item::Image { rect, image, .. } => {
                let ImageKey::Logo = image;
                let r = self.rect(*rect);
                match ctx.data(|d| d.get_temp::<egui::TextureHandle>(logo_texture_id())) {
                    Some(texture) => Shape::image(
                        texture.id(),
                        r,
                        egui::Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
                        Color32::WHITE,
                    ),
                    // No picture yet: its place, shaded.
                    None => Shape::rect_filled(r, 0.0, colour(lajur_layout::theme::HEADER_FILL)),
                }
            }
        }
    }
}

/// The colour of ink under an accent.
fn accented(ink: Color32, accent: Accent) -> Color32 {
    match accent {
        Accent::Plain => ink,
        Accent::Loop => theme::LOOP_INK,
        Accent::Lit => theme::FOCUS_INK,
        Accent::Current => theme::CURRENT_INK,
        Accent::Done | Accent::Taken => theme::TAKEN_INK,
        Accent::Untaken => theme::UNTAKEN_INK,
    }
}

/// A line's width (mm) and colour under an accent: heavier when it matters.
fn accented_stroke(width: f32, ink: Color32, accent: Accent) -> (f32, Color32) {
    let width = match accent {
        Accent::Plain | Accent::Loop => width,
        Accent::Lit => width + 0.15,
        Accent::Current => width * 2.0,
        Accent::Done => width + 0.1,
        Accent::Taken => width + 0.2,
        Accent::Untaken => width * 0.8,
    };
    (width, accented(ink, accent))
}

/// Where the office logo's texture is kept for every view that paints pages.
pub fn logo_texture_id() -> egui::Id {
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

#[cfg(test)]
mod tests {
    use super::*;
    use lajur_core::paper::PageSettings;
    use lajur_core::sop::{BUNDLED, SopDocument, sample::generated};
    use lajur_layout::BundledFont;

    /// Every item of the display list becomes exactly one egui shape (the
    /// PDF painter's twin test is in lajur-paper).
    #[test]
    fn every_item_is_one_shape() {
        let mut sops: Vec<_> = BUNDLED
            .iter()
            .map(|(_, text)| SopDocument::parse(text).sop)
            .collect();
        sops.push(generated(60, 6, 7, 3));
        let ctx = egui::Context::default();
        let mut items = 0;
        let mut first = ctx.run_pass(egui::RawInput::default(), |ctx| {
            super::super::theme::apply(ctx);
        });
        first.textures_delta.clear();
        let mut second = ctx.run_pass(egui::RawInput::default(), |ctx| {
            let painter = egui::Painter::new(
                ctx.clone(),
                egui::LayerId::background(),
                egui::Rect::EVERYTHING,
            );
            let canvas = Canvas {
                painter: &painter,
                origin: Pos2::ZERO,
                scale: 4.0,
                text_scale: 1.0,
            };
            for sop in &sops {
                for layout in [
                    lajur_layout::document(sop, &PageSettings::default(), BundledFont::get()),
                    lajur_layout::layout(sop, &PageSettings::default(), BundledFont::get()),
                ] {
                    for page in &layout.pages {
                        for item in &page.items {
                            let shape = canvas.shape(ctx, item, Accent::Plain);
                            assert!(
                                !matches!(shape, Shape::Noop),
                                "an item drew nothing: {item:?}"
                            );
                            items += 1;
                        }
                    }
                }
            }
        });
        second.textures_delta.clear();
        assert!(items > 1000, "{items} items drawn");
    }
}
