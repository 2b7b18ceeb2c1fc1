"""ARM JSON (from the typed clients, Resource Graph, or an export) → canonical resources
of mappings/resource-types.yaml. Kept apart from the calls so that the live collector and
the offline importer share every rule."""

from collections import Counter
from functools import partial

from ..inventory import (AKS, APP_GATEWAY, CONTEXT, DIAGNOSTIC, DISK, KEY, METRIC_ALERT, NAT, NSG, PATCH_ASSESSMENT, PRICING, SCALE_SET,
                         STORAGE, SUBASSESSMENT, SUBSCRIPTION, VAULT, VM, VNET, WAF_POLICY, Inventory, parent_of)
from genmei.collectors.canonical.values import ShapeError

from . import account, compute, database, keyvault, kubernetes, monitoring, network, storage, vulnerability
from .common import location


def normalise(inv: Inventory) -> tuple[list[dict], Counter]:
    """Every canonical resource, sorted by (type, id), and the count of items of types
    genmei does not model (reported, never silently dropped)."""
    net = compute.NetworkIndex(inv)
    targets = network.flow_log_targets(inv)
    vaults = inv.index(VAULT)
    autoscale, groups = monitoring.autoscale_index(inv), monitoring.notifying_groups(inv)
    per_type = {
        NSG: lambda i: network.firewall(i, inv),
        VNET: lambda i: network.vpc(i, inv, targets),
        VM: lambda i: compute.instance(i, inv, net),
        DISK: lambda i: compute.disk(i, inv),
        STORAGE: lambda i: storage.bucket(i, inv),
        VAULT: lambda i: keyvault.vault(i, inv),
        AKS: lambda i: kubernetes.cluster(i, inv),
        SCALE_SET: lambda i: monitoring.scale_set(i, inv, autoscale),
        METRIC_ALERT: lambda i: monitoring.metric_alert(i, inv, groups),
        **{arm_type_: partial(f, inv=inv) for arm_type_, f in database.NORMALISERS.items()},
        NAT: partial(network.nat_gateway, inv=inv, networks=network.nat_networks(inv)),
        APP_GATEWAY: partial(network.application_gateway, inv=inv, policies=inv.index(WAF_POLICY)),
    }
    out: list[dict] = []
    unmodelled: Counter = Counter()
    for arm_type_, items in inv.items.items():
        if arm_type_ in per_type:
            for item in items:
                out.extend(_located(item, per_type[arm_type_]))
        elif arm_type_ == KEY:
            for item in items:
                vault_arm = vaults.get(parent_of(item.arm["id"]).lower()) or {}
                out.extend(_with_region(_located(item, lambda i: keyvault.key(i, inv)),
                                        location(item.arm) or location(vault_arm)))
        elif arm_type_ not in CONTEXT + (PRICING, DIAGNOSTIC, SUBSCRIPTION, SUBASSESSMENT, PATCH_ASSESSMENT):
            unmodelled[arm_type_] += len(items)
    out.extend(account.accounts(inv))
    out.extend(_located_all(vulnerability.reports, inv))
    out.extend(_located_all(vulnerability.hosts, inv))
    return sorted(out, key=lambda r: (r["type"], r["id"].lower())), unmodelled


def _located(item, build) -> list[dict]:
    """The resources of one item; an ARM value of the wrong shape names the resource."""
    try:
        return build(item)
    except ShapeError as e:
        raise ShapeError(f"{item.arm.get('id')}: {e.path}", e.detail) from None


def _located_all(build, inv) -> list[dict]:
    """Resources built from the whole inventory; a value of the wrong shape names the path."""
    try:
        return build(inv)
    except ShapeError as e:
        raise ShapeError(f"{build.__module__.rsplit('.', 1)[-1]}: {e.path}", e.detail) from None


def _with_region(resources: list[dict], where: str | None) -> list[dict]:
    if where:
        for r in resources:
            r["region"] = where.lower().replace(" ", "")
    return resources
