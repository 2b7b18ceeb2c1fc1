"""The auditor's evidence bundle: `scan --out` keeps every input as used, `evidence export`
seals it into one zip, and `evidence verify` names any member that was changed, added or
removed, and any altered manifest or signature."""

import hashlib
import json
import os
import stat
import struct
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from conftest import AS_OF, DEMO_SNAPSHOT, EXAMPLES, genmei

from genmei.engine.bundle import MANIFEST, SIGNATURE, verify_bundle
from genmei.engine.jsonio import canonical_json
from genmei.engine.signing import load_public_key

SCAN_FILES = {"evidence.json", "snapshot.json", "policies.json", "summary.txt", "attestations.yaml", "exceptions.yaml"}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    d = tmp_path_factory.mktemp("keys")
    code, out, err = genmei("evidence", "keygen", "--out", d / "signer.pem")
    assert code == 0, err
    return {"private": d / "signer.pem", "public": d / "signer.pem.pub", "stdout": out}


@pytest.fixture(scope="module")
def signed(demo_scan, keys, tmp_path_factory):
    path = tmp_path_factory.mktemp("bundle") / "bundle.zip"
    code, out, err = genmei("evidence", "export", "--evidence", demo_scan["out"], "--out", path, "--sign-key", keys["private"])
    assert code == 0, err
    return path


@pytest.fixture(scope="module")
def unsigned(demo_scan, tmp_path_factory):
    path = tmp_path_factory.mktemp("bundle") / "unsigned.zip"
    code, _, err = genmei("evidence", "export", "--evidence", demo_scan["out"], "--out", path)
    assert code == 0, err
    return path


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def rebuild(path: Path, out: Path, replace: dict[str, bytes] | None = None, drop: str | None = None,
            add: dict[str, bytes] | None = None) -> Path:
    """A well-formed zip with the same members except the changes asked for."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename == drop:
                continue
            dst.writestr(info, (replace or {}).get(info.filename, src.read(info)))
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    return out


def flipped(data: bytes, at: int, mask: int = 0x01) -> bytes:
    b = bytearray(data)
    b[at] ^= mask
    return bytes(b)


def failures(v) -> set[tuple[str, str]]:
    return {(f["member"], f["status"]) for f in v.failures}


# -- what the scan keeps -----------------------------------------------------------------

def test_scan_out_keeps_every_input_as_used(demo_scan):
    out, evidence = demo_scan["out"], demo_scan["evidence"]
    assert (out / "snapshot.json").read_bytes() == DEMO_SNAPSHOT.read_bytes()
    assert (out / "attestations.yaml").read_bytes() == (EXAMPLES / "attestations.yaml").read_bytes()
    assert (out / "exceptions.yaml").read_bytes() == (EXAMPLES / "exceptions.yaml").read_bytes()
    assert sha((out / "snapshot.json").read_bytes()) == evidence["snapshot_sha256"]
    policies = json.loads((out / "policies.json").read_text())
    assert set(policies) == {"modules", "params"} and "lib/genmei.rego" in policies["modules"]
    assert sha(canonical_json(policies)) == evidence["policy_bundle_sha256"]
    sums = dict(reversed(line.split("  ")) for line in (out / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == SCAN_FILES
    assert all(sha((out / name).read_bytes()) == digest for name, digest in sums.items())


def test_scan_without_attestations_or_exceptions_lists_only_what_it_used(tmp_path):
    code, _, err = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--out", tmp_path, "--fail-on", "none", "--no-store")
    assert code == 0, err
    listed = {line.split("  ")[1] for line in (tmp_path / "SHA256SUMS").read_text().splitlines()}
    assert listed == SCAN_FILES - {"attestations.yaml", "exceptions.yaml"}


# -- keys ----------------------------------------------------------------------------------

def test_keygen_writes_an_owner_only_private_key_and_prints_no_key_material(keys):
    assert stat.S_IMODE(os.stat(keys["private"]).st_mode) == 0o600
    pem = keys["private"].read_text()
    assert "BEGIN PRIVATE KEY" in pem
    body = "".join(pem.splitlines()[1:-1])
    pub_body = "".join(keys["public"].read_text().splitlines()[1:-1])
    assert body not in keys["stdout"] and pub_body not in keys["stdout"]
    assert "fingerprint:" in keys["stdout"]


def test_keygen_refuses_to_overwrite(keys):
    code, _, err = genmei("evidence", "keygen", "--out", keys["private"])
    assert code == 2 and "refusing to overwrite" in err


def test_encrypted_key_needs_its_passphrase(demo_scan, tmp_path):
    env = {"GENMEI_KEY_PASSPHRASE": "correct horse"}
    assert genmei("evidence", "keygen", "--out", tmp_path / "k.pem", env=env)[0] == 0
    assert "ENCRYPTED" in (tmp_path / "k.pem").read_text()
    code, _, err = genmei("evidence", "export", "--evidence", demo_scan["out"], "--out", tmp_path / "b.zip",
                          "--sign-key", tmp_path / "k.pem", env={"GENMEI_KEY_PASSPHRASE": ""})
    assert code == 2 and "GENMEI_KEY_PASSPHRASE" in err and not (tmp_path / "b.zip").exists()
    code, _, err = genmei("evidence", "export", "--evidence", demo_scan["out"], "--out", tmp_path / "b.zip",
                          "--sign-key", tmp_path / "k.pem", env=env)
    assert code == 0, err
    assert genmei("evidence", "verify", tmp_path / "b.zip", "--pub-key", tmp_path / "k.pem.pub")[0] == 0


# -- export then verify -------------------------------------------------------------------

def test_export_then_verify_succeeds(signed, keys, demo_scan):
    code, out, err = genmei("evidence", "verify", signed, "--pub-key", keys["public"])
    assert code == 0, err
    assert "signature: valid" in out and "--pub-key" in out
    got = members(signed)
    assert list(got)[:2] == [MANIFEST, SIGNATURE]
    manifest = json.loads(got[MANIFEST])
    listed = {m["path"]: m for m in manifest["members"]}
    assert set(listed) == SCAN_FILES == set(got) - {MANIFEST, SIGNATURE}
    for name, m in listed.items():
        assert m["sha256"] == sha(got[name]) == sha((demo_scan["out"] / name).read_bytes())
        assert m["size"] == len(got[name])
    evidence = demo_scan["evidence"]
    for key in ("snapshot_sha256", "policy_bundle_sha256", "catalog_sha256", "finished_at"):
        assert manifest["scan"][key] == evidence[key]
    assert manifest["scan"]["tool"]["version"] == evidence["tool"]["version"]
    seal = json.loads(got[SIGNATURE])
    assert seal["manifest_sha256"] == sha(got[MANIFEST])
    assert seal["signature"]["algorithm"] == "Ed25519"


def test_export_is_deterministic(demo_scan, keys, signed, tmp_path):
    again = tmp_path / "again.zip"
    assert genmei("evidence", "export", "--evidence", demo_scan["out"], "--out", again, "--sign-key", keys["private"])[0] == 0
    assert again.read_bytes() == signed.read_bytes()


def test_members_are_stored_verbatim_with_fixed_timestamps(signed, demo_scan):
    with zipfile.ZipFile(signed) as zf:
        infos = zf.infolist()
    assert {i.compress_type for i in infos} == {zipfile.ZIP_STORED}
    t = datetime.fromisoformat(demo_scan["evidence"]["finished_at"].replace("Z", "+00:00"))
    # The scan's finish time (UTC), at the two-second resolution of zip timestamps.
    assert {i.date_time for i in infos} == {(t.year, t.month, t.day, t.hour, t.minute, t.second // 2 * 2)}


def test_unsigned_bundle_verifies_and_says_it_is_unsigned(unsigned):
    code, out, err = genmei("evidence", "verify", unsigned)
    assert code == 0, err
    assert "signature: unsigned" in out


def test_unsigned_bundle_fails_when_a_key_is_required(unsigned, keys):
    code, _, err = genmei("evidence", "verify", unsigned, "--pub-key", keys["public"])
    assert code == 1 and "signature.json" in err


def test_bundle_signed_by_another_key_fails(signed, tmp_path):
    code, _, err = genmei("evidence", "keygen", "--out", tmp_path / "other.pem")
    assert code == 0, err
    code, out, err = genmei("evidence", "verify", signed, "--pub-key", tmp_path / "other.pem.pub")
    assert code == 1 and "signature.json wrong-key" in err and "not by the given key" in out


# -- tampering: every member, every way ------------------------------------------------------

@pytest.mark.parametrize("bundle", ["signed", "unsigned"])
def test_flipping_a_byte_of_any_member_fails_and_names_it(bundle, request, keys, tmp_path):
    path = request.getfixturevalue(bundle)
    key = load_public_key(keys["public"]) if bundle == "signed" else None
    assert verify_bundle(path, key).ok
    for name, data in members(path).items():
        # The seal byte by byte (it is checked field by field, so every byte must count);
        # the others are digested whole, so their ends and 30 points between suffice.
        positions = range(len(data)) if name == SIGNATURE else sorted({0, len(data) - 1, *range(0, len(data), len(data) // 30)})
        for at in positions:
            v = verify_bundle(rebuild(path, tmp_path / "t.zip", replace={name: flipped(data, at)}), key)
            assert not v.ok and name in {f["member"] for f in v.failures}, (name, at, v.failures)


@pytest.mark.parametrize("name", [MANIFEST, SIGNATURE])
def test_seal_and_manifest_resist_changes_that_keep_json_valid(signed, unsigned, keys, tmp_path, name):
    for path, key in ((signed, load_public_key(keys["public"])), (unsigned, None)):
        data = members(path)[name]
        for variant in (data.replace(b" ", b"\t", 1), data.replace(b"\n", b"\r\n", 1), data.upper(), data + b"\n"):
            v = verify_bundle(rebuild(path, tmp_path / "t.zip", replace={name: variant}), key)
            assert not v.ok and name in {f["member"] for f in v.failures}


def test_flipping_a_raw_byte_inside_the_archive_names_the_member(signed, keys, tmp_path):
    raw = signed.read_bytes()
    key = load_public_key(keys["public"])
    with zipfile.ZipFile(signed) as zf:
        infos = zf.infolist()
    for info in infos:
        name_len, extra_len = struct.unpack("<HH", raw[info.header_offset + 26:info.header_offset + 30])
        start = info.header_offset + 30 + name_len + extra_len
        for at in {start, start + info.compress_size // 2, start + info.compress_size - 1}:
            t = tmp_path / "raw.zip"
            t.write_bytes(flipped(raw, at, 0x40))
            v = verify_bundle(t, key)
            assert not v.ok and info.filename in {f["member"] for f in v.failures}, (info.filename, at)


def test_dropping_any_member_fails_and_names_it(signed, keys, tmp_path):
    key = load_public_key(keys["public"])
    for name in members(signed):
        v = verify_bundle(rebuild(signed, tmp_path / "t.zip", drop=name), key)
        assert (name, "removed") in failures(v), name


def test_added_and_duplicated_members_fail(signed, keys, tmp_path):
    key = load_public_key(keys["public"])
    v = verify_bundle(rebuild(signed, tmp_path / "t.zip", add={"notes.txt": b"trust me"}), key)
    assert failures(v) == {("notes.txt", "added")}
    with pytest.warns(UserWarning, match="Duplicate name"):
        v = verify_bundle(rebuild(signed, tmp_path / "d.zip", add={"evidence.json": b"{}"}), key)
    assert ("evidence.json", "duplicated") in failures(v)


def test_cli_names_the_changed_member_and_exits_1(signed, tmp_path):
    data = members(signed)["evidence.json"]
    t = rebuild(signed, tmp_path / "t.zip", replace={"evidence.json": data.replace(b'"FAIL"', b'"PASS"', 1)})
    code, out, err = genmei("evidence", "verify", t)
    assert code == 1
    assert "evidence.json changed" in err and "CHANGED" in out
    code, out, _ = genmei("evidence", "verify", t, "--format", "json")
    doc = json.loads(out)
    assert code == 1 and not doc["ok"] and [f["member"] for f in doc["failures"]] == ["evidence.json"]


def test_unreadable_bundles_exit_2(tmp_path):
    code, _, err = genmei("evidence", "verify", tmp_path / "missing.zip")
    assert code == 2 and "no such file" in err and err.count("\n") == 1
    (tmp_path / "not.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    code, _, err = genmei("evidence", "verify", tmp_path / "not.zip")
    assert code == 2 and "not a readable zip" in err and "Traceback" not in err


# -- export from a directory or a recorded run ------------------------------------------------

def test_export_refuses_an_evidence_dir_changed_since_the_scan(demo_scan, tmp_path):
    copy = tmp_path / "ev"
    copy.mkdir()
    for f in demo_scan["out"].iterdir():
        (copy / f.name).write_bytes(f.read_bytes())
    (copy / "summary.txt").write_bytes((copy / "summary.txt").read_bytes() + b" ")
    code, _, err = genmei("evidence", "export", "--evidence", copy, "--out", tmp_path / "b.zip")
    assert code == 2 and "summary.txt: changed since the scan wrote it" in err
    assert not (tmp_path / "b.zip").exists()
    (copy / "SHA256SUMS").unlink()
    code, _, err = genmei("evidence", "export", "--evidence", copy, "--out", tmp_path / "b.zip")
    assert code == 2 and "no SHA256SUMS" in err


def test_export_by_run_id_and_attachments(tmp_path):
    store, out = tmp_path / "h.sqlite", tmp_path / "ev"
    code, stdout, err = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--out", out, "--fail-on", "none", "--as-of", AS_OF,
                               "--store", store)
    assert code == 0, err
    run_id = next(line.split()[2] for line in stdout.splitlines() if line.startswith("history: run "))
    (out / "report.html").write_text("<p>rendered</p>")
    code, stdout, err = genmei("evidence", "export", "--scan", run_id[:20], "--store", store, "--out", tmp_path / "b.zip")
    assert code == 0, err
    assert "not included (not written by the scan): report.html" in stdout
    assert json.loads(members(tmp_path / "b.zip")[MANIFEST])["scan"]["run_id"] == run_id
    code, _, err = genmei("evidence", "export", "--scan", run_id, "--store", store, "--out", tmp_path / "c.zip",
                          "--attach", out / "report.html")
    assert code == 0, err
    assert members(tmp_path / "c.zip")["attachments/report.html"] == b"<p>rendered</p>"
    assert genmei("evidence", "verify", tmp_path / "c.zip")[0] == 0
    # A later scan into the same directory replaces its files: the first run can no longer be exported.
    assert genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--out", out, "--fail-on", "none", "--store", store)[0] == 0
    code, _, err = genmei("evidence", "export", "--scan", run_id, "--store", store, "--out", tmp_path / "d.zip")
    assert code == 2 and "different scan" in err


def test_export_of_a_run_without_evidence_dir_says_why(tmp_path):
    store = tmp_path / "h.sqlite"
    code, stdout, err = genmei("scan", "--snapshot", DEMO_SNAPSHOT, "--fail-on", "none", "--store", store)
    assert code == 0, err
    run_id = next(line.split()[2] for line in stdout.splitlines() if line.startswith("history: run "))
    code, _, err = genmei("evidence", "export", "--scan", run_id, "--store", store, "--out", tmp_path / "b.zip")
    assert code == 2 and "without --out" in err

