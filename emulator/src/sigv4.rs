//! SigV4 header-auth verification, written from the AWS specification (no SDK code):
//! rebuild the canonical request from the headers the client says it signed, derive the
//! signing key from the emulator's secret and compare signatures.

use hmac::{Hmac, Mac};
use hyper::HeaderMap;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::hexfmt;
use crate::time::{format_amz_date, parse_amz_date};
use crate::token::constant_time_eq;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";
const SERVICE: &str = "ssm";
const TERMINATOR: &str = "aws4_request";
/// The service rejects signatures whose X-Amz-Date is further than this from its clock.
const MAX_SKEW_SECS: i64 = 15 * 60;

/// The parts of an HTTP request that a signature covers.
pub(crate) struct SignedParts<'a> {
    pub(crate) method: &'a str,
    /// The path as sent (still percent-encoded).
    pub(crate) path: &'a str,
    /// The raw query string without `?`, empty when none.
    pub(crate) query: &'a str,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a [u8],
}

/// The emulator's one identity.
pub(crate) struct Secret<'a> {
    pub(crate) access_key_id: &'a str,
    pub(crate) secret_access_key: &'a str,
}

/// The fields of an `Authorization: AWS4-HMAC-SHA256 ...` header.
#[derive(Debug, PartialEq, Eq)]
struct Authorization<'a> {
    access_key_id: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    terminator: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

/// Checks the request's signature; the error is the one the service would answer.
pub(crate) fn verify(
    parts: &SignedParts,
    authorization: &str,
    secret: &Secret,
    now_secs: i64,
) -> Result<(), ApiError> {
    let auth = parse_authorization(authorization)?;
    if auth.access_key_id != secret.access_key_id {
        return Err(ApiError::unrecognized_client());
    }
    let amz_date = header_text(parts.headers, "x-amz-date").ok_or_else(|| {
        ApiError::incomplete_signature(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        )
    })?;
    check_scope(&auth, &amz_date)?;
    check_clock(&amz_date, now_secs)?;
    let payload_hash = payload_hash(parts)?;
    let canonical = canonical_request(parts, &auth.signed_headers, &payload_hash);
    let scope = format!(
        "{}/{}/{}/{}",
        auth.date, auth.region, auth.service, auth.terminator
    );
    let to_sign = string_to_sign(&amz_date, &scope, &canonical);
    let key = signing_key(
        secret.secret_access_key,
        auth.date,
        auth.region,
        auth.service,
    );
    let expected = hexfmt::encode(&hmac(&key, to_sign.as_bytes()));
    if constant_time_eq(
        expected.as_bytes(),
        auth.signature.to_ascii_lowercase().as_bytes(),
    ) {
        Ok(())
    } else {
        Err(ApiError::signature_mismatch())
    }
}

fn parse_authorization(header: &str) -> Result<Authorization<'_>, ApiError> {
    let (algorithm, rest) = header.trim().split_once(' ').unwrap_or((header.trim(), ""));
    if algorithm != ALGORITHM {
        return Err(ApiError::incomplete_signature(format!(
            "Unsupported AWS 'algorithm': '{algorithm}'"
        )));
    }
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for param in rest.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match param.split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => {
                return Err(ApiError::incomplete_signature(format!(
                    "Authorization header has an invalid parameter: '{param}'"
                )));
            }
        }
    }
    let missing = |name: &str| {
        ApiError::incomplete_signature(format!(
            "Authorization header requires '{name}' parameter. Authorization={header}"
        ))
    };
    let credential = credential.ok_or_else(|| missing("Credential"))?;
    let signed = signed.ok_or_else(|| missing("SignedHeaders"))?;
    let signature = signature.ok_or_else(|| missing("Signature"))?;
    let fields: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, terminator] = fields[..] else {
        return Err(ApiError::incomplete_signature(format!(
            "Credential should be scoped to a valid region, not '{credential}'."
        )));
    };
    Ok(Authorization {
        access_key_id,
        date,
        region,
        service,
        terminator,
        signed_headers: signed.split(';').collect(),
        signature,
    })
}

/// The credential scope must name `ssm`, end in `aws4_request` and carry X-Amz-Date's day.
fn check_scope(auth: &Authorization, amz_date: &str) -> Result<(), ApiError> {
    if auth.service != SERVICE {
        return Err(ApiError::invalid_signature(format!(
            "Credential should be scoped to correct service: '{SERVICE}'. "
        )));
    }
    if auth.terminator != TERMINATOR {
        return Err(ApiError::invalid_signature(format!(
            "Credential should be scoped with a valid terminator: '{TERMINATOR}', not '{}'.",
            auth.terminator
        )));
    }
    let day = amz_date.get(..8).unwrap_or(amz_date);
    if auth.date != day {
        return Err(ApiError::invalid_signature(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{day}', from '{amz_date}'.",
            auth.date
        )));
    }
    if !auth.signed_headers.contains(&"host") {
        return Err(ApiError::invalid_signature(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        ));
    }
    Ok(())
}

/// Rejects X-Amz-Date more than 15 minutes from now, with the service's wording.
fn check_clock(amz_date: &str, now_secs: i64) -> Result<(), ApiError> {
    let signed_at = parse_amz_date(amz_date).ok_or_else(|| {
        ApiError::incomplete_signature(format!(
            "Date must be in ISO-8601 'basic format'. Got '{amz_date}'. See http://en.wikipedia.org/wiki/ISO_8601"
        ))
    })?;
    let now = format_amz_date(now_secs);
    if signed_at < now_secs - MAX_SKEW_SECS {
        let limit = format_amz_date(now_secs - MAX_SKEW_SECS);
        return Err(ApiError::invalid_signature(format!(
            "Signature expired: {amz_date} is now earlier than {limit} ({now} - 15 min.)"
        )));
    }
    if signed_at > now_secs + MAX_SKEW_SECS {
        let limit = format_amz_date(now_secs + MAX_SKEW_SECS);
        return Err(ApiError::invalid_signature(format!(
            "Signature not yet current: {amz_date} is still later than {limit} ({now} + 15 min.)"
        )));
    }
    Ok(())
}

/// `X-Amz-Content-Sha256` when sent (it must then match the body, unless it says the
/// payload is unsigned), else the SHA-256 of the body.
fn payload_hash(parts: &SignedParts) -> Result<String, ApiError> {
    let actual = hexfmt::encode(&Sha256::digest(parts.body));
    match header_text(parts.headers, "x-amz-content-sha256") {
        None => Ok(actual),
        Some(declared)
            if declared.starts_with("UNSIGNED-PAYLOAD") || declared.starts_with("STREAMING-") =>
        {
            Ok(declared)
        }
        Some(declared) if declared.eq_ignore_ascii_case(&actual) => Ok(declared),
        Some(_) => Err(ApiError::signature_mismatch()),
    }
}

fn canonical_request(parts: &SignedParts, signed_headers: &[&str], payload_hash: &str) -> String {
    let mut out = String::with_capacity(512);
    out.push_str(parts.method);
    out.push('\n');
    out.push_str(&canonical_uri(parts.path));
    out.push('\n');
    out.push_str(&canonical_query(parts.query));
    out.push('\n');
    for name in signed_headers {
        out.push_str(name);
        out.push(':');
        out.push_str(&canonical_header_value(parts.headers, name));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&signed_headers.join(";"));
    out.push('\n');
    out.push_str(payload_hash);
    out
}

/// All values of one header, each trimmed with inner runs of whitespace collapsed, joined
/// by commas. A signed header that is absent contributes an empty value (and so a mismatch).
fn canonical_header_value(headers: &HeaderMap, name: &str) -> String {
    let values: Vec<String> = headers
        .get_all(name)
        .iter()
        .map(|v| {
            String::from_utf8_lossy(v.as_bytes())
                .split_ascii_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    values.join(",")
}

/// Dot segments and empty segments removed, then every byte but unreserved and `/`
/// percent-encoded once more (non-S3 services sign the doubly-encoded path).
fn canonical_uri(path: &str) -> String {
    let segments = path.split('/').fold(Vec::new(), |mut kept, segment| {
        match segment {
            "" | "." => {}
            ".." => {
                kept.pop();
            }
            other => kept.push(other),
        }
        kept
    });
    let mut normal = format!("/{}", segments.join("/"));
    if path.ends_with('/') && !segments.is_empty() {
        normal.push('/');
    }
    uri_encode(&normal, false)
}

/// Pairs sorted by name then value, each part decoded and re-encoded strictly.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (
                uri_encode(&percent_decode(k), true),
                uri_encode(&percent_decode(v), true),
            )
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// RFC 3986 encoding of all but unreserved characters; `/` kept unless `encode_slash`.
fn uri_encode(text: &str, encode_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~')
            || (b == b'/' && !encode_slash)
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let decoded = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3).and_then(hexfmt::decode))
            .flatten();
        match decoded {
            Some(byte) => {
                out.extend_from_slice(&byte);
                i += 3;
            }
            None => {
                out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    let hash = hexfmt::encode(&Sha256::digest(canonical_request.as_bytes()));
    format!("{ALGORITHM}\n{amz_date}\n{scope}\n{hash}")
}

fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, service.as_bytes());
    hmac(&k_service, TERMINATOR.as_bytes())
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// A header as text; `None` when absent or not visible ASCII.
fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)?
        .to_str()
        .ok()
        .map(|v| v.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::{HeaderName, HeaderValue};

    const AKID: &str = "AKIDEXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        map
    }

    /// The AWS SigV4 test suite's `get-vanilla` case.
    #[test]
    fn aws_test_suite_get_vanilla() {
        let h = headers(&[
            ("host", "example.amazonaws.com"),
            ("x-amz-date", "20150830T123600Z"),
        ]);
        let parts = SignedParts {
            method: "GET",
            path: "/",
            query: "",
            headers: &h,
            body: b"",
        };
        let canonical = canonical_request(
            &parts,
            &["host", "x-amz-date"],
            &payload_hash(&parts).unwrap(),
        );
        assert_eq!(
            canonical,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let scope = "20150830/us-east-1/service/aws4_request";
        let to_sign = string_to_sign("20150830T123600Z", scope, &canonical);
        assert!(
            to_sign.ends_with("bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63")
        );
        let key = signing_key(SECRET, "20150830", "us-east-1", "service");
        assert_eq!(
            hexfmt::encode(&hmac(&key, to_sign.as_bytes())),
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
    }

    /// A request signed with botocore 1.44 (`SigV4Auth(creds, "ssm", "us-east-1")`) for a
    /// fixed date, verified here.
    fn post_root<'a>(headers: &'a HeaderMap, body: &'a [u8]) -> SignedParts<'a> {
        SignedParts {
            method: "POST",
            path: "/",
            query: "",
            headers,
            body,
        }
    }

    fn botocore_request() -> (HeaderMap, &'static [u8]) {
        let h = headers(&[
            ("host", "127.0.0.1:8080"),
            ("x-amz-target", "AmazonSSM.DescribeSessions"),
            ("content-type", "application/x-amz-json-1.1"),
            ("x-amz-date", "20150830T123600Z"),
            ("authorization", BOTOCORE_AUTH),
        ]);
        (h, br#"{"State": "Active"}"#)
    }
    const BOTOCORE_AUTH: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ssm/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=907369de9b6637de766253ac77fd1c596ff7e0d0f081ab57412b8db1f570d56a";

    #[test]
    fn botocore_signature_verifies_and_tampering_fails() {
        let (h, body) = botocore_request();
        let now = 1_440_938_160;
        let parts = post_root(&h, body);
        let auth = BOTOCORE_AUTH;
        let ok = Secret {
            access_key_id: AKID,
            secret_access_key: SECRET,
        };
        assert_eq!(verify(&parts, auth, &ok, now), Ok(()));
        let wrong = Secret {
            access_key_id: AKID,
            secret_access_key: "nope",
        };
        assert_eq!(
            verify(&parts, auth, &wrong, now).unwrap_err().code,
            "InvalidSignatureException"
        );
        let other_key = Secret {
            access_key_id: "AKIDOTHER",
            secret_access_key: SECRET,
        };
        assert_eq!(
            verify(&parts, auth, &other_key, now).unwrap_err().code,
            "UnrecognizedClientException"
        );
        let tampered = SignedParts {
            body: br#"{"State": "History"}"#,
            ..parts
        };
        assert_eq!(
            verify(&tampered, auth, &ok, now).unwrap_err().code,
            "InvalidSignatureException"
        );
        let late = verify(&parts, auth, &ok, now + 16 * 60).unwrap_err();
        assert!(late.message.starts_with("Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T125200Z - 15 min.)"), "{}", late.message);
        let early = verify(&parts, auth, &ok, now - 16 * 60).unwrap_err();
        assert!(
            early.message.starts_with("Signature not yet current"),
            "{}",
            early.message
        );
        assert_eq!(verify(&parts, auth, &ok, now + 14 * 60), Ok(()));
    }

    #[test]
    fn malformed_headers() {
        let (h, body) = botocore_request();
        let parts = post_root(&h, body);
        let ok = Secret {
            access_key_id: AKID,
            secret_access_key: SECRET,
        };
        let code = |auth: &str| verify(&parts, auth, &ok, 1_440_938_160).unwrap_err().code;
        assert_eq!(code("Basic abc"), "IncompleteSignatureException");
        assert_eq!(
            code("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ssm/aws4_request"),
            "IncompleteSignatureException"
        );
        assert_eq!(
            code(&BOTOCORE_AUTH.replace("/ssm/", "/ec2/")),
            "InvalidSignatureException"
        );
        assert_eq!(
            code(&BOTOCORE_AUTH.replace("20150830/", "20150831/")),
            "InvalidSignatureException"
        );
    }

    #[test]
    fn canonical_paths_and_queries() {
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/a/./b/../c//d/"), "/a/c/d/");
        assert_eq!(canonical_uri("/a%20b"), "/a%2520b");
        assert_eq!(canonical_query("b=2&a=1&a=0"), "a=0&a=1&b=2");
        assert_eq!(canonical_query("x=a%20b&y=~"), "x=a%20b&y=~");
    }
}
