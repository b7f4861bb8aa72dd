//! Storage (filled in below).
