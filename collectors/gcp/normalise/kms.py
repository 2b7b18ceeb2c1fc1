"""Cloud KMS crypto keys as kms.key.

Every Cloud KMS key is a customer-managed key (Google-managed default encryption uses
no key the customer sees). Automatic rotation is on when the key has a rotationPeriod
(a duration such as "7776000s"); Cloud KMS rotates only symmetric ENCRYPT_DECRYPT keys
automatically, so other purposes are keys rotation does not apply to
(`rotation_supported` false: collectors/canonical/keys.py), not keys with rotation off.
`enabled` is the state of the primary version (absent for asymmetric keys: unknown).
"""

from genmei.collectors.canonical import keys

from .common import as_int, dig

DAY = 86400


def crypto_key(a, ctx) -> dict:
    data = a.data
    if data is None:
        return {"attrs": {}}
    period = _seconds(data.get("rotationPeriod"))
    state = dig(data, "primary", "state")
    purpose, level = data.get("purpose"), dig(data, "versionTemplate", "protectionLevel")
    attrs = keys.kms_key(
        managed_by="customer", enabled=(state == "ENABLED") if isinstance(state, str) else None,
        rotation_enabled=bool(data.get("rotationPeriod")), rotation_period_days=period // DAY if period is not None else None,
        rotation_supported=keys.gcp_rotation_supported(purpose, level), key_spec=dig(data, "versionTemplate", "algorithm"),
        key_usage=purpose, purpose=purpose, protection_level=level)
    return {"attrs": attrs}


def _seconds(value) -> int | None:
    if isinstance(value, str) and value.endswith("s"):
        value = value[:-1]
    return as_int(value) if value not in (None, "") else None
