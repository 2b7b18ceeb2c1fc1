"""CloudTrail, account-wide: every trail that applies to the account (including
multi-region and organization trails homed elsewhere), whether it is logging, and — for a
trail with custom event selectors — which events it records (a trail without them
records every management event)."""

HIDES = ("cloud.account",)


def read(r) -> dict:
    trails = r.list("cloudtrail:DescribeTrails", "trailList", HIDES, includeShadowTrails=True)
    if trails is None:
        return {}
    status, selectors = {}, {}
    for t in trails:
        s = r.get("cloudtrail:GetTrailStatus", HIDES, subject=t["Name"], Name=t["TrailARN"])
        if s is not None:
            status[t["TrailARN"]] = s
        if t.get("HasCustomEventSelectors") is True and t.get("IsMultiRegionTrail"):
            e = r.get("cloudtrail:GetEventSelectors", HIDES, subject=t["Name"], TrailName=t["TrailARN"])
            if e is not None:
                selectors[t["TrailARN"]] = e
    return {"cloudtrail:DescribeTrails": trails, "cloudtrail:GetTrailStatus": status,
            "cloudtrail:GetEventSelectors": selectors}
