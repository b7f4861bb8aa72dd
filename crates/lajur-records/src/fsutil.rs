//! Small file helpers the records and the exports share: names safe on
//! Windows, files written whole or not at all, new files that never replace
//! an earlier one.

use std::io::Write;
use std::path::Path;

/// A file name safe on Windows and everywhere else: no reserved characters or
/// device names (CON, NUL, COM1…), no trailing dots or spaces, at most 120 chars.
pub fn safe_file_name(name: &str, extension: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || "<>:\"/\\|?*".contains(c) {
                '-'
            } else {
                c
            }
        })
        .collect();
    let mut stem: String = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    stem = stem
        .trim_matches(|c: char| c == '.' || c == ' ')
        .to_string();
    if stem.chars().count() > 120 {
        stem = stem
            .chars()
            .take(120)
            .collect::<String>()
            .trim_end()
            .to_string();
    }
    const RESERVED: [&str; 22] = [
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
        "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];
    let base = stem.split('.').next().unwrap_or("").to_uppercase();
    if stem.is_empty() || RESERVED.contains(&base.as_str()) {
        stem = format!("lajur-{stem}");
    }
    format!("{stem}.{extension}")
}

/// Writes a new file, never over an existing one: when `path` is taken, the
/// next free "name (2).pdf", "name (3).pdf"… is used. Whole or not at all, as
/// [`write_atomically`]. Returns the path written.
pub fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<std::path::PathBuf> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "lajur".into());
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    for n in 1..1000 {
        let candidate = if n == 1 {
            path.to_path_buf()
        } else {
            dir.join(format!("{stem} ({n}){ext}"))
        };
        if candidate.exists() {
            continue;
        }
        // The temporary file is linked to the name only if nothing took it
        // meanwhile (a link never replaces); where links are not supported
        // (FAT drives), it is renamed after a last check.
        let temp = dir.join(format!(".{stem}.{}.baru", std::process::id()));
        let result = (|| {
            let mut file = std::fs::File::create(&temp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            drop(file);
            match std::fs::hard_link(&temp, &candidate) {
                Ok(()) => {
                    std::fs::remove_file(&temp)?;
                    Ok(true)
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
                Err(_) if !candidate.exists() => std::fs::rename(&temp, &candidate).map(|_| true),
                Err(_) => Ok(false),
            }
        })();
        remove_quietly(&temp);
        match result {
            Ok(true) => return Ok(candidate),
            Ok(false) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        "too many files with this name",
    ))
}

/// Writes a file so that it is either wholly there or not changed at all: a
/// temporary file beside it, flushed to disk, then renamed over the target.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "lajur".into());
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        remove_quietly(&temp);
    }
    result
}

/// Removes a file of ours that is no longer wanted (a temporary copy, an old
/// backup). Already gone is fine; any other failure is logged, since the
/// work it tidied after is done and nothing else can be done about it.
pub fn remove_quietly(path: &Path) {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => log::warn!("berkas {} tidak dapat dihapus: {e}", path.display()),
    }
}

/// A step that only makes a finished write more durable (flushing a
/// folder's entry): its failure is logged, never fatal.
pub fn log_if_failed(result: std::io::Result<()>, what: &str) {
    if let Err(e) = result {
        log::warn!("{what}: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_on_windows() {
        assert_eq!(
            safe_file_name("SOP 01/KPTS/2024: Medsos?", "pdf"),
            "SOP 01-KPTS-2024- Medsos-.pdf"
        );
        assert_eq!(safe_file_name("CON", "pdf"), "lajur-CON.pdf");
        assert_eq!(safe_file_name("  ...  ", "pdf"), "lajur-.pdf");
        assert_eq!(safe_file_name("nul.txt", "pdf"), "lajur-nul.txt.pdf");
        assert!(safe_file_name(&"a".repeat(300), "pdf").len() <= 124);
    }
}
