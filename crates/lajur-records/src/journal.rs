//! A PC's records linked to the office server's journal (see `server`).
//!
//! Every write of a linked store: take the office's write turn on the
//! server (an advisory lock: one PC writes at a time, the others wait their
//! turn), bring the local copy up to the journal's end, do the operation in
//! the local transaction while a SQLite session records its changes, add
//! those changes (and the bytes of any new draft) as the journal's next
//! entry, and only then commit locally. A failure anywhere before the
//! server took the entry leaves both sides as they were. Reading is local.

use std::cell::RefCell;

use postgres::Client;
use rusqlite::Connection;
use rusqlite::session::{ConflictAction, ConflictType, Session};

use crate::files::Blobs;
use crate::server::{Address, Server};
use crate::store::{Result, StoreError};
use lajur_core::failure::ServerProblem;

/// The office's write turn (an advisory lock on the server).
const WRITE_TURN: i64 = 0x4C4A_5553;

/// How a store reaches the office server.
pub struct Link {
    server: Server,
    address: Address,
    /// This PC's name, written with each entry.
    pc: String,
}

impl Link {
    pub fn connect(address: &Address, pc: &str) -> Result<Link> {
        let mut server = Server::connect(address).map_err(server_error)?;
        // A PC waiting for its turn longer than this is told the office's
        // records are busy, never left hanging.
        server
            .client()
            .batch_execute("SET lock_timeout = '15s'")
            .map_err(|e| StoreError::Server(server.problem(&e)))?;
        Ok(Link {
            server,
            address: address.clone(),
            pc: pc.to_string(),
        })
    }

    /// Another link to the same server (the worker's connection).
    pub fn another(&self) -> Result<Link> {
        Link::connect(&self.address, &self.pc)
    }

    fn client(&mut self) -> &mut Client {
        self.server.client()
    }

    fn fail(&self, e: &postgres::Error) -> StoreError {
        StoreError::Server(self.server.problem(e))
    }

    fn take_turn(&mut self) -> Result<()> {
        let r = self
            .client()
            .execute("SELECT pg_advisory_lock($1)", &[&WRITE_TURN]);
        r.map(|_| ()).map_err(|e| self.fail(&e))
    }

    fn end_turn(&mut self) {
        let r = self
            .client()
            .execute("SELECT pg_advisory_unlock($1)", &[&WRITE_TURN]);
        if let Err(e) = r {
            // A broken connection ends the turn on the server by itself.
            ::log::warn!("giliran menulis di server tidak dilepas: {e}");
        }
    }
}

fn server_error(e: crate::server::ServerError) -> StoreError {
    StoreError::Server(e.problem().clone())
}

/// The journal entry the local copy holds up to.
pub fn local_seq(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'journal_seq'), 0)",
        [],
        |r| r.get(0),
    )
}

fn set_local_seq(conn: &Connection, seq: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('journal_seq', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [seq.to_string()],
    )?;
    Ok(())
}

/// The SHA-256 of every draft a changeset adds.
fn files_added(conn: &Connection, changes: &[u8]) -> Result<Vec<String>> {
    let column = conn.query_row(
        "SELECT cid FROM pragma_table_info('attachments') WHERE name = 'sha256'",
        [],
        |r| r.get::<_, i64>(0),
    )? as usize;
    let mut input: &[u8] = changes;
    let reader: &mut dyn std::io::Read = &mut input;
    let mut items = rusqlite::session::ChangesetIter::start_strm(&reader)?;
    let mut found = Vec::new();
    use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
    while let Some(item) = items.next()? {
        let op = item.op()?;
        if op.table_name() == "attachments"
            && matches!(op.code(), rusqlite::hooks::Action::SQLITE_INSERT)
            && let rusqlite::types::ValueRef::Text(sha) = item.new_value(column)?
        {
            found.push(String::from_utf8_lossy(sha).into_owned());
        }
    }
    Ok(found)
}

/// Brings the local copy up to the journal's end, inside the caller's
/// transaction: applies each entry it lacks, in order, and fetches the
/// drafts they name. Returns how many entries were applied.
pub fn catch_up(link: &mut Link, conn: &Connection, blobs: &Blobs) -> Result<usize> {
    let from = local_seq(conn)?;
    let rows = link
        .client()
        .query(
            "SELECT seq, changes FROM journal WHERE seq > $1 ORDER BY seq",
            &[&from],
        )
        .map_err(|e| link.fail(&e))?;
    let mut expected = from + 1;
    for row in &rows {
        let seq: i64 = row.get(0);
        if seq != expected {
            return Err(StoreError::Server(ServerProblem::Other(format!(
                "riwayat server melompat dari {} ke {seq}",
                expected - 1
            ))));
        }
        let changes: Vec<u8> = row.get(1);
        let mut input: &[u8] = &changes;
        // The copy is the journal's up to here: any conflict means it is
        // not, and nothing is applied.
        conn.apply_strm(
            &mut input,
            None::<fn(&str) -> bool>,
            |_: ConflictType, _| ConflictAction::SQLITE_CHANGESET_ABORT,
        )?;
        for sha in files_added(conn, &changes)? {
            fetch_file(link, blobs, &sha)?;
        }
        expected += 1;
    }
    if let Some(last) = rows.last() {
        set_local_seq(conn, last.get(0))?;
        // What the entries touched is theirs, vouched for by their own log
        // rows: not counted again in this PC's next row.
        conn.execute("DELETE FROM temp.touched", [])?;
    }
    Ok(rows.len())
}

/// Copies a draft from the server into the local pool, checked against its
/// hash; one already here is kept.
fn fetch_file(link: &mut Link, blobs: &Blobs, sha256: &str) -> Result<()> {
    if blobs.path_of(sha256).exists() {
        return Ok(());
    }
    let row = link
        .client()
        .query_opt("SELECT bytes FROM files WHERE sha256 = $1", &[&sha256])
        .map_err(|e| link.fail(&e))?;
    let Some(row) = row else {
        return Err(StoreError::AttachmentMissing);
    };
    let bytes: Vec<u8> = row.get(0);
    let temp = std::env::temp_dir().join(format!(
        "lajur-unduh-{}-{}",
        std::process::id(),
        &sha256[..16.min(sha256.len())]
    ));
    std::fs::write(&temp, &bytes)?;
    let stored = blobs.store(&temp);
    crate::fsutil::remove_quietly(&temp);
    let (hash, _) = stored?;
    if hash != sha256 {
        return Err(StoreError::AttachmentDamaged);
    }
    Ok(())
}

/// A write in progress on a linked store (see the module's comment).
pub struct Turn<'a> {
    link: &'a RefCell<Option<Link>>,
    session: Option<Session<'a>>,
    ended: bool,
}

impl<'a> Turn<'a> {
    /// Takes the write turn and catches up; then the caller opens its
    /// transaction and calls [`Turn::record`]. None when not linked.
    pub fn take(link: &'a RefCell<Option<Link>>) -> Result<Option<Turn<'a>>> {
        let mut slot = link.borrow_mut();
        let Some(l) = slot.as_mut() else {
            return Ok(None);
        };
        l.take_turn()?;
        Ok(Some(Turn {
            link,
            session: None,
            ended: false,
        }))
    }

    /// Inside the caller's transaction: catches up with the journal, then
    /// starts recording this write's changes.
    pub fn record(&mut self, conn: &'a Connection, blobs: &Blobs) -> Result<()> {
        {
            let mut slot = self.link.borrow_mut();
            if let Some(l) = slot.as_mut() {
                catch_up(l, conn, blobs)?;
            }
        }
        let mut session = Session::new(conn)?;
        session.attach(None::<&str>)?;
        self.session = Some(session);
        Ok(())
    }

    /// Adds this write's changes as the journal's next entry (before the
    /// caller commits locally); nothing when it changed nothing.
    pub fn publish(&mut self, conn: &Connection, blobs: &Blobs) -> Result<()> {
        let Some(mut session) = self.session.take() else {
            return Ok(());
        };
        let mut changes = Vec::new();
        session.changeset_strm(&mut changes)?;
        drop(session);
        if changes.is_empty() {
            return Ok(());
        }
        let seq = local_seq(conn)? + 1;
        let (log_seq, log_hash) = crate::log::head(conn)?;
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        for sha in files_added(conn, &changes)? {
            let bytes = std::fs::read(blobs.path_of(&sha))?;
            files.push((sha, bytes));
        }
        let mut slot = self.link.borrow_mut();
        let Some(link) = slot.as_mut() else {
            return Ok(());
        };
        let pc = link.pc.clone();
        let written = (|| -> std::result::Result<(), postgres::Error> {
            let mut tx = link.client().transaction()?;
            for (sha, bytes) in &files {
                tx.execute(
                    "INSERT INTO files (sha256, size, bytes) VALUES ($1, $2, $3)
                     ON CONFLICT (sha256) DO NOTHING",
                    &[sha, &(bytes.len() as i64), bytes],
                )?;
            }
            tx.execute(
                "INSERT INTO journal (seq, pc, log_seq, log_hash, changes)
                 VALUES ($1, $2, $3, $4, $5)",
                &[&seq, &pc, &log_seq, &log_hash, &changes],
            )?;
            tx.commit()
        })();
        written.map_err(|e| link.fail(&e))?;
        set_local_seq(conn, seq)?;
        Ok(())
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        self.session = None;
        if !self.ended {
            self.ended = true;
            if let Ok(mut slot) = self.link.try_borrow_mut()
                && let Some(l) = slot.as_mut()
            {
                l.end_turn();
            }
        }
    }
}
