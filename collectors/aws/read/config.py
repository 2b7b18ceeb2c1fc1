"""AWS Config in one region: its configuration recorders and whether they record."""

HIDES = ("cloud.region",)


def read(r) -> dict:
    raw = {}
    recorders = r.get("config:DescribeConfigurationRecorders", HIDES)
    if recorders is None:
        return raw
    raw["config:DescribeConfigurationRecorders"] = recorders.get("ConfigurationRecorders") or []
    if raw["config:DescribeConfigurationRecorders"]:
        status = r.get("config:DescribeConfigurationRecorderStatus", HIDES)
        if status is not None:
            raw["config:DescribeConfigurationRecorderStatus"] = status.get("ConfigurationRecordersStatus") or []
    return raw
