//! The flowchart layout keeps its promises on the seeds, on a large generated SOP
//! and on any generated SOP.

use lajur_core::sop::{Sop, SopDocument, sample};
use lajur_layout::check::{Violation, check};
use lajur_layout::*;
use proptest::prelude::*;

fn seed(name: &str) -> Sop {
    let text = std::fs::read_to_string(format!(
        "{}/sops/{name}",
        concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
    ))
    .expect("seed");
    SopDocument::parse(&text).sop
}

fn all_settings() -> Vec<PageSettings> {
    let mut out = Vec::new();
    for paper in [Paper::A4, Paper::F4] {
        for orientation in [Orientation::Landscape, Orientation::Portrait] {
            for flow in [Flow::Paged, Flow::Continuous] {
                for rows_per_page in [RowsPerPage::Auto, RowsPerPage::Fixed(5)] {
                    out.push(PageSettings {
                        paper,
                        orientation,
                        flow,
                        rows_per_page,
                        ..PageSettings::default()
                    });
                }
            }
        }
    }
    out
}

fn assert_clean(sop: &Sop, settings: &PageSettings) -> Layout {
    let layout = layout(sop, settings, BundledFont::get());
    let violations = check(&layout, sop);
    assert!(violations.is_empty(), "{settings:?}: {violations:#?}");
    layout
}

#[test]
fn seeds_lay_out_cleanly_on_every_paper() {
    for name in [
        "bunder-penyebarluasan-informasi-medsos.toml",
        "mojogedang-pengelolaan-website-medsos.toml",
    ] {
        let sop = seed(name);
        for settings in all_settings() {
            let layout = assert_clean(&sop, &settings);
            let shapes: usize = layout.pages.iter().map(|p| p.shapes.len()).sum();
            assert_eq!(shapes, sop.steps.len(), "{name}: one shape per step");
            if settings.flow == Flow::Continuous {
                assert_eq!(layout.pages.len(), 1);
            }
        }
    }
}

#[test]
fn bunder_on_fixed_pages_breaks_with_connectors() {
    let sop = seed("bunder-penyebarluasan-informasi-medsos.toml");
    let settings = PageSettings {
        rows_per_page: RowsPerPage::Fixed(6),
        ..PageSettings::default()
    };
    let layout = assert_clean(&sop, &settings);
    assert_eq!(layout.pages.len(), 2);
    assert_eq!(layout.pages[0].rows.len(), 6);
    let letters: Vec<&str> = layout.pages[0]
        .connectors
        .iter()
        .map(|c| c.letter.as_str())
        .collect();
    assert!(letters.contains(&"A"), "{letters:?}");
    assert!(
        layout.pages[1]
            .connectors
            .iter()
            .any(|c| c.letter == "A" && !c.incoming)
    );
    // In the whole document the flowchart follows the identity page, and every
    // page says where it stands.
    let doc = document(&sop, &settings, BundledFont::get());
    assert_eq!(doc.pages.len(), 3, "identity page, two flowchart pages");
    let footers: Vec<String> = doc
        .pages
        .iter()
        .flat_map(|p| {
            p.texts
                .iter()
                .filter(|t| t.role == TextRole::PageNumber)
                .map(|t| t.text.clone())
        })
        .collect();
    assert_eq!(
        footers,
        ["Halaman 1 dari 3", "Halaman 2 dari 3", "Halaman 3 dari 3"]
    );
}

#[test]
fn loops_are_drawn_as_loops() {
    let sop = seed("bunder-penyebarluasan-informasi-medsos.toml");
    let layout = assert_clean(
        &sop,
        &PageSettings {
            flow: Flow::Continuous,
            ..PageSettings::default()
        },
    );
    let backs: Vec<(usize, usize)> = layout.pages[0]
        .arrows
        .iter()
        .filter(|a| a.kind == ArrowKind::Back)
        .map(|a| (a.from_step, a.to_step))
        .collect();
    assert_eq!(backs, [(3, 2), (4, 2)]);
    let labels: Vec<&str> = layout.pages[0]
        .arrows
        .iter()
        .filter_map(|a| a.label.as_ref())
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(labels.iter().filter(|l| **l == "Ya").count(), 2);
    assert_eq!(labels.iter().filter(|l| **l == "Tidak").count(), 2);
}

#[test]
fn generated_40_steps_8_lanes_lays_out_cleanly() {
    let sop = sample::generated(40, 8, 5, 1);
    for settings in all_settings() {
        let layout = assert_clean(&sop, &settings);
        if settings.flow == Flow::Paged {
            assert!(layout.pages.len() > 1);
        }
    }
}

#[test]
fn the_checker_catches_what_it_promises_to() {
    let sop = seed("bunder-penyebarluasan-informasi-medsos.toml");
    let mut layout = layout(&sop, &PageSettings::default(), BundledFont::get());
    // An arrow forced through a shape, and a shape moved onto another.
    let victim = layout.pages[0].shapes[3];
    layout.pages[0].arrows[0]
        .points
        .push(pt(victim.rect.center().x, victim.rect.max.y + 5.0));
    layout.pages[0].arrows[0]
        .points
        .push(pt(victim.rect.center().x, victim.rect.min.y - 5.0));
    layout.pages[0].shapes[1].rect = layout.pages[0].shapes[0].rect;
    let v = check(&layout, &sop);
    assert!(
        v.iter()
            .any(|v| matches!(v, Violation::ArrowCrossesShape { .. })),
        "{v:?}"
    );
    assert!(
        v.iter()
            .any(|v| matches!(v, Violation::ShapesOverlap { .. })),
        "{v:?}"
    );
}

/// Found by the property test: a connector shifted aside landed on a lane's
/// ruling line, so the arrow into it ran along the rule.
#[test]
fn a_shifted_connector_stays_off_the_lane_rules() {
    let sop = sample::generated(40, 3, 1, 12755570432598932688);
    let settings = PageSettings {
        paper: Paper::F4,
        orientation: Orientation::Portrait,
        rows_per_page: RowsPerPage::Fixed(5),
        ..PageSettings::default()
    };
    assert_clean(&sop, &settings);
}

proptest! {
    // A fixed seed keeps CI reproducible; change it (or the case count) locally
    // to explore further. 4,000 cases passed when this was written.
    #![proptest_config(ProptestConfig {
        cases: 256,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x01a7),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_generated_sop_lays_out_cleanly(
        steps in 2usize..60,
        lanes in 1usize..9,
        loop_every in 0usize..7,
        seed in any::<u64>(),
        settings in prop::sample::select(all_settings()),
    ) {
        let sop = sample::generated(steps, lanes, loop_every, seed);
        let layout = layout(&sop, &settings, BundledFont::get());
        let violations = check(&layout, &sop);
        prop_assert!(violations.is_empty(), "{:#?}", violations);
    }
}
