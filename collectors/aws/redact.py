"""What must never reach a snapshot or evidence: user data, passwords, secrets, tokens and
key material, wherever they appear in an API response.

The collector never calls the APIs that return such values (DescribeInstanceAttribute
userData, Lambda GetFunctionConfiguration, …), so this is the second line: any field whose
name says it holds a secret is replaced, access key ids are masked in text, and the
response envelope (ResponseMetadata, paging tokens) is dropped. Datetimes become ISO text.
"""

import datetime
import re

REDACTED = "<redacted>"
# Field names (lower case, without separators) whose values are secret, wherever they are.
_SECRET_NAME = re.compile(
    r"password|secret|privatekey|sessiontoken|authtoken|userdata|keymaterial|plaintext|"
    r"credentials|^environment$|^variables$|^clienttoken$"
)
# …but not metadata about them (password_enabled, PasswordLastUsed, …), which is evidence.
_METADATA_NAME = re.compile(r"(enabled|lastused|lastchanged|lastrotated|nextrotation|status|arn|id)$")
_DROPPED = {"ResponseMetadata", "NextToken", "NextMarker", "Marker", "IsTruncated", "ContinuationToken"}
ACCESS_KEY_ID = re.compile(r"\b(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b")


def _secret_field(name: str) -> bool:
    key = re.sub(r"[^a-z0-9]", "", name.lower())
    return bool(_SECRET_NAME.search(key)) and not _METADATA_NAME.search(key)


def text(value: str) -> str:
    """Mask access key ids (and role/user unique ids) in free text such as error messages."""
    return ACCESS_KEY_ID.sub(lambda m: m.group(1) + "…", value)


def clean(value):
    """A JSON-ready copy of an API response with every secret removed."""
    if isinstance(value, dict):
        return {k: (REDACTED if _secret_field(k) else clean(v)) for k, v in value.items() if k not in _DROPPED}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return REDACTED
    if isinstance(value, str):
        return text(value)
    return value
