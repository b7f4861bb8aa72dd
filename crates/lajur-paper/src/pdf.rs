//! The PDF painter: draws the layout's pages with printpdf, in the bundled font
//! (embedded, subset), as real text. The screen painter draws the same pages.

use std::sync::Arc;

use printpdf::{
    Color, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt as PdfPt, RawImage,
    RawImageData, RawImageFormat, Rgb as PdfRgb, TextItem, WindingOrder, XObjectId,
    XObjectTransform,
};

use lajur_core::office::Logo;
use lajur_layout::display::{Item, Path, Segment};
use lajur_layout::text::{BOLD_TTF, FontMetrics, MM_PER_PT, REGULAR_TTF};
use lajur_layout::theme::{Dash, Rgb};
use lajur_layout::{BundledFont, ImageKey, Layout, Page, Pt, Weight};

/// The pictures a layout's [`lajur_layout::PlacedImage`]s name.
#[derive(Debug, Clone, Default)]
pub struct Pictures {
    pub logo: Option<Arc<Logo>>,
}

/// What the PDF says about itself.
#[derive(Debug, Clone, Default)]
pub struct PdfInfo {
    /// When the document was made (by the records' clock).
    pub created: chrono::DateTime<chrono::Utc>,
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the bundled font could not be read")]
    Font,
}

struct Fonts {
    regular: PdfFontHandle,
    bold: PdfFontHandle,
    logo: Option<(XObjectId, u32, u32)>,
}

/// Renders the pages into a PDF file's bytes.
pub fn render(layout: &Layout, info: &PdfInfo) -> Result<Vec<u8>, PdfError> {
    render_with(layout, info, &Pictures::default())
}

/// The logo as an opaque RGB image, its transparency laid on white paper
/// (every viewer and printer shows that alike).
fn logo_image(logo: &Logo) -> RawImage {
    let mut rgb = Vec::with_capacity((logo.width * logo.height * 3) as usize);
    for px in logo.rgba.chunks_exact(4) {
        let a = u16::from(px[3]);
        for c in &px[..3] {
            rgb.push(((u16::from(*c) * a + 255 * (255 - a)) / 255) as u8);
        }
    }
    RawImage {
        pixels: RawImageData::U8(rgb),
        width: logo.width as usize,
        height: logo.height as usize,
        data_format: RawImageFormat::RGB8,
        tag: Vec::new(),
    }
}

/// As [`render`], with the pictures the pages place (drawn once in the file,
/// shown on every page that names them).
pub fn render_with(
    layout: &Layout,
    info: &PdfInfo,
    pictures: &Pictures,
) -> Result<Vec<u8>, PdfError> {
    let mut doc = PdfDocument::new(&info.title);
    let mut warnings = Vec::new();
    let regular = ParsedFont::from_bytes(REGULAR_TTF, 0, &mut Vec::new()).ok_or(PdfError::Font)?;
    let bold = ParsedFont::from_bytes(BOLD_TTF, 0, &mut Vec::new()).ok_or(PdfError::Font)?;
    let wants_logo = layout
        .pages
        .iter()
        .any(|p| p.images.iter().any(|i| i.image == ImageKey::Logo));
    let logo = match (&pictures.logo, wants_logo) {
        (Some(l), true) => Some((doc.add_image(&logo_image(l)), l.width, l.height)),
        _ => None,
    };
    let fonts = Fonts {
        regular: PdfFontHandle::External(doc.add_font(&regular)),
        bold: PdfFontHandle::External(doc.add_font(&bold)),
        logo,
    };
    // A time the PDF's own type cannot hold (before 1970) becomes 1970.
    let now = printpdf::OffsetDateTime::from_unix_timestamp(info.created.timestamp().max(0))
        .or_else(|_| printpdf::OffsetDateTime::from_unix_timestamp(0));
    let now = match now {
        Ok(t) => t,
        Err(_) => return Err(PdfError::Font),
    };
    let meta = &mut doc.metadata.info;
    meta.author = info.author.clone();
    meta.subject = info.subject.clone();
    meta.keywords = info.keywords.clone();
    meta.creator = format!("Lajur {}", env!("CARGO_PKG_VERSION"));
    meta.producer = "Lajur (printpdf)".into();
    meta.creation_date = now;
    meta.modification_date = now;
    meta.metadata_date = now;
    let pages: Vec<PdfPage> = layout.pages.iter().map(|p| page(p, &fonts)).collect();
    doc.with_pages(pages);
    let options = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    Ok(doc.save(&options, &mut warnings))
}

fn mm_to_pt(mm: f32) -> f32 {
    mm / MM_PER_PT
}

fn colour(c: Rgb) -> Color {
    let f = |v: u8| f32::from(v) / 255.0;
    Color::Rgb(PdfRgb {
        r: f(c.0),
        g: f(c.1),
        b: f(c.2),
        icc_profile: None,
    })
}

/// The graphics state last set, so each is set only when it changes (long
/// registers stay small in memory and on disk).
#[derive(Default, PartialEq)]
struct State {
    fill: Option<Rgb>,
    outline: Option<Rgb>,
    width: Option<u32>,
    dash: Option<Option<(u32, u32)>>,
    /// Inside a text section, with this font and size.
    text: Option<Option<(Weight, u32)>>,
}

struct Painter<'a> {
    ops: Vec<Op>,
    height: f32,
    fonts: &'a Fonts,
    state: State,
}

impl Painter<'_> {
    fn point(&self, p: Pt) -> Point {
        Point {
            x: PdfPt(mm_to_pt(p.x)),
            y: PdfPt(mm_to_pt(self.height - p.y)),
        }
    }

    /// The path's points for printpdf: a Bézier's two control points are
    /// flagged, its end is not.
    fn points(&self, path: &Path) -> Vec<LinePoint> {
        let at = |p: Pt, bezier: bool| LinePoint {
            p: self.point(p),
            bezier,
        };
        let mut out = vec![at(path.start, false)];
        for s in &path.segments {
            match s {
                Segment::Line(p) => out.push(at(*p, false)),
                Segment::Cubic(a, b, p) => {
                    out.push(at(*a, true));
                    out.push(at(*b, true));
                    out.push(at(*p, false));
                }
            }
        }
        out
    }

    fn end_text(&mut self) {
        if self.state.text.take().is_some() {
            self.ops.push(Op::EndTextSection);
        }
    }

    fn set_fill(&mut self, c: Rgb) {
        if self.state.fill != Some(c) {
            self.ops.push(Op::SetFillColor { col: colour(c) });
            self.state.fill = Some(c);
        }
    }

    fn set_stroke(&mut self, width: f32, c: Rgb, dash: Option<Dash>) {
        if self.state.outline != Some(c) {
            self.ops.push(Op::SetOutlineColor { col: colour(c) });
            self.state.outline = Some(c);
        }
        if self.state.width != Some(width.to_bits()) {
            self.ops.push(Op::SetOutlineThickness {
                pt: PdfPt(mm_to_pt(width)),
            });
            self.state.width = Some(width.to_bits());
        }
        let key = dash.map(|d| (d.on.to_bits(), d.off.to_bits()));
        if self.state.dash != Some(key) {
            let pattern = match dash {
                Some(d) => LineDashPattern::new(0.0, &[mm_to_pt(d.on), mm_to_pt(d.off)]),
                None => LineDashPattern::solid(),
            };
            self.ops.push(Op::SetLineDashPattern { dash: pattern });
            self.state.dash = Some(key);
        }
    }

    fn polygon(&mut self, path: &Path, mode: PaintMode) {
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![PolygonRing {
                    points: self.points(path),
                }],
                mode,
                winding_order: WindingOrder::NonZero,
            },
        });
    }

    /// One item, one drawing operation (and the state it needs, when it changed).
    fn item(&mut self, item: &Item) {
        match item {
            Item::Fill { path, colour, .. } => {
                self.end_text();
                self.set_fill(*colour);
                self.polygon(path, PaintMode::Fill);
            }
            Item::Stroke {
                path, stroke, fill, ..
            } => {
                self.end_text();
                self.set_stroke(stroke.width, stroke.colour, stroke.dash);
                match fill {
                    Some(f) => {
                        self.set_fill(*f);
                        self.polygon(path, PaintMode::FillStroke);
                    }
                    None if path.closed => self.polygon(path, PaintMode::Stroke),
                    None => {
                        let points = self.points(path);
                        self.ops.push(Op::DrawLine {
                            line: Line {
                                points,
                                is_closed: false,
                            },
                        });
                    }
                }
            }
            Item::Text {
                pos,
                text,
                size_pt,
                weight,
                colour,
                ..
            } => {
                if self.state.text.is_none() {
                    self.ops.push(Op::StartTextSection);
                    self.state.text = Some(None);
                    // Text fill colour is part of the graphics state: set it
                    // inside the section, as before every run of text.
                    self.state.fill = None;
                }
                self.set_fill(*colour);
                let key = (*weight, size_pt.to_bits());
                if self.state.text != Some(Some(key)) {
                    let font = match weight {
                        Weight::Regular => self.fonts.regular.clone(),
                        Weight::Bold => self.fonts.bold.clone(),
                    };
                    self.ops.push(Op::SetFont {
                        font,
                        size: PdfPt(*size_pt),
                    });
                    self.state.text = Some(Some(key));
                }
                // The layout places a line by the top of its box; PDF by the baseline.
                let baseline = self.point(Pt {
                    x: pos.x,
                    y: pos.y + BundledFont::get().ascent(*size_pt),
                });
                self.ops.push(Op::SetTextMatrix {
                    matrix: printpdf::TextMatrix::Translate(baseline.x, baseline.y),
                });
                self.ops.push(Op::ShowText {
                    items: vec![TextItem::Text(text.clone())],
                });
            }
            Item::Image { rect, image, .. } => {
                self.end_text();
                let ImageKey::Logo = image;
                if let Some((id, w_px, _)) = &self.fonts.logo {
                    // The dpi at which the picture is exactly as wide as its
                    // place; its height follows, the layout having kept the aspect.
                    let width_pt = mm_to_pt(rect.width()).max(0.01);
                    self.ops.push(Op::UseXobject {
                        id: id.clone(),
                        transform: XObjectTransform {
                            translate_x: Some(PdfPt(mm_to_pt(rect.min.x))),
                            translate_y: Some(PdfPt(mm_to_pt(self.height - rect.max.y))),
                            dpi: Some(*w_px as f32 * 72.0 / width_pt),
                            ..XObjectTransform::default()
                        },
                    });
                } else {
                    // No picture to place: its place, shaded (as on screen).
                    self.set_fill(lajur_layout::theme::HEADER_FILL);
                    self.polygon(&Path::rect(*rect), PaintMode::Fill);
                }
            }
        }
    }
}

fn page(p: &Page, fonts: &Fonts) -> PdfPage {
    let mut painter = Painter {
        ops: Vec::new(),
        height: p.height,
        fonts,
        state: State::default(),
    };
    for item in &p.items {
        painter.item(item);
    }
    painter.end_text();
    PdfPage::new(Mm(p.width), Mm(p.height), painter.ops)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lajur_core::paper::PageSettings;
    use lajur_core::sop::{BUNDLED, SopDocument, sample::generated};

    /// Every item of the display list becomes exactly one drawing operation
    /// (the rest of the operations only set colours, widths, fonts, places).
    #[test]
    fn every_item_is_one_drawing_operation() {
        let mut sops: Vec<_> = BUNDLED
            .iter()
            .map(|(_, text)| SopDocument::parse(text).sop)
            .collect();
        sops.push(generated(60, 6, 7, 3));
        let fonts = |doc: &mut PdfDocument| -> Fonts {
            let regular = ParsedFont::from_bytes(REGULAR_TTF, 0, &mut Vec::new());
            let bold = ParsedFont::from_bytes(BOLD_TTF, 0, &mut Vec::new());
            let (Some(regular), Some(bold)) = (regular, bold) else {
                panic!("the bundled fonts read");
            };
            Fonts {
                regular: PdfFontHandle::External(doc.add_font(&regular)),
                bold: PdfFontHandle::External(doc.add_font(&bold)),
                logo: None,
            }
        };
        let mut doc = PdfDocument::new("parity");
        let fonts = fonts(&mut doc);
        let mut items = 0;
        for sop in &sops {
            let layout = lajur_layout::document(sop, &PageSettings::default(), BundledFont::get());
            for p in &layout.pages {
                assert!(!p.items.is_empty());
                let pdf = page(p, &fonts);
                let drawn = pdf
                    .ops
                    .iter()
                    .filter(|op| {
                        matches!(
                            op,
                            Op::DrawLine { .. }
                                | Op::DrawPolygon { .. }
                                | Op::ShowText { .. }
                                | Op::UseXobject { .. }
                        )
                    })
                    .count();
                assert_eq!(drawn, p.items.len());
                items += p.items.len();
            }
        }
        assert!(items > 1000, "{items} items drawn");
    }
}
