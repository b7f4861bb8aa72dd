//! The records through the command line, as scripts use them: several
//! processes writing at once, and a whole kegiatan typed command by command.

use lajur_records::Store;

#[test]
fn two_processes_writing_at_once_lose_nothing() {
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    let lajur = env!("CARGO_BIN_EXE_lajur");
    let run = |args: &[&str], password: &str| {
        let out = std::process::Command::new(lajur)
            .arg("--data")
            .arg(&data)
            .args(args)
            .env("LAJUR_PASSWORD", password)
            .env("LAJUR_NEW_PASSWORD", "rahasia1")
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run(
        &[
            "user-add",
            "--username",
            "ani",
            "--name",
            "Ani",
            "--lanes",
            "ketua,seksi,admin",
        ],
        "",
    );
    let sop = format!(
        "{}/sops/bunder-penyebarluasan-informasi-medsos.toml",
        concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
    );
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let data = data.clone();
            let sop = sop.clone();
            std::thread::spawn(move || {
                for i in 0..6 {
                    let out = std::process::Command::new(lajur)
                        .arg("--data")
                        .arg(&data)
                        .args([
                            "start",
                            "--sop",
                            &sop,
                            "--title",
                            &format!("w{w}-{i}"),
                            "--as",
                            "ani",
                        ])
                        .env("LAJUR_PASSWORD", "rahasia1")
                        .output()
                        .expect("runs");
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stdout)
                    );
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer finished");
    }
    let store = Store::open(&data).expect("opens");
    let count: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM kegiatan", [], |r| r.get(0))
        .expect("count");
    assert_eq!(count, 12, "every start is there");
    assert_eq!(store.verify_log().expect("verify"), Ok(13));
}

/// The "done when", from the command line: a whole kegiatan of the Bunder
/// SOP with two users, one rejection loop and two drafts; the log verifies; a
/// planted edit is caught; a backup restores the records as they were.
#[test]
fn a_whole_kegiatan_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    let lajur = |args: &[&str], password: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_lajur"))
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .arg("--data")
            .arg(&data)
            .args(args)
            .env("LAJUR_PASSWORD", password)
            .env(
                "LAJUR_NEW_PASSWORD",
                if args.contains(&"admin1") {
                    "sandi-dua"
                } else {
                    "sandi-satu"
                },
            )
            .output()
            .expect("runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let ok = |r: (i32, String)| {
        assert_eq!(r.0, 0, "{}", r.1);
        r.1
    };
    ok(lajur(
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
    ));
    ok(lajur(
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
    ));
    assert!(
        ok(lajur(
            &[
                "start",
                "--sop",
                "sops/bunder-penyebarluasan-informasi-medsos.toml",
                "--title",
                "Publikasi Musyawarah",
                "--as",
                "pak"
            ],
            "sandi-satu"
        ))
        .contains("nomor 1")
    );
    let draft = dir.path().join("konsep.docx");
    let pak = |args: &[&str]| ok(lajur(args, "sandi-satu"));
    let admin = |args: &[&str]| ok(lajur(args, "sandi-dua"));
    pak(&["act", "1", "--as", "pak"]);
    pak(&["act", "1", "--as", "pak"]);
    assert!(admin(&["tasks", "--as", "admin1"]).contains("olah-materi"));
    std::fs::write(&draft, "konsep pertama").expect("draft");
    admin(&[
        "attach",
        "1",
        "--step",
        "olah-materi",
        "--file",
        draft.to_str().expect("path"),
        "--as",
        "admin1",
    ]);
    admin(&["act", "1", "--as", "admin1"]);
    // A decision without --answer names its answers, and nothing is done.
    let (code, out) = lajur(&["act", "1", "--as", "pak"], "sandi-satu");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("--answer Ya, --answer Tidak"), "{out}");
    assert!(
        pak(&[
            "act",
            "1",
            "--as",
            "pak",
            "--answer",
            "Tidak",
            "--note",
            "perbaiki judul"
        ])
        .contains("olah-materi (2)")
    );
    std::fs::write(&draft, "konsep kedua").expect("draft");
    admin(&[
        "attach",
        "1",
        "--step",
        "olah-materi",
        "--file",
        draft.to_str().expect("path"),
        "--as",
        "admin1",
    ]);
    admin(&["act", "1", "--as", "admin1"]);
    pak(&["act", "1", "--as", "pak", "--answer", "Ya"]);
    pak(&["act", "1", "--as", "pak", "--answer", "Ya"]);
    pak(&["act", "1", "--as", "pak"]);
    pak(&["act", "1", "--as", "pak"]);
    admin(&["act", "1", "--as", "admin1"]);
    admin(&["act", "1", "--as", "admin1"]);
    pak(&["act", "1", "--as", "pak"]);
    assert!(pak(&["act", "1", "--as", "pak"]).contains("menunggu pengesahan"));
    // The signer's task list holds what waits for their sign-off.
    assert!(
        pak(&["tasks", "--as", "pak"]).contains("Menunggu pengesahan Anda"),
        "the signer is not told"
    );
    assert!(ok(lajur(&["verify"], "")).contains("utuh"));
    let backup = ok(lajur(&["backup"], ""));
    let backup_path = backup.trim().rsplit(' ').next().expect("path").to_string();

    // A planted edit behind the program's back.
    {
        let raw = rusqlite::Connection::open(data.join("lajur.db")).expect("raw");
        raw.execute_batch(
            "DROP TRIGGER log_no_update; UPDATE log SET note = 'tidak ada catatan' WHERE seq = 8;",
        )
        .expect("tamper");
    }
    let (code, out) = lajur(&["verify"], "");
    assert_eq!(code, 1);
    assert!(out.contains("baris 8"), "{out}");

    // The checked backup brings the records back.
    // Asked and not answered: nothing changes.
    let (code, out) = lajur(&["backup", "--restore", &backup_path], "");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("1 kegiatan") && out.contains("dibatalkan"),
        "{out}"
    );
    let restored = ok(lajur(&["backup", "--restore", &backup_path, "--ya"], ""));
    assert!(restored.contains("sebelum-pemulihan"), "{restored}");
    assert!(ok(lajur(&["verify"], "")).contains("utuh"));
    // A wrong password is refused, and the error says so plainly.
    let (code, out) = lajur(&["tasks", "--as", "pak"], "salah");
    assert_eq!(code, 1);
    assert!(out.contains("kata sandi salah"), "{out}");
}

/// A user given a lane no SOP has is warned (item 14 of issue 15): they
/// would get no tasks and a misleading refusal.
#[test]
fn a_user_with_a_lane_no_sop_has_is_warned() {
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lajur"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .arg("--data")
        .arg(&data)
        .args([
            "user-add",
            "--username",
            "budi",
            "--name",
            "Budi",
            "--lanes",
            "ketua,sekertaris",
        ])
        .env("LAJUR_NEW_PASSWORD", "rahasia1")
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("\"sekertaris\" tidak ada di SOP mana pun"),
        "{text}"
    );
    assert!(!text.contains("\"ketua\" tidak ada"), "{text}");
}
