//! `lajur import` and `lajur export docx` as an office uses them: its real
//! Word and Excel SOPs in (read from ../shared/corpus, never copied), the
//! files offices have that are not SOPs refused in words, nothing written
//! for them; an SOP out as Word and back in as the same draft.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use lajur_records::Store;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn corpus(name: &str) -> PathBuf {
    root().join("../shared/corpus/import").join(name)
}

fn lajur(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lajur"));
    cmd.arg("--data").arg(data);
    cmd.env("LAJUR_PASSWORD", "rahasia1")
        .env("LAJUR_NEW_PASSWORD", "rahasia1");
    cmd
}

fn run(cmd: &mut Command) -> (i32, String) {
    let out = cmd.output().expect("lajur runs");
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn word_and_excel_sops_become_toml_files_with_their_notes() {
    let dir = tempfile::tempdir().expect("temp");
    let out_dir = dir.path().join("keluar");
    let (code, out) = run(lajur(&dir.path().join("data"))
        .arg("import")
        .arg(corpus("dkisp-kaltara-penerbitan-email-resmi.docx"))
        .arg(corpus("basarnas-penerimaan-berita-115.xlsx"))
        .arg("--output")
        .arg(&out_dir));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("dibaca dari Word"), "{out}");
    assert!(out.contains("dibaca dari Excel"), "{out}");
    assert!(out.contains("2 dari 2 berkas diimpor."), "{out}");
    // A located note, as the clerk will see it.
    assert!(out.contains("tabel 1, baris 5:"), "{out}");
    let written: Vec<_> = std::fs::read_dir(&out_dir)
        .expect("folder")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(written.len(), 2, "{written:?}");
    for path in &written {
        let text = std::fs::read_to_string(path).expect("toml");
        let doc = lajur_core::sop::SopDocument::parse(&text);
        assert!(!doc.sop.steps.is_empty(), "{}", path.display());
        assert!(
            !doc.has_errors(),
            "{}: {:?}",
            path.display(),
            doc.diagnostics
        );
    }
    // --output touches no records.
    assert!(!dir.path().join("data").join(Store::DB_FILE).exists());
    // A second import never writes over the first.
    let (code, out) = run(lajur(&dir.path().join("data"))
        .arg("import")
        .arg(corpus("basarnas-penerimaan-berita-115.xlsx"))
        .arg("-o")
        .arg(&out_dir));
    assert_eq!(code, 0, "{out}");
    assert_eq!(std::fs::read_dir(&out_dir).expect("folder").count(), 3);
}

#[test]
fn without_output_each_sop_is_a_draft_in_the_library_never_active() {
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    let (code, out) = run(lajur(&data).args([
        "user-add",
        "--username",
        "admin",
        "--name",
        "Pak Admin",
        "--admin",
    ]));
    assert_eq!(code, 0, "{out}");
    // Without --as it is refused in words, nothing read.
    let (code, out) = run(lajur(&data)
        .arg("import")
        .arg(corpus("dkisp-kaltara-pembangunan-aplikasi.docx")));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("--as"), "{out}");
    let (code, out) = run(lajur(&data)
        .arg("import")
        .arg(corpus("dkisp-kaltara-pembangunan-aplikasi.docx"))
        .args(["--as", "admin"]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("draf #"), "{out}");
    let store = Store::open_with(&data, lajur_records::Access::Shared).expect("records");
    let imported: Vec<_> = store
        .library()
        .expect("library")
        .into_iter()
        .filter(|e| e.latest.name.to_lowercase().contains("pembangunan"))
        .collect();
    assert_eq!(imported.len(), 1);
    let entry = &imported[0];
    assert!(entry.active.is_none(), "an import is never in force");
    // The importer's doubts stay with the draft.
    assert!(
        entry
            .latest
            .note
            .starts_with("Diimpor dari dkisp-kaltara-pembangunan-aplikasi.docx"),
        "{}",
        entry.latest.note
    );
}

/// A zip holding the named entries (for broken and hostile packages).
fn zip_of(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(method)
        .large_file(true);
    for (name, bytes) in entries {
        w.start_file(*name, options).expect("entry");
        w.write_all(bytes).expect("bytes");
    }
    w.finish().expect("zip").into_inner()
}

#[test]
fn files_that_are_not_sops_are_refused_in_words_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temp");
    let real = std::fs::read(corpus("dkisp-kaltara-penerbitan-email-resmi.docx")).expect("docx");
    let doctype = b"<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>";
    let no_table = b"<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>Surat biasa, bukan SOP.</w:t></w:r></w:p></w:body></w:document>";
    let bomb = vec![b' '; 30 * 1024 * 1024];
    let mut cases: Vec<(&str, Vec<u8>, &str)> = vec![
        // Word 97: the OLE signature.
        (
            "lama.doc",
            [
                &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..],
                &[0u8; 600][..],
            ]
            .concat(),
            "format lama",
        ),
        (
            "dokumen.odt",
            zip_of(
                &[("mimetype", b"application/vnd.oasis.opendocument.text")],
                zip::CompressionMethod::Stored,
            ),
            "opendocument",
        ),
        ("sop.pdf", b"%PDF-1.7\n%...".to_vec(), "pdf tidak dapat"),
        (
            "terpotong.docx",
            real[..real.len() / 2].to_vec(),
            "rusak atau terpotong",
        ),
        (
            "tanpa-tabel.docx",
            zip_of(
                &[("word/document.xml", no_table)],
                zip::CompressionMethod::Deflated,
            ),
            "tidak ditemukan tabel sop",
        ),
        (
            "dtd.docx",
            zip_of(
                &[("word/document.xml", doctype)],
                zip::CompressionMethod::Deflated,
            ),
            "entitas xml",
        ),
        (
            "bom.docx",
            zip_of(
                &[("word/document.xml", &bomb)],
                zip::CompressionMethod::Deflated,
            ),
            "membengkak",
        ),
        (
            "foto.docx",
            vec![0x89, b'P', b'N', b'G', 0, 0, 0, 0],
            "bukan dokumen word",
        ),
    ];
    // A file far too big is refused before it is read.
    let big = dir.path().join("besar.docx");
    {
        let f = std::fs::File::create(&big).expect("big");
        f.set_len(50 * 1024 * 1024).expect("50 MB");
    }
    let mut paths = vec![(big, "terlalu besar".to_string())];
    for (name, bytes, _) in &mut cases {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).expect("write");
        paths.push((p, String::new()));
    }
    let out_dir = dir.path().join("keluar");
    for (k, (path, _)) in paths.iter().enumerate() {
        let (code, out) = run(lajur(&dir.path().join("data"))
            .arg("import")
            .arg(path)
            .arg("-o")
            .arg(&out_dir));
        assert_eq!(code, 1, "{}: {out}", path.display());
        assert!(out.contains("0 dari 1 berkas diimpor."), "{out}");
        assert!(!out.contains("panicked"), "{out}");
        let first = out.lines().next().unwrap_or_default().to_lowercase();
        let expect = if k == 0 {
            "terlalu besar".to_string()
        } else {
            cases[k - 1].2.to_lowercase()
        };
        assert!(
            first.contains(&expect),
            "{}: want {expect:?} in {first:?}",
            path.display()
        );
    }
    assert_eq!(
        std::fs::read_dir(&out_dir).map(|d| d.count()).unwrap_or(0),
        0,
        "nothing written for a refused file"
    );
}

#[test]
fn an_sop_exported_to_word_imports_back_as_the_same_sop() {
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    let docx = dir.path().join("surat-masuk.docx");
    let source = root().join("tests/fixtures/surat-masuk.toml");
    let (code, out) = run(lajur(&data)
        .args(["export", "docx"])
        .arg(&source)
        .arg("-o")
        .arg(&docx));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("KB"), "{out}");
    let (code, out) = run(lajur(&data)
        .arg("import")
        .arg(&docx)
        .arg("-o")
        .arg(dir.path().join("balik")));
    assert_eq!(code, 0, "{out}");
    let back = lajur_core::sop::SopDocument::parse(
        &std::fs::read_to_string(dir.path().join("balik/surat-masuk.toml")).expect("toml"),
    );
    let original =
        lajur_core::sop::SopDocument::parse(&std::fs::read_to_string(&source).expect("fixture"));
    assert_eq!(back.sop.identity.name, original.sop.identity.name);
    assert_eq!(back.sop.steps.len(), original.sop.steps.len());
    let activities = |d: &lajur_core::sop::SopDocument| {
        d.sop
            .steps
            .iter()
            .map(|s| s.activity.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(activities(&back), activities(&original));
    // An SOP with errors is never exported.
    let broken = dir.path().join("rusak.toml");
    std::fs::write(&broken, "[identitas\nnama_sop = ").expect("write");
    let (code, out) = run(lajur(&data)
        .args(["export", "docx"])
        .arg(&broken)
        .arg("-o")
        .arg(dir.path().join("rusak.docx")));
    assert_eq!(code, 1, "{out}");
    assert!(!dir.path().join("rusak.docx").exists());
}
