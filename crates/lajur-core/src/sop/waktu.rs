//! The Mutu Baku "Waktu" column understood as a machine value.
//!
//! Offices write it freely: "10 Menit", "1 Jam", "2 Hari", "1 hari kerja",
//! "1 Minggu", "30 menit - 3 jam", "paling lambat 3 hari kerja", a deadline in
//! words, or nothing. The text is always kept for printing; this module only says
//! what it means where that can be said for sure.

/// A standard duration. Working days stay working days: only the office calendar
/// (later, in the workflow engine) can turn them into instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Duration {
    Minutes(u32),
    /// Calendar days (24 hours each).
    Days(u32),
    /// Hari kerja: counted on the office's working-day calendar.
    WorkingDays(u32),
    Months(u32),
}

impl Duration {
    /// Rough length in minutes, for ordering and comparing ranges. Working days
    /// count as calendar days and months as 30 days here.
    pub fn approx_minutes(self) -> u64 {
        match self {
            Duration::Minutes(m) => u64::from(m),
            Duration::Days(d) | Duration::WorkingDays(d) => u64::from(d) * 24 * 60,
            Duration::Months(m) => u64::from(m) * 30 * 24 * 60,
        }
    }
}

/// What the Waktu column says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StandardTime {
    /// Left empty (or "-").
    Empty,
    /// One duration ("10 Menit", "paling lambat 3 hari kerja").
    Fixed(Duration),
    /// A range ("30 menit - 3 jam", "1-2 hari"): the upper end is the standard.
    Range(Duration, Duration),
    /// Something a person reads but a machine cannot (e.g. "sesuai jadwal").
    Unparsed,
}

impl StandardTime {
    pub fn parse(text: &str) -> StandardTime {
        let norm = normalise(text);
        let trimmed = norm.trim();
        if trimmed.is_empty() || trimmed == "-" {
            return StandardTime::Empty;
        }
        let body = strip_prefix_words(trimmed);
        if let Some(d) = parse_duration(body) {
            return StandardTime::Fixed(d);
        }
        for sep in [
            " - ",
            "-",
            " sampai dengan ",
            " sampai ",
            " s.d. ",
            " s.d ",
            " s/d ",
            " hingga ",
        ] {
            if let Some((lo, hi)) = body.split_once(sep) {
                let (lo, hi) = (lo.trim(), hi.trim());
                let Some(high) = parse_duration(hi) else {
                    continue;
                };
                // "1-2 hari": the lower end borrows the unit of the upper one.
                let low = parse_duration(lo).or_else(|| {
                    let amount = parse_number(lo)?;
                    let unit = split_amount(hi)?.1;
                    to_duration(amount, unit)
                });
                if let Some(low) = low
                    && low.approx_minutes() <= high.approx_minutes()
                {
                    return StandardTime::Range(low, high);
                }
            }
        }
        StandardTime::Unparsed
    }

    /// The standard a step is held to: the duration, or the upper end of a range.
    pub fn limit(self) -> Option<Duration> {
        match self {
            StandardTime::Fixed(d) | StandardTime::Range(_, d) => Some(d),
            StandardTime::Empty | StandardTime::Unparsed => None,
        }
    }
}

fn normalise(text: &str) -> String {
    text.to_lowercase()
        .replace(['\u{2013}', '\u{2014}'], "-")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn strip_prefix_words(text: &str) -> &str {
    const PREFIXES: [&str; 9] = [
        "paling lambat ",
        "paling lama ",
        "selambat-lambatnya ",
        "maksimal ",
        "maksimum ",
        "maks. ",
        "maks ",
        "max ",
        "kurang lebih ",
    ];
    let mut rest = text;
    for p in PREFIXES {
        if let Some(r) = rest.strip_prefix(p) {
            rest = r.trim_start();
        }
    }
    rest.strip_prefix("± ")
        .or_else(|| rest.strip_prefix('±'))
        .unwrap_or(rest)
}

#[derive(Debug, Clone, Copy)]
enum Unit {
    Minute,
    Hour,
    Day,
    WorkingDay,
    Week,
    Month,
}

fn parse_unit(word: &str) -> Option<Unit> {
    let w = word.trim().trim_end_matches('.');
    Some(match w {
        "menit" | "mnt" | "min" | "minute" | "minutes" => Unit::Minute,
        "jam" | "jm" | "hour" | "hours" => Unit::Hour,
        "hari kerja" | "hk" | "working day" | "working days" => Unit::WorkingDay,
        "hari" | "hr" | "day" | "days" => Unit::Day,
        "minggu" | "pekan" | "week" | "weeks" => Unit::Week,
        "bulan" | "bln" | "month" | "months" => Unit::Month,
        _ => return None,
    })
}

/// An amount in tenths, so "0,5 jam" and "1.5 hari" are exact.
fn parse_number(word: &str) -> Option<u64> {
    let w = word.trim();
    let words = [
        ("setengah", 5),
        ("½", 5),
        ("satu", 10),
        ("dua", 20),
        ("tiga", 30),
        ("empat", 40),
        ("lima", 50),
        ("enam", 60),
        ("tujuh", 70),
        ("delapan", 80),
        ("sembilan", 90),
        ("sepuluh", 100),
    ];
    if let Some((_, v)) = words.iter().find(|(name, _)| *name == w) {
        return Some(*v);
    }
    let (int, frac) = match w.split_once([',', '.']) {
        Some((i, f)) => (i, f),
        None => (w, ""),
    };
    if int.is_empty() || int.len() > 6 || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if frac.len() > 1 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let int: u64 = int.parse().ok()?;
    let frac: u64 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    Some(int * 10 + frac)
}

/// Splits "10 menit" or "10menit" into an amount (in tenths) and a unit.
fn split_amount(text: &str) -> Option<(u64, Unit)> {
    let text = text.trim();
    if let Some((num, unit)) = text.split_once(' ')
        && let (Some(n), Some(u)) = (parse_number(num), parse_unit(unit))
    {
        return Some((n, u));
    }
    let split = text.find(|c: char| c.is_alphabetic())?;
    let (num, unit) = text.split_at(split);
    Some((parse_number(num)?, parse_unit(unit)?))
}

fn to_duration(tenths: u64, unit: Unit) -> Option<Duration> {
    let whole = |t: u64| -> Option<u32> {
        if t.is_multiple_of(10) {
            u32::try_from(t / 10).ok()
        } else {
            None
        }
    };
    let minutes = |per_unit: u64| -> Option<Duration> {
        let scaled = tenths.checked_mul(per_unit)?;
        if !scaled.is_multiple_of(10) {
            return None;
        }
        u32::try_from(scaled / 10).ok().map(Duration::Minutes)
    };
    if tenths == 0 {
        return None;
    }
    match unit {
        Unit::Minute => whole(tenths).map(Duration::Minutes),
        Unit::Hour => minutes(60),
        Unit::Day => whole(tenths)
            .map(Duration::Days)
            .or_else(|| minutes(24 * 60)),
        Unit::WorkingDay => whole(tenths).map(Duration::WorkingDays),
        Unit::Week => whole(tenths * 7).map(Duration::Days),
        Unit::Month => whole(tenths).map(Duration::Months),
    }
}

fn parse_duration(text: &str) -> Option<Duration> {
    let (amount, unit) = split_amount(text)?;
    to_duration(amount, unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Duration::*;
    use StandardTime::*;

    #[test]
    fn written_durations() {
        assert_eq!(StandardTime::parse("10 Menit"), Fixed(Minutes(10)));
        assert_eq!(StandardTime::parse("10\tMenit"), Fixed(Minutes(10)));
        assert_eq!(StandardTime::parse("60 Menit"), Fixed(Minutes(60)));
        assert_eq!(StandardTime::parse("1 Jam"), Fixed(Minutes(60)));
        assert_eq!(StandardTime::parse("0,5 jam"), Fixed(Minutes(30)));
        assert_eq!(StandardTime::parse("2 Hari"), Fixed(Days(2)));
        assert_eq!(StandardTime::parse("1 hari kerja"), Fixed(WorkingDays(1)));
        assert_eq!(StandardTime::parse("3 HK"), Fixed(WorkingDays(3)));
        assert_eq!(StandardTime::parse("1 Minggu"), Fixed(Days(7)));
        assert_eq!(StandardTime::parse("1 bulan"), Fixed(Months(1)));
        assert_eq!(StandardTime::parse("15menit"), Fixed(Minutes(15)));
        assert_eq!(StandardTime::parse("satu hari"), Fixed(Days(1)));
        assert_eq!(
            StandardTime::parse("Paling lambat 3 hari kerja"),
            Fixed(WorkingDays(3))
        );
    }

    #[test]
    fn ranges() {
        assert_eq!(
            StandardTime::parse("30 menit - 3 jam"),
            Range(Minutes(30), Minutes(180))
        );
        assert_eq!(StandardTime::parse("1-2 hari"), Range(Days(1), Days(2)));
        assert_eq!(
            StandardTime::parse("1 s.d. 3 hari kerja"),
            Range(WorkingDays(1), WorkingDays(3))
        );
        assert_eq!(
            StandardTime::parse("10 – 15 menit"),
            Range(Minutes(10), Minutes(15))
        );
        assert_eq!(StandardTime::parse("3 jam - 30 menit"), Unparsed);
        assert_eq!(StandardTime::parse("1-2 hari").limit(), Some(Days(2)));
    }

    #[test]
    fn empty_and_words() {
        assert_eq!(StandardTime::parse(""), Empty);
        assert_eq!(StandardTime::parse("  "), Empty);
        assert_eq!(StandardTime::parse("-"), Empty);
        assert_eq!(StandardTime::parse("Sesuai jadwal"), Unparsed);
        assert_eq!(StandardTime::parse("10"), Unparsed);
        assert_eq!(StandardTime::parse("0 menit"), Unparsed);
        assert_eq!(StandardTime::parse("1,5 hari kerja"), Unparsed);
        assert_eq!(StandardTime::parse("99999999 menit"), Unparsed);
    }
}
