"""The snapshot envelope around normalised GCP resources, the same for a live
collection and an import."""

from datetime import datetime, timezone

from genmei.engine import __version__

from .normalise import ALSO_FEEDS, AUXILIARY, MODELLED, Normalised


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def canonical_types(asset_types) -> list[str]:
    """The canonical types whose checks lose data when these asset types are missing."""
    out = set()
    for t in asset_types:
        if t in MODELLED:
            out.add(MODELLED[t][0])
        out.update(AUXILIARY.get(t, ()))
        out.update(ALSO_FEEDS.get(t, ()))
    return sorted(out)


def snapshot(norm: Normalised, *, account: str, collector: str, source: str, started: str,
             gaps: list[dict], api_calls: dict | None = None, description: str | None = None) -> dict:
    meta = {
        "provider": "gcp",
        "account": account,
        "accounts": sorted(norm.projects),
        "regions": sorted(norm.regions),
        "collector": {"name": collector, "version": __version__, "source": source},
        "started_at": started,
        "finished_at": now(),
        "api_calls": api_calls or {},
        "gaps": gaps,
    }
    if description:
        meta["description"] = description
    return {"genmei_snapshot": "1.0", "meta": meta, "resources": norm.resources}
