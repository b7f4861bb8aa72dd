//! The printed flowchart's faults reported from real SOPs (issue 15, items
//! 1–8, 12 and 13), each as a test on what a reader of the paper sees.

use crate::support::{papers, root};
use lajur_core::sop::{LaneId, Sop, sample};
use lajur_layout::quality::{FaultKind, faults};
use lajur_layout::*;

fn read(path: &str) -> Sop {
    crate::support::read(std::path::Path::new(path))
}

fn kinds_of(sop: &Sop, settings: &PageSettings) -> Vec<FaultKind> {
    let layout = document(sop, settings, BundledFont::get());
    faults(&layout, sop, settings, BundledFont::get())
        .into_iter()
        .map(|f| f.kind)
        .collect()
}

/// Item 1: off-page connectors of one page stand side by side in their
/// lanes, their letters readable, even when several leave one lane.
#[test]
fn connectors_of_one_lane_stand_side_by_side() {
    // Loops back every third row over one lane, broken every four rows:
    // several connectors leave the one lane at each break.
    let sop = sample::generated(24, 1, 3, 11);
    for mut settings in papers() {
        settings.rows_per_page = RowsPerPage::Fixed(4);
        let layout = layout(&sop, &settings, BundledFont::get());
        let mut most = 0;
        for page in &layout.pages {
            for band_top in [true, false] {
                let band: Vec<&Connector> = page
                    .connectors
                    .iter()
                    .filter(|c| (c.rect.center().y < page.table.center().y) == band_top)
                    .collect();
                most = most.max(band.len());
                for (i, a) in band.iter().enumerate() {
                    for b in &band[i + 1..] {
                        assert!(
                            !a.rect.expand(0.4).overlaps(&b.rect),
                            "{settings:?}: {} over {}",
                            a.letter,
                            b.letter
                        );
                    }
                }
            }
        }
        assert!(
            most >= 2,
            "the case has several connectors in a band ({most})"
        );
        let found = faults(&layout, &sop, &settings, BundledFont::get());
        assert!(
            !found
                .iter()
                .any(|f| matches!(f.kind, FaultKind::Overlap | FaultKind::OutsideLane)),
            "{settings:?}: {found:?}"
        );
    }
}

/// Items 2 and 4: no route runs on or within 2.5 mm of a rule of the table
/// or of another route, on the seeds and the corpus, on every paper.
#[test]
fn routes_keep_clear_of_rules_and_of_each_other() {
    let mut files = vec![
        "sops/bunder-penyebarluasan-informasi-medsos.toml".to_string(),
        "sops/mojogedang-pengelolaan-website-medsos.toml".to_string(),
    ];
    for entry in std::fs::read_dir(root().join("tests/corpus")).expect("corpus") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            files.push(path.to_string_lossy().into_owned());
        }
    }
    for file in files {
        let sop = read(&file);
        for settings in papers() {
            let kinds = kinds_of(&sop, &settings);
            assert!(
                !kinds.contains(&FaultKind::NearParallel),
                "{file} {settings:?}"
            );
        }
    }
}

/// Item 3: a decision's exit labels sit inside one lane, clear of every
/// line, on the Mojogedang seed (row 7 had "Tidak" across a border).
#[test]
fn exit_labels_sit_inside_a_lane_clear_of_lines() {
    let sop = read("sops/mojogedang-pengelolaan-website-medsos.toml");
    for settings in papers() {
        let layout = document(&sop, &settings, BundledFont::get());
        let lanes: Vec<(f32, f32)> = (0..sop.lanes.len())
            .map(|i| (layout.columns[2 + i], layout.columns[3 + i]))
            .collect();
        let mut labels = 0;
        for page in &layout.pages {
            for a in &page.arrows {
                let Some(l) = &a.label else { continue };
                labels += 1;
                assert!(
                    lanes
                        .iter()
                        .any(|(x0, x1)| l.rect.min.x > *x0 && l.rect.max.x < *x1),
                    "{settings:?}: {:?} across a lane border",
                    l.text
                );
                for other in &page.arrows {
                    for w in other.points.windows(2) {
                        assert!(
                            !l.rect.expand(-0.05).crossed_by(w[0], w[1]),
                            "{settings:?}: {:?} crossed",
                            l.text
                        );
                    }
                }
            }
        }
        assert!(labels >= 2);
    }
}

/// Item 5: a long Keterangan gets the width other columns do not need, so
/// its row is not half a page; and the corpus prints no row taller than it
/// needs.
#[test]
fn columns_take_their_width_from_the_content() {
    let mut sop = read("sops/bunder-penyebarluasan-informasi-medsos.toml");
    sop.steps[1].remarks = "Disampaikan kepada Admin Medsos lewat grup WhatsApp kantor, dengan \
        salinan disposisi yang sudah ditandatangani Ketua PPID dan catatan tentang platform \
        yang dipilih beserta jadwal unggahnya."
        .into();
    let settings = PageSettings::default();
    let layout = layout(&sop, &settings, BundledFont::get());
    let n = layout.columns.len();
    let remarks = layout.columns[n - 1] - layout.columns[n - 2];
    assert!(remarks > 25.0, "Keterangan {remarks:.1} mm");
    let row = layout.pages[0]
        .rows
        .iter()
        .find(|r| r.step == 1)
        .expect("row 2");
    assert!(
        row.rect.height() < 40.0,
        "row 2 is {:.1} mm",
        row.rect.height()
    );
    assert!(!kinds_of(&sop, &settings).contains(&FaultKind::RowTooTall));
}

/// Item 6: when the approval block does not fit under the last row, the
/// last row does not go alone onto a new page.
#[test]
fn the_last_row_is_not_left_alone_with_the_signature() {
    // Rows added until the approval block no longer fits on the last page.
    let base = read("sops/bunder-penyebarluasan-informasi-medsos.toml");
    let settings = PageSettings::default();
    let mut checked = 0;
    for extra in 0..12 {
        let mut sop = base.clone();
        for k in 0..extra {
            let mut step = sop.steps[7].clone();
            step.id.0 = format!("tambahan-{k}");
            step.number = format!("{}", 12 + k);
            let at = sop.steps.len() - 1;
            sop.steps.insert(at, step);
        }
        // Keep the flow joined: each added row flows into the next.
        let ids: Vec<_> = sop.steps.iter().map(|s| s.id.clone()).collect();
        for i in 0..sop.steps.len().saturating_sub(1) {
            if sop.steps[i].id.0.starts_with("tambahan") || i == sop.steps.len() - 2 {
                sop.steps[i].exits[0].target = ids[i + 1].clone();
            }
        }
        let layout = document(&sop, &settings, BundledFont::get());
        let table_pages: Vec<&Page> = layout.pages.iter().filter(|p| !p.rows.is_empty()).collect();
        if table_pages.len() >= 2 {
            checked += 1;
            let last = table_pages[table_pages.len() - 1];
            assert!(last.rows.len() >= 2, "{extra} rows added: one row alone");
        }
        assert!(!kinds_of(&sop, &settings).contains(&FaultKind::OrphanRow));
    }
    assert!(checked > 0);
}

/// Item 7: a lane heading breaks at a space, or with a hyphen, never inside
/// a word without one, nor with a lone comma on its own line.
#[test]
fn headings_break_at_spaces_or_with_a_hyphen() {
    let mut sop = sample::generated(8, 6, 4, 2);
    sop.lanes[2].name = "Kepala Urusan Perencanaan, Penganggaran dan Pelaporan".into();
    sop.lanes[3].name = "Kasi Kesejahteraan".into();
    for settings in papers() {
        let layout = document(&sop, &settings, BundledFont::get());
        if !layout.fit.is_empty() {
            continue;
        }
        let kinds = kinds_of(&sop, &settings);
        assert!(!kinds.contains(&FaultKind::BrokenWord), "{settings:?}");
        for page in &layout.pages {
            for t in page.texts.iter().filter(|t| t.role == TextRole::Header) {
                assert_ne!(t.text.trim(), ",", "{settings:?}");
            }
        }
    }
}

/// Item 8: content that cannot be printed whole is said before printing,
/// never cut silently.
#[test]
fn content_that_cannot_fit_is_said() {
    let mut sop = read("sops/bunder-penyebarluasan-informasi-medsos.toml");
    sop.steps[3].activity = "x".repeat(10_000);
    let layout = document(&sop, &PageSettings::default(), BundledFont::get());
    assert!(
        layout
            .fit
            .iter()
            .any(|f| matches!(f, FitProblem::RowTooTall { step: 3, .. })),
        "{:?}",
        layout.fit
    );
    let mut wide = sample::generated(6, 40, 0, 1);
    wide.lanes
        .iter_mut()
        .enumerate()
        .for_each(|(i, l)| l.id = LaneId(format!("p{i}")));
    let settings = PageSettings {
        paper: Paper::A4,
        orientation: Orientation::Portrait,
        ..PageSettings::default()
    };
    let layout = document(&wide, &settings, BundledFont::get());
    assert!(
        layout
            .fit
            .iter()
            .any(|f| matches!(f, FitProblem::TooWide { .. }))
    );
}

/// Item 12: no revision date prints as "-".
#[test]
fn no_revision_date_prints_a_dash() {
    let mut sop = read("sops/bunder-penyebarluasan-informasi-medsos.toml");
    sop.identity.revised = None;
    let layout = document(&sop, &PageSettings::default(), BundledFont::get());
    let texts: Vec<&str> = layout.pages[0]
        .texts
        .iter()
        .map(|t| t.text.as_str())
        .collect();
    let label = texts
        .iter()
        .position(|t| t.to_uppercase().contains("REVISI"))
        .expect("the revision field");
    assert_eq!(texts.get(label + 1).copied(), Some("-"), "{texts:?}");
}

/// Item 13: Mutu Baku prints the columns the SOP has: two, or four with the
/// office's own, under its headings; no empty third column.
#[test]
fn mutu_baku_prints_the_columns_the_sop_has() {
    let capi = read("tests/corpus/bps-048-pengolahan-capi.toml");
    assert_eq!(capi.headings.columns.len(), 2);
    let layout = document(&capi, &PageSettings::default(), BundledFont::get());
    // No, Kegiatan, lanes, two Mutu Baku columns, Keterangan.
    assert_eq!(layout.columns.len(), 2 + capi.lanes.len() + 2 + 1 + 1);

    let mut own = read("sops/bunder-penyebarluasan-informasi-medsos.toml");
    own.headings
        .columns
        .push(lajur_core::sop::MutuBakuColumn::Extra {
            key: "sumber_data".into(),
            heading: "Sumber Data".into(),
        });
    own.headings.activity = "Uraian".into();
    own.steps[0].extra = vec![("sumber_data".into(), "Surat Lurah".into())];
    let layout = document(&own, &PageSettings::default(), BundledFont::get());
    assert_eq!(layout.columns.len(), 2 + own.lanes.len() + 4 + 1 + 1);
    let texts: Vec<&str> = layout
        .pages
        .iter()
        .flat_map(|p| p.texts.iter().map(|t| t.text.as_str()))
        .collect();
    // (A heading may take two lines.)
    let all = texts.join(" ");
    for words in ["Sumber Data", "Surat Lurah", "Uraian"] {
        assert!(all.contains(words), "{words} missing: {all}");
    }
    assert!(kinds_of(&own, &PageSettings::default()).is_empty());
}
