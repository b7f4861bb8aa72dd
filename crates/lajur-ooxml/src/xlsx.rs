//! An Excel workbook's sheets read as tables (merged cells expanded), with
//! the shapes of each sheet's drawing placed by their anchors: a shape's
//! cell is the one under its centre, and Excel glues connectors to shape
//! ids (`stCxn`/`endCxn`).

use std::collections::HashMap;

use roxmltree::Node;

use crate::error::ImportError;
use crate::model::{Cell, Document, Paragraph, Shape, ShapeKind, Table};
use crate::package::Package;
use crate::xml::{attr, child, children, find, num, parse, path};

const EMU_PX: f64 = 9_525.0;
const EMU_PT: f64 = 12_700.0;
/// Most rows and columns of a sheet read (an SOP has a few dozen).
const MAX_ROWS: usize = 2_000;
const MAX_COLS: usize = 200;

pub fn read(package: &mut Package) -> Result<Document, ImportError> {
    let workbook = package
        .text("xl/workbook.xml")?
        .ok_or(ImportError::NotAnSop)?;
    let rels = package
        .text("xl/_rels/workbook.xml.rels")?
        .unwrap_or_default();
    let strings = match package.text("xl/sharedStrings.xml")? {
        Some(text) => shared_strings(&text)?,
        None => Vec::new(),
    };
    let targets = relationships(&rels, "xl/")?;
    let wb = parse(&workbook)?;
    let mut out = Document::default();
    let sheets: Vec<(String, String)> = find(wb.root_element(), "sheets")
        .map(|s| {
            children(s, "sheet")
                .filter_map(|sh| {
                    let name = attr(sh, "name")?.to_string();
                    let rid = attr(sh, "id")?;
                    Some((name, targets.get(rid)?.clone()))
                })
                .collect()
        })
        .unwrap_or_default();
    for (name, part) in sheets {
        let Some(text) = package.text(&part)? else {
            continue;
        };
        let mut table = sheet(&text, &strings, &name)?;
        // The sheet's drawing, through the sheet's own relationships.
        let (dir, file) = part.rsplit_once('/').unwrap_or(("", part.as_str()));
        let rels_name = format!("{dir}/_rels/{file}.rels");
        if let Some(rels) = package.text(&rels_name)? {
            let sheet_targets = relationships(&rels, &format!("{dir}/"))?;
            for target in sheet_targets.values().filter(|t| t.contains("drawings/")) {
                if let Some(drawing) = package.text(target)? {
                    table.shapes.extend(drawing_shapes(&drawing, &table)?);
                }
            }
        }
        out.tables.push(table);
    }
    Ok(out)
}

/// A relationships part: id → target path, resolved from `base`.
fn relationships(text: &str, base: &str) -> Result<HashMap<String, String>, ImportError> {
    let mut out = HashMap::new();
    if text.trim().is_empty() {
        return Ok(out);
    }
    let doc = parse(text)?;
    for r in doc.root_element().children().filter(|n| n.is_element()) {
        let (Some(id), Some(target)) = (attr(r, "Id"), attr(r, "Target")) else {
            continue;
        };
        out.insert(id.to_string(), resolve(base, target));
    }
    Ok(out)
}

/// `../drawings/drawing1.xml` from `xl/worksheets/` is `xl/drawings/drawing1.xml`.
fn resolve(base: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for piece in target.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn shared_strings(text: &str) -> Result<Vec<String>, ImportError> {
    let doc = parse(text)?;
    Ok(children(doc.root_element(), "si")
        .map(|si| {
            // Plain text, or rich text runs; phonetic runs left out.
            si.descendants()
                .filter(|n| n.is_element() && n.tag_name().name() == "t")
                .filter(|t| !t.ancestors().any(|a| a.tag_name().name() == "rPh"))
                .filter_map(|t| t.text())
                .collect::<String>()
        })
        .collect())
}

/// "BC12" as (row, col), 0-based.
fn cell_ref(r: &str) -> Option<(usize, usize)> {
    let letters: String = r.chars().take_while(char::is_ascii_alphabetic).collect();
    let digits = &r[letters.len()..];
    let mut col = 0usize;
    for c in letters.chars() {
        col = col * 26 + (c.to_ascii_uppercase() as usize - 'A' as usize + 1);
    }
    let row: usize = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

/// A column's width in characters as Excel draws it, in EMU.
fn width_emu(chars: f64) -> f64 {
    // Calibri 11's widest digit is 7 px.
    let px = ((256.0 * chars + (128.0f64 / 7.0).trunc()) / 256.0 * 7.0).trunc();
    px * EMU_PX
}

fn sheet(text: &str, strings: &[String], name: &str) -> Result<Table, ImportError> {
    let doc = parse(text)?;
    let root = doc.root_element();
    let mut values: HashMap<(usize, usize), String> = HashMap::new();
    let mut heights: HashMap<usize, f64> = HashMap::new();
    let (mut rows, mut cols) = (0usize, 0usize);
    let format = child(root, "sheetFormatPr");
    let default_h = format
        .and_then(|f| num(f, "defaultRowHeight"))
        .unwrap_or(15.0);
    let default_w = format
        .and_then(|f| num(f, "defaultColWidth"))
        .or_else(|| {
            format
                .and_then(|f| num(f, "baseColWidth"))
                .map(|b| b + 0.71)
        })
        .unwrap_or(8.43);
    if let Some(data) = child(root, "sheetData") {
        for row in children(data, "row") {
            let r = attr(row, "r")
                .and_then(|r| r.parse::<usize>().ok())
                .map(|r| r.saturating_sub(1));
            if let (Some(r), Some(h)) = (r, num(row, "ht")) {
                heights.insert(r, h);
            }
            for c in children(row, "c") {
                let Some((cr, cc)) = attr(c, "r").and_then(cell_ref) else {
                    continue;
                };
                if cr >= MAX_ROWS || cc >= MAX_COLS {
                    continue;
                }
                let raw = child(c, "v").and_then(|v| v.text()).unwrap_or("");
                let value = match attr(c, "t") {
                    Some("s") => raw
                        .trim()
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| strings.get(i))
                        .cloned()
                        .unwrap_or_default(),
                    Some("inlineStr") => find(c, "is")
                        .map(|is| {
                            is.descendants()
                                .filter(|n| n.tag_name().name() == "t")
                                .filter_map(|t| t.text())
                                .collect()
                        })
                        .unwrap_or_default(),
                    Some("b") => {
                        if raw == "1" {
                            "TRUE".into()
                        } else {
                            "FALSE".into()
                        }
                    }
                    _ => raw.to_string(),
                };
                if !value.trim().is_empty() {
                    rows = rows.max(cr + 1);
                    cols = cols.max(cc + 1);
                    values.insert((cr, cc), value);
                }
            }
        }
    }
    let merges: Vec<((usize, usize), (usize, usize))> = child(root, "mergeCells")
        .map(|m| {
            children(m, "mergeCell")
                .filter_map(|mc| {
                    let (a, b) = attr(mc, "ref")?.split_once(':')?;
                    Some((cell_ref(a)?, cell_ref(b)?))
                })
                .filter(|((r0, c0), (r1, c1))| {
                    r1 < &MAX_ROWS && c1 < &MAX_COLS && r0 <= r1 && c0 <= c1
                })
                .collect()
        })
        .unwrap_or_default();
    for ((_, _), (r1, c1)) in &merges {
        rows = rows.max(r1 + 1);
        cols = cols.max(c1 + 1);
    }
    // Column widths (by `min`..`max`, 1-based).
    let mut widths = vec![width_emu(default_w); cols.max(1) + 8];
    if let Some(cs) = child(root, "cols") {
        for c in children(cs, "col") {
            let (Some(min), Some(max)) = (num(c, "min"), num(c, "max")) else {
                continue;
            };
            let w = num(c, "width").unwrap_or(default_w);
            let hidden = attr(c, "hidden") == Some("1");
            for k in (min as usize).max(1)..=(max as usize).min(widths.len()) {
                widths[k - 1] = if hidden { 0.0 } else { width_emu(w) };
            }
        }
    }
    let mut t = Table {
        part: lajur_core::sop::problem::ImportPart::Sheet(name.to_string()),
        cell_is_one_text: true,
        ..Table::default()
    };
    let total_rows = rows + 4;
    t.col_edges = std::iter::once(0.0)
        .chain(widths.iter().scan(0.0, |acc, w| {
            *acc += w;
            Some(*acc)
        }))
        .collect();
    t.row_edges = std::iter::once(0.0)
        .chain((0..total_rows).scan(0.0, |acc, r| {
            *acc += heights.get(&r).copied().unwrap_or(default_h) * EMU_PT;
            Some(*acc)
        }))
        .collect();
    t.grid = vec![vec![None; cols]; rows];
    for ((r0, c0), (r1, c1)) in &merges {
        let text = values.remove(&(*r0, *c0)).unwrap_or_default();
        t.cells.push(Cell {
            row: *r0,
            col: *c0,
            row_span: r1 - r0 + 1,
            col_span: c1 - c0 + 1,
            paragraphs: split(&text),
        });
        let i = t.cells.len() - 1;
        for r in *r0..=*r1 {
            for c in *c0..=*c1 {
                if let Some(slot) = t.grid.get_mut(r).and_then(|row| row.get_mut(c)) {
                    *slot = Some(i);
                }
            }
        }
    }
    let mut rest: Vec<((usize, usize), String)> = values.into_iter().collect();
    rest.sort();
    for ((r, c), text) in rest {
        if t.grid
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .flatten()
            .is_some()
        {
            continue; // text under a merge, not shown by Excel
        }
        t.cells.push(Cell {
            row: r,
            col: c,
            row_span: 1,
            col_span: 1,
            paragraphs: split(&text),
        });
        let i = t.cells.len() - 1;
        if let Some(slot) = t.grid.get_mut(r).and_then(|row| row.get_mut(c)) {
            *slot = Some(i);
        }
    }
    // Every grid position has a cell (an empty one where nothing is).
    for r in 0..rows {
        for c in 0..cols {
            if t.grid[r][c].is_none() {
                t.cells.push(Cell {
                    row: r,
                    col: c,
                    row_span: 1,
                    col_span: 1,
                    paragraphs: Vec::new(),
                });
                t.grid[r][c] = Some(t.cells.len() - 1);
            }
        }
    }
    // In reading order, the grid re-pointed.
    t.cells.sort_by_key(|c| (c.row, c.col));
    let mut grid = vec![vec![None; cols]; rows];
    for (i, cell) in t.cells.iter().enumerate() {
        for r in cell.row..cell.row + cell.row_span {
            for c in cell.col..cell.col + cell.col_span {
                if let Some(slot) = grid
                    .get_mut(r)
                    .and_then(|row: &mut Vec<Option<usize>>| row.get_mut(c))
                {
                    *slot = Some(i);
                }
            }
        }
    }
    t.grid = grid;
    Ok(t)
}

fn split(text: &str) -> Vec<Paragraph> {
    text.split('\n')
        .map(|l| Paragraph {
            text: l.to_string(),
            numbered: false,
        })
        .collect()
}

/// An anchor's point: its cell (0-based) and the offset into it, in EMU.
fn anchor_point(node: Node<'_, '_>, table: &Table) -> Option<(f64, f64)> {
    let get = |name: &str| {
        child(node, name)
            .and_then(|n| n.text())
            .and_then(|t| t.trim().parse::<f64>().ok())
    };
    let (col, col_off, row, row_off) = (get("col")?, get("colOff")?, get("row")?, get("rowOff")?);
    let x = table.col_edges.get(col as usize).copied().unwrap_or(0.0) + col_off;
    let y = table.row_edges.get(row as usize).copied().unwrap_or(0.0) + row_off;
    Some((x, y))
}

fn drawing_shapes(text: &str, table: &Table) -> Result<Vec<Shape>, ImportError> {
    let doc = parse(text)?;
    let mut out = Vec::new();
    for anchor in doc.root_element().children().filter(|n| n.is_element()) {
        let (l, t, r, b) = match anchor.tag_name().name() {
            "twoCellAnchor" => {
                let (Some(a), Some(z)) = (
                    child(anchor, "from").and_then(|f| anchor_point(f, table)),
                    child(anchor, "to").and_then(|f| anchor_point(f, table)),
                ) else {
                    continue;
                };
                (a.0, a.1, z.0, z.1)
            }
            "oneCellAnchor" => {
                let Some(a) = child(anchor, "from").and_then(|f| anchor_point(f, table)) else {
                    continue;
                };
                let ext = child(anchor, "ext");
                (
                    a.0,
                    a.1,
                    a.0 + ext.and_then(|e| num(e, "cx")).unwrap_or(0.0),
                    a.1 + ext.and_then(|e| num(e, "cy")).unwrap_or(0.0),
                )
            }
            "absoluteAnchor" => {
                let pos = child(anchor, "pos");
                let ext = child(anchor, "ext");
                let (x, y) = (
                    pos.and_then(|p| num(p, "x")).unwrap_or(0.0),
                    pos.and_then(|p| num(p, "y")).unwrap_or(0.0),
                );
                (
                    x,
                    y,
                    x + ext.and_then(|e| num(e, "cx")).unwrap_or(0.0),
                    y + ext.and_then(|e| num(e, "cy")).unwrap_or(0.0),
                )
            }
            _ => continue,
        };
        for item in anchor.children().filter(|n| n.is_element()) {
            item_shapes(item, (l, t, r, b), table, &mut out);
        }
    }
    Ok(out)
}

/// One anchored item (a shape, a connector, a group of them).
fn item_shapes(
    item: Node<'_, '_>,
    bbox: (f64, f64, f64, f64),
    table: &Table,
    out: &mut Vec<Shape>,
) {
    let tag = item.tag_name().name();
    match tag {
        "sp" | "cxnSp" | "pic" => {}
        "grpSp" => {
            // Children's boxes map from the group's child space to its box.
            let xfrm = path(item, &["grpSpPr", "xfrm"]);
            let (ox, oy) = (
                xfrm.and_then(|x| child(x, "chOff"))
                    .and_then(|o| num(o, "x"))
                    .unwrap_or(0.0),
                xfrm.and_then(|x| child(x, "chOff"))
                    .and_then(|o| num(o, "y"))
                    .unwrap_or(0.0),
            );
            let (ex, ey) = (
                xfrm.and_then(|x| child(x, "chExt"))
                    .and_then(|o| num(o, "cx"))
                    .unwrap_or(1.0)
                    .max(1.0),
                xfrm.and_then(|x| child(x, "chExt"))
                    .and_then(|o| num(o, "cy"))
                    .unwrap_or(1.0)
                    .max(1.0),
            );
            let (sx, sy) = ((bbox.2 - bbox.0) / ex, (bbox.3 - bbox.1) / ey);
            for c in item.children().filter(|n| n.is_element()) {
                let own = path(c, &["spPr", "xfrm"]).or_else(|| path(c, &["grpSpPr", "xfrm"]));
                let off = own.and_then(|x| child(x, "off"));
                let ext = own.and_then(|x| child(x, "ext"));
                let l = bbox.0 + (off.and_then(|o| num(o, "x")).unwrap_or(0.0) - ox) * sx;
                let t = bbox.1 + (off.and_then(|o| num(o, "y")).unwrap_or(0.0) - oy) * sy;
                let r = l + ext.and_then(|e| num(e, "cx")).unwrap_or(0.0) * sx;
                let b = t + ext.and_then(|e| num(e, "cy")).unwrap_or(0.0) * sy;
                item_shapes(c, (l, t, r, b), table, out);
            }
            return;
        }
        _ => return,
    }
    let c_nv = find(item, "cNvPr");
    let id = c_nv.and_then(|c| num(c, "id")).map(|v| v as u32);
    let name = c_nv.and_then(|c| attr(c, "name")).unwrap_or("").to_string();
    let sp_pr = child(item, "spPr");
    let geom = sp_pr
        .and_then(|p| child(p, "prstGeom"))
        .and_then(|g| attr(g, "prst"))
        .unwrap_or("");
    let text_box = find(item, "cNvSpPr").is_some_and(|c| attr(c, "txBox") == Some("1"));
    let text = find(item, "txBody")
        .map(|body| {
            children(body, "p")
                .map(|p| {
                    p.descendants()
                        .filter(|n| n.is_element() && n.tag_name().name() == "t")
                        .filter_map(|t| t.text())
                        .collect::<String>()
                })
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();
    let kind = if tag == "cxnSp" {
        ShapeKind::Connector
    } else if tag == "pic" {
        ShapeKind::Other
    } else if text_box {
        ShapeKind::Label
    } else {
        crate::docx::kind_of(geom).unwrap_or(ShapeKind::Other)
    };
    let xfrm = sp_pr.and_then(|p| child(p, "xfrm"));
    let flip_h = xfrm.is_some_and(|x| attr(x, "flipH") == Some("1"));
    let flip_v = xfrm.is_some_and(|x| attr(x, "flipV") == Some("1"));
    let rotation = crate::model::rotation_degrees(xfrm.and_then(|x| attr(x, "rot")));
    let centre = ((bbox.0 + bbox.2) / 2.0, (bbox.1 + bbox.3) / 2.0);
    let (w, h) = ((bbox.2 - bbox.0).abs() / 2.0, (bbox.3 - bbox.1).abs() / 2.0);
    // The anchor is the box as seen; a box turned on its side was drawn
    // with its width and height the other way round.
    let half = if crate::model::on_its_side(rotation) {
        (h, w)
    } else {
        (w, h)
    };
    let (start, end) = crate::model::line_ends(centre, half, flip_h, flip_v, rotation);
    let glue = |name: &str| {
        find(item, name)
            .and_then(|g| num(g, "id"))
            .map(|v| v as u32)
    };
    let ln = sp_pr.and_then(|p| child(p, "ln"));
    let head = ln
        .and_then(|l| child(l, "headEnd"))
        .and_then(|h| attr(h, "type"))
        .is_some_and(|t| t != "none");
    let tail = ln
        .and_then(|l| child(l, "tailEnd"))
        .and_then(|h| attr(h, "type"))
        .is_some_and(|t| t != "none");
    let no_fill = sp_pr.and_then(|p| child(p, "noFill")).is_some();
    let no_line = ln.and_then(|l| child(l, "noFill")).is_some();
    let cell = match (table.row_of(centre.1), table.col_of(centre.0)) {
        (Some(r), Some(c)) => Some((r, c)),
        _ => None,
    };
    out.push(Shape {
        alt: String::new(),
        kind,
        id,
        name,
        text: text.clone(),
        bbox: (
            bbox.0.min(bbox.2),
            bbox.1.min(bbox.3),
            bbox.0.max(bbox.2),
            bbox.1.max(bbox.3),
        ),
        cell,
        start,
        end,
        glued_start: glue("stCxn"),
        glued_end: glue("endCxn"),
        head_at_start: head && !tail,
        dashed: ln
            .and_then(|l| child(l, "prstDash"))
            .and_then(|d| attr(d, "val"))
            .is_some_and(|v| v != "solid"),
        invisible: no_fill && no_line && text.is_empty(),
    });
}
