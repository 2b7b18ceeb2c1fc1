"""The scan history: every scan is recorded in SQLite, concurrent scans do not corrupt
it, and `diff` reports exactly what changed between two scans of the demo account."""

import copy
import json
import os
import sqlite3
import subprocess
import sys
import threading

import pytest
from conftest import AS_OF, DEMO_SNAPSHOT, EXAMPLES, ROOT, genmei

from genmei.engine.store import SCHEMA_VERSION, open_store

ADMIN_SG = "arn:aws:ec2:ap-northeast-1:123456789012:security-group/sg-0b22admin"
ENC_VOL = "arn:aws:ec2:ap-northeast-1:123456789012:volume/vol-0f66enc"
PLAIN_VOL = "arn:aws:ec2:ap-northeast-1:123456789012:volume/vol-0a77plain"
NEW_VOL = "arn:aws:ec2:ap-northeast-1:123456789012:volume/vol-0b88new"


def scan_args(snapshot, store):
    return ["scan", "--snapshot", snapshot, "--attestations", EXAMPLES / "attestations.yaml",
            "--exceptions", EXAMPLES / "exceptions.yaml", "--fail-on", "none", "--as-of", AS_OF,
            "--store", store, "--format", "json"]


def scan(snapshot, store) -> dict:
    code, out, err = genmei(*scan_args(snapshot, store))
    assert code == 0, err
    return json.loads(out)


def runs(store) -> list[dict]:
    code, out, err = genmei("history", "--store", store, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def diff(store, *refs):
    code, out, err = genmei("diff", *refs, "--store", store, "--format", "json")
    assert code in (0, 1), err
    return code, json.loads(out)


def variant(tmp_path, name, change) -> str:
    """A copy of the demo snapshot with one change applied."""
    doc = json.loads(DEMO_SNAPSHOT.read_text())
    change(doc)
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(doc, indent=2))
    return path


def resource(doc, rid) -> dict:
    return next(r for r in doc["resources"] if r["id"] == rid)


def keys(findings) -> set[tuple[str, str]]:
    return {(f["check"], f["resource"]) for f in findings}


def fails(evidence) -> set[tuple[str, str]]:
    return {(r["check"], r["resource"]) for r in evidence["results"] if r["status"] == "FAIL"}


def judgement_changes(ea, eb) -> dict:
    """Derived from the two evidence documents, not from the store."""
    ja = {k: v["judgement"] for k, v in {**ea["risks"], **ea["outside_basic_statement"]}.items()}
    jb = {k: v["judgement"] for k, v in {**eb["risks"], **eb["outside_basic_statement"]}.items()}
    return {k: (ja[k], jb[k]) for k in ja if ja[k] != jb[k]}


# -- diff reports exactly the change ------------------------------------------------------------

def test_diff_reports_exactly_a_fixed_firewall(tmp_path):
    store = tmp_path / "h.sqlite"
    fixed = variant(tmp_path, "fixed", lambda d: resource(d, ADMIN_SG)["attrs"]["rules"][0].update(sources=["10.0.0.0/8"]))
    ea, eb = scan(DEMO_SNAPSHOT, store), scan(fixed, store)
    code, d = diff(store)
    assert code == 0  # nothing newly failing
    assert [d["from"]["id"], d["to"]["id"]] == [r["id"] for r in runs(store)]
    assert d["snapshot_changed"] and not d["policy_bundle_changed"] and not d["catalog_changed"]
    assert keys(d["fixed"]) == {("GM-ADMIN-001", ADMIN_SG), ("GM-NET-001", ADMIN_SG)}
    assert {(f["from"], f["to"]) for f in d["fixed"]} == {("FAIL", "PASS")}
    assert d["new_failures"] == [] and d["other_changes"] == []
    assert keys(d["still_failing"]) == fails(ea) - keys(d["fixed"]) == fails(eb)
    assert d["resources_changed"] == [{"type": "network.firewall", "id": ADMIN_SG}]
    assert d["resources_added"] == [] and d["resources_removed"] == []
    changes = {j["risk"]: (j["from"], j["to"]) for j in d["judgement_changes"]}
    assert changes == judgement_changes(ea, eb)
    assert changes["M08"] == ("×", "未評価")  # 7.4.4.2 passes now, but EKS could not be read: unknown is not ○
    m08 = next(j for j in d["judgement_changes"] if j["risk"] == "M08")
    assert {"item": "7.4.4.2", "from": "not_satisfied", "to": "not_evaluated"} in m08["items"]


def test_diff_reports_exactly_a_new_failure_and_exits_1(tmp_path):
    store = tmp_path / "h.sqlite"
    broken = variant(tmp_path, "broken", lambda d: resource(d, ENC_VOL)["attrs"].update(encrypted=False))
    ea, eb = scan(DEMO_SNAPSHOT, store), scan(broken, store)
    code, d = diff(store)
    assert code == 1
    assert [(f["check"], f["resource"], f["from"], f["to"]) for f in d["new_failures"]] == [("GM-ENC-001", ENC_VOL, "PASS", "FAIL")]
    assert d["fixed"] == [] and d["other_changes"] == []
    assert keys(d["still_failing"]) == fails(ea)
    assert d["resources_changed"] == [{"type": "compute.disk", "id": ENC_VOL}]
    assert {j["risk"]: (j["from"], j["to"]) for j in d["judgement_changes"]} == judgement_changes(ea, eb)
    code, text, _ = genmei("diff", "--store", store)
    assert code == 1 and "new failures (1):" in text and "(PASS → FAIL)" in text and ENC_VOL in text


def test_diff_reports_added_and_removed_resources_and_never_calls_a_vanished_failure_fixed(tmp_path):
    store = tmp_path / "h.sqlite"

    def swap(doc):
        new = copy.deepcopy(resource(doc, ENC_VOL))
        new["id"] = NEW_VOL
        doc["resources"] = [r for r in doc["resources"] if r["id"] != PLAIN_VOL] + [new]

    ea, eb = scan(DEMO_SNAPSHOT, store), scan(variant(tmp_path, "swap", swap), store)
    code, d = diff(store)
    assert d["resources_added"] == [{"type": "compute.disk", "id": NEW_VOL}]
    assert d["resources_removed"] == [{"type": "compute.disk", "id": PLAIN_VOL}]
    assert d["resources_changed"] == []
    assert d["fixed"] == [] and d["new_failures"] == [] and code == 0
    gone = {(r["check"], r["resource"], r["status"], None) for r in ea["results"] if r["resource"] == PLAIN_VOL}
    came = {(r["check"], r["resource"], None, r["status"]) for r in eb["results"] if r["resource"] == NEW_VOL}
    assert ("GM-ENC-001", PLAIN_VOL, "FAIL", None) in gone
    assert {(f["check"], f["resource"], f["from"], f["to"]) for f in d["other_changes"]} == gone | came


def test_same_snapshot_twice_differs_in_nothing(tmp_path):
    store = tmp_path / "h.sqlite"
    ea = scan(DEMO_SNAPSHOT, store)
    scan(DEMO_SNAPSHOT, store)
    a, b = runs(store)
    assert a["id"] != b["id"]
    code, d = diff(store, a["id"], b["id"])
    assert code == 0
    assert not (d["snapshot_changed"] or d["policy_bundle_changed"] or d["catalog_changed"])
    for key in ("new_failures", "fixed", "other_changes", "resources_added", "resources_removed",
                "resources_changed", "judgement_changes"):
        assert d[key] == [], key
    assert keys(d["still_failing"]) == fails(ea)


# -- history and trend ----------------------------------------------------------------------------

def test_history_records_snapshot_metadata_results_and_judgements(tmp_path):
    store = tmp_path / "h.sqlite"
    evidence = scan(DEMO_SNAPSHOT, store)
    other = variant(tmp_path, "other", lambda d: d["meta"].update(account="210987654321"))
    scan(other, store)
    [run] = json.loads(genmei("history", "--store", store, "--account", "123456789012", "--format", "json")[1])
    assert run["snapshot_sha256"] == evidence["snapshot_sha256"]
    assert run["policy_bundle_sha256"] == evidence["policy_bundle_sha256"]
    assert run["summary"] == evidence["summary"] and run["resource_count"] == 16
    assert run["gaps"] == evidence["snapshot"]["gaps"] and run["regions"] == evidence["snapshot"]["regions"]
    assert run["judgements"] == {k: v["judgement"] for k, v in {**evidence["risks"], **evidence["outside_basic_statement"]}.items()}
    with open_store(store, create=False) as s:
        stored = s.results(s.run(run["id"]))
    assert [(r["check"], r["resource"], r["status"]) for r in stored] == \
        [(r["check"], r["resource"], r["status"]) for r in evidence["results"]]
    assert [r["account"] for r in runs(store)] == ["123456789012", "210987654321"]
    code, text, _ = genmei("history", "--store", store)
    assert code == 0 and run["id"] in text and "210987654321" in text


def test_trend_shows_each_risks_judgement_over_time(tmp_path):
    store = tmp_path / "h.sqlite"
    fixed = variant(tmp_path, "fixed", lambda d: resource(d, ADMIN_SG)["attrs"]["rules"][0].update(sources=["10.0.0.0/8"]))
    docs = [scan(DEMO_SNAPSHOT, store), scan(fixed, store), scan(DEMO_SNAPSHOT, store)]
    code, out, err = genmei("trend", "--store", store, "--format", "json")
    assert code == 0, err
    t = json.loads(out)
    assert [r["id"] for r in t["runs"]] == [r["id"] for r in runs(store)]
    assert list(t["risks"]) == list(docs[0]["risks"])  # H01–M11 unless --all
    for risk, row in t["risks"].items():
        assert row["judgements"] == [d["risks"][risk]["judgement"] for d in docs]
    assert t["risks"]["M08"]["judgements"] == ["×", "未評価", "×"]
    t2 = json.loads(genmei("trend", "--store", store, "--last", "2", "--all", "--format", "json")[1])
    assert len(t2["runs"]) == 2 and "L15" in t2["risks"]
    code, text, _ = genmei("trend", "--store", store)
    assert code == 0 and "M08" in text and "未評価" in text


# -- concurrency -------------------------------------------------------------------------------------

def test_two_scans_at_once_share_one_store(tmp_path):
    store = tmp_path / "fresh" / "h.sqlite"  # neither process finds a store: both race to create it too
    other = variant(tmp_path, "other", lambda d: resource(d, ENC_VOL)["attrs"].update(encrypted=False))
    procs = [subprocess.Popen([sys.executable, "-m", "genmei.engine.cli", *map(str, scan_args(s, store))], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for s in (DEMO_SNAPSHOT, other)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e for _, e in outputs]
    evidence = {json.loads(o)["snapshot_sha256"]: json.loads(o) for o, _ in outputs}
    recorded = runs(store)
    assert len(recorded) == 2 and len({r["id"] for r in recorded}) == 2
    db = sqlite3.connect(store)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    for r in recorded:
        seq, ev = r["seq"], evidence[r["snapshot_sha256"]]
        assert db.execute("SELECT count(*) FROM run_results WHERE run = ?", (seq,)).fetchone()[0] == len(ev["results"])
        assert db.execute("SELECT count(*) FROM run_resources WHERE run = ?", (seq,)).fetchone()[0] == 16
    db.close()


def test_many_writers_each_store_whole_runs(tmp_path, demo_scan):
    """Eight connections recording at once: every run complete, none lost, ids unique."""
    store, evidence = tmp_path / "h.sqlite", demo_scan["evidence"]
    resources = json.loads(DEMO_SNAPSHOT.read_text())["resources"]
    ids, errors = [], []

    def writer():
        try:
            with open_store(store) as s:
                for _ in range(5):
                    ids.append(s.record(evidence, resources))
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(ids) == len(set(ids)) == 40
    with open_store(store, create=False) as s:
        assert len(s.runs()) == 40
        for run in s.runs():
            assert len(s.results(run)) == len(evidence["results"]) and len(s.resources(run)) == 16


# -- bad stores and options -----------------------------------------------------------------------

def test_scan_records_in_the_users_data_directory_by_default(tmp_path):
    code, _, err = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--fail-on", "none", env={"XDG_DATA_HOME": str(tmp_path)})
    assert code == 0, err
    assert len(runs(tmp_path / "genmei" / "history.sqlite")) == 1


def test_no_store_records_nothing(tmp_path):
    code, _, err = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--fail-on", "none", "--no-store",
                          env={"XDG_DATA_HOME": str(tmp_path)})
    assert code == 0, err
    assert not (tmp_path / "genmei").exists()
    code, _, err = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--no-store", "--store", tmp_path / "h.sqlite")
    assert code == 2 and "contradict" in err


@pytest.mark.parametrize("content", [b"not a database at all, just text", b""])
def test_a_store_that_is_not_a_genmei_history_is_refused_before_scanning(tmp_path, content):
    bad, out = tmp_path / "bad.sqlite", tmp_path / "out"
    if content:
        bad.write_bytes(content)
    else:
        db = sqlite3.connect(bad)
        db.execute("CREATE TABLE unrelated (x)")
        db.commit()
        db.close()
    code, _, err = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--out", out, "--store", bad)
    assert code == 2 and str(bad) in err and err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()


def test_a_store_from_a_newer_genmei_is_refused(tmp_path):
    store = tmp_path / "h.sqlite"
    scan(DEMO_SNAPSHOT, store)
    db = sqlite3.connect(store)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    code, _, err = genmei("history", "--store", store)
    assert code == 2 and "newer" in err


def test_history_commands_on_missing_or_thin_stores(tmp_path):
    missing = tmp_path / "none.sqlite"
    for args in (("history",), ("diff",), ("trend",)):
        code, _, err = genmei(*args, "--store", missing)
        assert code == 2 and "no scan history" in err
    assert not missing.exists()
    store = tmp_path / "h.sqlite"
    scan(DEMO_SNAPSHOT, store)
    code, out, err = genmei("diff", "--store", store)
    assert code == 0 and "nothing to compare yet" in out  # a first scheduled run raises no alarm
    code, _, err = genmei("diff", "nosuchrun", "also", "--store", store)
    assert code == 2 and "no run 'nosuchrun'" in err
    code, _, err = genmei("diff", "one", "--store", store)
    assert code == 2 and "two runs" in err
    code, _, err = genmei("history", "--last", "0", "--store", store)
    assert code == 2 and "--last" in err
    code, _, err = genmei("trend", "--account", "999", "--store", store)
    assert code == 2 and "no runs of it" in err


# -- the README's scheduling examples ----------------------------------------------------------------

def readme_block(lang: str, containing: str) -> str:
    """The README's first ```lang block that holds `containing`."""
    blocks = [b.split("```", 1)[0] for b in (ROOT / "README.md").read_text().split(f"```{lang}\n")[1:]]
    return next(b for b in blocks if containing in b)


def test_readme_cron_line_runs_and_speaks_only_on_trouble(tmp_path):
    """The cron example as written, with the demo snapshot standing in for `scan aws` and
    this checkout's genmei for /opt/genmei."""
    line = next(x for x in readme_block("cron", "genmei diff").splitlines() if x[:1].isdigit())
    command = line.split(None, 6)[6]  # five time fields, then the user, then the command
    command = (command.replace("\\%", "%").replace("cd /var/lib/genmei", f"cd {tmp_path}")
               .replace("/opt/genmei/.venv/bin/genmei", f"{sys.executable} -m genmei.engine.cli")
               .replace("scan aws --regions all", 'scan --snapshot "$SNAPSHOT"'))
    broken = variant(tmp_path, "broken", lambda d: resource(d, ENC_VOL)["attrs"].update(encrypted=False))

    def cron(snapshot):
        proc = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True, timeout=300,
                              env={**os.environ, "SNAPSHOT": str(snapshot)})
        return proc.stdout + proc.stderr

    assert cron(DEMO_SNAPSHOT) == ""  # first run: nothing to compare, nothing to say
    assert (tmp_path / "history.sqlite").exists() and list((tmp_path / "evidence").iterdir())
    assert cron(DEMO_SNAPSHOT) == ""  # no change: silent
    said = cron(broken)
    assert "new failures (1):" in said and ENC_VOL in said
    said = cron(tmp_path / "missing.json")
    assert "genmei: error:" in said and "missing.json" in said
