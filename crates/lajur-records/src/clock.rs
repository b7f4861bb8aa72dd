//! The records' clock: the one place Lajur reads the time of day. Every
//! instant written to the records comes from here, and a test can set it (to
//! make a step late, or a backup fall on another day).

#![allow(clippy::disallowed_methods)] // The one place allowed to read the system clock.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Local, Utc};

/// The time now: the system's, or the one a test set.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// Set by tests: the system time plus this shift (minutes), or a fixed instant.
    set: Arc<Mutex<Setting>>,
}

#[derive(Debug, Clone, Copy, Default)]
enum Setting {
    #[default]
    System,
    Shifted(chrono::Duration),
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        match self.set.lock().map(|s| *s).unwrap_or_default() {
            Setting::System => Utc::now(),
            Setting::Shifted(by) => Utc::now() + by,
            Setting::Fixed(at) => at,
        }
    }

    /// From now on the clock reads `at` (and stands still there).
    pub fn set_fixed(&self, at: DateTime<Utc>) {
        if let Ok(mut s) = self.set.lock() {
            *s = Setting::Fixed(at);
        }
    }

    /// From now on the clock runs `by` ahead of the system's (behind when negative).
    pub fn shift(&self, by: chrono::Duration) {
        if let Ok(mut s) = self.set.lock() {
            *s = match *s {
                Setting::Fixed(at) => Setting::Fixed(at + by),
                Setting::Shifted(old) => Setting::Shifted(old + by),
                Setting::System => Setting::Shifted(by),
            };
        }
    }
}

/// The system's time, for what happens outside the records (crash reports,
/// file names of backups taken on a thread of their own).
pub fn system_now() -> DateTime<Utc> {
    Utc::now()
}

/// The computer's local time, for log lines and crash reports a person reads
/// on this computer.
pub fn local_now() -> DateTime<Local> {
    Local::now()
}
