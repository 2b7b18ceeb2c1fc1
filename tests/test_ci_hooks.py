"""The gate in other people's CI: the pre-commit hooks (.pre-commit-hooks.yaml) and the
composite GitHub Action (action.yml), tested offline as far as they can be: the YAML is
read, each hook's entry runs as pre-commit would run it, and the action's `run:` steps
execute verbatim as bash scripts (inputs substituted as GitHub does, through env) in a
fresh virtual environment, installing genmei from the action's own path."""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from gate_helpers import CORPUS
from test_install import SOURCES, bare_venv, copy_sources

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
SSH = ROOT / "tests" / "fixtures" / "tfplan" / "ssh_open.tfplan.json"
# Corpus plans: one the gate passes at --fail-on high, one it fails (GKE without private nodes).
PASSING = CORPUS / "GoogleCloudPlatform__terraform-validator" / "testdata__templates__example_compute_disk.tfplan.json"
FAILING = CORPUS / "GoogleCloudPlatform__terraform-validator" / "testdata__templates__example_container_cluster.tfplan.json"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not at {CORPUS}")
BIN = Path(sys.executable).parent  # where this environment's `genmei` is


def hook(hook_id: str) -> dict:
    (h,) = [h for h in HOOKS if h["id"] == hook_id]
    return h


def run_hook(hook_id: str, args: list, cwd) -> tuple[int, str, str]:
    """As pre-commit runs a hook with pass_filenames: false: entry split, then args."""
    h = hook(hook_id)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.run([*shlex.split(h["entry"]), *map(str, args)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


def test_hooks_manifest():
    assert [h["id"] for h in HOOKS] == ["genmei-gate", "genmei-exceptions-lint"]
    for h in HOOKS:
        assert {"id", "name", "entry", "language"} <= set(h)
        assert h["language"] == "python" and h["pass_filenames"] is False
        assert shutil.which(shlex.split(h["entry"])[0], path=str(BIN)), h["entry"]
    assert re.search(hook("genmei-gate")["files"], "infra/main.tf") and re.search(hook("genmei-gate")["files"], "tfplan.json")
    assert re.search(hook("genmei-exceptions-lint")["files"], "exceptions.yaml")
    assert not re.search(hook("genmei-exceptions-lint")["files"], "main.tf")


def test_gate_hook_fails_a_bad_plan_and_passes_a_good_one(tmp_path):
    code, out, err = run_hook("genmei-gate", [SSH, "--fail-on", "high"], tmp_path)
    assert code == 1, err
    assert "gate: FAILED" in out
    code, out, err = run_hook("genmei-gate", [SSH, "--fail-on", "none"], tmp_path)
    assert code == 0, err


def test_exceptions_lint_hook(tmp_path):
    example = ROOT / "mappings" / "examples" / "exceptions.yaml"
    code, out, err = run_hook("genmei-exceptions-lint", [example, "--as-of", "2026-11-22"], tmp_path)
    assert code == 1 and "expired on 2026-03-31" in out, out + err  # EXC-2025-031
    doc = yaml.safe_load(example.read_text())
    doc["exceptions"] = [e for e in doc["exceptions"] if e["id"] == "EXC-2026-014"]
    clean = tmp_path / "exceptions.yaml"
    clean.write_text(yaml.safe_dump(doc, allow_unicode=True))
    code, out, err = run_hook("genmei-exceptions-lint", [clean, "--as-of", "2026-11-22"], tmp_path)
    assert code == 0, out + err


def test_action_manifest():
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) == {"plan", "fail-on", "exceptions", "format", "out", "python-version", "genmei-version"}
    assert ACTION["inputs"]["plan"]["required"] is True
    assert set(ACTION["outputs"]) == {"exit-code", "sarif"}
    for step in ACTION["runs"]["steps"]:
        if "run" in step:  # inputs reach scripts through env only (no ${{ }} inside a script)
            assert "${{" not in step["run"], step.get("name")


def action_env(step: dict, inputs: dict, action_path: Path) -> dict:
    """The step's env with ${{ inputs.X }} and ${{ github.action_path }} substituted."""
    values = {f"inputs.{k}": str(inputs.get(k, v.get("default", ""))) for k, v in ACTION["inputs"].items()}
    values["github.action_path"] = str(action_path)
    return {k: re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lambda m: values[m.group(1)], str(v))
            for k, v in (step.get("env") or {}).items()}


@pytest.fixture(scope="module")
def action_run(tmp_path_factory):
    """Runs the action's scripts: returns run(inputs) → (exit code, outputs, cwd)."""
    root = tmp_path_factory.mktemp("action")
    action_path = root / "action"  # the action's checkout: genmei's sources and action.yml
    action_path.mkdir()
    copy_sources(action_path, (*SOURCES, "action.yml"))
    # setup-python's part: a fresh Python environment first on PATH. pip and the
    # dependencies come from this environment's site-packages (offline: no index, the
    # build backend not isolated), so the install step runs as written.
    venv_bin = bare_venv(root / "venv", Path(sysconfig.get_paths()["purelib"]))
    base_env = {k: v for k, v in os.environ.items() if k not in ("GENMEI_HOME", "PYTHONPATH", "VIRTUAL_ENV")}
    base_env.update(PATH=f"{venv_bin}{os.pathsep}/usr/bin:/bin", PIP_NO_INDEX="1", PIP_NO_BUILD_ISOLATION="0")

    def run(inputs: dict, cwd: Path) -> tuple[list[int], dict]:
        codes, outputs_file = [], cwd / "github_output"
        outputs_file.write_text("")
        for step in ACTION["runs"]["steps"]:
            if "run" not in step:
                assert step["uses"].startswith("actions/setup-python@")
                continue
            proc = subprocess.run(["bash", "-c", step["run"]], cwd=cwd, capture_output=True, text=True, timeout=600,
                                  env={**base_env, **action_env(step, inputs, action_path), "GITHUB_OUTPUT": str(outputs_file)})
            codes.append(proc.returncode)
            if proc.returncode not in (0, 1):
                raise AssertionError(f"step {step.get('name')} exited {proc.returncode}: {proc.stderr[-2000:]}")
        outputs = dict(line.split("=", 1) for line in outputs_file.read_text().splitlines())
        assert (venv_bin / "genmei").exists(), "the install step did not install genmei into the environment"
        return codes, outputs

    return run


@needs_corpus
def test_action_scripts_gate_a_corpus_plan(action_run, tmp_path):
    failing = tmp_path / "failing"
    failing.mkdir()
    codes, outputs = action_run({"plan": str(FAILING)}, failing)
    assert codes == [0, 1]  # installed; the gate failed the plan
    assert outputs == {"exit-code": "1", "sarif": "genmei-gate.sarif"}
    log = json.loads((failing / "genmei-gate.sarif").read_text())
    assert any(r["level"] == "error" for r in log["runs"][0]["results"])

    passing = tmp_path / "passing"
    passing.mkdir()
    codes, outputs = action_run({"plan": str(PASSING), "format": "csv", "out": "gate.csv"}, passing)
    assert codes == [0, 0]
    assert outputs == {"exit-code": "0", "sarif": ""}
    assert (passing / "gate.csv").read_text(encoding="utf-8-sig").startswith("check,resource,")
