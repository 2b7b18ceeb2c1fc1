"""Roll-up rules: how results and attestations become item statuses (per risk and over
all risks), judgements and the parts of the 基本言明要件 — on the real catalog, with
checks and results made up for each case."""

from datetime import date

import pytest

from genmei.engine.assess import assess
from genmei.engine.attestations import Attestation
from genmei.engine.catalog import load_catalog
from genmei.engine.checks import Check

TODAY = date(2026, 11, 22)
CATALOG = load_catalog()


def check(cid="GM-X-001", criteria=("6.6.1.14",), risks=("H05",)):
    return Check(id=cid, package="p", file="f", title_ja="t", title_en="t", description_ja="d", description_en="d",
                 severity="high", criteria=tuple(criteria), risks=tuple(risks), layer="物理層",
                 resource_types=("compute.disk",), providers=None, remediation={"ja": "r", "en": "r"})


def res(cid, *statuses):
    return [{"id": f"R{cid}{i}", "check": cid, "status": s} for i, s in enumerate(statuses)]


def att(item="6.6.1.14", kind="manual", on="2026-01-01", expires="2027-01-01", reviewed_by=None, part=None):
    report = {"name": "AWS SOC 2 Type II", "period": {"from": "2025-10-01", "to": "2026-03-31"}} if kind == "inherited" else None
    return Attestation(item=None if part else item, part=part, kind=kind, statement="s", attested_by="CISO",
                       attested_on=date.fromisoformat(on), evidence_ref="DOC-1", expires=date.fromisoformat(expires),
                       reviewed_by=reviewed_by, report=report)


def run(checks, results, attestations=()):
    return assess(CATALOG, list(checks), list(results), list(attestations), TODAY)


# 6.6.1.14 automated · 6.6.1.10 partial · 4.3.2.4 manual · 5.2.6.4 inherited (all cited by the risks used below).
@pytest.mark.parametrize("item,statuses,atts,expected", [
    ("6.6.1.14", ("PASS", "PASS"), [], "satisfied"),
    ("6.6.1.14", ("PASS", "FAIL"), [], "not_satisfied"),
    ("6.6.1.14", ("PASS", "NOT_EVALUATED"), [], "not_evaluated"),
    ("6.6.1.14", ("PASS", "ERROR"), [], "not_evaluated"),
    ("6.6.1.14", ("PASS", "WAIVED"), [], "waived"),
    ("6.6.1.14", ("FAIL", "WAIVED"), [], "not_satisfied"),
    ("6.6.1.14", (), [], "not_applicable"),
    ("6.6.1.14", ("PASS",), ["manual"], "satisfied"),         # an attestation is not needed, and changes nothing
    ("6.6.1.10", ("PASS",), [], "not_evaluated"),            # partial: the attested half is missing
    ("6.6.1.10", ("PASS",), ["manual"], "satisfied"),
    ("6.6.1.10", ("PASS",), ["inherited"], "not_evaluated"), # the hyperscaler's report is not the provider's attestation
    ("6.6.1.10", ("FAIL",), ["manual"], "not_satisfied"),
    ("6.6.1.10", ("NOT_EVALUATED",), ["manual"], "not_evaluated"),
    ("6.6.1.10", ("WAIVED", "PASS"), ["manual"], "waived"),
    ("6.6.1.10", (), ["manual"], "attested"),                # no resources of the checked types
])
def test_item_status_from_checks_and_attestations(item, statuses, atts, expected):
    c = check(criteria=(item,), risks=("H05",))
    a = run([c], res(c.id, *statuses), [att(item, kind=k) for k in atts])
    got = a.risks["H05"]["items"][item]
    assert got["status"] == expected, got["reason"]
    assert got["reason"] and got["reason_ja"]
    assert got["results"] == [r["id"] for r in res(c.id, *statuses)]
    assert a.items[item]["status"] == expected


@pytest.mark.parametrize("item,atts,expected", [
    ("4.3.2.4", [], "not_evaluated"),
    ("4.3.2.4", ["manual"], "attested"),
    ("4.3.2.4", ["inherited"], "not_evaluated"),      # wrong kind for the provider's own procedure
    ("5.2.6.4", ["inherited"], "inherited"),
    ("5.2.6.4", ["manual"], "not_evaluated"),         # an inherited item needs the hyperscaler's report
    ("6.7.2.3", ["inherited"], "not_evaluated"),      # partial, no check: the provider must attest the whole item
    ("6.7.2.3", ["manual"], "attested"),
])
def test_items_without_checks_need_the_right_attestation(item, atts, expected):
    a = run([], [], [att(item, kind=k) for k in atts])
    got = a.risks["M10"]["items"][item]
    assert got["status"] == expected, got["reason"]
    assert got["checks"] == []


def test_a_reason_never_claims_a_check_that_does_not_exist():
    a = run([], [], [])
    for item_id, item in a.items.items():
        assert not item["checks"]
        for text in (item["reason"], item["reason_ja"]):
            assert "checks pass" not in text and "チェックは合格" not in text and "一部しか確認しない" not in text, item_id
    assert "この項目を確認するチェックはまだない" in a.items["8.6.1.1"]["reason_ja"]  # partial, no check
    assert a.items["4.3.2.4"]["reason_ja"].startswith("事業者の証明が必要")         # manual


@pytest.mark.parametrize("on,expires,expected", [
    ("2026-01-01", "2026-11-22", "attested"),        # valid through its expiry day
    ("2026-01-01", "2026-11-21", "not_evaluated"),   # expired
    ("2026-11-22", "2027-01-01", "attested"),        # attested on the as-of date
    ("2026-11-23", "2027-01-01", "not_evaluated"),   # attested after the as-of date
])
def test_attestations_count_only_between_attested_on_and_expires(on, expires, expected):
    a = run([], [], [att("4.3.2.4", on=on, expires=expires)])
    assert a.items["4.3.2.4"]["status"] == expected


def test_the_reason_says_why_an_attestation_does_not_count():
    a = run([], [], [att("4.3.2.4", on="2026-12-01")])
    item = a.items["4.3.2.4"]
    assert "after the as-of date" in item["reason"] and "判定基準日" in item["reason_ja"]
    (summary,) = item["attestations"]
    assert summary["standing"] == "not_yet" and summary["counted"] is False


@pytest.mark.parametrize("reviewed_by,expected", [(None, "not_evaluated"), ("CISO", "not_evaluated"), ("内部監査室", "attested")])
def test_an_item_the_catalog_asks_to_review_needs_a_different_reviewer(reviewed_by, expected):
    assert CATALOG.items["6.1.3.3"].get("attestation_review") == "independent"
    a = run([], [], [att("6.1.3.3", reviewed_by=reviewed_by)])
    assert a.items["6.1.3.3"]["status"] == expected


def test_a_result_counts_only_for_the_risks_its_check_declares():
    """6.8.1.8 is cited by M07 (at rest) and M09 (in transit): an at-rest failure stays in M07."""
    at_rest = check("GM-A-001", ("6.8.1.8",), ("M07",))
    transit = check("GM-T-001", ("6.8.1.8",), ("M09",))
    a = run([at_rest, transit], res("GM-A-001", "FAIL") + res("GM-T-001", "PASS"))
    assert a.risks["M07"]["items"]["6.8.1.8"]["status"] == "not_satisfied"
    assert a.risks["M07"]["items"]["6.8.1.8"]["checks"] == ["GM-A-001"]
    assert a.risks["M09"]["items"]["6.8.1.8"]["checks"] == ["GM-T-001"]
    assert a.risks["M09"]["items"]["6.8.1.8"]["results"] == ["RGM-T-0010"]
    assert a.risks["M09"]["items"]["6.8.1.8"]["status"] != "not_satisfied"
    assert a.risks["M09"]["judgement"] != "×"
    assert a.items["6.8.1.8"]["status"] == "not_satisfied"  # over all its risks
    assert a.items["6.8.1.8"]["by_risk"] == {"M07": "not_satisfied", "M09": "not_evaluated"}


def test_a_check_without_items_is_supporting_evidence_only():
    mfa = check("GM-M-001", (), ("M08",))
    a = run([mfa], res("GM-M-001", "FAIL", "PASS"))
    m08 = a.risks["M08"]
    assert m08["supporting"] == {"checks": ["GM-M-001"], "counts": {"FAIL": 1, "PASS": 1}, "results": ["RGM-M-0010", "RGM-M-0011"]}
    assert m08["judgement"] != "×" and m08["checks"] == [] and m08["result_counts"] == {}
    assert all(e["status"] != "not_satisfied" for e in m08["items"].values())


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
    from genmei.engine.assess import _Index, judge_risk
    risk = {"id": "H05", "name": {"ja": "隔離の失敗", "en": "Isolation failure"}, "level": "high", "basic_statement": True,
            "layers": [{"layer": "物理層", "criteria": ["a", "b"], "residual_risks_ja": ["残る"]}]}
    entries = {k: {"status": s, "results": [], "checks": [], "attested_with": None, "reason": "r"} for k, s in zip("ab", statuses)}
    got = judge_risk(risk, entries, [], [], _Index({}, {}, {}))
    assert got["judgement"] == judgement
    assert got["rationale"].startswith(judgement) and got["residual_risks_ja"] == ["残る"]


@pytest.mark.parametrize("statuses,head", [
    (["not_satisfied", "satisfied"], "×: 不充足の項目がある。"),
    (["waived", "satisfied"], "×: 例外として承認された不適合の項目がある"),
    (["waived", "not_satisfied"], "×: 不充足の項目と、例外として承認された不適合の項目がある。"),
])
def test_the_rationale_names_an_exception_only_where_there_is_one(statuses, head):
    from genmei.engine.assess import _Index, judge_risk
    risk = {"id": "H05", "name": {"ja": "", "en": ""}, "level": "high", "basic_statement": True, "layers": []}
    entries = {k: {"status": s, "results": [], "checks": [], "attested_with": None, "reason": "r"} for k, s in zip("ab", statuses)}
    rationale = judge_risk(risk, entries, [], [], _Index({}, {}, {}))["rationale"]
    assert rationale.startswith(head)
    assert "または例外承認" not in rationale


def test_risk_without_items_is_not_evaluated():
    a = run([], [])
    assert a.risks["L12"]["judgement"] == "未評価" and "項番" in a.risks["L12"]["rationale"]


def test_requirements_need_the_assessment_and_an_attestation_per_other_part():
    a = run([], [], [att(part="governance", reviewed_by="内部監査室"), att(part="management")])
    parts = {p["id"]: p for p in a.requirements}
    assert list(parts) == ["governance", "management", "basic_controls", "risk_controls"]
    assert parts["governance"]["status"] == "attested"
    assert parts["management"]["status"] == "not_evaluated"           # the catalog asks for an independent review
    assert "review" in parts["management"]["reason"]
    assert parts["basic_controls"]["status"] == "not_evaluated"
    assert parts["risk_controls"]["status"] == "not_evaluated"        # H01–M11 are not all ○
    assert parts["risk_controls"]["items"] == 132 == len({i for r in CATALOG.basic_statement_risks for i in CATALOG.risk_items(r["id"])})


def test_a_declared_risk_that_does_not_cite_the_item_gets_the_check_as_supporting_only():
    """6.8.1.10 is cited by M07 alone: a check naming it with M07 and M09 moves nothing in M09."""
    c = check("GM-X-002", ("6.8.1.10",), ("M07", "M09"))
    a = run([c], res("GM-X-002", "FAIL"))
    assert a.risks["M07"]["items"]["6.8.1.10"]["status"] == "not_satisfied"
    assert a.risks["M07"]["checks"] == ["GM-X-002"]
    assert a.risks["M09"]["checks"] == [] and a.risks["M09"]["supporting"]["checks"] == ["GM-X-002"]
    assert a.risks["M09"]["judgement"] != "×"
