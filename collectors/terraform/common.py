"""Pieces the provider normalisers share: naming a canonical resource, blocks written in
the configuration, and a separate rule judged alone."""

from .context import Canonical, Context
from .plan import PlannedResource
from .values import UNKNOWN, Planned


def describe(c: Canonical, res: PlannedResource, ctx: Context, name_attr: str | None = "name", tags_attr: str = "tags") -> Canonical:
    """Name (the resource's own name, else its Terraform name), region and tags."""
    name = res.get(name_attr) if name_attr else None
    c.top("name", name if isinstance(name, str) and name else res.addr.name)
    c.top("region", ctx.region(res))
    tags = res.get(tags_attr)
    if isinstance(tags, dict):
        c.top("tags", {str(k): str(v) for k, v in tags.items() if v is not None})
    return c


def written_blocks(res: PlannedResource, attr: str):
    """The blocks of `attr` as the configuration writes them, for an attr whose planned
    value is known only after apply (a computed attribute such as a security group's
    ingress): [] when the configuration writes none on a resource being created (only the
    platform's default will apply), the written blocks when every value in them is a
    constant, UNKNOWN otherwise (values known only after apply, or no configuration)."""
    if res.config is None:
        return UNKNOWN
    written = res.expression(attr)
    if not written:
        return [] if res.creating else UNKNOWN
    if isinstance(written, dict):   # attribute syntax, or blocks of a set attribute
        constant = written.get("constant_value")
        if isinstance(constant, list) and all(isinstance(b, dict) for b in constant):
            return [Planned(b) for b in constant]
        return UNKNOWN
    if isinstance(written, list):   # nested blocks: one expression object per block
        blocks = []
        for block in written:
            if not isinstance(block, dict):
                return UNKNOWN
            values = {}
            for k, expr in block.items():
                if not isinstance(expr, dict) or "constant_value" not in expr:
                    return UNKNOWN
                values[k] = expr["constant_value"]
            blocks.append(Planned(values))
        return blocks
    return UNKNOWN


def planned_or_written(res: PlannedResource, attr: str):
    """The blocks of `attr` as planned, or as the configuration writes them when the planned
    ones are known only after apply (written_blocks); UNKNOWN when neither tells."""
    items = res.planned[attr].items()
    return written_blocks(res, attr) if items is UNKNOWN else items


def firewall_rules(res: PlannedResource, ctx: Context, kind: str, inline: list, build) -> list | object:
    """Every rule of a firewall: its inline rules (lists of rules or UNKNOWN, one per block
    attribute) and those of the separate `kind` resources attached to it (built by
    `build`); UNKNOWN when any is known only after apply or an attachment is uncertain —
    a firewall is never judged on part of its rules."""
    parts = [*inline, [build(r) for r in ctx.attached(res.address, kind)]]
    if ctx.uncertain(res.address, kind) or any(p is UNKNOWN for p in parts):
        return UNKNOWN
    rules = [r for p in parts for r in p]
    return UNKNOWN if any(r is UNKNOWN for r in rules) else rules


def lone_firewall(res: PlannedResource, ctx: Context, rule, group, ordered: bool = False) -> list[dict]:
    """A separate rule whose firewall is outside the plan, as a one-rule firewall named by
    the rule's address. A security group has no deny rule, so its rule is judged alone: a
    world-open rule is reported, never hidden. Where rules are ordered and may deny
    (`ordered`: network ACLs, NSGs), what the firewall's other rules do is not shown, so
    the rules are not collected and the checks say why."""
    c = Canonical(res, "network.firewall")
    if ordered and rule is not UNKNOWN:
        where = f"the firewall {group}" if isinstance(group, str) else "its firewall"
        c.set("not_collected", {"rules": f"{where} is outside the plan: its other rules, which may deny first, are not shown"})
    else:
        c.set("rules", UNKNOWN if rule is UNKNOWN else [rule])
    c.top("name", f"rule of {group}" if isinstance(group, str) else res.addr.name)
    c.top("region", ctx.region(res))
    return [c.build()]


# Backups are taken after apply: a plan never shows them (GM-BAK-002 NOT_EVALUATED, saying so).
NO_BACKUPS_IN_PLANS = "a plan does not show the backups (snapshots) taken of a disk"


def backups_not_in_plan(c: Canonical) -> Canonical:
    return c.set("not_collected.backup_count", NO_BACKUPS_IN_PLANS)
