//! The page stream and the `SessionPager` Python class.
//!
//! A task on the runtime follows the listing's NextTokens, one page ahead of the consumer
//! and no more: it requests a page only once the consumer has asked for the one before it,
//! so memory stays flat however many pages there are, and the next page's latency hides
//! behind the current page's use. A consumer that is already waiting costs the chain of
//! requests nothing: the task sends the next request as soon as a response is in. The
//! consumer's thread parses each page itself, with the GIL released.
//! The consumer tracks its position exactly, so `resume_token` continues right after the
//! last session it yielded, in botocore's token format.

use std::sync::Arc;

use bytes::Bytes;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::config::{BuiltClient, ClientOptions, build_client, cached_client, remember_client};
use crate::errors::{Failure, with_resume_token};
use crate::http::{ResponseSlot, recording_response};
use crate::query::Query;
use crate::response::{parse_sessions, skim_page};
use crate::runtime;
use crate::session::{Origin, Session};
use crate::session_fields::SessionFields;
use crate::token::Position;

/// One DescribeSessions response.
struct Page {
    /// The NextToken that fetched this page (None for the first page).
    request_token: Option<String>,
    sessions: Vec<SessionFields>,
    next_token: Option<String>,
    /// The response body as the service sent it, when asked for (the CLI prints from it).
    raw_body: Option<Bytes>,
}

/// A response as received; the consumer parses its sessions.
struct Fetched {
    /// The NextToken that fetched this page (None for the first page).
    request_token: Option<String>,
    body: Bytes,
    next_token: Option<String>,
}

type FetchResult = Result<Fetched, Failure>;

/// The fetch task and the consumer's ends of what connects them.
struct Stream {
    task: JoinHandle<()>,
    /// How many pages the consumer has asked for.
    asked: watch::Sender<usize>,
    /// Never more than two: the task is at most one page ahead of what was asked for.
    pages: mpsc::UnboundedReceiver<FetchResult>,
}

/// Follows the listing from `start` until it ends, `wanted` sessions were delivered, or the
/// consumer goes away. Page n + 1 is requested once the consumer has asked for page n.
async fn fetch_pages(
    client: BuiltClient,
    query: Arc<Query>,
    start: Position,
    mut wanted: Option<usize>,
    mut asked: watch::Receiver<usize>,
    pages: mpsc::UnboundedSender<FetchResult>,
) {
    let mut token = start.next_token;
    let mut skip = start.skip;
    for requested in 0.. {
        if asked.wait_for(|&asked| asked >= requested).await.is_err() {
            return;
        }
        let fetched = fetch_body(&client, &query, token.clone())
            .await
            .and_then(|body| {
                let skim = skim_page(&body, wanted.is_some()).map_err(Failure::Internal)?;
                Ok((body, skim))
            });
        let (body, skim) = match fetched {
            Ok(fetched) => fetched,
            Err(failure) => {
                let _ = pages.send(Err(failure));
                return;
            }
        };
        if let (Some(left), Some(count)) = (wanted.as_mut(), skim.session_count) {
            *left = left.saturating_sub(count.saturating_sub(skip));
        }
        let next_token = skim.next_token.clone();
        let page = Fetched {
            request_token: token.clone(),
            body,
            next_token: skim.next_token,
        };
        if pages.send(Ok(page)).is_err() || wanted == Some(0) {
            return;
        }
        let Some(next_token) = next_token else {
            return;
        };
        if token.as_deref() == Some(next_token.as_str()) {
            // Said after the page, as botocore does.
            let _ = pages.send(Err(Failure::Pagination(format!(
                "The same next token was received twice: {{'NextToken': '{next_token}'}}"
            ))));
            return;
        }
        token = Some(next_token);
        skip = 0;
    }
}

/// Sends one DescribeSessions request; returns the body of the response.
async fn fetch_body(
    client: &BuiltClient,
    query: &Query,
    token: Option<String>,
) -> Result<Bytes, Failure> {
    let slot = ResponseSlot::default();
    let request = client
        .sdk
        .describe_sessions()
        .state(query.state.clone())
        .set_max_results(query.page_size)
        .set_next_token(token)
        .set_filters((!query.filters.is_empty()).then(|| query.sdk_filters()));
    // The SDK's future is large: boxed, it is not copied each time it moves.
    recording_response(slot.clone(), Box::pin(request.send()))
        .await
        .map_err(|e| {
            Failure::from_sdk(e, &client.endpoint_url)
                .after_attempts(client.retry.attempts(slot.attempts()))
        })?;
    slot.take_body()
        .ok_or_else(|| Failure::Internal("the DescribeSessions response body went missing".into()))
}

/// The page being consumed and how far.
struct Current {
    page: Page,
    /// Index in `page.sessions` of the next session to yield.
    index: usize,
}

impl Current {
    /// The token that continues right after what was consumed of this page.
    fn resume_token(&self) -> Option<String> {
        if self.index < self.page.sessions.len() {
            Some(
                Position {
                    next_token: self.page.request_token.clone(),
                    skip: self.index,
                }
                .encode(),
            )
        } else {
            self.page.next_token.as_ref().map(|token| {
                Position {
                    next_token: Some(token.clone()),
                    skip: 0,
                }
                .encode()
            })
        }
    }
}

struct PagerState {
    options: ClientOptions,
    query: Arc<Query>,
    raw: bool,
    client: Option<BuiltClient>,
    stream: Option<Stream>,
    /// The process whose runtime runs `stream` and whose connections `client` holds.
    process: u32,
    current: Option<Current>,
    /// Where the next page starts; None once the last page was received.
    next_fetch: Option<Position>,
    yielded: usize,
    resume: Resume,
    /// Shared by every session this pager yields.
    origin: Option<Arc<Origin>>,
}

/// Where `resume_token` comes from. Encoding a token per yielded session would cost more
/// than the session itself, so it is derived only when asked for.
enum Resume {
    /// Nothing consumed yet: the starting token, verbatim.
    Given(Option<String>),
    /// Right after what was consumed of the current page.
    Current,
}

impl Drop for PagerState {
    fn drop(&mut self) {
        if self.process != std::process::id() {
            // Aborting would touch the parent's runtime, which has no threads here.
            std::mem::forget(self.stream.take());
        } else if let Some(stream) = self.stream.take() {
            stream.task.abort();
        }
    }
}

/// A lazy listing of sessions: iterate it, or take `pages()`.
///
/// Requests go out as you iterate, one page ahead of you. `resume_token` continues the
/// listing right after the last session yielded.
#[pyclass(module = "ssm_sessions", name = "SessionPager")]
pub struct SessionPager {
    state: PagerState,
}

/// What `advance` found.
// Boxing the session would cost an allocation per yielded session; the value only moves.
#[allow(clippy::large_enum_variant)]
enum Step {
    Session(Session),
    /// The current page ran out; a new one was loaded.
    NewPage,
    End,
}

impl SessionPager {
    pub fn new(options: ClientOptions, query: Query) -> Self {
        let start = query.start.clone();
        let resume = Resume::Given(query.starting_token.clone());
        SessionPager {
            state: PagerState {
                options,
                query: Arc::new(query),
                raw: false,
                client: None,
                stream: None,
                process: std::process::id(),
                current: None,
                next_fetch: Some(start),
                yielded: 0,
                resume,
                origin: None,
            },
        }
    }

    /// Where this pager's sessions come from; known once the client is built (before
    /// that, nothing can be yielded).
    fn origin(&self) -> Arc<Origin> {
        self.state.origin.clone().unwrap_or_default()
    }

    fn resume_token(&self) -> Option<String> {
        match &self.state.resume {
            Resume::Given(token) => token.clone(),
            Resume::Current => self.state.current.as_ref().and_then(Current::resume_token),
        }
    }

    fn max_items_reached(&self) -> bool {
        self.state
            .query
            .max_items
            .is_some_and(|max| self.state.yielded >= max)
    }

    /// Yields the next session of the current page, or loads the next page.
    fn advance(&mut self, py: Python<'_>) -> PyResult<Step> {
        if self.max_items_reached() {
            return Ok(Step::End);
        }
        let origin = self.origin();
        if let Some(current) = self.state.current.as_mut()
            && let Some(fields) = current.page.sessions.get_mut(current.index)
        {
            // Each session is yielded once: move it out rather than copy it.
            let fields = std::mem::take(fields);
            current.index += 1;
            self.state.yielded += 1;
            self.state.resume = Resume::Current;
            return Ok(Step::Session(Session::new(fields, origin)));
        }
        if self.state.next_fetch.is_none() {
            return Ok(Step::End);
        }
        self.load_next_page(py)?;
        Ok(Step::NewPage)
    }

    fn load_next_page(&mut self, py: Python<'_>) -> PyResult<()> {
        self.leave_parent_process();
        self.ensure_fetching(py)?;
        let Some(stream) = self.state.stream.as_mut() else {
            return Err(Failure::Internal("the page stream is gone".into()).into());
        };
        stream.asked.send_modify(|asked| *asked += 1);
        let received = match runtime::block_on(py, stream.pages.recv()) {
            Ok(received) => received,
            Err(interrupt) => {
                // Stop the request; iterating again restarts from the same place.
                self.stop_fetching();
                return Err(interrupt);
            }
        };
        let fetched = match received {
            Some(Ok(fetched)) => fetched,
            Some(Err(failure)) => {
                // The failed page is still next: iterating again retries it.
                self.stop_fetching();
                return Err(failure.into());
            }
            None => {
                // The task is gone (a panic): a fresh one is started on the next call.
                self.stop_fetching();
                return Err(Failure::Internal("the page stream ended early".into()).into());
            }
        };
        let sessions = match py.detach(|| parse_sessions(&fetched.body)) {
            Ok(sessions) => sessions,
            Err(problem) => {
                // This page is still next: the one after it must not be taken for it.
                self.stop_fetching();
                return Err(Failure::Internal(problem).into());
            }
        };
        let skip = self.state.next_fetch.take().map_or(0, |p| p.skip);
        self.state.next_fetch = fetched.next_token.clone().map(|token| Position {
            next_token: Some(token),
            skip: 0,
        });
        let page = Page {
            request_token: fetched.request_token,
            sessions,
            next_token: fetched.next_token,
            raw_body: self.state.raw.then_some(fetched.body),
        };
        let current = Current { page, index: skip };
        // A page used up on arrival (empty, or skipped by the starting token) moves the
        // listing on; otherwise the position is still just before `index`.
        if current.index >= current.page.sessions.len() {
            self.state.resume = Resume::Current;
        }
        self.state.current = Some(current);
        Ok(())
    }

    /// In a fork child, the parent's page stream and connections are not this process's
    /// to use: the listing goes on from the same position with its own.
    fn leave_parent_process(&mut self) {
        let process = std::process::id();
        if self.state.process != process {
            self.state.process = process;
            // Aborting would touch the parent's runtime, which has no threads here.
            std::mem::forget(self.state.stream.take());
            self.state.client = None;
        }
    }

    fn ensure_fetching(&mut self, py: Python<'_>) -> PyResult<()> {
        if self.state.stream.is_some() {
            return Ok(());
        }
        let client = self.client(py)?;
        let start = self.state.next_fetch.clone().unwrap_or_default();
        let in_current = self
            .state
            .current
            .as_ref()
            .map_or(0, |c| c.page.sessions.len().saturating_sub(c.index));
        let wanted = self
            .state
            .query
            .max_items
            .map(|max| max.saturating_sub(self.state.yielded + in_current));
        let (asked, asked_receiver) = watch::channel(0);
        let (pages_sender, pages) = mpsc::unbounded_channel();
        let fetch = fetch_pages(
            client,
            self.state.query.clone(),
            start,
            wanted,
            asked_receiver,
            pages_sender,
        );
        self.state.stream = Some(Stream {
            task: runtime::spawn(py, fetch)?,
            asked,
            pages,
        });
        Ok(())
    }

    fn stop_fetching(&mut self) {
        if let Some(stream) = self.state.stream.take() {
            stream.task.abort();
        }
    }

    fn client(&mut self, py: Python<'_>) -> PyResult<BuiltClient> {
        if let Some(client) = &self.state.client {
            return Ok(client.clone());
        }
        let options = self.state.options.clone();
        let client = match cached_client(&options) {
            Some(client) => client,
            None => {
                let built = runtime::wait(py, {
                    let options = options.clone();
                    async move { build_client(options).await.map_err(PyErr::from) }
                })?;
                remember_client(options, built.clone());
                built
            }
        };
        self.state.origin = Some(Arc::new(Origin {
            region: Some(client.region.clone()),
            profile: self.state.options.profile.clone(),
        }));
        self.state.client = Some(client.clone());
        Ok(client)
    }

    fn next_session(&mut self, py: Python<'_>) -> PyResult<Option<Session>> {
        loop {
            match self.advance(py) {
                Ok(Step::Session(session)) => return Ok(Some(session)),
                Ok(Step::NewPage) => continue,
                Ok(Step::End) => return Ok(None),
                Err(error) => return Err(self.annotate(py, error)),
            }
        }
    }

    /// The rest of the current page, or else the next page (even an empty one: it is
    /// still a response of the listing); None at the end.
    fn next_page(&mut self, py: Python<'_>) -> PyResult<Option<PageSlice>> {
        if self.max_items_reached() {
            return Ok(None);
        }
        let has_rest = self
            .state
            .current
            .as_ref()
            .is_some_and(|c| c.index < c.page.sessions.len());
        if !has_rest {
            if self.state.next_fetch.is_none() {
                return Ok(None);
            }
            if let Err(error) = self.load_next_page(py) {
                return Err(self.annotate(py, error));
            }
        }
        let origin = self.origin();
        let limit = self
            .state
            .query
            .max_items
            .map_or(usize::MAX, |max| max - self.state.yielded);
        let Some(current) = self.state.current.as_mut() else {
            return Ok(None);
        };
        let start = current.index.min(current.page.sessions.len());
        let stop = start + (current.page.sessions.len() - start).min(limit);
        current.index = stop;
        self.state.yielded += stop - start;
        self.state.resume = Resume::Current;
        let sessions = current.page.sessions[start..stop]
            .iter_mut()
            .map(|fields| Session::new(std::mem::take(fields), origin.clone()))
            .collect();
        let raw_body = current.page.raw_body.take();
        Ok(Some(PageSlice {
            sessions,
            raw_body,
            start,
            stop,
            next_token: self.resume_token(),
        }))
    }

    fn annotate(&self, py: Python<'_>, error: PyErr) -> PyErr {
        with_resume_token(py, error, self.resume_token())
    }
}

#[pymethods]
impl SessionPager {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Session>> {
        self.next_session(py)
    }

    /// The token that continues this listing right after the last yielded session: the
    /// starting token until something is yielded, None once the listing is complete.
    #[getter]
    #[pyo3(name = "resume_token")]
    fn py_resume_token(&self) -> Option<String> {
        self.resume_token()
    }

    /// Iterates the listing page by page (each a `Page` with `sessions` and `next_token`).
    fn pages(slf: Py<Self>) -> PageIterator {
        PageIterator { pager: slf }
    }

    /// Iterates the service's responses as sent (`RawPage`: body bytes and the slice of
    /// its sessions that belong to this listing). For tools that must print exactly what
    /// the service sent, like the command line. Call it before iterating.
    fn raw_pages(slf: Py<Self>, py: Python<'_>) -> PyResult<RawPageIterator> {
        {
            let mut pager = slf.borrow_mut(py);
            if pager.state.stream.is_some() || pager.state.current.is_some() {
                return Err(crate::errors::invalid_parameter(
                    "raw_pages() must be called before the pager is iterated",
                ));
            }
            pager.state.raw = true;
        }
        Ok(RawPageIterator { pager: slf })
    }

    /// Every remaining session, as a list.
    #[pyo3(name = "to_list")]
    fn collect_list(&mut self, py: Python<'_>) -> PyResult<Vec<Session>> {
        let mut sessions = Vec::new();
        while let Some(session) = self.next_session(py)? {
            sessions.push(session);
        }
        Ok(sessions)
    }
}

/// What one step of `pages()` / `raw_pages()` hands out.
struct PageSlice {
    sessions: Vec<Session>,
    raw_body: Option<Bytes>,
    start: usize,
    stop: usize,
    next_token: Option<String>,
}

/// One page of a listing.
#[pyclass(frozen, module = "ssm_sessions", name = "Page")]
pub struct SessionPage {
    sessions: Py<PyList>,
    next_token: Option<String>,
}

#[pymethods]
impl SessionPage {
    /// The page's sessions (only those within `max_items` and after the starting token).
    #[getter]
    fn sessions(&self, py: Python<'_>) -> Py<PyList> {
        self.sessions.clone_ref(py)
    }
    /// The token that continues right after this page, or None after the last one.
    #[getter]
    fn next_token(&self) -> Option<&str> {
        self.next_token.as_deref()
    }
    fn __len__(&self, py: Python<'_>) -> usize {
        self.sessions.bind(py).len()
    }
    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Page(sessions=<{} sessions>, next_token={:?})",
            self.sessions.bind(py).len(),
            self.next_token
        )
    }
}

/// Iterator of `Page`s over a pager.
#[pyclass(module = "ssm_sessions")]
pub struct PageIterator {
    pager: Py<SessionPager>,
}

#[pymethods]
impl PageIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }
    fn __next__(&self, py: Python<'_>) -> PyResult<Option<SessionPage>> {
        let slice = self.pager.borrow_mut(py).next_page(py)?;
        slice
            .map(|slice| {
                Ok(SessionPage {
                    sessions: PyList::new(py, slice.sessions)?.unbind(),
                    next_token: slice.next_token,
                })
            })
            .transpose()
    }
}

/// One service response, as sent.
#[pyclass(frozen, module = "ssm_sessions", name = "RawPage")]
pub struct RawPage {
    #[pyo3(get)]
    body: Py<PyBytes>,
    #[pyo3(get)]
    start: usize,
    #[pyo3(get)]
    stop: usize,
}

/// Iterator of `RawPage`s over a pager.
#[pyclass(module = "ssm_sessions")]
pub struct RawPageIterator {
    pager: Py<SessionPager>,
}

#[pymethods]
impl RawPageIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }
    fn __next__(&self, py: Python<'_>) -> PyResult<Option<RawPage>> {
        let slice = self.pager.borrow_mut(py).next_page(py)?;
        Ok(slice.map(|slice| RawPage {
            body: PyBytes::new(py, slice.raw_body.as_deref().unwrap_or_default()).unbind(),
            start: slice.start,
            stop: slice.stop,
        }))
    }
}
