"""`genmei policy bundle`: a real OPA bundle of the checks. The test reads the archive
itself (tarfile, not genmei's code), loads its modules and data.json into the real
engine, and evaluates the example snapshot to results byte-identical to those of the
policies folder."""

import json
import tarfile
from datetime import date

import pytest

from conftest import AS_OF, DEMO_SNAPSHOT, ROOT, genmei
from genmei.engine.backends.embedded import EmbeddedBackend, new_engine
from genmei.engine.backends.interface import CHECKS_PATH, SNAPSHOTS_PATH
from genmei.engine.catalog import load_catalog
from genmei.engine.jsonio import canonical_json
from genmei.engine.yamlio import load_yaml
from genmei.engine.policies import PolicyBundle, load_bundle
from genmei.engine.scan import run_scan
from genmei.engine.snapshot import evaluation_input, load_snapshot

POLICIES = ROOT / "policies"


def read_bundle(path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle") / "genmei.tar.gz"
    code, stdout, err = genmei("policy", "bundle", "--out", out, "--revision", "2026.12-r1")
    assert code == 0, err
    assert f"OPA bundle: {out}" in stdout
    return out


def test_bundle_layout(built):
    files = read_bundle(built)
    rego = {p.relative_to(POLICIES).as_posix() for p in POLICIES.rglob("*.rego") if not p.name.endswith("_test.rego")}
    assert set(files) == {"/.manifest", "/data.json"} | {"/" + p for p in rego}
    for path in rego:  # the modules byte for byte
        assert files["/" + path] == (POLICIES / path).read_bytes(), path
    manifest = json.loads(files["/.manifest"])
    assert manifest["revision"] == "2026.12-r1"
    assert manifest["roots"] == ["genmei/checks", "genmei/lib", "genmei/params"]
    assert manifest["rego_version"] == 1
    # data.json: the parameters where the OPA-server backend puts them (data.genmei.params).
    assert json.loads(files["/data.json"]) == {"genmei": {"params": load_yaml(POLICIES / "params.yaml")}}


def test_every_package_lies_under_a_root(built):
    files = read_bundle(built)
    roots = [r.replace("/", ".") for r in json.loads(files["/.manifest"])["roots"]]
    for name, source in files.items():
        if name.endswith(".rego"):
            package = next(line.split()[1] for line in source.decode().splitlines() if line.startswith("package "))
            assert any(package == r or package.startswith(r + ".") for r in roots), (name, package)
    # The snapshot's path stays writable on a server holding the bundle.
    assert not any(SNAPSHOTS_PATH == r or SNAPSHOTS_PATH.startswith(r + ".") for r in roots)


def test_bundle_evaluates_like_the_policies_folder(built):
    files = read_bundle(built)
    snapshot = load_snapshot(DEMO_SNAPSHOT)
    snapshot_input = evaluation_input(snapshot)

    # The bundle as OPA loads it: every module, data.json at the data root, the snapshot
    # written at data.genmei.snapshots.<ref>, then data.genmei.checks queried.
    engine = new_engine()
    try:
        for name, source in sorted(files.items()):
            if name.endswith(".rego"):
                engine.add_policy(name.lstrip("/"), source.decode("utf-8"))
        engine.add_data(json.loads(files["/data.json"]))
        engine.add_data(snapshot_input, f"{SNAPSHOTS_PATH}.bundle")
        from_bundle = engine.eval_document(CHECKS_PATH, {"snapshot_ref": "bundle"})
    finally:
        engine.close()
    from_folder = EmbeddedBackend().evaluate(load_bundle(), snapshot_input)
    assert canonical_json(from_bundle) == canonical_json(from_folder)

    # And through the whole pipeline: the same results, byte for byte.
    modules = {name.lstrip("/"): src.decode("utf-8") for name, src in files.items() if name.endswith(".rego")}
    params = json.loads(files["/data.json"])["genmei"]["params"]
    as_of = date.fromisoformat(AS_OF)
    catalog = load_catalog()
    results = [canonical_json(run_scan(snapshot, b, EmbeddedBackend(), catalog, [], [], as_of).evidence["results"])
               for b in (PolicyBundle(modules=modules, params=params), load_bundle())]
    assert results[0] == results[1]
    assert b'"FAIL"' in results[0] and b'"PASS"' in results[0] and b'"NOT_EVALUATED"' in results[0]


def test_bundle_is_reproducible_and_takes_params(tmp_path):
    a, b, c = tmp_path / "a.tar.gz", tmp_path / "b.tgz", tmp_path / "c.tar.gz"
    for out in (a, b):
        assert genmei("policy", "bundle", "--out", out)[0] == 0
    assert a.read_bytes() == b.read_bytes()
    manifest = json.loads(read_bundle(a)["/.manifest"])
    assert manifest["revision"] == load_bundle().sha256  # default: the policy bundle's digest
    (tmp_path / "p.yaml").write_text("min_zones: 3\n")
    assert genmei("policy", "bundle", "--out", c, "--params", tmp_path / "p.yaml")[0] == 0
    assert json.loads(read_bundle(c)["/data.json"])["genmei"]["params"]["min_zones"] == 3


@pytest.mark.parametrize("args, message", [
    ([], "policy bundle needs --out FILE"),
    (["--out", "x.zip"], "--out x.zip: a .zip file cannot hold an OPA bundle (name it *.tar.gz)"),
    (["--out", "x.tar.gz", "--revision", "a b"], "--revision 'a b': expected"),
])
def test_bundle_input_errors(tmp_path, args, message):
    code, stdout, err = genmei("policy", "bundle", *args, cwd=tmp_path)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())
