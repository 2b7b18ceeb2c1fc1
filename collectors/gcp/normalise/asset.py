"""One CAI asset, read from any of the shapes users and the API produce.

`Asset.to_dict()` of the Python client and `gcloud asset export` (JSONL) use the proto
field names (snake_case: asset_type, iam_policy, update_time); the REST API and
`gcloud asset list --format=json` use the JSON names (camelCase: assetType, iamPolicy).
Inside `resource.data` the keys are the resource API's own (camelCase) in every shape.
Exports of the same asset with different content types (RESOURCE, IAM_POLICY) arrive as
separate records and are merged by asset name.
"""

from dataclasses import dataclass, field

from genmei.collectors.canonical.values import json_kind


class AssetError(ValueError):
    """A record that is not a CAI asset (the message says what is wrong)."""


@dataclass
class Asset:
    name: str
    asset_type: str
    data: dict | None = None          # resource.data; None when RESOURCE content was not given
    iam_policy: dict | None = None    # None when IAM_POLICY content was not given
    ancestors: list = field(default_factory=list)
    location: str | None = None       # resource.location
    parent: str | None = None         # resource.parent (//cloudresourcemanager.googleapis.com/projects/N)
    origin: dict = field(default_factory=dict)  # snapshot `source` of the first record
    os_inventory: dict | None = None  # OS_INVENTORY content (VM Manager's inventory of a VM); None when not given
    update_time: str | None = None    # when CAI last saw the asset change

    @property
    def short_type(self) -> str:
        return self.asset_type.rsplit("/", 1)[-1]


def get(d: dict, snake: str, camel: str | None = None):
    """The value under the proto name or the JSON name, whichever the record uses."""
    if snake in d and d[snake] not in (None, ""):
        return d[snake]
    if camel and camel in d and d[camel] not in (None, ""):
        return d[camel]
    return None


def read_asset(record, origin: dict) -> Asset:
    if not isinstance(record, dict):
        raise AssetError(f"expected a CAI asset object, got {type(record).__name__}")
    name = get(record, "name")
    asset_type = get(record, "asset_type", "assetType")
    if not isinstance(name, str) or not name:
        raise AssetError("asset without a `name`")
    if not isinstance(asset_type, str) or not asset_type:
        raise AssetError(f"asset {name}: no `asset_type` (or `assetType`)")
    resource = get(record, "resource")
    if resource is not None and not isinstance(resource, dict):
        raise AssetError(f"asset {name}: `resource` is not an object")
    resource = resource or {}
    data = get(resource, "data")
    if data is not None and not isinstance(data, dict):
        raise AssetError(f"asset {name}: `resource.data` is not an object")
    iam = get(record, "iam_policy", "iamPolicy")
    if iam is not None and not isinstance(iam, dict):
        raise AssetError(f"asset {name}: `iam_policy` is not an object")
    inventory = get(record, "os_inventory", "osInventory")
    if inventory is not None and not isinstance(inventory, dict):
        raise AssetError(f"asset {name}: `os_inventory` is not an object")
    updated = get(record, "update_time", "updateTime")
    if updated is not None and not isinstance(updated, str):
        raise AssetError(f"asset {name}: `update_time` is a JSON {json_kind(updated)}, expected a time")
    ancestors = get(record, "ancestors") or []
    if not isinstance(ancestors, list) or not all(isinstance(a, str) for a in ancestors):
        raise AssetError(f"asset {name}: `ancestors` is not a list of names")
    for key in ("location", "parent"):
        value = get(resource, key)
        if value is not None and not isinstance(value, str):
            raise AssetError(f"asset {name}: `resource.{key}` is a JSON {json_kind(value)}, expected a string")
    return Asset(
        name=name, asset_type=asset_type, data=data, iam_policy=iam, ancestors=list(ancestors),
        location=get(resource, "location"), parent=get(resource, "parent"), origin=origin,
        os_inventory=inventory, update_time=updated,
    )



def merge(assets: list[Asset]) -> list[Asset]:
    """One asset per name: the RESOURCE and IAM_POLICY records of an asset combined.
    A later record fills only what earlier ones lacked; order of first appearance kept."""
    by_name: dict[tuple[str, str], Asset] = {}
    for a in assets:
        key = (a.asset_type, a.name)
        seen = by_name.get(key)
        if seen is None:
            by_name[key] = a
            continue
        for attr in ("data", "iam_policy", "location", "parent", "os_inventory", "update_time"):
            if getattr(seen, attr) is None and getattr(a, attr) is not None:
                setattr(seen, attr, getattr(a, attr))
        if not seen.ancestors and a.ancestors:
            seen.ancestors = a.ancestors
    return list(by_name.values())
