"""Per-project settings as cloud.region (region "global"): one per project read.

GCP has no per-region switches for these: Compute Engine encrypts every new disk at
rest by default and this cannot be turned off, so `default_disk_encryption` is true.
Threat detection (Security Command Center) is not in Cloud Asset Inventory, so
`threat_detection_enabled` is absent (not collected): the check says so per project,
rather than the concern vanishing as inapplicable.

The resource id is the project's Compute Engine name (//compute.googleapis.com/projects/P);
its `raw` is the compute Project asset when that was read.
"""

from ..redact import redact


def project_settings(projects: set[str], compute_projects: dict, origin: dict) -> list[dict]:
    out = []
    for pid in sorted(projects):
        asset = compute_projects.get(pid)
        resource = {
            "id": f"//compute.googleapis.com/projects/{pid}",
            "type": "cloud.region",
            "provider": "gcp",
            "native_type": "compute.googleapis.com/Project",
            "account": pid,
            "region": "global",
            "name": pid,
            "attrs": {"default_disk_encryption": True},
            "source": asset.origin if asset is not None else {**origin, "ref": "project settings derived from its assets"},
        }
        if asset is not None:
            resource["raw"] = redact({"resource": asset.data, "iam_policy": asset.iam_policy, "ancestors": asset.ancestors})
        out.append(resource)
    return out
