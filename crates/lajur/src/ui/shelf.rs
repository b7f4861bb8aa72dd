//! The SOPs on show and which one is chosen: the list on the left, the tab and
//! the flowchart view on the right. Shared by the SOP list (files or the
//! library) and the library's own actions, which change what is shown.

use super::flowchart::FlowchartView;
use lajur_core::sop::source::{LoadedSop, ReadFailure};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Flowchart,
    Identity,
    Problems,
    /// The library SOP's revisions, to view and compare.
    Revisions,
}

pub struct Shelf {
    pub sops: Vec<LoadedSop>,
    /// Why the SOP folder itself could not be read, if it could not.
    pub folder_failure: Option<ReadFailure>,
    pub selected: Option<usize>,
    pub tab: Tab,
    pub view: FlowchartView,
    /// Counts changes of what is shown, so its layout is made again.
    pub generation: u64,
}

impl Default for Shelf {
    fn default() -> Self {
        Shelf {
            sops: Vec::new(),
            folder_failure: None,
            selected: None,
            tab: Tab::Flowchart,
            view: FlowchartView::default(),
            generation: 0,
        }
    }
}
