"""The one resource constructor: every snapshot resource, from every path, is built here.

- attrs must be declared for the type in mappings/resource-types.yaml (a normaliser that
  writes anything else is a defect, refused at once);
- an attr (or a nested field, such as tls.min_version) that is None is left out: absent
  means not collected, and the checks say NOT_EVALUATED;
- one that is UNKNOWN (known only after apply) is left out and its dotted path listed in
  the resource's `unknown`, which the checks report as "known only after apply";
- account and region are strings and zones a list of strings: a source value of another
  type (a location that is a list) is a ShapeError naming the field, which each path
  reports as bad input with the resource, never a crash further on or a snapshot the
  schema refuses;
- `raw`, tags and the name pass through the one redactor.
"""

from .definitions import declared_attrs
from .redact import raw as redact_raw, tags as redact_tags, text as redact_text
from .values import UNKNOWN, ShapeError, json_kind

NO_ZONES = object()   # the type carries no zones (left out), as opposed to None: not known
NO_RAW = object()


class UndeclaredAttr(ValueError):
    """A normaliser wrote an attr the canonical definitions do not declare (a defect)."""


def resource(type_: str, id_: str, provider: str, native_type: str, source: dict, attrs: dict, *,
             account: str | None = None, region: str | None = None, zones=NO_ZONES, name: str | None = None,
             tags: dict | None = None, raw=NO_RAW, unknown=()) -> dict:
    allowed = declared_attrs().get(type_)
    if allowed is None:
        raise UndeclaredAttr(f"{type_!r} is not a canonical type (mappings/resource-types.yaml)")
    extra = set(attrs) - allowed
    if extra:
        raise UndeclaredAttr(f"{type_} {id_}: attrs {sorted(extra)} are not declared in mappings/resource-types.yaml")
    _check_place(account, region, zones)
    unknown_paths = list(unknown)
    out = {"id": id_, "type": type_, "provider": provider, "native_type": native_type}
    if account:
        out["account"] = account
    if region:
        out["region"] = region
    if zones is UNKNOWN:
        unknown_paths.append("zones")
    elif zones is not NO_ZONES:
        out["zones"] = zones
    if name:
        out["name"] = redact_text(str(name))
    out["tags"] = redact_tags(tags)
    out["attrs"] = _settled(attrs, "attrs", unknown_paths)
    if unknown_paths:
        out["unknown"] = sorted(set(unknown_paths))
    if raw is not NO_RAW:
        out["raw"] = redact_raw(raw)
    out["source"] = source
    return out


def _check_place(account, region, zones) -> None:
    for field, value in (("account", account), ("region", region)):
        if value is not None and not isinstance(value, str):
            raise ShapeError(field, f"expected a string, got a JSON {json_kind(value)}")
    if zones is NO_ZONES or zones is UNKNOWN or zones is None:
        return
    if not isinstance(zones, list):
        raise ShapeError("zones", f"expected a list of zone names, got a JSON {json_kind(zones)}")
    for i, zone in enumerate(zones):
        if not isinstance(zone, str):
            raise ShapeError(f"zones[{i}]", f"expected a zone name, got a JSON {json_kind(zone)}")


def _settled(attrs: dict, prefix: str, unknown: list) -> dict:
    """attrs without None (not collected) and UNKNOWN values (listed in `unknown`)."""
    out = {}
    for k, v in attrs.items():
        path = f"{prefix}.{k}"
        if v is UNKNOWN:
            unknown.append(path)
        elif isinstance(v, dict) and k != "not_collected":
            nested = _settled(v, path, unknown)
            if nested or not v:
                out[k] = nested
        elif v is not None:
            out[k] = v
    return out
