//! lajur-layout's integration tests, in one binary (they link once).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod layout;
mod printing;
mod quality;
mod support;
