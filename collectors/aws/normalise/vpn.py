"""Site-to-site VPN connections → network.vpn (GM-VPN-001): every AWS VPN connection has two
tunnels, each on its own endpoint in its own Availability Zone; VgwTelemetry says which
are UP at the scan. A connection without telemetry, or still being created, leaves its
tunnels' state not collected, with the reason; deleted ones are not judged."""

from .common import arn, name_tag, resource, tags

GONE = ("deleting", "deleted")
AWS_TUNNELS = 2   # AWS gives every VPN connection two tunnels on two endpoints


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


def resources(acct):
    for region, raw in acct.regions.items():
        for c in raw.get("ec2:DescribeVpnConnections") or []:
            if c.get("State") in GONE:
                continue
            vid = c["VpnConnectionId"]
            yield resource(acct, type="network.vpn", native="AWS::EC2::VPNConnection",
                           id=arn(acct, "ec2", region, f"vpn-connection/{vid}"), name=name_tag(c, vid),
                           region=region, tags=tags(c.get("Tags")),
                           attrs={"vpn_kind": "aws_vpn_connection", **tunnel_state(c)},
                           raw=c, ref="ec2:DescribeVpnConnections")
