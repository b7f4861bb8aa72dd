//! Where the data folder is, and whether it is somewhere SQLite can lock safely.

use std::path::{Path, PathBuf};

/// The marker file that puts Lajur in portable mode (data beside the program).
pub const PORTABLE_MARKER: &str = "lajur-portable.txt";

/// The data folder: `data` beside the executable in portable mode, otherwise
/// the user's local (not roaming) data folder.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        && exe_dir.join(PORTABLE_MARKER).is_file()
    {
        return Some(exe_dir.join("data"));
    }
    directories::ProjectDirs::from("id", "Lajur", "Lajur").map(|d| d.data_local_dir().to_path_buf())
}

/// True for a folder on a network share, where SQLite's locking is not safe:
/// a UNC path (\\server\share) anywhere, a mapped network drive on Windows, an
/// NFS/SMB mount on Linux.
pub fn is_network_path(path: &Path) -> bool {
    let text = path.to_string_lossy();
    if text.starts_with("\\\\") && !text.starts_with("\\\\?\\") && !text.starts_with("\\\\.\\") {
        return true;
    }
    if text.starts_with("\\\\?\\UNC\\") {
        return true;
    }
    platform_is_network(path)
}

#[cfg(target_os = "linux")]
fn platform_is_network(path: &Path) -> bool {
    // The mount holding the nearest existing ancestor, from /proc/self/mounts.
    let Ok(mounts) = std::fs::read_to_string("/proc/self/mounts") else {
        return false;
    };
    let mut probe = path.to_path_buf();
    while !probe.exists() {
        if !probe.pop() {
            return false;
        }
    }
    let Ok(real) = probe.canonicalize() else {
        return false;
    };
    let mut best: Option<(usize, &str)> = None;
    for line in mounts.lines() {
        let mut fields = line.split_whitespace();
        let (Some(_dev), Some(mount_point), Some(fs_type)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        if real.starts_with(mount_point) && best.is_none_or(|(len, _)| mount_point.len() > len) {
            best = Some((mount_point.len(), fs_type));
        }
    }
    best.is_some_and(|(_, fs)| {
        matches!(
            fs,
            "nfs" | "nfs4" | "cifs" | "smb3" | "smbfs" | "9p" | "sshfs" | "fuse.sshfs"
        )
    })
}

#[cfg(windows)]
#[allow(unsafe_code)] // One call into the Windows API; see SAFETY below.
fn platform_is_network(path: &Path) -> bool {
    use std::os::windows::ffi::OsStrExt;
    // The drive root ("Z:\") of the path, asked of Windows.
    let text = path.to_string_lossy();
    let bytes = text.as_bytes();
    if bytes.len() < 2 || bytes[1] != b':' {
        return false;
    }
    let root: Vec<u16> = std::ffi::OsStr::new(&format!("{}:\\", &text[..1]))
        .encode_wide()
        .chain(Some(0))
        .collect();
    // DRIVE_REMOTE = 4.
    unsafe extern "system" {
        fn GetDriveTypeW(root: *const u16) -> u32;
    }
    // SAFETY: `root` is a NUL-terminated wide string that outlives the call.
    unsafe { GetDriveTypeW(root.as_ptr()) == 4 }
}

#[cfg(not(any(target_os = "linux", windows)))]
fn platform_is_network(_path: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unc_paths_are_network_shares() {
        assert!(is_network_path(Path::new("\\\\kantor\\berbagi\\lajur")));
        assert!(is_network_path(Path::new("\\\\?\\UNC\\kantor\\berbagi")));
        assert!(!is_network_path(Path::new("/tmp")));
    }
}
