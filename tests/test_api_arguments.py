"""Every bad argument raises InvalidParameterError, naming it, before any request goes out.

`InvalidParameterError` is also a `ValueError`. The emulator's request log proves that
nothing was sent, even when the pager is iterated.
"""

from __future__ import annotations

import datetime as dt

import pytest
import ssm_sessions as ssm

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"

BAD_QUERIES = [
    # (test id, arguments after the state, words the message must contain)
    ("state_lowercase", {"state": "history"}, ["state", "'Active'", "'History'"]),
    ("state_none", {"state": None}, ["state"]),
    ("state_not_a_string", {"state": 1}, ["state"]),
    ("filter_key_unknown", {"filters": [{"key": "Region", "value": "x"}]}, ["filters", "Region"]),
    ("filter_key_snake_case", {"filters": {"owner": "x"}}, ["filters", "owner", "Owner"]),
    ("filter_without_value", {"filters": [{"key": "Owner"}]}, ["filter", "value"]),
    ("filter_with_extra_member", {"filters": [{"key": "Owner", "value": "x", "v": 1}]}, ["filter"]),
    ("filters_not_a_collection", {"filters": "Owner=x"}, ["filters"]),
    (
        "seven_filters",
        {
            "invoked_after": "2026-11-01T00:00:00Z",
            "invoked_before": "2026-11-02T00:00:00Z",
            "target": "i-1",
            "owner": "o",
            "status": "Connected",
            "session_id": "s",
            "access_type": "Standard",
        },
        ["6 filters", "7"],
    ),
    ("key_given_twice", {"owner": "a", "filters": {"Owner": "b"}}, ["Owner", "twice"]),
    (
        "key_given_twice_in_filters",
        {"filters": [{"key": "Status", "value": "a"}, {"key": "Status", "value": "b"}]},
        ["Status", "twice"],
    ),
    ("value_too_long", {"owner": "x" * 401}, ["owner", "400", "401"]),
    ("value_empty", {"target": ""}, ["target", "1 to 400"]),
    ("value_empty_in_filters", {"filters": {"Status": ""}}, ["Status", "1 to 400"]),
    ("value_not_a_string", {"owner": 42}, ["owner", "str"]),
    ("page_size_zero", {"page_size": 0}, ["page_size", "1 to 200", "0"]),
    ("page_size_201", {"page_size": 201}, ["page_size", "1 to 200", "201"]),
    ("page_size_bool", {"page_size": True}, ["page_size", "True"]),
    ("page_size_str", {"page_size": "5"}, ["page_size", "'5'"]),
    ("page_size_float", {"page_size": 5.0}, ["page_size"]),
    ("max_items_zero", {"max_items": 0}, ["max_items", ">= 1"]),
    ("max_items_negative", {"max_items": -3}, ["max_items"]),
    ("max_items_bool", {"max_items": False}, ["max_items"]),
    ("starting_token_not_a_string", {"starting_token": 123}, ["starting_token", "str"]),
    ("starting_token_empty", {"starting_token": ""}, ["starting_token"]),
    ("invoked_after_int", {"invoked_after": 1_700_000_000}, ["invoked_after", "datetime"]),
    ("invoked_before_date", {"invoked_before": dt.date(2026, 11, 1)}, ["invoked_before"]),
    (
        "invoked_after_in_filters_wrong_type",
        {"filters": {"InvokedAfter": 1.5}},
        ["InvokedAfter", "datetime"],
    ),
]


@pytest.mark.parametrize(
    ("arguments", "words"),
    [case[1:] for case in BAD_QUERIES],
    ids=[case[0] for case in BAD_QUERIES],
)
def test_bad_query_argument_is_rejected_before_any_request(emulator, arguments, words):
    emu = emulator(generate=(2, 5))
    arguments = dict(arguments)
    state = arguments.pop("state", "History")
    with pytest.raises(ssm.InvalidParameterError) as client_error:
        list(emu.client().describe_sessions(state, **arguments))
    with pytest.raises(ssm.InvalidParameterError) as function_error:
        list(
            ssm.describe_sessions(
                state,
                endpoint_url=emu.endpoint_url,
                credentials=emu.credentials,
                region=emu.region,
                **arguments,
            )
        )
    assert emu.requests == []
    for error in (client_error.value, function_error.value):
        assert isinstance(error, ValueError)
        assert isinstance(error, ssm.Error)
        for word in words:
            assert word in str(error)
    assert str(client_error.value) == str(function_error.value)


BAD_CLIENTS = [
    ("endpoint_without_scheme", {"endpoint_url": "127.0.0.1:4566"}, ["endpoint_url"]),
    ("endpoint_other_scheme", {"endpoint_url": "ftp://example.com"}, ["endpoint_url"]),
    ("endpoint_empty_host", {"endpoint_url": "http://"}, ["endpoint_url"]),
    ("max_attempts_zero", {"max_attempts": 0}, ["max_attempts", ">= 1"]),
    ("max_attempts_negative", {"max_attempts": -1}, ["max_attempts"]),
    ("connect_timeout_negative", {"connect_timeout": -1}, ["connect_timeout"]),
    ("read_timeout_negative", {"read_timeout": -0.5}, ["read_timeout"]),
    ("read_timeout_nan", {"read_timeout": float("nan")}, ["read_timeout"]),
    ("retry_mode_unknown", {"retry_mode": "x"}, ["retry_mode", "'standard'", "'adaptive'"]),
    ("region_empty", {"region": ""}, ["region"]),
    ("profile_empty", {"profile": ""}, ["profile"]),
    ("credentials_tuple", {"credentials": ("AKIDEXAMPLE", SECRET)}, ["credentials", "tuple"]),
    ("credentials_dict", {"credentials": {"aws_secret_access_key": SECRET}}, ["credentials"]),
    ("credentials_string", {"credentials": SECRET}, ["credentials", "str"]),
]


@pytest.mark.parametrize(
    ("options", "words"),
    [case[1:] for case in BAD_CLIENTS],
    ids=[case[0] for case in BAD_CLIENTS],
)
def test_bad_client_option_is_rejected_before_any_request(emulator, options, words):
    emu = emulator(generate=(2, 5))
    settings = {
        "endpoint_url": emu.endpoint_url,
        "credentials": emu.credentials,
        "region": emu.region,
        **options,
    }
    with pytest.raises(ssm.InvalidParameterError) as client_error:
        ssm.Client(**settings)
    with pytest.raises(ssm.InvalidParameterError) as function_error:
        list(ssm.describe_sessions("History", **settings))
    assert emu.requests == []
    for error in (client_error.value, function_error.value):
        assert isinstance(error, ValueError)
        for word in words:
            assert word in str(error)
        assert SECRET not in str(error)
        assert SECRET not in repr(error)


def test_client_and_client_options_together_are_rejected(emulator):
    emu = emulator(generate=(2, 5))
    with pytest.raises(ssm.InvalidParameterError, match="client"):
        ssm.describe_sessions("History", client=emu.client(), region="eu-west-1")
    assert emu.requests == []


def test_bad_credentials_values_are_rejected():
    with pytest.raises(ssm.InvalidParameterError, match="access_key_id"):
        ssm.Credentials("", SECRET)
    with pytest.raises(ssm.InvalidParameterError, match="secret_access_key") as error:
        ssm.Credentials("AKIDEXAMPLE", "")
    assert isinstance(error.value, ValueError)


def test_arguments_are_checked_when_the_pager_is_made_not_when_iterated(emulator):
    emu = emulator(generate=(2, 5))
    with pytest.raises(ssm.InvalidParameterError):
        emu.client().describe_sessions("History", page_size=0)


def test_good_edge_values_are_accepted(emulator):
    """The bounds themselves are allowed, and reach the service as given."""
    emu = emulator(generate=(2, 5))
    client = emu.client(max_attempts=1, connect_timeout=0, read_timeout=30, retry_mode="legacy")
    list(client.describe_sessions("History", page_size=200, max_items=1, owner="x" * 400))
    list(client.describe_sessions("History", page_size=1, max_items=1))
    bodies = [r["body"] for r in emu.requests]
    assert bodies[0]["MaxResults"] == 200
    assert bodies[0]["Filters"] == [{"key": "Owner", "value": "x" * 400}]
    assert bodies[1]["MaxResults"] == 1


def test_datetimes_are_sent_in_utc_with_milliseconds_only_when_needed(emulator):
    emu = emulator(generate=(2, 5))
    paris = dt.timezone(dt.timedelta(hours=1))
    list(
        emu.client().describe_sessions(
            "History",
            invoked_after=dt.datetime(2026, 11, 1, 13, 30, tzinfo=paris),
            invoked_before=dt.datetime(2026, 11, 2, 8, 0, 0, 250_000),
        )
    )
    (request,) = emu.requests
    assert request["body"]["Filters"] == [
        {"key": "InvokedAfter", "value": "2026-11-01T12:30:00Z"},
        {"key": "InvokedBefore", "value": "2026-11-02T08:00:00.250Z"},
    ]


@pytest.mark.parametrize(
    "options",
    [
        {"connect_timeout": "5"},
        {"max_attempts": "3"},
        {"max_attempts": True},
        {"region": 5},
        {"verify_ssl": "no"},
        {"retry_mode": 3},
    ],
    ids=lambda options: next(iter(options)),
)
def test_client_option_of_a_wrong_type_is_an_invalid_parameter_naming_it(options):
    with pytest.raises(ssm.InvalidParameterError) as error:
        ssm.Client(endpoint_url="http://127.0.0.1:1", **options)
    assert next(iter(options)) in str(error.value)
