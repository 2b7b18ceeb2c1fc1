"""VMs → compute.instance, managed disks → compute.disk.

A VM's exposure and anti-spoofing live on its NICs: public IPs are the public IP
resources its NICs' IP configurations reference, anti_spoofing is "IP forwarding off on
every NIC", firewalls are the NSGs on the NICs and on their subnets. When a NIC or public
IP the VM references was not read, the attrs that depend on it are left out (not
collected), never guessed.
"""

from ..inventory import NIC, PUBLIC_IP, VNET, Inventory, Item
from .common import get, props, resource, zone_names


class NetworkIndex:
    """NICs, public IPs and subnets by lower-case id, built once per normalisation."""

    def __init__(self, inv: Inventory):
        self.nics = inv.index(NIC)
        self.public_ips = inv.index(PUBLIC_IP)
        self.subnets = {s["id"].lower(): s for v in inv.of(VNET) for s in get(v.arm, "properties", "subnets", default=[]) or []
                        if isinstance(s, dict) and isinstance(s.get("id"), str)}


def _ref(obj) -> str | None:
    rid = obj.get("id") if isinstance(obj, dict) else None
    return rid.lower() if isinstance(rid, str) else None


def nic_attrs(nic_ids: list[str], net: NetworkIndex) -> dict:
    nics = [net.nics.get(i) for i in nic_ids]
    if any(n is None or props(n) is None for n in nics):
        return {}
    forwarding = [get(n, "properties", "enableIPForwarding") for n in nics]
    public_ips, firewalls, subnet = [], [], None
    complete = True
    for n in nics:
        p = props(n)
        if _ref(p.get("networkSecurityGroup")):
            firewalls.append(p["networkSecurityGroup"]["id"])
        for conf in p.get("ipConfigurations") or []:
            cp = get(conf, "properties", default={}) or {}
            subnet_id = _ref(cp.get("subnet"))
            if subnet_id:
                if subnet is None or cp.get("primary") is True:
                    subnet = cp["subnet"]["id"]
                nsg = _ref(get(net.subnets.get(subnet_id), "properties", "networkSecurityGroup"))
                if nsg:
                    firewalls.append(net.subnets[subnet_id]["properties"]["networkSecurityGroup"]["id"])
            pip_id = _ref(cp.get("publicIPAddress"))
            if pip_id:
                pip = net.public_ips.get(pip_id)
                if pip is None:
                    complete = False
                else:
                    # An allocated address, or the resource itself while it has none yet.
                    public_ips.append(get(pip, "properties", "ipAddress") or pip["id"])
    return {
        "public_ips": sorted(set(public_ips)) if complete else None,
        "anti_spoofing": None if any(not isinstance(f, bool) for f in forwarding) else not any(forwarding),
        "firewalls": sorted(set(firewalls), key=str.lower),
        "subnet": subnet,
    }


def instance(item: Item, inv: Inventory, net: NetworkIndex) -> list[dict]:
    arm = item.arm
    p = props(arm)
    attrs: dict = {}
    if p is not None:
        nic_ids = [_ref(n) for n in get(p, "networkProfile", "networkInterfaces", default=[]) or []]
        if nic_ids and None not in nic_ids:
            attrs = nic_attrs(nic_ids, net)
    return [resource(item, "compute.instance", attrs, zones=zone_names(arm.get("location"), arm.get("zones")))]


def disk(item: Item, inv: Inventory) -> list[dict]:
    """Managed disks are always encrypted at rest by the platform (server-side encryption
    cannot be turned off); `encryption.type` says with whose key."""
    arm = item.arm
    enc_type = get(arm, "properties", "encryption", "type")
    attrs = {}
    if isinstance(enc_type, str) and enc_type:
        attrs = {"encrypted": True, "key_type": "customer" if "customerkey" in enc_type.lower() else "provider"}
    # Backups of Azure disks (Azure Backup restore points, snapshots) are not read yet:
    # GM-BAK-002 says so rather than failing a disk a Recovery Services vault protects.
    attrs["not_collected"] = {"backup_count": "backups of Azure disks (Azure Backup, snapshots) are not read by genmei yet"}
    return [resource(item, "compute.disk", attrs, zones=zone_names(arm.get("location"), arm.get("zones")))]
