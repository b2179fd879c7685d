//! A local emulator of the AWS SSM `DescribeSessions` API, for tests and demos.
//!
//! It speaks AWS JSON 1.1 over HTTP/1.1, checks SigV4 signatures against its own test
//! credentials, applies every filter, pages newest first with opaque query-bound tokens,
//! answers with the service's error shapes and injects faults deterministically from a
//! seed. It deliberately shares no code with the client side (no AWS SDK crates): its
//! JSON writer, token format, filters and SigV4 check are its own, so that a bug in one
//! side cannot hide behind the same bug in the other.
//!
//! Behaviour where the service leaves room for choice:
//! - Default page size (no MaxResults): [`DEFAULT_PAGE_SIZE`] = 20, configurable.
//! - Order: StartDate descending, ties by SessionId ascending, no StartDate last.
//! - Filters: `InvokedAfter` keeps StartDate >= t, `InvokedBefore` StartDate <= t (ISO-8601
//!   instants with a zone); the others are exact, case-sensitive matches; a missing field
//!   never matches; all filters AND, even two with the same key.
//! - Paging: by default (like the service) MaxResults sessions are cut first and filtered
//!   after, so pages can be empty while NextToken is set; `filter_after_limit = false`
//!   fills pages with matches instead. An empty-string NextToken starts from the top.
//! - Tokens: base64 of (version, offset, truncated HMAC-SHA256 over offset, State and the
//!   sorted filters with a per-emulator random key). Another State, other filters,
//!   another emulator or any edit gives InvalidNextToken.
//! - Faults: decided per request from (seed, arrival sequence number); a random fault never
//!   follows a faulted request; `fail_next` faults are explicit and may run back to back.
//!   Latency is added to every request.
//! - Malformed JSON or wrongly-typed members answer ValidationException (the service says
//!   SerializationException for some of these; botocore validates types before sending).

mod error;
mod faults;
mod generate;
mod hexfmt;
mod options;
mod query;
mod record;
mod request_log;
mod rng;
mod server;
mod sigv4;
mod store;
mod time;
mod token;
mod wire;

pub use faults::{FaultKind, Faults};
pub use generate::generate_sessions;
pub use options::{DEFAULT_ACCESS_KEY_ID, DEFAULT_PAGE_SIZE, DEFAULT_SECRET_ACCESS_KEY, Options};
pub use record::{OutputUrlRecord, SessionRecord, State};
pub use request_log::REQUEST_LOG_LIMIT;
pub use server::{Emulator, RequestRecord};
