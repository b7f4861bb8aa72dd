//! Three PCs of one office as three processes with three data folders and
//! one PostgreSQL server (a throwaway cluster): the Ketua's PC moves the
//! office's records there, the Seksi's and the Admin's join, a Bunder
//! kegiatan goes from desk to desk to the Lurah's sign-off, the PCs write
//! at the same moment, and every PC's copy verifies with the same head.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cluster::{Cluster, PC_PASSWORD, PC_ROLE};

struct Pc {
    data: PathBuf,
}

impl Pc {
    fn run(&self, args: &[&str], password: &str) -> (i32, String) {
        let out = self.command(args, password).output().expect("runs");
        let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&out.stderr));
        (out.status.code().unwrap_or(-1), text)
    }

    fn command(&self, args: &[&str], password: &str) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_lajur"));
        c.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .arg("--data")
            .arg(&self.data)
            .args(args)
            .env("LAJUR_PASSWORD", password)
            .env("LAJUR_NEW_PASSWORD", "sandi-satu")
            .env("PGPASSWORD", PC_PASSWORD);
        c
    }

    fn ok(&self, args: &[&str], password: &str) -> String {
        let (code, out) = self.run(args, password);
        assert_eq!(code, 0, "{args:?}: {out}");
        out
    }
}

fn head_of(data: &Path) -> (i64, String) {
    let conn = rusqlite::Connection::open(data.join("lajur.db")).expect("open");
    conn.query_row(
        "SELECT seq, hash FROM log ORDER BY seq DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .expect("head")
}

#[test]
fn three_pcs_carry_a_kegiatan_to_the_lurahs_sign_off_through_the_server() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    cluster.office_database("kantor");
    let root = tempfile::tempdir().expect("temp");
    let pcs: Vec<Pc> = ["ketua", "seksi", "admin"]
        .iter()
        .map(|n| Pc {
            data: root.path().join(n),
        })
        .collect();
    let (ketua, seksi, admin) = (&pcs[0], &pcs[1], &pcs[2]);
    let owner = cluster.url(
        crate::cluster::OWNER,
        crate::cluster::OWNER_PASSWORD,
        "kantor",
    );
    assert!(
        ketua
            .ok(&["server", "init", "--database", &owner], "")
            .contains("disiapkan")
    );
    // The office started on the Ketua's PC.
    ketua.ok(
        &[
            "user-add",
            "--username",
            "pak",
            "--name",
            "Pak Lurah",
            "--lanes",
            "ketua,seksi",
            "--signer",
        ],
        "",
    );
    ketua.ok(
        &[
            "user-add",
            "--as",
            "pak",
            "--username",
            "admin1",
            "--name",
            "Admin Medsos",
            "--lanes",
            "admin",
        ],
        "sandi-satu",
    );
    let sop = "sops/bunder-penyebarluasan-informasi-medsos.toml";
    ketua.ok(
        &[
            "start",
            "--sop",
            sop,
            "--title",
            "Publikasi Musyawarah",
            "--as",
            "pak",
        ],
        "sandi-satu",
    );
    // Without a password in the address: PGPASSWORD gives it.
    let pc_url = format!("postgresql://{PC_ROLE}@127.0.0.1:{}/kantor", cluster.port);
    // Moving the office's records is the administrator's: without one
    // (or with a clerk) refused in words, nothing moved.
    let join = [
        "server",
        "gabung",
        "--database",
        &pc_url,
        "--nama-pc",
        "pc-ketua",
    ];
    let (code, said) = ketua.run(&join, "");
    assert_ne!(code, 0, "{said}");
    assert!(said.contains("Hanya administrator"), "{said}");
    let (code, said) = ketua.run(&[&join[..], &["--as", "admin1"]].concat(), "sandi-satu");
    assert_ne!(code, 0, "{said}");
    assert!(said.contains("Hanya administrator"), "{said}");
    assert!(!ketua.data.join("server-kantor.txt").exists());
    assert!(
        ketua
            .ok(&[&join[..], &["--as", "pak"]].concat(), "sandi-satu")
            .contains("dipindahkan")
    );
    for (pc, name) in [(seksi, "pc-seksi"), (admin, "pc-admin")] {
        assert!(
            pc.ok(
                &["server", "gabung", "--database", &pc_url, "--nama-pc", name],
                ""
            )
            .contains("1 entri diterima")
        );
    }
    // The work arrives at each desk.
    ketua.ok(&["act", "1", "--as", "pak"], "sandi-satu");
    seksi.ok(&["act", "1", "--as", "pak"], "sandi-satu");
    assert!(
        admin
            .ok(&["tasks", "--as", "admin1"], "sandi-satu")
            .contains("olah-materi")
    );
    let draft = root.path().join("konsep.txt");
    std::fs::write(&draft, "konsep pertama").expect("draft");
    admin.ok(
        &[
            "attach",
            "1",
            "--step",
            "olah-materi",
            "--file",
            draft.to_str().expect("path"),
            "--as",
            "admin1",
        ],
        "sandi-satu",
    );
    admin.ok(&["act", "1", "--as", "admin1"], "sandi-satu");
    // The Seksi sends it back; the Admin fixes it; both checks pass.
    assert!(
        seksi
            .ok(
                &[
                    "act",
                    "1",
                    "--as",
                    "pak",
                    "--answer",
                    "Tidak",
                    "--note",
                    "perbaiki judul"
                ],
                "sandi-satu"
            )
            .contains("olah-materi (2)")
    );
    admin.ok(&["act", "1", "--as", "admin1"], "sandi-satu");
    seksi.ok(&["act", "1", "--as", "pak", "--answer", "Ya"], "sandi-satu");
    ketua.ok(&["act", "1", "--as", "pak", "--answer", "Ya"], "sandi-satu");
    ketua.ok(&["act", "1", "--as", "pak"], "sandi-satu");
    seksi.ok(&["act", "1", "--as", "pak"], "sandi-satu");
    admin.ok(&["act", "1", "--as", "admin1"], "sandi-satu");
    admin.ok(&["act", "1", "--as", "admin1"], "sandi-satu");
    ketua.ok(&["act", "1", "--as", "pak"], "sandi-satu");
    let last = seksi.ok(&["act", "1", "--as", "pak"], "sandi-satu");
    assert!(last.contains("menunggu pengesahan"), "{last}");

    // Meanwhile three PCs start kegiatan at the same moment.
    let started: Vec<_> = pcs
        .iter()
        .enumerate()
        .map(|(i, pc)| {
            pc.command(
                &[
                    "start",
                    "--sop",
                    sop,
                    "--title",
                    &format!("Serentak {i}"),
                    "--as",
                    "pak",
                ],
                "sandi-satu",
            )
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("spawned")
        })
        .collect();
    for child in started {
        let out = child.wait_with_output().expect("ran");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }

    // The Lurah signs off on the Seksi's PC.
    seksi.ok(&["sign-off", "1", "--as", "pak"], "sandi-satu");
    // Every PC: the same records, the same head, every draft, intact.
    for pc in &pcs {
        assert!(pc.ok(&["verify"], "").contains("utuh"), "{:?}", pc.data);
    }
    let heads: Vec<_> = pcs.iter().map(|pc| head_of(&pc.data)).collect();
    assert!(heads.windows(2).all(|w| w[0] == w[1]), "{heads:?}");
    let titles = admin.ok(&["tasks", "--as", "pak"], "sandi-satu");
    assert!(
        titles.contains("Serentak 0") || titles.contains("Serentak"),
        "{titles}"
    );
    let conn = rusqlite::Connection::open(admin.data.join("lajur.db")).expect("open");
    let kegiatan: i64 = conn
        .query_row("SELECT COUNT(*) FROM kegiatan", [], |r| r.get(0))
        .expect("count");
    assert_eq!(
        kegiatan, 4,
        "one kegiatan and three started at once, none lost"
    );
}

/// Runs `h`'s frames until a text containing `text` shows, failing with
/// `what` after `seconds` (the watch and the worker answer on their own time).
fn wait_for(h: &mut egui_kittest::Harness<'_>, text: &str, seconds: u64, what: &str) {
    use egui_kittest::kittest::{NodeT, Queryable};
    let started = std::time::Instant::now();
    while h.query_all_by_label_contains(text).next().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(seconds) {
            let shown: Vec<String> = h
                .query_all_by_label_contains(" ")
                .filter_map(|n| n.accesskit_node().label().or(n.accesskit_node().value()))
                .collect();
            panic!("{what}; shown: {shown:#?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
}

/// Two windows on two PCs sharing one office: a step done in one appears in
/// the other without anyone pressing anything (the server's NOTIFY), and a
/// server that goes away is said in the window until it is back.
#[test]
fn a_step_done_on_one_pc_appears_in_the_other_pcs_window() {
    use egui_kittest::kittest::Queryable;
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let db = cluster.prepared_office("kalurahan");
    let root = tempfile::tempdir().expect("temp");
    let (data_a, data_b) = (root.path().join("a"), root.path().join("b"));
    crate::workspace::lurah_with_one_kegiatan(&data_a);
    for (data, pc) in [(&data_a, "pc-ketua"), (&data_b, "pc-seksi")] {
        crate::cluster::join_folder(data, &db.pc, pc);
    }
    // The step panel's heading: "1. <activity>", then "2. <activity>".
    let heading = |n: usize| {
        let mut store =
            lajur_records::Store::open_with(&data_a, lajur_records::Access::Shared).expect("opens");
        let sop = store.sop_of(1).expect("sop");
        let step = sop
            .steps
            .iter()
            .filter(|s| !s.number.trim().is_empty())
            .nth(n - 1)
            .expect("step");
        format!("{}. {}", step.number, step.activity)
    };
    let (first, second) = (heading(1), heading(2));
    let open = |data: &Path| {
        let mut app = crate::workspace::app_on(data, lajur_records::library::SopSource::Bundled);
        let ws = app.workspace_mut().expect("records");
        // The data folder keeps the address, never the password.
        ws.store_mut().use_server_password(PC_PASSWORD);
        ws.sign_in("lurah", "rahasia").expect("sign in");
        ws.go(lajur::ui::workspace::Place::Kegiatan(1));
        app
    };
    let mut app_b = open(&data_b);
    // PC A was restarted: its folder keeps the server's address, not the
    // password, which is typed in Pengaturan kantor.
    let mut app_a = crate::workspace::app_on(&data_a, lajur_records::library::SopSource::Bundled);
    {
        let ws = app_a.workspace_mut().expect("records");
        ws.sign_in("lurah", "rahasia").expect("sign in");
        ws.go(lajur::ui::workspace::Place::Office);
    }
    let mut b = crate::common::harness(&mut app_b, 1366.0, 900.0);
    b.get_by_label(&first);
    {
        let mut a = crate::common::harness(&mut app_a, 1366.0, 900.0);
        a.get_by_label_contains("(pc-ketua)");
        // At the foot of the long settings form.
        a.get_by_label("Pakai kata sandi").scroll_to_me();
        a.run_ok();
        crate::common::type_into(
            &mut a,
            egui::Role::PasswordInput,
            "Kata sandi peran server untuk komputer ini",
            PC_PASSWORD,
        );
        // Without the password the server refuses, and the window says how
        // to mend it.
        wait_for(
            &mut a,
            "menolak nama peran atau kata sandinya",
            10,
            "not said",
        );
        // Enter in the field uses it (a keypress: the form may move as the
        // server's answers come and go, a pointer click could miss).
        a.get_by_role_and_label(
            egui::Role::PasswordInput,
            "Kata sandi peran server untuk komputer ini",
        )
        .focus();
        a.run_ok();
        a.key_press(egui::Key::Enter);
        a.run_ok();
        wait_for(
            &mut a,
            "Server kantor tersambung lagi",
            10,
            "not reconnected",
        );
    }
    app_a
        .workspace_mut()
        .expect("records")
        .go(lajur::ui::workspace::Place::Kegiatan(1));
    {
        let mut a = crate::common::harness(&mut app_a, 1366.0, 900.0);
        crate::common::press(&mut a, "Selesai");
        a.get_by_label_contains("Lanjut ke langkah 2.");
    }
    // B hears it and shows the step that is now current.
    let started = std::time::Instant::now();
    while b.query_by_label(&second).is_none() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "the other PC's window did not show the step within 5 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        b.step();
    }
    eprintln!("seen on the other PC after {:?}", started.elapsed());

    // The server goes away: the window says so, and says when it is back.
    cluster.stop();
    wait_for(&mut b, "Server kantor tidak menjawab", 15, "not said");
    cluster.start_again();
    wait_for(&mut b, "Server kantor tersambung lagi", 15, "not said");
}

/// An office that started on one PC moves to the server from the window, as
/// its administrator would: the address typed in Pengaturan kantor, a wrong
/// password said by Tes sambungan, the right one tested, then "Pindahkan
/// catatan ke server" and its question. Afterwards the window writes through
/// the server, and a new PC receives every record.
#[test]
fn the_administrator_moves_the_office_to_the_server_from_the_window() {
    use egui_kittest::kittest::Queryable;
    let Some(cluster) = Cluster::start() else {
        return;
    };
    cluster.prepared_office("pindahan");
    let root = tempfile::tempdir().expect("temp");
    let (data_a, data_b) = (root.path().join("a"), root.path().join("b"));
    crate::workspace::lurah_with_one_kegiatan(&data_a);
    let mut app = crate::workspace::app_on(&data_a, lajur_records::library::SopSource::Bundled);
    {
        let ws = app.workspace_mut().expect("records");
        ws.sign_in("lurah", "rahasia").expect("sign in");
        ws.go(lajur::ui::workspace::Place::Office);
    }
    {
        let mut h = crate::common::harness(&mut app, 1024.0, 600.0);
        h.get_by_label("Tes sambungan").scroll_to_me();
        h.run_ok();
        crate::common::fill_server_form(
            &mut h,
            cluster.port,
            "pindahan",
            "pc-lurah",
            "bukan-sandinya",
        );
        crate::common::press(&mut h, "Tes sambungan");
        wait_for(
            &mut h,
            "menolak nama peran atau kata sandinya",
            10,
            "a wrong password was not said",
        );
        crate::common::retype(
            &mut h,
            egui::Role::PasswordInput,
            "Kata sandi peran",
            PC_PASSWORD,
        );
        crate::common::press(&mut h, "Tes sambungan");
        wait_for(
            &mut h,
            "Tersambung ke 127.0.0.1",
            10,
            "the test did not connect",
        );
        h.get_by_label_contains("berisi 0 entri");
        crate::common::press(&mut h, "Pindahkan catatan ke server");
        h.get_by_label_contains("dibaca kembali dan diperiksa");
        // Nothing moved before the question is answered.
        assert!(!data_a.join("server-kantor.txt").exists());
        h.get_by_label("Ya, pindahkan").scroll_to_me();
        h.run_ok();
        crate::common::press(&mut h, "Ya, pindahkan");
        wait_for(
            &mut h,
            "kini menjadi catatan kantor",
            30,
            "the move did not finish",
        );
        // The section now shows where the records are, not the form.
        h.get_by_label_contains("(pc-lurah)");
        assert!(h.query_by_label("Tes sambungan").is_none());
    }
    let kept = std::fs::read_to_string(data_a.join("server-kantor.txt")).expect("address kept");
    assert!(
        !kept.contains(PC_PASSWORD),
        "the password is never in the folder"
    );
    // The window now writes through the server.
    app.workspace_mut()
        .expect("records")
        .go(lajur::ui::workspace::Place::Kegiatan(1));
    {
        let mut h = crate::common::harness(&mut app, 1366.0, 900.0);
        crate::common::press(&mut h, "Selesai");
        h.get_by_label_contains("Lanjut ke langkah 2.");
    }
    // A new PC joins from its first screen, instead of making an
    // administrator of its own, and receives everything, the step just done
    // included; then its clerk signs in with the office's account.
    let mut app_b = crate::workspace::app_on(&data_b, lajur_records::library::SopSource::Bundled);
    {
        let mut h = crate::common::harness(&mut app_b, 1024.0, 600.0);
        h.get_by_label_contains("Kantor sudah memakai server kantor")
            .click();
        h.run_ok();
        h.get_by_label("Gabung dengan server kantor").scroll_to_me();
        h.run_ok();
        crate::common::fill_server_form(&mut h, cluster.port, "pindahan", "pc-seksi", PC_PASSWORD);
        crate::common::press(&mut h, "Gabung dengan server kantor");
        h.get_by_label_contains("menerima seluruh catatan kantor");
        h.get_by_label("Ya, gabung").scroll_to_me();
        h.run_ok();
        crate::common::press(&mut h, "Ya, gabung");
        wait_for(
            &mut h,
            "bergabung dengan catatan kantor",
            30,
            "the new PC did not join",
        );
        // The office's users arrived: the sign-in form, not the first run.
        assert!(h.query_by_label("Gabung dengan server kantor").is_none());
    }
    assert_eq!(head_of(&data_b), head_of(&data_a));
    let ws = app_b.workspace_mut().expect("records");
    ws.sign_in("lurah", "rahasia")
        .expect("the office's account");
    let audit = ws.store_mut().audit(&[]).expect("audit");
    assert!(audit.findings.is_empty(), "{:?}", audit.findings);
}

/// The office's IT person replaced the server's certificate: the PC refuses
/// the server (it may be another machine), the administrator checks the two
/// fingerprints in Pengaturan kantor and accepts the new one after the
/// question; then work goes through the server again.
#[test]
fn the_administrator_accepts_the_servers_new_certificate_from_the_window() {
    use egui_kittest::kittest::Queryable;
    use lajur_core::failure::ServerProblem;
    use lajur_records::server::Address;
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let first = cluster.use_new_certificate();
    let db = cluster.prepared_office("sertifikat");
    let root = tempfile::tempdir().expect("temp");
    let data = root.path().join("a");
    crate::workspace::lurah_with_one_kegiatan(&data);
    {
        let mut store = lajur_records::Store::open(&data).expect("opens");
        store
            .join_office_server(
                crate::cluster::administrator(&store).as_ref(),
                &Address::parse(&db.pc).expect("pc"),
                "pc-lurah",
            )
            .expect("joined");
        let pin = store
            .shared()
            .and_then(|s| s.address.pin().map(str::to_string));
        assert_eq!(pin.as_deref(), Some(first.as_str()));
    }
    // The IT person gives the server a new certificate.
    let second = cluster.use_new_certificate();
    assert_ne!(first, second);
    // Only an administrator takes it: not without one, from the records or
    // from the command line; nothing changes.
    {
        let mut store = lajur_records::Store::open(&data).expect("opens");
        let refused = store.accept_server_certificate(None, Some(second.clone()));
        assert!(
            matches!(
                refused,
                Err(lajur_records::StoreError::NotAllowed(
                    lajur_records::Refusal::ServerAdminOnly
                ))
            ),
            "{refused:?}"
        );
    }
    let (code, said) = Pc { data: data.clone() }.run(&["server", "sertifikat", "--terima"], "");
    assert_ne!(code, 0, "{said}");
    assert!(said.contains("Hanya administrator"), "{said}");
    let kept = std::fs::read_to_string(data.join("server-kantor.txt")).expect("kept");
    assert!(kept.contains(&first), "{kept}");
    let sop = include_str!("../../../../sops/bunder-penyebarluasan-informasi-medsos.toml");
    let mut app = crate::workspace::app_on(&data, lajur_records::library::SopSource::Bundled);
    {
        let ws = app.workspace_mut().expect("records");
        ws.store_mut().use_server_password(PC_PASSWORD);
        ws.sign_in("lurah", "rahasia")
            .expect("signs in without writing");
        let lurah = ws.store_mut().user_by_name("lurah").expect("lurah");
        let refused = ws
            .store_mut()
            .start_kegiatan(&lurah, sop, "Sebelum diterima", "");
        assert!(
            matches!(
                refused,
                Err(lajur_records::StoreError::Server(
                    ServerProblem::CertificateChanged(_)
                ))
            ),
            "{refused:?}"
        );
        ws.go(lajur::ui::workspace::Place::Office);
    }
    {
        let mut h = crate::common::harness(&mut app, 1024.0, 600.0);
        h.get_by_label("Periksa sertifikat server").scroll_to_me();
        h.run_ok();
        crate::common::press(&mut h, "Periksa sertifikat server");
        wait_for(
            &mut h,
            "Berbeda.",
            10,
            "the two certificates were not compared",
        );
        // Both fingerprints in groups of four, to be read out.
        let grouped = |sha: &str| sha.get(..9).map(|s| format!("{} {}", &s[..4], &s[4..8]));
        for sha in [&first, &second] {
            let start = grouped(sha).expect("fingerprint");
            wait_for(&mut h, &start, 2, "a fingerprint is not shown");
        }
        h.get_by_label("Terima sertifikat baru").scroll_to_me();
        h.run_ok();
        crate::common::press(&mut h, "Terima sertifikat baru");
        // Nothing is taken before the question is answered.
        let kept = std::fs::read_to_string(data.join("server-kantor.txt")).expect("kept");
        assert!(kept.contains(&first), "{kept}");
        h.get_by_label("Ya, sudah cocok; terima").scroll_to_me();
        h.run_ok();
        crate::common::press(&mut h, "Ya, sudah cocok; terima");
        wait_for(
            &mut h,
            "Sertifikat yang sekarang dicatat",
            5,
            "the new certificate was not said to be taken",
        );
    }
    let kept = std::fs::read_to_string(data.join("server-kantor.txt")).expect("kept");
    assert!(kept.contains(&second) && !kept.contains(&first), "{kept}");
    let ws = app.workspace_mut().expect("records");
    let lurah = ws.store_mut().user_by_name("lurah").expect("lurah");
    ws.store_mut()
        .start_kegiatan(&lurah, sop, "Sesudah diterima", "")
        .expect("work goes through the server again");
}

/// The office server broke and a new one was prepared: on a PC sharing the
/// office's records the administrator opens "Pindah ke server lain" in
/// Pengaturan kantor, types the new address and moves the copy there; the
/// other PC's old copy is then rebuilt from the new server.
#[test]
fn the_administrator_moves_a_shared_pc_to_the_replacement_server_from_the_window() {
    use egui_kittest::kittest::Queryable;
    use lajur_records::journal::Joined;
    use lajur_records::server::Address;
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let old = cluster.prepared_office("lama");
    let new = cluster.prepared_office("baru");
    let root = tempfile::tempdir().expect("temp");
    let (data_a, data_b) = (root.path().join("a"), root.path().join("b"));
    crate::workspace::lurah_with_one_kegiatan(&data_a);
    for (data, pc) in [(&data_a, "pc-lurah"), (&data_b, "pc-seksi")] {
        crate::cluster::join_folder(data, &old.pc, pc);
    }
    // The Seksi writes; the Lurah's PC reads it; then the old server's disk
    // dies.
    {
        let mut b = lajur_records::Store::open(&data_b).expect("opens");
        b.use_server_password(PC_PASSWORD);
        let lurah = b.user_by_name("lurah").expect("lurah");
        let sop = include_str!("../../../../sops/bunder-penyebarluasan-informasi-medsos.toml");
        b.start_kegiatan(&lurah, sop, "Sebelum server rusak", "")
            .expect("written");
        let mut a = lajur_records::Store::open(&data_a).expect("opens");
        a.use_server_password(PC_PASSWORD);
        assert_eq!(a.catch_up().expect("caught up"), 1);
    }
    cluster.as_superuser("postgres", "DROP DATABASE lama WITH (FORCE)");
    let mut app = crate::workspace::app_on(&data_a, lajur_records::library::SopSource::Bundled);
    {
        let ws = app.workspace_mut().expect("records");
        ws.store_mut().use_server_password(PC_PASSWORD);
        ws.sign_in("lurah", "rahasia")
            .expect("signs in without the server");
        ws.go(lajur::ui::workspace::Place::Office);
    }
    {
        let mut h = crate::common::harness(&mut app, 1024.0, 600.0);
        let header = "Pindah ke server lain (server kantor diganti)";
        h.get_by_label(header).scroll_to_me();
        h.run_ok();
        h.get_by_label(header).click_accesskit();
        h.run_ok();
        h.get_by_label("Pindahkan catatan ke server").scroll_to_me();
        h.run_ok();
        crate::common::fill_server_form(&mut h, cluster.port, "baru", "pc-lurah", PC_PASSWORD);
        crate::common::press(&mut h, "Pindahkan catatan ke server");
        h.get_by_label("Ya, pindahkan").scroll_to_me();
        h.run_ok();
        crate::common::press(&mut h, "Ya, pindahkan");
        wait_for(
            &mut h,
            "kini menjadi catatan kantor",
            20,
            "the copy was not moved to the new server",
        );
    }
    let kept = std::fs::read_to_string(data_a.join("server-kantor.txt")).expect("kept");
    assert!(
        kept.contains("/baru") && !kept.contains(PC_PASSWORD),
        "{kept}"
    );
    let head = app
        .workspace_mut()
        .expect("records")
        .store_mut()
        .log_head()
        .expect("head");
    drop(app);
    // The Seksi's PC still holds the old server's journal: rebuilt.
    let mut b = lajur_records::Store::open(&data_b).expect("opens");
    let joined = b
        .join_office_server(
            crate::cluster::administrator(&b).as_ref(),
            &Address::parse(&new.pc).expect("pc"),
            "pc-seksi",
        )
        .expect("rebuilt from the new server");
    assert!(matches!(joined, Joined::Rebuilt { .. }), "{joined:?}");
    assert_eq!(b.log_head().expect("head"), head);
    let audit = b.audit(&[]).expect("audit");
    assert!(audit.findings.is_empty(), "{:?}", audit.findings);
}
