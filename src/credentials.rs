//! Credentials: the explicit `Credentials` class, and a provider that asks any Python
//! object with `get_frozen_credentials()` (a boto3/botocore credentials object) for them.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials as SdkCredentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, future};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::errors::invalid_parameter;

const PROVIDER_NAME: &str = "ssm-sessions";

/// AWS credentials: an access key id, a secret access key and an optional session token.
#[pyclass(frozen, eq, hash, module = "ssm_sessions", name = "Credentials")]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

#[pymethods]
impl Credentials {
    #[new]
    #[pyo3(signature = (access_key_id, secret_access_key, session_token=None))]
    fn new(
        access_key_id: String,
        secret_access_key: String,
        session_token: Option<String>,
    ) -> PyResult<Self> {
        if access_key_id.is_empty() || secret_access_key.is_empty() {
            return Err(invalid_parameter(
                "credentials need a non-empty access_key_id and secret_access_key",
            ));
        }
        Ok(Credentials {
            access_key_id,
            secret_access_key,
            session_token,
        })
    }

    /// The access key id (not secret: it appears in logs and reprs).
    #[getter]
    fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    #[getter]
    fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials, or None.
    #[getter]
    fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// These credentials themselves, so they can stand where a botocore credentials
    /// object is expected.
    fn get_frozen_credentials(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __repr__(&self) -> String {
        let token = if self.session_token.is_some() {
            "'***'"
        } else {
            "None"
        };
        format!(
            "Credentials(access_key_id='{}', secret_access_key='***', session_token={token})",
            self.access_key_id
        )
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let this = slf.get();
        let args = (
            this.access_key_id.clone(),
            this.secret_access_key.clone(),
            this.session_token.clone(),
        )
            .into_pyobject(slf.py())?;
        Ok((slf.get_type().into_any(), args))
    }
}

impl Credentials {
    pub fn to_sdk(&self) -> SdkCredentials {
        SdkCredentials::new(
            &self.access_key_id,
            &self.secret_access_key,
            self.session_token.clone(),
            None,
            PROVIDER_NAME,
        )
    }
}

/// Where a client's credentials come from.
#[derive(Clone)]
pub enum CredentialSource {
    /// The standard AWS chain (environment, profiles, SSO, IMDS...).
    Chain,
    /// Fixed credentials.
    Fixed(Credentials),
    /// A Python object with `get_frozen_credentials()`, asked again when they expire.
    Python(Arc<Py<PyAny>>),
    /// Anonymous requests (`sign_request=False`).
    Unsigned,
}

impl PartialEq for CredentialSource {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Chain, Self::Chain) | (Self::Unsigned, Self::Unsigned) => true,
            (Self::Fixed(a), Self::Fixed(b)) => a == b,
            (Self::Python(a), Self::Python(b)) => a.as_ptr() == b.as_ptr(),
            _ => false,
        }
    }
}
impl Eq for CredentialSource {}

impl std::hash::Hash for CredentialSource {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Self::Fixed(credentials) => credentials.hash(state),
            Self::Python(object) => (object.as_ptr() as usize).hash(state),
            Self::Chain | Self::Unsigned => {}
        }
    }
}

impl CredentialSource {
    /// Reads the `credentials=` argument: None, `Credentials`, or a credentials object.
    pub fn from_argument(value: Option<&Bound<'_, PyAny>>, sign_request: bool) -> PyResult<Self> {
        if !sign_request {
            return Ok(Self::Unsigned);
        }
        let Some(value) = value.filter(|v| !v.is_none()) else {
            return Ok(Self::Chain);
        };
        if let Ok(fixed) = value.cast::<Credentials>() {
            return Ok(Self::Fixed(fixed.get().clone()));
        }
        if value.hasattr("get_frozen_credentials")? {
            return Ok(Self::Python(Arc::new(value.clone().unbind())));
        }
        Err(invalid_parameter(format!(
            "credentials must be ssm_sessions.Credentials or an object with get_frozen_credentials() \
             (e.g. boto3.Session().get_credentials()), got {}",
            value.get_type().name()?
        )))
    }
}

/// Credentials from a Python object, fetched on a blocking thread with the GIL.
pub struct PythonCredentials(pub Arc<Py<PyAny>>);

impl fmt::Debug for PythonCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PythonCredentials")
    }
}

impl ProvideCredentials for PythonCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let source = self.0.clone();
        future::ProvideCredentials::new(async move {
            tokio::task::spawn_blocking(move || {
                Python::try_attach(|py| frozen_credentials(py, source.bind(py))).unwrap_or_else(
                    || {
                        Err(CredentialsError::not_loaded(
                            "the interpreter is shutting down",
                        ))
                    },
                )
            })
            .await
            .map_err(CredentialsError::provider_error)?
        })
    }
}

fn frozen_credentials(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
) -> Result<SdkCredentials, CredentialsError> {
    let read = || -> PyResult<SdkCredentials> {
        let frozen = source.call_method0("get_frozen_credentials")?;
        let text = |names: &[&str]| -> PyResult<Option<String>> {
            for name in names {
                if let Ok(value) = frozen.getattr(*name) {
                    return value.extract();
                }
            }
            Ok(None)
        };
        let access_key = text(&["access_key", "access_key_id"])?;
        let secret_key = text(&["secret_key", "secret_access_key"])?;
        let token = text(&["token", "session_token"])?;
        let (Some(access_key), Some(secret_key)) = (access_key, secret_key) else {
            return Err(invalid_parameter(
                "get_frozen_credentials() returned an object without access_key/secret_key",
            ));
        };
        Ok(SdkCredentials::new(
            access_key,
            secret_key,
            token,
            expiry(source),
            PROVIDER_NAME,
        ))
    };
    read().map_err(|error| {
        // Only the exception's type: its message could quote a secret.
        let kind = error
            .get_type(py)
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "exception".into());
        CredentialsError::provider_error(format!("get_frozen_credentials() raised {kind}"))
    })
}

/// botocore's refreshable credentials keep their expiry in `_expiry_time`.
fn expiry(source: &Bound<'_, PyAny>) -> Option<SystemTime> {
    let when = source.getattr("_expiry_time").ok()?;
    let seconds: f64 = when.call_method0("timestamp").ok()?.extract().ok()?;
    (seconds > 0.0).then(|| SystemTime::UNIX_EPOCH + Duration::from_secs_f64(seconds))
}
