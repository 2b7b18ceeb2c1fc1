"""The scan history on both backends — the embedded SQLite file and a real PostgreSQL 15
server (tests/pg_server.py) — through the CLI as users run it: every run stored whole and
read back equal, eight scans at once all recorded, a scan killed with SIGKILL in the
middle of its transaction leaves no partial run, schema 1 stores migrate in place,
`history migrate` copies a store, and bad --store values are refused."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import AS_OF, DEMO_SNAPSHOT, EXAMPLES, ROOT, genmei

import pg_server
from genmei.engine.store import SCHEMA_VERSION, open_store
from genmei.engine.store.records import record_digest, scan_record

FIXTURE_V1 = ROOT / "tests" / "fixtures" / "history-v1"
ENC_VOL = "arn:aws:ec2:ap-northeast-1:123456789012:volume/vol-0f66enc"
needs_postgres = pytest.mark.skipif(not pg_server.available(),
                                    reason="PostgreSQL binaries (initdb, pg_ctl) not found (.ci/run installs them)")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=needs_postgres)]


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    """A location for a new, empty store on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "history.sqlite")
    return pg_server.server().new_database()


def scan_args(snapshot, store, *extra):
    return ["scan", "--snapshot", snapshot, "--attestations", EXAMPLES / "attestations.yaml",
            "--exceptions", EXAMPLES / "exceptions.yaml", "--fail-on", "none", "--as-of", AS_OF,
            "--store", store, "--format", "json", *extra]


def scan(snapshot, store, *extra) -> dict:
    code, out, err = genmei(*scan_args(snapshot, store, *extra))
    assert code == 0, err
    return json.loads(out)


def history(store) -> list[dict]:
    code, out, err = genmei("history", "--store", store, "--format", "json", "--last", "1000")
    assert code == 0, err
    return json.loads(out)


def variant(tmp_path, name, change) -> str:
    doc = json.loads(DEMO_SNAPSHOT.read_text())
    change(doc)
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(doc))
    return path


def resource(doc, rid) -> dict:
    return next(r for r in doc["resources"] if r["id"] == rid)


def counts(store: str, *tables: str) -> dict[str, int]:
    """Rows per table, read with the backend's own driver, not through genmei."""
    if store.startswith("postgresql://"):
        import psycopg
        with psycopg.connect(store) as conn:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    db = sqlite3.connect(store)
    try:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        db.close()


# -- a run is stored whole and read back equal ------------------------------------------------------

def test_a_run_reads_back_exactly_as_scanned_and_repeats_are_stored_once(store):
    evidence = scan(DEMO_SNAPSHOT, store)
    resources = json.loads(DEMO_SNAPSHOT.read_text())["resources"]
    expected = scan_record(evidence, resources)
    with open_store(store, create=False) as s:
        [run] = s.runs()
        got = s.read_record(run)
    assert got["run"]["id"] == run["id"] == expected["run"]["id"]
    assert got == expected
    assert run["record_sha256"] == record_digest(expected)
    assert [(r["check"], r["resource"], r["status"], r["reason"]) for r in got["results"]] == \
        [(r["check"], r["resource"], r["status"], r["reason"]) for r in evidence["results"]]
    assert got["run"]["exceptions"] == evidence["exceptions"] and got["run"]["attestations"] == evidence["attestations"]
    assert got["run"]["observed_at"] == "2026-11-20T01:00:07Z"  # the snapshot's collection time, in UTC

    once = counts(store, "findings", "outcomes", "resource_states", "run_results", "run_resources")
    scan(DEMO_SNAPSHOT, store)
    twice = counts(store, "findings", "outcomes", "resource_states", "run_results", "run_resources")
    assert once["run_results"] == len(evidence["results"]) and once["run_resources"] == len(resources)
    assert twice["run_results"] == 2 * once["run_results"] and twice["run_resources"] == 2 * once["run_resources"]
    # What every run says alike is kept once.
    assert {t: twice[t] for t in ("findings", "outcomes", "resource_states")} == \
        {t: once[t] for t in ("findings", "outcomes", "resource_states")}
    assert once["resource_states"] == len(resources)


def whole_digest(record: dict) -> str:
    """The record's digest by its definition: the whole record (id left out) as one
    sorted-key compact JSON document."""
    import hashlib
    body = {**record, "run": {k: v for k, v in record["run"].items() if k != "id"}, "results": list(record["results"])}
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def test_a_run_written_a_few_results_at_a_time_reads_back_whole_with_the_digest_of_the_whole(store):
    """Results and resource states are hashed and written in batches (so that a run of
    millions never holds them twice): batches of 7 split the demo's results and
    resources many times over, and what is stored, and its digest, are those of the
    record written at once. The judgements' counts are keyed by ItemStatus members, as
    a scan's are, and read back as text."""
    from genmei.engine.vocabulary import ItemStatus

    evidence = scan(DEMO_SNAPSHOT, store)
    resources = json.loads(DEMO_SNAPSHOT.read_text())["resources"]
    record = scan_record(evidence, resources)
    for j in record["judgements"].values():
        j["counts"] = {ItemStatus(k): n for k, n in j["counts"].items()}
    assert len(record["results"]) > 7 * 5 and len(record["resources"]) > 7 * 2
    expected = whole_digest({**record, "judgements": json.loads(json.dumps(record["judgements"]))})
    assert record_digest(record, batch=7) == record_digest(record) == expected
    with open_store(store) as s:
        s.result_batch = 7
        rid = s.write({**record, "run": {**record["run"], "id": "batched"}})
        run = s.run(rid)
        got = s.read_record(run)
    assert run["record_sha256"] == expected == record_digest(got)
    assert got["results"] == list(record["results"]) and got["resources"] == record["resources"]


# -- concurrency ---------------------------------------------------------------------------------------

def test_eight_scans_started_at_once_all_appear_whole(store, tmp_path):
    """Eight `genmei scan` processes at once into one new store (they race to create its
    schema too): eight runs, each with every result and resource of its own scan."""
    snapshots = [variant(tmp_path, f"v{i}", lambda d, i=i: (d["meta"].update(account=f"10000000000{i}"),
                                                             resource(d, ENC_VOL)["attrs"].update(encrypted=i % 2 == 0)))
                 for i in range(8)]
    procs = [subprocess.Popen([sys.executable, "-m", "genmei.engine.cli", *map(str, scan_args(s, store))], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for s in snapshots]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, [e for _, e in outputs]
    evidence = {json.loads(o)["snapshot"]["account"]: json.loads(o) for o, _ in outputs}
    runs = history(store)
    assert sorted(r["account"] for r in runs) == sorted(evidence) and len({r["id"] for r in runs}) == 8
    with open_store(store, create=False) as s:
        for run in s.runs():
            ev = evidence[run["account"]]
            assert [(r["check"], r["resource"], r["status"]) for r in s.results(run)] == \
                [(r["check"], r["resource"], r["status"]) for r in ev["results"]]
            assert len(s.resources(run)) == 16
            assert {k: v["judgement"] for k, v in s.judgements(run).items() if v["basic_statement"]} == \
                {k: v["judgement"] for k, v in ev["risks"].items()}
    assert counts(store, "runs", "run_results") == {"runs": 8, "run_results": sum(len(e["results"]) for e in evidence.values())}


def big_snapshot(tmp_path, size: int):
    from bench.synthetic import generate

    path = tmp_path / f"big-{size}.json"
    path.write_text(json.dumps(generate(size)))
    return path


def start_scan(snapshot, store):
    return subprocess.Popen([sys.executable, "-m", "genmei.engine.cli", "scan", "--snapshot", str(snapshot),
                             "--fail-on", "none", "--store", store, "--format", "json"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def killed(proc) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=60) == -signal.SIGKILL


@needs_postgres
def test_postgres_scan_killed_inside_its_transaction_leaves_no_partial_run(tmp_path):
    """The scan is held inside its transaction by a lock the test takes on run_results:
    meanwhile nothing of its run is visible; SIGKILL then; nothing of it is ever stored."""
    import psycopg

    url = pg_server.server().new_database()
    scan(DEMO_SNAPSHOT, url)  # the schema and one run already there
    before = counts(url, "runs", "findings", "outcomes", "resource_states", "run_results", "run_resources", "items",
                    "judgements")
    holder = psycopg.connect(url)
    holder.execute("LOCK TABLE run_results IN ACCESS EXCLUSIVE MODE")
    proc = start_scan(big_snapshot(tmp_path, 2000), url)
    try:
        with psycopg.connect(url, autocommit=True) as watch:
            deadline = time.monotonic() + 120
            while not watch.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'genmei' "
                                    "AND wait_event_type = 'Lock'").fetchone()[0]:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.poll() else "timeout"
                time.sleep(0.05)
            # Inside its transaction the scan has written its run row and its findings: none of it is visible.
            assert len(history(url)) == 1
            assert counts(url, "runs")["runs"] == 1
        killed(proc)
    finally:
        holder.rollback()
        holder.close()
        if proc.poll() is None:
            proc.kill()
    with psycopg.connect(url, autocommit=True) as watch:
        deadline = time.monotonic() + 60
        while watch.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'genmei'").fetchone()[0]:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert counts(url, *before) == before
    assert len(history(url)) == 1
    scan(DEMO_SNAPSHOT, url)
    assert len(history(url)) == 2


def wal_growth(proc, wal, until=None) -> int:
    """Poll the write-ahead log while `proc` runs: return its largest size seen, or as
    soon as it exceeds `until`."""
    largest, deadline = 0, time.monotonic() + 240
    while proc.poll() is None:
        assert time.monotonic() < deadline, "timeout"
        size = wal.stat().st_size if wal.exists() else 0
        largest = max(largest, size)
        if until is not None and size > until:
            return size
        time.sleep(0.002)
    return largest


def test_sqlite_scan_killed_inside_its_transaction_leaves_no_partial_run(tmp_path):
    """SIGKILL three quarters into the scan's transaction (its write-ahead log at 3/4 of
    the size the same transaction reaches before committing, measured on a copy): the
    next opening rolls it back; nothing of the run is stored; the store is intact."""
    store = tmp_path / "history.sqlite"
    scan(DEMO_SNAPSHOT, store)
    big = big_snapshot(tmp_path, 30000)
    (tmp_path / "copy").mkdir()
    copy = tmp_path / "copy" / "history.sqlite"
    copy.write_bytes(store.read_bytes())
    full = wal_growth(start_scan(big, str(copy)), tmp_path / "copy" / "history.sqlite-wal")
    assert full > 4 << 20 and len(history(copy)) == 2

    before = counts(str(store), "runs", "findings", "outcomes", "resource_states", "run_results", "run_resources",
                    "items", "judgements")
    proc = start_scan(big, str(store))
    try:
        assert wal_growth(proc, tmp_path / "history.sqlite-wal", until=full * 3 // 4) > full * 3 // 4, proc.stderr.read()
        assert counts(str(store), "runs")["runs"] == 1  # the run being written is not visible
        killed(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert counts(str(store), *before) == before
    db = sqlite3.connect(store)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    assert len(history(store)) == 1
    scan(DEMO_SNAPSHOT, store)
    assert len(history(store)) == 2


# -- schema versions ------------------------------------------------------------------------------------

def test_a_schema_1_store_is_migrated_in_place_and_answers_as_before(tmp_path):
    store = tmp_path / "history-v1.sqlite"
    store.write_bytes((FIXTURE_V1 / "history-v1.sqlite").read_bytes())
    runs = history(store)
    old = json.loads((FIXTURE_V1 / "history.json").read_text())
    assert [{k: r[k] for k in o} for r, o in zip(runs, old)] == old and len(runs) == len(old) == 2
    assert [r["observed_at"] for r in runs] == ["2026-11-20T01:00:07Z", "2026-11-21T01:00:07Z"]
    code, out, err = genmei("diff", "--store", store, "--format", "json")
    assert code == 0 and json.loads(out) == json.loads((FIXTURE_V1 / "diff.json").read_text()), err
    code, out, err = genmei("trend", "--store", store, "--format", "json", "--all")
    assert code == 0 and json.loads(out) == json.loads((FIXTURE_V1 / "trend.json").read_text()), err
    db = sqlite3.connect(store)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} >= {"run_results", "findings"}
    assert not db.execute("SELECT count(*) FROM sqlite_master WHERE name IN ('results', 'resources')").fetchone()[0]
    db.close()
    with open_store(store, create=False) as s:  # each moved run's digest is its record's
        for run in s.runs():
            assert run["record_sha256"] == record_digest(s.read_record(run))
    scan(DEMO_SNAPSHOT, store)
    assert len(history(store)) == 3


@needs_postgres
def test_a_postgres_store_from_a_newer_genmei_or_another_application_is_refused():
    import psycopg

    url = pg_server.server().new_database()
    scan(DEMO_SNAPSHOT, url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE genmei_schema SET version = %s", (SCHEMA_VERSION + 1,))
    code, _, err = genmei("history", "--store", url)
    assert code == 2 and "newer" in err
    other = pg_server.server().new_database()
    with psycopg.connect(other, autocommit=True) as conn:
        conn.execute("CREATE TABLE runs (x int)")
    code, _, err = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--store", other)
    assert code == 2 and "not genmei's" in err and err.count("\n") == 1


# -- --store values --------------------------------------------------------------------------------------

def test_store_values_that_are_no_store_are_refused_and_never_become_files(tmp_path):
    for value, said in (("postgresql:", "expected a URL postgresql://"), ("postgres:mydb", "expected a URL"),
                        ("mysql://db.example/genmei", "not a store genmei knows"),
                        ("https://example.com/h.sqlite", "not a store genmei knows")):
        code, _, err = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--store", value, "--out", tmp_path / "out", cwd=tmp_path)
        assert code == 2 and said in err and err.count("\n") == 1 and "Traceback" not in err, (value, err)
        assert list(tmp_path.iterdir()) == [], value  # no folder `postgresql:`, no evidence
    # An unreachable server: one line, exit 2, before anything is scanned or written.
    code, _, err = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--store", "postgresql://genmei:s3cret@127.0.0.1:1/h",
                          "--out", tmp_path / "out")
    assert code == 2 and "cannot connect" in err and "s3cret" not in err and "genmei:***@127.0.0.1:1/h" in err
    assert not (tmp_path / "out").exists()


@needs_postgres
def test_postgres_password_is_never_printed_and_an_empty_database_has_no_history(tmp_path):
    server = pg_server.server()
    url = server.new_database()
    code, _, err = genmei("history", "--store", url)
    assert code == 2 and "no scan history here yet" in err and server.password not in err
    wrong = url.replace(server.password, "not-the-password")
    code, _, err = genmei("history", "--store", wrong)
    assert code == 2 and "password authentication failed" in err and "not-the-password" not in err
    # The password may come from PGPASSWORD instead of the URL (as in the Kubernetes example).
    evidence = scan(DEMO_SNAPSHOT, url)
    code, out, err = genmei("history", "--store", server.url(url.rsplit("/", 1)[1], password=False),
                            env={"PGPASSWORD": server.password})
    assert code == 0 and evidence["snapshot_sha256"][:8] in out and server.password not in out + err
    code, out, err = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--store", url, "--fail-on", "none")
    assert code == 0 and "history: run" in out and server.password not in out + err


@needs_postgres
def test_history_migrate_copies_a_store_and_diff_and_trend_answer_the_same_from_postgres(tmp_path):
    source = tmp_path / "history-v1.sqlite"
    source.write_bytes((FIXTURE_V1 / "history-v1.sqlite").read_bytes())
    url = pg_server.server().new_database()
    code, out, err = genmei("history", "migrate", "--from", source, "--to", url, "--format", "json")
    assert code == 0 and json.loads(out)["copied"] == 2, err
    code, out, err = genmei("history", "migrate", "--from", source, "--to", url, "--format", "json")
    assert code == 0 and (json.loads(out)["copied"], json.loads(out)["already_there"]) == (0, 2), err  # resumable
    assert [{k: r[k] for k in r if k != "evidence_dir"} for r in history(url)] == \
        [{k: r[k] for k in r if k != "evidence_dir"} for r in history(source)]
    for args, fixture in ((("diff",), "diff.json"), (("trend", "--all"), "trend.json")):
        code, out, err = genmei(*args, "--store", url, "--format", "json")
        assert code == 0 and json.loads(out) == json.loads((FIXTURE_V1 / fixture).read_text()), err
    # A different run under an id the target already holds is refused, not merged.
    with open_store(url) as s:
        s._exec("UPDATE runs SET record_sha256 = 'x' WHERE seq = (SELECT min(seq) FROM runs)")
    code, _, err = genmei("history", "migrate", "--from", source, "--to", url)
    assert code == 2 and "another run with the id" in err
    code, _, err = genmei("history", "migrate", "--from", source, "--to", source)
    assert code == 2 and "the same store" in err
