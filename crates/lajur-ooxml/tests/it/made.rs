//! Files made in the test for what the real corpus does not show: a Word
//! SOP drawn only in VML (as old documents are), with its identity in two
//! tables and a numbering gap; and hostile input of every kind never
//! panics, whatever the bytes.

use std::io::Write;

use lajur_core::sop::Symbol;
use proptest::prelude::*;

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:v=\"urn:schemas-microsoft-com:vml\"";

fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, text) in entries {
        w.start_file(*name, options).expect("entry");
        w.write_all(text.as_bytes()).expect("bytes");
    }
    w.finish().expect("zip").into_inner()
}

fn cell(text: &str, extra: &str) -> String {
    format!(
        "<w:tc><w:tcPr><w:tcW w:w=\"1400\" w:type=\"dxa\"/>{extra}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"
    )
}

/// A lane cell holding one VML shape (`tag` and its attributes), 6 pt in.
fn vml_cell(tag: &str, attrs: &str, text: &str) -> String {
    let inner = if text.is_empty() {
        String::new()
    } else {
        format!(
            "<v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox>"
        )
    };
    format!(
        "<w:tc><w:tcPr><w:tcW w:w=\"1400\" w:type=\"dxa\"/></w:tcPr><w:p><w:r><w:pict><v:{tag} {attrs} style=\"position:absolute;margin-left:6pt;margin-top:4pt;width:50pt;height:20pt\">{inner}</v:{tag}></w:pict></w:r></w:p></w:tc>"
    )
}

fn row(cells: &[String]) -> String {
    format!("<w:tr>{}</w:tr>", cells.concat())
}

/// An old-style Word SOP: identity over two tables, the flowchart with VML
/// symbols only and no arrows, numbered 1, 2, 4.
fn vml_sop() -> Vec<u8> {
    let grid = |n: usize| {
        format!(
            "<w:tblGrid>{}</w:tblGrid>",
            "<w:gridCol w:w=\"1400\"/>".repeat(n)
        )
    };
    let identity_1 = format!(
        "<w:tbl>{}{}{}</w:tbl>",
        grid(2),
        row(&[cell("NOMOR SOP", ""), cell("12/SOP/2023", "")]),
        row(&[cell("NAMA SOP", ""), cell("PELAYANAN SURAT PINDAH", "")]),
    );
    let identity_2 = format!(
        "<w:tbl>{}{}{}</w:tbl>",
        grid(2),
        row(&[cell("TGL. PEMBUATAN", ""), cell("5 Juni 2023", "")]),
        row(&[cell("DISAHKAN OLEH", ""), cell("CAMAT KARANGANYAR", "")]),
    );
    let head = row(&[
        cell("No", "<w:vMerge w:val=\"restart\"/>"),
        cell("Kegiatan", "<w:vMerge w:val=\"restart\"/>"),
        cell("Pelaksana", "<w:gridSpan w:val=\"2\"/>"),
        cell("Mutu Baku", "<w:gridSpan w:val=\"3\"/>"),
        cell("Keterangan", "<w:vMerge w:val=\"restart\"/>"),
    ]);
    let head2 = row(&[
        cell("", "<w:vMerge/>"),
        cell("", "<w:vMerge/>"),
        cell("Pemohon", ""),
        cell("Petugas", ""),
        cell("Kelengkapan", ""),
        cell("Waktu", ""),
        cell("Output", ""),
        cell("", "<w:vMerge/>"),
    ]);
    let body = |no: &str, what: &str, a: String, b: String, time: &str| {
        row(&[
            cell(no, ""),
            cell(what, ""),
            a,
            b,
            cell("", ""),
            cell(time, ""),
            cell("", ""),
            cell("", ""),
        ])
    };
    let empty = || cell("", "");
    let flow = format!(
        "<w:tbl>{}{head}{head2}{}{}{}</w:tbl>",
        grid(8),
        body(
            "1",
            "Mengajukan permohonan",
            vml_cell("roundrect", "", "Mulai"),
            empty(),
            "5 menit"
        ),
        body(
            "2",
            "Memeriksa berkas; jika lengkap diproses, jika tidak dikembalikan",
            empty(),
            vml_cell("shape", "type=\"#_x0000_t110\"", ""),
            "10 menit"
        ),
        body(
            "4",
            "Menyerahkan surat pindah",
            empty(),
            vml_cell("oval", "", "Selesai"),
            "5 menit"
        ),
    );
    let document = format!(
        "<?xml version=\"1.0\"?><w:document {W}><w:body>{identity_1}<w:p/>{identity_2}<w:p/>{flow}<w:p/></w:body></w:document>"
    );
    zip_of(&[("word/document.xml", &document)])
}

#[test]
fn a_vml_only_word_sop_over_several_tables_is_read_with_its_guesses_said() {
    let imported = lajur_ooxml::import(&vml_sop()).expect("imports");
    let sop = &imported.sop;
    assert_eq!(sop.identity.number, "12/SOP/2023");
    assert_eq!(sop.identity.name, "PELAYANAN SURAT PINDAH");
    assert_eq!(
        sop.identity.created,
        chrono::NaiveDate::from_ymd_opt(2023, 6, 5)
    );
    let lanes: Vec<&str> = sop.lanes.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(lanes, ["Pemohon", "Petugas"]);
    let steps: Vec<(&str, Symbol)> = sop
        .steps
        .iter()
        .map(|s| (s.number.as_str(), s.symbol))
        .collect();
    assert_eq!(
        steps,
        [
            ("1", Symbol::Start),
            ("2", Symbol::Decision),
            ("4", Symbol::End)
        ]
    );
    assert_eq!(sop.steps[1].lanes[0].0, sop.lanes[1].id.0);
    // No arrows at all: the flow follows the rows and the decision's two
    // exits are proposed, each said.
    let notes: Vec<String> = imported
        .notes
        .iter()
        .map(|n| lajur_core::locale::problem_message(&n.kind, lajur_core::locale::Lang::Id))
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("tidak ada panah")),
        "{notes:#?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("Ya") && n.contains("Tidak")),
        "{notes:#?}"
    );
    assert_eq!(sop.steps[1].exits.len(), 2);
    // The draft is a valid SOP a clerk can confirm.
    let again = lajur_core::sop::SopDocument::parse(&lajur_core::sop::format::write(sop));
    assert!(!again.has_errors(), "{:?}", again.diagnostics);
}

fn real_docx() -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../../shared/corpus/import/dkisp-kaltara-penerbitan-email-resmi.docx",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("corpus")
}

/// The file is read into a draft that writes as TOML and reads again, or
/// refused with words for the clerk.
fn answered(bytes: &[u8]) -> Result<(), TestCaseError> {
    match lajur_ooxml::import(bytes) {
        Ok(imported) => {
            let text = lajur_core::sop::format::write(&imported.sop);
            let again = lajur_core::sop::SopDocument::parse(&text);
            prop_assert_eq!(again.sop.steps.len(), imported.sop.steps.len());
        }
        Err(e) => prop_assert!(!e.message(lajur_core::locale::Lang::Id).trim().is_empty()),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any bytes at all: an answer, never a panic.
    #[test]
    fn any_bytes_are_answered(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        answered(&bytes)?;
    }

    /// A real .docx with bytes overwritten anywhere (a bad download, a bad
    /// disk): read or refused, never a panic.
    #[test]
    fn a_damaged_real_docx_is_answered(
        at in proptest::collection::vec((0.0f64..1.0, any::<u8>()), 1..24),
        cut in 0.5f64..1.0,
    ) {
        let mut bytes = real_docx();
        for (pos, b) in at {
            let i = ((bytes.len() as f64) * pos) as usize % bytes.len();
            bytes[i] = b;
        }
        bytes.truncate(((bytes.len() as f64) * cut) as usize);
        answered(&bytes)?;
    }

    /// The document's XML cut or spliced anywhere, re-packed: an answer,
    /// never a panic.
    #[test]
    fn broken_document_xml_is_answered(a in 0.0f64..1.0, b in 0.0f64..1.0) {
        let xml = String::from_utf8_lossy(&vml_sop_xml()).into_owned();
        let chars: Vec<char> = xml.chars().collect();
        let (i, j) = (
            (chars.len() as f64 * a.min(b)) as usize,
            (chars.len() as f64 * a.max(b)) as usize,
        );
        let spliced: String = chars[..i].iter().chain(chars[j..].iter()).collect();
        answered(&zip_of(&[("word/document.xml", &spliced)]))?;
    }
}

/// The document part of the VML fixture, for splicing.
fn vml_sop_xml() -> Vec<u8> {
    let bytes = vml_sop();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut file = archive.by_name("word/document.xml").expect("part");
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut file, &mut out).expect("read");
    out
}
