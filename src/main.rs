//! The `lajur` binary: parses the command line and either opens the window or runs
//! a command. Everything else lives in the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    lajur::cli::run(std::env::args_os())
}
