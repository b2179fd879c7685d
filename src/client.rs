//! The `Client` class: configuration, and `describe_sessions` on it.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyString};

use crate::config::{ClientOptions, aws_environment_digest, check_endpoint_url, timeout_argument};
use crate::credentials::CredentialSource;
use crate::errors::invalid_parameter;
use crate::pager::SessionPager;
use crate::query::QueryArguments;
use crate::request_log::debug_enabled;
use crate::retries::RetryMode;

/// Configuration for talking to SSM: region, profile, endpoint, credentials, TLS,
/// timeouts and retries. Cheap to create; clients with equal options share one
/// connection pool.
///
/// `max_attempts` and `retry_mode` not given are read from `AWS_MAX_ATTEMPTS` and
/// `AWS_RETRY_MODE`, then from the profile; the default is standard mode with 3
/// attempts (`"legacy"`: 5).
#[pyclass(frozen, module = "ssm_sessions", name = "Client")]
pub struct Client {
    options: ClientOptions,
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (
        *, region=None, profile=None, endpoint_url=None, credentials=None, sign_request=None,
        verify_ssl=None, ca_bundle=None, connect_timeout=None, read_timeout=None,
        max_attempts=None, retry_mode=None
    ),
    // The flags take None only to tell "not given" apart; their defaults are True.
    text_signature = "(*, region=None, profile=None, endpoint_url=None, credentials=None, \
        sign_request=True, verify_ssl=True, ca_bundle=None, connect_timeout=None, \
        read_timeout=None, max_attempts=None, retry_mode=None)")]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        region: Option<&Bound<'_, PyAny>>,
        profile: Option<&Bound<'_, PyAny>>,
        endpoint_url: Option<&Bound<'_, PyAny>>,
        credentials: Option<&Bound<'_, PyAny>>,
        sign_request: Option<&Bound<'_, PyAny>>,
        verify_ssl: Option<&Bound<'_, PyAny>>,
        ca_bundle: Option<&Bound<'_, PyAny>>,
        connect_timeout: Option<&Bound<'_, PyAny>>,
        read_timeout: Option<&Bound<'_, PyAny>>,
        max_attempts: Option<&Bound<'_, PyAny>>,
        retry_mode: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let endpoint_url = text(endpoint_url, "endpoint_url")?;
        if let Some(url) = &endpoint_url {
            check_endpoint_url(url)?;
        }
        let retry_mode = text(retry_mode, "retry_mode")?;
        let verify_ssl = flag(verify_ssl, "verify_ssl", true)?;
        if !verify_ssl {
            warn_unverified(py)?;
        }
        Ok(Client {
            options: ClientOptions {
                region: text(region, "region")?,
                profile: text(profile, "profile")?,
                endpoint_url,
                credentials: CredentialSource::from_argument(
                    credentials,
                    flag(sign_request, "sign_request", true)?,
                )?,
                verify_ssl,
                ca_bundle: text(ca_bundle, "ca_bundle")?,
                connect_timeout: timeout_argument(
                    seconds(connect_timeout, "connect_timeout")?,
                    "connect_timeout",
                )?,
                read_timeout: timeout_argument(
                    seconds(read_timeout, "read_timeout")?,
                    "read_timeout",
                )?,
                max_attempts: attempts(max_attempts)?,
                retry_mode: retry_mode
                    .map(|mode| RetryMode::parse(&mode, "retry_mode"))
                    .transpose()?,
                log_requests: debug_enabled(py)?,
                environment: aws_environment_digest(),
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

/// Certificates unchecked are a risk worth saying out loud, as urllib3 does.
fn warn_unverified(py: Python<'_>) -> PyResult<()> {
    let category = py.get_type::<pyo3::exceptions::PyUserWarning>();
    PyErr::warn(
        py,
        &category,
        c"verify_ssl=False: TLS certificates are not checked; anyone on the network path can read and change the traffic",
        2,
    )
}

/// An optional non-empty string argument.
fn text(value: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<String>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    match value.cast::<PyString>() {
        Ok(text) if text.to_str()?.is_empty() => {
            Err(invalid_parameter(format!("{name} must not be empty")))
        }
        Ok(text) => Ok(Some(text.to_str()?.to_owned())),
        Err(_) => Err(wrong_type(value, name, "a str")),
    }
}

/// An optional bool argument (exactly True or False).
fn flag(value: Option<&Bound<'_, PyAny>>, name: &str, default: bool) -> PyResult<bool> {
    match value {
        None => Ok(default),
        Some(value) => value
            .cast::<PyBool>()
            .map(|b| b.is_true())
            .map_err(|_| wrong_type(value, name, "True or False")),
    }
}

/// An optional number of seconds (int or float, not bool).
fn seconds(value: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<f64>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if value.is_instance_of::<PyBool>()
        || !(value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>())
    {
        return Err(wrong_type(value, name, "a number of seconds"));
    }
    value.extract().map(Some)
}

fn attempts(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<u32>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    let number = (!value.is_instance_of::<PyBool>() && value.is_instance_of::<PyInt>())
        .then(|| value.extract::<u32>().ok())
        .flatten();
    match number {
        Some(n) if n >= 1 => Ok(Some(n)),
        _ => Err(invalid_parameter(format!(
            "max_attempts must be an int >= 1 (1 means no retry), got {}",
            value.repr()?
        ))),
    }
}

fn wrong_type(value: &Bound<'_, PyAny>, name: &str, expected: &str) -> PyErr {
    let got = value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into());
    invalid_parameter(format!("{name} must be {expected}, got {got}"))
}
