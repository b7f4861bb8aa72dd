//! Lajur's pure core: values in, values out. No window, no PDF, no SQL, no
//! files, no clock: callers pass the time in.
//!
//! - [`sop`]: the SOP AP model, its file format and validation;
//! - [`workflow`]: the engine that runs a kegiatan, due times, the replay of a
//!   kegiatan's events ([`workflow::trace`]) and time compliance;
//! - [`editor`]: every edit of an SOP as a value, undo and redo, comparison;
//! - [`office`] and [`paper`]: the office's settings, letterhead and paper;
//! - [`records`]: the office's records as plain values, and [`paperwork`]:
//!   what the printed documents gather from them;
//! - [`policy`]: who may start, act, attach, cancel, sign off, activate;
//! - [`locale`]: the one catalogue of every string a user sees.

pub mod editor;
pub mod failure;
pub mod locale;
pub mod office;
pub mod paper;
pub mod paperwork;
pub mod policy;
pub mod records;
pub mod sop;
pub mod workflow;
