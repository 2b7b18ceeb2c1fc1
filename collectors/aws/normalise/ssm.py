"""Systems Manager → compute.host_management: one per EC2 instance of the region and per
other managed node (hybrid, mi-…), so a VM Systems Manager does not manage is seen
(managed: false) rather than missing.

- managed: the node is registered with Systems Manager (DescribeInstanceInformation);
- patch_compliant, missing_patches, patch_assessed_at: Patch Manager's compliance
  summary for the node (Status, the non-compliant counts by severity, the execution
  time). A managed node Patch Manager has never assessed has none: unknown, saying so;
- missing_critical_high: of the missing patches, how many are of Critical or High
  (Windows: Critical or Important) severity (the summary's CriticalCount + HighCount);
- running: the EC2 instance's state is running (a stopped VM's patch state is not judged);
- software_inventory, inventory_collected_at: the AWS:Application inventory's capture
  time (none captured: false);
- observed_at: when the collection started; ages are counted to then.
"""

from genmei.collectors.canonical import times

from .common import arn, name_tag, resource, tags

SEVERITY_COUNTS = {"CriticalCount": "critical", "HighCount": "high", "MediumCount": "medium", "LowCount": "low",
                   "InformationalCount": "informational", "UnspecifiedCount": "unspecified"}
NEVER_ASSESSED = "Patch Manager has no patch compliance for this node (it has never been scanned for patches)"


def _patch(summary: dict | None, read: bool) -> dict:
    if not read:
        return {}  # the compliance call failed: its gap says why
    if summary is None:
        return {"not_collected": {"patch_compliant": NEVER_ASSESSED}}
    status = summary.get("Status")
    counts = ((summary.get("NonCompliantSummary") or {}).get("SeveritySummary") or {})
    execution = (summary.get("ExecutionSummary") or {}).get("ExecutionTime")
    out = {"patch_compliant": {"COMPLIANT": True, "NON_COMPLIANT": False}.get(status),
           "missing_patches": {word: counts[key] for key, word in SEVERITY_COUNTS.items() if counts.get(key)},
           "patch_assessed_at": times.rfc3339(execution)}
    if status == "COMPLIANT":
        out["missing_critical_high"] = 0
    elif counts:
        out["missing_critical_high"] = int(counts.get("CriticalCount") or 0) + int(counts.get("HighCount") or 0)
    else:
        out["not_collected"] = {"missing_critical_high": "the compliance summary holds no severity counts of the missing patches"}
    return out


def _inventory(entry: dict | None) -> dict:
    if entry is None:
        return {}
    if "Error" in entry:
        err = entry["Error"]
        return {"not_collected": {"software_inventory": f"ssm:ListInventoryEntries failed ({err.get('Code')}: {err.get('Message')})"}}
    captured = times.rfc3339(entry.get("CaptureTime") or None)
    return {"software_inventory": captured is not None, "inventory_collected_at": captured}


def _hosts(acct, region: str, raw: dict):
    nodes = raw.get("ssm:DescribeInstanceInformation")
    if nodes is None:
        return
    by_id = {n["InstanceId"]: n for n in nodes if n.get("InstanceId")}
    compliance = raw.get("ssm:ListResourceComplianceSummaries")
    patches = {c.get("ResourceId"): c for c in compliance or [] if c.get("ComplianceType") == "Patch"}
    inventory = raw.get("ssm:ListInventoryEntries") or {}
    instances = [i for rv in raw.get("ec2:DescribeInstances") or [] for i in rv.get("Instances", [])
                 if (i.get("State") or {}).get("Name") != "terminated"]
    seen = set()
    for i in instances:
        seen.add(i["InstanceId"])
        host = _host(acct, region, arn(acct, "ec2", region, f"instance/{i['InstanceId']}"), name_tag(i, i["InstanceId"]),
                     tags(i.get("Tags")), by_id.get(i["InstanceId"]), patches, compliance is not None, inventory)
        state = (i.get("State") or {}).get("Name")
        if state:
            host["attrs"]["running"] = state == "running"
        yield host
    for node_id, node in sorted(by_id.items()):
        if node_id not in seen and node.get("ResourceType") != "EC2Instance":
            yield _host(acct, region, arn(acct, "ssm", region, f"managed-instance/{node_id}"),
                        node.get("ComputerName") or node.get("Name") or node_id, {}, node, patches, compliance is not None,
                        inventory)


def _host(acct, region, host_id, name, host_tags, node, patches, compliance_read, inventory):
    attrs = {"instance": host_id, "managed": node is not None, "observed_at": acct.observed_at}
    evidence = {"ManagedNode": node}
    if node is not None:
        node_id = node["InstanceId"]
        patch, inv = _patch(patches.get(node_id), compliance_read), _inventory(inventory.get(node_id))
        reasons = {**patch.pop("not_collected", {}), **inv.pop("not_collected", {})}
        attrs.update(patch | inv)
        if reasons:
            attrs["not_collected"] = reasons
        evidence.update({"PatchCompliance": patches.get(node_id), "Inventory": inventory.get(node_id)})
    return resource(acct, type="compute.host_management", native="AWS::SSM::ManagedInstanceInventory", id=host_id,
                    name=name, region=region, tags=host_tags, attrs=attrs, raw=evidence,
                    ref="ssm:DescribeInstanceInformation")


def resources(acct):
    for region, raw in sorted(acct.regions.items()):
        yield from _hosts(acct, region, raw)
