//! Printed records of work: the filled SOP sheet of one kegiatan (the official
//! document with what happened written in, a table of every step done, the
//! sign-off and the verification block) and the activity register. Pure: text
//! in, pages out, for the same two painters as the SOP itself.

use super::document::{
    Signature, approval_block, approval_height, blank_page, document_pages, number_pages,
};
use super::table::FOOTER;
use super::text::{FontMetrics, Weight, wrap};
use crate::geom::*;
use crate::kinds::*;
use crate::page::*;
use lajur_core::paper::*;
use lajur_core::sop::Sop;

const TITLE_PT: f32 = 11.0;
const CELL_PT: f32 = 7.5;
const PAD: f32 = 1.4;
const GAP: f32 = 6.0;
/// The QR code's side, mm (readable by a phone from a printed page).
const QR_MM: f32 = 30.0;

/// A table of text: headers, relative column widths, rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TextTable {
    pub title: Vec<String>,
    pub headers: Vec<String>,
    pub widths: Vec<f32>,
    pub rows: Vec<Vec<String>>,
    /// Rows to print in bold (late steps, totals).
    pub bold: Vec<bool>,
}

/// The verification block: the short code, the QR code's modules, and the
/// words saying what the seal is and is not.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SealBlock {
    pub code: String,
    pub qr: Vec<Vec<bool>>,
    pub lines: Vec<String>,
}

/// The filled sheet: the SOP as printed (its Keterangan column holding what
/// happened at each step), then the step table, then the sign-off and seal;
/// `footer` (the kegiatan and its code) on every page beside its number.
pub fn filled_sheet(
    sop: &Sop,
    tables: &[TextTable],
    sign: &Signature,
    seal: Option<&SealBlock>,
    settings: &PageSettings,
    metrics: &dyn FontMetrics,
    footer: &str,
) -> Layout {
    // The sheet's own sign-off is the one that counts: the SOP's approval
    // block under its table would read as a second, older one.
    let mut sop = sop.clone();
    sop.identity.approver.sign_at = lajur_core::sop::SignaturePlace::Identity;
    let mut layout = document_pages(&sop, settings, metrics);
    let settings = PageSettings {
        flow: Flow::Paged,
        ..*settings
    };
    append_record(&mut layout.pages, tables, sign, seal, &settings, metrics);
    number_pages(&mut layout.pages, &settings, metrics, footer);
    crate::display::finish(&mut layout);
    layout
}

/// A register: tables only, then the sign-off and seal.
pub fn register(
    tables: &[TextTable],
    sign: &Signature,
    seal: Option<&SealBlock>,
    settings: &PageSettings,
    metrics: &dyn FontMetrics,
    footer: &str,
) -> Layout {
    let settings = PageSettings {
        flow: Flow::Paged,
        ..*settings
    };
    let mut pages = Vec::new();
    append_record(&mut pages, tables, sign, seal, &settings, metrics);
    number_pages(&mut pages, &settings, metrics, footer);
    let mut layout = Layout {
        pages,
        ..Layout::default()
    };
    crate::display::finish(&mut layout);
    layout
}

fn append_record(
    pages: &mut Vec<Page>,
    tables: &[TextTable],
    sign: &Signature,
    seal: Option<&SealBlock>,
    settings: &PageSettings,
    metrics: &dyn FontMetrics,
) {
    let (page_w, page_h) = settings.page_size();
    let bottom = page_h - settings.margins.bottom - FOOTER;
    for (i, t) in tables.iter().enumerate() {
        // The first table on a page of its own; the next ones follow on when
        // there is room for their title, header and a few rows.
        let room = pages.last().is_some_and(|p| p.table.max.y + 45.0 <= bottom);
        if i == 0 || !room {
            pages.push(blank_page(settings, page_w, page_h));
        } else if let Some(p) = pages.last_mut() {
            p.table.max.y += GAP;
        }
        table_into(pages, t, settings, metrics, bottom);
    }
    // The sign-off at the right and the seal at the left, side by side, kept
    // together on one page.
    let sign_h = approval_height(sign, metrics);
    let seal_h = seal.map_or(0.0, |s| seal_height(s, metrics));
    let need = sign_h.max(seal_h) + GAP;
    let fits = pages.last().is_some_and(|p| p.table.max.y + need <= bottom);
    if !fits {
        pages.push(blank_page(settings, page_w, page_h));
    }
    if let Some(page) = pages.last_mut() {
        let top = page.table.max.y + GAP;
        approval_block(page, sign, metrics, top);
        if let Some(seal) = seal {
            seal_block(page, seal, metrics, top);
        }
    }
}

fn text_run(
    pos: Pt,
    text: String,
    size: f32,
    weight: Weight,
    metrics: &dyn FontMetrics,
) -> TextRun {
    TextRun {
        pos,
        width: metrics.width(&text, weight, size),
        text,
        size_pt: size,
        weight,
        role: TextRole::Cell,
        step: None,
        cell: None,
        word_split: false,
    }
}

/// Lays a table onto pages from the last one's current bottom, repeating the
/// header on each new page.
fn table_into(
    pages: &mut Vec<Page>,
    t: &TextTable,
    settings: &PageSettings,
    metrics: &dyn FontMetrics,
    bottom: f32,
) {
    let (page_w, page_h) = settings.page_size();
    let left = settings.margins.left;
    let width = page_w - settings.margins.left - settings.margins.right;
    let total: f32 = t.widths.iter().sum::<f32>().max(1e-3);
    let widths: Vec<f32> = t.widths.iter().map(|w| w / total * width).collect();
    let lh = metrics.line_height(CELL_PT);
    let cells = |row: &[String], weight: Weight| -> Vec<Vec<String>> {
        row.iter()
            .zip(&widths)
            .map(|(text, w)| wrap(metrics, text, weight, CELL_PT, (w - 2.0 * PAD).max(2.0)))
            .collect()
    };
    let height_of = |lines: &[Vec<String>]| {
        lines.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * lh + 2.0 * PAD
    };
    let header = cells(&t.headers, Weight::Bold);
    let header_h = height_of(&header);
    let Some(mut page) = pages.pop() else { return };
    let mut y = page.table.max.y;
    // The title, above the first header only.
    for line in &t.title {
        page.texts.push(text_run(
            pt(left, y),
            line.clone(),
            TITLE_PT,
            Weight::Bold,
            metrics,
        ));
        y += metrics.line_height(TITLE_PT);
    }
    y += 2.0;
    let mut top = y;
    let put_row = |page: &mut Page, lines: &[Vec<String>], y: f32, h: f32, weight: Weight| {
        let mut x = left;
        for (col, w) in lines.iter().zip(&widths) {
            for (k, line) in col.iter().enumerate() {
                page.texts.push(text_run(
                    pt(x + PAD, y + PAD + k as f32 * lh),
                    line.clone(),
                    CELL_PT,
                    weight,
                    metrics,
                ));
            }
            x += w;
        }
        page.rules.push(Rule {
            a: pt(left, y + h),
            b: pt(left + width, y + h),
            width: 0.2,
        });
    };
    let close = |page: &mut Page, top: f32, y: f32| {
        let mut x = left;
        page.rules.push(Rule {
            a: pt(left, top),
            b: pt(left + width, top),
            width: 0.3,
        });
        for w in std::iter::once(0.0).chain(widths.iter().copied()) {
            x += w;
            page.rules.push(Rule {
                a: pt(x, top),
                b: pt(x, y),
                width: 0.3,
            });
        }
        page.table = Rect {
            min: pt(left, page.table.min.y),
            max: pt(left + width, y),
        };
    };
    let start_page = |page: &mut Page, y: f32| {
        page.header = Rect {
            min: pt(left, y),
            max: pt(left + width, y + header_h),
        };
        put_row(page, &header, y, header_h, Weight::Bold);
        y + header_h
    };
    y = start_page(&mut page, y);
    for (i, row) in t.rows.iter().enumerate() {
        let weight = if t.bold.get(i).copied().unwrap_or(false) {
            Weight::Bold
        } else {
            Weight::Regular
        };
        let lines = cells(row, weight);
        let h = height_of(&lines);
        if y + h > bottom && y > top + header_h {
            close(&mut page, top, y);
            pages.push(page);
            page = blank_page(settings, page_w, page_h);
            top = page.table.max.y;
            y = start_page(&mut page, top);
        }
        put_row(&mut page, &lines, y, h, weight);
        y += h;
    }
    close(&mut page, top, y);
    pages.push(page);
}

fn seal_height(seal: &SealBlock, metrics: &dyn FontMetrics) -> f32 {
    QR_MM + 2.0 + (seal.lines.len() + 1) as f32 * metrics.line_height(CELL_PT) + 4.0
}

/// The code, the QR code and the words, at the left of the page.
fn seal_block(page: &mut Page, seal: &SealBlock, metrics: &dyn FontMetrics, top: f32) {
    let left = page.table.min.x;
    let block_w = 95.0f32.min(page.table.width() * 0.45);
    let mut y = top;
    page.texts.push(text_run(
        pt(left, y),
        seal.code.clone(),
        10.0,
        Weight::Bold,
        metrics,
    ));
    y += metrics.line_height(10.0) + 1.0;
    let n = seal.qr.len().max(1) as f32;
    let module = QR_MM / n;
    for (r, row) in seal.qr.iter().enumerate() {
        // Runs of dark modules become one mark each.
        let mut c = 0;
        while c < row.len() {
            if !row[c] {
                c += 1;
                continue;
            }
            let start = c;
            while c < row.len() && row[c] {
                c += 1;
            }
            page.marks.push(Rect {
                min: pt(left + start as f32 * module, y + r as f32 * module),
                max: pt(left + c as f32 * module, y + (r + 1) as f32 * module),
            });
        }
    }
    y += QR_MM + 2.0;
    for line in &seal.lines {
        for l in wrap(metrics, line, Weight::Regular, CELL_PT, block_w) {
            page.texts
                .push(text_run(pt(left, y), l, CELL_PT, Weight::Regular, metrics));
            y += metrics.line_height(CELL_PT);
        }
    }
}

/// The QR code's modules with a quiet zone of two modules around them.
pub fn qr_modules(text: &str) -> Vec<Vec<bool>> {
    let Ok(code) = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M) else {
        return Vec::new();
    };
    let width = code.width();
    let colors = code.to_colors();
    let quiet = 2;
    let side = width + 2 * quiet;
    let mut grid = vec![vec![false; side]; side];
    for (i, c) in colors.iter().enumerate() {
        grid[i / width + quiet][i % width + quiet] = *c == qrcode::Color::Dark;
    }
    grid
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BundledFont;

    fn table(rows: usize) -> TextTable {
        TextTable {
            title: vec!["REKAP".into()],
            headers: vec!["No".into(), "Kegiatan".into(), "Oleh".into()],
            widths: vec![1.0, 6.0, 3.0],
            rows: (0..rows)
                .map(|i| vec![i.to_string(), format!("Langkah nomor {i} yang cukup panjang untuk dibungkus menjadi beberapa baris"), "Budi".into()])
                .collect(),
            bold: vec![],
        }
    }

    #[test]
    fn a_long_table_flows_over_pages_within_the_margins_and_ends_with_the_signature() {
        let settings = PageSettings::default();
        let sign = Signature {
            place_date: "Bunder, 22 November 2026".into(),
            titles: vec!["Lurah Bunder".into()],
            name: "Budi Santoso".into(),
            nip: None,
        };
        let seal = SealBlock {
            code: "LJR-ABCD-EFGH".into(),
            qr: vec![vec![true, false, true]; 3],
            lines: vec!["Segel integritas".into()],
        };
        let layout = register(
            &[table(200)],
            &sign,
            Some(&seal),
            &settings,
            BundledFont::get(),
            "Kepala catatan 1-ABCD",
        );
        assert!(layout.pages.len() > 3, "{} pages", layout.pages.len());
        let (_, h) = settings.page_size();
        for page in &layout.pages {
            for t in &page.texts {
                assert!(t.pos.y < h - settings.margins.bottom, "{t:?}");
            }
            // Every page repeats the header.
            assert!(
                page.texts.iter().any(|t| t.text == "Kegiatan")
                    || page.texts.iter().any(|t| t.text == "Budi Santoso")
            );
        }
        let last = layout.pages.last().expect("page");
        assert!(last.texts.iter().any(|t| t.text == "Budi Santoso"));
        assert!(last.texts.iter().any(|t| t.text == "LJR-ABCD-EFGH"));
        assert_eq!(last.marks.len(), 6, "runs of dark modules");
        let rows_printed = layout
            .pages
            .iter()
            .flat_map(|p| &p.texts)
            .filter(|t| t.text.starts_with("Langkah nomor"))
            .count();
        assert_eq!(rows_printed, 200, "every row once (first line of each)");
    }
}
