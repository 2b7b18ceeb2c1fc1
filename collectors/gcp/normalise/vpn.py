"""VPN gateways → network.vpn (GM-VPN-001).

An HA VPN gateway (compute.googleapis.com/VpnGateway) has two interfaces, each its own
external address; it offers an alternative path when a tunnel is ESTABLISHED on each
(its tunnels are compute.googleapis.com/VpnTunnel assets naming the gateway and the
interface). A Classic VPN gateway (TargetVpnGateway) has one interface: whatever its
tunnels, a single gateway endpoint. Tunnels not read leave the state not collected."""

from .common import as_int, dig, link_key

TUNNEL = "compute.googleapis.com/VpnTunnel"
UP = "ESTABLISHED"


def tunnels_by_gateway(assets) -> dict[str, list[tuple]]:
    """{an HA gateway's `projects/...` path: [(interface, status) of each of its tunnels]}."""
    out: dict[str, list[tuple]] = {}
    for a in assets:
        if a.asset_type == TUNNEL and a.data is not None:
            key = link_key(dig(a.data, "vpnGateway"))
            if key:
                out.setdefault(key, []).append((as_int(dig(a.data, "vpnGatewayInterface")), dig(a.data, "status")))
    return out


def ha_gateway(a, ctx) -> dict:
    data = a.data or {}
    interfaces = [i for i in data.get("vpnInterfaces") or [] if isinstance(i, dict)]
    attrs: dict = {"vpn_kind": "gcp_ha_vpn", "gateway_interfaces": len(interfaces) or None}
    if not interfaces:
        attrs["not_collected"] = {"gateway_interfaces": "the gateway's record lists no interfaces"}
    if ctx.complete(TUNNEL):
        mine = ctx.vpn_tunnels.get(link_key(a.name), [])
        attrs["tunnels"] = len(mine)
        attrs["tunnels_up"] = len({i for i, status in mine if status == UP and i is not None})
    else:
        attrs.setdefault("not_collected", {})["tunnels_up"] = "the project's VPN tunnels (compute.googleapis.com/VpnTunnel) were not read"
    return {"attrs": {k: v for k, v in attrs.items() if v is not None}}


def classic_gateway(a, ctx) -> dict:
    data = a.data or {}
    return {"attrs": {"vpn_kind": "gcp_classic_vpn", "gateway_interfaces": 1, "tunnels": len(data.get("tunnels") or [])}}
