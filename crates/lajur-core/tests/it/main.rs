//! lajur-core's integration tests, in one binary (they link once).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod editor;
mod format_v2;
mod properties;
mod seeds;
mod validation;
