//! Request logging into Python's `logging` (the `ssm_sessions` logger, at DEBUG): each
//! attempt's request and response, and why an attempt failed, so retries show. Headers
//! are never logged (they carry the signature); bodies carry no secret.
//!
//! A client logs only if the logger was enabled for DEBUG when the client was made:
//! reaching Python from the runtime threads takes the GIL, which must not slow clients
//! that do not log.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeDeserializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
    FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

const LOGGER: &str = "ssm_sessions";
const DEBUG: i32 = 10;

/// Whether the `ssm_sessions` logger takes DEBUG records now. Without `logging` imported
/// nobody configured it, and importing it here would slow the command line's start.
pub fn debug_enabled(py: Python<'_>) -> PyResult<bool> {
    let modules = py.import("sys")?.getattr("modules")?;
    let Some(logging) = modules.cast::<PyDict>()?.get_item("logging")? else {
        return Ok(false);
    };
    logging
        .call_method1("getLogger", (LOGGER,))?
        .call_method1("isEnabledFor", (DEBUG,))?
        .extract()
}

fn debug(message: String) {
    static LOGGER_OBJECT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    Python::try_attach(|py| {
        let logger = LOGGER_OBJECT.get_or_try_init(py, || {
            py.import("logging")?
                .call_method1("getLogger", (LOGGER,))
                .map(Bound::unbind)
        });
        if let Ok(logger) = logger {
            // A failing handler must not fail the request.
            let _ = logger.bind(py).call_method1("debug", (message,));
        }
    });
}

fn attempt(cfg: &ConfigBag) -> u32 {
    cfg.load::<RequestAttempts>()
        .map_or(1, RequestAttempts::attempts)
}

/// Logs each attempt of each request.
#[derive(Debug)]
pub struct LogRequests;

impl Intercept for LogRequests {
    fn name(&self) -> &'static str {
        "LogRequests"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request();
        let body = request
            .body()
            .bytes()
            .map(String::from_utf8_lossy)
            .unwrap_or_default();
        debug(format!(
            "DescribeSessions attempt {}: {} {} {body}",
            attempt(cfg),
            request.method(),
            request.uri()
        ));
        Ok(())
    }

    fn read_after_transmit(
        &self,
        context: &BeforeDeserializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let response = context.response();
        let request_id = response.headers().get("x-amzn-requestid").unwrap_or("-");
        debug(format!(
            "DescribeSessions attempt {}: HTTP {}, request id {request_id}",
            attempt(cfg),
            response.status().as_u16()
        ));
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(Err(error)) = context.output_or_error() {
            debug(format!(
                "DescribeSessions attempt {} failed: {error}",
                attempt(cfg)
            ));
        }
        Ok(())
    }
}
