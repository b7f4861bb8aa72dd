//! What the layout's tests share: the repository's files and the four papers.

use std::path::{Path, PathBuf};

use lajur_core::sop::{Sop, SopDocument};
use lajur_layout::{Orientation, PageSettings, Paper};

pub fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// An SOP file of the repository, which must read without an error.
pub fn read(path: &Path) -> Sop {
    let path = root().join(path);
    let text = std::fs::read_to_string(&path).expect("SOP file");
    let doc = SopDocument::parse(&text);
    let errors: Vec<_> = doc
        .diagnostics
        .iter()
        .filter(|d| d.problem.is_error())
        .collect();
    assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    doc.sop
}

/// A4 and F4, landscape and portrait.
pub fn papers() -> Vec<PageSettings> {
    let mut out = Vec::new();
    for paper in [Paper::A4, Paper::F4] {
        for orientation in [Orientation::Landscape, Orientation::Portrait] {
            out.push(PageSettings {
                paper,
                orientation,
                ..PageSettings::default()
            });
        }
    }
    out
}
