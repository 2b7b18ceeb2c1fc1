"""The snapshot envelope for Azure, the same for the live collector and the importer."""

from collections import Counter

from genmei.engine import __version__

from .inventory import Inventory


def merged_gaps(gaps: list[dict]) -> list[dict]:
    """One gap per (scope, service, api, error): the same call failing for several
    resources of one region is one thing the reader has to know."""
    merged: dict[tuple, dict] = {}
    for g in gaps:
        key = (g["scope"], g["service"], g["api"], g["error_code"])
        if key in merged:
            merged[key]["resource_types"] = sorted(set(merged[key]["resource_types"]) | set(g["resource_types"]))
        else:
            merged[key] = dict(g)
    return [merged[k] for k in sorted(merged)]


def envelope(inv: Inventory, resources: list[dict], unmodelled: Counter, *, collector_source: str,
             started: str, finished: str, name: str = "genmei-azure") -> dict:
    subs = inv.all_subscriptions()
    notes = list(inv.notes)
    if unmodelled:
        notes.append("not modelled (kept out of the snapshot): " + ", ".join(f"{k} ×{v}" for k, v in sorted(unmodelled.items())))
    meta = {
        "provider": "azure",
        "account": ",".join(subs) or "unknown",
        "accounts": subs,
        "regions": sorted({r["region"] for r in resources if r.get("region") and r["region"] != "global"}),
        "collector": {"name": name, "version": __version__, "source": collector_source},
        "started_at": started,
        "finished_at": finished,
        "api_calls": dict(sorted(inv.api_calls.items())),
        "gaps": merged_gaps(inv.gaps),
    }
    if notes:
        meta["description"] = "; ".join(notes)
    return {"genmei_snapshot": "1.0", "meta": meta, "resources": resources}
