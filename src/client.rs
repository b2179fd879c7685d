//! The `Client` class: configuration, and `describe_sessions` on it.

use pyo3::prelude::*;

use crate::config::{ClientOptions, RetryMode, check_endpoint_url, timeout_argument};
use crate::credentials::CredentialSource;
use crate::errors::invalid_parameter;
use crate::pager::SessionPager;
use crate::query::QueryArguments;

/// Configuration for talking to SSM: region, profile, endpoint, credentials, TLS,
/// timeouts and retries. Cheap to create; clients with equal options share one
/// connection pool.
#[pyclass(frozen, module = "ssm_sessions", name = "Client")]
pub struct Client {
    options: ClientOptions,
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (
        *, region=None, profile=None, endpoint_url=None, credentials=None, sign_request=true,
        verify_ssl=true, ca_bundle=None, connect_timeout=None, read_timeout=None,
        max_attempts=None, retry_mode=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        region: Option<String>,
        profile: Option<String>,
        endpoint_url: Option<String>,
        credentials: Option<&Bound<'_, PyAny>>,
        sign_request: bool,
        verify_ssl: bool,
        ca_bundle: Option<String>,
        connect_timeout: Option<f64>,
        read_timeout: Option<f64>,
        max_attempts: Option<i64>,
        retry_mode: Option<String>,
    ) -> PyResult<Self> {
        non_empty(&region, "region")?;
        non_empty(&profile, "profile")?;
        non_empty(&ca_bundle, "ca_bundle")?;
        if let Some(url) = &endpoint_url {
            check_endpoint_url(url)?;
        }
        let max_attempts = match max_attempts {
            None => None,
            Some(n) if (1..=u32::MAX as i64).contains(&n) => Some(n as u32),
            Some(n) => {
                return Err(invalid_parameter(format!(
                    "max_attempts must be >= 1 (1 means no retry), got {n}"
                )));
            }
        };
        Ok(Client {
            options: ClientOptions {
                region,
                profile,
                endpoint_url,
                credentials: CredentialSource::from_argument(credentials, sign_request)?,
                verify_ssl,
                ca_bundle,
                connect_timeout: timeout_argument(connect_timeout, "connect_timeout")?,
                read_timeout: timeout_argument(read_timeout, "read_timeout")?,
                max_attempts,
                retry_mode: retry_mode.as_deref().map(RetryMode::parse).transpose()?,
            },
        })
    }

    /// Lists sessions in `state` ("Active" or "History"), lazily. See
    /// `ssm_sessions.describe_sessions` for the arguments.
    #[pyo3(signature = (
        state, *, invoked_after=None, invoked_before=None, target=None, owner=None, status=None,
        session_id=None, access_type=None, filters=None, page_size=None, max_items=None,
        starting_token=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn describe_sessions(
        &self,
        state: &Bound<'_, PyAny>,
        invoked_after: Option<&Bound<'_, PyAny>>,
        invoked_before: Option<&Bound<'_, PyAny>>,
        target: Option<&Bound<'_, PyAny>>,
        owner: Option<&Bound<'_, PyAny>>,
        status: Option<&Bound<'_, PyAny>>,
        session_id: Option<&Bound<'_, PyAny>>,
        access_type: Option<&Bound<'_, PyAny>>,
        filters: Option<&Bound<'_, PyAny>>,
        page_size: Option<&Bound<'_, PyAny>>,
        max_items: Option<&Bound<'_, PyAny>>,
        starting_token: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<SessionPager> {
        let query = QueryArguments {
            state,
            filters,
            shortcuts: [
                invoked_after,
                invoked_before,
                target,
                owner,
                status,
                session_id,
                access_type,
            ],
            page_size,
            max_items,
            starting_token,
        }
        .check()?;
        Ok(SessionPager::new(self.options.clone(), query))
    }

    /// The region given (None: from the environment or profile).
    #[getter]
    fn region(&self) -> Option<&str> {
        self.options.region.as_deref()
    }

    /// The profile given, if any.
    #[getter]
    fn profile(&self) -> Option<&str> {
        self.options.profile.as_deref()
    }

    /// The endpoint given, if any.
    #[getter]
    fn endpoint_url(&self) -> Option<&str> {
        self.options.endpoint_url.as_deref()
    }

    fn __repr__(&self) -> String {
        let show = |v: &Option<String>| v.as_ref().map_or("None".into(), |s| format!("{s:?}"));
        format!(
            "Client(region={}, profile={}, endpoint_url={})",
            show(&self.options.region),
            show(&self.options.profile),
            show(&self.options.endpoint_url)
        )
    }
}

fn non_empty(value: &Option<String>, name: &str) -> PyResult<()> {
    match value {
        Some(text) if text.is_empty() => {
            Err(invalid_parameter(format!("{name} must not be empty")))
        }
        _ => Ok(()),
    }
}
