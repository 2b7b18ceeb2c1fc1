"""Azure SQL servers, PostgreSQL and MySQL flexible servers → db.instance.

public: the public endpoint is enabled and a server firewall rule admits the internet —
a range covering half the IPv4 space or more (0.0.0.0–255.255.255.255 and the like).
The 0.0.0.0–0.0.0.0 rule ("allow Azure services") is not the internet. A disabled public
endpoint is not public whatever the rules say; an enabled one whose rules were not read
is undetermined.

tls: Azure SQL always refuses unencrypted connections; its minimalTlsVersion "None"
means any version. PostgreSQL and MySQL read the server parameters
require_secure_transport and ssl_min_protocol_version / tls_version.

storage_encrypted: SQL — transparent data encryption on every user database;
PostgreSQL/MySQL flexible servers always encrypt storage (platform).

automatic_failover: every Azure SQL database has built-in high availability (the
platform fails it over to a spare node or replica); a flexible server only with high
availability on (ZoneRedundant or SameZone keeps a standby that takes over).
"""

from genmei.collectors.canonical import firewall as canonical_firewall, tls as canonical_tls

from ..inventory import MYSQL, POSTGRES, SQL, Inventory, Item, subscription_of
from .common import get, lower, props, resource, zone_names

SQL_TLS = {"1.0": "1.0", "1.1": "1.1", "1.2": "1.2", "1.3": "1.3", "none": "1.0"}
POSTGRES_PARAMS = ("require_secure_transport", "ssl_min_protocol_version")
MYSQL_PARAMS = ("require_secure_transport", "tls_version")
PARAMS = {POSTGRES: POSTGRES_PARAMS, MYSQL: MYSQL_PARAMS}


def world_rule(rule: dict) -> bool:
    return canonical_firewall.covers_internet(get(rule, "properties", "startIpAddress"), get(rule, "properties", "endIpAddress"))


def public(access, rules) -> bool | None:
    if lower(access) in ("disabled", "securedbyperimeter"):
        return False
    if rules is None:
        return None
    return any(world_rule(r) for r in rules if isinstance(r, dict))


def sql_server(item: Item, inv: Inventory) -> list[dict]:
    arm = item.arm
    p = props(arm)
    sid = arm["id"]
    attrs: dict = {}
    zones = None
    if p is not None:
        version = p.get("minimalTlsVersion")
        attrs = {
            "public": public(p.get("publicNetworkAccess", "Enabled"), inv.detail(sid, "firewallRules")),
            "tls": canonical_tls.tls(True, None if version is None else SQL_TLS.get(str(version).lower())),
            "automatic_failover": True,
        }
    databases = inv.detail(sid, "databases")
    if databases is not None:
        user_dbs = [d for d in databases if lower(d.get("name")) != "master"]
        tde = [lower(get(inv.detail(d["id"], "transparentDataEncryption"), "properties", "state")) for d in user_dbs]
        retention = [get(inv.detail(d["id"], "backupShortTermRetentionPolicies"), "properties", "retentionDays") for d in user_dbs]
        redundant = [get(d, "properties", "zoneRedundant") for d in user_dbs]
        attrs["storage_encrypted"] = None if None in tde else all(s == "enabled" for s in tde)
        attrs["backup_retention_days"] = (min(retention) if user_dbs else None) if all(isinstance(r, int) for r in retention) else None
        if user_dbs and all(isinstance(r, bool) for r in redundant):
            attrs["multi_az"] = all(redundant)
            sub, location = subscription_of(sid), (arm.get("location") or "").lower()
            if not all(redundant):
                zones = []
            elif sub in inv.zones_read:
                zones = zone_names(location, inv.zones.get((sub, location), []))
    return [resource(item, "db.instance", attrs, zones=zones)]


def tls_from_params(kind: str, params: dict | None) -> dict | None:
    if params is None:
        return None
    required = lower(params.get("require_secure_transport"))
    enforced = {"on": True, "off": False}.get(required or "")
    if kind == POSTGRES:
        version = canonical_tls.version(params.get("ssl_min_protocol_version"))
    else:
        version = canonical_tls.lowest(str(params.get("tls_version") or ""))
    return canonical_tls.tls(enforced, version)


def flexible_server(item: Item, inv: Inventory) -> list[dict]:
    arm = item.arm
    p = props(arm)
    kind = lower(arm.get("type"))
    attrs: dict = {}
    zones = None
    if p is not None:
        ha = lower(get(p, "highAvailability", "mode")) or "disabled"
        primary, standby = p.get("availabilityZone"), get(p, "highAvailability", "standbyAvailabilityZone")
        retention = get(p, "backup", "backupRetentionDays")
        attrs = {
            "public": public(get(p, "network", "publicNetworkAccess", default="Enabled"), inv.detail(arm["id"], "firewallRules")),
            "tls": tls_from_params(kind, inv.detail(arm["id"], "configurations")),
            "storage_encrypted": True,
            "multi_az": ha == "zoneredundant",
            "automatic_failover": ha in ("zoneredundant", "samezone"),
            "backup_retention_days": retention if isinstance(retention, int) else None,
        }
        zones = zone_names(arm.get("location"), [primary, standby] if ha == "zoneredundant" else [primary])
    return [resource(item, "db.instance", attrs, zones=zones)]


NORMALISERS = {SQL: sql_server, POSTGRES: flexible_server, MYSQL: flexible_server}
