"""Command-line conventions: check filters that hide nothing, a mistyped option named as
such, --quiet/--verbose, the environment in every --help, shell completion sourced in a
real bash, a table that fits the terminal (wcwidth, no cut judgements, NO_COLOR) and a
progress bar drawn only on a terminal and never wider than it."""

import fcntl
import fnmatch
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from wcwidth import wcswidth

from conftest import AS_OF, DEMO_SNAPSHOT, EXAMPLES, genmei
from reporting import cli

SCAN = ("scan", "--snapshot", DEMO_SNAPSHOT, "--as-of", AS_OF, "--fail-on", "none", "--no-store")
ADMIN_SG = "arn:aws:ec2:ap-northeast-1:123456789012:security-group/sg-0b22admin"


@pytest.fixture(scope="module")
def filtered(tmp_path_factory):
    out = tmp_path_factory.mktemp("filtered")
    code, stdout, err = cli(*SCAN, "--checks", "GM-ADMIN-*,gm-net-00?", "--skip-checks", "GM-NET-003",
                            "--attestations", EXAMPLES / "attestations.yaml", "--out", out, "--format", "json")
    assert code == 0, err
    return {"dir": out, "evidence": json.loads(stdout)}


def test_a_filtered_scan_says_what_it_left_out(filtered):
    ev = filtered["evidence"]
    assert ev["filter"]["checks"] == ["GM-ADMIN-*", "GM-NET-00?"] and ev["filter"]["skip_checks"] == ["GM-NET-003"]
    every = {c["id"] for c in ev["checks"]}
    assert len(every) > 20  # the evidence lists every check, run or not (reports re-perform from them)
    # the patterns match case-insensitively; GM-NET-003 is skipped by name
    kept = {c for c in every if fnmatch.fnmatchcase(c, "GM-ADMIN-*") or fnmatch.fnmatchcase(c, "GM-NET-00?")} - {"GM-NET-003"}
    assert {"GM-ADMIN-001", "GM-NET-001"} <= kept
    assert set(ev["filter"]["skipped"]) == every - kept
    run = {r["check"] for r in ev["results"] if r["resource"] != "filter:skipped"}
    assert run <= kept
    assert {(r["check"], r["status"]) for r in ev["results"] if r["resource"] == ADMIN_SG} == \
        {("GM-ADMIN-001", "FAIL"), ("GM-NET-001", "FAIL")}
    skipped = {r["check"]: r for r in ev["results"] if r["resource"] == "filter:skipped"}
    # A left-out check with resources to judge: one NOT_EVALUATED saying so; one with
    # nothing to judge in this snapshot (an Azure-only check): nothing, as when it runs.
    assert skipped["GM-ENC-001"]["status"] == "NOT_EVALUATED" and "left out of this scan" in skipped["GM-ENC-001"]["reason"]
    assert skipped["GM-ENC-001"]["evidence"] == {"resources": 2}
    assert "GM-AZ-001" not in skipped and set(skipped) < set(ev["filter"]["skipped"])


def test_an_item_whose_check_was_left_out_is_never_satisfied(filtered):
    """7.4.4.2 is evidenced by GM-ADMIN-001, GM-K8S-001 and GM-GCP-001: with only the first
    run (and passing or not) the item cannot be satisfied on its strength alone."""
    ev = filtered["evidence"]
    item = ev["items"]["7.4.4.2"]
    assert item["status"] == "not_satisfied"  # GM-ADMIN-001 FAILs: a FAIL is a FAIL
    ok_item = ev["items"]["6.8.1.8"]  # only left-out checks behind it
    assert ok_item["status"] == "not_evaluated" and ok_item["counts"].get("NOT_EVALUATED", 0) >= 1
    assert all(r["judgement"] != "○" for r in ev["risks"].values())


def test_a_filtered_scan_never_states_compliance_and_reports_say_so(filtered, tmp_path):
    code, _, err = cli("report", "statement", "--evidence", filtered["dir"], "--out", tmp_path / "s.md",
                       "--service", "S", "--organisation", "O", "--lang", "en")
    assert code == 0, err
    text = (tmp_path / "s.md").read_text()
    assert "this scan ran only some of the checks" in text and "We hereby state" not in text
    code, _, err = cli("report", "html", "--evidence", filtered["dir"], "--out", tmp_path / "r.html", "--lang", "en")
    assert code == 0 and "checks left out of this scan" in (tmp_path / "r.html").read_text()
    summary = (filtered["dir"] / "summary.txt").read_text()
    assert "チェックの絞り込みあり" in summary


def test_a_filter_edited_out_of_the_evidence_is_refused(filtered, tmp_path):
    import hashlib
    import shutil

    d = tmp_path / "edited"
    shutil.copytree(filtered["dir"], d)
    ev = json.loads((d / "evidence.json").read_text())
    del ev["filter"]
    (d / "evidence.json").write_text(json.dumps(ev))
    sums = "".join(f"{hashlib.sha256((d / n).read_bytes()).hexdigest()}  {n}\n"
                   for n in sorted(p.name for p in d.iterdir() if p.name not in ("SHA256SUMS", "HISTORY")))
    (d / "SHA256SUMS").write_text(sums)
    code, _, err = cli("report", "statement", "--evidence", d, "--out", tmp_path / "s.md", "--service", "S", "--organisation", "O")
    assert code == 2 and "disagrees with the scan's check filter" in err


@pytest.mark.parametrize("args,message", [
    (("--checks", "GM-NOPE-001"), "--checks GM-NOPE-001: matches no check"),
    (("--skip-checks", "GM-*"), "--checks/--skip-checks leave no check to run"),
    (("--checks", "GM ADMIN"), "--checks GM ADMIN: not a check id or glob"),
])
def test_bad_filters_are_refused(args, message):
    code, out, err = cli(*SCAN, *args)
    assert (code, out) == (2, "") and message in err and err.count("\n") == 1


@pytest.mark.parametrize("args,message", [
    (("scan", "--snaphot", "x.json"), "unknown option --snaphot (did you mean --snapshot?) (see `genmei scan --help`)"),
    (("scan", "aws", "--regoins", "all"), "unknown option --regoins (did you mean --regions?) (see `genmei scan aws --help`)"),
    (("history", "--acount", "1"), "unknown option --acount (did you mean --account?)"),
    (("report", "checklist", "--evidence", "d", "--out", "x.xlsx", "--lnag", "en"), "unknown option --lnag (did you mean --lang?)"),
])
def test_a_mistyped_option_is_named_with_the_nearest_one(args, message):
    code, out, err = genmei(*args)
    assert (code, out) == (2, "") and err.startswith(f"genmei: error: {message}") and err.count("\n") == 1


def test_quiet_and_verbose(tmp_path):
    """Progress goes to stderr on a terminal, or with --verbose; --quiet leaves only errors."""
    code, out, err = genmei(*SCAN, "--verbose", "--format", "json")
    assert code == 0 and "genmei: evaluating" in err and json.loads(out)
    code, out, err = genmei(*SCAN, "--format", "json")
    assert code == 0 and err == ""  # not a terminal: no progress
    export = tmp_path / "x.jsonl"
    export.write_text((Path(__file__).parent / "fixtures" / "gcp" / "project.jsonl").read_text())
    code, _, err = genmei("import", "gcp-cai", export, "--out", tmp_path / "s.json")
    assert code == 0 and "genmei: note:" in err
    code, _, err = genmei("import", "gcp-cai", export, "--out", tmp_path / "s.json", "--quiet")
    assert code == 0 and err == ""
    code, _, err = genmei("scan", "--snapshot", tmp_path / "none.json", "-q")
    assert code == 2 and "no such file" in err  # errors are never quiet


def test_the_environment_is_listed_in_every_help():
    for args in (("--help",), ("scan", "--help"), ("report", "--help"), ("history", "--help"), ("collect", "gcp", "--help")):
        code, out, _ = genmei(*args)
        assert code == 0
        for name in ("GENMEI_STORE", "GENMEI_HOME", "GENMEI_DEBUG", "GENMEI_KEY_PASSPHRASE", "GENMEI_MAX_INPUT_BYTES",
                     "NO_COLOR"):
            assert name in out, (args, name)


def test_completion_script_completes_in_bash(tmp_path):
    """The script `genmei completion bash` prints, sourced in bash, completes commands and options."""
    code, script, err = genmei("completion", "bash")
    assert code == 0, err
    (tmp_path / "genmei.bash").write_text(script)
    bin_dir = Path(sys.executable).parent
    probe = f"""
source {tmp_path / 'genmei.bash'}
complete_line() {{ COMP_LINE="$1"; COMP_POINT=${{#COMP_LINE}}; read -ra COMP_WORDS <<< "$1"
  [[ "$1" == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 )); COMPREPLY=(); _python_argcomplete genmei; echo "${{COMPREPLY[*]}}"; }}
complete_line "genmei sc"
complete_line "genmei scan --snap"
complete_line "genmei report "
complete_line "genmei completion "
"""
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    lines = [line.strip() for line in proc.stdout.splitlines()]
    assert proc.returncode == 0, proc.stderr
    assert lines[0] == "scan" and lines[1] == "--snapshot"
    assert set(lines[2].split()) >= {"checklist", "oscal", "html", "statement", "soa", "period"}
    assert {"bash", "zsh", "fish"} <= set(lines[3].split())
    for shell in ("zsh", "fish"):
        code, script, _ = genmei("completion", shell)
        assert code == 0 and "genmei" in script


def test_the_table_fits_the_terminal_and_never_cuts_a_judgement(filtered):
    from genmei.engine.render.table import render

    ev = json.loads((filtered["dir"] / "evidence.json").read_text())
    for lang in ("en", "ja"):
        for columns in (60, 80, 120):
            text = render(ev, lang, columns)
            table = text.split("\n\n")[1].splitlines()
            assert all(wcswidth(line) <= columns for line in table), (lang, columns)
            for rid, risk in ev["risks"].items():
                row = next(line for line in table if line.startswith(rid))
                assert (risk["judgement"] if lang == "ja" else risk["judgement_en"]) in row
        whole = render(ev, lang).split("\n\n")[1].splitlines()  # a file or a pipe: the whole table
        assert any(ev["risks"]["M09"]["name"][lang] in line for line in whole)
    narrow = render(ev, "en", 80)
    assert "item counts per status left out to fit 80 columns" in narrow and "not evaluated" in narrow


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    from genmei.engine.render.table import terminal_layout

    class Tty:
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert terminal_layout(Tty())[1] is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert terminal_layout(Tty())[1] is False
    assert terminal_layout(open(os.devnull, "w")) == (None, False)


def run_in_pty(code: str, columns: int) -> str:
    """Run python code with stderr (and stdout) on a pseudo-terminal `columns` wide."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
                            env={**os.environ, "TERM": "xterm"})
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=30)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


BAR = """
from genmei.collectors.aws.progress import Bar
bar = Bar(3)
for label in ("123456789012/ap-northeast-1 ec2 " + "x" * 150, "123456789012/ap-northeast-3 s3", "global iam"):
    bar.advance(label)
bar.close()
print("done")
"""


def test_the_progress_bar_is_drawn_on_a_terminal_within_its_width():
    text = run_in_pty(BAR, 50)
    frames = [f for line in text.replace("\r\n", "\n").split("\n") for f in line.split("\r")]
    drawn = [f for f in frames if "genmei: AWS" in f]
    assert drawn, text
    assert all(wcswidth(f.replace("\x1b[A", "")) <= 50 for f in drawn), drawn
    assert "done" in text
    # Not a terminal: nothing at all.
    proc = subprocess.run([sys.executable, "-c", BAR], capture_output=True, text=True, timeout=60)
    assert (proc.stdout, proc.stderr) == ("done\n", "")
