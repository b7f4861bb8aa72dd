//! The PDF painter: draws the layout's pages with printpdf, in the bundled font
//! (embedded, subset), as real text. The screen painter draws the same pages.

use std::sync::Arc;

use printpdf::{
    Color, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt as PdfPt, RawImage,
    RawImageData, RawImageFormat, Rgb, TextItem, WindingOrder, XObjectId, XObjectTransform,
};

use lajur_core::office::Logo;
use lajur_layout::text::{BOLD_TTF, FontMetrics, MM_PER_PT, REGULAR_TTF};
use lajur_layout::{
    ArrowKind, BundledFont, ImageKey, Layout, Page, Pt, Rect, ShapeKind, TextRole, Weight,
};

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

struct Painter<'a> {
    ops: Vec<Op>,
    height: f32,
    fonts: &'a Fonts,
}

const BLACK: (f32, f32, f32) = (0.06, 0.06, 0.06);
const HEADER_GREY: (f32, f32, f32) = (0.925, 0.933, 0.945);

fn rgb((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

impl Painter<'_> {
    fn point(&self, p: Pt) -> Point {
        Point {
            x: PdfPt(mm_to_pt(p.x)),
            y: PdfPt(mm_to_pt(self.height - p.y)),
        }
    }

    fn stroke_style(&mut self, width_mm: f32, colour: (f32, f32, f32), dashed: bool) {
        self.ops.push(Op::SetOutlineColor { col: rgb(colour) });
        self.ops.push(Op::SetOutlineThickness {
            pt: PdfPt(mm_to_pt(width_mm)),
        });
        let dash = if dashed {
            LineDashPattern::new(0.0, &[mm_to_pt(1.6), mm_to_pt(0.9)])
        } else {
            LineDashPattern::solid()
        };
        self.ops.push(Op::SetLineDashPattern { dash });
    }

    fn line(&mut self, points: &[Pt]) {
        let points = points
            .iter()
            .map(|p| LinePoint {
                p: self.point(*p),
                bezier: false,
            })
            .collect();
        self.ops.push(Op::DrawLine {
            line: Line {
                points,
                is_closed: false,
            },
        });
    }

    fn polygon(&mut self, points: Vec<LinePoint>, mode: PaintMode) {
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![PolygonRing { points }],
                mode,
                winding_order: WindingOrder::NonZero,
            },
        });
    }

    fn corners(&self, pts: &[Pt]) -> Vec<LinePoint> {
        pts.iter()
            .map(|p| LinePoint {
                p: self.point(*p),
                bezier: false,
            })
            .collect()
    }

    fn fill_rect(&mut self, r: Rect, colour: (f32, f32, f32)) {
        self.ops.push(Op::SetFillColor { col: rgb(colour) });
        let pts = self.corners(&[
            r.min,
            Pt {
                x: r.max.x,
                y: r.min.y,
            },
            r.max,
            Pt {
                x: r.min.x,
                y: r.max.y,
            },
        ]);
        self.polygon(pts, PaintMode::Fill);
    }

    fn shape(&mut self, kind: ShapeKind, r: Rect) {
        self.ops.push(Op::SetFillColor {
            col: rgb((1.0, 1.0, 1.0)),
        });
        self.stroke_style(0.3, BLACK, false);
        let c = r.center();
        let pts = match kind {
            ShapeKind::Process => self.corners(&[
                r.min,
                Pt {
                    x: r.max.x,
                    y: r.min.y,
                },
                r.max,
                Pt {
                    x: r.min.x,
                    y: r.max.y,
                },
            ]),
            ShapeKind::Decision => self.corners(&[
                Pt { x: c.x, y: r.min.y },
                Pt { x: r.max.x, y: c.y },
                Pt { x: c.x, y: r.max.y },
                Pt { x: r.min.x, y: c.y },
            ]),
            ShapeKind::Terminator => self.capsule(r),
        };
        self.polygon(pts, PaintMode::FillStroke);
    }

    /// A rectangle with half-round ends, as cubic Béziers.
    fn capsule(&self, r: Rect) -> Vec<LinePoint> {
        let rad = r.height() / 2.0;
        let k = 0.5523 * rad;
        let (x0, x1, y0, y1) = (r.min.x + rad, r.max.x - rad, r.min.y, r.max.y);
        let cy = (y0 + y1) / 2.0;
        let p = |x: f32, y: f32, bezier: bool| LinePoint {
            p: self.point(Pt { x, y }),
            bezier,
        };
        vec![
            p(x0, y0, false),
            p(x1, y0, false),
            p(x1 + k, y0, true),
            p(r.max.x, cy - k, true),
            p(r.max.x, cy, false),
            p(r.max.x, cy + k, true),
            p(x1 + k, y1, true),
            p(x1, y1, false),
            p(x0, y1, false),
            p(x0 - k, y1, true),
            p(r.min.x, cy + k, true),
            p(r.min.x, cy, false),
            p(r.min.x, cy - k, true),
            p(x0 - k, y0, true),
            p(x0, y0, false),
        ]
    }

    fn connector(&mut self, r: Rect) {
        self.ops.push(Op::SetFillColor {
            col: rgb((1.0, 1.0, 1.0)),
        });
        self.stroke_style(0.3, BLACK, false);
        let shoulder = r.min.y + r.height() * 0.62;
        let pts = self.corners(&[
            r.min,
            Pt {
                x: r.max.x,
                y: r.min.y,
            },
            Pt {
                x: r.max.x,
                y: shoulder,
            },
            Pt {
                x: r.center().x,
                y: r.max.y,
            },
            Pt {
                x: r.min.x,
                y: shoulder,
            },
        ]);
        self.polygon(pts, PaintMode::FillStroke);
    }

    /// Many runs in one text section: the font set only when it changes, each
    /// run placed by an absolute text matrix.
    fn texts<'t>(&mut self, runs: impl Iterator<Item = &'t lajur_layout::TextRun>) {
        let mut open = false;
        let mut font_now: Option<(Weight, u32)> = None;
        for t in runs {
            if !open {
                self.ops.push(Op::StartTextSection);
                self.ops.push(Op::SetFillColor { col: rgb(BLACK) });
                open = true;
            }
            let key = (t.weight, t.size_pt.to_bits());
            if font_now != Some(key) {
                let font = match t.weight {
                    Weight::Regular => self.fonts.regular.clone(),
                    Weight::Bold => self.fonts.bold.clone(),
                };
                self.ops.push(Op::SetFont {
                    font,
                    size: PdfPt(t.size_pt),
                });
                font_now = Some(key);
            }
            let baseline = self.point(Pt {
                x: t.pos.x,
                y: t.pos.y + BundledFont::get().ascent(t.size_pt),
            });
            self.ops.push(Op::SetTextMatrix {
                matrix: printpdf::TextMatrix::Translate(baseline.x, baseline.y),
            });
            self.ops.push(Op::ShowText {
                items: vec![TextItem::Text(t.text.clone())],
            });
        }
        if open {
            self.ops.push(Op::EndTextSection);
        }
    }

    fn text(&mut self, pos: Pt, text: &str, size_pt: f32, weight: Weight) {
        let font = match weight {
            Weight::Regular => self.fonts.regular.clone(),
            Weight::Bold => self.fonts.bold.clone(),
        };
        // The layout places a line by the top of its box; PDF by the baseline.
        let baseline = Pt {
            x: pos.x,
            y: pos.y + BundledFont::get().ascent(size_pt),
        };
        self.ops.push(Op::StartTextSection);
        self.ops.push(Op::SetFillColor { col: rgb(BLACK) });
        self.ops.push(Op::SetFont {
            font,
            size: PdfPt(size_pt),
        });
        self.ops.push(Op::SetTextCursor {
            pos: self.point(baseline),
        });
        self.ops.push(Op::ShowText {
            items: vec![TextItem::Text(text.to_string())],
        });
        self.ops.push(Op::EndTextSection);
    }
}

fn page(p: &Page, fonts: &Fonts) -> PdfPage {
    let mut painter = Painter {
        ops: Vec::new(),
        height: p.height,
        fonts,
    };
    if p.header.width() > 0.0 {
        painter.fill_rect(p.header, HEADER_GREY);
    }
    for m in &p.marks {
        painter.fill_rect(*m, BLACK);
    }
    for placed in &p.images {
        let ImageKey::Logo = placed.image;
        if let Some((id, w_px, _)) = &fonts.logo {
            // The dpi at which the picture is exactly as wide as its place;
            // its height follows, the layout having kept the aspect.
            let width_pt = mm_to_pt(placed.rect.width()).max(0.01);
            painter.ops.push(Op::UseXobject {
                id: id.clone(),
                transform: XObjectTransform {
                    translate_x: Some(PdfPt(mm_to_pt(placed.rect.min.x))),
                    translate_y: Some(PdfPt(mm_to_pt(p.height - placed.rect.max.y))),
                    dpi: Some(*w_px as f32 * 72.0 / width_pt),
                    ..XObjectTransform::default()
                },
            });
        }
    }
    // One stroke style per run of rules of the same width, one text section
    // for all cell text: long registers stay small in memory and on disk.
    let mut width = None;
    for rule in &p.rules {
        if width != Some(rule.width) {
            painter.stroke_style(rule.width, BLACK, false);
            width = Some(rule.width);
        }
        painter.line(&[rule.a, rule.b]);
    }
    painter.texts(p.texts.iter().filter(|t| t.role != TextRole::ShapeLabel));
    for a in &p.arrows {
        painter.stroke_style(0.25, BLACK, a.kind == ArrowKind::Back);
        painter.line(&a.points);
        if a.kind != ArrowKind::Join && a.points.len() >= 2 {
            let n = a.points.len();
            let (from, tip) = (a.points[n - 2], a.points[n - 1]);
            let (dx, dy) = (tip.x - from.x, tip.y - from.y);
            let len = (dx * dx + dy * dy).sqrt().max(1e-3);
            let (ux, uy) = (dx / len, dy / len);
            let base = Pt {
                x: tip.x - ux * 1.8,
                y: tip.y - uy * 1.8,
            };
            let (nx, ny) = (-uy * 0.7, ux * 0.7);
            painter.ops.push(Op::SetFillColor { col: rgb(BLACK) });
            let pts = painter.corners(&[
                tip,
                Pt {
                    x: base.x + nx,
                    y: base.y + ny,
                },
                Pt {
                    x: base.x - nx,
                    y: base.y - ny,
                },
            ]);
            painter.polygon(pts, PaintMode::Fill);
        }
        if let Some(label) = &a.label {
            let size = label.rect.height() / 1.15 / MM_PER_PT;
            painter.text(label.rect.min, &label.text, size, Weight::Regular);
        }
    }
    for s in &p.shapes {
        painter.shape(s.kind, s.rect);
    }
    for c in &p.connectors {
        painter.connector(c.rect);
    }
    painter.texts(p.texts.iter().filter(|t| t.role == TextRole::ShapeLabel));
    PdfPage::new(Mm(p.width), Mm(p.height), painter.ops)
}
