"""`Session` behaves like a frozen dataclass and round-trips with boto3's dicts.

Sessions compare, hash and pickle by their API fields; `region` and `profile` (where a
session was listed) take no part in `==`, `hash` or `to_dict()`, like dataclass fields
with `compare=False`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
from typing import Any

import pytest
import ssm_sessions as ssm
from ssm_sessions import OutputUrl, Session

UTC = dt.timezone.utc

FULL = {
    "SessionId": "jane-0a1b2c3d4e5f67890",
    "Target": "i-0123456789abcdef0",
    "Status": "Terminated",
    "StartDate": dt.datetime(2026, 11, 3, 11, 48, 28, 695000, tzinfo=UTC),
    "EndDate": dt.datetime(2026, 11, 3, 16, 56, 3, tzinfo=UTC),
    "DocumentName": "AWS-StartPortForwardingSession",
    "Owner": "arn:aws:sts::123456789012:assumed-role/Admin/jane",
    "Reason": "INC-4711: disk full on the primary",
    "Details": "reserved",
    "OutputUrl": {
        "S3OutputUrl": "https://example-bucket.s3.amazonaws.com/sessions/jane",
        "CloudWatchOutputUrl": "https://console.aws.amazon.com/cloudwatch/home#logs:jane",
    },
    "MaxSessionDuration": "60",
    "AccessType": "JustInTime",
}
MINIMAL = {"SessionId": "bare-1"}
UNKNOWN = {
    "SessionId": "future-1",
    "Target": "mi-0aaaabbbbccccdddd",
    "Status": "Hibernating",
    "StartDate": dt.datetime(2026, 11, 19, 8, 0, tzinfo=UTC),
    "AccessType": "Delegated",
}


@dataclasses.dataclass(frozen=True)
class ReferenceSession:
    """What `Session` claims to be like: a frozen dataclass with the same fields."""

    session_id: str | None = None
    target: str | None = None
    status: str | None = None
    start_date: dt.datetime | None = None
    end_date: dt.datetime | None = None
    document_name: str | None = None
    owner: str | None = None
    reason: str | None = None
    details: str | None = None
    output_url: OutputUrl | None = None
    max_session_duration: str | None = None
    access_type: str | None = None
    region: str | None = dataclasses.field(default=None, compare=False)
    profile: str | None = dataclasses.field(default=None, compare=False)


def full_session(**origin: Any) -> Session:
    return Session.from_dict(FULL, **origin)


def test_session_is_frozen():
    session = full_session()
    with pytest.raises(AttributeError):
        session.status = "Connected"
    with pytest.raises(AttributeError):
        session.region = "eu-west-1"
    with pytest.raises(AttributeError):
        session.anything_new = 1
    with pytest.raises(AttributeError):
        session.output_url.s3_output_url = "s3://elsewhere"
    assert session == full_session()


def test_repr_is_the_dataclass_repr():
    session = full_session(region="eu-west-1", profile="audit")
    fields = {f.name: getattr(session, f.name) for f in dataclasses.fields(ReferenceSession)}
    assert repr(session) == repr(ReferenceSession(**fields)).replace("ReferenceSession", "Session")
    assert repr(Session()) == repr(ReferenceSession()).replace("ReferenceSession", "Session")
    assert repr(session.output_url) == (
        f"OutputUrl(s3_output_url={FULL['OutputUrl']['S3OutputUrl']!r}, "
        f"cloudwatch_output_url={FULL['OutputUrl']['CloudWatchOutputUrl']!r})"
    )


def test_equality_and_hash_ignore_region_and_profile():
    here = full_session(region="us-east-1")
    there = full_session(region="eu-west-1", profile="audit")
    assert here == there
    assert hash(here) == hash(there)
    assert len({here, there, full_session()}) == 1
    assert here.region == "us-east-1"
    assert there.profile == "audit"
    other = here.replace(status="Failed")
    assert other != here
    assert len({here, other}) == 2
    assert here != FULL  # a session is not its dict
    assert (here == FULL) is False


def test_equal_instants_in_other_zones_are_equal_sessions():
    tokyo = dt.timezone(dt.timedelta(hours=9))
    a = Session(session_id="s", start_date=dt.datetime(2026, 11, 3, 20, 0, tzinfo=tokyo))
    b = Session(session_id="s", start_date=dt.datetime(2026, 11, 3, 11, 0, tzinfo=UTC))
    c = Session(session_id="s", start_date=dt.datetime(2026, 11, 3, 11, 0))  # naive: UTC
    assert a == b == c
    assert hash(a) == hash(b) == hash(c)
    assert a.start_date.tzinfo is UTC


def test_pickle_round_trips_everything():
    session = full_session(region="eu-west-1", profile="audit")
    for value in (
        session,
        Session(),
        session.output_url,
        OutputUrl(),
        ssm.Credentials("AKIDEXAMPLE", "secret", "token"),
        ssm.Credentials("AKIDEXAMPLE", "secret"),
    ):
        assert pickle.loads(pickle.dumps(value)) == value
    copy = pickle.loads(pickle.dumps(session))
    assert (copy.region, copy.profile) == ("eu-west-1", "audit")
    assert repr(copy) == repr(session)
    credentials = pickle.loads(pickle.dumps(ssm.Credentials("AKIDEXAMPLE", "secret", "token")))
    assert credentials.secret_access_key == "secret"
    assert credentials.session_token == "token"


@pytest.mark.parametrize(
    "error",
    [
        ssm.InvalidNextTokenError(
            "InvalidNextToken", "bad", request_id="r-1", http_status=400, resume_token="tok"
        ),
        ssm.ThrottlingError("ThrottlingException", "Rate exceeded", http_status=400),
        ssm.ServiceError("SomethingNew", "new", request_id="r-2"),
        ssm.InvalidParameterError("page_size must be an int from 1 to 200, got 0"),
        ssm.EndpointConnectionError("no", endpoint_url="http://x/", resume_token="t"),
        ssm.ReadTimeoutError("slow", endpoint_url="http://x/"),
        ssm.CredentialsError("Unable to locate credentials"),
        ssm.PaginationError("The same next token was received twice"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_errors_pickle_with_their_attributes(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.resume_token == error.resume_token
    for name in ("code", "message", "request_id", "http_status", "endpoint_url"):
        assert getattr(copy, name, None) == getattr(error, name, None)
    if isinstance(error, ssm.ServiceError):
        assert copy.response == error.response


def test_match_statement_uses_the_field_order():
    session = full_session()
    match session:
        case Session(session_id, target, "Terminated", start_date, owner=owner):
            matched = (session_id, target, start_date, owner)
        case _:
            matched = None
    assert matched == (FULL["SessionId"], FULL["Target"], FULL["StartDate"], FULL["Owner"])
    assert (
        Session.__match_args__ == tuple(f.name for f in dataclasses.fields(ReferenceSession))[:12]
    )
    match session.output_url:
        case OutputUrl(s3, cloudwatch):
            assert (s3, cloudwatch) == tuple(FULL["OutputUrl"].values())


def test_replace_changes_only_what_is_asked():
    session = full_session(region="eu-west-1")
    ended = session.replace(status="Connected", end_date=None, reason=None)
    assert ended.status == "Connected"
    assert ended.end_date is None
    assert ended.reason is None
    assert ended.target == session.target
    assert ended.region == "eu-west-1"
    assert session.status == "Terminated"  # the original is untouched
    assert session.replace() == session
    assert session.replace(region="ap-south-1").region == "ap-south-1"
    with pytest.raises(TypeError, match="colour"):
        session.replace(colour="red")


@pytest.mark.parametrize("data", [FULL, MINIMAL, UNKNOWN], ids=["full", "minimal", "unknown"])
def test_to_dict_is_the_dict_boto3_returns(emulator, boto3_reference, data):
    emu = emulator([data])
    state = "History" if data.get("Status") == "Terminated" else "Active"
    (ours,) = emu.client().describe_sessions(state).to_list()
    (theirs,), _ = boto3_reference.listing(emu, state)
    assert ours.to_dict() == theirs
    assert list(ours.to_dict()) == list(theirs)  # the same keys in the same order
    assert Session.from_dict(theirs) == ours
    assert Session.from_dict(ours.to_dict()) == ours
    assert ours.region == emu.region
    assert ours.profile is None


def test_a_session_with_every_field_present(emulator):
    emu = emulator([FULL])
    (session,) = emu.client().describe_sessions("History").to_list()
    assert session.session_id == FULL["SessionId"]
    assert session.target == FULL["Target"]
    assert session.status == "Terminated"
    assert session.start_date == FULL["StartDate"]
    assert session.end_date == FULL["EndDate"]
    assert session.document_name == FULL["DocumentName"]
    assert session.owner == FULL["Owner"]
    assert session.reason == FULL["Reason"]
    assert session.details == FULL["Details"]
    assert session.output_url == OutputUrl(
        s3_output_url=FULL["OutputUrl"]["S3OutputUrl"],
        cloudwatch_output_url=FULL["OutputUrl"]["CloudWatchOutputUrl"],
    )
    assert session.max_session_duration == "60"
    assert session.access_type == "JustInTime"
    assert session.to_dict() == FULL


def test_a_session_with_every_optional_field_absent(emulator):
    emu = emulator([MINIMAL])
    (session,) = emu.client().describe_sessions("Active").to_list()
    assert session.session_id == "bare-1"
    for name in Session.__match_args__[1:]:
        assert getattr(session, name) is None, name
    assert session.to_dict() == MINIMAL
    assert Session().to_dict() == {}


def test_unknown_status_and_access_type_pass_through(emulator):
    emu = emulator([UNKNOWN])
    (session,) = emu.client().describe_sessions("Active", status="Hibernating").to_list()
    assert session.status == "Hibernating"
    assert session.access_type == "Delegated"


def test_an_empty_output_url_stays_an_empty_dict(emulator, boto3_reference):
    data = {**MINIMAL, "OutputUrl": {}}
    emu = emulator([data])
    (session,) = emu.client().describe_sessions("Active").to_list()
    (theirs,), _ = boto3_reference.listing(emu, "Active")
    assert theirs["OutputUrl"] == {}
    assert session.output_url == OutputUrl()
    assert session.to_dict() == theirs


def test_datetimes_are_utc_aware_with_milliseconds(emulator):
    emu = emulator([FULL])
    (session,) = emu.client().describe_sessions("History").to_list()
    for instant in (session.start_date, session.end_date):
        assert instant.tzinfo is UTC
        assert instant.utcoffset() == dt.timedelta(0)
    assert session.start_date.microsecond == 695000


def test_from_dict_rejects_what_is_not_a_session():
    with pytest.raises(ssm.InvalidParameterError, match="Colour"):
        Session.from_dict({"SessionId": "s", "Colour": "red"})
    with pytest.raises(ssm.InvalidParameterError):
        Session.from_dict([("SessionId", "s")])
    with pytest.raises(ssm.InvalidParameterError, match="start_date"):
        Session(start_date="2026-11-03")


def test_listed_sessions_equal_boto3_sessions_made_into_sessions(
    listing_emulators, boto3_reference
):
    """Equality and hash hold between what we list and what boto3 lists, for every session."""
    emu = listing_emulators[True]
    ours = emu.client().describe_sessions("History").to_list()
    theirs, _ = boto3_reference.listing(emu, "History")
    assert len(ours) == 80
    assert [Session.from_dict(d) for d in theirs] == ours
    assert {Session.from_dict(d) for d in theirs} == set(ours)
    assert all(s.region == "us-east-1" and s.profile is None for s in ours)


def test_a_datetime_with_no_utc_equivalent_is_an_invalid_parameter():
    before_year_one = dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    with pytest.raises(ssm.InvalidParameterError, match="start_date"):
        ssm.Session(session_id="s-1", start_date=before_year_one)


@pytest.mark.parametrize(
    "instant",
    [
        dt.datetime.min.replace(tzinfo=UTC),
        dt.datetime(1970, 1, 1, tzinfo=UTC),
        dt.datetime(2000, 2, 29, 23, 59, 59, 999999, tzinfo=UTC),
        dt.datetime(2026, 11, 28, 10, 34, 46, 123456, tzinfo=UTC),
        dt.datetime.max.replace(tzinfo=UTC),
    ],
)
def test_datetimes_read_back_exactly_across_their_whole_range(instant):
    session = Session(session_id="s-1", start_date=instant, end_date=instant)
    assert session.start_date == instant
    assert session.end_date.tzinfo is UTC
    assert session.end_date.timetuple() == instant.timetuple()
    assert session.end_date.microsecond == instant.microsecond
