//! Lajur: SOP AP swimlane flowcharts, work runs and printed records for Indonesian
//! village and sub-district offices.
//!
//! `sop` is the pure core (model, file format, validation); `library` reads SOP
//! files from disk; `cli` and `ui` are the two faces of the program.

pub mod cli;
pub mod editor;
pub mod export;
pub mod i18n;
pub mod layout;
pub mod library;
pub mod office;
pub mod sop;
pub mod store;
pub mod ui;
pub mod workflow;
