"""Site-to-site VPN connections → network.vpn (GM-VPN-001): every AWS VPN connection has two
tunnels, each on its own endpoint in its own Availability Zone; VgwTelemetry says which
are UP at the scan. A connection without telemetry, or still being created, leaves its
tunnels' state not collected, with the reason; deleted ones are not judged.

other_links: the account's other hybrid links up at the scan, over the regions read — the
other VPN connections with a tunnel UP and the Direct Connect virtual interfaces
available — any of which may be a connection's alternative path (a Direct Connect line
backed by a VPN is AWS's usual design); not collected unless every region's connections
and virtual interfaces were read."""

from .common import arn, name_tag, resource, tags

GONE = ("deleting", "deleted")
AWS_TUNNELS = 2   # AWS gives every VPN connection two tunnels on two endpoints
VPN, DX = "ec2:DescribeVpnConnections", "directconnect:DescribeVirtualInterfaces"
LINKS_UNREAD = ("the account's Direct Connect virtual interfaces (directconnect:DescribeVirtualInterfaces) "
                "or VPN connections were not read in every region")


def tunnel_state(connection: dict) -> dict:
    """gateway_interfaces, tunnels and tunnels_up from the telemetry (one per endpoint,
    by its outside address), or why the tunnels' state is unknown."""
    telemetry = [t for t in connection.get("VgwTelemetry") or [] if isinstance(t, dict)]
    if connection.get("State") == "pending":
        return {"gateway_interfaces": AWS_TUNNELS, "not_collected": {"tunnels_up": "the connection is still being created"}}
    if not telemetry:
        return {"gateway_interfaces": AWS_TUNNELS,
                "not_collected": {"tunnels_up": "the connection's record reports no tunnel telemetry (VgwTelemetry)"}}
    endpoints = {t.get("OutsideIpAddress") for t in telemetry}
    up = {t.get("OutsideIpAddress") for t in telemetry if t.get("Status") == "UP"}
    return {"gateway_interfaces": len(endpoints), "tunnels": len(telemetry), "tunnels_up": len(up)}


def _live(acct) -> list[tuple[str, dict]]:
    return [(region, c) for region, raw in acct.regions.items() for c in raw.get(VPN) or [] if c.get("State") not in GONE]


def links_up(acct, connections) -> tuple[set, int] | None:
    """(ids of the connections with a tunnel UP, count of virtual interfaces available) over
    the regions read; None unless both lists were read in every region."""
    if not all(VPN in raw and DX in raw for raw in acct.regions.values()):
        return None
    up = {c["VpnConnectionId"] for _, c in connections
          if any(isinstance(t, dict) and t.get("Status") == "UP" for t in c.get("VgwTelemetry") or [])}
    lines = sum(1 for raw in acct.regions.values() for v in raw[DX] if v.get("virtualInterfaceState") == "available")
    return up, lines


def resources(acct):
    connections = _live(acct)
    links = links_up(acct, connections)
    for region, c in connections:
        vid = c["VpnConnectionId"]
        attrs = {"vpn_kind": "aws_vpn_connection", **tunnel_state(c)}
        if links is None:
            attrs.setdefault("not_collected", {})["other_links"] = LINKS_UNREAD
        else:
            attrs["other_links"] = len(links[0] - {vid}) + links[1]
        yield resource(acct, type="network.vpn", native="AWS::EC2::VPNConnection",
                       id=arn(acct, "ec2", region, f"vpn-connection/{vid}"), name=name_tag(c, vid),
                       region=region, tags=tags(c.get("Tags")), attrs=attrs, raw=c, ref=VPN)
