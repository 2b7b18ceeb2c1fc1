"""CloudWatch → monitoring.alarm (GM-MON-002), and the count of alarms on cloud.account (GM-MON-001).

An alarm whose every action is a scaling policy (the alarms target tracking creates and
manages, and step-scaling triggers) drives an auto scaling group rather than telling
anyone: it is evidence of that group's policy (GM-CAP-001), not a monitoring alarm, so it
is neither judged here nor counted. So is an alarm whose every action recovers, reboots,
stops or terminates an EC2 instance (or mixes those with scaling): it acts on the instance
instead of telling anyone, and is not told to no one either."""

from .common import resource

# Actions that reach a person or a ticket: SNS topics, Systems Manager OpsItems and
# Incident Manager response plans, and Lambda functions (which alarms may invoke since 2023).
NOTIFYING = (":sns:", ":ssm:", ":ssm-incidents:", ":lambda:")
SCALING = (":autoscaling:", ":application-autoscaling:")
# EC2 actions: arn:aws:automate:<region>:ec2:recover|reboot|stop|terminate, and the older
# arn:aws:swf:<region>:<account>:action/actions/AWS_EC2.InstanceId.<Action>/1.0.
EC2_ACTIONS = (":automate:", ":action/actions/AWS_EC2.")
ACTING = SCALING + EC2_ACTIONS
ACTION_KEYS = ("AlarmActions", "OKActions", "InsufficientDataActions")


def _actions(alarm: dict) -> list[str]:
    return [a for k in ACTION_KEYS for a in alarm.get(k) or [] if isinstance(a, str)]


def scaling_only(alarm: dict) -> bool:
    actions = _actions(alarm)
    return bool(actions) and all(any(s in a for s in ACTING) for a in actions)


def notification_targets(alarm: dict) -> list[str]:
    return sorted({a for a in _actions(alarm) if any(n in a for n in NOTIFYING)})


def monitoring_alarms(alarms: list | None) -> list[dict] | None:
    return None if alarms is None else [a for a in alarms if not scaling_only(a)]


def _metric(alarm: dict) -> str | None:
    if alarm.get("MetricName"):
        return f"{alarm.get('Namespace', '')}/{alarm['MetricName']}"
    names = sorted({f"{m['MetricStat']['Metric'].get('Namespace', '')}/{m['MetricStat']['Metric'].get('MetricName', '')}"
                    for m in alarm.get("Metrics") or [] if (m.get("MetricStat") or {}).get("Metric")})
    return ", ".join(names) or ("metric math" if alarm.get("Metrics") else None)


def metric_alarms(acct) -> dict:
    """{"metric_alarms": n} over every region read, or why it is unknown (a region whose
    alarms could not be listed could hold some)."""
    missing = sorted(region for region, raw in acct.regions.items() if "cloudwatch:DescribeAlarms" not in raw)
    if missing or not acct.regions:
        return {"not_collected": {"metric_alarms": f"the alarms of {', '.join(missing) or 'no region'} could not be read "
                                                   "(cloudwatch:DescribeAlarms)"}}
    return {"metric_alarms": sum(len(monitoring_alarms(raw["cloudwatch:DescribeAlarms"])) for raw in acct.regions.values())}


# Service-quota usage (ops2, GM-CAP-002): AWS publishes resource and API usage in the
# AWS/Usage namespace, and the SERVICE_QUOTA() metric math function gives its quota; an
# alarm the Service Quotas console creates uses both.
USAGE_NAMESPACE = "AWS/Usage"


def _watches_quota(alarm: dict) -> bool:
    if alarm.get("Namespace") == USAGE_NAMESPACE:
        return True
    for m in alarm.get("Metrics") or []:
        if ((m.get("MetricStat") or {}).get("Metric") or {}).get("Namespace") == USAGE_NAMESPACE:
            return True
        if "SERVICE_QUOTA(" in str(m.get("Expression") or "").upper():
            return True
    return False


def quota_alarms(raw: dict) -> dict:
    """{"quota_alarms": [names]} of the region's enabled alarms on service-quota usage that
    notify someone; {} when the region's alarms were not read (the run's gap for
    cloudwatch:DescribeAlarms says why), so the attr is not collected."""
    alarms = raw.get("cloudwatch:DescribeAlarms")
    if alarms is None:
        return {}
    return {"quota_alarms": sorted(a["AlarmName"] for a in alarms
                                   if _watches_quota(a) and a.get("ActionsEnabled") is True and notification_targets(a))}


def resources(acct):
    for region, raw in acct.regions.items():
        for a in monitoring_alarms(raw.get("cloudwatch:DescribeAlarms")) or []:
            yield resource(acct, type="monitoring.alarm", native="AWS::CloudWatch::Alarm",
                           id=a.get("AlarmArn") or a["AlarmName"], name=a["AlarmName"], region=region,
                           attrs={"enabled": a.get("ActionsEnabled"), "notification_targets": notification_targets(a),
                                  "metric": _metric(a)},
                           raw=a, ref="cloudwatch:DescribeAlarms")
