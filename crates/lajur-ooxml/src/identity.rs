//! The identity page read from its labelled cells: a label ("NOMOR SOP",
//! "Tgl. Pembuatan", "Dasar Hukum:") matched loosely, its value in the same
//! cell after the label, in the next filled cell to the right, or (for the
//! lists and the signature) in the cells below it; the unit from the lines of
//! the block left of the fields.

use std::collections::HashSet;

use lajur_core::sop::problem::{IdentityField, ImportNote, ImportPlace};
use lajur_core::sop::{Problem, ProblemKind, Sop, Subject};

use crate::model::{Cell, Document, Table};
use crate::text::{flat as flatten, norm as normalise};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    Number,
    Created,
    Revised,
    Effective,
    Approver,
    Name,
    LegalBasis,
    Qualifications,
    Related,
    Equipment,
    Warnings,
    Records,
}

const LABELS: &[(&str, Field)] = &[
    ("nomor sop", Field::Number),
    ("no sop", Field::Number),
    ("nomer sop", Field::Number),
    ("tanggal pembuatan", Field::Created),
    ("tgl pembuatan", Field::Created),
    ("tanggal dibuat", Field::Created),
    ("tanggal revisi", Field::Revised),
    ("tgl revisi", Field::Revised),
    ("tanggal efektif", Field::Effective),
    ("tgl efektif", Field::Effective),
    ("tanggal pengesahan", Field::Effective),
    ("tgl pengesahan", Field::Effective),
    ("tanggal berlaku", Field::Effective),
    ("disahkan oleh", Field::Approver),
    ("di sahkan oleh", Field::Approver),
    ("nama sop", Field::Name),
    ("dasar hukum", Field::LegalBasis),
    ("kualifikasi pelaksana", Field::Qualifications),
    ("kualifikasi pelaksanaan", Field::Qualifications),
    ("keterkaitan", Field::Related),
    ("peralatan perlengkapan", Field::Equipment),
    ("peralatan", Field::Equipment),
    ("perlengkapan", Field::Equipment),
    ("peringatan", Field::Warnings),
    ("pencatatan dan pendataan", Field::Records),
    ("pencatatan dan pendaftaran", Field::Records),
    ("penotaan dan pendataan", Field::Records),
    ("pencatatan", Field::Records),
    ("pendataan", Field::Records),
];

/// The label a text begins with, and the text after it (punctuation and
/// spaces after the label dropped).
fn label(text: &str) -> Option<(Field, String)> {
    let first = text.trim_start();
    // The words of the text with where each ends.
    let mut words: Vec<(String, usize)> = Vec::new();
    let mut current = String::new();
    for (i, c) in first.char_indices() {
        if c.is_alphanumeric() {
            current.extend(c.to_lowercase());
        } else if !current.is_empty() {
            words.push((std::mem::take(&mut current), i));
        }
    }
    if !current.is_empty() {
        words.push((current, first.len()));
    }
    for (words_of_label, field) in LABELS {
        let want: Vec<&str> = words_of_label.split(' ').collect();
        if words.len() < want.len() || want.iter().zip(&words).any(|(w, (have, _))| have != w) {
            continue;
        }
        let end = words[want.len() - 1].1;
        // A one-word label ("Peralatan", "Pendataan") is a label only with
        // a colon after it or alone on its line: "Pendataan Statistik
        // Pertanian" is an SOP's name.
        let after = &first[end..];
        let line_rest = after.lines().next().unwrap_or_default().trim();
        if want.len() == 1 && !line_rest.is_empty() && !line_rest.starts_with(':') {
            continue;
        }
        let rest = after
            .trim_start_matches(|c: char| c == ':' || c == '.' || c == '-' || c.is_whitespace());
        return Some((*field, rest.to_string()));
    }
    None
}

fn place(table: &Table, row: usize) -> ImportPlace {
    ImportPlace {
        part: table.part.clone(),
        row: Some(row + 1),
    }
}

fn warn(notes: &mut Vec<Problem>, place: ImportPlace, note: ImportNote, subject: Subject) {
    notes.push(Problem::warning(
        ProblemKind::Imported { place, note },
        subject,
    ));
}

/// The distinct cells of a row within columns `[c0, c1)` that start in it.
fn cells_in(table: &Table, row: usize, (c0, c1): (usize, usize)) -> Vec<&Cell> {
    let mut seen = HashSet::new();
    (c0..c1)
        .filter_map(|c| table.cell_at(row, c))
        .filter(|cell| cell.row == row && seen.insert((cell.row, cell.col)))
        .collect()
}

/// The lines of text below a label of `field`, within its columns, until
/// the next label of another field (a list of Peralatan may hold a
/// "Peralatan :" and a "Perlengkapan" cell of its own). Each Word paragraph
/// line is a line; an Excel cell is one line, its wrapped lines joined.
fn below(table: &Table, field: Field, from_row: usize, cols: (usize, usize)) -> Vec<String> {
    let mut out = Vec::new();
    for r in from_row..table.rows().min(from_row + 40) {
        let cells = cells_in(table, r, cols);
        if cells
            .iter()
            .any(|c| label(&c.text()).is_some_and(|(f, _)| f != field))
        {
            break;
        }
        for cell in cells {
            let lines: Vec<&str> = cell
                .paragraphs
                .iter()
                .flat_map(|p| p.text.lines())
                .map(str::trim)
                .collect();
            let lines: Vec<String> = if table.cell_is_one_text {
                vec![lines.join(" ")]
            } else {
                lines.into_iter().map(str::to_string).collect()
            };
            for t in lines {
                let t = t.trim();
                // A number alone (a list's numbering in its own column).
                if t.is_empty() || t.trim_end_matches('.').chars().all(|c| c.is_ascii_digit()) {
                    continue;
                }
                out.push(t.to_string());
            }
        }
    }
    out
}

/// List items from lines: each line an item, a leading "1." dropped, and a
/// line holding "1. … 2. …" split at its numbers.
fn items(lines: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines {
        for piece in split_numbered(line) {
            let piece = strip_number(&piece);
            let piece = piece.split_whitespace().collect::<Vec<_>>().join(" ");
            if !piece.is_empty() {
                out.push(piece);
            }
        }
    }
    out
}

fn strip_number(s: &str) -> String {
    let t = s.trim();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        let rest = &t[digits.len()..];
        if let Some(r) = rest.strip_prefix('.').or_else(|| rest.strip_prefix(')')) {
            return r.trim().to_string();
        }
    }
    t.to_string()
}

/// "1. A; 2. B" as ["1. A;", "2. B"] (numbers at word starts only).
fn split_numbered(line: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut expected = 2;
    for (i, w) in words.iter().enumerate() {
        let number = w.trim_end_matches(['.', ')']);
        let is_next =
            i > 0 && w.ends_with(['.', ')']) && number.parse::<usize>().ok() == Some(expected);
        if is_next && !current.is_empty() {
            out.push(std::mem::take(&mut current));
            expected += 1;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(w);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn date(
    text: &str,
    place: ImportPlace,
    field: IdentityField,
    notes: &mut Vec<Problem>,
) -> Option<chrono::NaiveDate> {
    let t = flatten(text);
    if t.is_empty() || t == "-" {
        return None;
    }
    let parsed =
        lajur_core::sop::format::parse_date_text(&t).or_else(|| lajur_core::locale::parse_date(&t));
    if parsed.is_none() {
        warn(
            notes,
            place,
            ImportNote::DateUnclear { text: t },
            Subject::Identity(field),
        );
    }
    parsed
}

/// Reads the identity into `sop` from every table but the flowchart's
/// (`flow`: its tables; their rows above `header_top` count too).
pub fn read(
    doc: &Document,
    flow: &[usize],
    header_top: usize,
    sop: &mut Sop,
    notes: &mut Vec<Problem>,
) {
    let mut found: HashSet<Field> = HashSet::new();
    let mut places: std::collections::HashMap<Field, ImportPlace> =
        std::collections::HashMap::new();
    let mut name_place: Option<(usize, usize, usize)> = None; // (table, row, label col)
    let mut number_label: Option<(usize, usize, usize)> = None;
    for (t, table) in doc.tables.iter().enumerate() {
        let rows = if flow.first() == Some(&t) {
            header_top
        } else if flow.contains(&t) {
            0
        } else {
            table.rows()
        };
        for cell in table.cells.iter().filter(|c| c.row < rows) {
            let text = cell.text();
            let Some((field, rest)) = label(&text) else {
                continue;
            };
            if found.contains(&field) {
                continue;
            }
            found.insert(field);
            let at = place(table, cell.row);
            places.insert(field, at.clone());
            let right = || -> (String, Option<(usize, usize, usize)>) {
                // The next filled cell to the right (":" cells skipped).
                let mut c = cell.col + cell.col_span;
                while c < table.cols() {
                    let Some(next) = table.cell_at(cell.row, c) else {
                        break;
                    };
                    let t = next.text();
                    if !t.trim().is_empty() && t.trim() != ":" {
                        return (t, Some((next.row, next.col, next.col + next.col_span)));
                    }
                    c = next.col + next.col_span;
                }
                (String::new(), None)
            };
            let single = |rest: &str| -> String {
                if rest.trim().is_empty() {
                    flatten(&right().0)
                } else {
                    flatten(rest)
                }
            };
            let list = |rest: &str| -> Vec<String> {
                // The label's own paragraph's rest, its other paragraphs, or
                // the cells below it.
                let mut lines: Vec<String> = Vec::new();
                if !rest.trim().is_empty() {
                    lines.extend(rest.lines().map(str::to_string));
                }
                // Lajur's own files keep a list in its box, even an empty one.
                if lines.is_empty() && !doc.lajur {
                    lines = below(
                        table,
                        field,
                        cell.row + cell.row_span,
                        (cell.col, cell.col + cell.col_span),
                    );
                }
                items(&lines)
            };
            let id = &mut sop.identity;
            match field {
                Field::Number => {
                    id.number = single(&rest);
                    number_label = Some((t, cell.row, cell.col));
                }
                Field::Name => {
                    id.name = single(&rest);
                    name_place = Some((t, cell.row, cell.col));
                }
                Field::Created => {
                    id.created = date(&single(&rest), at, IdentityField::Created, notes)
                }
                Field::Revised => {
                    id.revised = date(&single(&rest), at, IdentityField::Revised, notes)
                }
                Field::Effective => {
                    id.effective = date(&single(&rest), at, IdentityField::Effective, notes)
                }
                Field::LegalBasis => id.legal_basis = list(&rest),
                Field::Qualifications => id.qualifications = list(&rest),
                Field::Related => id.related = list(&rest),
                Field::Equipment => id.equipment = list(&rest),
                Field::Warnings => id.warnings = list(&rest),
                Field::Records => id.records = list(&rest),
                Field::Approver => {
                    // The block beside the label and the rows under it,
                    // until the next label.
                    let (first, value_at) = if rest.trim().is_empty() {
                        right()
                    } else {
                        (rest.clone(), None)
                    };
                    let mut lines: Vec<String> =
                        first.lines().map(|l| l.trim().to_string()).collect();
                    if let Some((row, c0, c1)) = value_at {
                        let end = table
                            .cell_at(row, c0)
                            .map_or(row + 1, |c| c.row + c.row_span);
                        for r in end..table.rows().min(end + 10) {
                            let label_here = cells_in(table, r, (0, c0))
                                .iter()
                                .any(|c| label(&c.text()).is_some());
                            if label_here {
                                break;
                            }
                            for c in cells_in(table, r, (c0, c1)) {
                                lines
                                    .extend(c.paragraphs.iter().map(|p| p.text.trim().to_string()));
                            }
                        }
                    }
                    let lajur_cell = value_at
                        .filter(|_| doc.lajur)
                        .and_then(|(row, c0, _)| table.cell_at(row, c0));
                    if let Some(cell) = lajur_cell {
                        // Lajur's own file: a paragraph per title line, then
                        // the name's (empty while nobody is named), then the NIP.
                        let lines: Vec<String> = cell
                            .paragraphs
                            .iter()
                            .map(|p| p.text.trim().to_string())
                            .collect();
                        let nip_at = lines
                            .iter()
                            .rposition(|l| normalise(l).starts_with("nip "))
                            .unwrap_or(lines.len());
                        let a = &mut sop.identity.approver;
                        if nip_at < lines.len() {
                            let nip = lines[nip_at]
                                .trim_start_matches(|c: char| c.is_alphabetic())
                                .trim_start_matches(['.', ':', ' '])
                                .trim()
                                .to_string();
                            a.nip = (!nip.is_empty()).then_some(nip);
                        }
                        if nip_at > 0 {
                            a.name = lines[nip_at - 1].clone();
                            a.title_lines = lines[..nip_at - 1]
                                .iter()
                                .filter(|l| !l.is_empty())
                                .cloned()
                                .collect();
                        }
                    } else {
                        approver(&lines, sop, at.clone(), notes);
                    }
                    if sop.identity.approver.name.trim().is_empty() {
                        warn(
                            notes,
                            at,
                            ImportNote::FieldEmpty {
                                field: IdentityField::ApproverName,
                            },
                            Subject::Identity(IdentityField::ApproverName),
                        );
                    }
                }
            }
        }
    }
    // The unit: the lines of the block left of the fields, top down; the
    // last is the unit, the ones above it the units above, nearest first.
    if let Some((t, row, col)) = number_label {
        let table = &doc.tables[t];
        let last_row = name_place
            .filter(|(nt, _, _)| *nt == t)
            .map_or(row + 6, |(_, r, _)| r);
        let mut seen = HashSet::new();
        let mut lines: Vec<String> = Vec::new();
        for r in 0..=last_row.min(table.rows().saturating_sub(1)) {
            for c in 0..col {
                let Some(cell) = table.cell_at(r, c) else {
                    continue;
                };
                if cell.col + cell.col_span > col || !seen.insert((cell.row, cell.col)) {
                    continue;
                }
                for p in &cell.paragraphs {
                    let line = flatten(&p.text);
                    let n = normalise(&line);
                    if line.is_empty()
                        || label(&line).is_some()
                        || n.starts_with("standar operasional")
                        || n == "sop"
                        || n.starts_with("logo")
                    {
                        continue;
                    }
                    lines.push(line);
                }
            }
        }
        if doc.lajur {
            // Lajur's own file: the unit's paragraph first, then those above it.
            let mut lines = lines.into_iter();
            if let Some(unit) = lines.next() {
                sop.identity.unit.name = unit;
                sop.identity.unit.parents = lines.collect();
            }
        } else if let Some(unit) = {
            lines = unit_names(&lines);
            lines.pop()
        } {
            sop.identity.unit.name = unit.clone();
            sop.identity.unit.parents = lines.into_iter().rev().collect();
            if !sop.identity.unit.parents.is_empty() {
                warn(
                    notes,
                    place(table, 0),
                    ImportNote::UnitGuessed { unit },
                    Subject::Document,
                );
            }
        }
    }
    for (field, identity) in [
        (Field::Name, IdentityField::Name),
        (Field::Number, IdentityField::Number),
        (Field::Approver, IdentityField::ApproverName),
    ] {
        if !found.contains(&field) {
            warn(
                notes,
                ImportPlace {
                    part: lajur_core::sop::problem::ImportPart::File,
                    row: None,
                },
                ImportNote::FieldMissing { field: identity },
                Subject::Identity(identity),
            );
        }
    }
    for (field, identity, text) in [
        (Field::Name, IdentityField::Name, sop.identity.name.clone()),
        (
            Field::Number,
            IdentityField::Number,
            sop.identity.number.clone(),
        ),
    ] {
        let Some(at) = places.get(&field) else {
            continue;
        };
        if text.trim().is_empty() {
            warn(
                notes,
                at.clone(),
                ImportNote::FieldEmpty { field: identity },
                Subject::Identity(identity),
            );
        } else if text.contains("${") || text.contains('…') {
            warn(
                notes,
                at.clone(),
                ImportNote::Placeholder { text },
                Subject::Identity(identity),
            );
        }
    }
}

/// The names of units from the lines of the block beside the fields: a
/// name broken over lines is joined (a line ending in "," or "dan", or one
/// not beginning with a word that begins a unit's name, continues the one
/// before).
fn unit_names(lines: &[String]) -> Vec<String> {
    const BEGINS: &[&str] = &[
        "pemerintah",
        "kementerian",
        "kementrian",
        "dinas",
        "badan",
        "bidang",
        "bagian",
        "direktorat",
        "deputi",
        "sekretariat",
        "kantor",
        "kecamatan",
        "kelurahan",
        "desa",
        "kalurahan",
        "kapanewon",
        "inspektorat",
        "biro",
        "pusat",
        "balai",
        "unit",
        "subbagian",
        "sub",
        "seksi",
        "satuan",
        "lembaga",
        "rumah",
        "puskesmas",
        "uptd",
        "upt",
        "kabupaten",
        "kota",
        "provinsi",
        "bps",
        "basarnas",
        "kepolisian",
        "komisi",
    ];
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        let first = normalise(line)
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_string();
        let continues = out.last().is_some_and(|prev: &String| {
            let p = normalise(prev);
            prev.trim_end().ends_with([',', '&', '-'])
                || p.ends_with(" dan")
                || !BEGINS.contains(&first.as_str())
        });
        match out.last_mut() {
            Some(prev) if continues => {
                prev.push(' ');
                prev.push_str(line.trim());
            }
            _ => out.push(line.trim().to_string()),
        }
    }
    out
}

/// The signature's lines: the title lines, then (after the room to sign and
/// any `${ttd}` placeholder) the name and the NIP. A rank line is dropped.
fn approver(lines: &[String], sop: &mut Sop, at: ImportPlace, notes: &mut Vec<Problem>) {
    let lines: Vec<String> = lines
        .iter()
        .map(|l| flatten(l))
        .filter(|l| !l.is_empty())
        .collect();
    let nip_at = lines.iter().position(|l| normalise(l).starts_with("nip"));
    let rank = |l: &str| {
        let n = normalise(l);
        ["pembina", "penata", "pengatur", "juru", "golongan"]
            .iter()
            .any(|w| n.starts_with(w))
    };
    let signature = |l: &str| {
        let n = normalise(l);
        n == "ttd" || n.starts_with("ttd ") || (l.starts_with("${") && n.contains("ttd"))
    };
    let a = &mut sop.identity.approver;
    if let Some(k) = nip_at {
        let nip = lines[k]
            .trim_start_matches(|c: char| c.is_alphabetic())
            .trim_start_matches(['.', ':', ' '])
            .trim()
            .to_string();
        a.nip = (!nip.is_empty()).then_some(nip);
    }
    let before: Vec<&String> = lines.iter().take(nip_at.unwrap_or(lines.len())).collect();
    let mut dropped = Vec::new();
    let candidates: Vec<&String> = before
        .iter()
        .copied()
        .filter(|l| {
            if rank(l) {
                dropped.push(l.to_string());
                false
            } else {
                !signature(l)
            }
        })
        .collect();
    if candidates.len() >= 2 || (nip_at.is_some() && !candidates.is_empty()) {
        let (name, titles) = candidates
            .split_last()
            .map(|(n, t)| ((*n).clone(), t.iter().map(|s| (*s).clone()).collect()))
            .unwrap_or_default();
        a.name = name;
        a.title_lines = titles;
    } else {
        a.title_lines = candidates.iter().map(|s| (*s).clone()).collect();
    }
    for text in dropped {
        warn(
            notes,
            at.clone(),
            ImportNote::SignatureLineDropped { text },
            Subject::Identity(IdentityField::ApproverName),
        );
    }
    for l in &lines {
        if l.contains("${") {
            warn(
                notes,
                at.clone(),
                ImportNote::Placeholder { text: l.clone() },
                Subject::Identity(IdentityField::ApproverName),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_matched_loosely_and_values_follow_them() {
        assert_eq!(
            label("NOMOR SOP : 01/2024").map(|l| l.1),
            Some("01/2024".into())
        );
        assert_eq!(label("Tgl. Pembuatan").map(|l| l.0), Some(Field::Created));
        assert_eq!(
            label("Dasar Hukum:1. UU 14").map(|l| l.1),
            Some("1. UU 14".into())
        );
        assert_eq!(
            label("Penotaan dan Pendataan").map(|l| l.0),
            Some(Field::Records)
        );
        assert_eq!(
            label("PENCATATAN DAN PENDAFTARAN :").map(|l| l.0),
            Some(Field::Records)
        );
        assert_eq!(
            label("Tanggal Pengesahan").map(|l| l.0),
            Some(Field::Effective)
        );
        assert!(label("Menerima berkas").is_none());
        assert!(label("PENDATAAN STATISTIK PERTANIAN TANAMAN PANGAN").is_none());
        assert_eq!(label("Pendataan :").map(|l| l.0), Some(Field::Records));
        assert_eq!(
            label("Peralatan\n1. Komputer").map(|l| l.0),
            Some(Field::Equipment)
        );
        let lines = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            unit_names(&lines(&[
                "PEMERINTAH PROVINSI",
                "KALIMANTAN UTARA",
                "DINAS KOMUNIKASI, INFORMATIKA,",
                "STATISTIK DAN PERSANDIAN"
            ])),
            [
                "PEMERINTAH PROVINSI KALIMANTAN UTARA",
                "DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN"
            ]
        );
        assert_eq!(
            unit_names(&lines(&["KECAMATAN X", "KELURAHAN Y"])),
            ["KECAMATAN X", "KELURAHAN Y"]
        );
        assert_eq!(
            items(&["1. UU No 14; 2. PP No 61".into(), "3) Perbup".into()]),
            ["UU No 14;", "PP No 61", "Perbup"]
        );
    }
}
