"""Failures raise the documented exceptions, carry what botocore's carry, and leak no secret.

Service errors are `ServiceError` subclasses chosen by code, with `code`, `message`,
`request_id`, `http_status` and a botocore-style `response`; an error raised while
iterating carries `resume_token`, and resuming from it loses and repeats nothing.
"""

from __future__ import annotations

import pickle
import socket

import boto3
import pytest
import ssm_sessions as ssm
from botocore.exceptions import ClientError

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKENdoNotLeakMe"


def test_token_of_another_query_is_invalid_next_token_like_botocore(emulator):
    emu = emulator(generate=(5, 30))
    history = emu.client().describe_sessions("History", page_size=5, max_items=7)
    history.to_list()
    token = history.resume_token

    with pytest.raises(ssm.InvalidNextTokenError) as ours:
        list(emu.client().describe_sessions("Active", page_size=5, starting_token=token))
    with pytest.raises(ClientError) as theirs:  # boto3 with its default configuration
        boto3.client(
            "ssm",
            endpoint_url=emu.endpoint_url,
            region_name=emu.region,
            aws_access_key_id=emu.credentials.access_key_id,
            aws_secret_access_key=emu.credentials.secret_access_key,
        ).get_paginator("describe_sessions").paginate(
            State="Active", PaginationConfig={"PageSize": 5, "StartingToken": token}
        ).build_full_result()

    error, reference = ours.value, theirs.value
    assert isinstance(error, ssm.ServiceError)
    assert error.code == "InvalidNextToken" == reference.response["Error"]["Code"]
    assert error.message == reference.response["Error"]["Message"]
    assert error.message
    assert str(error) == str(reference)
    assert error.operation_name == reference.operation_name == "DescribeSessions"
    assert error.http_status == 400 == reference.response["ResponseMetadata"]["HTTPStatusCode"]
    assert isinstance(error.request_id, str)
    assert error.request_id
    assert error.response["Error"] == reference.response["Error"]
    assert error.response["ResponseMetadata"]["RequestId"] == error.request_id
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert set(error.response) == set(reference.response)
    assert set(error.response["ResponseMetadata"]) <= set(reference.response["ResponseMetadata"])
    assert error.resume_token == token  # nothing yielded yet: resume where it started


def test_a_token_for_other_filters_is_rejected_too(emulator):
    emu = emulator(generate=(5, 30))
    pager = emu.client().describe_sessions("History", page_size=5, max_items=5)
    pager.to_list()
    with pytest.raises(ssm.InvalidNextTokenError):
        list(
            emu.client().describe_sessions(
                "History", page_size=5, status="Failed", starting_token=pager.resume_token
            )
        )


def test_service_validation_error_is_validation_error(emulator):
    emu = emulator(generate=(0, 5))
    with pytest.raises(ssm.ValidationError) as error:
        list(emu.client().describe_sessions("History", invoked_after="last tuesday"))
    assert error.value.code == "ValidationException"
    assert "last tuesday" in error.value.message


def test_throttling_after_retries_are_exhausted_is_throttling_error(emulator):
    emu = emulator(generate=(0, 5))
    emu.fail_next(10, "throttle")
    with pytest.raises(ssm.ThrottlingError) as error:
        list(emu.client(max_attempts=2).describe_sessions("History"))
    assert error.value.code == "ThrottlingException"
    assert error.value.http_status == 400
    assert error.value.response["Error"]["Code"] == "ThrottlingException"
    assert [r["fault"] for r in emu.requests] == ["throttle", "throttle"]


@pytest.mark.parametrize(
    ("retry_mode", "faults", "max_attempts", "invoked_after", "retries"),
    [
        ("standard", 3, 3, None, 2),  # throttled on every attempt
        ("standard", 1, 1, None, 0),  # no retry allowed
        ("standard", 1, 3, "last tuesday", 1),  # throttled once, then ValidationException
        ("standard", 1, 2, "last tuesday", 1),  # ValidationException on the last attempt
        ("standard", 0, 3, "last tuesday", 0),  # a final answer at once
        ("legacy", 2, 2, None, 1),  # throttled on every attempt
        ("legacy", 1, 1, None, 0),  # no retry allowed
        ("legacy", 1, 2, "last tuesday", 1),  # ValidationException is never retried: no max
    ],
)
def test_service_errors_tell_their_retries_as_botocore_does(
    emulator, boto3_reference, retry_mode, faults, max_attempts, invoked_after, retries
):
    emu = emulator(generate=(0, 5))
    emu.fail_next(faults, "throttle")
    with pytest.raises(ssm.ServiceError) as ours:
        client = emu.client(max_attempts=max_attempts, retry_mode=retry_mode)
        list(client.describe_sessions("History", invoked_after=invoked_after))
    emu.fail_next(faults, "throttle")
    filters = (
        {"Filters": [{"key": "InvokedAfter", "value": invoked_after}]} if invoked_after else {}
    )
    with pytest.raises(ClientError) as theirs:
        boto3 = boto3_reference.client(emu, max_attempts=max_attempts, retry_mode=retry_mode)
        boto3.describe_sessions(State="History", **filters)

    assert str(ours.value) == str(theirs.value)
    our_metadata = ours.value.response["ResponseMetadata"]
    their_metadata = theirs.value.response["ResponseMetadata"]
    assert our_metadata["RetryAttempts"] == their_metadata["RetryAttempts"] == retries
    assert our_metadata.get("MaxAttemptsReached") == their_metadata.get("MaxAttemptsReached")
    assert ours.value.retry_attempts == their_metadata["RetryAttempts"]
    assert pickle.loads(pickle.dumps(ours.value)).response == ours.value.response


def test_max_attempts_one_means_no_retry(emulator):
    emu = emulator(generate=(0, 5))
    emu.fail_next(10, "server_error")
    with pytest.raises(ssm.InternalServerError) as error:
        list(emu.client(max_attempts=1).describe_sessions("History"))
    assert error.value.http_status == 500
    assert len(emu.requests) == 1


@pytest.mark.parametrize(
    "faults",
    [["server_error", "server_error"], ["throttle", "drop"]],
    ids=["two_server_errors", "throttle_then_dropped_connection"],
)
def test_retries_get_through_a_few_faults(emulator, faults):
    emu = emulator(generate=(0, 12))
    expected = emu.client().describe_sessions("History", page_size=5).to_list()
    for fault in faults:
        emu.fail_next(1, fault)
    got = emu.client().describe_sessions("History", page_size=5).to_list()
    assert got == expected
    assert [r["fault"] for r in emu.requests[3:6]] == [*faults, None]


def listing_despite_failures(client, *, limit=200, **arguments):
    """Iterate, and on each error resume from its resume_token; returns sessions, errors."""
    sessions, errors, token = [], [], None
    for _ in range(limit):
        pager = client.describe_sessions("History", starting_token=token, **arguments)
        try:
            for session in pager:
                sessions.append(session)
            return sessions, errors
        except ssm.Error as error:
            errors.append(error)
            token = error.resume_token
    raise AssertionError("the listing never completed")


@pytest.mark.parametrize("filter_after_limit", [True, False], ids=["filter_after_limit", "exact"])
def test_resuming_after_errors_mid_iteration_loses_and_repeats_nothing(
    emulator, filter_after_limit
):
    reference = emulator(generate=(0, 60), seed=11)
    expected = reference.client().describe_sessions("History", page_size=4).to_list()
    faulty = emulator(
        generate=(0, 60),
        seed=11,
        filter_after_limit=filter_after_limit,
        faults={"seed": 3, "throttle_rate": 0.15, "server_error_rate": 0.15, "drop_rate": 0.15},
    )
    client = faulty.client(max_attempts=1)
    got, errors = listing_despite_failures(client, page_size=4)
    assert got == expected
    kinds = {type(error) for error in errors}
    assert {ssm.ThrottlingError, ssm.InternalServerError, ssm.EndpointConnectionError} <= kinds
    assert any(error.resume_token is not None for error in errors)  # some came mid-listing
    assert len(errors) == sum(1 for r in faulty.requests if r["fault"])


def test_iterating_again_after_an_error_retries_where_it_stopped(emulator):
    emu = emulator(generate=(0, 30), seed=4)
    everything = [s.session_id for s in emu.client().describe_sessions("History", page_size=7)]
    pager = emu.client(max_attempts=1).describe_sessions("History", page_size=7)
    seen = [next(pager).session_id for _ in range(10)]
    emu.fail_next(1, "server_error")
    with pytest.raises(ssm.InternalServerError):
        seen.extend(s.session_id for s in pager)
    seen.extend(s.session_id for s in pager)
    assert seen == everything
    assert pager.resume_token is None


def test_error_on_a_mid_page_starting_token_resumes_mid_page(emulator):
    emu = emulator(generate=(0, 30))
    everything = emu.client().describe_sessions("History", page_size=7).to_list()
    head = emu.client().describe_sessions("History", page_size=7, max_items=10)
    head.to_list()
    emu.fail_next(1, "server_error")
    pager = emu.client(max_attempts=1).describe_sessions(
        "History", page_size=7, starting_token=head.resume_token
    )
    with pytest.raises(ssm.InternalServerError) as error:
        next(pager)
    assert error.value.resume_token == head.resume_token
    rest = emu.client().describe_sessions(
        "History", page_size=7, starting_token=error.value.resume_token
    )
    assert rest.to_list() == everything[10:]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_closed_port_is_endpoint_connection_error():
    url = f"http://127.0.0.1:{closed_port()}"
    client = ssm.Client(
        endpoint_url=url,
        region="us-east-1",
        credentials=ssm.Credentials("AKIDEXAMPLE", SECRET),
        max_attempts=2,
    )
    with pytest.raises(ssm.EndpointConnectionError) as error:
        list(client.describe_sessions("History"))
    assert isinstance(error.value, ConnectionError)
    assert error.value.endpoint_url == url + "/"  # the request URL, as botocore says it
    assert str(error.value).startswith(f'Could not connect to the endpoint URL: "{url}/"')
    assert error.value.resume_token is None
    assert SECRET not in str(error.value)


def everything_said(error: BaseException) -> str:
    """Every text an error shows: str, repr, args, attributes, response, its pickle."""
    parts = [str(error), repr(error), repr(error.args), repr(vars(error))]
    if isinstance(error, ssm.ServiceError):
        parts.append(repr(error.response))
    parts.append(repr(pickle.dumps(error)))
    return "\n".join(parts)


def test_credentials_repr_hides_the_secret_and_session_token():
    credentials = ssm.Credentials("AKIDEXAMPLE", SECRET, SESSION_TOKEN)
    for text in (repr(credentials), str(credentials), f"{credentials!r:}"):
        assert "AKIDEXAMPLE" in text
        assert SECRET not in text
        assert SESSION_TOKEN not in text
    client = ssm.Client(credentials=credentials, region="us-east-1")
    assert SECRET not in repr(client)
    assert SESSION_TOKEN not in repr(client)


def test_rejected_signature_error_shows_no_secret(emulator):
    emu = emulator(generate=(0, 3))
    credentials = ssm.Credentials(emu.credentials.access_key_id, SECRET, SESSION_TOKEN)
    with pytest.raises(ssm.AccessDeniedError) as error:
        list(emu.client(credentials=credentials).describe_sessions("History"))
    said = everything_said(error.value)
    assert "InvalidSignatureException" in said
    for secret in (SECRET, SESSION_TOKEN, emu.credentials.secret_access_key):
        assert secret not in said


def test_a_failing_credentials_object_shows_no_secret(emulator):
    class LeakyCredentials:
        def get_frozen_credentials(self):
            raise RuntimeError(f"could not refresh {SECRET} / {SESSION_TOKEN}")

    emu = emulator(generate=(0, 3))
    with pytest.raises(ssm.CredentialsError) as error:
        list(emu.client(credentials=LeakyCredentials()).describe_sessions("History"))
    said = everything_said(error.value)
    assert "RuntimeError" in said
    assert SECRET not in said
    assert SESSION_TOKEN not in said
    assert emu.requests == []


def test_a_credentials_object_like_botocore_s_is_used(emulator):
    emu = emulator(generate=(0, 3))

    class Frozen:
        access_key = emu.credentials.access_key_id
        secret_key = emu.credentials.secret_access_key
        token = None

    class BotocoreLike:
        def get_frozen_credentials(self):
            return Frozen()

    sessions = emu.client(credentials=BotocoreLike()).describe_sessions("History").to_list()
    assert len(sessions) == 3
    assert all(r["signed"] and r["status"] == 200 for r in emu.requests)


def test_the_emulator_request_log_shows_no_secret(emulator):
    emu = emulator(generate=(0, 3))
    list(emu.client().describe_sessions("History"))
    assert emu.credentials.secret_access_key not in repr(emu.requests)
