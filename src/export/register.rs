//! The activity register: for a period (optionally one SOP or one person),
//! totals and time compliance per SOP, then one row per kegiatan or one row
//! per action, with the sign-off block and, when a signer issues it, a seal.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::sheet::{late, qr_modules, short_time};
use super::{ExportError, PdfInfo, pdf, write_new};
use crate::i18n::{self, Lang};
use crate::layout::sheet::{SealBlock, TextTable, register};
use crate::layout::{BundledFont, Layout, PageSettings, Signature};
use crate::store::{KegiatanFilter, Seal, Status, Store, StoreError, User};

/// One row per kegiatan, or one per action of the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RegisterRows {
    #[default]
    PerKegiatan,
    PerAction,
}

/// The most rows a register prints (a year of a busy office fits).
pub const MAX_ROWS: u64 = 50_000;

/// The register's tables and the words describing what it covers.
pub struct RegisterContent {
    pub description: String,
    pub tables: Vec<TextTable>,
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
        crate::store::log::hex(&h.finalize())
    }
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "-".into()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64).replace('.', ",")
    }
}

/// Reads the records and builds the register's tables.
pub fn register_content(
    store: &mut Store,
    filter: &KegiatanFilter,
    rows: RegisterRows,
) -> Result<RegisterContent, StoreError> {
    let calendar = store.calendar().clone();
    let offset = calendar.utc_offset_minutes;
    let kegiatan = store.register_kegiatan(filter, MAX_ROWS)?;
    // Each event judged against its own SOP revision's Mutu Baku Waktu; the
    // time allowed and taken summed per kegiatan. Events are visited one by
    // one, never all held at once.
    let mut sops = HashMap::new();
    for version in store.register_sop_versions(filter)? {
        sops.insert(version, store.sop_of_version(version)?);
    }
    let mut per_kegiatan: HashMap<i64, (i64, i64)> = HashMap::new();
    let mut per_sop: BTreeMap<String, [usize; 7]> = BTreeMap::new();
    store.each_register_event(filter, |k, version, e| {
        let Some(sop) = sops.get(&version) else {
            return;
        };
        let totals = per_kegiatan.entry(k).or_insert((0, 0));
        totals.0 += (e.done_at - e.entered_at).num_minutes();
        if let Some(limit) = sop.step(&e.step).and_then(|s| s.standard_time().limit()) {
            totals.1 += (calendar.due(e.entered_at, limit) - e.entered_at).num_minutes();
        }
        let entry = per_sop.entry(sop.identity.name.clone()).or_default();
        match late(&e, sop, &calendar) {
            Some(true) => entry[5] += 1,
            Some(false) => entry[6] += 1,
            None => {}
        }
    })?;
    for k in &kegiatan {
        let entry = per_sop.entry(k.row.sop_name.clone()).or_default();
        entry[0] += 1;
        entry[match k.row.status {
            Status::Running => 1,
            Status::AwaitingSignOff => 2,
            Status::Done => 3,
            Status::Cancelled => 4,
        }] += 1;
    }
    let mut description = String::from("Register kegiatan");
    match (filter.from, filter.to) {
        (Some(a), Some(b)) => description.push_str(&format!(
            ", periode {} s.d. {}",
            i18n::format_date(a, Lang::Id),
            i18n::format_date(b, Lang::Id)
        )),
        (Some(a), None) => {
            description.push_str(&format!(", sejak {}", i18n::format_date(a, Lang::Id)))
        }
        (None, Some(b)) => {
            description.push_str(&format!(", sampai {}", i18n::format_date(b, Lang::Id)))
        }
        (None, None) => description.push_str(", semua waktu"),
    }
    if let Some(sop) = &filter.sop {
        description.push_str(&format!(", SOP {sop}"));
    }
    if let Some(person) = filter.person {
        let name = store.user(person).map(|u| u.name).unwrap_or_default();
        description.push_str(&format!(", oleh {name}"));
    }
    let mut summary_rows: Vec<Vec<String>> = per_sop
        .iter()
        .map(|(name, c)| {
            let judged = c[5] + c[6];
            vec![
                name.clone(),
                i18n::format_number(c[0] as u64),
                i18n::format_number(c[1] as u64),
                i18n::format_number(c[2] as u64),
                i18n::format_number(c[3] as u64),
                i18n::format_number(c[4] as u64),
                i18n::format_number(judged as u64),
                percent(c[6], judged),
            ]
        })
        .collect();
    let total = per_sop.values().fold([0usize; 7], |mut acc, c| {
        for (a, b) in acc.iter_mut().zip(c) {
            *a += b;
        }
        acc
    });
    summary_rows.push(vec![
        "JUMLAH".into(),
        i18n::format_number(total[0] as u64),
        i18n::format_number(total[1] as u64),
        i18n::format_number(total[2] as u64),
        i18n::format_number(total[3] as u64),
        i18n::format_number(total[4] as u64),
        i18n::format_number((total[5] + total[6]) as u64),
        percent(total[6], total[5] + total[6]),
    ]);
    let mut summary_bold = vec![false; summary_rows.len()];
    if let Some(last) = summary_bold.last_mut() {
        *last = true;
    }
    let summary = TextTable {
        title: vec![
            "REGISTER KEGIATAN".into(),
            description.clone(),
            "Rekap per SOP (kepatuhan waktu: bagian langkah yang selesai dalam Mutu Baku Waktu)"
                .into(),
        ],
        headers: [
            "SOP",
            "Kegiatan",
            "Berjalan",
            "Menunggu pengesahan",
            "Selesai",
            "Dibatalkan",
            "Langkah berwaktu baku",
            "Kepatuhan waktu",
        ]
        .map(String::from)
        .to_vec(),
        widths: vec![5.0, 1.2, 1.2, 1.6, 1.2, 1.4, 1.6, 1.6],
        rows: summary_rows,
        bold: summary_bold,
    };
    let detail = match rows {
        RegisterRows::PerKegiatan => TextTable {
            title: vec!["Daftar kegiatan".into()],
            headers: [
                "No",
                "Judul",
                "SOP",
                "Dimulai",
                "Berakhir",
                "Lama",
                "Waktu baku",
                "Status",
                "Disahkan oleh",
            ]
            .map(String::from)
            .to_vec(),
            widths: vec![0.7, 3.4, 2.8, 1.5, 1.5, 1.3, 1.3, 1.5, 1.8],
            bold: kegiatan
                .iter()
                .map(|k| {
                    per_kegiatan
                        .get(&k.row.id)
                        .is_some_and(|(took, allowed)| *allowed > 0 && took > allowed)
                })
                .collect(),
            rows: kegiatan
                .iter()
                .map(|k| {
                    let (took, allowed) = per_kegiatan.get(&k.row.id).copied().unwrap_or((0, 0));
                    vec![
                        format!("#{}", k.row.id),
                        k.row.title.clone(),
                        k.row.sop_name.clone(),
                        short_time(k.row.started_at, offset),
                        k.row
                            .finished_at
                            .map(|t| short_time(t, offset))
                            .unwrap_or_else(|| "-".into()),
                        i18n::describe_span(chrono::Duration::minutes(took), Lang::Id),
                        if allowed > 0 {
                            i18n::describe_span(chrono::Duration::minutes(allowed), Lang::Id)
                        } else {
                            "-".into()
                        },
                        i18n::status_name(k.row.status, Lang::Id).to_string(),
                        k.signer.clone().unwrap_or_else(|| "-".into()),
                    ]
                })
                .collect(),
        },
        RegisterRows::PerAction => {
            let actions = store.register_actions(filter, MAX_ROWS)?;
            TextTable {
                title: vec!["Daftar tindakan (catatan kegiatan)".into()],
                headers: [
                    "Baris",
                    "Waktu",
                    "Oleh",
                    "Tindakan",
                    "Kegiatan",
                    "Keterangan",
                ]
                .map(String::from)
                .to_vec(),
                widths: vec![0.8, 1.6, 1.8, 1.8, 3.0, 5.0],
                bold: vec![false; actions.len()],
                rows: actions
                    .iter()
                    .map(|a| {
                        let mut detail = a.row.detail.clone();
                        if !a.row.note.is_empty() {
                            detail.push_str(&format!("; catatan: {}", a.row.note));
                        }
                        vec![
                            a.row.seq.to_string(),
                            short_time(a.row.at, offset),
                            a.row.actor_name.clone().unwrap_or_default(),
                            i18n::log_action_name(&a.row.action, Lang::Id),
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
    Ok(RegisterContent {
        description,
        tables: vec![summary, detail],
    })
}

/// The register's pages: the tables, then the sign-off (the issuer) and seal.
pub fn register_layout(
    content: &RegisterContent,
    issuer: &User,
    seal: Option<&Seal>,
    place: &str,
    offset: i32,
    settings: &PageSettings,
) -> Layout {
    let at = seal.map_or_else(chrono::Utc::now, |s| s.signed_at);
    let date = i18n::format_date(
        (at + chrono::Duration::minutes(i64::from(offset))).date_naive(),
        Lang::Id,
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
        code: format!("Kode verifikasi: {}", s.code),
        qr: qr_modules(&s.qr_text()),
        lines: vec![
            format!(
                "Segel integritas Lajur (Ed25519) atas isi register ini (sha256 {}) dan log kegiatan sampai baris {}.",
                &content.sha256()[..16],
                s.log_head.split(':').next().unwrap_or("0")
            ),
            format!("Periksa: lajur verify {}.", s.code),
            "Segel ini bukan tanda tangan elektronik tersertifikasi (TTE).".into(),
        ],
    });
    register(
        &content.tables,
        &sign,
        block.as_ref(),
        settings,
        BundledFont::get(),
    )
}

/// Makes the register, seals it when `password` is given (the issuer must be
/// a signer), writes it to a new file and logs the export with its SHA-256.
pub fn save_register(
    store: &mut Store,
    issuer: &User,
    password: Option<&str>,
    filter: &KegiatanFilter,
    rows: RegisterRows,
    settings: &PageSettings,
    path: &Path,
) -> Result<(PathBuf, Option<Seal>), ExportError> {
    let mut content = register_content(store, filter, rows)?;
    let letterhead = super::Letterhead::from_profile(store.office());
    if let Some(office) = &letterhead.office
        && let Some(first) = content.tables.first_mut()
    {
        // The office's name under the title: a register is the office's own paper.
        first.title.insert(
            1.min(first.title.len()),
            office.unit_lines().join(", ").to_uppercase(),
        );
    }
    let seal = match password {
        Some(p) => Some(store.seal_register(issuer, p, &content.description, &content.sha256())?),
        None => None,
    };
    let offset = store.calendar().utc_offset_minutes;
    let layout = register_layout(
        &content,
        issuer,
        seal.as_ref(),
        &letterhead.place(),
        offset,
        settings,
    );
    let info = PdfInfo {
        title: content.description.clone(),
        author: issuer.name.clone(),
        subject: "Register kegiatan SOP AP".into(),
        keywords: vec![
            "register".into(),
            seal.as_ref().map(|s| s.code.clone()).unwrap_or_default(),
        ],
    };
    let bytes = pdf::render(&layout, &info)?;
    let written = write_new(path, &bytes)?;
    let sha = crate::store::log::hex(&Sha256::digest(&bytes));
    let name = written
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    store.record_export(
        issuer,
        None,
        &format!("register {name}: {}", content.description),
        &sha,
    )?;
    Ok((written, seal))
}
