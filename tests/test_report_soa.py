"""The statement-of-applicability CSV: every criteria item once, with how it is evidenced,
its status in the scan and the ISO crosswalk."""

import csv
import io

import yaml

from conftest import ROOT
from reporting import report


def soa_rows(demo_scan, tmp_path, *extra):
    out = tmp_path / "soa.csv"
    code, _, stderr = report("soa", "--evidence", demo_scan["out"], "--out", out, *extra)
    assert code == 0, stderr
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    return rows


def test_every_item_once_with_status_and_crosswalk(demo_scan, tmp_path):
    ev = demo_scan["evidence"]
    rows = soa_rows(demo_scan, tmp_path)
    assert [r["項番"] for r in rows] == list(ev["items"])
    crosswalk = {e["item"]: e for e in yaml.safe_load((ROOT / "mappings" / "crosswalk-iso.yaml").read_text())["items"]}
    for r in rows:
        item = ev["items"][r["項番"]]
        assert r["状態"] == item["status_ja"]
        entry = crosswalk[r["項番"]]
        assert r["ISO/IEC 27001:2022 附属書A"] == ", ".join(x["control"] for x in entry["iso27001_2022"])
        assert r["JIS Q 27002:2006 (ISO/IEC 27002:2005)"] == (entry["iso27002_2005"] or "")
        assert r["ISO/IEC 27017:2015"] == ", ".join(entry["iso27017_2015"])
        for check in item["checks"]:
            assert check in r["証跡の方法"]


def test_applicability(demo_scan, tmp_path):
    ev = demo_scan["evidence"]
    rows = {r["項番"]: r for r in soa_rows(demo_scan, tmp_path)}
    not_applicable = [i for i, item in ev["items"].items() if item["status"] == "not_applicable"]
    assert not_applicable
    for i in not_applicable:
        assert rows[i]["適用"] == "適用外"
        assert "対象リソースなし" in rows[i]["適用の根拠"]
    assert rows["6.6.1.10"]["適用"] == "適用"
    assert rows["6.6.1.10"]["適用の根拠"].startswith("基本言明要件 (")
    only_low = [i for i in ev["items"] if not any(i in risk["items"] for risk in ev["risks"].values())]
    assert only_low
    for i in only_low:
        assert "基本言明要件" not in rows[i]["適用の根拠"]
        assert "基本言明の対象外" in rows[i]["適用の根拠"]


def test_attested_item_names_its_evidence(demo_scan, tmp_path):
    ev = demo_scan["evidence"]
    rows = {r["Item"]: r for r in soa_rows(demo_scan, tmp_path, "--lang", "en")}
    counted = [a for a in ev["attestations"] if a["counted"] and a["item"]]
    assert counted
    for a in counted:
        assert a["evidence_ref"] in rows[a["item"]]["How evidenced"]
    not_counted = [a for a in ev["attestations"] if not a["counted"] and a["item"]]
    assert {a["standing"] for a in not_counted} == {"expired", "supplementary"}
    for a in not_counted:
        assert a["evidence_ref"] not in rows[a["item"]]["How evidenced"]
        assert rows[a["item"]]["Status"] == "not evaluated"
