//! The activity log's hash chain: every row's hash covers its content and the
//! previous row's hash, so an edit, a deletion or a reordering breaks the chain.

use lajur_core::records::ChainBreak as Break;
use rusqlite::{Connection, params};
use sha2::{Digest, Sha256};

use crate::cached::Cached;

/// The hash before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One row as it is hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub seq: i64,
    pub at: String,
    pub actor: Option<i64>,
    pub on_behalf_of: Option<i64>,
    pub kegiatan_id: Option<i64>,
    pub step_id: Option<String>,
    pub action: String,
    pub detail: String,
    pub note: String,
    pub attachments: String,
}

pub use crate::digest::hex;

/// Length-prefixed fields: unambiguous, whatever the text contains.
fn feed(h: &mut Sha256, field: &str) {
    h.update((field.len() as u64).to_be_bytes());
    h.update(field.as_bytes());
}

/// A row's hash. `rows` (the digests of the records the row left behind, see
/// [`crate::digest`]) is hashed only when there are any, so rows written
/// before digests existed keep their hashes.
pub fn row_hash(prev: &str, e: &Entry, rows: &str) -> String {
    let mut h = Sha256::new();
    let opt = |v: Option<i64>| v.map_or_else(|| "-".to_string(), |v| v.to_string());
    for field in [
        prev,
        &e.seq.to_string(),
        &e.at,
        &opt(e.actor),
        &opt(e.on_behalf_of),
        &opt(e.kegiatan_id),
        e.step_id.as_deref().unwrap_or("-"),
        &e.action,
        &e.detail,
        &e.note,
        &e.attachments,
    ] {
        feed(&mut h, field);
    }
    if !rows.is_empty() {
        feed(&mut h, rows);
    }
    hex(&h.finalize())
}

/// Appends a row about the office as a whole: no kegiatan, step or files.
pub fn append_office(
    conn: &Connection,
    at: &str,
    actor: Option<i64>,
    action: &str,
    detail: String,
    note: &str,
) -> rusqlite::Result<i64> {
    append(
        conn,
        Entry {
            seq: 0,
            at: at.to_string(),
            actor,
            on_behalf_of: None,
            kegiatan_id: None,
            step_id: None,
            action: action.to_string(),
            detail,
            note: note.to_string(),
            attachments: String::new(),
        },
    )
}

/// The chain head: the last row and its hash (row 0 and the genesis hash
/// before the first).
pub fn head(conn: &Connection) -> rusqlite::Result<(i64, String)> {
    conn.prepare_cached("SELECT seq, hash FROM log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .or_else(|err| match err {
            rusqlite::Error::QueryReturnedNoRows => Ok((0, GENESIS.to_string())),
            other => Err(other),
        })
}

/// The seq the next appended row will have (inside the caller's IMMEDIATE
/// transaction, so no other writer takes it first).
pub fn next_seq(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row_cached("SELECT COALESCE(MAX(seq), 0) + 1 FROM log", [], |r| {
        r.get(0)
    })
}

/// Appends a row (inside the caller's transaction, after its other writes):
/// it carries the digests of every record the transaction touched. Returns
/// its seq.
pub fn append(conn: &Connection, mut e: Entry) -> rusqlite::Result<i64> {
    let (last_seq, prev) = head(conn)?;
    e.seq = last_seq + 1;
    let rows = crate::digest::take_touched(conn)?;
    let hash = row_hash(&prev, &e, &rows);
    conn.execute_cached(
        "INSERT INTO log (seq, at, actor, on_behalf_of, kegiatan_id, step_id, action, detail, note, attachments, prev_hash, hash, rows)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![e.seq, e.at, e.actor, e.on_behalf_of, e.kegiatan_id, e.step_id, e.action, e.detail, e.note, e.attachments, prev, hash, rows],
    )?;
    conn.execute_cached(
        "INSERT INTO meta (key, value) VALUES ('log_head', ?1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![format!("{}:{hash}", e.seq)],
    )?;
    Ok(e.seq)
}

/// Walks the whole chain; returns the number of rows, or the first break.
pub fn verify(conn: &Connection) -> rusqlite::Result<Result<i64, Break>> {
    // A backup from before digests has no `rows` column.
    let has_rows: i64 = conn.query_row(
        "SELECT COUNT(*) FROM pragma_table_info('log') WHERE name = 'rows'",
        [],
        |r| r.get(0),
    )?;
    let rows_column = if has_rows > 0 { "rows" } else { "''" };
    let mut stmt = conn.prepare(&format!(
        "SELECT seq, at, actor, on_behalf_of, kegiatan_id, step_id, action, detail, note, attachments, prev_hash, hash, {rows_column} FROM log ORDER BY rowid",
    ))?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1;
    let mut count = 0;
    while let Some(r) = rows.next()? {
        let e = Entry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            on_behalf_of: r.get(3)?,
            kegiatan_id: r.get(4)?,
            step_id: r.get(5)?,
            action: r.get(6)?,
            detail: r.get(7)?,
            note: r.get(8)?,
            attachments: r.get(9)?,
        };
        let stored_prev: String = r.get(10)?;
        let stored: String = r.get(11)?;
        let rows: String = r.get(12)?;
        if e.seq != expected_seq {
            return Ok(Err(Break::Gap { seq: e.seq }));
        }
        if stored_prev != prev || row_hash(&prev, &e, &rows) != stored {
            return Ok(Err(Break::Altered { seq: e.seq }));
        }
        prev = stored;
        expected_seq += 1;
        count += 1;
    }
    let head: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'log_head'", [], |r| {
            r.get(0)
        })
        .ok();
    if let Some(head) = head {
        if head != format!("{count}:{prev}") {
            return Ok(Err(Break::Truncated { last_seq: count }));
        }
    } else if count > 0 {
        return Ok(Err(Break::Truncated { last_seq: count }));
    }
    Ok(Ok(count))
}
