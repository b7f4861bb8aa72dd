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
/// after "/" and "-", and at explicit newlines; a word wider than the line is
/// broken with a hyphen at the end of each broken part.
pub fn wrap(
    metrics: &dyn FontMetrics,
    text: &str,
    weight: Weight,
    size_pt: f32,
    max_width: f32,
) -> Vec<String> {
    wrap_marked(metrics, text, weight, size_pt, max_width)
        .into_iter()
        .map(|(line, _)| line)
        .collect()
}

/// As [`wrap`], each line with whether it ends inside a word that was broken.
pub fn wrap_marked(
    metrics: &dyn FontMetrics,
    text: &str,
    weight: Weight,
    size_pt: f32,
    max_width: f32,
) -> Vec<(String, bool)> {
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
    while lines
        .last()
        .is_some_and(|(l, _): &(String, bool)| l.is_empty())
        && lines.len() > 1
    {
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
    lines: &mut Vec<(String, bool)>,
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
            lines.push((line.trim_end().to_string(), false));
        }
        if width(piece.trim_end()) <= max_width {
            line = piece.to_string();
            continue;
        }
        // A piece wider than the whole line is broken, each part ending in a
        // hyphen (the reader sees the word goes on).
        let mut part = String::new();
        for c in piece.chars() {
            let mut next = part.clone();
            next.push(c);
            let room_for_hyphen = format!("{}-", next.trim_end());
            if width(&room_for_hyphen) > max_width && !part.is_empty() && !c.is_whitespace() {
                let broken = part.trim_end();
                if broken.ends_with(['-', '/']) {
                    lines.push((broken.to_string(), false));
                } else {
                    lines.push((format!("{broken}-"), true));
                }
                part = c.to_string();
            } else {
                part = next;
            }
        }
        line = if part.trim().is_empty() {
            String::new()
        } else {
            part
        };
    }
    lines.push((line.trim_end().to_string(), false));
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

/// A text measured once, so how many lines it takes at a width is counted
/// without measuring again (the column-width search asks this many times).
#[derive(Debug, Clone, Default)]
pub struct Measured {
    paragraphs: Vec<Vec<Piece>>,
    hyphen: f32,
    /// The widest piece (without trailing space): narrower than this, a word breaks.
    pub widest_piece: f32,
}

#[derive(Debug, Clone, Default)]
struct Piece {
    /// Width with its trailing space, and without.
    full: f32,
    trimmed: f32,
    /// Each character's advance and whether it is white space (for breaking
    /// a piece wider than the line exactly as [`wrap`] does).
    chars: Vec<(f32, bool)>,
}

impl Measured {
    pub fn new(metrics: &dyn FontMetrics, text: &str, weight: Weight, size_pt: f32) -> Measured {
        let mut widest: f32 = 0.0;
        let paragraphs = text
            .split('\n')
            .map(|p| {
                pieces(p.trim_end())
                    .into_iter()
                    .map(|piece| {
                        let trimmed = metrics.width(piece.trim_end(), weight, size_pt);
                        widest = widest.max(trimmed);
                        Piece {
                            full: metrics.width(piece, weight, size_pt),
                            trimmed,
                            chars: piece
                                .chars()
                                .map(|c| {
                                    let mut b = [0u8; 4];
                                    (
                                        metrics.width(c.encode_utf8(&mut b), weight, size_pt),
                                        c.is_whitespace(),
                                    )
                                })
                                .collect(),
                        }
                    })
                    .collect()
            })
            .collect();
        Measured {
            paragraphs,
            hyphen: metrics.width("-", weight, size_pt),
            widest_piece: widest,
        }
    }

    /// The width the text takes on one line per paragraph, summed.
    pub fn single_line_width(&self) -> f32 {
        self.paragraphs
            .iter()
            .map(|p| p.iter().map(|piece| piece.full).sum::<f32>())
            .sum()
    }

    /// The lines the text takes at `max_width`, exactly as [`wrap`] breaks it.
    pub fn lines(&self, max_width: f32) -> usize {
        let mut total: usize = 0;
        for paragraph in &self.paragraphs {
            let mut lines = 0;
            // The current line: its width with trailing spaces, and whether it
            // holds anything but spaces.
            let mut x: f32 = 0.0;
            let mut filled = false;
            for piece in paragraph {
                // Spaces always join the line (`wrap` measures a line
                // without its trailing spaces).
                if piece.trimmed == 0.0 || x + piece.trimmed <= max_width {
                    x += piece.full;
                    filled |= piece.trimmed > 0.0;
                    continue;
                }
                if filled {
                    lines += 1;
                }
                if piece.trimmed <= max_width {
                    x = piece.full;
                    filled = piece.trimmed > 0.0;
                    continue;
                }
                // Broken: parts as wide as fits with a hyphen after them.
                let mut part: f32 = 0.0;
                let mut part_trimmed: f32 = 0.0;
                let mut part_filled = false;
                for &(w, ws) in &piece.chars {
                    let next_trimmed = if ws { part_trimmed } else { part + w };
                    if next_trimmed + self.hyphen > max_width && part_filled && !ws {
                        lines += 1;
                        part = w;
                        part_trimmed = w;
                        part_filled = true;
                    } else {
                        part += w;
                        part_trimmed = next_trimmed;
                        part_filled = true;
                    }
                }
                x = part;
                filled = part_trimmed > 0.0;
            }
            // The paragraph's last line (an empty paragraph is one empty line).
            lines += 1;
            total += lines;
        }
        // `wrap` drops trailing empty lines, keeping at least one.
        let trailing_empty = self
            .paragraphs
            .iter()
            .rev()
            .take_while(|p| p.iter().all(|piece| piece.trimmed == 0.0))
            .count()
            .min(self.paragraphs.len().saturating_sub(1));
        total.saturating_sub(trailing_empty).max(1)
    }
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

    /// The column-width search counts lines with `Measured`; it must count
    /// exactly what `wrap` prints, or a row is laid out taller than planned.
    #[test]
    fn measured_lines_are_the_wrapped_lines() {
        let f = BundledFont::get();
        let words = [
            "Menerima",
            "berkas",
            "permohonan",
            "informasi",
            "dan",
            "Supercalifragilistic",
            "a/b/c",
            "Sub-bagian",
            "(website/Instagram/FB/Youtube)",
            "2",
            "  ",
            "-",
        ];
        let mut seed: u64 = 7;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n
        };
        for _ in 0..3000 {
            let len = next(25);
            let mut text = String::new();
            for k in 0..len {
                if k > 0 {
                    text.push(if next(9) == 0 { '\n' } else { ' ' });
                }
                text.push_str(words[next(words.len())]);
            }
            let width = 3.0 + next(600) as f32 / 10.0;
            for weight in [Weight::Regular, Weight::Bold] {
                let wrapped = wrap(f, &text, weight, 8.0, width).len();
                let counted = Measured::new(f, &text, weight, 8.0).lines(width);
                assert_eq!(
                    wrapped,
                    counted,
                    "{text:?} at {width}: {:?}",
                    wrap(f, &text, weight, 8.0, width)
                );
            }
        }
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
            // A broken word's parts end in a hyphen (the text has none of its own).
            let joined: String = lines
                .iter()
                .map(|l| l.strip_suffix('-').unwrap_or(l))
                .collect::<String>()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let original: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            assert_eq!(joined, original);
        }
        assert_eq!(wrap(f, "", Weight::Regular, 8.0, 20.0), vec![String::new()]);
        assert_eq!(wrap(f, "a\nb", Weight::Regular, 8.0, 20.0), vec!["a", "b"]);
    }

    #[test]
    fn a_broken_word_says_so_with_a_hyphen() {
        let f = BundledFont::get();
        let lines = wrap(f, "Penganggaran dan", Weight::Bold, 8.0, 12.0);
        assert!(lines.len() >= 2);
        assert!(lines[0].ends_with('-'), "{lines:?}");
        assert!(!lines.iter().any(|l| l.trim() == ","), "{lines:?}");
    }

    #[test]
    fn counting_lines_agrees_with_wrapping() {
        let f = BundledFont::get();
        let texts = [
            "Tautan media sosial (website/Instagram/FB/Youtube) dan Supercalifragilisticexpialidocious",
            "Menerima laporan hasil pengunggahan berupa tautan medsos\ndan menyampaikannya ke atasan",
            "",
            "a\n\nb\n",
            "Konsep Materi yang akan diunggah ke medsos",
        ];
        for text in texts {
            let m = Measured::new(f, text, Weight::Regular, 8.0);
            for w in [6.0, 10.0, 14.5, 20.0, 31.0, 47.0, 90.0, 400.0] {
                assert_eq!(
                    m.lines(w),
                    wrap(f, text, Weight::Regular, 8.0, w).len(),
                    "{text:?} at {w}"
                );
            }
        }
    }
}
