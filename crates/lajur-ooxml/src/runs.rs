//! A Word paragraph's words: its runs joined, tabs as spaces, breaks as
//! new lines, a symbol font's character as the mark it draws.

use roxmltree::Node;

use crate::xml::{attr, is};

/// A paragraph's text: its runs joined, tabs as spaces, breaks as new
/// lines; text inside drawings and text boxes left out.
pub fn paragraph_text(p: Node<'_, '_>) -> String {
    let mut out = String::new();
    for n in p.descendants() {
        if !n.is_element() {
            continue;
        }
        let inside_drawing = n
            .ancestors()
            .skip(1)
            .take_while(|a| !is(*a, "p") || *a != p)
            .any(|a| {
                matches!(
                    a.tag_name().name(),
                    "drawing" | "pict" | "txbxContent" | "AlternateContent" | "object"
                )
            });
        if inside_drawing {
            continue;
        }
        match n.tag_name().name() {
            "t" if n
                .tag_name()
                .namespace()
                .is_some_and(|ns| ns.ends_with("wordprocessingml/2006/main")) =>
            {
                out.push_str(n.text().unwrap_or(""));
            }
            "tab" if n.parent().is_some_and(|r| is(r, "r")) => out.push(' '),
            "br" | "cr" => out.push('\n'),
            // Kept apart from '-' so a reader can tell a hyphen Lajur put at
            // a broken word (see docx::paragraphs).
            "noBreakHyphen" => out.push('\u{2011}'),
            "sym" => out.push(symbol_char(
                attr(n, "font").unwrap_or(""),
                attr(n, "char").unwrap_or(""),
            )),
            _ => {}
        }
    }
    out
}

/// The words of a shape's text box (`w:txbxContent` anywhere under
/// `shape`), its non-empty paragraphs one per line; "" when it has none.
pub fn text_box_text(shape: Node<'_, '_>) -> String {
    crate::xml::find(shape, "txbxContent")
        .map(|t| {
            crate::xml::children(t, "p")
                .map(paragraph_text)
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

/// A symbol font's character as the glyph it draws (the marks offices use).
fn symbol_char(font: &str, code: &str) -> char {
    let code = u32::from_str_radix(code.trim_start_matches("F0").trim_start_matches("f0"), 16)
        .unwrap_or(0);
    match (font.to_lowercase().as_str(), code) {
        (f, 0x6C) if f.contains("wingdings") => '●',
        (f, 0x75) if f.contains("wingdings") => '◆',
        (f, 0xA8) if f.contains("symbol") => '♦',
        (f, 0xFC) if f.contains("wingdings") => '✓',
        (f, 0xFB | 0xFD) if f.contains("wingdings") => '✗',
        (f, 0x6E) if f.contains("wingdings") => '■',
        (_, c) => char::from_u32(c).unwrap_or(' '),
    }
}
