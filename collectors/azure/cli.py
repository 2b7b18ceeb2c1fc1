"""The `azure` provider of `genmei collect` and `genmei scan` (collectors/registry.py).

Authentication is azure-identity's DefaultAzureCredential (environment, workload or
managed identity, Azure CLI, …) unless a credential is passed in. Set
AZURE_TOKEN_CREDENTIALS=dev where no metadata endpoint exists, so the chain does not
wait on one.
"""

import logging
import time
from pathlib import Path

from genmei.engine.errors import InputError

from ..limits import DEFAULT_TIMEOUT

PUBLIC_ARM = "https://management.azure.com"
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
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S",
                        help=f"time limit of the whole collection in seconds (default: {DEFAULT_TIMEOUT}); what is not read "
                             "by then is a collection gap (NOT_EVALUATED), never a PASS")


def collect(args, progress, credential=None) -> dict:
    from .clients import Clients
    from .collect import collect as run

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
    # The SDK's own warnings would mislead here ("…not registered. We are registering for
    # you": the read-only guard refuses that) or repeat what the gaps and errors say.
    for name in ("azure.mgmt.core.policies", "azure.identity"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if credential is None:
        from azure.identity import DefaultAzureCredential
        credential = DefaultAzureCredential()
    clients = Clients(credential, endpoint=args.arm_endpoint, verify=args.ca_bundle or True, retries=args.retries,
                      deadline=time.monotonic() + timeout)
    return run(clients, subscriptions, args.inventory == "graph", progress)
