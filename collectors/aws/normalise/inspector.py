"""Amazon Inspector → cloud.region (vulnerability_scanning_enabled) and vulnerability.report
(the active findings of each scanned workload, summarised).

A region's scanning is Inspector's EC2 scan state for the account: ENABLED → true;
DISABLED, SUSPENDED, or being disabled or suspended → false (the VMs are not scanned);
ENABLING, an account Inspector did not report, or one it failed to read → unknown, with
the reason. ECR and Lambda scanning are kept in `raw` as evidence: the check is about the
VMs that run the service.

Network-reachability findings are not vulnerabilities of software (they describe open
paths, which GM-NET-001 and GM-ADMIN-001 judge from the firewalls): they are counted in
`raw` and left out of the summary.
"""

from genmei.collectors.canonical import findings as summary, times

from ..read.inspector2 import account_state
from .common import arn, name_tag, resource

SCANNER = "Amazon Inspector"
OFF = ("DISABLED", "DISABLING", "SUSPENDED", "SUSPENDING")
KIND = {"AWS_EC2_INSTANCE": "vm", "AWS_ECR_CONTAINER_IMAGE": "container_image", "AWS_LAMBDA_FUNCTION": "function"}
NOT_SOFTWARE = ("NETWORK_REACHABILITY",)


def scanning(acct, raw: dict) -> tuple[bool | None, str | None, dict | None]:
    """(vulnerability_scanning_enabled, why it is unknown, the account's scan states)."""
    status = raw.get("inspector2:BatchGetAccountStatus")
    if status is None:
        return None, None, None  # the call failed: its gap says why
    state = account_state(status, acct.account)
    if state is None:
        failed = next((f for f in status.get("failedAccounts") or [] if f.get("accountId") == acct.account), None)
        why = (f"Inspector could not report the account's status ({failed.get('errorCode')}: {failed.get('errorMessage')})"
               if failed else "Inspector did not report the account's status")
        return None, why, None
    states = {k: (v or {}).get("status") for k, v in (state.get("resourceState") or {}).items()}
    ec2 = states.get("ec2")
    if ec2 == "ENABLED":
        return True, None, states
    if ec2 in OFF:
        return False, None, states
    return None, f"Inspector's EC2 scanning is {ec2 or 'not reported'}", states


def _workload_id(acct, region: str, res: dict) -> str:
    rid = str(res.get("id") or "")
    if res.get("type") == "AWS_EC2_INSTANCE" and not rid.startswith("arn:"):
        return arn(acct, "ec2", res.get("region") or region, f"instance/{rid}")
    return rid


def reports(acct, region: str, raw: dict):
    found = raw.get("inspector2:ListFindings")
    if found is None:
        return
    by_workload: dict[str, list[dict]] = {}
    excluded = 0
    for f in found:
        if f.get("type") in NOT_SOFTWARE:
            excluded += 1
            continue
        if f.get("status") not in (None, "ACTIVE"):
            continue
        res = next(iter(f.get("resources") or []), None) or {}
        by_workload.setdefault(_workload_id(acct, region, res), []).append(f)
    # A VM's report is named as the VM is (its Name tag), where the region's instances were read.
    names = {arn(acct, "ec2", region, f"instance/{i['InstanceId']}"): name_tag(i, i["InstanceId"])
             for rv in raw.get("ec2:DescribeInstances") or [] for i in rv.get("Instances", [])}
    for wid, fs in sorted(by_workload.items()):
        res = next(iter(fs[0].get("resources") or []), None) or {}
        counts = summary.open_findings((f.get("severity"), f.get("firstObservedAt")) for f in fs)
        serious = [{"vulnerability": (f.get("packageVulnerabilityDetails") or {}).get("vulnerabilityId") or f.get("title"),
                    "severity": f.get("severity"), "first_observed": times.rfc3339(f.get("firstObservedAt")),
                    "fix_available": f.get("fixAvailable")}
                   for f in fs if summary.severity(f.get("severity")) in ("critical", "high")]
        yield resource(acct, type="vulnerability.report", native="AWS::Inspector2::Finding", id=wid,
                       name=names.get(wid) or wid.rsplit("/", 1)[-1], region=res.get("region") or region,
                       attrs={"resource": wid, "resource_kind": KIND.get(res.get("type"), "other"), "scanner": SCANNER,
                              "observed_at": acct.observed_at, "open_findings": counts},
                       raw={"resource_type": res.get("type"), "open_findings": counts,
                            "critical_and_high": sorted(serious, key=lambda x: (x["first_observed"] or "", str(x["vulnerability"]))),
                            "network_reachability_findings_in_region": excluded},
                       ref="inspector2:ListFindings")


def resources(acct):
    for region, raw in sorted(acct.regions.items()):
        yield from reports(acct, region, raw)
