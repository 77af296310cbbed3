//! Calendar dates of the data (`YYYY-MM-DD`) and "today" without a clock
//! dependency: `SOURCE_DATE_EPOCH` when set, so builds and checks reproduce.
//! Dated legal documents (notices) use [`clock_unix`] instead: the real clock.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses exactly `YYYY-MM-DD` of a real calendar day.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(r)?;
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let (year, month, day) = (num(0..4)? as i32, num(5..7)?, num(8..10)?);
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The civil date of a Unix timestamp (UTC).
    pub fn from_unix(secs: i64) -> Date {
        // Howard Hinnant's days-from-civil, inverted.
        let z = secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(&self) -> i64 {
        // Howard Hinnant's days-from-civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The calendar day in Beijing time (UTC+8) of Unix seconds.
    pub fn beijing(secs: i64) -> Date {
        Date::from_unix(secs + BEIJING_OFFSET)
    }

    /// Today: from `SOURCE_DATE_EPOCH` if set (reproducible builds), else the
    /// clock; the calendar day in Beijing time (UTC+8), which the offices keep.
    pub fn today() -> Date {
        Date::beijing(now_unix())
    }
}

/// Seconds east of UTC of the offices' clocks (Beijing time).
pub const BEIJING_OFFSET: i64 = 8 * 3600;

/// Now as Unix seconds: `SOURCE_DATE_EPOCH` if set, else the clock.
pub fn now_unix() -> i64 {
    source_date_epoch().unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    })
}

/// Now as Unix seconds for a dated legal document (a notice): the real
/// clock, never `SOURCE_DATE_EPOCH` (that makes booklets reproducible; a
/// notice must carry the day it was handed over). Debug builds only honour
/// `GUIDE_TEST_NOW` (Unix seconds), so tests can issue notices on a given
/// day; a release build ignores it. `None` when the clock is before 1970.
pub fn clock_unix() -> Option<i64> {
    #[cfg(debug_assertions)]
    if let Some(t) = std::env::var("GUIDE_TEST_NOW")
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        return Some(t);
    }
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs() as i64)
}

/// Parses a [`timestamp`] back into seconds; `None` unless it is exactly
/// `YYYY-MM-DD HH:MM:SS` of a real day and time.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let (day, time) = (s.get(..10)?, s.get(10..)?);
    let d = Date::parse(day)?;
    let t = time.strip_prefix(' ')?.as_bytes();
    if t.len() != 8 || t[2] != b':' || t[5] != b':' {
        return None;
    }
    let num = |i: usize| -> Option<i64> {
        let (a, b) = (t[i], t[i + 1]);
        (a.is_ascii_digit() && b.is_ascii_digit()).then(|| i64::from((a - b'0') * 10 + (b - b'0')))
    };
    let (h, m, sec) = (num(0)?, num(3)?, num(6)?);
    if h > 23 || m > 59 || sec > 59 {
        return None;
    }
    Some(d.days_since_epoch() * 86_400 + h * 3600 + m * 60 + sec)
}

/// `YYYY-MM-DD HH:MM:SS` (UTC) of Unix seconds.
pub fn timestamp(secs: i64) -> String {
    let d = Date::from_unix(secs);
    let t = secs.rem_euclid(86_400);
    format!("{d} {:02}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
}

/// `SOURCE_DATE_EPOCH`, when set to a number.
pub fn source_date_epoch() -> Option<i64> {
    let v = std::env::var("SOURCE_DATE_EPOCH").ok()?;
    match v.trim().parse() {
        Ok(n) => Some(n),
        Err(_) => {
            // Silently using the clock would make a "reproducible" build
            // differ from the next one.
            eprintln!("警告：SOURCE_DATE_EPOCH=“{v}”不是整数秒数，已忽略（改用当前时间）");
            None
        }
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_days_only() {
        assert_eq!(Date::parse("2024-02-29").map(|d| d.day), Some(29));
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2024-13-01"), None);
        assert_eq!(Date::parse("2024-1-01"), None);
        assert_eq!(Date::parse("２０２４-01-01"), None);
    }

    #[test]
    fn unix_time_to_civil_date() {
        assert_eq!(Date::from_unix(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix(1_796_000_000).to_string(), "2026-11-30");
        assert_eq!(Date::from_unix(951_782_400).to_string(), "2000-02-29");
    }

    #[test]
    fn timestamps_parse_back() {
        for secs in [0, 951_782_400, 1_780_300_799, 1_798_732_800] {
            assert_eq!(parse_timestamp(&timestamp(secs)), Some(secs));
        }
        for bad in [
            "2026-06-01",
            "2026-06-01 24:00:00",
            "2026-06-01T08:00:00",
            "2026-02-30 08:00:00",
            "2026-06-01 08:00:00x",
            "２０２６-06-01 08:00:00",
            "",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }
}
