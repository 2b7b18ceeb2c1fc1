"""Roll-up rules: how results and attestations become item statuses and judgements."""

from datetime import date

import pytest

from genmei.engine.assess import assess_item, judge_risk
from genmei.engine.attestations import Attestation
from genmei.engine.checks import Check

TODAY = date(2026, 11, 22)
CHECK = Check(id="GM-X-001", package="p", file="f", title_ja="t", title_en="t", description_ja="d", description_en="d",
              severity="high", criteria=("1.1.1.1",), risks=("H05",), layer="物理層", resource_types=("compute.disk",),
              providers=None, remediation={"ja": "r", "en": "r"})


def att(expires="2027-01-01", kind="manual"):
    return Attestation(item="1.1.1.1", kind=kind, statement="s", attested_by="CISO", attested_on=date(2026, 1, 1),
                       evidence_ref="DOC-1", expires=date.fromisoformat(expires))


def res(*statuses):
    return [{"id": f"R{i}", "status": s} for i, s in enumerate(statuses)]


def item(evidence):
    return {"id": "1.1.1.1", "evidence": evidence}


@pytest.mark.parametrize("evidence,checks,results,atts,expected", [
    ("automated", [CHECK], res("PASS", "PASS"), [], "satisfied"),
    ("automated", [CHECK], res("PASS", "FAIL"), [], "not_satisfied"),
    ("automated", [CHECK], res("PASS", "NOT_EVALUATED"), [], "not_evaluated"),
    ("automated", [CHECK], res("PASS", "ERROR"), [], "not_evaluated"),
    ("automated", [CHECK], res("PASS", "WAIVED"), [], "waived"),
    ("automated", [CHECK], res("FAIL", "WAIVED"), [], "not_satisfied"),
    ("automated", [CHECK], [], [], "not_applicable"),
    ("automated", [], [], [], "not_evaluated"),          # no check yet
    ("automated", [], [], [att()], "attested"),
    ("partial", [CHECK], res("PASS"), [], "not_evaluated"),   # the attested half is missing
    ("partial", [CHECK], res("PASS"), [att()], "satisfied"),
    ("partial", [CHECK], res("FAIL"), [att()], "not_satisfied"),
    ("partial", [CHECK], res("FAIL"), [], "not_satisfied"),
    ("partial", [CHECK], res("NOT_EVALUATED"), [att()], "not_evaluated"),
    ("partial", [], [], [att()], "attested"),
    ("manual", [], [], [], "not_evaluated"),
    ("manual", [], [], [att()], "attested"),
    ("manual", [], [], [att(expires="2026-11-21")], "not_evaluated"),
    ("inherited", [], [], [att(kind="inherited")], "inherited"),
    ("inherited", [], [], [], "not_evaluated"),
])
def test_item_status(evidence, checks, results, atts, expected):
    got = assess_item(item(evidence), checks, results, atts, TODAY)
    assert got["status"] == expected, got["reason"]
    assert got["reason"] and got["reason_ja"]
    assert got["results"] == [r["id"] for r in results]


def test_expired_attestation_is_named_in_the_reason():
    got = assess_item(item("manual"), [], [], [att(expires="2026-03-31")], TODAY)
    assert "expired on 2026-03-31" in got["reason"]
    assert "2026-03-31 に期限切れ" in got["reason_ja"]
    assert got["attestations"][0]["expired"] is True


def test_attestation_valid_through_its_expiry_day():
    assert assess_item(item("manual"), [], [], [att(expires="2026-11-22")], TODAY)["status"] == "attested"


RISK = {"id": "H05", "name": {"ja": "隔離の失敗", "en": "Isolation failure"}, "level": "high", "basic_statement": True,
        "layers": [{"layer": "物理層", "criteria": ["a", "b"], "residual_risks_ja": ["残る"]}]}


@pytest.mark.parametrize("statuses,judgement", [
    (["satisfied", "attested"], "○"),
    (["satisfied", "inherited"], "○"),
    (["satisfied", "not_applicable"], "○"),
    (["not_applicable", "not_applicable"], "未評価"),
    (["satisfied", "not_evaluated"], "未評価"),
    (["waived", "satisfied"], "×"),
    (["not_satisfied", "not_evaluated"], "×"),
])
def test_risk_judgement(statuses, judgement):
    items = {k: {"status": s, "results": [], "reason": "r"} for k, s in zip("ab", statuses)}
    got = judge_risk(RISK, ["a", "b"], items)
    assert got["judgement"] == judgement
    assert got["rationale"].startswith(judgement) and got["residual_risks_ja"] == ["残る"]


def test_risk_without_items_is_not_evaluated():
    got = judge_risk({**RISK, "id": "L12", "layers": []}, [], {})
    assert got["judgement"] == "未評価" and "項番" in got["rationale"]
