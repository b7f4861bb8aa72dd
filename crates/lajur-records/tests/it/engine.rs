#![allow(dead_code)] // Each test binary uses its own part of this module.
//! Which records the suite runs against. The same tests (records, crash,
//! tamper, library) are built twice: `it` on this PC's SQLite alone, and
//! `office_server` where every data folder a test opens is first joined to
//! its own database on a throwaway PostgreSQL cluster, so every write goes
//! through the office server's journal as on a shared PC.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use lajur_records::server::Address;
use lajur_records::{Access, Store, StoreError};

use crate::cluster::Cluster;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Engine {
    /// Each PC's SQLite file, nothing shared (the default).
    ThisPc,
    /// The records shared through the office server.
    OfficeServer,
}

/// Opens (creating if needed) the records in `dir` as [`Store::open`] does,
/// on this binary's engine.
pub fn open(dir: &Path) -> Result<Store, StoreError> {
    open_with(dir, Access::Exclusive)
}

/// [`Store::open_with`] on this binary's engine: on the office server a
/// folder not yet shared joins a new database of its own (an office's first
/// PC moving its records there) before the test sees it; a shared folder
/// catches up first.
pub fn open_with(dir: &Path, access: Access) -> Result<Store, StoreError> {
    let mut store = Store::open_with(dir, access)?;
    if store.is_linked() {
        // As the window and the command line do on opening a shared folder:
        // read what was written through the server since (another PC, or
        // this one before a crash cut its local commit short).
        store.catch_up()?;
    } else if crate::ENGINE == Engine::OfficeServer
        && let Some(cluster) = Cluster::for_this_process()
    {
        static DATABASES: AtomicUsize = AtomicUsize::new(0);
        let name = format!("kantor_{}", DATABASES.fetch_add(1, Ordering::Relaxed));
        let db = cluster.prepared_office(&name);
        let pc = Address::parse(&db.pc).expect("address");
        store.join_office_server(
            crate::cluster::administrator(&store).as_ref(),
            &pc,
            "pc-uji",
        )?;
    }
    Ok(store)
}

/// Whether the records this binary's tests open are shared.
pub fn shared() -> bool {
    crate::ENGINE == Engine::OfficeServer && Cluster::for_this_process().is_some()
}
