"""Fidelity of the local DescribeSessions emulator, judged by boto3/botocore.

boto3 is the arbiter: its paginator, its error parsing, its retries and its SigV4 signer
all run unchanged against `ssm_sessions.testing.LocalSsm`. Nothing here touches AWS.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import urllib.error
import urllib.request

import boto3
import pytest
from botocore import UNSIGNED
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from ssm_sessions.testing import LocalSsm

UTC = dt.timezone.utc
TARGET = "AmazonSSM.DescribeSessions"


def client(ssm, *, secret=None, access_key=None, validate=True, unsigned=False, retries=None):
    """A boto3 SSM client pointed at the emulator."""
    config = Config(
        parameter_validation=validate,
        retries=retries or {"mode": "standard", "total_max_attempts": 1},  # no retries
        signature_version=UNSIGNED if unsigned else None,
        connect_timeout=5,
        read_timeout=10,
    )
    return boto3.client(
        "ssm",
        region_name="us-east-1",
        endpoint_url=ssm.endpoint_url,
        aws_access_key_id=access_key or ssm.credentials.access_key_id,
        aws_secret_access_key=secret or ssm.credentials.secret_access_key,
        config=config,
    )


def field(record, name):
    """A request-log entry's field, whether the binding gives dicts or objects."""
    return record[name] if isinstance(record, dict) else getattr(record, name)


def paginate(ssm_client, state, page_size=None, filters=None):
    """Every page boto3's paginator yields, as lists of sessions."""
    kwargs = {"State": state}
    if filters:
        kwargs["Filters"] = filters
    if page_size:
        kwargs["PaginationConfig"] = {"PageSize": page_size}
    return [
        page["Sessions"]
        for page in ssm_client.get_paginator("describe_sessions").paginate(**kwargs)
    ]


def everything(ssm_client, state):
    return [s for page in paginate(ssm_client, state, 200) for s in page]


def undated(sessions):
    """Sessions without dates: generated dates are relative to each emulator's start time."""
    return [{k: v for k, v in s.items() if not k.endswith("Date")} for s in sessions]


def reference_filter(sessions, filters):
    """The documented filter semantics, written independently of the emulator."""

    def keep(s):
        for f in filters:
            key, value = f["key"], f["value"]
            if key == "InvokedAfter":
                ok = s["StartDate"] >= dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            elif key == "InvokedBefore":
                ok = s["StartDate"] <= dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            else:
                ok = s.get(key) == value
            if not ok:
                return False
        return True

    return [s for s in sessions if keep(s)]


@pytest.fixture(scope="module")
def generated():
    with LocalSsm(generate=(60, 400), seed=7) as ssm:
        yield ssm


# --- pagination and filters -------------------------------------------------------------


def test_listing_is_newest_first_and_complete(generated):
    c = client(generated)
    for state, count in (("Active", 60), ("History", 400)):
        sessions = everything(c, state)
        assert len(sessions) == count
        assert len({s["SessionId"] for s in sessions}) == count
        keys = [(-s["StartDate"].timestamp(), s["SessionId"]) for s in sessions]
        assert keys == sorted(keys)


def _filter_cases(sessions):
    s0, s1 = sessions[3], sessions[10]
    middle = (
        sessions[len(sessions) // 2]["StartDate"]
        .astimezone(UTC)
        .strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
        + "Z"
    )
    return [
        [],
        [{"key": "Owner", "value": s0["Owner"]}],
        [{"key": "Target", "value": s1["Target"]}],
        [{"key": "Status", "value": "Terminated"}],
        [{"key": "SessionId", "value": s1["SessionId"]}],
        [{"key": "AccessType", "value": "JustInTime"}],
        [{"key": "InvokedAfter", "value": middle}],
        [{"key": "InvokedBefore", "value": middle}],
        [{"key": "InvokedAfter", "value": middle}, {"key": "Owner", "value": s0["Owner"]}],
        [{"key": "Owner", "value": s0["Owner"]}, {"key": "Owner", "value": s1["Owner"] + "x"}],
    ]


@pytest.mark.parametrize("page_size", [1, 3, 20, 199, 200, None])
def test_paginator_returns_each_match_exactly_once(generated, page_size):
    c = client(generated)
    all_history = everything(c, "History")
    for filters in _filter_cases(all_history):
        got = [s for page in paginate(c, "History", page_size, filters) for s in page]
        expected = reference_filter(all_history, filters)
        assert [s["SessionId"] for s in got] == [s["SessionId"] for s in expected], filters
        assert got == expected


def test_filters_apply_after_the_page_limit_like_the_service(generated):
    c = client(generated)
    owner = everything(c, "History")[0]["Owner"]
    filters = [{"key": "Owner", "value": owner}]
    pages, token = [], None
    while True:
        kwargs = {"State": "History", "MaxResults": 5, "Filters": filters}
        if token:
            kwargs["NextToken"] = token
        response = c.describe_sessions(**kwargs)
        pages.append(response["Sessions"])
        token = response.get("NextToken")
        if not token:
            break
    assert len(pages) == 80  # 400 sessions / 5, whatever the filter keeps
    assert any(page == [] for page in pages[:-1]), "an empty page with NextToken set"


def test_fill_mode_has_no_empty_pages():
    with LocalSsm(generate=(0, 200), seed=3, filter_after_limit=False) as ssm:
        c = client(ssm)
        owner = everything(c, "History")[0]["Owner"]
        pages = paginate(c, "History", 5, [{"key": "Owner", "value": owner}])
        assert all(pages)
        assert sum(map(len, pages)) == len(
            reference_filter(everything(c, "History"), [{"key": "Owner", "value": owner}])
        )


def test_generator_is_deterministic_for_a_seed():
    with LocalSsm(generate=(5, 20), seed=11) as a, LocalSsm(generate=(5, 20), seed=11) as b:
        first, second = everything(client(a), "History"), everything(client(b), "History")
        assert undated(first) == undated(second)
        assert all(
            abs((y["StartDate"] - x["StartDate"]).total_seconds()) < 5
            for x, y in zip(first, second, strict=True)
        )


# --- the wire shape ------------------------------------------------------------------------

FIXTURE = [
    {
        "SessionId": "alice-0a1b2c3d4e5f67890",
        "Target": "i-0123456789abcdef0",
        "Status": "Terminated",
        "StartDate": 1541761816.338,
        "EndDate": "2018-11-09T11:20:16Z",
        "DocumentName": "SSM-SessionManagerRunShell",
        "Owner": "arn:aws:sts::123456789012:assumed-role/Admin/alice",
        "Reason": 'Déploiement "urgent" C:\\temp 🚀',
        "Details": "line1\nline2",
        "OutputUrl": {},
        "MaxSessionDuration": "60",
        "AccessType": "Standard",
    },
    {
        "SessionId": "bob-0fedcba9876543210",
        "Target": "mi-0123456789abcdef0",
        "Status": "Connected",
        "StartDate": 1700000000,
        "OutputUrl": {
            "S3OutputUrl": "https://bucket.s3.amazonaws.com/k",
            "CloudWatchOutputUrl": "https://cw/x",
        },
    },
]


def raw_post(ssm, body: bytes, *, sign=True, secret=None, when=None, tamper=None):
    """POST a DescribeSessions body, signed by botocore's own SigV4 signer."""
    request = AWSRequest(
        method="POST",
        url=ssm.endpoint_url + "/",
        data=body,
        headers={"X-Amz-Target": TARGET, "Content-Type": "application/x-amz-json-1.1"},
    )
    if sign:
        creds = Credentials(
            ssm.credentials.access_key_id, secret or ssm.credentials.secret_access_key
        )
        auth = SigV4Auth(creds, "ssm", "us-east-1")
        if when is None:
            auth.add_auth(request)
        else:  # botocore's add_auth with a chosen timestamp
            request.context["timestamp"] = when.strftime("%Y%m%dT%H%M%SZ")
            auth._modify_request_before_signing(request)
            canonical = auth.canonical_request(request)
            signature = auth.signature(auth.string_to_sign(request, canonical), request)
            auth._inject_signature_to_request(request, signature)
    data = tamper if tamper is not None else body
    prepared = urllib.request.Request(ssm.endpoint_url + "/", data=data, method="POST")
    for name, value in request.headers.items():
        prepared.add_header(name, value if isinstance(value, str) else value.decode())
    try:
        with urllib.request.urlopen(prepared, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_fixture_sessions_round_trip_through_boto3():
    with LocalSsm(sessions=FIXTURE) as ssm:
        c = client(ssm)
        (history,) = paginate(c, "History")
        (active,) = paginate(c, "Active")
        h, a = history[0], active[0]
        assert h["StartDate"] == dt.datetime(2018, 11, 9, 11, 10, 16, 338000, tzinfo=UTC)
        assert h["EndDate"] == dt.datetime(2018, 11, 9, 11, 20, 16, tzinfo=UTC)
        assert h["Reason"] == 'Déploiement "urgent" C:\\temp 🚀'
        assert h["Details"] == "line1\nline2"
        assert h["OutputUrl"] == {}
        assert list(h) == list(FIXTURE[0])
        assert a["StartDate"] == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
        assert a["OutputUrl"] == FIXTURE[1]["OutputUrl"]


def test_wire_bytes_match_the_service():
    with LocalSsm(sessions=FIXTURE) as ssm:
        status, headers, body = raw_post(ssm, b'{"State": "History"}')
        assert status == 200
        headers = {k.lower(): v for k, v in headers.items()}
        assert headers["content-type"] == "application/x-amz-json-1.1"
        assert len(headers["x-amzn-requestid"]) == 36
        text = body.decode("utf-8")
        assert '"StartDate":1.541761816338E9' in text
        assert '"EndDate":1.541762416E9' in text
        assert '"OutputUrl":{}' in text
        order = [
            "SessionId",
            "Target",
            "Status",
            "StartDate",
            "EndDate",
            "DocumentName",
            "Owner",
            "Reason",
            "Details",
            "OutputUrl",
            "MaxSessionDuration",
            "AccessType",
        ]
        positions = [text.index(f'"{key}":') for key in order]
        assert positions == sorted(positions), "members in the model's order"
        assert "🚀" in text and "\\u" not in text  # raw UTF-8, like the service
        status, _, body = raw_post(ssm, b'{"State": "Active"}')
        assert '"StartDate":1.7E9' in body.decode()


def test_request_ids_are_unique(generated):
    c = client(generated)
    ids = {
        c.describe_sessions(State="Active", MaxResults=1)["ResponseMetadata"]["RequestId"]
        for _ in range(5)
    }
    assert len(ids) == 5


# --- errors ----------------------------------------------------------------------------------

LONG = "x" * 401
ONE = "1 validation error detected: "
FAILED = "failed to satisfy constraint: Member must"
OWNER = {"key": "Owner", "value": "o"}


@pytest.mark.parametrize(
    "kwargs, code, message",
    [
        (
            {},
            "ValidationException",
            f"{ONE}Value null at 'state' {FAILED} not be null",
        ),
        (
            {"State": "Bogus"},
            "ValidationException",
            f"{ONE}Value 'Bogus' at 'state' {FAILED} satisfy enum value set: [Active, History]",
        ),
        (
            {"State": "Active", "MaxResults": 0},
            "ValidationException",
            f"{ONE}Value '0' at 'maxResults' {FAILED} have value greater than or equal to 1",
        ),
        (
            {"State": "Active", "MaxResults": 201},
            "ValidationException",
            f"{ONE}Value '201' at 'maxResults' {FAILED} have value less than or equal to 200",
        ),
        ({"State": "Active", "Filters": []}, "ValidationException", None),
        ({"State": "Active", "Filters": [OWNER] * 7}, "ValidationException", None),
        (
            {"State": "Active", "Filters": [{"key": "Owner", "value": LONG}]},
            "ValidationException",
            None,
        ),
        (
            {"State": "Active", "Filters": [{"key": "Owner", "value": ""}]},
            "ValidationException",
            None,
        ),
        (
            {"State": "Active", "Filters": [{"key": "Colour", "value": "red"}]},
            "InvalidFilterKey",
            None,
        ),
        (
            {"State": "Active", "Filters": [{"key": "InvokedAfter", "value": "yesterday"}]},
            "ValidationException",
            None,
        ),
        ({"State": "Active", "NextToken": "garbage"}, "InvalidNextToken", None),
    ],
)
def test_errors_reach_boto3_as_client_errors(generated, kwargs, code, message):
    c = client(generated, validate=False)
    with pytest.raises(ClientError) as info:
        c.describe_sessions(**kwargs)
    error = info.value.response["Error"]
    assert error["Code"] == code
    if message:
        assert error["Message"] == message
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_six_filters_and_400_chars_are_allowed(generated):
    c = client(generated)
    c.describe_sessions(State="Active", Filters=[OWNER] * 6)
    c.describe_sessions(State="Active", Filters=[{"key": "Owner", "value": "x" * 400}])


def test_tokens_are_bound_to_state_and_filters(generated):
    c = client(generated)
    token = c.describe_sessions(State="History", MaxResults=1)["NextToken"]
    assert c.describe_sessions(State="History", MaxResults=1, NextToken=token)["Sessions"]
    for kwargs in ({"State": "Active"}, {"State": "History", "Filters": [OWNER]}):
        with pytest.raises(ClientError) as info:
            c.describe_sessions(NextToken=token, **kwargs)
        assert info.value.response["Error"]["Code"] == "InvalidNextToken"
    with LocalSsm(generate=(60, 400), seed=7) as other:
        with pytest.raises(ClientError) as info:
            client(other).describe_sessions(State="History", NextToken=token)
        assert info.value.response["Error"]["Code"] == "InvalidNextToken"


def test_raw_service_token_works_as_a_paginator_starting_token(generated):
    c = client(generated)
    first = c.describe_sessions(State="History", MaxResults=50)
    rest = c.get_paginator("describe_sessions").paginate(
        State="History", PaginationConfig={"PageSize": 50, "StartingToken": first["NextToken"]}
    )
    ids = [s["SessionId"] for s in first["Sessions"]] + [
        s["SessionId"] for p in rest for s in p["Sessions"]
    ]
    assert ids == [s["SessionId"] for s in everything(c, "History")]


def test_other_operations_are_unknown(generated):
    with pytest.raises(ClientError) as info:
        client(generated).describe_instance_information()
    assert info.value.response["Error"]["Code"] == "UnknownOperationException"


def test_bad_json_is_a_validation_error(generated):
    status, headers, body = raw_post(generated, b'{"State": ')
    assert status == 400
    assert json.loads(body)["__type"] == "ValidationException"
    assert {k.lower(): v for k, v in headers.items()}["x-amzn-errortype"] == "ValidationException"


# --- signatures ----------------------------------------------------------------------------


def test_botocore_signatures_verify(generated):
    assert client(generated).describe_sessions(State="Active", MaxResults=1)["Sessions"]


def test_wrong_secret_fails(generated):
    with pytest.raises(ClientError) as info:
        client(generated, secret="not-the-secret").describe_sessions(State="Active")
    assert info.value.response["Error"]["Code"] == "InvalidSignatureException"
    assert info.value.response["Error"]["Message"].startswith(
        "The request signature we calculated does not match"
    )


def test_unknown_access_key_fails(generated):
    with pytest.raises(ClientError) as info:
        client(generated, access_key="AKIAIOSFODNN7EXAMPLE").describe_sessions(State="Active")
    assert info.value.response["Error"]["Code"] == "UnrecognizedClientException"
    assert (
        info.value.response["Error"]["Message"]
        == "The security token included in the request is invalid."
    )


def test_tampered_body_fails(generated):
    status, _, body = raw_post(generated, b'{"State": "Active"}', tamper=b'{"State": "History"}')
    assert status == 400
    assert json.loads(body)["__type"] == "InvalidSignatureException"


def test_stale_and_future_signatures_fail(generated):
    now = dt.datetime.now(UTC)
    for delta, start in ((-20, "Signature expired: "), (20, "Signature not yet current: ")):
        status, _, body = raw_post(
            generated, b'{"State": "Active"}', when=now + dt.timedelta(minutes=delta)
        )
        assert status == 400
        error = json.loads(body)
        assert error["__type"] == "InvalidSignatureException"
        assert error["message"].startswith(start)
    status, _, _ = raw_post(generated, b'{"State": "Active"}', when=now - dt.timedelta(minutes=10))
    assert status == 200


def test_unsigned_requests_need_allow_unsigned(generated):
    with pytest.raises(ClientError) as info:
        client(generated, unsigned=True).describe_sessions(State="Active")
    assert info.value.response["Error"]["Code"] == "MissingAuthenticationTokenException"
    with LocalSsm(generate=(3, 3), seed=1, allow_unsigned=True) as ssm:
        assert len(client(ssm, unsigned=True).describe_sessions(State="Active")["Sessions"]) == 3
        assert client(ssm).describe_sessions(State="Active")["Sessions"], "signed still works"


# --- faults --------------------------------------------------------------------------------

RETRIES = {"mode": "standard", "total_max_attempts": 3}


@pytest.mark.parametrize("kind", ["throttle_rate", "server_error_rate", "drop_rate"])
def test_standard_retries_get_through_faults(kind):
    faults = {"seed": 5, kind: 0.5}
    with (
        LocalSsm(generate=(0, 150), seed=2, faults=faults) as ssm,
        LocalSsm(generate=(0, 150), seed=2) as clean,
    ):
        got = [s for page in paginate(client(ssm, retries=RETRIES), "History", 15) for s in page]
        assert undated(got) == undated(everything(client(clean), "History"))
        log = ssm.requests
        faulted = [field(r, "fault") for r in log if field(r, "fault")]
        assert len(faulted) >= 2, "faults were injected"
        flags = [bool(field(r, "fault")) for r in log]
        assert not any(a and b for a, b in itertools.pairwise(flags)), "never two in a row"


def test_throttling_surfaces_without_retries():
    with LocalSsm(generate=(0, 50), seed=2, faults={"seed": 1, "throttle_rate": 1.0}) as ssm:
        c = client(ssm)
        with pytest.raises(ClientError) as info:
            c.describe_sessions(State="History")
        assert info.value.response["Error"] == {
            "Code": "ThrottlingException",
            "Message": "Rate exceeded",
        }
        assert c.describe_sessions(State="History")["Sessions"], "never two faults in a row"


def test_request_log(generated):
    c = client(generated, validate=False)
    before = len(generated.requests)
    c.describe_sessions(State="Active", MaxResults=2)
    with pytest.raises(ClientError):
        c.describe_sessions(State="Nope")
    new = generated.requests[before:]
    assert [field(r, "status") for r in new] == [200, 400]
    assert field(new[0], "operation") == "DescribeSessions"
    assert field(new[0], "body") == {"State": "Active", "MaxResults": 2}
    assert field(new[1], "error_code") == "ValidationException"
    assert all(field(r, "signed") for r in new)
    assert generated.credentials.secret_access_key not in repr(new)
