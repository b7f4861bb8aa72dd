//! The office itself: its name and place in the hierarchy, its head, its
//! calendar, its paper and backups, and its logo. Pure: values in, values out
//! (the store keeps them, the window edits them, the PDFs print them).

use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::paper::{PageSettings, Paper};
use crate::sop::Sop;
use crate::workflow::Calendar;

/// The kind of unit the office is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum UnitKind {
    /// A village in Yogyakarta, headed by a Lurah.
    #[default]
    Kalurahan,
    Desa,
    /// An urban village, headed by a Lurah.
    Kelurahan,
    /// A sub-district in Yogyakarta, headed by a Panewu.
    Kapanewon,
    Kecamatan,
}

impl UnitKind {
    pub const ALL: [UnitKind; 5] = [
        UnitKind::Kalurahan,
        UnitKind::Desa,
        UnitKind::Kelurahan,
        UnitKind::Kapanewon,
        UnitKind::Kecamatan,
    ];

    /// The word as printed ("Kalurahan").
    pub fn word(self) -> &'static str {
        match self {
            UnitKind::Kalurahan => "Kalurahan",
            UnitKind::Desa => "Desa",
            UnitKind::Kelurahan => "Kelurahan",
            UnitKind::Kapanewon => "Kapanewon",
            UnitKind::Kecamatan => "Kecamatan",
        }
    }

    /// A village-level office sits under a district; a district under a regency only.
    pub fn is_village(self) -> bool {
        matches!(
            self,
            UnitKind::Kalurahan | UnitKind::Desa | UnitKind::Kelurahan
        )
    }

    /// The usual head of such a unit.
    pub fn usual_head(self) -> HeadTitle {
        match self {
            UnitKind::Kalurahan | UnitKind::Kelurahan => HeadTitle::Lurah,
            UnitKind::Desa => HeadTitle::KepalaDesa,
            UnitKind::Kapanewon => HeadTitle::Panewu,
            UnitKind::Kecamatan => HeadTitle::Camat,
        }
    }

    /// The district kind that usually goes with it (Yogyakarta's words together).
    pub fn usual_district(self) -> DistrictKind {
        match self {
            UnitKind::Kalurahan | UnitKind::Kapanewon => DistrictKind::Kapanewon,
            _ => DistrictKind::Kecamatan,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum DistrictKind {
    Kapanewon,
    #[default]
    Kecamatan,
}

impl DistrictKind {
    pub const ALL: [DistrictKind; 2] = [DistrictKind::Kapanewon, DistrictKind::Kecamatan];

    pub fn word(self) -> &'static str {
        match self {
            DistrictKind::Kapanewon => "Kapanewon",
            DistrictKind::Kecamatan => "Kecamatan",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum RegencyKind {
    #[default]
    Kabupaten,
    Kota,
}

impl RegencyKind {
    pub const ALL: [RegencyKind; 2] = [RegencyKind::Kabupaten, RegencyKind::Kota];

    pub fn word(self) -> &'static str {
        match self {
            RegencyKind::Kabupaten => "Kabupaten",
            RegencyKind::Kota => "Kota",
        }
    }
}

/// The head's title, as printed above the signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum HeadTitle {
    #[default]
    Lurah,
    KepalaDesa,
    Camat,
    Panewu,
}

impl HeadTitle {
    pub const ALL: [HeadTitle; 4] = [
        HeadTitle::Lurah,
        HeadTitle::KepalaDesa,
        HeadTitle::Camat,
        HeadTitle::Panewu,
    ];

    pub fn word(self) -> &'static str {
        match self {
            HeadTitle::Lurah => "Lurah",
            HeadTitle::KepalaDesa => "Kepala Desa",
            HeadTitle::Camat => "Camat",
            HeadTitle::Panewu => "Panewu",
        }
    }
}

/// Indonesia's three time zones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Zone {
    #[default]
    Wib,
    Wita,
    Wit,
}

impl Zone {
    pub const ALL: [Zone; 3] = [Zone::Wib, Zone::Wita, Zone::Wit];

    pub fn name(self) -> &'static str {
        match self {
            Zone::Wib => "WIB (UTC+7)",
            Zone::Wita => "WITA (UTC+8)",
            Zone::Wit => "WIT (UTC+9)",
        }
    }

    pub fn utc_offset_minutes(self) -> i32 {
        match self {
            Zone::Wib => 7 * 60,
            Zone::Wita => 8 * 60,
            Zone::Wit => 9 * 60,
        }
    }
}

/// The most an office may let a draft be, in MB.
pub const MAX_ATTACHMENT_MB: u32 = 200;

/// The office's settings. Stored whole; every field has a sensible default so
/// that a first run only has to fill in names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Office {
    pub unit_kind: UnitKind,
    pub unit_name: String,
    pub district_kind: DistrictKind,
    pub district_name: String,
    pub regency_kind: RegencyKind,
    pub regency_name: String,
    pub address: String,
    pub head_title: HeadTitle,
    pub head_name: String,
    /// Empty when the head has none (a Lurah or Kepala Desa often has no NIP).
    pub head_nip: String,
    pub zone: Zone,
    /// Monday first.
    pub working_days: [bool; 7],
    pub holidays: Vec<NaiveDate>,
    pub paper: Paper,
    /// Where the daily backups go; empty for the data folder's "cadangan".
    pub backup_dir: String,
    pub backups_kept: u32,
    /// The largest draft a clerk may attach, in MB (at most
    /// [`MAX_ATTACHMENT_MB`]): an office sharing its
    /// records through a server keeps every draft there too, and may want
    /// a smaller one.
    pub attachment_limit_mb: u32,
}

impl Default for Office {
    fn default() -> Self {
        Office {
            unit_kind: UnitKind::Kalurahan,
            unit_name: String::new(),
            district_kind: DistrictKind::Kapanewon,
            district_name: String::new(),
            regency_kind: RegencyKind::Kabupaten,
            regency_name: String::new(),
            address: String::new(),
            head_title: HeadTitle::Lurah,
            head_name: String::new(),
            head_nip: String::new(),
            zone: Zone::Wib,
            working_days: [true, true, true, true, true, false, false],
            holidays: Vec::new(),
            paper: Paper::F4,
            backup_dir: String::new(),
            backups_kept: 14,
            attachment_limit_mb: MAX_ATTACHMENT_MB,
        }
    }
}

/// What is missing or wrong in the settings, for the form to point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OfficeProblem {
    UnitNameMissing,
    DistrictNameMissing,
    RegencyNameMissing,
    HeadNameMissing,
    NipNotDigits,
    NoWorkingDay,
    BackupsKeptZero,
    /// The attachment limit is 0 or above what Lajur takes at all.
    AttachmentLimitOutOfRange,
}

/// The most backups kept; more only fills the disk.
pub const MAX_BACKUPS_KEPT: u32 = 365;

impl Office {
    /// The unit and its parents, nearest first: "Kalurahan Bunder",
    /// "Kapanewon Patuk", "Kabupaten Gunungkidul".
    pub fn unit_lines(&self) -> Vec<String> {
        let mut lines = vec![join(self.unit_kind.word(), &self.unit_name)];
        if self.unit_kind.is_village() && !self.district_name.trim().is_empty() {
            lines.push(join(self.district_kind.word(), &self.district_name));
        }
        if !self.regency_name.trim().is_empty() {
            lines.push(join(self.regency_kind.word(), &self.regency_name));
        }
        lines
    }

    /// "Kalurahan Bunder": for the window title and the PDFs' author.
    pub fn display_name(&self) -> String {
        join(self.unit_kind.word(), &self.unit_name)
    }

    /// The place written before a date on paper ("Bunder, 22 November 2026").
    pub fn place(&self) -> String {
        self.unit_name.trim().to_string()
    }

    /// The head's title with the unit ("Lurah Bunder").
    pub fn head_jabatan(&self) -> String {
        join(self.head_title.word(), &self.unit_name)
    }

    /// Paged printing on the office's paper, landscape.
    pub fn page_settings(&self) -> PageSettings {
        PageSettings {
            paper: self.paper,
            ..PageSettings::default()
        }
    }

    pub fn calendar(&self) -> Calendar {
        Calendar {
            working_days: self.working_days,
            holidays: self.holidays.iter().copied().collect(),
            utc_offset_minutes: self.zone.utc_offset_minutes(),
        }
    }

    /// Every problem at once, in the order of the form.
    pub fn problems(&self) -> Vec<OfficeProblem> {
        let mut out = Vec::new();
        if self.unit_name.trim().is_empty() {
            out.push(OfficeProblem::UnitNameMissing);
        }
        if self.unit_kind.is_village() && self.district_name.trim().is_empty() {
            out.push(OfficeProblem::DistrictNameMissing);
        }
        if self.regency_name.trim().is_empty() {
            out.push(OfficeProblem::RegencyNameMissing);
        }
        if self.head_name.trim().is_empty() {
            out.push(OfficeProblem::HeadNameMissing);
        }
        if !self
            .head_nip
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ')
        {
            out.push(OfficeProblem::NipNotDigits);
        }
        if !self.working_days.iter().any(|d| *d) {
            out.push(OfficeProblem::NoWorkingDay);
        }
        if self.backups_kept == 0 {
            out.push(OfficeProblem::BackupsKeptZero);
        }
        if !(1..=MAX_ATTACHMENT_MB).contains(&self.attachment_limit_mb) {
            out.push(OfficeProblem::AttachmentLimitOutOfRange);
        }
        out
    }

    /// The largest draft a clerk may attach, in bytes.
    pub fn attachment_limit_bytes(&self) -> u64 {
        u64::from(self.attachment_limit_mb.clamp(1, MAX_ATTACHMENT_MB)) * 1024 * 1024
    }

    /// Whether an SOP is this office's own: its unit is empty, or names this
    /// office. Only then does the office's logo, head and place go on it; an
    /// SOP copied from another office prints as that office wrote it.
    pub fn owns(&self, sop: &Sop) -> bool {
        let name = normalise(&self.unit_name);
        if name.is_empty() {
            return false;
        }
        let unit = &sop.identity.unit;
        if unit.name.trim().is_empty() {
            return true;
        }
        // "PPID Kalurahan Bunder" names "Bunder"; word boundaries, so that
        // "Bunder" does not claim "Bunderan".
        let words: Vec<String> = unit.name.split_whitespace().map(normalise).collect();
        let wanted: Vec<String> = self.unit_name.split_whitespace().map(normalise).collect();
        !wanted.is_empty() && words.windows(wanted.len()).any(|w| w == wanted.as_slice())
    }

    /// The SOP as this office prints it: an empty unit gets the office's, and
    /// on the office's own SOP an empty approver name, NIP or place is filled
    /// from the settings. What the SOP says is never overwritten.
    pub fn letterhead(&self, sop: &Sop) -> Sop {
        let mut out = sop.clone();
        if !self.owns(sop) {
            return out;
        }
        let id = &mut out.identity;
        if id.unit.name.trim().is_empty() {
            let mut lines = self.unit_lines().into_iter();
            id.unit.name = lines.next().unwrap_or_default();
            id.unit.parents = lines.collect();
        }
        if id.approver.name.trim().is_empty() {
            id.approver.name = self.head_name.trim().to_string();
            if id
                .approver
                .nip
                .as_deref()
                .is_none_or(|n| n.trim().is_empty())
                && !self.head_nip.trim().is_empty()
            {
                id.approver.nip = Some(self.head_nip.trim().to_string());
            }
        }
        if id.approver.title_lines.iter().all(|t| t.trim().is_empty()) {
            id.approver.title_lines = vec![self.head_jabatan().to_uppercase()];
        }
        if id.place.trim().is_empty() {
            id.place = self.place();
        }
        out
    }

    /// The settings as stored (TOML).
    pub fn to_text(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// Settings read back; fields missing from an older program's text take
    /// their defaults.
    pub fn from_text(text: &str) -> Result<Office, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }
}

fn join(kind: &str, name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        kind.to_string()
    } else {
        format!("{kind} {name}")
    }
}

fn normalise(s: &str) -> String {
    s.trim()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// The office's logo, decoded and scaled to print size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub width: u32,
    pub height: u32,
    /// RGBA, 8 bits per channel, row by row.
    pub rgba: Vec<u8>,
}

/// Why a logo file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogoError {
    #[error("not a PNG or JPEG image, or a damaged one")]
    NotAnImage,
    #[error("the image is too large ({0} bytes; at most 5 MB)")]
    TooLarge(usize),
}

/// The largest logo file accepted.
pub const MAX_LOGO_BYTES: usize = 5 * 1024 * 1024;
/// The longest side kept: 3 cm at 400 dpi is enough for any letterhead.
pub const LOGO_MAX_PX: u32 = 480;

impl Logo {
    /// Width over height.
    pub fn aspect(&self) -> f32 {
        self.width as f32 / self.height.max(1) as f32
    }
}

/// What the office's settings put on paper and screen: its name, head and
/// place on its own SOPs, its logo on their identity page, its place before
/// dates. Empty (`default`) until the settings are saved: then documents print
/// as written. The one place that decides it (see `lajur_layout::document_for_office`).
#[derive(Debug, Clone, Default)]
pub struct Letterhead {
    pub office: Option<Office>,
    pub logo: Option<Arc<Logo>>,
    /// Printed beside every page number of an SOP document printed with the
    /// office's records at hand: the records' head code at printing, so that
    /// a later rewrite contradicts the paper.
    pub footer: Option<String>,
}

impl Letterhead {
    /// The SOP as the office prints it (see [`Office::letterhead`]).
    pub fn sop(&self, sop: &Sop) -> Sop {
        match &self.office {
            Some(office) => office.letterhead(sop),
            None => sop.clone(),
        }
    }

    /// The page settings with room for the logo, on the office's own SOPs.
    pub fn settings_for(&self, sop: &Sop, settings: &PageSettings) -> PageSettings {
        let owns = self.office.as_ref().is_some_and(|o| o.owns(sop));
        PageSettings {
            logo_aspect: self.logo.as_ref().filter(|_| owns).map(|l| l.aspect()),
            ..*settings
        }
    }

    /// The place written before a date ("Bunder"), empty when unknown.
    pub fn place(&self) -> String {
        self.office.as_ref().map(Office::place).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bunder() -> Office {
        Office {
            unit_name: "Bunder".into(),
            district_name: "Patuk".into(),
            regency_name: "Gunungkidul".into(),
            head_name: "Sutarno".into(),
            ..Office::default()
        }
    }

    fn bundled(index: usize) -> Sop {
        crate::sop::format::read(crate::sop::BUNDLED[index].1).0
    }

    #[test]
    fn unit_lines_nearest_first_and_a_district_has_no_district() {
        assert_eq!(
            bunder().unit_lines(),
            [
                "Kalurahan Bunder",
                "Kapanewon Patuk",
                "Kabupaten Gunungkidul"
            ]
        );
        let kecamatan = Office {
            unit_kind: UnitKind::Kecamatan,
            unit_name: "Mojogedang".into(),
            district_name: "ignored".into(),
            regency_name: "Karanganyar".into(),
            ..Office::default()
        };
        assert_eq!(
            kecamatan.unit_lines(),
            ["Kecamatan Mojogedang", "Kabupaten Karanganyar"]
        );
        assert!(
            !kecamatan
                .problems()
                .contains(&OfficeProblem::DistrictNameMissing)
        );
    }

    #[test]
    fn problems_name_every_missing_field() {
        let empty = Office {
            working_days: [false; 7],
            backups_kept: 0,
            attachment_limit_mb: 0,
            head_nip: "19x".into(),
            ..Office::default()
        };
        assert_eq!(
            empty.problems(),
            [
                OfficeProblem::UnitNameMissing,
                OfficeProblem::DistrictNameMissing,
                OfficeProblem::RegencyNameMissing,
                OfficeProblem::HeadNameMissing,
                OfficeProblem::NipNotDigits,
                OfficeProblem::NoWorkingDay,
                OfficeProblem::BackupsKeptZero,
                OfficeProblem::AttachmentLimitOutOfRange,
            ]
        );
        assert!(bunder().problems().is_empty());
    }

    #[test]
    fn text_round_trips_and_old_text_takes_defaults() {
        let mut office = bunder();
        office.holidays = vec![NaiveDate::from_ymd_opt(2026, 12, 25).expect("date")];
        office.zone = Zone::Wita;
        office.paper = Paper::A4;
        assert_eq!(Office::from_text(&office.to_text()), Ok(office));
        let old = Office::from_text("unit_name = \"Bunder\"").expect("reads");
        assert_eq!(old.backups_kept, 14);
        assert_eq!(old.attachment_limit_mb, 200);
        assert_eq!(old.unit_name, "Bunder");
        assert!(Office::from_text("unit_kind = \"Planet\"").is_err());
    }

    #[test]
    fn calendar_follows_zone_days_and_holidays() {
        let mut office = bunder();
        office.zone = Zone::Wit;
        office.working_days[5] = true;
        let day = NaiveDate::from_ymd_opt(2026, 8, 17).expect("date");
        office.holidays.push(day);
        let cal = office.calendar();
        assert_eq!(cal.utc_offset_minutes, 540);
        assert!(!cal.is_working_day(day));
        assert!(cal.working_days[5]);
    }

    #[test]
    fn owns_by_whole_words_of_the_unit() {
        let mut sop = bundled(0);
        assert_eq!(sop.identity.unit.name, "PPID Kalurahan Bunder");
        assert!(bunder().owns(&sop));
        let other = Office {
            unit_name: "Bunde".into(),
            ..bunder()
        };
        assert!(!other.owns(&sop));
        sop.identity.unit.name = String::new();
        assert!(other.owns(&sop));
        assert!(!Office::default().owns(&sop));
    }

    #[test]
    fn letterhead_fills_only_what_the_sop_leaves_empty() {
        let sop = bundled(0);
        let office = Office {
            head_nip: "196501011990031001".into(),
            ..bunder()
        };
        let printed = office.letterhead(&sop);
        assert_eq!(printed.identity.approver.name, "Sutarno");
        assert_eq!(
            printed.identity.approver.nip.as_deref(),
            Some("196501011990031001")
        );
        // The SOP's own title lines and unit stay as written.
        assert_eq!(
            printed.identity.approver.title_lines,
            sop.identity.approver.title_lines
        );
        assert_eq!(printed.identity.unit, sop.identity.unit);
        assert_eq!(printed.identity.place, "Bunder");

        let mut blank = sop.clone();
        blank.identity.unit.name = String::new();
        blank.identity.unit.parents.clear();
        blank.identity.approver.title_lines.clear();
        let printed = office.letterhead(&blank);
        assert_eq!(printed.identity.unit.name, "Kalurahan Bunder");
        assert_eq!(
            printed.identity.unit.parents,
            ["Kapanewon Patuk", "Kabupaten Gunungkidul"]
        );
        assert_eq!(printed.identity.approver.title_lines, ["LURAH BUNDER"]);

        // Another office's SOP is printed as written.
        let mojogedang = bundled(1);
        assert_eq!(office.letterhead(&mojogedang), mojogedang);
    }
}
