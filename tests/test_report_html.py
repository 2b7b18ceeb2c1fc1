"""The HTML report: self-contained, and loaded in a real headless Chromium (Debian's
package, installed by .ci/run): no console errors, the eleven risks and the counts that
evidence.json holds, and a screenshot. Without Chromium these tests are skipped, never passed."""

import re
import struct

import pytest

from chromium import find_chromium, load_page
from conftest import ROOT
from reporting import report

CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
SCREENSHOTS = ROOT / "out" / "test-screenshots"

OVERVIEW = """JSON.stringify([...document.querySelectorAll('#overview tr[data-risk]')].map(tr => ({
  id: tr.dataset.risk, judgement: tr.dataset.judgement,
  shown: tr.querySelector('.j').innerText.trim(), name: tr.children[1].innerText.trim(),
  visible: tr.getBoundingClientRect().height > 0,
  counts: Object.fromEntries([...tr.querySelectorAll('td[data-count]')].map(td => [td.dataset.count, Number(td.innerText)]))})))"""
SUMMARY = """JSON.stringify(Object.fromEntries([...document.querySelectorAll('[data-summary]')].map(e => [e.dataset.summary, Number(e.innerText)])))"""
OUTSIDE = """JSON.stringify([...document.querySelectorAll('#outside tr[data-risk]')].map(tr => [tr.dataset.risk, tr.dataset.judgement]))"""
DRILL = """JSON.stringify([...document.querySelectorAll('details.risk')].map(d => [d.dataset.risk, d.querySelectorAll('details.item').length, d.querySelectorAll('tr[data-result]').length]))"""
TEXT = "document.body.innerText"


@pytest.fixture(scope="module")
def page(demo_scan, tmp_path_factory):
    out = tmp_path_factory.mktemp("html") / "report.html"
    code, _, stderr = report("html", "--evidence", demo_scan["out"], "--out", out)
    assert code == 0, stderr
    return out


def test_self_contained(page):
    html = page.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r"""<(script|link|iframe|object|embed)\b""", html, re.I)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html, re.I)
    assert "@import" not in html and "url(" not in html


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@needs_chromium
def test_loads_in_chromium_with_the_evidence_counts(page, demo_scan):
    import json

    ev = demo_scan["evidence"]
    run = load_page(CHROMIUM, page.as_uri(), (OVERVIEW, SUMMARY, OUTSIDE, DRILL, TEXT))
    assert run.errors == []
    overview, summary, outside, drill, text = run.values
    overview = json.loads(overview)
    assert [r["id"] for r in overview] == list(ev["risks"])
    for row in overview:
        risk = ev["risks"][row["id"]]
        assert row["visible"]
        assert row["judgement"] == row["shown"] == risk["judgement"]
        assert row["name"] == risk["name"]["ja"]
        for status, n in row["counts"].items():
            assert n == risk["counts"].get(status, 0), (row["id"], status)
        assert sum(row["counts"].values()) == len(risk["items"])
    assert json.loads(summary) == ev["summary"]
    assert json.loads(outside) == [[rid, r["judgement"]] for rid, r in ev["outside_basic_statement"].items()]
    drill = {rid: (items, results) for rid, items, results in json.loads(drill)}
    for rid, risk in {**ev["risks"], **ev["outside_basic_statement"]}.items():
        assert drill[rid][0] == len(risk["items"])
        assert drill[rid][1] == sum(len(i["results"]) for i in risk["items"].values())
    for e in ev["exceptions"]:
        assert e["id"] in text and e["expires"] in text
    for gap in ev["snapshot"]["gaps"]:
        assert gap["message"] in text
    assert "提案" in text
    width, height = png_size(run.screenshot)
    assert width == 1400 and height > 1000
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "report-ja.png").write_bytes(run.screenshot)


@needs_chromium
def test_english_report_loads_without_errors(demo_scan, tmp_path):
    out = tmp_path / "report-en.html"
    code, _, stderr = report("html", "--evidence", demo_scan["out"], "--out", out, "--lang", "en")
    assert code == 0, stderr
    run = load_page(CHROMIUM, out.as_uri(), ("document.querySelector('#overview').innerText",))
    assert run.errors == []
    for risk in demo_scan["evidence"]["risks"].values():
        assert risk["name"]["en"] in run.values[0] and risk["judgement_en"] in run.values[0]


@needs_chromium
def test_the_harness_sees_console_errors_and_blocked_assets(tmp_path):
    """The no-error assertion above means something: errors of each kind are reported."""
    page = tmp_path / "bad.html"
    page.write_text("""<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy"
        content="default-src 'none'; script-src 'unsafe-inline'"></head><body><img src="https://example.invalid/x.png">
        <script>console.error("deliberate"); throw new Error("uncaught");</script></body></html>""", encoding="utf-8")
    run = load_page(CHROMIUM, page.as_uri())
    assert any("deliberate" in e for e in run.errors)
    assert any("uncaught" in e for e in run.errors)
    assert any("Content Security Policy" in e for e in run.errors)
