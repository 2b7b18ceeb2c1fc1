"""The one redactor: what must never reach a snapshot or evidence — passwords, secrets,
tokens, key material, user data and credentials — wherever it appears in `raw`, in tags
and labels, in names, and in the messages of collection gaps.

The collectors never call the APIs that return such values (the read-only guards keep
allow-lists of the operations they send), so this is the second line, for values a
resource description carries anyway or an export holds:
- a field whose name says it holds a secret (password, secret, token, private key,
  connection string, user or custom data, environment…) has its value replaced — unless
  the name says it is a setting about the secret (password_enabled, SecretArn,
  PasswordLastUsed) or the value holds no data (a boolean, a number, an empty string);
- a tag or label whose key says so (password, db_password, API_TOKEN, private_key…);
- instance and project metadata items keep only the values of the settings genmei
  reads (startup scripts, SSH keys and user data live in the others);
- values of known credential formats are replaced wherever they appear in text: AWS
  access key ids (the README promises they are masked), secret access keys written
  after their name, private-key PEM blocks, GitHub and Slack tokens, JWTs, Google API
  keys, passwords in URLs and `NAME=value` pairs whose name looks secret; a string
  holding an Azure storage key or SAS signature is replaced whole.
Datetimes become ISO text and bytes are replaced, so `raw` is always JSON.
"""

import datetime
import re

REDACTED = "[REDACTED]"

# Field and tag names, lower case without separators, whose values are secret…
_SECRET_NAME = re.compile(
    r"password|passwd|passphrase|pwd$|secret|privatekey|clientkey|rawkey|rsaencryptedkey|apikey|"
    r"sessiontoken|authtoken|accesstoken|refreshtoken|idtoken|token$|^token|credential|"
    r"userdata|customdata|keymaterial|plaintext|connectionstring|accesskey|accountkey|sharedkey|"
    r"primarykey|secondarykey|sastoken|sasurl|protectedsettings|kubeconfig|^environment$|"
    r"environmentvariables|^variables$|clientcertificate|signingkey"
)
# …unless the name says it is about the secret, not the secret (evidence genmei reads).
_ABOUT_NAME = re.compile(
    r"(enabled|enable|lastused|lastuseddate|lastchanged|lastrotated|nextrotation|status|state|arn|id|ids|"
    r"active|type|types|count|date|time|timestamp|present|exists|required|length|version|policy|"
    r"source|expiration|expires|name|names|uri|url|ref)$|credentialreport|passwordauthentication"
)
# Instance and project metadata keys whose values are settings genmei reads, not content.
METADATA_SETTINGS = frozenset({
    "enable-oslogin", "enable-oslogin-2fa", "serial-port-enable", "serial-port-logging-enable",
    "block-project-ssh-keys", "enable-guest-attributes", "enable-os-inventory",
})
# AWS API envelopes and paging: not evidence.
_DROPPED = frozenset({"ResponseMetadata", "NextToken", "NextMarker", "Marker", "IsTruncated", "ContinuationToken"})

# Credential formats, replaced in place (a prefix that names the kind is kept).
_ACCESS_KEY_ID = r"\b(?P<akid>AKIA|ASIA|AROA|AIDA|AGPA|ANPA|ANVA|AIPA|APKA|ABIA|ACCA)[A-Z0-9]{12,}\b"
_IN_PLACE = re.compile("|".join((
    _ACCESS_KEY_ID,
    r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\Z)",
    r"\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{20,255})\b",
    r"\bxox[abposr]-[A-Za-z0-9-]{8,}",
    r"https://hooks\.slack\.com/services/[A-Za-z0-9/_-]+",
    r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
    r"\bAIza[0-9A-Za-z_-]{35}\b",
    r"\bsk_live_[0-9A-Za-z]{16,}",
)), re.S)
# A secret written after its name: `aws_secret_access_key = …`, `DB_PASSWORD=…`,
# `"token": "…"`; and the password of a URL (scheme://user:password@host).
_AFTER_NAME = re.compile(
    r"(?P<name>[A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|"
    r"credential)[A-Za-z0-9_.-]*)(?P<sep>[\"']?\s*=\s*[\"']?|[\"']?\s*:\s+[\"']?|[\"']\s*:\s*[\"'])(?P<value>[^\s\"',;&}]+)",
    re.I,
)
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^/\s:@]+:)(?P<value>[^@\s/]+)(?P<at>@)", re.I)
# A string holding one of these is replaced whole: Azure connection strings and SAS URLs.
_WHOLE = re.compile(r"AccountKey=|SharedAccessKey=|SharedAccessSignature|[?&]sig=", re.I)
# Cheap test before the substitutions: most strings hold none of these.
_MAYBE = re.compile(
    r"AKIA|ASIA|AROA|AIDA|AGPA|ANPA|ANVA|AIPA|APKA|ABIA|ACCA|PRIVATE KEY|gh[pousr]_|github_pat_|xox|hooks\.slack|eyJ|AIza|sk_live_|"
    r"passw|pwd|secret|token|api.?key|private.?key|access.?key|credential|://[^/\s:@]+:[^@\s/]+@|AccountKey|SharedAccess|sig=",
    re.I,
)


def secret_name(name) -> bool:
    """A field or tag name that says its value is a secret."""
    key = re.sub(r"[^a-z0-9]", "", str(name).lower())
    return bool(_SECRET_NAME.search(key)) and not _ABOUT_NAME.search(key)


def _holds_data(value) -> bool:
    """Flags and counts stay (disablePasswordAuthentication: true); data goes."""
    return isinstance(value, (str, bytes, list, dict, tuple)) and len(value) > 0


def text(value: str) -> str:
    """Free text (a name, a tag value, an error message) with credentials replaced."""
    if not value or not _MAYBE.search(value):
        return value
    if _WHOLE.search(value):
        return REDACTED
    value = _IN_PLACE.sub(lambda m: (m.group("akid") or "") + REDACTED, value)
    value = _URL_PASSWORD.sub(lambda m: m.group("head") + REDACTED + m.group("at"), value)
    return _AFTER_NAME.sub(_after_name, value)


def _after_name(m: re.Match) -> str:
    if m.group("value") == REDACTED or m.group("value").startswith(REDACTED):
        return m.group(0)
    return m.group("name") + m.group("sep") + REDACTED


def tags(values: dict | None) -> dict:
    """Tags or labels: a value under a secret-looking key is replaced, and every key and
    value is cleaned of credential formats."""
    out = {}
    for k, v in (values or {}).items():
        k, v = str(k), "" if v is None else str(v)
        out[text(k)] = REDACTED if v and secret_name(k) else text(v)
    return out


def _pair_key(item: dict):
    """The key of a {Key, Value} / {key, value} pair (AWS tags, GCP metadata items)."""
    for k, v in (("Key", "Value"), ("key", "value")):
        if k in item and v in item and len(item) <= 3:
            return k, v
    return None


def raw(value, *, _metadata: bool = False):
    """A JSON-ready copy of a provider's JSON with every secret removed."""
    if isinstance(value, dict):
        pair = _pair_key(value)
        if pair is not None:
            k, v = pair
            name = value[k]
            hide = (_metadata and not (isinstance(name, str) and name in METADATA_SETTINGS)) or secret_name(name)
            return {**{x: raw(y) for x, y in value.items() if x != v}, v: REDACTED if hide and _holds_data(value[v]) else raw(value[v])}
        out = {}
        for k, v in value.items():
            if k in _DROPPED:
                continue
            if secret_name(k) and _holds_data(v):
                out[k] = REDACTED
            elif k in ("items", "item") and _is_metadata(v):
                out[k] = [raw(i, _metadata=True) for i in v]
            else:
                out[k] = raw(v)
        return out
    if isinstance(value, (list, tuple)):
        return [raw(v) for v in value]
    if isinstance(value, str):
        return text(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return REDACTED
    return value


def _is_metadata(items) -> bool:
    """GCP instance/project metadata: a list of {key, value} items."""
    return isinstance(items, list) and bool(items) and all(isinstance(i, dict) and "key" in i for i in items)
