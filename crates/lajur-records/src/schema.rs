//! The database schema and its migrations, by `PRAGMA user_version`.

/// 'LJUR': marks a file as a Lajur database (`PRAGMA application_id`).
pub const APPLICATION_ID: i32 = 0x4C4A_5552;

/// Each entry brings the schema from version `index` to `index + 1`.
pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    jabatan TEXT NOT NULL,
    nip TEXT,
    password_hash TEXT NOT NULL,
    is_admin INTEGER NOT NULL,
    is_signer INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE TABLE user_lanes (
    user_id INTEGER NOT NULL REFERENCES users(id),
    lane TEXT NOT NULL,
    PRIMARY KEY (user_id, lane)
);

-- The exact SOP text a kegiatan was started with, by content hash.
CREATE TABLE sop_versions (
    id INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    toml TEXT NOT NULL,
    name TEXT NOT NULL,
    number TEXT NOT NULL,
    stored_at TEXT NOT NULL
);

CREATE TABLE kegiatan (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    sop_version_id INTEGER NOT NULL REFERENCES sop_versions(id),
    status TEXT NOT NULL CHECK (status IN ('berjalan', 'menunggu_pengesahan', 'selesai', 'dibatalkan')),
    started_by INTEGER NOT NULL REFERENCES users(id),
    started_at TEXT NOT NULL,
    finished_at TEXT,
    cancel_reason TEXT
);
CREATE INDEX kegiatan_by_status ON kegiatan(status, started_at);

-- Where a running kegiatan waits, and when that step is due.
CREATE TABLE current_steps (
    kegiatan_id INTEGER PRIMARY KEY REFERENCES kegiatan(id),
    step_id TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    due_at TEXT,
    -- Sorts most urgent first: the due time, or "~" and the entry time when the
    -- step has no due time (after every dated one).
    urgency TEXT NOT NULL,
    visit INTEGER NOT NULL
);
CREATE INDEX current_by_urgency ON current_steps(urgency);
-- The lanes of the current step, and whether each has done its part.
CREATE TABLE current_lanes (
    kegiatan_id INTEGER NOT NULL REFERENCES kegiatan(id),
    lane TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kegiatan_id, lane)
);
CREATE INDEX current_lanes_by_lane ON current_lanes(lane, done);
CREATE TABLE visits (
    kegiatan_id INTEGER NOT NULL REFERENCES kegiatan(id),
    step_id TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (kegiatan_id, step_id)
);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    kegiatan_id INTEGER NOT NULL REFERENCES kegiatan(id),
    step_id TEXT NOT NULL,
    draft TEXT NOT NULL,
    version INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    added_by INTEGER NOT NULL REFERENCES users(id),
    added_at TEXT NOT NULL,
    UNIQUE (kegiatan_id, draft, version)
);

-- The activity log: append-only, hash-chained.
CREATE TABLE log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor INTEGER REFERENCES users(id),
    on_behalf_of INTEGER REFERENCES users(id),
    kegiatan_id INTEGER REFERENCES kegiatan(id),
    step_id TEXT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    note TEXT NOT NULL,
    attachments TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX log_by_kegiatan ON log(kegiatan_id, seq);
CREATE TRIGGER log_no_update BEFORE UPDATE ON log BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
CREATE TRIGGER log_no_delete BEFORE DELETE ON log BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
"#,
    r#"
-- What happened at each step, one row per lane's part done: who, when the step
-- was entered and when the part was done, a decision's answer, and the step the
-- kegiatan went to next (none while other lanes still owe their part, or at the
-- end). The log row it belongs to is named, so the two can be compared.
CREATE TABLE step_events (
    id INTEGER PRIMARY KEY,
    kegiatan_id INTEGER NOT NULL REFERENCES kegiatan(id),
    log_seq INTEGER NOT NULL REFERENCES log(seq),
    step_id TEXT NOT NULL,
    visit INTEGER NOT NULL,
    lane TEXT NOT NULL,
    -- The person whose part it was; recorded_by is an administrator who
    -- entered it for them.
    actor INTEGER NOT NULL REFERENCES users(id),
    recorded_by INTEGER REFERENCES users(id),
    entered_at TEXT NOT NULL,
    done_at TEXT NOT NULL,
    answer TEXT,
    next_step TEXT
);
CREATE INDEX step_events_by_kegiatan ON step_events(kegiatan_id, id);
CREATE INDEX step_events_by_actor ON step_events(actor, kegiatan_id);
-- The "Semua kegiatan" list: newest first, by SOP, by who started it.
CREATE INDEX kegiatan_by_start ON kegiatan(started_at);
CREATE INDEX kegiatan_by_sop ON kegiatan(sop_version_id, started_at);
CREATE INDEX kegiatan_by_starter ON kegiatan(started_by, started_at);
CREATE INDEX sop_versions_by_name ON sop_versions(name);
"#,
    r#"
-- Signers' Ed25519 keys. The secret is sealed with ChaCha20-Poly1305 under a
-- key derived from the signer's password (Argon2id, its own salt); a key is
-- retired when an administrator resets the password, and kept to verify the
-- seals it made.
CREATE TABLE signing_keys (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    public_key TEXT NOT NULL,
    secret_sealed TEXT NOT NULL,
    salt TEXT NOT NULL,
    created_at TEXT NOT NULL,
    retired_at TEXT
);
CREATE INDEX signing_keys_by_user ON signing_keys(user_id, retired_at);
-- A seal over a kegiatan's record (or a register) and the log's chain head.
CREATE TABLE seals (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('kegiatan', 'register')),
    kegiatan_id INTEGER REFERENCES kegiatan(id),
    payload TEXT NOT NULL,
    signature TEXT NOT NULL,
    key_id INTEGER NOT NULL REFERENCES signing_keys(id),
    signer INTEGER NOT NULL REFERENCES users(id),
    signed_at TEXT NOT NULL
);
CREATE INDEX seals_by_kegiatan ON seals(kegiatan_id);
-- Whether a user appears in the log (users are never deleted once they do).
CREATE INDEX log_by_actor ON log(actor);
"#,
    r#"
-- The office's settings (TOML text, see office.rs) and its logo as the file
-- was given (PNG or JPEG), one row. In the database so that a backup holds them.
CREATE TABLE office (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    settings TEXT NOT NULL,
    logo BLOB,
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users(id)
);
"#,
    r#"
-- The office's SOP library: each SOP, and every revision of it as the TOML
-- text it was saved with. A revision is a draft (draf) until it is activated
-- (aktif); the active one before it is then superseded (lama). An archived
-- SOP (diarsipkan) is kept, viewable and printable, but not offered for new
-- kegiatan. Kegiatan stay pinned to their text in sop_versions.
CREATE TABLE sop_library (
    id INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE sop_revisions (
    id INTEGER PRIMARY KEY,
    sop_id INTEGER NOT NULL REFERENCES sop_library(id),
    revision INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draf', 'aktif', 'lama', 'diarsipkan')),
    toml TEXT NOT NULL,
    name TEXT NOT NULL,
    number TEXT NOT NULL,
    has_errors INTEGER NOT NULL,
    saved_at TEXT NOT NULL,
    saved_by INTEGER REFERENCES users(id),
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (sop_id, revision)
);
CREATE INDEX sop_revisions_by_status ON sop_revisions(status, sop_id);
"#,
    r#"
-- The digests of the records each log row's transaction wrote (see digest.rs),
-- hashed into the chain: the records outside the log are checked against it.
ALTER TABLE log ADD COLUMN rows TEXT NOT NULL DEFAULT '';
-- Wrong passwords by name, counted at every sign-in.
CREATE INDEX log_by_action ON log(action, detail, at);
"#,
    r#"
-- A step's event names the log row appended after it in the same transaction
-- (that row's digests cover the event): the reference is checked at commit,
-- declared so here. Asked for by every write instead (PRAGMA
-- defer_foreign_keys), SQLite compiled every statement again after it. The
-- log row finds the events that name it by an index, not by reading them all.
CREATE TABLE step_events_deferred (
    id INTEGER PRIMARY KEY,
    kegiatan_id INTEGER NOT NULL REFERENCES kegiatan(id),
    log_seq INTEGER NOT NULL REFERENCES log(seq) DEFERRABLE INITIALLY DEFERRED,
    step_id TEXT NOT NULL,
    visit INTEGER NOT NULL,
    lane TEXT NOT NULL,
    actor INTEGER NOT NULL REFERENCES users(id),
    recorded_by INTEGER REFERENCES users(id),
    entered_at TEXT NOT NULL,
    done_at TEXT NOT NULL,
    answer TEXT,
    next_step TEXT
);
INSERT INTO step_events_deferred SELECT * FROM step_events;
DROP TABLE step_events;
ALTER TABLE step_events_deferred RENAME TO step_events;
CREATE INDEX step_events_by_kegiatan ON step_events(kegiatan_id, id);
CREATE INDEX step_events_by_actor ON step_events(actor, kegiatan_id);
CREATE INDEX step_events_by_log ON step_events(log_seq);
"#,
];

/// The last schema that changed what the records' rows hold: a journal entry
/// carries it, so a PC on a later schema with the same rows still writes
/// entries every PC of the office applies.
pub const ROWS_VERSION: i32 = 6;

/// The first schema whose log rows carry digests of the records.
pub const DIGESTS_SINCE: i32 = 6;

/// The schema version this build of Lajur writes.
pub const CURRENT_VERSION: i32 = MIGRATIONS.len() as i32;
