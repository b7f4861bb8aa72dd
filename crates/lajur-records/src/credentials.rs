//! The office server's password in the PC's own credential store (Windows
//! Credential Manager; the kernel keyring on Linux; Keychain on macOS), so
//! that it is typed once per PC and never written into a plain file. The data
//! folder keeps the address without it (`server-kantor.txt`).
//!
//! Where the PC has no store Lajur can use (a Linux session without a
//! keyring), the password is asked each time Lajur opens, as before, and the
//! one who typed it is told so.

use crate::server::Address;

/// The name under which Lajur's entries appear in the PC's store.
const SERVICE: &str = "Lajur: server kantor";

/// Why the PC's credential store could not keep or give the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable(pub String);

/// Which store this PC has, in the office's words.
pub fn store_name() -> lajur_core::locale::Text {
    use lajur_core::locale::Text;
    if cfg!(windows) {
        Text::CredentialStoreWindows
    } else if cfg!(target_os = "macos") {
        Text::CredentialStoreMac
    } else {
        Text::CredentialStoreOther
    }
}

/// Keeps `password` for the role and server of `address` on this PC.
pub fn remember(address: &Address, password: &str) -> Result<(), Unavailable> {
    platform::remember(&address.without_password(), password)
}

/// The password kept for the role and server of `address`, when there is one.
pub fn recall(address: &Address) -> Option<String> {
    platform::recall(&address.without_password())
}

/// Removes the password kept for `address` (nothing when there is none).
pub fn forget(address: &Address) -> Result<(), Unavailable> {
    platform::forget(&address.without_password())
}

#[cfg(any(windows, target_os = "linux", target_os = "macos"))]
mod platform {
    use super::{SERVICE, Unavailable};

    fn entry(key: &str) -> Result<keyring::Entry, Unavailable> {
        keyring::Entry::new(SERVICE, key).map_err(|e| Unavailable(e.to_string()))
    }

    pub fn remember(key: &str, password: &str) -> Result<(), Unavailable> {
        entry(key)?
            .set_password(password)
            .map_err(|e| Unavailable(e.to_string()))?;
        // A store that takes a password but cannot give it back (a Linux
        // session keyring that is not ours) is no store.
        match recall(key) {
            Some(kept) if kept == password => Ok(()),
            _ => Err(Unavailable("tidak dapat dibaca kembali".into())),
        }
    }

    pub fn recall(key: &str) -> Option<String> {
        match entry(key).ok()?.get_password() {
            Ok(p) => Some(p),
            Err(keyring::Error::NoEntry) => None,
            Err(e) => {
                ::log::warn!("penyimpan kredensial tidak dapat dibaca: {e}");
                None
            }
        }
    }

    pub fn forget(key: &str) -> Result<(), Unavailable> {
        match entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(Unavailable(e.to_string())),
        }
    }
}

#[cfg(not(any(windows, target_os = "linux", target_os = "macos")))]
mod platform {
    use super::Unavailable;

    pub fn remember(_: &str, _: &str) -> Result<(), Unavailable> {
        Err(Unavailable(
            "komputer ini tidak punya penyimpan kredensial".into(),
        ))
    }

    pub fn recall(_: &str) -> Option<String> {
        None
    }

    pub fn forget(_: &str) -> Result<(), Unavailable> {
        Ok(())
    }
}
