//! The records suite (records, crash, tamper, library: the same source files
//! as the `it` binary) run again with every data folder shared through the
//! office server: each folder a test opens joins its own database on one
//! throwaway PostgreSQL cluster. Without PostgreSQL's programs the tests run
//! on SQLite alone after saying so, unless `LAJUR_PG_REQUIRED` is set (as
//! `.ci/run` does), when they fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// The suite's helpers for the tests left out here (network, server).
#![allow(dead_code)]

#[path = "../it/cluster.rs"]
mod cluster;
#[path = "../it/crash.rs"]
mod crash;
#[path = "../it/engine.rs"]
mod engine;
#[path = "../it/library.rs"]
mod library;
#[path = "../it/records.rs"]
mod records;
#[path = "../it/tamper.rs"]
mod tamper;

const ENGINE: engine::Engine = engine::Engine::OfficeServer;
