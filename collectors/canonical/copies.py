"""Copies of data and how long deleted data stays: the one builder of the attrs that say
whether a bucket keeps a copy in another region (cross_region_copy, copy_regions) and
whether deleted or overwritten data is erased in bounded time (versioning,
versions_expire, noncurrent_expiry_days), live, imported or planned.

Sources give these facts in their own words — an S3 replication rule's destination
bucket, an Azure storage account's redundancy SKU, a Cloud Storage bucket's location
type; an S3 or GCS lifecycle rule, an Azure management policy — and the normalisers
turn them into the few plain values below, which these functions combine. A copy or an
expiry counts only when it covers the whole bucket: a rule limited to a prefix or a tag
leaves the rest without one. Unknown stays unknown (None, or UNKNOWN from a plan).
"""

from .values import UNKNOWN, known

# Azure storage redundancy SKUs that keep a copy in the paired region.
AZURE_GEO_SKUS = frozenset({"GRS", "RAGRS", "GZRS", "RAGZRS"})
# Cloud Storage location types that span regions.
GCS_MULTI_REGION = frozenset({"dual-region", "multi-region"})


def cross_region(source_region, destination_regions) -> tuple:
    """(cross_region_copy, copy_regions) from the regions that whole-bucket copies go to.
    `destination_regions`: None when the copies were not read; [] when there are none; a
    region may be None (its bucket's region is not known), or UNKNOWN (known after apply)."""
    if destination_regions is UNKNOWN or source_region is UNKNOWN:
        return UNKNOWN, UNKNOWN
    if destination_regions is None or (destination_regions and not source_region):
        return None, None
    other = sorted({r for r in destination_regions if isinstance(r, str) and r and r != source_region})
    if other:
        return True, other
    if any(r is None or r is UNKNOWN for r in destination_regions):
        unknown = any(r is UNKNOWN for r in destination_regions)
        return (UNKNOWN, UNKNOWN) if unknown else (None, None)
    return False, []


def azure_geo_redundant(sku_name) -> bool | None:
    """Standard_GRS, Standard_RAGZRS…: geo-redundant; Standard_LRS, Premium_ZRS…: not."""
    if sku_name is UNKNOWN:
        return UNKNOWN
    if not isinstance(sku_name, str) or "_" not in sku_name:
        return None
    return sku_name.split("_", 1)[1].upper() in AZURE_GEO_SKUS


def gcs_multi_region(location_type) -> bool | None:
    if location_type is UNKNOWN:
        return UNKNOWN
    if not isinstance(location_type, str) or not location_type:
        return None
    return location_type.lower() in GCS_MULTI_REGION


def expiry(rules) -> tuple:
    """(versions_expire, noncurrent_expiry_days) from lifecycle rules given as
    (enabled, whole_bucket, days after which previous versions are deleted or None).
    None when the rules were not read; a rule whose fields are unknown after apply makes
    the answer unknown unless a known rule already expires previous versions."""
    if rules is None:
        return None, None
    if rules is UNKNOWN:
        return UNKNOWN, UNKNOWN
    days, unknown = [], False
    for enabled, whole, after in rules:
        if not known(enabled, whole, after):
            unknown = True
            continue
        if enabled is True and whole is True and isinstance(after, int) and not isinstance(after, bool):
            days.append(after)
    if days:
        return True, min(days)
    return (UNKNOWN, UNKNOWN) if unknown else (False, None)
