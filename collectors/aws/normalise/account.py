"""cloud.account (root user MFA and access keys from the credential report; the audit
trail from CloudTrail) and cloud.region (GuardDuty; EBS encryption by default; Inspector's
EC2 scanning and the AWS Config recorder, see inspector.py and config.py; the alarms on
service-quota usage, see cloudwatch.py)."""

from . import config, inspector
from .cloudwatch import metric_alarms, quota_alarms
from .common import resource
from .iam import ROOT_ROW, report_rows


WRITES = ("All", "WriteOnly")


def _advanced_records_writes(selector: dict) -> bool | None:
    """An advanced event selector: True when it selects every write management event
    (eventCategory = Management, nothing else narrowed but readOnly = false); None when it
    selects management events narrowed further (which events remain cannot be told here);
    False when it selects no management event."""
    fields = {f.get("Field"): f for f in selector.get("FieldSelectors") or [] if isinstance(f, dict)}
    category = fields.pop("eventCategory", None) or {}
    if category.get("Equals") != ["Management"]:
        return False
    read_only = fields.pop("readOnly", None)
    if read_only is not None and read_only != {"Field": "readOnly", "Equals": ["false"]}:
        return None
    return None if fields else True


def records_management_writes(trail: dict, selectors: dict) -> bool | None:
    """Whether the trail records every write management event — the API operations that
    change things, patch runs sent through Systems Manager included. A trail without custom
    selectors records all management events; one whose selectors were not read is unknown."""
    if trail.get("HasCustomEventSelectors") is not True:
        return True
    found = selectors.get(trail["TrailARN"])
    if found is None:
        return None
    classic = [e for e in found.get("EventSelectors") or [] if isinstance(e, dict)]
    if any(e.get("IncludeManagementEvents", True) is not False and e.get("ReadWriteType", "All") in WRITES for e in classic):
        return True
    advanced = [_advanced_records_writes(a) for a in found.get("AdvancedEventSelectors") or [] if isinstance(a, dict)]
    if True in advanced:
        return True
    return None if None in advanced else False


def audit_log(trails: list | None, status: dict, selectors: dict | None = None) -> dict | None:
    """Some multi-region trail that is logging now and records every write management
    event, and whether such a trail validates its log files. A trail whose status or event
    selectors could not be read decides nothing either way."""
    if trails is None:
        return None
    selectors = selectors or {}
    multi = [t for t in trails if t.get("IsMultiRegionTrail")]
    recording = {t["TrailARN"]: records_management_writes(t, selectors) for t in multi}
    logging = [t for t in multi if (status.get(t["TrailARN"]) or {}).get("IsLogging") is True
               and recording[t["TrailARN"]] is True]
    unknown = any(t["TrailARN"] not in status or recording[t["TrailARN"]] is None for t in multi)
    all_regions = True if logging else (None if unknown else False)
    validated = any(t.get("LogFileValidationEnabled") for t in logging)
    integrity = True if validated else (None if unknown else False)
    return {"all_regions": all_regions, "integrity_validation": integrity,
            "trails": sorted(t.get("Name", t["TrailARN"]) for t in trails)}


def _account(acct):
    g = acct.global_
    rows = report_rows(g.get("iam:GetCredentialReport"))
    trails = g.get("cloudtrail:DescribeTrails")
    alarms = metric_alarms(acct)
    if rows is None and trails is None and "metric_alarms" not in alarms:
        return
    root = next((r for r in rows or [] if r.get("user") == ROOT_ROW), None)
    attrs = {"root_mfa_enabled": root["mfa_active"] == "true" if root else None,
             "root_access_keys_present": (any(root.get(f"access_key_{n}_active") == "true" for n in (1, 2))
                                          if root else None),
             "audit_log": audit_log(trails, g.get("cloudtrail:GetTrailStatus") or {},
                                    g.get("cloudtrail:GetEventSelectors")), **alarms}
    yield resource(acct, type="cloud.account", native="AWS::::Account", id=acct.account, name=acct.account,
                   attrs=attrs, raw={"CredentialReportRoot": root, "Trails": trails,
                                     "TrailStatus": g.get("cloudtrail:GetTrailStatus"),
                                     "EventSelectors": g.get("cloudtrail:GetEventSelectors")},
                   ref="iam:GetCredentialReport")


def threat_detection(ids: list | None, detectors: dict) -> bool | None:
    """A GuardDuty detector that is ENABLED; None while an undescribed one could be."""
    if ids is None:
        return None
    if any((detectors.get(i) or {}).get("Status") == "ENABLED" for i in ids):
        return True
    return None if any(i not in detectors for i in ids) else False


def _regions(acct):
    for region, raw in sorted(acct.regions.items()):
        ids, ebs = raw.get("guardduty:ListDetectors"), raw.get("ec2:GetEbsEncryptionByDefault")
        scanning, scanning_unknown, scan_states = inspector.scanning(acct, raw)
        recorder = config.recorder_state(raw)
        if ids is None and ebs is None and scan_states is None and scanning_unknown is None and recorder is None:
            continue  # nothing read in this region: its gaps say why
        detectors = raw.get("guardduty:GetDetector") or {}
        attrs = {"threat_detection_enabled": threat_detection(ids, detectors),
                 "default_disk_encryption": ebs.get("EbsEncryptionByDefault") if ebs else None,
                 "vulnerability_scanning_enabled": scanning, "configuration_recorder": recorder, **quota_alarms(raw)}
        if scanning_unknown:
            attrs["not_collected"] = {"vulnerability_scanning_enabled": scanning_unknown}
        yield resource(acct, type="cloud.region", native="AWS::::Region", id=f"{acct.account}/{region}",
                       name=region, region=region, attrs=attrs,
                       raw={"GuardDutyDetectors": detectors, "EbsEncryptionByDefault": ebs, "InspectorScanStates": scan_states,
                            "ConfigurationRecorders": raw.get("config:DescribeConfigurationRecorders"),
                            "ConfigurationRecorderStatus": raw.get("config:DescribeConfigurationRecorderStatus")},
                       ref="guardduty:ListDetectors")


def resources(acct):
    yield from _account(acct)
    yield from _regions(acct)
