//! A PC's records linked to the office server's journal (see `server`).
//!
//! Every write of a linked store: take the office's write turn on the
//! server (an advisory lock: one PC writes at a time, the others wait their
//! turn), bring the local copy up to the journal's end, do the operation in
//! the local transaction, add what it wrote as the journal's next entry,
//! and only then commit locally. A failure anywhere before the server took
//! the entry leaves both sides as they were. Reading is local.
//!
//! What a transaction wrote is known without asking it: its log rows name
//! every group of rows it touched (see `digest`); an entry carries those
//! log rows and each named group's rows as they now are (none: removed).
//! A PC applying an entry checks that the chain goes on from its own head
//! and that every group it wrote has the digest its log row vouches for, so
//! neither a damaged entry nor one a server's owner forged slips in.

use std::cell::RefCell;
use std::collections::BTreeSet;

use postgres::Client;
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use serde::{Deserialize, Serialize};

use crate::cached::Cached;
use crate::digest::{self, COVERED, GONE};
use crate::files::Blobs;
use crate::server::{Address, Server};
use lajur_core::failure::ServerProblem;

/// Why the journal could not be read or written (the store says it in the
/// clerk's words).
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("the office server: {0:?}")]
    Server(ServerProblem),
    #[error("an entry of a newer Lajur (schema {found}, this build knows {known})")]
    NewerVersion { found: i32, known: i32 },
    #[error("a draft the journal names is not on the server")]
    FileMissing,
    #[error("a draft from the server does not match its hash")]
    FileDamaged,
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("file: {0}")]
    Io(#[from] std::io::Error),
    #[error("file: {0:?}")]
    Blob(crate::files::BlobError),
}

impl From<crate::files::BlobError> for JournalError {
    fn from(e: crate::files::BlobError) -> Self {
        JournalError::Blob(e)
    }
}

pub type Result<T> = std::result::Result<T, JournalError>;

/// The office's write turn (an advisory lock on the server).
const WRITE_TURN: i64 = 0x4C4A_5553;

/// One value of a row, as an entry carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Value {
    N,
    I(i64),
    R(f64),
    T(String),
    B(Vec<u8>),
}

impl Value {
    fn of(v: ValueRef<'_>) -> Value {
        match v {
            ValueRef::Null => Value::N,
            ValueRef::Integer(i) => Value::I(i),
            ValueRef::Real(r) => Value::R(r),
            ValueRef::Text(t) => Value::T(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Value::B(b.to_vec()),
        }
    }

    fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Value::N => ValueRef::Null,
            Value::I(i) => ValueRef::Integer(*i),
            Value::R(r) => ValueRef::Real(*r),
            Value::T(t) => ValueRef::Text(t.as_bytes()),
            Value::B(b) => ValueRef::Blob(b),
        }
    }
}

/// Bound as it is: an entry's text and bytes go into SQLite without a copy.
impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(rusqlite::types::ToSqlOutput::Borrowed(self.as_ref()))
    }
}

/// Rows of one table, with their columns' names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Rows {
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
}

/// A group of rows (see `digest::COVERED`) as the entry's transaction left it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Group {
    table: String,
    key: i64,
    rows: Rows,
}

/// One journal entry: what one transaction on one PC wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Entry {
    /// The rows it carries are of this schema's (see
    /// `schema::ROWS_VERSION`).
    schema: i32,
    log: Rows,
    groups: Vec<Group>,
}

/// One row's values, as an entry carries them.
fn values_of(row: &rusqlite::Row<'_>, count: usize) -> rusqlite::Result<Vec<Value>> {
    (0..count).map(|i| row.get_ref(i).map(Value::of)).collect()
}

fn read_rows(conn: &Connection, sql: &str, param: i64) -> rusqlite::Result<Rows> {
    let mut stmt = conn.prepare_cached(sql)?;
    let columns: Vec<String> = stmt.column_names().map(str::to_string).collect();
    let count = columns.len();
    let rows = stmt
        .query_map([param], |r| values_of(r, count))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Rows { columns, rows })
}

fn column_of(rows: &Rows, name: &str) -> Option<usize> {
    rows.columns.iter().position(|c| c == name)
}

/// The groups named by log rows, in the order first named.
fn groups_named(log: &Rows) -> Vec<(String, i64, String)> {
    let Some(at) = column_of(log, "rows") else {
        return Vec::new();
    };
    let mut named: std::collections::BTreeMap<(String, i64), String> = Default::default();
    for row in &log.rows {
        let Some(Value::T(text)) = row.get(at) else {
            continue;
        };
        for (table, key, digest) in digest::named_in(text) {
            // The last digest named for a group is the one it must have.
            named.insert((table.to_string(), key), digest.to_string());
        }
    }
    named
        .into_iter()
        .map(|((table, key), digest)| (table, key, digest))
        .collect()
}

/// What one transaction wrote since the log row `after`: its log rows and
/// the groups they name, read as they are now.
fn entry_since(conn: &Connection, after: i64) -> Result<Option<Entry>> {
    let log = read_rows(conn, "SELECT * FROM log WHERE seq > ?1 ORDER BY seq", after)?;
    if log.rows.is_empty() {
        return Ok(None);
    }
    let mut groups = Vec::new();
    for (table, key, _) in groups_named(&log) {
        let Some((_, column)) = COVERED.iter().find(|(t, _)| *t == table) else {
            continue;
        };
        let rows = read_rows(
            conn,
            &format!("SELECT * FROM main.{table} WHERE {column} = ?1"),
            key,
        )?;
        groups.push(Group { table, key, rows });
    }
    Ok(Some(Entry {
        schema: crate::schema::ROWS_VERSION,
        log,
        groups,
    }))
}

/// The SHA-256 of every draft an entry's groups hold.
fn files_of(entry: &Entry) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for g in entry.groups.iter().filter(|g| g.table == "attachments") {
        if let Some(at) = column_of(&g.rows, "sha256") {
            for row in &g.rows.rows {
                if let Some(Value::T(sha)) = row.get(at) {
                    found.insert(sha.clone());
                }
            }
        }
    }
    found
}

/// What a table is here, asked once per connection.
struct Known {
    /// Its columns with their affinities: an entry naming another is
    /// refused (its names go into SQL only once checked against these).
    columns: Vec<(String, Affinity)>,
    /// Its own id: the one column of its primary key, declared INTEGER (the
    /// row's rowid). A group keyed by it is one row, and names it.
    own_id: Option<String>,
}

fn known_columns(conn: &Connection, table: &str) -> rusqlite::Result<Known> {
    let mut stmt = conn.prepare_cached("SELECT name, type, pk FROM pragma_table_info(?1)")?;
    let rows: Vec<(String, String, i64)> = stmt
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let key: Vec<&(String, String, i64)> = rows.iter().filter(|(_, _, pk)| *pk > 0).collect();
    let own_id = match key.as_slice() {
        [(name, declared, _)] if declared.eq_ignore_ascii_case("INTEGER") => Some(name.clone()),
        _ => None,
    };
    Ok(Known {
        columns: rows
            .iter()
            .map(|(name, declared, _)| (name.clone(), Affinity::of(declared)))
            .collect(),
        own_id,
    })
}

/// What SQLite may turn a value into in a column, by its declared type
/// (SQLite's rules of type affinity): which values are stored as they
/// come.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Affinity {
    Integer,
    Text,
    Blob,
    /// REAL or NUMERIC (no such column today): nothing is assumed.
    Other,
}

impl Affinity {
    fn of(declared: &str) -> Affinity {
        let declared = declared.to_ascii_uppercase();
        if declared.contains("INT") {
            Affinity::Integer
        } else if ["CHAR", "CLOB", "TEXT"]
            .iter()
            .any(|t| declared.contains(t))
        {
            Affinity::Text
        } else if declared.is_empty() || declared.contains("BLOB") {
            Affinity::Blob
        } else {
            Affinity::Other
        }
    }

    /// Whether `value` is stored exactly as it is (an integer in a text
    /// column becomes text, text in an integer column may become a number).
    fn keeps(self, value: &Value) -> bool {
        matches!(
            (self, value),
            (_, Value::N | Value::B(_))
                | (Affinity::Blob, _)
                | (Affinity::Integer, Value::I(_))
                | (Affinity::Text, Value::T(_))
        )
    }
}

fn not_ours(what: &str) -> JournalError {
    JournalError::Server(ServerProblem::Other(format!(
        "entri riwayat server tidak sesuai: {what}"
    )))
}

/// What applying entries asks of the local tables, once per connection (a
/// store's schema does not change while it is open).
#[derive(Default)]
struct Tables {
    known: std::collections::HashMap<String, Known>,
}

impl Tables {
    fn of(&mut self, conn: &Connection, table: &str) -> rusqlite::Result<&Known> {
        if !self.known.contains_key(table) {
            let found = known_columns(conn, table)?;
            self.known.insert(table.to_string(), found);
        }
        Ok(&self.known[table])
    }
}

/// What a catch-up reads once for all the entries it applies.
struct Applying {
    /// The local log's head: before the next entry, after the last.
    head: (i64, String),
    /// Log rows up to here are on this PC already (a copy rebuilt from the
    /// office's journal keeps its own log, which the office's continues).
    log_kept: i64,
    tables: Tables,
}

fn insert_rows<R: AsRef<[Value]>>(
    conn: &Connection,
    applying: &mut Applying,
    table: &str,
    columns: &[String],
    rows: &[R],
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    known_checked(conn, applying, table, columns)?;
    let sql = format!(
        "INSERT INTO main.{table} ({}) VALUES ({})",
        columns.join(", "),
        (1..=columns.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    for row in rows {
        let row = row.as_ref();
        if row.len() != columns.len() {
            return Err(not_ours("baris tidak lengkap"));
        }
        stmt.execute(rusqlite::params_from_iter(row))?;
    }
    Ok(())
}

/// Refuses columns this copy's table does not have (their names go into
/// SQL only once checked); the affinity of each.
fn known_checked(
    conn: &Connection,
    applying: &mut Applying,
    table: &str,
    columns: &[String],
) -> Result<Vec<Affinity>> {
    let known = applying.tables.of(conn, table)?;
    columns
        .iter()
        .map(|c| {
            known
                .columns
                .iter()
                .find(|(name, _)| name == c)
                .map(|(_, affinity)| *affinity)
                .ok_or_else(|| not_ours(&format!("kolom asing di {table}")))
        })
        .collect()
}

/// Applies one entry to the local copy, inside the caller's transaction,
/// checking it against the chain and the digests its log rows carry.
fn apply(conn: &Connection, entry: &Entry, applying: &mut Applying) -> Result<()> {
    if entry.schema > crate::schema::CURRENT_VERSION {
        return Err(JournalError::NewerVersion {
            found: entry.schema,
            known: crate::schema::CURRENT_VERSION,
        });
    }
    let (head_seq, head_hash) = applying.head.clone();
    let (seq_at, prev_at, hash_at) = (
        column_of(&entry.log, "seq"),
        column_of(&entry.log, "prev_hash"),
        column_of(&entry.log, "hash"),
    );
    let (Some(seq_at), Some(prev_at), Some(hash_at)) = (seq_at, prev_at, hash_at) else {
        return Err(not_ours("baris log tanpa urutan"));
    };
    let kept = applying.log_kept;
    let new_rows: Vec<&Vec<Value>> = entry
        .log
        .rows
        .iter()
        .filter(|row| !matches!(row[seq_at], Value::I(seq) if seq <= kept))
        .collect();
    let (mut expect_seq, mut expect_prev) = (head_seq + 1, head_hash);
    for row in &new_rows {
        match (&row[seq_at], &row[prev_at], &row[hash_at]) {
            (Value::I(seq), Value::T(prev), Value::T(hash))
                if *seq == expect_seq
                    && *prev == expect_prev
                    && hashed(&entry.log, row, prev).as_deref() == Some(hash) =>
            {
                expect_seq += 1;
                expect_prev = hash.clone();
            }
            _ => return Err(not_ours("rantai log tidak bersambung")),
        }
    }
    // Each group's table by its place in COVERED, parents (users, kegiatan)
    // before the rows that name them: rows leave children first, then come
    // or change parents first, so every reference holds at once. The log
    // rows last: they name users and kegiatan; a step event's reference to
    // its log row is checked at commit (see the schema).
    let mut plans: Vec<(usize, Plan)> = Vec::with_capacity(entry.groups.len());
    // What each group will digest to, known from the entry's rows when
    // SQLite keeps them as they come (see `Plan::Differ`).
    let mut after: std::collections::HashMap<(usize, i64), Option<String>> = Default::default();
    let mut named = std::collections::HashSet::with_capacity(entry.groups.len());
    for group in &entry.groups {
        let Some(place) = COVERED.iter().position(|(t, _)| *t == group.table) else {
            return Err(not_ours(&format!("tabel asing {}", group.table)));
        };
        if !named.insert((place, group.key)) {
            return Err(not_ours(&format!("{} {} dua kali", group.table, group.key)));
        }
        let (table, column) = COVERED[place];
        let plan = plan_group(conn, applying, table, column, group)?;
        if let Plan::Differ {
            after: Some(digest),
            ..
        } = &plan
        {
            after.insert((place, group.key), digest.clone());
        }
        plans.push((place, plan));
    }
    plans.sort_by_key(|(place, _)| *place);
    for (place, plan) in plans.iter().rev() {
        let (table, column) = COVERED[*place];
        plan.remove(conn, table, column)?;
    }
    for (place, plan) in &plans {
        plan.put(conn, applying, COVERED[*place].0)?;
    }
    insert_rows(conn, applying, "log", &entry.log.columns, &new_rows)?;
    applying.head = (expect_seq - 1, expect_prev);
    // Every group as its log row vouches for it.
    for (table, key, vouched) in groups_named(&entry.log) {
        let Some(place) = COVERED.iter().position(|(t, _)| *t == table) else {
            continue;
        };
        let now = match after.remove(&(place, key)) {
            Some(digest) => digest,
            None => digest::group_digest(conn, &table, COVERED[place].1, key)?,
        };
        if now.as_deref().unwrap_or(GONE) != vouched {
            return Err(not_ours(&format!("{table} {key} tidak sesuai lognya")));
        }
    }
    Ok(())
}

/// The hash a log row's content makes after `prev` (see `log::row_hash`),
/// None when a field is missing or of the wrong kind: a row altered after
/// it was hashed does not go on the chain here.
fn hashed(log: &Rows, row: &[Value], prev: &str) -> Option<String> {
    let field = |name: &str| column_of(log, name).and_then(|i| row.get(i));
    let text = |name: &str| match field(name) {
        Some(Value::T(t)) => Some(t.clone()),
        _ => None,
    };
    let number = |name: &str| match field(name) {
        Some(Value::I(i)) => Some(Some(*i)),
        Some(Value::N) => Some(None),
        _ => None,
    };
    let entry = crate::log::Entry {
        seq: number("seq")??,
        at: text("at")?,
        actor: number("actor")?,
        on_behalf_of: number("on_behalf_of")?,
        kegiatan_id: number("kegiatan_id")?,
        step_id: match field("step_id")? {
            Value::T(t) => Some(t.clone()),
            Value::N => None,
            _ => return None,
        },
        action: text("action")?,
        detail: text("detail")?,
        note: text("note")?,
        attachments: text("attachments")?,
    };
    Some(crate::log::row_hash(prev, &entry, &text("rows")?))
}

/// How one group's rows here become what the entry says, touching only the
/// rows that differ: most of an entry's groups are one row changed among
/// rows as they were (a kegiatan's visits), and each row written also fires
/// the triggers that note it.
enum Plan<'e> {
    /// Rows here (by rowid) that go, rows that come; a changed row keyed by
    /// its table's own id is updated in place instead, so the rows that
    /// name it keep their parent.
    Differ {
        gone: Vec<i64>,
        changed: Option<(i64, &'e [Value])>,
        added: Vec<&'e [Value]>,
        columns: &'e [String],
        /// Then the group's rows are the entry's, in the table's column
        /// order: their digest, when SQLite stores each value as it comes
        /// (else it is read back once they are in).
        after: Option<Option<String>>,
    },
    /// The group's rows here have other columns (another build's copy):
    /// all of them go, the entry's come.
    Replace(&'e Group),
}

fn plan_group<'e>(
    conn: &Connection,
    applying: &mut Applying,
    table: &str,
    column: &str,
    group: &'e Group,
) -> Result<Plan<'e>> {
    let columns = &group.rows.columns;
    // Every row is of the group it comes in (none slips into another).
    let key_at = column_of(&group.rows, column)
        .ok_or_else(|| not_ours(&format!("{table} tanpa kolom {column}")))?;
    for row in &group.rows.rows {
        if row.len() != columns.len() {
            return Err(not_ours("baris tidak lengkap"));
        }
        if row[key_at] != Value::I(group.key) {
            return Err(not_ours(&format!("baris {table} di luar kelompoknya")));
        }
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT _rowid_, * FROM main.{table} WHERE {column} = ?1"
    ))?;
    if stmt
        .column_names()
        .skip(1)
        .ne(columns.iter().map(String::as_str))
    {
        return Ok(Plan::Replace(group));
    }
    let affinities = known_checked(conn, applying, table, columns)?;
    let after = group
        .rows
        .rows
        .iter()
        .all(|row| affinities.iter().zip(row).all(|(a, v)| a.keeps(v)))
        .then(|| {
            digest::digest_of_rows(
                group
                    .rows
                    .rows
                    .iter()
                    .map(|row| digest::row_digest_of(row.iter().map(Value::as_ref)))
                    .collect(),
            )
        });
    let count = columns.len();
    let here = stmt
        .query_map([group.key], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                (1..=count)
                    .map(|i| r.get_ref(i).map(Value::of))
                    .collect::<rusqlite::Result<Vec<_>>>()?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut wanted: Vec<Option<&[Value]>> =
        group.rows.rows.iter().map(|r| Some(r.as_slice())).collect();
    let mut gone = Vec::new();
    for (rowid, values) in &here {
        match wanted.iter_mut().find(|w| **w == Some(values.as_slice())) {
            Some(same) => *same = None,
            None => gone.push(*rowid),
        }
    }
    let mut added: Vec<&[Value]> = wanted.into_iter().flatten().collect();
    let changed = match (gone.as_slice(), added.as_slice()) {
        ([rowid], [row]) if applying.tables.of(conn, table)?.own_id.as_deref() == Some(column) => {
            Some((*rowid, *row))
        }
        _ => None,
    };
    if changed.is_some() {
        gone.clear();
        added.clear();
    }
    Ok(Plan::Differ {
        gone,
        changed,
        added,
        columns,
        after,
    })
}

impl Plan<'_> {
    fn remove(&self, conn: &Connection, table: &str, column: &str) -> Result<()> {
        match self {
            Plan::Differ { gone, .. } => {
                if gone.is_empty() {
                    return Ok(());
                }
                let mut remove =
                    conn.prepare_cached(&format!("DELETE FROM main.{table} WHERE _rowid_ = ?1"))?;
                for rowid in gone {
                    remove.execute([rowid])?;
                }
            }
            Plan::Replace(group) => {
                conn.prepare_cached(&format!("DELETE FROM main.{table} WHERE {column} = ?1"))?
                    .execute([group.key])?;
            }
        }
        Ok(())
    }

    fn put(&self, conn: &Connection, applying: &mut Applying, table: &str) -> Result<()> {
        let (changed, added, columns) = match self {
            Plan::Differ {
                changed,
                added,
                columns,
                ..
            } => (changed, added, *columns),
            Plan::Replace(group) => {
                return insert_rows(conn, applying, table, &group.rows.columns, &group.rows.rows);
            }
        };
        // The columns were checked when the group was planned.
        if let Some((rowid, row)) = changed {
            let sql = format!(
                "UPDATE main.{table} SET {} WHERE _rowid_ = ?{}",
                columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| format!("{c} = ?{}", i + 1))
                    .collect::<Vec<_>>()
                    .join(", "),
                columns.len() + 1
            );
            let rowid = Value::I(*rowid);
            conn.prepare_cached(&sql)?
                .execute(rusqlite::params_from_iter(row.iter().chain([&rowid])))?;
        }
        insert_rows(conn, applying, table, columns, added)
    }
}

/// How a store reaches the office server.
pub struct Link {
    server: Server,
    /// This PC's name, written with each entry.
    pc: String,
    /// Prepared once per connection: each write then costs one round trip
    /// per statement, not two (a parse, then the run).
    said: Statements,
    tables: Tables,
}

struct Statements {
    take_turn: postgres::Statement,
    end_turn: postgres::Statement,
    since: postgres::Statement,
    add: postgres::Statement,
}

const ADD_ENTRY: &str = "INSERT INTO journal (seq, pc, log_seq, log_hash, changes)
                         VALUES ($1, $2, $3, $4, $5)";

impl Link {
    pub fn connect(address: &Address, pc: &str) -> Result<Link> {
        let mut server = Server::connect(address).map_err(server_error)?;
        // A PC waiting for its turn longer than this is told the office's
        // records are busy, never left hanging.
        let said = (|| -> std::result::Result<Statements, postgres::Error> {
            let client = server.client();
            client.batch_execute("SET lock_timeout = '15s'")?;
            Ok(Statements {
                take_turn: client.prepare("SELECT pg_advisory_lock($1)")?,
                end_turn: client.prepare("SELECT pg_advisory_unlock($1)")?,
                since: client
                    .prepare("SELECT seq, changes FROM journal WHERE seq > $1 ORDER BY seq")?,
                add: client.prepare(ADD_ENTRY)?,
            })
        })()
        .map_err(|e| JournalError::Server(server.problem(&e)))?;
        Ok(Link {
            server,
            pc: pc.to_string(),
            said,
            tables: Tables::default(),
        })
    }

    fn client(&mut self) -> &mut Client {
        self.server.client()
    }

    /// The certificate the server showed (None: not encrypted).
    pub fn certificate(&self) -> Option<&str> {
        self.server.certificate()
    }

    fn fail(&self, e: &postgres::Error) -> JournalError {
        JournalError::Server(self.server.problem(e))
    }

    fn take_turn(&mut self) -> Result<()> {
        let statement = self.said.take_turn.clone();
        let r = self.client().execute(&statement, &[&WRITE_TURN]);
        r.map(|_| ()).map_err(|e| self.fail(&e))
    }

    fn end_turn(&mut self) {
        let statement = self.said.end_turn.clone();
        let r = self.client().execute(&statement, &[&WRITE_TURN]);
        if let Err(e) = r {
            // A broken connection ends the turn on the server by itself.
            ::log::warn!("giliran menulis di server tidak dilepas: {e}");
        }
    }

    /// The journal's entries so far.
    pub fn entries(&mut self) -> Result<i64> {
        let r = self.client().query_one("SELECT count(*) FROM journal", &[]);
        r.map(|row| row.get(0)).map_err(|e| self.fail(&e))
    }

    /// The hash the office's log row `log_seq` has in the journal, when the
    /// journal reaches that far.
    fn log_hash_at(&mut self, log_seq: i64) -> Result<Option<String>> {
        let r = self.client().query_opt(
            "SELECT log_seq, log_hash, changes FROM journal WHERE log_seq >= $1
             ORDER BY seq LIMIT 1",
            &[&log_seq],
        );
        let Some(row) = r.map_err(|e| self.fail(&e))? else {
            return Ok(None);
        };
        if row.get::<_, i64>(0) == log_seq {
            return Ok(Some(row.get(1)));
        }
        let changes: Vec<u8> = row.get(2);
        let entry: Entry =
            serde_json::from_slice(&changes).map_err(|_| not_ours("entri riwayat"))?;
        let (Some(seq_at), Some(hash_at)) =
            (column_of(&entry.log, "seq"), column_of(&entry.log, "hash"))
        else {
            return Err(not_ours("baris log tanpa urutan"));
        };
        Ok(entry
            .log
            .rows
            .iter()
            .find_map(|r| match (&r[seq_at], &r[hash_at]) {
                (Value::I(s), Value::T(h)) if *s == log_seq => Some(h.clone()),
                _ => None,
            }))
    }

    /// The log row (seq, hash) entry `seq` ended with, when there is one.
    fn vouched_at(&mut self, seq: i64) -> Result<Option<(i64, String)>> {
        let r = self.client().query_opt(
            "SELECT log_seq, log_hash FROM journal WHERE seq = $1",
            &[&seq],
        );
        r.map(|row| row.map(|r| (r.get(0), r.get(1))))
            .map_err(|e| self.fail(&e))
    }

    /// Adds `entry` as journal entry `seq`, with the bytes of its drafts.
    fn publish(&mut self, seq: i64, entry: &Entry, blobs: &Blobs) -> Result<()> {
        let files: Vec<String> = files_of(entry).into_iter().collect();
        let changes = serde_json::to_vec(entry)
            .map_err(|e| JournalError::Server(ServerProblem::Other(e.to_string())))?;
        let (log_seq, log_hash) = match entry.log.rows.last() {
            Some(last) => match (
                column_of(&entry.log, "seq").map(|i| &last[i]),
                column_of(&entry.log, "hash").map(|i| &last[i]),
            ) {
                (Some(Value::I(s)), Some(Value::T(h))) => (*s, h.clone()),
                _ => return Err(not_ours("baris log tanpa urutan")),
            },
            None => return Ok(()),
        };
        let pc = self.pc.clone();
        // A draft's bytes are read one at a time (an office moving to the
        // server may hold a gigabyte of them), and only those the server
        // lacks are sent.
        enum Failed {
            Server(postgres::Error),
            File(std::io::Error),
        }
        impl From<postgres::Error> for Failed {
            fn from(e: postgres::Error) -> Failed {
                Failed::Server(e)
            }
        }
        if files.is_empty() && seq != 1 {
            // Most entries: one statement, one round trip.
            let statement = self.said.add.clone();
            let r = self
                .client()
                .execute(&statement, &[&seq, &pc, &log_seq, &log_hash, &changes]);
            return r.map(|_| ()).map_err(|e| self.fail(&e));
        }
        let written = (|| -> std::result::Result<bool, Failed> {
            let mut tx = self.client().transaction()?;
            let held: BTreeSet<String> = tx
                .query("SELECT sha256 FROM files WHERE sha256 = ANY($1)", &[&files])?
                .iter()
                .map(|r| r.get(0))
                .collect();
            for sha in files.iter().filter(|sha| !held.contains(*sha)) {
                let bytes = std::fs::read(blobs.path_of(sha)).map_err(Failed::File)?;
                tx.execute(
                    "INSERT INTO files (sha256, size, bytes) VALUES ($1, $2, $3)
                     ON CONFLICT (sha256) DO NOTHING",
                    &[sha, &(bytes.len() as i64), &bytes],
                )?;
            }
            tx.execute(ADD_ENTRY, &[&seq, &pc, &log_seq, &log_hash, &changes])?;
            if seq == 1 {
                // Moving an office: before it counts, read back what the
                // server now holds (the entry byte for byte, every draft by
                // the server's own SHA-256 of its bytes).
                let back: Vec<u8> = tx
                    .query_one("SELECT changes FROM journal WHERE seq = 1", &[])?
                    .get(0);
                let whole: i64 = tx
                    .query_one(
                        "SELECT count(*) FROM files WHERE sha256 = ANY($1)
                         AND encode(sha256(bytes), 'hex') = sha256",
                        &[&files],
                    )?
                    .get(0);
                if back != changes || whole != files.len() as i64 {
                    return Ok(false);
                }
            }
            tx.commit()?;
            Ok(true)
        })();
        match written {
            Ok(true) => Ok(()),
            Ok(false) => Err(JournalError::Server(ServerProblem::CopyDiffers)),
            Err(Failed::Server(e)) => Err(self.fail(&e)),
            Err(Failed::File(e)) => Err(e.into()),
        }
    }
}

fn server_error(e: crate::server::ServerError) -> JournalError {
    JournalError::Server(e.problem().clone())
}

/// The journal entry the local copy holds up to.
pub fn local_seq(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "SELECT COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'journal_seq'), 0)",
    )?
    .query_row([], |r| r.get(0))
}

fn set_local_seq(conn: &Connection, seq: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES ('journal_seq', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute([seq.to_string()])?;
    Ok(())
}

/// Brings the local copy up to the journal's end, inside the caller's
/// transaction: applies each entry it lacks, in order, and fetches the
/// drafts they hold. Returns how many entries were applied.
pub fn catch_up(link: &mut Link, conn: &Connection, blobs: &Blobs) -> Result<usize> {
    catch_up_keeping(link, conn, blobs, 0)
}

/// [`catch_up`], the log rows up to `log_kept` being on this PC already.
fn catch_up_keeping(
    link: &mut Link,
    conn: &Connection,
    blobs: &Blobs,
    log_kept: i64,
) -> Result<usize> {
    let from = local_seq(conn)?;
    let statement = link.said.since.clone();
    let rows = link
        .client()
        .query(&statement, &[&from])
        .map_err(|e| link.fail(&e))?;
    let mut applying = Applying {
        head: crate::log::head(conn)?,
        log_kept,
        tables: std::mem::take(&mut link.tables),
    };
    for (expected, row) in (from + 1..).zip(rows.iter()) {
        let seq: i64 = row.get(0);
        if seq != expected {
            return Err(not_ours(&format!("urutan melompat ke {seq}")));
        }
        let changes: &[u8] = row.get(1);
        let entry: Entry =
            serde_json::from_slice(changes).map_err(|_| not_ours(&format!("entri {seq}")))?;
        apply(conn, &entry, &mut applying)?;
        for sha in files_of(&entry) {
            fetch_file(link, blobs, &sha)?;
        }
    }
    link.tables = applying.tables;
    if let Some(last) = rows.last() {
        set_local_seq(conn, last.get(0))?;
        conn.prepare_cached(
            "INSERT INTO meta (key, value) VALUES ('log_head', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        )?
        .execute([format!("{}:{}", applying.head.0, applying.head.1)])?;
    }
    // What the entries wrote is vouched for by their own log rows: not
    // counted again in this PC's next row.
    conn.prepare_cached("DELETE FROM temp.touched")?
        .execute([])?;
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
        return Err(JournalError::FileMissing);
    };
    let bytes: Vec<u8> = row.get(0);
    // What the office took once is taken again, whatever the limit now.
    if !blobs.store_bytes(&bytes, sha256)? {
        return Err(JournalError::FileDamaged);
    }
    Ok(())
}

/// A write in progress on a linked store (see the module's comment).
pub struct Turn<'a> {
    link: &'a RefCell<Option<Link>>,
    /// The local log head when the write began (after catching up).
    log_from: i64,
}

/// Does `work` on the live connection, made first when there is none; a
/// connection that broke since (the server restarted between two actions)
/// is made again and the work tried once more.
pub fn with_live_link<T>(
    slot: &mut Option<Link>,
    shared: &Shared,
    work: impl Fn(&mut Link) -> Result<T>,
) -> Result<T> {
    for attempt in 0..2 {
        if slot.is_none() {
            *slot = Some(Link::connect(&shared.address, &shared.pc)?);
        }
        let Some(l) = slot.as_mut() else {
            break;
        };
        match work(l) {
            Ok(v) => return Ok(v),
            Err(e) => {
                if !l.client().is_closed() || attempt == 1 {
                    if l.client().is_closed() {
                        *slot = None;
                    }
                    return Err(e);
                }
                *slot = None;
            }
        }
    }
    Err(JournalError::Server(ServerProblem::Unreachable(
        shared.address.place(),
    )))
}

/// Where this PC's records are shared: the office server's address and
/// this PC's name (kept in the data folder, see [`Shared::FILE`]).
#[derive(Debug, Clone)]
pub struct Shared {
    pub address: Address,
    pub pc: String,
}

/// In `server-kantor.txt`: the certificate this PC accepts from the server.
const TLS_LINE: &str = "tls-sha256 ";

impl Shared {
    /// In the data folder: the server's address (without its password) and
    /// this PC's name, one per line.
    pub const FILE: &'static str = "server-kantor.txt";

    pub fn read(dir: &std::path::Path) -> std::result::Result<Option<Shared>, JournalError> {
        let text = match std::fs::read_to_string(dir.join(Self::FILE)) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let mut lines = text.lines().map(str::trim);
        let address = Address::parse(lines.next().unwrap_or_default())
            .map_err(|e| JournalError::Server(e.problem().clone()))?
            .with_password_from_environment();
        // Typed once on this PC and kept in its credential store.
        let address = match address.has_password() {
            true => address,
            false => match crate::credentials::recall(&address) {
                Some(password) => address.with_password(&password),
                None => address,
            },
        };
        let pc = lines.next().unwrap_or("pc").to_string();
        let pin = lines
            .find_map(|l| l.strip_prefix(TLS_LINE))
            .map(str::to_string);
        Ok(Some(Shared {
            address: address.pinned(pin),
            pc,
        }))
    }

    /// The certificate the server shows now (SHA-256), asked without holding
    /// it to the one kept: to compare the two after the office's IT person
    /// replaced the server's. None when the server offers no TLS.
    pub fn certificate_shown_now(&self) -> std::result::Result<Option<String>, ServerProblem> {
        Server::connect(&self.address.clone().pinned(None))
            .map(|server| server.certificate().map(str::to_string))
            .map_err(|e| e.problem().clone())
    }

    /// Holds the server to `certificate` from now on (None: a server that
    /// no longer offers TLS), kept in the data folder `dir`.
    pub fn hold_to(
        &mut self,
        certificate: Option<String>,
        dir: &std::path::Path,
    ) -> std::io::Result<()> {
        let address = self.address.clone().pinned(certificate);
        let before = std::mem::replace(&mut self.address, address);
        let written = self.write(dir);
        if written.is_err() {
            self.address = before;
        }
        written
    }

    pub fn write(&self, dir: &std::path::Path) -> std::io::Result<()> {
        crate::fsutil::write_atomically(
            &dir.join(Self::FILE),
            match self.address.pin() {
                Some(pin) => format!(
                    "{}\n{}\n{TLS_LINE}{pin}\n",
                    self.address.without_password(),
                    self.pc
                ),
                None => format!("{}\n{}\n", self.address.without_password(), self.pc),
            }
            .as_bytes(),
        )
    }
}

impl<'a> Turn<'a> {
    /// Takes the write turn; the caller then opens its transaction and calls
    /// [`Turn::catch_up`]. None when the records are not shared. A store that
    /// shares its records never writes without the server: when the
    /// connection is gone it is made again, and when the server cannot be
    /// reached the write is refused in words.
    pub fn take(
        link: &'a RefCell<Option<Link>>,
        shared: Option<&Shared>,
    ) -> Result<Option<Turn<'a>>> {
        let Some(shared) = shared else {
            return Ok(None);
        };
        let mut slot = link.borrow_mut();
        with_live_link(&mut slot, shared, Link::take_turn)?;
        Ok(Some(Turn { link, log_from: 0 }))
    }

    /// Inside the caller's transaction: brings the copy to the journal's end
    /// and notes where this write's log rows will begin.
    pub fn catch_up(&mut self, conn: &Connection, blobs: &Blobs) -> Result<()> {
        if let Some(l) = self.link.borrow_mut().as_mut() {
            catch_up(l, conn, blobs)?;
        }
        self.log_from = crate::log::head(conn)?.0;
        Ok(())
    }

    /// Adds what this write wrote as the journal's next entry (before the
    /// caller commits locally); nothing when it logged nothing.
    pub fn publish(&mut self, conn: &Connection, blobs: &Blobs) -> Result<()> {
        // Every write ends with its log row: anything touched after it
        // would reach no other PC.
        let unlogged: i64 =
            conn.query_row_cached("SELECT count(*) FROM temp.touched", [], |r| r.get(0))?;
        if unlogged > 0 {
            return Err(not_ours("perubahan tanpa baris log"));
        }
        let Some(entry) = entry_since(conn, self.log_from)? else {
            return Ok(());
        };
        let seq = local_seq(conn)? + 1;
        if let Some(l) = self.link.borrow_mut().as_mut() {
            l.publish(seq, &entry, blobs)?;
        }
        set_local_seq(conn, seq)?;
        Ok(())
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        if let Ok(mut slot) = self.link.try_borrow_mut()
            && let Some(l) = slot.as_mut()
        {
            l.end_turn();
        }
    }
}

/// Every record and every log row of a store, as entry 1 of a new office
/// journal (an office that started on one PC moving to the server).
fn whole(conn: &Connection) -> Result<Entry> {
    let log = read_rows(conn, "SELECT * FROM log WHERE seq > ?1 ORDER BY seq", 0)?;
    let mut groups: Vec<Group> = Vec::new();
    // One pass over each table, its rows in key order, cut into groups (a
    // query per key was 100,000 queries for a large office).
    for (table, column) in COVERED {
        let mut stmt = conn.prepare(&format!("SELECT * FROM main.{table} ORDER BY {column}"))?;
        let columns: Vec<String> = stmt.column_names().map(str::to_string).collect();
        let key_at = stmt.column_index(column)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let key: i64 = r.get(key_at)?;
            let values = values_of(r, columns.len())?;
            match groups.last_mut() {
                Some(g) if g.table == *table && g.key == key => g.rows.rows.push(values),
                _ => groups.push(Group {
                    table: table.to_string(),
                    key,
                    rows: Rows {
                        columns: columns.clone(),
                        rows: vec![values],
                    },
                }),
            }
        }
    }
    Ok(Entry {
        schema: crate::schema::ROWS_VERSION,
        log,
        groups,
    })
}

/// The hash of this copy's log row `seq`, when it has one.
fn log_hash_here(conn: &Connection, seq: i64) -> rusqlite::Result<Option<String>> {
    use rusqlite::OptionalExtension;
    conn.query_row("SELECT hash FROM log WHERE seq = ?1", [seq], |r| r.get(0))
        .optional()
}

/// A copy with records of another journal: the office's old server (lost
/// and replaced from another PC's copy), or a backup from before the move.
/// The office's history is one hash chain, so when this copy's last log row
/// is in the server's log, everything here is in the server's too: the
/// copy is rebuilt from the server's (its log kept, the office's rows added,
/// every record replaced by the office's). A copy holding work the server
/// lacks (written on the old server after the copy that filled the new one
/// was taken), or another office's records, is refused, nothing changed.
fn rebuild(l: &mut Link, tx: &Connection, blobs: &Blobs) -> Result<Joined> {
    let (seq, hash) = crate::log::head(tx)?;
    if l.log_hash_at(seq)?.as_deref() != Some(hash.as_str()) {
        // Not in the server's log. The same office (its first row is the
        // server's) with work the server lacks, or another office.
        let same_office = match l.log_hash_at(1)? {
            Some(theirs) => log_hash_here(tx, 1)?.is_some_and(|h| h == theirs),
            None => false,
        };
        return Err(JournalError::Server(if same_office {
            ServerProblem::OnlyHere
        } else {
            ServerProblem::OtherRecords
        }));
    }
    tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
    for (table, _) in COVERED {
        tx.execute(&format!("DELETE FROM main.{table}"), [])?;
    }
    set_local_seq(tx, 0)?;
    let entries = catch_up_keeping(l, tx, blobs, seq)?;
    Ok(Joined::Rebuilt { kept: seq, entries })
}

/// Whether the local copy holds any record.
fn holds_records(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM log)", [], |r| r.get(0))
}

/// What joining the office server did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Joined {
    /// This PC's records became the office's journal (entry 1).
    Moved { log_rows: i64, files: usize },
    /// This PC caught up with the office's journal.
    CaughtUp { entries: usize },
    /// This PC's copy was of another journal (a lost server's) and held
    /// nothing the office's lacks: rebuilt from the office's journal, its
    /// `kept` log rows kept as they were.
    Rebuilt { kept: i64, entries: usize },
}

/// Joins the office server: an office's first PC moves its records there
/// (when the journal is empty); any other PC must be new, or already a copy
/// of this office's journal, and catches up. Refused in words otherwise,
/// nothing changed on either side.
pub fn join(conn: &Connection, blobs: &Blobs, link: &RefCell<Option<Link>>) -> Result<Joined> {
    let mut slot = link.borrow_mut();
    let Some(l) = slot.as_mut() else {
        return Ok(Joined::CaughtUp { entries: 0 });
    };
    l.take_turn()?;
    let joined = (|| {
        let tx =
            rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
        let entries = l.entries()?;
        let local = local_seq(&tx)?;
        let result = if entries == 0 {
            if holds_records(&tx)? {
                let entry = whole(&tx)?;
                let log_rows = entry.log.rows.len() as i64;
                let files = files_of(&entry).len();
                l.publish(1, &entry, blobs)?;
                set_local_seq(&tx, 1)?;
                Joined::Moved { log_rows, files }
            } else {
                Joined::CaughtUp { entries: 0 }
            }
        } else {
            // The same journal: the server's entry `local` ends with the
            // log row this copy has at that place.
            let same = local > 0
                && match l.vouched_at(local)? {
                    Some((seq, hash)) => log_hash_here(&tx, seq)?.is_some_and(|h| h == hash),
                    None => false,
                };
            if same || !holds_records(&tx)? {
                Joined::CaughtUp {
                    entries: catch_up(l, &tx, blobs)?,
                }
            } else {
                rebuild(l, &tx, blobs)?
            }
        };
        tx.commit()?;
        Ok(result)
    })();
    l.end_turn();
    joined
}

/// What a PC hears from the office server while it watches the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard {
    /// Connected (again): what was missed is to be caught up.
    Connected,
    /// Another PC added this entry.
    Entry(i64),
    /// The connection is gone (retried every few seconds).
    Lost(ServerProblem),
}

/// Watches the office's journal on its own connection and thread: every
/// entry any PC adds is heard at once (LISTEN/NOTIFY), not polled. Stops
/// when dropped.
pub struct Watch {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watch {
    pub fn start(shared: &Shared, on: impl Fn(Heard) + Send + 'static) -> std::io::Result<Watch> {
        use postgres::fallible_iterator::FallibleIterator;
        use std::sync::atomic::Ordering;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopping = stop.clone();
        let address = shared.address.clone();
        let thread = std::thread::Builder::new()
            .name("lajur-server".into())
            .spawn(move || {
                let mut was_lost = true;
                while !stopping.load(Ordering::Relaxed) {
                    let mut server = match Server::connect(&address) {
                        Ok(s) => s,
                        Err(e) => {
                            on(Heard::Lost(e.problem().clone()));
                            was_lost = true;
                            pause(&stopping, 3);
                            continue;
                        }
                    };
                    if let Err(e) = server.client().batch_execute("LISTEN lajur_journal") {
                        on(Heard::Lost(server.problem(&e)));
                        pause(&stopping, 3);
                        continue;
                    }
                    if was_lost {
                        on(Heard::Connected);
                        was_lost = false;
                    }
                    let mut quiet = 0u32;
                    while !stopping.load(Ordering::Relaxed) {
                        // A cable pulled says nothing: asked every few
                        // seconds whether the server still answers.
                        quiet += 1;
                        if quiet.is_multiple_of(8)
                            && server
                                .client()
                                .is_valid(std::time::Duration::from_secs(2))
                                .is_err()
                        {
                            break;
                        }
                        let next = {
                            let mut heard = server.client().notifications();
                            let mut waiting =
                                heard.timeout_iter(std::time::Duration::from_millis(500));
                            waiting.next().map(|n| n.map(|n| n.payload().to_string()))
                        };
                        match next {
                            Ok(Some(payload)) => on(Heard::Entry(payload.parse().unwrap_or(0))),
                            Ok(None) => {}
                            Err(_) => break,
                        }
                        if server.client().is_closed() {
                            break;
                        }
                    }
                    if !stopping.load(Ordering::Relaxed) {
                        on(Heard::Lost(ServerProblem::Unreachable(address.place())));
                        was_lost = true;
                        pause(&stopping, 3);
                    }
                }
            })?;
        Ok(Watch {
            stop,
            thread: Some(thread),
        })
    }
}

/// Waits `seconds`, or less when asked to stop.
fn pause(stopping: &std::sync::atomic::AtomicBool, seconds: u64) {
    for _ in 0..seconds * 10 {
        if stopping.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            ::log::warn!("pengamat server berhenti karena galat");
        }
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    /// An entry's group is vouched for from its own rows only when SQLite
    /// stores each value as it comes: held against SQLite itself, for
    /// every declared type and values of every kind (numbers as text
    /// included), and every column an entry carries has a type the check
    /// knows (so an honest entry is never read back).
    #[test]
    fn a_value_said_to_be_kept_is_stored_as_it_comes() {
        let conn = Connection::open_in_memory().expect("opens");
        let declared = [
            "INTEGER",
            "TEXT",
            "BLOB",
            "",
            "REAL",
            "NUMERIC",
            "VARCHAR(20)",
        ];
        let values = [
            Value::N,
            Value::I(5),
            Value::I(-3),
            Value::R(1.5),
            Value::R(2.0),
            Value::T("5".into()),
            Value::T(" 7 ".into()),
            Value::T("1e3".into()),
            Value::T("lima".into()),
            Value::B(vec![0, 1, 2]),
        ];
        for (n, declared) in declared.iter().enumerate() {
            conn.execute_batch(&format!("CREATE TABLE t{n} (v {declared})"))
                .expect("table");
            for value in &values {
                conn.execute(&format!("DELETE FROM t{n}"), [])
                    .expect("empty");
                conn.execute(&format!("INSERT INTO t{n} VALUES (?1)"), [value])
                    .expect("stored");
                let back = conn
                    .query_row(&format!("SELECT v FROM t{n}"), [], |r| {
                        r.get_ref(0).map(Value::of)
                    })
                    .expect("read");
                if Affinity::of(declared).keeps(value) {
                    assert_eq!(&back, value, "{declared}: {value:?}");
                }
            }
        }
        for sql in crate::schema::MIGRATIONS {
            conn.execute_batch(sql).expect("schema");
        }
        for (table, _) in COVERED.iter().chain([&("log", "seq")]) {
            for (column, affinity) in known_columns(&conn, table).expect("columns").columns {
                assert_ne!(affinity, Affinity::Other, "{table}.{column}");
            }
        }
    }

    /// A group updated in place is one keyed by its table's own id: the
    /// INTEGER PRIMARY KEY, not a key of several columns nor one declared
    /// otherwise.
    #[test]
    fn a_tables_own_id_is_its_integer_primary_key_alone() {
        let conn = Connection::open_in_memory().expect("opens");
        for sql in crate::schema::MIGRATIONS {
            conn.execute_batch(sql).expect("schema");
        }
        conn.execute_batch("CREATE TABLE named (code TEXT PRIMARY KEY, v INTEGER)")
            .expect("table");
        for (table, own_id) in [
            ("kegiatan", Some("id")),
            ("current_steps", Some("kegiatan_id")),
            ("visits", None),
            ("user_lanes", None),
            ("named", None),
        ] {
            let known = known_columns(&conn, table).expect("columns");
            assert_eq!(known.own_id.as_deref(), own_id, "{table}");
        }
    }

    fn parents_of(conn: &Connection, table: &str) -> Vec<String> {
        conn.prepare(&format!(
            "SELECT \"table\" FROM pragma_foreign_key_list('{table}')"
        ))
        .expect("asked")
        .query_map([], |r| r.get(0))
        .expect("listed")
        .collect::<rusqlite::Result<_>>()
        .expect("names")
    }

    /// An entry's rows go in parents first (see `apply`) with every
    /// reference checked at once: each reference between the tables
    /// entries carry names a table applied before it, or the log (whose
    /// rows go in last, what they name being in by then), and a reference
    /// to the log is checked at commit. A table added out of this order
    /// would leave other PCs unable to apply an entry.
    #[test]
    fn every_reference_names_a_table_applied_before_it() {
        let conn = Connection::open_in_memory().expect("opens");
        for sql in crate::schema::MIGRATIONS {
            conn.execute_batch(sql).expect("schema");
        }
        for (place, (table, _)) in COVERED.iter().enumerate() {
            for parent in parents_of(&conn, table) {
                if parent == "log" {
                    let sql: String = conn
                        .query_row(
                            "SELECT sql FROM sqlite_schema WHERE name = ?1",
                            [table],
                            |r| r.get(0),
                        )
                        .expect("table");
                    assert!(
                        sql.contains("REFERENCES log(seq) DEFERRABLE INITIALLY DEFERRED"),
                        "{table}: its reference to the log must be checked at commit"
                    );
                    continue;
                }
                let at = COVERED.iter().position(|(t, _)| *t == parent);
                assert!(
                    at.is_some_and(|at| at < place),
                    "{table} names {parent}, which entries apply after it (or not at all)"
                );
            }
        }
        for parent in parents_of(&conn, "log") {
            assert!(
                COVERED.iter().any(|(t, _)| *t == parent),
                "log names {parent}"
            );
        }
    }
}
