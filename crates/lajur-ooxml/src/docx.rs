//! A Word document's tables read into grids, with the shapes anchored in
//! their cells: DrawingML (`wps`, the `mc:Choice`), or the VML fallback only
//! when a drawing has no DrawingML (never both).

use roxmltree::Node;

use crate::error::ImportError;
use crate::model::{Cell, Document, Paragraph, Shape, ShapeKind, Table};
use crate::package::Package;
use crate::runs::paragraph_text;
use crate::xml::{attr, child, children, find, is, num, on, parse, path};

/// EMU per twip, per point.
const EMU_TWIP: f64 = 635.0;
const EMU_PT: f64 = 12_700.0;
/// Word's default cell margin left and right (108 twips).
const CELL_MARGIN: f64 = 108.0 * EMU_TWIP;
/// A line of body text, for estimating where a paragraph starts (12 pt type).
const LINE: f64 = 13.8 * EMU_PT;
/// An average character's width at 11–12 pt, for estimating line breaks.
const CHAR: f64 = 5.5 * EMU_PT;

pub fn read(package: &mut Package) -> Result<Document, ImportError> {
    let text = package
        .text("word/document.xml")?
        .ok_or(ImportError::NotAnSop)?;
    let doc = parse(&text)?;
    let body = find(doc.root_element(), "body").ok_or(ImportError::NotAnSop)?;
    let mut out = Document {
        lajur: written_by_lajur(package)?,
        ..Document::default()
    };
    if let Some(sect) = find(body, "sectPr")
        && let Some(size) = child(sect, "pgSz")
        && let (Some(w), Some(h)) = (num(size, "w"), num(size, "h"))
    {
        out.page_mm = Some(((w / 56.692) as f32, (h / 56.692) as f32));
    }
    // Tables in body order, outermost only; the paragraphs after each.
    for n in body.descendants() {
        if is(n, "tbl") && !n.ancestors().skip(1).any(|a| is(a, "tbl")) {
            let k = out.tables.len();
            out.tables.push(table(n, k, out.lajur));
        } else if is(n, "p")
            && !n
                .ancestors()
                .skip(1)
                .any(|a| is(a, "tbl") || is(a, "txbxContent"))
            && let Some(last) = out.tables.last_mut()
        {
            let text = paragraph_text(n).trim().to_string();
            if !text.is_empty() {
                last.after.push(text);
            }
        }
    }
    Ok(out)
}

/// A paragraph of Lajur's own file with the lines it wrapped joined again:
/// a break is a space, except after a space, "/" or "-" (the words had
/// none there, or kept theirs) and after a non-breaking hyphen, which marks
/// a word broken in two.
fn unwrap_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut broken_word = false;
    for c in text.chars() {
        match c {
            '\u{2011}' => broken_word = true,
            '\n' => {
                if !broken_word && !out.is_empty() && !out.ends_with([' ', '/', '-']) {
                    out.push(' ');
                }
                broken_word = false;
            }
            c => {
                if broken_word {
                    // A non-breaking hyphen not at a line's end is a hyphen.
                    out.push('-');
                    broken_word = false;
                }
                out.push(c);
            }
        }
    }
    out
}

/// Whether the file carries Lajur's mark in its custom properties.
fn written_by_lajur(package: &mut Package) -> Result<bool, ImportError> {
    let Some(text) = package.text("docProps/custom.xml")? else {
        return Ok(false);
    };
    let doc = parse(&text)?;
    Ok(doc
        .descendants()
        .any(|n| is(n, "property") && attr(n, "name") == Some(crate::write::PROPERTY)))
}

fn table(tbl: Node<'_, '_>, index: usize, lajur: bool) -> Table {
    let widths: Vec<f64> = path(tbl, &["tblGrid"])
        .map(|g| {
            children(g, "gridCol")
                .map(|c| num(c, "w").unwrap_or(0.0) * EMU_TWIP)
                .collect()
        })
        .unwrap_or_default();
    let mut col_edges = vec![0.0];
    for w in &widths {
        let last = col_edges.last().copied().unwrap_or(0.0);
        col_edges.push(last + w);
    }
    let margin = path(tbl, &["tblPr", "tblCellMar", "left"])
        .and_then(|m| num(m, "w"))
        .map_or(CELL_MARGIN, |w| w * EMU_TWIP);
    let mut t = Table {
        part: lajur_core::sop::problem::ImportPart::Table(index + 1),
        y_estimated: true,
        col_edges: col_edges.clone(),
        ..Table::default()
    };
    let rows: Vec<Node> = children(tbl, "tr").collect();
    // Open vertical merges: grid column → cell index.
    let mut open: Vec<Option<usize>> = vec![None; widths.len().max(1)];
    let mut heights: Vec<f64> = Vec::with_capacity(rows.len());
    let mut header_open = true;
    // Anchors found, placed once the rows' heights are known: (cell index,
    // paragraph index, anchor node).
    let mut anchors: Vec<(usize, usize, Node)> = Vec::new();
    // A cell's own left margin, where it sets one (Lajur's lane cells: none).
    let mut own_margin: Vec<Option<f64>> = Vec::new();
    let mut all_exact = !rows.is_empty();
    for (r, tr) in rows.iter().enumerate() {
        let tr_pr = child(*tr, "trPr");
        let header = on(tr_pr.and_then(|p| child(p, "tblHeader")));
        if header && header_open {
            t.header_rows += 1;
        } else {
            header_open = false;
        }
        let mut col = tr_pr
            .and_then(|p| child(p, "gridBefore"))
            .and_then(|g| num(g, "val"))
            .map_or(0, |v| v as usize);
        let mut line = vec![None; col];
        let tr_height = tr_pr.and_then(|p| child(p, "trHeight"));
        let min_h = tr_height.and_then(|h| num(h, "val")).unwrap_or(0.0) * EMU_TWIP;
        // An exact height is the row's height, whatever its words.
        let exact = tr_height.is_some_and(|h| attr(h, "hRule") == Some("exact"));
        all_exact &= exact;
        let mut row_h = min_h;
        for tc in children(*tr, "tc") {
            let pr = child(tc, "tcPr");
            let span = pr
                .and_then(|p| child(p, "gridSpan"))
                .and_then(|g| num(g, "val"))
                .map_or(1, |v| (v as usize).max(1));
            let vmerge = pr.and_then(|p| child(p, "vMerge"));
            let continues = vmerge.is_some_and(|v| attr(v, "val").is_none_or(|x| x == "continue"));
            let index = match (continues, open.get(col).copied().flatten()) {
                (true, Some(i)) => {
                    t.cells[i].row_span = r + 1 - t.cells[i].row;
                    i
                }
                _ => {
                    let paragraphs = paragraphs(tc, lajur);
                    own_margin.push(
                        pr.and_then(|p| child(p, "tcMar"))
                            .and_then(|m| child(m, "left").or_else(|| child(m, "start")))
                            .and_then(|m| num(m, "w"))
                            .map(|w| w * EMU_TWIP),
                    );
                    let width = col_edges.get(col + span).copied().unwrap_or(0.0)
                        - col_edges.get(col).copied().unwrap_or(0.0);
                    let lines: f64 = paragraphs
                        .iter()
                        .map(|p| {
                            (p.text.chars().count() as f64 * CHAR / width.max(CHAR))
                                .ceil()
                                .max(1.0)
                        })
                        .sum();
                    if !exact {
                        row_h = row_h.max(lines * LINE);
                    }
                    t.cells.push(Cell {
                        row: r,
                        col,
                        row_span: 1,
                        col_span: span,
                        paragraphs,
                    });
                    let i = t.cells.len() - 1;
                    for (p, para) in children(tc, "p").enumerate() {
                        for a in drawing_anchors(para) {
                            anchors.push((i, p, a));
                        }
                    }
                    i
                }
            };
            for c in col..col + span {
                if c >= open.len() {
                    open.resize(c + 1, None);
                }
                open[c] = if vmerge.is_some() { Some(index) } else { None };
                line.push(Some(index));
            }
            col += span;
        }
        t.grid.push(line);
        heights.push(if exact { row_h } else { row_h.max(LINE) });
    }
    let mut row_edges = vec![0.0];
    for h in &heights {
        let last = row_edges.last().copied().unwrap_or(0.0);
        row_edges.push(last + h);
    }
    t.row_edges = row_edges;
    t.y_estimated = !all_exact;
    for (cell, p, anchor) in anchors {
        let c = &t.cells[cell];
        let origin_x = t.col_edges.get(c.col).copied().unwrap_or(0.0)
            + own_margin.get(cell).copied().flatten().unwrap_or(margin);
        // A paragraph's top: the cell's top and the lines before it.
        let before: f64 = c.paragraphs.iter().take(p).count() as f64 * LINE;
        let origin_y = t.row_edges.get(c.row).copied().unwrap_or(0.0) + before;
        let (row, col) = (c.row, c.col);
        t.shapes
            .extend(shapes(anchor, (origin_x, origin_y), (row, col)));
    }
    t
}

/// The paragraphs of a cell, their words without those of text boxes. In
/// Lajur's own files a break inside a paragraph is where the text wrapped
/// (the space, if any, is kept before it), and a non-breaking hyphen ends a
/// word broken there: both go, the words join again.
fn paragraphs(tc: Node<'_, '_>, lajur: bool) -> Vec<Paragraph> {
    children(tc, "p")
        .chain(
            // Content controls wrap paragraphs in some templates.
            children(tc, "sdt").flat_map(|s| {
                child(s, "sdtContent")
                    .into_iter()
                    .flat_map(|c| children(c, "p"))
            }),
        )
        .map(|p| {
            let text = paragraph_text(p);
            let text = if lajur {
                unwrap_lines(&text)
            } else {
                text.replace('\u{2011}', "-")
            };
            Paragraph {
                text,
                numbered: path(p, &["pPr", "numPr"]).is_some(),
            }
        })
        .collect()
}

/// The drawings of a paragraph to read: each `mc:AlternateContent`'s
/// DrawingML choice (its VML fallback never), a plain `w:drawing`, or a VML
/// `w:pict` that has no DrawingML beside it.
fn drawing_anchors<'a, 'i>(p: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    let mut out = Vec::new();
    for run in p.descendants().filter(|n| is(*n, "r")) {
        for item in run.children().filter(Node::is_element) {
            match item.tag_name().name() {
                "AlternateContent" => {
                    let choice = children(item, "Choice").find(|c| find(*c, "drawing").is_some());
                    match choice {
                        Some(c) => out.extend(find(c, "drawing")),
                        None => {
                            out.extend(children(item, "Fallback").filter_map(|f| find(f, "pict")))
                        }
                    }
                }
                "drawing" | "pict" => out.push(item),
                _ => {}
            }
        }
    }
    out
}

/// The shapes of one drawing (a group gives several), placed in the table.
fn shapes(drawing: Node<'_, '_>, origin: (f64, f64), cell: (usize, usize)) -> Vec<Shape> {
    if is(drawing, "pict") {
        return crate::vml::shapes(drawing, origin, cell);
    }
    let mut out = Vec::new();
    let Some(anchor) = drawing
        .children()
        .find(|c| is(*c, "anchor") || is(*c, "inline"))
    else {
        return out;
    };
    let (x, y) = if is(anchor, "inline") {
        origin
    } else {
        let offset = |axis: &str| {
            child(anchor, axis)
                .and_then(|p| child(p, "posOffset"))
                .and_then(|o| o.text())
                .and_then(|t| t.trim().parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        (
            origin.0 + offset("positionH"),
            origin.1 + offset("positionV"),
        )
    };
    let extent = child(anchor, "extent");
    let (cx, cy) = (
        extent.and_then(|e| num(e, "cx")).unwrap_or(0.0),
        extent.and_then(|e| num(e, "cy")).unwrap_or(0.0),
    );
    let doc_pr = child(anchor, "docPr");
    let order = doc_pr.and_then(|d| num(d, "id")).map(|n| n as u32);
    let name = doc_pr
        .and_then(|d| attr(d, "name"))
        .unwrap_or_default()
        .to_string();
    let descr = doc_pr.and_then(|d| attr(d, "descr")).unwrap_or_default();
    let Some(data) = find(anchor, "graphicData") else {
        return out;
    };
    let frame = (x, y, cx, cy);
    for item in data.children().filter(Node::is_element) {
        match item.tag_name().name() {
            "wsp" => out.extend(wsp(item, frame, order, cell, &name, descr)),
            "wgp" => group(item, frame, cell, &mut out),
            "pic" => out.push(plain(ShapeKind::Other, frame, cell, &name)),
            _ => {}
        }
    }
    out
}

/// A group's shapes: each child's box maps from the group's child space.
fn group(g: Node<'_, '_>, frame: (f64, f64, f64, f64), cell: (usize, usize), out: &mut Vec<Shape>) {
    let xfrm = path(g, &["grpSpPr", "xfrm"]);
    let ch_off = xfrm.and_then(|x| child(x, "chOff"));
    let ch_ext = xfrm.and_then(|x| child(x, "chExt"));
    let (ox, oy) = (
        ch_off.and_then(|o| num(o, "x")).unwrap_or(0.0),
        ch_off.and_then(|o| num(o, "y")).unwrap_or(0.0),
    );
    let (ex, ey) = (
        ch_ext
            .and_then(|e| num(e, "cx"))
            .unwrap_or(frame.2)
            .max(1.0),
        ch_ext
            .and_then(|e| num(e, "cy"))
            .unwrap_or(frame.3)
            .max(1.0),
    );
    let (sx, sy) = (frame.2 / ex, frame.3 / ey);
    for item in g.children().filter(Node::is_element) {
        let own = path(item, &["spPr", "xfrm"]).or_else(|| path(item, &["grpSpPr", "xfrm"]));
        let off = own.and_then(|x| child(x, "off"));
        let ext = own.and_then(|x| child(x, "ext"));
        let sub = (
            frame.0 + (off.and_then(|o| num(o, "x")).unwrap_or(0.0) - ox) * sx,
            frame.1 + (off.and_then(|o| num(o, "y")).unwrap_or(0.0) - oy) * sy,
            ext.and_then(|e| num(e, "cx")).unwrap_or(0.0) * sx,
            ext.and_then(|e| num(e, "cy")).unwrap_or(0.0) * sy,
        );
        let name = child(item, "cNvPr")
            .or_else(|| path(item, &["nvSpPr", "cNvPr"]))
            .and_then(|c| attr(c, "name"))
            .unwrap_or_default()
            .to_string();
        match item.tag_name().name() {
            "wsp" => out.extend(wsp(item, sub, None, cell, &name, "")),
            "grpSp" | "wgp" => group(item, sub, cell, out),
            "pic" => out.push(plain(ShapeKind::Other, sub, cell, &name)),
            _ => {}
        }
    }
}

fn plain(
    kind: ShapeKind,
    (x, y, cx, cy): (f64, f64, f64, f64),
    cell: (usize, usize),
    name: &str,
) -> Shape {
    Shape {
        kind,
        id: None,
        name: name.to_string(),
        text: String::new(),
        alt: String::new(),
        bbox: (x, y, x + cx, y + cy),
        cell: Some(cell),
        start: (x, y),
        end: (x + cx, y + cy),
        glued_start: None,
        glued_end: None,
        head_at_start: false,
        dashed: false,
        invisible: false,
    }
}

/// A Word shape (`wps:wsp`): its geometry says what it is.
fn wsp(
    s: Node<'_, '_>,
    (x, y, cx, cy): (f64, f64, f64, f64),
    id: Option<u32>,
    cell: (usize, usize),
    name: &str,
    descr: &str,
) -> Option<Shape> {
    let sp_pr = child(s, "spPr");
    let geom = sp_pr
        .and_then(|p| child(p, "prstGeom"))
        .and_then(|g| attr(g, "prst"))
        .unwrap_or("");
    let custom = sp_pr.and_then(|p| child(p, "custGeom")).is_some();
    let connector = child(s, "cNvCnPr").is_some();
    let text_box = child(s, "cNvSpPr").is_some_and(|c| attr(c, "txBox") == Some("1"));
    let text: String = crate::runs::text_box_text(s);
    let kind = if connector
        // "bentConnector3" and the like are lines; the flowchart's own
        // connectors ("flowChartOffpageConnector") are symbols.
        || (geom.contains("Connector") && !geom.starts_with("flowChart"))
        || geom == "line"
        || (custom && line_only(sp_pr))
    {
        ShapeKind::Connector
    } else if text_box || geom == "textNoShape" {
        ShapeKind::Label
    } else {
        kind_of(geom).unwrap_or(if custom {
            ShapeKind::Other
        } else {
            ShapeKind::Process
        })
    };
    let xfrm = sp_pr.and_then(|p| child(p, "xfrm"));
    let flip_h = xfrm.is_some_and(|x| attr(x, "flipH") == Some("1"));
    let flip_v = xfrm.is_some_and(|x| attr(x, "flipV") == Some("1"));
    let ln = sp_pr.and_then(|p| child(p, "ln"));
    let head = ln
        .and_then(|l| child(l, "headEnd"))
        .and_then(|h| attr(h, "type"))
        .is_some_and(|t| t != "none");
    let tail = ln
        .and_then(|l| child(l, "tailEnd"))
        .and_then(|h| attr(h, "type"))
        .is_some_and(|t| t != "none");
    let dashed = ln
        .and_then(|l| child(l, "prstDash"))
        .and_then(|d| attr(d, "val"))
        .is_some_and(|v| v != "solid");
    let no_fill = sp_pr.and_then(|p| child(p, "noFill")).is_some();
    let no_line = ln.and_then(|l| child(l, "noFill")).is_some();
    // A custom path (Lajur draws a route as one): its first and last points.
    let (start, end) = custom_ends(sp_pr, (x, y, cx, cy)).unwrap_or_else(|| {
        let rotation = crate::model::rotation_degrees(xfrm.and_then(|x| attr(x, "rot")));
        crate::model::line_ends(
            (x + cx / 2.0, y + cy / 2.0),
            (cx / 2.0, cy / 2.0),
            flip_h,
            flip_v,
            rotation,
        )
    });
    let mut shape = plain(kind, (x, y, cx, cy), cell, name);
    shape.id = id;
    shape.text = text;
    shape.start = start;
    shape.end = end;
    shape.head_at_start = head && !tail;
    shape.dashed = dashed;
    shape.invisible = no_fill && no_line && shape.text.is_empty();
    shape.alt = descr.to_string();
    if !descr.is_empty() && shape.name.is_empty() {
        shape.name = descr.to_string();
    }
    Some(shape)
}

/// Whether a custom geometry is only a line (no closed path, no fill).
fn line_only(sp_pr: Option<Node<'_, '_>>) -> bool {
    let Some(path) = sp_pr.and_then(|p| find(p, "path")) else {
        return false;
    };
    attr(path, "fill") == Some("none") && find(path, "close").is_none()
}

/// The first and last points of a custom geometry's path, in the table.
fn custom_ends(
    sp_pr: Option<Node<'_, '_>>,
    (x, y, cx, cy): (f64, f64, f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    let path = sp_pr.and_then(|p| find(p, "path"))?;
    let (w, h) = (
        num(path, "w").unwrap_or(cx).max(1.0),
        num(path, "h").unwrap_or(cy).max(1.0),
    );
    let points: Vec<(f64, f64)> = path
        .descendants()
        .filter(|n| is(*n, "pt"))
        .filter_map(|p| Some((num(p, "x")?, num(p, "y")?)))
        .collect();
    let map = |(px, py): (f64, f64)| (x + px * cx / w, y + py * cy / h);
    Some((map(*points.first()?), map(*points.last()?)))
}

/// What a preset geometry draws, for a flowchart.
pub(crate) fn kind_of(geom: &str) -> Option<ShapeKind> {
    Some(match geom {
        "flowChartTerminator" | "roundRect" | "ellipse" | "flowChartAlternateProcess" => {
            ShapeKind::Terminator
        }
        "rect"
        | "flowChartProcess"
        | "flowChartPredefinedProcess"
        | "flowChartDocument"
        | "flowChartInputOutput"
        | "parallelogram"
        | "snip1Rect" => ShapeKind::Process,
        "diamond" | "flowChartDecision" => ShapeKind::Decision,
        "homePlate" | "flowChartOffpageConnector" | "pentagon" => ShapeKind::OffPage,
        "line" | "straightConnector1" | "bentConnector2" | "bentConnector3" | "bentConnector4"
        | "bentConnector5" | "curvedConnector3" | "rightArrow" | "downArrow" | "leftArrow"
        | "upArrow" => ShapeKind::Connector,
        "textNoShape" => ShapeKind::Label,
        _ => return None,
    })
}
