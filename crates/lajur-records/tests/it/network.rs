//! Several PCs of one office sharing its records through the office server
//! (a real PostgreSQL cluster made for the test): the first PC moves its
//! records there, the others catch up, each write goes through the
//! server's journal in one line, two PCs acting on one step at once write
//! it once, and every copy audits clean with the same log head.

use lajur_core::failure::ServerProblem;
use lajur_core::workflow::{Action, Allowed};
use lajur_records::journal::Joined;
use lajur_records::server::{self, Address, Server};
use lajur_records::{Store, StoreError, User};

use crate::cluster::{Cluster, PC_ROLE};

fn address(url: &str) -> Address {
    Address::parse(url).expect("address")
}

/// The address as the data folder keeps it (the PC's role, no password).
fn a_address_without_password(url: &str) -> Address {
    address(&address(url).without_password())
}

fn journal_entries(url: &str) -> i64 {
    Server::connect(&address(url))
        .expect("connects")
        .summary()
        .expect("summary")
        .entries
}

/// The first thing `who` may do on kegiatan `id`: Selesai, or the first answer.
fn next_action(store: &mut Store, who: &User, id: i64) -> Option<Action> {
    match store.allowed(who, id).expect("allowed").first()? {
        Allowed::Complete { .. } => Some(Action::Complete),
        Allowed::Answer { exit, .. } => Some(Action::Answer(*exit)),
    }
}

/// Whoever of `people` may act next on kegiatan `id`, with what they do.
fn whose_turn(store: &mut Store, people: &[&User], id: i64) -> Option<(User, Action)> {
    people
        .iter()
        .find_map(|who| next_action(store, who, id).map(|action| ((*who).clone(), action)))
}

#[test]
fn pcs_of_one_office_share_its_records_through_the_server() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let db = cluster.prepared_office("kalurahan");

    // PC A: an office that started on one PC, with history and drafts.
    let office = crate::tamper::office();
    let mut a = Store::open(office.dir.path()).expect("opens");
    // Only its administrator moves the office's records: without one, or
    // as a clerk, refused and nothing moved.
    let clerk = a
        .users()
        .expect("users")
        .into_iter()
        .find(|u| !u.is_admin)
        .expect("a clerk");
    for by in [None, Some(&clerk)] {
        let refused = a.join_office_server(by, &address(&db.pc), "pc-ketua");
        assert!(
            matches!(
                refused,
                Err(StoreError::NotAllowed(
                    lajur_records::Refusal::ServerAdminOnly
                ))
            ),
            "{refused:?}"
        );
    }
    assert_eq!(journal_entries(&db.pc), 0);
    assert!(!a.is_linked());
    assert_eq!(
        a.synchronous().expect("sync"),
        2,
        "alone: every commit on disk"
    );
    let joined = a
        .join_office_server(
            crate::cluster::administrator(&a).as_ref(),
            &address(&db.pc),
            "pc-ketua",
        )
        .expect("moved to the server");
    assert!(
        matches!(joined, Joined::Moved { log_rows, files } if log_rows > 20 && files >= 2),
        "{joined:?}"
    );
    assert_eq!(journal_entries(&db.pc), 1);
    // Shared: the server holds every write before this PC commits it.
    assert_eq!(a.synchronous().expect("sync"), 1);

    // PC B: a new data folder; it receives everything, drafts included.
    let b_dir = tempfile::tempdir().expect("temp");
    let mut b = Store::open(b_dir.path()).expect("opens");
    let joined = b
        .join_office_server(
            crate::cluster::administrator(&b).as_ref(),
            &address(&db.pc),
            "pc-seksi",
        )
        .expect("caught up");
    assert_eq!(joined, Joined::CaughtUp { entries: 1 });
    assert_eq!(a.log_head().expect("head"), b.log_head().expect("head"));
    let audit = b.audit(&[]).expect("audit");
    assert!(audit.ok(), "{:?}", audit.findings);
    assert!(audit.files >= 2);
    assert_eq!(b.kegiatan(2).expect("k2").title, "Publikasi Posyandu");

    // B works the running kegiatan; A sees it once it catches up.
    let ani_b = b.user_by_name("ani").expect("ani on B");
    let action = next_action(&mut b, &ani_b, 2).expect("ani's turn");
    b.act(&ani_b, None, 2, action, "dari komputer seksi")
        .expect("acted on B");
    assert_eq!(journal_entries(&db.pc), 2);
    assert_eq!(a.catch_up().expect("caught up"), 1);
    assert_eq!(a.log_head().expect("head"), b.log_head().expect("head"));
    assert_eq!(
        a.kegiatan(2).expect("k2").current,
        b.kegiatan(2).expect("k2").current
    );

    // A writes without catching up first: its write catches up itself.
    let ani_a = a.user_by_name("ani").expect("ani on A");
    let budi_a = a.user_by_name("budi").expect("budi on A");
    let who = [ani_a.clone(), budi_a.clone()]
        .into_iter()
        .find(|u| next_action(&mut a, u, 2).is_some())
        .expect("someone's turn");
    let action = next_action(&mut a, &who, 2).expect("turn");
    a.act(&who, None, 2, action, "dari komputer ketua")
        .expect("acted on A");
    assert_eq!(journal_entries(&db.pc), 3);

    // Both PCs press the same step's button at the same moment: the server
    // gives one the turn; the other then finds the step done.
    b.catch_up().expect("caught up");
    let who_b = b.user_by_name(&who.username).expect("same clerk");
    let who = [ani_a, budi_a]
        .into_iter()
        .find(|u| next_action(&mut a, u, 2).is_some())
        .expect("someone's turn");
    let who_b = b.user_by_name(&who.username).unwrap_or(who_b);
    let action_a = next_action(&mut a, &who, 2).expect("turn on A");
    let action_b = next_action(&mut b, &who_b, 2).expect("turn on B");
    // Each PC acts on the step its window shows.
    let seen = a.kegiatan(2).expect("k2").current.expect("running");
    assert_eq!(b.kegiatan(2).expect("k2").current.as_ref(), Some(&seen));
    let (seen_a, seen_b) = (seen.clone(), seen.clone());
    let (a, ra, b, rb) = std::thread::scope(|s| {
        let ta = s.spawn(move || {
            let at = Some((&seen_a.step, seen_a.visit));
            let r = a.act_at(&who, None, 2, at, action_a, "bersamaan A");
            (a, r)
        });
        let tb = s.spawn(move || {
            let at = Some((&seen_b.step, seen_b.visit));
            let r = b.act_at(&who_b, None, 2, at, action_b, "bersamaan B");
            (b, r)
        });
        let (a, ra) = ta.join().expect("A");
        let (b, rb) = tb.join().expect("B");
        (a, ra, b, rb)
    });
    let (mut a, mut b) = (a, b);
    assert!(
        ra.is_ok() != rb.is_ok(),
        "exactly one of the two wrote: {ra:?} / {rb:?}"
    );
    let refused = if ra.is_err() { ra } else { rb };
    let refused = refused.expect_err("refused");
    assert!(
        matches!(
            &refused,
            StoreError::StepTaken {
                by: Some(_),
                at: Some(_),
                ..
            }
        ),
        "{refused:?}"
    );
    let said = refused.message(lajur_core::locale::Lang::Id);
    assert!(
        said.starts_with("Langkah ini sudah dikerjakan oleh "),
        "{said}"
    );
    assert_eq!(journal_entries(&db.pc), 4);
    a.catch_up().expect("A");
    b.catch_up().expect("B");
    assert_eq!(a.log_head().expect("head"), b.log_head().expect("head"));
    for store in [&a, &b] {
        assert_eq!(
            store.verify_log().expect("chain"),
            Ok(store.log_head().expect("h").0)
        );
        let audit = store.audit(&[]).expect("audit");
        assert!(audit.ok(), "{:?}", audit.findings);
    }

    // The data folder remembers the server, never its password; opened
    // again (the PC restarted), the records still go through the server.
    let kept = std::fs::read_to_string(office.dir.path().join("server-kantor.txt")).expect("kept");
    assert!(
        kept.starts_with("postgresql://lajur_pc@127.0.0.1:"),
        "{kept}"
    );
    assert!(!kept.contains(crate::cluster::PC_PASSWORD), "{kept}");
    drop(a);
    // Typed once on this PC, the password is in its credential store: the
    // next opening needs nobody to type it (where the PC has a store this
    // process may use; else it is given as the window would).
    let pc_address = a_address_without_password(&db.pc);
    let kept_in_store =
        lajur_records::credentials::remember(&pc_address, crate::cluster::PC_PASSWORD);
    let mut a = Store::open(office.dir.path()).expect("opens again");
    assert!(a.is_linked());
    match kept_in_store {
        Ok(()) => {
            assert_eq!(a.catch_up().expect("connects with the kept password"), 0);
            lajur_records::credentials::forget(&pc_address).expect("forgotten");
            assert_eq!(lajur_records::credentials::recall(&pc_address), None);
        }
        Err(why) => {
            eprintln!(
                "penyimpan kredensial tidak dapat dipakai di sini ({why:?}): diberikan langsung"
            );
            a.use_server_password(crate::cluster::PC_PASSWORD);
        }
    }
    let ani = a.user_by_name("ani").expect("ani");
    a.start_kegiatan(
        &ani,
        &crate::records::seed_text("bunder-penyebarluasan-informasi-medsos.toml"),
        "Publikasi Rapat",
        "",
    )
    .expect("started through the server");
    assert_eq!(journal_entries(&db.pc), 5);

    // The server goes down: nothing is written, on either side, and the
    // clerk is told; when it is back, the same work goes through.
    let head = a.log_head().expect("head");
    cluster.stop();
    let refused = a
        .start_kegiatan(
            &ani,
            &crate::records::seed_text("bunder-penyebarluasan-informasi-medsos.toml"),
            "Saat server mati",
            "",
        )
        .expect_err("no server, no write");
    assert!(
        matches!(refused, StoreError::Server(ServerProblem::Unreachable(_))),
        "{refused:?}"
    );
    assert!(
        refused
            .message(lajur_core::locale::Lang::Id)
            .contains("tidak dapat dihubungi")
    );
    assert_eq!(a.log_head().expect("head"), head, "nothing written locally");
    // Signing in is this PC's own: a wrong password is still said as wrong
    // (its log row cannot be written), and the wait after too many holds.
    for _ in 0..lajur_records::FREE_ATTEMPTS {
        let wrong = a.authenticate("ani", "salah-ketik");
        assert!(matches!(wrong, Err(StoreError::BadLogin)), "{wrong:?}");
    }
    let waiting = a.authenticate("ani", "salah-ketik");
    assert!(
        matches!(waiting, Err(StoreError::TooManyAttempts { .. })),
        "{waiting:?}"
    );
    cluster.start_again();
    a.start_kegiatan(
        &ani,
        &crate::records::seed_text("bunder-penyebarluasan-informasi-medsos.toml"),
        "Saat server mati",
        "",
    )
    .expect("written once the server is back");
    assert_eq!(journal_entries(&db.pc), 6);
    assert_eq!(b.catch_up().expect("B"), 2);
    assert_eq!(a.log_head().expect("head"), b.log_head().expect("head"));

    // A PC with records of its own is never mixed in; nothing changes.
    let c_dir = tempfile::tempdir().expect("temp");
    let mut c = Store::open(c_dir.path()).expect("opens");
    crate::records::user(&mut c, None, "lain", &["ketua"]);
    let refused = c
        .join_office_server(
            crate::cluster::administrator(&c).as_ref(),
            &address(&db.pc),
            "pc-lain",
        )
        .expect_err("refused");
    assert!(
        matches!(refused, StoreError::Server(ServerProblem::OtherRecords)),
        "{refused:?}"
    );
    assert!(!c.is_linked());
    assert_eq!(journal_entries(&db.pc), 6);
}

/// Two PCs of one office on the server at `cluster`: A (the test office,
/// moved there by its Lurah) and B (a new folder joined to it), B's
/// connection with the PC role's password. The folders live as long as the
/// first and fourth values.
fn two_pcs(
    cluster: &Cluster,
    name: &str,
) -> (crate::tamper::Office, Store, User, tempfile::TempDir, Store) {
    let db = cluster.prepared_office(name);
    let office = crate::tamper::office();
    let mut a = Store::open(office.dir.path()).expect("opens");
    let lurah = crate::cluster::administrator(&a).expect("administrator");
    a.join_office_server(Some(&lurah), &address(&db.pc), "pc-lurah")
        .expect("moved");
    let b_dir = tempfile::tempdir().expect("temp");
    crate::cluster::join_folder(b_dir.path(), &db.pc, "pc-seksi");
    let mut b = Store::open(b_dir.path()).expect("opens");
    b.use_server_password(crate::cluster::PC_PASSWORD);
    (office, a, lurah, b_dir, b)
}

/// Settings saved on one PC reach another even when that PC's own write
/// applied them (each write first applies what the others wrote), so its
/// next catch-up finds nothing new: the window reads them again all the
/// same, and lays out again only when they changed.
#[test]
fn settings_saved_on_one_pc_show_on_another_whose_own_write_brought_them() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let (_office, mut a, lurah, _b_dir, mut b) = two_pcs(&cluster, "pengaturan");
    assert_eq!(b.synchronous().expect("sync"), 1, "opened shared");
    assert_eq!(
        b.another_connection()
            .expect("another")
            .synchronous()
            .expect("sync"),
        1
    );
    let generation = b.office_generation();
    assert_eq!(b.catch_up().expect("nothing new"), 0);
    assert_eq!(
        b.office_generation(),
        generation,
        "settings unchanged: nothing laid out again"
    );

    let mut settings = a.office().office.clone();
    settings.unit_name = "Bunder Baru".into();
    settings.district_name = "Patuk".into();
    settings.regency_name = "Gunungkidul".into();
    settings.head_name = "Pak Lurah".into();
    a.save_office(&lurah, &settings, lajur_core::records::LogoChange::Keep)
        .expect("saved on A");
    // B writes before it heard: its write applies A's entry first.
    let ani = b.user_by_name("ani").expect("ani on B");
    let action = next_action(&mut b, &ani, 2).expect("ani's turn");
    b.act(&ani, None, 2, action, "").expect("acted on B");
    assert_eq!(b.catch_up().expect("nothing left"), 0);
    assert_eq!(b.office().office.unit_name, "Bunder Baru");
    assert_ne!(b.office_generation(), generation);
}

/// A PC whose Lajur was updated opens its shared copy on the older schema:
/// migrating it is that copy's own business (the entries carry rows of
/// `schema::ROWS_VERSION`), done before anything is caught up; then it
/// receives what the office wrote meanwhile and writes on.
#[test]
fn a_shared_pc_with_an_older_copy_migrates_it_and_goes_on_with_the_office() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let (_office, mut a, _lurah, b_dir, b) = two_pcs(&cluster, "pembaruan");
    drop(b);
    crate::records::put_back_to_version_six(b_dir.path());
    let ani = a.user_by_name("ani").expect("ani");
    let action = next_action(&mut a, &ani, 2).expect("ani's turn");
    a.act(&ani, None, 2, action, "")
        .expect("acted on A meanwhile");

    let mut b = Store::open(b_dir.path()).expect("B opens and migrates");
    b.use_server_password(crate::cluster::PC_PASSWORD);
    assert_eq!(
        b.schema_version().expect("v"),
        lajur_records::schema::CURRENT_VERSION
    );
    assert_eq!(b.catch_up().expect("caught up"), 1);
    assert_eq!(
        b.step_events(2).expect("on B").len(),
        a.step_events(2).expect("on A").len()
    );
    let people = ["ani", "budi"].map(|name| b.user_by_name(name).expect("on B"));
    let (who, action) = whose_turn(&mut b, &people.each_ref(), 2).expect("someone's turn");
    b.act(&who, None, 2, action, "").expect("acted on B");
    assert_eq!(a.catch_up().expect("A hears"), 1);
    assert_eq!(a.log_head().expect("A"), b.log_head().expect("B"));
    assert!(b.audit(&[]).expect("audit").ok());
}

/// The server's owner (or a damaged disk) alters an entry after a PC sent
/// it: another PC applying it refuses it whole, its records as they were,
/// whether a record's value was changed (its digest is not the one the log
/// row vouches for), a value of another kind put in (SQLite would store it
/// otherwise: read back, found), or the log row itself (its hash no longer
/// covers it). The entry as it was sent goes in.
#[test]
fn an_entry_altered_on_the_server_is_refused_by_the_pc_that_would_apply_it() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let (_office, mut a, _lurah, _b_dir, mut b) = two_pcs(&cluster, "dipalsukan");
    let ani = a.user_by_name("ani").expect("ani");
    let sop = crate::records::seed_text("bunder-penyebarluasan-informasi-medsos.toml");
    let id = a
        .start_kegiatan(&ani, &sop, "Publikasi Pasar", "catatan asli")
        .expect("started on A");
    let mut owner = postgres::Client::connect(
        &cluster.url("postgres", crate::cluster::SUPER_PASSWORD, "dipalsukan"),
        postgres::NoTls,
    )
    .expect("superuser connects");
    let last = "(SELECT max(seq) FROM journal)";
    let sent: Vec<u8> = owner
        .query_one(
            &format!("SELECT changes FROM journal WHERE seq = {last}"),
            &[],
        )
        .expect("the entry")
        .get(0);
    let head = b.log_head().expect("B's head");
    for (what, from, to) in [
        (
            "a record's value",
            r#"{"T":"berjalan"}"#,
            r#"{"T":"selesai"}"#,
        ),
        // The last value of the entry: the visit's count.
        (
            "a value of another kind",
            r#"{"I":1}]]}}]}"#,
            r#"{"R":1.5}]]}}]}"#,
        ),
        ("the log row", "Pasar; SOP", "Palsu; SOP"),
    ] {
        let altered = owner
            .execute(
                &format!(
                    "UPDATE journal SET changes = convert_to(replace(convert_from($1, 'UTF8'), $2, $3), 'UTF8')
                     WHERE seq = {last} AND position($2 in convert_from($1, 'UTF8')) > 0"
                ),
                &[&sent, &from, &to],
            )
            .expect("altered");
        assert_eq!(altered, 1, "{what}: the entry holds {from}");
        let refused = b.catch_up();
        assert!(
            matches!(&refused, Err(StoreError::Server(ServerProblem::Other(m))) if m.contains("tidak sesuai")),
            "{what}: {refused:?}"
        );
        assert_eq!(b.log_head().expect("B's head"), head, "{what}");
        assert!(b.kegiatan(id).is_err(), "{what}: nothing of it on B");
    }
    owner
        .execute(
            &format!("UPDATE journal SET changes = $1 WHERE seq = {last}"),
            &[&sent],
        )
        .expect("as sent");
    assert_eq!(b.catch_up().expect("caught up"), 1);
    assert_eq!(b.kegiatan(id).expect("on B").title, "Publikasi Pasar");
    assert_eq!(b.log_head().expect("B"), a.log_head().expect("A"));
    assert!(b.audit(&[]).expect("audit").ok());
}

/// Another PC applies an entry by touching only the rows that differ,
/// children leaving before their parents and parents coming before their
/// children: a user added, given other lanes, then removed (the user's
/// lanes and the user go in one entry) and a kegiatan started and taken to
/// its end reach the other PC as they are on the first, its audit clean.
#[test]
fn rows_that_change_leave_and_come_reach_another_pc_as_they_are() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let (_office, mut a, lurah, _b_dir, mut b) = two_pcs(&cluster, "baris");

    let tamu = a
        .create_user(
            Some(&lurah),
            lajur_records::NewUser {
                username: "tamu".into(),
                name: "Tamu".into(),
                lanes: vec!["ketua".into(), "seksi".into()],
                password: "tamu-rahasia".into(),
                ..lajur_records::NewUser::default()
            },
        )
        .expect("added");
    assert_eq!(b.catch_up().expect("caught up"), 1);
    assert_eq!(b.user_by_name("tamu").expect("on B").lanes.len(), 2);
    let mut edit = lajur_core::records::UserEdit::from(&tamu);
    edit.lanes = vec![lajur_core::sop::LaneId("admin".into())];
    a.update_user(&lurah, tamu.id, edit).expect("lanes changed");
    b.catch_up().expect("caught up");
    assert_eq!(
        b.user_by_name("tamu").expect("on B").lanes,
        a.user_by_name("tamu").expect("on A").lanes
    );
    a.delete_user(&lurah, tamu.id).expect("removed");
    b.catch_up().expect("caught up");
    assert!(b.user_by_name("tamu").is_err(), "removed on B too");

    // A kegiatan from start to its end on A, followed on B entry by entry.
    let ani = a.user_by_name("ani").expect("ani");
    let budi = a.user_by_name("budi").expect("budi");
    let id = a
        .start_kegiatan(
            &ani,
            &crate::records::seed_text("bunder-penyebarluasan-informasi-medsos.toml"),
            "Publikasi Lomba",
            "",
        )
        .expect("started");
    assert_eq!(b.catch_up().expect("caught up"), 1);
    assert_eq!(b.kegiatan(id).expect("on B").title, "Publikasi Lomba");
    let mut steps = 0;
    while let Some((who, action)) = whose_turn(&mut a, &[&ani, &budi], id) {
        a.act(&who, None, id, action, "").expect("acted");
        assert_eq!(b.catch_up().expect("caught up"), 1);
        assert_eq!(
            b.kegiatan(id).expect("on B").current,
            a.kegiatan(id).expect("on A").current
        );
        steps += 1;
        assert!(steps < 60, "the kegiatan ends");
    }
    assert_eq!(
        b.kegiatan(id).expect("on B").status,
        a.kegiatan(id).expect("on A").status
    );
    assert_eq!(
        b.step_events(id).expect("B").len(),
        a.step_events(id).expect("A").len()
    );
    assert_eq!(a.log_head().expect("head"), b.log_head().expect("head"));
    let audit = b.audit(&[]).expect("audit");
    assert!(audit.ok(), "{:?}", audit.findings);
}

/// Moving an office refuses what should not move, and changes nothing on
/// either side when it does: records that fail the full check, and a server
/// that does not hold what was sent (a trigger there alters every entry, as a
/// broken or hostile server would). A connection opened before another one
/// joined the folder to the server does not write past it.
#[test]
fn moving_an_office_refuses_damaged_records_and_a_server_that_alters_them() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let db = cluster.prepared_office("pindahan");
    let office = crate::tamper::office();

    // A row rewritten behind Lajur's back: not moved.
    let damaged = crate::tamper::copy_of(&office);
    {
        let raw = crate::tamper::sqlite3(damaged.path());
        raw.execute_batch(crate::tamper::DROP_GUARDS).expect("drop");
        raw.execute("UPDATE log SET note = 'diubah' WHERE seq = 8", [])
            .expect("rewrite");
        raw.execute_batch(crate::tamper::RESTORE_GUARDS)
            .expect("guards back");
    }
    let mut store = Store::open(damaged.path()).expect("opens");
    let refused = store.join_office_server(
        crate::cluster::administrator(&store).as_ref(),
        &address(&db.pc),
        "pc-ketua",
    );
    assert!(
        matches!(
            refused,
            Err(StoreError::Server(ServerProblem::NotIntactHere(n))) if n > 0
        ),
        "{refused:?}"
    );
    assert!(!store.is_linked());
    assert!(!damaged.path().join("server-kantor.txt").exists());
    assert_eq!(journal_entries(&db.pc), 0);
    drop(store);

    // The server keeps something else than it was sent: read back, found,
    // and nothing counts on either side.
    cluster.as_superuser(
        "pindahan",
        "CREATE FUNCTION alter_entry() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN NEW.changes := NEW.changes || '\\x20'::bytea; RETURN NEW; END $$;
         CREATE TRIGGER alter_entry BEFORE INSERT ON journal
           FOR EACH ROW EXECUTE FUNCTION alter_entry();",
    );
    let intact = crate::tamper::copy_of(&office);
    let mut store = Store::open(intact.path()).expect("opens");
    let head = store.log_head().expect("head");
    let refused = store.join_office_server(
        crate::cluster::administrator(&store).as_ref(),
        &address(&db.pc),
        "pc-ketua",
    );
    assert!(
        matches!(refused, Err(StoreError::Server(ServerProblem::CopyDiffers))),
        "{refused:?}"
    );
    assert!(!store.is_linked());
    assert!(!intact.path().join("server-kantor.txt").exists());
    assert_eq!(journal_entries(&db.pc), 0);
    let files: i64 = cluster_count(&cluster, "pindahan", "files");
    assert_eq!(files, 0, "no draft left behind on the server");
    // This PC goes on alone, nothing changed.
    assert_eq!(store.log_head().expect("head"), head);
    assert!(store.audit(&[]).expect("audit").findings.is_empty());

    // Mended server: the move goes through.
    cluster.as_superuser("pindahan", "DROP TRIGGER alter_entry ON journal;");
    // Another program has the same folder open (a command at the same
    // time); it joins the server first.
    drop(store);
    let mut other =
        Store::open_with(intact.path(), lajur_records::Access::Shared).expect("a second opening");
    let mut store =
        Store::open_with(intact.path(), lajur_records::Access::Shared).expect("opens again");
    other
        .join_office_server(
            crate::cluster::administrator(&other).as_ref(),
            &address(&db.pc),
            "pc-ketua",
        )
        .expect("moved");
    assert_eq!(journal_entries(&db.pc), 1);
    // The opening made before it would write past the server: refused.
    let ani = store.user_by_name("ani").expect("ani");
    let sop = crate::records::seed_text("bunder-penyebarluasan-informasi-medsos.toml");
    let refused = store.start_kegiatan(&ani, &sop, "Setelah pindah", "");
    assert!(
        matches!(
            refused,
            Err(StoreError::Server(ServerProblem::SharedMeanwhile))
        ),
        "{refused:?}"
    );
    assert_eq!(journal_entries(&db.pc), 1);
}

fn cluster_count(cluster: &Cluster, database: &str, table: &str) -> i64 {
    let url = cluster.url(
        crate::cluster::OWNER,
        crate::cluster::OWNER_PASSWORD,
        database,
    );
    let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connects");
    client
        .query_one(&format!("SELECT count(*) FROM {table}"), &[])
        .expect("count")
        .get(0)
}

/// A server that offers TLS is used encrypted, as the server itself says;
/// the certificate seen when the PC joined is kept beside the address, and a
/// server showing another one (another machine in its place) is refused in
/// words, nothing written on either side.
#[test]
fn a_server_offering_tls_is_used_encrypted_and_its_certificate_held_to() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let db = cluster.office_database("bersandi");
    let first = cluster.use_new_certificate();
    server::prepare(&address(&db.owner), PC_ROLE).expect("prepared");
    let summary = Server::connect(&address(&db.pc))
        .expect("connects")
        .summary()
        .expect("summary");
    assert!(summary.encrypted, "{summary:?}");

    let office = crate::tamper::office();
    let mut store = Store::open(office.dir.path()).expect("opens");
    store
        .join_office_server(
            crate::cluster::administrator(&store).as_ref(),
            &address(&db.pc),
            "pc-ketua",
        )
        .expect("moved");
    let kept = std::fs::read_to_string(office.dir.path().join("server-kantor.txt")).expect("kept");
    assert!(kept.contains(&format!("tls-sha256 {first}")), "{kept}");
    let sop = crate::records::seed_text("bunder-penyebarluasan-informasi-medsos.toml");
    let ani = store.user_by_name("ani").expect("ani");
    drop(store);
    let reopen = || {
        let mut store = Store::open(office.dir.path()).expect("opens");
        store.use_server_password(crate::cluster::PC_PASSWORD);
        store
    };
    let mut store = reopen();
    assert_eq!(
        store.shared().and_then(|s| s.address.pin()),
        Some(first.as_str())
    );
    store
        .start_kegiatan(&ani, &sop, "Lewat TLS", "")
        .expect("written through the pinned server");
    assert_eq!(journal_entries(&db.pc), 2);
    let head = store.log_head().expect("head");
    drop(store);

    // Another certificate in the server's place: refused, nothing written.
    cluster.use_new_certificate();
    let mut store = reopen();
    let refused = store.start_kegiatan(&ani, &sop, "Ke server palsu", "");
    assert!(
        matches!(
            &refused,
            Err(StoreError::Server(ServerProblem::CertificateChanged(place))) if place.contains("bersandi")
        ),
        "{refused:?}"
    );
    let words = refused
        .err()
        .map(|e| e.message(lajur_core::locale::Lang::Id))
        .unwrap_or_default();
    assert!(words.contains("sertifikat"), "{words}");
    assert_eq!(store.log_head().expect("head"), head);
    assert_eq!(journal_entries(&db.pc), 2);
}

/// The server is lost (its disk died): any PC's copy holds every entry, so
/// it moves the office's records onto a new, empty server database. A PC
/// still holding its copy of the old server's journal is rebuilt from the
/// new one when everything it holds is there; one holding work the new
/// server lacks, or another office's records, is refused in words, nothing
/// changed; a new data folder receives everything.
#[test]
fn a_lost_server_is_replaced_from_any_pcs_copy() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let old = cluster.prepared_office("lama");
    let office = crate::tamper::office();
    let mut a = Store::open(office.dir.path()).expect("opens");
    a.join_office_server(
        crate::cluster::administrator(&a).as_ref(),
        &address(&old.pc),
        "pc-ketua",
    )
    .expect("moved");
    let b_dir = tempfile::tempdir().expect("temp");
    let mut b = Store::open(b_dir.path()).expect("opens");
    b.join_office_server(
        crate::cluster::administrator(&b).as_ref(),
        &address(&old.pc),
        "pc-seksi",
    )
    .expect("joined");
    let sop = crate::records::seed_text("bunder-penyebarluasan-informasi-medsos.toml");
    let ani = b.user_by_name("ani").expect("ani");
    b.start_kegiatan(&ani, &sop, "Sebelum server rusak", "")
        .expect("written");
    a.catch_up().expect("caught up");
    drop(b);

    // The old server is gone; a new database is prepared.
    let new = cluster.prepared_office("baru");
    let head = a.log_head().expect("head");
    let joined = a
        .join_office_server(
            crate::cluster::administrator(&a).as_ref(),
            &address(&new.pc),
            "pc-ketua",
        )
        .expect("moved to the new server");
    assert!(matches!(joined, Joined::Moved { .. }), "{joined:?}");
    assert_eq!(journal_entries(&new.pc), 1);
    let kept = std::fs::read_to_string(office.dir.path().join("server-kantor.txt")).expect("kept");
    assert!(kept.contains("/baru"), "{kept}");
    a.start_kegiatan(&ani, &sop, "Sesudah server baru", "")
        .expect("written through the new server");

    // PC B's old copy holds nothing the new server lacks (PC A had read
    // B's last work before moving): it is rebuilt from the new server, its
    // own log kept.
    let mut b = Store::open(b_dir.path()).expect("opens");
    let b_head = b.log_head().expect("head");
    let joined = b
        .join_office_server(
            crate::cluster::administrator(&b).as_ref(),
            &address(&new.pc),
            "pc-seksi",
        )
        .expect("rebuilt from the new server");
    assert!(
        matches!(joined, Joined::Rebuilt { kept, entries } if kept == b_head.0 && entries == 2),
        "{joined:?}"
    );
    assert_eq!(b.log_head().expect("head"), a.log_head().expect("head"));
    let audit = b.audit(&[]).expect("audit");
    assert!(audit.findings.is_empty(), "{:?}", audit.findings);
    assert!(audit.files >= 2);
    b.start_kegiatan(&ani, &sop, "Dari salinan lama", "")
        .expect("written through the new server");
    assert_eq!(a.catch_up().expect("caught up"), 1);
    drop(b);

    // PC C wrote on the old server after PC A last read it: the new server
    // (filled from A) lacks that, and C is refused in words, nothing changed.
    let c_dir = tempfile::tempdir().expect("temp");
    let mut c = Store::open(c_dir.path()).expect("opens");
    c.join_office_server(
        crate::cluster::administrator(&c).as_ref(),
        &address(&old.pc),
        "pc-admin",
    )
    .expect("joined the old server");
    c.start_kegiatan(&ani, &sop, "Hanya di server lama", "")
        .expect("written on the old server");
    let c_head = c.log_head().expect("head");
    let refused = c.join_office_server(
        crate::cluster::administrator(&c).as_ref(),
        &address(&new.pc),
        "pc-admin",
    );
    assert!(
        matches!(refused, Err(StoreError::Server(ServerProblem::OnlyHere))),
        "{refused:?}"
    );
    assert_eq!(c.log_head().expect("head"), c_head);
    assert!(
        c.list_kegiatan(&Default::default(), 0, 100)
            .expect("list")
            .iter()
            .any(|k| k.title == "Hanya di server lama"),
        "what only C holds is still there"
    );
    drop(c);

    // Another office's copy is refused as before.
    let other = tempfile::tempdir().expect("temp");
    let mut d = Store::open(other.path()).expect("opens");
    crate::records::user(&mut d, None, "lain", &["ketua"]);
    let d_head = d.log_head().expect("head");
    let refused = d.join_office_server(
        crate::cluster::administrator(&d).as_ref(),
        &address(&new.pc),
        "pc-lain",
    );
    assert!(
        matches!(
            refused,
            Err(StoreError::Server(ServerProblem::OtherRecords))
        ),
        "{refused:?}"
    );
    assert_eq!(d.log_head().expect("head"), d_head);
    drop(d);

    // From a new data folder a PC receives everything.
    let fresh = tempfile::tempdir().expect("temp");
    let mut e = Store::open(fresh.path()).expect("opens");
    e.join_office_server(
        crate::cluster::administrator(&e).as_ref(),
        &address(&new.pc),
        "pc-sekretaris",
    )
    .expect("received");
    assert_eq!(e.log_head().expect("head"), a.log_head().expect("head"));
    assert!(e.log_head().expect("head").0 > head.0);
    let audit = e.audit(&[]).expect("audit");
    assert!(audit.findings.is_empty(), "{:?}", audit.findings);
    assert!(audit.files >= 2);
}

/// Restoring a backup on a PC that shares the office's records: one made
/// while shared is put back and catches up with what the office wrote since;
/// one from before the move is refused in words, nothing changed.
#[test]
fn a_shared_pc_restores_a_backup_made_while_shared_and_refuses_an_older_one() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let db = cluster.prepared_office("pulih");
    let office = crate::tamper::office();
    let before_move: Vec<_> = std::fs::read_dir(office.dir.path().join("cadangan"))
        .expect("backups")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "db"))
        .collect();
    assert!(
        !before_move.is_empty(),
        "the office has a backup from before"
    );
    let mut a = Store::open(office.dir.path()).expect("opens");
    a.join_office_server(
        crate::cluster::administrator(&a).as_ref(),
        &address(&db.pc),
        "pc-ketua",
    )
    .expect("moved");
    let shelf = tempfile::tempdir().expect("shelf");
    let while_shared = a.backup_into(shelf.path(), "manual").expect("backup");
    let sop = crate::records::seed_text("bunder-penyebarluasan-informasi-medsos.toml");
    let ani = a.user_by_name("ani").expect("ani");
    a.start_kegiatan(&ani, &sop, "Sesudah cadangan", "")
        .expect("written");
    let head = a.log_head().expect("head");
    drop(a);

    let refused = lajur_records::backup::restore(office.dir.path(), &before_move[0]);
    assert!(
        matches!(
            refused,
            Err(StoreError::BackupUnusable(
                lajur_core::failure::BackupProblem::BeforeServer
            ))
        ),
        "{refused:?}"
    );
    let a = Store::open(office.dir.path()).expect("opens");
    assert_eq!(a.log_head().expect("head"), head, "nothing changed");
    drop(a);

    lajur_records::backup::restore(office.dir.path(), &while_shared).expect("restored");
    let mut a = Store::open(office.dir.path()).expect("opens");
    a.use_server_password(crate::cluster::PC_PASSWORD);
    assert!(
        a.log_head().expect("head").0 < head.0,
        "the backup is older"
    );
    assert_eq!(a.catch_up().expect("caught up"), 1);
    assert_eq!(a.log_head().expect("head"), head);
    a.start_kegiatan(&ani, &sop, "Sesudah pemulihan", "")
        .expect("goes on through the server");
    let audit = a.audit(&[]).expect("audit");
    assert!(audit.findings.is_empty(), "{:?}", audit.findings);
}

/// A backup made on a shared PC is a whole snapshot of the office's
/// records: put back on a PC of its own (no server) it holds every record
/// and draft; that PC can then move them onto a new, empty server, and a new
/// PC joining it receives the same records.
#[test]
fn a_backup_made_on_a_shared_pc_restores_onto_either_engine() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let db = cluster.prepared_office("asal");
    let office = crate::tamper::office();
    let mut a = Store::open(office.dir.path()).expect("opens");
    a.join_office_server(
        crate::cluster::administrator(&a).as_ref(),
        &address(&db.pc),
        "pc-ketua",
    )
    .expect("moved");
    // Another PC writes; PC A's backup is taken after it caught up.
    let b_dir = tempfile::tempdir().expect("temp");
    let mut b = Store::open(b_dir.path()).expect("opens");
    b.join_office_server(
        crate::cluster::administrator(&b).as_ref(),
        &address(&db.pc),
        "pc-seksi",
    )
    .expect("joined");
    let sop = crate::records::seed_text("bunder-penyebarluasan-informasi-medsos.toml");
    let ani = b.user_by_name("ani").expect("ani");
    b.start_kegiatan(&ani, &sop, "Dari PC lain", "")
        .expect("written");
    drop(b);
    a.catch_up().expect("caught up");
    let head = a.log_head().expect("head");
    let shelf = tempfile::tempdir().expect("shelf");
    let backup = a.backup_into(shelf.path(), "manual").expect("backup");
    drop(a);

    // Onto a PC of its own: SQLite alone, nothing shared.
    let alone = tempfile::tempdir().expect("temp");
    lajur_records::backup::restore(alone.path(), &backup).expect("restored");
    let mut c = Store::open(alone.path()).expect("opens");
    assert!(!c.is_linked(), "a restored folder is this PC's own");
    assert_eq!(c.log_head().expect("head"), head);
    let audit = c.audit(&[]).expect("audit");
    assert!(audit.findings.is_empty(), "{:?}", audit.findings);
    assert!(audit.files >= 2, "the drafts came back: {}", audit.files);
    assert!(
        c.list_kegiatan(&Default::default(), 0, 100)
            .expect("list")
            .iter()
            .any(|k| k.title == "Dari PC lain"),
        "what the other PC wrote is in the snapshot"
    );

    // Onto the office server: a new, empty database takes it.
    let new = cluster.prepared_office("dari_cadangan");
    let joined = c
        .join_office_server(
            crate::cluster::administrator(&c).as_ref(),
            &address(&new.pc),
            "pc-ketua",
        )
        .expect("moved to the new server");
    assert!(matches!(joined, Joined::Moved { .. }), "{joined:?}");
    drop(c);
    let fresh = tempfile::tempdir().expect("temp");
    let mut d = Store::open(fresh.path()).expect("opens");
    d.join_office_server(
        crate::cluster::administrator(&d).as_ref(),
        &address(&new.pc),
        "pc-sekretaris",
    )
    .expect("received");
    assert_eq!(d.log_head().expect("head"), head);
    let audit = d.audit(&[]).expect("audit");
    assert!(audit.findings.is_empty(), "{:?}", audit.findings);
    assert!(audit.files >= 2);
}

/// The server's disk fills up while a clerk attaches a draft: the clerk is
/// told in words, nothing is half-written on either side (no journal entry,
/// no draft on the server, no row or log line on the PC), and once the IT
/// person frees space the same draft goes in and reaches the other PC.
#[test]
fn a_full_server_disk_is_said_and_nothing_is_half_written() {
    use lajur_core::locale::Lang;
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let db = cluster.office_database("penuh");
    let Some(disk) = cluster.database_on_small_disk("penuh", "disk_kecil", 16) else {
        return;
    };
    server::prepare(&address(&db.owner), PC_ROLE).expect("prepared");
    let office = crate::tamper::office();
    let mut a = Store::open(office.dir.path()).expect("opens");
    a.join_office_server(
        crate::cluster::administrator(&a).as_ref(),
        &address(&db.pc),
        "pc-seksi",
    )
    .expect("moved");
    let b_dir = tempfile::tempdir().expect("temp");
    let mut b = Store::open(b_dir.path()).expect("opens");
    b.join_office_server(
        crate::cluster::administrator(&b).as_ref(),
        &address(&db.pc),
        "pc-ketua",
    )
    .expect("joined");

    let ani = a.user_by_name("ani").expect("ani");
    let running = a
        .list_kegiatan(&Default::default(), 0, 100)
        .expect("list")
        .into_iter()
        .find(|k| k.title == "Publikasi Posyandu")
        .expect("the running kegiatan")
        .id;
    let step = a
        .kegiatan(running)
        .expect("kegiatan")
        .current
        .expect("current")
        .step;
    // Drafts that do not compress (the server stores them as they are).
    let drafts = tempfile::tempdir().expect("drafts");
    let mut seed: u64 = 0x5EED;
    let mut draft = |n: usize| {
        let bytes: Vec<u8> = (0..2 * 1024 * 1024)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                (seed >> 24) as u8
            })
            .collect();
        let path = drafts.path().join(format!("foto-{n}.jpg"));
        std::fs::write(&path, bytes).expect("draft");
        path
    };
    let mut refused = None;
    for n in 0..12 {
        let path = draft(n);
        let before = (
            a.log_head().expect("head"),
            journal_entries(&db.pc),
            cluster_count(&cluster, "penuh", "files"),
            a.attachments(running).expect("attachments").len(),
        );
        match a.attach(&ani, running, &step, &path, Some("foto")) {
            Ok(_) => continue,
            Err(e) => {
                let after = (
                    a.log_head().expect("head"),
                    journal_entries(&db.pc),
                    cluster_count(&cluster, "penuh", "files"),
                    a.attachments(running).expect("attachments").len(),
                );
                assert_eq!(before, after, "nothing half-written");
                refused = Some((e, path));
                break;
            }
        }
    }
    let (e, path) = refused.expect("the small disk fills up");
    assert!(
        matches!(e, StoreError::Server(ServerProblem::Full)),
        "{e:?}"
    );
    let words = e.message(Lang::Id);
    assert!(words.contains("penuh"), "{words}");
    let audit = a.audit(&[]).expect("audit");
    assert!(audit.findings.is_empty(), "{:?}", audit.findings);

    // The IT person frees space: the same draft goes in.
    disk.grow(64);
    a.attach(&ani, running, &step, &path, Some("foto"))
        .expect("attached once there is room");
    assert!(b.catch_up().expect("caught up") >= 1);
    assert_eq!(b.log_head().expect("head"), a.log_head().expect("head"));
    for store in [&a, &b] {
        let audit = store.audit(&[]).expect("audit");
        assert!(audit.findings.is_empty(), "{:?}", audit.findings);
    }
}
