//! Paper and page settings: the sheet an office prints on (A4, F4), its
//! orientation and margins, how rows are paginated. Plain values, chosen by the
//! office's settings and the window, followed by the layout.

/// Paper sizes offices print SOPs on.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Paper {
    A4,
    /// F4 / Folio, 215 × 330 mm, required in many regions.
    #[default]
    F4,
}

impl Paper {
    /// Width and height in portrait, mm.
    pub fn portrait_size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::F4 => (215.0, 330.0),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Orientation {
    #[default]
    Landscape,
    Portrait,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RowsPerPage {
    /// As many rows as fit the page.
    #[default]
    Auto,
    /// At most this many rows on each page (fewer where they would not fit).
    Fixed(u16),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Flow {
    /// Paginated exactly as it will print, with off-page connectors.
    #[default]
    Paged,
    /// One continuous table ("bersambung").
    Continuous,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
    pub left: f32,
}

impl Default for Margins {
    fn default() -> Self {
        Margins {
            top: 15.0,
            right: 12.0,
            bottom: 15.0,
            left: 15.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PageSettings {
    pub paper: Paper,
    pub orientation: Orientation,
    pub margins: Margins,
    pub rows_per_page: RowsPerPage,
    pub flow: Flow,
    /// The office's logo (width over height) when it goes in the identity
    /// page's unit block; the painters are given the picture itself.
    pub logo_aspect: Option<f32>,
}

impl PageSettings {
    /// Page width and height in mm for this paper and orientation.
    pub fn page_size(&self) -> (f32, f32) {
        let (w, h) = self.paper.portrait_size();
        match self.orientation {
            Orientation::Portrait => (w, h),
            Orientation::Landscape => (h, w),
        }
    }
}
