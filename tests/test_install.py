"""The wheel, installed outside the checkout, is a working genmei.

The wheel is built from the checkout (`pip wheel --no-deps`, offline) and installed with
`pip install --no-deps` into virtual environments made here, without system site
packages. Their dependencies come from this test run's own environment through a .pth
path entry (nothing is downloaded):

- `full`: every distribution of this environment, i.e. `pip install "genmei[all]"` plus
  the one engine line;
- `base`: only the distributions that `pip install genmei` brings on this Python (the
  closure of the wheel's own Requires-Dist without extras, markers evaluated): no cloud
  SDK, and no embedded engine below Python 3.14. They are linked into a folder of their
  own, so what is not there cannot be imported.

Every command runs with its working directory outside the repository and GENMEI_HOME
unset, so the policies, catalog, schemas and templates can only come from the installed
package (importlib.resources), and `import engine` / `import collectors` must fail.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from email.parser import Parser
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement

from conftest import AS_OF, ROOT
from conftest import genmei as checkout_cli
from opa_rest_server import OpaRestServer

FIXTURES = ROOT / "tests" / "fixtures"
PLAN = FIXTURES / "tfplan" / "ssh_open.tfplan.json"


def run(cmd, cwd, env=None, timeout=300):
    clean = {k: v for k, v in os.environ.items() if k not in ("GENMEI_HOME", "PYTHONPATH")}
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**clean, **(env or {})})
    return proc.returncode, proc.stdout, proc.stderr


# What a source distribution of genmei holds: the build needs nothing else.
SOURCES = ("pyproject.toml", "setup.py", "README.md", "LICENSE", "engine", "collectors", "policies", "mappings")


def copy_sources(dest: Path, names=SOURCES) -> None:
    """The sources, copied: a build writes build/ and *.egg-info where it runs."""
    for name in names:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, dest / name)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    src, out = tmp_path_factory.mktemp("src"), tmp_path_factory.mktemp("wheel")
    copy_sources(src)
    code, _, err = run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                        "--no-index", "-w", out, src], cwd=out)
    assert code == 0, err
    (built,) = out.glob("genmei-*.whl")
    return built


def base_distributions(requires: list[str]) -> set[str]:
    """The distributions `pip install genmei` installs here: the closure of the
    requirements without extras, with their markers evaluated on this interpreter."""
    seen, todo = set(), [Requirement(r) for r in requires]
    while todo:
        req = todo.pop()
        if req.marker and not req.marker.evaluate({**default_environment(), "extra": ""}):
            continue
        name = re.sub(r"[-_.]+", "-", req.name).lower()
        if name in seen:
            continue
        seen.add(name)
        todo += [Requirement(r) for r in metadata.distribution(name).requires or []]
    return seen


def link_distributions(names: set[str], folder: Path) -> None:
    """Symlink each distribution's top-level files and folders (and its metadata) from
    this environment's site-packages into `folder`."""
    folder.mkdir()
    for name in names:
        dist = metadata.distribution(name)
        site = Path(dist.locate_file(""))
        for top in {Path(str(f)).parts[0] for f in dist.files or []} - {"..", "__pycache__"}:
            target = folder / top
            if (site / top).exists() and not target.exists():
                target.symlink_to(site / top)


def bare_venv(where: Path, site_path: Path) -> Path:
    """A virtual environment without pip or system site packages whose sys.path ends with
    `site_path` (a .pth path entry); returns its bin folder."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", where], check=True)
    python = where / "bin" / "python"
    purelib = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=where)[1].strip()
    (Path(purelib) / "genmei-test-deps.pth").write_text(f"{site_path}\n")
    return where / "bin"


def make_venv(where: Path, wheel: Path, site_path: Path) -> Path:
    bin_dir = bare_venv(where, site_path)
    code, _, err = run([sys.executable, "-m", "pip", "--python", bin_dir / "python", "install", "--quiet", "--no-deps",
                        "--no-index", wheel], cwd=where)
    assert code == 0, err
    return bin_dir


@pytest.fixture(scope="module")
def wheel_requires(wheel):
    with zipfile.ZipFile(wheel) as z:
        meta = Parser().parsestr(z.read("genmei-0.1.0.dist-info/METADATA").decode())
    return meta.get_all("Requires-Dist")


@pytest.fixture(scope="module")
def full(wheel, tmp_path_factory):
    return make_venv(tmp_path_factory.mktemp("full") / "venv", wheel, Path(sysconfig.get_paths()["purelib"]))


@pytest.fixture(scope="module")
def base(wheel, wheel_requires, tmp_path_factory):
    root = tmp_path_factory.mktemp("base")
    link_distributions(base_distributions([r for r in wheel_requires if "extra ==" not in r]), root / "deps")
    return make_venv(root / "venv", wheel, root / "deps")


@pytest.fixture
def elsewhere(tmp_path):
    d = tmp_path / "elsewhere"
    d.mkdir()
    return d


def test_wheel_holds_the_data_and_only_the_genmei_namespace(wheel, wheel_requires):
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"genmei", "genmei-0.1.0.dist-info"}, tops
    rego = {n for n in names if n.endswith(".rego")}
    assert len(rego) == len(list((ROOT / "policies").rglob("*.rego"))) > 20
    for data in ("genmei/policies/params.yaml", "genmei/policies/lib/genmei.rego", "genmei/mappings/criteria.yaml",
                 "genmei/mappings/risks.yaml", "genmei/mappings/schema/snapshot.schema.json",
                 "genmei/engine/render/templates/report.html.j2", "genmei/collectors/example/demo-snapshot.json",
                 "genmei-0.1.0.dist-info/licenses/LICENSE"):
        assert data in names, data
    # The cloud SDKs are extras; the engine is a dependency only where pip can install it.
    assert any(r.startswith("boto3") and 'extra == "aws"' in r for r in wheel_requires)
    assert any(r.startswith("google-cloud-asset") and 'extra == "gcp"' in r for r in wheel_requires)
    assert any(r.startswith("azure-identity") and 'extra == "azure"' in r for r in wheel_requires)
    engine = [r for r in wheel_requires if r.startswith("opa-golib-python-bindings")]
    assert engine == ['opa-golib-python-bindings==0.4.4; python_version >= "3.14"']
    assert not [r for r in wheel_requires if r.startswith(("boto3", "azure", "google")) and "extra ==" not in r]


def test_base_distributions_leave_out_the_clouds_and_the_engine(wheel_requires):
    names = base_distributions([r for r in wheel_requires if "extra ==" not in r])
    assert {"pyyaml", "jsonschema", "orjson", "opa-python-client", "openpyxl", "jinja2", "python-hcl2"} <= names
    assert not {n for n in names if n.startswith(("boto", "azure", "google", "grpc", "moto"))}, names
    if sys.version_info < (3, 14):
        assert "opa-golib-python-bindings" not in names


def test_installed_genmei_works_outside_the_checkout(full, elsewhere):
    genmei = full / "genmei"
    python = full / "python"
    code, out, _ = run([genmei, "--version"], elsewhere)
    assert (code, out) == (0, "genmei 0.1.0\n")
    # Data and code come from the installed package, not from the checkout.
    code, out, err = run([python, "-c", "import genmei.engine.paths as p, genmei.engine as e; "
                                        "print(p.POLICIES); print(p.MAPPINGS); print(e.__file__)"], elsewhere)
    assert code == 0, err
    venv = str(full.parent)
    assert all(line.startswith(venv) and "site-packages/genmei/" in line for line in out.splitlines()), out
    for name in ("engine", "collectors", "policies", "mappings"):
        code, _, err = run([python, "-c", f"import {name}"], elsewhere)
        assert code == 1 and f"No module named '{name}'" in err, (name, err)

    code, out, err = run([genmei, "policy", "list", "--format", "json"], elsewhere)
    assert code == 0, err
    installed_checks = [c["id"] for c in json.loads(out)]
    code, checkout_out, err = checkout_cli("policy", "list", "--format", "json")  # the checkout's own checks
    assert code == 0, err
    assert installed_checks == [c["id"] for c in json.loads(checkout_out)] and len(installed_checks) > 20
    code, out, err = run([genmei, "policy", "test"], elsewhere)
    assert code == 0, err
    assert re.search(r"rego: [1-9]\d* passed, 0 failed", out), out

    # The bundled example, read from the installed package data.
    snapshot = Path(run([python, "-c", "from importlib.resources import files; "
                                       "print(files('genmei.collectors') / 'example' / 'demo-snapshot.json')"],
                        elsewhere)[1].strip())
    assert str(snapshot).startswith(venv)
    code, out, err = run([genmei, "scan", "--snapshot", snapshot, "--out", "evidence", "--fail-on", "none",
                          "--as-of", AS_OF, "--no-store"], elsewhere)
    assert code == 0, err
    evidence = json.loads((elsewhere / "evidence" / "evidence.json").read_text())
    assert evidence["summary"]["FAIL"] > 0 and evidence["summary"]["PASS"] > 0 and evidence["summary"]["ERROR"] == 0
    assert {r["check"] for r in evidence["results"]} <= set(installed_checks)

    # Every report kind renders from the stored evidence.
    for kind, name in (("checklist", "c.xlsx"), ("checklist", "c.csv"), ("oscal", "o.json"), ("html", "r.html"),
                       ("statement", "s.md"), ("soa", "soa.csv")):
        extra = ["--service", "Example Cloud", "--organisation", "Example KK"] if kind == "statement" else []
        code, out, err = run([genmei, "report", kind, "--evidence", "evidence", "--out", name, *extra], elsewhere)
        assert code == 0, (kind, err)
        assert (elsewhere / name).stat().st_size > 500, name


def test_base_install_without_clouds_or_engine(base, elsewhere):
    """`pip install genmei` alone: imports, a snapshot scan and the gate on an OPA server,
    reports; a live collector names its extra, the embedded engine its install line."""
    genmei = base / "genmei"
    python = base / "python"
    for sdk in ("boto3", "azure.identity", "google.cloud.asset_v1", "opa_bindings"):
        assert run([python, "-c", f"import {sdk}"], elsewhere)[0] == 1, f"{sdk} is importable in the base install"

    # Imports of files need no cloud SDK.
    for fmt, files in (("aws-config", [FIXTURES / "aws_config" / "snapshot.json"]),
                       ("azure-graph", [FIXTURES / "azure" / n for n in ("graph-page1.json", "graph-page2-az.json",
                                                                         "graph-containers-table.json")]),
                       ("gcp-cai", [FIXTURES / "gcp" / "project.jsonl"])):
        code, out, err = run([genmei, "import", fmt, *files, "--out", f"{fmt}.json"], elsewhere)
        assert code == 0, (fmt, err)
        assert json.loads((elsewhere / f"{fmt}.json").read_text())["resources"], fmt

    # Without the embedded engine: one line naming the install line, exit 3.
    for args in (["policy", "test"], ["policy", "list"], ["scan", "--snapshot", "gcp-cai.json", "--no-store"],
                 ["gate", PLAN]):
        code, out, err = run([genmei, *args], elsewhere)
        assert code == 3, (args, err)
        assert err.strip().splitlines() == ["genmei: error: the embedded OPA engine is not installed: pip install "
                                            "--no-deps --ignore-requires-python opa-golib-python-bindings==0.4.4 "
                                            "(or evaluate on an OPA server with --opa-url)"], (args, err)

    # A live collector without its extra: one line naming the extra, exit 3, no traceback.
    for provider, extra, options in (("aws", "aws", ["--regions", "ap-northeast-1"]),
                                     ("azure", "azure", ["--subscriptions", "00000000-0000-0000-0000-000000000000"]),
                                     ("gcp", "gcp", ["--project", "p"])):
        code, out, err = run([genmei, "scan", provider, *options, "--no-store"], elsewhere)
        assert code == 3, (provider, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and f'needs the {extra} extra: pip install "genmei[{extra}]"' in lines[0], (provider, err)
        assert "Traceback" not in err and "internal error" not in err

    # --opa-url needs no embedded engine: scan, gate and reports work.
    with OpaRestServer() as srv:
        code, out, err = run([genmei, "scan", "--snapshot", "gcp-cai.json", "--opa-url", srv.url, "--out", "ev",
                              "--fail-on", "none", "--no-store", "--as-of", AS_OF], elsewhere)
        assert code == 0, err
        code, out, err = run([genmei, "gate", PLAN, "--opa-url", srv.url, "--format", "sarif", "--out", "g.sarif"],
                             elsewhere)
        assert code == 1, err  # the plan opens SSH to the world
        assert json.loads((elsewhere / "g.sarif").read_text())["runs"][0]["results"]
    evidence = json.loads((elsewhere / "ev" / "evidence.json").read_text())
    assert evidence["tool"]["backend"] == "opa" and evidence["summary"]["FAIL"] > 0
    code, out, err = run([genmei, "report", "checklist", "--evidence", "ev", "--out", "c.xlsx"], elsewhere)
    assert code == 0, err
