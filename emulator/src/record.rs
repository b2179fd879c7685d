//! The emulator's model of one session, and how fixtures in the wire/boto3 shape become one.

use serde_json::{Map, Value};

use crate::time::{Iso, parse_iso8601_ms};

/// Which `State` of DescribeSessions lists a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    Active,
    History,
}

impl State {
    /// The service lists ended (or ending) sessions under History and all others under
    /// Active; an unknown status counts as Active.
    pub fn for_status(status: &str) -> State {
        match status {
            "Terminated" | "Terminating" | "Failed" => State::History,
            _ => State::Active,
        }
    }

    /// The wire spelling (`Active` / `History`).
    pub fn as_str(self) -> &'static str {
        match self {
            State::Active => "Active",
            State::History => "History",
        }
    }

    /// The wire spelling back to a state; exact (the service's enum check is case-sensitive).
    pub fn parse(text: &str) -> Option<State> {
        match text {
            "Active" => Some(State::Active),
            "History" => Some(State::History),
            _ => None,
        }
    }
}

/// `OutputUrl`; both members absent still encodes as `{}` (the service sends that).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutputUrlRecord {
    pub s3_output_url: Option<String>,
    pub cloudwatch_output_url: Option<String>,
}

/// One session as the emulator stores it. Field comments give the wire names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// SessionId
    pub session_id: String,
    /// Target
    pub target: Option<String>,
    /// Status (any string passes through)
    pub status: Option<String>,
    /// StartDate, epoch milliseconds
    pub start_date_ms: Option<i64>,
    /// EndDate, epoch milliseconds
    pub end_date_ms: Option<i64>,
    /// DocumentName
    pub document_name: Option<String>,
    /// Owner
    pub owner: Option<String>,
    /// Reason
    pub reason: Option<String>,
    /// Details
    pub details: Option<String>,
    /// OutputUrl
    pub output_url: Option<OutputUrlRecord>,
    /// MaxSessionDuration
    pub max_session_duration: Option<String>,
    /// AccessType
    pub access_type: Option<String>,
    /// Which State lists it.
    pub state: State,
}

impl SessionRecord {
    /// A session with only an id; Active. Handy for tests and fixtures.
    pub fn new(session_id: impl Into<String>) -> SessionRecord {
        SessionRecord {
            session_id: session_id.into(),
            target: None,
            status: None,
            start_date_ms: None,
            end_date_ms: None,
            document_name: None,
            owner: None,
            reason: None,
            details: None,
            output_url: None,
            max_session_duration: None,
            access_type: None,
            state: State::Active,
        }
    }

    /// Parse one session in the wire/boto3 shape (PascalCase keys). StartDate/EndDate may
    /// be a JSON number (epoch seconds, fractional allowed) or an ISO-8601 string; `State`
    /// may be given as an extra key ("Active"/"History"), else it is derived from Status.
    /// A `null` value counts as absent. Unknown keys are an error naming the key.
    pub fn from_json(value: &Value) -> Result<SessionRecord, String> {
        let object = value
            .as_object()
            .ok_or_else(|| format!("a session must be a JSON object, got {}", kind(value)))?;
        let session_id = string_field(object, "SessionId")?
            .ok_or_else(|| "a session needs a SessionId".to_string())?;
        let mut record = SessionRecord::new(session_id);
        let mut explicit_state = None;
        for (key, field) in object {
            match key.as_str() {
                "SessionId" => {}
                "Target" => record.target = string_field(object, key)?,
                "Status" => record.status = string_field(object, key)?,
                "StartDate" => record.start_date_ms = timestamp_field(key, field)?,
                "EndDate" => record.end_date_ms = timestamp_field(key, field)?,
                "DocumentName" => record.document_name = string_field(object, key)?,
                "Owner" => record.owner = string_field(object, key)?,
                "Reason" => record.reason = string_field(object, key)?,
                "Details" => record.details = string_field(object, key)?,
                "OutputUrl" => record.output_url = output_url_field(field)?,
                "MaxSessionDuration" => record.max_session_duration = string_field(object, key)?,
                "AccessType" => record.access_type = string_field(object, key)?,
                "State" => explicit_state = state_field(field)?,
                other => return Err(format!("unknown session key {other:?}")),
            }
        }
        record.state = explicit_state
            .unwrap_or_else(|| State::for_status(record.status.as_deref().unwrap_or("")));
        Ok(record)
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn string_field(object: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(other) => Err(format!("{key} must be a string, got {}", kind(other))),
    }
}

fn state_field(value: &Value) -> Result<Option<State>, String> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) => State::parse(text)
            .map(Some)
            .ok_or_else(|| format!("State must be \"Active\" or \"History\", got {text:?}")),
        other => Err(format!("State must be a string, got {}", kind(other))),
    }
}

/// Epoch seconds (a number) or an ISO-8601 string, to epoch milliseconds.
fn timestamp_field(key: &str, value: &Value) -> Result<Option<i64>, String> {
    match value {
        Value::Null => Ok(None),
        Value::Number(number) => seconds_to_ms(number)
            .map(Some)
            .ok_or_else(|| format!("{key} is out of range: {number}")),
        Value::String(text) => parse_iso8601_ms(text, Iso::Lenient)
            .map(Some)
            .ok_or_else(|| format!("{key} is not an ISO-8601 timestamp: {text:?}")),
        other => Err(format!(
            "{key} must be a number or a string, got {}",
            kind(other)
        )),
    }
}

/// Integers convert exactly; fractions round to the nearest millisecond, which absorbs
/// the binary error of values like `1541761816.338`.
fn seconds_to_ms(number: &serde_json::Number) -> Option<i64> {
    if let Some(secs) = number.as_i64() {
        return secs.checked_mul(1000);
    }
    let ms = (number.as_f64()? * 1000.0).round();
    (ms.is_finite() && ms.abs() < 9.0e15).then_some(ms as i64)
}

fn output_url_field(value: &Value) -> Result<Option<OutputUrlRecord>, String> {
    let object = match value {
        Value::Null => return Ok(None),
        Value::Object(object) => object,
        other => return Err(format!("OutputUrl must be an object, got {}", kind(other))),
    };
    if let Some(unknown) = object
        .keys()
        .find(|k| !matches!(k.as_str(), "S3OutputUrl" | "CloudWatchOutputUrl"))
    {
        return Err(format!("unknown OutputUrl key {unknown:?}"));
    }
    Ok(Some(OutputUrlRecord {
        s3_output_url: string_field(object, "S3OutputUrl")?,
        cloudwatch_output_url: string_field(object, "CloudWatchOutputUrl")?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_the_wire_shape() {
        let record = SessionRecord::from_json(&json!({
            "SessionId": "alice-0a1b2c3d4e5f67890",
            "Target": "i-0123456789abcdef0",
            "Status": "Terminated",
            "StartDate": 1541761816.338,
            "EndDate": "2018-11-09T11:20:16Z",
            "OutputUrl": {},
            "MaxSessionDuration": "60",
            "Reason": null,
        }))
        .unwrap();
        assert_eq!(record.start_date_ms, Some(1_541_761_816_338));
        assert_eq!(record.end_date_ms, Some(1_541_762_416_000));
        assert_eq!(record.state, State::History);
        assert_eq!(record.output_url, Some(OutputUrlRecord::default()));
        assert_eq!(record.reason, None);
    }

    #[test]
    fn explicit_state_wins_and_integers_are_seconds() {
        let record = SessionRecord::from_json(
            &json!({"SessionId": "s", "Status": "Connected", "State": "History", "StartDate": 1700000000}),
        )
        .unwrap();
        assert_eq!(record.state, State::History);
        assert_eq!(record.start_date_ms, Some(1_700_000_000_000));
    }

    #[test]
    fn errors_name_the_problem() {
        let err = |v| SessionRecord::from_json(&v).unwrap_err();
        assert!(err(json!({"SessionId": "s", "Colour": 1})).contains("Colour"));
        assert!(err(json!({"Target": "x"})).contains("SessionId"));
        assert!(err(json!({"SessionId": 5})).contains("SessionId"));
        assert!(err(json!({"SessionId": "s", "StartDate": "soon"})).contains("StartDate"));
        assert!(err(json!({"SessionId": "s", "State": "Gone"})).contains("State"));
        assert!(err(json!({"SessionId": "s", "OutputUrl": {"Http": "x"}})).contains("Http"));
        assert!(err(json!([1])).contains("object"));
    }

    #[test]
    fn state_for_status() {
        assert_eq!(State::for_status("Failed"), State::History);
        assert_eq!(State::for_status("Terminating"), State::History);
        assert_eq!(State::for_status("Disconnected"), State::Active);
        assert_eq!(State::for_status("Whatever"), State::Active);
    }
}
