//! The office server's side, against a real PostgreSQL cluster made for the
//! test (see `cluster.rs`): prepared once however many PCs start at once,
//! the PCs' role unable to change history by the server's own rights, a
//! newer or foreign database refused in words, a new entry heard at once.

use lajur_core::failure::ServerProblem;
use lajur_core::locale::Lang;
use lajur_records::server::{self, Address, Server};
use postgres::fallible_iterator::FallibleIterator;

use crate::cluster::{Cluster, PC_PASSWORD, PC_ROLE};

fn address(url: &str) -> Address {
    Address::parse(url).expect("address")
}

/// What a role's SQL came to: Ok, or the server's refusal in our terms.
fn run_as(url: &str, sql: &str) -> Result<(), ServerProblem> {
    let mut server = Server::connect(&address(url)).map_err(|e| e.problem().clone())?;
    server
        .client()
        .batch_execute(sql)
        .map_err(|e| server.problem(&e))
}

#[test]
fn the_office_server_is_prepared_once_and_its_history_cannot_be_rewritten() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let office = cluster.office_database("kalurahan");

    // Never prepared: a PC is told whom to ask; the PC's role itself may
    // not prepare it (it cannot create tables).
    let refused = Server::connect(&address(&office.pc))
        .err()
        .expect("refused");
    assert_eq!(refused.problem(), &ServerProblem::NotPrepared);
    assert!(refused.message(Lang::Id).contains("lajur server init"));
    let refused = server::prepare(&address(&office.pc), PC_ROLE).expect_err("not the owner");
    assert!(
        matches!(refused.problem(), ServerProblem::NoPermission(_)),
        "{refused:?}"
    );

    // Four PCs starting at once: one prepares, the others find it done.
    let owner = office.owner.clone();
    let started: Vec<Option<i32>> = std::thread::scope(|s| {
        let runs: Vec<_> = (0..4)
            .map(|_| s.spawn(|| server::prepare(&address(&owner), PC_ROLE).expect("prepared")))
            .collect();
        runs.into_iter()
            .map(|r| r.join().expect("thread"))
            .collect()
    });
    assert_eq!(
        started.iter().filter(|v| v.is_none()).count(),
        1,
        "{started:?}"
    );
    assert!(
        started
            .iter()
            .flatten()
            .all(|v| *v == server::SCHEMA_VERSION)
    );

    // The PCs' role: reads and adds, and is told so.
    let mut pc = Server::connect(&address(&office.pc)).expect("connects");
    let summary = pc.summary().expect("summary");
    assert_eq!(summary.entries, 0);
    assert!(summary.may_write && !summary.may_rewrite, "{summary:?}");
    assert_eq!(
        summary.place,
        format!("127.0.0.1:{}/kalurahan", cluster.port)
    );
    let owner_summary = Server::connect(&address(&office.owner))
        .expect("owner connects")
        .summary()
        .expect("summary");
    assert!(
        owner_summary.may_rewrite,
        "the owner could; the PCs must not use it"
    );

    // A PC listening hears an entry the moment another PC adds it.
    pc.client()
        .batch_execute("LISTEN lajur_journal")
        .expect("listen");
    run_as(
        &office.pc,
        "INSERT INTO journal (seq, pc, log_seq, log_hash, changes)
         VALUES (1, 'pc-seksi', 1, 'aa', '\\x00')",
    )
    .expect("a PC adds to the journal");
    let heard = pc
        .client()
        .notifications()
        .timeout_iter(std::time::Duration::from_secs(5))
        .next()
        .expect("no error")
        .expect("heard within 5 s");
    assert_eq!(heard.payload(), "1");
    // One line: a second entry 1 is refused.
    assert!(
        run_as(
            &office.pc,
            "INSERT INTO journal (seq, pc, log_seq, log_hash, changes)
             VALUES (1, 'pc-lain', 1, 'bb', '\\x00')",
        )
        .is_err()
    );

    // History cannot be rewritten by the PCs' role, whatever it sends.
    for sql in [
        "UPDATE journal SET pc = 'pemalsu'",
        "DELETE FROM journal",
        "TRUNCATE journal",
        "UPDATE files SET size = 0",
        "DROP TABLE journal",
        "ALTER TABLE journal DISABLE TRIGGER journal_written",
        "UPDATE lajur_server SET value = '1' WHERE key = 'skema'",
    ] {
        let refused = run_as(&office.pc, sql).expect_err(sql);
        assert!(
            matches!(refused, ServerProblem::NoPermission(_)),
            "{sql}: {refused:?}"
        );
    }
    let entries = Server::connect(&address(&office.pc))
        .expect("connects")
        .summary()
        .expect("summary")
        .entries;
    assert_eq!(entries, 1);

    // A newer Lajur prepared the server: refused in words, by PCs and by
    // `server init` alike, and nothing is changed.
    run_as(
        &office.owner,
        "UPDATE lajur_server SET value = '2' WHERE key = 'skema'",
    )
    .expect("owner");
    for refused in [
        Server::connect(&address(&office.pc))
            .err()
            .expect("refused"),
        server::prepare(&address(&office.owner), PC_ROLE).expect_err("refused"),
    ] {
        assert_eq!(
            refused.problem(),
            &ServerProblem::NewerSchema { found: 2, known: 1 }
        );
        assert!(refused.message(Lang::Id).contains("lebih baru"));
    }

    // Another program's database is never taken over.
    let other = cluster.office_database("program_lain");
    run_as_owner_raw(&cluster, "program_lain", "CREATE TABLE pelanggan (id int)");
    let refused = server::prepare(&address(&other.owner), PC_ROLE).expect_err("foreign");
    assert_eq!(refused.problem(), &ServerProblem::NotLajur);
    let refused = Server::connect(&address(&other.pc)).err().expect("foreign");
    assert_eq!(refused.problem(), &ServerProblem::NotLajur);

    // A wrong password, a database that is not there: each in its words,
    // never with the password.
    let wrong = cluster.url(PC_ROLE, "salah", "kalurahan");
    let refused = Server::connect(&address(&wrong)).err().expect("refused");
    assert_eq!(refused.problem(), &ServerProblem::Login);
    let missing = cluster.url(PC_ROLE, PC_PASSWORD, "tidak_ada");
    let refused = Server::connect(&address(&missing)).err().expect("refused");
    assert_eq!(refused.problem(), &ServerProblem::NoSuchDatabase);
    assert!(!refused.message(Lang::Id).contains(PC_PASSWORD));
}

fn run_as_owner_raw(cluster: &Cluster, database: &str, sql: &str) {
    let mut client = postgres::Client::connect(
        &cluster.url(
            crate::cluster::OWNER,
            crate::cluster::OWNER_PASSWORD,
            database,
        ),
        postgres::NoTls,
    )
    .expect("owner connects");
    client.batch_execute(sql).expect("owner SQL");
}

/// No server there (switched off, cable out): said with the place, at once,
/// and without the password.
#[test]
fn a_server_that_does_not_answer_is_said_in_words() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
        listener.local_addr().expect("addr").port()
    };
    let url = format!("postgresql://lajur_pc:rahasia@127.0.0.1:{port}/kantor");
    let started = std::time::Instant::now();
    let refused = Server::connect(&address(&url)).err().expect("refused");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(
        refused.problem(),
        &ServerProblem::Unreachable(format!("127.0.0.1:{port}/kantor"))
    );
    let said = refused.message(Lang::Id);
    assert!(said.contains("tidak dapat dihubungi"), "{said}");
    assert!(!said.contains("rahasia"));
}
