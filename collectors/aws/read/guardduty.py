"""GuardDuty in one region: its detectors and whether each is enabled."""

HIDES = ("cloud.region",)


def read(r) -> dict:
    ids = r.list("guardduty:ListDetectors", "DetectorIds", HIDES)
    if ids is None:
        return {}
    detectors = {}
    for detector_id in ids:
        d = r.get("guardduty:GetDetector", HIDES, subject=detector_id, DetectorId=detector_id)
        if d is not None:
            detectors[detector_id] = d
    return {"guardduty:ListDetectors": ids, "guardduty:GetDetector": detectors}
