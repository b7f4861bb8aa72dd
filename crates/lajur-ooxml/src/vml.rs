//! VML, the older drawing language Word still writes as a fallback (and
//! some old documents hold only): read only where a drawing has no
//! DrawingML. Positions come from the CSS-like `style` in points.

use roxmltree::Node;

use crate::model::{Shape, ShapeKind};
use crate::xml::{attr, child, find};

const EMU_PT: f64 = 12_700.0;

/// The shapes of a `w:pict`.
pub fn shapes(pict: Node<'_, '_>, origin: (f64, f64), cell: (usize, usize)) -> Vec<Shape> {
    let mut out = Vec::new();
    for n in pict.descendants().filter(|n| n.is_element()) {
        let tag = n.tag_name().name();
        let kind = match tag {
            "rect" => Some(ShapeKind::Process),
            "roundrect" | "oval" => Some(ShapeKind::Terminator),
            "line" | "polyline" => Some(ShapeKind::Connector),
            "shape" => shape_type(attr(n, "type").unwrap_or("")),
            _ => None,
        };
        let Some(kind) = kind else { continue };
        // A shape inside a group is read with the group's offsets added.
        let style = style(attr(n, "style").unwrap_or(""));
        let get = |k: &str| {
            style
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| *v)
                .unwrap_or(0.0)
        };
        let (x, y) = (
            origin.0 + get("margin-left") + get("left"),
            origin.1 + get("margin-top") + get("top"),
        );
        let (w, h) = (get("width"), get("height"));
        let (mut start, mut end) = ((x, y), (x + w, y + h));
        if tag == "line" {
            let point = |key: &str| -> Option<(f64, f64)> {
                let mut it = attr(n, key)?.split(',').map(|p| length(p.trim()));
                Some((origin.0 + it.next()?, origin.1 + it.next()?))
            };
            if let (Some(a), Some(b)) = (point("from"), point("to")) {
                start = a;
                end = b;
            }
        }
        let stroke = child(n, "stroke");
        let head = stroke
            .and_then(|s| attr(s, "startarrow"))
            .is_some_and(|a| a != "none");
        let tail = stroke
            .and_then(|s| attr(s, "endarrow"))
            .is_some_and(|a| a != "none");
        let dashed = stroke
            .and_then(|s| attr(s, "dashstyle"))
            .is_some_and(|d| d != "solid");
        let text = crate::runs::text_box_text(n);
        let kind = if kind == ShapeKind::Process
            && find(n, "textbox").is_some()
            && attr(n, "stroked") == Some("f")
        {
            ShapeKind::Label
        } else {
            kind
        };
        let (l, t, r, b) = (
            start.0.min(end.0),
            start.1.min(end.1),
            start.0.max(end.0),
            start.1.max(end.1),
        );
        out.push(Shape {
            alt: String::new(),
            kind,
            id: None,
            name: attr(n, "id").unwrap_or("").to_string(),
            text,
            bbox: (l, t, r, b),
            cell: Some(cell),
            start,
            end,
            glued_start: None,
            glued_end: None,
            head_at_start: head && !tail,
            dashed,
            invisible: attr(n, "stroked") == Some("f") && attr(n, "filled") == Some("f"),
        });
    }
    out
}

/// Word's shape types (`#_x0000_t110`) by number.
fn shape_type(t: &str) -> Option<ShapeKind> {
    let n: u32 = t
        .trim_start_matches('#')
        .trim_start_matches("_x0000_t")
        .parse()
        .ok()?;
    Some(match n {
        116 | 176 | 3 => ShapeKind::Terminator,
        1 | 109 | 112 | 114 => ShapeKind::Process,
        4 | 110 => ShapeKind::Decision,
        15 | 177 => ShapeKind::OffPage,
        20 | 32 | 33 | 34 | 35 | 36 | 37 | 38 | 39 | 40 => ShapeKind::Connector,
        202 => ShapeKind::Label,
        _ => return None,
    })
}

/// `margin-left:12pt;width:3cm` as (key, EMU) pairs.
fn style(s: &str) -> Vec<(String, f64)> {
    s.split(';')
        .filter_map(|kv| {
            let (k, v) = kv.split_once(':')?;
            Some((k.trim().to_string(), length(v.trim())))
        })
        .collect()
}

/// A CSS length in EMU (pt by default).
fn length(v: &str) -> f64 {
    let units = [
        ("pt", EMU_PT),
        ("in", 914_400.0),
        ("cm", 360_000.0),
        ("mm", 36_000.0),
        ("px", 9_525.0),
        ("emu", 1.0),
    ];
    for (unit, emu) in units {
        if let Some(n) = v.strip_suffix(unit) {
            return n.trim().parse::<f64>().unwrap_or(0.0) * emu;
        }
    }
    // VML's bare numbers in `from`/`to` are points; in `style` too.
    v.parse::<f64>().unwrap_or(0.0) * EMU_PT
}
