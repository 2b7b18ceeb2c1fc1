"""Managed instance groups → compute.instance_group (GM-CAP-001), Cloud Monitoring alert
policies → monitoring.alarm (GM-MON-001).

A group scales on demand when an autoscaler targets it in a mode other than OFF (ON, or
ONLY_SCALE_OUT, which still adds capacity under load); its limits are the autoscaler's
minNumReplicas and maxNumReplicas, else the fixed targetSize. Without the project's
autoscalers read (an import without Autoscaler assets) whether it scales is unknown.

An alert policy notifies through the notification channels it names; Cloud Asset
Inventory holds no channel's verification state, so a named channel counts as a target.
"""

from .common import as_int, dig, last, link_key, listed

AUTOSCALER = "compute.googleapis.com/Autoscaler"
NOT_SCALING = ("OFF",)


def autoscalers_by_target(assets) -> dict[str, object]:
    """{the target group's `projects/...` path: the autoscaler asset}."""
    return {link_key(dig(a.data, "target")): a for a in assets
            if a.asset_type == AUTOSCALER and a.data is not None and link_key(dig(a.data, "target"))}


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
