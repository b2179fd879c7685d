//! The `Session` and `OutputUrl` classes: frozen, dataclass-like records of one session.
//!
//! Fields stay Rust values and become Python objects only when read, which keeps listing
//! fast when a caller reads two fields of each session.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};

use crate::errors::invalid_parameter;
use crate::session_fields::{SessionFields, Text};
use crate::timestamps::Timestamp;

/// Session fields in the API model's order: (attribute, boto3 key).
const FIELDS: [(&str, &str); 12] = [
    ("session_id", "SessionId"),
    ("target", "Target"),
    ("status", "Status"),
    ("start_date", "StartDate"),
    ("end_date", "EndDate"),
    ("document_name", "DocumentName"),
    ("owner", "Owner"),
    ("reason", "Reason"),
    ("details", "Details"),
    ("output_url", "OutputUrl"),
    ("max_session_duration", "MaxSessionDuration"),
    ("access_type", "AccessType"),
];

/// Where a session was listed: not part of its identity (`==`, `hash`, `to_dict`).
const ORIGIN_FIELDS: [&str; 2] = ["region", "profile"];

/// The members of an `OutputUrl`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct OutputUrlFields {
    s3_output_url: Option<String>,
    cloudwatch_output_url: Option<String>,
}

/// Where the pager found a session.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    pub region: Option<String>,
    pub profile: Option<String>,
}

/// One Session Manager session, as DescribeSessions returns it.
///
/// Frozen and dataclass-like: every API field as a snake_case attribute (None when the
/// service did not send it), timezone-aware UTC datetimes, `==`, `hash`, pickling,
/// `replace()`, `to_dict()` (the dict boto3 returns) and `Session.from_dict()`.
#[pyclass(frozen, module = "ssm_sessions", name = "Session")]
pub struct Session {
    fields: SessionFields,
    origin: Arc<Origin>,
}

impl Session {
    pub fn new(fields: SessionFields, origin: Arc<Origin>) -> Self {
        Session { fields, origin }
    }
}

#[pymethods]
impl Session {
    #[new]
    #[pyo3(signature = (
        session_id=None, target=None, status=None, start_date=None, end_date=None,
        document_name=None, owner=None, reason=None, details=None, output_url=None,
        max_session_duration=None, access_type=None, region=None, profile=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn py_new(
        session_id: Option<String>,
        target: Option<String>,
        status: Option<String>,
        start_date: Option<&Bound<'_, PyAny>>,
        end_date: Option<&Bound<'_, PyAny>>,
        document_name: Option<String>,
        owner: Option<String>,
        reason: Option<String>,
        details: Option<String>,
        output_url: Option<&Bound<'_, PyAny>>,
        max_session_duration: Option<String>,
        access_type: Option<String>,
        region: Option<String>,
        profile: Option<String>,
    ) -> PyResult<Self> {
        let output_url = output_url
            .filter(|v| !v.is_none())
            .map(OutputUrlFields::from_argument)
            .transpose()?;
        let has_output_url = output_url.is_some();
        let urls = output_url.unwrap_or_default();
        let fields = SessionFields::new(
            [
                session_id.as_deref(),
                target.as_deref(),
                status.as_deref(),
                document_name.as_deref(),
                owner.as_deref(),
                reason.as_deref(),
                details.as_deref(),
                max_session_duration.as_deref(),
                access_type.as_deref(),
                urls.s3_output_url.as_deref(),
                urls.cloudwatch_output_url.as_deref(),
            ],
            optional_timestamp(start_date, "start_date")?,
            optional_timestamp(end_date, "end_date")?,
            has_output_url,
        )
        .map_err(invalid_parameter)?;
        Ok(Session {
            fields,
            origin: Arc::new(Origin { region, profile }),
        })
    }

    /// The session's id.
    #[getter]
    fn session_id(&self) -> Option<&str> {
        self.fields.text(Text::SessionId)
    }
    /// The instance or managed node the session connects to.
    #[getter]
    fn target(&self) -> Option<&str> {
        self.fields.text(Text::Target)
    }
    /// Connected, Connecting, Disconnected, Terminated, Terminating, Failed (or a newer value).
    #[getter]
    fn status(&self) -> Option<&str> {
        self.fields.text(Text::Status)
    }
    /// When the session began (UTC).
    #[getter]
    fn start_date<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        timestamp_to_py(py, self.fields.start_date)
    }
    /// When the session ended (UTC); None while it is active.
    #[getter]
    fn end_date<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        timestamp_to_py(py, self.fields.end_date)
    }
    /// The Session Manager document the session runs.
    #[getter]
    fn document_name(&self) -> Option<&str> {
        self.fields.text(Text::DocumentName)
    }
    /// The ARN of the principal that started the session.
    #[getter]
    fn owner(&self) -> Option<&str> {
        self.fields.text(Text::Owner)
    }
    /// The reason given when the session was started.
    #[getter]
    fn reason(&self) -> Option<&str> {
        self.fields.text(Text::Reason)
    }
    /// Reserved for future use by the service.
    #[getter]
    fn details(&self) -> Option<&str> {
        self.fields.text(Text::Details)
    }
    /// Where the session's output is logged.
    #[getter]
    fn output_url(&self) -> Option<OutputUrl> {
        self.fields.output_url().map(OutputUrl)
    }
    /// The longest the session may last, in minutes, as the service's string.
    #[getter]
    fn max_session_duration(&self) -> Option<&str> {
        self.fields.text(Text::MaxSessionDuration)
    }
    /// Standard or JustInTime (or a newer value).
    #[getter]
    fn access_type(&self) -> Option<&str> {
        self.fields.text(Text::AccessType)
    }
    /// The region the session was listed from (not compared).
    #[getter]
    fn region(&self) -> Option<&str> {
        self.origin.region.as_deref()
    }
    /// The profile the session was listed with, when one was named (not compared).
    #[getter]
    fn profile(&self) -> Option<&str> {
        self.origin.profile.as_deref()
    }

    #[classattr]
    fn __match_args__(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
        PyTuple::new(py, FIELDS.map(|(name, _)| name))
    }

    /// The session as the dict boto3 returns for it (only the keys the service sent).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for ((name, key), value) in FIELDS.iter().zip(self.values(py)?) {
            if value.is_none() {
                continue;
            }
            if *name == "output_url" {
                dict.set_item(*key, value.call_method0("to_dict")?)?;
            } else {
                dict.set_item(*key, value)?;
            }
        }
        Ok(dict)
    }

    /// Builds a session from the dict boto3 returns (or `to_dict()` made).
    #[classmethod]
    #[pyo3(signature = (data, *, region=None, profile=None))]
    fn from_dict<'py>(
        cls: &Bound<'py, pyo3::types::PyType>,
        data: &Bound<'py, PyAny>,
        region: Option<String>,
        profile: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let data = data
            .cast::<PyDict>()
            .map_err(|_| invalid_parameter("Session.from_dict() takes a dict"))?;
        let kwargs = PyDict::new(data.py());
        for (key, value) in data.iter() {
            let key: String = key.extract()?;
            let Some((name, _)) = FIELDS.iter().find(|(_, wire)| *wire == key) else {
                return Err(invalid_parameter(format!(
                    "Session.from_dict(): unknown key {key:?}; DescribeSessions sessions have {}",
                    FIELDS.map(|(_, wire)| wire).join(", ")
                )));
            };
            kwargs.set_item(*name, value)?;
        }
        kwargs.set_item("region", region)?;
        kwargs.set_item("profile", profile)?;
        cls.call((), Some(&kwargs))
    }

    /// A copy with some fields changed, like `dataclasses.replace`.
    #[pyo3(signature = (**changes))]
    fn replace<'py>(
        slf: &Bound<'py, Self>,
        changes: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let kwargs = slf.get().constructor_kwargs(py)?;
        if let Some(changes) = changes {
            for (key, value) in changes.iter() {
                if !kwargs.contains(&key)? {
                    return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                        "replace() got an unexpected keyword argument {}",
                        key.repr()?
                    )));
                }
                kwargs.set_item(key, value)?;
            }
        }
        slf.get_type().call((), Some(&kwargs))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let py = other.py();
        Ok(match other.cast::<Session>() {
            Ok(other) => (self.fields == other.get().fields)
                .into_pyobject(py)?
                .to_owned()
                .into_any()
                .unbind(),
            Err(_) => py.NotImplemented(),
        })
    }

    fn __hash__(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.fields.hash(&mut hasher);
        hasher.finish()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let mut parts = Vec::with_capacity(FIELDS.len() + ORIGIN_FIELDS.len());
        for ((name, _), value) in FIELDS.iter().zip(self.values(py)?) {
            parts.push(format!("{name}={}", value.repr()?));
        }
        for (name, value) in ORIGIN_FIELDS
            .iter()
            .zip([&self.origin.region, &self.origin.profile])
        {
            parts.push(format!(
                "{name}={}",
                value.as_deref().into_pyobject(py)?.repr()?
            ));
        }
        Ok(format!("Session({})", parts.join(", ")))
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let this = slf.get();
        let mut args = this.values(py)?;
        args.push(this.origin.region.as_deref().into_pyobject(py)?.into_any());
        args.push(this.origin.profile.as_deref().into_pyobject(py)?.into_any());
        Ok((slf.get_type().into_any(), PyTuple::new(py, args)?))
    }
}

impl Session {
    /// The API fields as Python objects, in model order.
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let f = &self.fields;
        let text = |member| f.text(member).into_pyobject(py).map(|o| o.into_any());
        Ok(vec![
            text(Text::SessionId)?,
            text(Text::Target)?,
            text(Text::Status)?,
            optional(py, timestamp_to_py(py, f.start_date)?),
            optional(py, timestamp_to_py(py, f.end_date)?),
            text(Text::DocumentName)?,
            text(Text::Owner)?,
            text(Text::Reason)?,
            text(Text::Details)?,
            optional(
                py,
                f.output_url()
                    .map(|u| Bound::new(py, OutputUrl(u)))
                    .transpose()?
                    .map(Bound::into_any),
            ),
            text(Text::MaxSessionDuration)?,
            text(Text::AccessType)?,
        ])
    }

    fn constructor_kwargs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let kwargs = PyDict::new(py);
        for ((name, _), value) in FIELDS.iter().zip(self.values(py)?) {
            kwargs.set_item(*name, value)?;
        }
        kwargs.set_item("region", self.origin.region.as_deref())?;
        kwargs.set_item("profile", self.origin.profile.as_deref())?;
        Ok(kwargs)
    }
}

fn optional<'py>(py: Python<'py>, value: Option<Bound<'py, PyAny>>) -> Bound<'py, PyAny> {
    value.unwrap_or_else(|| py.None().into_bound(py))
}

fn timestamp_to_py<'py>(
    py: Python<'py>,
    value: Option<Timestamp>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    value.map(|t| t.to_py(py)).transpose()
}

fn optional_timestamp(value: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<Timestamp>> {
    value
        .filter(|v| !v.is_none())
        .map(|v| Timestamp::from_py(v, name))
        .transpose()
}

/// Where a session's output is logged.
#[pyclass(frozen, eq, hash, module = "ssm_sessions", name = "OutputUrl")]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct OutputUrl(OutputUrlFields);

#[pymethods]
impl OutputUrl {
    #[new]
    #[pyo3(signature = (s3_output_url=None, cloudwatch_output_url=None))]
    fn py_new(s3_output_url: Option<String>, cloudwatch_output_url: Option<String>) -> Self {
        OutputUrl(OutputUrlFields {
            s3_output_url,
            cloudwatch_output_url,
        })
    }
    /// The S3 bucket URL of the session's output.
    #[getter]
    fn s3_output_url(&self) -> Option<&str> {
        self.0.s3_output_url.as_deref()
    }
    /// The CloudWatch Logs URL of the session's output.
    #[getter]
    fn cloudwatch_output_url(&self) -> Option<&str> {
        self.0.cloudwatch_output_url.as_deref()
    }
    #[classattr]
    fn __match_args__() -> (&'static str, &'static str) {
        ("s3_output_url", "cloudwatch_output_url")
    }
    /// As boto3 returns it: `{"S3OutputUrl": ..., "CloudWatchOutputUrl": ...}`, present keys only.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        if let Some(url) = &self.0.s3_output_url {
            dict.set_item("S3OutputUrl", url)?;
        }
        if let Some(url) = &self.0.cloudwatch_output_url {
            dict.set_item("CloudWatchOutputUrl", url)?;
        }
        Ok(dict)
    }
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let show = |v: &Option<String>| -> PyResult<String> {
            Ok(match v {
                Some(text) => PyString::new(py, text).repr()?.to_string(),
                None => "None".into(),
            })
        };
        Ok(format!(
            "OutputUrl(s3_output_url={}, cloudwatch_output_url={})",
            show(&self.0.s3_output_url)?,
            show(&self.0.cloudwatch_output_url)?
        ))
    }
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let this = slf.get();
        let args = (
            this.0.s3_output_url.clone(),
            this.0.cloudwatch_output_url.clone(),
        )
            .into_pyobject(slf.py())?;
        Ok((slf.get_type().into_any(), args))
    }
}

impl SessionFields {
    /// The session's `OutputUrl` members, when it has one.
    fn output_url(&self) -> Option<OutputUrlFields> {
        self.has_output_url.then(|| OutputUrlFields {
            s3_output_url: self.text(Text::S3OutputUrl).map(str::to_owned),
            cloudwatch_output_url: self.text(Text::CloudWatchOutputUrl).map(str::to_owned),
        })
    }
}

impl OutputUrlFields {
    /// Reads an `OutputUrl` or a boto3-shaped dict.
    fn from_argument(value: &Bound<'_, PyAny>) -> PyResult<Self> {
        if let Ok(url) = value.cast::<OutputUrl>() {
            return Ok(url.get().0.clone());
        }
        let dict = value
            .cast::<PyDict>()
            .map_err(|_| invalid_parameter("output_url must be an OutputUrl or a dict"))?;
        let mut fields = OutputUrlFields::default();
        for (key, value) in dict.iter() {
            let key: String = key.extract()?;
            let text: Option<String> = value.extract()?;
            match key.as_str() {
                "S3OutputUrl" => fields.s3_output_url = text,
                "CloudWatchOutputUrl" => fields.cloudwatch_output_url = text,
                other => {
                    return Err(invalid_parameter(format!(
                        "output_url: unknown key {other:?}; allowed: S3OutputUrl, CloudWatchOutputUrl"
                    )));
                }
            }
        }
        Ok(fields)
    }
}
