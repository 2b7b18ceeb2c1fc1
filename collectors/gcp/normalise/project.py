"""Per-project settings as cloud.region (region "global"): one per project read.

GCP has no per-region switches for these: Compute Engine encrypts every new disk at
rest by default and this cannot be turned off, so `default_disk_encryption` is true.

`threat_detection_enabled` comes from Security Command Center, which Cloud Asset
Inventory does not hold: the live collector reads it per project through Security
Center Management (../security_center.py) and `with_threat_detection` sets it here.
Until then — and for good in an import of CAI exports — it is absent and
`not_collected.threat_detection_enabled` says why, so GM-IDS-001 is NOT_EVALUATED per
project with that reason, never inapplicable and never PASS. The reason is carried on
the resource rather than as a collection gap: a gap names canonical types, and one over
`cloud.region` would also put default disk encryption, which was read, in doubt.

The resource id is the project's Compute Engine name (//compute.googleapis.com/projects/P);
its `raw` is the compute Project asset when that was read, plus the Security Command
Center services when those were read.
"""

from genmei.collectors.canonical.redact import raw as redact
from genmei.collectors.canonical.resource import resource as canonical_resource

from .monitoring import POLICIES_NOT_READ

NOT_IN_CAI = "Security Command Center state is not part of Cloud Asset Inventory data"
NOT_READ = "Security Command Center was not read (--no-scc)"
# The detector of 6.6.1.14: Event Threat Detection watches the project's logs (audit,
# VPC flow, DNS) for attacks, as GuardDuty does on AWS. Container, VM Threat Detection
# watch workloads, Security Health Analytics misconfigurations: kept as evidence only.
EVENT_THREAT_DETECTION = "event-threat-detection"
# An effective state that means Event Threat Detection is not watching. INGEST_ONLY:
# findings would be ingested but the service itself is not enabled.
NOT_WATCHING = ("DISABLED", "INGEST_ONLY")


def project_settings(projects: set[str], compute_projects: dict, origin: dict, scanning: dict | None = None,
                     quotas: dict | None = None) -> list[dict]:
    """`scanning`: {project: (vulnerability_scanning_enabled, why unknown)} (vm_manager.py);
    `quotas`: {project: alert policies on quota metrics} (monitoring.py), None when the
    alert policies were not read.
    Cloud Asset Inventory records every asset's configuration and its changes, always:
    configuration_recorder is "recording"."""
    out = []
    for pid in sorted(projects):
        asset = compute_projects.get(pid)
        source = asset.origin if asset is not None else {**origin, "ref": "project settings derived from its assets"}
        extra = {"raw": {"resource": asset.data, "iam_policy": asset.iam_policy, "ancestors": asset.ancestors}} if asset else {}
        enabled, why = (scanning or {}).get(pid, (None, None))
        not_collected = {"threat_detection_enabled": NOT_IN_CAI}
        if why:
            not_collected["vulnerability_scanning_enabled"] = why
        if quotas is None:
            not_collected["quota_alarms"] = POLICIES_NOT_READ
        out.append(canonical_resource(
            "cloud.region", f"//compute.googleapis.com/projects/{pid}", "gcp", "compute.googleapis.com/Project", source,
            {"default_disk_encryption": True, "configuration_recorder": "recording",
             "vulnerability_scanning_enabled": enabled, "not_collected": not_collected,
             **({} if quotas is None else {"quota_alarms": quotas.get(pid, [])})},
            account=pid, region="global", name=pid, **extra))
    return out


def threat_detection(services: list[dict]) -> tuple[bool | None, str | None]:
    """(threat_detection_enabled, why it is unknown) from a project's Security Command
    Center services: Event Threat Detection's effective state (inheritance included)
    ENABLED → true; DISABLED or INGEST_ONLY → false; unspecified, a state this client
    does not know, or the service not listed at all → unknown, with the reason."""
    etd = next((s for s in services if str(s.get("name", "")).rsplit("/", 1)[-1] == EVENT_THREAT_DETECTION), None)
    if etd is None:
        return None, "Event Threat Detection is not among the project's Security Command Center services"
    state = etd.get("effective_enablement_state")
    if state == "ENABLED":
        return True, None
    if state in NOT_WATCHING:
        return False, None
    return None, f"the effective enablement state of Event Threat Detection is {state}"


def with_threat_detection(resource: dict, services: list[dict] | None, why: str | None) -> None:
    """Set a project's threat detection from its services, or record why it stays
    unknown (`why`: the call failed, or was not made)."""
    attrs = resource["attrs"]
    attrs.pop("threat_detection_enabled", None)
    others = {k: v for k, v in attrs.pop("not_collected", {}).items() if k != "threat_detection_enabled"}
    if others:
        attrs["not_collected"] = others
    if services is not None:
        enabled, why = threat_detection(services)
        if enabled is not None:
            attrs["threat_detection_enabled"] = enabled
        resource["raw"] = {**resource.get("raw", {}), "security_center_services": redact(services)}
    if why is not None:
        attrs["not_collected"] = {**attrs.get("not_collected", {}), "threat_detection_enabled": why}
