//! lajur-core's integration tests, in one binary (they link once).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod editor;
mod properties;
mod seeds;
mod validation;
