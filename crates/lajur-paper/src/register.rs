//! The activity register: for a period (optionally one SOP or one person),
//! totals and time compliance per SOP, then one row per kegiatan or one row
//! per action, with the sign-off block and, when a signer issues it, a seal.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::sheet::short_time;
use lajur_core::locale::{self as i18n, Lang, Text, fill};
use lajur_core::paperwork::{RegisterData, RegisterRows};
use lajur_core::records::{Seal, User};
use lajur_core::workflow::SopCompliance;
use lajur_layout::sheet::{SealBlock, TextTable, qr_modules, register};
use lajur_layout::{BundledFont, Layout, PageSettings, Signature};

/// Paper is printed in the office's language.
const L: Lang = Lang::Id;

/// The register's tables and the words describing what it covers.
pub struct RegisterContent {
    pub description: String,
    pub tables: Vec<TextTable>,
    /// Beside every page number: the records' head code when gathered.
    pub footer: String,
}

impl RegisterContent {
    /// What a seal over the register covers: every cell, in order.
    pub fn sha256(&self) -> String {
        let mut h = Sha256::new();
        for t in &self.tables {
            for line in t.title.iter().chain(&t.headers) {
                h.update(line.as_bytes());
                h.update([0]);
            }
            for row in &t.rows {
                for cell in row {
                    h.update(cell.as_bytes());
                    h.update([0]);
                }
                h.update([1]);
            }
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "-".into()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64).replace('.', ",")
    }
}

/// The register's tables from the records' values.
pub fn register_content(data: &RegisterData) -> RegisterContent {
    let offset = data.calendar.utc_offset_minutes;
    let filter = &data.filter;
    let date = |d| i18n::format_date(d, L);
    let mut description = Text::RegisterDescription.get(L).to_string();
    let period = match (filter.from, filter.to) {
        (Some(a), Some(b)) => fill(
            Text::RegisterPeriod,
            L,
            &[("from", &date(a)), ("to", &date(b))],
        ),
        (Some(a), None) => fill(Text::RegisterSince, L, &[("from", &date(a))]),
        (None, Some(b)) => fill(Text::RegisterUntil, L, &[("to", &date(b))]),
        (None, None) => Text::RegisterAllTime.get(L).to_string(),
    };
    description.push_str(&format!(", {period}"));
    if let Some(sop) = &filter.sop {
        description.push_str(&format!(
            ", {}",
            fill(Text::RegisterOfSop, L, &[("name", sop)])
        ));
    }
    if let Some(name) = &data.person_name {
        description.push_str(&format!(
            ", {}",
            fill(Text::RegisterByPerson, L, &[("name", name)])
        ));
    }
    let line = |name: String, c: &SopCompliance| {
        vec![
            name,
            i18n::format_number(c.kegiatan as u64),
            i18n::format_number(c.running as u64),
            i18n::format_number(c.awaiting_sign_off as u64),
            i18n::format_number(c.done as u64),
            i18n::format_number(c.cancelled as u64),
            i18n::format_number(c.judged() as u64),
            percent(c.on_time, c.judged()),
        ]
    };
    let mut summary_rows: Vec<Vec<String>> = data
        .compliance
        .per_sop
        .iter()
        .map(|(name, c)| line(name.clone(), c))
        .collect();
    summary_rows.push(line(
        Text::RegisterTotal.get(L).into(),
        &data.compliance.total(),
    ));
    let mut summary_bold = vec![false; summary_rows.len()];
    if let Some(last) = summary_bold.last_mut() {
        *last = true;
    }
    let mut title = vec![
        Text::RegisterTitle.get(L).into(),
        description.clone(),
        Text::RegisterSummaryCaption.get(L).into(),
    ];
    if let Some(office) = &data.letterhead.office {
        // The office's name under the title: a register is the office's own paper.
        title.insert(1, office.unit_lines().join(", ").to_uppercase());
    }
    let headers = |texts: &[Text]| texts.iter().map(|t| t.get(L).to_string()).collect();
    let summary = TextTable {
        title,
        headers: headers(&[
            Text::RegisterColSop,
            Text::RegisterColKegiatan,
            Text::RegisterColRunning,
            Text::RegisterColAwaiting,
            Text::RegisterColDone,
            Text::RegisterColCancelled,
            Text::RegisterColJudged,
            Text::RegisterColCompliance,
        ]),
        widths: vec![5.0, 1.2, 1.2, 1.6, 1.2, 1.4, 1.6, 1.6],
        rows: summary_rows,
        bold: summary_bold,
    };
    let kegiatan = &data.kegiatan;
    let times = |id| {
        data.compliance
            .per_kegiatan
            .get(&id)
            .map_or((0, 0), |t| (t.taken_minutes, t.allowed_minutes))
    };
    let detail = match data.rows {
        RegisterRows::PerKegiatan => TextTable {
            title: vec![Text::RegisterKegiatanList.get(L).into()],
            headers: headers(&[
                Text::SheetColNo,
                Text::RegisterColTitle,
                Text::RegisterColSop,
                Text::RegisterColStarted,
                Text::RegisterColEnded,
                Text::RegisterColTook,
                Text::RegisterColAllowed,
                Text::RegisterColStatus,
                Text::RegisterColSigner,
            ]),
            widths: vec![0.7, 3.4, 2.8, 1.5, 1.5, 1.3, 1.3, 1.5, 1.8],
            bold: kegiatan
                .iter()
                .map(|k| {
                    let (took, allowed) = times(k.row.id);
                    allowed > 0 && took > allowed
                })
                .collect(),
            rows: kegiatan
                .iter()
                .map(|k| {
                    let (took, allowed) = times(k.row.id);
                    vec![
                        format!("#{}", k.row.id),
                        k.row.title.clone(),
                        k.row.sop_name.clone(),
                        short_time(k.row.started_at, offset),
                        k.row
                            .finished_at
                            .map(|t| short_time(t, offset))
                            .unwrap_or_else(|| "-".into()),
                        i18n::describe_span(chrono::Duration::minutes(took), L),
                        if allowed > 0 {
                            i18n::describe_span(chrono::Duration::minutes(allowed), L)
                        } else {
                            "-".into()
                        },
                        i18n::status_name(k.row.status, L).to_string(),
                        k.signer.clone().unwrap_or_else(|| "-".into()),
                    ]
                })
                .collect(),
        },
        RegisterRows::PerAction => {
            let actions = &data.actions;
            TextTable {
                title: vec![Text::RegisterActionList.get(L).into()],
                headers: headers(&[
                    Text::RegisterColRow,
                    Text::RegisterColWhen,
                    Text::RegisterColWho,
                    Text::RegisterColAction,
                    Text::RegisterColKegiatan,
                    Text::RegisterColDetail,
                ]),
                widths: vec![0.8, 1.6, 1.8, 1.8, 3.0, 5.0],
                bold: vec![false; actions.len()],
                rows: actions
                    .iter()
                    .map(|a| {
                        let mut detail = a.row.detail.clone();
                        if !a.row.note.is_empty() {
                            detail.push_str(&format!(
                                "; {}",
                                fill(Text::RegisterNote, L, &[("note", &a.row.note)])
                            ));
                        }
                        vec![
                            a.row.seq.to_string(),
                            short_time(a.row.at, offset),
                            a.row.actor_name.clone().unwrap_or_default(),
                            i18n::log_action_name(&a.row.action, L),
                            format!(
                                "#{} {}",
                                a.kegiatan.unwrap_or_default(),
                                a.title.clone().unwrap_or_default()
                            ),
                            detail,
                        ]
                    })
                    .collect(),
            }
        }
    };
    let mut tables = vec![summary, detail];
    if !data.authority.is_empty() {
        tables.push(authority_table(data));
    }
    RegisterContent {
        description,
        tables,
        footer: i18n::printed_head_line(data.head.0, &data.head.1),
    }
}

/// Who was given or lost the signer or administrator role in the period.
fn authority_table(data: &RegisterData) -> TextTable {
    let offset = data.calendar.utc_offset_minutes;
    let describe = |c: &lajur_core::records::AuthorityChange| {
        let mut said = Vec::new();
        for ((before, after), given, taken) in [
            (c.signer, Text::RoleSignerGiven, Text::RoleSignerTaken),
            (c.admin, Text::RoleAdminGiven, Text::RoleAdminTaken),
        ] {
            if !before && after {
                said.push(given.get(L));
            } else if before && !after {
                said.push(taken.get(L));
            }
        }
        match c.active {
            (true, false) => said.push(Text::UserDeactivated.get(L)),
            (false, true) => said.push(Text::UserReactivated.get(L)),
            _ => {}
        }
        said.join("; ")
    };
    TextTable {
        title: vec![Text::RegisterAuthorityTitle.get(L).into()],
        headers: [
            Text::RegisterColWhen,
            Text::RegisterColWho,
            Text::RegisterColUser,
            Text::RegisterColChange,
            Text::RegisterColApproved,
        ]
        .iter()
        .map(|t| t.get(L).to_string())
        .collect(),
        widths: vec![1.6, 2.0, 2.4, 4.0, 1.8],
        bold: vec![false; data.authority.len()],
        rows: data
            .authority
            .iter()
            .map(|c| {
                vec![
                    short_time(c.at, offset),
                    c.by.clone().unwrap_or_else(|| "-".into()),
                    c.user.clone(),
                    describe(c),
                    c.approved_by.clone().unwrap_or_else(|| "-".into()),
                ]
            })
            .collect(),
    }
}

/// The register's pages: the tables, then the sign-off (the issuer) and seal.
pub fn register_layout(
    content: &RegisterContent,
    issuer: &User,
    seal: Option<&Seal>,
    place: &str,
    printed_at: DateTime<Utc>,
    offset: i32,
    settings: &PageSettings,
) -> Layout {
    let at = seal.map_or(printed_at, |s| s.signed_at);
    let date = i18n::format_date(
        (at + chrono::Duration::minutes(i64::from(offset))).date_naive(),
        L,
    );
    let sign = Signature {
        place_date: if place.trim().is_empty() {
            date
        } else {
            format!("{}, {date}", place.trim())
        },
        titles: vec![issuer.jabatan.clone()],
        name: issuer.name.clone(),
        nip: issuer.nip.clone(),
    };
    let block = seal.map(|s| SealBlock {
        code: fill(Text::SealCodeLine, L, &[("code", &s.code)]),
        qr: qr_modules(&s.qr_text()),
        lines: vec![
            fill(
                Text::SealRegisterLine,
                L,
                &[
                    ("hash", content.sha256().get(..16).unwrap_or_default()),
                    ("row", s.log_row()),
                ],
            ),
            fill(
                Text::SealAnchorLine,
                L,
                &[("head", &s.head_code()), ("key", &s.key_fingerprint)],
            ),
            fill(Text::SealCheckRegister, L, &[("code", &s.code)]),
            Text::SealNotTte.get(L).into(),
        ],
    });
    register(
        &content.tables,
        &sign,
        block.as_ref(),
        settings,
        BundledFont::get(),
        &content.footer,
    )
}

/// The register as PDF bytes.
pub fn register_pdf(
    content: &RegisterContent,
    layout: &Layout,
    issuer: &User,
    seal: Option<&Seal>,
    printed_at: DateTime<Utc>,
) -> Result<Vec<u8>, crate::PdfError> {
    let info = crate::PdfInfo {
        created: printed_at,
        title: content.description.clone(),
        author: issuer.name.clone(),
        subject: Text::RegisterSubject.get(L).into(),
        keywords: vec![
            "register".into(),
            seal.map(|s| s.code.clone()).unwrap_or_default(),
        ],
    };
    crate::pdf::render(layout, &info)
}
