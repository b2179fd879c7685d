"""Listing sessions gives exactly what boto3's paginator gives, against the same service.

For every page size, filter and `max_items`, `[s.to_dict() for s in pager]` equals the
sessions boto3 returns and `pager.resume_token` equals the NextToken botocore prints, byte
for byte. Both emulators hold the same sessions; one filters after cutting each page to
MaxResults like the real service (so pages can be empty while a NextToken is set).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest
from ssm_sessions import Session

PAGE_SIZES = [1, 7, 200, None]


def iso(instant: dt.datetime) -> str:
    """The filter string boto3 users write for an instant."""
    text = instant.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds")
    if instant.microsecond == 0:
        text = instant.astimezone(dt.timezone.utc).isoformat(timespec="seconds")
    return text.replace("+00:00", "Z")


def pivot_session(sessions: list[Session]) -> Session:
    """A historical session in the middle of the listing with every filterable field set."""
    return next(
        s
        for s in sessions[len(sessions) // 2 :]
        if s.access_type and s.owner and s.target and s.start_date.microsecond
    )


def filter_cases(pivot: Session) -> dict[str, tuple[dict[str, Any], list[dict[str, str]]]]:
    """Named filter sets: (our keyword arguments, the same filters for boto3)."""
    whole_second = pivot.start_date.replace(microsecond=0)
    return {
        "no_filter": ({}, []),
        "owner": ({"owner": pivot.owner}, [{"key": "Owner", "value": pivot.owner}]),
        "target": ({"target": pivot.target}, [{"key": "Target", "value": pivot.target}]),
        "status": ({"status": "Terminated"}, [{"key": "Status", "value": "Terminated"}]),
        "session_id": (
            {"session_id": pivot.session_id},
            [{"key": "SessionId", "value": pivot.session_id}],
        ),
        "access_type": (
            {"access_type": "JustInTime"},
            [{"key": "AccessType", "value": "JustInTime"}],
        ),
        "invoked_after_datetime": (
            {"invoked_after": whole_second},
            [{"key": "InvokedAfter", "value": iso(whole_second)}],
        ),
        "invoked_before_datetime_with_milliseconds": (
            {"invoked_before": pivot.start_date},
            [{"key": "InvokedBefore", "value": iso(pivot.start_date)}],
        ),
        "invoked_after_naive_datetime_is_utc": (
            {"invoked_after": whole_second.replace(tzinfo=None)},
            [{"key": "InvokedAfter", "value": iso(whole_second)}],
        ),
        "invoked_after_string": (
            {"invoked_after": iso(whole_second)},
            [{"key": "InvokedAfter", "value": iso(whole_second)}],
        ),
        "filters_list_of_two": (
            {
                "filters": [
                    {"key": "Status", "value": "Terminated"},
                    {"key": "AccessType", "value": "Standard"},
                ]
            },
            [{"key": "Status", "value": "Terminated"}, {"key": "AccessType", "value": "Standard"}],
        ),
        "shortcut_and_filters_dict": (
            {"owner": pivot.owner, "filters": {"Status": pivot.status}},
            [{"key": "Owner", "value": pivot.owner}, {"key": "Status", "value": pivot.status}],
        ),
        "six_filters_at_once": (
            {
                "invoked_after": whole_second,
                "invoked_before": whole_second + dt.timedelta(seconds=1),
                "target": pivot.target,
                "filters": [
                    {"key": "Owner", "value": pivot.owner},
                    {"key": "SessionId", "value": pivot.session_id},
                ],
                "status": pivot.status,
            },
            [
                {"key": "InvokedAfter", "value": iso(whole_second)},
                {"key": "InvokedBefore", "value": iso(whole_second + dt.timedelta(seconds=1))},
                {"key": "Target", "value": pivot.target},
                {"key": "Owner", "value": pivot.owner},
                {"key": "SessionId", "value": pivot.session_id},
                {"key": "Status", "value": pivot.status},
            ],
        ),
    }


@pytest.fixture(scope="module")
def cases(listing_emulators) -> dict[str, tuple[dict[str, Any], list[dict[str, str]]]]:
    history = listing_emulators[False].client().describe_sessions("History").to_list()
    return filter_cases(pivot_session(history))


FILTER_CASES = [
    "no_filter",
    "owner",
    "target",
    "status",
    "session_id",
    "access_type",
    "invoked_after_datetime",
    "invoked_before_datetime_with_milliseconds",
    "invoked_after_naive_datetime_is_utc",
    "invoked_after_string",
    "filters_list_of_two",
    "shortcut_and_filters_dict",
    "six_filters_at_once",
]


def ours(ssm, state: str, **arguments: Any) -> tuple[list[dict[str, Any]], str | None]:
    pager = ssm.client().describe_sessions(state, **arguments)
    return [s.to_dict() for s in pager], pager.resume_token


def decoded(token: str) -> dict[str, Any]:
    return json.loads(base64.b64decode(token))


def test_both_emulators_hold_the_same_sessions(listing_emulators):
    listings = [
        ssm.client().describe_sessions("History").to_list() for ssm in listing_emulators.values()
    ]
    assert len(listings[0]) == 80
    assert listings[0] == listings[1]


def test_every_filter_case_is_known_and_selective(listing_emulators, cases, boto3_reference):
    assert sorted(cases) == sorted(FILTER_CASES)
    ssm = listing_emulators[False]
    everything, _ = boto3_reference.listing(ssm, "History")
    for name, (_, filters) in cases.items():
        selected, _ = boto3_reference.listing(ssm, "History", filters=filters)
        if name == "no_filter":
            assert len(selected) == len(everything) == 80
        else:
            assert 0 < len(selected) < len(everything), name
    only_pivot, _ = boto3_reference.listing(ssm, "History", filters=cases["six_filters_at_once"][1])
    assert len(only_pivot) == 1


@pytest.mark.parametrize("filter_after_limit", [True, False], ids=["filter_after_limit", "exact"])
@pytest.mark.parametrize("page_size", PAGE_SIZES, ids=lambda n: f"page_size={n}")
@pytest.mark.parametrize("case", FILTER_CASES)
def test_listing_equals_boto3_paginator(
    listing_emulators, cases, boto3_reference, filter_after_limit, page_size, case
):
    ssm = listing_emulators[filter_after_limit]
    arguments, filters = cases[case]
    expected = boto3_reference.listing(ssm, "History", filters=filters, page_size=page_size)
    assert ours(ssm, "History", page_size=page_size, **arguments) == expected
    assert expected[1] is None


@pytest.mark.parametrize("filter_after_limit", [True, False], ids=["filter_after_limit", "exact"])
@pytest.mark.parametrize("page_size", PAGE_SIZES, ids=lambda n: f"page_size={n}")
def test_active_listing_equals_boto3_paginator(
    listing_emulators, boto3_reference, filter_after_limit, page_size
):
    ssm = listing_emulators[filter_after_limit]
    expected = boto3_reference.listing(ssm, "Active", page_size=page_size)
    assert len(expected[0]) == 15
    assert ours(ssm, "Active", page_size=page_size) == expected


MAX_ITEMS = [
    (1, 1),
    (1, 5),
    (7, 3),  # inside the first page
    (7, 7),  # exactly the first page
    (7, 10),  # across a page boundary, cut mid-page
    (7, 14),  # exactly two pages
    (7, 1000),  # more than there is
    (200, 50),
    (200, 80),  # exactly everything, in one page
    (None, 20),  # the service's default page size
    (None, 25),
    (None, 79),
]


@pytest.mark.parametrize("filter_after_limit", [True, False], ids=["filter_after_limit", "exact"])
@pytest.mark.parametrize("case", ["no_filter", "status", "access_type"])
@pytest.mark.parametrize(
    ("page_size", "max_items"),
    MAX_ITEMS,
    ids=[f"page_size={p}-max_items={m}" for p, m in MAX_ITEMS],
)
def test_max_items_and_resume_token_equal_boto3(
    listing_emulators, cases, boto3_reference, filter_after_limit, case, page_size, max_items
):
    ssm = listing_emulators[filter_after_limit]
    arguments, filters = cases[case]
    expected = boto3_reference.listing(
        ssm, "History", filters=filters, page_size=page_size, max_items=max_items
    )
    got = ours(ssm, "History", page_size=page_size, max_items=max_items, **arguments)
    assert got == expected
    assert len(got[0]) <= max_items


def test_max_items_tokens_cover_both_token_shapes(listing_emulators, boto3_reference):
    """The cases above really hit a mid-page cut and a page-boundary stop."""
    ssm = listing_emulators[False]
    _, mid_page = boto3_reference.listing(ssm, "History", page_size=7, max_items=10)
    _, boundary = boto3_reference.listing(ssm, "History", page_size=7, max_items=14)
    assert decoded(mid_page)["boto_truncate_amount"] == 3
    assert list(decoded(boundary)) == ["NextToken"]
    _, first_page = boto3_reference.listing(ssm, "History", page_size=7, max_items=3)
    assert decoded(first_page) == {"NextToken": None, "boto_truncate_amount": 3}


STARTS = [
    (7, 10, None),  # the rest of the listing
    (7, 10, 2),  # stops again inside the same page
    (7, 10, 4),  # stops exactly at the end of that page
    (7, 10, 9),  # across the next boundary
    (7, 3, 1),  # resumes inside the first page (NextToken null)
    (None, 25, 30),
    (200, 30, None),
]


@pytest.mark.parametrize("filter_after_limit", [True, False], ids=["filter_after_limit", "exact"])
@pytest.mark.parametrize("case", ["no_filter", "status"])
@pytest.mark.parametrize(
    ("page_size", "cut", "max_items"),
    STARTS,
    ids=[f"page_size={p}-from={c}-max_items={m}" for p, c, m in STARTS],
)
def test_starting_token_that_cuts_mid_page_equals_boto3(
    listing_emulators, cases, boto3_reference, filter_after_limit, case, page_size, cut, max_items
):
    ssm = listing_emulators[filter_after_limit]
    arguments, filters = cases[case]
    _, token = boto3_reference.listing(
        ssm, "History", filters=filters, page_size=page_size, max_items=cut
    )
    assert token is not None
    expected = boto3_reference.listing(
        ssm,
        "History",
        filters=filters,
        page_size=page_size,
        max_items=max_items,
        starting_token=token,
    )
    got = ours(
        ssm, "History", page_size=page_size, max_items=max_items, starting_token=token, **arguments
    )
    assert got == expected


@pytest.mark.parametrize("filter_after_limit", [True, False], ids=["filter_after_limit", "exact"])
@pytest.mark.parametrize(
    ("page_size", "max_items"), [(7, None), (7, 10), (1, 4), (None, 45)], ids=str
)
def test_pages_are_the_pages_boto3_yields(
    listing_emulators, cases, boto3_reference, filter_after_limit, page_size, max_items
):
    """Empty pages included: they are responses of the listing too."""
    ssm = listing_emulators[filter_after_limit]
    arguments, filters = cases["access_type"]
    config = {"PageSize": page_size, "MaxItems": max_items}
    paginator = boto3_reference.client(ssm).get_paginator("describe_sessions")
    expected = [
        page["Sessions"]
        for page in paginator.paginate(
            State="History",
            Filters=filters,
            PaginationConfig={k: v for k, v in config.items() if v is not None},
        )
    ]
    pager = ssm.client().describe_sessions(
        "History", page_size=page_size, max_items=max_items, **arguments
    )
    got = [[s.to_dict() for s in page.sessions] for page in pager.pages()]
    assert got == expected
    if filter_after_limit and page_size == 7:
        assert [] in got, "the service's empty pages are not hidden"


@pytest.mark.parametrize(
    ("page_size", "max_items"),
    [(7, 7), (7, 10), (7, 14), (7, None), (1, 3), (None, 20), (200, 5)],
    ids=str,
)
def test_requests_sent_are_the_requests_boto3_sends(
    emulator, boto3_reference, page_size, max_items
):
    """Prefetching never asks for a page the listing does not need."""
    emu = emulator(generate=(0, 40), filter_after_limit=True)
    filters = [{"key": "Status", "value": "Terminated"}]
    boto3_reference.listing(
        emu, "History", filters=filters, page_size=page_size, max_items=max_items
    )
    theirs = [r["body"] for r in emu.requests]
    pager = emu.client().describe_sessions(
        "History", status="Terminated", page_size=page_size, max_items=max_items
    )
    pager.to_list()
    ours = [r["body"] for r in emu.requests[len(theirs) :]]
    assert ours == theirs


def test_a_truncate_amount_beyond_the_page_moves_on_like_boto3(listing_emulators, boto3_reference):
    emu = listing_emulators[False]
    _, token = boto3_reference.listing(emu, "History", page_size=7, max_items=7)
    service_token = decoded(token)["NextToken"]
    beyond = base64.b64encode(
        json.dumps({"NextToken": service_token, "boto_truncate_amount": 50}).encode()
    ).decode()
    expected = boto3_reference.listing(emu, "History", page_size=7, starting_token=beyond)
    everything, _ = boto3_reference.listing(emu, "History", page_size=7)
    assert expected[0] == everything[14:]
    assert ours(emu, "History", page_size=7, starting_token=beyond) == expected
