"""The draft 基本言明書: compliance is stated only when every part of the 基本言明要件 is
evidenced — every H01–M11 judgement ○ and a counted attestation for the governance,
management and basic control criteria — with nothing expired; otherwise the draft
lists what stands in the way. Judged on real scans (reports re-perform the assessment,
so evidence.json cannot simply be edited to ○)."""

import pytest

from judgement_fixtures import all_o_attestations, attestation, bucket, firewall, scan, snapshot
from genmei.engine.render.escape import markdown
from reporting import report

COMPLIANCE = "クラウド基本言明要件に準拠して"


def statement(evidence_dir, out, *extra):
    code, _, stderr = report("statement", "--evidence", evidence_dir, "--out", out,
                             "--service", "デモクラウドサービス", "--organisation", "デモ株式会社", *extra)
    assert code == 0, stderr
    return out.read_text(encoding="utf-8")


def scanned(tmp_path, atts, name):
    code, _, stderr, ev = scan(tmp_path, snapshot(tmp_path, [bucket(False), firewall("web", 443)], name=f"{name}.json"),
                               "--attestations", atts, out=name)
    assert code == 0, stderr
    return tmp_path / name, ev


@pytest.fixture
def all_o(tmp_path):
    """A scan whose H01–M11 judgements are all ○, every part attested, nothing expired."""
    d, ev = scanned(tmp_path, all_o_attestations(tmp_path), "all-o")
    assert {r["judgement"] for r in ev["risks"].values()} == {"○"}
    return d, ev


def test_demo_cannot_state_compliance_and_lists_why(demo_scan, tmp_path):
    ev = demo_scan["evidence"]
    text = statement(demo_scan["out"], tmp_path / "s.md")
    assert text.startswith("# デモクラウドサービス提供業務の情報セキュリティに関する言明(草案)")
    assert COMPLIANCE not in text
    assert "言明を妨げている事項" in text
    for rid, r in ev["risks"].items():
        if r["judgement"] != "○":
            assert f"- {rid} {r['name']['ja']}: 判断 {r['judgement']}" in text
    assert "M10 セキュリティが確保されていない、または不完全なデータ削除: 判断 未評価" in text.split("---")[0]
    for e in ev["exceptions"]:
        assert (f"例外 {markdown(e['id'])}" in text) == e["expired"]  # names from the input are escaped in Markdown
    for a in ev["attestations"]:
        if a["expired"]:
            assert f"項番 {a['item']} の証明" in text and a["expires"] in text
    assert "管理策基準(基本的事項)(764項目): genmei はこの部分を評価しない" in text


def test_all_o_and_nothing_expired_states_compliance(all_o, tmp_path):
    d, ev = all_o
    text = statement(d, tmp_path / "s.md", "--representative", "代表取締役社長 山田 太郎", "--date", "2027-04-01")
    assert COMPLIANCE in text
    assert "デモクラウドサービス提供業務を実施するにあたり" in text
    assert "2027年4月1日" in text and "代表取締役社長 山田 太郎" in text
    assert "- 利用者が使用する論理的領域は，その利用者以外のアクセスから保護されていること" in text
    assert "- 以上の事項に関して，その利用者に対し必要な説明が可能であること" in text
    assert "言明を妨げている事項" not in text
    html = statement(d, tmp_path / "s.html")
    assert COMPLIANCE in html and 'data-ready="true"' in html


def test_one_expired_attestation_blocks_the_statement(tmp_path):
    expired = attestation("4.3.2.4", on="2025-04-01", expires="2026-03-31")
    d, ev = scanned(tmp_path, all_o_attestations(tmp_path, extra=[expired]), "expired")
    assert {r["judgement"] for r in ev["risks"].values()} == {"○"}  # the item is attested by its valid attestation
    for fmt in ("md", "html"):
        text = statement(d, tmp_path / f"s.{fmt}")
        assert COMPLIANCE not in text
        assert "項番 4.3.2.4 の証明" in text and "2026-03-31 に期限切れ" in text


def test_one_risk_not_o_blocks_the_statement(tmp_path):
    d, ev = scanned(tmp_path, all_o_attestations(tmp_path, omit={"C.1.1.7"}), "m11")
    assert ev["risks"]["M11"]["judgement"] == "未評価"
    text = statement(d, tmp_path / "s.html")
    assert COMPLIANCE not in text
    assert 'data-ready="false"' in text and "M11 クラウド内DDoS/DoS攻撃: 判断 未評価" in text


def test_english_draft(demo_scan, all_o, tmp_path):
    d, _ = all_o
    text = statement(d, tmp_path / "s.md", "--lang", "en")
    assert "in compliance with the JASA cloud basic-statement requirements" in text
    assert "the Japanese text is authoritative" in text
    blocked = statement(demo_scan["out"], tmp_path / "b.md", "--lang", "en")
    assert "in compliance with" not in blocked and "What stands in the way" in blocked


def test_statement_needs_a_service_and_an_organisation(demo_scan, tmp_path):
    code, stdout, stderr = report("statement", "--evidence", demo_scan["out"], "--out", tmp_path / "s.md")
    assert code == 2
    assert stderr.count("\n") == 1 and "--service" in stderr
    assert not (tmp_path / "s.md").exists()
