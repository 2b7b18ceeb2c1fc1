"""GM-LOG-002 requires the trail to record every write management event (res2): CloudTrail's
reads through the real boto3 code path (botocore's Stubber answers DescribeTrails,
GetTrailStatus and GetEventSelectors with the API's shapes; moto always reports a trail
without custom selectors), the normaliser and the real engine. And two item decisions,
pinned through the assessment: 6.5.1.7 (バックアップの単位ごとに独立した媒体) counts
GM-BAK-002 under H03; 8.6.1.18 (patch audit logs) is not cited by GM-LOG-002, whose FAILs
would not show it unsatisfied (README, "Audit logs of patching")."""

import json
from collections import Counter

import boto3
import pytest
from botocore.stub import Stubber

from conftest import AS_OF
from genmei.collectors.aws import calls, session
from genmei.collectors.aws.model import AccountRaw
from genmei.collectors.aws.normalise import normalise
from genmei.collectors.aws.normalise.account import audit_log
from genmei.collectors.aws.read import cloudtrail
from genmei.engine.cli import main
from vulnerability_support import judge, snapshot

ACCOUNT, HOME = "123456789012", "ap-northeast-1"
SESSION = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=HOME)
ARN = f"arn:aws:cloudtrail:{HOME}:{ACCOUNT}:trail/"


def trail(name, custom=False, multi=True, validated=True):
    return {"Name": name, "TrailARN": ARN + name, "IsMultiRegionTrail": multi, "LogFileValidationEnabled": validated,
            "HasCustomEventSelectors": custom, "HomeRegion": HOME, "S3BucketName": "logs"}


def logging(*names):
    return {ARN + n: {"IsLogging": True} for n in names}


# --- which events a trail records ---------------------------------------------------------------

MGMT = {"Field": "eventCategory", "Equals": ["Management"]}


@pytest.mark.parametrize("selectors, expected", [
    ({"EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": True, "DataResources": []}]}, True),
    ({"EventSelectors": [{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True}]}, True),
    # reads only, or data events only: the trail records no patch run
    ({"EventSelectors": [{"ReadWriteType": "ReadOnly", "IncludeManagementEvents": True}]}, False),
    ({"EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": False,
                          "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}]}]}, False),
    ({"AdvancedEventSelectors": [{"Name": "mgmt", "FieldSelectors": [MGMT]}]}, True),
    ({"AdvancedEventSelectors": [{"Name": "writes", "FieldSelectors": [MGMT, {"Field": "readOnly", "Equals": ["false"]}]}]}, True),
    ({"AdvancedEventSelectors": [{"Name": "reads", "FieldSelectors": [MGMT, {"Field": "readOnly", "Equals": ["true"]}]}]}, None),
    ({"AdvancedEventSelectors": [{"Name": "s3", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},
                                                                    {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}]}]}, False),
    # management events narrowed by source: which remain cannot be told — unknown, never PASS
    ({"AdvancedEventSelectors": [{"Name": "some", "FieldSelectors": [MGMT, {"Field": "eventSource", "NotEquals": ["ssm.amazonaws.com"]}]}]}, None),
])
def test_a_trail_with_custom_selectors_counts_only_when_it_records_every_write(selectors, expected):
    log = audit_log([trail("t", custom=True)], logging("t"), {ARN + "t": selectors})
    assert log["all_regions"] is expected
    assert log["integrity_validation"] is expected


def test_a_trail_without_custom_selectors_records_every_management_event():
    assert audit_log([trail("t")], logging("t"))["all_regions"] is True
    # custom selectors that could not be read decide nothing
    assert audit_log([trail("t", custom=True)], logging("t"), {})["all_regions"] is None
    # ... unless another trail already records every write
    assert audit_log([trail("t", custom=True), trail("u")], logging("t", "u"), {})["all_regions"] is True


def test_the_read_asks_for_the_selectors_of_custom_multi_region_trails_only():
    clients = session.Clients(SESSION, ACCOUNT, Counter())
    gaps = calls.Gaps()
    trails = [trail("default"), trail("custom", custom=True), trail("local", custom=True, multi=False)]
    with Stubber(clients.client("cloudtrail", HOME)) as st:
        st.add_response("describe_trails", {"trailList": trails}, {"includeShadowTrails": True})
        for t in trails:
            st.add_response("get_trail_status", {"IsLogging": True}, {"Name": t["TrailARN"]})
            if t["Name"] == "custom":
                st.add_response("get_event_selectors", {"TrailARN": t["TrailARN"], "EventSelectors": [
                    {"ReadWriteType": "ReadOnly", "IncludeManagementEvents": True, "DataResources": []}]},
                    {"TrailName": t["TrailARN"]})
        raw = cloudtrail.read(calls.Reader(clients, HOME, f"{ACCOUNT}/global", gaps))
        st.assert_no_pending_responses()
    assert gaps.as_list() == [] and list(raw["cloudtrail:GetEventSelectors"]) == [ARN + "custom"]
    acct = AccountRaw(account=ACCOUNT, regions={})
    acct.global_.update(raw)
    [account] = [r for r in normalise(acct) if r["type"] == "cloud.account"]
    assert account["attrs"]["audit_log"]["all_regions"] is True   # the default trail records every write


def test_a_trail_recording_reads_only_fails_and_unreadable_selectors_are_not_evaluated(tmp_path):
    clients = session.Clients(SESSION, ACCOUNT, Counter())
    results = {}
    for case, answer in (("reads-only", {"EventSelectors": [{"ReadWriteType": "ReadOnly", "IncludeManagementEvents": True}]}),
                         ("denied", None)):
        gaps = calls.Gaps()
        with Stubber(clients.client("cloudtrail", HOME)) as st:
            t = trail("custom", custom=True)
            st.add_response("describe_trails", {"trailList": [t]}, {"includeShadowTrails": True})
            st.add_response("get_trail_status", {"IsLogging": True}, {"Name": t["TrailARN"]})
            if answer is None:
                st.add_client_error("get_event_selectors", "AccessDeniedException", "denied", 400)
            else:
                st.add_response("get_event_selectors", {"TrailARN": t["TrailARN"], **answer}, {"TrailName": t["TrailARN"]})
            raw = cloudtrail.read(calls.Reader(clients, HOME, f"{ACCOUNT}/global", gaps))
        acct = AccountRaw(account=ACCOUNT, regions={})
        acct.global_.update(raw)
        [account] = [r for r in normalise(acct) if r["type"] == "cloud.account"]
        account = {**account, "id": case}
        (tmp_path / case).mkdir()
        results[case] = judge(snapshot([account], "aws"), tmp_path / case, ("GM-LOG-002",))[("GM-LOG-002", case)]
        if answer is None:
            assert [g["api"] for g in gaps.as_list()] == ["cloudtrail:GetEventSelectors"]
    assert results["reads-only"]["status"] == "FAIL"
    # no trail that counts, so none whose files are validated either
    assert results["reads-only"]["reason_ja"] == "ログファイルの完全性検証が無効、全リージョンの書込み操作を記録中の証跡がない"
    assert results["denied"]["status"] == "NOT_EVALUATED"


# --- the items, through the assessment ---------------------------------------------------------

def test_items_count_under_the_declared_risks_that_cite_them(tmp_path, capsys):
    """A trail recording nothing and a volume never backed up: 6.5.1.7 is not satisfied
    under H03 (its only citation); 6.1.3.4 by the trail; 8.6.1.18 is judged by no check."""
    account = {"id": ACCOUNT, "type": "cloud.account", "native_type": "AWS::::Account", "provider": "aws", "account": ACCOUNT, "region": "global",
               "name": ACCOUNT, "zones": [], "tags": {}, "source": {"kind": "example", "ref": "test"},
               "attrs": {"audit_log": {"all_regions": False, "integrity_validation": False, "trails": []}}, "unknown": []}
    disk = {**account, "id": "vol-1", "type": "compute.disk", "native_type": "AWS::EC2::Volume", "name": "vol-1", "region": HOME,
            "attrs": {"backup_count": 0}}
    doc = snapshot([account, disk], "aws")
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    out = tmp_path / "out"
    assert main(["scan", "--snapshot", str(path), "--fail-on", "none", "--no-store", "--out", str(out),
                 "--format", "json", "--as-of", AS_OF]) == 0
    capsys.readouterr()
    items = json.loads((out / "evidence.json").read_text())["items"]
    assert items["6.5.1.7"]["by_risk"] == {"H03": "not_satisfied"}
    assert set(items["6.1.3.4"]["by_risk"].values()) == {"not_satisfied"}
    assert "not_satisfied" not in items["8.6.1.18"]["by_risk"].values()
