"""The read-only calls, one function per service, each turning SDK models back into ARM
JSON and every failure into a collection gap.

A failed list leaves the inventory without that (subscription, type) in `read`, and a
failed detail leaves the detail None, so the normalisers report what depends on it as not
collected. 429s are retried by the SDK's retry policy (honouring Retry-After); one that
persists becomes a gap like any other error.
"""

import threading

from azure.core.exceptions import (AzureError, ClientAuthenticationError, DeserializationError, SerializationError,
                                   ServiceRequestError, ServiceResponseError)

from genmei.collectors.canonical.redact import text as redact_text

from . import inventory as t
from .clients import Clients
from .inventory import Inventory, resource_group_of

# (ARM type, client, API, call, canonical types the list feeds) for the per-service lists
# used when Resource Graph is not (or cannot be) used.
LISTS = (
    (t.NSG, "network", "network_security_groups.list_all", lambda c: c.network_security_groups.list_all(), ["network.firewall"]),
    (t.NIC, "network", "network_interfaces.list_all", lambda c: c.network_interfaces.list_all(), ["compute.instance"]),
    (t.PUBLIC_IP, "network", "public_ip_addresses.list_all", lambda c: c.public_ip_addresses.list_all(), ["compute.instance"]),
    (t.VNET, "network", "virtual_networks.list_all", lambda c: c.virtual_networks.list_all(), ["network.vpc", "compute.instance"]),
    (t.VM, "compute", "virtual_machines.list_all", lambda c: c.virtual_machines.list_all(), ["compute.instance"]),
    (t.DISK, "compute", "disks.list", lambda c: c.disks.list(), ["compute.disk"]),
    (t.STORAGE, "storage", "storage_accounts.list", lambda c: c.storage_accounts.list(), ["storage.bucket"]),
    (t.VAULT, "keyvault", "vaults.list_by_subscription", lambda c: c.vaults.list_by_subscription(), ["kms.vault", "kms.key"]),
    (t.AKS, "containerservice", "managed_clusters.list", lambda c: c.managed_clusters.list(), ["k8s.cluster"]),
    (t.SQL, "sql", "servers.list", lambda c: c.servers.list(), ["db.instance"]),
    (t.POSTGRES, "postgresql", "servers.list_by_subscription", lambda c: c.servers.list_by_subscription(), ["db.instance"]),
    (t.MYSQL, "mysql", "servers.list", lambda c: c.servers.list(), ["db.instance"]),
    (t.SCALE_SET, "compute", "virtual_machine_scale_sets.list_all", lambda c: c.virtual_machine_scale_sets.list_all(),
     ["compute.instance_group"]),
    (t.AUTOSCALE, "monitor", "autoscale_settings.list_by_subscription", lambda c: c.autoscale_settings.list_by_subscription(),
     ["compute.instance_group"]),
    (t.METRIC_ALERT, "monitor", "metric_alerts.list_by_subscription", lambda c: c.metric_alerts.list_by_subscription(),
     ["monitoring.alarm", "cloud.account"]),
    (t.ACTION_GROUP, "monitor", "action_groups.list_by_subscription_id", lambda c: c.action_groups.list_by_subscription_id(),
     ["monitoring.alarm"]),
    (t.NAT, "network", "nat_gateways.list_all", lambda c: c.nat_gateways.list_all(), ["network.gateway"]),
    (t.APP_GATEWAY, "network", "application_gateways.list_all", lambda c: c.application_gateways.list_all(), ["lb.load_balancer"]),
    (t.WAF_POLICY, "network", "web_application_firewall_policies.list_all",
     lambda c: c.web_application_firewall_policies.list_all(), ["lb.load_balancer"]),
)
ERRORS = (AzureError, DeserializationError, SerializationError, ValueError)
# Failures of the connection itself (refused, reset, no answer in time), not an ARM answer.
CONNECTION_ERRORS = (ServiceRequestError, ServiceResponseError)


def to_arm(model) -> dict:
    """An SDK model as the ARM JSON it was read from. Newer (TypeSpec) models keep the
    JSON and give it back whole; older (msrest) models re-serialise, read-only fields
    included."""
    if isinstance(model, dict):
        return model
    if hasattr(model, "serialize"):
        return model.serialize(keep_readonly=True)
    return model.as_dict()


def error_fields(exc: Exception) -> tuple[str, str]:
    """(error_code, message) for a gap: the ARM error code when the service sent one."""
    error = getattr(exc, "error", None)
    code = getattr(error, "code", None) or (f"HTTP {exc.status_code}" if getattr(exc, "status_code", None) else type(exc).__name__)
    message = getattr(error, "message", None) or getattr(exc, "message", None) or str(exc)
    message = redact_text(" ".join(str(message).split()))
    return str(code), message[:300] or type(exc).__name__


class Reader:
    """Runs calls, counts them (per page) in meta.api_calls, and records gaps; past the run's
    deadline (`expired()`) it starts no call, and what the call would read is a gap."""

    def __init__(self, inv: Inventory, expired=lambda: False):
        self.inv = inv
        self.succeeded = 0
        self.expired = expired
        self.signin_failure: ClientAuthenticationError | None = None  # the credential could not sign in
        self._lock = threading.Lock()  # subscriptions are read in parallel (collect.py)

    def _count(self, label: str | None = None, succeeded: bool = False) -> None:
        with self._lock:
            if label:
                self.inv.api_calls[label] += 1
            if succeeded:
                self.succeeded += 1

    def gap(self, exc: Exception, scope: str, service: str, api: str, resource_types: list[str]) -> None:
        if isinstance(exc, ClientAuthenticationError) and getattr(exc, "response", None) is None:
            self.signin_failure = exc  # raised by the credential itself, not an ARM answer (a 401 has a response)
        code, message = error_fields(exc)
        self.inv.gaps.append({"scope": scope, "service": service, "api": api, "resource_types": sorted(resource_types),
                              "error_code": code, "message": message})

    def _late(self, scope: str, service: str, api: str, resource_types: list[str]) -> bool:
        if not self.expired():
            return False
        self.inv.gaps.append({"scope": scope, "service": service, "api": api, "resource_types": sorted(resource_types),
                              "error_code": "Timeout", "message": "the collection's time limit (--timeout) ran out before this call"})
        return True

    def pages(self, service: str, api: str, call, *, scope: str, resource_types: list[str]) -> list[dict] | None:
        label = f"{service}.{api}"
        if self._late(scope, service, api, resource_types):
            return None
        try:
            result = call()
            items = []
            if hasattr(result, "by_page"):
                for page in result.by_page():
                    self._count(label)
                    items.extend(to_arm(x) for x in page)
            else:  # an un-paged list response (`value`)
                self._count(label)
                items = [to_arm(x) for x in (getattr(result, "value", None) or [])]
        except ERRORS as e:
            self.gap(e, scope, service, api, resource_types)
            return None
        self._count(succeeded=True)
        return items

    def one(self, service: str, api: str, call, *, scope: str, resource_types: list[str]) -> dict | None:
        label = f"{service}.{api}"
        if self._late(scope, service, api, resource_types):
            return None
        try:
            self._count(label)
            item = to_arm(call())
        except ERRORS as e:
            self.gap(e, scope, service, api, resource_types)
            return None
        self._count(succeeded=True)
        return item


def source(service: str, api: str) -> dict:
    return {"kind": "api", "ref": f"{service}.{api}"}


def scope_of(sub: str, location: str | None = None) -> str:
    return f"{sub}/{(location or 'global').lower()}"


def read_lists(reader: Reader, clients: Clients, sub: str, types=None) -> None:
    """The per-service lists of one subscription (all of them, or only `types`)."""
    for arm_type_, client, api, call, ctypes in LISTS:
        if types is not None and arm_type_ not in types:
            continue
        items = reader.pages(client, api, lambda: call(getattr(clients, client)(sub)), scope=scope_of(sub), resource_types=ctypes)
        if items is not None:
            reader.inv.read.add((sub, arm_type_))
            for arm in items:
                reader.inv.add(arm, source(client, api), as_type=arm_type_)


def read_flow_logs(reader: Reader, clients: Clients, sub: str) -> None:
    """Network Watcher flow logs (NSG and VNet flow logs) of one subscription."""
    net = clients.network(sub)
    watchers = reader.pages("network", "network_watchers.list_all", lambda: net.network_watchers.list_all(),
                            scope=scope_of(sub), resource_types=["network.vpc"])
    if watchers is None:
        return
    complete = True
    for w in watchers:
        rg = resource_group_of(w["id"])
        logs = reader.pages("network", "flow_logs.list", lambda: net.flow_logs.list(rg, w["name"]),
                            scope=scope_of(sub, w.get("location")), resource_types=["network.vpc"])
        if logs is None:
            complete = False
            continue
        for arm in logs:
            reader.inv.add(arm, source("network", "flow_logs.list"), as_type=t.FLOW_LOG)
    if complete:
        reader.inv.read.add((sub, t.FLOW_LOG))


def read_sql_details(reader: Reader, clients: Clients, sub: str) -> None:
    sql = clients.sql(sub)
    for item in reader.inv.of(t.SQL):
        arm = item.arm
        if t.subscription_of(arm["id"]) != sub:
            continue
        rg, name, scope = resource_group_of(arm["id"]), arm["name"], scope_of(sub, arm.get("location"))
        rules = reader.pages("sql", "firewall_rules.list_by_server", lambda: sql.firewall_rules.list_by_server(rg, name),
                             scope=scope, resource_types=["db.instance"])
        reader.inv.set_detail(arm["id"], "firewallRules", rules)
        dbs = reader.pages("sql", "databases.list_by_server", lambda: sql.databases.list_by_server(rg, name),
                           scope=scope, resource_types=["db.instance"])
        reader.inv.set_detail(arm["id"], "databases", dbs)
        for db in dbs or []:
            if str(db.get("name", "")).lower() == "master":
                continue
            tde = reader.one("sql", "transparent_data_encryptions.get",
                             lambda: sql.transparent_data_encryptions.get(rg, name, db["name"], "current"),
                             scope=scope, resource_types=["db.instance"])
            reader.inv.set_detail(db["id"], "transparentDataEncryption", tde)
            backup = reader.one("sql", "backup_short_term_retention_policies.get",
                                lambda: sql.backup_short_term_retention_policies.get(rg, name, db["name"], "default"),
                                scope=scope, resource_types=["db.instance"])
            reader.inv.set_detail(db["id"], "backupShortTermRetentionPolicies", backup)


def read_flexible_details(reader: Reader, clients: Clients, sub: str) -> None:
    """Firewall rules and the TLS server parameters of PostgreSQL and MySQL flexible servers."""
    from .normalise.database import PARAMS

    for arm_type_, service in ((t.POSTGRES, "postgresql"), (t.MYSQL, "mysql")):
        client = getattr(clients, service)(sub)
        for item in reader.inv.of(arm_type_):
            arm = item.arm
            if t.subscription_of(arm["id"]) != sub:
                continue
            rg, name, scope = resource_group_of(arm["id"]), arm["name"], scope_of(sub, arm.get("location"))
            rules = reader.pages(service, "firewall_rules.list_by_server", lambda: client.firewall_rules.list_by_server(rg, name),
                                 scope=scope, resource_types=["db.instance"])
            reader.inv.set_detail(arm["id"], "firewallRules", rules)
            params = {}
            for param in PARAMS[arm_type_]:
                conf = reader.one(service, "configurations.get", lambda: client.configurations.get(rg, name, param),
                                  scope=scope, resource_types=["db.instance"])
                params[param] = None if conf is None else (conf.get("properties") or {}).get("value")
            reader.inv.set_detail(arm["id"], "configurations", None if None in params.values() else params)


def read_keys(reader: Reader, clients: Clients, sub: str) -> None:
    """Keys of every vault through ARM (no data-plane access needed), with their rotation
    policy; a key listed without one is read once more to get it."""
    kv = clients.keyvault(sub)
    for item in reader.inv.of(t.VAULT):
        arm = item.arm
        if t.subscription_of(arm["id"]) != sub:
            continue
        rg, name, scope = resource_group_of(arm["id"]), arm["name"], scope_of(sub, arm.get("location"))
        keys = reader.pages("keyvault", "keys.list", lambda: kv.keys.list(rg, name), scope=scope, resource_types=["kms.key"])
        for key in keys or []:
            if "rotationPolicy" not in (key.get("properties") or {}):
                full = reader.one("keyvault", "keys.get", lambda: kv.keys.get(rg, name, key["name"]),
                                  scope=scope, resource_types=["kms.key"])
                key = full or key
            reader.inv.add(key, source("keyvault", "keys.list"), as_type=t.KEY)


def read_subscription_settings(reader: Reader, clients: Clients, sub: str) -> None:
    """Defender plans, activity-log export, and the zones of each region."""
    plans = reader.pages("security", "pricings.list", lambda: clients.security(sub).pricings.list(scope_id=f"subscriptions/{sub}"),
                         scope=scope_of(sub), resource_types=["cloud.region"])
    if plans is not None:
        reader.inv.read.add((sub, t.PRICING))
        for arm in plans:
            reader.inv.add(arm, source("security", "pricings.list"), as_type=t.PRICING)
    settings = reader.pages("monitor", "subscription_diagnostic_settings.list",
                            lambda: clients.monitor(sub).subscription_diagnostic_settings.list(),
                            scope=scope_of(sub), resource_types=["cloud.account"])
    if settings is not None:
        reader.inv.read.add((sub, t.DIAGNOSTIC))
        for arm in settings:
            reader.inv.add(arm, source("monitor", "subscription_diagnostic_settings.list"), as_type=t.DIAGNOSTIC)
    locations = reader.pages("subscriptions", "subscriptions.list_locations",
                             lambda: clients.subscriptions().subscriptions.list_locations(sub),
                             scope=scope_of(sub), resource_types=["network.vpc", "db.instance"])
    if locations is not None:
        reader.inv.zones_read.add(sub)
        for loc in locations:
            zones = [m.get("logicalZone") for m in loc.get("availabilityZoneMappings") or [] if m.get("logicalZone")]
            reader.inv.zones[(sub, str(loc.get("name", "")).lower())] = sorted(zones)
