"""AWS Config → cloud.region configuration_recorder: the state of the region's own
(customer-managed) configuration recorder. Service-linked recorders, which record only
what one AWS service needs, do not count.

  no own recorder → none; not recording → stopped; last status FAILURE → failing;
  recording every supported type (or excluding none) → recording; otherwise → partial.

A recorder whose status could not be read is unknown (None), never recording.
"""


def _state(recorder: dict, status: dict | None) -> str | None:
    if status is None:
        return None
    if status.get("recording") is not True:
        return "stopped"
    if status.get("lastStatus") == "FAILURE":
        return "failing"
    group = recorder.get("recordingGroup") or {}
    strategy = (group.get("recordingStrategy") or {}).get("useOnly")
    if group.get("allSupported") is True and strategy in (None, "ALL_SUPPORTED_RESOURCE_TYPES"):
        return "recording"
    if strategy == "EXCLUSION_BY_RESOURCE_TYPES" and not (group.get("exclusionByResourceTypes") or {}).get("resourceTypes"):
        return "recording"
    return "partial"


PREFERENCE = ("recording", "failing", "partial", "stopped")


def recorder_state(raw: dict) -> str | None:
    recorders = raw.get("config:DescribeConfigurationRecorders")
    if recorders is None:
        return None
    own = [r for r in recorders if not r.get("servicePrincipal")]
    if not own:
        return "none"
    statuses = raw.get("config:DescribeConfigurationRecorderStatus")
    if statuses is None:
        return None
    by_name = {s.get("name"): s for s in statuses if not s.get("servicePrincipal")}
    states = [_state(r, by_name.get(r.get("name"))) for r in own]
    if None in states:
        return None
    return min(states, key=PREFERENCE.index)
