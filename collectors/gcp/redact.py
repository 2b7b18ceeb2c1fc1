"""Secrets never reach a snapshot: the `raw` JSON kept for humans is copied through here.

Fields whose names say they hold a secret (passwords, private and client keys,
customer-supplied disk keys, tokens) are replaced, and instance/project metadata keeps
only the values of the settings genmei reads: metadata values are where startup
scripts, SSH keys and user data live.
"""

import re

REDACTED = "[redacted]"
SECRET_KEY = re.compile(r"password|secret|private_?key|client_?key|raw_?key|rsa_?encrypted_?key|token|credential", re.I)
# Metadata keys whose values are settings, not content.
METADATA_SETTINGS = frozenset({
    "enable-oslogin", "enable-oslogin-2fa", "serial-port-enable", "serial-port-logging-enable",
    "block-project-ssh-keys", "enable-guest-attributes", "enable-os-inventory",
})


def redact(value):
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if SECRET_KEY.search(str(k)) and v not in (None, "", [], {}):
                out[k] = REDACTED
            elif k in ("items", "item") and isinstance(v, list) and _looks_like_metadata(v):
                out[k] = [_metadata_item(i) for i in v]
            else:
                out[k] = redact(v)
        return out
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def _looks_like_metadata(items: list) -> bool:
    return all(isinstance(i, dict) and "key" in i for i in items) and bool(items)


def _metadata_item(item: dict) -> dict:
    key = item.get("key")
    if key in METADATA_SETTINGS:
        return {"key": key, "value": item.get("value")}
    return {"key": key, "value": REDACTED}
