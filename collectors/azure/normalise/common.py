"""Pieces every Azure normaliser uses: the canonical resource record, zone names, tags."""

from ..inventory import NATIVE, Item, arm_type, subscription_of
from ..redact import redact


def props(arm: dict) -> dict | None:
    """The ARM `properties` object; None when the source did not include it (a Resource
    Graph query that did not project `properties`), so every attr derived from it is
    reported as not collected."""
    p = arm.get("properties")
    return p if isinstance(p, dict) else None


def zone_names(location: str | None, zones) -> list[str]:
    """Azure logical zones ("1", "2") as region-qualified names ("japaneast-1"), unique
    across regions like AWS and GCP zone names."""
    loc = (location or "").lower().replace(" ", "")
    return sorted({f"{loc}-{z}" for z in (zones or []) if z not in (None, "")})


def tags(arm: dict) -> dict[str, str]:
    t = arm.get("tags")
    if not isinstance(t, dict):
        return {}
    return {str(k): "" if v is None else str(v) for k, v in t.items()}


def resource(item: Item, ctype: str, attrs: dict, *, zones=..., native_type: str | None = None,
             region: str | None = None, arm_id: str | None = None, name: str | None = None) -> dict:
    """One canonical resource. `zones` is left out unless the type carries zones; None
    there means not known."""
    arm = item.arm
    rid = arm_id or arm["id"]
    t = native_type or NATIVE.get(arm_type(arm.get("type")), arm.get("type") or "")
    out = {
        "id": rid,
        "type": ctype,
        "provider": "azure",
        "native_type": t,
        "account": subscription_of(rid) or "",
        "region": region or (arm.get("location") or "global").lower().replace(" ", ""),
        "name": name or arm.get("name") or rid.rsplit("/", 1)[-1],
        "tags": tags(arm),
        "attrs": {k: v for k, v in attrs.items() if v is not None},
        "raw": redact(arm),
        "source": item.source,
    }
    if zones is not ...:
        out["zones"] = zones
    if not out["account"]:
        del out["account"]
    return out


def get(d, *path, default=None):
    """d[path0][path1]… or default when any step is missing or not a mapping."""
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return default
        d = d[p]
    return d


def lower(value) -> str | None:
    return value.lower() if isinstance(value, str) else None
