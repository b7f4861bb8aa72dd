//! The `lajur` binary: parses the command line and either opens the window or runs
//! a command. Everything else lives in the library.

// A release build on Windows opens no console window behind the program's own;
// commands typed in a console still print there (see `attach_console`).
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    attach_console();
    lajur::cli::run(std::env::args_os())
}

/// A Windows GUI program has no console of its own: when started from one
/// (`lajur.exe check` in cmd or PowerShell), write to that console.
#[cfg(windows)]
#[allow(unsafe_code)] // One call into the Windows API; see SAFETY below.
fn attach_console() {
    const ATTACH_PARENT_PROCESS: u32 = u32::MAX;
    unsafe extern "system" {
        fn AttachConsole(process_id: u32) -> i32;
    }
    // SAFETY: AttachConsole takes a plain integer and only fails (returning 0)
    // when there is no parent console or one is attached already.
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}

#[cfg(not(windows))]
fn attach_console() {}
