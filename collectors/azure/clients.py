"""Construction of the azure-mgmt-* clients: one endpoint, one credential, one TLS trust
setting and one retry budget for all of them, and a guard that keeps every request
read-only.

The same code talks to Azure (https://management.azure.com, or a sovereign cloud's ARM
endpoint) and to the loopback TLS server the tests replay recorded ARM JSON from: only
`endpoint` and `verify` differ.
"""

import threading
import time
from functools import lru_cache

from azure.core.exceptions import HttpResponseError
from azure.core.pipeline.policies import SansIOHTTPPolicy

from .cli import PUBLIC_ARM

# The one POST genmei sends: a Resource Graph query, which reads.
_READ_POSTS = ("/providers/microsoft.resourcegraph/resources",)


class ReadOnlyViolation(HttpResponseError):
    """A request that would change something was about to be sent (and was not)."""


class ReadOnlyPolicy(SansIOHTTPPolicy):
    """Refuse every request except GET and a Resource Graph query.

    azure-mgmt-core's auto-registration policy answers a 409 MissingSubscriptionRegistration
    by POSTing `providers/<ns>/register`, a write; this policy sits after the retry policy,
    so it sees every request actually sent, that one included.
    """

    def on_request(self, request):
        http = request.http_request
        path = http.url.split("?", 1)[0].lower()
        if http.method == "GET" or (http.method == "POST" and path.endswith(_READ_POSTS)):
            return
        raise ReadOnlyViolation(message=f"genmei is read-only: refused {http.method} {path}")


class CachedCredential:
    """One token per scope for the whole run. DefaultAzureCredential's developer
    credentials (Azure CLI, azd, PowerShell) start a process for every token request, and
    every client asks once: a few dozen clients would mean a few dozen `az` runs."""

    def __init__(self, inner):
        self._inner = inner
        self._tokens: dict[tuple, object] = {}
        self._lock = threading.Lock()

    def get_token(self, *scopes, **kwargs):
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

    def __init__(self, credential, endpoint: str = PUBLIC_ARM, verify: str | bool = True, retries: int = 5):
        self.endpoint = endpoint.rstrip("/")
        self._options = {
            "base_url": self.endpoint,
            "credential_scopes": [f"{self._token_audience()}/.default"],
            "connection_verify": verify,
            "retry_total": retries,
            "per_retry_policies": [ReadOnlyPolicy()],
        }
        self._credential = CachedCredential(credential)

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
