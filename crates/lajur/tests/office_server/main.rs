//! The window's records tests (office, sign-off, workspace: the same source
//! files as the `it` binary) run again with every data folder shared through
//! the office server: each folder a test opens joins its own database on one
//! throwaway PostgreSQL cluster before the window or the test opens it.
//! Without PostgreSQL's programs they run on SQLite alone after saying so,
//! unless `LAJUR_PG_REQUIRED` is set (as `.ci/run` does), when they fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// The shared helpers of the tests left out here.
#![allow(dead_code)]

#[path = "../../../lajur-records/tests/it/cluster.rs"]
mod cluster;
#[path = "../it/common.rs"]
mod common;
#[path = "../../../lajur-records/tests/it/engine.rs"]
mod engine;
#[path = "../it/office.rs"]
mod office;
#[path = "../it/signoff.rs"]
mod signoff;
#[path = "../it/workspace.rs"]
mod workspace;

const ENGINE: engine::Engine = engine::Engine::OfficeServer;
