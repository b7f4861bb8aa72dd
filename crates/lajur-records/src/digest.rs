//! Digests of the records outside the log. Every log row carries, in its
//! `rows` column (inside its hash), the digest of each group of rows its
//! transaction wrote: a user, a kegiatan, its current step, an attachment, a
//! seal. `lajur verify` recomputes every group and compares it with the last
//! digest the chain holds for it, so a row added, changed or removed with
//! sqlite3 shows, however the chain is left.
//!
//! What a transaction touches is noted by temporary triggers on Lajur's own
//! connection (see [`watch`]): no write can forget to say what it wrote.

use std::collections::HashMap;

use rusqlite::Connection;
use rusqlite::types::ValueRef;
use sha2::{Digest, Sha256};

use crate::cached::Cached;

/// Lower-case hexadecimal, as every hash in the records is written.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// The tables covered, each with the column that groups its rows.
pub const COVERED: &[(&str, &str)] = &[
    ("users", "id"),
    ("user_lanes", "user_id"),
    ("sop_versions", "id"),
    ("kegiatan", "id"),
    ("current_steps", "kegiatan_id"),
    ("current_lanes", "kegiatan_id"),
    ("visits", "kegiatan_id"),
    ("step_events", "id"),
    ("attachments", "id"),
    ("signing_keys", "id"),
    ("seals", "id"),
    ("office", "id"),
    ("sop_library", "id"),
    ("sop_revisions", "id"),
];

/// A group no longer in the table.
pub const GONE: &str = "-";

/// Installs the temporary triggers that note every covered group written on
/// this connection (they live and die with it; sqlite3 never sees them).
pub fn watch(conn: &Connection) -> rusqlite::Result<()> {
    let mut sql = String::from(
        "CREATE TEMP TABLE IF NOT EXISTS touched (tbl TEXT NOT NULL, key INTEGER NOT NULL, PRIMARY KEY (tbl, key));\n",
    );
    for (table, key) in COVERED {
        for (event, row) in [
            ("INSERT", "NEW"),
            ("UPDATE", "OLD"),
            ("UPDATE", "NEW"),
            ("DELETE", "OLD"),
        ] {
            // The test in WHEN, not in the body: a body that reads the table
            // it inserts into makes SQLite copy its rows to a temporary
            // b-tree first, at every row written (and no conflict clause in
            // the body: the statement that fires a trigger imposes its own,
            // an upsert's, on it).
            sql.push_str(&format!(
                "CREATE TEMP TRIGGER IF NOT EXISTS watch_{table}_{}_{} AFTER {event} ON main.{table} \
                 WHEN NOT EXISTS (SELECT 1 FROM touched WHERE tbl = '{table}' AND key = {row}.{key}) \
                 BEGIN INSERT INTO touched VALUES ('{table}', {row}.{key}); END;\n",
                event.to_lowercase(),
                row.to_lowercase()
            ));
        }
    }
    conn.execute_batch(&sql)
}

/// The digests of the groups touched since the last log row, as the log
/// keeps them ("kegiatan:12:ab34… visits:12:…"), and forgets them.
pub fn take_touched(conn: &Connection) -> rusqlite::Result<String> {
    let touched: Vec<(String, i64)> = {
        let mut stmt =
            conn.prepare_cached("SELECT tbl, key FROM temp.touched ORDER BY tbl, key")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut tokens = Vec::with_capacity(touched.len());
    for (table, key) in touched {
        let Some((_, column)) = COVERED.iter().find(|(t, _)| *t == table) else {
            continue;
        };
        let digest = group_digest(conn, &table, column, key)?;
        tokens.push(format!(
            "{table}:{key}:{}",
            digest.as_deref().unwrap_or(GONE)
        ));
    }
    conn.execute_cached("DELETE FROM temp.touched", [])?;
    Ok(tokens.join(" "))
}

/// Notes every group of every covered table as touched (a baseline row after
/// a migration from records that had no digests yet).
pub fn touch_all(conn: &Connection) -> rusqlite::Result<()> {
    for (table, key) in COVERED {
        conn.execute(
            &format!("INSERT OR IGNORE INTO temp.touched SELECT DISTINCT '{table}', {key} FROM main.{table}"),
            [],
        )?;
    }
    Ok(())
}

fn row_digest(row: &rusqlite::Row<'_>, columns: usize) -> rusqlite::Result<[u8; 32]> {
    let mut h = Sha256::new();
    for i in 0..columns {
        hash_value(&mut h, row.get_ref(i)?);
    }
    Ok(h.finalize().into())
}

/// A row's digest from its values, in its table's column order (as
/// [`group_digest`] reads them).
pub fn row_digest_of<'a>(values: impl IntoIterator<Item = ValueRef<'a>>) -> [u8; 32] {
    let mut h = Sha256::new();
    for v in values {
        hash_value(&mut h, v);
    }
    h.finalize().into()
}

fn hash_value(h: &mut Sha256, value: ValueRef<'_>) {
    match value {
        ValueRef::Null => h.update([0u8]),
        ValueRef::Integer(v) => {
            h.update([1u8]);
            h.update(v.to_be_bytes());
        }
        ValueRef::Real(v) => {
            h.update([2u8]);
            h.update(v.to_be_bytes());
        }
        ValueRef::Text(t) => {
            h.update([3u8]);
            h.update((t.len() as u64).to_be_bytes());
            h.update(t);
        }
        ValueRef::Blob(b) => {
            h.update([4u8]);
            h.update((b.len() as u64).to_be_bytes());
            h.update(b);
        }
    }
}

/// The digest of a group from its rows' digests, or None when it has none
/// (as [`group_digest`] gives it).
pub fn digest_of_rows(rows: Vec<[u8; 32]>) -> Option<String> {
    (!rows.is_empty()).then(|| combine(rows))
}

/// Rows in any order make the same digest (a VACUUM may renumber rowids).
fn combine(mut rows: Vec<[u8; 32]>) -> String {
    rows.sort_unstable();
    let mut h = Sha256::new();
    for r in &rows {
        h.update(r);
    }
    hex(&h.finalize()[..16])
}

/// The digest of one group, or None when it has no rows.
pub fn group_digest(
    conn: &Connection,
    table: &str,
    column: &str,
    key: i64,
) -> rusqlite::Result<Option<String>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT * FROM main.{table} WHERE {column} = ?1"))?;
    let columns = stmt.column_count();
    let rows: Vec<[u8; 32]> = stmt
        .query_map([key], |r| row_digest(r, columns))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(digest_of_rows(rows))
}

/// Every group of a table and its digest, in one pass.
pub fn all_groups(
    conn: &Connection,
    table: &str,
    column: &str,
) -> rusqlite::Result<HashMap<i64, String>> {
    let mut stmt = conn.prepare(&format!("SELECT * FROM main.{table}"))?;
    let columns = stmt.column_count();
    let key_at = stmt.column_index(column)?;
    let mut groups: HashMap<i64, Vec<[u8; 32]>> = HashMap::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let key: i64 = r.get(key_at)?;
        groups.entry(key).or_default().push(row_digest(r, columns)?);
    }
    Ok(groups
        .into_iter()
        .map(|(k, rows)| (k, combine(rows)))
        .collect())
}

/// The groups a log row's `rows` text names: (table, key, digest).
pub fn named_in(text: &str) -> impl Iterator<Item = (&str, i64, &str)> {
    text.split(' ').filter_map(|token| {
        let mut parts = token.splitn(3, ':');
        let (table, key, digest) = (parts.next()?, parts.next()?, parts.next()?);
        Some((table, key.parse::<i64>().ok()?, digest))
    })
}

/// The last digest the log holds for every group it has seen, with the seq
/// of the row that holds it.
pub fn logged(conn: &Connection) -> rusqlite::Result<HashMap<(String, i64), (String, i64)>> {
    let mut stmt = conn.prepare("SELECT seq, rows FROM log WHERE rows != '' ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    let mut last = HashMap::new();
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let text: String = r.get(1)?;
        for (table, key, digest) in named_in(&text) {
            last.insert((table.to_string(), key), (digest.to_string(), seq));
        }
    }
    Ok(last)
}
