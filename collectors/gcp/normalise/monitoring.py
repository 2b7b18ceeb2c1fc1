"""Managed instance groups → compute.instance_group (GM-CAP-001), Cloud Monitoring alert
policies → monitoring.alarm (GM-MON-001).

A group scales on demand when an autoscaler targets it in a mode other than OFF (ON, or
ONLY_SCALE_OUT, which still adds capacity under load); its limits are the autoscaler's
minNumReplicas and maxNumReplicas, else the fixed targetSize. Without the project's
autoscalers read (an import without Autoscaler assets) whether it scales is unknown.

A group spreads its load when a backend service (global or regional) names its instance
group among its backends, or the group feeds target pools (GM-RES-003); which backend
services name it is known only when both kinds of backend service were read.

An alert policy notifies through the notification channels it names; Cloud Asset
Inventory holds no channel's verification state, so a named channel counts as a target.
"""

from genmei.collectors.canonical import node_groups

from .common import as_int, dig, last, link_key, listed

AUTOSCALER = "compute.googleapis.com/Autoscaler"
BACKEND_SERVICES = ("compute.googleapis.com/BackendService", "compute.googleapis.com/RegionBackendService")
NOT_SCALING = ("OFF",)


def autoscalers_by_target(assets) -> dict[str, object]:
    """{the target group's `projects/...` path: the autoscaler asset}."""
    return {link_key(dig(a.data, "target")): a for a in assets
            if a.asset_type == AUTOSCALER and a.data is not None and link_key(dig(a.data, "target"))}


def backends_by_group(assets) -> dict[str, list[str]]:
    """{an instance group's `projects/...` path: the backend services naming it}, built once."""
    out: dict[str, list[str]] = {}
    for a in assets:
        if a.asset_type in BACKEND_SERVICES and a.data is not None:
            for b in listed(a.data, "backends", "backend"):
                key = link_key(b.get("group")) if isinstance(b, dict) else None
                if key:
                    out.setdefault(key, []).append(a.name)
    return out


def _group_key(a, data: dict) -> str | None:
    """The managed group's instance group: its `instanceGroup` link, else the group of the
    same name and location GCP creates beside every managed group."""
    own = link_key(data.get("instanceGroup"))
    if own:
        return own
    key = link_key(a.name)
    return key.replace("/instanceGroupManagers/", "/instanceGroups/") if key else None


def load_balancers(a, data: dict, ctx) -> dict:
    if node_groups.gcp_kubernetes_nodes(data.get("baseInstanceName")):
        return {"not_collected": {"load_balancers": node_groups.NOT_JUDGED}}
    pools = sorted(str(p) for p in listed(data, "targetPools", "targetPool") if isinstance(p, str))
    services = sorted(set(ctx.backends.get(_group_key(a, data), [])))
    if pools or services or all(ctx.complete(t) for t in BACKEND_SERVICES):
        return {"load_balancers": sorted(services + pools)}
    return {"not_collected": {"load_balancers": "the project's backend services (compute.googleapis.com/BackendService, "
                                                "RegionBackendService) were not read"}}


def instance_group(a, ctx) -> dict:
    data = a.data or {}
    size = as_int(data.get("targetSize"))
    attrs: dict = {"desired_capacity": size}
    scaler = ctx.autoscalers.get(link_key(a.name))
    if scaler is not None:
        policy = dig(scaler.data, "autoscalingPolicy") or {}
        scaling = str(policy.get("mode") or "ON").upper() not in NOT_SCALING
        attrs.update({"autoscaling": scaling, "scaling_policies": [str(scaler.data.get("name") or last(scaler.name))],
                      "min_size": as_int(policy.get("minNumReplicas")) if scaling else size,
                      "max_size": as_int(policy.get("maxNumReplicas")) if scaling else size})
    elif ctx.complete(AUTOSCALER):
        attrs.update({"autoscaling": False, "scaling_policies": [], "min_size": size, "max_size": size})
    else:
        attrs["not_collected"] = {"autoscaling": "the project's autoscalers (compute.googleapis.com/Autoscaler) were not read"}
    if node_groups.gcp_kubernetes_nodes(data.get("baseInstanceName")):
        attrs = node_groups.defer_scaling(attrs, sizes_invented=True)
    spread = load_balancers(a, data, ctx)
    attrs.update({k: v for k, v in spread.items() if k != "not_collected"})
    attrs.setdefault("not_collected", {}).update(spread.get("not_collected", {}))
    if not attrs["not_collected"]:
        del attrs["not_collected"]
    zones = sorted({last(z.get("zone")) for z in listed(dig(data, "distributionPolicy"), "zones")
                    if isinstance(z, dict) and isinstance(z.get("zone"), str)})
    return {"attrs": attrs, **({"zones": zones} if zones else {})}


def _filters(data: dict) -> str | None:
    found = []
    for c in listed(data, "conditions", "condition"):
        if not isinstance(c, dict):
            continue
        for kind in ("conditionThreshold", "conditionAbsent", "conditionMonitoringQueryLanguage", "conditionPrometheusQueryLanguage"):
            body = c.get(kind)
            if isinstance(body, dict):
                found.append(str(body.get("filter") or body.get("query") or kind))
    return "; ".join(sorted(set(found))) or None


def alert_policy(a, ctx) -> dict:
    data = a.data or {}
    enabled = data.get("enabled")
    if isinstance(enabled, dict):  # the API's BoolValue wrapper, as some exports keep it
        enabled = enabled.get("value")
    channels = listed(data, "notificationChannels", "notificationChannel")
    return {"attrs": {"enabled": enabled if isinstance(enabled, bool) else None,
                      "notification_targets": sorted(str(c) for c in channels if isinstance(c, str)),
                      "metric": _filters(data)}, "region": "global"}


# ops2 (GM-CAP-002): Service Usage publishes quota usage and limits as
# serviceruntime.googleapis.com/quota/… metrics; an alert policy on one watches a quota.
QUOTA_METRIC = "serviceruntime.googleapis.com/quota/"
ALERT_POLICY = "monitoring.googleapis.com/AlertPolicy"
POLICIES_NOT_READ = "the project's alert policies (monitoring.googleapis.com/AlertPolicy) were not read"


def quota_alarms(assets, ctx) -> dict[str, list[str]]:
    """{project: names of its enabled alert policies on a quota metric that notify someone}."""
    out: dict[str, list[str]] = {}
    for a in assets:
        if a.asset_type != ALERT_POLICY or a.data is None:
            continue
        attrs = alert_policy(a, ctx)["attrs"]
        if attrs["enabled"] is True and attrs["notification_targets"] and QUOTA_METRIC in (attrs["metric"] or ""):
            out.setdefault(ctx.project_of(a), []).append(str(a.data.get("displayName") or a.name.rsplit("/", 1)[-1]))
    return {p: sorted(names) for p, names in out.items()}
