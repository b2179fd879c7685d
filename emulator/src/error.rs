//! The service's error responses: code, HTTP status and AWS's wording.

/// One error response: HTTP status, `__type` code and `message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) status: u16,
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

impl ApiError {
    fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: 400,
            code,
            message: message.into(),
        }
    }

    /// AWS's `N validation error(s) detected: A; B` from the individual violations.
    pub(crate) fn validation(violations: &[String]) -> ApiError {
        let n = violations.len();
        let noun = if n == 1 { "error" } else { "errors" };
        let message = format!("{n} validation {noun} detected: {}", violations.join("; "));
        ApiError::bad_request("ValidationException", message)
    }

    /// A ValidationException with a free-form message (bad JSON, bad filter value).
    pub(crate) fn validation_message(message: impl Into<String>) -> ApiError {
        ApiError::bad_request("ValidationException", message)
    }

    pub(crate) fn invalid_filter_key(key: &str) -> ApiError {
        ApiError::bad_request(
            "InvalidFilterKey",
            format!(
                "The specified filter key '{key}' isn't valid. Valid keys: InvokedAfter, \
                 InvokedBefore, Target, Owner, Status, SessionId, AccessType."
            ),
        )
    }

    pub(crate) fn invalid_next_token() -> ApiError {
        ApiError::bad_request("InvalidNextToken", "The specified token isn't valid.")
    }

    pub(crate) fn unknown_operation(target: &str) -> ApiError {
        let message = if target.is_empty() {
            "Missing required header: X-Amz-Target".to_string()
        } else {
            format!("Operation not supported: {target}")
        };
        ApiError::bad_request("UnknownOperationException", message)
    }

    pub(crate) fn throttling() -> ApiError {
        ApiError::bad_request("ThrottlingException", "Rate exceeded")
    }

    pub(crate) fn internal() -> ApiError {
        ApiError {
            status: 500,
            code: "InternalServerError",
            message: "An internal server error occurred. Please retry the request.".into(),
        }
    }

    pub(crate) fn missing_authentication_token() -> ApiError {
        ApiError::bad_request(
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        )
    }

    pub(crate) fn unrecognized_client() -> ApiError {
        ApiError::bad_request(
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        )
    }

    pub(crate) fn signature_mismatch() -> ApiError {
        ApiError::invalid_signature(
            "The request signature we calculated does not match the signature you provided. \
             Check your AWS Secret Access Key and signing method. Consult the service \
             documentation for details.",
        )
    }

    pub(crate) fn invalid_signature(message: impl Into<String>) -> ApiError {
        ApiError::bad_request("InvalidSignatureException", message)
    }

    /// A malformed Authorization header (AWS answers IncompleteSignatureException).
    pub(crate) fn incomplete_signature(message: impl Into<String>) -> ApiError {
        ApiError::bad_request("IncompleteSignatureException", message)
    }
}
