//! XML read with roxmltree (no DTD: an entity trick is refused, not
//! expanded), and the few helpers the readers share: children and
//! attributes by local name, whatever prefix a file uses.

use roxmltree::{Document, Node, ParsingOptions};

use crate::error::ImportError;

/// The most nodes a part may have (an SOP's document has a few thousand).
const NODES_LIMIT: u32 = 2_000_000;

pub fn parse(text: &str) -> Result<Document<'_>, ImportError> {
    Document::parse_with_options(
        text,
        ParsingOptions {
            allow_dtd: false,
            nodes_limit: NODES_LIMIT,
            ..ParsingOptions::default()
        },
    )
    .map_err(|e| match e {
        roxmltree::Error::DtdDetected => ImportError::XmlEntities,
        _ => ImportError::Damaged,
    })
}

/// The element children of `node` with this local name.
pub fn children<'a, 'i>(
    node: Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// The first element child with this local name.
pub fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// The first element found by following local names down the tree.
pub fn path<'a, 'i>(node: Node<'a, 'i>, names: &[&str]) -> Option<Node<'a, 'i>> {
    let mut at = node;
    for name in names {
        at = child(at, name)?;
    }
    Some(at)
}

/// The first descendant (or the node itself) with this local name.
pub fn find<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.descendants()
        .find(|d| d.is_element() && d.tag_name().name() == name)
}

/// An attribute by local name, whatever its namespace.
pub fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == name)
        .map(|a| a.value())
}

/// An attribute as a number.
pub fn num(node: Node<'_, '_>, name: &str) -> Option<f64> {
    attr(node, name).and_then(|v| v.trim().parse::<f64>().ok())
}

/// Whether an element's boolean property is on (`<w:b/>`, `<w:b w:val="1"/>`).
pub fn on(node: Option<Node<'_, '_>>) -> bool {
    node.is_some_and(|n| {
        !matches!(
            attr(n, "val"),
            Some("0") | Some("false") | Some("off") | Some("none")
        )
    })
}

pub fn is(node: Node<'_, '_>, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name
}
