"""What was read from Azure, as ARM JSON, before normalisation.

The live collector and the Resource Graph importer both fill an Inventory; the
normalisers read only from it. Whether something was read is explicit: a list that
failed, or a detail never fetched, is None (→ attrs null → NOT_EVALUATED), never [] (→
"there are none", which checks may judge).
"""

from collections import Counter
from dataclasses import dataclass, field

# Lower-case ARM types → canonical casing, for `native_type` (Resource Graph reports types
# in lower case; ARM in the provider's casing).
NATIVE = {
    t.lower(): t
    for t in (
        "Microsoft.Network/networkSecurityGroups",
        "Microsoft.Network/networkInterfaces",
        "Microsoft.Network/publicIPAddresses",
        "Microsoft.Network/virtualNetworks",
        "Microsoft.Network/networkWatchers",
        "Microsoft.Network/networkWatchers/flowLogs",
        "Microsoft.Compute/virtualMachines",
        "Microsoft.Compute/disks",
        "Microsoft.Storage/storageAccounts",
        "Microsoft.KeyVault/vaults",
        "Microsoft.KeyVault/vaults/keys",
        "Microsoft.ContainerService/managedClusters",
        "Microsoft.Sql/servers",
        "Microsoft.DBforPostgreSQL/flexibleServers",
        "Microsoft.DBforMySQL/flexibleServers",
        "Microsoft.Security/pricings",
        "Microsoft.Insights/diagnosticSettings",
        "Microsoft.Resources/subscriptions",
        "Microsoft.Compute/virtualMachineScaleSets",
        "Microsoft.Insights/autoscaleSettings",
        "Microsoft.Insights/metricAlerts",
        "Microsoft.Insights/actionGroups",
        "Microsoft.Network/natGateways",
        "Microsoft.Network/applicationGateways",
        "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies",
        "Microsoft.Security/assessments/subAssessments",
        "Microsoft.Compute/virtualMachines/patchAssessmentResults",
    )
}

NSG = "microsoft.network/networksecuritygroups"
NIC = "microsoft.network/networkinterfaces"
PUBLIC_IP = "microsoft.network/publicipaddresses"
VNET = "microsoft.network/virtualnetworks"
FLOW_LOG = "microsoft.network/networkwatchers/flowlogs"
VM = "microsoft.compute/virtualmachines"
DISK = "microsoft.compute/disks"
STORAGE = "microsoft.storage/storageaccounts"
VAULT = "microsoft.keyvault/vaults"
KEY = "microsoft.keyvault/vaults/keys"
AKS = "microsoft.containerservice/managedclusters"
SQL = "microsoft.sql/servers"
POSTGRES = "microsoft.dbforpostgresql/flexibleservers"
MYSQL = "microsoft.dbformysql/flexibleservers"
PRICING = "microsoft.security/pricings"
DIAGNOSTIC = "microsoft.insights/diagnosticsettings"
SUBSCRIPTION = "microsoft.resources/subscriptions"
NAT = "microsoft.network/natgateways"
# ops2 (GM-NET-005): Application Gateways as the load balancers in front of web workloads,
# and the WAF policies they name.
APP_GATEWAY = "microsoft.network/applicationgateways"
WAF_POLICY = "microsoft.network/applicationgatewaywebapplicationfirewallpolicies"
SCALE_SET = "microsoft.compute/virtualmachinescalesets"
AUTOSCALE = "microsoft.insights/autoscalesettings"
METRIC_ALERT = "microsoft.insights/metricalerts"
ACTION_GROUP = "microsoft.insights/actiongroups"
# Defender for Cloud's findings (SecurityResources) and Update Manager's patch assessments
# (PatchAssessmentResources): Resource Graph tables only.
SUBASSESSMENT = "microsoft.security/assessments/subassessments"
PATCH_ASSESSMENT = "microsoft.compute/virtualmachines/patchassessmentresults"

# Every canonical type the Azure normalisers write: what an unreadable scope hides.
CANONICAL_TYPES = ["cloud.account", "cloud.region", "compute.disk", "compute.host_management", "compute.instance",
                   "compute.instance_group", "db.instance", "k8s.cluster", "kms.key", "kms.vault", "lb.load_balancer", "monitoring.alarm",
                   "network.firewall", "network.gateway", "network.vpc", "storage.bucket", "vulnerability.report"]

# Types read only as context for others (a VM's NICs and public IPs, a VNet's flow logs).
CONTEXT = (NIC, PUBLIC_IP, FLOW_LOG, "microsoft.network/networkwatchers", AUTOSCALE, ACTION_GROUP, WAF_POLICY)


# The top-level fields of an ARM resource (and a Resource Graph row) and the JSON kinds
# each may have; the normalisers read them without further checks.
ROW_FIELDS = {"id": (str,), "type": (str,), "name": (str, type(None)), "location": (str, type(None)),
              "tags": (dict, type(None)), "zones": (list, type(None)), "properties": (dict, type(None)),
              "sku": (dict, type(None)), "kind": (str, type(None)), "resourceGroup": (str, type(None)),
              "subscriptionId": (str, type(None))}


def row_problem(row) -> str | None:
    """What is wrong with the shape of an ARM resource / Resource Graph row, or None."""
    from genmei.collectors.canonical.values import json_kind

    if not isinstance(row, dict):
        return f"is a JSON {json_kind(row)}, expected an object"
    for key, kinds in ROW_FIELDS.items():
        if key in row and not isinstance(row[key], kinds):
            return f"`{key}` is a JSON {json_kind(row[key])}"
    if isinstance(row.get("zones"), list) and not all(isinstance(z, (str, int)) and not isinstance(z, bool) for z in row["zones"]):
        return "`zones` holds something other than zone names"
    return None


def arm_type(value: str | None) -> str:
    return (value or "").lower()


def subscription_of(arm_id: str) -> str | None:
    parts = arm_id.split("/")
    if len(parts) > 2 and parts[1].lower() == "subscriptions":
        return parts[2].lower()
    return None


def resource_group_of(arm_id: str) -> str | None:
    parts = arm_id.split("/")
    for i, p in enumerate(parts[:-1]):
        if p.lower() == "resourcegroups":
            return parts[i + 1]
    return None


def parent_of(arm_id: str) -> str:
    """The id of the resource a child resource (…/servers/s/firewallRules/r) belongs to."""
    return "/".join(arm_id.split("/")[:-2])


@dataclass
class Item:
    """One ARM resource as read, and where it was read from (snapshot `source`)."""

    arm: dict
    source: dict


@dataclass
class Inventory:
    source: dict  # the `source` of resources genmei derives rather than reads (per-subscription settings)
    subscriptions: dict[str, Item] = field(default_factory=dict)  # id (lower) → ARM subscription
    items: dict[str, list[Item]] = field(default_factory=dict)  # lower-case ARM type → items
    read: set[tuple[str, str]] = field(default_factory=set)  # (subscription, type) lists that succeeded
    # lower-case parent id → {detail name: ARM JSON, or None when the read failed}
    details: dict[str, dict[str, object]] = field(default_factory=dict)
    zones: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (subscription, location) → logical zones
    zones_read: set[str] = field(default_factory=set)
    gaps: list[dict] = field(default_factory=list)
    api_calls: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    # When a live collection started (RFC 3339 UTC): ages of patch assessments are counted to
    # it. None for an import, whose rows' own times are used instead.
    observed_at: str | None = None

    def add(self, arm: dict, source: dict, as_type: str | None = None) -> None:
        """Record an item under its ARM type (or `as_type`, for APIs that omit `type`)."""
        self.items.setdefault(as_type or arm_type(arm.get("type")), []).append(Item(arm, source))

    def of(self, arm_type_: str) -> list[Item]:
        return self.items.get(arm_type_, [])

    def was_read(self, sub: str | None, arm_type_: str) -> bool:
        return (sub or "", arm_type_) in self.read

    def detail(self, arm_id: str, name: str):
        """A detail of a resource (firewall rules, configurations…); None when not read."""
        return self.details.get(arm_id.lower(), {}).get(name)

    def set_detail(self, arm_id: str, name: str, value) -> None:
        self.details.setdefault(arm_id.lower(), {})[name] = value

    def index(self, arm_type_: str) -> dict[str, dict]:
        """Items of a type keyed by lower-case id (ARM ids are case-insensitive)."""
        return {i.arm["id"].lower(): i.arm for i in self.of(arm_type_) if isinstance(i.arm.get("id"), str)}

    def all_subscriptions(self) -> list[str]:
        subs = set(self.subscriptions)
        for items in self.items.values():
            subs.update(s for i in items if (s := subscription_of(i.arm.get("id", ""))))
        return sorted(subs)
