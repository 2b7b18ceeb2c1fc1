"""The deployment recipe, as far as it can be tested without a container engine or a
cluster (README, "Deployment"): the Dockerfile's instructions are consistent and its pip
lines, run on the files it copies from this checkout, give a working `genmei`; every
Kubernetes manifest in the README is valid against the Kubernetes schemas; and each
CronJob's shell command runs as written against a real PostgreSQL server (and, for the
OPA-server variant, a loopback server speaking OPA's REST API)."""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import DEMO_SNAPSHOT, ROOT

import pg_server
from opa_rest_server import OpaRestServer

needs_postgres = pytest.mark.skipif(not pg_server.available(), reason="PostgreSQL binaries not found (.ci/run installs them)")
DOCKERFILE = ROOT / "Dockerfile"
K8S_VERSION = "1.30.0"


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    out, current = [], ""
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current += line.rstrip("\\").strip() + " "
        if not line.endswith("\\"):
            word, _, rest = current.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
            current = ""
    return out


def stages(steps) -> list[list[tuple[str, str]]]:
    found = []
    for word, rest in steps:
        if word == "FROM":
            found.append([])
        found[-1].append((word, rest))
    return found


def pip_commands(steps) -> list[list[str]]:
    cmds = []
    for word, rest in steps:
        if word == "RUN":
            cmds += [shlex.split(part) for part in rest.split("&&") if re.search(r"(^|[\s/])pip install\s", part.strip())]
    return cmds


def test_dockerfile_builds_a_non_root_image_of_the_package_with_its_engine_and_no_test_extras():
    steps = instructions(DOCKERFILE.read_text())
    build, final = stages(steps)
    assert all(rest.startswith("python:3.11-") for word, rest in steps if word == "FROM")
    copied = {p for word, rest in build if word == "COPY" for p in rest.split()[:-1]}
    setup = (ROOT / "setup.py").read_text()
    roots = re.search(r'ROOTS = \(([^)]*)\)', setup).group(1)
    assert {r.strip(' "') for r in roots.split(",") if r.strip()} <= copied  # every package root
    assert {"pyproject.toml", "setup.py", "README.md", "LICENSE"} <= copied  # metadata, readme and license files
    pips = pip_commands(build)
    package = [c for c in pips if any(a.startswith(".") for a in c)]
    assert [a for c in package for a in c if a.startswith(".")] == [".[all,postgres]"]
    assert not any("test" in a for c in pips for a in c)
    makefile_pin = re.search(r"(opa-golib-python-bindings==[\d.]+)", (ROOT / "Makefile").read_text()).group(1)
    engine = [c for c in pips if makefile_pin in c]
    assert engine and {"--no-deps", "--ignore-requires-python"} <= set(engine[0])
    users = [rest for word, rest in final if word == "USER"]
    assert users and re.fullmatch(r"[1-9]\d*(:[1-9]\d*)?", users[-1])  # numeric, not root: runAsNonRoot can check it
    assert ("ENTRYPOINT", '["genmei"]') in final
    assert any(word == "COPY" and rest.startswith("--from=build /opt/genmei") for word, rest in final)


def test_the_dockerfile_pip_lines_install_a_working_genmei_from_what_it_copies(tmp_path):
    """The build stage, without a container engine: the files its COPY lines name are
    copied from this checkout, its `pip install '.[all,postgres]'` runs on them in a fresh
    venv (offline: no build isolation, no index, the development venv's packages stand in
    for the dependencies PyPI would give), and the installed genmei — not this checkout —
    scans the example snapshot from another directory."""
    build = stages(instructions(DOCKERFILE.read_text()))[0]
    src = tmp_path / "src"
    src.mkdir()
    for word, rest in build:
        if word == "COPY":
            *names, dest = rest.split()
            for name in names:
                target = src / (name if dest.endswith("/") or dest == "./" else dest)
                (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(
                    ROOT / name, target, **({"ignore": shutil.ignore_patterns("__pycache__")} if (ROOT / name).is_dir() else {}))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    site = next(venv.glob("lib/python3*/site-packages"))
    dev_site = next(p for p in sys.path if p.endswith("site-packages") and Path(p, "psycopg").exists())
    (site / "deps.pth").write_text(dev_site + "\n")  # a path line only: the editable checkout's finder is not loaded
    for cmd in pip_commands(build):
        if any(a.startswith(".") for a in cmd):
            spec = next(a for a in cmd if a.startswith("."))
            proc = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
                                   "--no-deps", "--no-build-isolation", "--no-index", spec.replace(".", str(src), 1)],
                                  cwd=src, capture_output=True, text=True, timeout=600)
            assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    python = str(venv / "bin" / "python")
    where = subprocess.run([python, "-c", "import genmei.engine, psycopg, opa_bindings; print(genmei.engine.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True)
    assert where.returncode == 0 and where.stdout.startswith(str(site)), where.stdout + where.stderr
    elsewhere = tmp_path / "run"
    elsewhere.mkdir()
    proc = subprocess.run([python, "-m", "genmei.engine.cli", "scan", "--snapshot", str(DEMO_SNAPSHOT), "--no-store",
                           "--fail-on", "none", "--format", "json"], cwd=elsewhere, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": ""})
    assert proc.returncode == 0, proc.stderr
    checkout = subprocess.run([sys.executable, "-m", "genmei.engine.cli", "scan", "--snapshot", str(DEMO_SNAPSHOT),
                               "--no-store", "--fail-on", "none", "--format", "json"], cwd=ROOT, capture_output=True, text=True)
    import json

    installed, here = json.loads(proc.stdout), json.loads(checkout.stdout)
    assert installed["results"] == here["results"] and installed["risks"] == here["risks"]
    assert installed["policy_bundle_sha256"] == here["policy_bundle_sha256"]  # every policy file was packaged


# -- the README's Kubernetes manifests ------------------------------------------------------------------

def readme_manifests() -> list[dict]:
    text = (ROOT / "README.md").read_text()
    blocks = [b.split("```", 1)[0] for b in text.split("```yaml\n")[1:]]
    return [d for b in blocks if "apiVersion:" in b for d in yaml.safe_load_all(b) if d]


def test_every_readme_manifest_is_valid_kubernetes():
    import kubernetes_validate

    docs = readme_manifests()
    kinds = sorted(d["kind"] for d in docs)
    assert kinds == ["CronJob", "CronJob", "Deployment", "Secret", "Service", "ServiceAccount"]
    for doc in docs:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)  # raises with the first violation
    with pytest.raises(kubernetes_validate.ValidationError):  # the validator does reject a wrong manifest
        bad = next(d for d in docs if d["kind"] == "CronJob")
        kubernetes_validate.validate({**bad, "spec": {**bad["spec"], "schedule": 15}}, K8S_VERSION, strict=True)


def cronjobs() -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in readme_manifests() if d["kind"] == "CronJob"}


def test_cronjobs_run_the_images_user_take_the_store_from_the_secret_and_scan_aws_with_irsa():
    docs = readme_manifests()
    secret = next(d for d in docs if d["kind"] == "Secret")
    account = next(d for d in docs if d["kind"] == "ServiceAccount")
    assert set(secret["stringData"]) == {"GENMEI_STORE", "PGPASSWORD"}
    assert secret["stringData"]["GENMEI_STORE"].startswith("postgresql://") and "@" in secret["stringData"]["GENMEI_STORE"]
    assert ":" not in secret["stringData"]["GENMEI_STORE"].split("//", 1)[1].split("@")[0]  # no password in the URL
    assert account["metadata"]["annotations"]["eks.amazonaws.com/role-arn"].startswith("arn:aws:iam::")
    user = next(rest for word, rest in instructions(DOCKERFILE.read_text()) if word == "USER").split(":")[0]
    for job in cronjobs().values():
        pod = job["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        [container] = pod["containers"]
        script = " ".join(container["args"])
        assert pod["serviceAccountName"] == account["metadata"]["name"]
        assert pod["securityContext"]["runAsNonRoot"] and str(pod["securityContext"]["runAsUser"]) == user
        assert container["image"] == "registry.example.com/genmei:0.1.0"
        assert container["envFrom"] == [{"secretRef": {"name": secret["metadata"]["name"]}}]
        assert "genmei scan aws" in script and "genmei diff" in script and "--store" not in script
        assert "azure" not in script.lower() and "workload identity" not in str(job).lower()
        assert container["securityContext"]["readOnlyRootFilesystem"]
        assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]


def run_cronjob(job: dict, snapshot, env: dict, opa_url: str | None = None) -> tuple[int, str]:
    """The container's command as written, with this checkout's genmei and a snapshot in
    place of `scan aws --regions all` (and a local OPA server in place of the cluster's)."""
    script = job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["args"][0]
    script = script.replace("genmei scan aws --regions all", f"genmei scan --snapshot {snapshot}")
    script = script.replace("genmei ", f"{sys.executable} -m genmei.engine.cli ")
    if opa_url:
        script = script.replace("http://opa.genmei.svc:8181", opa_url)
    proc = subprocess.run(["/bin/sh", "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, **env})
    return proc.returncode, proc.stdout + proc.stderr


@needs_postgres
def test_each_cronjob_command_runs_as_written_against_postgres(tmp_path):
    import json

    server = pg_server.server()
    secret = next(d for d in readme_manifests() if d["kind"] == "Secret")
    database = server.new_database().rsplit("/", 1)[1]
    url = re.sub(r"@[^/]+/[^?]+", f"@127.0.0.1:{server.port}/{database}", secret["stringData"]["GENMEI_STORE"])
    url = url.replace("genmei@", f"{pg_server.USER}@").replace("sslmode=require", "sslmode=disable")
    env = {"GENMEI_STORE": url, "PGPASSWORD": server.password}
    jobs = cronjobs()
    plain = next(j for name, j in jobs.items() if not name.endswith("-opa"))
    code, said = run_cronjob(plain, DEMO_SNAPSHOT, env)
    assert code == 0 and "nothing to compare yet" in said, said
    broken = json.loads(DEMO_SNAPSHOT.read_text())
    next(r for r in broken["resources"] if r["id"].endswith("vol-0f66enc"))["attrs"]["encrypted"] = False
    (tmp_path / "broken.json").write_text(json.dumps(broken))
    with OpaRestServer() as opa:
        code, said = run_cronjob(jobs["genmei-scan-123456789012-opa"], tmp_path / "broken.json", env, opa.url)
        assert any(p.startswith("/v1/policies/genmei/") for _, p in opa.state.requests)  # evaluated there
    assert code == 1 and "new failures (1):" in said, said  # the Job fails: kube_job_status_failed alerts
    code, out, err = (lambda p: (p.returncode, p.stdout, p.stderr))(subprocess.run(
        [sys.executable, "-m", "genmei.engine.cli", "history", "--format", "json"], capture_output=True, text=True,
        env={**os.environ, **env}))
    assert code == 0 and [r["service"] for r in json.loads(out)] == ["example-cloud", "example-cloud"], err
    assert server.password not in said
