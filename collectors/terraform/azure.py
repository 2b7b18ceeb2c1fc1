"""azurerm provider resources of a plan → canonical resources.

Facts of the platform used here: Azure encrypts every managed disk, storage account and
database server at rest and this cannot be turned off (only the key is a choice); Azure
SQL refuses unencrypted connections; a network security group created without inline
rules holds only Azure's default rules (none admits the internet) plus the separate rule
resources attached to it. What the plan does not show stays absent.
"""

import re

from genmei.collectors.canonical import control_plane, copies, firewall, tls as canonical_tls, zones as zone_names

from .common import backups_not_in_plan, describe, firewall_rules, lone_firewall, planned_or_written
from .context import Attach, Canonical, Context
from .plan import PlannedResource
from .values import UNKNOWN, Planned, known

NSG = frozenset({"azurerm_network_security_group"})
NIC = frozenset({"azurerm_network_interface"})
STORAGE = frozenset({"azurerm_storage_account"})
PG_FLEX = frozenset({"azurerm_postgresql_flexible_server"})
MYSQL_FLEX = frozenset({"azurerm_mysql_flexible_server"})
MSSQL = frozenset({"azurerm_mssql_server"})
SQL = frozenset({"azurerm_sql_server"})

ATTACHMENTS = [
    Attach("azurerm_network_security_rule", "nsg_rule", "network_security_group_name", NSG,
           ("resource_group_name", "name"), ("resource_group_name", "network_security_group_name")),
    Attach("azurerm_storage_account_customer_managed_key", "storage_cmk", "storage_account_id", STORAGE, ("id",)),
    # resilience: lifecycle management (deletion of previous blob versions, GM-DEL-001)
    Attach("azurerm_storage_management_policy", "storage_policy", "storage_account_id", STORAGE, ("id",)),
    Attach("azurerm_storage_container", "container", "storage_account_name", STORAGE, ("name",)),
    Attach("azurerm_postgresql_flexible_server_configuration", "flex_config", "server_id", PG_FLEX, ("id",)),
    Attach("azurerm_mysql_flexible_server_configuration", "flex_config", "server_name", MYSQL_FLEX,
           ("resource_group_name", "name"), ("resource_group_name", "server_name")),
    Attach("azurerm_mssql_firewall_rule", "sql_firewall", "server_id", MSSQL, ("id",)),
    Attach("azurerm_sql_firewall_rule", "sql_firewall", "server_name", SQL,
           ("resource_group_name", "name"), ("resource_group_name", "server_name")),
]

MIN_TLS = {"TLS1_0": "1.0", "TLS1_1": "1.1", "TLS1_2": "1.2", "TLS1_3": "1.3", "1.0": "1.0", "1.1": "1.1",
           "1.2": "1.2", "1.3": "1.3", "TLSv1_0": "1.0", "TLSv1_1": "1.1", "TLSv1_2": "1.2", "TLSv1_3": "1.3"}
APPGW_POLICIES = {"AppGwSslPolicy20150501": "1.0", "AppGwSslPolicy20170401": "1.1", "AppGwSslPolicy20170401S": "1.2",
                  "AppGwSslPolicy20220101": "1.2", "AppGwSslPolicy20220101S": "1.2"}


def first_of(res: PlannedResource, *attrs):
    """The first of several names an attribute had across provider versions that is set."""
    for a in attrs:
        v = res.get(a)
        if v is not None:
            return v
    return None


# --- network security groups ------------------------------------------------------

def _ports(single, many):
    if not known(single, many):
        return UNKNOWN
    return firewall.port_specs(([single] if single else []) + list(many or []))


def nsg_rule(p: Planned):
    """One rule of an NSG (inline or azurerm_network_security_rule), read as the live
    collector reads ARM's securityRules (collectors/azure/normalise/network.py)."""
    direction, access, protocol, priority = p.get("direction"), p.get("access"), p.get("protocol"), p.get("priority")
    ports = _ports(p.get("destination_port_range"), p.get("destination_port_ranges"))
    prefix, prefixes, groups = p.get("source_address_prefix"), p.get("source_address_prefixes"), p.get("source_application_security_group_ids")
    if not known(direction, access, protocol, priority, ports, prefix, prefixes) or None in (direction, access, protocol):
        return UNKNOWN
    sources = ([prefix] if prefix else []) + list(prefixes or [])
    sources += ["application-security-group (known after apply)"] if groups is UNKNOWN else list(groups or [])
    return firewall.rule(direction, access, protocol, ports, sources, priority)


def network_security_group(res: PlannedResource, ctx: Context) -> list[dict]:
    blocks = planned_or_written(res, "security_rule")
    inline = [UNKNOWN if blocks is UNKNOWN else [nsg_rule(b) for b in blocks]]
    c = Canonical(res, "network.firewall").set("rules", firewall_rules(res, ctx, "nsg_rule", inline, lambda r: nsg_rule(r.planned)))
    return [describe(c, res, ctx).build()]


def lone_rule(res: PlannedResource, ctx: Context) -> list[dict]:
    """A rule of an NSG outside the plan: a deny of higher priority there may stop what it
    allows, so it is not judged (NOT_EVALUATED, saying so) rather than guessed."""
    return lone_firewall(res, ctx, nsg_rule(res.planned), res.get("network_security_group_name"), ordered=True)


# --- storage ------------------------------------------------------------------------

def storage_account(res: PlannedResource, ctx: Context) -> list[dict]:
    c = Canonical(res, "storage.bucket").set("default_encryption", True)
    cmk = res.planned["customer_managed_key"].items()
    if cmk is UNKNOWN or ctx.uncertain(res.address, "storage_cmk"):
        c.set("key_type", UNKNOWN)
    else:
        c.set("key_type", "customer" if cmk or ctx.attached(res.address, "storage_cmk") else "provider")
    c.set("infrastructure_encryption", res.declared("infrastructure_encryption_enabled"))
    allowed = first_of(res, "allow_nested_items_to_be_public", "allow_blob_public_access")
    if allowed is False:
        c.set("public", False).set("public_via", [])
    else:
        public_containers = []
        unknown = allowed is UNKNOWN or ctx.uncertain(res.address, "container")
        for container in ctx.attached(res.address, "container"):
            access = container.get("container_access_type")
            if access is UNKNOWN:
                unknown = True
            elif access in ("blob", "container"):
                public_containers.append(f"container {container.get('name')} allows anonymous {access} access")
        if allowed is True and public_containers:
            c.set("public", True).set("public_via", public_containers)
        elif unknown:
            c.set("public", UNKNOWN)
    https = first_of(res, "https_traffic_only_enabled", "enable_https_traffic_only")
    c.set("tls.enforced", https)
    minimum = res.get("min_tls_version")
    c.set("tls.min_version", minimum if minimum is UNKNOWN else MIN_TLS.get(minimum) if https is True else None)
    for attr, value in _storage_copies_and_versions(res, ctx).items():
        c.set(attr, value)
    return [describe(c, res, ctx).build()]


def _storage_copies_and_versions(res: PlannedResource, ctx: Context) -> dict:
    """Geo-redundancy from account_replication_type; blob versioning and soft delete from
    blob_properties; the deletion of previous versions from a management policy the plan
    attaches (rules over every blob: no prefix filter). A new account without a policy has
    none; another account's policy is not collected."""
    replication = res.get("account_replication_type")
    geo = copies.azure_geo_redundant(replication if replication is UNKNOWN else f"Standard_{replication}" if replication else None)
    blob = res.planned.first("blob_properties")
    versioning = blob.get("versioning_enabled") if not blob.unknown else UNKNOWN
    soft = blob.first("delete_retention_policy")
    soft_days = UNKNOWN if blob.unknown or soft.unknown else (soft.get("days") if soft.value is not None else 0)
    if blob.value is None and not blob.unknown:
        versioning = False if res.creating else None
        soft_days = 0 if res.creating else None
    policies = ctx.attached(res.address, "storage_policy")
    if ctx.uncertain(res.address, "storage_policy") or len(policies) > 1:
        rules = UNKNOWN
    elif not policies:
        rules = [] if res.creating else None
    elif policies[0].planned["rule"].items() is UNKNOWN:
        rules = UNKNOWN
    else:
        rules = []
        for rule in policies[0].planned["rule"].items():
            prefixes = rule.first("filters").get("prefix_match")
            whole = prefixes if prefixes is UNKNOWN else not prefixes
            version = rule.first("actions").first("version")
            rules.append((rule.get("enabled") if rule.get("enabled") is not None else True, whole,
                          version.get("delete_after_days_since_creation")))
    expire, days = copies.expiry(rules)
    return {"cross_region_copy": geo, "versioning": versioning, "soft_delete_days": soft_days,
            "versions_expire": expire, "noncurrent_expiry_days": days}


# --- disks and virtual machines -----------------------------------------------------

def _disk(res: PlannedResource, ctx: Context, key_id, id_=None, native=None, zones=None) -> dict:
    c = backups_not_in_plan(Canonical(res, "compute.disk", id_=id_, native_type=native).set("encrypted", True))
    c.set("key_type", key_id if key_id is UNKNOWN else ("customer" if key_id else "provider"))
    c.top("zones", zones)
    c.top("name", res.get("name") if isinstance(res.get("name"), str) else res.addr.name)
    c.top("region", ctx.region(res))
    return c.build()


def _zones(res: PlannedResource, ctx: Context, value):
    """Azure zones as the live collector writes them: qualified by the region ("japaneast-1")."""
    if value is None or value is UNKNOWN:
        return value
    return zone_names.azure(ctx.region(res), value if isinstance(value, list) else [value])


def managed_disk(res: PlannedResource, ctx: Context) -> list[dict]:
    return [_disk(res, ctx, res.get("disk_encryption_set_id"), zones=_zones(res, ctx, first_of(res, "zone", "zones")))]


def _nic_forwarding(res: PlannedResource, ctx: Context):
    """anti_spoofing of a VM: True when none of its NICs in the plan forwards IP; absent
    when a NIC is outside the plan."""
    ids = res.get("network_interface_ids")
    addresses = ctx.resolve(res, NIC, "network_interface_ids")
    if not addresses:
        return UNKNOWN if ids is UNKNOWN else None
    forwarding = [first_of(ctx.by_address[a], "ip_forwarding_enabled", "enable_ip_forwarding") for a in addresses]
    if any(f is True for f in forwarding):
        return False
    if any(f is UNKNOWN for f in forwarding):
        return UNKNOWN
    if isinstance(ids, list) and len(ids) > len(addresses):
        return None
    return True


def _nic_public(res: PlannedResource, ctx: Context):
    addresses = ctx.resolve(res, NIC, "network_interface_ids")
    if not addresses:
        return UNKNOWN
    for a in addresses:
        configs = ctx.by_address[a].planned["ip_configuration"].items()
        if configs is UNKNOWN or any(cfg.get("public_ip_address_id") is not None for cfg in configs):
            return UNKNOWN   # a public address is allocated at apply
    return []


def virtual_machine(res: PlannedResource, ctx: Context) -> list[dict]:
    c = Canonical(res, "compute.instance").set("anti_spoofing", _nic_forwarding(res, ctx))
    c.set("public_ips", _nic_public(res, ctx))
    zone = _zones(res, ctx, first_of(res, "zone", "zones"))
    c.top("zones", zone)
    out = [describe(c, res, ctx).build()]
    if res.type == "azurerm_virtual_machine":
        disk = res.planned.first("storage_os_disk")
        key = disk.first("managed_disk").get("disk_encryption_set_id") if disk.value is not None else None
        out.append(_disk(res, ctx, key, f"{res.address}.storage_os_disk", "azurerm_virtual_machine.storage_os_disk", zone))
    else:
        disk = res.planned.first("os_disk")
        out.append(_disk(res, ctx, disk.get("disk_encryption_set_id"), f"{res.address}.os_disk", f"{res.type}.os_disk", zone))
    return out


# --- databases ----------------------------------------------------------------------

def single_server(res: PlannedResource, ctx: Context) -> list[dict]:
    c = Canonical(res, "db.instance").set("storage_encrypted", True)
    c.set("public", res.get("public_network_access_enabled"))
    c.set("backup_retention_days", res.get("backup_retention_days"))
    enforced = first_of(res, "ssl_enforcement_enabled", "ssl_enforcement")
    if isinstance(enforced, str):
        enforced = enforced.lower() == "enabled"
    c.set("tls.enforced", enforced)
    minimum = res.get("ssl_minimal_tls_version_enforced")
    c.set("tls.min_version", minimum if minimum is UNKNOWN else MIN_TLS.get(minimum) if enforced is True else None)
    c.set("multi_az", False)
    # Built-in high availability (the platform moves the server to a spare node).
    c.set("automatic_failover", True)
    return [describe(c, res, ctx).build()]


def _flex_config(res: PlannedResource, ctx: Context):
    """TLS from the server configurations the plan sets (absent when not set there)."""
    enforced = minimum = None
    for cfg in ctx.attached(res.address, "flex_config"):
        name, value = cfg.get("name"), cfg.get("value")
        if name == "require_secure_transport":
            enforced = value if value is UNKNOWN else str(value).lower() == "on"
        elif name in ("ssl_min_protocol_version", "tls_version"):
            minimum = canonical_tls.lowest(value)
    return enforced, (minimum if enforced is True else None)


def flexible_server(res: PlannedResource, ctx: Context) -> list[dict]:
    c = Canonical(res, "db.instance").set("storage_encrypted", True)
    public = res.get("public_network_access_enabled")
    subnet = res.get("delegated_subnet_id")
    c.set("public", False if isinstance(subnet, str) and subnet else public)
    c.set("backup_retention_days", res.get("backup_retention_days"))
    enforced, minimum = _flex_config(res, ctx)
    c.set("tls.enforced", enforced).set("tls.min_version", minimum)
    ha = res.planned.first("high_availability")
    mode, zone, standby = ha.get("mode"), res.get("zone"), ha.get("standby_availability_zone")
    c.set("multi_az", mode if mode is UNKNOWN else mode == "ZoneRedundant")
    # High availability in either mode keeps a standby that takes over; no block = disabled.
    c.set("automatic_failover", mode if mode is UNKNOWN else mode in ("ZoneRedundant", "SameZone"))
    if mode == "ZoneRedundant":
        c.top("zones", _zones(res, ctx, [zone, standby]) if isinstance(zone, str) and isinstance(standby, str) else UNKNOWN)
    elif mode is UNKNOWN:
        c.top("zones", UNKNOWN)
    else:
        c.top("zones", _zones(res, ctx, [zone]) if isinstance(zone, str) else UNKNOWN)
    return [describe(c, res, ctx).build()]


def _sql_public(res: PlannedResource, ctx: Context):
    """As the live collector reads it: public network access on and a server firewall rule
    admitting the internet (a range of half the IPv4 space or more); the rules of a server
    the plan creates are those it attaches, of another server not collected."""
    access = res.get("public_network_access_enabled")
    if access is False:
        return False
    if ctx.uncertain(res.address, "sql_firewall"):
        return UNKNOWN
    found, unknown = False, access is UNKNOWN
    for rule in ctx.attached(res.address, "sql_firewall"):
        start, end = rule.get("start_ip_address"), rule.get("end_ip_address")
        if not known(start, end):
            unknown = True
        elif firewall.covers_internet(start, end):
            found = True
    if found:
        return True
    if unknown:
        return UNKNOWN
    return False if res.creating else None


def mssql_server(res: PlannedResource, ctx: Context) -> list[dict]:
    """azurerm_mssql_server and the legacy azurerm_sql_server (Azure SQL refuses
    unencrypted connections; "Disabled" minimum TLS admits every version)."""
    c = Canonical(res, "db.instance", native_type=res.type)
    c.set("public", _sql_public(res, ctx))
    c.set("tls.enforced", True)
    minimum = res.get("minimum_tls_version")
    c.set("tls.min_version", minimum if minimum is UNKNOWN else ("1.0" if minimum in ("Disabled", "None") else MIN_TLS.get(minimum)))
    # Every Azure SQL database has built-in high availability with automatic failover.
    c.set("automatic_failover", True)
    return [describe(c, res, ctx).build()]


# --- Kubernetes, keys, application gateways -------------------------------------------

def kubernetes_cluster(res: PlannedResource, ctx: Context) -> list[dict]:
    private = res.get("private_cluster_enabled")
    c = Canonical(res, "k8s.cluster").set("endpoint_public", private if private is UNKNOWN else private is not True)
    c.set("not_collected.control_plane_multi_zone", control_plane.AKS_NOT_SHOWN)
    if private is not True:
        profile = res.planned.first("api_server_access_profile")
        cidrs = profile.get("authorized_ip_ranges") if profile.value is not None or profile.unknown else None
        if cidrs is None:
            cidrs = res.get("api_server_authorized_ip_ranges")
        c.set("authorized_cidrs", cidrs if cidrs is UNKNOWN else list(cidrs or []))
    pool = res.planned.first("default_node_pool")
    zones = pool.get("zones")
    if zones is None:
        zones = pool.get("availability_zones")
    c.top("zones", _zones(res, ctx, zones) if zones is not None else [])
    return [describe(c, res, ctx).build()]


def _iso_days(text):
    m = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?", str(text))
    if not m or not any(m.groups()):
        return None
    y, mo, d = (int(x or 0) for x in m.groups())
    return y * 365 + mo * 30 + d


def key_vault_key(res: PlannedResource, ctx: Context) -> list[dict]:
    c = Canonical(res, "kms.key").set("managed_by", "customer")
    policy = res.planned.first("rotation_policy")
    automatic = policy.first("automatic") if policy.value is not None else Planned(None)
    if policy.unknown or automatic.unknown:
        c.set("rotation_enabled", UNKNOWN)
    else:
        c.set("rotation_enabled", automatic.value is not None)
        after = automatic.get("time_after_create")
        c.set("rotation_period_days", after if after is UNKNOWN else _iso_days(after) if after else None)
    return [describe(c, res, ctx).build()]


def application_gateway(res: PlannedResource, ctx: Context) -> list[dict]:
    listeners = res.planned["http_listener"].items()
    if listeners is UNKNOWN:
        c = Canonical(res, "lb.listener", id_=f"{res.address}.http_listener").set("tls.enforced", UNKNOWN)
        return [describe(c, res, ctx).build()]
    frontend = res.planned["frontend_port"].items()
    ports = {} if frontend is UNKNOWN else {p.get("name"): p.get("port") for p in frontend}
    policy = res.planned.first("ssl_policy")
    minimum = _appgw_min_tls(policy)
    redirects = _appgw_https_redirects(res, {item.get("name") for item in listeners if str(item.get("protocol")).lower() == "https"})
    out = []
    for i, item in enumerate(listeners):
        name, protocol = item.get("name"), item.get("protocol")
        c = Canonical(res, "lb.listener", id_=f"{res.address}.http_listener[{name if isinstance(name, str) else i}]",
                      native_type="azurerm_application_gateway.http_listener")
        c.set("protocol", protocol if protocol is UNKNOWN else str(protocol).upper()).set("port", ports.get(item.get("frontend_port_name")))
        if protocol is UNKNOWN:
            c.set("tls.enforced", UNKNOWN)
        elif str(protocol).lower() == "https":
            c.set("tls.enforced", True).set("tls.min_version", minimum)
        else:
            redirect = redirects.get(name, False)
            # A listener that only redirects to HTTPS is held to the gateway's TLS policy.
            c.set("tls.enforced", redirect).set("tls.min_version", minimum if redirect is True else None)
        out.append(describe(c, res, ctx).build())
    return out


def _appgw_min_tls(policy: Planned):
    if policy.unknown:
        return UNKNOWN
    if policy.value is None:
        return None   # the default policy depends on the API version: not shown by the plan
    name, floor = policy.get("policy_name"), policy.get("min_protocol_version")
    if not known(name, floor):
        return UNKNOWN
    return MIN_TLS.get(floor) if floor else APPGW_POLICIES.get(name)


def _appgw_https_redirects(res: PlannedResource, https_listeners: set) -> dict:
    """Listener name → True when its routing rule only redirects to HTTPS."""
    redirects = {}
    configs = res.planned["redirect_configuration"].items()
    targets = {}
    for rc in ([] if configs is UNKNOWN else configs):
        target, url = rc.get("target_listener_name"), rc.get("target_url")
        targets[rc.get("name")] = target in https_listeners or (isinstance(url, str) and url.startswith("https://"))
    rules = res.planned["request_routing_rule"].items()
    for rule in ([] if rules is UNKNOWN else rules):
        name = rule.get("redirect_configuration_name")
        if isinstance(name, str):
            redirects[rule.get("http_listener_name")] = UNKNOWN if configs is UNKNOWN else targets.get(name, False)
    return redirects


NORMALISERS = {
    "azurerm_network_security_group": network_security_group,
    "azurerm_storage_account": storage_account,
    "azurerm_managed_disk": managed_disk,
    "azurerm_linux_virtual_machine": virtual_machine,
    "azurerm_windows_virtual_machine": virtual_machine,
    "azurerm_virtual_machine": virtual_machine,
    "azurerm_postgresql_server": single_server,
    "azurerm_mysql_server": single_server,
    "azurerm_mariadb_server": single_server,
    "azurerm_postgresql_flexible_server": flexible_server,
    "azurerm_mysql_flexible_server": flexible_server,
    "azurerm_mssql_server": mssql_server,
    "azurerm_sql_server": mssql_server,
    "azurerm_kubernetes_cluster": kubernetes_cluster,
    "azurerm_key_vault_key": key_vault_key,
    "azurerm_application_gateway": application_gateway,
}
SUPPORTING = frozenset({"azurerm_network_interface"})
LONE = {"nsg_rule": lone_rule}
