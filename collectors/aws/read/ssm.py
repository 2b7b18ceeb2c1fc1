"""Systems Manager in one region: the managed nodes (whose agent reports), their patch
compliance (Patch Manager), and when each one's software inventory was last collected.

The inventory is read per node with ListInventoryEntries of the AWS:Application type,
one entry per call: the capture time is what is judged, the software list is not kept.
(GetInventory would read every node at once, but it is not in AWS's SecurityAudit
policy; ListInventoryEntries is.)
"""

from ..calls import ANY

HIDES = ("compute.host_management",)
PATCH = [{"Key": "ComplianceType", "Values": ["Patch"], "Type": "EQUAL"}]
SOFTWARE = "AWS:Application"


def read(r) -> dict:
    nodes = r.list("ssm:DescribeInstanceInformation", "InstanceInformationList", HIDES)
    if nodes is None:
        return {}  # which VMs are managed is unknown: nothing else here can be judged
    raw = {"ssm:DescribeInstanceInformation": nodes}
    compliance = r.list("ssm:ListResourceComplianceSummaries", "ResourceComplianceSummaryItems", HIDES, Filters=PATCH)
    if compliance is not None:
        raw["ssm:ListResourceComplianceSummaries"] = compliance
    inventory = {}
    for node in nodes:
        node_id = node.get("InstanceId")
        if not node_id:
            continue
        # A node's own failure is an answer about that node (its inventory is then not
        # collected, saying why), not a gap over every node of the region.
        entries = r.get("ssm:ListInventoryEntries", HIDES, answers=ANY, subject=node_id, InstanceId=node_id,
                        TypeName=SOFTWARE, MaxResults=1)
        if entries is not None:
            inventory[node_id] = entries if "Error" in entries else {
                **{k: entries[k] for k in ("CaptureTime", "TypeName") if k in entries}, "EntryCount": len(entries.get("Entries") or [])}
    raw["ssm:ListInventoryEntries"] = inventory
    return raw
