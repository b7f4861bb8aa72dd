//! lajur-records' integration tests against real SQLite files and real files
//! in a temp folder, in one binary (they link once).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cluster;
mod crash;
mod library;
mod network;
mod records;
mod server;
mod tamper;
