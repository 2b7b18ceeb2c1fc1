"""The `azure` provider of `genmei collect` and `genmei scan` (collectors/registry.py).

Authentication is azure-identity's DefaultAzureCredential (environment, workload or
managed identity, Azure CLI, …) unless a credential is passed in. Set
AZURE_TOKEN_CREDENTIALS=dev where no metadata endpoint exists, so the chain does not
wait on one.
"""

import logging
import re
import time
from pathlib import Path

from genmei.engine.errors import InputError

from ..limits import DEFAULT_TIMEOUT

PUBLIC_ARM = "https://management.azure.com"
MAX_WORKERS = 32
TENANT = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.-]{0,253}$")
TITLE = "Azure (subscriptions, via Resource Graph and the ARM APIs)"


def parse_subscriptions(value: str) -> list[str] | None:
    """`all` → None (every visible subscription); otherwise the listed ids."""
    if value.strip().lower() == "all":
        return None
    subs = [s.strip() for s in value.split(",") if s.strip()]
    if not subs:
        raise InputError("--subscriptions: expected `all` or subscription ids separated by commas")
    return list(dict.fromkeys(subs))


def add_arguments(parser) -> None:
    parser.add_argument("--subscriptions", default="all", metavar="all|ID,...",
                        help="subscriptions to read (default: all that the identity can see)")
    parser.add_argument("--inventory", choices=("graph", "arm"), default="graph",
                        help="read the inventory with one Resource Graph query (default) or per-service list calls")
    parser.add_argument("--arm-endpoint", default=PUBLIC_ARM, metavar="URL",
                        help=f"Azure Resource Manager endpoint (default: {PUBLIC_ARM}; sovereign clouds have their own)")
    parser.add_argument("--ca-bundle", metavar="FILE", help="trust this CA bundle for the ARM endpoint instead of the system's")
    parser.add_argument("--retries", type=int, default=5, metavar="N",
                        help="retries per call on throttling (429) and transient errors (default: 5)")
    parser.add_argument("--tenant", metavar="ID", help="the Microsoft Entra tenant to sign in to (default: the identity's own)")
    parser.add_argument("--max-workers", type=int, default=8, metavar="N",
                        help="subscriptions read in parallel (default: 8, at most 32)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S",
                        help=f"time limit of the whole collection in seconds (default: {DEFAULT_TIMEOUT}); what is not read "
                             "by then is a collection gap (NOT_EVALUATED), never a PASS")


def validate(args) -> list[str] | None:
    """The options, refused (InputError) before anything runs; returns the subscriptions
    asked for (None: every one the identity sees)."""
    subscriptions = parse_subscriptions(args.subscriptions)
    if not args.arm_endpoint.startswith("https://"):
        raise InputError(f"--arm-endpoint {args.arm_endpoint!r}: must be an https:// URL (bearer tokens are never sent in clear)")
    if args.ca_bundle and not Path(args.ca_bundle).is_file():
        raise InputError(f"--ca-bundle {args.ca_bundle}: no such file")
    if args.retries < 0:
        raise InputError("--retries: must be 0 or more")
    timeout = getattr(args, "timeout", DEFAULT_TIMEOUT)
    if not 1 <= timeout <= 24 * 3600:
        raise InputError(f"--timeout {timeout:g}: expected 1 to 86400 seconds")
    workers = getattr(args, "max_workers", 8)
    if not 1 <= workers <= MAX_WORKERS:
        raise InputError(f"--max-workers {workers}: expected 1 to {MAX_WORKERS}")
    tenant = getattr(args, "tenant", None)
    if tenant is not None and not TENANT.match(tenant):
        raise InputError(f"--tenant {tenant!r}: expected a tenant id (a GUID) or a domain such as contoso.onmicrosoft.com")
    return subscriptions


def collect(args, progress, credential=None) -> dict:
    from .clients import Clients
    from .collect import collect as run

    subscriptions = validate(args)
    timeout = getattr(args, "timeout", DEFAULT_TIMEOUT)
    workers = getattr(args, "max_workers", 8)
    tenant = getattr(args, "tenant", None)
    # The SDK's own warnings would mislead here ("…not registered. We are registering for
    # you": the read-only guard refuses that) or repeat what the gaps and errors say.
    for name in ("azure.mgmt.core.policies", "azure.identity"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if credential is None:
        from azure.identity import DefaultAzureCredential
        credential = DefaultAzureCredential(**tenant_options(tenant))
    clients = Clients(credential, endpoint=args.arm_endpoint, verify=args.ca_bundle or True, retries=args.retries,
                      deadline=time.monotonic() + timeout, tenant=tenant)
    return run(clients, subscriptions, args.inventory == "graph", progress, workers)


def tenant_options(tenant: str | None) -> dict:
    """DefaultAzureCredential's options for signing in to `tenant`: each of its credentials
    that takes a tenant gets it, and tokens for it are allowed (clients.CachedCredential asks for them)."""
    if tenant is None:
        return {}
    return {"additionally_allowed_tenants": [tenant], "interactive_browser_tenant_id": tenant,
            "shared_cache_tenant_id": tenant, "visual_studio_code_tenant_id": tenant,
            "workload_identity_tenant_id": tenant}
