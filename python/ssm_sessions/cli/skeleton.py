"""``--generate-cli-skeleton``: the input template, and the sample output response.

The AWS CLI fills enum members of the input template with a random choice of the enum;
here the first value is used, so the template is stable. The output sample names each
string after its member and dates it 1970-01-01 (a naive datetime, as botocore's
generator makes it).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ssm_sessions.cli.model import SESSION_MEMBERS

__all__ = ["input_skeleton", "output_skeleton"]

_EPOCH = datetime(1970, 1, 1)


def input_skeleton() -> str:
    """The ``--cli-input-json`` template, as ``aws`` prints it (with a newline)."""
    skeleton = {
        "State": "Active",
        "MaxResults": 0,
        "NextToken": "",
        "Filters": [{"key": "InvokedAfter", "value": ""}],
    }
    return json.dumps(skeleton, indent=4) + "\n"


def output_skeleton() -> dict[str, Any]:
    """The sample response ``--generate-cli-skeleton output`` formats."""
    session: dict[str, Any] = {}
    for name in SESSION_MEMBERS:
        if name in ("StartDate", "EndDate"):
            session[name] = _EPOCH
        elif name == "OutputUrl":
            session[name] = {
                "S3OutputUrl": "S3OutputUrl",
                "CloudWatchOutputUrl": "CloudWatchOutputUrl",
            }
        else:
            session[name] = name
    return {"Sessions": [session], "NextToken": "NextToken"}
