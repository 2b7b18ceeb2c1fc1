"""NSGs → network.firewall, VNets → network.vpc.

NSG rules keep Azure's order (priority, lower first) and service tags as sources:
'Internet', '*' and 'Any' are world sources to the checks (policies/params.yaml
world_sources), exactly like 0.0.0.0/0 on AWS. The platform's default rules
(AllowVnetInBound, DenyAllInBound, …) are included: they are part of what the NSG does.
"""

from genmei.collectors.canonical import firewall as canonical_firewall
from genmei.collectors.canonical.values import ShapeError

from ..inventory import FLOW_LOG, NAT, WAF_POLICY, Inventory, Item, subscription_of
from .common import get, location, lower, props, resource, zone_names


def port_ranges(rule: dict) -> list[tuple[int, int]] | None:
    """destinationPortRange(s) → [(from, to)]; None means every port ("*" or none given)."""
    specs = [rule.get("destinationPortRange"), *(rule.get("destinationPortRanges") or [])]
    specs = [s if isinstance(s, (int, float)) else str(s).strip() for s in specs if s not in (None, "")]
    if not specs:
        return None
    return canonical_firewall.port_specs(specs)


def sources(rule: dict) -> list[str]:
    out = [rule.get("sourceAddressPrefix"), *(rule.get("sourceAddressPrefixes") or [])]
    out += [g.get("id") for g in rule.get("sourceApplicationSecurityGroups") or [] if isinstance(g, dict)]
    return [str(s) for s in out if s not in (None, "")]


def nsg_rule(raw: dict) -> dict | None:
    """One rule through the canonical builder; None when it cannot be understood."""
    p = raw.get("properties") if isinstance(raw.get("properties"), dict) else raw
    if not isinstance(p.get("priority"), int):
        return None
    try:
        return canonical_firewall.rule(p.get("direction"), p.get("access"), p.get("protocol"), port_ranges(p),
                                       sources(p), p.get("priority"))
    except ShapeError:
        return None


def nsg_rules(arm: dict) -> list[dict] | None:
    """Every rule of the NSG, or None when the rules were not read or one cannot be
    understood (a check must not judge an NSG on some of its rules)."""
    p = props(arm)
    if p is None or "securityRules" not in p and "defaultSecurityRules" not in p:
        return None
    rules = [nsg_rule(r) for r in (p.get("securityRules") or []) + (p.get("defaultSecurityRules") or [])
             if isinstance(r, dict)]
    if any(r is None for r in rules):
        return None
    return sorted(rules, key=lambda r: (r["direction"], r["priority"]))


def firewall(item: Item, inv: Inventory) -> list[dict]:
    return [resource(item, "network.firewall", {"rules": nsg_rules(item.arm)})]


def flow_log_targets(inv: Inventory) -> set[str]:
    """Lower-case ids (VNets, subnets, NSGs, NICs) that an enabled flow log records."""
    return {lower(get(i.arm, "properties", "targetResourceId")) for i in inv.of(FLOW_LOG)
            if get(i.arm, "properties", "enabled") is True and get(i.arm, "properties", "targetResourceId")}


def vnet_flow_logs(arm: dict, subnets: list[dict], targets: set[str]) -> bool:
    """A VNet is recorded when a flow log covers the VNet, or covers every subnet (directly
    or through the NSG on the subnet)."""
    if arm["id"].lower() in targets:
        return True
    if not subnets:
        return False
    return all(s.get("id", "").lower() in targets
               or (lower(get(s, "properties", "networkSecurityGroup", "id")) or "") in targets for s in subnets)


def vpc(item: Item, inv: Inventory, targets: set[str]) -> list[dict]:
    arm = item.arm
    p = props(arm)
    sub = subscription_of(arm["id"])
    location = (arm.get("location") or "").lower()
    attrs: dict = {}
    if p is not None:
        subnets = [s for s in p.get("subnets") or [] if isinstance(s, dict)]
        prefixes = get(p, "addressSpace", "addressPrefixes") or []
        attrs = {
            "cidr": prefixes[0] if prefixes else None,
            "subnets": [s.get("id") for s in subnets if s.get("id")],
            "peerings": [get(x, "properties", "remoteVirtualNetwork", "id") for x in p.get("virtualNetworkPeerings") or []
                         if get(x, "properties", "remoteVirtualNetwork", "id")],
        }
        if inv.was_read(sub, FLOW_LOG):
            attrs["flow_logs_enabled"] = vnet_flow_logs(arm, subnets, targets)
    # Azure subnets are regional: a VNet spans every zone of its region.
    zones = None
    if sub in inv.zones_read:
        zones = zone_names(location, inv.zones.get((sub, location), []))
    return [resource(item, "network.vpc", attrs, zones=zones)]


# A NAT gateway deployed with no zone: Azure places it in one zone of its choosing.
AZURE_CHOSEN_ZONE = "zone chosen by Azure"


def nat_zones(arm: dict) -> list[str]:
    zones = zone_names(arm.get("location"), arm.get("zones"))
    return zones or [f"{lower(arm.get('location')) or 'region'}: {AZURE_CHOSEN_ZONE}"]


def nat_networks(inv: Inventory) -> dict[str, list[str]]:
    """VNet id (lower case) → the zones of every NAT gateway attached to its subnets."""
    out: dict[str, list[str]] = {}
    for item in inv.of(NAT):
        for vnet in _nat_vnets(item.arm):
            out.setdefault(vnet, []).extend(nat_zones(item.arm))
    return out


def _nat_vnets(arm: dict) -> set[str]:
    return {str(s.get("id")).lower().split("/subnets/")[0] for s in get(arm, "properties", "subnets", default=[]) or []
            if isinstance(s, dict) and "/subnets/" in str(s.get("id")).lower()}


def nat_gateway(item: Item, inv: Inventory, networks: dict[str, list[str]]) -> list[dict]:
    """network.gateway (kind nat): zonal in the zone it names (one chosen by Azure when it
    names none — a NAT gateway is never zone-redundant); network_zones are the zones of
    every NAT gateway serving subnets of the same virtual network (its own when it serves
    none)."""
    vnets = sorted(_nat_vnets(item.arm))
    peers = [z for v in vnets for z in networks.get(v, [])] or nat_zones(item.arm)
    return [resource(item, "network.gateway", {"kind": "nat", "network": vnets[0] if len(vnets) == 1 else None,
                                                "network_zones": sorted(set(peers))}, zones=nat_zones(item.arm))]


# --- ops2 (GM-NET-005): Application Gateways and their web application firewall ----------

WAF_TIERS = ("waf", "waf_v2")


def app_gateway_scheme(p: dict) -> str | None:
    """internet-facing when a frontend IP configuration has a public IP address, internal
    when every one is private; None when the frontends were not read."""
    frontends = p.get("frontendIPConfigurations")
    if not isinstance(frontends, list) or not frontends:
        return None
    if any(get(f, "properties", "publicIPAddress", "id") for f in frontends):
        return "internet-facing"
    return "internal"


def app_gateway_waf(item: Item, p: dict, inv: Inventory, policies: dict[str, dict]) -> dict:
    """{waf} of an Application Gateway, or why it is unknown. Only the WAF tiers run a web
    application firewall; an associated WAF policy decides by its state (and overrides the
    gateway's own WAF configuration), else the gateway's configuration does."""
    tier = lower(get(p, "sku", "tier"))
    if not tier:
        return {"not_collected": {"waf": "the gateway's SKU tier was not reported"}}
    if tier not in WAF_TIERS:
        return {"waf": False}
    policy_id = lower(get(p, "firewallPolicy", "id"))
    if policy_id:
        if not inv.was_read(subscription_of(item.arm["id"]), WAF_POLICY):
            return {"not_collected": {"waf": "the gateway's WAF policy was not read (ApplicationGatewayWebApplicationFirewallPolicies)"}}
        state = lower(get(policies.get(policy_id), "properties", "policySettings", "state"))
        if state not in ("enabled", "disabled"):
            return {"not_collected": {"waf": f"the state of the WAF policy {policy_id} was not reported"}}
        return {"waf": state == "enabled", "web_acl": get(p, "firewallPolicy", "id")}
    enabled = get(p, "webApplicationFirewallConfiguration", "enabled")
    return {"waf": enabled} if isinstance(enabled, bool) else {"waf": False}


def application_gateway(item: Item, inv: Inventory, policies: dict[str, dict]) -> list[dict]:
    """lb.load_balancer: an Application Gateway (Azure's layer-7 load balancer), its scheme,
    its WAF and its zones (none named: not known, since Azure may place a v2 gateway in
    several zones without naming them)."""
    p = props(item.arm) or {}
    zones = item.arm.get("zones")
    attrs = {"scheme": app_gateway_scheme(p), **app_gateway_waf(item, p, inv, policies)}
    return [resource(item, "lb.load_balancer", attrs, zones=zone_names(location(item.arm), zones) if zones else None)]
