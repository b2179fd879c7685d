//! A DescribeSessions query: every argument checked before any request goes out.

use aws_sdk_ssm::types::{SessionFilter, SessionFilterKey, SessionState};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString, PyTuple};

use crate::errors::invalid_parameter;
use crate::timestamps::instant_filter_value;
use crate::token::Position;

/// The filter keys DescribeSessions takes, with the keyword argument of each.
pub const FILTER_KEYS: [(&str, &str); 7] = [
    ("InvokedAfter", "invoked_after"),
    ("InvokedBefore", "invoked_before"),
    ("Target", "target"),
    ("Owner", "owner"),
    ("Status", "status"),
    ("SessionId", "session_id"),
    ("AccessType", "access_type"),
];
const MAX_FILTERS: usize = 6;
const MAX_FILTER_VALUE_CHARS: usize = 400;
const MAX_PAGE_SIZE: i64 = 200;

/// A checked query.
#[derive(Clone, Debug)]
pub struct Query {
    pub state: SessionState,
    pub filters: Vec<(String, String)>,
    pub page_size: Option<i32>,
    pub max_items: Option<usize>,
    pub start: Position,
    pub starting_token: Option<String>,
}

impl Query {
    pub fn sdk_filters(&self) -> Vec<SessionFilter> {
        self.filters
            .iter()
            .filter_map(|(key, value)| {
                SessionFilter::builder()
                    .key(SessionFilterKey::from(key.as_str()))
                    .value(value)
                    .build()
                    .ok()
            })
            .collect()
    }
}

/// The query arguments as Python passed them.
pub struct QueryArguments<'a, 'py> {
    pub state: &'a Bound<'py, PyAny>,
    pub filters: Option<&'a Bound<'py, PyAny>>,
    /// The keyword shortcuts, in FILTER_KEYS order.
    pub shortcuts: [Option<&'a Bound<'py, PyAny>>; 7],
    pub page_size: Option<&'a Bound<'py, PyAny>>,
    pub max_items: Option<&'a Bound<'py, PyAny>>,
    pub starting_token: Option<&'a Bound<'py, PyAny>>,
}

impl QueryArguments<'_, '_> {
    pub fn check(&self) -> PyResult<Query> {
        let mut filters = Vec::new();
        for ((key, name), value) in FILTER_KEYS.iter().zip(self.shortcuts) {
            if let Some(value) = value.filter(|v| !v.is_none()) {
                filters.push((key.to_string(), filter_value(key, value, name)?));
            }
        }
        if let Some(raw) = self.filters.filter(|v| !v.is_none()) {
            filters.extend(raw_filters(raw)?);
        }
        check_filters(&filters)?;
        let starting_token = self
            .starting_token
            .filter(|v| !v.is_none())
            .map(|v| text_argument(v, "starting_token"))
            .transpose()?;
        let start = match &starting_token {
            Some(token) => Position::decode(token).map_err(invalid_parameter)?,
            None => Position::default(),
        };
        Ok(Query {
            state: state(self.state)?,
            filters,
            page_size: optional_int(self.page_size, "page_size", 1, MAX_PAGE_SIZE)?
                .map(|n| n as i32),
            max_items: optional_int(self.max_items, "max_items", 1, i64::MAX)?.map(|n| n as usize),
            start,
            starting_token,
        })
    }
}

fn state(value: &Bound<'_, PyAny>) -> PyResult<SessionState> {
    match value
        .cast::<PyString>()
        .ok()
        .map(|s| s.to_string())
        .as_deref()
    {
        Some("Active") => Ok(SessionState::Active),
        Some("History") => Ok(SessionState::History),
        _ => Err(invalid_parameter(format!(
            "state must be 'Active' or 'History', got {}",
            value.repr()?
        ))),
    }
}

/// `filters=`: a list of `{"key": ..., "value": ...}` (the API form) or a `{key: value}` dict.
fn raw_filters(raw: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    let pairs: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)> = if let Ok(mapping) = raw.cast::<PyDict>()
    {
        mapping.iter().collect()
    } else if raw.is_instance_of::<PyList>() || raw.is_instance_of::<PyTuple>() {
        raw.try_iter()?
            .map(|item| api_filter(&item?))
            .collect::<PyResult<_>>()?
    } else {
        return Err(invalid_parameter(format!(
            "filters must be a list of {{'key': ..., 'value': ...}} dicts or a {{key: value}} dict, got {}",
            raw.get_type().name()?
        )));
    };
    pairs
        .into_iter()
        .map(|(key, value)| {
            let key = text_argument(&key, "filters key")?;
            let Some((known, _)) = FILTER_KEYS.iter().find(|(k, _)| *k == key) else {
                return Err(invalid_parameter(format!(
                    "filters: unknown key {key:?}; allowed: {}",
                    FILTER_KEYS.map(|(k, _)| k).join(", ")
                )));
            };
            let value = filter_value(known, &value, &format!("filters[{key}]"))?;
            Ok((key, value))
        })
        .collect()
}

fn api_filter<'py>(item: &Bound<'py, PyAny>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let dict = item.cast::<PyDict>().ok().filter(|d| d.len() == 2);
    let pair = dict.and_then(|d| Some((d.get_item("key").ok()??, d.get_item("value").ok()??)));
    pair.ok_or_else(|| {
        invalid_parameter(format!(
            "each filter must be a dict with exactly 'key' and 'value', got {}",
            item.repr().map(|r| r.to_string()).unwrap_or_default()
        ))
    })
}

/// A filter's value, checked under the name the caller gave it (`owner`, `filters[Owner]`).
fn filter_value(key: &str, value: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    let text = if key == "InvokedAfter" || key == "InvokedBefore" {
        instant_filter_value(value, name)?
    } else {
        text_argument(value, name)?
    };
    let chars = text.chars().count();
    if chars == 0 || chars > MAX_FILTER_VALUE_CHARS {
        return Err(invalid_parameter(format!(
            "{name} must be 1 to {MAX_FILTER_VALUE_CHARS} characters, got {chars}"
        )));
    }
    Ok(text)
}

fn check_filters(filters: &[(String, String)]) -> PyResult<()> {
    if filters.len() > MAX_FILTERS {
        return Err(invalid_parameter(format!(
            "at most {MAX_FILTERS} filters are allowed, got {}",
            filters.len()
        )));
    }
    for (index, (key, _)) in filters.iter().enumerate() {
        if filters[..index].iter().any(|(earlier, _)| earlier == key) {
            return Err(invalid_parameter(format!("filter {key} is given twice")));
        }
    }
    Ok(())
}

fn text_argument(value: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    match value.cast::<PyString>() {
        Ok(text) => Ok(text.to_str()?.to_owned()),
        Err(_) => Err(invalid_parameter(format!(
            "{name} must be a str, got {}",
            value.get_type().name()?
        ))),
    }
}

fn optional_int(
    value: Option<&Bound<'_, PyAny>>,
    name: &str,
    min: i64,
    max: i64,
) -> PyResult<Option<i64>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    let number = if value.is_instance_of::<PyBool>() {
        None
    } else {
        value.extract::<i64>().ok()
    };
    match number {
        Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ if max == i64::MAX => Err(invalid_parameter(format!(
            "{name} must be an int >= {min}, got {}",
            value.repr()?
        ))),
        _ => Err(invalid_parameter(format!(
            "{name} must be an int from {min} to {max}, got {}",
            value.repr()?
        ))),
    }
}
