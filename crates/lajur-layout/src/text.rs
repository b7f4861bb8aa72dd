//! Text measured with the bundled font, so the screen and the paper wrap the same
//! words onto the same lines.

use std::sync::OnceLock;

/// Liberation Sans (metrically compatible with Arial), under the SIL OFL; see
/// `assets/fonts/LICENSE-LiberationSans.txt`.
pub const REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Regular.ttf");
pub const BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Bold.ttf");

pub use crate::geom::MM_PER_PT;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

/// How wide text is. The layout only ever measures through this.
pub trait FontMetrics {
    /// Advance width of `text` in millimetres at `size_pt`.
    fn width(&self, text: &str, weight: Weight, size_pt: f32) -> f32;

    /// Distance between baselines, in millimetres.
    fn line_height(&self, size_pt: f32) -> f32 {
        crate::theme::line_height(size_pt)
    }

    /// From the top of a line's box to its baseline, in millimetres.
    fn ascent(&self, size_pt: f32) -> f32 {
        size_pt * MM_PER_PT * 0.905
    }
}

/// Glyph advances of one face, for the characters office text uses; others are
/// looked up in the font as they come.
struct Face {
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
    /// Advances (in em) for U+0000–U+024F (Latin with extensions).
    latin: Vec<f32>,
    fallback: f32,
    /// Height above the baseline, in em.
    ascent: f32,
}

impl Face {
    fn new(data: &'static [u8]) -> Option<Face> {
        let face = ttf_parser::Face::parse(data, 0).ok()?;
        let units_per_em = f32::from(face.units_per_em());
        let advance = |c: char| -> Option<f32> {
            let g = face.glyph_index(c)?;
            Some(f32::from(face.glyph_hor_advance(g)?) / units_per_em)
        };
        let fallback = advance('?').unwrap_or(0.55);
        let latin = (0u32..0x250)
            .map(|u| char::from_u32(u).and_then(advance).unwrap_or(fallback))
            .collect();
        let ascent = f32::from(face.ascender()) / units_per_em;
        Some(Face {
            face,
            units_per_em,
            latin,
            fallback,
            ascent,
        })
    }

    fn advance_em(&self, c: char) -> f32 {
        if let Some(a) = self.latin.get(c as usize) {
            return *a;
        }
        self.face
            .glyph_index(c)
            .and_then(|g| self.face.glyph_hor_advance(g))
            .map_or(self.fallback, |a| f32::from(a) / self.units_per_em)
    }
}

/// The bundled Liberation Sans, regular and bold.
pub struct BundledFont {
    regular: Face,
    bold: Face,
}

impl BundledFont {
    /// The fonts are compiled into the program and parsed once.
    pub fn get() -> &'static BundledFont {
        static FONT: OnceLock<BundledFont> = OnceLock::new();
        // The font files are part of the source tree and parse (tested in
        // `bundled_font_parses`); a failure here is a broken build, not bad input.
        #[allow(clippy::expect_used)]
        FONT.get_or_init(|| BundledFont {
            regular: Face::new(REGULAR_TTF).expect("bundled regular font parses"),
            bold: Face::new(BOLD_TTF).expect("bundled bold font parses"),
        })
    }
}

impl FontMetrics for BundledFont {
    fn width(&self, text: &str, weight: Weight, size_pt: f32) -> f32 {
        let face = match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        };
        let em: f32 = text.chars().map(|c| face.advance_em(c)).sum();
        em * size_pt * MM_PER_PT
    }

    fn ascent(&self, size_pt: f32) -> f32 {
        self.regular.ascent * size_pt * MM_PER_PT
    }
}

/// Breaks `text` into lines no wider than `max_width` mm. Lines break at spaces,
/// after "/" and "-", and at explicit newlines; a word wider than the line is cut.
pub fn wrap(
    metrics: &dyn FontMetrics,
    text: &str,
    weight: Weight,
    size_pt: f32,
    max_width: f32,
) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        wrap_paragraph(
            metrics,
            paragraph.trim_end(),
            weight,
            size_pt,
            max_width,
            &mut lines,
        );
    }
    while lines.last().is_some_and(|l: &String| l.is_empty()) && lines.len() > 1 {
        lines.pop();
    }
    lines
}

fn wrap_paragraph(
    metrics: &dyn FontMetrics,
    text: &str,
    weight: Weight,
    size_pt: f32,
    max_width: f32,
    lines: &mut Vec<String>,
) {
    let width = |s: &str| metrics.width(s, weight, size_pt);
    let mut line = String::new();
    for piece in pieces(text) {
        let candidate = format!("{line}{piece}");
        if width(candidate.trim_end()) <= max_width {
            line = candidate;
            continue;
        }
        if !line.trim().is_empty() {
            lines.push(line.trim_end().to_string());
        }
        line = String::new();
        // A piece wider than the whole line is cut character by character.
        for c in piece.chars() {
            let mut next = line.clone();
            next.push(c);
            if width(next.trim_end()) > max_width && !line.is_empty() {
                lines.push(line.trim_end().to_string());
                line = c.to_string();
            } else {
                line = next;
            }
        }
        if line.trim().is_empty() {
            line.clear();
        }
    }
    lines.push(line.trim_end().to_string());
}

/// Splits text after each space, "/" or "-" (keeping them), the places a line may break.
fn pieces(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, ' ' | '/' | '-') {
            let end = i + c.len_utf8();
            out.push(&text[start..end]);
            start = end;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_font_parses_and_measures_like_arial() {
        let f = BundledFont::get();
        // Arial's advance of "a" is 0.556 em; Liberation Sans matches it.
        let w = f.width("a", Weight::Regular, 72.0);
        assert!((w - 0.556 * 25.4).abs() < 0.05, "{w}");
        assert!(f.width("Kegiatan", Weight::Bold, 9.0) > f.width("Kegiatan", Weight::Regular, 9.0));
        assert!(f.width("—€ğ中", Weight::Regular, 9.0) > 0.0);
    }

    #[test]
    fn wrapping_respects_the_width_and_keeps_every_word() {
        let f = BundledFont::get();
        let text = "Tautan media sosial (website/Instagram/FB/Youtube) dan Supercalifragilisticexpialidocious";
        for width in [8.0, 15.0, 25.0, 60.0, 500.0] {
            let lines = wrap(f, text, Weight::Regular, 8.0, width);
            for l in &lines {
                assert!(
                    f.width(l, Weight::Regular, 8.0) <= width + 0.01 || l.chars().count() == 1,
                    "{l:?} > {width}"
                );
            }
            let joined: String = lines
                .concat()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let original: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            assert_eq!(joined, original);
        }
        assert_eq!(wrap(f, "", Weight::Regular, 8.0, 20.0), vec![String::new()]);
        assert_eq!(wrap(f, "a\nb", Weight::Regular, 8.0, 20.0), vec!["a", "b"]);
    }
}
