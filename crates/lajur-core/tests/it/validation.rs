//! Every kind of problem is reported, at the line and column where it was written,
//! and all problems of a file come at once.

use lajur_core::locale::{Lang, problem_message};
use lajur_core::sop::{ProblemKind, Severity, SopDocument};

const BASE: &str = r#"versi_format = 1

[identitas]
nama_sop = "CONTOH"
nomor = "01/2024"
unit = "Desa Contoh"
tanggal_pembuatan = 2024-01-03
tanggal_efektif = "10 Januari 2024"

[identitas.disahkan_oleh]
jabatan = ["KEPALA DESA CONTOH"]
nama = "Budi"

[[pelaksana]]
id = "kades"
nama = "Kepala Desa"

[[pelaksana]]
id = "sekdes"
nama = "Sekretaris Desa"

[[langkah]]
id = "mulai"
kegiatan = "Memberi disposisi"
pelaksana = "kades"
simbol = "mulai"

[[langkah]]
id = "konsep"
kegiatan = "Menyusun konsep"
pelaksana = "sekdes"

[[langkah]]
id = "periksa"
kegiatan = "Memeriksa konsep"
pelaksana = "kades"
simbol = "keputusan"
ya = "tanda-tangan"
tidak = "konsep"

[[langkah]]
id = "tanda-tangan"
kegiatan = "Menandatangani"
pelaksana = ["kades", "sekdes"]
simbol = "selesai"
"#;

/// (line, column) of the first occurrence of `needle` after `after` in `text`.
fn place(text: &str, after: &str, needle: &str) -> (usize, usize) {
    let start = text
        .find(after)
        .unwrap_or_else(|| panic!("{after:?} not in text"));
    let offset = start
        + text[start..]
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let line = text[..offset].matches('\n').count() + 1;
    let col = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

fn problems(text: &str) -> Vec<(usize, usize, Severity, ProblemKind)> {
    SopDocument::parse(text)
        .diagnostics
        .into_iter()
        .map(|d| {
            (
                d.location.line,
                d.location.column,
                d.problem.severity,
                d.problem.kind,
            )
        })
        .collect()
}

fn errors(text: &str) -> Vec<(usize, usize, ProblemKind)> {
    problems(text)
        .into_iter()
        .filter(|p| p.2 == Severity::Error)
        .map(|(l, c, _, k)| (l, c, k))
        .collect()
}

fn planted(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "{from:?} not in BASE");
    BASE.replacen(from, to, 1)
}

#[test]
fn the_base_is_clean() {
    assert_eq!(problems(BASE), vec![]);
}

#[test]
fn branch_to_a_missing_step() {
    let text = planted(r#"tidak = "konsep""#, r#"tidak = "konsp""#);
    let (l, c) = place(&text, "tidak =", "\"konsp\"");
    assert_eq!(
        errors(&text),
        vec![(
            l,
            c,
            ProblemKind::UnknownTarget {
                target: lajur_core::sop::StepId("konsp".into())
            }
        )]
    );
}

#[test]
fn decision_with_one_exit() {
    let text = planted("tidak = \"konsep\"\n", "");
    let (l, c) = place(&text, "ya =", "\"tanda-tangan\"");
    let errs = errors(&text);
    assert!(
        errs.contains(&(l, c, ProblemKind::DecisionExitCount { found: 1 })),
        "{errs:?}"
    );
}

#[test]
fn decision_with_three_exits() {
    let text = planted(
        "ya = \"tanda-tangan\"\ntidak = \"konsep\"",
        "cabang = [{ label = \"Ya\", ke = \"tanda-tangan\" }, { label = \"Tidak\", ke = \"konsep\" }, { label = \"Ragu\", ke = \"mulai\" }]",
    );
    let (l, c) = place(&text, "cabang", "[");
    assert!(errors(&text).contains(&(l, c, ProblemKind::DecisionExitCount { found: 3 })));
}

#[test]
fn other_labels_than_ya_and_tidak_are_fine() {
    let text = planted(
        "ya = \"tanda-tangan\"\ntidak = \"konsep\"",
        "cabang = [{ label = \"Teknis\", ke = \"tanda-tangan\" }, { label = \"Administratif\", ke = \"konsep\" }]",
    );
    assert_eq!(problems(&text), vec![]);
    let doc = SopDocument::parse(&text);
    assert_eq!(doc.sop.steps[2].exits[1].label, "Administratif");
}

#[test]
fn step_in_an_unknown_lane() {
    let text = planted(r#"pelaksana = "sekdes""#, r#"pelaksana = "sekdess""#);
    let (l, c) = place(&text, r#"pelaksana = "sekdess""#, "\"sekdess\"");
    assert_eq!(
        errors(&text),
        vec![(
            l,
            c,
            ProblemKind::UnknownLane {
                lane: lajur_core::sop::LaneId("sekdess".into())
            }
        )]
    );
}

#[test]
fn unreachable_step() {
    // The start now jumps straight to the decision: "konsep" is only reached by the
    // Tidak loop of a step that is reached, so make it truly orphaned instead.
    let text = planted(
        "simbol = \"mulai\"\n",
        "simbol = \"mulai\"\nlanjut = \"periksa\"\n",
    );
    let text = text.replacen("tidak = \"konsep\"", "tidak = \"mulai\"", 1);
    let (l, c) = place(&text, "id = \"konsep\"", "");
    let header = place(&text, "[[langkah]]\nid = \"konsep\"", "[[langkah]]");
    assert_eq!(
        errors(&text),
        vec![(header.0, header.1, ProblemKind::Unreachable)]
    );
    assert_eq!((l, c), (header.0 + 1, 1));
}

#[test]
fn path_that_never_ends() {
    let text = planted(
        "ya = \"tanda-tangan\"\ntidak = \"konsep\"",
        "ya = \"konsep\"\ntidak = \"konsep\"",
    );
    let text = text.replacen(
        "ya = \"konsep\"\ntidak = \"konsep\"",
        "ya = \"mulai\"\ntidak = \"konsep\"",
        1,
    );
    let errs = errors(&text);
    // Nothing leads to the end any more: every step but the end loops forever, and
    // the end itself can no longer be reached.
    let step_header = |id: &str| {
        let marker = format!("[[langkah]]\nid = \"{id}\"");
        place(&text, &marker, "[[langkah]]")
    };
    for id in ["mulai", "konsep", "periksa"] {
        let (l, c) = step_header(id);
        assert!(
            errs.contains(&(l, c, ProblemKind::NeverEnds)),
            "{id}: {errs:?}"
        );
    }
    let (l, c) = step_header("tanda-tangan");
    assert!(errs.contains(&(l, c, ProblemKind::Unreachable)), "{errs:?}");
}

#[test]
fn duplicate_ids() {
    let text = planted("id = \"konsep\"", "id = \"periksa\"");
    let (l, c) = place(
        &text,
        "[[langkah]]\nid = \"periksa\"\nkegiatan = \"Memeriksa",
        "\"periksa\"",
    );
    let errs = errors(&text);
    assert!(
        errs.contains(&(
            l,
            c,
            ProblemKind::DuplicateStepId {
                id: lajur_core::sop::StepId("periksa".into())
            }
        )),
        "{errs:?}"
    );
    let text = planted("id = \"sekdes\"", "id = \"kades\"");
    let (l, c) = place(&text, "nama = \"Kepala Desa\"", "\"kades\"");
    assert!(errors(&text).contains(&(
        l,
        c,
        ProblemKind::DuplicateLaneId {
            id: lajur_core::sop::LaneId("kades".into())
        }
    )));
}

#[test]
fn unknown_fields_with_a_suggestion() {
    let text = planted(
        "kegiatan = \"Menyusun konsep\"",
        "kegiatn = \"Menyusun konsep\"",
    );
    let (l, c) = place(&text, "kegiatn", "kegiatn");
    assert!(errors(&text).contains(&(
        l,
        c,
        ProblemKind::UnknownField {
            field: "kegiatn".into(),
            suggestion: Some("kegiatan")
        }
    )));
    let text = planted("versi_format = 1\n", "versi_format = 1\nwarna = \"biru\"\n");
    assert_eq!(
        errors(&text),
        vec![(
            2,
            1,
            ProblemKind::UnknownField {
                field: "warna".into(),
                suggestion: None
            }
        )]
    );
}

#[test]
fn missing_or_unsupported_format_version() {
    let text = planted("versi_format = 1\n", "");
    assert_eq!(
        errors(&text),
        vec![(1, 1, ProblemKind::MissingFormatVersion)]
    );
    // Version 2 is read (format_version_2 tests); 3 is not known yet.
    let text = planted("versi_format = 1", "versi_format = 3");
    assert_eq!(
        errors(&text),
        vec![(
            1,
            16,
            ProblemKind::UnsupportedFormatVersion { found: "3".into() }
        )]
    );
    let text = planted("versi_format = 1", "versi_format = \"satu\"");
    assert_eq!(errors(&text).len(), 1);
}

#[test]
fn invalid_dates() {
    let text = planted(
        "tanggal_pembuatan = 2024-01-03",
        "tanggal_pembuatan = 2024-02-30",
    );
    assert_eq!(
        errors(&text),
        vec![(
            7,
            21,
            ProblemKind::InvalidDate {
                field: "tanggal_pembuatan".into(),
                text: "2024-02-30".into()
            }
        )]
    );
    let text = planted("\"10 Januari 2024\"", "\"10 Januarie 2024\"");
    assert_eq!(
        errors(&text),
        vec![(
            8,
            19,
            ProblemKind::InvalidDate {
                field: "tanggal_efektif".into(),
                text: "10 Januarie 2024".into()
            }
        )]
    );
}

#[test]
fn syntax_errors_are_located() {
    let text = planted("nomor = \"01/2024\"", "nomor = \"01/2024");
    let errs = errors(&text);
    assert!(!errs.is_empty());
    assert!(matches!(errs[0].2, ProblemKind::Syntax { .. }));
    assert_eq!(errs[0].0, 5, "{errs:?}");
}

#[test]
fn wrong_types_and_symbols() {
    let text = planted("nomor = \"01/2024\"", "nomor = [1, 2]");
    assert!(
        matches!(errors(&text)[..], [(5, 9, ProblemKind::WrongType { .. })]),
        "{:?}",
        errors(&text)
    );
    let text = planted("simbol = \"keputusan\"", "simbol = \"belah ketupat\"");
    let errs = errors(&text);
    assert!(
        errs.iter()
            .any(|e| matches!(e.2, ProblemKind::UnknownSymbol { .. })),
        "{errs:?}"
    );
}

#[test]
fn no_start_and_no_end() {
    let text = planted("simbol = \"mulai\"\n", "").replacen("simbol = \"selesai\"\n", "", 1);
    let errs = errors(&text);
    assert!(errs.contains(&(1, 1, ProblemKind::NoStart)), "{errs:?}");
    assert!(errs.contains(&(1, 1, ProblemKind::NoEnd)), "{errs:?}");
}

#[test]
fn three_planted_mistakes_come_at_once() {
    let text = planted(r#"pelaksana = "sekdes""#, r#"pelaksana = "sekdess""#)
        .replacen("tidak = \"konsep\"", "tidak = \"konsp\"", 1)
        .replacen(
            "tanggal_pembuatan = 2024-01-03",
            "tanggal_pembuatan = 2024-13-03",
            1,
        );
    let lines: Vec<usize> = errors(&text).iter().map(|e| e.0).collect();
    let expected = vec![
        place(&text, "tanggal_pembuatan", "2024-13-03").0,
        place(&text, "\"sekdess\"", "\"sekdess\"").0,
        place(&text, "\"konsp\"", "\"konsp\"").0,
    ];
    assert_eq!(lines, expected);
}

#[test]
fn multi_lane_steps_and_more_than_one_start_and_end() {
    let text = BASE.to_string()
        + "\n[[langkah]]\nid = \"mulai-2\"\nkegiatan = \"Jalur lain\"\npelaksana = [\"kades\", \"sekdes\"]\nsimbol = \"mulai\"\n\n[[langkah]]\nid = \"akhir-2\"\nkegiatan = \"Selesai lain\"\npelaksana = \"sekdes\"\nsimbol = \"selesai\"\n";
    assert_eq!(problems(&text), vec![]);
    let doc = SopDocument::parse(&text);
    assert_eq!(doc.sop.steps[4].lanes.len(), 2);
}

#[test]
fn warnings_do_not_make_a_file_invalid() {
    let text = planted("nama = \"Budi\"", "nama = \"\"");
    let doc = SopDocument::parse(&text);
    assert!(!doc.has_errors());
    assert_eq!(doc.diagnostics.len(), 1);
    assert_eq!(
        doc.diagnostics[0].problem.kind,
        ProblemKind::EmptyApproverName
    );
}

#[test]
fn every_message_reads_in_both_languages() {
    let text = planted(r#"pelaksana = "sekdes""#, r#"pelaksana = "sekdess""#);
    for d in SopDocument::parse(&text).diagnostics {
        let id = problem_message(&d.problem.kind, Lang::Id);
        let en = problem_message(&d.problem.kind, Lang::En);
        assert!(id.contains("sekdess") && en.contains("sekdess"));
        assert_ne!(id, en);
    }
}
