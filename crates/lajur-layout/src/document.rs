//! The whole SOP AP document, page by page: the identity page, the flowchart
//! pages, the approval block, and page numbers. Drawn by the PDF painter, and by
//! the screen in "per halaman" mode, so the clerk sees exactly what will print.

use super::table::FOOTER;
use super::text::{FontMetrics, MM_PER_PT, Weight, wrap};
use crate::flowchart::layout_with_tail;
use crate::geom::*;
use crate::kinds::*;
use crate::page::*;
use lajur_core::locale::{Lang, Text, fill};
use lajur_core::paper::*;
use lajur_core::sop::{SignaturePlace, Sop};

/// The document is printed in Bahasa Indonesia, the official language.
const L: Lang = Lang::Id;

const PAD: f32 = 1.8;
const RULE: f32 = 0.3;
/// The logo's largest height on the identity page, mm, and its gap to the unit's name.
const LOGO_MAX_H: f32 = 24.0;
const LOGO_GAP: f32 = 2.5;
/// Font sizes tried, largest first, until the identity block fits on one sheet
/// (no larger than the table's own text, so the table may follow on its page).
const IDENTITY_SIZES: [f32; 6] = [8.0, 7.5, 7.0, 6.5, 6.0, 5.5];
/// Between the identity block and a table that follows it on the same page, mm.
const IDENTITY_GAP: f32 = 5.0;
pub(crate) const APPROVAL_PT: f32 = 9.5;
/// Space between the table and the approval block, mm.
pub(crate) const APPROVAL_GAP: f32 = 6.0;
/// Room left for a wet signature and stamp, mm.
pub(crate) const SIGNATURE_SPACE: f32 = 22.0;
/// The approval block's widest width, mm.
pub(crate) const APPROVAL_WIDTH: f32 = 95.0;

/// The SOP document as an office shows and prints it: on its own SOPs the
/// letterhead fills what the SOP leaves empty and the logo gets its place.
/// The one place this is decided, for the screen and the paper alike.
pub fn document_for_office(
    sop: &Sop,
    settings: &PageSettings,
    letterhead: &lajur_core::office::Letterhead,
    metrics: &dyn FontMetrics,
) -> Layout {
    let settings = letterhead.settings_for(sop, settings);
    numbered_document(
        &letterhead.sop(sop),
        &settings,
        metrics,
        letterhead.footer.as_deref().unwrap_or_default(),
    )
}

/// The printed SOP: identity page, then the flowchart, then the approval block.
pub fn document(sop: &Sop, settings: &PageSettings, metrics: &dyn FontMetrics) -> Layout {
    numbered_document(sop, settings, metrics, "")
}

/// The same, with `footer` beside every page number.
fn numbered_document(
    sop: &Sop,
    settings: &PageSettings,
    metrics: &dyn FontMetrics,
    footer: &str,
) -> Layout {
    let mut layout = document_pages(sop, settings, metrics);
    let settings = PageSettings {
        flow: Flow::Paged,
        ..*settings
    };
    number_pages(&mut layout.pages, &settings, metrics, footer);
    crate::display::finish(&mut layout);
    layout
}

/// The printed SOP without page numbers (a filled sheet adds pages after it).
pub(super) fn document_pages(
    sop: &Sop,
    settings: &PageSettings,
    metrics: &dyn FontMetrics,
) -> Layout {
    let settings = PageSettings {
        flow: Flow::Paged,
        ..*settings
    };
    let sign = Signature::of_sop(sop);
    // Signed under the table: the last rows keep room for the block.
    let signed_at_end = sop.identity.approver.sign_at == SignaturePlace::End;
    let tail = if signed_at_end {
        approval_height(&sign, metrics) + APPROVAL_GAP
    } else {
        0.0
    };
    let identity = identity_page(sop, &settings, metrics);
    let (mut best, _) = assemble(sop, &settings, metrics, identity, tail, &sign);
    // A smaller identity block that lets the table start on its page, or
    // lets the whole SOP fit one sheet fewer, is worth its smaller letters
    // (offices aim to print an SOP on as few sheets as its original). Only
    // a short SOP can gain, and only a sheet.
    if (2..=4).contains(&best.pages.len()) {
        let default_size = best_identity_size(sop, &settings, metrics);
        for size in IDENTITY_SIZES.iter().copied().filter(|s| *s < default_size) {
            let smaller = identity_at(sop, &settings, metrics, size);
            let (tried, unrouted) = assemble(sop, &settings, metrics, smaller, tail, &sign);
            if unrouted == 0 && tried.pages.len() < best.pages.len() {
                best = tried;
                break;
            }
        }
    }
    best
}

/// The largest identity size whose block fits one sheet.
fn best_identity_size(sop: &Sop, settings: &PageSettings, metrics: &dyn FontMetrics) -> f32 {
    let (_, page_h) = settings.page_size();
    let m = settings.margins;
    let available = page_h - m.top - m.bottom - FOOTER;
    IDENTITY_SIZES
        .iter()
        .copied()
        .find(|size| identity_at(sop, settings, metrics, *size).table.max.y - m.top <= available)
        .unwrap_or(IDENTITY_SIZES[IDENTITY_SIZES.len() - 1])
}

/// The identity page, the table (under the identity block when its header and
/// a row fit there, as offices print it; else from the next sheet) and, when
/// the SOP is signed under the table, the approval block.
fn assemble(
    sop: &Sop,
    settings: &PageSettings,
    metrics: &dyn FontMetrics,
    identity: Page,
    tail: f32,
    sign: &Signature,
) -> (Layout, usize) {
    let first_top = identity.table.max.y + IDENTITY_GAP;
    let (flow, unrouted) = layout_with_tail(sop, settings, metrics, tail, Some(first_top));
    let mut pages = Vec::with_capacity(flow.pages.len() + 2);
    let mut flow_pages = flow.pages.into_iter();
    match flow_pages.next() {
        Some(first) if (first.table.min.y - first_top).abs() < 0.01 => {
            pages.push(merge(identity, first));
        }
        Some(first) => {
            pages.push(identity);
            pages.push(first);
        }
        None => pages.push(identity),
    }
    pages.extend(flow_pages);
    if tail > 0.0 {
        let block_h = approval_height(sign, metrics);
        let (page_w, page_h) = settings.page_size();
        let bottom_limit = page_h - settings.margins.bottom - FOOTER;
        let needs_page = pages
            .last()
            .is_none_or(|p| p.table.max.y + APPROVAL_GAP + block_h > bottom_limit);
        if needs_page {
            pages.push(blank_page(settings, page_w, page_h));
        }
        if let Some(last) = pages.last_mut() {
            let top = last.table.max.y + APPROVAL_GAP;
            approval_block(last, sign, metrics, top);
        }
    }
    (
        Layout {
            pages,
            columns: flow.columns,
            fit: flow.fit,
        },
        unrouted,
    )
}

/// The identity block and the table's first page on one sheet.
fn merge(identity: Page, table: Page) -> Page {
    let mut page = table;
    let mut rules = identity.rules;
    rules.append(&mut page.rules);
    page.rules = rules;
    let mut texts = identity.texts;
    texts.append(&mut page.texts);
    page.texts = texts;
    page.images.extend(identity.images);
    page.marks.extend(identity.marks);
    page.identity = identity.identity;
    page
}

/// An empty page whose "table" is a zero-height line at the top margin.
pub(super) fn blank_page(settings: &PageSettings, page_w: f32, page_h: f32) -> Page {
    Page {
        width: page_w,
        height: page_h,
        table: Rect {
            min: pt(settings.margins.left, settings.margins.top),
            max: pt(page_w - settings.margins.right, settings.margins.top),
        },
        ..Page::default()
    }
}

/// "Halaman 2 dari 3" at the foot of every page, after `prefix` when there
/// is one (a filled sheet names its kegiatan, so a page found alone can be
/// tied to it).
pub(super) fn number_pages(
    pages: &mut [Page],
    settings: &PageSettings,
    metrics: &dyn FontMetrics,
    prefix: &str,
) {
    let count = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        let number = fill(
            Text::DocPage,
            L,
            &[("n", &(i + 1).to_string()), ("count", &count.to_string())],
        );
        let label = if prefix.is_empty() {
            number
        } else {
            format!("{prefix} · {number}")
        };
        let size = 8.0;
        let width = metrics.width(&label, Weight::Regular, size);
        let x = page.width - settings.margins.right - width;
        let y = page.height - settings.margins.bottom - crate::theme::line_height(size);
        page.texts.push(run(
            pt(x, y),
            label,
            size,
            Weight::Regular,
            width,
            TextRole::PageNumber,
        ));
    }
}

fn run(pos: Pt, text: String, size_pt: f32, weight: Weight, width: f32, role: TextRole) -> TextRun {
    TextRun {
        pos,
        text,
        size_pt,
        weight,
        width,
        role,
        step: None,
        cell: None,
        word_split: false,
    }
}

/// Lines of text placed top-down from `top`; returns the y below the last line.
#[allow(clippy::too_many_arguments)]
fn put_lines(
    page: &mut Page,
    metrics: &dyn FontMetrics,
    lines: &[String],
    x: f32,
    top: f32,
    size: f32,
    weight: Weight,
    centre_in: Option<f32>,
) -> f32 {
    let lh = metrics.line_height(size);
    for (k, line) in lines.iter().enumerate() {
        if line.is_empty() {
            continue;
        }
        let width = metrics.width(line, weight, size);
        let x = centre_in.map_or(x, |w| x + (w - width) / 2.0);
        page.texts.push(run(
            pt(x, top + k as f32 * lh),
            line.clone(),
            size,
            weight,
            width,
            TextRole::Cell,
        ));
    }
    top + lines.len() as f32 * lh
}

/// A numbered list (or one plain text) wrapped into `width`, with hanging numbers.
struct ListBlock {
    /// (number label, wrapped lines)
    items: Vec<(String, Vec<String>)>,
    indent: f32,
}

impl ListBlock {
    fn new(items: &[String], width: f32, size: f32, metrics: &dyn FontMetrics) -> ListBlock {
        let numbered = items.len() > 1;
        let indent = if numbered {
            metrics.width("10. ", Weight::Regular, size)
        } else {
            0.0
        };
        let items = items
            .iter()
            .enumerate()
            .map(|(k, item)| {
                let label = if numbered {
                    format!("{}.", k + 1)
                } else {
                    String::new()
                };
                (
                    label,
                    wrap(
                        metrics,
                        item.trim(),
                        Weight::Regular,
                        size,
                        (width - indent).max(5.0),
                    ),
                )
            })
            .collect();
        ListBlock { items, indent }
    }

    fn lines(&self) -> usize {
        self.items
            .iter()
            .map(|(_, l)| l.len())
            .sum::<usize>()
            .max(1)
    }

    fn put(&self, page: &mut Page, metrics: &dyn FontMetrics, x: f32, top: f32, size: f32) -> f32 {
        let lh = metrics.line_height(size);
        let mut y = top;
        for (label, lines) in &self.items {
            if !label.is_empty() {
                let w = metrics.width(label, Weight::Regular, size);
                page.texts.push(run(
                    pt(x, y),
                    label.clone(),
                    size,
                    Weight::Regular,
                    w,
                    TextRole::Cell,
                ));
            }
            y = put_lines(
                page,
                metrics,
                lines,
                x + self.indent,
                y,
                size,
                Weight::Regular,
                None,
            );
        }
        if self.items.is_empty() {
            y += lh;
        }
        y
    }
}

/// A date as printed; "-" when there is none (as originals write it).
fn date_text(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| lajur_core::locale::format_date(d, lajur_core::locale::Lang::Id))
        .unwrap_or_else(|| "-".into())
}

/// The identity page (halaman identitas), at the largest font size that fits one sheet.
pub fn identity_page(sop: &Sop, settings: &PageSettings, metrics: &dyn FontMetrics) -> Page {
    let (page_w, page_h) = settings.page_size();
    let m = settings.margins;
    let available = page_h - m.top - m.bottom - FOOTER;
    let mut chosen = None;
    for size in IDENTITY_SIZES {
        let page = identity_at(sop, settings, metrics, size);
        let fits = page.table.max.y - m.top <= available;
        chosen = Some(page);
        if fits {
            break;
        }
    }
    chosen.unwrap_or_else(|| Page {
        width: page_w,
        height: page_h,
        ..Page::default()
    })
}

fn identity_at(sop: &Sop, settings: &PageSettings, metrics: &dyn FontMetrics, size: f32) -> Page {
    let (page_w, page_h) = settings.page_size();
    let m = settings.margins;
    let id = &sop.identity;
    let left = m.left;
    let right = page_w - m.right;
    let width = right - left;
    let top = m.top;
    let mut page = Page {
        width: page_w,
        height: page_h,
        ..Page::default()
    };
    let lh = metrics.line_height(size);

    // The head: unit block on the left, the fields on the right.
    let unit_w = width * 0.36;
    let label_w = width * 0.22;
    let x_label = left + unit_w;
    let x_value = x_label + label_w;
    let value_w = right - x_value;
    let inner = |w: f32| w - 2.0 * PAD;
    let bold = |s: &str, w: f32| wrap(metrics, s, Weight::Bold, size, inner(w));
    let plain = |s: &str, w: f32| wrap(metrics, s, Weight::Regular, size, inner(w));

    let mut fields: Vec<(&str, Vec<String>, Weight, f32)> = vec![
        (
            Text::DocNumber.get(L),
            plain(&id.number, value_w),
            Weight::Regular,
            0.0,
        ),
        (
            Text::DocCreated.get(L),
            plain(&date_text(id.created), value_w),
            Weight::Regular,
            0.0,
        ),
        (
            Text::DocRevised.get(L),
            plain(&date_text(id.revised), value_w),
            Weight::Regular,
            0.0,
        ),
        (
            Text::DocEffective.get(L),
            plain(&date_text(id.effective), value_w),
            Weight::Regular,
            0.0,
        ),
    ];
    let mut approver: Vec<String> = id
        .approver
        .title_lines
        .iter()
        .flat_map(|t| bold(t, value_w))
        .collect();
    let signature_at = approver.len();
    approver.extend(bold(&id.approver.name, value_w));
    if let Some(nip) = &id.approver.nip {
        approver.extend(plain(&fill(Text::DocNip, L, &[("nip", nip)]), value_w));
    }
    fields.push((
        Text::DocApprovedBy.get(L),
        approver,
        Weight::Bold,
        SIGNATURE_SPACE * 0.6,
    ));
    fields.push((
        Text::DocName.get(L),
        bold(&id.name, value_w),
        Weight::Bold,
        0.0,
    ));

    let mut y = top;
    let mut field_rows = Vec::new();
    for (label, lines, weight, extra) in fields {
        let label_lines = bold(label, label_w);
        let h = label_lines.len().max(lines.len()).max(1) as f32 * lh + 2.0 * PAD + extra;
        field_rows.push((y, h, label_lines, lines, weight, extra));
        y += h;
    }
    let mut unit_lines: Vec<String> = Vec::new();
    for line in std::iter::once(&id.unit.name).chain(id.unit.parents.iter()) {
        unit_lines.extend(bold(&line.to_uppercase(), unit_w));
    }
    let unit_h = unit_lines.len() as f32 * lh;
    // The logo above the unit's name, as on a letterhead: at most 24 mm high
    // and never wider than the block.
    let logo = settings
        .logo_aspect
        .filter(|a| a.is_finite() && *a > 0.0)
        .map(|aspect| {
            let h = LOGO_MAX_H.min((unit_w - 2.0 * PAD) / aspect);
            (h * aspect, h)
        });
    let logo_h = logo.map_or(0.0, |(_, h)| h + LOGO_GAP);
    let block_h = logo_h + unit_h;
    // The head grows when the logo and the unit need more room than the fields.
    let short_by = block_h + 2.0 * PAD - (y - top);
    if short_by > 0.0
        && let Some(last) = field_rows.last_mut()
    {
        last.1 += short_by;
        y += short_by;
    }
    let head_bottom = y;
    let field_heights: Vec<f32> = field_rows.iter().map(|r| r.1).collect();
    let mut box_heights: Vec<f32> = Vec::new();
    let block_top = top + (head_bottom - top - block_h) / 2.0;
    if let Some((w, h)) = logo {
        page.images.push(PlacedImage {
            rect: Rect::from_min_size(pt(left + (unit_w - w) / 2.0, block_top), w, h),
            image: ImageKey::Logo,
        });
    }
    put_lines(
        &mut page,
        metrics,
        &unit_lines,
        left,
        block_top + logo_h,
        size,
        Weight::Bold,
        Some(unit_w),
    );
    for (row_top, h, label_lines, lines, weight, extra) in &field_rows {
        put_lines(
            &mut page,
            metrics,
            label_lines,
            x_label + PAD,
            row_top + PAD,
            size,
            Weight::Bold,
            None,
        );
        if *extra > 0.0 {
            // Title lines, the signature space, then the name and NIP.
            let (titles, rest) = lines.split_at(signature_at.min(lines.len()));
            let after = put_lines(
                &mut page,
                metrics,
                titles,
                x_value + PAD,
                row_top + PAD,
                size,
                *weight,
                None,
            );
            put_lines(
                &mut page,
                metrics,
                rest,
                x_value + PAD,
                after + extra,
                size,
                *weight,
                None,
            );
        } else {
            put_lines(
                &mut page,
                metrics,
                lines,
                x_value + PAD,
                row_top + PAD,
                size,
                *weight,
                None,
            );
        }
        let bottom = row_top + h;
        if bottom < head_bottom - 0.01 {
            page.rules.push(Rule {
                a: pt(x_label, bottom),
                b: pt(right, bottom),
                width: RULE * 0.7,
            });
        }
    }
    page.rules.push(Rule {
        a: pt(x_label, top),
        b: pt(x_label, head_bottom),
        width: RULE,
    });
    page.rules.push(Rule {
        a: pt(x_value, top),
        b: pt(x_value, head_bottom),
        width: RULE * 0.7,
    });

    // The six boxes, two by two.
    let half = width / 2.0;
    let boxes = [
        (
            Text::DocLegalBasis.get(L),
            &id.legal_basis,
            Text::DocQualifications.get(L),
            &id.qualifications,
        ),
        (
            Text::DocRelated.get(L),
            &id.related,
            Text::DocEquipment.get(L),
            &id.equipment,
        ),
        (
            Text::DocWarnings.get(L),
            &id.warnings,
            Text::DocRecords.get(L),
            &id.records,
        ),
    ];
    let mut y = head_bottom;
    for (head_l, items_l, head_r, items_r) in boxes {
        page.rules.push(Rule {
            a: pt(left, y),
            b: pt(right, y),
            width: RULE,
        });
        let list_l = ListBlock::new(items_l, inner(half), size, metrics);
        let list_r = ListBlock::new(items_r, inner(half), size, metrics);
        let hl = bold(head_l, half);
        let hr = bold(head_r, half);
        let lines = (hl.len() + list_l.lines()).max(hr.len() + list_r.lines());
        let h = lines as f32 * lh + 2.0 * PAD + lh * 0.4;
        let after = put_lines(
            &mut page,
            metrics,
            &hl,
            left + PAD,
            y + PAD,
            size,
            Weight::Bold,
            None,
        );
        list_l.put(&mut page, metrics, left + PAD, after + lh * 0.4, size);
        let after = put_lines(
            &mut page,
            metrics,
            &hr,
            left + half + PAD,
            y + PAD,
            size,
            Weight::Bold,
            None,
        );
        list_r.put(
            &mut page,
            metrics,
            left + half + PAD,
            after + lh * 0.4,
            size,
        );
        page.rules.push(Rule {
            a: pt(left + half, y),
            b: pt(left + half, y + h),
            width: RULE * 0.7,
        });
        box_heights.push(h);
        y += h;
    }
    let bottom = y;
    for (a, b) in [
        (pt(left, top), pt(right, top)),
        (pt(left, bottom), pt(right, bottom)),
        (pt(left, top), pt(left, bottom)),
        (pt(right, top), pt(right, bottom)),
    ] {
        page.rules.push(Rule { a, b, width: RULE });
    }
    page.table = Rect {
        min: pt(left, top),
        max: pt(right, bottom),
    };
    page.identity = Some(IdentityGeometry {
        size,
        unit_w,
        label_w,
        field_heights,
        box_heights,
        signature_gap: SIGNATURE_SPACE * 0.6,
        list_indent: metrics.width("10. ", Weight::Regular, size),
        logo,
    });
    page
}

/// What a signature block prints: place and date, the title lines, the name
/// (a line to write it on when empty) and the NIP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub place_date: String,
    pub titles: Vec<String>,
    pub name: String,
    pub nip: Option<String>,
}

impl Signature {
    /// The SOP's own approval: its place, effective (or made) date and approver.
    pub fn of_sop(sop: &Sop) -> Signature {
        let id = &sop.identity;
        let date = date_text(id.effective.or(id.created));
        let place_date = match (id.place.trim(), date.is_empty()) {
            ("", _) => date,
            (place, true) => place.to_string(),
            (place, false) => format!("{place}, {date}"),
        };
        Signature {
            place_date,
            titles: id.approver.title_lines.clone(),
            name: id.approver.name.clone(),
            nip: id.approver.nip.clone(),
        }
    }
}

pub(super) fn approval_height(sign: &Signature, metrics: &dyn FontMetrics) -> f32 {
    let lines = 1 + sign.titles.len() + 2;
    lines as f32 * metrics.line_height(APPROVAL_PT) + SIGNATURE_SPACE
}

/// Place and date, the title lines, room for the signature and stamp, the name
/// (underlined) and the NIP, at the right of the page.
pub(super) fn approval_block(
    page: &mut Page,
    sign: &Signature,
    metrics: &dyn FontMetrics,
    top: f32,
) {
    let (place_date, titles) = (&sign.place_date, &sign.titles);
    let size = APPROVAL_PT;
    let block_w = APPROVAL_WIDTH.min(page.table.width() * 0.45);
    let x = page.table.max.x - block_w;
    let centre = Some(block_w);
    let mut y = top;
    let wrapped = |text: &str, weight: Weight| wrap(metrics, text, weight, size, block_w);
    let head = wrapped(place_date, Weight::Regular);
    let title_lines: Vec<String> = titles
        .iter()
        .flat_map(|t| wrapped(t, Weight::Regular))
        .collect();
    // No name in the SOP yet: a line to write it on by hand.
    let name = match sign.name.trim() {
        "" => vec!["(....................................................)".to_string()],
        name => wrapped(name, Weight::Bold),
    };
    y = put_lines(page, metrics, &head, x, y, size, Weight::Regular, centre);
    y = put_lines(
        page,
        metrics,
        &title_lines,
        x,
        y,
        size,
        Weight::Regular,
        centre,
    );
    y += SIGNATURE_SPACE;
    let name_top = y;
    y = put_lines(page, metrics, &name, x, y, size, Weight::Bold, centre);
    if let Some(first) = page
        .texts
        .iter()
        .rev()
        .find(|t| t.pos.y >= name_top - 0.01 && t.weight == Weight::Bold)
    {
        let underline_y = first.pos.y + size * MM_PER_PT * 1.02;
        let (a, b) = (first.pos.x, first.pos.x + first.width);
        page.rules.push(Rule {
            a: pt(a, underline_y),
            b: pt(b, underline_y),
            width: 0.25,
        });
    }
    if let Some(nip) = &sign.nip {
        put_lines(
            page,
            metrics,
            &[fill(Text::DocNip, L, &[("nip", nip)])],
            x,
            y,
            size,
            Weight::Regular,
            centre,
        );
    }
}
