"""CloudWatch → monitoring.alarm (GM-MON-001), and the count of alarms on cloud.account.

An alarm whose every action is a scaling policy (the alarms target tracking creates and
manages, and step-scaling triggers) drives an auto scaling group rather than telling
anyone: it is evidence of that group's policy (GM-CAP-001), not a monitoring alarm, so it
is neither judged here nor counted."""

from .common import resource

# Actions that reach a person or a ticket: SNS topics, Systems Manager OpsItems and
# Incident Manager response plans, and Lambda functions (which alarms may invoke since 2023).
NOTIFYING = (":sns:", ":ssm:", ":ssm-incidents:", ":lambda:")
SCALING = (":autoscaling:", ":application-autoscaling:")
ACTION_KEYS = ("AlarmActions", "OKActions", "InsufficientDataActions")


def _actions(alarm: dict) -> list[str]:
    return [a for k in ACTION_KEYS for a in alarm.get(k) or [] if isinstance(a, str)]


def scaling_only(alarm: dict) -> bool:
    actions = _actions(alarm)
    return bool(actions) and all(any(s in a for s in SCALING) for a in actions)


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


def resources(acct):
    for region, raw in acct.regions.items():
        for a in monitoring_alarms(raw.get("cloudwatch:DescribeAlarms")) or []:
            yield resource(acct, type="monitoring.alarm", native="AWS::CloudWatch::Alarm",
                           id=a.get("AlarmArn") or a["AlarmName"], name=a["AlarmName"], region=region,
                           attrs={"enabled": a.get("ActionsEnabled"), "notification_targets": notification_targets(a),
                                  "metric": _metric(a)},
                           raw=a, ref="cloudwatch:DescribeAlarms")
