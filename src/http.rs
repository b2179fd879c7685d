//! An HTTP client around the SDK's own that keeps the body of a successful DescribeSessions
//! response for us and hands the SDK an empty document in its place.
//!
//! The SDK still signs, retries, times out and parses errors; the page itself is parsed
//! once, here (`response.rs`), which lets the pager read the NextToken first and send the
//! next request while the sessions are parsed, and gives the command line the bytes as
//! the service sent them.

use std::fmt;
use std::future::Future;
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

/// Where the connector puts a successful response's body. One per request.
#[derive(Clone, Default)]
pub struct BodySlot(Arc<Mutex<Option<Bytes>>>);

impl fmt::Debug for BodySlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BodySlot")
    }
}

impl BodySlot {
    pub fn take(&self) -> Option<Bytes> {
        self.0.lock().ok().and_then(|mut body| body.take())
    }

    fn put(&self, body: Bytes) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(body);
        }
    }
}

tokio::task_local! {
    /// The slot of the request the current task is sending. A task-local rather than a
    /// request extension: the SDK copies requests for retries without their extensions,
    /// and it calls the connector from within the task that sends.
    static BODY_SLOT: BodySlot;
}

/// Runs `send` (an SDK call) so that a successful response's body lands in `slot`.
pub async fn keeping_body<F: Future>(slot: BodySlot, send: F) -> F::Output {
    BODY_SLOT.scope(slot, send).await
}

/// An HTTP client whose successful responses to requests sent through `keeping_body`
/// keep their body.
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

impl HttpConnector for KeepingConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let slot = BODY_SLOT.try_with(BodySlot::clone).ok();
        let sent = self.inner.call(request);
        let read_timeout = self.read_timeout;
        HttpConnectorFuture::new(async move {
            let mut response = sent.await?;
            let Some(slot) = slot.filter(|_| response.status().as_u16() == 200) else {
                return Ok(response);
            };
            let body = read_body(response.take_body(), read_timeout).await?;
            slot.put(body);
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
