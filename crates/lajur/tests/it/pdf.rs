//! The printed SOP: each PDF parsed back, its text, pages and fonts checked.

use lajur_core::sop::{Sop, SopDocument};
use lajur_layout::{Orientation, PageSettings, Paper};
use lajur_paper::sop_pdf;

fn seed(name: &str) -> Sop {
    let text = std::fs::read_to_string(format!(
        "{}/sops/{name}",
        concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
    ))
    .expect("seed");
    SopDocument::parse(&text).sop
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

struct Parsed {
    pages: usize,
    text: String,
    doc: lopdf::Document,
}

fn parse(bytes: &[u8]) -> Parsed {
    let doc = lopdf::Document::load_mem(bytes).expect("the PDF parses");
    let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&numbers).expect("text extracts");
    Parsed {
        pages: numbers.len(),
        text: squeeze(&text),
        doc,
    }
}

fn settings(paper: Paper, orientation: Orientation) -> PageSettings {
    PageSettings {
        paper,
        orientation,
        ..PageSettings::default()
    }
}

fn assert_everything_printed(sop: &Sop, parsed: &Parsed) {
    let has = |what: &str, s: &str| {
        assert!(
            parsed.text.contains(&squeeze(s)),
            "{what} {s:?} not in the PDF text"
        );
    };
    for step in &sop.steps {
        has("kegiatan", &step.activity);
        has("kelengkapan", &step.requirements);
        has("output", &step.output);
        has("waktu", &step.time);
    }
    for lane in &sop.lanes {
        has("pelaksana", &lane.name);
    }
    let id = &sop.identity;
    has("nama SOP", &id.name);
    has("nomor", &id.number);
    has("unit", &id.unit.name.to_uppercase());
    for line in &id.approver.title_lines {
        has("jabatan", line);
    }
    has("nama pengesah", &id.approver.name);
    for item in id
        .legal_basis
        .iter()
        .chain(&id.qualifications)
        .chain(&id.related)
        .chain(&id.equipment)
    {
        has("daftar identitas", item);
    }
    for heading in [
        "NOMORSOP",
        "TANGGALPEMBUATAN",
        "TANGGALEFEKTIF",
        "DISAHKANOLEH",
        "DASARHUKUM",
        "MutuBaku",
        "Pelaksana",
    ] {
        has("judul", heading);
    }
    if let Some(d) = id.effective {
        has(
            "tanggal",
            &lajur_core::locale::format_date(d, lajur_core::locale::Lang::Id),
        );
    }
}

#[test]
fn both_seeds_print_everything_on_a4_and_f4() {
    for (name, expected_pages) in [
        (
            "bunder-penyebarluasan-informasi-medsos.toml",
            [(Paper::A4, 3), (Paper::F4, 3)],
        ),
        // Issue 15: columns sized by content and rows kept with the approval
        // block put Mojogedang on two sheets (three before).
        (
            "mojogedang-pengelolaan-website-medsos.toml",
            [(Paper::A4, 2), (Paper::F4, 2)],
        ),
    ] {
        let sop = seed(name);
        for (paper, pages) in expected_pages {
            let bytes = sop_pdf(
                &sop,
                &settings(paper, Orientation::Landscape),
                lajur_records::clock::system_now(),
            )
            .expect("PDF made");
            let parsed = parse(&bytes);
            assert_eq!(parsed.pages, pages, "{name} on {paper:?}");
            assert_everything_printed(&sop, &parsed);
            assert!(
                parsed.text.contains(&format!("Halaman{pages}dari{pages}")),
                "{name}: page numbers"
            );
            assert!(bytes.len() < 150 * 1024, "{name}: {} bytes", bytes.len());
        }
        for orientation in [Orientation::Portrait, Orientation::Landscape] {
            let bytes = sop_pdf(
                &sop,
                &settings(Paper::F4, orientation),
                lajur_records::clock::system_now(),
            )
            .expect("PDF made");
            assert_everything_printed(&sop, &parse(&bytes));
        }
    }
}

#[test]
fn page_sizes_are_a4_and_f4() {
    let sop = seed("mojogedang-pengelolaan-website-medsos.toml");
    for (paper, orientation, (w, h)) in [
        (Paper::A4, Orientation::Landscape, (297.0, 210.0)),
        (Paper::F4, Orientation::Landscape, (330.0, 215.0)),
        (Paper::F4, Orientation::Portrait, (215.0, 330.0)),
    ] {
        let parsed = parse(
            &sop_pdf(
                &sop,
                &settings(paper, orientation),
                lajur_records::clock::system_now(),
            )
            .expect("PDF made"),
        );
        for (_, page_id) in parsed.doc.get_pages() {
            let page = parsed.doc.get_dictionary(page_id).expect("page");
            let media = page
                .get(b"MediaBox")
                .and_then(|m| m.as_array())
                .expect("media box");
            let num = |o: &lopdf::Object| {
                o.as_float()
                    .or_else(|_| o.as_i64().map(|i| i as f32))
                    .expect("number")
            };
            let (pw, ph) = (num(&media[2]) * 25.4 / 72.0, num(&media[3]) * 25.4 / 72.0);
            assert!(
                (pw - w).abs() < 0.5 && (ph - h).abs() < 0.5,
                "{paper:?}: {pw} x {ph}"
            );
        }
    }
}

#[test]
fn fonts_are_embedded_and_metadata_set() {
    let sop = seed("bunder-penyebarluasan-informasi-medsos.toml");
    let bytes = sop_pdf(
        &sop,
        &PageSettings::default(),
        lajur_records::clock::system_now(),
    )
    .expect("PDF made");
    let doc = lopdf::Document::load_mem(&bytes).expect("parses");
    let mut embedded = 0;
    for (_, object) in doc.objects.iter() {
        if let Ok(dict) = object.as_dict()
            && dict
                .get(b"Type")
                .and_then(|t| t.as_name())
                .is_ok_and(|n| n == b"FontDescriptor")
        {
            assert!(
                dict.has(b"FontFile2"),
                "font descriptor without embedded font: {dict:?}"
            );
            embedded += 1;
        }
    }
    assert_eq!(embedded, 2, "regular and bold");
    let info = doc
        .trailer
        .get(b"Info")
        .and_then(|i| i.as_reference())
        .expect("info dictionary");
    let info = doc.get_dictionary(info).expect("info");
    let title = info.get(b"Title").and_then(|t| t.as_str()).expect("title");
    let decoded = lopdf::decode_text_string(info.get(b"Title").expect("title"))
        .unwrap_or_else(|_| String::from_utf8_lossy(title).into_owned());
    assert_eq!(decoded, "PENYEBARLUASAN INFORMASI MELALUI MEDIA SOSIAL");
    assert!(info.has(b"Author") && info.has(b"Subject") && info.has(b"CreationDate"));
}

#[test]
fn indonesian_punctuation_and_symbols_survive() {
    let mut sop = seed("mojogedang-pengelolaan-website-medsos.toml");
    sop.steps[1].activity =
        "Menerima disposisi (lembar “A”) – 50% selesai; biaya Rp1.500,00 ± 2 hari… ‘ok’ & lanjut"
            .into();
    let parsed = parse(
        &sop_pdf(
            &sop,
            &PageSettings::default(),
            lajur_records::clock::system_now(),
        )
        .expect("PDF made"),
    );
    assert!(
        parsed.text.contains(&squeeze(&sop.steps[1].activity)),
        "{}",
        parsed.text
    );
}

#[test]
fn the_command_line_exports_and_refuses_a_broken_sop() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("bunder.pdf");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_lajur"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .args([
            "export",
            "sop",
            "sops/bunder-penyebarluasan-informasi-medsos.toml",
            "-o",
        ])
        .arg(&out)
        .args(["--paper", "a4", "--orientation", "portrait"])
        .output()
        .expect("runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
    // Two sheets since issue 15 (three before): see both_seeds_print_…
    assert_eq!(parse(&std::fs::read(&out).expect("written")).pages, 2);

    let broken = dir.path().join("rusak.toml");
    std::fs::write(&broken, "versi_format = 1\n[identitas]\nnama_sop = \"X\"\n").expect("write");
    let refused = dir.path().join("rusak.pdf");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_lajur"))
        .args(["export", "sop"])
        .arg(&broken)
        .arg("-o")
        .arg(&refused)
        .output()
        .expect("runs");
    assert_eq!(status.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&status.stdout).contains("PDF tidak dibuat"));
    assert!(!refused.exists(), "nothing written for a broken SOP");

    let nowhere = dir.path().join("tidak-ada").join("x.pdf");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_lajur"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .args([
            "export",
            "sop",
            "sops/bunder-penyebarluasan-informasi-medsos.toml",
            "-o",
        ])
        .arg(&nowhere)
        .output()
        .expect("runs");
    assert_eq!(status.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&status.stdout).contains("foldernya tidak ada"),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
}
