//! The HTTP side: a hyper HTTP/1.1 server on the caller's tokio runtime, one task per
//! connection, every request logged.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::error::ApiError;
use crate::faults::{FaultKind, FaultPlan};
use crate::options::Options;
use crate::query::parse_request;
use crate::request_log::{REQUEST_LOG_LIMIT, RequestLog};
use crate::rng::mix64;
use crate::sigv4::{self, Secret, SignedParts};
use crate::store::{Paging, Store};
use crate::time::now_ms;
use crate::token::TokenKey;
use crate::wire;

const TARGET_PREFIX: &str = "AmazonSSM.";
const OPERATION: &str = "DescribeSessions";
const JSON_11: &str = "application/x-amz-json-1.1";
/// DescribeSessions bodies are tiny; anything this large is not a real client.
const MAX_BODY_BYTES: usize = 1 << 20;

/// One request as the emulator saw and answered it. Never holds a secret: no headers,
/// only the JSON body (which carries no credentials).
#[derive(Debug, Clone, PartialEq)]
pub struct RequestRecord {
    /// `DescribeSessions`, or the X-Amz-Target as sent (without `AmazonSSM.`), or "".
    pub operation: String,
    /// The request JSON as sent, or Null when it was not JSON.
    pub body: Value,
    /// The HTTP status answered; 0 when the connection was dropped.
    pub status: u16,
    /// The `__type` of an error answer.
    pub error_code: Option<String>,
    /// The request carried an Authorization header (valid or not).
    pub signed: bool,
    /// The injected fault, if any: `throttle`, `server_error` or `drop`.
    pub fault: Option<String>,
}

/// Everything the connection tasks share.
struct Shared {
    store: Store,
    access_key_id: String,
    secret_access_key: String,
    allow_unsigned: bool,
    plan: FaultPlan,
    log: Mutex<RequestLog<RequestRecord>>,
    /// Seeds request ids so they differ between emulators.
    request_id_seed: u64,
}

/// A running emulator; stops on [`Emulator::shutdown`] or drop.
pub struct Emulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
}

impl Emulator {
    /// Binds `addr` (e.g. `127.0.0.1:0`) and serves on the current tokio runtime
    /// (`tokio::spawn`); returns once listening.
    pub async fn start(options: Options, addr: SocketAddr) -> std::io::Result<Emulator> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let key = random_key(addr);
        let paging = Paging {
            filter_after_limit: options.filter_after_limit,
            default_page_size: options.default_page_size,
        };
        let shared = Arc::new(Shared {
            store: Store::new(options.sessions, TokenKey::new(key), paging),
            access_key_id: options.access_key_id,
            secret_access_key: options.secret_access_key,
            allow_unsigned: options.allow_unsigned,
            plan: FaultPlan::new(options.faults),
            log: Mutex::new(RequestLog::with_limit(REQUEST_LOG_LIMIT)),
            request_id_seed: u64::from_be_bytes(key[..8].try_into().unwrap_or_default()),
        });
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(accept_loop(listener, Arc::clone(&shared), stopped));
        Ok(Emulator { shared, addr, stop })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` (IPv6 addresses in brackets).
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The last [`REQUEST_LOG_LIMIT`] requests received, oldest first.
    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.shared.log).to_vec()
    }

    /// The next `n` requests get `fault`, even back to back.
    pub fn fail_next(&self, n: u32, fault: FaultKind) {
        self.shared.plan.fail_next(n, fault);
    }

    /// Stops accepting and closes every connection; idempotent.
    pub fn shutdown(&self) {
        self.stop.send_replace(true);
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// The locks guard plain data; a poisoned lock still holds usable data.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A per-emulator secret (token MAC key, request-id seed) from the OS-seeded std hasher,
/// the clock and the address; no RNG crate needed.
fn random_key(addr: SocketAddr) -> [u8; 32] {
    let mut digest = Sha256::new();
    for i in 0..4u64 {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(i);
        digest.update(hasher.finish().to_le_bytes());
    }
    digest.update(now_ms().to_le_bytes());
    digest.update(std::process::id().to_le_bytes());
    digest.update(addr.to_string().as_bytes());
    digest.finalize().into()
}

async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stopped: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            _ = stopped.wait_for(|stop| *stop) => return,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, _)) => {
                tokio::spawn(serve_connection(
                    stream,
                    Arc::clone(&shared),
                    stopped.clone(),
                ));
            }
            // Out of file descriptors and the like: back off instead of spinning.
            Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    }
}

async fn serve_connection(
    stream: TcpStream,
    shared: Arc<Shared>,
    mut stopped: watch::Receiver<bool>,
) {
    // Small responses would otherwise wait for Nagle + delayed ACK.
    let _ = stream.set_nodelay(true);
    let service = service_fn(move |request| handle(Arc::clone(&shared), request));
    let connection = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = connection => {}
        _ = stopped.wait_for(|stop| *stop) => {}
    }
}

/// Returned by the service to make hyper close the connection without any response.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for DropConnection {}

/// What one request is answered with, before it becomes HTTP.
enum Answer {
    Page(Bytes),
    Error(ApiError),
    Drop,
}

async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, DropConnection> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Err(DropConnection), // client went away or sent too much
    };
    let (seq, fault) = shared.plan.next();
    let latency = shared.plan.latency_ms();
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let answer = match fault {
        Some(FaultKind::Throttle) => Answer::Error(ApiError::throttling()),
        Some(FaultKind::ServerError) => Answer::Error(ApiError::internal()),
        Some(FaultKind::Drop) => Answer::Drop,
        None => match process(&shared, &parts, &body) {
            Ok(page) => Answer::Page(page),
            Err(error) => Answer::Error(error),
        },
    };
    log_request(&shared, &parts, &body, fault, &answer);
    let request_id = request_id(shared.request_id_seed, seq);
    match answer {
        Answer::Page(page) => Ok(response(StatusCode::OK, page, &request_id, None)),
        Answer::Error(error) => Ok(error_response(&error, &request_id)),
        Answer::Drop => Err(DropConnection),
    }
}

/// Authentication, operation, validation, then the page.
fn process(
    shared: &Shared,
    parts: &hyper::http::request::Parts,
    body: &[u8],
) -> Result<Bytes, ApiError> {
    authenticate(shared, parts, body)?;
    let target = header(parts, "x-amz-target").unwrap_or_default();
    if parts.method != hyper::Method::POST || target != format!("{TARGET_PREFIX}{OPERATION}") {
        return Err(ApiError::unknown_operation(&target));
    }
    let query = parse_request(body)?;
    shared.store.page(&query)
}

fn authenticate(
    shared: &Shared,
    parts: &hyper::http::request::Parts,
    body: &[u8],
) -> Result<(), ApiError> {
    let Some(authorization) = parts.headers.get("authorization") else {
        return if shared.allow_unsigned {
            Ok(())
        } else {
            Err(ApiError::missing_authentication_token())
        };
    };
    let authorization = authorization
        .to_str()
        .map_err(|_| ApiError::incomplete_signature("The Authorization header is not ASCII."))?;
    let signed = SignedParts {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query().unwrap_or(""),
        headers: &parts.headers,
        body,
    };
    let secret = Secret {
        access_key_id: &shared.access_key_id,
        secret_access_key: &shared.secret_access_key,
    };
    sigv4::verify(&signed, authorization, &secret, now_ms().div_euclid(1000))
}

fn header(parts: &hyper::http::request::Parts, name: &str) -> Option<String> {
    parts.headers.get(name)?.to_str().ok().map(str::to_string)
}

fn log_request(
    shared: &Shared,
    parts: &hyper::http::request::Parts,
    body: &[u8],
    fault: Option<FaultKind>,
    answer: &Answer,
) {
    let target = header(parts, "x-amz-target").unwrap_or_default();
    let (status, error_code) = match answer {
        Answer::Page(_) => (200, None),
        Answer::Error(e) => (e.status, Some(e.code.to_string())),
        Answer::Drop => (0, None),
    };
    let record = RequestRecord {
        operation: target
            .strip_prefix(TARGET_PREFIX)
            .unwrap_or(&target)
            .to_string(),
        body: serde_json::from_slice(body).unwrap_or(Value::Null),
        status,
        error_code,
        signed: parts.headers.contains_key("authorization"),
        fault: fault.map(|f| f.as_str().to_string()),
    };
    lock(&shared.log).push(record);
}

/// A UUID-shaped (version 4 layout) id, unique per request of one emulator.
fn request_id(seed: u64, seq: u64) -> String {
    let hi = mix64(seed ^ mix64(seq));
    let lo = mix64(hi ^ seq.rotate_left(32) ^ 0xA5A5_A5A5_A5A5_A5A5);
    let hi = (hi & !0xF000) | 0x4000;
    let lo = (lo & !(0b11 << 62)) | (0b10 << 62);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}

fn response(
    status: StatusCode,
    body: Bytes,
    request_id: &str,
    error_code: Option<&str>,
) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON_11));
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert("x-amzn-requestid", value);
    }
    if let Some(code) = error_code.and_then(|c| HeaderValue::from_str(c).ok()) {
        headers.insert("x-amzn-errortype", code);
    }
    response
}

fn error_response(error: &ApiError, request_id: &str) -> Response<Full<Bytes>> {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::BAD_REQUEST);
    response(
        status,
        wire::error_body(error.code, &error.message),
        request_id,
        Some(error.code),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emulator_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Emulator>();
    }

    #[test]
    fn request_ids_are_uuid_shaped_and_unique() {
        let ids: std::collections::HashSet<String> =
            (0..10_000).map(|s| request_id(7, s)).collect();
        assert_eq!(ids.len(), 10_000);
        let id = request_id(7, 0);
        let groups: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&id[14..15], "4");
    }
}
