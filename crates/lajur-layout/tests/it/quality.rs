//! The printed table's quality standard (`lajur_layout::quality`): every real
//! SOP of the corpus and both seeds print without a fault on A4 and F4 in both
//! orientations, on no more sheets than their originals; random SOPs using
//! everything real SOPs do print without a fault (or are refused, when their
//! table cannot fit the paper at all); and the checker finds each kind of
//! fault when one is made by hand.

use std::path::PathBuf;

use crate::support::{papers, read, root};

use lajur_core::sop::{Sop, sample};
use lajur_layout::quality::{Fault, FaultKind, faults};
use lajur_layout::*;
use proptest::prelude::*;

/// The corpus: (file, the original's sheets), from the corpus indexes.
pub fn corpus() -> Vec<(PathBuf, usize)> {
    let dir = root().join("tests/corpus");
    let mut out = Vec::new();
    for index in ["index/statistics.toml", "index/procurement.toml"] {
        let text = std::fs::read_to_string(dir.join(index)).expect("index");
        let table: toml::Table = text.parse().expect("index is TOML");
        for entry in table["sop"].as_array().expect("[[sop]]") {
            let file = entry["file"].as_str().expect("file");
            let pages = entry["pages"].as_integer().expect("pages");
            out.push((dir.join(file), usize::try_from(pages).expect("pages")));
        }
    }
    out
}

fn describe(faults: &[Fault]) -> String {
    faults
        .iter()
        .map(|f| {
            format!(
                "page {}: {:?} at ({:.1}, {:.1}) steps {:?} {:?}",
                f.page + 1,
                f.kind,
                f.at.x,
                f.at.y,
                f.steps,
                f.text
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_corpus_has_fifteen_real_sops_or_more() {
    let corpus = corpus();
    assert!(corpus.len() >= 15, "{}", corpus.len());
    for (file, _) in &corpus {
        let text = std::fs::read_to_string(file).expect("corpus file");
        assert!(
            text.contains("ocidserver/openSOP"),
            "{}: source",
            file.display()
        );
        assert!(text.contains("versi_format = 2"), "{}", file.display());
    }
}

#[test]
fn seeds_and_corpus_print_without_a_fault_on_every_paper() {
    let mut files: Vec<PathBuf> = [
        "sops/bunder-penyebarluasan-informasi-medsos.toml",
        "sops/mojogedang-pengelolaan-website-medsos.toml",
    ]
    .iter()
    .map(|f| root().join(f))
    .collect();
    files.extend(corpus().into_iter().map(|(f, _)| f));
    let mut report = Vec::new();
    for file in &files {
        let sop = read(file);
        for settings in papers() {
            let layout = document(&sop, &settings, BundledFont::get());
            assert!(
                layout.fit.is_empty(),
                "{}: {:?}",
                file.display(),
                layout.fit
            );
            let found = faults(&layout, &sop, &settings, BundledFont::get());
            if !found.is_empty() {
                report.push(format!(
                    "{} on {:?} {:?}:\n{}",
                    file.display(),
                    settings.paper,
                    settings.orientation,
                    describe(&found)
                ));
            }
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n\n"));
}

#[test]
fn the_filled_sheet_prints_without_a_fault() {
    // The filled sheet is the SOP with what happened written into its
    // Keterangan column (longer than the SOP's own remarks).
    for (file, _) in corpus().into_iter().take(6) {
        let mut sop = read(&file);
        let rows = sop.rows();
        for row in rows {
            sop.steps[row.start].remarks =
                "Selesai oleh Siti Rahayu, 12 Januari 2026 10.42 WIB (terlambat 2 jam); berkas: surat-undangan-final.pdf".into();
        }
        for settings in papers() {
            let layout = lajur_layout::sheet::filled_sheet(
                &sop,
                &[],
                &lajur_layout::Signature::of_sop(&sop),
                None,
                &settings,
                BundledFont::get(),
                "",
            );
            let found = faults(&layout, &sop, &settings, BundledFont::get());
            assert!(
                found.is_empty(),
                "{} {settings:?}:\n{}",
                file.display(),
                describe(&found)
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 96,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x1515),
        ..ProptestConfig::default()
    })]

    /// Random SOPs with multi-symbol rows, either-lane steps, several starts,
    /// loops and skips: no fault, or (a table wider than the paper) refused.
    #[test]
    fn varied_sops_print_without_a_fault(
        rows in 2usize..=60,
        lanes in 1usize..=10,
        seed in any::<u64>(),
        settings in prop::sample::select(papers()),
    ) {
        let sop = sample::varied(rows, lanes, seed);
        let layout = document(&sop, &settings, BundledFont::get());
        if layout.fit.is_empty() {
            let found = faults(&layout, &sop, &settings, BundledFont::get());
            prop_assert!(found.is_empty(), "{}", describe(&found));
        } else {
            // Refused only when the lanes alone leave too little room.
            prop_assert!(
                layout.fit.iter().all(|f| matches!(f, FitProblem::TooWide { .. })),
                "{:?}", layout.fit
            );
            prop_assert!(lanes >= 6, "{lanes} lanes refused: {:?}", layout.fit);
        }
    }
}

/// A clean layout to break by hand, and its SOP and paper.
fn clean() -> (Layout, Sop, PageSettings) {
    let sop = read(&root().join("sops/bunder-penyebarluasan-informasi-medsos.toml"));
    let settings = PageSettings::default();
    let layout = document(&sop, &settings, BundledFont::get());
    assert!(faults(&layout, &sop, &settings, BundledFont::get()).is_empty());
    (layout, sop, settings)
}

fn kinds(layout: &Layout, sop: &Sop, settings: &PageSettings) -> Vec<FaultKind> {
    faults(layout, sop, settings, BundledFont::get())
        .into_iter()
        .map(|f| f.kind)
        .collect()
}

/// The first page holding shapes.
fn table_page(layout: &Layout) -> usize {
    layout
        .pages
        .iter()
        .position(|p| !p.shapes.is_empty())
        .expect("a flowchart page")
}

#[test]
fn the_checker_finds_overlapping_marks() {
    let (mut layout, sop, settings) = clean();
    let p = table_page(&layout);
    let page = &mut layout.pages[p];
    let connector = page.connectors.first().map(|c| c.rect);
    // Two off-page connectors on top of each other (issue 15, item 1).
    if let Some(rect) = connector {
        let mut twin = page.connectors[0].clone();
        twin.letter = "Z".into();
        twin.rect = rect;
        page.connectors.push(twin);
    } else {
        page.shapes[1].rect = page.shapes[0].rect;
    }
    assert!(kinds(&layout, &sop, &settings).contains(&FaultKind::Overlap));
}

#[test]
fn the_checker_finds_text_crossed_by_a_line() {
    let (mut layout, sop, settings) = clean();
    let p = table_page(&layout);
    let page = &mut layout.pages[p];
    let cell = page
        .texts
        .iter()
        .find(|t| t.role == TextRole::Cell && t.text.len() > 10)
        .expect("a cell text")
        .rect();
    let c = cell.center();
    page.arrows[0].points = vec![pt(c.x, cell.min.y - 3.0), pt(c.x, cell.max.y + 3.0)];
    assert!(kinds(&layout, &sop, &settings).contains(&FaultKind::TextCrossed));
}

#[test]
fn the_checker_finds_text_cut_by_a_rule() {
    let (mut layout, sop, settings) = clean();
    let p = table_page(&layout);
    let page = &mut layout.pages[p];
    // An exit label across a lane border (issue 15, item 3).
    let border = layout.columns[3];
    let arrow = page
        .arrows
        .iter_mut()
        .find(|a| a.label.is_some())
        .expect("a labelled exit");
    let label = arrow.label.as_mut().expect("label");
    let w = label.rect.width();
    label.rect.min.x = border - w / 2.0;
    label.rect.max.x = border + w / 2.0;
    assert!(kinds(&layout, &sop, &settings).contains(&FaultKind::TextCut));
}

#[test]
fn the_checker_finds_routes_hugging_a_rule_or_each_other() {
    let (mut layout, sop, settings) = clean();
    let p = table_page(&layout);
    let page = &mut layout.pages[p];
    // A jog 1 mm under a row's rule (issue 15, item 4).
    let row = page.rows[2].rect;
    let x = (layout.columns[2] + layout.columns[3]) / 2.0;
    page.arrows[0].points = vec![pt(x, row.min.y + 1.0), pt(x + 8.0, row.min.y + 1.0)];
    assert!(kinds(&layout, &sop, &settings).contains(&FaultKind::NearParallel));

    let (mut layout, sop, settings) = clean();
    let page = &mut layout.pages[p];
    // Two routes 1.5 mm apart.
    let a = page.arrows[0].points.clone();
    let moved: Vec<Pt> = a.iter().map(|q| pt(q.x + 1.5, q.y)).collect();
    page.arrows[1].points = moved;
    assert!(kinds(&layout, &sop, &settings).contains(&FaultKind::NearParallel));
}

#[test]
fn the_checker_finds_a_connector_outside_its_lane() {
    let (mut layout, sop, settings) = clean();
    let p = table_page(&layout);
    let border = layout.columns[3];
    let page = &mut layout.pages[p];
    let shape = &mut page.shapes[0];
    let w = shape.rect.width();
    shape.rect.min.x = border - w / 2.0;
    shape.rect.max.x = border + w / 2.0;
    assert!(kinds(&layout, &sop, &settings).contains(&FaultKind::OutsideLane));
}

#[test]
fn the_checker_finds_an_arrow_through_a_symbol() {
    let (mut layout, sop, settings) = clean();
    let p = table_page(&layout);
    let page = &mut layout.pages[p];
    let victim = page.shapes[3].rect;
    let c = victim.center();
    page.arrows[0].points = vec![pt(c.x, victim.min.y - 4.0), pt(c.x, victim.max.y + 4.0)];
    assert!(kinds(&layout, &sop, &settings).contains(&FaultKind::ThroughSymbol));
}

#[test]
fn the_checker_finds_a_row_taller_than_it_needs() {
    // A long Keterangan squeezed into a narrow column while Kegiatan has
    // room (issue 15, item 5): laid out with the columns it would have had.
    let (_, mut sop, settings) = clean();
    sop.steps[0].remarks = "Catatan panjang tentang kegiatan ini ".repeat(8);
    let mut layout = document(&sop, &settings, BundledFont::get());
    assert!(!kinds(&layout, &sop, &settings).contains(&FaultKind::RowTooTall));
    // Narrow Keterangan to 14 mm, giving the width to Kegiatan, and lay the
    // text out again as a layout with those columns would.
    let n = layout.columns.len();
    let squeeze = (layout.columns[n - 1] - layout.columns[n - 2]) - 14.0;
    assert!(squeeze > 0.0);
    for page in &mut layout.pages {
        for t in &mut page.texts {
            if t.role == TextRole::Cell
                && t.step == Some(0)
                && t.pos.x > layout.columns[n - 2] - 0.1
            {
                // The remarks would wrap into many more lines; one line far
                // down stands for them.
                t.pos.y += 40.0;
            }
        }
        for r in &mut page.rows {
            if r.step == 0 {
                r.rect.max.y += 40.0;
            }
        }
    }
    layout.columns[n - 2] += squeeze;
    assert!(kinds(&layout, &sop, &settings).contains(&FaultKind::RowTooTall));
}

#[test]
fn the_checker_finds_an_orphaned_row() {
    let (mut layout, sop, settings) = clean();
    // The last table page's rows but one moved back to the page before:
    // the last page holds one row that would have fitted there.
    let last = layout
        .pages
        .iter()
        .rposition(|p| !p.rows.is_empty())
        .expect("rows");
    assert!(last > 0);
    let mut rows = layout.pages[last].rows.clone();
    let keep = rows.pop().expect("a row");
    layout.pages[last].rows = vec![keep];
    // Room at the foot of the page before, for the check to find.
    let before = &mut layout.pages[last - 1];
    let removed: f32 = rows.iter().map(|r| r.rect.height()).sum();
    let _ = removed;
    let height = keep.rect.height();
    let n = before.rows.len();
    if n >= 2 {
        let shrink = height + 5.0;
        before.rows[n - 1].rect.max.y -= shrink;
    }
    assert!(kinds(&layout, &sop, &settings).contains(&FaultKind::OrphanRow));
}

#[test]
fn the_checker_finds_a_word_broken_without_a_hyphen() {
    let (mut layout, sop, settings) = clean();
    let p = table_page(&layout);
    let page = &mut layout.pages[p];
    // A lane heading broken inside a word (issue 15, item 7).
    let heading = page
        .texts
        .iter()
        .position(|t| t.role == TextRole::Header && t.text == "Ketua PPID")
        .expect("heading");
    let mut second = page.texts[heading].clone();
    page.texts[heading].text = "Ketua PP".into();
    second.text = "ID".into();
    second.pos.y += 3.0;
    page.texts.push(second);
    assert!(kinds(&layout, &sop, &settings).contains(&FaultKind::BrokenWord));
}

#[test]
fn the_checker_finds_content_cut() {
    // A step text of 10,000 characters (issue 15, item 8): the layout says
    // it cannot fit, and the checker counts it.
    let (_, mut sop, settings) = clean();
    sop.steps[2].activity = "Menerima berkas permohonan ".repeat(370);
    let layout = document(&sop, &settings, BundledFont::get());
    assert!(!layout.fit.is_empty());
    assert!(kinds(&layout, &sop, &settings).contains(&FaultKind::ContentCut));
    // And a cell line dropped from a clean page.
    let (mut layout, sop, settings) = clean();
    let p = table_page(&layout);
    let at = layout.pages[p]
        .texts
        .iter()
        .position(|t| t.role == TextRole::Cell && t.step == Some(1))
        .expect("a cell line");
    layout.pages[p].texts.remove(at);
    assert!(kinds(&layout, &sop, &settings).contains(&FaultKind::ContentCut));
}

#[test]
fn the_checker_finds_a_broken_structure() {
    let (mut layout, sop, settings) = clean();
    let p = table_page(&layout);
    // An arrow that starts nowhere near its step.
    let arrow = &mut layout.pages[p].arrows[0];
    for q in &mut arrow.points {
        q.y += 0.5;
    }
    assert!(kinds(&layout, &sop, &settings).contains(&FaultKind::Structure));
}

#[test]
fn forty_lanes_on_a4_portrait_are_refused_before_printing() {
    let sop = sample::generated(10, 40, 4, 3);
    let settings = PageSettings {
        paper: Paper::A4,
        orientation: Orientation::Portrait,
        ..PageSettings::default()
    };
    let layout = document(&sop, &settings, BundledFont::get());
    assert!(
        layout
            .fit
            .iter()
            .any(|f| matches!(f, FitProblem::TooWide { needed, available } if needed > available)),
        "{:?}",
        layout.fit
    );
}
