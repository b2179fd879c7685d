//! An HTTP client around the SDK's own that keeps the body of a successful DescribeSessions
//! response for us and hands the SDK an empty document in its place.
//!
//! The SDK still signs, retries, times out and parses errors; the page itself is parsed
//! once, here (`response.rs`), which lets the pager read the NextToken first and send the
//! next request while the sessions are parsed, and gives the command line the bytes as
//! the service sent them.

use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use bytes::Bytes;

/// What the connector records of one request: a successful response's body, and how many
/// attempts (the SDK's retries included) were sent. One per request.
#[derive(Clone, Default)]
pub struct ResponseSlot(Arc<Recorded>);

#[derive(Default)]
struct Recorded {
    body: Mutex<Option<Bytes>>,
    attempts: AtomicU32,
}

impl fmt::Debug for ResponseSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ResponseSlot")
    }
}

impl ResponseSlot {
    pub fn take_body(&self) -> Option<Bytes> {
        self.0.body.lock().ok().and_then(|mut body| body.take())
    }

    /// How many times the request was sent.
    pub fn attempts(&self) -> u32 {
        self.0.attempts.load(Ordering::Relaxed)
    }

    fn put_body(&self, body: Bytes) {
        if let Ok(mut slot) = self.0.body.lock() {
            *slot = Some(body);
        }
    }

    fn count_attempt(&self) {
        self.0.attempts.fetch_add(1, Ordering::Relaxed);
    }
}

tokio::task_local! {
    /// The slot of the request the current task is sending. A task-local rather than a
    /// request extension: the SDK copies requests for retries without their extensions,
    /// and it calls the connector from within the task that sends.
    static RESPONSE_SLOT: ResponseSlot;
}

/// Runs `send` (an SDK call) so that its attempts are counted in `slot` and a successful
/// response's body lands there.
pub async fn recording_response<F: Future>(slot: ResponseSlot, send: F) -> F::Output {
    RESPONSE_SLOT.scope(slot, send).await
}

/// An HTTP client that records what `recording_response` asks of the requests it sends.
#[derive(Debug, Clone)]
pub struct KeepingClient(pub SharedHttpClient);

impl HttpClient for KeepingClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(KeepingConnector {
            inner: self.0.http_connector(settings, components),
            read_timeout: settings.read_timeout(),
        })
    }
}

#[derive(Debug)]
struct KeepingConnector {
    inner: SharedHttpConnector,
    /// Reading the body is ours now, so is its timeout.
    read_timeout: Option<Duration>,
}

/// The request header that names the operation, and the operation this client sends.
const TARGET_HEADER: &str = "x-amz-target";
const DESCRIBE_SESSIONS: &str = "AmazonSSM.DescribeSessions";

impl HttpConnector for KeepingConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        // Credential providers (container, instance metadata, STS, SSO) send their own
        // requests through this client, from within the same task: theirs pass untouched.
        let slot = RESPONSE_SLOT
            .try_with(ResponseSlot::clone)
            .ok()
            .filter(|_| request.headers().get(TARGET_HEADER) == Some(DESCRIBE_SESSIONS));
        if let Some(slot) = &slot {
            slot.count_attempt();
        }
        let sent = self.inner.call(request);
        let read_timeout = self.read_timeout;
        HttpConnectorFuture::new(async move {
            let mut response = sent.await?;
            let Some(slot) = slot.filter(|_| response.status().as_u16() == 200) else {
                return Ok(response);
            };
            let body = read_body(response.take_body(), read_timeout).await?;
            slot.put_body(body);
            *response.body_mut() = SdkBody::from("{}");
            Ok(response)
        })
    }
}

async fn read_body(body: SdkBody, read_timeout: Option<Duration>) -> Result<Bytes, ConnectorError> {
    let collect = ByteStream::new(body).collect();
    let collected = match read_timeout {
        Some(limit) => tokio::time::timeout(limit, collect).await.map_err(|_| {
            ConnectorError::timeout("HTTP read timeout occurred while reading the body".into())
        })?,
        None => collect.await,
    };
    collected
        .map(|aggregated| aggregated.into_bytes())
        .map_err(|e| ConnectorError::io(e.into()))
}
