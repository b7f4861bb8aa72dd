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
        });
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
}
