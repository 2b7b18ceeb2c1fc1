"""VM Manager (OS Config) → cloud.region vulnerability_scanning_enabled, compute.host_management
(from each VM's OS inventory, CAI's OS_INVENTORY content) and vulnerability.report (from
OS Config's vulnerability reports, read live by ../os_config.py).

Scanning: VM Manager reports a VM's vulnerabilities when the OS Config API is enabled for
its project (a serviceusage.googleapis.com/Service asset in state ENABLED) and
enable-osconfig is TRUE in the project's metadata — or in the metadata of every VM of the
project, which VM Manager honours as well. Either fact not read leaves the state unknown,
saying which.

Hosts: one per VM read, when OS inventories were read for the scope. A VM with an
inventory is managed: software_inventory (installed packages listed) and its collection
time. VM Manager has no patch baseline — it lists the available packages without saying
which ones must be installed — so patch_compliant is not collected, saying so; its
vulnerability reports (GM-VUL-002) are the GCP evidence of timely patching.
"""

from genmei.collectors.canonical import findings as summary, times

from .common import dig, segment
from .compute import metadata_flag, metadata_items

OS_CONFIG_API = "osconfig.googleapis.com"
SERVICE = "serviceusage.googleapis.com/Service"
INSTANCE = "compute.googleapis.com/Instance"
SCANNER = "VM Manager (OS Config)"
NO_BASELINE = ("VM Manager lists available packages without a patch baseline that says which must be installed; "
               "genmei does not judge patch compliance on GCP (its vulnerability reports are judged by GM-VUL-002)")


def api_states(assets, ctx) -> dict[str, str]:
    """{project id: state of the OS Config API} from the serviceusage Service assets."""
    out = {}
    for a in assets:
        if a.asset_type == SERVICE and a.data is not None and segment(a.name, "services") == OS_CONFIG_API:
            out[ctx.project_of(a)] = str(a.data.get("state") or "")
    return out


def scanning(project: str, ctx, api_state: dict, instances: list) -> tuple[bool | None, str | None]:
    """(vulnerability_scanning_enabled, why it is unknown) of one project: VM Manager is on
    for its VMs (enable-osconfig in the project's metadata, or in every VM's own; a VM that
    turns it off for itself is not scanned) and the OS Config API is enabled."""
    vm_flags = [metadata_flag(metadata_items(a.data.get("metadata")), "enable-osconfig") for a in instances if a.data]
    project_meta = ctx.project_metadata(project)
    if False in vm_flags:
        on = False
    elif project_meta is not None:
        on = metadata_flag(project_meta, "enable-osconfig") is True or (bool(vm_flags) and all(vm_flags))
    else:
        on = True if vm_flags and all(vm_flags) else None
    api = (api_state.get(project) == "ENABLED") if ctx.complete(SERVICE) else None
    if on is False or api is False:
        return False, None
    if on and api:
        return True, None
    if on is None:
        return None, "the project's metadata (enable-osconfig) was not read"
    return None, f"whether the OS Config API is enabled was not read ({SERVICE} assets)"


def item_kind(item: dict) -> str:
    """installed or available (an update), by the package the inventory item holds."""
    if "installed_package" in item or "installedPackage" in item:
        return "installed"
    if "available_package" in item or "availablePackage" in item:
        return "available"
    return "other"


def inventory_attrs(asset, observed_at: str | None) -> dict:
    inv = asset.os_inventory
    if inv is None:
        return {"managed": False}
    items = dig(inv, "items", default={}) or {}
    installed = any(item_kind(i) == "installed" for i in items.values() if isinstance(i, dict))
    collected = times.rfc3339(dig(inv, "update_time") or dig(inv, "updateTime"), "os_inventory.update_time")
    return {"managed": True, "software_inventory": installed, "inventory_collected_at": collected,
            "observed_at": observed_at or collected, "not_collected": {"patch_compliant": NO_BASELINE}}


def report_attrs(report: dict, resource_id: str, observed_at: str) -> dict:
    """A VulnerabilityReport (as the client's to_dict writes it) summarised."""
    vulns = [v for v in report.get("vulnerabilities") or [] if isinstance(v, dict)]
    counts = summary.open_findings((dig(v, "details", "severity"), v.get("create_time") or v.get("createTime")) for v in vulns)
    return {"resource": resource_id, "resource_kind": "vm", "scanner": SCANNER, "observed_at": observed_at,
            "open_findings": counts}


def serious(report: dict) -> list[dict]:
    """The critical and high findings of a report, by CVE, for the evidence."""
    out = []
    for v in report.get("vulnerabilities") or []:
        if isinstance(v, dict) and summary.severity(dig(v, "details", "severity")) in ("critical", "high"):
            out.append({"cve": dig(v, "details", "cve"), "severity": dig(v, "details", "severity"),
                        "first_observed": times.rfc3339(v.get("create_time") or v.get("createTime"))})
    return sorted(out, key=lambda x: (x["first_observed"] or "", str(x["cve"])))
