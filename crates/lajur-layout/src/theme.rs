//! How the document looks, decided once: ink and paper, the header's grey,
//! stroke widths, the loop arrows' dashes, the arrowhead, the off-page
//! connector's shoulder, the line height. The display list carries these
//! values; the painters never choose their own.

/// A colour of the document, 8-bit sRGB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// The ink of every line and letter (a very dark grey prints as black and
/// reads softer on screen).
pub const INK: Rgb = Rgb(0x10, 0x10, 0x10);
/// The paper, and the inside of every symbol.
pub const PAPER: Rgb = Rgb(0xFF, 0xFF, 0xFF);
/// The shaded header cells of the tables.
pub const HEADER_FILL: Rgb = Rgb(0xEC, 0xEE, 0xF1);

/// The outline of a symbol (capsule, box, diamond, connector), mm.
pub const SYMBOL_STROKE: f32 = 0.3;
/// An arrow's line, mm.
pub const ARROW_STROKE: f32 = 0.25;
/// A loop (an arrow back to an earlier step) is dashed: dash and gap, mm.
pub const LOOP_DASH: Dash = Dash { on: 1.6, off: 0.9 };
/// The arrowhead: length along the line and half its width, mm.
pub const ARROWHEAD_LENGTH: f32 = 1.8;
pub const ARROWHEAD_HALF_WIDTH: f32 = 0.7;
/// Where the off-page connector's sides turn into its point, as a share of
/// its height from the top.
pub const CONNECTOR_SHOULDER: f32 = 0.62;
/// The distance between baselines, as a multiple of the font size.
pub const LINE_HEIGHT: f32 = 1.15;

/// How a line is broken into dashes, mm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dash {
    pub on: f32,
    pub off: f32,
}

/// How a path's outline is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    /// Width in mm.
    pub width: f32,
    pub colour: Rgb,
    pub dash: Option<Dash>,
}

impl Stroke {
    pub const fn solid(width: f32, colour: Rgb) -> Stroke {
        Stroke {
            width,
            colour,
            dash: None,
        }
    }
}

/// The height of a line of text at `size_pt`, mm.
pub fn line_height(size_pt: f32) -> f32 {
    size_pt * crate::geom::MM_PER_PT * LINE_HEIGHT
}
