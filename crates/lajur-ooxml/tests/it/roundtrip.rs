//! Every SOP Lajur has (the two seeds, the fixture with everything format
//! version 2 adds, the corpus of real SOPs) written as a .docx and read back
//! gives the same SOP: what the office exports from Lajur, Lajur imports.

use lajur_core::locale::{Lang, problem_message};
use lajur_core::paper::{Orientation, PageSettings, Paper};
use lajur_core::sop::{Sop, SopDocument};
use lajur_layout::{BundledFont, document};

use crate::real::{content, diff};

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The SOPs to write: name and SOP.
pub fn every_sop() -> Vec<(String, Sop)> {
    let mut out: Vec<(String, Sop)> = lajur_core::sop::source::BUNDLED
        .iter()
        .map(|(name, text)| (name.to_string(), SopDocument::parse(text).sop))
        .collect();
    let mut paths = vec![root().join("tests/fixtures/surat-masuk.toml")];
    let mut corpus: Vec<_> = std::fs::read_dir(root().join("tests/corpus"))
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    corpus.sort();
    paths.extend(corpus);
    for p in paths {
        let text = std::fs::read_to_string(&p).expect("read");
        let name = p.file_stem().expect("stem").to_string_lossy().into_owned();
        out.push((name, SopDocument::parse(&text).sop));
    }
    out
}

/// The .docx of an SOP on a paper.
pub fn docx(sop: &Sop, settings: &PageSettings) -> Vec<u8> {
    let layout = document(sop, settings, BundledFont::get());
    lajur_ooxml::export(sop, &layout, settings, None).expect("written")
}

/// What a round trip may change: the unit's letters, printed in capitals
/// as the official format has them, and the order of a decision's exits.
fn comparable(sop: &Sop) -> Vec<String> {
    let mut sop = sop.clone();
    // A decision's exits in any order (each keeps its label and target).
    for step in &mut sop.steps {
        step.exits.sort_by(|a, b| a.label.cmp(&b.label));
    }
    let unit = &mut sop.identity.unit;
    unit.name = unit.name.to_uppercase();
    for p in &mut unit.parents {
        *p = p.to_uppercase();
    }
    content(&sop)
}

/// Each SOP written on a paper and read back: the ones that come back
/// whole, and for the others what differs.
fn round_trip(settings: &PageSettings) -> (Vec<String>, Vec<String>) {
    let (mut whole, mut differ) = (Vec::new(), Vec::new());
    for (name, sop) in every_sop() {
        let bytes = docx(&sop, settings);
        let back = lajur_ooxml::import(&bytes)
            .unwrap_or_else(|e| panic!("{name}: Lajur's own .docx is refused: {e}"));
        // Whatever else differs, the table's lanes and rows and the
        // identity's name and number always come back.
        assert_eq!(back.sop.identity.name, sop.identity.name, "{name}");
        assert_eq!(back.sop.identity.number, sop.identity.number, "{name}");
        let lanes = |s: &Sop| s.lanes.iter().map(|l| l.name.clone()).collect::<Vec<_>>();
        assert_eq!(lanes(&back.sop), lanes(&sop), "{name}");
        assert_eq!(back.sop.steps.len(), sop.steps.len(), "{name}");
        let d = diff(&comparable(&sop), &comparable(&back.sop));
        if d.is_empty() {
            whole.push(name);
        } else {
            let notes: Vec<String> = back
                .notes
                .iter()
                .map(|n| problem_message(&n.kind, Lang::Id))
                .collect();
            differ.push(format!("{name} (written -, read +)\n{d}notes: {notes:#?}"));
        }
    }
    (whole, differ)
}

/// Every SOP, on every paper and orientation an office prints on, comes
/// back from its .docx as it went in.
#[test]
fn every_sop_comes_back_from_its_docx_on_every_paper() {
    for paper in [Paper::F4, Paper::A4] {
        for orientation in [Orientation::Landscape, Orientation::Portrait] {
            let (whole, differ) = round_trip(&PageSettings {
                paper,
                orientation,
                ..PageSettings::default()
            });
            assert!(
                differ.is_empty(),
                "{paper:?} {orientation:?}: {} whole, these differ:\n{}",
                whole.len(),
                differ.join("\n")
            );
        }
    }
}

/// Writes the seeds' .docx where a person (or LibreOffice) can look at them:
/// `LAJUR_DOCX_OUT=dir cargo test -p lajur-ooxml write_for_looking`.
#[test]
fn write_for_looking() {
    let Some(dir) = std::env::var_os("LAJUR_DOCX_OUT") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).expect("dir");
    for (name, sop) in every_sop() {
        std::fs::write(
            dir.join(format!("{name}.docx")),
            docx(&sop, &PageSettings::default()),
        )
        .expect("write");
    }
}
