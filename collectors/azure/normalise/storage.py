"""Storage accounts → storage.bucket.

- default_encryption: Azure Storage encrypts every account at rest and it cannot be
  turned off; true whenever the account's `encryption` block was read.
- public: anonymous blob access is allowed (allowBlobPublicAccess) and the public
  endpoint is not disabled (publicNetworkAccess). An unset allowBlobPublicAccess is left
  undetermined: its default changed between API versions.
- tls: supportsHttpsTrafficOnly refuses plaintext; minimumTlsVersion, whose documented
  default when unset is TLS 1.0.
- infrastructure_encryption (Azure only): the second, infrastructure-level layer of
  encryption (requireInfrastructureEncryption), off unless set.
- cross_region_copy: the redundancy SKU keeps a copy in the paired region (GRS, RA-GRS,
  GZRS, RA-GZRS); LRS and ZRS keep every copy in one region. The paired region is
  Microsoft's, not in the data: copy_regions is left out.
- versioning / soft delete of blobs are settings of the account's blob service, not of
  the account resource: not collected here (GM-DEL-001 is NOT_EVALUATED, saying so).
"""

from genmei.collectors.canonical import copies, tls as canonical_tls

from ..inventory import Inventory, Item
from .common import props, resource


def public(p: dict) -> tuple[bool | None, list[str]]:
    if str(p.get("publicNetworkAccess") or "").lower() == "disabled":
        return False, []
    blob = p.get("allowBlobPublicAccess")
    if blob is True:
        return True, ["allowBlobPublicAccess"]
    if blob is False:
        return False, []
    return None, []


def tls(p: dict) -> dict | None:
    https_only = p.get("supportsHttpsTrafficOnly")
    version = p.get("minimumTlsVersion")
    return canonical_tls.tls(https_only if isinstance(https_only, bool) else None,
                             "1.0" if version is None else canonical_tls.version(str(version)))


def bucket(item: Item, inv: Inventory) -> list[dict]:
    p = props(item.arm)
    attrs: dict = {}
    if p is not None:
        is_public, via = public(p)
        encryption = p.get("encryption") if isinstance(p.get("encryption"), dict) else None
        attrs = {
            "public": is_public,
            "public_via": via,
            "tls": tls(p),
            "cross_region_copy": copies.azure_geo_redundant((item.arm.get("sku") or {}).get("name")
                                                            if isinstance(item.arm.get("sku"), dict) else None),
            "not_collected": {"versioning": "blob versioning and soft delete are settings of the blob service, "
                                            "which the Azure collector does not read"},
        }
        if encryption is not None:
            attrs["default_encryption"] = True
            attrs["key_type"] = "customer" if str(encryption.get("keySource") or "").lower() == "microsoft.keyvault" else "provider"
            infra = encryption.get("requireInfrastructureEncryption")
            attrs["infrastructure_encryption"] = infra is True
    return [resource(item, "storage.bucket", attrs)]

