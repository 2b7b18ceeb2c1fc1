"""`scan --out DIR` replaces DIR whole: a scan killed at any instant leaves the previous
scan's directory or the new one — never a mix (the issue's probe: 4 mixed directories
in 16 kills, and a hidden temporary file) — and `evidence export` refuses a directory
whose history record was never written."""

import hashlib
import json
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import AS_OF, DEMO_SNAPSHOT, EXAMPLES, ROOT
import pg_server
from inproc import run_cli

SCAN = ["scan", "--snapshot", str(DEMO_SNAPSHOT), "--fail-on", "none"]
FIRST = [*SCAN, "--as-of", AS_OF, "--attestations", str(EXAMPLES / "attestations.yaml")]
SECOND = [*SCAN, "--as-of", "2027-01-01"]  # no attestations: attestations.yaml must go


def state(directory: Path) -> dict:
    """What a directory holds: its files' bytes, and whether SHA256SUMS vouches for them."""
    files = {p.name: p.read_bytes() for p in directory.iterdir() if p.is_file()}
    sums = files.get("SHA256SUMS", b"").decode().splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in sums)
    whole = bool(listed) and all(n in files and hashlib.sha256(files[n]).hexdigest() == d for n, d in listed.items())
    return {"files": files, "listed": set(listed), "whole": whole}


def hidden(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


def scan_into(out: Path, args, store: Path) -> dict:
    code, _, err = run_cli(*args, "--out", out, "--store", store)
    assert code == 0, err
    return state(out)


def test_a_new_directory_and_a_rescan_leave_no_temporary_file(tmp_path):
    out, store = tmp_path / "ev", tmp_path / "h.sqlite"
    first = scan_into(out, FIRST, store)
    assert first["whole"] and "attestations.yaml" in first["listed"]
    assert json.loads(first["files"]["HISTORY"]) == {"store": str(store.resolve())}
    (out / "report.html").write_text("<p>rendered from the first scan</p>")
    second = scan_into(out, SECOND, store)
    assert second["whole"] and second["files"]["evidence.json"] != first["files"]["evidence.json"]
    assert "attestations.yaml" not in second["files"]  # the old scan's file, not this one's
    assert second["files"]["report.html"] == b"<p>rendered from the first scan</p>"  # not the scan's: kept
    assert hidden(tmp_path) == [] and hidden(out) == []


def test_out_as_the_working_directory_is_updated_in_place(tmp_path):
    """Swapping the working directory would leave the user's shell in a deleted one."""
    out, store = tmp_path / "ev", tmp_path / "h.sqlite"
    out.mkdir()
    (out / "notes").mkdir()  # a subdirectory: in place as well
    proc = subprocess.run([sys.executable, "-m", "genmei.engine.cli", *FIRST, "--out", ".", "--store", str(store)],
                          cwd=out, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    got = state(out)
    assert got["whole"] and "evidence.json" in got["listed"] and (out / "notes").is_dir()
    assert hidden(out) == [] and hidden(tmp_path) == []


# -- killed at every step of the write ----------------------------------------------------

# The write itself, in a process that kills itself (SIGKILL) just before its N-th file
# system call: every step is an instant a scan can die at.
KILLED_WRITE = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from genmei.engine import outdir
    from genmei.engine.evidence_files import HISTORY, SUMS, write_evidence_dir

    kill_at, out, store, source = int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
    files = {p.name: p.read_bytes() for p in sorted(source.iterdir()) if p.name not in (SUMS, HISTORY)}
    calls = [0]

    def counted(fn):
        def call(*args, **kwargs):
            calls[0] += 1
            if calls[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return fn(*args, **kwargs)
        return call

    for name in ("open", "rename", "replace", "link", "symlink", "unlink", "rmdir", "chmod", "mkdir", "scandir"):
        setattr(os, name, counted(getattr(os, name)))
    outdir._exchange = counted(outdir._exchange)
    write_evidence_dir(out, files, store)
""")


def restore(out: Path, old: dict, parent: Path) -> None:
    """The previous scan's directory as it was, and no leftover of the killed run, so
    that every run takes the same steps."""
    import shutil
    for d in (parent, out):
        for p in d.iterdir():
            if p.name.startswith("."):
                shutil.rmtree(p)
    for p in out.iterdir():
        if p.is_file():
            p.unlink()
    for name, data in old["files"].items():
        (out / name).write_bytes(data)


@pytest.mark.parametrize("mode", ["swap", "in-place"])
def test_killed_at_every_step_the_directory_is_old_or_new(tmp_path, mode):
    out, store, source = tmp_path / "ev", tmp_path / "h.sqlite", tmp_path / "new"
    new = scan_into(source, SECOND, store)
    old = scan_into(out, FIRST, store)
    (out / "report.html").write_text("kept")
    old = state(out)
    if mode == "in-place":
        (out / "renders").mkdir()  # a subdirectory: the files are replaced in place
    outcomes, n = [], 0
    while True:
        n += 1
        proc = subprocess.run([sys.executable, "-c", KILLED_WRITE, str(n), str(out), str(store), str(source)],
                              capture_output=True, text=True, timeout=60, cwd=ROOT)
        assert proc.returncode in (0, -signal.SIGKILL), proc.stderr
        got = state(out)
        assert got["files"]["report.html"] == b"kept", n
        if got["files"] == old["files"]:
            outcomes.append("old")
        elif got["whole"]:
            assert {k: v for k, v in got["files"].items() if k != "report.html"} == new["files"], n
            outcomes.append("new")
        else:  # only in place: SHA256SUMS is removed first, so nothing vouches for a mix, and export refuses it
            assert mode == "in-place" and "SHA256SUMS" not in got["files"], (n, sorted(got["files"]))
            outcomes.append("unvouched")
            code, _, err = run_cli("evidence", "export", "--evidence", out, "--out", tmp_path / "b.zip", "--store", store)
            assert code == 2 and "no SHA256SUMS" in err and not (tmp_path / "b.zip").exists()
        if proc.returncode == 0:
            break
        restore(out, old, tmp_path)
    assert outcomes[-1] == "new" and outcomes.count("old") >= 5 and len(outcomes) >= 15, outcomes
    if mode == "swap":
        assert "unvouched" not in outcomes
    assert hidden(tmp_path) == [] and hidden(out) == []


KILLED_BEFORE_RECORD = textwrap.dedent("""
    import os, signal, sys
    from genmei.engine import evidence_files
    from genmei.engine.cli import main

    replace = evidence_files.replace_directory

    def replace_then_die(*args, **kwargs):
        replace(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)  # written, not yet recorded in the history

    evidence_files.replace_directory = replace_then_die
    sys.exit(main(sys.argv[1:]))
""")


def test_a_directory_written_but_never_recorded_is_not_exported(tmp_path):
    out, store = tmp_path / "ev", tmp_path / "h.sqlite"
    scan_into(out, FIRST, store)
    proc = subprocess.run([sys.executable, "-c", KILLED_BEFORE_RECORD, *SECOND, "--out", str(out), "--store", str(store)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert state(out)["whole"] and json.loads((out / "evidence.json").read_text())["as_of"] == "2027-01-01"
    code, _, err = run_cli("evidence", "export", "--evidence", out, "--out", tmp_path / "b.zip")
    assert code == 2 and "holds no record of this scan (stopped before it was recorded?)" in err, err
    assert not (tmp_path / "b.zip").exists()


def test_killed_at_random_instants_like_the_probe(tmp_path):
    """The issue's probe: the real command killed with SIGKILL at random points, 16 times."""
    out, store = tmp_path / "ev", tmp_path / "h.sqlite"
    old = scan_into(out, FIRST, store)
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "genmei.engine.cli", *SECOND, "--out", str(out), "--store", str(store)],
                   capture_output=True, timeout=120, cwd=ROOT, check=True)
    duration = time.monotonic() - start
    new_evidence = (out / "evidence.json").read_bytes()
    rng = random.Random(13)
    for _ in range(16):
        proc = subprocess.Popen([sys.executable, "-m", "genmei.engine.cli", *FIRST, "--out", str(out), "--store", str(store)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        time.sleep(rng.uniform(0.5, 1.0) * duration)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        got = state(out)
        assert got["whole"], sorted(got["files"])
        assert got["files"]["evidence.json"] in (old["files"]["evidence.json"], new_evidence) or \
            json.loads(got["files"]["evidence.json"])["as_of"] == AS_OF


def test_concurrent_scans_into_one_directory_leave_one_whole_scan(tmp_path):
    out, store = tmp_path / "ev", tmp_path / "h.sqlite"
    procs = [subprocess.Popen([sys.executable, "-m", "genmei.engine.cli", *SCAN, "--as-of", f"2026-0{i}-01",
                               "--out", str(out), "--store", str(store)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for i in range(1, 5)]
    assert all(p.wait(timeout=120) == 0 for p in procs), [p.stderr.read() for p in procs]
    got = state(out)
    assert got["whole"] and json.loads(got["files"]["evidence.json"])["as_of"] in {f"2026-0{i}-01" for i in range(1, 5)}
    assert hidden(tmp_path) == [] and hidden(out) == []


# -- export and the history record -------------------------------------------------------------

def test_export_names_the_recorded_run_and_refuses_an_unrecorded_directory(tmp_path):
    out, store = tmp_path / "ev", tmp_path / "h.sqlite"
    scan_into(out, FIRST, store)
    code, stdout, err = run_cli("evidence", "export", "--evidence", out, "--out", tmp_path / "b.zip")
    assert code == 0, err
    import zipfile
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        assert json.loads(zf.read("manifest.json"))["scan"]["run_id"].endswith(json.loads(
            (out / "evidence.json").read_text())["snapshot_sha256"][:8])
        assert "HISTORY" not in zf.namelist()
    # a store that does not hold this scan's record
    other = tmp_path / "other.sqlite"
    assert run_cli(*SCAN, "--store", other)[0] == 0
    code, _, err = run_cli("evidence", "export", "--evidence", out, "--out", tmp_path / "c.zip", "--store", other)
    assert code == 2 and "holds no record of this scan" in err and not (tmp_path / "c.zip").exists()
    # the store it names is gone
    store.rename(tmp_path / "moved.sqlite")
    code, _, err = run_cli("evidence", "export", "--evidence", out, "--out", tmp_path / "c.zip")
    assert code == 2 and "which cannot be opened here" in err
    code, _, err = run_cli("evidence", "export", "--evidence", out, "--out", tmp_path / "c.zip", "--store", tmp_path / "moved.sqlite")
    assert code == 0, err


def test_a_scan_without_history_exports_without_a_run(tmp_path):
    out = tmp_path / "ev"
    code, _, err = run_cli(*FIRST, "--out", out, "--no-store")
    assert code == 0, err
    assert not (out / "HISTORY").exists()
    code, _, err = run_cli("evidence", "export", "--evidence", out, "--out", tmp_path / "b.zip")
    assert code == 0, err


@pytest.mark.skipif(not pg_server.available(), reason="PostgreSQL binaries not found (.ci/run installs them)")
def test_a_postgresql_history_note_names_the_store_without_its_password(tmp_path, monkeypatch):
    """HISTORY is kept in the evidence directory and sealed into bundles: a store URL's
    password must never reach it. Export reopens the store with the password libpq takes
    from PGPASSWORD."""
    server = pg_server.server()
    url = server.new_database()
    out = tmp_path / "ev"
    code, _, err = run_cli(*FIRST, "--out", out, "--store", url)
    assert code == 0, err
    note = (out / "HISTORY").read_text()
    assert server.password not in note and json.loads(note)["store"].startswith("postgresql://")
    monkeypatch.setenv("PGPASSWORD", server.password)
    code, _, err = run_cli("evidence", "export", "--evidence", out, "--out", tmp_path / "b.zip")
    assert code == 0, err
