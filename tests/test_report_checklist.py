"""The JASA checklist rendered from a stored scan, XLSX and CSV: the customer's checklist
(seed 000 layout; tests/test_judgements.py pins that it discloses nothing) and the
provider's workpaper (`--internal`)."""

import csv
import io

import openpyxl
import pytest

from reporting import report

RISKS = ("H01", "H02", "H03", "H04", "H05", "H06", "M07", "M08", "M09", "M10", "M11",
         "L12", "L13", "L14", "L15", "L16", "L17", "L18", "L19", "L20", "L21")


def all_risks(evidence):
    return {**evidence["risks"], **evidence["outside_basic_statement"]}


@pytest.fixture(scope="module")
def xlsx(demo_scan, tmp_path_factory):
    """The provider's workpaper."""
    out = tmp_path_factory.mktemp("checklist") / "checklist.xlsx"
    code, stdout, stderr = report("checklist", "--internal", "--evidence", demo_scan["out"], "--out", out)
    assert code == 0, stderr
    assert stderr == ""
    return openpyxl.load_workbook(out)


@pytest.fixture(scope="module")
def customer(demo_scan, tmp_path_factory):
    out = tmp_path_factory.mktemp("checklist") / "customer.xlsx"
    code, stdout, stderr = report("checklist", "--evidence", demo_scan["out"], "--out", out)
    assert code == 0, stderr
    return openpyxl.load_workbook(out)


def checklist_rows(ws):
    return [row for row in ws.iter_rows(values_only=True) if row[0] in RISKS]


def test_xlsx_has_one_row_per_risk_with_the_evidence_judgements(xlsx, demo_scan):
    ws = xlsx.worksheets[0]
    assert ws.title == "チェックリスト"
    rows = checklist_rows(ws)
    assert [r[0] for r in rows] == list(RISKS)
    risks = all_risks(demo_scan["evidence"])
    for r in rows:
        assert r[1] == risks[r[0]]["name"]["ja"]
        assert r[3] == risks[r[0]]["judgement"], r[0]
        assert r[4] == risks[r[0]]["rationale"]
        assert r[5] == ("基本言明の対象" if r[0] in demo_scan["evidence"]["risks"] else "基本言明の対象外")
        assert r[2], f"{r[0]} has no generated explanation"


def test_the_customer_checklist_keeps_the_seed_layout_and_says_judgements_are_proposals(customer, demo_scan):
    ws = customer.worksheets[0]
    texts = [c for row in ws.iter_rows(max_row=7, values_only=True) for c in row if c]
    assert "クラウドサービスにおける情報セキュリティ対策に関するチェックリスト" in texts
    assert "対象: ○○クラウドサービス(○○株式会社)" in texts  # never the account without --service
    assert any("提案" in t and "監査人" in t for t in texts)
    for head in ("番号", "リスクの種類", "判断", "判断の根拠", "利用者記入欄", "事業者による判断(提案)"):
        assert head in texts
    assert any(t.startswith("事業者による説明") for t in texts)
    sections = [row[0] for row in ws.iter_rows(values_only=True) if row[0] and "基本言明" in str(row[0])]
    assert sections == ["リスク高・中 — 基本言明の対象 (H01–M11)", "リスク低 — 基本言明の対象外 (L12–L21)"]
    risks = all_risks(demo_scan["evidence"])
    h05 = next(r for r in checklist_rows(ws) if r[0] == "H05")
    n = len(risks["H05"]["items"])
    assert h05[2].startswith(f"対応する管理基準 {n}項目について、")


def test_the_workpaper_says_judgements_are_proposals_and_names_the_account(xlsx):
    ws = xlsx.worksheets[0]
    texts = [c for row in ws.iter_rows(max_row=7, values_only=True) for c in row if c]
    assert "(事業者の作業用・社外秘)" in texts[0]
    assert any(t.startswith("対象: aws アカウント 123456789012") for t in texts)
    assert any("提案" in t and "監査人" in t for t in texts)


def test_explanation_says_what_was_checked_and_found(xlsx, demo_scan):
    h01 = next(r for r in checklist_rows(xlsx.worksheets[0]) if r[0] == "H01")
    fails = [r for r in demo_scan["evidence"]["results"] if r["status"] == "FAIL" and "H01" in r["risks"] and r["criteria"]]
    assert fails
    assert "GM-AVL-001" in h01[2]
    for r in fails:
        assert r["resource"] in h01[2]


def test_every_risk_has_a_sheet_with_its_items_resources_and_crosswalk(xlsx, demo_scan):
    ev = demo_scan["evidence"]
    assert xlsx.sheetnames == ["チェックリスト", *RISKS, "証跡"]
    for rid, risk in all_risks(ev).items():
        ws = xlsx[rid]
        values = [row for row in ws.iter_rows(values_only=True)]
        item_rows = {row[0]: row for row in values if row[0] in risk["items"]}
        assert set(item_rows) == set(risk["items"]), rid
        for item_id, row in item_rows.items():
            assert row[3] == risk["items"][item_id]["status_ja"], (rid, item_id)   # the status for this risk
        result_ids = {row[0] for row in values if isinstance(row[0], str) and row[0].startswith("R")}
        expected = {r for i in risk["items"].values() for r in i["results"]} | set(risk["supporting"]["results"])
        assert result_ids == expected, rid
    h05 = {row[0]: row for row in xlsx["H05"].iter_rows(values_only=True)}
    assert h05["6.6.1.10"][8] == "10.6.1"
    assert "A.8.20" in h05["6.6.1.10"][9]
    assert h05["6.6.1.10"][4].startswith("不合格のリソースがある")
    assert h05["6.6.1.10"][6].startswith("GM-DB-001: 項目はアクセス制御方針に基づく")  # one rationale per mapping


def test_scan_sheet_lists_gaps_exceptions_and_attestations_with_expiry(xlsx, demo_scan):
    ev = demo_scan["evidence"]
    cells = [c for row in xlsx["証跡"].iter_rows(values_only=True) for c in row if c is not None]
    assert ev["snapshot_sha256"] in cells
    for e in ev["exceptions"]:
        assert e["id"] in cells
    assert "期限切れ" in cells and "有効" in cells and "補足(単独では不足)" in cells
    assert ev["snapshot"]["gaps"][0]["scope"] in cells
    assert "管理策基準(基本的事項)" in cells and "governance" in cells


def test_english_checklist(demo_scan, tmp_path):
    out = tmp_path / "checklist-en.xlsx"
    code, _, stderr = report("checklist", "--evidence", demo_scan["out"], "--out", out, "--lang", "en",
                             "--service", "Demo Cloud", "--organisation", "Demo KK")
    assert code == 0, stderr
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert ws.title == "Checklist"
    risks = all_risks(demo_scan["evidence"])
    rows = checklist_rows(ws)
    assert [(r[0], r[3]) for r in rows] == [(rid, risks[rid]["judgement_en"]) for rid in RISKS]
    assert [(r[5], r[6]) for r in rows] == [(None, None)] * len(RISKS)
    assert ws["A2"].value == "Service: Demo Cloud(Demo KK)"


def test_csv_checklist_opens_in_excel_and_matches_the_evidence(demo_scan, tmp_path):
    out = tmp_path / "checklist.csv"
    code, stdout, stderr = report("checklist", "--evidence", demo_scan["out"], "--out", out)
    assert code == 0, stderr
    assert "checklist (csv, ja)" in stdout
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so that Excel reads Japanese"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["番号", "リスクの種類", "事業者による説明(実施している対策の確認状況)", "事業者による判断(提案): 判断",
                       "事業者による判断(提案): 判断の根拠", "利用者記入欄: 判断", "利用者記入欄: 判断の根拠", "基本言明"]
    risks = all_risks(demo_scan["evidence"])
    assert [r[0] for r in rows[1:]] == list(RISKS)
    for r in rows[1:]:
        assert r[3] == risks[r[0]]["judgement"] and r[5] == r[6] == ""
    internal = tmp_path / "workpaper.csv"
    code, _, stderr = report("checklist", "--internal", "--evidence", demo_scan["out"], "--out", internal)
    assert code == 0, stderr
    rows = list(csv.reader(io.StringIO(internal.read_bytes().decode("utf-8-sig"))))
    assert rows[0][:5] == ["番号", "リスクの種類", "事業者による説明(確認した事項と結果: genmei が証跡から生成)", "判断", "判断の根拠"]
    h05 = next(r for r in rows if r[0] == "H05")
    assert "A.8.20" in h05[6]
