//! Any SOP as a .docx that looks like its PDF, made from the same layout:
//! the identity block and the flowchart as real Word tables (rows as high
//! as on paper, the header repeated), the symbols, arrows, exit labels and
//! off-page connectors as DrawingML shapes anchored in their lane cells (as
//! offices draw them), the text of each cell as the layout broke it, the
//! official paper and orientation, the bundled font named. Importing the
//! file again gives the same SOP back.

use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use lajur_core::office::Logo;
use lajur_core::paper::PageSettings;
use lajur_core::sop::Sop;
use lajur_layout::measures::{CELL_PAD, FOOTER};
use lajur_layout::{ArrowKind, Layout, Page, Rect, ShapeKind, TextRole, TextRun, Weight};

/// Why the file could not be made (only a failing zip writer can say so).
#[derive(Debug, thiserror::Error)]
#[error("the .docx could not be assembled: {0}")]
pub struct WriteError(String);

/// The font the layout measures with; Word and LibreOffice substitute Arial
/// (same widths) where it is missing.
const FONT: &str = "Liberation Sans";
/// Lajur's mark in the file's properties: a file it wrote is read back with
/// its own conventions.
pub(crate) const PROPERTY: &str = "Lajur";

const TWIP_PER_MM: f32 = 1440.0 / 25.4;
const EMU_PER_MM: f32 = 36_000.0;

fn tw(mm: f32) -> i64 {
    (mm * TWIP_PER_MM).round() as i64
}

fn emu(mm: f32) -> i64 {
    (mm * EMU_PER_MM).round() as i64
}

/// Half-points, as Word sizes type.
fn half_points(size_pt: f32) -> i64 {
    (size_pt * 2.0).round().max(2.0) as i64
}

fn hex(c: lajur_layout::theme::Rgb) -> String {
    format!("{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Text for XML content and attributes.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The .docx of an SOP: `sop` as printed (the office's letterhead applied)
/// and its document layout (`lajur_layout::document_for_office`).
pub fn export(
    sop: &Sop,
    layout: &Layout,
    settings: &PageSettings,
    logo: Option<&Logo>,
) -> Result<Vec<u8>, WriteError> {
    let logo_png = logo.and_then(encode_png);
    let mut body = Body {
        out: String::with_capacity(256 * 1024),
        next_id: 1,
        logo: logo_png.is_some(),
        settings: *settings,
    };
    for (k, page) in layout.pages.iter().enumerate() {
        if k > 0 {
            body.page_break();
        }
        body.page(page, layout, sop);
    }
    // The body ends with a paragraph, as Word writes it.
    body.gap(0.35);
    body.section(settings);
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {NS} mc:Ignorable=\"w14 wp14\"><w:body>{}</w:body></w:document>",
        body.out
    );
    let mut files: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes().to_vec()),
        ("_rels/.rels", ROOT_RELS.as_bytes().to_vec()),
        ("word/document.xml", document.into_bytes()),
        (
            "word/_rels/document.xml.rels",
            document_rels(logo_png.is_some()).into_bytes(),
        ),
        ("word/styles.xml", styles().into_bytes()),
        ("word/settings.xml", SETTINGS.as_bytes().to_vec()),
        ("word/fontTable.xml", font_table().into_bytes()),
        ("word/footer1.xml", footer().into_bytes()),
        ("docProps/core.xml", core_properties(sop).into_bytes()),
        ("docProps/app.xml", APP.as_bytes().to_vec()),
        ("docProps/custom.xml", CUSTOM.as_bytes().to_vec()),
    ];
    if let Some(png) = logo_png {
        files.push(("word/media/logo.png", png));
    }
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(name, options)
            .map_err(|e| WriteError(e.to_string()))?;
        zip.write_all(&bytes)
            .map_err(|e| WriteError(e.to_string()))?;
    }
    let cursor = zip.finish().map_err(|e| WriteError(e.to_string()))?;
    Ok(cursor.into_inner())
}

fn encode_png(logo: &Logo) -> Option<Vec<u8>> {
    if logo.width == 0
        || logo.height == 0
        || logo.rgba.len() != logo.width as usize * logo.height as usize * 4
    {
        return None;
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, logo.width, logo.height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().ok()?;
        writer.write_image_data(&logo.rgba).ok()?;
        writer.finish().ok()?;
    }
    Some(out)
}

/// The document's body as it is written.
struct Body {
    out: String,
    /// Drawing ids, unique in the document as Word wants them.
    next_id: u32,
    logo: bool,
    settings: PageSettings,
}

/// A cell of a table being written: where it is on the page, and what goes in.
struct CellSpec {
    rect: Rect,
    span: usize,
    /// `Some(true)` starts a vertical merge, `Some(false)` continues one.
    vmerge: Option<bool>,
    fill: Option<String>,
    /// Lane cells have no margins, so a shape's offset is from the cell's corner.
    lane: bool,
    /// The drawings anchored here.
    drawings: String,
    /// A paragraph before the text (the logo), and where the text's room
    /// then begins.
    prefix: Option<(String, f32)>,
    /// The words the cell holds, to tell where they were wrapped from
    /// where they break a line themselves.
    words: Option<String>,
    /// Its lines stand in the middle (the header, No and Waktu).
    centred: bool,
    /// The approver's cell without a name: an empty paragraph this far
    /// (mm) under the titles.
    empty_name: Option<f32>,
}

impl CellSpec {
    fn new(rect: Rect) -> CellSpec {
        CellSpec {
            rect,
            span: 1,
            vmerge: None,
            fill: None,
            lane: false,
            drawings: String::new(),
            prefix: None,
            words: None,
            empty_name: None,
            centred: false,
        }
    }
}

/// A row of a table being written.
struct RowSpec {
    height: f32,
    exact: bool,
    header: bool,
    cells: Vec<CellSpec>,
}

impl Body {
    fn id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// A paragraph that only breaks the page (1 pt high, so it moves nothing).
    fn page_break(&mut self) {
        self.out.push_str("<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"20\" w:lineRule=\"exact\"/><w:rPr><w:sz w:val=\"2\"/></w:rPr></w:pPr><w:r><w:rPr><w:sz w:val=\"2\"/></w:rPr><w:br w:type=\"page\"/></w:r></w:p>");
    }

    /// A paragraph of a given height (room between two tables).
    fn gap(&mut self, mm: f32) {
        let h = tw(mm).max(20);
        write!(
            self.out,
            "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"{h}\" w:lineRule=\"exact\"/><w:rPr><w:sz w:val=\"2\"/></w:rPr></w:pPr></w:p>"
        )
            .unwrap_or_default();
    }

    fn page(&mut self, page: &Page, layout: &Layout, sop: &Sop) {
        let mut bottom = self.settings.margins.top;
        if let Some(identity) = &page.identity {
            bottom = self.identity_table(page, identity, sop);
            if !page.rows.is_empty() {
                self.gap(page.header.min.y - bottom);
            }
        }
        if !page.rows.is_empty() {
            self.flow_table(page, layout, sop);
            bottom = page.table.max.y;
        }
        // The approval block under the table: its lines centred in a block
        // at the table's right, as the layout puts it.
        let under: Vec<&TextRun> = page
            .texts
            .iter()
            .filter(|t| t.role == TextRole::Cell && t.pos.y >= bottom - 0.01)
            .collect();
        if under.is_empty() {
            // Word needs a paragraph between two tables.
            self.gap(0.35);
        } else {
            let right = page.table.max.x;
            let block_w = lajur_layout::measures::APPROVAL_WIDTH.min(page.table.width() * 0.45);
            let area = rect(right - block_w, bottom, right, page.height);
            let left = self.settings.margins.left;
            let paragraphs = paragraphs_of(&under, area, 0.0, Some(area.min.x - left), None, false);
            self.out.push_str(&paragraphs);
        }
    }

    /// The identity block as a table of four grid columns (unit | label |
    /// value over the head; two boxes side by side under it). Returns its
    /// bottom, mm.
    fn identity_table(
        &mut self,
        page: &Page,
        g: &lajur_layout::IdentityGeometry,
        sop: &Sop,
    ) -> f32 {
        let id = &sop.identity;
        // The words of the cells whose lines break by themselves: the unit
        // and the units above it, the approver's titles, name and NIP.
        let unit_words = std::iter::once(&id.unit.name)
            .chain(id.unit.parents.iter())
            .map(|l| l.to_uppercase())
            .collect::<Vec<_>>()
            .join("\n");
        let mut approver_words = id.approver.title_lines.clone();
        approver_words.push(id.approver.name.clone());
        if let Some(nip) = &id.approver.nip {
            approver_words.push(lajur_core::locale::fill(
                lajur_core::locale::Text::DocNip,
                lajur_core::locale::Lang::Id,
                &[("nip", nip)],
            ));
        }
        let approver_words = approver_words.join("\n");
        let m = self.settings.margins;
        let (left, top) = (m.left, m.top);
        let width = page.width - m.left - m.right;
        let half = width / 2.0;
        let edges = [
            left,
            left + g.unit_w,
            left + half,
            left + g.unit_w + g.label_w,
            left + width,
        ];
        let mut rows: Vec<RowSpec> = Vec::new();
        let head_h: f32 = g.field_heights.iter().sum();
        let mut y = top;
        for (k, h) in g.field_heights.iter().enumerate() {
            let mut unit = CellSpec::new(rect(edges[0], top, edges[1], top + head_h));
            unit.vmerge = Some(k == 0);
            unit.words = Some(unit_words.clone());
            let mut label = CellSpec::new(rect(edges[1], y, edges[3], y + h));
            label.span = 2;
            let mut value = CellSpec::new(rect(edges[3], y, edges[4], y + h));
            if k == 4 {
                value.words = Some(approver_words.clone());
                if id.approver.name.trim().is_empty() {
                    // The name's paragraph stays, empty, after the room to
                    // sign: where the clerk types it, and how a reader knows
                    // the last title is not a name.
                    value.empty_name = Some(g.signature_gap);
                }
            }
            rows.push(RowSpec {
                height: *h,
                exact: false,
                header: false,
                cells: vec![unit, label, value],
            });
            y += h;
        }
        // A list's words as printed: numbered when it has more than one item.
        let list_words = |items: &[String]| {
            let numbered = items.len() > 1;
            items
                .iter()
                .enumerate()
                .map(|(k, item)| {
                    if numbered {
                        format!("{}. {}", k + 1, item.trim())
                    } else {
                        item.trim().to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let lists = [
            (&id.legal_basis, &id.qualifications),
            (&id.related, &id.equipment),
            (&id.warnings, &id.records),
        ];
        for (h, (left_items, right_items)) in g.box_heights.iter().zip(lists) {
            let mut l = CellSpec::new(rect(edges[0], y, edges[2], y + h));
            l.span = 2;
            l.words = Some(list_words(left_items));
            let mut r = CellSpec::new(rect(edges[2], y, edges[4], y + h));
            r.span = 2;
            r.words = Some(list_words(right_items));
            rows.push(RowSpec {
                height: *h,
                exact: false,
                header: false,
                cells: vec![l, r],
            });
            y += h;
        }
        if self.logo
            && let Some(image) = page.images.first()
        {
            let id = self.id();
            let r = image.rect;
            let logo = picture(id, r.min.y - top, r.width(), r.height());
            rows[0].cells[0].prefix = Some((logo, r.max.y));
        }
        let texts: Vec<&TextRun> = page
            .texts
            .iter()
            .filter(|t| t.role == TextRole::Cell && t.pos.y < y - 0.01 && t.step.is_none())
            .collect();
        self.table(&edges, &rows, &texts, false);
        y
    }

    /// The flowchart table of a page.
    fn flow_table(&mut self, page: &Page, layout: &Layout, sop: &Sop) {
        let edges = &layout.columns;
        let columns = edges.len().saturating_sub(1);
        let lanes = sop.lanes.len().max(1);
        let mutu = sop.headings.columns.len();
        let (lane_first, lane_last) = (2, 1 + lanes);
        let is_lane = |c: usize| (lane_first..=lane_last).contains(&c);
        // No and Waktu are printed centred, as is the header.
        let time_column = sop
            .headings
            .columns
            .iter()
            .position(|c| *c == lajur_core::sop::MutuBakuColumn::Time)
            .map(|k| lane_last + 1 + k);
        let centred = |c: usize| c == 0 || Some(c) == time_column;
        let header = page.header;
        let split = page.header_split;
        let mut rows: Vec<RowSpec> = Vec::new();
        // The header, in two rows: No | Kegiatan | Pelaksana… | Mutu Baku… | Keterangan.
        let fill = Some(hex(lajur_layout::theme::HEADER_FILL));
        let mut top_row = Vec::new();
        let mut bottom_row = Vec::new();
        let mut c = 0;
        while c < columns {
            let (span, merged) = if is_lane(c) {
                (lanes, false)
            } else if c > lane_last && c < lane_last + 1 + mutu {
                (mutu, false)
            } else {
                (1, true)
            };
            let x0 = edges[c];
            let x1 = edges[(c + span).min(columns)];
            if merged {
                let mut a = CellSpec::new(rect(x0, header.min.y, x1, header.max.y));
                a.vmerge = Some(true);
                a.fill = fill.clone();
                a.centred = true;
                top_row.push(a);
                let mut b = CellSpec::new(rect(x0, header.min.y, x1, header.max.y));
                b.vmerge = Some(false);
                b.fill = fill.clone();
                b.centred = true;
                bottom_row.push(b);
            } else {
                let mut a = CellSpec::new(rect(x0, header.min.y, x1, split));
                a.span = span;
                a.fill = fill.clone();
                a.centred = true;
                top_row.push(a);
                for k in c..c + span {
                    let mut b = CellSpec::new(rect(edges[k], split, edges[k + 1], header.max.y));
                    b.fill = fill.clone();
                    b.centred = true;
                    if is_lane(k) {
                        b.words = sop.lanes.get(k - lane_first).map(|l| l.name.clone());
                    }
                    bottom_row.push(b);
                }
            }
            c += span.max(1);
        }
        rows.push(RowSpec {
            height: split - header.min.y,
            exact: true,
            header: true,
            cells: top_row,
        });
        rows.push(RowSpec {
            height: header.max.y - split,
            exact: true,
            header: true,
            cells: bottom_row,
        });
        // The body: a band where connectors wait at the top or bottom, and the rows.
        let mut bands: Vec<(f32, f32)> = Vec::new();
        let first_top = page.rows.first().map_or(header.max.y, |r| r.rect.min.y);
        if first_top - header.max.y > 0.05 {
            bands.push((header.max.y, first_top));
        }
        for r in &page.rows {
            bands.push((r.rect.min.y, r.rect.max.y));
        }
        let last_bottom = page.rows.last().map_or(header.max.y, |r| r.rect.max.y);
        if page.table.max.y - last_bottom > 0.05 {
            bands.push((last_bottom, page.table.max.y));
        }
        for (y0, y1) in bands {
            let leader = page
                .rows
                .iter()
                .find(|r| (r.rect.min.y - y0).abs() < 0.01)
                .map(|r| r.step);
            let cells = (0..columns)
                .map(|c| {
                    let mut cell = CellSpec::new(rect(edges[c], y0, edges[c + 1], y1));
                    cell.lane = is_lane(c);
                    cell.centred = centred(c);
                    cell.words = leader.and_then(|step| lajur_layout::cell_words(sop, c, step));
                    cell
                })
                .collect();
            rows.push(RowSpec {
                height: y1 - y0,
                exact: true,
                header: false,
                cells,
            });
        }
        self.anchor_drawings(page, sop, &mut rows, is_lane);
        let texts: Vec<&TextRun> = page
            .texts
            .iter()
            .filter(|t| {
                matches!(t.role, TextRole::Cell | TextRole::Header)
                    && t.pos.y >= header.min.y - 0.01
                    && t.pos.y < page.table.max.y
            })
            .collect();
        self.table(edges, &rows, &texts, true);
    }

    /// Each symbol, connector, arrow and label of the page, anchored in the
    /// lane cell under its top-left corner (its offsets from that cell).
    fn anchor_drawings(
        &mut self,
        page: &Page,
        sop: &Sop,
        rows: &mut [RowSpec],
        is_lane: impl Fn(usize) -> bool,
    ) {
        // Drawing order as on paper: arrows under symbols, labels on top.
        let mut order: u32 = 1;
        let mut put =
            |rows: &mut [RowSpec], at: lajur_layout::Pt, xml: &dyn Fn(f32, f32, u32) -> String| {
                let Some((r, c)) = lane_cell_at(rows, at, &is_lane) else {
                    return;
                };
                let cell = &mut rows[r].cells[c];
                let (dx, dy) = (at.x - cell.rect.min.x, at.y - cell.rect.min.y);
                order += 1;
                cell.drawings.push_str(&xml(dx, dy, order));
            };
        for (k, arrow) in page.arrows.iter().enumerate() {
            let points = arrow_points(page, k);
            if points.len() < 2 {
                continue;
            }
            let bounds = Rect::bounding(&points);
            let id = self.id();
            let head = !matches!(arrow.kind, ArrowKind::Join | ArrowKind::Either);
            let dashed = matches!(arrow.kind, ArrowKind::Back | ArrowKind::Either);
            // The exit's label in the description of the part leaving the
            // decision: a reader need not guess which label is whose.
            let label = if arrow.from_connector {
                ""
            } else {
                sop.steps
                    .get(arrow.from_step)
                    .and_then(|s| s.exits.get(arrow.exit))
                    .map_or("", |e| e.label.as_str())
            };
            put(rows, bounds.min, &|dx, dy, z| {
                route(id, label, dx, dy, z, &points, bounds, head, dashed)
            });
        }
        for shape in &page.shapes {
            let id = self.id();
            let step = sop.steps.get(shape.step);
            let name = step_name(sop, shape.step);
            let descr = step.map(|s| s.activity.as_str()).unwrap_or_default();
            let label: Vec<&TextRun> = page
                .texts
                .iter()
                .filter(|t| {
                    t.role == TextRole::ShapeLabel && shape.rect.contains(t.rect().center())
                })
                .collect();
            // The capsule's lines as one text (Word wraps it in the shape);
            // a word the layout broke is whole again.
            let mut text = String::new();
            let mut glued = true;
            for t in &label {
                if !glued {
                    text.push(' ');
                }
                if t.word_split {
                    text.push_str(t.text.strip_suffix('-').unwrap_or(&t.text));
                } else {
                    text.push_str(&t.text);
                }
                glued = t.word_split;
            }
            let size = label.first().map_or(7.0, |t| t.size_pt);
            let geom = match shape.kind {
                ShapeKind::Terminator => "flowChartTerminator",
                ShapeKind::Process => "flowChartProcess",
                ShapeKind::Decision => "flowChartDecision",
            };
            let r = shape.rect;
            put(rows, r.min, &|dx, dy, z| {
                symbol(
                    id,
                    &name,
                    descr,
                    geom,
                    dx,
                    dy,
                    z,
                    r.width(),
                    r.height(),
                    &text,
                    size,
                )
            });
        }
        for connector in &page.connectors {
            let id = self.id();
            let name = format!("penghubung {}", connector.letter);
            let size = page
                .texts
                .iter()
                .find(|t| {
                    t.role == TextRole::ShapeLabel && connector.rect.contains(t.rect().center())
                })
                .map_or(7.0, |t| t.size_pt);
            let r = connector.rect;
            let letter = connector.letter.clone();
            put(rows, r.min, &|dx, dy, z| {
                symbol(
                    id,
                    &name,
                    "",
                    "flowChartOffpageConnector",
                    dx,
                    dy,
                    z,
                    r.width(),
                    r.height(),
                    &letter,
                    size,
                )
            });
        }
        for arrow in &page.arrows {
            let Some(label) = &arrow.label else { continue };
            let id = self.id();
            let r = label.rect;
            let text = label.lines.join(" ");
            let size = label.size_pt;
            put(rows, r.min, &|dx, dy, z| {
                text_box(id, dx, dy, z, r, &text, size)
            });
        }
    }

    /// Writes a table: its grid, its rows, each cell's text from the layout's
    /// runs inside it.
    fn table(&mut self, edges: &[f32], rows: &[RowSpec], texts: &[&TextRun], flow: bool) {
        let left = edges.first().copied().unwrap_or(0.0);
        let ink = hex(lajur_layout::theme::INK);
        write!(
            self.out,
            "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblBorders>",
            tw(edges.last().copied().unwrap_or(0.0) - left)
        )
            .unwrap_or_default();
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            write!(
                self.out,
                "<w:{side} w:val=\"single\" w:sz=\"6\" w:space=\"0\" w:color=\"{ink}\"/>"
            )
            .unwrap_or_default();
        }
        let pad = tw(CELL_PAD);
        // The right margin a little narrower than the layout's: Word and
        // LibreOffice take the rule's width from the cell too, and a line
        // the layout measured to fit exactly must not wrap again.
        let pad_right = tw((CELL_PAD - 0.8).max(0.2));
        write!(
            self.out,
            "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"{pad}\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"{pad_right}\" w:type=\"dxa\"/></w:tblCellMar><w:tblLook w:val=\"0000\"/></w:tblPr><w:tblGrid>"
        )
            .unwrap_or_default();
        for w in edges.windows(2) {
            write!(self.out, "<w:gridCol w:w=\"{}\"/>", tw(w[1] - w[0])).unwrap_or_default();
        }
        self.out.push_str("</w:tblGrid>");
        for row in rows {
            let rule = if row.exact { "exact" } else { "atLeast" };
            write!(
                self.out,
                "<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val=\"{}\" w:hRule=\"{rule}\"/>{}</w:trPr>",
                tw(row.height),
                if row.header { "<w:tblHeader/>" } else { "" }
            )
            .unwrap_or_default();
            for cell in &row.cells {
                write!(
                    self.out,
                    "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/>",
                    tw(cell.rect.width())
                )
                .unwrap_or_default();
                if cell.span > 1 {
                    write!(self.out, "<w:gridSpan w:val=\"{}\"/>", cell.span).unwrap_or_default();
                }
                match cell.vmerge {
                    Some(true) => self.out.push_str("<w:vMerge w:val=\"restart\"/>"),
                    Some(false) => self.out.push_str("<w:vMerge/>"),
                    None => {}
                }
                if let Some(f) = &cell.fill {
                    write!(
                        self.out,
                        "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{f}\"/>"
                    )
                    .unwrap_or_default();
                }
                if cell.lane {
                    self.out.push_str("<w:tcMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"0\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"0\" w:type=\"dxa\"/></w:tcMar>");
                }
                self.out.push_str("</w:tcPr>");
                if cell.vmerge == Some(false) {
                    self.out.push_str("<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"20\" w:lineRule=\"exact\"/></w:pPr></w:p></w:tc>");
                    continue;
                }
                let inside: Vec<&TextRun> = texts
                    .iter()
                    .copied()
                    .filter(|t| cell.rect.contains(t.rect().center()))
                    .filter(|_| !flow || !cell.lane)
                    .collect();
                let mut area = cell.rect;
                let mut content = String::new();
                if let Some((prefix, text_top)) = &cell.prefix {
                    content.push_str(prefix);
                    area.min.y = *text_top;
                }
                content.push_str(&paragraphs_of(
                    &inside,
                    area,
                    CELL_PAD,
                    None,
                    cell.words.as_deref(),
                    cell.centred,
                ));
                if let Some(gap) = cell.empty_name {
                    write!(
                        content,
                        "<w:p><w:pPr><w:spacing w:before=\"{}\" w:after=\"0\"/></w:pPr></w:p>",
                        tw(gap)
                    )
                    .unwrap_or_default();
                }
                if content.is_empty() {
                    // An empty cell keeps one tiny paragraph (Word needs one).
                    content = "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"20\" w:lineRule=\"exact\"/><w:rPr><w:sz w:val=\"2\"/></w:rPr></w:pPr></w:p>".to_string();
                }
                if !cell.drawings.is_empty() {
                    // The drawings go in the cell's first paragraph, whose top
                    // is the cell's top.
                    let at = content.find("</w:pPr>").map_or(0, |i| i + "</w:pPr>".len());
                    content.insert_str(at, &cell.drawings);
                }
                self.out.push_str(&content);
                self.out.push_str("</w:tc>");
            }
            self.out.push_str("</w:tr>");
        }
        self.out.push_str("</w:tbl>");
    }

    fn section(&mut self, settings: &PageSettings) {
        let (w, h) = settings.page_size();
        let m = settings.margins;
        let orient = if w > h { " w:orient=\"landscape\"" } else { "" };
        // The body may go down to the footer's room, as the layout keeps it;
        // the page number sits in that room.
        write!(
            self.out,
            "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/><w:pgSz w:w=\"{}\" w:h=\"{}\"{orient}/><w:pgMar w:top=\"{}\" w:right=\"{}\" w:bottom=\"{}\" w:left=\"{}\" w:header=\"{}\" w:footer=\"{}\" w:gutter=\"0\"/><w:cols w:space=\"708\"/></w:sectPr>",
            tw(w),
            tw(h),
            tw(m.top),
            tw(m.right),
            tw(m.bottom + FOOTER - 2.0),
            tw(m.left),
            tw(m.top / 2.0),
            tw(m.bottom)
        )
            .unwrap_or_default();
    }
}

fn rect(x0: f32, y0: f32, x1: f32, y1: f32) -> Rect {
    Rect {
        min: lajur_layout::pt(x0, y0),
        max: lajur_layout::pt(x1, y1),
    }
}

/// A symbol's name: Lajur's mark and the step's id, so the file read again
/// gives the step its id back.
fn step_name(sop: &Sop, step: usize) -> String {
    sop.steps
        .get(step)
        .map(|s| format!("Lajur:{}", s.id.0))
        .unwrap_or_default()
}

/// The lane cell (row, index in the row) under a point; a point on a
/// boundary belongs to the cell below and right of it.
fn lane_cell_at(
    rows: &[RowSpec],
    at: lajur_layout::Pt,
    is_lane: &impl Fn(usize) -> bool,
) -> Option<(usize, usize)> {
    let body: Vec<usize> = (0..rows.len()).filter(|r| !rows[*r].header).collect();
    let r = body
        .iter()
        .copied()
        .find(|r| at.y < rows[*r].cells[0].rect.max.y - 0.001)
        .or_else(|| body.last().copied())?;
    let lanes: Vec<usize> = (0..rows[r].cells.len()).filter(|c| is_lane(*c)).collect();
    let c = lanes
        .iter()
        .copied()
        .find(|c| at.x < rows[r].cells[*c].rect.max.x - 0.001)
        .or_else(|| lanes.last().copied())?;
    Some((r, c))
}

/// An arrow's points; one that joins another arrow into the same step goes on
/// along that arrow to the step (as a reader follows it).
fn arrow_points(page: &Page, k: usize) -> Vec<lajur_layout::Pt> {
    let arrow = &page.arrows[k];
    let mut points = arrow.points.clone();
    if !arrow.joins {
        return points;
    }
    let Some(end) = points.last().copied() else {
        return points;
    };
    // The arrow into the same step whose line the end lies on; the rest of it.
    for other in page
        .arrows
        .iter()
        .enumerate()
        .filter(|(j, a)| *j != k && !a.joins && a.to_step == arrow.to_step)
        .map(|(_, a)| a)
    {
        let on = other
            .points
            .windows(2)
            .position(|w| Rect::bounding(&[w[0], w[1]]).expand(0.05).contains(end));
        if let Some(s) = on {
            points.extend(other.points.iter().skip(s + 1).copied());
            break;
        }
    }
    points
}

/// The `wp:anchor` around one shape, placed from its cell's corner.
#[allow(clippy::too_many_arguments)]
fn anchor(
    id: u32,
    name: &str,
    descr: &str,
    dx: f32,
    dy: f32,
    z: u32,
    w: f32,
    h: f32,
    graphic: &str,
) -> String {
    format!(
        "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\" simplePos=\"0\" relativeHeight=\"{z}\" behindDoc=\"0\" locked=\"0\" layoutInCell=\"1\" allowOverlap=\"1\"><wp:simplePos x=\"0\" y=\"0\"/><wp:positionH relativeFrom=\"column\"><wp:posOffset>{}</wp:posOffset></wp:positionH><wp:positionV relativeFrom=\"paragraph\"><wp:posOffset>{}</wp:posOffset></wp:positionV><wp:extent cx=\"{}\" cy=\"{}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:wrapNone/><wp:docPr id=\"{id}\" name=\"{}\" descr=\"{}\"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\">{graphic}</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice></mc:AlternateContent>",
        emu(dx),
        emu(dy),
        emu(w).max(1),
        emu(h).max(1),
        esc(name),
        esc(descr),
    )
}

fn wrap_run(drawing: String) -> String {
    format!("<w:r>{drawing}</w:r>")
}

/// A symbol (capsule, box, diamond, off-page connector) with its words,
/// bold as the layout prints them.
#[allow(clippy::too_many_arguments)]
fn symbol(
    id: u32,
    name: &str,
    descr: &str,
    geom: &str,
    dx: f32,
    dy: f32,
    z: u32,
    w: f32,
    h: f32,
    text: &str,
    size: f32,
) -> String {
    let ink = hex(lajur_layout::theme::INK);
    let paper = hex(lajur_layout::theme::PAPER);
    let stroke = emu(lajur_layout::theme::SYMBOL_STROKE);
    let words = if text.trim().is_empty() {
        String::new()
    } else {
        format!(
            "<wps:txbx><w:txbxContent><w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"{}\" w:lineRule=\"exact\"/><w:jc w:val=\"center\"/></w:pPr>{}</w:p></w:txbxContent></wps:txbx>",
            line_twips(size),
            text_run(text, size, true, false)
        )
    };
    let anchor_v = if geom == "flowChartOffpageConnector" {
        "t"
    } else {
        "ctr"
    };
    let graphic = format!(
        "<wps:wsp><wps:cNvSpPr/><wps:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{}\" cy=\"{}\"/></a:xfrm><a:prstGeom prst=\"{geom}\"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val=\"{paper}\"/></a:solidFill><a:ln w=\"{stroke}\"><a:solidFill><a:srgbClr val=\"{ink}\"/></a:solidFill></a:ln></wps:spPr>{words}<wps:bodyPr rot=\"0\" vert=\"horz\" wrap=\"square\" lIns=\"0\" tIns=\"0\" rIns=\"0\" bIns=\"0\" anchor=\"{anchor_v}\" anchorCtr=\"0\"><a:noAutofit/></wps:bodyPr></wps:wsp>",
        emu(w).max(1),
        emu(h).max(1),
    );
    wrap_run(anchor(id, name, descr, dx, dy, z, w, h, &graphic))
}

/// An arrow as one open path, its head at the end.
#[allow(clippy::too_many_arguments)]
fn route(
    id: u32,
    label: &str,
    dx: f32,
    dy: f32,
    z: u32,
    points: &[lajur_layout::Pt],
    bounds: Rect,
    head: bool,
    dashed: bool,
) -> String {
    let ink = hex(lajur_layout::theme::INK);
    let (w, h) = (bounds.width().max(0.03), bounds.height().max(0.03));
    let (cx, cy) = (emu(w), emu(h));
    let mut path = String::new();
    for (k, p) in points.iter().enumerate() {
        let (x, y) = (emu(p.x - bounds.min.x), emu(p.y - bounds.min.y));
        let verb = if k == 0 { "moveTo" } else { "lnTo" };
        write!(path, "<a:{verb}><a:pt x=\"{x}\" y=\"{y}\"/></a:{verb}>").unwrap_or_default();
    }
    let dash = if dashed {
        "<a:prstDash val=\"dash\"/>"
    } else {
        ""
    };
    let tail = if head {
        "<a:tailEnd type=\"triangle\" w=\"med\" len=\"med\"/>"
    } else {
        ""
    };
    let graphic = format!(
        "<wps:wsp><wps:cNvCnPr/><wps:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l=\"0\" t=\"0\" r=\"r\" b=\"b\"/><a:pathLst><a:path w=\"{cx}\" h=\"{cy}\" fill=\"none\">{path}</a:path></a:pathLst></a:custGeom><a:noFill/><a:ln w=\"{}\"><a:solidFill><a:srgbClr val=\"{ink}\"/></a:solidFill>{dash}{tail}</a:ln></wps:spPr><wps:bodyPr/></wps:wsp>",
        emu(lajur_layout::theme::ARROW_STROKE)
    );
    wrap_run(anchor(id, "panah", label, dx, dy, z, w, h, &graphic))
}

/// An exit's label: words in a box with neither fill nor line.
fn text_box(id: u32, dx: f32, dy: f32, z: u32, r: Rect, text: &str, size: f32) -> String {
    let graphic = format!(
        "<wps:wsp><wps:cNvSpPr txBox=\"1\"/><wps:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{}\" cy=\"{}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr><wps:txbx><w:txbxContent><w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"{}\" w:lineRule=\"exact\"/></w:pPr>{}</w:p></w:txbxContent></wps:txbx><wps:bodyPr rot=\"0\" vert=\"horz\" wrap=\"square\" lIns=\"0\" tIns=\"0\" rIns=\"0\" bIns=\"0\" anchor=\"t\" anchorCtr=\"0\"><a:noAutofit/></wps:bodyPr></wps:wsp>",
        emu(r.width() + 0.6),
        emu(r.height()),
        line_twips(size),
        text_run(text, size, false, false)
    );
    wrap_run(anchor(
        id,
        "label",
        "",
        dx,
        dy,
        z,
        r.width() + 0.6,
        r.height(),
        &graphic,
    ))
}

/// The logo: a centred paragraph holding the picture, `before` mm under
/// the cell's top.
fn picture(id: u32, before: f32, w: f32, h: f32) -> String {
    format!(
        "<w:p><w:pPr><w:spacing w:before=\"{}\" w:after=\"0\"/><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:docPr id=\"{id}\" name=\"Logo\" descr=\"Logo\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:nvPicPr><pic:cNvPr id=\"{id}\" name=\"logo.png\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed=\"rIdLogo\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>",
        tw(before.max(0.0)),
        cx = emu(w),
        cy = emu(h),
    )
}

fn line_twips(size_pt: f32) -> i64 {
    (size_pt * lajur_layout::theme::LINE_HEIGHT * 20.0).round() as i64
}

fn text_run(text: &str, size: f32, bold: bool, underline: bool) -> String {
    let sz = half_points(size);
    // A non-breaking hyphen is Word's own element, not a character.
    let content = text
        .split('\u{2011}')
        .map(|part| format!("<w:t xml:space=\"preserve\">{}</w:t>", esc(part)))
        .collect::<Vec<_>>()
        .join("<w:noBreakHyphen/>");
    format!(
        // rPr children in the schema's order: b, bCs, sz, szCs, u.
        "<w:r><w:rPr>{}<w:sz w:val=\"{sz}\"/><w:szCs w:val=\"{sz}\"/>{}</w:rPr>{content}</w:r>",
        if bold { "<w:b/><w:bCs/>" } else { "" },
        if underline {
            "<w:u w:val=\"single\"/>"
        } else {
            ""
        },
    )
}

/// A line of text as the layout placed it: its runs left to right.
struct Line<'a> {
    y: f32,
    runs: Vec<&'a TextRun>,
}

/// The paragraphs of a cell (or the approval block), from the runs the
/// layout placed there: lines one after another are one paragraph (broken
/// where the layout broke them), a larger gap starts a new one with that
/// room before it, a numbered item (number, then text) hangs its number; a
/// line centred in the area is centred. `block` is the approval block's
/// indent from the margin: every line centred in the area, the name
/// underlined.
fn paragraphs_of(
    runs: &[&TextRun],
    area: Rect,
    pad: f32,
    block: Option<f32>,
    words: Option<&str>,
    centre_all: bool,
) -> String {
    let mut sorted: Vec<&TextRun> = runs.to_vec();
    sorted.sort_by(|a, b| {
        a.pos
            .y
            .total_cmp(&b.pos.y)
            .then(a.pos.x.total_cmp(&b.pos.x))
    });
    let mut lines: Vec<Line> = Vec::new();
    for run in sorted {
        match lines.last_mut() {
            Some(line) if (line.y - run.pos.y).abs() < 0.2 => line.runs.push(run),
            _ => lines.push(Line {
                y: run.pos.y,
                runs: vec![run],
            }),
        }
    }
    let joins = joins(&lines, words);
    let mut out = String::new();
    // The open paragraph: where its lines begin (x from the area's left)
    // and whether its number hangs.
    let mut open: Option<(f32, bool)> = None;
    let mut cursor = area.min.y;
    let mut size_before = 0.0f32;
    // The open paragraph is centred: its lines start where they fit.
    let mut centred_open = false;
    for (n, line) in lines.iter().enumerate() {
        let size = line.runs[0].size_pt;
        let lh = lajur_layout::theme::line_height(size);
        let x0 = line.runs[0].pos.x - area.min.x;
        let numbered = line.runs.len() > 1 && {
            let label = line.runs[0].text.trim();
            label.ends_with('.')
                && label.len() > 1
                && label
                    .trim_end_matches('.')
                    .chars()
                    .all(|c| c.is_ascii_digit())
        };
        let after_hard = n > 0 && joins[n - 1] == Join::Hard;
        let continues = match open {
            Some((left, _)) if !numbered && !after_hard => {
                (line.y - cursor).abs() < 0.3 * lh
                    && ((x0 - left).abs() < 0.3 || centred_open)
                    && (size - size_before).abs() < 0.01
            }
            _ => false,
        };
        if continues {
            out.push_str("<w:r><w:br/></w:r>");
        } else {
            if open.is_some() {
                out.push_str("</w:p>");
            }
            let before = (line.y - cursor).max(0.0);
            // In the order the schema wants them (Word refuses a file
            // whose paragraph properties are out of order).
            let keep = if block.is_some() {
                // Kept together on one page, as a signature block must be.
                "<w:keepNext/><w:keepLines/>"
            } else {
                ""
            };
            let spacing = format!(
                "<w:spacing w:before=\"{}\" w:after=\"0\" w:line=\"{}\" w:lineRule=\"exact\"/>",
                tw(before),
                line_twips(size)
            );
            let (tabs, ind, jc, text_x) = if numbered {
                let text_x = line.runs[1].pos.x - area.min.x;
                (
                    format!(
                        "<w:tabs><w:tab w:val=\"left\" w:pos=\"{}\"/></w:tabs>",
                        tw(text_x - pad)
                    ),
                    format!(
                        "<w:ind w:left=\"{}\" w:hanging=\"{}\"/>",
                        tw(text_x - pad),
                        tw(text_x - x0)
                    ),
                    "",
                    text_x,
                )
            } else if let Some(indent) = block {
                (
                    String::new(),
                    format!("<w:ind w:left=\"{}\" w:right=\"0\"/>", tw(indent)),
                    "<w:jc w:val=\"center\"/>",
                    x0,
                )
            } else if centre_all || is_centred(line, area, pad) {
                (String::new(), String::new(), "<w:jc w:val=\"center\"/>", x0)
            } else if x0 - pad > 0.3 {
                (
                    String::new(),
                    format!("<w:ind w:left=\"{}\"/>", tw(x0 - pad)),
                    "",
                    x0,
                )
            } else {
                (String::new(), String::new(), "", x0)
            };
            centred_open = !jc.is_empty() && block.is_none();
            write!(out, "<w:p><w:pPr>{keep}{tabs}{spacing}{ind}{jc}</w:pPr>").unwrap_or_default();
            open = Some((text_x, numbered));
        }
        for (k, run) in line.runs.iter().enumerate() {
            let mut text = match k {
                0 => run.text.clone(),
                1 if open.is_some_and(|o| o.1) => format!("\t{}", run.text),
                _ => format!(" {}", run.text),
            };
            let last = k + 1 == line.runs.len();
            if run.word_split || (last && joins[n] == Join::Split) {
                // The layout's hyphen at a broken word becomes Word's
                // non-breaking hyphen, so a reader joins the word again.
                if text.ends_with('-') {
                    text.pop();
                }
                text.push('\u{2011}');
            } else if last && joins[n] == Join::Space && text.ends_with(['/', '-']) {
                // A reader joins wrapped lines with a space, except after
                // "/" and "-": there the words' own space is kept before
                // the break (elsewhere a trailing space could wrap again in
                // LibreOffice and leave an empty line).
                text.push(' ');
            }
            let underline = block.is_some() && run.weight == Weight::Bold;
            out.push_str(&text_run(
                &text,
                run.size_pt,
                run.weight == Weight::Bold,
                underline,
            ));
        }
        cursor = line.y + lh;
        size_before = size;
    }
    if open.is_some() {
        out.push_str("</w:p>");
    }
    out
}

/// How a line joins the next: the words wrapped at a space, wrapped with
/// nothing between (after "/" or "-", or inside a word), or the words
/// themselves break the line there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Join {
    Space,
    Nothing,
    Hard,
    /// Inside a word, at a hyphen the layout added.
    Split,
}

/// Each line's join to the next, from the cell's words when known (the
/// layout keeps their characters and only adds a hyphen at a broken word),
/// else from how the line ends.
fn joins(lines: &[Line], words: Option<&str>) -> Vec<Join> {
    let text_of = |line: &Line| {
        let mut t = line
            .runs
            .iter()
            .map(|r| r.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if line.runs.last().is_some_and(|r| r.word_split) && t.ends_with('-') {
            t.pop();
        }
        t
    };
    let guess = |line: &Line| {
        let t = text_of(line);
        if line.runs.last().is_some_and(|r| r.word_split) || t.ends_with(['-', '/']) {
            Join::Nothing
        } else {
            Join::Space
        }
    };
    let Some(words) = words else {
        return lines.iter().map(guess).collect();
    };
    let source: Vec<char> = words.chars().collect();
    let mut pos = 0usize;
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let text: Vec<char> = text_of(line).chars().collect();
        while pos < source.len() && source[pos].is_whitespace() {
            pos += 1;
        }
        let at = |t: &[char], pos: usize| {
            source.len() >= pos + t.len() && source[pos..pos + t.len()] == t[..]
        };
        // A line not at the words' next place (a heading the words do not
        // hold): found further on, or guessed.
        if !at(&text, pos)
            && !text.is_empty()
            && let Some(found) = (pos..source.len()).find(|q| at(&text, *q))
        {
            pos = found;
        }
        if !at(&text, pos) {
            // A word the layout broke with a hyphen of its own.
            let cut = &text[..text.len().saturating_sub(1)];
            if text.last() == Some(&'-')
                && at(cut, pos)
                && source
                    .get(pos + cut.len())
                    .is_some_and(|c| !c.is_whitespace())
            {
                pos += cut.len();
                out.push(Join::Split);
            } else {
                out.push(guess(line));
            }
            continue;
        }
        pos += text.len();
        let gap_start = pos;
        while pos < source.len() && source[pos].is_whitespace() {
            pos += 1;
        }
        let gap = &source[gap_start..pos];
        out.push(if gap.contains(&'\n') {
            Join::Hard
        } else if gap.is_empty() {
            Join::Nothing
        } else {
            Join::Space
        });
        pos = gap_start;
    }
    out
}

/// Whether a line stands in the middle of its area rather than at its left.
fn is_centred(line: &Line, area: Rect, pad: f32) -> bool {
    let first = line.runs[0];
    let last = line.runs[line.runs.len() - 1];
    let (l, r) = (first.pos.x, last.pos.x + last.width);
    let at_left = (l - area.min.x - pad).abs() < 0.4;
    let middle = ((l + r) / 2.0 - area.center().x).abs() < 0.6;
    middle && !at_left
}

const NS: &str = "xmlns:wpc=\"http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" xmlns:m=\"http://schemas.openxmlformats.org/officeDocument/2006/math\" xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:wp14=\"http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:w10=\"urn:schemas-microsoft-com:office:word\" xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:w14=\"http://schemas.microsoft.com/office/word/2010/wordml\" xmlns:wpg=\"http://schemas.microsoft.com/office/word/2010/wordprocessingGroup\" xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"";

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"png\" ContentType=\"image/png\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/><Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/><Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/><Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/><Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/><Override PartName=\"/docProps/custom.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.custom-properties+xml\"/></Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/><Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties\" Target=\"docProps/custom.xml\"/></Relationships>";

fn document_rels(logo: bool) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/><Relationship Id=\"rIdFonts\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/><Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>",
    );
    if logo {
        s.push_str("<Relationship Id=\"rIdLogo\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/logo.png\"/>");
    }
    s.push_str("</Relationships>");
    s
}

fn styles() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"{FONT}\" w:hAnsi=\"{FONT}\" w:eastAsia=\"{FONT}\" w:cs=\"{FONT}\"/><w:color w:val=\"{}\"/><w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/><w:lang w:val=\"id-ID\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style><w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style></w:styles>",
        hex(lajur_layout::theme::INK)
    )
}

const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>";

fn font_table() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:font w:name=\"{FONT}\"><w:altName w:val=\"Arial\"/><w:charset w:val=\"00\"/><w:family w:val=\"swiss\"/><w:pitch w:val=\"variable\"/></w:font></w:fonts>"
    )
}

/// "Halaman N dari M" at the right of every page's foot, as on the PDF.
fn footer() -> String {
    let run = |t: &str| {
        format!(
            "<w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
            esc(t)
        )
    };
    let field = |code: &str| {
        format!(
            "<w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:instrText xml:space=\"preserve\"> {code} </w:instrText></w:r><w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:fldChar w:fldCharType=\"separate\"/></w:r>{}<w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:fldChar w:fldCharType=\"end\"/></w:r>",
            run("1")
        )
    };
    let words = lajur_core::locale::Text::DocPage.get(lajur_core::locale::Lang::Id);
    // "Halaman {n} dari {count}": the words around the two numbers.
    let (before, rest) = words.split_once("{n}").unwrap_or((words, ""));
    let (middle, after) = rest.split_once("{count}").unwrap_or((rest, ""));
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:p><w:pPr><w:jc w:val=\"right\"/></w:pPr>{}{}{}{}{}</w:p></w:ftr>",
        run(before),
        field("PAGE"),
        run(middle),
        field("NUMPAGES"),
        run(after)
    )
}

fn core_properties(sop: &Sop) -> String {
    let id = &sop.identity;
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator><cp:keywords>SOP AP</cp:keywords></cp:coreProperties>",
        esc(&id.name),
        esc(&id.number),
        esc(&id.unit.name)
    )
}

const APP: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>Lajur</Application></Properties>";

const CUSTOM: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"><property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"2\" name=\"Lajur\"><vt:lpwstr>SOP AP</vt:lpwstr></property></Properties>";
