//! The local emulator (the `ssm-sessions-emulator` crate) as a Python class, run on the
//! embedded runtime. `ssm_sessions.testing.LocalSsm` wraps it.

use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use ssm_sessions_emulator::{
    Emulator, FaultKind, Faults, Options, SessionRecord, generate_sessions,
};

use crate::errors::{Failure, invalid_parameter};
use crate::runtime;

/// A running emulator. Use `ssm_sessions.testing.LocalSsm` rather than this class.
#[pyclass(frozen, module = "ssm_sessions._core", name = "EmulatorServer")]
pub struct EmulatorServer {
    emulator: Mutex<Option<Emulator>>,
    endpoint_url: String,
}

#[pymethods]
impl EmulatorServer {
    #[new]
    #[pyo3(signature = (
        *, sessions_json, generate, seed, now_ms, access_key_id, secret_access_key,
        allow_unsigned, filter_after_limit, default_page_size, fault_seed, latency_ms, throttle_rate,
        server_error_rate, drop_rate, host, port
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        sessions_json: &str,
        generate: Option<(usize, usize)>,
        seed: u64,
        now_ms: i64,
        access_key_id: String,
        secret_access_key: String,
        allow_unsigned: bool,
        filter_after_limit: bool,
        default_page_size: usize,
        fault_seed: Option<u64>,
        latency_ms: u64,
        throttle_rate: f64,
        server_error_rate: f64,
        drop_rate: f64,
        host: &str,
        port: u16,
    ) -> PyResult<Self> {
        let mut sessions = parse_sessions(sessions_json)?;
        if let Some((active, history)) = generate {
            sessions.extend(generate_sessions(seed, active, history, now_ms));
        }
        for (name, rate) in [
            ("throttle_rate", throttle_rate),
            ("server_error_rate", server_error_rate),
            ("drop_rate", drop_rate),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(invalid_parameter(format!(
                    "{name} must be between 0 and 1, got {rate}"
                )));
            }
        }
        if default_page_size == 0 {
            return Err(invalid_parameter("default_page_size must be >= 1"));
        }
        let ip: IpAddr = host
            .parse()
            .map_err(|_| invalid_parameter(format!("host must be an IP address, got {host:?}")))?;
        let options = Options {
            sessions,
            access_key_id,
            secret_access_key,
            allow_unsigned,
            filter_after_limit,
            default_page_size,
            faults: Faults {
                seed: fault_seed.unwrap_or(seed),
                latency_ms,
                throttle_rate,
                server_error_rate,
                drop_rate,
            },
        };
        let emulator = runtime::wait(py, async move {
            Emulator::start(options, SocketAddr::new(ip, port))
                .await
                .map_err(|e| {
                    PyErr::from(Failure::InvalidParameter(format!(
                        "cannot listen on {ip}:{port}: {e}"
                    )))
                })
        })?;
        let endpoint_url = emulator.endpoint_url();
        Ok(EmulatorServer {
            emulator: Mutex::new(Some(emulator)),
            endpoint_url,
        })
    }

    /// The URL to send requests to.
    #[getter]
    fn endpoint_url(&self) -> &str {
        &self.endpoint_url
    }

    /// The requests received so far (the last 10,000), oldest first, as dicts (no secrets).
    fn requests<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let records = self
            .emulator
            .lock()
            .ok()
            .and_then(|e| e.as_ref().map(Emulator::requests))
            .unwrap_or_default();
        let json = py.import("json")?;
        let list = PyList::empty(py);
        for record in records {
            let entry = PyDict::new(py);
            entry.set_item("operation", record.operation)?;
            entry.set_item(
                "body",
                json.call_method1("loads", (record.body.to_string(),))?,
            )?;
            entry.set_item("status", record.status)?;
            entry.set_item("error_code", record.error_code)?;
            entry.set_item("signed", record.signed)?;
            entry.set_item("fault", record.fault)?;
            list.append(entry)?;
        }
        Ok(list)
    }

    /// Makes the next `n` requests fail with `kind`: "throttle", "server_error" or "drop".
    fn fail_next(&self, n: u32, kind: &str) -> PyResult<()> {
        let fault = match kind {
            "throttle" => FaultKind::Throttle,
            "server_error" => FaultKind::ServerError,
            "drop" => FaultKind::Drop,
            other => {
                return Err(invalid_parameter(format!(
                    "kind must be 'throttle', 'server_error' or 'drop', got {other:?}"
                )));
            }
        };
        if let Some(emulator) = self.emulator.lock().ok().as_ref().and_then(|e| e.as_ref()) {
            emulator.fail_next(n, fault);
        }
        Ok(())
    }

    /// Stops serving. Idempotent.
    fn shutdown(&self) {
        if let Some(emulator) = self.emulator.lock().ok().and_then(|mut e| e.take()) {
            emulator.shutdown();
        }
    }
}

fn parse_sessions(json: &str) -> PyResult<Vec<SessionRecord>> {
    let values: Vec<serde_json::Value> = serde_json::from_str(json)
        .map_err(|e| invalid_parameter(format!("sessions must be a list of session dicts: {e}")))?;
    values
        .iter()
        .enumerate()
        .map(|(index, value)| {
            SessionRecord::from_json(value)
                .map_err(|e| invalid_parameter(format!("sessions[{index}]: {e}")))
        })
        .collect()
}
