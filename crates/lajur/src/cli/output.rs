//! How the command line answers.

use std::io::Write;

/// Prints one line of the command's answer. A closed output (the reader of a
/// pipe went away) cannot be told either; what the command did stays done.
pub(crate) fn say(out: &mut dyn Write, line: impl std::fmt::Display) {
    writeln!(out, "{line}").unwrap_or_default();
}
