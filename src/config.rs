//! Client options, and the SDK clients built from them: loaded through aws-config (the
//! standard credential and region chains), with the two gaps of the Rust SDK closed here:
//! CA bundles (`ca_bundle=`, `AWS_CA_BUNDLE`, a profile's `ca_bundle`) and a read timeout.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ffi::OsString;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Mutex;
use std::time::Duration;

use aws_config::profile::ProfileSet;
use aws_config::stalled_stream_protection::StalledStreamProtectionConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_smithy_http_client::tls;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_types::os_shim_internal::{Env, Fs};
use pyo3::prelude::*;

use crate::credentials::{CredentialSource, PythonCredentials};
use crate::errors::{Failure, invalid_parameter};
use crate::http::KeepingClient;
use crate::insecure::insecure_https_client;
use crate::request_log::LogRequests;
use crate::retries::{LegacyRetries, RetryMode, RetryPolicy, parse_max_attempts};

/// The AWS CLI's default for both timeouts.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Everything that makes two clients different. Equal options share one SDK client (and
/// its connection pool).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ClientOptions {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    pub credentials: CredentialSource,
    pub verify_ssl: bool,
    pub ca_bundle: Option<String>,
    /// None: the default; Some(None): no timeout.
    pub connect_timeout: Option<Option<Duration>>,
    pub read_timeout: Option<Option<Duration>>,
    pub max_attempts: Option<u32>,
    pub retry_mode: Option<RetryMode>,
    /// Log requests to the `ssm_sessions` logger (see `request_log`).
    pub log_requests: bool,
    /// The `AWS_*` environment the client was made in (`aws_environment_digest`).
    pub environment: u64,
}

/// A digest of the `AWS_*` environment variables. Building a client reads them (region,
/// credentials, retries, files), so a client built under others is not reused; a digest,
/// because some of them are secrets.
pub fn aws_environment_digest() -> u64 {
    let mut variables: Vec<(OsString, OsString)> = std::env::vars_os()
        .filter(|(name, _)| name.as_encoded_bytes().starts_with(b"AWS_"))
        .collect();
    variables.sort();
    let mut hasher = DefaultHasher::new();
    variables.hash(&mut hasher);
    hasher.finish()
}

/// Reads a timeout argument in seconds: None is the default, 0 means no timeout.
pub fn timeout_argument(value: Option<f64>, name: &str) -> PyResult<Option<Option<Duration>>> {
    match value {
        None => Ok(None),
        Some(0.0) => Ok(Some(None)),
        Some(seconds) if seconds.is_finite() && seconds > 0.0 => {
            Ok(Some(Some(Duration::from_secs_f64(seconds))))
        }
        Some(seconds) => Err(invalid_parameter(format!(
            "{name} must be a positive number of seconds or 0 for none, got {seconds}"
        ))),
    }
}

/// Checks `endpoint_url` before any request: an absolute http(s) URL.
pub fn check_endpoint_url(url: &str) -> PyResult<()> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') => Ok(()),
        _ => Err(invalid_parameter(format!(
            "endpoint_url must be an absolute http:// or https:// URL, got {url:?}"
        ))),
    }
}

/// An SDK client, and facts about it that error messages and sessions need.
#[derive(Clone)]
pub struct BuiltClient {
    pub sdk: aws_sdk_ssm::Client,
    pub region: String,
    pub endpoint_url: String,
    pub retry: RetryPolicy,
}

type Cache = HashMap<ClientOptions, BuiltClient>;

/// Clients by options, for this process only (a fork child must not share pooled
/// connections with its parent). Only touched with the GIL held.
static CLIENTS: Mutex<Option<(u32, Cache)>> = Mutex::new(None);

/// The cached client for these options, if one was built in this process.
pub fn cached_client(options: &ClientOptions) -> Option<BuiltClient> {
    let pid = std::process::id();
    let mut slot = CLIENTS.lock().ok()?;
    if slot.as_ref().is_some_and(|(owner, _)| *owner != pid) {
        std::mem::forget(slot.take());
    }
    slot.as_ref()?.1.get(options).cloned()
}

pub fn remember_client(options: ClientOptions, client: BuiltClient) {
    let pid = std::process::id();
    if let Ok(mut slot) = CLIENTS.lock() {
        let (_, cache) = slot.get_or_insert_with(|| (pid, Cache::new()));
        cache.insert(options, client);
    }
}

/// Loads configuration and builds a client. Runs on the runtime (it may read files and
/// talk to credential sources).
pub async fn build_client(options: ClientOptions) -> Result<BuiltClient, Failure> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(region) = &options.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &options.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader = match &options.credentials {
        CredentialSource::Chain => loader,
        CredentialSource::Fixed(credentials) => loader.credentials_provider(credentials.to_sdk()),
        CredentialSource::Python(object) => {
            loader.credentials_provider(PythonCredentials(object.clone()))
        }
        CredentialSource::Unsigned => loader.no_credentials(),
    };
    let settings = SharedSettings::load(&options).await;
    let retry = retry_policy(&options, &settings)?;
    loader = loader
        .timeout_config(timeouts(&options))
        .retry_config(retry.sdk_config())
        .http_client(KeepingClient(https_client(&options, &settings).await?));
    let shared = loader.load().await;
    let region = shared.region().ok_or(Failure::NoRegion)?.to_string();
    // Throughput monitoring costs time on every request; the read timeout already ends a
    // stalled response.
    let mut config = aws_sdk_ssm::config::Builder::from(&shared)
        .stalled_stream_protection(StalledStreamProtectionConfig::disabled());
    if options.log_requests {
        config = config.interceptor(LogRequests);
    }
    if retry.mode == RetryMode::Legacy {
        config = config.retry_classifier(LegacyRetries);
    }
    if matches!(options.credentials, CredentialSource::Unsigned) {
        config = config.allow_no_auth();
    }
    let endpoint_url = shared
        .endpoint_url()
        .map(|url| format!("{}/", url.trim_end_matches('/')))
        .unwrap_or_else(|| format!("https://ssm.{region}.amazonaws.com/"));
    Ok(BuiltClient {
        sdk: aws_sdk_ssm::Client::from_conf(config.build()),
        region,
        endpoint_url,
        retry,
    })
}

fn timeouts(options: &ClientOptions) -> TimeoutConfig {
    let mut builder = TimeoutConfig::builder();
    builder.set_connect_timeout(options.connect_timeout.unwrap_or(Some(DEFAULT_TIMEOUT)));
    builder.set_read_timeout(options.read_timeout.unwrap_or(Some(DEFAULT_TIMEOUT)));
    let mut config = builder.build();
    if options.connect_timeout == Some(None) {
        config = config.to_builder().disable_connect_timeout().build();
    }
    if options.read_timeout == Some(None) {
        config = config.to_builder().disable_read_timeout().build();
    }
    config
}

/// The retry mode and attempts: the client's arguments, else the environment, else the
/// profile (aws-config would panic on some values of these, and knows no legacy mode).
fn retry_policy(
    options: &ClientOptions,
    settings: &SharedSettings,
) -> Result<RetryPolicy, Failure> {
    let mode = settings.unless_given(
        options.retry_mode,
        ("AWS_RETRY_MODE", "retry_mode"),
        RetryMode::parse,
    )?;
    let max_attempts = settings.unless_given(
        options.max_attempts,
        ("AWS_MAX_ATTEMPTS", "max_attempts"),
        parse_max_attempts,
    )?;
    Ok(RetryPolicy::new(mode, max_attempts))
}

/// The HTTPS client: trusting the CA bundle when one is configured, or checking no
/// certificate at all with `verify_ssl=False`.
async fn https_client(
    options: &ClientOptions,
    settings: &SharedSettings,
) -> Result<SharedHttpClient, Failure> {
    if !options.verify_ssl {
        return insecure_https_client()
            .map_err(|e| Failure::Internal(format!("cannot set up TLS: {e}")));
    }
    let builder = aws_smithy_http_client::Builder::new().tls_provider(tls::Provider::Rustls(
        tls::rustls_provider::CryptoMode::AwsLc,
    ));
    let Some(path) = ca_bundle_path(options, settings) else {
        return Ok(builder.build_https());
    };
    let pem = tokio::fs::read(&path).await.map_err(|e| {
        Failure::InvalidParameter(format!("ca_bundle {path:?} cannot be read: {e}"))
    })?;
    if !String::from_utf8_lossy(&pem).contains("-----BEGIN CERTIFICATE-----") {
        return Err(Failure::InvalidParameter(format!(
            "ca_bundle {path:?} holds no PEM certificate"
        )));
    }
    let trust = tls::TrustStore::empty()
        .with_native_roots(false)
        .with_pem_certificate(pem);
    let context = tls::TlsContext::builder()
        .with_trust_store(trust)
        .build()
        .map_err(|e| Failure::InvalidParameter(format!("ca_bundle {path:?} is not usable: {e}")))?;
    Ok(builder.tls_context(context).build_https())
}

/// `ca_bundle=`, else `AWS_CA_BUNDLE`, else the selected profile's `ca_bundle`.
fn ca_bundle_path(options: &ClientOptions, settings: &SharedSettings) -> Option<String> {
    options.ca_bundle.clone().or_else(|| {
        settings
            .get("AWS_CA_BUNDLE", "ca_bundle")
            .map(|(path, _)| path)
            .filter(|path| !path.is_empty())
    })
}

/// Settings that aws-config leaves to us, read as botocore reads them: the environment
/// variable, else the selected profile's key.
struct SharedSettings {
    profiles: Option<ProfileSet>,
}

impl SharedSettings {
    async fn load(options: &ClientOptions) -> SharedSettings {
        let profile = options.profile.clone().map(Cow::Owned);
        let profiles =
            aws_config::profile::load(&Fs::real(), &Env::real(), &Default::default(), profile)
                .await
                .ok();
        SharedSettings { profiles }
    }

    /// The value and where it came from, for error messages. A variable set, even empty,
    /// hides the profile's key, as in botocore.
    fn get(&self, env_var: &str, key: &str) -> Option<(String, String)> {
        if let Ok(value) = std::env::var(env_var) {
            return Some((value, env_var.to_owned()));
        }
        let profiles = self.profiles.as_ref()?;
        let value = profiles.get(key)?;
        let source = format!("the {key} of profile {:?}", profiles.selected_profile());
        Some((value.to_owned(), source))
    }

    /// `given`, else the setting read by `parse`.
    fn unless_given<T>(
        &self,
        given: Option<T>,
        (env_var, key): (&str, &str),
        parse: impl Fn(&str, &str) -> Result<T, Failure>,
    ) -> Result<Option<T>, Failure> {
        if given.is_some() {
            return Ok(given);
        }
        self.get(env_var, key)
            .map(|(value, source)| parse(&value, &source))
            .transpose()
    }
}
