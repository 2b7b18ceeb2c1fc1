"""Peer agreement: genmei's verdicts on other scanners' own test fixtures.

checkov, Regula, trivy-checks and Google's policy-library ship fixtures with the verdict
their rules must give on each resource. tests/fixtures/peers/manifest.yaml keeps those
inputs (sources, commits, licences in README.md there) and, per case, the peer's rule,
the genmei check that asks the same question (and why), and the peer's verdict per
resource. genmei is run on each input as a user would — `gate PLAN` for Terraform plans,
`import gcp-cai` then `scan` for Cloud Asset Inventory exports — and every comparison must
either agree with the peer or be listed in the manifest with genmei's verdict and a
reason: `genmei_error` (a genmei bug, with the verdict it should give and where the
cause is), `peer_differs` (a defensible difference of judgement, argued) or
`not_judged` (genmei gives no verdict, and why). An unlisted disagreement fails, and so
does a listed one that no longer holds, so that the list stays true; the agreement table
is printed.
"""

import collections
import json
from pathlib import Path

import pytest
import yaml

from conftest import AS_OF, ROOT, genmei

PEERS = ROOT / "tests" / "fixtures" / "peers"
MANIFEST = yaml.safe_load((PEERS / "manifest.yaml").read_text(encoding="utf-8"))
REASONS = ("genmei_error", "peer_differs", "not_judged")
VERDICTS = ("PASS", "FAIL")
NO_VERDICT = ("NOT_EVALUATED", "ABSENT")   # ABSENT: genmei produced no result for the pair
# The corpus may grow, never silently shrink below what the issue asked for.
MIN_COMPARISONS = 170
CLOUDS = {"aws", "azure", "gcp"}


def comparisons() -> list[dict]:
    """One row per (case, peer resource): what the peer says, which genmei result it is
    compared with, and the listed disagreement if any."""
    rows = []
    for case in MANIFEST["cases"]:
        for peer_resource, spec in case["resources"].items():
            spec = {"peer": spec} if isinstance(spec, str) else spec
            rows.append({
                "case": case, "peer_resource": peer_resource, "peer": spec["peer"],
                "resource": spec.get("as", peer_resource), "listed": spec.get("known"),
            })
    return rows


ROWS = comparisons()


def _gate(path: Path) -> dict:
    code, out, err = genmei("gate", path, "--format", "json", "--fail-on", "none", "--as-of", AS_OF)
    assert code == 0, f"gate {path.name}: exit {code}: {err}"
    return json.loads(out)


def _import_and_scan(path: Path, tmp: Path) -> dict:
    snapshot = tmp / f"{path.parent.parent.name}.snapshot.json"
    code, _, err = genmei("import", "gcp-cai", path, "--out", snapshot)
    assert code == 0, f"import gcp-cai {path}: exit {code}: {err}"
    code, out, err = genmei("scan", "--snapshot", snapshot, "--format", "json", "--fail-on", "none",
                            "--as-of", AS_OF, "--no-store")
    assert code == 0, f"scan {snapshot.name}: exit {code}: {err}"
    return json.loads(out)


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory) -> dict[str, dict[tuple[str, str], str]]:
    """genmei's status per (check, resource) for every input, each input run once."""
    tmp = tmp_path_factory.mktemp("peers")
    out = {}
    for name, spec in MANIFEST["inputs"].items():
        path = PEERS / name
        evidence = _gate(path) if spec["kind"] == "plan" else _import_and_scan(path, tmp)
        out[name] = {(r["check"], r["resource"]): r["status"] for r in evidence["results"]}
    return out


def test_manifest_records_sources_and_reasons():
    """Every input is in the corpus with its source and licence, every case names a known
    peer and a check, and every listed disagreement carries a reason that fits it."""
    peers = MANIFEST["peers"]
    for peer in peers.values():
        assert peer["repo"] and len(peer["commit"]) == 40 and peer["licence"], peer
    assert set(MANIFEST["inputs"]) == {c["input"] for c in MANIFEST["cases"]}
    for name, spec in MANIFEST["inputs"].items():
        assert (PEERS / name).is_file(), name
        assert spec["kind"] in ("plan", "cai"), name
        assert spec["peer"] in peers, name
    _, listed, _ = genmei("policy", "list")
    checks = {line.split()[0] for line in listed.splitlines() if line.startswith("GM-")}
    for row in ROWS:
        case, listed = row["case"], row["listed"]
        assert case["peer"] in peers and case["cloud"] in CLOUDS and case["check"] in checks, case["rule"]
        assert case["mapping"] and case["upstream"]["expected_in"], case["rule"]
        assert row["peer"] in VERDICTS, row
        if listed is None:
            continue
        where = f"{case['rule']} {row['peer_resource']}"
        assert listed["reason"] in REASONS and listed["why"].strip(), where
        assert listed["genmei"] in VERDICTS + NO_VERDICT, where
        if listed["reason"] == "not_judged":
            assert listed["genmei"] in NO_VERDICT, f"{where}: not_judged but genmei gives {listed['genmei']}"
        if listed["reason"] == "peer_differs":
            assert listed["genmei"] in VERDICTS, f"{where}: peer_differs needs a genmei verdict"
        if listed["reason"] == "genmei_error":
            assert listed["should_be"] in VERDICTS + ("NOT_EVALUATED",) and listed["should_be"] != listed["genmei"], where
            assert listed["cause"].strip(), f"{where}: a genmei_error names the code at fault"
        elif listed["genmei"] == row["peer"]:
            pytest.fail(f"{where}: listed as {listed['reason']} but genmei and the peer agree ({row['peer']})")


def test_corpus_keeps_only_what_is_compared():
    """Each data file kept is an input, a source of a generated plan, or the peer's
    expected-verdict file; each generated plan has its recipe, and each peer its licence."""
    recipes = yaml.safe_load((PEERS / "plans.yaml").read_text(encoding="utf-8"))["plans"]
    used = set(MANIFEST["inputs"])
    for recipe in recipes:
        assert f"plans/{recipe['name']}.json" in used, f"plan {recipe['name']} is generated but not compared"
        for module in recipe["modules"]:
            used.update(module.get("files", []))
            if "snippet" in module:
                used.add(module["snippet"]["file"])
    used.update(c["upstream"]["expected_in"] for c in MANIFEST["cases"])
    own = {"README.md", "manifest.yaml", "plans.yaml", "generate_plans.py"}
    kept = {p.relative_to(PEERS).as_posix() for p in PEERS.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    licences = {f"{peer}/LICENSE" for peer in MANIFEST["peers"]}
    assert licences <= kept
    assert not kept - used - own - licences, f"kept but never compared: {sorted(kept - used - own - licences)}"


def test_peer_agreement(verdicts, capsys):
    """Each comparison agrees with the peer or is listed with genmei's present verdict;
    prints the agreement table."""
    problems, table = [], collections.Counter()
    for row in ROWS:
        case, listed = row["case"], row["listed"]
        actual = verdicts[case["input"]].get((case["check"], row["resource"]), "ABSENT")
        expected = listed["genmei"] if listed else row["peer"]
        where = f"{case['peer']} {case['rule']} → {case['check']} {row['resource']}"
        if actual != expected:
            if listed:
                problems.append(f"{where}: listed ({listed['reason']}) with genmei {expected}, genmei now says {actual}"
                                " — update the manifest entry (fixed, or changed)")
            else:
                problems.append(f"{where}: peer {row['peer']}, genmei {actual} — fix genmei or list it with a reason")
        outcome = "agree" if actual == row["peer"] else (listed["reason"] if listed else "unlisted")
        table[(case["cloud"], case["peer"], outcome)] += 1
        if listed and listed["reason"] == "genmei_error" and actual == row["peer"]:
            table[(case["cloud"], case["peer"], "agree, genmei_error shared with peer")] += 1
    with capsys.disabled():
        print("\n" + render(table))
    assert not problems, "\n".join(problems)
    assert len(ROWS) >= MIN_COMPARISONS
    assert {c["cloud"] for c in MANIFEST["cases"]} == CLOUDS


def render(table: collections.Counter) -> str:
    """The agreement table: per cloud and peer, agree / disagree by reason."""
    outcomes = ["agree", *REASONS, "unlisted"]
    header = f"{'cloud':6} {'peer':15} " + " ".join(f"{o:>13}" for o in outcomes) + f" {'total':>6}"
    lines = ["peer agreement (resource-level comparisons)", header]
    totals = collections.Counter()
    for cloud, peer in sorted({(c, p) for c, p, _ in table}):
        counts = [table[(cloud, peer, o)] for o in outcomes]
        totals.update(dict(zip(outcomes, counts)))
        lines.append(f"{cloud:6} {peer:15} " + " ".join(f"{n:>13}" for n in counts) + f" {sum(counts):>6}")
    lines.append(f"{'all':6} {'':15} " + " ".join(f"{totals[o]:>13}" for o in outcomes) + f" {sum(totals.values()):>6}")
    shared = sum(n for (_, _, o), n in table.items() if o.startswith("agree, genmei_error"))
    if shared:
        lines.append(f"({shared} of the agreements are on a verdict listed as a genmei error that the peer shares)")
    return "\n".join(lines)
