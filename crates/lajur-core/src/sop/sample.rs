//! Made-up SOPs of any size, for tests and benchmarks: deterministic, valid, with
//! decisions that loop back, the way real SOPs do.

use super::model::*;

/// An SOP of `steps` rows over `lanes` lanes, with a decision looping back every
/// `loop_every` rows (0: none) and, now and then, a step shared by two lanes.
pub fn generated(steps: usize, lanes: usize, loop_every: usize, seed: u64) -> Sop {
    let steps = steps.max(2);
    let lanes = lanes.max(1);
    let mut rng = Rng(seed);
    let lane_ids: Vec<LaneId> = (0..lanes).map(|i| LaneId(format!("p{i}"))).collect();
    let step_id = |i: usize| StepId(format!("s{i}"));
    let mut sop = Sop::default();
    sop.identity.name = format!("SOP CONTOH {steps} KEGIATAN");
    sop.identity.number = format!("{steps}/{lanes}/CONTOH");
    sop.identity.unit.name = "Kalurahan Contoh".into();
    sop.identity.approver.name = "Contoh".into();
    sop.lanes = (0..lanes)
        .map(|i| Lane {
            id: lane_ids[i].clone(),
            name: format!("Pelaksana {} {}", i + 1, rng.sentence(1)),
        })
        .collect();
    for i in 0..steps {
        let symbol = if i == 0 {
            Symbol::Start
        } else if i + 1 == steps {
            Symbol::End
        } else if loop_every > 0 && i % loop_every == loop_every - 1 && i >= 2 {
            Symbol::Decision
        } else {
            Symbol::Process
        };
        let mut step_lanes = vec![lane_ids[rng.below(lanes)].clone()];
        if lanes > 2 && symbol == Symbol::Process && rng.below(9) == 0 {
            let other = lane_ids[rng.below(lanes)].clone();
            if other != step_lanes[0] {
                step_lanes.push(other);
            }
        }
        let exits = match symbol {
            Symbol::End => Vec::new(),
            Symbol::Decision => {
                let back = i - 1 - rng.below(i.min(4));
                vec![
                    Exit {
                        label: "Ya".into(),
                        target: step_id(i + 1),
                    },
                    Exit {
                        label: "Tidak".into(),
                        target: step_id(back),
                    },
                ]
            }
            _ => vec![Exit {
                label: String::new(),
                target: step_id(i + 1),
            }],
        };
        let activity = rng.sentence_of(4, 14);
        let requirements = rng.sentence_of(1, 5);
        let output = rng.sentence_of(1, 5);
        sop.steps.push(Step {
            id: step_id(i),
            number: (i + 1).to_string(),
            activity,
            lanes: step_lanes,
            symbol,
            exits,
            requirements,
            time: format!("{} Menit", 5 * (1 + rng.below(12))),
            output,
            remarks: String::new(),
            ..Step::default()
        });
    }
    sop
}

/// A symbol of a row to be: its shape, lanes (by index), how they share it,
/// and the label in its capsule.
type Planned = (Symbol, Vec<usize>, LaneMode, &'static str);

/// An SOP of `rows` table rows over `lanes` lanes using what real SOPs do
/// beyond the model's basics: rows holding several symbols, steps done by
/// whichever of their lanes has the case, several labelled starts, a
/// process and the end in one row, loops back and skips forward. Valid.
pub fn varied(rows: usize, lanes: usize, seed: u64) -> Sop {
    let rows = rows.max(2);
    let lanes = lanes.max(1);
    let mut rng = Rng(seed);
    let lane_ids: Vec<LaneId> = (0..lanes).map(|i| LaneId(format!("p{i}"))).collect();
    let mut sop = Sop::default();
    sop.identity.name = format!("SOP CONTOH {rows} BARIS");
    sop.identity.number = format!("{rows}/{lanes}/RAGAM");
    sop.identity.unit.name = "Kalurahan Contoh".into();
    sop.identity.approver.name = "Contoh".into();
    sop.lanes = (0..lanes)
        .map(|i| Lane {
            id: lane_ids[i].clone(),
            name: {
                let words = 1 + rng.below(3);
                format!("Pelaksana {} {}", i + 1, rng.sentence(words))
            },
        })
        .collect();
    let other_lane = |rng: &mut Rng, not: usize| -> usize {
        if lanes < 2 {
            return not;
        }
        (not + 1 + rng.below(lanes - 1)) % lanes
    };
    // Each row's steps as (symbol, lanes, mode, label); exits are joined after.
    let mut plan: Vec<Vec<Planned>> = Vec::new();
    for r in 0..rows {
        let a = rng.below(lanes);
        let mut row = Vec::new();
        if r == 0 {
            match rng.below(3) {
                0 if lanes >= 2 => {
                    row.push((Symbol::Start, vec![a], LaneMode::All, "Langsung ke kantor"));
                    row.push((
                        Symbol::Start,
                        vec![other_lane(&mut rng, a)],
                        LaneMode::All,
                        "Via email",
                    ));
                }
                1 if lanes >= 2 => {
                    row.push((Symbol::Start, vec![a], LaneMode::All, ""));
                    row.push((
                        Symbol::Process,
                        vec![other_lane(&mut rng, a)],
                        LaneMode::All,
                        "",
                    ));
                }
                _ => row.push((Symbol::Start, vec![a], LaneMode::All, "")),
            }
        } else if r + 1 == rows {
            if rng.below(2) == 0 && lanes >= 2 {
                row.push((Symbol::Process, vec![a], LaneMode::All, ""));
                row.push((
                    Symbol::End,
                    vec![other_lane(&mut rng, a)],
                    LaneMode::All,
                    "",
                ));
            } else {
                row.push((Symbol::End, vec![a], LaneMode::All, ""));
            }
        } else {
            let symbol = if r >= 2 && rng.below(5) == 0 {
                Symbol::Decision
            } else {
                Symbol::Process
            };
            let (mut own, mut mode) = (vec![a], LaneMode::All);
            if symbol == Symbol::Process && lanes >= 3 && rng.below(7) == 0 {
                let b = other_lane(&mut rng, a);
                own.push(b);
                own.sort_unstable();
                mode = if rng.below(2) == 0 {
                    LaneMode::Any
                } else {
                    LaneMode::All
                };
            }
            row.push((symbol, own, mode, ""));
            if symbol == Symbol::Process && lanes >= 2 && rng.below(5) == 0 {
                let b = other_lane(&mut rng, a);
                let second = if rng.below(3) == 0 {
                    Symbol::Decision
                } else {
                    Symbol::Process
                };
                row.push((second, vec![b], LaneMode::All, ""));
            }
        }
        plan.push(row);
    }
    // Ids: s<row>_<k>; the first step of each row leads it.
    let id = |r: usize, k: usize| StepId(format!("s{r}_{k}"));
    let leader = |r: usize| id(r, 0);
    for (r, row) in plan.iter().enumerate() {
        let next_row = if r + 1 < rows {
            Some(leader(r + 1))
        } else {
            None
        };
        for (k, (symbol, own, mode, label)) in row.iter().enumerate() {
            let next_in_row = (k + 1 < row.len()).then(|| id(r, k + 1));
            let several_starts = r == 0 && row.iter().all(|s| s.0 == Symbol::Start);
            let on = if several_starts {
                next_row.clone()
            } else {
                next_in_row.or(next_row.clone())
            };
            let exits = match symbol {
                Symbol::End => Vec::new(),
                Symbol::Decision => {
                    let yes = on.clone().unwrap_or_else(|| leader(r));
                    let no = if r + 3 < rows && rng.below(3) == 0 {
                        leader(r + 2)
                    } else {
                        leader(r.saturating_sub(1 + rng.below(r.clamp(1, 4))).max(1))
                    };
                    let no = if no == yes {
                        leader(r.saturating_sub(1))
                    } else {
                        no
                    };
                    vec![
                        Exit {
                            label: "Ya".into(),
                            target: yes,
                        },
                        Exit {
                            label: "Tidak".into(),
                            target: no,
                        },
                    ]
                }
                _ => on
                    .into_iter()
                    .map(|target| Exit {
                        label: String::new(),
                        target,
                    })
                    .collect(),
            };
            let leads = k == 0;
            sop.steps.push(Step {
                id: id(r, k),
                number: if leads {
                    (r + 1).to_string()
                } else {
                    String::new()
                },
                activity: if leads {
                    rng.sentence_of(3, 16)
                } else {
                    rng.sentence_of(1, 3)
                },
                lanes: own.iter().map(|l| lane_ids[*l].clone()).collect(),
                lane_mode: *mode,
                same_row: !leads,
                label: label.to_string(),
                symbol: *symbol,
                exits,
                requirements: if leads {
                    rng.sentence_of(0, 6)
                } else {
                    String::new()
                },
                time: if leads {
                    format!("{} Menit", 5 * (1 + rng.below(12)))
                } else {
                    String::new()
                },
                output: if leads {
                    rng.sentence_of(0, 5)
                } else {
                    String::new()
                },
                remarks: if leads && rng.below(4) == 0 {
                    rng.sentence_of(2, 20)
                } else {
                    String::new()
                },
                ..Step::default()
            });
        }
    }
    sop
}

/// A tiny deterministic generator (LCG): the same seed gives the same SOP.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }

    /// A sentence of `min` to `min + spread - 1` words.
    fn sentence_of(&mut self, min: usize, spread: usize) -> String {
        let len = min + self.below(spread);
        self.sentence(len)
    }

    fn sentence(&mut self, len: usize) -> String {
        const WORDS: [&str; 16] = [
            "Menerima",
            "memeriksa",
            "berkas",
            "permohonan",
            "informasi",
            "publik",
            "dan",
            "menyampaikan",
            "kepada",
            "atasan",
            "untuk",
            "disetujui",
            "sesuai",
            "ketentuan",
            "yang",
            "berlaku",
        ];
        (0..len)
            .map(|_| WORDS[self.below(WORDS.len())])
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_sops_are_valid() {
        for (steps, lanes) in [(2, 1), (10, 3), (40, 8), (200, 8)] {
            let sop = super::generated(steps, lanes, 5, 7);
            let problems = crate::sop::validate::validate(&sop);
            assert!(problems.iter().all(|p| !p.is_error()), "{problems:?}");
        }
    }

    #[test]
    fn varied_sops_are_valid() {
        for seed in 0..200 {
            let sop = super::varied(2 + (seed as usize * 7) % 59, 1 + seed as usize % 10, seed);
            let problems = crate::sop::validate::validate(&sop);
            assert!(
                problems.iter().all(|p| !p.is_error()),
                "{seed}: {problems:?}"
            );
        }
    }
}
