"""Pieces every Azure normaliser uses: the canonical resource record (built by the one
constructor of collectors/canonical), zone names, tags."""

from genmei.collectors.canonical import zones as canonical_zones
from genmei.collectors.canonical.resource import NO_ZONES, resource as canonical_resource
from genmei.collectors.canonical.values import ShapeError, json_kind

from ..inventory import NATIVE, Item, arm_type, subscription_of


def props(arm: dict) -> dict | None:
    """The ARM `properties` object; None when the source did not include it (a Resource
    Graph query that did not project `properties`), so every attr derived from it is
    reported as not collected."""
    p = arm.get("properties")
    return p if isinstance(p, dict) else None


def zone_names(location: str | None, zones) -> list[str]:
    """Azure logical zones ("1", "2") as region-qualified names ("japaneast-1"), unique
    across regions like AWS and GCP zone names."""
    return canonical_zones.azure(location, [z for z in (zones or []) if z not in (None, "")])


def location(arm: dict) -> str | None:
    """The ARM location; anything but a string is a malformed resource."""
    loc = arm.get("location")
    if loc is not None and not isinstance(loc, str):
        raise ShapeError("location", f"expected a region name, got a JSON {json_kind(loc)}")
    return loc


def tags(arm: dict) -> dict[str, str]:
    t = arm.get("tags")
    if not isinstance(t, dict):
        return {}
    return {str(k): "" if v is None else str(v) for k, v in t.items()}


def resource(item: Item, ctype: str, attrs: dict, *, zones=NO_ZONES, native_type: str | None = None,
             region: str | None = None, arm_id: str | None = None, name: str | None = None) -> dict:
    """One canonical resource. `zones` is left out unless the type carries zones; None
    there means not known."""
    arm = item.arm
    rid = arm_id or arm["id"]
    t = native_type or NATIVE.get(arm_type(arm.get("type")), arm.get("type") or "")
    label = name or arm.get("name")
    return canonical_resource(
        ctype, rid, "azure", t, item.source, attrs, account=subscription_of(rid),
        region=region or (location(arm) or "global").lower().replace(" ", ""), zones=zones,
        name=label if isinstance(label, str) and label else rid.rsplit("/", 1)[-1], tags=tags(arm), raw=arm)


def get(d, *path, default=None):
    """d[path0][path1]… or default when any step is missing or not a mapping."""
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return default
        d = d[p]
    return d


def lower(value) -> str | None:
    return value.lower() if isinstance(value, str) else None
