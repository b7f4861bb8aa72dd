//! The SOP AP: model, file format, validation and the Waktu column. Pure: no UI, no IO.

pub mod format;
pub mod model;
pub mod problem;
pub mod sample;
pub mod validate;
pub mod waktu;

pub use format::SopDocument;
pub use model::*;
pub use problem::{Diagnostic, Location, Problem, ProblemKind, Severity, Subject};
pub use waktu::{Duration, StandardTime};
pub mod source;

pub use source::BUNDLED;
