"""`genmei report period` over service runs (`scan --config`): a run that covers an AWS
account and a GCP project counts for each, on the day each one's configuration was read;
its failures are followed per account, never twice; a stale source does not make a day
scanned; a standalone run of one account under the same service joins the same
calendar; and in a report of one account the service's judgement (made over both) is
not passed off as that account's."""

import json
from collections import Counter

import pytest
import yaml

from conftest import DEMO_SNAPSHOT, ROOT
from reporting import cli

A = "123456789012"
P = "projects/genmei-demo"
GCP_EXPORT = ROOT / "tests" / "fixtures" / "gcp" / "project.jsonl"
ADMIN_SG = "arn:aws:ec2:ap-northeast-1:123456789012:security-group/sg-0b22admin"
GCP_RDP = "//compute.googleapis.com/projects/genmei-demo/global/firewalls/allow-rdp-world"


def aws_snapshot(tmp, day: int):
    doc = json.loads(DEMO_SNAPSHOT.read_text())
    doc["meta"].update(started_at=f"2026-11-0{day}T01:00:00Z", finished_at=f"2026-11-0{day}T01:00:07Z")
    path = tmp / f"aws-{day}.json"
    path.write_text(json.dumps(doc))
    return path


def gcp_snapshot(tmp, day: int):
    code, _, err = cli("import", "gcp-cai", GCP_EXPORT, "--out", tmp / "gcp-raw.json")
    assert code == 0, err
    doc = json.loads((tmp / "gcp-raw.json").read_text())
    doc["meta"].update(started_at=f"2026-11-0{day}T02:00:00Z", finished_at=f"2026-11-0{day}T02:00:05Z")
    path = tmp / f"gcp-{day}.json"
    path.write_text(json.dumps(doc))
    return path


def service_scan(tmp, store, aws, gcp, name):
    config = tmp / f"{name}.yaml"
    config.write_text(yaml.safe_dump({"service": "svc", "organisation": "Org", "store": str(store), "fail_on": "none",
                                      "sources": [{"snapshot": str(aws)}, {"snapshot": str(gcp)}]}))
    code, out, err = cli("scan", "--config", config, "--as-of", "2026-11-22", "--format", "json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """Day 1: a service run (both sources read that day). Day 2: a service run whose GCP
    source is still day 1's snapshot. Day 3: AWS scanned alone, recorded under the service."""
    tmp = tmp_path_factory.mktemp("period-service")
    store = tmp / "history.sqlite"
    gcp1 = gcp_snapshot(tmp, 1)
    day1 = service_scan(tmp, store, aws_snapshot(tmp, 1), gcp1, "day1")
    service_scan(tmp, store, aws_snapshot(tmp, 2), gcp1, "day2")
    code, out, err = cli("scan", "--snapshot", aws_snapshot(tmp, 3), "--service", "svc", "--store", store,
                         "--as-of", "2026-11-22", "--format", "json", "--fail-on", "none")
    assert code == 0, err
    return {"tmp": tmp, "store": store, "day1": day1, "day3": json.loads(out)}


def period(history, *extra):
    out = history["tmp"] / "p.json"
    code, _, err = cli("report", "period", "--store", history["store"], "--from", "2026-11-01", "--to", "2026-11-04",
                       "--out", out, *extra)
    assert code == 0, err
    return json.loads(out.read_text())


def fails(evidence, provider):
    return sum(1 for r in evidence["results"] if r["status"] == "FAIL" and r["provider"] == provider)


def test_a_service_run_counts_for_every_account_it_covers_on_the_day_each_was_read(history):
    doc = period(history, "--service", "svc")
    assert doc["selection"]["sources"] == [{"provider": "aws", "account": A}, {"provider": "gcp", "account": P}]
    cal = {d["date"]: d for d in doc["calendar"]}
    assert [cal[d]["status"] for d in ("2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04")] == \
        ["scanned", "partial", "partial", "missed"]
    # Day 1: one run, both accounts; day 2: the service run read only AWS that day (its GCP
    # snapshot was day 1's, which counts for day 1 again, not for day 2).
    day1, day2 = cal["2026-11-01"]["sources"], cal["2026-11-02"]["sources"]
    assert len(day1[f"aws {A}"]) == 1 and len(day1[f"gcp {P}"]) == 2
    assert day1[f"gcp {P}"] == [day1[f"aws {A}"][0], day2[f"aws {A}"][0]]  # run 1, and run 2's stale GCP source
    assert day2[f"gcp {P}"] == [] and len(day2[f"aws {A}"]) == 1
    assert cal["2026-11-01"]["runs"] == 2 and cal["2026-11-02"]["runs"] == 1 and cal["2026-11-03"]["runs"] == 1
    assert doc["summary"]["runs"] == 3 and len({r["id"] for r in doc["runs"]}) == 3


def test_failures_are_followed_per_account_and_never_counted_twice(history):
    doc = period(history, "--service", "svc")
    day1, day3 = history["day1"], history["day3"]
    episodes = Counter((f["check"], f["resource"]) for f in doc["failures"])
    assert set(episodes.values()) == {1}
    by_provider = Counter(f["provider"] for f in doc["failures"])
    # Every failing result of day 1 is one episode, attributed to its own account.
    assert by_provider == {"aws": fails(day1, "aws"), "gcp": fails(day1, "gcp")}
    admin = next(f for f in doc["failures"] if (f["check"], f["resource"]) == ("GM-ADMIN-001", ADMIN_SG))
    assert (admin["account"], admin["state"], admin["first_seen"]["observed_at"], admin["last_seen"]["observed_at"]) == \
        (A, "open", "2026-11-01T01:00:07Z", "2026-11-03T01:00:07Z")
    rdp = next(f for f in doc["failures"] if (f["check"], f["resource"]) == ("GM-ADMIN-001", GCP_RDP))
    assert (rdp["account"], rdp["state"], rdp["last_seen"]["observed_at"]) == (P, "open", "2026-11-01T02:00:05Z")
    cal = {d["date"]: d for d in doc["calendar"]}
    # Open failures at the end of a day: each account's last observation that day, added once.
    assert cal["2026-11-01"]["open_failures"] == fails(day1, "aws") + fails(day1, "gcp")
    assert cal["2026-11-03"]["open_failures"] == fails(day3, "aws") == day3["summary"]["FAIL"]


def test_judgements_per_day_over_the_service_and_per_account(history):
    service = {r["id"]: r for r in period(history, "--service", "svc")["risks"]}
    day1_h06 = history["day1"]["risks"]["H06"]["judgement"]
    assert day1_h06 == "×"
    assert service["H06"]["days"][:4] == ["×", "×", "×", None]
    alone = {r["id"]: r for r in period(history, "--account", A)["risks"]}
    # Days 1 and 2 rest on service runs judged over AWS and GCP together: not this account's own judgement.
    assert alone["H06"]["days"][:3] == ["未評価", "未評価", history["day3"]["risks"]["H06"]["judgement"]]
    account_doc = period(history, "--account", A)
    assert account_doc["selection"]["sources"] == [{"provider": "aws", "account": A}]
    assert [d["status"] for d in account_doc["calendar"][:3]] == ["scanned", "scanned", "scanned"]
    assert {f["provider"] for f in account_doc["failures"]} == {"aws"}


def test_the_runs_list_names_a_service_runs_sources_with_their_digests(history):
    doc = period(history, "--service", "svc")
    service_runs = [r for r in doc["runs"] if r.get("sources")]
    assert len(service_runs) == 2
    for r in service_runs:
        assert (r["provider"], r["account"], r["service"]) == ("mixed", "svc", "svc")
        assert [(s["provider"], s["account"]) for s in r["sources"]] == [("aws", A), ("gcp", P)]
        assert all(len(s["snapshot_sha256"]) == 64 for s in r["sources"])
