//! Calendar arithmetic and the few timestamp formats the emulator reads and writes:
//! ISO-8601 instants (filters, `from_json`), SigV4's `YYYYMMDDTHHMMSSZ`. Hand-written so
//! the emulator shares no date library with the client side.

use std::time::{SystemTime, UNIX_EPOCH};

const MS_PER_DAY: i64 = 86_400_000;

/// Milliseconds since the Unix epoch, now. A clock before 1970 reads as 0.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`]: (year, month, day).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// SigV4's basic-format timestamp, e.g. `20150830T123600Z`.
pub(crate) fn format_amz_date(epoch_secs: i64) -> String {
    let (year, month, day) = civil_from_days(epoch_secs.div_euclid(86_400));
    let secs = epoch_secs.rem_euclid(86_400);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Parses `YYYYMMDDTHHMMSSZ` to epoch seconds.
pub(crate) fn parse_amz_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let year = digits(&b[0..4])? as i64;
    let (month, day) = (digits(&b[4..6])?, digits(&b[6..8])?);
    let (hour, minute, second) = (digits(&b[9..11])?, digits(&b[11..13])?, digits(&b[13..15])?);
    let date = checked_days(year, month, day)?;
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(date * 86_400 + i64::from(hour * 3600 + minute * 60 + second))
}

/// How lenient [`parse_iso8601_ms`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Iso {
    /// An instant: date, `T`, time and a zone (`Z` or `±HH:MM`). Used for filter values.
    Instant,
    /// Also a space for `T`, a missing zone (read as UTC) or a bare date (midnight UTC):
    /// what Python's `str(datetime)` and hand-written fixtures produce.
    Lenient,
}

/// Parses an ISO-8601 extended-format timestamp to epoch milliseconds (fractions beyond
/// milliseconds are truncated). `None` when it is not one.
pub(crate) fn parse_iso8601_ms(text: &str, mode: Iso) -> Option<i64> {
    let b = text.trim().as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(&b[0..4])? as i64;
    let days = checked_days(year, digits(&b[5..7])?, digits(&b[8..10])?)?;
    let rest = &b[10..];
    if rest.is_empty() {
        return (mode == Iso::Lenient).then_some(days * MS_PER_DAY);
    }
    let separator_ok = matches!(rest[0], b'T' | b't') || (mode == Iso::Lenient && rest[0] == b' ');
    if !separator_ok {
        return None;
    }
    let (time_ms, zone) = parse_time(&rest[1..])?;
    let offset_ms = match zone {
        [] if mode == Iso::Lenient => 0,
        zone => parse_zone(zone)?,
    };
    Some(days * MS_PER_DAY + time_ms - offset_ms)
}

/// `HH:MM[:SS[.fff...]]` followed by the zone, which is returned unparsed.
fn parse_time(b: &[u8]) -> Option<(i64, &[u8])> {
    if b.len() < 5 || b[2] != b':' {
        return None;
    }
    let (hour, minute) = (digits(&b[0..2])?, digits(&b[3..5])?);
    let mut rest = &b[5..];
    let mut second = 0;
    let mut millis = 0;
    if rest.first() == Some(&b':') {
        second = digits(rest.get(1..3)?)?;
        rest = &rest[3..];
        if matches!(rest.first(), Some(b'.' | b',')) {
            let frac_len = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if frac_len == 0 {
                return None;
            }
            millis = fraction_to_millis(&rest[1..1 + frac_len]);
            rest = &rest[1 + frac_len..];
        }
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let ms = i64::from(hour * 3600 + minute * 60 + second) * 1000 + millis;
    Some((ms, rest))
}

/// First three fraction digits as milliseconds (`5` -> 500, `123456` -> 123).
fn fraction_to_millis(frac: &[u8]) -> i64 {
    (0..3).fold(0, |acc, i| {
        acc * 10 + frac.get(i).map_or(0, |d| i64::from(d - b'0'))
    })
}

/// `Z`, `±HH:MM`, `±HHMM` or `±HH` to an offset in milliseconds east of UTC.
fn parse_zone(b: &[u8]) -> Option<i64> {
    let sign = match b.first()? {
        b'Z' | b'z' if b.len() == 1 => return Some(0),
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (hours, minutes) = match &b[1..] {
        [h1, h2] => (digits(&[*h1, *h2])?, 0),
        [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?),
        _ => return None,
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some(sign * i64::from(hours * 60 + minutes) * 60_000)
}

fn checked_days(year: i64, month: u32, day: u32) -> Option<i64> {
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// An all-ASCII-digit slice as a number; `None` otherwise.
fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [-800_000, -1, 0, 1, 11_016, 17_000, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn instants() {
        let p = |s| parse_iso8601_ms(s, Iso::Instant);
        assert_eq!(p("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(p("2018-08-29T00:00:00Z"), Some(1_535_500_800_000));
        assert_eq!(p("2018-11-09T11:10:16.338Z"), Some(1_541_761_816_338));
        assert_eq!(p("2018-11-09T12:10:16.3389+01:00"), Some(1_541_761_816_338));
        assert_eq!(p("2018-11-09T06:10:16.338-0500"), Some(1_541_761_816_338));
        assert_eq!(p("2018-11-09T11:10Z"), Some(1_541_761_800_000));
        for bad in [
            "",
            "yesterday",
            "2018-08-29",
            "2018-08-29T00:00:00",
            "2018-08-29 00:00:00Z",
            "2018-02-30T00:00:00Z",
            "2018-08-29T24:00:00Z",
            "2018-08-29T00:00:00.Z",
            "2018-08-29T00:00:00+25:00",
            "1535500800",
        ] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }

    #[test]
    fn lenient_forms() {
        let p = |s| parse_iso8601_ms(s, Iso::Lenient);
        assert_eq!(p("2018-08-29"), Some(1_535_500_800_000));
        assert_eq!(p("2018-08-29 00:00:00"), Some(1_535_500_800_000));
        assert_eq!(p("2018-08-29 02:00:00+02:00"), Some(1_535_500_800_000));
    }

    #[test]
    fn amz_dates() {
        assert_eq!(parse_amz_date("20150830T123600Z"), Some(1_440_938_160));
        assert_eq!(format_amz_date(1_440_938_160), "20150830T123600Z");
        assert_eq!(parse_amz_date("20150830T123600"), None);
        assert_eq!(parse_amz_date("20151330T123600Z"), None);
    }
}
