"""Subscriptions → cloud.account (activity-log export) and cloud.region (Defender for Cloud).

cloud.account: audit_log.all_regions is true when a subscription diagnostic setting
exports the Administrative category of the activity log (or all logs) to a destination.
The activity log is subscription-wide, so one such setting covers every region.
integrity_validation is left out: Azure has no log-file validation switch to read.

cloud.region: Azure has no per-region threat-detection switch, so genmei writes one
cloud.region per subscription with region "global". threat_detection_enabled is true
when the Defender plans that watch hosts and networks (Servers: VirtualMachines) and the
control plane (Resource Manager: Arm) — the counterparts of GuardDuty — are on the
Standard tier. default_disk_encryption is true: managed disks are always encrypted at
rest (server-side encryption cannot be turned off). vulnerability_scanning_enabled is true
when Defender for Servers (VirtualMachines) is on the Standard tier: both of its plans
assess the VMs' vulnerabilities. configuration_recorder is "recording": Resource Graph
records every resource's configuration and its changes, with no switch to turn it off.
"""

from ..inventory import DIAGNOSTIC, PRICING, Inventory, Item, subscription_of
from .common import get, lower, resource
from .monitoring import alert_rules

THREAT_DETECTION_PLANS = ("VirtualMachines", "Arm")
# Defender for Servers (either plan) includes vulnerability assessment of the VMs.
VULNERABILITY_SCANNING_PLAN = "VirtualMachines"
DESTINATIONS = ("storageAccountId", "workspaceId", "eventHubAuthorizationRuleId", "eventHubName", "marketplacePartnerId")


def exports_activity_log(setting: dict) -> bool:
    p = get(setting, "properties", default={}) or {}
    if not any(p.get(d) for d in DESTINATIONS):
        return False
    return any(log.get("enabled") is True and (lower(log.get("category")) == "administrative"
                                                 or lower(log.get("categoryGroup")) in ("alllogs", "audit"))
               for log in p.get("logs") or [] if isinstance(log, dict))


def _subscription_item(sub: str, inv: Inventory) -> Item:
    """The subscription as read, or a stand-in when only its resources were seen."""
    if sub in inv.subscriptions:
        return inv.subscriptions[sub]
    return Item({"id": f"/subscriptions/{sub}", "type": "Microsoft.Resources/subscriptions", "name": sub}, inv.source)


# ops2 (GM-CAP-002): Azure's quota alerts are log search alert rules over Resource Graph's
# QuotaResources table, not metric alert rules, and genmei does not read them.
QUOTA_ALERTS_NOT_READ = ("Azure quota alerts are log search alert rules (Microsoft.Insights/scheduledQueryRules) "
                         "over quota usage, which genmei does not read")


def accounts(inv: Inventory) -> list[dict]:
    """One cloud.account and one cloud.region per subscription."""
    settings: dict[str, list[dict]] = {}
    for i in inv.of(DIAGNOSTIC):
        settings.setdefault(subscription_of(i.arm.get("id", "")) or "", []).append(i.arm)
    plans: dict[str, dict[str, str]] = {}
    plan_items: dict[str, Item] = {}
    for i in inv.of(PRICING):
        sub = subscription_of(i.arm.get("id", "")) or ""
        plans.setdefault(sub, {})[str(i.arm.get("name"))] = str(get(i.arm, "properties", "pricingTier") or "")
        plan_items.setdefault(sub, i)
    out = []
    for sub in inv.all_subscriptions():
        item = _subscription_item(sub, inv)
        attrs: dict = alert_rules(inv, sub)
        if inv.was_read(sub, DIAGNOSTIC):
            exporting = sorted(str(s.get("name")) for s in settings.get(sub, []) if exports_activity_log(s))
            attrs["audit_log"] = {"all_regions": bool(exporting), "trails": exporting}
        out.append(resource(item, "cloud.account", attrs, region="global", arm_id=f"/subscriptions/{sub}",
                            name=item.arm.get("displayName") or item.arm.get("name") or sub,
                            native_type="Microsoft.Resources/subscriptions"))
        # Resource Graph records every resource's configuration and its changes, always.
        region_attrs: dict = {"default_disk_encryption": True, "configuration_recorder": "recording",
                              "not_collected": {"quota_alarms": QUOTA_ALERTS_NOT_READ}}
        if inv.was_read(sub, PRICING):
            tiers = plans.get(sub, {})
            region_attrs["threat_detection_enabled"] = all(lower(tiers.get(p)) == "standard" for p in THREAT_DETECTION_PLANS)
            region_attrs["vulnerability_scanning_enabled"] = lower(tiers.get(VULNERABILITY_SCANNING_PLAN)) == "standard"
            region_attrs["defender_plans"] = dict(sorted(tiers.items()))
        region_item = Item({"id": f"/subscriptions/{sub}/providers/Microsoft.Security/pricings",
                            "type": "Microsoft.Security/pricings", "name": "global",
                            "properties": {"plans": plans.get(sub, {})}},
                           plan_items[sub].source if sub in plan_items else item.source)
        out.append(resource(region_item, "cloud.region", region_attrs, region="global", name="global"))
    return out

