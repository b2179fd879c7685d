//! Resume tokens in botocore's `PaginationToken` format, so tokens printed by
//! `aws ... --max-items` and boto3's paginator resume here, and ours resume there.
//!
//! A token is standard base64 of Python's `json.dumps` of `{"NextToken": ...}` plus, after a
//! cut in the middle of a page, `"boto_truncate_amount"`: the items of that page already
//! consumed. Like botocore, a token that is not such a document is tried as the legacy
//! `token___n` form and otherwise sent to the service as a raw `NextToken`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

/// Where a listing stands: the service token that fetches a page, and how many of that
/// page's sessions were already consumed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub next_token: Option<String>,
    pub skip: usize,
}

impl Position {
    /// The token botocore would print for this position.
    pub fn encode(&self) -> String {
        let mut json = String::from("{\"NextToken\": ");
        match &self.next_token {
            Some(token) => push_python_json_string(&mut json, token),
            None => json.push_str("null"),
        }
        if self.skip > 0 {
            json.push_str(", \"boto_truncate_amount\": ");
            json.push_str(&self.skip.to_string());
        }
        json.push('}');
        STANDARD.encode(json)
    }

    /// Reads a starting token. `Err` names what is wrong with a token that cannot be used.
    pub fn decode(token: &str) -> Result<Position, String> {
        if token.is_empty() {
            return Err("starting_token must not be empty".into());
        }
        match decode_document(token) {
            Some(document) => position_from_document(document),
            None => decode_legacy(token),
        }
    }
}

/// The JSON object inside a botocore token, or `None` when the token is not one (then it
/// is a legacy or raw service token, as botocore decides).
fn decode_document(token: &str) -> Option<serde_json::Map<String, Value>> {
    // Python's b64decode (non-strict) ignores characters outside the alphabet.
    let cleaned: String = token
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        .collect();
    let bytes = STANDARD.decode(cleaned).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    match serde_json::from_str::<Value>(&text).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

fn position_from_document(
    mut document: serde_json::Map<String, Value>,
) -> Result<Position, String> {
    let skip = match document.remove("boto_truncate_amount") {
        None => 0,
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| format!("starting_token has an invalid boto_truncate_amount: {n}"))?,
        Some(other) => {
            return Err(format!(
                "starting_token has an invalid boto_truncate_amount: {other}"
            ));
        }
    };
    let next_token = match document.remove("NextToken") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(other) => return Err(format!("starting_token has an invalid NextToken: {other}")),
    };
    if let Some(key) = document.keys().next() {
        return Err(format!(
            "starting_token has a key DescribeSessions does not take: {key:?}"
        ));
    }
    Ok(Position { next_token, skip })
}

/// botocore's fallback: `token___n` (n items of that page consumed), or a raw service token.
fn decode_legacy(token: &str) -> Result<Position, String> {
    let parts: Vec<&str> = token.split("___").collect();
    let (parts, skip) = match parts.as_slice() {
        [first, count] => match count.parse::<usize>() {
            Ok(skip) => (vec![*first], skip),
            Err(_) => (vec![token], 0),
        },
        _ => (parts, 0),
    };
    match parts.as_slice() {
        [part] => Ok(Position {
            next_token: (*part != "None").then(|| (*part).to_owned()),
            skip,
        }),
        _ => Err(format!("Bad starting token: {token}")),
    }
}

/// Appends `value` as Python's `json.dumps` (ensure_ascii=True) writes a string.
fn push_python_json_string(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='\u{7f}' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(token: &str) -> String {
        String::from_utf8(STANDARD.decode(token).unwrap()).unwrap()
    }

    #[test]
    fn page_boundary_token_has_only_next_token() {
        let position = Position {
            next_token: Some("abc".into()),
            skip: 0,
        };
        assert_eq!(decoded(&position.encode()), r#"{"NextToken": "abc"}"#);
    }

    #[test]
    fn mid_page_token_on_the_first_page_has_null_next_token() {
        let position = Position {
            next_token: None,
            skip: 3,
        };
        assert_eq!(
            decoded(&position.encode()),
            r#"{"NextToken": null, "boto_truncate_amount": 3}"#
        );
    }

    #[test]
    fn strings_are_escaped_like_python_json_dumps() {
        let position = Position {
            next_token: Some("a\"\\/\n\u{1}é😀\u{7f}".into()),
            skip: 0,
        };
        assert_eq!(
            decoded(&position.encode()),
            "{\"NextToken\": \"a\\\"\\\\/\\n\\u0001\\u00e9\\ud83d\\ude00\u{7f}\"}"
        );
    }

    #[test]
    fn tokens_round_trip() {
        for position in [
            Position {
                next_token: Some("x".into()),
                skip: 0,
            },
            Position {
                next_token: Some("y".into()),
                skip: 7,
            },
            Position {
                next_token: None,
                skip: 1,
            },
        ] {
            assert_eq!(Position::decode(&position.encode()), Ok(position));
        }
    }

    #[test]
    fn legacy_and_raw_tokens_are_accepted() {
        assert_eq!(
            Position::decode("abc___4"),
            Ok(Position {
                next_token: Some("abc".into()),
                skip: 4
            })
        );
        assert_eq!(
            Position::decode("None___2"),
            Ok(Position {
                next_token: None,
                skip: 2
            })
        );
        assert_eq!(
            Position::decode("raw-service-token"),
            Ok(Position {
                next_token: Some("raw-service-token".into()),
                skip: 0
            })
        );
        assert!(Position::decode("a___b___c").is_err());
    }

    #[test]
    fn malformed_documents_are_rejected() {
        let negative = STANDARD.encode(r#"{"NextToken": "a", "boto_truncate_amount": -1}"#);
        assert!(Position::decode(&negative).is_err());
        let extra = STANDARD.encode(r#"{"NextToken": "a", "Other": 1}"#);
        assert!(Position::decode(&extra).is_err());
        assert!(Position::decode("").is_err());
    }
}
