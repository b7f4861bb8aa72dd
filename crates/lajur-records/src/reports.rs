//! What the program writes about itself in the data folder: a readable report
//! when it panics (offered at the next start), and a rotating log file.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The folder of crash reports, inside the data folder.
pub const REPORTS_DIR: &str = "laporan-galat";
/// The folder of log files, inside the data folder.
pub const LOG_DIR: &str = "log";
const LOG_FILE: &str = "lajur.log";
/// A log file is rotated past this size; this many old ones are kept.
pub const LOG_ROTATE_BYTES: u64 = 1024 * 1024;
pub const LOG_KEEP: usize = 3;
/// The name of the file that remembers the newest report already offered.
const SEEN_MARKER: &str = "sudah-dilihat.txt";

/// Writes a report for every panic to `data/laporan-galat/`, then lets the
/// default hook print it too. The report says what, where, when, which
/// version and on which system, with a backtrace.
pub fn install_panic_reports(data: &Path) {
    let dir = data.join(REPORTS_DIR);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(tanpa pesan)".into());
        let location = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        let thread = std::thread::current()
            .name()
            .unwrap_or("(tanpa nama)")
            .to_string();
        let backtrace = std::backtrace::Backtrace::force_capture();
        let text = report_text(&message, &location, &thread, &backtrace.to_string());
        if let Err(e) = write_report(&dir, &text) {
            // The log is the only place left to say it.
            log::error!(
                "laporan galat tidak dapat ditulis di {}: {e}",
                dir.display()
            );
        }
        log::error!("panic di {location}: {message}");
        previous(info);
    }));
}

/// The report's text: readable first, details after.
pub fn report_text(message: &str, location: &str, thread: &str, backtrace: &str) -> String {
    let now = crate::clock::local_now();
    format!(
        "LAPORAN KESALAHAN LAJUR\n\
         =======================\n\
         Lajur tertutup karena kesalahan program. Data yang sudah tersimpan tidak hilang:\n\
         setiap perubahan disimpan utuh atau tidak sama sekali.\n\
         Kirimkan berkas ini kepada pengelola Lajur.\n\n\
         Waktu     : {}\n\
         Versi     : Lajur {}\n\
         Sistem    : {} {}\n\
         Utas      : {thread}\n\
         Pesan     : {message}\n\
         Lokasi    : {location}\n\n\
         Jejak panggilan (backtrace):\n{backtrace}\n",
        now.format("%d-%m-%Y %H.%M.%S %:z"),
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH,
    )
}

/// Writes a report file ("galat-20261130-075512-123.txt"); returns its path.
pub fn write_report(dir: &Path, text: &str) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let stamp = crate::clock::local_now().format("%Y%m%d-%H%M%S-%3f");
    let path = dir.join(format!("galat-{stamp}.txt"));
    let mut file = File::create(&path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    Ok(path)
}

fn reports(dir: &Path) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    all.retain(|p| {
        p.file_name().is_some_and(|n| {
            let n = n.to_string_lossy();
            n.starts_with("galat-") && n.ends_with(".txt")
        })
    });
    all.sort();
    all
}

/// The newest crash report not yet offered to the user, if any.
pub fn unseen_report(data: &Path) -> Option<PathBuf> {
    let dir = data.join(REPORTS_DIR);
    let newest = reports(&dir).pop()?;
    let seen = std::fs::read_to_string(dir.join(SEEN_MARKER)).unwrap_or_default();
    let name = newest.file_name()?.to_string_lossy().into_owned();
    (seen.trim() < name.as_str()).then_some(newest)
}

/// Remembers that this report (and every older one) was offered.
pub fn mark_seen(report: &Path) -> std::io::Result<()> {
    let (Some(dir), Some(name)) = (report.parent(), report.file_name()) else {
        return Ok(());
    };
    std::fs::write(dir.join(SEEN_MARKER), name.to_string_lossy().as_bytes())
}

/// A log written to `data/log/lajur.log`, rotated to lajur.1.log … at
/// [`LOG_ROTATE_BYTES`], keeping [`LOG_KEEP`] old files. Lajur's own messages
/// from `info` up, other crates' (the window, the GPU) from `warn` up.
pub struct FileLog {
    dir: PathBuf,
    file: Mutex<Option<File>>,
}

impl FileLog {
    pub fn new(data: &Path) -> std::io::Result<FileLog> {
        let dir = data.join(LOG_DIR);
        std::fs::create_dir_all(&dir)?;
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join(LOG_FILE))?;
        Ok(FileLog {
            dir,
            file: Mutex::new(Some(file)),
        })
    }

    /// Installs it as the process's logger (once; later calls do nothing).
    pub fn install(data: &Path) -> std::io::Result<()> {
        let logger = FileLog::new(data)?;
        if log::set_boxed_logger(Box::new(logger)).is_ok() {
            log::set_max_level(log::LevelFilter::Info);
        }
        Ok(())
    }

    /// Appends one line, rotating first when the file is full.
    pub fn write_line(&self, line: &str) {
        let Ok(mut guard) = self.file.lock() else {
            return;
        };
        let full = guard
            .as_ref()
            .and_then(|f| f.metadata().ok())
            .is_some_and(|m| m.len() >= LOG_ROTATE_BYTES);
        if full {
            *guard = None;
            rotate(&self.dir);
            *guard = OpenOptions::new()
                .create(true)
                .append(true)
                .open(self.dir.join(LOG_FILE))
                .ok();
        }
        if let Some(f) = guard.as_mut() {
            writeln!(f, "{line}").unwrap_or_default();
        }
    }
}

/// lajur.log → lajur.1.log → lajur.2.log …; the oldest beyond LOG_KEEP goes.
fn rotate(dir: &Path) {
    let name = |n: usize| {
        if n == 0 {
            dir.join(LOG_FILE)
        } else {
            dir.join(format!("lajur.{n}.log"))
        }
    };
    // The log rotating itself cannot log its own failures.
    std::fs::remove_file(name(LOG_KEEP)).unwrap_or_default();
    for n in (0..LOG_KEEP).rev() {
        std::fs::rename(name(n), name(n + 1)).unwrap_or_default();
    }
}

impl log::Log for FileLog {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        if metadata.target().starts_with("lajur") {
            metadata.level() <= log::Level::Info
        } else {
            metadata.level() <= log::Level::Warn
        }
    }

    fn log(&self, record: &log::Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        self.write_line(&format!(
            "{} {:5} {}: {}",
            crate::clock::local_now().format("%Y-%m-%d %H:%M:%S%.3f"),
            record.level(),
            record.target(),
            record.args()
        ));
    }

    fn flush(&self) {
        if let Ok(mut guard) = self.file.lock()
            && let Some(f) = guard.as_mut()
        {
            // A log that cannot be written has no one to tell.
            f.flush().unwrap_or_default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_rotates_and_keeps_three_old_files() {
        let dir = tempfile::tempdir().expect("temp");
        let log = FileLog::new(dir.path()).expect("log");
        let line = "x".repeat(1000);
        // About 5 MB of lines: four rotations at 1 MB.
        for _ in 0..5200 {
            log.write_line(&line);
        }
        let logs = dir.path().join(LOG_DIR);
        let mut names: Vec<String> = std::fs::read_dir(&logs)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["lajur.1.log", "lajur.2.log", "lajur.3.log", "lajur.log"]
        );
        for n in &names {
            let size = std::fs::metadata(logs.join(n)).expect("meta").len();
            assert!(size <= LOG_ROTATE_BYTES + 1001, "{n}: {size}");
        }
    }

    #[test]
    fn a_report_is_offered_once() {
        let dir = tempfile::tempdir().expect("temp");
        assert_eq!(unseen_report(dir.path()), None);
        let path = write_report(
            &dir.path().join(REPORTS_DIR),
            &report_text("boom", "a.rs:1:2", "main", "bt"),
        )
        .expect("written");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains("Pesan     : boom") && text.contains("a.rs:1:2"));
        assert_eq!(unseen_report(dir.path()), Some(path.clone()));
        mark_seen(&path).expect("marked");
        assert_eq!(unseen_report(dir.path()), None);
        std::thread::sleep(std::time::Duration::from_millis(5));
        let newer = write_report(&dir.path().join(REPORTS_DIR), "again").expect("written");
        assert_eq!(unseen_report(dir.path()), Some(newer));
    }
}
