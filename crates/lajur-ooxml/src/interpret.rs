//! From tables and shapes to an SOP: the flowchart table found by its
//! content (a Kegiatan/Aktivitas/Uraian heading with Mutu Baku columns), its
//! columns named by their headings, each row's symbols read from the shapes
//! over its lane cells or a mark in a lane cell, the exits from the
//! connectors (glued ends, or the nearest symbol to each end), labels from
//! the text boxes nearest each line out of a decision, off-page connector
//! pairs joined into one edge; the identity from the labelled cells of the
//! other tables. Whatever is not sure becomes a located note and a guess.

use std::collections::{HashMap, HashSet};

use lajur_core::sop::problem::{ImportNote, ImportPlace, StepField};
use lajur_core::sop::{
    Exit, Lane, LaneId, LaneMode, MutuBakuColumn, MutuBakuHeadings, Problem, ProblemKind,
    SignaturePlace, Sop, Step, StepId, Subject, Symbol,
};

use crate::error::ImportError;
use crate::model::{Document, Kind, ShapeKind, Table};
use crate::text::{flat, norm};

/// A lane mark: a glyph alone in a lane cell, and whether it marks a decision.
fn mark(text: &str) -> Option<bool> {
    let t = text.trim();
    let mut chars = t.chars();
    let c = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    match c {
        '◆' | '♦' | '◇' | '⬥' => Some(true),
        '●' | '•' | '○' | '◯' | '■' | '▪' | '□' | '✓' | '✔' | '√' | 'x' | 'X' | 'v' | 'V' | '*' => {
            Some(false)
        }
        _ => None,
    }
}

fn place(table: &Table, row: Option<usize>) -> ImportPlace {
    ImportPlace {
        part: table.part.clone(),
        row: row.map(|r| r + 1),
    }
}

fn note(place: ImportPlace, note: ImportNote, subject: Subject) -> Problem {
    Problem::warning(ProblemKind::Imported { place, note }, subject)
}

const ACTIVITY: &[&str] = &[
    "kegiatan",
    "aktivitas",
    "aktivitas kegiatan",
    "uraian",
    "uraian kegiatan",
    "uraian prosedur",
    "uraian aktivitas",
    "prosedur",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    No,
    Activity,
    Requirements,
    Time,
    Output,
    Remarks,
    /// "Mutu Baku" over its columns.
    MutuGroup,
    /// "Pelaksana" over the lanes.
    LaneGroup,
}

fn role(text: &str) -> Option<Role> {
    let n = norm(text);
    if n.is_empty() {
        return None;
    }
    if ACTIVITY.contains(&n.as_str()) {
        return Some(Role::Activity);
    }
    Some(match n.as_str() {
        "no" | "nomor" | "no urut" | "nomor urut" => Role::No,
        "mutu baku" => Role::MutuGroup,
        "pelaksana" | "pelaksanaan" | "pelaku" => Role::LaneGroup,
        "keterangan" | "ket" => Role::Remarks,
        "waktu" | "waktu penyelesaian" | "waktu satuan" | "durasi" => Role::Time,
        "output" | "keluaran" | "hasil" | "output keluaran" => Role::Output,
        _ if n.contains("kelengkapan") || n.contains("persyaratan") => Role::Requirements,
        _ => return None,
    })
}

/// Where the flowchart table's columns are.
struct Columns {
    table: usize,
    /// The first row after the header.
    first_row: usize,
    header: Vec<usize>,
    no: Option<usize>,
    activity: (usize, usize),
    activity_heading: String,
    lanes: Vec<(String, usize, usize)>,
    mutu: Vec<(MutuBakuColumn, String, usize, usize)>,
    remarks: Option<(usize, usize)>,
}

fn find_columns(doc: &Document) -> Option<Columns> {
    for (t, table) in doc.tables.iter().enumerate() {
        for r in 0..table.rows().min(60) {
            let Some(act_col) = (0..table.cols()).find(|c| {
                let cell = table.cell_at(r, *c);
                cell.is_some_and(|cell| cell.row <= r && role(&cell.text()) == Some(Role::Activity))
            }) else {
                continue;
            };
            let act_cell = table.cell_at(r, act_col)?;
            // A Mutu Baku heading in this row or the next three.
            let mutu_near = (r..(r + 4).min(table.rows())).any(|rr| {
                (0..table.cols()).any(|c| {
                    matches!(
                        role(&table.text_at(rr, c)),
                        Some(Role::MutuGroup | Role::Requirements | Role::Time | Role::Output)
                    )
                })
            });
            if !mutu_near {
                continue;
            }
            let head_top = act_cell.row;
            // The header runs down while the No cell holds no number and the
            // activity cell is the heading (or empty).
            let mut first_row = head_top + act_cell.row_span;
            while first_row < table.rows() {
                let act_text = table.text_at(first_row, act_col);
                let heading_like = (0..table.cols()).any(|c| {
                    table.cell_at(first_row, c).is_some_and(|cell| {
                        cell.row == first_row && role(&cell.text()).is_some_and(|r| r != Role::No)
                    })
                });
                if heading_like && act_text.trim().is_empty() {
                    first_row += 1;
                } else {
                    break;
                }
            }
            let header: Vec<usize> = (head_top..first_row).collect();
            let mut cols = Columns {
                table: t,
                first_row,
                header: header.clone(),
                no: None,
                activity: (act_cell.col, act_cell.col + act_cell.col_span),
                activity_heading: flat(&act_cell.text()),
                lanes: Vec::new(),
                mutu: Vec::new(),
                remarks: None,
            };
            // Every heading cell of the header rows, once.
            let mut seen = HashSet::new();
            let mut lane_group: Option<(usize, usize, usize)> = None;
            let mut mutu_group: Option<(usize, usize)> = None;
            for &hr in &header {
                for c in 0..table.cols() {
                    let Some(cell) = table.cell_at(hr, c) else {
                        continue;
                    };
                    if !seen.insert((cell.row, cell.col)) {
                        continue;
                    }
                    let range = (cell.col, cell.col + cell.col_span);
                    match role(&cell.text()) {
                        Some(Role::No) => cols.no = Some(cell.col),
                        Some(Role::LaneGroup) => {
                            lane_group = Some((cell.row + cell.row_span, range.0, range.1))
                        }
                        Some(Role::MutuGroup) => mutu_group = Some(range),
                        Some(Role::Remarks) => cols.remarks = Some(range),
                        Some(Role::Requirements) => cols.mutu.push((
                            MutuBakuColumn::Requirements,
                            flat(&cell.text()),
                            range.0,
                            range.1,
                        )),
                        Some(Role::Time) => cols.mutu.push((
                            MutuBakuColumn::Time,
                            flat(&cell.text()),
                            range.0,
                            range.1,
                        )),
                        Some(Role::Output) => cols.mutu.push((
                            MutuBakuColumn::Output,
                            flat(&cell.text()),
                            range.0,
                            range.1,
                        )),
                        _ => {}
                    }
                }
            }
            // The office's own Mutu Baku columns: headings under the group
            // that are none of the three.
            if let Some((g0, g1)) = mutu_group {
                let low = *header.last().unwrap_or(&head_top);
                let mut seen_low = HashSet::new();
                for c in g0..g1 {
                    let Some(cell) = table.cell_at(low, c) else {
                        continue;
                    };
                    if !seen_low.insert((cell.row, cell.col)) || cell.row + cell.row_span <= low {
                        continue;
                    }
                    let taken = cols.mutu.iter().any(|m| m.2 == cell.col);
                    let text = flat(&cell.text());
                    if !taken && !text.is_empty() && role(&text).is_none() && cell.col >= g0 {
                        let key = slug(&text).replace('-', "_");
                        let key = if key.is_empty() {
                            format!("kolom_{}", cols.mutu.len() + 1)
                        } else {
                            key
                        };
                        cols.mutu.push((
                            MutuBakuColumn::Extra {
                                key,
                                heading: text.clone(),
                            },
                            text,
                            cell.col,
                            cell.col + cell.col_span,
                        ));
                    }
                }
            }
            cols.mutu.sort_by_key(|m| m.2);
            let first_mutu = cols
                .mutu
                .iter()
                .map(|m| m.2)
                .chain(mutu_group.map(|g| g.0))
                .chain(cols.remarks.map(|r| r.0))
                .min()
                .unwrap_or(table.cols());
            // Lanes: the cells of the lane row lying wholly between the
            // activity column and the first Mutu Baku column.
            let lane_row = lane_group
                .map(|(row, _, _)| row.min(first_row.saturating_sub(1)))
                .unwrap_or(*header.last().unwrap_or(&head_top));
            let mut seen_lane = HashSet::new();
            for c in cols.activity.1..first_mutu {
                let Some(cell) = table.cell_at(lane_row, c) else {
                    continue;
                };
                if !seen_lane.insert((cell.row, cell.col)) {
                    continue;
                }
                let (c0, c1) = (cell.col, cell.col + cell.col_span);
                if c0 < cols.activity.1 || c1 > first_mutu {
                    continue;
                }
                let text = flat(&cell.text());
                if role(&text) == Some(Role::LaneGroup) {
                    continue;
                }
                cols.lanes.push((text, c0, c1));
            }
            if cols.lanes.is_empty() {
                continue;
            }
            return Some(cols);
        }
    }
    None
}

/// A short id from words: lowercase ASCII letters and digits joined by dashes.
fn slug(text: &str) -> String {
    let words: Vec<String> = norm(text)
        .split(' ')
        .map(|w| {
            w.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .take(3)
        .collect();
    words.join("-")
}

fn unique(base: &str, taken: &mut HashSet<String>) -> String {
    let base = if base.is_empty() {
        "x".to_string()
    } else {
        base.to_string()
    };
    if taken.insert(base.clone()) {
        return base;
    }
    for n in 2.. {
        let candidate = format!("{base}-{n}");
        if taken.insert(candidate.clone()) {
            return candidate;
        }
    }
    base
}

/// A symbol found in a row.
#[derive(Debug, Clone)]
struct Found {
    kind: ShapeKind,
    /// Lane indexes (a mark in several lanes, or shapes joined in a row).
    lanes: Vec<usize>,
    mode: LaneMode,
    x: f64,
    /// The shape drawn (None for a mark).
    shape: Option<usize>,
    text: String,
    /// The id Lajur's own files give a step in the shape's name.
    given_id: Option<String>,
    /// The step's words Lajur's own files keep in the shape's description.
    alt: String,
    /// Drawn as one more shape of another symbol of the row (a step done by
    /// several lanes): that symbol's index.
    into: Option<usize>,
}

/// A data row of the flowchart table.
struct Row {
    table: usize,
    row: usize,
    number: String,
    activity: String,
    mutu: Vec<String>,
    remarks: String,
    found: Vec<Found>,
}

pub fn interpret(doc: &Document, kind: Kind) -> Result<(Sop, Vec<Problem>), ImportError> {
    let cols = find_columns(doc).ok_or(ImportError::NotAnSop)?;
    let mut notes: Vec<Problem> = Vec::new();
    let main = &doc.tables[cols.table];
    let whole = |table: &Table| place(table, None);

    // The tables the flowchart runs over: its own, then any that go on with
    // the same columns (a table split at a page in Word).
    let mut parts = vec![cols.table];
    if kind == Kind::Word {
        for (t, table) in doc.tables.iter().enumerate().skip(cols.table + 1) {
            if table.cols() == main.cols() && table.col_edges.len() == main.col_edges.len() {
                parts.push(t);
            } else {
                break;
            }
        }
    }

    // Rows, with their texts.
    let mut rows: Vec<Row> = Vec::new();
    for &t in &parts {
        let table = &doc.tables[t];
        // A table going on from the first repeats its header (Word's
        // "repeat as header row"): skipped.
        let start = if t == cols.table {
            cols.first_row
        } else {
            table.header_rows
        };
        for r in start..table.rows() {
            let text = |range: (usize, usize)| -> String {
                let mut seen = HashSet::new();
                (range.0..range.1)
                    .filter_map(|c| {
                        table
                            .cell_at(r, c)
                            .filter(|cell| seen.insert((cell.row, cell.col)) && cell.row == r)
                    })
                    .map(|cell| {
                        if doc.lajur {
                            // Lajur's files keep a line the words break as
                            // a paragraph of its own.
                            cell.text()
                                .lines()
                                .map(flat)
                                .filter(|l| !l.is_empty())
                                .collect::<Vec<_>>()
                                .join("\n")
                        } else {
                            flat(&cell.text())
                        }
                    })
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let activity = text(cols.activity);
            // A header repeated on a later page, a "Total waktu" row.
            if flat(&activity) == cols.activity_heading {
                continue;
            }
            let all: Vec<String> = (0..table.cols())
                .map(|c| norm(&table.text_at(r, c)))
                .collect();
            if all.iter().any(|t| t.starts_with("total")) {
                continue;
            }
            let number = cols
                .no
                .map(|c| flat(&table.text_at(r, c)))
                .unwrap_or_default();
            let mutu: Vec<String> = cols.mutu.iter().map(|m| text((m.2, m.3))).collect();
            let remarks = cols.remarks.map(text).unwrap_or_default();
            rows.push(Row {
                table: t,
                row: r,
                number,
                activity,
                mutu,
                remarks,
                found: Vec::new(),
            });
        }
    }

    // Symbols: marks in lane cells, shapes over lane cells.
    let lane_of_col = |c: usize| cols.lanes.iter().position(|l| c >= l.1 && c < l.2);
    let mut joints: Vec<(usize, usize)> = Vec::new(); // (table, shape index)
    let mut symbol_shapes: HashMap<(usize, usize), (usize, usize)> = HashMap::new(); // shape → (row, found)
    for (ri, row) in rows.iter_mut().enumerate() {
        let table = &doc.tables[row.table];
        for (li, lane) in cols.lanes.iter().enumerate() {
            let mut seen = HashSet::new();
            for c in lane.1..lane.2 {
                let Some(cell) = table.cell_at(row.row, c) else {
                    continue;
                };
                if !seen.insert((cell.row, cell.col)) {
                    continue;
                }
                if let Some(decision) = mark(&cell.text()) {
                    let x = table.col_edges.get(lane.1).copied().unwrap_or(0.0) + li as f64;
                    row.found.push(Found {
                        kind: if decision {
                            ShapeKind::Decision
                        } else {
                            ShapeKind::Process
                        },
                        lanes: vec![li],
                        mode: LaneMode::All,
                        x,
                        shape: None,
                        text: String::new(),
                        given_id: None,
                        alt: String::new(),
                        into: None,
                    });
                }
            }
        }
        let _ = ri;
    }
    // Shapes: each table's, placed by row (Word: the anchor's row; Excel:
    // the centre's) and by lane (the centre's column).
    for &t in &parts {
        let table = &doc.tables[t];
        for (si, shape) in table.shapes.iter().enumerate() {
            let (cx, _) = shape.centre();
            match shape.kind {
                ShapeKind::OffPage => {
                    joints.push((t, si));
                    continue;
                }
                ShapeKind::Connector | ShapeKind::Label => continue,
                _ => {}
            }
            let Some((sr, _)) = shape.cell else { continue };
            let lane = table.col_of(cx).and_then(lane_of_col);
            let row_index = rows.iter().position(|r| r.table == t && r.row == sr);
            let (Some(lane), Some(ri), false) = (lane, row_index, shape.invisible) else {
                if !(shape.invisible && shape.text.is_empty() && shape.kind != ShapeKind::Other)
                    || lane.is_none()
                {
                    notes.push(note(
                        place(table, Some(sr)),
                        ImportNote::ShapeIgnored {
                            text: shape.text.clone(),
                        },
                        Subject::Document,
                    ));
                }
                continue;
            };
            if shape.kind == ShapeKind::Other {
                notes.push(note(
                    place(table, Some(sr)),
                    ImportNote::PictureAsProcess,
                    Subject::Document,
                ));
            }
            let given_id = shape
                .name
                .strip_prefix("Lajur:")
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty());
            let row = &mut rows[ri];
            row.found.push(Found {
                kind: shape.kind,
                lanes: vec![lane],
                mode: LaneMode::All,
                // Lajur's files draw a row's symbols in the SOP's order.
                x: match (doc.lajur, shape.id) {
                    (true, Some(order)) => f64::from(order),
                    _ => cx,
                },
                shape: Some(si),
                text: shape.text.clone(),
                // Lajur writes the words of a step sharing a row in the
                // shape's description.
                alt: if given_id.is_some() {
                    shape.alt.clone()
                } else {
                    String::new()
                },
                given_id,
                into: None,
            });
            symbol_shapes.insert((t, si), (ri, row.found.len() - 1));
        }
    }

    // Connectors, resolved to symbols or joints.
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum End {
        Symbol(usize, usize), // (row, found)
        Joint(usize, usize),  // (table, shape)
    }
    struct Edge {
        from: Option<End>,
        to: Option<End>,
        start: (f64, f64),
        table: usize,
        row: Option<usize>,
        label: String,
        dashed: bool,
    }
    let mut edges: Vec<Edge> = Vec::new();
    let mut any_connector = false;
    for &t in &parts {
        let table = &doc.tables[t];
        let by_id: HashMap<u32, usize> = table
            .shapes
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.id.map(|id| (id, i)))
            .collect();
        let end_of = |shape_index: usize| -> Option<End> {
            if let Some((ri, fi)) = symbol_shapes.get(&(t, shape_index)) {
                return Some(End::Symbol(*ri, *fi));
            }
            (table.shapes.get(shape_index)?.kind == ShapeKind::OffPage)
                .then_some(End::Joint(t, shape_index))
        };
        // The symbol or joint nearest a point (y counts less where it is
        // estimated), within reach.
        let nearest = |p: (f64, f64), not: Option<End>| -> Option<End> {
            let wy = if table.y_estimated { 0.35 } else { 1.0 };
            let reach = if table.y_estimated {
                700_000.0
            } else {
                450_000.0
            };
            table
                .shapes
                .iter()
                .enumerate()
                .filter_map(|(i, s)| end_of(i).map(|e| (e, s)))
                .filter(|(e, _)| Some(*e) != not)
                .map(|(e, s)| {
                    let (l, tp, r, b) = s.bbox;
                    let dx = if p.0 < l {
                        l - p.0
                    } else if p.0 > r {
                        p.0 - r
                    } else {
                        0.0
                    };
                    let dy = if p.1 < tp {
                        tp - p.1
                    } else if p.1 > b {
                        p.1 - b
                    } else {
                        0.0
                    };
                    (e, dx + wy * dy)
                })
                .filter(|(_, d)| *d <= reach)
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(e, _)| e)
        };
        for s in table
            .shapes
            .iter()
            .filter(|s| s.kind == ShapeKind::Connector)
        {
            any_connector = true;
            let (mut a, mut b) = (s.start, s.end);
            let (mut ga, mut gb) = (s.glued_start, s.glued_end);
            if s.head_at_start {
                std::mem::swap(&mut a, &mut b);
                std::mem::swap(&mut ga, &mut gb);
            }
            let from = ga
                .and_then(|id| by_id.get(&id))
                .and_then(|i| end_of(*i))
                .or_else(|| nearest(a, None));
            let to = gb
                .and_then(|id| by_id.get(&id))
                .and_then(|i| end_of(*i))
                .or_else(|| nearest(b, from));
            edges.push(Edge {
                from,
                to,
                start: a,
                table: t,
                row: s.cell.map(|c| c.0),
                // Lajur's own files name a decision's exit in the arrow's
                // description; the label beside it is only for the eye.
                label: if doc.lajur && !s.alt.is_empty() {
                    s.alt.clone()
                } else {
                    s.text.clone()
                },
                dashed: s.dashed,
            });
        }
    }

    // Lajur's own files draw a step done by several lanes as one shape per
    // lane, each named with the step's id, joined by a line (dashed when
    // whichever lane has the case does it): one step.
    for (ri, row) in rows.iter_mut().enumerate() {
        let mut first_of: HashMap<String, usize> = HashMap::new();
        for i in 0..row.found.len() {
            let Some(id) = row.found[i].given_id.clone() else {
                continue;
            };
            match first_of.get(&id).copied() {
                Some(f) => {
                    let lanes = row.found[i].lanes.clone();
                    row.found[f].lanes.extend(lanes);
                    row.found[i].into = Some(f);
                    let dashed = edges.iter().any(|e| {
                        e.dashed
                            && matches!((e.from, e.to), (Some(End::Symbol(r1, a)), Some(End::Symbol(r2, b)))
                                if r1 == ri && r2 == ri && ((a == f && b == i) || (a == i && b == f)))
                    });
                    if dashed {
                        row.found[f].mode = LaneMode::Any;
                    }
                }
                None => {
                    first_of.insert(id, i);
                }
            }
        }
    }
    // A join is not an arrow: lines between shapes of one step are dropped.
    edges.retain(|e| {
        !matches!((e.from, e.to), (Some(End::Symbol(r1, a)), Some(End::Symbol(r2, b)))
            if r1 == r2 && (rows[r1].found[a].into == Some(b) || rows[r1].found[b].into == Some(a)
                || (rows[r1].found[a].into.is_some() && rows[r1].found[a].into == rows[r1].found[b].into)))
    });

    // Several marks of one kind in a row: one step of those lanes.
    let mut several_lanes_rows: Vec<usize> = Vec::new();
    for (ri, row) in rows.iter_mut().enumerate() {
        let marks: Vec<usize> = (0..row.found.len())
            .filter(|i| row.found[*i].shape.is_none())
            .collect();
        if marks.len() > 1 {
            let kinds: HashSet<bool> = marks
                .iter()
                .map(|i| row.found[*i].kind == ShapeKind::Decision)
                .collect();
            if kinds.len() == 1 {
                let lanes: Vec<usize> = marks
                    .iter()
                    .flat_map(|i| row.found[*i].lanes.clone())
                    .collect();
                let first = marks[0];
                row.found[first].lanes = lanes;
                for i in marks.iter().skip(1).rev() {
                    row.found.remove(*i);
                }
                several_lanes_rows.push(ri);
            }
        }
    }

    // Steps.
    let mut sop = Sop::default();
    let mut lane_ids = HashSet::new();
    sop.lanes = cols
        .lanes
        .iter()
        .map(|(name, _, _)| Lane {
            id: LaneId(unique(&slug(name), &mut lane_ids)),
            name: name.clone(),
        })
        .collect();
    let mut step_ids = HashSet::new();
    // (row, found) → step index.
    let mut step_of: HashMap<(usize, usize), usize> = HashMap::new();
    let mut last_lane = 0usize;
    let mut empty_rows = Vec::new();
    for (ri, row) in rows.iter_mut().enumerate() {
        let has_text = !row.number.is_empty() || !row.activity.is_empty();
        if row.found.is_empty() {
            if !has_text {
                empty_rows.push(ri);
                continue; // a row only for page joints, or a blank one
            }
            // A row with words but no symbol: a process, in the lane its
            // words name or the lane of the row before.
            let lane = sop
                .lanes
                .iter()
                .position(|l| !l.name.is_empty() && norm(&row.activity).contains(&norm(&l.name)))
                .unwrap_or(last_lane);
            row.found.push(Found {
                kind: ShapeKind::Process,
                lanes: vec![lane],
                mode: LaneMode::All,
                x: 0.0,
                shape: None,
                text: String::new(),
                given_id: None,
                alt: String::new(),
                into: None,
            });
            notes.push(note(
                place(&doc.tables[row.table], Some(row.row)),
                ImportNote::NoSymbol {
                    lane: sop
                        .lanes
                        .get(lane)
                        .map(|l| l.name.clone())
                        .unwrap_or_default(),
                },
                Subject::Step {
                    index: sop.steps.len(),
                    field: StepField::Lanes,
                },
            ));
        }
        // Left to right (the symbols drawn again for more lanes left out).
        let mut order: Vec<usize> = (0..row.found.len())
            .filter(|i| row.found[*i].into.is_none())
            .collect();
        order.sort_by(|a, b| row.found[*a].x.total_cmp(&row.found[*b].x));
        for (k, fi) in order.iter().enumerate() {
            let f = &row.found[*fi];
            let leads = k == 0;
            let base = match (&f.given_id, row.number.is_empty()) {
                (Some(id), _) => id.clone(),
                (None, false) => format!("langkah-{}", slug(&row.number)),
                (None, true) => format!("langkah-{}", sop.steps.len() + 1),
            };
            let base = if leads || f.given_id.is_some() {
                base
            } else {
                format!("{base}-{}", (b'a' + k as u8) as char)
            };
            let id = unique(&base, &mut step_ids);
            let mut lanes: Vec<usize> = f.lanes.clone();
            lanes.sort_unstable();
            lanes.dedup();
            if let Some(l) = lanes.first() {
                last_lane = *l;
            }
            let mut step = Step {
                id: StepId(id),
                number: if leads {
                    row.number.clone()
                } else {
                    String::new()
                },
                activity: if leads {
                    row.activity.clone()
                } else if doc.lajur && f.given_id.is_some() {
                    f.alt.clone()
                } else {
                    f.text.clone()
                },
                lanes: lanes
                    .iter()
                    .filter_map(|l| sop.lanes.get(*l).map(|l| l.id.clone()))
                    .collect(),
                lane_mode: f.mode,
                same_row: !leads,
                symbol: match f.kind {
                    ShapeKind::Decision => Symbol::Decision,
                    ShapeKind::Terminator => Symbol::Start, // start or end: below
                    _ => Symbol::Process,
                },
                ..Step::default()
            };
            if leads {
                for (m, value) in cols.mutu.iter().zip(&row.mutu) {
                    match &m.0 {
                        MutuBakuColumn::Requirements => step.requirements = value.clone(),
                        MutuBakuColumn::Time => step.time = value.clone(),
                        MutuBakuColumn::Output => step.output = value.clone(),
                        MutuBakuColumn::Extra { key, .. } => {
                            if !value.is_empty() {
                                step.extra.push((key.clone(), value.clone()));
                            }
                        }
                    }
                }
                step.remarks = row.remarks.clone();
            }
            // Words in a capsule other than Mulai/Selesai are its label.
            if f.kind == ShapeKind::Terminator {
                let words = norm(&f.text);
                // Lajur prints MULAI and SELESAI where a capsule has no
                // words of its own; other files use these English words too.
                let default = if doc.lajur {
                    matches!(words.as_str(), "mulai" | "selesai")
                } else {
                    matches!(
                        words.as_str(),
                        "mulai" | "selesai" | "start" | "stop" | "end" | "finish"
                    )
                };
                if !words.is_empty() && !default {
                    step.label = flat(&f.text);
                }
            }
            step_of.insert((ri, *fi), sop.steps.len());
            for (other, f2) in row.found.iter().enumerate() {
                if f2.into == Some(*fi) {
                    step_of.insert((ri, other), sop.steps.len());
                }
            }
            sop.steps.push(step);
        }
    }
    for ri in several_lanes_rows {
        if let Some(step) = step_of
            .iter()
            .filter(|((r, _), _)| *r == ri)
            .map(|(_, s)| *s)
            .min()
        {
            notes.push(note(
                place(&doc.tables[rows[ri].table], Some(rows[ri].row)),
                ImportNote::SeveralLanes,
                Subject::Step {
                    index: step,
                    field: StepField::Lanes,
                },
            ));
        }
    }
    let _ = &empty_rows;
    let n = sop.steps.len();
    if n == 0 {
        return Err(ImportError::NotAnSop);
    }
    let number_of = |sop: &Sop, i: usize| -> String {
        let leader = sop.row_leader(i);
        sop.steps
            .get(leader)
            .map(|s| {
                if s.number.is_empty() {
                    s.id.0.clone()
                } else {
                    s.number.clone()
                }
            })
            .unwrap_or_default()
    };

    // Edges between steps: through off-page joint pairs where needed.
    let step_at = |e: Option<End>| -> Option<usize> {
        match e {
            Some(End::Symbol(r, f)) => step_of.get(&(r, f)).copied(),
            _ => None,
        }
    };
    // Joints: the edge into each, the edge out of each.
    let mut into_joint: HashMap<(usize, usize), usize> = HashMap::new();
    let mut out_of_joint: HashMap<(usize, usize), usize> = HashMap::new();
    for (k, e) in edges.iter().enumerate() {
        if let Some(End::Joint(t, s)) = e.to {
            into_joint.insert((t, s), k);
        }
        if let Some(End::Joint(t, s)) = e.from {
            out_of_joint.insert((t, s), k);
        }
    }
    // Pair each joint arrived at with a joint left from: the same letter,
    // else the next one below it.
    let mut pairs: HashMap<usize, usize> = HashMap::new(); // edge in → edge out
    let mut used_out = HashSet::new();
    let mut ins: Vec<(&(usize, usize), &usize)> = into_joint.iter().collect();
    ins.sort();
    for ((t, s), k_in) in ins {
        let shape = &doc.tables[*t].shapes[*s];
        let candidates: Vec<(&(usize, usize), &usize)> = out_of_joint
            .iter()
            .filter(|(j, _)| !used_out.contains(*j) && *j != &(*t, *s))
            .collect();
        let same_letter = candidates.iter().find(|((t2, s2), _)| {
            let other = &doc.tables[*t2].shapes[*s2];
            !shape.text.trim().is_empty() && norm(&other.text) == norm(&shape.text)
        });
        let chosen = same_letter.copied().or_else(|| {
            candidates
                .iter()
                .filter(|((t2, s2), _)| {
                    (*t2, doc.tables[*t2].shapes[*s2].centre().1) >= (*t, shape.centre().1)
                })
                .min_by(|a, b| {
                    let ya = (a.0.0, doc.tables[a.0.0].shapes[a.0.1].centre().1);
                    let yb = (b.0.0, doc.tables[b.0.0].shapes[b.0.1].centre().1);
                    ya.partial_cmp(&yb).unwrap_or(std::cmp::Ordering::Equal)
                })
                .copied()
        });
        if let Some((j, k_out)) = chosen {
            used_out.insert(*j);
            pairs.insert(*k_in, *k_out);
        }
    }
    let mut resolved: Vec<(usize, usize, String, usize)> = Vec::new(); // (from step, to step, label, edge)
    let mut unclear: Vec<(usize, usize)> = Vec::new(); // (from step, edge)
    for (k, e) in edges.iter().enumerate() {
        let Some(from) = step_at(e.from) else {
            continue;
        };
        let to = match e.to {
            Some(End::Joint(..)) => pairs.get(&k).and_then(|k_out| step_at(edges[*k_out].to)),
            other => step_at(other),
        };
        let Some(to) = to else {
            unclear.push((from, k));
            continue;
        };
        if to == from {
            continue;
        }
        resolved.push((from, to, e.label.trim().to_string(), k));
    }

    // Labels of decisions' lines without words of their own: the text box
    // nearest the start of each line, the nearest pairs first (a label goes
    // to one line; a line takes the closest label no nearer line wants).
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new(); // (distance, resolved index, shape)
    for (r, (from, _, label, k)) in resolved.iter().enumerate() {
        if !label.is_empty() || sop.steps[*from].symbol != Symbol::Decision {
            continue;
        }
        let e = &edges[*k];
        for (i, s) in doc.tables[e.table].shapes.iter().enumerate() {
            if s.kind != ShapeKind::Label || s.text.trim().is_empty() {
                continue;
            }
            let (l, t, rr, b) = s.bbox;
            let p = e.start;
            let dx = if p.0 < l {
                l - p.0
            } else if p.0 > rr {
                p.0 - rr
            } else {
                0.0
            };
            let dy = if p.1 < t {
                t - p.1
            } else if p.1 > b {
                p.1 - b
            } else {
                0.0
            };
            let d = dx + dy;
            if d <= 500_000.0 {
                candidates.push((d, r, i));
            }
        }
    }
    candidates.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut labelled: HashSet<usize> = HashSet::new();
    let mut labels_used: HashSet<(usize, usize)> = HashSet::new();
    for (_, r, i) in candidates {
        let table = edges[resolved[r].3].table;
        if labelled.contains(&r) || labels_used.contains(&(table, i)) {
            continue;
        }
        labelled.insert(r);
        labels_used.insert((table, i));
        resolved[r].2 = flat(&doc.tables[table].shapes[i].text);
    }

    // Exits, step by step.
    let next_of = |i: usize| -> Option<usize> { (i + 1 < n).then_some(i + 1) };
    let mut outgoing: HashMap<usize, Vec<(usize, String, usize)>> = HashMap::new();
    let mut incoming: HashMap<usize, usize> = HashMap::new();
    for (from, to, label, k) in &resolved {
        outgoing
            .entry(*from)
            .or_default()
            .push((*to, label.clone(), *k));
        *incoming.entry(*to).or_default() += 1;
    }
    // Starts and ends: a capsule with no way in begins, one with no way out
    // ends; without arrows, the first begins and the last ends.
    let capsules: Vec<usize> = (0..n)
        .filter(|i| sop.steps[*i].symbol == Symbol::Start)
        .collect();
    if any_connector && !resolved.is_empty() {
        for &i in &capsules {
            let ins = incoming.get(&i).copied().unwrap_or(0);
            let outs = outgoing.get(&i).map_or(0, Vec::len);
            sop.steps[i].symbol = if outs == 0 || (ins > 0 && i + 1 == n) {
                Symbol::End
            } else {
                Symbol::Start
            };
        }
    } else {
        for (k, &i) in capsules.iter().enumerate() {
            if k > 0 || i + 1 == n {
                sop.steps[i].symbol = Symbol::End;
            }
        }
    }
    let has_start = sop.steps.iter().any(|s| s.symbol == Symbol::Start);
    let has_end = sop.steps.iter().any(|s| s.symbol == Symbol::End);
    if !has_start || !has_end {
        if !has_start && sop.steps[0].symbol == Symbol::Process {
            sop.steps[0].symbol = Symbol::Start;
        }
        if !has_end && sop.steps[n - 1].symbol == Symbol::Process {
            sop.steps[n - 1].symbol = Symbol::End;
        }
        notes.push(note(
            whole(main),
            ImportNote::StartEndGuessed,
            Subject::Step {
                index: 0,
                field: StepField::Symbol,
            },
        ));
    }
    if !any_connector {
        notes.push(note(whole(main), ImportNote::NoArrows, Subject::Document));
    }
    for (from, k) in &unclear {
        let e = &edges[*k];
        let proposed = next_of(*from);
        if let Some(to) = proposed {
            outgoing
                .entry(*from)
                .or_default()
                .push((to, e.label.clone(), *k));
        }
        notes.push(note(
            place(&doc.tables[e.table], e.row),
            ImportNote::UnclearTarget {
                label: e.label.clone(),
                proposed: proposed.map(|p| number_of(&sop, p)).unwrap_or_default(),
            },
            Subject::Step {
                index: *from,
                field: StepField::Exits,
            },
        ));
    }
    for i in 0..n {
        let symbol = sop.steps[i].symbol;
        let row_place = step_row(&rows, &step_of, i)
            .map(|(t, r)| place(&doc.tables[t], Some(r)))
            .unwrap_or_else(|| whole(main));
        let mut outs = outgoing.remove(&i).unwrap_or_default();
        // The way down the page first.
        outs.sort_by_key(|(to, _, _)| if *to > i { (0, *to) } else { (1, *to) });
        match symbol {
            Symbol::End => {}
            Symbol::Decision => {
                if outs.is_empty() {
                    let yes = next_of(i);
                    let no = i.checked_sub(1);
                    for (target, label) in [(yes, "Ya"), (no, "Tidak")] {
                        if let Some(t) = target {
                            {
                                let target = sop.steps[t].id.clone();
                                sop.steps[i].exits.push(Exit {
                                    label: label.into(),
                                    target,
                                });
                            }
                        }
                    }
                    notes.push(note(
                        row_place,
                        ImportNote::DecisionExitsProposed {
                            yes: yes.map(|t| number_of(&sop, t)).unwrap_or_default(),
                            no: no.map(|t| number_of(&sop, t)).unwrap_or_default(),
                        },
                        Subject::Step {
                            index: i,
                            field: StepField::Exits,
                        },
                    ));
                    continue;
                }
                // Labels supposed where none were found: Ya down, Tidak back.
                let mut guessed = Vec::new();
                let has_yes = outs.iter().any(|o| norm(&o.1) == "ya");
                for o in outs.iter_mut() {
                    if o.1.is_empty() {
                        let label = if !has_yes && o.0 > i && !guessed.contains(&"Ya") {
                            "Ya"
                        } else {
                            "Tidak"
                        };
                        o.1 = label.to_string();
                        guessed.push(label);
                    }
                }
                for g in guessed {
                    notes.push(note(
                        row_place.clone(),
                        ImportNote::ExitLabelGuessed {
                            label: g.to_string(),
                        },
                        Subject::Step {
                            index: i,
                            field: StepField::Exits,
                        },
                    ));
                }
                if outs.len() == 1 {
                    let other = if outs[0].0 > i {
                        i.checked_sub(1)
                    } else {
                        next_of(i)
                    };
                    if let Some(t) = other {
                        let label = if norm(&outs[0].1) == "ya" {
                            "Tidak"
                        } else {
                            "Ya"
                        };
                        outs.push((t, label.to_string(), usize::MAX));
                        notes.push(note(
                            row_place.clone(),
                            ImportNote::UnclearTarget {
                                label: label.to_string(),
                                proposed: number_of(&sop, t),
                            },
                            Subject::Step {
                                index: i,
                                field: StepField::Exits,
                            },
                        ));
                    }
                }
                for (to, label, _) in outs {
                    {
                        let target = sop.steps[to].id.clone();
                        sop.steps[i].exits.push(Exit { label, target });
                    }
                }
            }
            Symbol::Start | Symbol::Process => {
                if symbol == Symbol::Process
                    && !any_connector
                    && reads_like_decision(&sop.steps[i].activity)
                {
                    notes.push(note(
                        row_place.clone(),
                        ImportNote::ReadsLikeDecision,
                        Subject::Step {
                            index: i,
                            field: StepField::Symbol,
                        },
                    ));
                }
                if let Some((to, _, _)) = outs.first() {
                    {
                        let target = sop.steps[*to].id.clone();
                        sop.steps[i].exits.push(Exit {
                            label: String::new(),
                            target,
                        });
                    }
                    for (extra, _, _) in outs.iter().skip(1) {
                        notes.push(note(
                            row_place.clone(),
                            ImportNote::ExtraExit {
                                target: number_of(&sop, *extra),
                            },
                            Subject::Step {
                                index: i,
                                field: StepField::Exits,
                            },
                        ));
                    }
                } else if let Some(t) = next_of(i) {
                    {
                        let target = sop.steps[t].id.clone();
                        sop.steps[i].exits.push(Exit {
                            label: String::new(),
                            target,
                        });
                    }
                    if any_connector {
                        notes.push(note(
                            row_place,
                            ImportNote::NoArrowOut {
                                proposed: number_of(&sop, t),
                            },
                            Subject::Step {
                                index: i,
                                field: StepField::Exits,
                            },
                        ));
                    }
                }
            }
        }
    }
    for (li, lane) in sop.lanes.iter().enumerate() {
        let used = sop.steps.iter().any(|s| s.lanes.contains(&lane.id));
        if !used {
            notes.push(note(
                whole(main),
                ImportNote::EmptyLane {
                    lane: lane.name.clone(),
                },
                Subject::Lane {
                    index: li,
                    field: lajur_core::sop::problem::LaneField::Whole,
                },
            ));
        }
    }

    // Headings.
    let mut headings = MutuBakuHeadings::default();
    if norm(&cols.activity_heading) != "kegiatan" {
        headings.activity = cols.activity_heading.clone();
    }
    headings.columns = cols.mutu.iter().map(|m| m.0.clone()).collect();
    for m in &cols.mutu {
        match m.0 {
            MutuBakuColumn::Requirements => headings.requirements = m.1.clone(),
            MutuBakuColumn::Time => headings.time = m.1.clone(),
            MutuBakuColumn::Output => headings.output = m.1.clone(),
            MutuBakuColumn::Extra { .. } => {}
        }
    }
    sop.headings = headings;

    // The identity, from the other tables (and any rows above the header).
    crate::identity::read(
        doc,
        &parts,
        cols.header.first().copied().unwrap_or(0),
        &mut sop,
        &mut notes,
    );
    // The approval block follows the table's last part.
    let last = parts.last().map_or(main, |t| &doc.tables[*t]);
    sop.identity.approver.sign_at = signature_place(&sop, &last.after);
    Ok((sop, notes))
}

/// Words that choose between ways ("jika lengkap …; jika belum …",
/// "memutuskan … diterima atau ditolak"), in a step a file marks as a
/// process and draws no arrows for.
fn reads_like_decision(activity: &str) -> bool {
    let words: Vec<String> = norm(activity).split(' ').map(str::to_string).collect();
    let conditions = words
        .iter()
        .filter(|w| matches!(w.as_str(), "jika" | "apabila" | "bila" | "kalau"))
        .count();
    let text = format!(" {} ", words.join(" "));
    conditions >= 2
        || [" atau ditolak ", " atau tidak ", " memutuskan "]
            .iter()
            .any(|p| text.contains(p))
}

/// The table and row a step was read from.
fn step_row(
    rows: &[Row],
    step_of: &HashMap<(usize, usize), usize>,
    step: usize,
) -> Option<(usize, usize)> {
    step_of
        .iter()
        .find(|(_, s)| **s == step)
        .and_then(|((r, _), _)| rows.get(*r))
        .map(|r| (r.table, r.row))
}

/// Where an SOP is signed, from the paragraphs after its table: a block
/// naming the approver there means under the table.
pub(crate) fn signature_place(sop: &Sop, after: &[String]) -> SignaturePlace {
    let name = norm(&sop.identity.approver.name);
    let named = if name.is_empty() {
        // No name yet (a line to write it on): the approver's title there.
        sop.identity
            .approver
            .title_lines
            .first()
            .map(|t| norm(t))
            .is_some_and(|t| !t.is_empty() && after.iter().any(|p| norm(p) == t))
    } else {
        after.iter().any(|p| norm(p).contains(&name))
    };
    if named {
        SignaturePlace::End
    } else {
        SignaturePlace::Identity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_and_marks_are_recognised_loosely() {
        assert_eq!(role("AKTIVITAS"), Some(Role::Activity));
        assert_eq!(role("Persyaratan/ Kelengkapan"), Some(Role::Requirements));
        assert_eq!(role("Waktu"), Some(Role::Time));
        assert_eq!(role("Ket."), Some(Role::Remarks));
        assert_eq!(mark(" ● "), Some(false));
        assert_eq!(mark("◆"), Some(true));
        assert_eq!(mark("●●"), None);
        assert_eq!(flat("Persyaratan/\nKelengkapan"), "Persyaratan/Kelengkapan");
        assert_eq!(slug("Petugas / Tim Teknis"), "petugas-tim-teknis");
    }
}
