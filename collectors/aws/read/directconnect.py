"""Direct Connect in one region: the virtual interfaces, the dedicated links that may be a
VPN's alternative path (GM-VPN-001). Only their state and gateways are kept: a virtual
interface also carries its BGP authentication key, which is dropped here, never kept."""

HIDES = ("network.vpn",)
FIELDS = ("virtualInterfaceId", "virtualInterfaceState", "virtualInterfaceType", "virtualGatewayId",
          "directConnectGatewayId", "connectionId", "region")


def read(r) -> dict:
    vifs = r.list("directconnect:DescribeVirtualInterfaces", "virtualInterfaces", HIDES)
    if vifs is None:
        return {}
    return {"directconnect:DescribeVirtualInterfaces": [{k: v for k, v in v.items() if k in FIELDS} for v in vifs]}
