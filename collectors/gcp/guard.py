"""What the GCP collector may send, and how long it may wait.

The read-only guard: the three REST calls genmei makes — Cloud Asset Inventory ListAssets
(GET /v1/{projects|folders|organizations}/ID/assets), Security Center Management
ListSecurityCenterServices (GET /v1/projects/P/locations/L/securityCenterServices) and OS
Config ListVulnerabilityReports (GET /v1/projects/P/locations/ZONE/instances/-/
vulnerabilityReports) — are the only requests the clients' HTTP sessions may send; any other RPC (an export that
writes to Cloud Storage, a search, an IAM analysis) is refused before it is sent.

Bounds: every call has a timeout (an endpoint that accepts and never answers costs
CALL_TIMEOUT per attempt), the first failure of the connection itself (refused, reset, no
answer) ends the reading of that endpoint — every call after it would wait the same — and
the run's deadline (--timeout) stops starting calls; what is not read is a gap.
"""

import re
from urllib.parse import urlsplit

CALL_TIMEOUT = 20.0
ALLOWED_REQUESTS = (
    ("GET", re.compile(r"^/v1/(projects|folders|organizations)/[^/]+/assets$")),
    ("GET", re.compile(r"^/v1/projects/[^/]+/locations/[^/]+/securityCenterServices$")),
    ("GET", re.compile(r"^/v1/projects/[^/]+/locations/[^/]+/instances/[^/]+/vulnerabilityReports$")),
)


class ReadOnlyViolation(RuntimeError):
    """A request genmei does not make was about to be sent (and was not)."""


def check_request(method: str, url: str) -> None:
    path = urlsplit(url).path
    if not any(method.upper() == m and r.match(path) for m, r in ALLOWED_REQUESTS):
        raise ReadOnlyViolation(f"genmei is read-only: refused {method.upper()} {path}")


def guarded(client):
    """The client, its HTTP session letting only ALLOWED_REQUESTS through."""
    session = client._transport._session
    send = session.request

    def request(method, url, *args, **kwargs):
        check_request(method, url)
        return send(method, url, *args, **kwargs)

    session.request = request
    return client


def connection_failure(exc: Exception) -> bool:
    """A failure of the connection itself (refused, reset, timed out), directly or as the
    cause of retries that ran out."""
    import requests
    from google.api_core.exceptions import RetryError

    if isinstance(exc, RetryError) and exc.cause is not None:
        exc = exc.cause
    return isinstance(exc, (requests.ConnectionError, requests.Timeout))
