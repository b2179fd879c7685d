//! A DescribeSessions response body parsed into sessions: the JSON 1.1 document as the
//! service sends it (members in PascalCase, timestamps as epoch seconds). Members this
//! version does not know are ignored, as the SDK ignores them.

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::session_fields::SessionFields;
use crate::timestamps::Timestamp;

/// What the pager needs at once from a page: its NextToken, to ask for the next page
/// while this one is still being parsed, and, when it is counting, how many sessions it
/// holds.
#[derive(Debug, PartialEq, Eq)]
pub struct Skim {
    pub next_token: Option<String>,
    pub session_count: Option<usize>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireSkim {
    next_token: Option<String>,
    // Elements of no size: counting them allocates nothing.
    sessions: Option<Vec<IgnoredAny>>,
}

// Members are borrowed from the body where they need no unescaping: the record then
// copies each once, into its single allocation.
type WireText<'a> = Option<Cow<'a, str>>;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireSessions {
    sessions: Option<Records>,
}

/// The `Sessions` array, each element made into its record as soon as it is read.
struct Records(Vec<SessionFields>);

impl<'de> Deserialize<'de> for Records {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(RecordsVisitor)
    }
}

struct RecordsVisitor;

impl<'de> serde::de::Visitor<'de> for RecordsVisitor {
    type Value = Records;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of sessions")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Records, A::Error> {
        let mut records = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(session) = seq.next_element::<WireSession<'de>>()? {
            records.push(session.into_fields().map_err(serde::de::Error::custom)?);
        }
        Ok(Records(records))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireSession<'a> {
    #[serde(borrow)]
    session_id: WireText<'a>,
    #[serde(borrow)]
    target: WireText<'a>,
    #[serde(borrow)]
    status: WireText<'a>,
    start_date: Option<f64>,
    end_date: Option<f64>,
    #[serde(borrow)]
    document_name: WireText<'a>,
    #[serde(borrow)]
    owner: WireText<'a>,
    #[serde(borrow)]
    reason: WireText<'a>,
    #[serde(borrow)]
    details: WireText<'a>,
    #[serde(borrow)]
    output_url: Option<WireOutputUrl<'a>>,
    #[serde(borrow)]
    max_session_duration: WireText<'a>,
    #[serde(borrow)]
    access_type: WireText<'a>,
}

#[derive(Deserialize, Default)]
struct WireOutputUrl<'a> {
    #[serde(rename = "S3OutputUrl", borrow)]
    s3_output_url: WireText<'a>,
    #[serde(rename = "CloudWatchOutputUrl", borrow)]
    cloudwatch_output_url: WireText<'a>,
}

/// Reads a successful response body's NextToken, and its session count when asked to.
/// Without a count, the token is usually found at the document's edge without reading
/// the sessions. `Err` says what is wrong with the body.
pub fn skim_page(body: &[u8], count_sessions: bool) -> Result<Skim, String> {
    if !count_sessions && let Some(token) = edge_next_token(body) {
        return Ok(Skim {
            next_token: Some(token.to_owned()),
            session_count: None,
        });
    }
    let skim: WireSkim = serde_json::from_slice(body).map_err(invalid_body)?;
    Ok(Skim {
        next_token: skim.next_token,
        session_count: count_sessions.then(|| skim.sessions.map_or(0, |s| s.len())),
    })
}

const NEXT_TOKEN_KEY: &[u8] = b"\"NextToken\":\"";

/// The NextToken when it is the document's last (or first) member and has no escapes.
///
/// Sound for valid JSON, which the full parse of the same body checks: a closing `"}`
/// ends the top-level object, and a `"` right after `:` or before `,`/`}` cannot be
/// inside a string, where every quote is escaped. Anything else, None: the slow path.
fn edge_next_token(body: &[u8]) -> Option<&str> {
    let token = last_member_token(body).or_else(|| first_member_token(body))?;
    if token.contains(&b'\\') {
        return None;
    }
    std::str::from_utf8(token).ok()
}

/// `…,"NextToken":"TOKEN"}` (or `{"NextToken":"TOKEN"}`).
fn last_member_token(body: &[u8]) -> Option<&[u8]> {
    let inner = body.strip_suffix(b"\"}")?;
    let start = inner.iter().rposition(|&byte| byte == b'"')? + 1;
    let before = inner[..start].strip_suffix(NEXT_TOKEN_KEY)?;
    matches!(before.last(), Some(b',' | b'{')).then(|| &inner[start..])
}

/// `{"NextToken":"TOKEN",…` (or `…"}`).
fn first_member_token(body: &[u8]) -> Option<&[u8]> {
    let rest = body.strip_prefix(b"{")?.strip_prefix(NEXT_TOKEN_KEY)?;
    let end = rest.iter().position(|&byte| byte == b'"')?;
    matches!(rest.get(end + 1), Some(b',' | b'}')).then(|| &rest[..end])
}

/// Parses a successful response body's sessions.
pub fn parse_sessions(body: &[u8]) -> Result<Vec<SessionFields>, String> {
    // One check of the whole body is much cheaper than serde's check of each string.
    let text = std::str::from_utf8(body)
        .map_err(|e| format!("the DescribeSessions response is not UTF-8: {e}"))?;
    let page: WireSessions = serde_json::from_str(text).map_err(invalid_body)?;
    Ok(page.sessions.map_or_else(Vec::new, |records| records.0))
}

fn invalid_body(error: serde_json::Error) -> String {
    format!("the DescribeSessions response is not valid: {error}")
}

impl WireSession<'_> {
    fn into_fields(self) -> Result<SessionFields, String> {
        let has_output_url = self.output_url.is_some();
        let url = self.output_url.unwrap_or_default();
        SessionFields::new(
            [
                self.session_id.as_deref(),
                self.target.as_deref(),
                self.status.as_deref(),
                self.document_name.as_deref(),
                self.owner.as_deref(),
                self.reason.as_deref(),
                self.details.as_deref(),
                self.max_session_duration.as_deref(),
                self.access_type.as_deref(),
                url.s3_output_url.as_deref(),
                url.cloudwatch_output_url.as_deref(),
            ],
            self.start_date.map(Timestamp::from_epoch_seconds),
            self.end_date.map(Timestamp::from_epoch_seconds),
            has_output_url,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session_fields::Text;

    const FULL: &[u8] = br#"{"Sessions":[{"SessionId":"s-1","Target":"i-1","Status":"Terminated",
        "StartDate":1.541761816338E9,"EndDate":1.7E9,"DocumentName":"D","Owner":"o",
        "Reason":"r \u00e9","Details":"d","OutputUrl":{"S3OutputUrl":"s3","CloudWatchOutputUrl":"cw"},
        "MaxSessionDuration":"60","AccessType":"JustInTime","FutureMember":{"x":1}},
        {"SessionId":"s-2"}],"NextToken":"t"}"#;

    #[test]
    fn every_member_is_read_and_unknown_ones_are_ignored() {
        let sessions = parse_sessions(FULL).unwrap();
        let s = &sessions[0];
        let texts = [
            (Text::SessionId, "s-1"),
            (Text::Target, "i-1"),
            (Text::Status, "Terminated"),
            (Text::DocumentName, "D"),
            (Text::Owner, "o"),
            (Text::Reason, "r é"),
            (Text::Details, "d"),
            (Text::MaxSessionDuration, "60"),
            (Text::AccessType, "JustInTime"),
            (Text::S3OutputUrl, "s3"),
            (Text::CloudWatchOutputUrl, "cw"),
        ];
        for (member, text) in texts {
            assert_eq!(s.text(member), Some(text), "{member:?}");
        }
        assert_eq!(
            s.start_date,
            Some(Timestamp {
                secs: 1_541_761_816,
                nanos: 338_000_000
            })
        );
        assert_eq!(
            s.end_date,
            Some(Timestamp {
                secs: 1_700_000_000,
                nanos: 0
            })
        );
        assert!(s.has_output_url);
        let mut only_id = [None; crate::session_fields::TEXT_COUNT];
        only_id[Text::SessionId as usize] = Some("s-2");
        assert_eq!(
            sessions[1],
            SessionFields::new(only_id, None, None, false).unwrap()
        );
    }

    #[test]
    fn a_skim_gives_the_token_and_the_count() {
        assert_eq!(
            skim_page(FULL, true),
            Ok(Skim {
                next_token: Some("t".into()),
                session_count: Some(2)
            })
        );
        assert_eq!(
            skim_page(b"{}", true),
            Ok(Skim {
                next_token: None,
                session_count: Some(0)
            })
        );
    }

    #[test]
    fn without_a_count_the_next_token_is_read_at_an_edge_when_it_can_be() {
        let bodies: [&[u8]; 9] = [
            FULL,
            br#"{"NextToken":"first","Sessions":[{"SessionId":"s"}]}"#,
            br#"{"NextToken":"only"}"#,
            br#"{"Sessions":[]}"#,
            br#"{"Sessions":[],"NextToken":"esc\/aped"}"#,
            br#"{"Sessions":[],"Next":{"NextToken":"nested"}}"#,
            br#"{"Sessions":[{"Reason":"x\",\"NextToken\":\"fake"}]}"#,
            br#"{"Sessions":[{"Reason":"{\"NextToken\":\"fake\"}"}],"NextToken":"real"}"#,
            b"{ \"NextToken\" : \"spaced\" }",
        ];
        for body in bodies {
            assert_eq!(
                skim_page(body, false).map(|skim| skim.next_token),
                skim_page(body, true).map(|skim| skim.next_token),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        assert_eq!(edge_next_token(FULL), Some("t"));
        assert_eq!(
            edge_next_token(br#"{"Sessions":[],"NextToken":"a\/b"}"#),
            None
        );
        let escaped = skim_page(br#"{"Sessions":[],"NextToken":"a\/b"}"#, false);
        assert_eq!(escaped.map(|skim| skim.next_token), Ok(Some("a/b".into())));
        assert!(skim_page(b"{\"Sessions\": [", false).is_err());
    }

    #[test]
    fn an_empty_output_url_is_kept() {
        let sessions =
            parse_sessions(br#"{"Sessions":[{"SessionId":"s","OutputUrl":{}}]}"#).unwrap();
        assert!(sessions[0].has_output_url);
        assert_eq!(sessions[0].text(Text::S3OutputUrl), None);
        assert!(parse_sessions(b"{}").unwrap().is_empty());
    }

    #[test]
    fn a_broken_body_is_an_error_not_a_panic() {
        assert!(skim_page(b"{\"Sessions\": [", true).is_err());
        assert!(parse_sessions(b"{\"Sessions\": 5}").is_err());
        assert!(parse_sessions(b"{\"Sessions\": [{\"SessionId\": \"\xff\"}]}").is_err());
    }
}
