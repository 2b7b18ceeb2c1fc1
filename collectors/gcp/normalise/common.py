"""Helpers every GCP normaliser uses: names, locations, labels, and the tolerant reading
of list fields that older CAI data spells in the singular (`networkInterface`,
`accessConfig`, `sourceRange`, `item`) next to the API's plural."""

import re

from genmei.collectors.canonical.values import ShapeError, json_kind

ZONE = re.compile(r"^[a-z]+-[a-z]+\d+-[a-z]$")


def listed(d: dict | None, plural: str, singular: str | None = None) -> list:
    """A list field under its API (plural) name or the singular name of older CAI data; a
    field that holds something other than a list is malformed data (ShapeError), never
    read as absent (an unreadable sourceRanges is not "no source", which means the world)."""
    if not isinstance(d, dict):
        return []
    for key in (plural, singular):
        if key and d.get(key) is not None:
            if not isinstance(d[key], list):
                raise ShapeError(key, f"expected a list, got a JSON {json_kind(d[key])}")
            return d[key]
    return []


def names(d: dict | None, plural: str, singular: str | None = None) -> list[str]:
    """A list field of names (tags, service accounts, ranges): as listed(), and each
    element a string, else ShapeError naming the element — a tag that is a list is no
    tag, and would otherwise be written as its Python text."""
    values = listed(d, plural, singular)
    key = plural if isinstance(d, dict) and d.get(plural) is not None else singular
    for i, value in enumerate(values):
        if not isinstance(value, str):
            raise ShapeError(f"{key}[{i}]", f"expected a string, got a JSON {json_kind(value)}")
    return values


def string(d: dict | None, key: str) -> str | None:
    """A string field (a location, a region), None when absent; any other JSON type is
    malformed data (ShapeError), never turned into a place by str()."""
    value = d.get(key) if isinstance(d, dict) else None
    if value is None or isinstance(value, str):
        return value
    raise ShapeError(key, f"expected a string, got a JSON {json_kind(value)}")


def dig(d, *path, default=None):
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return default
        d = d[key]
    return default if d is None else d


def as_int(value) -> int | None:
    """Struct numbers come back as floats from the client and int64 as strings in JSON."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return int(f) if f.is_integer() else None


def segment(path: str | None, key: str) -> str | None:
    """The path segment after `key` in a resource name or URL (`zones` → us-central1-a)."""
    if not isinstance(path, str):
        return None
    parts = path.split("/")
    for i, p in enumerate(parts[:-1]):
        if p == key:
            return parts[i + 1]
    return None


def last(path: str | None) -> str | None:
    return path.rstrip("/").rsplit("/", 1)[-1] if isinstance(path, str) and path else None


def link_key(url: str | None) -> str | None:
    """A self link, a short `projects/...` path or a CAI asset name, reduced to the
    `projects/...` path so that references join with asset names."""
    if not isinstance(url, str) or not url:
        return None
    i = url.find("projects/")
    return url[i:] if i >= 0 else url


def region_of_zone(zone: str | None) -> str | None:
    return zone.rsplit("-", 1)[0] if zone and ZONE.match(zone) else None


def location_of(name: str, data: dict | None, cai_location: str | None) -> tuple[str | None, list[str] | None]:
    """(region, zones) from the asset name, its data or the CAI location: a zonal
    resource gives its zone and that zone's region; a regional one its region; global → 'global'."""
    zone = segment(name, "zones") or (last(dig(data, "zone")) if isinstance(dig(data, "zone"), str) else None)
    if zone and ZONE.match(zone):
        return region_of_zone(zone), [zone]
    region = segment(name, "regions")
    if region:
        return region, None
    loc = segment(name, "locations") or cai_location
    if loc:
        loc = loc.lower()
        if ZONE.match(loc):
            return region_of_zone(loc), [loc]
        return loc, None
    if "/global/" in name:
        return "global", None
    return None, None


def labels(data: dict | None, *path: str) -> dict:
    raw = dig(data, *(path or ("labels",)))
    if not isinstance(raw, dict):
        return {}
    return {str(k): str(v) for k, v in raw.items() if v is not None}
