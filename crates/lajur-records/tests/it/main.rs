//! lajur-records' integration tests against real SQLite files and real files
//! in a temp folder, in one binary (they link once).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cluster;
mod crash;
mod engine;
mod library;
mod network;
mod records;
mod server;
mod tamper;

/// This binary runs the suite on each PC's SQLite alone; `office_server`
/// runs the same tests through the office server.
const ENGINE: engine::Engine = engine::Engine::ThisPc;
