//! The `lajur` binary as a clerk or a script uses it.

use std::process::Command;

fn lajur() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lajur"));
    cmd.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    cmd
}

fn run(cmd: &mut Command) -> (i32, String) {
    let out = cmd.output().expect("lajur runs");
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn check_passes_on_the_bundled_sops() {
    let (code, out) = run(lajur().args(["check"]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Semua SOP dapat dipakai."), "{out}");
    let (code, out) = run(lajur().args([
        "check",
        "sops/bunder-penyebarluasan-informasi-medsos.toml",
        "sops/mojogedang-pengelolaan-website-medsos.toml",
    ]));
    assert_eq!(code, 0, "{out}");
}

#[test]
fn check_reports_planted_mistakes_with_lines_and_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    let original = std::fs::read_to_string(format!(
        "{}/sops/bunder-penyebarluasan-informasi-medsos.toml",
        concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
    ))
    .expect("seed readable");
    let broken = original
        .replacen(
            "tanggal_efektif = 2024-01-10",
            "tanggal_efektif = 2024-01-32",
            1,
        )
        .replacen(
            "pelaksana = \"admin\"\nkelengkapan = \"Bahan",
            "pelaksana = \"admn\"\nkelengkapan = \"Bahan",
            1,
        )
        .replacen("tidak = \"olah-materi\"", "tidak = \"olah-materii\"", 1);
    let line_of = |needle: &str| {
        let at = broken.find(needle).expect("planted text present");
        broken[..at].matches('\n').count() + 1
    };
    let path = dir.path().join("salinan.toml");
    std::fs::write(&path, &broken).expect("write copy");
    let (code, out) = run(lajur().arg("check").arg(&path));
    assert_eq!(code, 1, "{out}");
    let errors: Vec<&str> = out
        .lines()
        .filter(|l| l.contains(": kesalahan: "))
        .collect();
    assert_eq!(errors.len(), 3, "{out}");
    for (line, needle) in errors
        .iter()
        .zip(["2024-01-32", "\"admn\"", "\"olah-materii\""])
    {
        assert!(
            line.contains(&format!("salinan.toml:{}:", line_of(needle))),
            "{line} / {needle}"
        );
    }
}

#[test]
fn a_broken_file_does_not_stop_the_others() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        format!(
            "{}/sops/mojogedang-pengelolaan-website-medsos.toml",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
        ),
        dir.path().join("a-baik.toml"),
    )
    .expect("copy");
    std::fs::write(
        dir.path().join("b-rusak.toml"),
        "versi_format = 1\n[identitas\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("c-biner.toml"), [0xff, 0xfe, 0x00, 0x9f]).expect("write");
    let (code, out) = run(lajur().arg("--sops").arg(dir.path()).arg("check"));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("a-baik.toml: Siap dipakai"), "{out}");
    assert!(out.contains("b-rusak.toml:2:"), "{out}");
    assert!(
        out.contains("c-biner.toml: kesalahan: Berkas ini bukan teks"),
        "{out}"
    );
}

#[test]
fn missing_file_and_english() {
    let (code, out) = run(lajur().args(["--lang", "en", "check", "tidak-ada.toml"]));
    assert_eq!(code, 1);
    assert!(
        out.contains("tidak-ada.toml: error: File not found."),
        "{out}"
    );
}

#[test]
fn help_and_version() {
    let (code, out) = run(lajur().arg("--help"));
    assert_eq!(code, 0);
    assert!(out.contains("check"), "{out}");
    let (code, out) = run(lajur().arg("--version"));
    assert_eq!(code, 0);
    assert!(out.contains(env!("CARGO_PKG_VERSION")), "{out}");
    let (code, _) = run(lajur().arg("--lang").arg("fr").arg("check"));
    assert_eq!(code, 2);
}

/// `lajur check --layout` judges the printed table on every paper and prints
/// each fault as `file:page: kind: where`; the real SOPs of the corpus pass.
#[test]
fn check_layout_passes_on_the_corpus_and_names_what_cannot_print() {
    let mut args = vec!["check".to_string(), "--layout".to_string()];
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/corpus"))
        .expect("corpus")
    {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            args.push(path.to_string_lossy().into_owned());
        }
    }
    let (code, out) = run(lajur().args(&args));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Semua SOP dapat dipakai."), "{out}");

    // A step text of 10,000 characters: `check` says it cannot print, as an
    // error, before anything prints (it said "Siap dipakai" before).
    let dir = tempfile::tempdir().expect("temp dir");
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../sops/bunder-penyebarluasan-informasi-medsos.toml"
    ))
    .expect("seed");
    let long = seed.replacen(
        "kegiatan = \"Menerima instruksi dan menelaah",
        &format!(
            "kegiatan = \"{} Menerima instruksi dan menelaah",
            "kata ".repeat(2000)
        ),
        1,
    );
    assert_ne!(long, seed);
    let path = dir.path().join("panjang.toml");
    std::fs::write(&path, &long).expect("write");
    let (code, out) = run(lajur().arg("check").arg(&path));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("kesalahan: Baris no. 3 terlalu tinggi"),
        "{out}"
    );
    let pdf = dir.path().join("panjang.pdf");
    let (code, out) = run(lajur()
        .args(["export", "sop"])
        .arg(&path)
        .arg("-o")
        .arg(&pdf));
    assert_eq!(code, 1, "{out}");
    assert!(!pdf.exists(), "nothing printed");

    // --layout with a paper and orientation names the faults it finds, one
    // line each, `file:page: kind: where` (here none: exit 0).
    let (code, out) = run(lajur().args([
        "check",
        "--layout",
        "--paper",
        "a4",
        "--orientation",
        "portrait",
        "sops/mojogedang-pengelolaan-website-medsos.toml",
    ]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Siap dipakai"), "{out}");
}

/// `lajur server` without a server to reach: each refusal in words, exit 1,
/// the password never printed. (Against a real server: the records crate's
/// server tests.)
#[test]
fn server_commands_say_what_is_wrong_without_the_password() {
    let (code, out) = run(lajur()
        .args(["server", "tes"])
        .env_remove("LAJUR_DATABASE_URL"));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Alamat server belum diberikan"), "{out}");
    let (code, out) = run(lajur().args(["server", "tes", "--database", "bukan alamat"]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("tidak dapat dibaca"), "{out}");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port();
    let url = format!("postgresql://lajur_pc:rahasia-kantor@127.0.0.1:{port}/lajur");
    let (code, out) = run(lajur()
        .args(["server", "tes"])
        .env("LAJUR_DATABASE_URL", &url));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "Server kantor (127.0.0.1:{port}/lajur) tidak dapat dihubungi"
        )),
        "{out}"
    );
    assert!(!out.contains("rahasia-kantor"), "{out}");
    let (code, out) = run(lajur().args([
        "server",
        "init",
        "--database",
        &url,
        "--peran",
        "pc; DROP TABLE journal",
    ]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("tidak dapat dipakai"), "{out}");
}
