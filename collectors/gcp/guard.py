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

Quota: ListAssets allows 100 requests a minute per consumer project. The Cloud Asset
client's session paces its requests to that (Pacer), and a request answered 429 (quota)
or 503 (unavailable) is sent again after the server's Retry-After, else after an
exponential back-off with jitter (1 s doubling to 32 s), for up to RETRY_BUDGET seconds —
past a whole quota window — and never past the run's deadline. The SDK's own retry does
not retry 429; this one, at the HTTP layer, covers every page of every type.
"""

import email.utils
import random
import re
import threading
import time
from collections import deque
from datetime import datetime, timezone
from urllib.parse import urlsplit

CALL_TIMEOUT = 20.0
RETRY_STATUSES = (429, 503)
RETRY_BUDGET = 150.0          # seconds of waiting for one request: two quota windows and more
BACKOFF = (1.0, 32.0)         # the first wait and the longest one
QUOTA = (100, 60.0)           # ListAssets: requests per window (seconds) per consumer project
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


class Pacer:
    """At most `limit` requests in any `window` seconds, shared by the threads of a run."""

    def __init__(self, limit: int = QUOTA[0], window: float = QUOTA[1]):
        self.limit, self.window = limit, window
        self.sent: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        with self._lock:
            now = time.monotonic()
            while self.sent and now - self.sent[0] >= self.window:
                self.sent.popleft()
            if len(self.sent) >= self.limit:
                time.sleep(self.window - (now - self.sent[0]))
                self.sent.popleft()
            self.sent.append(time.monotonic())


def retry_after(response) -> float | None:
    """The server's Retry-After, in seconds (delay-seconds or an HTTP date), if it gave one."""
    value = (response.headers.get("Retry-After") or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def guarded(client, pacer: Pacer | None = None, retry: bool = False, deadline: float | None = None):
    """The client, its HTTP session letting only ALLOWED_REQUESTS through; with `pacer`,
    no faster than the quota; with `retry`, 429 and 503 answers sent again (module doc)."""
    from genmei.engine import console

    session = client._transport._session
    send = session.request

    def request(method, url, *args, **kwargs):
        check_request(method, url)
        waited, delay = 0.0, BACKOFF[0]
        while True:
            if pacer is not None:
                pacer.acquire()
            response = send(method, url, *args, **kwargs)
            if not retry or response.status_code not in RETRY_STATUSES:
                return response
            wait = retry_after(response)
            if wait is None:
                wait, delay = delay * random.uniform(0.5, 1.0), min(delay * 2, BACKOFF[1])
            late = deadline is not None and time.monotonic() + wait > deadline
            if waited + wait > RETRY_BUDGET or late:
                return response  # the SDK raises it: a gap, saying the quota or the service refused
            console.debug(f"{urlsplit(url).path}: {response.status_code}; sending it again in {wait:.1f} s")
            response.close()
            time.sleep(wait)
            waited += wait

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
