//! A DescribeSessions request body, validated the way the service validates it, and the
//! session filters.
//!
//! Filter semantics chosen here (the service documents none of the edges):
//! - `InvokedAfter`: StartDate >= the instant; `InvokedBefore`: StartDate <= the instant
//!   (both inclusive). Values must be ISO-8601 instants with a zone, e.g.
//!   `2018-08-29T00:00:00Z`; fractions and `±HH:MM` offsets are accepted.
//! - `Target`, `Owner`, `Status`, `SessionId`, `AccessType`: exact, case-sensitive match.
//! - A session without the compared field never matches.
//! - All filters AND together, including the same key given twice (two different
//!   `Owner` values match nothing).

use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::record::{SessionRecord, State};
use crate::time::{Iso, parse_iso8601_ms};

pub(crate) const MAX_PAGE_SIZE: i64 = 200;
const MAX_FILTERS: usize = 6;
const MAX_FILTER_VALUE_LEN: usize = 400;

/// The string-valued fields a filter can compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Target,
    Owner,
    Status,
    SessionId,
    AccessType,
}

/// One validated filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Filter {
    InvokedAfter(i64),
    InvokedBefore(i64),
    Equals(Field, String),
}

impl Filter {
    /// Validates the key (InvalidFilterKey) and, for dates, the value (ValidationException).
    fn parse(key: &str, value: &str) -> Result<Filter, ApiError> {
        let field = match key {
            "InvokedAfter" | "InvokedBefore" => return Filter::parse_date(key, value),
            "Target" => Field::Target,
            "Owner" => Field::Owner,
            "Status" => Field::Status,
            "SessionId" => Field::SessionId,
            "AccessType" => Field::AccessType,
            _ => return Err(ApiError::invalid_filter_key(key)),
        };
        Ok(Filter::Equals(field, value.to_string()))
    }

    fn parse_date(key: &str, value: &str) -> Result<Filter, ApiError> {
        let instant = parse_iso8601_ms(value, Iso::Instant).ok_or_else(|| {
            ApiError::validation_message(format!(
                "The value '{value}' of filter {key} is not a valid ISO-8601 timestamp. \
                 Specify a timestamp such as 2018-08-29T00:00:00Z."
            ))
        })?;
        Ok(if key == "InvokedAfter" {
            Filter::InvokedAfter(instant)
        } else {
            Filter::InvokedBefore(instant)
        })
    }

    pub(crate) fn matches(&self, session: &SessionRecord) -> bool {
        match self {
            Filter::InvokedAfter(t) => session.start_date_ms.is_some_and(|s| s >= *t),
            Filter::InvokedBefore(t) => session.start_date_ms.is_some_and(|s| s <= *t),
            Filter::Equals(field, wanted) => field_value(session, *field) == Some(wanted.as_str()),
        }
    }
}

fn field_value(session: &SessionRecord, field: Field) -> Option<&str> {
    match field {
        Field::Target => session.target.as_deref(),
        Field::Owner => session.owner.as_deref(),
        Field::Status => session.status.as_deref(),
        Field::SessionId => Some(session.session_id.as_str()),
        Field::AccessType => session.access_type.as_deref(),
    }
}

/// A validated DescribeSessions request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Query {
    pub(crate) state: State,
    pub(crate) max_results: Option<usize>,
    /// `None` also for an empty string: that starts from the beginning.
    pub(crate) next_token: Option<String>,
    pub(crate) filters: Vec<Filter>,
    /// The filters as sent, `(key, value)` sorted, for binding tokens to the query.
    pub(crate) raw_filters: Vec<(String, String)>,
}

impl Query {
    pub(crate) fn matches(&self, session: &SessionRecord) -> bool {
        self.filters.iter().all(|f| f.matches(session))
    }
}

/// Parses and validates a request body. An empty body counts as `{}`.
pub(crate) fn parse_request(body: &[u8]) -> Result<Query, ApiError> {
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Map::new())
    } else {
        serde_json::from_slice(body).map_err(|e| {
            ApiError::validation_message(format!("Could not parse request body as JSON: {e}"))
        })?
    };
    let object = value
        .as_object()
        .ok_or_else(|| ApiError::validation_message("The request body must be a JSON object."))?;
    let (state, max_results, raw_filters) = check_constraints(object)?;
    let filters = raw_filters
        .iter()
        .map(|(k, v)| Filter::parse(k, v))
        .collect::<Result<Vec<_>, _>>()?;
    let next_token = optional_string(object, "NextToken", "nextToken")?.filter(|t| !t.is_empty());
    let mut raw_filters = raw_filters;
    raw_filters.sort();
    Ok(Query {
        state,
        max_results,
        next_token,
        filters,
        raw_filters,
    })
}

type Checked = (State, Option<usize>, Vec<(String, String)>);

/// The model constraints (required, enum, ranges, lengths), collected and reported together
/// like the service's `N validation errors detected` message.
fn check_constraints(object: &Map<String, Value>) -> Result<Checked, ApiError> {
    let mut violations = Vec::new();
    let state = check_state(object, &mut violations)?;
    let max_results = check_max_results(object, &mut violations)?;
    let filters = check_filters(object, &mut violations)?;
    match (state, violations.is_empty()) {
        (Some(state), true) => Ok((state, max_results, filters)),
        _ => Err(ApiError::validation(&violations)),
    }
}

fn check_state(
    object: &Map<String, Value>,
    violations: &mut Vec<String>,
) -> Result<Option<State>, ApiError> {
    let Some(text) = optional_string(object, "State", "state")? else {
        violations.push(not_null("state"));
        return Ok(None);
    };
    let state = State::parse(&text);
    if state.is_none() {
        violations.push(format!(
            "Value '{text}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [Active, History]"
        ));
    }
    Ok(state)
}

fn check_max_results(
    object: &Map<String, Value>,
    violations: &mut Vec<String>,
) -> Result<Option<usize>, ApiError> {
    let n = match object.get("MaxResults") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .ok_or_else(|| type_error("maxResults", "an integer"))?,
        Some(_) => return Err(type_error("maxResults", "an integer")),
    };
    if n < 1 {
        violations.push(format!(
            "Value '{n}' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"
        ));
    } else if n > MAX_PAGE_SIZE {
        violations.push(format!(
            "Value '{n}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to {MAX_PAGE_SIZE}"
        ));
    }
    Ok(usize::try_from(n).ok())
}

fn check_filters(
    object: &Map<String, Value>,
    violations: &mut Vec<String>,
) -> Result<Vec<(String, String)>, ApiError> {
    let items = match object.get("Filters") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(type_error("filters", "a list")),
    };
    let mut filters = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let item = item
            .as_object()
            .ok_or_else(|| type_error(&format!("filters.{}.member", i + 1), "a structure"))?;
        let key = member(item, i, "key", violations)?;
        let value = member(item, i, "value", violations)?;
        if let Some(value) = &value {
            check_value_length(value, i, violations);
        }
        if let (Some(key), Some(value)) = (key, value) {
            filters.push((key, value));
        }
    }
    if items.is_empty() || items.len() > MAX_FILTERS {
        let bound = if items.is_empty() {
            "greater than or equal to 1".to_string()
        } else {
            format!("less than or equal to {MAX_FILTERS}")
        };
        violations.push(format!(
            "Value '{}' at 'filters' failed to satisfy constraint: Member must have length {bound}",
            describe_filters(&filters)
        ));
    }
    Ok(filters)
}

/// One member (`key` / `value`) of filter `i`; a null or absent member is a violation.
fn member(
    item: &Map<String, Value>,
    i: usize,
    name: &str,
    violations: &mut Vec<String>,
) -> Result<Option<String>, ApiError> {
    let path = format!("filters.{}.member.{name}", i + 1);
    let text = optional_string(item, name, &path)?;
    if text.is_none() {
        violations.push(not_null(&path));
    }
    Ok(text)
}

/// The service counts lengths in UTF-16 code units (Java strings).
fn check_value_length(value: &str, i: usize, violations: &mut Vec<String>) {
    let len = value.encode_utf16().count();
    let bound = if len < 1 {
        "greater than or equal to 1".to_string()
    } else if len > MAX_FILTER_VALUE_LEN {
        format!("less than or equal to {MAX_FILTER_VALUE_LEN}")
    } else {
        return;
    };
    violations.push(format!(
        "Value '{value}' at 'filters.{}.member.value' failed to satisfy constraint: Member must have length {bound}",
        i + 1
    ));
}

/// Java-style rendering of the filter list for the length message.
fn describe_filters(filters: &[(String, String)]) -> String {
    let items: Vec<String> = filters
        .iter()
        .map(|(k, v)| format!("SessionFilter(key={k}, value={v})"))
        .collect();
    format!("[{}]", items.join(", "))
}

fn not_null(path: &str) -> String {
    format!("Value null at '{path}' failed to satisfy constraint: Member must not be null")
}

fn type_error(path: &str, expected: &str) -> ApiError {
    ApiError::validation_message(format!("Invalid type at '{path}': expected {expected}."))
}

/// A string member that may be absent or null; any other type is a ValidationException.
fn optional_string(
    object: &Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<Option<String>, ApiError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(type_error(path, "a string")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> Result<Query, ApiError> {
        parse_request(body.as_bytes())
    }

    fn error(body: &str) -> (&'static str, String) {
        let e = parse(body).unwrap_err();
        (e.code, e.message)
    }

    #[test]
    fn minimal_and_full_requests() {
        let q = parse(r#"{"State":"Active"}"#).unwrap();
        assert_eq!(
            (q.state, q.max_results, q.next_token),
            (State::Active, None, None)
        );
        let q = parse(
            r#"{"State":"History","MaxResults":200,"NextToken":"t",
                "Filters":[{"key":"Owner","value":"o"},{"key":"InvokedAfter","value":"2018-08-29T00:00:00Z"}]}"#,
        )
        .unwrap();
        assert_eq!(q.max_results, Some(200));
        assert_eq!(q.next_token.as_deref(), Some("t"));
        assert_eq!(q.filters[1], Filter::InvokedAfter(1_535_500_800_000));
        assert_eq!(q.raw_filters[0].0, "InvokedAfter", "raw filters are sorted");
        assert_eq!(
            parse(r#"{"State":"Active","NextToken":""}"#)
                .unwrap()
                .next_token,
            None
        );
    }

    #[test]
    fn aws_wording_for_constraints() {
        assert_eq!(
            error(r#"{"State":"Active","MaxResults":0}"#),
            ("ValidationException", "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1".into())
        );
        assert_eq!(
            error("{}").1,
            "1 validation error detected: Value null at 'state' failed to satisfy constraint: Member must not be null"
        );
        assert_eq!(
            error(r#"{"State":"X"}"#).1,
            "1 validation error detected: Value 'X' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [Active, History]"
        );
        let (_, two) = error(r#"{"State":"active","MaxResults":201}"#);
        assert!(
            two.starts_with("2 validation errors detected: Value 'active' at 'state'"),
            "{two}"
        );
        assert!(two.contains("; Value '201' at 'maxResults'"), "{two}");
    }

    #[test]
    fn filter_list_and_value_constraints() {
        assert_eq!(
            error(r#"{"State":"Active","Filters":[]}"#).0,
            "ValidationException"
        );
        let seven = format!(
            r#"{{"State":"Active","Filters":[{}]}}"#,
            [r#"{"key":"Owner","value":"o"}"#; 7].join(",")
        );
        assert!(
            error(&seven)
                .1
                .contains("Member must have length less than or equal to 6")
        );
        let six = seven.replacen(r#"{"key":"Owner","value":"o"},"#, "", 1);
        assert!(parse(&six).is_ok());
        let long = format!(
            r#"{{"State":"Active","Filters":[{{"key":"Owner","value":"{}"}}]}}"#,
            "x".repeat(401)
        );
        assert!(error(&long).1.contains("'filters.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 400"));
        let max = long.replace(&"x".repeat(401), &"x".repeat(400));
        assert!(parse(&max).is_ok());
        assert!(
            error(r#"{"State":"Active","Filters":[{"key":"Owner","value":""}]}"#)
                .1
                .contains("greater than or equal to 1")
        );
        assert!(
            error(r#"{"State":"Active","Filters":[{"key":"Owner"}]}"#)
                .1
                .contains("Value null at 'filters.1.member.value'")
        );
    }

    #[test]
    fn filter_keys_and_dates() {
        assert_eq!(
            error(r#"{"State":"Active","Filters":[{"key":"Colour","value":"x"}]}"#).0,
            "InvalidFilterKey"
        );
        assert_eq!(
            error(r#"{"State":"Active","Filters":[{"key":"owner","value":"x"}]}"#).0,
            "InvalidFilterKey"
        );
        assert_eq!(
            error(r#"{"State":"Active","Filters":[{"key":"InvokedBefore","value":"yesterday"}]}"#)
                .0,
            "ValidationException"
        );
    }

    #[test]
    fn bad_json_and_types() {
        assert_eq!(error("{").0, "ValidationException");
        assert_eq!(error("[]").0, "ValidationException");
        assert_eq!(error(r#"{"State":1}"#).0, "ValidationException");
        assert_eq!(
            error(r#"{"State":"Active","MaxResults":"5"}"#).0,
            "ValidationException"
        );
        assert_eq!(
            error(r#"{"State":"Active","MaxResults":1.5}"#).0,
            "ValidationException"
        );
        assert_eq!(parse("").unwrap_err().code, "ValidationException");
    }

    #[test]
    fn filter_matching() {
        let mut s = SessionRecord::new("id-1");
        s.owner = Some("arn:o".into());
        s.start_date_ms = Some(1_000);
        assert!(Filter::InvokedAfter(1_000).matches(&s));
        assert!(!Filter::InvokedAfter(1_001).matches(&s));
        assert!(Filter::InvokedBefore(1_000).matches(&s));
        assert!(!Filter::InvokedBefore(999).matches(&s));
        assert!(Filter::Equals(Field::Owner, "arn:o".into()).matches(&s));
        assert!(!Filter::Equals(Field::Owner, "ARN:O".into()).matches(&s));
        assert!(!Filter::Equals(Field::Target, "x".into()).matches(&s));
        assert!(Filter::Equals(Field::SessionId, "id-1".into()).matches(&s));
        s.start_date_ms = None;
        assert!(!Filter::InvokedBefore(i64::MAX).matches(&s));
    }
}
