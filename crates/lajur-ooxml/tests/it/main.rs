//! lajur-ooxml's integration tests, in one binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod made;
mod real;
mod roundtrip;
