//! The emulator's own JSON writer for responses. Sessions are written once, at start, in
//! the service's key order with timestamps the way the (Java) service prints doubles; page
//! bodies are then assembled from those bytes.

use bytes::{Bytes, BytesMut};

use crate::record::{OutputUrlRecord, SessionRecord};

/// Appends `text` as a JSON string: quotes, backslashes and control characters escaped,
/// everything else (all non-ASCII) as raw UTF-8, as the service does.
pub(crate) fn push_str(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            out.extend_from_slice(format!("\\u{b:04x}").as_bytes());
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Epoch milliseconds as epoch seconds, spelled like Java's `Double.toString`: scientific
/// (`1.541761816338E9`, `1.7E9`) at or above 10^7, plain (`1234.5`, `0.001`) below.
/// Built from the decimal digits of the integer, so there is no binary rounding error.
pub(crate) fn epoch_seconds(ms: i64) -> String {
    if ms == 0 {
        return "0.0".to_string();
    }
    let sign = if ms < 0 { "-" } else { "" };
    let all = ms.unsigned_abs().to_string();
    // value = all * 10^-3; position of the decimal point counted from the left of `all`.
    let int_len = all.len() as i64 - 3;
    if int_len >= 8 {
        let digits = all.trim_end_matches('0');
        let (head, tail) = digits.split_at(1);
        let tail = if tail.is_empty() { "0" } else { tail };
        return format!("{sign}{head}.{tail}E{}", int_len - 1);
    }
    let padded = if int_len <= 0 {
        format!("{}{all}", "0".repeat((1 - int_len) as usize))
    } else {
        all
    };
    let point = padded.len() - 3;
    let frac = padded[point..].trim_end_matches('0');
    let frac = if frac.is_empty() { "0" } else { frac };
    format!("{sign}{}.{frac}", &padded[..point])
}

/// Writes members of one JSON object, inserting commas.
struct ObjectWriter<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> ObjectWriter<'a> {
    fn open(out: &'a mut Vec<u8>) -> Self {
        out.push(b'{');
        ObjectWriter { out, first: true }
    }

    fn key(&mut self, key: &str) -> &mut Vec<u8> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        push_str(self.out, key);
        self.out.push(b':');
        self.out
    }

    fn string(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            push_str(self.key(key), value);
        }
    }

    fn timestamp(&mut self, key: &str, ms: Option<i64>) {
        if let Some(ms) = ms {
            let text = epoch_seconds(ms);
            self.key(key).extend_from_slice(text.as_bytes());
        }
    }

    fn close(self) {
        self.out.push(b'}');
    }
}

/// One session in the service's member order.
pub(crate) fn encode_session(record: &SessionRecord) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    let mut obj = ObjectWriter::open(&mut out);
    obj.string("SessionId", Some(&record.session_id));
    obj.string("Target", record.target.as_deref());
    obj.string("Status", record.status.as_deref());
    obj.timestamp("StartDate", record.start_date_ms);
    obj.timestamp("EndDate", record.end_date_ms);
    obj.string("DocumentName", record.document_name.as_deref());
    obj.string("Owner", record.owner.as_deref());
    obj.string("Reason", record.reason.as_deref());
    obj.string("Details", record.details.as_deref());
    if let Some(url) = &record.output_url {
        encode_output_url(obj.key("OutputUrl"), url);
    }
    obj.string("MaxSessionDuration", record.max_session_duration.as_deref());
    obj.string("AccessType", record.access_type.as_deref());
    obj.close();
    out
}

fn encode_output_url(out: &mut Vec<u8>, url: &OutputUrlRecord) {
    let mut obj = ObjectWriter::open(out);
    obj.string("S3OutputUrl", url.s3_output_url.as_deref());
    obj.string("CloudWatchOutputUrl", url.cloudwatch_output_url.as_deref());
    obj.close();
}

/// `{"Sessions":[...],"NextToken":"..."}` from pre-encoded sessions.
pub(crate) fn page_body(sessions: &[&[u8]], next_token: Option<&str>) -> Bytes {
    let size: usize = sessions.iter().map(|s| s.len() + 1).sum::<usize>() + 64;
    let mut out = BytesMut::with_capacity(size + next_token.map_or(0, str::len));
    out.extend_from_slice(b"{\"Sessions\":[");
    for (i, session) in sessions.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b",");
        }
        out.extend_from_slice(session);
    }
    out.extend_from_slice(b"]");
    if let Some(token) = next_token {
        let mut encoded = Vec::with_capacity(token.len() + 16);
        push_str(&mut encoded, token);
        out.extend_from_slice(b",\"NextToken\":");
        out.extend_from_slice(&encoded);
    }
    out.extend_from_slice(b"}");
    out.freeze()
}

/// The JSON 1.1 error body: `{"__type":"Code","message":"..."}`.
pub(crate) fn error_body(code: &str, message: &str) -> Bytes {
    let mut out = Vec::with_capacity(message.len() + code.len() + 32);
    let mut obj = ObjectWriter::open(&mut out);
    obj.string("__type", Some(code));
    obj.string("message", Some(message));
    obj.close();
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::State;

    #[test]
    fn timestamps_like_java_double_to_string() {
        assert_eq!(epoch_seconds(1_541_761_816_338), "1.541761816338E9");
        assert_eq!(epoch_seconds(1_700_000_000_000), "1.7E9");
        assert_eq!(epoch_seconds(1_000_000_000_000), "1.0E9");
        assert_eq!(epoch_seconds(1_541_761_816_000), "1.541761816E9");
        assert_eq!(epoch_seconds(1_541_761_816_300), "1.5417618163E9");
        assert_eq!(epoch_seconds(10_000_000_000), "1.0E7");
        assert_eq!(epoch_seconds(9_999_999_999), "9999999.999");
        assert_eq!(epoch_seconds(1_234_500), "1234.5");
        assert_eq!(epoch_seconds(100_000), "100.0");
        assert_eq!(epoch_seconds(1), "0.001");
        assert_eq!(epoch_seconds(120), "0.12");
        assert_eq!(epoch_seconds(0), "0.0");
        assert_eq!(epoch_seconds(-1_500), "-1.5");
        assert_eq!(epoch_seconds(-1_541_761_816_338), "-1.541761816338E9");
        assert_eq!(epoch_seconds(32_503_680_000_001), "3.2503680000001E10");
    }

    #[test]
    fn timestamps_parse_back_exactly() {
        for ms in [
            1_541_761_816_338i64,
            1_700_000_000_001,
            1_234_567_890_123,
            5,
            999,
        ] {
            let text = epoch_seconds(ms);
            let secs: f64 = text.parse().unwrap();
            assert_eq!((secs * 1000.0).round() as i64, ms, "{text}");
        }
    }

    #[test]
    fn strings_escape_only_what_json_requires() {
        let mut out = Vec::new();
        push_str(&mut out, "a\"b\\c\nd\u{1}é🚀/\u{2028}");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"a\\\"b\\\\c\\nd\\u0001é🚀/\u{2028}\""
        );
    }

    #[test]
    fn session_member_order_and_empty_output_url() {
        let mut record = SessionRecord::new("s-1");
        record.access_type = Some("Standard".into());
        record.output_url = Some(OutputUrlRecord::default());
        record.start_date_ms = Some(1_700_000_000_000);
        record.target = Some("i-1".into());
        record.state = State::Active;
        let text = String::from_utf8(encode_session(&record)).unwrap();
        assert_eq!(
            text,
            r#"{"SessionId":"s-1","Target":"i-1","StartDate":1.7E9,"OutputUrl":{},"AccessType":"Standard"}"#
        );
    }

    #[test]
    fn pages_and_errors_are_valid_json() {
        let a = encode_session(&SessionRecord::new("a\"é"));
        let b = encode_session(&SessionRecord::new("b"));
        let body = page_body(&[&a, &b], Some("tok+/="));
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["Sessions"][0]["SessionId"], "a\"é");
        assert_eq!(v["NextToken"], "tok+/=");
        let empty: serde_json::Value = serde_json::from_slice(&page_body(&[], None)).unwrap();
        assert_eq!(empty, serde_json::json!({"Sessions": []}));
        let err: serde_json::Value =
            serde_json::from_slice(&error_body("InvalidNextToken", "bad \"x\"")).unwrap();
        assert_eq!(err["__type"], "InvalidNextToken");
        assert_eq!(err["message"], "bad \"x\"");
    }
}
