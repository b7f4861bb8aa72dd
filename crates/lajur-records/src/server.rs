//! The office server: one PostgreSQL database that the PCs of an office
//! share, so a kegiatan started at one desk is worked at the next.
//!
//! What the server holds is the office's **journal**: every transaction any
//! PC wrote, in one numbered line, each with the changes it made to the
//! records and the log row that vouches for them, and the drafts' bytes by
//! their hash. Each PC keeps a full copy of the records in its own SQLite
//! file (the same schema, digests, audit, backups and papers as a PC on its
//! own), brought up to the journal's end before it writes; a write is kept
//! only once the server has taken it as the journal's next entry, so the
//! log chain stays one line however many PCs write at once. This module is
//! the server's side: its schema and migrations, the roles' rights, and
//! what a PC checks when it connects.
//!
//! Rights are the server's own, not only Lajur's: the PCs' role may read the
//! journal and add to it, never change or remove an entry; the owner role
//! (the office's IT person) runs the migrations.

use postgres::config::SslMode;
use postgres::error::SqlState;
use postgres::{Client, GenericClient};

use lajur_core::failure::ServerProblem;

/// The server schema this build knows.
pub const SCHEMA_VERSION: i32 = 1;

/// The environment variable that names the office server (a PostgreSQL URL).
pub const URL_VARIABLE: &str = "LAJUR_DATABASE_URL";

/// Held while migrating, so two PCs starting at once migrate once.
const MIGRATION_LOCK: i64 = 0x4C4A_5552;

/// Each entry brings the server's schema from version `index` to `index + 1`.
const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE lajur_server (key text PRIMARY KEY, value text NOT NULL);
-- The office's transactions in one line: entry n+1 is written only by a PC
-- whose records hold entries 1..n (the primary key refuses a second n+1).
CREATE TABLE journal (
    seq bigint PRIMARY KEY CHECK (seq > 0),
    written_at timestamptz NOT NULL DEFAULT now(),
    pc text NOT NULL,
    log_seq bigint NOT NULL,
    log_hash text NOT NULL,
    changes bytea NOT NULL
);
-- Drafts and other files, by the SHA-256 of their bytes.
CREATE TABLE files (
    sha256 text PRIMARY KEY CHECK (length(sha256) = 64),
    size bigint NOT NULL,
    bytes bytea NOT NULL,
    CHECK (octet_length(bytes) = size)
);
-- Every PC listening hears of a new entry at once.
CREATE FUNCTION journal_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('lajur_journal', NEW.seq::text);
    RETURN NULL;
END $$;
CREATE TRIGGER journal_written AFTER INSERT ON journal
    FOR EACH ROW EXECUTE FUNCTION journal_written();
"#];

/// Why the server could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("{0:?}")]
    Problem(ServerProblem),
}

pub type Result<T> = std::result::Result<T, ServerError>;

impl ServerError {
    pub fn problem(&self) -> &ServerProblem {
        match self {
            ServerError::Problem(p) => p,
        }
    }

    /// The message a clerk (or the office's IT person) reads.
    pub fn message(&self, lang: lajur_core::locale::Lang) -> String {
        lajur_core::locale::failure_message(
            &lajur_core::failure::Failure::Server(self.problem().clone()),
            lang,
        )
    }
}

impl From<ServerProblem> for ServerError {
    fn from(p: ServerProblem) -> Self {
        ServerError::Problem(p)
    }
}

/// The server's refusals by what can be done about them; its own words only
/// for what has no better name.
fn problem_of(e: &postgres::Error, place: &str) -> ServerProblem {
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        return if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            ServerProblem::Login
        } else if *code == SqlState::INSUFFICIENT_PRIVILEGE {
            ServerProblem::NoPermission(db.message().to_string())
        } else if *code == SqlState::INVALID_CATALOG_NAME {
            ServerProblem::NoSuchDatabase
        } else if *code == SqlState::DISK_FULL || *code == SqlState::OUT_OF_MEMORY {
            ServerProblem::Full
        } else if *code == SqlState::UNDEFINED_TABLE {
            ServerProblem::NotPrepared
        } else if code.code().starts_with("08") || code.code().starts_with("57P") {
            ServerProblem::Unreachable(place.to_string())
        } else {
            ServerProblem::Other(db.message().to_string())
        };
    }
    // The client's own refusal when the server asks for a password and
    // none was given (the crate names no kind for it; its words do).
    let cause = std::error::Error::source(e).map(|c| c.to_string());
    if cause
        .as_deref()
        .is_some_and(|c| c.contains("password missing"))
        || e.to_string() == "authentication error"
    {
        return ServerProblem::Login;
    }
    if e.is_closed() || std::error::Error::source(e).is_some() {
        return ServerProblem::Unreachable(place.to_string());
    }
    ServerProblem::Other(e.to_string())
}

/// The office server's address, parsed: refused in words when it is not a
/// PostgreSQL URL or connection string.
#[derive(Debug, Clone)]
pub struct Address {
    config: postgres::Config,
    /// The server's certificate (SHA-256) this PC saw when it joined: only
    /// that one is accepted, over TLS (see `tls`).
    pin: Option<String>,
}

impl Address {
    pub fn parse(text: &str) -> Result<Address> {
        let config: postgres::Config = text
            .trim()
            .parse()
            .map_err(|_| ServerProblem::BadAddress(without_password(text)))?;
        if config.get_hosts().is_empty() {
            return Err(ServerProblem::BadAddress(without_password(text)).into());
        }
        Ok(Address { config, pin: None })
    }

    /// The address as the window's form gives it: the server PC's name or
    /// IP address, its port, the database and the role.
    pub fn from_parts(host: &str, port: u16, database: &str, role: &str) -> Result<Address> {
        let (host, database, role) = (host.trim(), database.trim(), role.trim());
        if host.is_empty() || database.is_empty() || role.is_empty() || host.contains(['/', ' ']) {
            return Err(ServerProblem::BadAddress(format!("{host}:{port}/{database}")).into());
        }
        let mut config = postgres::Config::new();
        config.host(host).port(port).dbname(database).user(role);
        Ok(Address { config, pin: None })
    }

    /// The same address, accepting only this certificate from now on.
    pub fn pinned(mut self, certificate: Option<String>) -> Address {
        self.pin = certificate;
        self
    }

    /// The certificate this PC accepts from the server, when it is pinned.
    pub fn pin(&self) -> Option<&str> {
        self.pin.as_deref()
    }

    /// The role's name.
    pub fn role(&self) -> &str {
        self.config.get_user().unwrap_or_default()
    }

    /// Whether a password is at hand (in the address or from the
    /// environment), so the PC's credential store need not be asked.
    pub fn has_password(&self) -> bool {
        self.config.get_password().is_some()
    }

    /// The address from `--database`, else the environment variable.
    pub fn from_environment(given: Option<&str>) -> Option<Result<Address>> {
        let text = match given {
            Some(t) => t.to_string(),
            None => std::env::var(URL_VARIABLE).ok()?,
        };
        Some(Address::parse(&text).map(Address::with_password_from_environment))
    }

    /// "host:port/database", for messages (never the password).
    pub fn place(&self) -> String {
        let host = match self.config.get_hosts().first() {
            Some(postgres::config::Host::Tcp(h)) => h.clone(),
            #[cfg(unix)]
            Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
            None => String::new(),
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        format!(
            "{host}:{port}/{}",
            self.config.get_dbname().unwrap_or_default()
        )
    }

    /// The address as kept in the data folder: never the password (that
    /// comes from `PGPASSWORD` or the PC's credential store).
    pub fn without_password(&self) -> String {
        let user = self.config.get_user().unwrap_or_default();
        let at = if user.is_empty() {
            String::new()
        } else {
            format!("{user}@")
        };
        format!("postgresql://{at}{}", self.place())
    }

    /// The same address with this password.
    pub fn with_password(mut self, password: &str) -> Address {
        self.config.password(password);
        self
    }

    /// Takes the password from `PGPASSWORD` when the address has none.
    pub fn with_password_from_environment(mut self) -> Address {
        if self.config.get_password().is_none()
            && let Ok(password) = std::env::var("PGPASSWORD")
        {
            self.config.password(password);
        }
        self
    }

    /// Connects, over TLS when the server offers it (always, once a
    /// certificate is pinned); returns the certificate the server showed.
    fn connect(&self) -> Result<(Client, Option<String>)> {
        let mut config = self.config.clone();
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(5));
        }
        if self.pin.is_some() {
            config.ssl_mode(SslMode::Require);
        }
        let (tls, seen) = crate::tls::connector(self.pin.as_deref())
            .map_err(|e| ServerProblem::Other(e.to_string()))?;
        let connected = config.application_name("lajur").connect(tls);
        let seen = seen.lock().ok().and_then(|s| s.clone());
        match connected {
            Ok(client) => Ok((client, seen)),
            // A pinned server that no longer speaks TLS, or shows another
            // certificate: maybe another machine in its place.
            Err(e) if self.pin.is_some() && e.to_string().contains("TLS") => {
                Err(ServerProblem::CertificateChanged(self.place()).into())
            }
            Err(e) => Err(problem_of(&e, &self.place()).into()),
        }
    }
}

/// Hides the password of a URL written in a message.
fn without_password(text: &str) -> String {
    match (text.find("://"), text.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &text[scheme + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &text[..scheme + 3],
                    &credentials[..colon],
                    &text[at..]
                ),
                None => text.to_string(),
            }
        }
        _ => text.to_string(),
    }
}

/// A role name as an identifier: plain names only (what an office types).
fn role_identifier(name: &str) -> Result<String> {
    let plain = !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        Ok(format!("\"{name}\""))
    } else {
        Err(ServerProblem::BadRoleName(name.to_string()).into())
    }
}

/// What "Tes sambungan" found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerSummary {
    pub place: String,
    /// PostgreSQL's version, as the server says it.
    pub server_version: String,
    /// The journal's entries so far (0: a new office, ready to receive one).
    pub entries: i64,
    /// The role connected may add to the journal.
    pub may_write: bool,
    /// The role connected could change or remove journal entries: the owner
    /// role, which the PCs should not use.
    pub may_rewrite: bool,
    /// The connection is encrypted (TLS), as the server itself says.
    pub encrypted: bool,
}

/// The schema version the server holds, or None when it was never prepared.
/// Refuses a database with tables of another program.
fn schema_version(client: &mut impl GenericClient, place: &str) -> Result<Option<i32>> {
    let prepared: bool = client
        .query_one("SELECT to_regclass('lajur_server') IS NOT NULL", &[])
        .map_err(|e| ServerError::from(problem_of(&e, place)))?
        .get(0);
    if !prepared {
        let others: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()",
                &[],
            )
            .map_err(|e| ServerError::from(problem_of(&e, place)))?
            .get(0);
        return if others > 0 {
            Err(ServerProblem::NotLajur.into())
        } else {
            Ok(None)
        };
    }
    let row = client
        .query_opt("SELECT value FROM lajur_server WHERE key = 'skema'", &[])
        .map_err(|e| ServerError::from(problem_of(&e, place)))?;
    let version = row
        .and_then(|r| r.get::<_, String>(0).parse::<i32>().ok())
        .ok_or(ServerProblem::NotLajur)?;
    Ok(Some(version))
}

/// Prepares (or brings up to date) the office's database on the server, as
/// its owner role: the schema, then the rights of the PCs' role `pc_role`.
/// Two PCs doing this at once migrate once. Returns the version it started
/// from (None: a new database).
pub fn prepare(owner: &Address, pc_role: &str) -> Result<Option<i32>> {
    let role = role_identifier(pc_role)?;
    let place = owner.place();
    let (mut client, _) = owner.connect()?;
    let err = |e: postgres::Error| ServerError::from(problem_of(&e, &place));
    let mut tx = client.transaction().map_err(err)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(err)?;
    // Read inside the lock: what another PC just did counts.
    let before = schema_version(&mut tx, &place)?;
    let from = before.unwrap_or(0);
    if from > SCHEMA_VERSION {
        return Err(ServerProblem::NewerSchema {
            found: from,
            known: SCHEMA_VERSION,
        }
        .into());
    }
    for (v, sql) in MIGRATIONS.iter().enumerate().skip(from.max(0) as usize) {
        tx.batch_execute(sql).map_err(err)?;
        tx.execute(
            "INSERT INTO lajur_server (key, value) VALUES ('skema', $1)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            &[&(v as i32 + 1).to_string()],
        )
        .map_err(err)?;
    }
    // The PCs read and add; they never change or remove (grants, so no
    // program of theirs can, whatever it sends).
    tx.batch_execute(&format!(
        "REVOKE ALL ON lajur_server, journal, files FROM PUBLIC;
         REVOKE ALL ON lajur_server, journal, files FROM {role};
         GRANT SELECT ON lajur_server TO {role};
         GRANT SELECT, INSERT ON journal, files TO {role};"
    ))
    .map_err(err)?;
    tx.commit().map_err(err)?;
    Ok(before)
}

/// A PC's connection to the office server, checked: the server's schema is
/// one this build knows.
pub struct Server {
    client: Client,
    address: Address,
    /// The certificate the server showed (None: not encrypted).
    certificate: Option<String>,
}

impl Server {
    /// Connects and checks the schema: refuses a database never prepared,
    /// another program's, or a newer Lajur's.
    pub fn connect(address: &Address) -> Result<Server> {
        let (mut client, certificate) = address.connect()?;
        match schema_version(&mut client, &address.place())? {
            None => Err(ServerProblem::NotPrepared.into()),
            Some(found) if found > SCHEMA_VERSION => Err(ServerProblem::NewerSchema {
                found,
                known: SCHEMA_VERSION,
            }
            .into()),
            Some(_) => Ok(Server {
                client,
                address: address.clone(),
                certificate,
            }),
        }
    }

    /// What "Tes sambungan" shows.
    pub fn summary(&mut self) -> Result<ServerSummary> {
        let place = self.address.place();
        let row = self
            .client
            .query_one(
                "SELECT current_setting('server_version'),
                        (SELECT count(*) FROM journal),
                        has_table_privilege('journal', 'INSERT'),
                        has_table_privilege('journal', 'UPDATE')
                          OR has_table_privilege('journal', 'DELETE')
                          OR has_table_privilege('journal', 'TRUNCATE'),
                        COALESCE((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)",
                &[],
            )
            .map_err(|e| ServerError::from(problem_of(&e, &place)))?;
        Ok(ServerSummary {
            place,
            server_version: row.get(0),
            entries: row.get(1),
            may_write: row.get(2),
            may_rewrite: row.get(3),
            encrypted: row.get(4),
        })
    }

    /// The certificate the server showed on this connection (None: the
    /// connection is not encrypted).
    pub fn certificate(&self) -> Option<&str> {
        self.certificate.as_deref()
    }

    #[doc(hidden)]
    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    /// Maps a failure of the server to the clerk's words.
    #[doc(hidden)]
    pub fn problem(&self, e: &postgres::Error) -> ServerProblem {
        problem_of(e, &self.address.place())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_reaches_a_message() {
        assert_eq!(
            without_password("postgresql://lajur_pc:rahasia@10.0.0.2:5432/kantor"),
            "postgresql://lajur_pc:***@10.0.0.2:5432/kantor"
        );
        assert_eq!(
            without_password("postgresql://10.0.0.2/kantor"),
            "postgresql://10.0.0.2/kantor"
        );
        let refused = Address::parse("postgresql://lajur_pc:rahasia@/kantor?port=x").unwrap_err();
        assert!(!format!("{:?}", refused.problem()).contains("rahasia"));
    }

    #[test]
    fn addresses_are_read_and_named_without_the_password() {
        let a =
            Address::parse("postgresql://lajur_pc:rahasia@192.168.1.10:5433/kalurahan").unwrap();
        assert_eq!(a.place(), "192.168.1.10:5433/kalurahan");
        let b = Address::parse("host=server-kantor dbname=lajur user=lajur_pc").unwrap();
        assert_eq!(b.place(), "server-kantor:5432/lajur");
        assert!(Address::parse("bukan alamat").is_err());
    }

    #[test]
    fn only_plain_role_names_are_written_into_sql() {
        assert_eq!(role_identifier("lajur_pc").unwrap(), "\"lajur_pc\"");
        for bad in ["", "Lajur", "x; DROP TABLE journal", "a\"b", "1abc"] {
            assert!(role_identifier(bad).is_err(), "{bad}");
        }
    }
}
