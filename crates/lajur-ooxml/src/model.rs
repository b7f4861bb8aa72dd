//! What an office's file holds, read out of Word or Excel into one shape the
//! interpreter reads: tables as grids of cells (merged cells expanded), the
//! shapes drawn over them placed in the grid, and the connectors between
//! them. Nothing here knows about SOPs yet.

/// What kind of file was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    Excel,
}

/// A table of a Word document, or a sheet of a workbook.
#[derive(Debug, Clone)]
pub struct Table {
    /// Which table of the document, or which sheet of the workbook.
    pub part: lajur_core::sop::problem::ImportPart,
    /// Heights are estimated (Word: rows grow with their text), so a
    /// shape's vertical place is less sure than its horizontal one.
    pub y_estimated: bool,
    /// A cell's lines are one text broken for width (Excel, where Alt+Enter
    /// is how a long value is wrapped), not paragraphs of their own (Word).
    pub cell_is_one_text: bool,
    /// The document's paragraphs after the table (before the next table).
    pub after: Vec<String>,
    /// The cells, each once, in reading order.
    pub cells: Vec<Cell>,
    /// The grid: for each row, for each grid column, the index of the cell
    /// covering it (a merged cell covers several).
    pub grid: Vec<Vec<Option<usize>>>,
    /// Rows Word repeats at the top of each page (`w:tblHeader`).
    pub header_rows: usize,
    /// Left edges of the grid columns and the right edge of the last, in
    /// EMU from the table's left edge (known in both formats).
    pub col_edges: Vec<f64>,
    /// Top edges of the rows and the bottom of the last, EMU from the top
    /// (exact in Excel, estimated from minimum heights in Word).
    pub row_edges: Vec<f64>,
    /// Shapes drawn over the table.
    pub shapes: Vec<Shape>,
}

impl Default for Table {
    fn default() -> Self {
        Table {
            part: lajur_core::sop::problem::ImportPart::File,
            y_estimated: false,
            cell_is_one_text: false,
            after: Vec::new(),
            cells: Vec::new(),
            grid: Vec::new(),
            header_rows: 0,
            col_edges: Vec::new(),
            row_edges: Vec::new(),
            shapes: Vec::new(),
        }
    }
}

impl Table {
    pub fn rows(&self) -> usize {
        self.grid.len()
    }

    pub fn cols(&self) -> usize {
        self.grid.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// The cell covering a grid position.
    pub fn cell_at(&self, row: usize, col: usize) -> Option<&Cell> {
        self.grid
            .get(row)
            .and_then(|r| r.get(col))
            .copied()
            .flatten()
            .and_then(|i| self.cells.get(i))
    }

    /// The text at a grid position ("" when none).
    pub fn text_at(&self, row: usize, col: usize) -> String {
        self.cell_at(row, col).map(Cell::text).unwrap_or_default()
    }

    /// The grid column whose span holds `x` (EMU), if any.
    pub fn col_of(&self, x: f64) -> Option<usize> {
        self.col_edges
            .windows(2)
            .position(|w| x >= w[0] && x < w[1])
    }

    /// The row whose span holds `y` (EMU), if any.
    pub fn row_of(&self, y: f64) -> Option<usize> {
        self.row_edges
            .windows(2)
            .position(|w| y >= w[0] && y < w[1])
    }
}

/// One cell: where it starts, how far it spans, its paragraphs.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub row: usize,
    pub col: usize,
    pub row_span: usize,
    pub col_span: usize,
    pub paragraphs: Vec<Paragraph>,
}

impl Cell {
    /// The cell's text, paragraphs joined by line breaks, each trimmed.
    pub fn text(&self) -> String {
        self.paragraphs
            .iter()
            .map(|p| p.text.trim())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Whether a grid column lies within the cell.
    pub fn covers_col(&self, col: usize) -> bool {
        col >= self.col && col < self.col + self.col_span
    }
}

/// A paragraph of a cell (in Excel a cell's text is split at its line breaks).
#[derive(Debug, Clone, Default)]
pub struct Paragraph {
    pub text: String,
    /// A list item numbered by Word (the number is not in the text).
    pub numbered: bool,
}

/// What a drawn shape is, from its geometry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapeKind {
    /// A capsule (flowChartTerminator, a rounded rectangle, an ellipse).
    Terminator,
    /// A box (rect, flowChartProcess, alternate process, a picture of one).
    Process,
    /// A diamond (diamond, flowChartDecision).
    Decision,
    /// An off-page connector (homePlate, flowChartOffpageConnector): a page
    /// joint, not a step.
    OffPage,
    /// An arrow or line joining shapes.
    Connector,
    /// A text box (its words label a line: "Ya", "Tidak").
    Label,
    /// Anything else (a picture, a callout): not read.
    Other,
}

/// A shape drawn over a table, in the table's coordinates (EMU from its top
/// left corner).
#[derive(Debug, Clone)]
pub struct Shape {
    pub kind: ShapeKind,
    /// The id the file gives it (connectors glue to ids in Excel).
    pub id: Option<u32>,
    /// The name the file gives it (Lajur's own files name steps here).
    pub name: String,
    pub text: String,
    /// The shape's description (its alt text); Lajur writes a step's words there.
    pub alt: String,
    /// Its box: left, top, right, bottom.
    pub bbox: (f64, f64, f64, f64),
    /// The grid cell the file anchors it in (Word) or its centre falls in.
    pub cell: Option<(usize, usize)>,
    /// For a connector: where it starts and ends, and the ids it is glued
    /// to (Excel's `stCxn`/`endCxn`), and whether the arrowhead is at the
    /// start (the line was drawn backwards).
    pub start: (f64, f64),
    pub end: (f64, f64),
    pub glued_start: Option<u32>,
    pub glued_end: Option<u32>,
    pub head_at_start: bool,
    /// Drawn dashed (Lajur's files draw an either-lane join dashed).
    pub dashed: bool,
    /// Not drawn at all (no fill, no line, no text): a leftover.
    pub invisible: bool,
}

impl Shape {
    pub fn centre(&self) -> (f64, f64) {
        let (l, t, r, b) = self.bbox;
        ((l + r) / 2.0, (t + b) / 2.0)
    }
}

/// The whole file, read.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub tables: Vec<Table>,
    /// Written by Lajur (its mark in the file's properties): a line break
    /// inside a paragraph is only where the text wrapped, the unit's name
    /// comes before the units above it.
    pub lajur: bool,
    /// Paper width and height (mm) and orientation, when the file says.
    pub page_mm: Option<(f32, f32)>,
}

/// The two ends of a straight or elbow line drawn in the box of
/// `centre` and half-size `half` (before rotation): from the box's top
/// left to its bottom right, mirrored by the flips, then turned by
/// `rotation` degrees clockwise about the centre (DrawingML flips first,
/// then rotates; a connector at 180° is a connector drawn backwards).
pub fn line_ends(
    centre: (f64, f64),
    half: (f64, f64),
    flip_h: bool,
    flip_v: bool,
    rotation: f64,
) -> ((f64, f64), (f64, f64)) {
    let (mut dx, mut dy) = (-half.0, -half.1);
    if flip_h {
        dx = -dx;
    }
    if flip_v {
        dy = -dy;
    }
    let (sin, cos) = rotation.to_radians().sin_cos();
    let (rx, ry) = (dx * cos - dy * sin, dx * sin + dy * cos);
    (
        (centre.0 + rx, centre.1 + ry),
        (centre.0 - rx, centre.1 - ry),
    )
}

/// A DrawingML rotation (`rot`, 60000ths of a degree) in degrees, 0–360.
pub fn rotation_degrees(rot: Option<&str>) -> f64 {
    rot.and_then(|r| r.parse::<f64>().ok())
        .map_or(0.0, |r| (r / 60_000.0).rem_euclid(360.0))
}

/// Whether a rotation turns a box on its side (Excel then anchors the
/// turned box, its width and height swapped).
pub fn on_its_side(degrees: f64) -> bool {
    (45.0..135.0).contains(&degrees) || (225.0..315.0).contains(&degrees)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_turned_half_round_runs_backwards() {
        let close =
            |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() < 1e-6 && (a.1 - b.1).abs() < 1e-6;
        let (s, e) = line_ends((10.0, 10.0), (4.0, 2.0), false, false, 0.0);
        assert!(close(s, (6.0, 8.0)) && close(e, (14.0, 12.0)));
        let (s, e) = line_ends((10.0, 10.0), (4.0, 2.0), false, false, 180.0);
        assert!(close(s, (14.0, 12.0)) && close(e, (6.0, 8.0)));
        let (s, _) = line_ends((10.0, 10.0), (4.0, 2.0), true, false, 0.0);
        assert!(close(s, (14.0, 8.0)));
        // A quarter turn clockwise: the top left goes to the top right.
        let (s, _) = line_ends((10.0, 10.0), (4.0, 2.0), false, false, 90.0);
        assert!(close(s, (12.0, 6.0)));
        assert_eq!(rotation_degrees(Some("10800000")), 180.0);
        assert!(on_its_side(90.0) && !on_its_side(180.0));
    }
}
