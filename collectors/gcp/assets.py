"""The Cloud Asset Inventory calls of the GCP collector: ListAssets, read-only, one asset
type at a time (RESOURCE content), bucket IAM policies (IAM_POLICY content) and the VMs'
OS inventories (OS_INVENTORY content). One type per call so that a refusal (403 for a type, a scope, or an API not
enabled) costs only that type: it becomes a collection gap for the canonical types it
feeds, and everything else is still read.
"""

import time
from dataclasses import dataclass, field

from genmei.collectors.canonical.redact import text as redact_text

from .guard import CALL_TIMEOUT, Pacer, connection_failure, guarded
from .normalise import AUXILIARY, MODELLED
from .normalise.asset import Asset, AssetError, read_asset

RESOURCE_TYPES = [*MODELLED, *AUXILIARY]
IAM_TYPES = ["storage.googleapis.com/Bucket"]
INVENTORY_TYPES = ["compute.googleapis.com/Instance"]  # OS_INVENTORY content: VM Manager's inventory of each VM
ORIGIN = {"kind": "api", "ref": "cloudasset.ListAssets"}


@dataclass
class Failure:
    asset_type: str
    content: str
    error_code: str
    message: str


@dataclass
class Reading:
    assets: list[Asset] = field(default_factory=list)
    read_types: set = field(default_factory=set)
    iam_read: bool = False
    inventory_read: bool = False
    failures: list[Failure] = field(default_factory=list)
    calls: int = 0
    unreadable: int = 0  # assets the API returned that were not CAI assets (reported)
    unreachable: bool = False  # the connection itself failed: the rest was not attempted


def make_client(endpoint: str | None, credentials, deadline: float | None = None):
    """The Cloud Asset client, paced to the ListAssets quota, 429 and 503 sent again (guard.py)."""
    from google.api_core.client_options import ClientOptions
    from google.cloud import asset_v1

    options = ClientOptions(api_endpoint=endpoint) if endpoint else None
    return guarded(asset_v1.AssetServiceClient(credentials=credentials, transport="rest", client_options=options),
                   pacer=Pacer(), retry=True, deadline=deadline)


def read_all(client, parent: str, page_size: int, progress, deadline: float | None = None) -> Reading:
    from google.cloud import asset_v1

    call_errors = api_errors()
    reading = Reading()
    plan = [(t, asset_v1.ContentType.RESOURCE) for t in RESOURCE_TYPES]
    plan += [(t, asset_v1.ContentType.IAM_POLICY) for t in IAM_TYPES]
    plan += [(t, asset_v1.ContentType.OS_INVENTORY) for t in INVENTORY_TYPES]
    for i, (asset_type, content) in enumerate(plan):
        if deadline is not None and time.monotonic() > deadline:
            reading.failures += [Failure(t, c.name, "Timeout", "the collection's time limit (--timeout) ran out before this call")
                                 for t, c in plan[i:]]
            break
        progress(f"listing {asset_type} ({content.name}) in {parent}…")
        request = asset_v1.ListAssetsRequest(parent=parent, asset_types=[asset_type], content_type=content, page_size=page_size)
        try:
            # retry=None: 429 and 503 are sent again below the SDK (guard.py), with the quota's pacing.
            for page in client.list_assets(request=request, retry=None, timeout=CALL_TIMEOUT).pages:
                reading.calls += 1
                for asset in page.assets:
                    try:
                        reading.assets.append(read_asset(whole_numbers(asset_v1.Asset.to_dict(asset)), ORIGIN))
                    except AssetError:
                        reading.unreadable += 1
        except call_errors as e:
            reading.calls += 1
            reading.failures.append(Failure(asset_type, content.name, *describe_error(e)))
            if connection_failure(e):   # every call after it would wait the same: not attempted
                reading.unreachable = True
                reading.failures += [Failure(t, c.name, *describe_error(e)) for t, c in plan[i + 1:]]
                break
            continue
        if content == asset_v1.ContentType.RESOURCE:
            reading.read_types.add(asset_type)
        elif content == asset_v1.ContentType.OS_INVENTORY:
            reading.inventory_read = True
        else:
            reading.iam_read = True
    return reading


def whole_numbers(value):
    """resource.data is a protobuf Struct, whose numbers are doubles: 1000 comes back as
    1000.0. Integral values are turned back into integers, as the resource API sent them."""
    if isinstance(value, dict):
        return {k: whole_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [whole_numbers(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def api_errors() -> tuple:
    """What a call can fail with: an API error status (or retries of one that ran out of
    time), a credential that cannot be obtained or refreshed, or a connection that
    cannot be made."""
    import requests
    from google.api_core.exceptions import GoogleAPICallError, RetryError
    from google.auth.exceptions import GoogleAuthError

    return (GoogleAPICallError, RetryError, GoogleAuthError, requests.RequestException)


def describe_error(e: Exception) -> tuple[str, str]:
    """(error_code, message) for a gap: the API status (PERMISSION_DENIED…) and its
    message when the server gave them (not the client's "GET <url>:" wrapping), else the
    exception class (credential or connection failures)."""
    from google.api_core import exceptions as core

    if isinstance(e, core.RetryError) and isinstance(e.cause, core.GoogleAPICallError):
        code, message = describe_error(e.cause)
        return code, _one_line(f"{message} (still failing when retries ran out: {e.message})")
    if isinstance(e, core.GoogleAPICallError):
        error = {}
        response = getattr(e, "response", None)
        try:
            error = response.json().get("error", {}) if response is not None else {}
            error = error if isinstance(error, dict) else {}
        except (ValueError, AttributeError):
            error = {}
        code = getattr(e, "code", None)
        code_text = str(int(code)) if code is not None else ""
        message = error.get("message") if isinstance(error.get("message"), str) else None
        return (error.get("status") or code_text or type(e).__name__), _one_line(message or e.message or str(e))
    return type(e).__name__, _one_line(str(e))


def _one_line(text: str, limit: int = 300) -> str:
    text = redact_text(" ".join(str(text).split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"
