"""`genmei report period` over a store with real scans on different days: two accounts
of one service (the second stops being scanned), a failure that opens and is fixed, one
fixed after days of being unknown, one whose resource is removed, an exception renewed
after it lapsed, an attestation that expires in the period. Every figure of the report is
checked against the scans' own evidence documents; the same report from PostgreSQL (the
store copied by `history migrate`) is identical; xlsx holds text as text; the HTML is
loaded in headless Chromium and its charts carry the report's values; the report seals
into a bundle that verifies, and `history prune` keeps the runs it rests on."""

import copy
import hashlib
import json
import zipfile
from datetime import date, datetime, timedelta, timezone

import pytest
import yaml
from conftest import DEMO_SNAPSHOT, EXAMPLES, ROOT, genmei

import pg_server
from chromium import find_chromium, load_page
from genmei.engine.store import open_store

needs_postgres = pytest.mark.skipif(not pg_server.available(), reason="PostgreSQL binaries not found (.ci/run installs them)")
needs_chromium = pytest.mark.skipif(find_chromium() is None, reason="chromium is not installed (.ci/run installs it)")
SCREENSHOTS = ROOT / "out" / "test-screenshots"

A, B = "123456789012", "210987654321"
ADMIN_SG = "arn:aws:ec2:ap-northeast-1:123456789012:security-group/sg-0b22admin"
ENC_VOL = "arn:aws:ec2:ap-northeast-1:123456789012:volume/vol-0f66enc"
PLAIN_VOL = "arn:aws:ec2:ap-northeast-1:123456789012:volume/vol-0a77plain"
BUCKET = "arn:aws:s3:::example-public-assets"
DAYS = [f"2026-11-0{d}" for d in range(1, 8)]
BASIC = ("H01", "H02", "H03", "H04", "H05", "H06", "M07", "M08", "M09", "M10", "M11")
INJECTION = '=HYPERLINK("http://attacker.example/","click")\a記録'


def resource(doc, rid):
    return next(r for r in doc["resources"] if r["id"] == rid)


def day_snapshot(tmp, day: int, account=A, *, broken_enc=False, fixed_sg=False, bucket=True, plain=True):
    doc = json.loads(DEMO_SNAPSHOT.read_text())
    doc["meta"].update(account=account, started_at=f"2026-11-0{day}T01:00:00Z", finished_at=f"2026-11-0{day}T01:00:07Z")
    if broken_enc:
        resource(doc, ENC_VOL)["attrs"]["encrypted"] = False
    if fixed_sg:
        resource(doc, ADMIN_SG)["attrs"]["rules"][0]["sources"] = ["10.0.0.0/8"]
    if bucket is None:
        resource(doc, BUCKET)["attrs"]["public"] = None  # not collected: NOT_EVALUATED
    elif bucket is False:
        resource(doc, BUCKET)["attrs"].update(public=False, public_via=[])
    if not plain:
        doc["resources"] = [r for r in doc["resources"] if r["id"] != PLAIN_VOL]
    path = tmp / f"{account}-{day}.json"
    path.write_text(json.dumps(doc))
    return path


# Account A every day but the 3rd and the 7th; account B (same service) the first two days only.
PLAN = [
    (1, A, {}, "base"), (1, B, {}, "base"), (2, A, {}, "base"), (2, B, {}, "base"),
    (4, A, {"broken_enc": True, "bucket": None}, "renewed"),
    (5, A, {"broken_enc": True, "fixed_sg": True, "bucket": None}, "renewed"),
    (6, A, {"fixed_sg": True, "bucket": False, "plain": False}, "renewed"),
]


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("period")
    exc = yaml.safe_load((EXAMPLES / "exceptions.yaml").read_text())
    renewed = copy.deepcopy(exc)
    next(e for e in renewed["exceptions"] if e["id"] == "EXC-2025-031")["expires"] = "2027-03-31"
    att = yaml.safe_load((EXAMPLES / "attestations.yaml").read_text())
    short = next(a for a in att["attestations"] if a["item"] == "4.3.2.4")
    short.update(expires="2026-11-04", statement=INJECTION)
    # The provider's own erasure, the part of the partial item 6.7.2.3 that the hyperscaler's report does not
    # cover: with it M10 rests on counted attestations alone and is ○ on a day every account was scanned.
    att["attestations"].append({"item": "6.7.2.3", "kind": "manual", "statement": "利用者データは鍵の破棄により消去する。",
                                "attested_by": "情報システム部", "attested_on": "2026-10-01",
                                "evidence_ref": "ISMS-PRC-014 §5", "expires": "2027-09-30"})
    files = {"base": tmp / "exc.yaml", "renewed": tmp / "exc-renewed.yaml", "att": tmp / "att.yaml"}
    files["base"].write_text(yaml.safe_dump(exc, allow_unicode=True))
    files["renewed"].write_text(yaml.safe_dump(renewed, allow_unicode=True))
    files["att"].write_text(yaml.safe_dump(att, allow_unicode=True))
    store = tmp / "history.sqlite"
    evidence = {}
    for day, account, change, exceptions in PLAN:
        out = tmp / f"ev-{account}-{day}"
        code, _, err = genmei("scan", "--snapshot", day_snapshot(tmp, day, account, **change), "--service", "svc",
                              "--attestations", files["att"], "--exceptions", files[exceptions], "--fail-on", "none",
                              "--as-of", f"2026-11-0{day}", "--store", store, "--out", out)
        assert code == 0, err
        evidence[(account, day)] = (json.loads((out / "evidence.json").read_text()),
                                    hashlib.sha256((out / "evidence.json").read_bytes()).hexdigest())
    # A run of another service in the same store, which the report must leave out.
    code, _, err = genmei("scan", "--snapshot", day_snapshot(tmp, 2, "999999999999"), "--service", "other",
                          "--fail-on", "none", "--store", store)
    assert code == 0, err
    return {"tmp": tmp, "store": store, "evidence": evidence}


def period(store, *extra, fmt="json", out=None):
    out = out or store.parent / f"period.{fmt}"
    code, stdout, err = genmei("report", "period", "--store", store, "--from", DAYS[0], "--to", DAYS[-1],
                               "--service", "svc", "--out", out, *extra)
    assert code == 0, err
    return out, stdout


@pytest.fixture(scope="module")
def report(history):
    out, _ = period(history["store"])
    return json.loads(out.read_text())


def missed_or_future(day: str) -> str:
    return "missed" if date.fromisoformat(day) <= datetime.now(timezone.utc).date() else "future"


# -- the calendar and the judgements by day -------------------------------------------------------------

def test_calendar_days_scanned_partial_and_missed(report):
    assert report["selection"]["sources"] == [{"provider": "aws", "account": A}, {"provider": "aws", "account": B}]
    statuses = [d["status"] for d in report["calendar"]]
    assert statuses == ["scanned", "scanned", missed_or_future(DAYS[2]), "partial", "partial", "partial",
                        missed_or_future(DAYS[6])]
    assert [d["runs"] for d in report["calendar"]] == [2, 2, 0, 1, 1, 1, 0]
    assert report["summary"]["runs"] == 7  # the other service's run is not in it
    assert report["summary"]["partial_dates"] == DAYS[3:6]
    # The only collection gap of the demo account (EKS in Osaka), by source, on every scanned day.
    assert [(g["account"], g["service"], g["api"], g["days"]) for g in report["gaps"]] == \
        [(A, "eks", "ListClusters", [DAYS[i] for i in (0, 1, 3, 4, 5)]), (B, "eks", "ListClusters", DAYS[:2])]


def test_judgement_per_day_follows_the_scans_and_is_never_o_on_a_partial_day(report, history):
    ev = history["evidence"]
    for risk in report["risks"]:
        expected = []
        for n in range(1, 8):
            marks = [ev[(acct, n)][0]["risks"][risk["id"]]["judgement"] for acct in (A, B) if (acct, n) in ev]
            if not marks:
                expected.append(None)
            elif "×" in marks:
                expected.append("×")
            elif len(marks) == 2 and set(marks) == {"○"}:
                expected.append("○")
            else:
                expected.append("未評価")
        assert risk["days"] == expected, risk["id"]
        assert risk["counts"] == {"○": expected.count("○"), "×": expected.count("×"), "未評価": expected.count("未評価"),
                                  "not_scanned": expected.count(None)}
    assert [r["id"] for r in report["risks"]] == list(BASIC)
    m10 = next(r for r in report["risks"] if r["id"] == "M10")
    # ○ while both accounts were scanned and the attestation held; never ○ with account B missing.
    assert m10["days"] == ["○", "○", None, "未評価", "未評価", "未評価", None]


# -- failures, remediation, exceptions, attestations -----------------------------------------------------

def failing_keys(evidence) -> set[tuple[str, str]]:
    return {(r["check"], r["resource"]) for r in evidence["results"] if r["status"] in ("FAIL", "WAIVED")}


def test_each_failure_with_first_seen_last_seen_closed_and_time_to_remediate(report, history):
    ev = history["evidence"]
    at = {n: f"2026-11-0{n}T01:00:07Z" for n in range(1, 8)}
    expected = {
        (A, "GM-ADMIN-001", ADMIN_SG): ("fixed", "fixed", at[1], at[4], at[5], 4.0),
        (A, "GM-NET-001", ADMIN_SG): ("fixed", "fixed", at[1], at[4], at[5], 4.0),
        (A, "GM-ENC-001", ENC_VOL): ("fixed", "fixed", at[4], at[5], at[6], 2.0),
        # Failing on the 1st and 2nd, unknown on the 4th and 5th, passing on the 6th: fixed, measured from the 1st.
        (A, "GM-STO-002", BUCKET): ("fixed", "fixed", at[1], at[2], at[6], 5.0),
    }
    for check, res in failing_keys(ev[(A, 1)][0]):
        if res == PLAIN_VOL:
            expected[(A, check, res)] = ("gone", "resource_removed", at[1], at[5], at[6], None)
        expected.setdefault((A, check, res), ("open", None, at[1], at[6], None, None))
    for check, res in failing_keys(ev[(B, 1)][0]):
        expected[(B, check, res)] = ("open", None, at[1], at[2], None, None)
    got = {(f["account"], f["check"], f["resource"]): (f["state"], f["closed_by"], f["first_seen"]["observed_at"],
                                                        f["last_seen"]["observed_at"],
                                                        f["closed"]["observed_at"] if f["closed"] else None,
                                                        f["time_to_remediate_days"]) for f in report["failures"]}
    assert got == expected
    bucket = next(f for f in report["failures"] if f["check"] == "GM-STO-002" and f["account"] == A)
    assert bucket["unknown_runs"] == 2 and bucket["last_status"] == "NOT_EVALUATED"
    waived = {(f["account"], f["check"], f["resource"]) for f in report["failures"] if f["waived"]}
    # Waived on some day: the renewed exception waives the dev volume's failure from the 4th on.
    assert waived == {(acct, r["check"], r["resource"]) for (acct, _), (e, _) in ev.items() for r in e["results"]
                      if r["status"] == "WAIVED"}
    assert (A, "GM-ENC-001", PLAIN_VOL) in waived
    s = report["summary"]
    assert s["failures"] == {"total": len(expected), "open_at_end": sum(1 for e in expected.values() if e[0] == "open"),
                             "fixed": 4, "gone": sum(1 for e in expected.values() if e[0] == "gone"),
                             "opened_in_period": len(expected), "waived": len(waived)}
    assert s["time_to_remediate_days"] == {"median": 4.0, "mean": 3.75, "max": 5.0}
    # Open failures at the end of each scanned day: the FAIL and WAIVED results of the day's runs.
    for day, cal in zip(range(1, 8), report["calendar"]):
        runs = [ev[(acct, day)][0] for acct in (A, B) if (acct, day) in ev]
        fails = sum(e["summary"]["FAIL"] for e in runs) if runs else None
        waives = sum(e["summary"]["WAIVED"] for e in runs) if runs else None
        assert (cal["open_failures"], cal["open_waived"]) == (fails, waives), day


def test_exceptions_renewed_after_lapsing_and_attestations_expiring_in_the_period(report):
    exc = {e["key"]: e for e in report["exceptions"]["entries"]}
    assert {k: e["state"] for k, e in exc.items()} == {"EXC-2025-031": "renewed", "EXC-2026-014": "valid"}
    assert [(v["expires"], v["first_seen"], v["last_seen"]) for v in exc["EXC-2025-031"]["versions"]] == \
        [("2026-03-31", DAYS[0], DAYS[1]), ("2027-03-31", DAYS[3], DAYS[5])]
    assert exc["EXC-2025-031"]["lapses"] == [{"from": DAYS[0], "until": DAYS[3]}]  # expired before the period, renewed on the 4th
    att = {e["key"]: e for e in report["attestations"]["entries"]}
    assert att["4.3.2.4 (manual)"]["state"] == "expired"
    assert att["4.3.2.4 (manual)"]["lapses"] == [{"from": DAYS[4], "until": None}]
    assert att["8.6.1.3 (manual)"]["state"] == "expired_before"
    assert {k for k, e in att.items() if e["state"] == "valid"} == set(att) - {"4.3.2.4 (manual)", "8.6.1.3 (manual)"}
    assert report["exceptions"]["runs_without_record"] == 0


def test_every_run_it_rests_on_with_its_digests(report, history):
    ev = history["evidence"]
    runs = {(r["account"], r["observed_at"][:10]): r for r in report["runs"]}
    assert len(runs) == len(report["runs"]) == 7
    with open_store(history["store"], create=False) as s:
        stored = {r["id"]: r for r in s.runs()}
    for (account, day), (evidence, evidence_sha) in ev.items():
        r = runs[(account, f"2026-11-0{day}")]
        assert (r["snapshot_sha256"], r["policy_bundle_sha256"], r["catalog_sha256"], r["evidence_sha256"]) == \
            (evidence["snapshot_sha256"], evidence["policy_bundle_sha256"], evidence["catalog_sha256"], evidence_sha)
        assert r["record_sha256"] == stored[r["id"]]["record_sha256"]
        assert r["judgements"] == {k: v["judgement"] for k, v in evidence["risks"].items()}


def test_a_failure_standing_before_the_period_is_first_seen_when_it_began(history):
    out, _ = period(history["store"], "--from", DAYS[3], "--account", A, out=history["tmp"] / "later.json")
    doc = json.loads(out.read_text())
    sg = next(f for f in doc["failures"] if (f["check"], f["resource"]) == ("GM-ADMIN-001", ADMIN_SG))
    assert sg["open_before_period"] and sg["first_seen"]["observed_at"] == "2026-11-01T01:00:07Z"
    assert sg["time_to_remediate_days"] == 4.0
    assert {r["observed_at"][:10] for r in doc["runs"] if r["before_period"]} == {DAYS[0]}
    assert [d["status"] for d in doc["calendar"]] == ["scanned", "scanned", "scanned", missed_or_future(DAYS[6])]


def test_days_are_counted_in_the_reports_time_zone(history):
    """01:00 UTC is 10:00 in Tokyo, the same day; at UTC-12 the runs fall on the day before."""
    out, _ = period(history["store"], "--tz", "Etc/GMT+12", out=history["tmp"] / "tz.json")
    doc = json.loads(out.read_text())
    assert doc["period"]["timezone"] == "Etc/GMT+12"
    assert [d["runs"] for d in doc["calendar"]] == [2, 0, 1, 1, 1, 0, 0]


# -- the same report from PostgreSQL ----------------------------------------------------------------------

@needs_postgres
def test_the_report_from_a_postgres_copy_of_the_store_is_the_same(history, report):
    url = pg_server.server().new_database()
    code, out, err = genmei("history", "migrate", "--from", history["store"], "--to", url)
    assert code == 0 and "copied 8 run(s)" in out, err
    out_path, _ = period(url, out=history["tmp"] / "pg.json")
    doc = json.loads(out_path.read_text())
    assert doc["store"]["backend"] == "postgresql"
    for key in ("period", "selection", "summary", "calendar", "gaps", "risks", "failures", "exceptions", "attestations", "runs"):
        assert doc[key] == report[key], key


# -- renderings ------------------------------------------------------------------------------------------

def test_xlsx_holds_every_part_and_writes_text_as_text(history, report):
    from openpyxl import load_workbook

    out, _ = period(history["store"], fmt="xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["概要", "スキャンの暦", "リスク", "不合格の経過", "例外(ウェイバー)", "証明(アテステーション)",
                             "収集ギャップ(取得元ごと)", "実行"]
    cal = list(wb["スキャンの暦"].iter_rows(values_only=True))
    assert [row[0] for row in cal[1:]] == DAYS
    h05 = cal[0].index("H05")
    assert [row[h05] for row in cal[1:]] == [m or "—" for m in next(r for r in report["risks"] if r["id"] == "H05")["days"]]
    assert len(list(wb["不合格の経過"].iter_rows())) == 1 + len(report["failures"])
    cell = next(c for row in wb["証明(アテステーション)"].iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=HYPERLINK"))
    # escape.cell_text: a string cell, quote-prefixed, the BEL shown as its control picture.
    assert cell.data_type == "s" and cell.quotePrefix and cell.value == INJECTION.replace("\a", "\u2407")
    with zipfile.ZipFile(out) as z:
        assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_html_is_self_contained(history):
    out, _ = period(history["store"], fmt="html")
    html = out.read_text(encoding="utf-8")
    assert "default-src 'none'" in html and "<svg" in html
    assert "<script" not in html.lower() and "url(" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "").replace("attacker.example", "")


JUDGEMENT_CELLS = """JSON.stringify([...document.querySelectorAll('#judgements-chart rect')].map(r =>
  [r.dataset.risk, r.dataset.date, r.dataset.mark, r.getBoundingClientRect().width > 0]))"""
CALENDAR_CELLS = """JSON.stringify([...document.querySelectorAll('#calendar-chart rect')].map(r => [r.dataset.date, r.dataset.status]))"""
OPEN_POINTS = """JSON.stringify([...document.querySelectorAll('#open-chart circle.line-fail')].map(c => [c.dataset.date, Number(c.dataset.value)]))"""
CHART_BOXES = """JSON.stringify(['calendar-chart', 'judgements-chart', 'open-chart'].map(id => {
  const b = document.getElementById(id).getBoundingClientRect(); return [id, b.width, b.height]; }))"""


@needs_chromium
def test_html_charts_in_chromium_carry_the_reports_values(history, report):
    out, _ = period(history["store"], fmt="html")
    run = load_page(find_chromium(), out.as_uri(), (JUDGEMENT_CELLS, CALENDAR_CELLS, OPEN_POINTS, CHART_BOXES,
                                                   "document.body.innerText"))
    assert run.errors == []
    cells, calendar, points, boxes, text = (json.loads(v) if i < 4 else v for i, v in enumerate(run.values))
    assert cells == [[r["id"], d, m or "", True] for r in report["risks"] for d, m in zip(DAYS, r["days"])]
    assert calendar == [[d["date"], d["status"]] for d in report["calendar"]]
    assert points == [[d["date"], d["open_failures"]] for d in report["calendar"] if d["open_failures"] is not None]
    assert all(w > 50 and h > 60 for _, w, h in boxes), boxes
    assert "提案" in text and "EXC-2025-031" in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "period.png").write_bytes(run.screenshot)
    assert run.screenshot[:8] == b"\x89PNG\r\n\x1a\n" and len(run.screenshot) > 20_000


# -- sealing and retention ------------------------------------------------------------------------------

def observed(days_ago: int) -> str:
    return (datetime.now(timezone.utc) - timedelta(days=days_ago)).strftime("%Y-%m-%dT01:00:07Z")


def recent_snapshot(tmp, days_ago: int):
    doc = json.loads(DEMO_SNAPSHOT.read_text())
    doc["meta"]["finished_at"] = observed(days_ago)
    path = tmp / f"ago-{days_ago}.json"
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=needs_postgres)])
def test_a_sealed_report_verifies_and_prune_keeps_the_runs_it_rests_on(tmp_path, backend):
    store = str(tmp_path / "h.sqlite") if backend == "sqlite" else pg_server.server().new_database()
    for ago in (40, 35, 30, 10):
        code, _, err = genmei("scan", "--snapshot", recent_snapshot(tmp_path, ago), "--fail-on", "none", "--store", store)
        assert code == 0, err
    first = (datetime.now(timezone.utc) - timedelta(days=41)).date().isoformat()
    last = (datetime.now(timezone.utc) - timedelta(days=38)).date().isoformat()
    code, out, err = genmei("report", "period", "--store", store, "--from", first, "--to", last, "--out",
                            tmp_path / "p.html", "--seal", tmp_path / "p.zip")
    assert code == 0 and "sealed:" in out, err
    code, out, err = genmei("evidence", "verify", tmp_path / "p.zip", "--format", "json", "--allow-unsigned")
    verified = json.loads(out)
    assert code == 0 and verified["ok"] and verified["period"]["from"] == first and verified["period"]["runs"] == 1
    assert sorted(m["member"] for m in verified["members"]) == ["manifest.json", "period.html", "period.json"]

    code, out, err = genmei("history", "prune", "--keep-days", "20", "--store", store, "--format", "json")
    done = json.loads(out)
    assert code == 0 and "shorter than the CS mark" in err
    assert [r["observed_at"] for r in done["deleted"]] == [observed(35), observed(30)]
    assert [r["observed_at"] for r in done["kept_sealed"]] == [observed(40)]
    with open_store(store, create=False) as s:
        assert [r["observed_at"] for r in s.runs()] == [observed(40), observed(10)]
        left = s._exec("SELECT count(*) FROM run_results rr WHERE NOT EXISTS (SELECT 1 FROM findings f WHERE f.id = rr.finding) "
                       "OR NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.id = rr.outcome)")[0][0]
        assert left == 0  # nothing a remaining run refers to was removed
    # The sealed report can be rendered again after the prune, from the same runs.
    code, _, err = genmei("report", "period", "--store", store, "--from", first, "--to", last, "--out", tmp_path / "again.json")
    again = json.loads((tmp_path / "again.json").read_text())
    with zipfile.ZipFile(tmp_path / "p.zip") as z:
        sealed = json.loads(z.read("period.json"))
    assert code == 0 and again["runs"] == sealed["runs"] and again["failures"] == sealed["failures"]

    with zipfile.ZipFile(tmp_path / "p.zip") as z, zipfile.ZipFile(tmp_path / "bad.zip", "w") as bad:
        for info in z.infolist():
            data = z.read(info)
            bad.writestr(info, data.replace(b'"missed"', b'"scanned"') if info.filename == "period.json" else data)
    code, _, err = genmei("evidence", "verify", tmp_path / "bad.zip", "--allow-unsigned")
    assert code == 1 and "period.json changed" in err


# -- bad input -------------------------------------------------------------------------------------------

def test_bad_period_options_are_one_line_errors_and_write_nothing(history, tmp_path):
    store, out = history["store"], tmp_path / "p.html"
    cases = [
        (("--from", "2026-11-07", "--to", "2026-11-01"), "is after --to"),
        (("--to", "2026-11-07"), "needs --from"),
        (("--from", "2026-13-01", "--to", "2026-11-07"), "expected a date"),
        (("--from", "2026-11-01", "--to", "2026-11-07", "--tz", "Mars/Olympus"), "not a time zone"),
        (("--from", "2026-11-01", "--to", "2026-11-07", "--service", "nosuch"), "no runs of service nosuch"),
        (("--from", "2026-11-01", "--to", "2026-11-07", "--sign-key", "k.pem"), "give both"),
        (("--from", "2026-11-01", "--to", "2026-11-07", "--evidence", tmp_path), "not --evidence"),
        (("--from", "2026-11-01", "--to", "2026-11-07", "--format", "csv"), "not available"),
    ]
    for args, said in cases:
        code, _, err = genmei("report", "period", "--store", store, "--out", out, *args)
        assert code == 2 and said in err and err.count("\n") == 1, (args, err)
        assert not out.exists()
    code, _, err = genmei("report", "html", "--out", out)
    assert code == 2 and "needs --evidence" in err
