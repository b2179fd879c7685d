//! The page stream and the `SessionPager` Python class.
//!
//! The request for the next page goes out as soon as the current page's NextToken is
//! known, before its sessions are parsed, and is not followed by another until the
//! consumer asks for that page: one page ahead, no more, so memory stays flat however
//! many pages there are, and the next page's latency hides behind the current page's use.
//! The consumer's thread reads and parses each page itself (with the GIL released), so a
//! page costs no hop between threads besides the request's own.
//! The consumer tracks its position exactly, so `resume_token` continues right after the
//! last session it yielded, in botocore's token format.

use std::sync::Arc;

use bytes::Bytes;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};
use tokio::task::JoinHandle;

use crate::config::{BuiltClient, ClientOptions, build_client, cached_client, remember_client};
use crate::errors::{Failure, with_resume_token};
use crate::http::{BodySlot, keeping_body};
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

/// The page after the current one.
enum Ahead {
    /// Its request, on its way.
    Requested(JoinHandle<Result<Bytes, Failure>>),
    /// It cannot be had (the service repeated its NextToken): said when it is asked for,
    /// after the current page was used, as botocore does.
    Failed(Failure),
}

/// Sends one DescribeSessions request; returns the body of the response.
async fn fetch_body(
    client: BuiltClient,
    query: Arc<Query>,
    token: Option<String>,
) -> Result<Bytes, Failure> {
    let body = BodySlot::default();
    let request = client
        .sdk
        .describe_sessions()
        .state(query.state.clone())
        .set_max_results(query.page_size)
        .set_next_token(token)
        .set_filters((!query.filters.is_empty()).then(|| query.sdk_filters()));
    keeping_body(body.clone(), request.send())
        .await
        .map_err(|e| Failure::from_sdk(e, &client.endpoint_url))?;
    body.take()
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
    ahead: Option<Ahead>,
    /// The process whose runtime sent `ahead` and whose connections `client` holds.
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
            std::mem::forget(self.ahead.take());
        } else if let Some(Ahead::Requested(request)) = self.ahead.take() {
            request.abort();
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
                ahead: None,
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
        let client = self.client(py)?;
        let position = self.state.next_fetch.clone().unwrap_or_default();
        let ahead = match self.state.ahead.take() {
            Some(ahead) => ahead,
            None => self.request(py, &client, position.next_token.clone())?,
        };
        let mut request = match ahead {
            Ahead::Requested(request) => request,
            // The failed page is still next: iterating again retries it.
            Ahead::Failed(failure) => return Err(failure.into()),
        };
        let body = match runtime::block_on(py, &mut request) {
            Ok(joined) => joined.map_err(runtime::join_error)??,
            Err(interrupt) => {
                // Stop the request; iterating again restarts from the same place.
                request.abort();
                return Err(interrupt);
            }
        };
        let counting = self.state.query.max_items.is_some();
        let skim = skim_page(&body, counting).map_err(Failure::Internal)?;
        let after_page = skim
            .session_count
            .map(|count| self.state.yielded + count.saturating_sub(position.skip));
        self.state.ahead =
            self.request_after(py, &client, &position, &skim.next_token, after_page)?;
        let sessions = match py.detach(|| parse_sessions(&body)) {
            Ok(sessions) => sessions,
            Err(problem) => {
                // This page is still next: the one after it must not be taken for it.
                if let Some(Ahead::Requested(request)) = self.state.ahead.take() {
                    request.abort();
                }
                return Err(Failure::Internal(problem).into());
            }
        };
        let page = Page {
            request_token: position.next_token,
            sessions,
            next_token: skim.next_token,
            raw_body: self.state.raw.then_some(body),
        };
        self.state.next_fetch = page.next_token.clone().map(|token| Position {
            next_token: Some(token),
            skip: 0,
        });
        let current = Current {
            page,
            index: position.skip,
        };
        // A page used up on arrival (empty, or skipped by the starting token) moves the
        // listing on; otherwise the position is still just before `index`.
        if current.index >= current.page.sessions.len() {
            self.state.resume = Resume::Current;
        }
        self.state.current = Some(current);
        Ok(())
    }

    /// In a fork child, the parent's request ahead and connections are not this process's
    /// to use: the listing goes on from the same position with its own.
    fn leave_parent_process(&mut self) {
        let process = std::process::id();
        if self.state.process != process {
            self.state.process = process;
            // Aborting would touch the parent's runtime, which has no threads here.
            std::mem::forget(self.state.ahead.take());
            self.state.client = None;
        }
    }

    /// Sends the request for the page at `token`.
    fn request(
        &self,
        py: Python<'_>,
        client: &BuiltClient,
        token: Option<String>,
    ) -> PyResult<Ahead> {
        let fetch = fetch_body(client.clone(), self.state.query.clone(), token);
        Ok(Ahead::Requested(runtime::spawn(py, fetch)?))
    }

    /// The page after the one fetched at `position`, whose NextToken is `next_token`:
    /// none at the end of the listing or once `max_items` are in hand (`after_page` counts
    /// what will have been yielded by then, when counting).
    fn request_after(
        &self,
        py: Python<'_>,
        client: &BuiltClient,
        position: &Position,
        next_token: &Option<String>,
        after_page: Option<usize>,
    ) -> PyResult<Option<Ahead>> {
        let Some(next_token) = next_token else {
            return Ok(None);
        };
        if let (Some(max), Some(after_page)) = (self.state.query.max_items, after_page)
            && after_page >= max
        {
            return Ok(None);
        }
        if position.next_token.as_ref() == Some(next_token) {
            return Ok(Some(Ahead::Failed(Failure::Pagination(format!(
                "The same next token was received twice: {{'NextToken': '{next_token}'}}"
            )))));
        }
        self.request(py, client, Some(next_token.clone())).map(Some)
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
            if pager.state.ahead.is_some() || pager.state.current.is_some() {
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
