//! Retry settings, resolved as botocore resolves them (the client's arguments, else
//! `AWS_RETRY_MODE` / `AWS_MAX_ATTEMPTS`, else the profile's `retry_mode` /
//! `max_attempts`), and how a failed request reports its attempts.
//!
//! The SDK retries in standard or adaptive mode only. botocore's legacy mode (the AWS CLI
//! v1's default) runs as standard mode with legacy's choices: 5 attempts unless told
//! otherwise, the service errors legacy retries and no other, and "reached max retries"
//! said only of such an error.

use aws_config::retry::RetryConfig;
use aws_sdk_ssm::error::ProvideErrorMetadata;
use aws_sdk_ssm::operation::describe_sessions::DescribeSessionsError;
use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::orchestrator::OrchestratorError;
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority,
};

use crate::errors::Failure;

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum RetryMode {
    Legacy,
    Standard,
    Adaptive,
}

impl RetryMode {
    /// Reads a mode as `retry_mode=` and `AWS_RETRY_MODE` spell it; `source` names where
    /// the value came from, for the error.
    pub fn parse(value: &str, source: &str) -> Result<RetryMode, Failure> {
        match value {
            "legacy" => Ok(RetryMode::Legacy),
            "standard" => Ok(RetryMode::Standard),
            "adaptive" => Ok(RetryMode::Adaptive),
            other => Err(Failure::InvalidParameter(format!(
                "{source} must be 'standard', 'adaptive' or 'legacy', got {other:?}"
            ))),
        }
    }

    /// botocore's default number of attempts in this mode.
    fn default_max_attempts(self) -> u32 {
        match self {
            RetryMode::Legacy => 5,
            RetryMode::Standard | RetryMode::Adaptive => 3,
        }
    }
}

/// Reads a number of attempts (the first included); `source` names where it came from.
pub fn parse_max_attempts(value: &str, source: &str) -> Result<u32, Failure> {
    // botocore reads it with int(), which allows surrounding blanks (a mode name it
    // compares as it is).
    match value.trim().parse::<u32>() {
        Ok(attempts) if attempts >= 1 => Ok(attempts),
        _ => Err(Failure::InvalidParameter(format!(
            "{source} must be an integer >= 1 (1 means no retry), got {value:?}"
        ))),
    }
}

/// A client's retry mode and attempts, settled when the client is built.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RetryPolicy {
    pub mode: RetryMode,
    pub max_attempts: u32,
}

impl RetryPolicy {
    /// `mode` and `max_attempts` as configured, if they are; the SDK's standard mode when
    /// no mode is.
    pub fn new(mode: Option<RetryMode>, max_attempts: Option<u32>) -> RetryPolicy {
        let mode = mode.unwrap_or(RetryMode::Standard);
        RetryPolicy {
            mode,
            max_attempts: max_attempts.unwrap_or_else(|| mode.default_max_attempts()),
        }
    }

    /// The SDK's retry settings for this policy.
    pub fn sdk_config(self) -> RetryConfig {
        let config = match self.mode {
            RetryMode::Adaptive => RetryConfig::adaptive(),
            RetryMode::Legacy | RetryMode::Standard => RetryConfig::standard(),
        };
        config.with_max_attempts(self.max_attempts)
    }

    /// What a request that was sent `made` times tells of its attempts.
    pub fn attempts(self, made: u32) -> Attempts {
        Attempts {
            made,
            allowed: self.max_attempts,
            mode: self.mode,
        }
    }
}

/// How many times a request was sent, and how many times it could have been.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempts {
    made: u32,
    allowed: u32,
    mode: RetryMode,
}

impl Attempts {
    /// botocore's `RetryAttempts`.
    pub fn retries(self) -> u32 {
        self.made.saturating_sub(1)
    }

    /// botocore's `MaxAttemptsReached` for an error with this code and status: no attempt
    /// was left; in legacy mode, only said of an error that would have been retried.
    pub fn reached_max(self, code: &str, http_status: Option<u16>) -> bool {
        self.made >= self.allowed
            && (self.mode != RetryMode::Legacy || legacy_retries(code, http_status))
    }
}

/// Decides, in legacy mode, whether a service error is retried: the SDK's own classifiers
/// know other codes, and not some of legacy's statuses (429, 509). Errors without an
/// answer from the service (connection, timeouts) are left to the SDK, as legacy retries
/// them too.
#[derive(Debug)]
pub struct LegacyRetries;

impl ClassifyRetry for LegacyRetries {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let Some(Err(error)) = ctx.output_or_error() else {
            return RetryAction::NoActionIndicated;
        };
        let Some(service_error) = OrchestratorError::as_operation_error(error)
            .and_then(|error| error.downcast_ref::<DescribeSessionsError>())
        else {
            return RetryAction::NoActionIndicated;
        };
        let code = service_error.code().unwrap_or_default();
        let status = ctx.response().map(|response| response.status().as_u16());
        match status {
            _ if !legacy_retries(code, status) => RetryAction::RetryForbidden,
            Some(status) if status >= 500 && status != 509 => RetryAction::server_error(),
            _ => RetryAction::throttling_error(),
        }
    }

    fn name(&self) -> &'static str {
        "botocore legacy mode"
    }

    fn priority(&self) -> RetryClassifierPriority {
        // After the SDK's classifiers, so that this decision is the last word.
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}

/// Whether botocore's legacy mode retries a service error (its `_retry.json`: these codes
/// with status 400, and these statuses whatever the code).
fn legacy_retries(code: &str, http_status: Option<u16>) -> bool {
    const RETRIED_CODES: &[&str] = &[
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "ProvisionedThroughputExceededException",
    ];
    const RETRIED_STATUSES: &[u16] = &[429, 500, 502, 503, 504, 509];
    match http_status {
        Some(400) => RETRIED_CODES.contains(&code),
        Some(status) => RETRIED_STATUSES.contains(&status),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use aws_smithy_runtime_api::client::interceptors::context::{Error, Input};
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    use super::*;

    fn legacy_verdict(code: &str, status: u16) -> RetryAction {
        let mut ctx = InterceptorContext::new(Input::erase(()));
        let status = StatusCode::try_from(status).expect("a valid status");
        ctx.set_response(HttpResponse::new(status, SdkBody::empty()));
        let error = DescribeSessionsError::generic(ErrorMetadata::builder().code(code).build());
        ctx.set_output_or_error(Err(OrchestratorError::operation(Error::erase(error))));
        LegacyRetries.classify_retry(&ctx)
    }

    #[test]
    fn legacy_mode_retries_the_errors_botocore_legacy_retries_and_no_other() {
        let throttling = RetryAction::throttling_error();
        let cases = [
            ("ThrottlingException", 400, throttling.clone()),
            ("Anything", 429, throttling.clone()),
            ("Anything", 509, throttling),
            ("InternalServerError", 500, RetryAction::server_error()),
            // The SDK's standard mode retries the first two; legacy mode does not.
            ("TooManyRequestsException", 400, RetryAction::RetryForbidden),
            ("RequestTimeout", 400, RetryAction::RetryForbidden),
            ("ThrottlingException", 403, RetryAction::RetryForbidden),
            ("ValidationException", 400, RetryAction::RetryForbidden),
        ];
        for (code, status, expected) in cases {
            assert_eq!(legacy_verdict(code, status), expected, "{code} {status}");
        }
    }

    #[test]
    fn legacy_defaults_to_five_attempts_and_the_others_to_three() {
        assert_eq!(
            RetryPolicy::new(Some(RetryMode::Legacy), None).max_attempts,
            5
        );
        assert_eq!(
            RetryPolicy::new(Some(RetryMode::Adaptive), None).max_attempts,
            3
        );
        assert_eq!(RetryPolicy::new(None, None).max_attempts, 3);
        assert_eq!(
            RetryPolicy::new(None, Some(7)).sdk_config().max_attempts(),
            7
        );
    }

    #[test]
    fn standard_mode_reaches_the_max_on_any_error_legacy_only_on_retried_ones() {
        use RetryMode::{Legacy, Standard};
        let cases = [
            // (mode, attempts made of 2, code, status, reached)
            (Standard, 2, "ValidationException", 400, true),
            (Legacy, 2, "ValidationException", 400, false),
            (Legacy, 2, "ThrottlingException", 400, true),
            (Legacy, 2, "InternalServerError", 500, true),
            (Legacy, 2, "ThrottlingException", 403, false),
            (Legacy, 1, "ThrottlingException", 400, false),
        ];
        for (mode, made, code, status, reached) in cases {
            let attempts = RetryPolicy::new(Some(mode), Some(2)).attempts(made);
            let verdict = attempts.reached_max(code, Some(status));
            assert_eq!(verdict, reached, "{mode:?} {made} {code} {status}");
        }
        assert_eq!(
            RetryPolicy::new(Some(Legacy), Some(2))
                .attempts(2)
                .retries(),
            1
        );
    }

    #[test]
    fn bad_settings_name_their_source() {
        for bad in ["0", "-1", "three", ""] {
            let Err(Failure::InvalidParameter(message)) =
                parse_max_attempts(bad, "AWS_MAX_ATTEMPTS")
            else {
                panic!("{bad:?} was accepted");
            };
            assert!(message.starts_with("AWS_MAX_ATTEMPTS must be an integer >= 1"));
        }
        assert_eq!(parse_max_attempts(" 4 ", "AWS_MAX_ATTEMPTS").ok(), Some(4));
        assert!(RetryMode::parse("fast", "AWS_RETRY_MODE").is_err());
    }
}
