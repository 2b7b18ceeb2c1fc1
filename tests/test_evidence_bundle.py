"""The auditor's evidence bundle: `scan --out` keeps every input as used, `evidence export`
seals it into one zip, and `evidence verify` names any member that was changed, added or
removed, and any altered manifest or signature."""

import hashlib
import json
import os
import shutil
import stat
import subprocess
import struct
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from conftest import AS_OF, DEMO_SNAPSHOT, EXAMPLES, genmei
from inproc import run_cli

from genmei.engine.bundle import MANIFEST, SIGNATURE, SignerPolicy, verify_bundle
from genmei.engine.jsonio import canonical_json
from genmei.engine.signing import fingerprint, load_public_key
from genmei.engine.zipcheck import container_problems

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


def pinned(keys) -> SignerPolicy:
    """The signer trusted, as `--pub-key` pins it."""
    return SignerPolicy(trusted={fingerprint(load_public_key(keys["public"])): "test"})


UNSIGNED_OK = SignerPolicy(allow_unsigned=True)


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


def test_unsigned_bundle_fails_unless_allowed_and_then_says_integrity_only(unsigned):
    code, out, err = genmei("evidence", "verify", unsigned)
    assert code == 1 and "signature.json unsigned" in err and "signature: UNSIGNED — not signed: anyone could have made it" in out
    code, out, err = genmei("evidence", "verify", unsigned, "--allow-unsigned")
    assert code == 0, err
    assert "signature: unsigned — not signed (accepted: --allow-unsigned)" in out
    assert "(integrity only: who sealed it is not checked)" in out


def test_unsigned_bundle_fails_when_a_key_is_required(unsigned, keys):
    code, _, err = genmei("evidence", "verify", unsigned, "--pub-key", keys["public"])
    assert code == 1 and "signature.json unsigned" in err


def test_bundle_signed_by_another_key_fails(signed, tmp_path):
    code, _, err = genmei("evidence", "keygen", "--out", tmp_path / "other.pem")
    assert code == 0, err
    code, out, err = genmei("evidence", "verify", signed, "--pub-key", tmp_path / "other.pem.pub")
    assert code == 1 and "signature.json wrong-key" in err and "which is not a trusted key" in out


# -- tampering: every member, every way ------------------------------------------------------

@pytest.mark.parametrize("bundle", ["signed", "unsigned"])
def test_flipping_a_byte_of_any_member_fails_and_names_it(bundle, request, keys, tmp_path):
    path = request.getfixturevalue(bundle)
    key = pinned(keys) if bundle == "signed" else UNSIGNED_OK
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
    for path, key in ((signed, pinned(keys)), (unsigned, UNSIGNED_OK)):
        data = members(path)[name]
        for variant in (data.replace(b" ", b"\t", 1), data.replace(b"\n", b"\r\n", 1), data.upper(), data + b"\n"):
            v = verify_bundle(rebuild(path, tmp_path / "t.zip", replace={name: variant}), key)
            assert not v.ok and name in {f["member"] for f in v.failures}


def test_flipping_a_raw_byte_inside_the_archive_names_the_member(signed, keys, tmp_path):
    raw = signed.read_bytes()
    key = pinned(keys)
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
    key = pinned(keys)
    for name in members(signed):
        v = verify_bundle(rebuild(signed, tmp_path / "t.zip", drop=name), key)
        assert (name, "removed") in failures(v), name


def test_added_and_duplicated_members_fail(signed, keys, tmp_path):
    key = pinned(keys)
    v = verify_bundle(rebuild(signed, tmp_path / "t.zip", add={"notes.txt": b"trust me"}), key)
    assert failures(v) == {("notes.txt", "added")}
    with pytest.warns(UserWarning, match="Duplicate name"):
        v = verify_bundle(rebuild(signed, tmp_path / "d.zip", add={"evidence.json": b"{}"}), key)
    assert ("evidence.json", "duplicated") in failures(v)


def test_cli_names_the_changed_member_and_exits_1(signed, keys, tmp_path):
    data = members(signed)["evidence.json"]
    t = rebuild(signed, tmp_path / "t.zip", replace={"evidence.json": data.replace(b'"FAIL"', b'"PASS"', 1)})
    code, out, err = genmei("evidence", "verify", t, "--pub-key", keys["public"])
    assert code == 1
    assert "evidence.json changed" in err and "CHANGED" in out
    code, out, _ = genmei("evidence", "verify", t, "--format", "json", "--pub-key", keys["public"])
    doc = json.loads(out)
    assert code == 1 and not doc["ok"] and [f["member"] for f in doc["failures"]] == ["evidence.json"]


def test_unreadable_bundles_exit_2(tmp_path):
    code, _, err = genmei("evidence", "verify", tmp_path / "missing.zip")
    assert code == 2 and "no such file" in err and err.count("\n") == 1
    (tmp_path / "not.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    code, _, err = genmei("evidence", "verify", tmp_path / "not.zip")
    assert code == 2 and "not a readable zip" in err and "Traceback" not in err


# -- fail closed: who sealed it, and nothing around the members -------------------------------

def verify(*args):
    return run_cli("evidence", "verify", *args)


def forged(demo_scan, tmp_path, sign_key=None) -> Path:
    """The attack the digests alone cannot stop: a FAIL edited into a PASS, SHA256SUMS
    brought in line, and the whole re-exported (re-sealed, with a key of the forger's own)."""
    ev = tmp_path / "forged"
    ev.mkdir()
    for f in demo_scan["out"].iterdir():
        if f.name != "HISTORY":  # the scan's record names the true digests: the forger drops the note
            (ev / f.name).write_bytes(f.read_bytes())
    evidence = (ev / "evidence.json").read_bytes()
    assert b'"status":"FAIL"' in evidence
    (ev / "evidence.json").write_bytes(evidence.replace(b'"status":"FAIL"', b'"status":"PASS"', 1))
    (ev / "SHA256SUMS").write_text("".join(f"{sha((ev / n).read_bytes())}  {n}\n"
                                           for n in sorted(SCAN_FILES)))
    out = tmp_path / "forged.zip"
    code, _, err = run_cli("evidence", "export", "--evidence", ev, "--out", out, *(["--sign-key", sign_key] if sign_key else []))
    assert code == 0, err
    return out


def test_a_bundle_resealed_with_another_key_fails_without_and_with_a_pinned_key(demo_scan, keys, tmp_path):
    assert run_cli("evidence", "keygen", "--out", tmp_path / "forger.pem")[0] == 0
    bundle = forged(demo_scan, tmp_path, tmp_path / "forger.pem")
    code, out, err = verify(bundle)
    assert code == 1 and "signature.json unpinned" in err, err
    assert "is not pinned: the signature shows the bundle is intact, not who sealed it" in out
    code, out, err = verify(bundle, "--pub-key", keys["public"])
    assert code == 1 and "signature.json wrong-key" in err
    # Integrity only, when the auditor says so; and the output says that is all it shows.
    code, out, err = verify(bundle, "--allow-unpinned")
    assert code == 0 and "(accepted: --allow-unpinned)" in out and "integrity only" in out, err


def test_a_signed_bundle_stripped_of_its_signature_fails(signed, keys, tmp_path):
    seal = json.loads(members(signed)[SIGNATURE])
    seal["signature"] = None
    stripped = rebuild(signed, tmp_path / "stripped.zip",
                       replace={SIGNATURE: (json.dumps(seal, ensure_ascii=True, indent=2) + "\n").encode()})
    assert verify_bundle(stripped, UNSIGNED_OK).ok  # a well-formed unsigned seal…
    code, _, err = verify(stripped)
    assert code == 1 and "signature.json unsigned" in err  # …refused by default
    code, out, err = verify(stripped, "--pub-key", keys["public"])
    assert code == 1 and "signature.json unsigned" in err and "stripped of its signature" in out


def test_the_pinned_signer_passes(signed, keys):
    code, out, err = verify(signed, "--pub-key", keys["public"])
    assert code == 0, err
    assert f"trusted (--pub-key {keys['public']})" in out and "(signed by a trusted key)" in out


def test_trusted_keys_file_pins_by_pem_or_fingerprint(signed, keys, tmp_path):
    fp = fingerprint(load_public_key(keys["public"]))
    assert run_cli("evidence", "keygen", "--out", tmp_path / "other.pem")[0] == 0
    other_pem = (tmp_path / "other.pem.pub").read_text()
    for text in (keys["public"].read_text(), f"# the auditee's signing key\n{fp.upper()}  # from the kick-off\n",
                 other_pem + f"\n{fp}\n"):
        (tmp_path / "trusted").write_text(text)
        code, out, err = verify(signed, "--trusted-keys", tmp_path / "trusted")
        assert code == 0 and "signature: valid" in out, (text, err)
    (tmp_path / "trusted").write_text(other_pem)
    code, _, err = verify(signed, "--trusted-keys", tmp_path / "trusted")
    assert code == 1 and "wrong-key" in err
    for bad, needle in (("not a key\n", "line 1 is neither a PEM public key nor a fingerprint"),
                        ("# nothing\n", "no trusted key in it")):
        (tmp_path / "trusted").write_text(bad)
        code, _, err = verify(signed, "--trusted-keys", tmp_path / "trusted")
        assert code == 2 and needle in err and err.count("\n") == 1, err


def test_the_configured_trusted_keys_pin_by_default(signed, keys, tmp_path):
    config = tmp_path / "config"
    (config / "genmei").mkdir(parents=True)
    (config / "genmei" / "trusted-keys").write_text(keys["public"].read_text())
    code, out, err = genmei("evidence", "verify", signed, env={"XDG_CONFIG_HOME": str(config)})
    assert code == 0 and f"trusted ({config / 'genmei' / 'trusted-keys'})" in out, err


def test_allowing_less_than_a_given_key_is_a_usage_error(signed, keys):
    for allow in ("--allow-unsigned", "--allow-unpinned"):
        code, out, err = verify(signed, "--pub-key", keys["public"], allow)
        assert code == 2 and allow in err and err.count("\n") == 1 and out == ""


def container_failures(path: Path, keys) -> set[tuple[str, str]]:
    v = verify_bundle(path, pinned(keys))
    return {(f["member"], f["status"]) for f in v.failures}


def test_a_polyglot_with_html_before_the_archive_fails(signed, keys, tmp_path):
    html = b"<!doctype html><html><body><h1>All controls PASS</h1></body></html>\n"
    glued = tmp_path / "polyglot.zip"
    glued.write_bytes(html + signed.read_bytes())
    with zipfile.ZipFile(glued) as zf:  # zip readers take it, digests and all
        assert zf.read("evidence.json") == members(signed)["evidence.json"]
    assert container_failures(glued, keys) == {("(zip container)", "malformed")}
    code, out, err = verify(glued, "--pub-key", keys["public"])
    assert code == 1 and f"{len(html)} bytes before the first member" in out and "(zip container) malformed" in err
    # the same, with the archive's offsets rewritten to count the prefix (as `zip -A` does)
    shifted = tmp_path / "shifted.zip"
    with open(shifted, "wb") as f:
        f.write(html)
        with zipfile.ZipFile(f, "a") as dst, zipfile.ZipFile(signed) as src:
            for info in src.infolist():
                dst.writestr(info, src.read(info))
    assert verify_bundle(shifted, pinned(keys)).failures
    assert ("(zip container)", "malformed") in container_failures(shifted, keys)


def test_bytes_after_the_archive_or_a_comment_fail(signed, keys, tmp_path):
    appended = tmp_path / "appended.zip"
    appended.write_bytes(signed.read_bytes() + b"<script>alert(1)</script>")
    code, out, err = verify(appended, "--pub-key", keys["public"])
    assert code == 1 and "25 bytes after the end of the archive" in out
    commented = tmp_path / "commented.zip"
    commented.write_bytes(signed.read_bytes())
    with zipfile.ZipFile(commented, "a") as zf:
        zf.comment = b"approved by the auditor"
    code, out, err = verify(commented, "--pub-key", keys["public"])
    assert code == 1 and "a zip comment of 23 bytes" in out and container_failures(commented, keys) == {("(zip container)", "malformed")}


def rezip(path: Path, out: Path, change) -> Path:
    """The same members, bytes and order, with change(info) applied to each ZipInfo."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            change(info)
            dst.writestr(info, data, compress_type=info.compress_type)
    return out


def test_a_member_marked_as_a_symbolic_link_fails(signed, keys, tmp_path):
    def as_link(info):
        if info.filename == "evidence.json":
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
    t = rezip(signed, tmp_path / "link.zip", as_link)
    assert container_failures(t, keys) == {("evidence.json", "not-a-file")}
    code, out, err = verify(t, "--pub-key", keys["public"])
    assert code == 1 and "evidence.json not-a-file" in err and "a symbolic link" in out


def test_compressed_members_unsafe_names_and_directories_fail(signed, keys, tmp_path):
    def deflate(info):
        if info.filename == "summary.txt":
            info.compress_type = zipfile.ZIP_DEFLATED
    assert ("summary.txt", "malformed") in container_failures(rezip(signed, tmp_path / "d.zip", deflate), keys)
    t = rebuild(signed, tmp_path / "n.zip", add={"../../.bashrc": b"echo owned", "attachments/": b""})
    got = container_failures(t, keys)
    assert {("../../.bashrc", "unsafe-name"), ("attachments/", "not-a-file")} <= got


def test_a_genmei_bundle_has_none_of_these(signed, unsigned, keys):
    for path in (signed, unsigned):
        with zipfile.ZipFile(path) as zf:
            assert container_problems(path, zf) == []


def test_the_zip64_end_records_of_a_large_archive_are_part_of_the_layout(tmp_path):
    """Past 65,535 members (or 4 GiB) zipfile writes the zip64 end record and locator
    before the end record: a layout genmei can write, so not a failure."""
    path = tmp_path / "large.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(65_536):
            zf.writestr(f"m{i}", b"")
    assert b"PK\x06\x06" in path.read_bytes()[-200:]
    with zipfile.ZipFile(path) as zf:
        assert container_problems(path, zf) == []
    path.write_bytes(path.read_bytes() + b"x")
    with zipfile.ZipFile(path) as zf:
        assert container_problems(path, zf) == [("(zip container)", "malformed", "1 bytes after the end of the archive")]


def readme_commands() -> str:
    """The shell block of README's "Verifying a bundle without genmei"."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("#### Verifying a bundle without genmei", 1)[1]
    return section.split("```sh\n", 1)[1].split("```", 1)[0]


def run_readme_commands(bundle: Path, public_key: Path, workdir: Path) -> subprocess.CompletedProcess:
    workdir.mkdir()
    shutil.copy(bundle, workdir / "jasa-2026-11-22.zip")
    shutil.copy(public_key, workdir / "signing.pem.pub")
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", readme_commands()], cwd=workdir,
                          capture_output=True, text=True, timeout=60)


def test_the_readme_verifies_a_bundle_with_openssl_and_sha256sum_alone(signed, keys, demo_scan, tmp_path):
    proc = run_readme_commands(signed, keys["public"], tmp_path / "ok")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Signature Verified Successfully" in proc.stdout
    assert "seal: OK" in proc.stdout and "members: OK" in proc.stdout
    assert sorted(line.split(": ")[0] for line in proc.stdout.splitlines() if line.endswith(": OK") and "." in line) == \
        sorted(SCAN_FILES)
    # a re-sealed forgery fails at the signature, an edited member at its digest, an extra member at the listing
    assert run_cli("evidence", "keygen", "--out", tmp_path / "forger.pem")[0] == 0
    proc = run_readme_commands(forged(demo_scan, tmp_path, tmp_path / "forger.pem"), keys["public"], tmp_path / "resealed")
    assert proc.returncode != 0 and "Signature Verified Successfully" not in proc.stdout
    edited = members(signed)["summary.txt"] + b" "
    proc = run_readme_commands(rebuild(signed, tmp_path / "e.zip", replace={"summary.txt": edited}), keys["public"],
                               tmp_path / "edited")
    assert proc.returncode != 0 and "summary.txt: FAILED" in proc.stdout
    proc = run_readme_commands(rebuild(signed, tmp_path / "a.zip", add={"notes.txt": b"x"}), keys["public"], tmp_path / "added")
    assert proc.returncode != 0 and "members: OK" not in proc.stdout and "notes.txt" in proc.stdout


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
    assert genmei("evidence", "verify", tmp_path / "c.zip", "--allow-unsigned")[0] == 0
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

