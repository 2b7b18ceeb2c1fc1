"""Key Vaults → kms.vault, their keys → kms.key.

Vault: soft delete (enableSoftDelete: left undetermined when unset, since vaults made
before it became mandatory may lack it) and purge protection (enablePurgeProtection: the
property is only ever true or unset, and unset means off).

Key: every Key Vault key is customer-managed; automatic rotation is a rotation policy
with a "Rotate" lifetime action, its period the action's timeAfterCreate.
"""

import re

from genmei.collectors.canonical import keys

from ..inventory import Inventory, Item
from .common import get, lower, props, resource

_DURATION = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?", re.I)


def period_days(duration) -> int | None:
    """ISO 8601 P90D / P3M / P1Y → days (months as 30, years as 365); None otherwise."""
    m = _DURATION.fullmatch(str(duration or ""))
    if not m or not any(m.groups()):
        return None
    y, mo, w, d = (int(x or 0) for x in m.groups())
    return y * 365 + mo * 30 + w * 7 + d


def vault(item: Item, inv: Inventory) -> list[dict]:
    p = props(item.arm)
    attrs: dict = {}
    if p is not None:
        soft = p.get("enableSoftDelete")
        attrs = {
            "soft_delete_enabled": soft if isinstance(soft, bool) else None,
            "purge_protection_enabled": p.get("enablePurgeProtection") is True,
        }
    return [resource(item, "kms.vault", attrs)]


def rotation(policy) -> tuple[bool, int | None]:
    for action in get(policy, "lifetimeActions", default=[]) or []:
        if lower(get(action, "action", "type")) == "rotate":
            return True, period_days(get(action, "trigger", "timeAfterCreate"))
    return False, None


def key(item: Item, inv: Inventory) -> list[dict]:
    p = props(item.arm)
    attrs: dict = {"managed_by": "customer", "rotation_supported": True}
    if p is not None:
        enabled = get(p, "attributes", "enabled")
        rotating, days = rotation(p.get("rotationPolicy"))
        kty = p.get("kty")
        attrs = keys.kms_key(managed_by="customer", enabled=enabled if isinstance(enabled, bool) else None,
                             rotation_enabled=rotating, rotation_period_days=days, rotation_supported=True,
                             key_spec=kty if isinstance(kty, str) else None)
    return [resource(item, "kms.key", attrs)]
