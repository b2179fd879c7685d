"""``--output yaml`` / ``yaml-stream``: AWS CLI v2's YAML, written without a YAML library.

AWS CLI v2 cannot be installed here, so these tests pin the assumptions the emitter makes
about v2's output (ruamel.yaml's safe dumper, block style):

- mapping keys are sorted; a sequence under a key is not indented (``- `` at the key's
  column); the items of a sequence of mappings continue two spaces in;
- empty mappings and sequences are written ``{}`` and ``[]``;
- strings are plain unless they would read back as another type (numbers, booleans, null,
  dates), start with an indicator, hold ``": "`` / ``" #"``, or have edge spaces: then
  single-quoted (``'`` doubled); line breaks and control characters: double-quoted;
- plain and single-quoted strings fold at a space once past column 80;
- ``yaml-stream`` prints each page as one item of a top-level sequence.
"""

from __future__ import annotations

import io

from ssm_sessions.cli.output_yaml import YamlOutput, dump_yaml


def yaml_of(value: object) -> str:
    stream = io.StringIO()
    dump_yaml(value, stream)
    return stream.getvalue()


def test_listing_layout() -> None:
    """Sorted keys, unindented sequence, nested and empty structures."""
    listing = {
        "Sessions": [
            {"Target": "i-1", "SessionId": "s-1", "OutputUrl": {}, "StartDate": 1700000000.5},
            {"SessionId": "s-2", "OutputUrl": {"S3OutputUrl": "s3://b/k"}},
        ],
        "NextToken": "abc",
    }
    assert yaml_of(listing) == (
        "NextToken: abc\n"
        "Sessions:\n"
        "- OutputUrl: {}\n"
        "  SessionId: s-1\n"
        "  StartDate: 1700000000.5\n"
        "  Target: i-1\n"
        "- OutputUrl:\n"
        "    S3OutputUrl: s3://b/k\n"
        "  SessionId: s-2\n"
    )


def test_strings_that_need_quotes() -> None:
    """Strings that would not read back as themselves are quoted."""
    assert yaml_of({"a": "60"}) == "a: '60'\n"
    assert yaml_of({"a": "true"}) == "a: 'true'\n"
    assert yaml_of({"a": ""}) == "a: ''\n"
    assert yaml_of({"a": "Investigating: disk"}) == "a: 'Investigating: disk'\n"
    assert yaml_of({"a": "it's"}) == "a: it's\n"
    assert yaml_of({"a": "'quoted'"}) == "a: '''quoted'''\n"
    assert yaml_of({"a": "line\nbreak"}) == 'a: "line\\nbreak"\n'
    assert yaml_of({"a": "Jané 日本"}) == "a: Jané 日本\n"


def test_long_plain_strings_fold_past_column_80() -> None:
    """A long string with spaces continues on indented lines."""
    text = "word " * 20 + "end"
    folded = yaml_of({"Reason": text})
    lines = folded.splitlines()
    assert len(lines) > 1 and all(line.startswith("  ") for line in lines[1:])
    assert " ".join(part.strip() for part in lines)[len("Reason: ") :] == text


def test_yaml_stream_prints_one_item_per_page() -> None:
    """Each page is a top-level sequence item, printed as it arrives."""
    stream = io.StringIO()
    pages = [{"Sessions": [{"SessionId": "s-1"}]}, {"Sessions": []}]
    YamlOutput(stream, streaming=True).paginated(iter(pages), lambda: None)
    assert stream.getvalue() == "- Sessions:\n  - SessionId: s-1\n- Sessions: []\n"
