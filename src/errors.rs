//! Failures, and their mapping to the exception classes of `ssm_sessions.errors`.
//!
//! Work on the runtime cannot build Python objects without the GIL, so it reports a
//! `Failure`; the conversion to the right exception happens back on the Python side.

use std::error::Error as StdError;

use aws_sdk_ssm::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_ssm::operation::describe_sessions::DescribeSessionsError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};

use crate::retries::Attempts;

/// Why a call failed, in terms of the exception it becomes.
#[derive(Debug, Clone)]
pub enum Failure {
    InvalidParameter(String),
    Service {
        code: String,
        message: String,
        request_id: Option<String>,
        http_status: Option<u16>,
        /// How many times the request was sent before this answer was final.
        attempts: Option<Attempts>,
    },
    Pagination(String),
    Credentials(String),
    NoRegion,
    Connection {
        message: String,
        endpoint_url: String,
    },
    Tls {
        message: String,
        endpoint_url: String,
    },
    ConnectTimeout {
        message: String,
        endpoint_url: String,
    },
    ReadTimeout {
        message: String,
        endpoint_url: String,
    },
    Internal(String),
}

pub fn invalid_parameter(message: impl Into<String>) -> PyErr {
    Failure::InvalidParameter(message.into()).into()
}

pub fn internal_error(message: impl Into<String>) -> PyErr {
    Failure::Internal(message.into()).into()
}

impl From<Failure> for PyErr {
    fn from(failure: Failure) -> PyErr {
        Python::attach(|py| failure.to_pyerr(py).unwrap_or_else(|e| e))
    }
}

static ERRORS_MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    ERRORS_MODULE
        .get_or_try_init(py, || Ok(py.import("ssm_sessions.errors")?.unbind()))
        .map(|module| module.bind(py))
}

impl Failure {
    fn to_pyerr(&self, py: Python<'_>) -> PyResult<PyErr> {
        let module = errors_module(py)?;
        let class = |name: &str| module.getattr(name);
        let kwargs = PyDict::new(py);
        let instance = match self {
            Failure::InvalidParameter(message) => class("InvalidParameterError")?.call1((message,))?,
            Failure::Pagination(message) => class("PaginationError")?.call1((message,))?,
            Failure::Credentials(message) => class("CredentialsError")?.call1((message,))?,
            Failure::NoRegion => class("NoRegionError")?.call1((
                "You must specify a region (region=, AWS_REGION or AWS_DEFAULT_REGION, or a profile's region).",
            ))?,
            Failure::Internal(message) => class("Error")?.call1((message,))?,
            Failure::Tls {
                message,
                endpoint_url,
            } => {
                kwargs.set_item("endpoint_url", endpoint_url)?;
                class("SSLError")?.call((message,), Some(&kwargs))?
            }
            Failure::Connection { message, endpoint_url } => {
                kwargs.set_item("endpoint_url", endpoint_url)?;
                class("EndpointConnectionError")?.call((message,), Some(&kwargs))?
            }
            Failure::ConnectTimeout { message, endpoint_url } => {
                kwargs.set_item("endpoint_url", endpoint_url)?;
                class("ConnectTimeoutError")?.call((message,), Some(&kwargs))?
            }
            Failure::ReadTimeout { message, endpoint_url } => {
                kwargs.set_item("endpoint_url", endpoint_url)?;
                class("ReadTimeoutError")?.call((message,), Some(&kwargs))?
            }
            Failure::Service { code, message, request_id, http_status, attempts } => {
                let by_code = module.getattr("SERVICE_ERROR_CLASSES")?;
                let class = match by_code.get_item(code) {
                    Ok(specific) => specific,
                    Err(_) => class("ServiceError")?,
                };
                kwargs.set_item("request_id", request_id)?;
                kwargs.set_item("http_status", http_status)?;
                if let Some(attempts) = attempts {
                    kwargs.set_item("retry_attempts", attempts.retries())?;
                    let reached_max = attempts.reached_max(code, *http_status);
                    kwargs.set_item("max_attempts_reached", reached_max)?;
                }
                class.call((code, message), Some(&kwargs))?
            }
        };
        Ok(PyErr::from_value(instance))
    }

    /// Maps an SDK error. `endpoint_url` is what the request went to, for messages.
    pub fn from_sdk(
        error: SdkError<DescribeSessionsError, HttpResponse>,
        endpoint_url: &str,
    ) -> Failure {
        let endpoint_url = endpoint_url.to_owned();
        if let Some(message) = credentials_problem(&error) {
            return Failure::Credentials(message);
        }
        match &error {
            SdkError::ServiceError(context) => {
                let service_error = context.err();
                Failure::Service {
                    code: service_error.code().unwrap_or("Unknown").to_owned(),
                    message: service_error.message().unwrap_or_default().to_owned(),
                    request_id: aws_sdk_ssm::operation::RequestId::request_id(service_error)
                        .map(str::to_owned),
                    http_status: Some(context.raw().status().as_u16()),
                    attempts: None,
                }
            }
            SdkError::TimeoutError(_) => Failure::ReadTimeout {
                message: format!("Read timeout on endpoint URL: \"{endpoint_url}\""),
                endpoint_url,
            },
            SdkError::DispatchFailure(failure) if failure.is_timeout() => {
                if source_chain_mentions(&error, "HTTP read timeout") {
                    Failure::ReadTimeout {
                        message: format!("Read timeout on endpoint URL: \"{endpoint_url}\""),
                        endpoint_url,
                    }
                } else {
                    Failure::ConnectTimeout {
                        message: format!("Connect timeout on endpoint URL: \"{endpoint_url}\""),
                        endpoint_url,
                    }
                }
            }
            SdkError::DispatchFailure(_)
                if source_chain_mentions(&error, "invalid peer certificate") =>
            {
                Failure::Tls {
                    message: format!(
                        "SSL validation failed for {endpoint_url} {}",
                        innermost_cause(&error)
                    ),
                    endpoint_url,
                }
            }
            SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => Failure::Connection {
                message: format!(
                    "Could not connect to the endpoint URL: \"{endpoint_url}\" ({})",
                    innermost_cause(&error)
                ),
                endpoint_url,
            },
            _ => Failure::Internal(format!(
                "DescribeSessions failed: {}",
                innermost_cause(&error)
            )),
        }
    }

    /// The failure of a request after these attempts: a service error tells them, as
    /// botocore's does.
    pub fn after_attempts(mut self, made: Attempts) -> Failure {
        if let Failure::Service { attempts, .. } = &mut self {
            *attempts = Some(made);
        }
        self
    }
}

/// The credentials provider's own words when resolving credentials failed.
fn credentials_problem(error: &(dyn StdError + 'static)) -> Option<String> {
    let mut source = Some(error);
    while let Some(current) = source {
        if let Some(problem) =
            current.downcast_ref::<aws_credential_types::provider::error::CredentialsError>()
        {
            return Some(match problem {
                aws_credential_types::provider::error::CredentialsError::CredentialsNotLoaded(
                    _,
                ) => "Unable to locate credentials".to_owned(),
                other => format!("Could not load credentials: {}", describe_chain(other)),
            });
        }
        source = current.source();
    }
    None
}

fn source_chain_mentions(error: &(dyn StdError + 'static), needle: &str) -> bool {
    let mut source = Some(error);
    while let Some(current) = source {
        if current.to_string().contains(needle) {
            return true;
        }
        source = current.source();
    }
    false
}

fn innermost_cause(error: &(dyn StdError + 'static)) -> String {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

fn describe_chain(error: &(dyn StdError + 'static)) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(current) = source {
        parts.push(current.to_string());
        source = current.source();
    }
    parts.dedup();
    parts.join(": ")
}

/// Sets `resume_token` on an ssm_sessions exception; other exceptions pass unchanged.
pub fn with_resume_token(py: Python<'_>, error: PyErr, token: Option<String>) -> PyErr {
    if let Ok(module) = errors_module(py)
        && let Ok(base) = module.getattr("Error")
    {
        let value = error.value(py);
        if value.is_instance(&base).unwrap_or(false) {
            let _ = value.setattr("resume_token", token);
        }
    }
    error
}
