"""Construction of the azure-mgmt-* clients: one endpoint, one credential, one TLS trust
setting, one retry budget and bounded timeouts for all of them, and a guard that lets only
the requests genmei makes be sent.

The same code talks to Azure (https://management.azure.com, or a sovereign cloud's ARM
endpoint) and to the loopback TLS server the tests replay recorded ARM JSON from: only
`endpoint` and `verify` differ.
"""

import re
import threading
import time
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

from azure.core.exceptions import HttpResponseError
from azure.core.pipeline.policies import SansIOHTTPPolicy

from .cli import PUBLIC_ARM

# Per request: connect and read timeouts; the first request (the subscriptions) gets one
# retry, so an endpoint that never answers is reported within a minute.
CONNECTION_TIMEOUT, READ_TIMEOUT = 10, 30
PROBE = {"retry_total": 1, "read_timeout": 15}

_SUB = r"/subscriptions/[^/]+"
_RG = _SUB + r"/resourcegroups/[^/]+/providers"
# The requests genmei sends (method, path below the ARM endpoint, lower case): the calls of
# calls.py, collect.py and graph.py, and their next pages. Anything else — a secret, an
# app's settings, a storage key, a VM's user data, the SDK's own provider registration — is
# refused before it is sent.
ALLOWED_REQUESTS = tuple((method, re.compile(f"^{path}$")) for method, path in (
    ("GET", r"/subscriptions"),
    ("GET", _SUB),
    ("GET", _SUB + r"/locations"),
    ("GET", _SUB + r"/providers/microsoft\.network/(networksecuritygroups|networkinterfaces|publicipaddresses"
            r"|virtualnetworks|networkwatchers|natgateways)"),
    ("GET", _RG + r"/microsoft\.network/networkwatchers/[^/]+/flowlogs"),
    ("GET", _SUB + r"/providers/microsoft\.compute/(virtualmachines|disks)"),
    ("GET", _SUB + r"/providers/microsoft\.storage/storageaccounts"),
    ("GET", _SUB + r"/providers/microsoft\.keyvault/vaults"),
    ("GET", _RG + r"/microsoft\.keyvault/vaults/[^/]+/keys(/[^/]+)?"),
    ("GET", _SUB + r"/providers/microsoft\.containerservice/managedclusters"),
    ("GET", _SUB + r"/providers/microsoft\.sql/servers"),
    ("GET", _RG + r"/microsoft\.sql/servers/[^/]+/(firewallrules|databases)"),
    ("GET", _RG + r"/microsoft\.sql/servers/[^/]+/databases/[^/]+/(transparentdataencryption/current"
            r"|backupshorttermretentionpolicies/default)"),
    ("GET", _SUB + r"/providers/microsoft\.dbfor(postgresql|mysql)/flexibleservers"),
    ("GET", _RG + r"/microsoft\.dbfor(postgresql|mysql)/flexibleservers/[^/]+/(firewallrules|configurations/[^/]+)"),
    ("GET", _SUB + r"/providers/microsoft\.security/pricings"),
    ("GET", _SUB + r"/providers/microsoft\.insights/diagnosticsettings"),
    ("POST", r"/providers/microsoft\.resourcegraph/resources"),
    # ops: scale sets, their autoscale settings, metric alert rules and action groups
    ("GET", _SUB + r"/providers/microsoft\.compute/virtualmachinescalesets"),
    ("GET", _SUB + r"/providers/microsoft\.insights/(autoscalesettings|metricalerts|actiongroups)"),
    # ops2: Application Gateways and the WAF policies they name (GM-NET-005)
    ("GET", _SUB + r"/providers/microsoft\.network/(applicationgateways|applicationgatewaywebapplicationfirewallpolicies)"),
))


class ReadOnlyViolation(HttpResponseError):
    """A request genmei does not make was about to be sent (and was not)."""


class ReadOnlyPolicy(SansIOHTTPPolicy):
    """Refuse every request but the ones genmei makes (ALLOWED_REQUESTS), and any that would
    expand a VM's user data.

    azure-mgmt-core's auto-registration policy answers a 409 MissingSubscriptionRegistration
    by POSTing `providers/<ns>/register`, a write; this policy sits after the retry policy,
    so it sees every request actually sent, that one included.
    """

    def __init__(self, prefix: str = ""):
        self.prefix = prefix.rstrip("/").lower()   # a path the ARM endpoint itself has

    def on_request(self, request):
        http = request.http_request
        parts = urlsplit(http.url)
        path = parts.path.lower().rstrip("/")
        if self.prefix and path.startswith(self.prefix):
            path = path[len(self.prefix):]
        expand = ",".join(parse_qs(parts.query).get("$expand", [])).lower()
        if "userdata" not in expand and any(http.method == m and r.match(path) for m, r in ALLOWED_REQUESTS):
            return
        raise ReadOnlyViolation(message=f"genmei is read-only: refused {http.method} {path}")


class CachedCredential:
    """One token per scope for the whole run. DefaultAzureCredential's developer
    credentials (Azure CLI, azd, PowerShell) start a process for every token request, and
    every client asks once: a few dozen clients would mean a few dozen `az` runs."""

    def __init__(self, inner, tenant: str | None = None):
        self._inner = inner
        self._tenant = tenant  # --tenant: every token is asked for it
        self._tokens: dict[tuple, object] = {}
        self._lock = threading.Lock()

    def get_token(self, *scopes, **kwargs):
        if self._tenant and not kwargs.get("tenant_id"):
            kwargs["tenant_id"] = self._tenant
        if kwargs.get("claims"):  # a claims challenge needs a fresh token
            return self._inner.get_token(*scopes, **kwargs)
        key = (scopes, kwargs.get("tenant_id"))
        with self._lock:
            token = self._tokens.get(key)
            if token is None or token.expires_on - 300 < time.time():
                token = self._tokens[key] = self._inner.get_token(*scopes, **kwargs)
            return token


class Clients:
    """The typed clients, built on first use and reused per subscription."""

    def __init__(self, credential, endpoint: str = PUBLIC_ARM, verify: str | bool = True, retries: int = 5,
                 deadline: float | None = None, tenant: str | None = None):
        self.endpoint = endpoint.rstrip("/")
        self.deadline = deadline   # time.monotonic() after which no request is started
        self._options = {
            "base_url": self.endpoint,
            "credential_scopes": [f"{self._token_audience()}/.default"],
            "connection_verify": verify,
            "retry_total": retries,
            "connection_timeout": CONNECTION_TIMEOUT,
            "read_timeout": READ_TIMEOUT,
            "per_retry_policies": [ReadOnlyPolicy(urlsplit(self.endpoint).path)],
        }
        self._credential = CachedCredential(credential, tenant)

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    def _token_audience(self) -> str:
        # Tokens for the public cloud are issued for management.azure.com; a sovereign
        # or test endpoint is its own audience.
        return PUBLIC_ARM if self.endpoint == PUBLIC_ARM else self.endpoint

    @lru_cache(maxsize=None)
    def subscriptions(self):
        from azure.mgmt.resource.subscriptions import SubscriptionClient
        return SubscriptionClient(self._credential, **self._options)

    @lru_cache(maxsize=None)
    def graph(self):
        from azure.mgmt.resourcegraph import ResourceGraphClient
        return ResourceGraphClient(self._credential, **self._options)

    @lru_cache(maxsize=None)
    def network(self, sub: str):
        from azure.mgmt.network import NetworkManagementClient
        return NetworkManagementClient(self._credential, sub, **self._options)

    @lru_cache(maxsize=None)
    def compute(self, sub: str):
        from azure.mgmt.compute import ComputeManagementClient
        return ComputeManagementClient(self._credential, sub, **self._options)

    @lru_cache(maxsize=None)
    def storage(self, sub: str):
        from azure.mgmt.storage import StorageManagementClient
        return StorageManagementClient(self._credential, sub, **self._options)

    @lru_cache(maxsize=None)
    def containerservice(self, sub: str):
        from azure.mgmt.containerservice import ContainerServiceClient
        return ContainerServiceClient(self._credential, sub, **self._options)

    @lru_cache(maxsize=None)
    def keyvault(self, sub: str):
        from azure.mgmt.keyvault import KeyVaultManagementClient
        return KeyVaultManagementClient(self._credential, sub, **self._options)

    @lru_cache(maxsize=None)
    def sql(self, sub: str):
        from azure.mgmt.sql import SqlManagementClient
        return SqlManagementClient(self._credential, sub, **self._options)

    @lru_cache(maxsize=None)
    def postgresql(self, sub: str):
        from azure.mgmt.postgresqlflexibleservers import PostgreSQLManagementClient
        return PostgreSQLManagementClient(self._credential, sub, **self._options)

    @lru_cache(maxsize=None)
    def mysql(self, sub: str):
        from azure.mgmt.mysqlflexibleservers import MySQLManagementClient
        return MySQLManagementClient(self._credential, sub, **self._options)

    @lru_cache(maxsize=None)
    def security(self, sub: str):
        from azure.mgmt.security import SecurityCenter
        return SecurityCenter(self._credential, sub, **self._options)

    @lru_cache(maxsize=None)
    def monitor(self, sub: str):
        from azure.mgmt.monitor import MonitorManagementClient
        return MonitorManagementClient(self._credential, sub, **self._options)
