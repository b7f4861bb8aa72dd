//! Due times from the Mutu Baku Waktu, on the office's calendar.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration as Span, FixedOffset, Months, NaiveDate, Utc};

use crate::sop::Duration;

/// The office's working days, holidays and time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// Working days, Monday first.
    pub working_days: [bool; 7],
    pub holidays: BTreeSet<NaiveDate>,
    /// Minutes east of UTC: WIB +420, WITA +480, WIT +540.
    pub utc_offset_minutes: i32,
}

impl Default for Calendar {
    /// Monday to Friday, WIB.
    fn default() -> Self {
        Calendar {
            working_days: [true, true, true, true, true, false, false],
            holidays: BTreeSet::new(),
            utc_offset_minutes: 7 * 60,
        }
    }
}

impl Calendar {
    fn offset(&self) -> FixedOffset {
        // An offset out of range (a damaged setting) counts as WIB's.
        FixedOffset::east_opt(self.utc_offset_minutes * 60)
            .or_else(|| FixedOffset::east_opt(7 * 3600))
            .unwrap_or_else(|| chrono::Offset::fix(&Utc))
    }

    /// The office's calendar date at an instant (in its own time zone, not
    /// the computer's).
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.offset()).date_naive()
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        let weekday = date.weekday().num_days_from_monday() as usize;
        self.working_days[weekday] && !self.holidays.contains(&date)
    }

    /// When a step entered at `from` is due, given its standard duration.
    pub fn due(&self, from: DateTime<Utc>, standard: Duration) -> DateTime<Utc> {
        match standard {
            Duration::Minutes(m) => from + Span::minutes(i64::from(m)),
            Duration::Days(d) => from + Span::days(i64::from(d)),
            Duration::Months(m) => from.checked_add_months(Months::new(m)).unwrap_or(from),
            Duration::WorkingDays(n) => {
                // n working days later, at the same local time of day; if no day
                // of the week is a working day, count calendar days instead.
                if !self.working_days.iter().any(|w| *w) {
                    return from + Span::days(i64::from(n));
                }
                let local = from.with_timezone(&self.offset());
                let mut date = local.date_naive();
                let mut left = n;
                let mut guard = 0;
                while left > 0 && guard < 3660 {
                    date = date.succ_opt().unwrap_or(date);
                    guard += 1;
                    if self.is_working_day(date) {
                        left -= 1;
                    }
                }
                let time = local.time();
                date.and_time(time)
                    .and_local_timezone(self.offset())
                    .single()
                    .map_or(from, |d| d.with_timezone(&Utc))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        let mut cal = Calendar::default();
        // Friday 12 January 2024, 09:00 WIB = 02:00 UTC.
        let friday = Utc
            .with_ymd_and_hms(2024, 1, 12, 2, 0, 0)
            .single()
            .expect("valid");
        let due = cal.due(friday, Duration::WorkingDays(1));
        assert_eq!(
            due,
            Utc.with_ymd_and_hms(2024, 1, 15, 2, 0, 0)
                .single()
                .expect("valid")
        );
        cal.holidays
            .insert(NaiveDate::from_ymd_opt(2024, 1, 15).expect("date"));
        assert_eq!(
            cal.due(friday, Duration::WorkingDays(1)),
            Utc.with_ymd_and_hms(2024, 1, 16, 2, 0, 0)
                .single()
                .expect("valid")
        );
        assert_eq!(
            cal.due(friday, Duration::Minutes(90)),
            friday + Span::minutes(90)
        );
        assert_eq!(cal.due(friday, Duration::Days(2)), friday + Span::days(2));
    }

    #[test]
    fn local_date_decides_the_working_day() {
        let cal = Calendar::default();
        // Sunday 14 Jan 23:30 UTC is already Monday 06:30 WIB: one working day → Tuesday.
        let t = Utc
            .with_ymd_and_hms(2024, 1, 14, 23, 30, 0)
            .single()
            .expect("valid");
        assert_eq!(
            cal.due(t, Duration::WorkingDays(1)),
            Utc.with_ymd_and_hms(2024, 1, 15, 23, 30, 0)
                .single()
                .expect("valid")
        );
    }
}
