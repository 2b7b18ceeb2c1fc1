"""Pieces the provider normalisers share: naming a canonical resource, port ranges written
as text, a separate rule judged alone, and TLS versions written in parameter values."""

import re

from .context import Canonical, Context
from .plan import PlannedResource
from .values import UNKNOWN


def describe(c: Canonical, res: PlannedResource, ctx: Context, name_attr: str | None = "name", tags_attr: str = "tags") -> Canonical:
    """Name (the resource's own name, else its Terraform name), region and tags."""
    name = res.get(name_attr) if name_attr else None
    c.top("name", name if isinstance(name, str) and name else res.addr.name)
    c.top("region", ctx.region(res))
    tags = res.get(tags_attr)
    if isinstance(tags, dict):
        c.top("tags", {str(k): str(v) for k, v in tags.items() if v is not None})
    return c


def port_ranges(texts) -> list | object:
    """["22", "1000-2000"] → [{from, to}]; "*" or an empty list is every port ([]);
    UNKNOWN when a port is not a number or a range."""
    ranges = []
    for text in texts:
        t = str(text).strip()
        if t in ("*", "0-65535"):
            return []
        lo, _, hi = t.partition("-")
        if not lo.isdigit() or (hi and not hi.isdigit()):
            return UNKNOWN
        ranges.append({"from": int(lo), "to": int(hi or lo)})
    return ranges


def lone_firewall(res: PlannedResource, ctx: Context, rule, group) -> list[dict]:
    """A separate rule whose group is outside the plan, judged alone as a one-rule
    firewall named by the rule's address: a world-open rule is reported, never hidden."""
    c = Canonical(res, "network.firewall").set("rules", UNKNOWN if rule is UNKNOWN else [rule])
    c.top("name", f"rule of {group}" if isinstance(group, str) else res.addr.name)
    c.top("region", ctx.region(res))
    return [c.build()]


def tls_floor(text: str) -> str | None:
    """The lowest TLS version named in a value such as "TLSv1.2,TLSv1.3"."""
    versions = re.findall(r"TLSv?(1\.[0-3])", text, re.I)
    return min(versions) if versions else None
