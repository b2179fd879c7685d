"""Resume tokens work both ways: ours resume here and in boto3, botocore's resume here.

`resume_token` continues right after the last yielded session. Tokens are botocore's own
format, so `aws ... --max-items` output, boto3's `build_full_result()["NextToken"]`, the
legacy `token___n` form and raw service tokens are all starting tokens.
"""

from __future__ import annotations

import base64
import json

import pytest
import ssm_sessions as ssm


def dicts(sessions):
    return [s.to_dict() for s in sessions]


def tokens_after_each_session(pager):
    """(sessions, [resume_token after the 1st session, after the 2nd, ...])."""
    sessions, tokens = [], []
    for session in pager:
        sessions.append(session)
        tokens.append(pager.resume_token)
    return sessions, tokens


def test_resume_token_is_the_starting_token_until_something_is_yielded(listing_emulators):
    client = listing_emulators[True].client()
    first = client.describe_sessions("History", page_size=7, max_items=10)
    first.to_list()
    token = first.resume_token
    assert token is not None
    pager = client.describe_sessions("History", page_size=7, starting_token=token)
    assert pager.resume_token == token
    assert client.describe_sessions("History").resume_token is None


@pytest.mark.parametrize("filter_after_limit", [True, False], ids=["filter_after_limit", "exact"])
@pytest.mark.parametrize(
    ("state", "arguments"),
    [
        ("Active", {"page_size": 4}),
        ("History", {"page_size": 7, "access_type": "Standard"}),
        ("History", {"page_size": 3, "status": "Failed"}),
    ],
    ids=["active", "history_standard", "history_failed"],
)
def test_resuming_from_every_resume_token_gives_exactly_the_rest(
    listing_emulators, filter_after_limit, state, arguments
):
    client = listing_emulators[filter_after_limit].client()
    pager = client.describe_sessions(state, **arguments)
    everything, tokens = tokens_after_each_session(pager)
    assert len(everything) >= 5
    assert pager.resume_token is None  # complete
    for index, token in enumerate(tokens):
        if token is None:  # the last session was on the last page
            assert index == len(everything) - 1
            continue
        rest = client.describe_sessions(state, starting_token=token, **arguments).to_list()
        assert rest == everything[index + 1 :], f"after session {index}"


@pytest.mark.parametrize("filter_after_limit", [True, False], ids=["filter_after_limit", "exact"])
def test_resume_token_of_a_pager_stopped_early_continues_there(
    listing_emulators, filter_after_limit
):
    client = listing_emulators[filter_after_limit].client()
    everything = client.describe_sessions("History", page_size=6, status="Terminated").to_list()
    pager = client.describe_sessions("History", page_size=6, status="Terminated")
    first = [next(pager) for _ in range(9)]
    rest = client.describe_sessions(
        "History", page_size=6, status="Terminated", starting_token=pager.resume_token
    ).to_list()
    assert first + rest == everything


@pytest.mark.parametrize("max_items", [1, 6, 7, 10, 33, 79])
def test_a_botocore_token_resumes_here(listing_emulators, boto3_reference, max_items):
    emu = listing_emulators[True]
    everything, _ = boto3_reference.listing(emu, "History", page_size=7)
    head, token = boto3_reference.listing(emu, "History", page_size=7, max_items=max_items)
    assert head == everything[:max_items]
    rest = emu.client().describe_sessions("History", page_size=7, starting_token=token)
    assert dicts(rest) == everything[max_items:]
    assert rest.resume_token is None


@pytest.mark.parametrize("cut", [0, 2, 6, 7, 12, 40, 78])
def test_our_token_resumes_boto3_paginator(listing_emulators, boto3_reference, cut):
    emu = listing_emulators[True]
    pager = emu.client().describe_sessions("History", page_size=7)
    head = [next(pager) for _ in range(cut + 1)]
    everything, _ = boto3_reference.listing(emu, "History", page_size=7)
    assert dicts(head) == everything[: cut + 1]
    rest, token = boto3_reference.listing(
        emu, "History", page_size=7, starting_token=pager.resume_token
    )
    assert rest == everything[cut + 1 :]
    assert token is None


def test_a_token_printed_by_the_aws_cli_format_is_accepted(listing_emulators):
    """The token as the CLI prints it: base64 of json.dumps, spaces after separators."""
    client = listing_emulators[True].client()
    everything = client.describe_sessions("History", page_size=7).to_list()
    service_token = page_tokens(listing_emulators[True], page_size=7)[1]
    handmade = base64.b64encode(
        json.dumps({"NextToken": service_token, "boto_truncate_amount": 2}).encode()
    ).decode()
    rest = client.describe_sessions("History", page_size=7, starting_token=handmade).to_list()
    assert rest == everything[7 + 2 :]


def page_tokens(emu, *, page_size):
    """The raw service tokens of a fresh listing: [None, token of page 2, token of page 3...]."""
    tokens = [None]
    paginator_client = emu.client()
    pager = paginator_client.describe_sessions("History", page_size=page_size)
    for page in pager.pages():
        if page.next_token is None:
            break
        tokens.append(json.loads(base64.b64decode(page.next_token))["NextToken"])
    return tokens


@pytest.mark.parametrize(
    ("page", "skip"), [(1, 0), (1, 3), (2, 6), (0, 2)], ids=["p1", "p1+3", "p2+6", "None+2"]
)
def test_legacy_token_resumes_like_boto3(listing_emulators, boto3_reference, page, skip):
    emu = listing_emulators[False]
    tokens = page_tokens(emu, page_size=7)
    legacy = f"{tokens[page] or 'None'}___{skip}"
    everything, _ = boto3_reference.listing(emu, "History", page_size=7)
    expected, _ = boto3_reference.listing(emu, "History", page_size=7, starting_token=legacy)
    assert expected == everything[7 * page + skip :]
    got = emu.client().describe_sessions("History", page_size=7, starting_token=legacy)
    assert dicts(got) == expected


def test_a_raw_service_token_resumes_at_its_page(listing_emulators, boto3_reference):
    emu = listing_emulators[False]
    raw = page_tokens(emu, page_size=7)[3]
    everything, _ = boto3_reference.listing(emu, "History", page_size=7)
    got = emu.client().describe_sessions("History", page_size=7, starting_token=raw)
    assert dicts(got) == everything[21:]
    expected, _ = boto3_reference.listing(emu, "History", page_size=7, starting_token=raw)
    assert expected == everything[21:]


def b64json(document):
    return base64.b64encode(json.dumps(document).encode()).decode()


@pytest.mark.parametrize(
    "token",
    [
        "",
        "a___b___c",
        b64json({"NextToken": "abc", "MaxResults": 5}),
        b64json({"NextToken": "abc", "boto_truncate_amount": -1}),
        b64json({"NextToken": "abc", "boto_truncate_amount": "2"}),
        b64json({"NextToken": 17}),
        17,
        b"eyJOZXh0VG9rZW4iOiBudWxsfQ==",
    ],
    ids=[
        "empty",
        "three_legacy_parts",
        "unknown_key",
        "negative_truncate_amount",
        "string_truncate_amount",
        "number_next_token",
        "int",
        "bytes",
    ],
)
def test_a_starting_token_that_cannot_be_a_token_is_an_invalid_parameter(emulator, token):
    emu = emulator(generate=(0, 5))
    with pytest.raises(ssm.InvalidParameterError, match=r"starting_token|Bad starting token") as e:
        list(emu.client().describe_sessions("History", starting_token=token))
    assert isinstance(e.value, ValueError)
    assert emu.requests == []


@pytest.mark.parametrize(
    "token",
    ["garbage", "not/a+token==", b64json({"NextToken": "forged"}), "forged___2"],
    ids=["word", "base64_noise", "botocore_shape_forged", "legacy_shape_forged"],
)
def test_a_token_the_service_rejects_is_its_invalid_next_token_error(emulator, token):
    emu = emulator(generate=(0, 5))
    pager = emu.client().describe_sessions("History", starting_token=token)
    with pytest.raises(ssm.InvalidNextTokenError) as e:
        list(pager)
    assert e.value.code == "InvalidNextToken"
    assert e.value.resume_token == token  # nothing was yielded: resume where it started
    assert [r["error_code"] for r in emu.requests] == ["InvalidNextToken"]
