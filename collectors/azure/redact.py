"""Strip secrets from provider JSON before it is kept as a resource's `raw` evidence.

ARM GET responses rarely carry secrets, but some do (a VM read with userData, a
cluster's service-principal secret, connection strings of linked services), and an
offline export may hold anything. Keys whose names say they hold a secret are replaced
whole; string values that look like storage keys or SAS tokens are replaced wherever
they appear.
"""

import re

REDACTED = "[REDACTED]"

# Matched against the key with case and separators ignored.
_SECRET_KEY = re.compile(
    r"password|passwd|secret|userdata|customdata|connectionstring|accesskey|accountkey|sharedkey"
    r"|primarykey|secondarykey|privatekey|sastoken|sasurl|protectedsettings|kubeconfig"
    r"|environmentvariables|clientcertificate|credentials?$|token$"
)
_SECRET_VALUE = re.compile(r"AccountKey=|SharedAccessKey=|SharedAccessSignature|[?&]sig=|-----BEGIN [A-Z ]*PRIVATE KEY", re.I)


def secret_key(name: str) -> bool:
    return bool(_SECRET_KEY.search(re.sub(r"[^a-z0-9]", "", name.lower())))


def _holds_data(v) -> bool:
    """Flags such as disablePasswordAuthentication stay: they are settings, not secrets."""
    return isinstance(v, (str, list, dict)) and len(v) > 0


def redact(value):
    """A copy of `value` with secret-bearing keys and secret-looking strings replaced."""
    if isinstance(value, dict):
        return {k: (REDACTED if secret_key(str(k)) and _holds_data(v) else redact(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    if isinstance(value, str) and _SECRET_VALUE.search(value):
        return REDACTED
    return value
