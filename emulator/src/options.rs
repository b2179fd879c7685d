//! What an emulator serves and how it behaves.

use crate::faults::Faults;
use crate::record::SessionRecord;

/// Page size when a request has no MaxResults. The service does not document its own
/// default; 20 is small enough that default-size listings of realistic fixtures page.
pub const DEFAULT_PAGE_SIZE: usize = 20;
/// The default test identity (never a real AWS key: `AKID...`, not `AKIA...`).
pub const DEFAULT_ACCESS_KEY_ID: &str = "AKIDLOCALSSMEMULATOR";
pub const DEFAULT_SECRET_ACCESS_KEY: &str = "LocalSsmEmulator/Secret+Key/EXAMPLEKEY01";

/// Emulator configuration. `Options::default()` serves no sessions, signs with the test
/// identity above, rejects unsigned requests, filters after the page limit like the
/// service and pages by [`DEFAULT_PAGE_SIZE`], with no faults.
#[derive(Clone)]
pub struct Options {
    pub sessions: Vec<SessionRecord>,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Accept requests with no Authorization header (clients with `sign_request=False`).
    pub allow_unsigned: bool,
    /// true: like the service, cut MaxResults sessions and then filter (pages may be
    /// empty while NextToken is set); false: fill pages with matches.
    pub filter_after_limit: bool,
    /// Page size when MaxResults is absent (values above 200 are served as asked).
    pub default_page_size: usize,
    pub faults: Faults,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            sessions: Vec::new(),
            access_key_id: DEFAULT_ACCESS_KEY_ID.to_string(),
            secret_access_key: DEFAULT_SECRET_ACCESS_KEY.to_string(),
            allow_unsigned: false,
            filter_after_limit: true,
            default_page_size: DEFAULT_PAGE_SIZE,
            faults: Faults::default(),
        }
    }
}

/// Redacts the secret so that logging options never leaks it.
impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("sessions", &self.sessions.len())
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field("allow_unsigned", &self.allow_unsigned)
            .field("filter_after_limit", &self.filter_after_limit)
            .field("default_page_size", &self.default_page_size)
            .field("faults", &self.faults)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn debug_never_shows_the_secret() {
        let text = format!("{:?}", super::Options::default());
        assert!(!text.contains(super::DEFAULT_SECRET_ACCESS_KEY));
        assert!(text.contains(super::DEFAULT_ACCESS_KEY_ID));
    }
}
