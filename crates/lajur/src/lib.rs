//! Lajur, the program: the command line and the window. Everything they do is
//! asked of the crates below: `lajur-core` (the SOP, the engine, the office's
//! rules and words), `lajur-layout` (what is drawn), `lajur-records` (what is
//! kept), `lajur-paper` (what is printed). See ARCHITECTURE.md.

pub mod cli;
pub mod exports;
pub mod imports;
pub mod layout_report;
pub mod server_words;
pub mod ui;
