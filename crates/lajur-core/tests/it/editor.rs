//! The SOP editor's core: every sequence of edits keeps the SOP writable and
//! reading back the same; undo and redo restore it exactly; a refused edit
//! changes nothing; and the office's rules (a lane in use stays, rows keep
//! flowing to the next row when moved) hold.

use lajur_core::editor::{
    Edit, Editor, HeadingField, IdentityField, ListField, Refused, StepField,
};
use lajur_core::sop::BUNDLED;
use lajur_core::sop::format::{read, write};
use lajur_core::sop::{LaneMode, MutuBakuColumn, SignaturePlace, Sop, StepId, Symbol};
use proptest::prelude::*;

fn bundled(i: usize) -> Sop {
    read(BUNDLED[i].1).0
}

fn round_trips(sop: &Sop) -> bool {
    read(&write(sop)).0 == *sop
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-zA-Z0-9 ]{1,12}",
        Just("Surat \"Disposisi\" #1\n\\ baris dua".to_string()),
        Just("Ya".to_string()),
        Just("Tidak".to_string()),
        Just("10 Menit".to_string()),
        Just("Kepala Seksi Pemerintahan — ü ñ".to_string()),
    ]
}

fn list_field() -> impl Strategy<Value = ListField> {
    proptest::sample::select(ListField::ALL.to_vec())
}

fn step_field() -> impl Strategy<Value = StepField> {
    proptest::sample::select(StepField::ALL.to_vec())
}

fn edit() -> impl Strategy<Value = Edit> {
    let i = 0usize..14;
    prop_oneof![
        (
            proptest::sample::select(vec![
                IdentityField::Name,
                IdentityField::Number,
                IdentityField::Unit,
                IdentityField::Place,
                IdentityField::ApproverName,
                IdentityField::ApproverNip,
            ]),
            text()
        )
            .prop_map(|(f, t)| Edit::SetIdentity(f, t)),
        (list_field(), i.clone(), text()).prop_map(|(f, a, t)| Edit::ListInsert(f, a, t)),
        (list_field(), i.clone(), text()).prop_map(|(f, a, t)| Edit::ListSet(f, a, t)),
        (list_field(), i.clone()).prop_map(|(f, a)| Edit::ListRemove(f, a)),
        (list_field(), i.clone(), i.clone()).prop_map(|(f, a, b)| Edit::ListMove(f, a, b)),
        text().prop_map(Edit::AddLane),
        (i.clone(), text()).prop_map(|(a, t)| Edit::RenameLane(a, t)),
        (i.clone(), i.clone()).prop_map(|(a, b)| Edit::MoveLane(a, b)),
        i.clone().prop_map(Edit::RemoveLane),
        i.clone().prop_map(Edit::InsertStep),
        (i.clone(), i.clone()).prop_map(|(a, b)| Edit::MoveStep(a, b)),
        i.clone().prop_map(Edit::DeleteStep),
        (i.clone(), step_field(), text()).prop_map(|(a, f, t)| Edit::SetStep(a, f, t)),
        (i.clone(), proptest::sample::select(Symbol::ALL.to_vec()))
            .prop_map(|(a, s)| Edit::SetSymbol(a, s)),
        (i.clone(), i.clone()).prop_map(|(a, b)| Edit::ToggleStepLane(a, b)),
        (i.clone(), 0usize..3, text()).prop_map(|(a, e, t)| Edit::SetExitLabel(a, e, t)),
        (
            i.clone(),
            0usize..3,
            "[a-z-]{1,8}|langkah-[0-9]|mulai|selesai"
        )
            .prop_map(|(a, e, t)| Edit::SetExitTarget(a, e, StepId(t))),
        i.clone().prop_map(Edit::AddExit),
        (i.clone(), 0usize..3).prop_map(|(a, e)| Edit::RemoveExit(a, e)),
        // What real SOPs say beyond version 1 (issue 15).
        (i.clone(), any::<bool>()).prop_map(|(a, b)| Edit::SetSameRow(a, b)),
        (i.clone(), any::<bool>())
            .prop_map(|(a, b)| Edit::SetLaneMode(a, if b { LaneMode::Any } else { LaneMode::All })),
        (i.clone(), "sumber|sumber_2|kolom_baru|kelengkapan", text())
            .prop_map(|(a, k, t)| Edit::SetExtra(a, k, t)),
        (
            proptest::sample::select(vec![
                HeadingField::Activity,
                HeadingField::Requirements,
                HeadingField::Time,
                HeadingField::Output,
            ]),
            text()
        )
            .prop_map(|(f, t)| Edit::SetHeading(f, t)),
        proptest::sample::select(vec![
            MutuBakuColumn::Requirements,
            MutuBakuColumn::Time,
            MutuBakuColumn::Output,
        ])
        .prop_map(Edit::ToggleColumn),
        prop_oneof![Just("Sumber".to_string()), text()].prop_map(Edit::AddColumn),
        (0usize..5, text()).prop_map(|(c, t)| Edit::RenameColumn(c, t)),
        (0usize..5).prop_map(Edit::RemoveColumn),
        any::<bool>().prop_map(|b| Edit::SetSignaturePlace(if b {
            SignaturePlace::Identity
        } else {
            SignaturePlace::End
        })),
    ]
}

fn start() -> impl Strategy<Value = Sop> {
    prop_oneof![Just(Sop::default()), Just(bundled(0)), Just(bundled(1))]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 160,
        // Reproducible in CI; a failure prints the sequence to keep as a test.
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x4C414A5552),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_edits_keep_the_sop_writable_and_undo_restores_each_exactly(
        sop in start(),
        edits in proptest::collection::vec(edit(), 1..40),
    ) {
        let mut editor = Editor::new(sop);
        let mut history = vec![editor.sop().clone()];
        for e in edits {
            let before = editor.sop().clone();
            match editor.apply(e.clone()) {
                Ok(()) => {
                    prop_assert!(round_trips(editor.sop()), "after {e:?}:\n{}", write(editor.sop()));
                    if *editor.sop() != before {
                        // Undo gives back exactly the SOP before; redo the one after.
                        let after = editor.sop().clone();
                        prop_assert!(editor.undo());
                        prop_assert_eq!(editor.sop(), &before);
                        prop_assert!(editor.redo());
                        prop_assert_eq!(editor.sop(), &after);
                        history.push(after);
                    }
                }
                Err(_) => prop_assert_eq!(editor.sop(), &before, "a refused {:?} changed the SOP", e),
            }
        }
        // Undoing everything walks the history back to the start.
        while let Some(expected) = history.pop() {
            prop_assert_eq!(editor.sop(), &expected);
            if history.is_empty() {
                prop_assert!(!editor.undo());
            } else {
                prop_assert!(editor.undo());
            }
        }
    }
}

#[test]
fn a_lane_in_use_is_not_removed_and_the_refusal_says_where() {
    let mut editor = Editor::new(bundled(0));
    let before = editor.sop().clone();
    let refused = editor.apply(Edit::RemoveLane(0));
    let Err(Refused::LaneInUse(numbers)) = refused else {
        panic!("{refused:?}");
    };
    assert_eq!(numbers, ["1", "5", "6", "11"]);
    assert_eq!(editor.sop(), &before);
    assert!(!editor.can_undo());
    editor
        .apply(Edit::AddLane("Operator".into()))
        .expect("added");
    assert_eq!(editor.sop().lanes[3].id.0, "pelaksana-1");
    editor.apply(Edit::RemoveLane(3)).expect("unused lane goes");
    assert_eq!(editor.sop(), &before);
}

#[test]
fn inserting_moving_and_deleting_rows_keeps_the_flow_to_the_next_row() {
    let mut editor = Editor::new(bundled(0));
    let ids =
        |e: &Editor| -> Vec<String> { e.sop().steps.iter().map(|s| s.id.0.clone()).collect() };
    let next_of = |e: &Editor, i: usize| e.sop().steps[i].exits[0].target.0.clone();
    // Between rows 2 and 3: row 2 now flows into the new row, the new row on to row 3.
    let third = ids(&editor)[2].clone();
    editor.apply(Edit::InsertStep(2)).expect("inserted");
    let new = ids(&editor)[2].clone();
    assert_eq!(new, "langkah-1");
    assert_eq!(next_of(&editor, 1), new);
    assert_eq!(next_of(&editor, 2), third);
    assert_eq!(editor.sop().steps[2].lanes, editor.sop().steps[1].lanes);
    let numbers: Vec<&str> = editor
        .sop()
        .steps
        .iter()
        .map(|s| s.number.as_str())
        .collect();
    assert_eq!(
        numbers,
        [
            "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"
        ]
    );
    assert!(round_trips(editor.sop()));
    // Deleting it joins the rows again, as they were.
    editor.apply(Edit::DeleteStep(2)).expect("deleted");
    assert_eq!(editor.sop(), &bundled(0));
    // Moving a row down: each plain row still flows to the row below it.
    editor.apply(Edit::MoveStep(1, 2)).expect("moved");
    for i in [0usize, 1, 2] {
        let step = &editor.sop().steps[i];
        if step.symbol == Symbol::Process || step.symbol == Symbol::Start {
            assert_eq!(
                step.exits[0].target,
                editor.sop().steps[i + 1].id,
                "row {i}"
            );
        }
    }
    assert_eq!(editor.sop().steps[1].number, "2");
    assert!(round_trips(editor.sop()));
}

#[test]
fn a_decision_gets_ya_and_tidak_and_an_end_no_exit() {
    let mut editor = Editor::new(bundled(1));
    editor
        .apply(Edit::SetSymbol(3, Symbol::Decision))
        .expect("decision");
    let step = &editor.sop().steps[3];
    assert_eq!(step.exits.len(), 2);
    assert_eq!(
        (step.exits[0].label.as_str(), step.exits[1].label.as_str()),
        ("Ya", "Tidak")
    );
    assert_eq!(
        step.exits[1].target,
        editor.sop().steps[2].id,
        "Tidak goes back a row"
    );
    editor.apply(Edit::SetSymbol(3, Symbol::End)).expect("end");
    assert!(editor.sop().steps[3].exits.is_empty());
    assert_eq!(
        editor.apply(Edit::SetExitTarget(0, 0, StepId("tidak-ada".into()))),
        Err(Refused::NoSuchTarget)
    );
}

#[test]
fn typing_into_one_field_is_one_step_of_undo() {
    let mut editor = Editor::new(Sop::default());
    editor.apply(Edit::InsertStep(0)).expect("row");
    for text in ["M", "Me", "Men", "Meny"] {
        editor
            .type_into(Edit::SetStep(0, StepField::Activity, text.into()))
            .expect("typed");
    }
    editor
        .type_into(Edit::SetStep(0, StepField::Time, "10 Menit".into()))
        .expect("typed");
    assert_eq!(editor.sop().steps[0].activity, "Meny");
    assert!(editor.undo());
    assert_eq!(editor.sop().steps[0].time, "");
    assert_eq!(editor.sop().steps[0].activity, "Meny");
    assert!(editor.undo());
    assert_eq!(editor.sop().steps[0].activity, "");
    assert!(editor.undo());
    assert!(editor.sop().steps.is_empty());
    assert!(!editor.undo());
}

#[test]
fn rows_added_at_the_end_join_the_flow_and_a_decision_gets_its_next_row() {
    let mut editor = Editor::new(Sop::default());
    editor.apply(Edit::AddLane("Staf".into())).expect("lane");
    for at in 0..3 {
        editor.apply(Edit::InsertStep(at)).expect("row");
    }
    let sop = editor.sop();
    assert_eq!(sop.steps[0].exits[0].target, sop.steps[1].id);
    assert_eq!(sop.steps[1].exits[0].target, sop.steps[2].id);
    assert!(sop.steps[2].exits.is_empty());
    // A decision made on the last row has Ya pointing nowhere until a row follows.
    editor
        .apply(Edit::SetSymbol(2, Symbol::Decision))
        .expect("decision");
    editor.apply(Edit::InsertStep(3)).expect("row");
    let sop = editor.sop();
    assert_eq!(
        sop.steps[2].exits[0].target, sop.steps[3].id,
        "Ya goes on to the new row"
    );
    assert_eq!(
        sop.steps[2].exits[1].target, sop.steps[1].id,
        "Tidak goes back"
    );
    assert!(round_trips(sop));
}

/// A row holding several symbols is edited as such: the No column keeps
/// counting rows, deleting a row's first symbol leaves the next leading it,
/// and the office's own columns keep their values until taken out.
#[test]
fn rows_with_several_symbols_and_own_columns_are_edited() {
    let mut editor = Editor::new(bundled(0));
    // Step 2 (index 1) joins the row of step 1: the numbers after it move up.
    editor.apply(Edit::SetSameRow(1, true)).expect("joins");
    let numbers: Vec<String> = editor
        .sop()
        .steps
        .iter()
        .map(|s| s.number.clone())
        .collect();
    assert_eq!(&numbers[..4], ["1", "", "2", "3"]);
    // The row's first symbol goes: the other leads the row and is counted.
    editor.apply(Edit::DeleteStep(0)).expect("deleted");
    assert!(!editor.sop().steps[0].same_row);
    assert_eq!(editor.sop().steps[0].number, "1");
    // An office's own column: added, filled, renamed, taken out with its values.
    editor
        .apply(Edit::AddColumn("Sumber Data".into()))
        .expect("added");
    let key = match editor.sop().headings.columns.last() {
        Some(MutuBakuColumn::Extra { key, .. }) => key.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(key, "sumber_data");
    editor
        .apply(Edit::SetExtra(0, key.clone(), "Surat Lurah".into()))
        .expect("filled");
    assert!(round_trips(editor.sop()));
    assert!(write(editor.sop()).contains("sumber_data = \"Surat Lurah\""));
    let at = editor.sop().headings.columns.len() - 1;
    editor
        .apply(Edit::RenameColumn(at, "Asal Data".into()))
        .expect("renamed");
    assert_eq!(
        editor.sop().steps[0].mutu_baku(&editor.sop().headings.columns[at]),
        "Surat Lurah"
    );
    editor.apply(Edit::RemoveColumn(at)).expect("removed");
    assert!(editor.sop().steps[0].extra.is_empty());
    // A standard column taken out and back keeps the regulation's order.
    editor
        .apply(Edit::ToggleColumn(MutuBakuColumn::Requirements))
        .expect("out");
    editor
        .apply(Edit::ToggleColumn(MutuBakuColumn::Requirements))
        .expect("back");
    assert_eq!(
        editor.sop().headings.columns[0],
        MutuBakuColumn::Requirements
    );
    // An either-lane step and a labelled start.
    editor
        .apply(Edit::SetLaneMode(2, LaneMode::Any))
        .expect("either");
    editor
        .apply(Edit::SetStep(0, StepField::Label, "Via email".into()))
        .expect("label");
    assert!(round_trips(editor.sop()));
}
