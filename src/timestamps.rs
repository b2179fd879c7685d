//! Instants: the service's timestamps to Python datetimes, and Python datetimes (or ISO-8601
//! strings) to the `YYYY-MM-DDTHH:MM:SSZ` form the DescribeSessions filters take.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDateTime, PyString, PyTzInfo};

use crate::errors::invalid_parameter;

/// An instant with nanosecond precision, as the SDK parsed it from the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp {
    pub secs: i64,
    pub nanos: u32,
}

impl Timestamp {
    /// Epoch seconds as the service sends them, kept to the microsecond: the precision
    /// Python sees. (The double's noise in the nanoseconds, `.695` read as `.695000047`,
    /// would make sessions that look equal in Python compare and hash unequal.)
    pub fn from_epoch_seconds(seconds: f64) -> Timestamp {
        let whole = seconds.floor();
        let micros = ((seconds - whole) * 1e6).round() as u32;
        let (secs, micros) = if micros >= 1_000_000 {
            (whole as i64 + 1, 0)
        } else {
            (whole as i64, micros)
        };
        Timestamp {
            secs,
            nanos: micros * 1000,
        }
    }

    /// Whole microseconds, rounded to nearest like Python's `datetime.fromtimestamp`.
    fn to_micros(self) -> (i64, u32) {
        let micros = (self.nanos + 500) / 1000;
        if micros == 1_000_000 {
            (self.secs + 1, 0)
        } else {
            (self.secs, micros)
        }
    }

    /// A timezone-aware UTC `datetime.datetime`.
    pub fn to_py<'py>(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let (secs, micros) = self.to_micros();
        let civil = Civil::from_epoch_secs(secs);
        let utc = PyTzInfo::utc(py)?;
        match civil.pickle_state(micros) {
            // `datetime(state, tzinfo)` is how pickles rebuild a datetime: CPython reads the
            // ten bytes directly, in about half the time the eight-argument constructor
            // takes under the stable ABI. The layout cannot change: every Python must load
            // pickles made by every other.
            Some(state) => py
                .get_type::<PyDateTime>()
                .call1((PyBytes::new(py, &state), utc)),
            // Outside datetime's range: its constructor raises the error.
            None => PyDateTime::new(
                py,
                civil.year,
                civil.month,
                civil.day,
                civil.hour,
                civil.minute,
                civil.second,
                micros,
                Some(&utc),
            )
            .map(Bound::into_any),
        }
    }

    /// Reads a `datetime.datetime`; a naive one is taken as UTC.
    pub fn from_py(value: &Bound<'_, PyAny>, name: &str) -> PyResult<Timestamp> {
        let py = value.py();
        if !value.is_instance_of::<PyDateTime>() {
            return Err(invalid_parameter(format!(
                "{name} must be a datetime.datetime, got {}",
                value.get_type().name()?
            )));
        }
        let utc = PyTzInfo::utc(py)?;
        let aware = if value.getattr("tzinfo")?.is_none() {
            let kwargs = pyo3::types::PyDict::new(py);
            kwargs.set_item("tzinfo", utc)?;
            value.call_method("replace", (), Some(&kwargs))?
        } else {
            value.call_method1("astimezone", (&utc,)).map_err(|_| {
                invalid_parameter(format!("{name} cannot be expressed in UTC: {value}"))
            })?
        };
        let field = |name: &str| -> PyResult<i64> { aware.getattr(name)?.extract() };
        let civil = Civil {
            year: i32::try_from(field("year")?).unwrap_or(1970),
            month: u8::try_from(field("month")?).unwrap_or(1),
            day: u8::try_from(field("day")?).unwrap_or(1),
            hour: u8::try_from(field("hour")?).unwrap_or(0),
            minute: u8::try_from(field("minute")?).unwrap_or(0),
            second: u8::try_from(field("second")?).unwrap_or(0),
        };
        let micros = u32::try_from(field("microsecond")?).unwrap_or(0);
        Ok(Timestamp {
            secs: civil.to_epoch_secs(),
            nanos: micros * 1000,
        })
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, with `.fff` only when there is a sub-second part.
    pub fn to_filter_value(self) -> String {
        let civil = Civil::from_epoch_secs(self.secs);
        let base = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            civil.year, civil.month, civil.day, civil.hour, civil.minute, civil.second
        );
        if self.nanos == 0 {
            format!("{base}Z")
        } else {
            format!("{base}.{:03}Z", self.nanos / 1_000_000)
        }
    }
}

/// A filter value for InvokedAfter/InvokedBefore: a datetime is formatted, a string is sent
/// exactly as given (the service validates it, as it does for the AWS CLI).
pub fn instant_filter_value(value: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(text.to_str()?.to_owned());
    }
    Ok(Timestamp::from_py(value, name)?.to_filter_value())
}

/// A UTC calendar date and time of day.
#[derive(Debug, PartialEq, Eq)]
struct Civil {
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
}

impl Civil {
    /// The state `datetime.__reduce__` gives: big-endian year, month, day, hour, minute,
    /// second, big-endian 3-byte microsecond. None for a year datetime cannot hold.
    fn pickle_state(&self, micros: u32) -> Option<[u8; 10]> {
        let year = u16::try_from(self.year)
            .ok()
            .filter(|y| (1..=9999).contains(y))?;
        let [year_high, year_low] = year.to_be_bytes();
        let [_, micro_high, micro_mid, micro_low] = micros.to_be_bytes();
        Some([
            year_high,
            year_low,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            micro_high,
            micro_mid,
            micro_low,
        ])
    }

    // Howard Hinnant's days-from-civil algorithms: exact over the whole proleptic calendar.
    fn from_epoch_secs(secs: i64) -> Civil {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Civil {
            year: year as i32,
            month: month as u8,
            day: day as u8,
            hour: (rem / 3600) as u8,
            minute: (rem % 3600 / 60) as u8,
            second: (rem % 60) as u8,
        }
    }

    fn to_epoch_secs(&self) -> i64 {
        let month = i64::from(self.month);
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let mp = (month + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trips_across_eras() {
        for secs in [
            -62_135_596_800,
            -1,
            0,
            951_782_400,
            1_700_000_000,
            253_402_300_799,
        ] {
            assert_eq!(Civil::from_epoch_secs(secs).to_epoch_secs(), secs);
        }
    }

    #[test]
    fn leap_day_is_a_real_day() {
        let civil = Civil::from_epoch_secs(951_782_400);
        assert_eq!((civil.year, civil.month, civil.day), (2000, 2, 29));
    }

    #[test]
    fn filter_value_has_milliseconds_only_when_needed() {
        let whole = Timestamp {
            secs: 1_700_000_000,
            nanos: 0,
        };
        assert_eq!(whole.to_filter_value(), "2023-11-14T22:13:20Z");
        let fraction = Timestamp {
            secs: 1_700_000_000,
            nanos: 5_000_000,
        };
        assert_eq!(fraction.to_filter_value(), "2023-11-14T22:13:20.005Z");
    }

    #[test]
    fn epoch_seconds_keep_whole_microseconds() {
        assert_eq!(
            Timestamp::from_epoch_seconds(1_762_170_508.695),
            Timestamp {
                secs: 1_762_170_508,
                nanos: 695_000_000
            }
        );
        assert_eq!(
            Timestamp::from_epoch_seconds(4.999_999_9),
            Timestamp { secs: 5, nanos: 0 }
        );
        assert_eq!(
            Timestamp::from_epoch_seconds(-1.5),
            Timestamp {
                secs: -2,
                nanos: 500_000_000
            }
        );
    }

    #[test]
    fn micros_round_to_nearest_and_carry() {
        assert_eq!(
            Timestamp {
                secs: 5,
                nanos: 337_999_868
            }
            .to_micros(),
            (5, 338_000)
        );
        assert_eq!(
            Timestamp {
                secs: 5,
                nanos: 999_999_600
            }
            .to_micros(),
            (6, 0)
        );
    }
}
