//! The program's integration tests: the command line as a user types it, the
//! window driven through egui_kittest on the real app with real SQLite, the
//! PDFs parsed back. One binary, so it links once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod architecture;
mod cli;
mod cli_import;
mod cli_records;
/// The throwaway PostgreSQL cluster the records crate's tests use.
#[path = "../../../lajur-records/tests/it/cluster.rs"]
mod cluster;
mod common;
#[path = "../../../lajur-records/tests/it/engine.rs"]
mod engine;
mod network;
mod office;
mod pdf;
mod signoff;
#[cfg(feature = "snapshots")]
mod snapshots;
mod sop_editor;
mod window;
mod workspace;

/// This binary runs on each PC's SQLite alone; `office_server` runs the
/// records' window tests (office, sign-off, workspace) through the office server.
const ENGINE: engine::Engine = engine::Engine::ThisPc;
