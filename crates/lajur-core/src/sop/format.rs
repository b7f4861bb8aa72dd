//! The `sops/*.toml` file format: reading (with every problem located) and writing.
//!
//! Keys are Indonesian because office staff read and write these files:
//!
//! ```toml
//! versi_format = 2                  # 1 still reads and means what it meant
//! [identitas]                       # nama_sop, nomor, unit, unit_induk, tempat, tanggal_*
//!                                   # (a TOML date, or "-" for none), the six lists
//! [identitas.disahkan_oleh]         # jabatan (lines), nama, nip; v2: tanda_tangan
//!                                   # ("akhir": a block under the table, the default;
//!                                   # "identitas": in the identity page's cell only)
//! [judul_kolom]                     # kelengkapan, waktu, output: Mutu Baku headings;
//!                                   # v2: kegiatan (the activity column's heading),
//!                                   # mutu_baku = ["waktu", "output", "sumber_data"]
//!                                   # (which columns, in order; other keys are the
//!                                   # office's own, each with its heading here)
//! [[pelaksana]]                     # id, nama
//! [[langkah]]                       # id, no, kegiatan, pelaksana, simbol, lanjut | ya + tidak | cabang,
//!                                   # kelengkapan, waktu, output, keterangan;
//!                                   # v2: sebaris (shares the row before), pelaksana_cara
//!                                   # ("bersama" | "salah_satu"), label (in a capsule),
//!                                   # the office's own Mutu Baku keys
//! ```
//!
//! The reader walks a spanned TOML tree by hand rather than through serde so that
//! it can report every problem in a file at once, each at its own line and column.

use std::fmt::Write as _;
use std::ops::Range;

use chrono::NaiveDate;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::model::*;
use super::problem::*;
use super::validate::validate;

const TOP_KEYS: &[&str] = &[
    "versi_format",
    "identitas",
    "judul_kolom",
    "pelaksana",
    "langkah",
];
const IDENTITY_KEYS: &[&str] = &[
    "nama_sop",
    "nomor",
    "unit",
    "unit_induk",
    "tanggal_pembuatan",
    "tanggal_revisi",
    "tanggal_efektif",
    "disahkan_oleh",
    "tempat",
    "dasar_hukum",
    "kualifikasi_pelaksana",
    "keterkaitan",
    "peralatan_perlengkapan",
    "peringatan",
    "pencatatan_pendataan",
];
const APPROVER_KEYS: &[&str] = &["jabatan", "nama", "nip", "tanda_tangan"];
const HEADING_KEYS: &[&str] = &["kelengkapan", "waktu", "output", "kegiatan", "mutu_baku"];
/// Keys that only version 2 knows.
const V2_HEADING_KEYS: &[&str] = &["kegiatan", "mutu_baku"];
const V2_STEP_KEYS: &[&str] = &["sebaris", "pelaksana_cara", "label"];
const LANE_KEYS: &[&str] = &["id", "nama"];
const STEP_KEYS: &[&str] = &[
    "id",
    "no",
    "kegiatan",
    "pelaksana",
    "simbol",
    "lanjut",
    "ya",
    "tidak",
    "cabang",
    "kelengkapan",
    "waktu",
    "output",
    "keterangan",
    "sebaris",
    "pelaksana_cara",
    "label",
];
const EXIT_KEYS: &[&str] = &["label", "ke"];

/// The keys a [[langkah]] has in the format: an office's own Mutu Baku
/// column cannot take one of them.
pub fn reserved_step_keys() -> &'static [&'static str] {
    STEP_KEYS
}

/// The words for [`Symbol`] in the file.
pub fn symbol_word(symbol: Symbol) -> &'static str {
    match symbol {
        Symbol::Start => "mulai",
        Symbol::Process => "proses",
        Symbol::Decision => "keputusan",
        Symbol::End => "selesai",
    }
}

fn symbol_from_word(word: &str) -> Option<Symbol> {
    Symbol::ALL
        .into_iter()
        .find(|s| symbol_word(*s).eq_ignore_ascii_case(word.trim()))
}

/// An SOP file read and checked: the model (best effort even when there are
/// problems), where each part came from, and every problem found.
#[derive(Debug, Clone)]
pub struct SopDocument {
    pub sop: Sop,
    pub source_map: SourceMap,
    /// Sorted by position in the file.
    pub diagnostics: Vec<Diagnostic>,
}

impl SopDocument {
    /// Reads and validates the text of an SOP file. Never panics, whatever the text.
    pub fn parse(text: &str) -> SopDocument {
        let (sop, source_map, problems) = read(text);
        let locate = |problem: Problem| {
            let offset = source_map.span(&problem.subject).map_or(0, |s| s.start);
            Diagnostic {
                location: Location::of_offset(text, offset),
                problem,
            }
        };
        let mut diagnostics: Vec<Diagnostic> = problems.into_iter().map(locate).collect();
        let syntax_broken = diagnostics
            .iter()
            .any(|d| matches!(d.problem.kind, ProblemKind::Syntax { .. }));
        let version_unknown = diagnostics.iter().any(|d| {
            matches!(
                d.problem.kind,
                ProblemKind::MissingFormatVersion | ProblemKind::UnsupportedFormatVersion { .. }
            )
        });
        // Content checks run whenever the file could be read as TOML of our version,
        // so one pass shows every mistake. A content problem at the very place of a
        // format problem is its echo (a missing id is also an empty id) and is dropped.
        if !syntax_broken && !version_unknown {
            let format_places: Vec<Location> = diagnostics.iter().map(|d| d.location).collect();
            diagnostics.extend(
                validate(&sop)
                    .into_iter()
                    .map(locate)
                    .filter(|d| !format_places.contains(&d.location)),
            );
        }
        diagnostics.sort_by_key(|d| (d.location, d.problem.severity));
        SopDocument {
            sop,
            source_map,
            diagnostics,
        }
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.problem.is_error())
    }

    /// The SOP, if it has no errors (warnings are allowed).
    pub fn valid_sop(&self) -> Option<&Sop> {
        (!self.has_errors()).then_some(&self.sop)
    }
}

/// Reads the file format only (no content validation).
pub fn read(text: &str) -> (Sop, SourceMap, Vec<Problem>) {
    let mut reader = Reader {
        text,
        problems: Vec::new(),
        map: SourceMap::default(),
        version: FORMAT_VERSION,
        extra_keys: Vec::new(),
    };
    let (root, syntax_errors) = DeTable::parse_recoverable(text);
    // A well-formed but impossible date (2024-02-30) is kept in the tree as an empty
    // date and reported by the date reader with its field; only real syntax errors
    // stop the reading.
    let fatal = syntax_errors.iter().any(|e| {
        let m = e.message().trim_start();
        !(m.starts_with("invalid date") || m.starts_with("invalid time"))
    });
    if fatal {
        for e in syntax_errors {
            let span = e.span().unwrap_or(0..0);
            let detail = e.message().trim().to_string();
            reader.error(ProblemKind::Syntax { detail }, span);
        }
        return (Sop::default(), reader.map, reader.problems);
    }
    let sop = reader.document(root.get_ref());
    (sop, reader.map, reader.problems)
}

struct Reader<'t> {
    text: &'t str,
    problems: Vec<Problem>,
    map: SourceMap,
    /// The file's versi_format.
    version: u32,
    /// The keys of the office's own Mutu Baku columns ([judul_kolom] mutu_baku).
    extra_keys: Vec<String>,
}

type Table<'i> = DeTable<'i>;
type Value<'i> = Spanned<DeValue<'i>>;

impl Reader<'_> {
    fn error(&mut self, kind: ProblemKind, span: Range<usize>) {
        self.problems
            .push(Problem::error(kind, Subject::Source(span)));
    }

    /// Reports keys not in `allowed`, suggesting the nearest allowed one.
    fn known_keys(&mut self, table: &Table<'_>, allowed: &[&'static str]) {
        for (key, _) in table.iter() {
            let name = key.get_ref().as_ref();
            if !allowed.contains(&name) {
                let suggestion = closest(name, allowed);
                self.error(
                    ProblemKind::UnknownField {
                        field: name.to_string(),
                        suggestion,
                    },
                    key.span(),
                );
            }
        }
    }

    fn text(&mut self, table: &Table<'_>, key: &str) -> Option<(String, Range<usize>)> {
        let value = table.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some((s.to_string(), value.span())),
            DeValue::Integer(i) => Some((i.as_str().to_string(), value.span())),
            _ => {
                self.wrong_type(key, ValueKind::Text, value.span());
                None
            }
        }
    }

    fn text_or_empty(&mut self, table: &Table<'_>, key: &str) -> String {
        self.text(table, key).map(|(s, _)| s).unwrap_or_default()
    }

    /// A list of texts; a single text is accepted as a list of one.
    fn text_list(&mut self, table: &Table<'_>, key: &str) -> Vec<String> {
        let Some(value) = table.get(key) else {
            return Vec::new();
        };
        match value.get_ref() {
            DeValue::String(s) => vec![s.to_string()],
            DeValue::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::String(s) => out.push(s.to_string()),
                        _ => self.wrong_type(key, ValueKind::TextList, item.span()),
                    }
                }
                out
            }
            _ => {
                self.wrong_type(key, ValueKind::TextList, value.span());
                Vec::new()
            }
        }
    }

    fn sub_table<'t, 'i>(&mut self, table: &'t Table<'i>, key: &str) -> Option<&'t Table<'i>> {
        let value = table.get(key)?;
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.wrong_type(key, ValueKind::Table, value.span());
                None
            }
        }
    }

    fn table_list<'t, 'i>(&mut self, table: &'t Table<'i>, key: &str) -> Vec<&'t Value<'i>> {
        let Some(value) = table.get(key) else {
            return Vec::new();
        };
        match value.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter() {
                    if item.get_ref().is_table() {
                        out.push(item);
                    } else {
                        self.wrong_type(key, ValueKind::TableList, item.span());
                    }
                }
                out
            }
            _ => {
                self.wrong_type(key, ValueKind::TableList, value.span());
                Vec::new()
            }
        }
    }

    fn wrong_type(&mut self, key: &str, expected: ValueKind, span: Range<usize>) {
        self.error(
            ProblemKind::WrongType {
                field: key.to_string(),
                expected,
            },
            span,
        );
    }

    fn date(&mut self, table: &Table<'_>, key: &str, subject: Subject) -> Option<NaiveDate> {
        let value = table.get(key)?;
        self.map.insert(subject, value.span());
        let written = self
            .text
            .get(value.span())
            .unwrap_or_default()
            .trim_matches('"')
            .to_string();
        let invalid = || ProblemKind::InvalidDate {
            field: key.to_string(),
            text: written,
        };
        match value.get_ref() {
            DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => {
                    let date = NaiveDate::from_ymd_opt(
                        i32::from(d.year),
                        u32::from(d.month),
                        u32::from(d.day),
                    );
                    if date.is_none() {
                        self.error(invalid(), value.span());
                    }
                    date
                }
                _ => {
                    self.error(invalid(), value.span());
                    None
                }
            },
            // "-" is how most originals say "does not apply".
            DeValue::String(s) if s.trim().is_empty() || s.trim() == "-" => None,
            DeValue::String(s) => {
                let date = parse_date_text(s);
                if date.is_none() {
                    self.error(invalid(), value.span());
                }
                date
            }
            _ => {
                self.wrong_type(key, ValueKind::Date, value.span());
                None
            }
        }
    }

    fn document(&mut self, root: &Table<'_>) -> Sop {
        self.known_keys(root, TOP_KEYS);
        match root.get("versi_format") {
            None => {
                self.problems.push(Problem::error(
                    ProblemKind::MissingFormatVersion,
                    Subject::Document,
                ));
                return Sop::default();
            }
            Some(v) => {
                let version = match v.get_ref() {
                    DeValue::Integer(i) if i.radix() == 10 => i.as_str().parse::<u32>().ok(),
                    _ => None,
                };
                let supported = version.is_some_and(|n| (1..=FORMAT_VERSION).contains(&n));
                if let Some(n) = version.filter(|_| supported) {
                    self.version = n;
                }
                if !supported {
                    let found = match v.get_ref() {
                        DeValue::Integer(i) => i.as_str().to_string(),
                        DeValue::String(s) => format!("\"{s}\""),
                        other => other.type_str().to_string(),
                    };
                    // A file of another version may mean anything: read no further.
                    self.error(ProblemKind::UnsupportedFormatVersion { found }, v.span());
                    return Sop::default();
                }
            }
        }

        let mut sop = Sop::default();
        if let Some(identity) = self.sub_table(root, "identitas") {
            sop.identity = self.identity(identity);
        } else if !root.contains_key("identitas") {
            self.problems.push(Problem::error(
                ProblemKind::MissingField {
                    field: "identitas".into(),
                },
                Subject::Document,
            ));
        }
        if let Some(headings) = self.sub_table(root, "judul_kolom") {
            sop.headings = self.headings(headings);
        }
        for (index, item) in self.table_list(root, "pelaksana").into_iter().enumerate() {
            let lane = self.lane(index, item);
            sop.lanes.push(lane);
        }
        let step_items = self.table_list(root, "langkah");
        // The implicit "next" of a step is the one written after it, so ids are read first.
        let ids: Vec<Option<String>> = step_items
            .iter()
            .map(|item| {
                item.get_ref()
                    .as_table()
                    .and_then(|t| t.get("id"))
                    .and_then(|v| v.get_ref().as_str().map(str::to_string))
            })
            .collect();
        let mut row = 0;
        for (index, item) in step_items.iter().enumerate() {
            let following = ids.get(index + 1).cloned().flatten();
            let step = self.step(index, item, following, &mut row);
            sop.steps.push(step);
        }
        sop
    }

    /// A key only version 2 knows, in a version 1 file: said, and read anyway.
    fn needs_v2(&mut self, table: &Table<'_>, keys: &[&str]) {
        if self.version >= 2 {
            return;
        }
        for (key, _) in table.iter() {
            let name = key.get_ref().as_ref();
            if keys.contains(&name) {
                self.error(
                    ProblemKind::NeedsVersion2 {
                        field: name.to_string(),
                    },
                    key.span(),
                );
            }
        }
    }

    /// [judul_kolom]: the headings, and (version 2) the activity column's
    /// heading and which Mutu Baku columns the table has.
    fn headings(&mut self, t: &Table<'_>) -> MutuBakuHeadings {
        self.needs_v2(t, V2_HEADING_KEYS);
        let defaults = MutuBakuHeadings::default();
        let columns = match t.get("mutu_baku") {
            None => MutuBakuHeadings::standard_columns(),
            Some(value) => {
                let mut columns = Vec::new();
                for key in self.text_list(t, "mutu_baku") {
                    let key = key.trim().to_string();
                    let column = match key.as_str() {
                        "kelengkapan" => MutuBakuColumn::Requirements,
                        "waktu" => MutuBakuColumn::Time,
                        "output" => MutuBakuColumn::Output,
                        _ => {
                            let valid = !key.is_empty()
                                && key.chars().all(|c| {
                                    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'
                                })
                                && !STEP_KEYS.contains(&key.as_str());
                            if !valid {
                                self.error(
                                    ProblemKind::BadColumnKey { key: key.clone() },
                                    value.span(),
                                );
                                continue;
                            }
                            let heading = match self.text(t, &key) {
                                Some((h, _)) => h,
                                None => {
                                    self.error(
                                        ProblemKind::ColumnWithoutHeading { key: key.clone() },
                                        value.span(),
                                    );
                                    key.replace('_', " ")
                                }
                            };
                            self.extra_keys.push(key.clone());
                            MutuBakuColumn::Extra { key, heading }
                        }
                    };
                    if columns.contains(&column) {
                        self.error(
                            ProblemKind::DuplicateColumn {
                                key: column.key().to_string(),
                            },
                            value.span(),
                        );
                    } else {
                        columns.push(column);
                    }
                }
                columns
            }
        };
        let extra_keys = self.extra_keys.clone();
        for (key, _) in t.iter() {
            let name = key.get_ref().as_ref();
            if !HEADING_KEYS.contains(&name) && !extra_keys.iter().any(|k| k == name) {
                let suggestion = closest(name, HEADING_KEYS);
                self.error(
                    ProblemKind::UnknownField {
                        field: name.to_string(),
                        suggestion,
                    },
                    key.span(),
                );
            }
        }
        let mut heading =
            |key: &str, default: String| self.text(t, key).map(|(s, _)| s).unwrap_or(default);
        MutuBakuHeadings {
            requirements: heading("kelengkapan", defaults.requirements),
            time: heading("waktu", defaults.time),
            output: heading("output", defaults.output),
            activity: heading("kegiatan", defaults.activity),
            columns,
        }
    }

    fn identity(&mut self, t: &Table<'_>) -> Identity {
        self.known_keys(t, IDENTITY_KEYS);
        let located = |r: &mut Reader<'_>, key: &str, field: IdentityField| -> String {
            match r.text(t, key) {
                Some((s, span)) => {
                    r.map.insert(Subject::Identity(field), span);
                    s
                }
                None => String::new(),
            }
        };
        let name = located(self, "nama_sop", IdentityField::Name);
        let number = located(self, "nomor", IdentityField::Number);
        let mut approver = Approver::default();
        if let Some(v) = t.get("disahkan_oleh") {
            self.map
                .insert(Subject::Identity(IdentityField::ApproverName), v.span());
        }
        if let Some(a) = self.sub_table(t, "disahkan_oleh") {
            self.known_keys(a, APPROVER_KEYS);
            approver.title_lines = self.text_list(a, "jabatan");
            if let Some((s, span)) = self.text(a, "nama") {
                self.map
                    .insert(Subject::Identity(IdentityField::ApproverName), span);
                approver.name = s;
            }
            approver.nip = self
                .text(a, "nip")
                .map(|(s, _)| s)
                .filter(|s| !s.trim().is_empty());
            self.needs_v2(a, &["tanda_tangan"]);
            if let Some((word, span)) = self.text(a, "tanda_tangan") {
                approver.sign_at = match word.trim() {
                    "akhir" => SignaturePlace::End,
                    "identitas" => SignaturePlace::Identity,
                    _ => {
                        self.error(ProblemKind::UnknownSignaturePlace { text: word }, span);
                        SignaturePlace::End
                    }
                };
            }
        }
        Identity {
            name,
            number,
            unit: Unit {
                name: self.text_or_empty(t, "unit"),
                parents: self.text_list(t, "unit_induk"),
            },
            created: self.date(
                t,
                "tanggal_pembuatan",
                Subject::Identity(IdentityField::Created),
            ),
            revised: self.date(
                t,
                "tanggal_revisi",
                Subject::Identity(IdentityField::Revised),
            ),
            effective: self.date(
                t,
                "tanggal_efektif",
                Subject::Identity(IdentityField::Effective),
            ),
            approver,
            place: self.text_or_empty(t, "tempat"),
            legal_basis: self.text_list(t, "dasar_hukum"),
            qualifications: self.text_list(t, "kualifikasi_pelaksana"),
            related: self.text_list(t, "keterkaitan"),
            equipment: self.text_list(t, "peralatan_perlengkapan"),
            warnings: self.text_list(t, "peringatan"),
            records: self.text_list(t, "pencatatan_pendataan"),
        }
    }

    fn lane(&mut self, index: usize, item: &Value<'_>) -> Lane {
        let whole = Subject::Lane {
            index,
            field: LaneField::Whole,
        };
        self.map.insert(whole, item.span());
        let Some(t) = item.get_ref().as_table() else {
            return Lane::default();
        };
        self.known_keys(t, LANE_KEYS);
        let id = match self.text(t, "id") {
            Some((s, span)) => {
                self.map.insert(
                    Subject::Lane {
                        index,
                        field: LaneField::Id,
                    },
                    span,
                );
                s
            }
            None => {
                self.missing("id", item.span());
                String::new()
            }
        };
        Lane {
            id: LaneId(id),
            name: self.text_or_empty(t, "nama"),
        }
    }

    fn missing(&mut self, field: &str, span: Range<usize>) {
        // Point at the table's header line rather than its whole body.
        self.error(
            ProblemKind::MissingField {
                field: field.into(),
            },
            span.start..span.start,
        );
    }

    fn step(
        &mut self,
        index: usize,
        item: &Value<'_>,
        following: Option<String>,
        row: &mut usize,
    ) -> Step {
        let at = |field| Subject::Step { index, field };
        self.map.insert(at(StepField::Whole), item.span());
        let Some(t) = item.get_ref().as_table() else {
            return Step::default();
        };
        let extra_keys = self.extra_keys.clone();
        let allowed: Vec<&str> = STEP_KEYS
            .iter()
            .copied()
            .chain(extra_keys.iter().map(String::as_str))
            .collect();
        for (key, _) in t.iter() {
            let name = key.get_ref().as_ref();
            if !allowed.contains(&name) {
                let suggestion = closest(name, STEP_KEYS);
                self.error(
                    ProblemKind::UnknownField {
                        field: name.to_string(),
                        suggestion,
                    },
                    key.span(),
                );
            }
        }
        self.needs_v2(t, V2_STEP_KEYS);
        let same_row = match t.get("sebaris") {
            Some(v) => match v.get_ref() {
                DeValue::Boolean(b) => {
                    self.map.insert(at(StepField::SameRow), v.span());
                    *b
                }
                _ => {
                    self.wrong_type("sebaris", ValueKind::YesNo, v.span());
                    false
                }
            },
            None => false,
        };
        if !same_row {
            *row += 1;
        }
        let located = |r: &mut Reader<'_>, key: &str, field: StepField| -> Option<String> {
            let (s, span) = r.text(t, key)?;
            r.map.insert(at(field), span);
            Some(s)
        };
        let id = located(self, "id", StepField::Id).unwrap_or_else(|| {
            self.missing("id", item.span());
            String::new()
        });
        let number = located(self, "no", StepField::Number).unwrap_or_else(|| {
            if same_row {
                String::new()
            } else {
                row.to_string()
            }
        });
        let activity = located(self, "kegiatan", StepField::Activity).unwrap_or_default();
        if let Some(v) = t.get("pelaksana") {
            self.map.insert(at(StepField::Lanes), v.span());
        }
        let lanes = self
            .text_list(t, "pelaksana")
            .into_iter()
            .map(LaneId)
            .collect();
        let symbol = match self.text(t, "simbol") {
            Some((word, span)) => {
                self.map.insert(at(StepField::Symbol), span.clone());
                symbol_from_word(&word).unwrap_or_else(|| {
                    self.error(ProblemKind::UnknownSymbol { text: word }, span);
                    Symbol::Process
                })
            }
            None => Symbol::Process,
        };
        let exits = self.exits(index, t, symbol, following);
        let lane_mode = match self.text(t, "pelaksana_cara") {
            None => LaneMode::All,
            Some((word, span)) => {
                self.map.insert(at(StepField::LaneMode), span.clone());
                match word.trim() {
                    "bersama" => LaneMode::All,
                    "salah_satu" | "salah satu" => LaneMode::Any,
                    _ => {
                        self.error(ProblemKind::UnknownLaneMode { text: word }, span);
                        LaneMode::All
                    }
                }
            }
        };
        let label = located(self, "label", StepField::Label).unwrap_or_default();
        let extra = extra_keys
            .iter()
            .filter_map(|k| self.text(t, k).map(|(v, _)| (k.clone(), v)))
            .collect();
        Step {
            id: StepId(id),
            number,
            activity,
            lanes,
            lane_mode,
            same_row,
            label,
            extra,
            symbol,
            exits,
            requirements: self.text_or_empty(t, "kelengkapan"),
            time: self.text_or_empty(t, "waktu"),
            output: self.text_or_empty(t, "output"),
            remarks: self.text_or_empty(t, "keterangan"),
        }
    }

    fn exits(
        &mut self,
        index: usize,
        t: &Table<'_>,
        symbol: Symbol,
        following: Option<String>,
    ) -> Vec<Exit> {
        let at = |field| Subject::Step { index, field };
        let explicit = ["lanjut", "ya", "tidak", "cabang"]
            .iter()
            .any(|k| t.contains_key(*k));
        if !explicit {
            // Start and process flow to the next row unless told otherwise.
            return match (symbol, following) {
                (Symbol::Start | Symbol::Process, Some(next)) => {
                    vec![Exit {
                        label: String::new(),
                        target: StepId(next),
                    }]
                }
                _ => Vec::new(),
            };
        }
        // "The exits" as a whole are shown where the first of them is written.
        if let Some(v) = ["lanjut", "ya", "tidak", "cabang"]
            .iter()
            .find_map(|k| t.get(*k))
        {
            self.map.insert(at(StepField::Exits), v.span());
        }
        let mut exits = Vec::new();
        let mut push = |r: &mut Reader<'_>, label: &str, target: String, span: Range<usize>| {
            r.map.insert(at(StepField::Exit(exits.len())), span);
            exits.push(Exit {
                label: label.to_string(),
                target: StepId(target),
            });
        };
        for (key, label) in [("lanjut", ""), ("ya", "Ya"), ("tidak", "Tidak")] {
            if let Some((target, span)) = self.text(t, key) {
                push(self, label, target, span);
            }
        }
        for item in self.table_list(t, "cabang") {
            let Some(branch) = item.get_ref().as_table() else {
                continue;
            };
            self.known_keys(branch, EXIT_KEYS);
            let label = self.text_or_empty(branch, "label");
            match self.text(branch, "ke") {
                Some((target, span)) => push(self, &label, target, span),
                None => {
                    self.missing("ke", item.span());
                    push(self, &label, String::new(), item.span());
                }
            }
        }
        exits
    }
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maret",
    "april",
    "mei",
    "juni",
    "juli",
    "agustus",
    "september",
    "oktober",
    "november",
    "desember",
];

/// "2024-01-03" or "3 Januari 2024".
pub fn parse_date_text(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(d);
    }
    let mut parts = text.split_whitespace();
    let day: u32 = parts.next()?.parse().ok()?;
    let month_word = parts.next()?.to_lowercase();
    let month = MONTHS
        .iter()
        .position(|m| *m == month_word || (month_word.len() >= 3 && m.starts_with(&month_word)))?;
    let year: i32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()? + 1, day)
}

/// The allowed key nearest to a misspelt one, if it is close enough to be a typo.
fn closest(name: &str, allowed: &[&'static str]) -> Option<&'static str> {
    let name = name.to_lowercase();
    allowed
        .iter()
        .map(|a| (edit_distance(&name, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

// ───────────────────────────── writing ─────────────────────────────

/// Writes an SOP in the file format. Reading the result gives back an equal model.
pub fn write(sop: &Sop) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    write_into(&mut out, sop).unwrap_or_default();
    out
}

fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        return "[]".into();
    }
    let mut s = String::from("[\n");
    for item in items {
        s.push_str("    ");
        s.push_str(&quote(item));
        s.push_str(",\n");
    }
    s.push(']');
    s
}

/// The lowest file format version that holds this SOP: a file written by
/// Lajur stays readable by an older Lajur whenever it can.
pub fn version_needed(sop: &Sop) -> u32 {
    let headings = &sop.headings;
    let v2 = sop.identity.approver.sign_at != SignaturePlace::End
        || headings.activity != MutuBakuHeadings::default().activity
        || headings.columns != MutuBakuHeadings::standard_columns()
        || sop.steps.iter().any(|s| {
            s.same_row || s.lane_mode != LaneMode::All || !s.label.is_empty() || !s.extra.is_empty()
        });
    if v2 { 2 } else { 1 }
}

fn write_into(out: &mut String, sop: &Sop) -> std::fmt::Result {
    let id = &sop.identity;
    let version = version_needed(sop);
    writeln!(out, "# SOP AP (Permenpan RB 35/2012), berkas Lajur.")?;
    writeln!(out, "versi_format = {version}")?;
    writeln!(out)?;
    writeln!(out, "[identitas]")?;
    writeln!(out, "nama_sop = {}", quote(&id.name))?;
    writeln!(out, "nomor = {}", quote(&id.number))?;
    writeln!(out, "unit = {}", quote(&id.unit.name))?;
    if !id.unit.parents.is_empty() {
        writeln!(out, "unit_induk = {}", list(&id.unit.parents))?;
    }
    if !id.place.is_empty() {
        writeln!(out, "tempat = {}", quote(&id.place))?;
    }
    for (key, date) in [
        ("tanggal_pembuatan", id.created),
        ("tanggal_revisi", id.revised),
        ("tanggal_efektif", id.effective),
    ] {
        if let Some(d) = date {
            writeln!(out, "{key} = {}", d.format("%Y-%m-%d"))?;
        }
    }
    for (key, items) in [
        ("dasar_hukum", &id.legal_basis),
        ("kualifikasi_pelaksana", &id.qualifications),
        ("keterkaitan", &id.related),
        ("peralatan_perlengkapan", &id.equipment),
        ("peringatan", &id.warnings),
        ("pencatatan_pendataan", &id.records),
    ] {
        if !items.is_empty() {
            writeln!(out, "{key} = {}", list(items))?;
        }
    }
    writeln!(out)?;
    writeln!(out, "[identitas.disahkan_oleh]")?;
    writeln!(out, "jabatan = {}", list(&id.approver.title_lines))?;
    writeln!(out, "nama = {}", quote(&id.approver.name))?;
    if let Some(nip) = &id.approver.nip {
        writeln!(out, "nip = {}", quote(nip))?;
    }
    if id.approver.sign_at == SignaturePlace::Identity {
        writeln!(out, "tanda_tangan = \"identitas\"")?;
    }
    if sop.headings != MutuBakuHeadings::default() {
        let h = &sop.headings;
        writeln!(out)?;
        writeln!(out, "[judul_kolom]")?;
        if version >= 2 {
            writeln!(out, "kegiatan = {}", quote(&h.activity))?;
            let keys: Vec<String> = h.columns.iter().map(|c| quote(c.key())).collect();
            writeln!(out, "mutu_baku = [{}]", keys.join(", "))?;
        }
        writeln!(out, "kelengkapan = {}", quote(&h.requirements))?;
        writeln!(out, "waktu = {}", quote(&h.time))?;
        writeln!(out, "output = {}", quote(&h.output))?;
        for column in &h.columns {
            if let MutuBakuColumn::Extra { key, heading } = column {
                writeln!(out, "{key} = {}", quote(heading))?;
            }
        }
    }
    for lane in &sop.lanes {
        writeln!(out)?;
        writeln!(out, "[[pelaksana]]")?;
        writeln!(out, "id = {}", quote(&lane.id.0))?;
        writeln!(out, "nama = {}", quote(&lane.name))?;
    }
    let mut row = 0;
    for (index, step) in sop.steps.iter().enumerate() {
        writeln!(out)?;
        writeln!(out, "[[langkah]]")?;
        writeln!(out, "id = {}", quote(&step.id.0))?;
        if step.same_row {
            writeln!(out, "sebaris = true")?;
        } else {
            row += 1;
        }
        let default_number = if step.same_row {
            String::new()
        } else {
            row.to_string()
        };
        if step.number != default_number {
            writeln!(out, "no = {}", quote(&step.number))?;
        }
        if !(step.same_row && step.activity.is_empty()) {
            writeln!(out, "kegiatan = {}", quote(&step.activity))?;
        }
        match step.lanes.as_slice() {
            [] => {}
            [one] => writeln!(out, "pelaksana = {}", quote(&one.0))?,
            many => {
                let names: Vec<String> = many.iter().map(|l| quote(&l.0)).collect();
                writeln!(out, "pelaksana = [{}]", names.join(", "))?;
            }
        }
        if step.lane_mode == LaneMode::Any {
            writeln!(out, "pelaksana_cara = \"salah_satu\"")?;
        }
        if step.symbol != Symbol::Process {
            writeln!(out, "simbol = {}", quote(symbol_word(step.symbol)))?;
        }
        if !step.label.is_empty() {
            writeln!(out, "label = {}", quote(&step.label))?;
        }
        write_exits(out, sop, index, step)?;
        for (key, value) in [
            ("kelengkapan", &step.requirements),
            ("waktu", &step.time),
            ("output", &step.output),
            ("keterangan", &step.remarks),
        ] {
            if !value.is_empty() {
                writeln!(out, "{key} = {}", quote(value))?;
            }
        }
        // The office's own columns, as declared (a value without its column
        // has nowhere to print).
        for column in &sop.headings.columns {
            let value = step.mutu_baku(column);
            if matches!(column, MutuBakuColumn::Extra { .. }) && !value.is_empty() {
                writeln!(out, "{} = {}", column.key(), quote(value))?;
            }
        }
    }
    Ok(())
}

fn write_exits(out: &mut String, sop: &Sop, index: usize, step: &Step) -> std::fmt::Result {
    let following = sop.steps.get(index + 1).map(|s| &s.id);
    let implicit: Vec<Exit> = match (step.symbol, following) {
        (Symbol::Start | Symbol::Process, Some(next)) => {
            vec![Exit {
                label: String::new(),
                target: next.clone(),
            }]
        }
        _ => Vec::new(),
    };
    // The implicit next is only taken when the following step's id reads back as
    // text; an id that is empty still reads back, so this comparison is exact.
    if step.exits == implicit {
        return Ok(());
    }
    match step.exits.as_slice() {
        [one] if one.label.is_empty() => writeln!(out, "lanjut = {}", quote(&one.target.0)),
        [yes, no] if yes.label == "Ya" && no.label == "Tidak" => {
            writeln!(out, "ya = {}", quote(&yes.target.0))?;
            writeln!(out, "tidak = {}", quote(&no.target.0))
        }
        exits => {
            let items: Vec<String> = exits
                .iter()
                .map(|e| {
                    format!(
                        "{{ label = {}, ke = {} }}",
                        quote(&e.label),
                        quote(&e.target.0)
                    )
                })
                .collect();
            writeln!(out, "cabang = [{}]", items.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_and_iso_dates() {
        let d = NaiveDate::from_ymd_opt(2024, 1, 3);
        assert_eq!(parse_date_text("03 Januari 2024"), d);
        assert_eq!(parse_date_text("3 januari 2024"), d);
        assert_eq!(parse_date_text("3 Jan 2024"), d);
        assert_eq!(parse_date_text("2024-01-03"), d);
        assert_eq!(parse_date_text("30 Februari 2024"), None);
        assert_eq!(parse_date_text("kemarin"), None);
    }

    #[test]
    fn typo_suggestions() {
        assert_eq!(closest("kegiatn", STEP_KEYS), Some("kegiatan"));
        assert_eq!(closest("pelaksna", STEP_KEYS), Some("pelaksana"));
        assert_eq!(closest("warna", STEP_KEYS), None);
    }
}
