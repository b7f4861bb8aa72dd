//! What real SOPs say and version 1 could not hold (issue 15, items 9–14):
//! the format reads it, `check` accepts it without a word, and the engine
//! runs it.

use chrono::{TimeZone, Utc};
use lajur_core::policy;
use lajur_core::records::User;
use lajur_core::sop::*;
use lajur_core::workflow::engine::{self, Action};

/// A counter where letters arrive at the counter or by e-mail: two labelled
/// starts in one row, then a step done by whichever of the two lanes has the
/// letter, a row with a process and a decision, a process and the end in
/// one row; two Mutu Baku columns and one of the office's own.
fn letters_text() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/surat-masuk.toml"
    ))
    .expect("fixture")
}

fn letters() -> Sop {
    let doc = SopDocument::parse(&letters_text());
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
    doc.sop
}

fn at(minute: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 3, 8, minute, 0)
        .single()
        .expect("a time")
}

fn user(lanes: &[&str]) -> User {
    User {
        id: 1,
        username: "staf".into(),
        name: "Staf".into(),
        jabatan: "Staf".into(),
        nip: None,
        lanes: lanes.iter().map(|l| LaneId((*l).into())).collect(),
        is_admin: false,
        is_signer: false,
        active: true,
    }
}

/// Item 9: a row with several symbols is one row of the table, numbered
/// once, and `check` says nothing about it.
#[test]
fn a_row_holds_several_symbols() {
    let sop = letters();
    let rows: Vec<Vec<&str>> = sop
        .rows()
        .iter()
        .map(|r| {
            sop.steps[r.clone()]
                .iter()
                .map(|s| s.id.0.as_str())
                .collect()
        })
        .collect();
    assert_eq!(
        rows,
        [
            vec!["langsung", "surel"],
            vec!["catat"],
            vec!["telaah", "lengkap"],
            vec!["arsip", "selesai"],
        ]
    );
    let numbers: Vec<&str> = sop.steps.iter().map(|s| s.number.as_str()).collect();
    assert_eq!(numbers, ["1", "", "2", "3", "", "4", ""]);
    assert!(
        validate::validate(&sop).is_empty(),
        "{:?}",
        validate::validate(&sop)
    );
    // The symbols of a row run in their order: the process flows into the
    // decision beside it, the process into the end beside it.
    assert_eq!(sop.steps[3].exits[0].target, StepId("lengkap".into()));
    assert_eq!(sop.steps[5].exits[0].target, StepId("selesai".into()));
    // Written back, the file says the same.
    let written = format::write(&sop);
    assert!(written.contains("versi_format = 2"));
    assert_eq!(SopDocument::parse(&written).sop, sop);
}

/// Item 10: a step across several lanes meaning "whichever has the case"
/// is done when one of them acts; "bersama" still waits for all.
#[test]
fn an_either_lane_step_is_done_by_one_lane() {
    let sop = letters();
    let progress = engine::start(&sop, Some(&StepId("langsung".into())), at(0)).expect("start");
    let progress = engine::apply(
        &sop,
        &progress,
        &Action::Complete,
        &[LaneId("loket".into())],
        at(1),
    )
    .expect("start done")
    .progress;
    assert_eq!(
        progress.current.as_ref().map(|c| c.step.0.as_str()),
        Some("catat")
    );
    // The counter is away; the letter came by e-mail: the e-mail admin
    // records it, and the step is done.
    let outcome = engine::apply(
        &sop,
        &progress,
        &Action::Complete,
        &[LaneId("email".into())],
        at(2),
    )
    .expect("recorded");
    assert_eq!(outcome.left, Some(StepId("catat".into())));
    assert_eq!(
        outcome.progress.current.as_ref().map(|c| c.step.0.as_str()),
        Some("telaah")
    );

    // The same step read as "bersama" waits for the other lane.
    let mut together = sop.clone();
    together.steps[2].lane_mode = LaneMode::All;
    let outcome = engine::apply(
        &together,
        &progress,
        &Action::Complete,
        &[LaneId("email".into())],
        at(2),
    )
    .expect("one part");
    assert_eq!(outcome.left, None);
    assert_eq!(
        outcome.progress.current.as_ref().map(|c| c.step.0.as_str()),
        Some("catat")
    );
}

/// Item 11: a kegiatan begins at the start its starter chooses; by default
/// the one in their lane, so the e-mail admin is not refused.
#[test]
fn a_kegiatan_starts_where_its_starter_is() {
    let sop = letters();
    let admin_of_mail = user(&["email"]);
    let start = policy::default_start(&admin_of_mail, &sop).expect("a start of theirs");
    assert_eq!(start.id.0, "surel");
    assert!(policy::may_start_at(&admin_of_mail, start));
    let progress = engine::start(&sop, Some(&start.id), at(0)).expect("starts at surel");
    assert_eq!(
        progress.current.as_ref().map(|c| c.step.0.as_str()),
        Some("surel")
    );
    let outcome = engine::apply(
        &sop,
        &progress,
        &Action::Complete,
        &[LaneId("email".into())],
        at(1),
    )
    .expect("done");
    assert_eq!(
        outcome.progress.current.as_ref().map(|c| c.step.0.as_str()),
        Some("catat")
    );
    // The counter clerk begins at their own start; nobody may begin at a
    // step that is not a start.
    assert_eq!(
        policy::default_start(&user(&["loket"]), &sop).map(|s| s.id.0.as_str()),
        Some("langsung")
    );
    assert!(engine::start(&sop, Some(&StepId("catat".into())), at(0)).is_err());
}

/// Item 12: "-" in a date is how most originals say "not revised".
#[test]
fn a_dash_date_is_no_date() {
    let sop = letters();
    assert_eq!(sop.identity.revised, None);
    let v1 = letters_text().replace("versi_format = 2", "versi_format = 1");
    let doc = SopDocument::parse(&v1);
    assert!(
        !doc.diagnostics
            .iter()
            .any(|d| matches!(d.problem.kind, ProblemKind::InvalidDate { .. })),
        "{:?}",
        doc.diagnostics
    );
}

/// Item 13: Mutu Baku with the office's own columns and headings.
#[test]
fn mutu_baku_has_the_columns_the_office_prints() {
    let sop = letters();
    assert_eq!(sop.headings.activity, "Uraian Prosedur");
    assert_eq!(
        sop.headings.columns,
        [
            MutuBakuColumn::Time,
            MutuBakuColumn::Output,
            MutuBakuColumn::Extra {
                key: "sumber_data".into(),
                heading: "Sumber Data".into()
            }
        ]
    );
    let first = &sop.steps[0];
    assert_eq!(first.mutu_baku(&sop.headings.columns[2]), "Pemohon");
    // A value for a column the SOP does not declare is said.
    let stray = letters_text().replace("sumber_data = \"Pemohon\"", "asal = \"Pemohon\"");
    let doc = SopDocument::parse(&stray);
    assert!(doc.diagnostics.iter().any(
        |d| matches!(&d.problem.kind, ProblemKind::UnknownField { field, .. } if field == "asal")
    ));
}

/// Version 1 files still read and mean what they meant; a version 2 key in
/// one is said (and read).
#[test]
fn version_one_files_mean_what_they_meant() {
    let v1 = letters_text().replace("versi_format = 2", "versi_format = 1");
    let doc = SopDocument::parse(&v1);
    assert!(doc.diagnostics.iter().any(
        |d| matches!(&d.problem.kind, ProblemKind::NeedsVersion2 { field } if field == "sebaris")
    ));
    assert_eq!(doc.sop.rows().len(), 4);
    // An SOP needing nothing of version 2 is written as version 1.
    let plain = sample::generated(6, 2, 3, 1);
    assert!(format::write(&plain).contains("versi_format = 1"));
}

/// Item 14: both exits of a decision to the same step are said.
#[test]
fn a_decision_with_both_exits_to_one_step_is_said() {
    let twice = letters_text().replace("tidak = \"catat\"", "tidak = \"arsip\"");
    let doc = SopDocument::parse(&twice);
    assert!(
        doc.diagnostics
            .iter()
            .any(|d| d.problem.kind == ProblemKind::DecisionExitsSameTarget),
        "{:?}",
        doc.diagnostics
    );
}
