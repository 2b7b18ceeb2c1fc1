"""CloudWatch in one region: the metric alarms and their actions, for GM-MON-001 (alarms that
notify someone). Only the alarm definitions are read, never metric data."""

HIDES = ("monitoring.alarm",)


def read(r) -> dict:
    alarms = r.list("cloudwatch:DescribeAlarms", "MetricAlarms", HIDES, AlarmTypes=["MetricAlarm"])
    return {} if alarms is None else {"cloudwatch:DescribeAlarms": alarms}
