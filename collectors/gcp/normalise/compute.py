"""VM instances and persistent disks.

Instances: public addresses are the `natIP` (older CAI data: `externalIp`) of each
access config and the external IPv6 of each IPv6 access config; `anti_spoofing` is
`canIpForward` negated (GCP drops packets whose source or destination is not the VM's
own unless IP forwarding is on). OS Login and the interactive serial console are
metadata settings (`enable-oslogin`, `serial-port-enable`): the instance's own value
wins, otherwise the project's common metadata applies, otherwise the platform default
(off). Without the project's metadata an unset instance value stays unknown (null).
Note: the organisation policy constraint compute.requireOsLogin is not read.

Disks: Compute Engine encrypts every persistent disk at rest, always, with a
Google-managed key unless the disk names a Cloud KMS key (`diskEncryptionKey.kmsKeyName`,
CMEK) or was created with a customer-supplied key (CSEK: `sha256`/`rawKey`). There is no
unencrypted disk on GCP, so `encrypted` is true for every disk read and `key_type`
says who holds the key.
"""

from genmei.collectors.canonical.values import ShapeError, json_kind

from .common import last, link_key, listed, names

TRUE_WORDS = {"true", "1", "yes", "y", "on"}
FALSE_WORDS = {"false", "0", "no", "n", "off"}


def metadata_flag(items: dict, key: str) -> bool | None:
    value = items.get(key)
    if value is None:
        return None
    text = str(value).strip().lower()
    return True if text in TRUE_WORDS else False if text in FALSE_WORDS else None


def metadata_items(metadata: dict | None) -> dict:
    """Metadata items by key; a key that is not a string is malformed data."""
    out = {}
    for i, item in enumerate(listed(metadata, "items", "item")):
        if isinstance(item, dict) and "key" in item:
            if not isinstance(item["key"], str):
                raise ShapeError(f"metadata.items[{i}].key", f"expected a string, got a JSON {json_kind(item['key'])}")
            out[item["key"]] = item.get("value")
    return out


def instance(a, ctx) -> dict:
    data = a.data
    if data is None:
        return {"attrs": {}}
    nics = [n for n in listed(data, "networkInterfaces", "networkInterface") if isinstance(n, dict)]
    public = []
    for nic in nics:
        for ac in listed(nic, "accessConfigs", "accessConfig"):
            ip = ac.get("natIP") or ac.get("externalIp") if isinstance(ac, dict) else None
            if ip:
                public.append(ip)
        for ac in listed(nic, "ipv6AccessConfigs", "ipv6AccessConfig"):
            if isinstance(ac, dict) and ac.get("externalIpv6"):
                public.append(ac["externalIpv6"])
    forward = data.get("canIpForward")
    project = ctx.project_of(a)
    own = metadata_items(data.get("metadata"))
    attrs = {
        "public_ips": public,
        "anti_spoofing": (not forward) if isinstance(forward, bool) else None,
        "subnet": _subnet_id(nics[0]) if nics else None,
        "networks": sorted({link_key(n.get("network")) for n in nics if n.get("network")}),
        "os_login_enabled": _setting(own, ctx.project_metadata(project), "enable-oslogin"),
        "serial_port_enabled": _setting(own, ctx.project_metadata(project), "serial-port-enable"),
        "service_accounts": sorted(s["email"] for s in listed(data, "serviceAccounts", "serviceAccount")
                                   if isinstance(s, dict) and s.get("email")),
        "status": data.get("status"),
    }
    if ctx.complete("compute.googleapis.com/Firewall"):
        attrs["firewalls"] = ctx.firewalls_for(attrs["networks"], _network_tags(data), attrs["service_accounts"])
    return {"attrs": attrs}


def _network_tags(data: dict) -> list[str]:
    try:
        return names(data.get("tags"), "items", "item")
    except ShapeError as e:
        raise e.within("tags") from None


def _setting(own: dict, project: dict | None, key: str) -> bool | None:
    value = metadata_flag(own, key)
    if value is not None:
        return value
    if project is None:
        return None
    value = metadata_flag(project, key)
    return False if value is None else value


def _subnet_id(nic: dict) -> str | None:
    key = link_key(nic.get("subnetwork"))
    return f"//compute.googleapis.com/{key}" if key else None


def disk(a, ctx) -> dict:
    data = a.data
    if data is None:
        return {"attrs": {}}
    key = data.get("diskEncryptionKey") if isinstance(data.get("diskEncryptionKey"), dict) else {}
    customer = bool(key.get("kmsKeyName") or key.get("sha256") or key.get("rawKey") or key.get("rsaEncryptedKey"))
    attrs = {
        "encrypted": True,
        "key_type": "customer" if customer else "provider",
        "kms_key": key.get("kmsKeyName"),
        "users": [link_key(u) for u in listed(data, "users", "user")],
        # Snapshots and Backup and DR backups of disks are not read yet (GM-BAK-002 says so).
        "not_collected": {"backup_count": "backups of Compute Engine disks (snapshots, Backup and DR) are not read by genmei yet"},
    }
    out = {"attrs": attrs}
    replicas = [last(z) for z in listed(data, "replicaZones", "replicaZone")]
    if replicas:
        out["zones"] = replicas
    return out

