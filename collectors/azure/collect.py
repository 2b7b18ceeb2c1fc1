"""One live collection: subscriptions → inventory (Resource Graph, or per-service lists)
→ details per resource → per-subscription settings → normalise → snapshot.

Every call is read-only (clients.ReadOnlyPolicy). A failed call is a gap and the
collection goes on; only when nothing at all could be read does it stop (exit 3).
Subscriptions are read in parallel (--max-workers); the snapshot does not depend on the
order they finish in (resources and gaps are sorted). A credential that cannot sign in
stops the run with its whole message — the hint it ends with (`az login`…) included.
"""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from genmei.engine.errors import CollectionError

from . import calls, graph
from .clients import PROBE, Clients
from .inventory import CANONICAL_TYPES, Inventory, Item
from .normalise import normalise
from .snapshot import envelope


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def resolve_subscriptions(reader: calls.Reader, clients: Clients, wanted: list[str] | None) -> list[str]:
    """`all` (every subscription the identity can see, except disabled ones) or the named
    ones; a named subscription that cannot be read is a gap over every type."""
    inv = reader.inv
    sub_client = clients.subscriptions().subscriptions
    if wanted is None:
        listed = reader.pages("subscriptions", "subscriptions.list", lambda: sub_client.list(**PROBE),
                              scope="tenant/global", resource_types=["cloud.account"])
        if listed is None:
            gap = inv.gaps.pop()
            _stop_if_signin_failed(reader)
            raise CollectionError(_unreachable(clients, gap) or f"azure: cannot list subscriptions ({gap['error_code']}: {gap['message']})")
        found = [s for s in listed if str(s.get("state", "Enabled")).lower() not in ("disabled", "deleted")]
    else:
        found = []
        for sub in wanted:
            arm = reader.one("subscriptions", "subscriptions.get", lambda: sub_client.get(sub, **PROBE),
                             scope=calls.scope_of(sub.lower()), resource_types=CANONICAL_TYPES)
            if arm is not None:
                found.append(arm)
                continue
            _stop_if_signin_failed(reader)
            if _unreachable(clients, inv.gaps[-1]):
                raise CollectionError(_unreachable(clients, inv.gaps[-1]))
    for arm in found:
        sub = str(arm.get("subscriptionId") or arm.get("id", "").rsplit("/", 1)[-1]).lower()
        inv.subscriptions[sub] = Item(arm, calls.source("subscriptions", "subscriptions.list" if wanted is None else "subscriptions.get"))
    if not inv.subscriptions:
        reason = "; ".join(f"{g['scope']}: {g['error_code']}" for g in inv.gaps) or "the identity sees no enabled subscription"
        raise CollectionError(f"azure: no subscription could be read ({reason})")
    return sorted(inv.subscriptions)


def _stop_if_signin_failed(reader: calls.Reader) -> None:
    """A credential that cannot sign in is not a gap in one subscription: the run stops,
    saying why in the credential's own words, whole (they end with what to do)."""
    exc = reader.signin_failure
    if exc is not None:
        text = " ".join(str(getattr(exc, "message", None) or exc).split())
        raise CollectionError(f"azure: cannot sign in: {text}")


def _unreachable(clients: Clients, gap: dict) -> str | None:
    """The message for a first call that failed on the connection itself (refused, no
    answer in time): said as such, not as a permission problem."""
    if gap["error_code"] not in ("ServiceRequestError", "ServiceResponseError", "ServiceRequestTimeoutError",
                                 "ServiceResponseTimeoutError"):
        return None
    return f"azure: cannot reach the Resource Manager endpoint {clients.endpoint}, nothing could be read ({gap['error_code']}: {gap['message']})"


def collect(clients: Clients, subscriptions: list[str] | None, use_graph: bool, progress, max_workers: int = 8) -> dict:
    started = now()
    inv = Inventory(source={"kind": "api", "ref": clients.endpoint}, observed_at=started)
    reader = calls.Reader(inv, clients.expired)
    subs = resolve_subscriptions(reader, clients, subscriptions)
    reader.succeeded = 0  # listing subscriptions alone is not a collection
    progress(f"azure: {len(subs)} subscription(s) via {clients.endpoint}")

    rows = None
    if use_graph:
        progress("azure: querying Resource Graph…")
        rows = graph.query(reader, clients.graph(), subs, graph.inventory_query())
    if rows is not None:
        graph.add_rows(inv, rows, lambda i: {"kind": "resource_graph", "ref": "Resources"})
        inv.read.update((sub, x) for sub in subs for x in graph.GRAPH_TYPES)

    def read_subscription(sub: str) -> None:
        progress(f"azure: reading subscription {sub}…")
        if rows is None:
            calls.read_lists(reader, clients, sub)
            calls.read_flow_logs(reader, clients, sub)
        calls.read_sql_details(reader, clients, sub)
        calls.read_flexible_details(reader, clients, sub)
        calls.read_keys(reader, clients, sub)
        calls.read_subscription_settings(reader, clients, sub)

    workers = max(1, min(max_workers, len(subs)))
    with ThreadPoolExecutor(workers, thread_name_prefix="genmei-azure") as pool:
        list(pool.map(read_subscription, subs))  # re-raises what a worker raised
    progress("azure: querying Resource Graph for vulnerability findings and patch assessments…")
    graph.read_security_tables(reader, clients.graph(), subs)
    if reader.succeeded == 0:
        _stop_if_signin_failed(reader)
        first = inv.gaps[0] if inv.gaps else None
        detail = f" (first error: {first['service']} {first['api']}: {first['error_code']}: {first['message']})" if first else ""
        raise CollectionError(f"azure: nothing could be read from {len(subs)} subscription(s){detail}")
    resources, unmodelled = normalise(inv)
    return envelope(inv, resources, unmodelled, collector_source=clients.endpoint, started=started, finished=now())

