"""VPC firewall rules and networks.

A GCP firewall resource is one rule: a direction, a priority, a source (or destination)
filter, targets, and either `allowed` or `denied` protocol/port entries. Each entry
becomes one canonical rule carrying the resource's direction, priority and peers. A
disabled firewall admits nothing, so its effective rule list is empty (`disabled` says
why). An ingress rule with no source range, source tag or source service account
applies to 0.0.0.0/0: the Compute API fills that default in on creation, and it is
read that way here when an older record omits it. Sources for tags and service
accounts are kept as `tag:NAME` and `serviceAccount:EMAIL` (never a world source).

A VPC network is global on GCP: its subnets are regional and span every zone of their
region, so `zones` is left absent rather than invented. Flow logs are set per subnet;
the network records flow logs when every subnet that carries VM traffic has them on
(proxy-only subnets cannot log flows and are left out). A network whose subnets were not
all read gets `flow_logs_enabled: null` (not collected). An export may hold subnetworks of
a network it does not hold: the network is built from them (`network_of_subnets`), so that
nothing read is dropped — it fails for a subnet without flow logs, and is otherwise not
evaluated, since its other subnets may not have been exported either.
"""

from genmei.collectors.canonical import firewall as canonical_firewall
from genmei.collectors.canonical.values import ShapeError

from .common import as_int, dig, link_key, listed, names

PROXY_ONLY_PURPOSES = {"REGIONAL_MANAGED_PROXY", "GLOBAL_MANAGED_PROXY", "INTERNAL_HTTPS_LOAD_BALANCER", "PRIVATE_SERVICE_CONNECT"}


def firewall(a, ctx) -> dict:
    data = a.data
    if data is None:
        return {"attrs": {}}
    disabled = data.get("disabled") is True
    rules = firewall_rules(data)
    attrs = {
        "rules": [] if disabled and rules is not None else rules,
        "disabled": disabled,
        "network": link_key(data.get("network")),
        "target_tags": names(data, "targetTags", "targetTag"),
        "target_service_accounts": names(data, "targetServiceAccounts", "targetServiceAccount"),
        "logging": dig(data, "logConfig", "enable") is True,
    }
    return {"attrs": attrs, "region": "global"}


def firewall_rules(data: dict) -> list | None:
    """The canonical rules of one firewall resource, or None when an entry cannot be
    read (the check then says the rules were not collected rather than guessing)."""
    direction = str(data.get("direction") or "INGRESS").lower()
    if direction not in ("ingress", "egress"):
        return None
    priority = as_int(data.get("priority"))
    priority = 1000 if data.get("priority") is None else priority
    if priority is None:
        return None
    peers = _peers(data, direction)
    rules = []
    for action, key in (("allow", "allowed"), ("deny", "denied")):
        for entry in listed(data, key):
            protocol = entry.get("IPProtocol") or entry.get("ipProtocol") if isinstance(entry, dict) else None
            if not isinstance(protocol, str) or not protocol:
                return None
            try:
                ranges = canonical_firewall.port_specs(listed(entry, "ports", "port"))
                rules.append(canonical_firewall.rule(direction, action, protocol, ranges or None, peers, priority))
            except ShapeError:
                return None
    return rules


def _peers(data: dict, direction: str) -> list[str]:
    if direction == "egress":
        # For egress the peers are the destinations; none given means every address.
        return list(names(data, "destinationRanges", "destinationRange")) or ["0.0.0.0/0"]
    peers = list(names(data, "sourceRanges", "sourceRange"))
    peers += [f"tag:{t}" for t in names(data, "sourceTags", "sourceTag")]
    peers += [f"serviceAccount:{s}" for s in names(data, "sourceServiceAccounts", "sourceServiceAccount")]
    return peers or ["0.0.0.0/0"]


def network(a, ctx) -> dict:
    data = a.data
    if data is None:
        return {"attrs": {}}
    key = link_key(a.name)
    subnets = ctx.subnets_by_network.get(key, [])
    listed_links = {link_key(s) for s in listed(data, "subnetworks", "subnetwork")}
    known = {link_key(s.name) for s in subnets}
    complete = ctx.complete("compute.googleapis.com/Subnetwork") and listed_links <= known
    attrs = {
        "subnets": sorted(f"//compute.googleapis.com/{k}" for k in known | listed_links),
        "flow_logs_enabled": _flow_logs(subnets) if complete else None,
        "peerings": sorted(link_key(p.get("network")) for p in listed(data, "peerings", "peering")
                           if isinstance(p, dict) and p.get("network")),
        "mode": "legacy" if data.get("IPv4Range") else ("auto" if data.get("autoCreateSubnetworks") else "custom"),
        "subnets_without_flow_logs": _unlogged(subnets),
    }
    if data.get("IPv4Range"):
        attrs["cidr"] = data["IPv4Range"]
    return {"attrs": attrs, "region": "global"}


NETWORK_NOT_EXPORTED = ("the network itself is not in the export, only {n} of its subnetworks, all logging flows: "
                        "whether its other subnetworks do is not known")


def network_of_subnets(a, ctx) -> dict:
    """A network known only by its subnetworks (`a` stands for it, with no data): a subnet
    carrying VM traffic without flow logs shows the network unlogged; all of them logging
    shows nothing about subnets that were not exported."""
    subnets = ctx.subnets_by_network.get(link_key(a.name), [])
    unlogged = _unlogged(subnets)
    attrs = {"subnets": sorted(f"//compute.googleapis.com/{link_key(s.name)}" for s in subnets),
             "subnets_without_flow_logs": unlogged}
    if unlogged:
        attrs["flow_logs_enabled"] = False
    else:
        attrs["not_collected"] = {"flow_logs_enabled": NETWORK_NOT_EXPORTED.format(n=len(subnets))}
    return {"attrs": attrs, "region": "global"}


def _unlogged(subnets) -> list[str]:
    """The subnets that carry VM traffic and log no flows."""
    return sorted(s.name for s in subnets if _carries_vm_traffic(s) and not subnet_flow_logs(s.data))


def _carries_vm_traffic(subnet) -> bool:
    return (dig(subnet.data, "purpose") or "PRIVATE") not in PROXY_ONLY_PURPOSES


def _flow_logs(subnets) -> bool:
    """Every VM subnet logs flows; a network with no such subnet carries no VM traffic,
    so there is nothing unlogged (documented in the module docstring)."""
    return all(subnet_flow_logs(s.data) for s in subnets if _carries_vm_traffic(s))


def subnet_flow_logs(data: dict | None) -> bool:
    """logConfig.enable is the current field; enableFlowLogs the older one. Off by default."""
    enable = dig(data, "logConfig", "enable")
    if isinstance(enable, bool):
        return enable
    return dig(data, "enableFlowLogs") is True


def subnet_network_key(subnet) -> str | None:
    return link_key(dig(subnet.data, "network"))

