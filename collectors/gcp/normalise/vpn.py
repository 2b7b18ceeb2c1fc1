"""VPN gateways → network.vpn (GM-VPN-001).

An HA VPN gateway (compute.googleapis.com/VpnGateway) has two interfaces, each its own
external address; it offers an alternative path when a tunnel is ESTABLISHED on each
(its tunnels are compute.googleapis.com/VpnTunnel assets naming the gateway and the
interface). A Classic VPN gateway (TargetVpnGateway) has one interface: whatever its
tunnels, a single gateway endpoint (up when one of its tunnels is ESTABLISHED). Tunnels
not read leave the state not collected.

other_links: the project's other hybrid links up — the other VPN gateways with a tunnel
ESTABLISHED, and the Interconnect attachments (compute.googleapis.com/InterconnectAttachment)
not unprovisioned — any of which may be this one's alternative path; not collected when
the tunnels or the attachments were not read."""

from .common import as_int, dig, link_key

TUNNEL = "compute.googleapis.com/VpnTunnel"
ATTACHMENT = "compute.googleapis.com/InterconnectAttachment"
UP = "ESTABLISHED"
GONE_ATTACHMENT = ("UNPROVISIONED", "DEFUNCT")
LINKS_UNREAD = ("the project's VPN tunnels (compute.googleapis.com/VpnTunnel) or Interconnect attachments "
                "(compute.googleapis.com/InterconnectAttachment) were not read")


def _project(key: str | None) -> str | None:
    parts = (key or "").split("/")
    return parts[1] if len(parts) > 1 and parts[0] == "projects" else None


class Links:
    """Tunnels by gateway and hybrid links by project, indexed once over the asset set."""

    def __init__(self, assets):
        self.tunnels: dict[str, list[tuple]] = {}     # gateway `projects/...` path → [(interface, status)]
        self.attachments: dict[str, int] = {}         # project → Interconnect attachments not unprovisioned
        for a in assets:
            if a.data is None:
                continue
            if a.asset_type == TUNNEL:
                key = link_key(dig(a.data, "vpnGateway")) or link_key(dig(a.data, "targetVpnGateway"))
                if key:
                    self.tunnels.setdefault(key, []).append((as_int(dig(a.data, "vpnGatewayInterface")), dig(a.data, "status")))
            elif a.asset_type == ATTACHMENT and dig(a.data, "state") not in GONE_ATTACHMENT:
                project = _project(link_key(a.name))
                self.attachments[project] = self.attachments.get(project, 0) + 1
        self.up_by_project: dict[str, set] = {}       # project → gateways with a tunnel ESTABLISHED
        for key, tunnels in self.tunnels.items():
            if any(status == UP for _, status in tunnels):
                self.up_by_project.setdefault(_project(key), set()).add(key)

    def others(self, gateway_key: str) -> int:
        project = _project(gateway_key)
        return len(self.up_by_project.get(project, set()) - {gateway_key}) + self.attachments.get(project, 0)


def _other_links(a, ctx, attrs: dict) -> None:
    if ctx.complete(TUNNEL) and ctx.complete(ATTACHMENT):
        attrs["other_links"] = ctx.vpn_links.others(link_key(a.name))
    else:
        attrs.setdefault("not_collected", {})["other_links"] = LINKS_UNREAD


def ha_gateway(a, ctx) -> dict:
    data = a.data or {}
    interfaces = [i for i in data.get("vpnInterfaces") or [] if isinstance(i, dict)]
    attrs: dict = {"vpn_kind": "gcp_ha_vpn"}
    if interfaces:
        attrs["gateway_interfaces"] = len(interfaces)
    else:
        attrs["not_collected"] = {"gateway_interfaces": "the gateway's record lists no interfaces"}
    if ctx.complete(TUNNEL):
        mine = ctx.vpn_links.tunnels.get(link_key(a.name), [])
        attrs["tunnels"] = len(mine)
        attrs["tunnels_up"] = len({i for i, status in mine if status == UP and i is not None})
    else:
        attrs.setdefault("not_collected", {})["tunnels_up"] = "the project's VPN tunnels (compute.googleapis.com/VpnTunnel) were not read"
    _other_links(a, ctx, attrs)
    return {"attrs": attrs}


def classic_gateway(a, ctx) -> dict:
    """One interface: tunnels_up is 1 when any of its tunnels is ESTABLISHED."""
    data = a.data or {}
    attrs: dict = {"vpn_kind": "gcp_classic_vpn", "gateway_interfaces": 1, "tunnels": len(data.get("tunnels") or [])}
    if ctx.complete(TUNNEL):
        attrs["tunnels_up"] = int(any(status == UP for _, status in ctx.vpn_links.tunnels.get(link_key(a.name), [])))
    else:
        attrs["not_collected"] = {"tunnels_up": "the project's VPN tunnels (compute.googleapis.com/VpnTunnel) were not read"}
    _other_links(a, ctx, attrs)
    return {"attrs": attrs}
