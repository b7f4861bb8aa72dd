//! What things on a page are: kinds of text, symbols, arrows and pictures.

/// What a piece of text is, so painters can style it consistently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextRole {
    Header,
    Cell,
    /// "Mulai"/"Selesai" inside a capsule, letters in connectors.
    ShapeLabel,
    /// The label on a decision exit ("Ya", "Tidak").
    ExitLabel,
    PageNumber,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapeKind {
    /// Start and end: a capsule.
    Terminator,
    Process,
    Decision,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrowKind {
    /// Down the page, to a later step.
    Forward,
    /// Back up to an earlier step (a loop): drawn dashed.
    Back,
    /// The line joining the shapes of one step done by several lanes (no head).
    Join,
    /// The dashed line joining the shapes of a step done by whichever of its
    /// lanes has the case (no head).
    Either,
}

/// Which picture goes in a [`PlacedImage`]'s rectangle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageKey {
    /// The office's logo.
    Logo,
}
