//! The sessions, sorted newest first and pre-encoded, and the page logic.

use bytes::Bytes;

use crate::error::ApiError;
use crate::query::Query;
use crate::record::{SessionRecord, State};
use crate::token::TokenKey;
use crate::wire;

/// One session with its JSON bytes, written once at start.
struct Entry {
    record: SessionRecord,
    json: Vec<u8>,
}

/// How pages are cut.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paging {
    /// The service's way: cut MaxResults sessions, then filter (pages may be empty).
    pub(crate) filter_after_limit: bool,
    pub(crate) default_page_size: usize,
}

/// Both State lists, newest first (StartDate descending, ties by SessionId ascending,
/// sessions without a StartDate last).
pub(crate) struct Store {
    active: Vec<Entry>,
    history: Vec<Entry>,
    tokens: TokenKey,
    paging: Paging,
}

impl Store {
    pub(crate) fn new(sessions: Vec<SessionRecord>, tokens: TokenKey, paging: Paging) -> Store {
        let (mut active, mut history): (Vec<_>, Vec<_>) = sessions
            .into_iter()
            .map(|record| Entry {
                json: wire::encode_session(&record),
                record,
            })
            .partition(|e| e.record.state == State::Active);
        for list in [&mut active, &mut history] {
            list.sort_by(|a, b| {
                let key = |e: &Entry| std::cmp::Reverse(e.record.start_date_ms.unwrap_or(i64::MIN));
                key(a)
                    .cmp(&key(b))
                    .then_with(|| a.record.session_id.cmp(&b.record.session_id))
            });
        }
        Store {
            active,
            history,
            tokens,
            paging,
        }
    }

    fn list(&self, state: State) -> &[Entry] {
        match state {
            State::Active => &self.active,
            State::History => &self.history,
        }
    }

    /// The response body for one validated request.
    pub(crate) fn page(&self, query: &Query) -> Result<Bytes, ApiError> {
        let list = self.list(query.state);
        let start = match &query.next_token {
            None => 0,
            Some(token) => self
                .tokens
                .open(token, query.state, &query.raw_filters)
                .ok_or_else(ApiError::invalid_next_token)?,
        };
        let start = usize::try_from(start).unwrap_or(usize::MAX).min(list.len());
        let size = query
            .max_results
            .unwrap_or(self.paging.default_page_size)
            .max(1);
        let (picked, next) = if self.paging.filter_after_limit {
            cut_then_filter(list, start, size, query)
        } else {
            fill_with_matches(list, start, size, query)
        };
        let token = next.map(|offset| {
            self.tokens
                .mint(offset as u64, query.state, &query.raw_filters)
        });
        Ok(wire::page_body(&picked, token.as_deref()))
    }
}

/// The next `size` sessions from `start`, then the filters; a token when any remain.
fn cut_then_filter<'a>(
    list: &'a [Entry],
    start: usize,
    size: usize,
    query: &Query,
) -> (Vec<&'a [u8]>, Option<usize>) {
    let end = start.saturating_add(size).min(list.len());
    let picked = list[start..end]
        .iter()
        .filter(|e| query.matches(&e.record))
        .map(|e| e.json.as_slice())
        .collect();
    (picked, (end < list.len()).then_some(end))
}

/// Up to `size` matching sessions from `start`; a token pointing at the next match, if any,
/// so the last page never comes back empty.
fn fill_with_matches<'a>(
    list: &'a [Entry],
    start: usize,
    size: usize,
    query: &Query,
) -> (Vec<&'a [u8]>, Option<usize>) {
    let mut picked = Vec::with_capacity(size.min(list.len()));
    let mut matching = list
        .iter()
        .enumerate()
        .skip(start)
        .filter(|(_, e)| query.matches(&e.record));
    for (_, entry) in matching.by_ref().take(size) {
        picked.push(entry.json.as_slice());
    }
    let next = matching.next().map(|(i, _)| i);
    (picked, next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse_request;
    use serde_json::Value;

    fn sessions(n: usize) -> Vec<SessionRecord> {
        (0..n)
            .map(|i| {
                let mut s = SessionRecord::new(format!("s-{i:03}"));
                s.start_date_ms = Some(1_700_000_000_000 + (i as i64 / 2) * 1000);
                s.owner = Some(if i % 3 == 0 { "a" } else { "b" }.into());
                s.status = Some(
                    if i % 5 == 0 {
                        "Terminated"
                    } else {
                        "Connected"
                    }
                    .into(),
                );
                s.state = State::for_status(s.status.as_deref().unwrap());
                s
            })
            .collect()
    }

    fn store(filter_after_limit: bool) -> Store {
        Store::new(
            sessions(50),
            TokenKey::new([3; 32]),
            Paging {
                filter_after_limit,
                default_page_size: 7,
            },
        )
    }

    /// All pages of a query: (ids per page).
    fn pages(store: &Store, base: &str) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut req: Value = serde_json::from_str(base).unwrap();
            if let Some(t) = &token {
                req["NextToken"] = Value::String(t.clone());
            }
            let query = parse_request(req.to_string().as_bytes()).unwrap();
            let body: Value = serde_json::from_slice(&store.page(&query).unwrap()).unwrap();
            let ids = body["Sessions"].as_array().unwrap().iter();
            out.push(
                ids.map(|s| s["SessionId"].as_str().unwrap().to_string())
                    .collect(),
            );
            match body.get("NextToken") {
                Some(Value::String(t)) => token = Some(t.clone()),
                _ => return out,
            }
        }
    }

    #[test]
    fn newest_first_with_id_ties() {
        let store = store(true);
        let all: Vec<String> = pages(&store, r#"{"State":"Active","MaxResults":200}"#).concat();
        assert_eq!(all.len(), 40);
        assert_eq!(&all[..3], ["s-048", "s-049", "s-046"]);
    }

    #[test]
    fn filter_after_limit_gives_empty_pages_but_every_match_once() {
        let store = store(true);
        let got = pages(
            &store,
            r#"{"State":"Active","MaxResults":2,"Filters":[{"key":"Owner","value":"a"}]}"#,
        );
        assert_eq!(got.len(), 20);
        assert!(got.iter().any(Vec::is_empty));
        assert_eq!(got.concat().len(), 13);
    }

    #[test]
    fn fill_mode_has_no_empty_pages() {
        let fill = store(false);
        let got = pages(
            &fill,
            r#"{"State":"Active","MaxResults":2,"Filters":[{"key":"Owner","value":"a"}]}"#,
        );
        assert!(got.iter().all(|p| !p.is_empty()));
        let reference = pages(
            &store(true),
            r#"{"State":"Active","MaxResults":2,"Filters":[{"key":"Owner","value":"a"}]}"#,
        );
        assert_eq!(got.concat(), reference.concat());
    }

    #[test]
    fn default_page_size_and_exact_end() {
        let store = store(true);
        let got = pages(&store, r#"{"State":"History"}"#);
        assert_eq!(got.iter().map(Vec::len).collect::<Vec<_>>(), [7, 3]);
        let exact = pages(&store, r#"{"State":"History","MaxResults":10}"#);
        assert_eq!(exact.len(), 1, "no token when nothing remains");
    }

    #[test]
    fn tokens_are_bound_to_the_query() {
        let store = store(true);
        let q = parse_request(br#"{"State":"Active","MaxResults":1}"#).unwrap();
        let body: Value = serde_json::from_slice(&store.page(&q).unwrap()).unwrap();
        let token = body["NextToken"].as_str().unwrap();
        let other = format!(r#"{{"State":"History","NextToken":"{token}"}}"#);
        let err = store
            .page(&parse_request(other.as_bytes()).unwrap())
            .unwrap_err();
        assert_eq!(err.code, "InvalidNextToken");
        let garbage = parse_request(br#"{"State":"Active","NextToken":"garbage"}"#).unwrap();
        assert_eq!(store.page(&garbage).unwrap_err().code, "InvalidNextToken");
    }
}
