"""OSCAL assessment-results from a stored scan, validated with compliance-trestle's models."""

import json
import uuid

import pydantic
import pytest
from trestle.oscal.assessment_results import AssessmentResults

from conftest import AS_OF, DEMO_SNAPSHOT, EXAMPLES, genmei
from reporting import report

NS = "https://genmei.dev/ns/oscal"


def render(evidence_dir, out, *extra):
    code, _, stderr = report("oscal", "--evidence", evidence_dir, "--out", out, *extra)
    assert code == 0, stderr
    return json.loads(out.read_text())


def props(obj, name):
    return [p["value"] for p in obj.get("props", []) if p["name"] == name and p["ns"] == NS]


@pytest.fixture(scope="module")
def oscal(demo_scan, tmp_path_factory):
    return render(demo_scan["out"], tmp_path_factory.mktemp("oscal") / "ar.json")


def test_validates_with_trestle(oscal):
    model = AssessmentResults.model_validate(oscal["assessment-results"])
    assert len(model.results) == 1


def test_trestle_validation_is_not_vacuous(oscal):
    bad = json.loads(json.dumps(oscal["assessment-results"]))
    bad["results"][0]["findings"][0]["target"]["status"]["state"] = "partially-satisfied"
    with pytest.raises(pydantic.ValidationError):
        AssessmentResults.model_validate(bad)
    bad = json.loads(json.dumps(oscal["assessment-results"]))
    del bad["results"][0]["observations"][0]["collected"]
    with pytest.raises(pydantic.ValidationError):
        AssessmentResults.model_validate(bad)


def test_one_observation_per_check_and_resource(oscal, demo_scan):
    ev = demo_scan["evidence"]
    result = oscal["assessment-results"]["results"][0]
    tested = [o for o in result["observations"] if o["methods"] == ["TEST"]]
    assert sorted(props(o, "result-id")[0] for o in tested) == sorted(r["id"] for r in ev["results"])
    inventory = {i["uuid"]: i for i in result["local-definitions"]["inventory-items"]}
    back_matter = {r["uuid"]: r for r in oscal["assessment-results"]["back-matter"]["resources"]}
    by_id = {r["id"]: r for r in ev["results"]}
    for o in tested:
        r = by_id[props(o, "result-id")[0]]
        assert props(o, "check-id") == [r["check"]]
        assert props(o, "result-status") == [r["status"]]
        (subject,) = o["subjects"]
        assert props(inventory[subject["subject-uuid"]], "resource-id") == [r["resource"]]
        (evidence,) = o["relevant-evidence"]
        snapshot = back_matter[evidence["href"].removeprefix("#")]
        assert snapshot["rlinks"][0]["hashes"] == [{"algorithm": "SHA-256", "value": ev["snapshot_sha256"]}]
        assert props(evidence, "resource-id") == [r["resource"]]
    attested = [o for o in result["observations"] if o["methods"] == ["EXAMINE"]]
    assert len(attested) == len(ev["attestations"])


def test_one_finding_per_item_satisfied_only_when_evidenced(oscal, demo_scan):
    ev = demo_scan["evidence"]
    result = oscal["assessment-results"]["results"][0]
    findings = {f["target"]["target-id"]: f for f in result["findings"]}
    assert sorted(findings) == sorted(f"jasa-{i}" for i in ev["items"])
    observations = {o["uuid"] for o in result["observations"]}
    risks = {r["uuid"] for r in result["risks"]}
    for item_id, item in ev["items"].items():
        f = findings[f"jasa-{item_id}"]
        expected = "satisfied" if item["status"] in ("satisfied", "attested", "inherited") else "not-satisfied"
        assert f["target"]["status"]["state"] == expected, item_id
        assert props(f, "item-status") == [item["status"]]
        for rel in f.get("related-observations", []):
            assert rel["observation-uuid"] in observations
        for rel in f.get("related-risks", []):
            assert rel["risk-uuid"] in risks
    assert "A.8.20" in props(findings["jasa-6.6.1.10"], "iso27001-2022")


def test_risks_h01_to_m11(oscal, demo_scan):
    ev = demo_scan["evidence"]
    risks = oscal["assessment-results"]["results"][0]["risks"]
    assert [props(r, "risk-id")[0] for r in risks] == list(ev["risks"])
    for r in risks:
        j = ev["risks"][props(r, "risk-id")[0]]["judgement"]
        assert props(r, "judgement") == [j]
        assert r["status"] == {"○": "closed", "×": "open", "未評価": "investigating"}[j]


def test_deterministic_uuid5(oscal, demo_scan, tmp_path):
    again = render(demo_scan["out"], tmp_path / "again.json")
    assert again == oscal
    doc = oscal["assessment-results"]
    assert uuid.UUID(doc["uuid"]).version == 5
    assert all(uuid.UUID(o["uuid"]).version == 5 for o in doc["results"][0]["observations"])


@pytest.fixture(scope="module")
def all_waived(demo_scan, tmp_path_factory):
    """The example with every failing check waived for the account: failures become WAIVED."""
    d = tmp_path_factory.mktemp("waived")
    failing = sorted({r["check"] for r in demo_scan["evidence"]["results"] if r["status"] in ("FAIL", "WAIVED")})
    (d / "exceptions.yaml").write_text("exceptions:\n" + "".join(
        f"  - {{id: EXC-{n}, check: {c}, account: '123456789012', reason: test, owner: o@example.jp, "
        f"approver: a@example.jp, expires: 2099-12-31}}\n" for n, c in enumerate(failing)), encoding="utf-8")
    out = d / "scan"
    code, _, stderr = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--attestations", EXAMPLES / "attestations.yaml",
                             "--exceptions", d / "exceptions.yaml", "--out", out, "--fail-on", "none", "--as-of", AS_OF)
    assert code == 0, stderr
    return out


def test_a_waived_failure_is_never_satisfied(all_waived, tmp_path):
    ev = json.loads((all_waived / "evidence.json").read_text())
    assert ev["summary"]["FAIL"] == 0 and ev["summary"]["WAIVED"] > 0
    waived_items = [i for i, item in ev["items"].items() if item["status"] == "waived"]
    assert waived_items
    doc = render(all_waived, tmp_path / "ar.json")
    AssessmentResults.model_validate(doc["assessment-results"])
    findings = {f["target"]["target-id"]: f for f in doc["assessment-results"]["results"][0]["findings"]}
    for i in waived_items:
        assert findings[f"jasa-{i}"]["target"]["status"]["state"] == "not-satisfied"
        assert findings[f"jasa-{i}"]["target"]["status"]["reason"] == "fail"
