"""CloudTrail, account-wide: every trail that applies to the account (including
multi-region and organization trails homed elsewhere) and whether it is logging."""

HIDES = ("cloud.account",)


def read(r) -> dict:
    trails = r.list("cloudtrail:DescribeTrails", "trailList", HIDES, includeShadowTrails=True)
    if trails is None:
        return {}
    status = {}
    for t in trails:
        s = r.get("cloudtrail:GetTrailStatus", HIDES, subject=t["Name"], Name=t["TrailARN"])
        if s is not None:
            status[t["TrailARN"]] = s
    return {"cloudtrail:DescribeTrails": trails, "cloudtrail:GetTrailStatus": status}
