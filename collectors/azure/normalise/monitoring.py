"""Scale sets → compute.instance_group (GM-CAP-001; the backend pools spreading their load,
GM-RES-003), metric alert rules → monitoring.alarm (GM-MON-001), and the count of alert
rules per subscription.

A scale set scales on demand when an enabled autoscale setting targets it with a profile
that has rules (a profile without rules only holds a fixed or scheduled capacity); its
limits are then the smallest minimum and largest maximum of those profiles, else its
fixed capacity. An alert rule notifies when it names an action group that is enabled and
has at least one receiver; an action group that was not read leaves the targets unknown.
"""

from genmei.collectors.canonical import node_groups

from ..inventory import ACTION_GROUP, AUTOSCALE, METRIC_ALERT, Inventory, Item, subscription_of
from .common import get, props, resource, tags, zone_names

RECEIVERS = ("emailReceivers", "smsReceivers", "webhookReceivers", "itsmReceivers", "azureAppPushReceivers",
             "automationRunbookReceivers", "voiceReceivers", "logicAppReceivers", "azureFunctionReceivers",
             "armRoleReceivers", "eventHubReceivers", "incidentReceivers")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def autoscale_index(inv: Inventory) -> dict[str, list[dict]]:
    """{lower-case target resource id: the autoscale settings targeting it}."""
    out: dict[str, list[dict]] = {}
    for i in inv.of(AUTOSCALE):
        target = get(i.arm, "properties", "targetResourceUri")
        if isinstance(target, str):
            out.setdefault(target.lower(), []).append(i.arm)
    return out


def _scaling(settings: list[dict], capacity) -> dict:
    active = [s for s in settings if get(s, "properties", "enabled") is not False]
    profiles = [p for s in active for p in get(s, "properties", "profiles", default=[]) or []
                if isinstance(p, dict) and p.get("rules")]
    if not profiles:
        return {"autoscaling": False, "scaling_policies": [], "min_size": capacity, "max_size": capacity}
    lows = [_int(get(p, "capacity", "minimum")) for p in profiles]
    highs = [_int(get(p, "capacity", "maximum")) for p in profiles]
    return {"autoscaling": True, "scaling_policies": sorted(str(s.get("name")) for s in active),
            "min_size": None if None in lows else min(lows), "max_size": None if None in highs else max(highs)}


POOLS = ("loadBalancerBackendAddressPools", "applicationGatewayBackendAddressPools")


def backend_pools(arm: dict) -> list[str] | None:
    """The load balancer and application gateway backend pools the scale set's network
    interface configurations join (GM-RES-003); None when the record holds no network
    profile (a flexible scale set without a VM profile, whose VMs join pools one by one)."""
    configs = get(arm, "properties", "virtualMachineProfile", "networkProfile", "networkInterfaceConfigurations")
    if not isinstance(configs, list):
        return None
    pools = set()
    for nic in configs:
        for ip in get(nic, "properties", "ipConfigurations", default=[]) or []:
            for kind in POOLS:
                pools |= {p["id"].lower() for p in get(ip, "properties", kind, default=[]) or []
                          if isinstance(p, dict) and isinstance(p.get("id"), str)}
    return sorted(pools)


def scale_set(item: Item, inv: Inventory, settings: dict[str, list[dict]]) -> list[dict]:
    arm = item.arm
    capacity = _int(get(arm, "sku", "capacity"))
    attrs: dict = {"desired_capacity": capacity}
    if inv.was_read(subscription_of(arm["id"]), AUTOSCALE):
        attrs.update(_scaling(settings.get(arm["id"].lower(), []), capacity))
    else:
        attrs["not_collected"] = {"autoscaling": "the subscription's autoscale settings were not read"}
    pools = backend_pools(arm)
    if node_groups.azure_kubernetes_nodes(tags(arm)):
        attrs = node_groups.defer_scaling(attrs, sizes_invented=True)
        attrs.setdefault("not_collected", {})["load_balancers"] = node_groups.NOT_JUDGED
    elif pools is None:
        attrs.setdefault("not_collected", {})["load_balancers"] = "the scale set's record holds no network profile"
    else:
        attrs["load_balancers"] = pools
    return [resource(item, "compute.instance_group", attrs, zones=zone_names(arm.get("location"), arm.get("zones")))]


def notifying_groups(inv: Inventory) -> dict[str, bool]:
    """{lower-case action group id: enabled with at least one receiver}."""
    out = {}
    for i in inv.of(ACTION_GROUP):
        p = props(i.arm) or {}
        out[i.arm["id"].lower()] = p.get("enabled") is not False and any(p.get(r) for r in RECEIVERS)
    return out


def _targets(arm: dict, inv: Inventory, groups: dict[str, bool]) -> dict:
    named = [a.get("actionGroupId") for a in get(arm, "properties", "actions", default=[]) or [] if isinstance(a, dict)]
    named = [g for g in named if isinstance(g, str)]
    for g in named:
        if g.lower() not in groups and not inv.was_read(subscription_of(g), ACTION_GROUP):
            return {"not_collected": {"notification_targets": f"the action group {g} was not read"}}
    # an action group absent from a subscription whose groups were all read was deleted: it notifies no one
    return {"notification_targets": sorted(g for g in named if groups.get(g.lower()))}


def _metric(arm: dict) -> str | None:
    names = sorted({f"{c.get('metricNamespace') or ''}/{c.get('metricName')}".lstrip("/")
                    for c in get(arm, "properties", "criteria", "allOf", default=[]) or []
                    if isinstance(c, dict) and c.get("metricName")})
    return ", ".join(names) or None


def metric_alert(item: Item, inv: Inventory, groups: dict[str, bool]) -> list[dict]:
    arm = item.arm
    enabled = get(arm, "properties", "enabled")
    attrs = {"enabled": enabled if isinstance(enabled, bool) else None, "metric": _metric(arm), **_targets(arm, inv, groups)}
    return [resource(item, "monitoring.alarm", attrs)]


def alert_rules(inv: Inventory, sub: str) -> dict:
    """{"metric_alarms": n} for cloud.account, when the subscription's alert rules were read."""
    if not inv.was_read(sub, METRIC_ALERT):
        return {}
    return {"metric_alarms": sum(1 for i in inv.of(METRIC_ALERT) if subscription_of(i.arm.get("id", "")) == sub)}


