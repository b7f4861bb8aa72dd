//! What the printed table of an SOP looks like against the quality standard
//! (`lajur_layout::quality`), in the office's words: for `lajur check` and the
//! window's Masalah tab alike.

use lajur_core::failure::FitFailure;
use lajur_core::locale::{Lang, Text, fill, fit_message, paper_name};
use lajur_core::office::Letterhead;
use lajur_core::paper::{Orientation, PageSettings, Paper};
use lajur_core::sop::Sop;
use lajur_layout::quality::{Fault, FaultKind, faults};
use lajur_layout::{BundledFont, document_for_office};

/// The layout of one SOP on one paper, judged.
#[derive(Debug, Clone)]
pub struct LayoutReport {
    pub settings: PageSettings,
    /// What cannot be printed at all on this paper (nothing prints).
    pub fit: Vec<FitFailure>,
    /// The faults of the printed table, page by page (none when `fit` says
    /// the table cannot be printed: that is said instead).
    pub faults: Vec<Fault>,
}

impl LayoutReport {
    pub fn is_clean(&self) -> bool {
        self.fit.is_empty() && self.faults.is_empty()
    }
}

/// Lays the SOP out as the office prints it on `settings` and judges it.
pub fn judge(sop: &Sop, settings: &PageSettings, letterhead: &Letterhead) -> LayoutReport {
    let metrics = BundledFont::get();
    let layout = document_for_office(sop, settings, letterhead, metrics);
    let printed = letterhead.sop(sop);
    let settings = letterhead.settings_for(sop, settings);
    let fit: Vec<FitFailure> = layout
        .fit
        .iter()
        .map(|f| f.failure(&printed, &settings))
        .collect();
    let faults = if fit.is_empty() {
        faults(&layout, &printed, &settings, metrics)
    } else {
        Vec::new()
    };
    LayoutReport {
        settings,
        fit,
        faults,
    }
}

/// The four papers an office prints on.
pub fn every_paper() -> Vec<(Paper, Orientation)> {
    let mut out = Vec::new();
    for paper in [Paper::A4, Paper::F4] {
        for orientation in [Orientation::Landscape, Orientation::Portrait] {
            out.push((paper, orientation));
        }
    }
    out
}

/// A fault kind's name, as `lajur check` prints it.
pub fn kind_name(kind: FaultKind, lang: Lang) -> &'static str {
    let text = match kind {
        FaultKind::Overlap => Text::FaultOverlap,
        FaultKind::TextCrossed => Text::FaultTextCrossed,
        FaultKind::TextCut => Text::FaultTextCut,
        FaultKind::NearParallel => Text::FaultNearParallel,
        FaultKind::OutsideLane => Text::FaultOutsideLane,
        FaultKind::ThroughSymbol => Text::FaultThroughSymbol,
        FaultKind::RowTooTall => Text::FaultRowTooTall,
        FaultKind::OrphanRow => Text::FaultOrphanRow,
        FaultKind::BrokenWord => Text::FaultBrokenWord,
        FaultKind::ContentCut => Text::FaultContentCut,
        FaultKind::Structure => Text::FaultStructure,
    };
    text.get(lang)
}

/// Where a fault is: the paper, the activities by their No, the place on
/// the page and the words concerned.
pub fn fault_place(fault: &Fault, sop: &Sop, settings: &PageSettings, lang: Lang) -> String {
    let mut parts = vec![paper_name(settings.paper, settings.orientation, lang)];
    let mut numbers: Vec<String> = Vec::new();
    for step in &fault.steps {
        let leader = sop.row_leader(*step);
        if let Some(s) = sop.steps.get(leader) {
            let n = if s.number.trim().is_empty() {
                s.id.0.clone()
            } else {
                s.number.trim().to_string()
            };
            if !numbers.contains(&n) {
                numbers.push(n);
            }
        }
    }
    if !numbers.is_empty() {
        parts.push(fill(
            Text::FaultSteps,
            lang,
            &[("numbers", &numbers.join(", "))],
        ));
    }
    if fault.at.x > 0.0 || fault.at.y > 0.0 {
        let mm = |v: f32| match lang {
            Lang::Id => format!("{v:.1}").replace('.', ","),
            Lang::En => format!("{v:.1}"),
        };
        parts.push(fill(
            Text::FaultAt,
            lang,
            &[("x", &mm(fault.at.x)), ("y", &mm(fault.at.y))],
        ));
    }
    if let Some(text) = &fault.text {
        let short: String = text.chars().take(60).collect();
        let more = if text.chars().count() > 60 { "…" } else { "" };
        parts.push(format!("«{short}{more}»"));
    }
    parts.join("; ")
}

/// A fit problem in words.
pub fn fit_line(fit: &FitFailure, lang: Lang) -> String {
    fit_message(fit, lang)
}
