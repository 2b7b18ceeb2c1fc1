"""The evidence bundle for auditors: one zip holding a scan's evidence directory, a
manifest with the SHA-256 of every member, and a seal over the manifest — its digest,
and an Ed25519 signature of its bytes when a key is given.

Layout (members stored uncompressed, so every byte of every member is in the archive as
is; fixed order and timestamps, so the same scan and key give the same bytes):

    manifest.json    format, the scan (run id, times, account, snapshot, policy bundle and
                     catalog digests, tool version) and every member's path, size, SHA-256
    signature.json   manifest_sha256, and {algorithm, public_key, public_key_sha256, value}
                     or null when unsigned
    evidence.json, snapshot.json, policies.json, summary.txt, [attestations.yaml],
    [exceptions.yaml], [attachments/NAME]

Verification names every member that is changed (digest differs, or unreadable), added
(not in the manifest), removed (in the manifest, not in the zip) or duplicated, and a
manifest or seal that was altered. A signature proves who sealed the bundle only when
checked against a key obtained separately (--pub-key); the key inside only shows the
seal is intact.
"""

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import __version__
from . import signing
from .errors import InputError
from .evidence_files import EVIDENCE, POLICIES, SNAPSHOT
from .jsonio import MAX_INPUT_BYTES, canonical_json, sha256_hex, write_atomic

BUNDLE_FORMAT = "genmei-evidence-bundle/1"
SEAL_FORMAT = "genmei-bundle-seal/1"
MANIFEST = "manifest.json"
PERIOD = "period.json"
SIGNATURE = "signature.json"
ATTACHMENTS = "attachments/"
ALGORITHM = "Ed25519"
HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _json(doc) -> bytes:
    """The fixed serialisation of the manifest and the seal (independent of dump_json,
    so that a bundle verifies the same under any later genmei)."""
    return (json.dumps(doc, ensure_ascii=True, indent=2) + "\n").encode("ascii")


def _zip_time(timestamp: str) -> tuple:
    t = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    return (max(t.year, 1980), t.month, t.day, t.hour, t.minute, t.second)


def _member_info(name: str, date_time: tuple) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time)
    info.compress_type = zipfile.ZIP_STORED
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    return info


def manifest_document(files: dict[str, bytes], roles: dict[str, str], evidence: dict, run_id: str | None,
                      subject: bool = True) -> dict:
    members = [{"path": name, "size": len(files[name]), "sha256": sha256_hex(files[name]), "role": roles.get(name, "")}
               for name in sorted(files)]
    if not subject:
        return {"members": members}
    snap = evidence["snapshot"]
    return {
        "format": BUNDLE_FORMAT,
        "exported_by": {"name": "genmei", "version": __version__},
        "scan": {
            "run_id": run_id,
            "tool": evidence["tool"],
            "started_at": evidence["started_at"],
            "finished_at": evidence["finished_at"],
            "as_of": evidence["as_of"],
            "provider": snap["provider"],
            "account": snap["account"],
            "snapshot_sha256": evidence["snapshot_sha256"],
            "policy_bundle_sha256": evidence["policy_bundle_sha256"],
            "catalog_sha256": evidence["catalog_sha256"],
        },
        "members": members,
    }


def write_bundle(out: Path, files: dict[str, bytes], roles: dict[str, str], evidence: dict, run_id: str | None,
                 key=None) -> dict:
    """Write the bundle atomically; return the manifest and the seal."""
    _check_names(files)
    return _seal(out, files, manifest_document(files, roles, evidence, run_id), evidence["finished_at"], key)


def write_period_bundle(out: Path, files: dict[str, bytes], roles: dict[str, str], period: dict, key=None) -> dict:
    """A period report (engine/period.py) sealed like a scan: the manifest's `period`
    (from, to, selection, generated_at) takes the place of `scan`; members are dated at
    the report's generation."""
    _check_names(files)
    manifest = {"format": BUNDLE_FORMAT, "exported_by": {"name": "genmei", "version": __version__}, "period": period,
                "members": manifest_document(files, roles, {}, None, subject=False)["members"]}
    return _seal(out, files, manifest, period["generated_at"], key)


def _check_names(files: dict[str, bytes]) -> None:
    for name in files:
        if name in (MANIFEST, SIGNATURE) or not name or name.startswith("/") or ".." in name.split("/"):
            raise InputError(f"{name}: not a usable member name in a bundle")


def _seal(out: Path, files: dict[str, bytes], manifest: dict, when_text: str, key) -> dict:
    manifest_bytes = _json(manifest)
    signature = None
    if key is not None:
        public = key.public_key()
        signature = {
            "algorithm": ALGORITHM,
            "public_key": signing.public_bytes(public).hex(),
            "public_key_sha256": signing.fingerprint(public),
            "value": signing.sign(key, manifest_bytes).hex(),
        }
    seal = {"format": SEAL_FORMAT, "manifest_sha256": sha256_hex(manifest_bytes), "signature": signature}
    when = _zip_time(when_text)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(_member_info(MANIFEST, when), manifest_bytes)
        zf.writestr(_member_info(SIGNATURE, when), _json(seal))
        for name in sorted(files):
            zf.writestr(_member_info(name, when), files[name])
    write_atomic(out, buf.getvalue())
    return {"manifest": manifest, "seal": seal, "manifest_sha256": seal["manifest_sha256"]}


# -- verification --------------------------------------------------------------------

@dataclass
class Verification:
    """What verify found: one entry per member, the signature's state, and the failures."""

    path: str
    members: list[dict] = field(default_factory=list)  # {member, status, detail}
    signature: dict = field(default_factory=lambda: {"status": "unchecked"})
    manifest: dict | None = None

    @property
    def failures(self) -> list[dict]:
        bad = [m for m in self.members if m["status"] != "ok"]
        if self.signature["status"] not in ("valid", "unsigned", "unchecked"):
            bad.append({"member": SIGNATURE, "status": self.signature["status"], "detail": self.signature.get("detail", "")})
        return bad

    @property
    def ok(self) -> bool:
        return not self.failures

    def add(self, member: str, status: str, detail: str = "") -> None:
        self.members.append({"member": member, "status": status, "detail": detail})


def verify_bundle(path: str | Path, public_key=None) -> Verification:
    """Recompute every digest and the seal. Raises InputError only when the file cannot
    be read as a zip at all; every other problem is a named failure in the result."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError) as e:
        raise InputError(f"{path}: not a readable zip archive ({e})") from None
    v = Verification(str(path))
    with zf:
        infos: dict[str, zipfile.ZipInfo] = {}
        for info in zf.infolist():
            if info.filename in infos:
                v.add(info.filename, "duplicated", "the archive holds this name more than once")
            infos[info.filename] = info
        if any(m["status"] == "duplicated" for m in v.members):
            return v
        manifest_bytes = _read_small(zf, infos, MANIFEST, v)
        seal_bytes = _read_small(zf, infos, SIGNATURE, v)
        if manifest_bytes is None:
            return v
        manifest = _parse_manifest(manifest_bytes, v)
        if seal_bytes is not None:
            _check_seal(seal_bytes, manifest_bytes, public_key, v)
        elif public_key is not None:
            v.signature = {"status": "missing", "detail": "no signature.json, but --pub-key was given"}
        if manifest is None:
            return v
        v.manifest = manifest
        listed = {m["path"]: m for m in manifest["members"]}
        digests = {}
        for name, entry in listed.items():
            if name not in infos:
                v.add(name, "removed", "listed in the manifest, not in the bundle")
                continue
            digest, size, error = _hash_member(zf, infos[name])
            if error:
                v.add(name, "changed", f"cannot be read back ({error})")
            elif digest != entry["sha256"] or size != entry["size"]:
                v.add(name, "changed", f"sha256 {digest[:16]}… ({size} bytes); the manifest says {entry['sha256'][:16]}… ({entry['size']} bytes)")
            else:
                digests[name] = digest
                v.add(name, "ok", digest)
        for name in infos:
            if name not in listed and name not in (MANIFEST, SIGNATURE):
                v.add(name, "added", "in the bundle, not in the manifest")
        if all(m["status"] == "ok" for m in v.members):
            _check_consistency(zf, infos, manifest, digests, v)
    return v


def _read_small(zf: zipfile.ZipFile, infos: dict, name: str, v: Verification) -> bytes | None:
    if name not in infos:
        v.add(name, "removed", "every bundle has one")
        return None
    if infos[name].file_size > 16 * 1024 * 1024:
        v.add(name, "changed", "implausibly large")
        return None
    try:
        return zf.read(infos[name])
    except Exception as e:  # noqa: BLE001 - any failure to read back is a changed member
        v.add(name, "changed", f"cannot be read back ({_short(e)})")
        return None


def _hash_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[str, int, str | None]:
    """SHA-256 and size of a member, read in chunks (zipfile checks its CRC at the end)."""
    if info.file_size > MAX_INPUT_BYTES:
        return "", 0, f"{info.file_size} bytes exceeds the limit of {MAX_INPUT_BYTES}"
    h, size = hashlib.sha256(), 0
    try:
        with zf.open(info) as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
                size += len(chunk)
    except Exception as e:  # noqa: BLE001 - bad CRC, bad header, bad compression: all changes
        return "", 0, _short(e)
    return h.hexdigest(), size, None


def _parse_manifest(data: bytes, v: Verification) -> dict | None:
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        v.add(MANIFEST, "changed", f"not valid JSON any more ({_short(e)})")
        return None
    members = doc.get("members") if isinstance(doc, dict) else None
    well_formed = (
        isinstance(doc, dict) and doc.get("format") == BUNDLE_FORMAT and (isinstance(doc.get("scan"), dict) or isinstance(doc.get("period"), dict))
        and isinstance(members, list)
        and all(isinstance(m, dict) and isinstance(m.get("path"), str) and isinstance(m.get("sha256"), str)
                and HEX64.match(m["sha256"]) and isinstance(m.get("size"), int) for m in members)
        and len({m["path"] for m in members}) == len(members)
    )
    if not well_formed:
        v.add(MANIFEST, "changed", f"not a {BUNDLE_FORMAT} manifest any more")
        return None
    v.add(MANIFEST, "ok", sha256_hex(data))
    return doc


def _check_seal(data: bytes, manifest_bytes: bytes, public_key, v: Verification) -> None:
    try:
        seal = json.loads(data.decode("ascii"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        seal = None
    sig = seal.get("signature") if isinstance(seal, dict) else None
    well_formed = (
        isinstance(seal, dict) and set(seal) == {"format", "manifest_sha256", "signature"}
        and seal["format"] == SEAL_FORMAT and isinstance(seal["manifest_sha256"], str) and HEX64.match(seal["manifest_sha256"])
        and (sig is None or (isinstance(sig, dict) and set(sig) == {"algorithm", "public_key", "public_key_sha256", "value"}
                             and sig["algorithm"] == ALGORITHM and all(isinstance(sig[k], str) for k in sig)
                             and re.fullmatch(r"[0-9a-f]{64}", sig["public_key"])
                             and re.fullmatch(r"[0-9a-f]{128}", sig["value"])))
        and _json(seal) == data  # the seal's exact bytes: no change hides in whitespace or case
    )
    if not well_formed:
        v.signature = {"status": "invalid", "detail": "signature.json has been altered (not the seal genmei writes)"}
        return
    if seal["manifest_sha256"] != sha256_hex(manifest_bytes):
        v.signature = {"status": "invalid", "detail": "manifest.json does not match the digest sealed in signature.json"}
        for m in v.members:
            if m["member"] == MANIFEST:
                m.update(status="changed", detail="its SHA-256 is not the one sealed in signature.json")
        return
    if sig is None:
        v.signature = ({"status": "missing", "detail": "the bundle is not signed, but --pub-key was given"}
                       if public_key is not None else {"status": "unsigned", "detail": "not signed (export with --sign-key)"})
        return
    try:
        embedded = signing.public_key_from_bytes(bytes.fromhex(sig["public_key"]))
    except ValueError:
        embedded = None
    if embedded is None or signing.fingerprint(embedded) != sig["public_key_sha256"]:
        v.signature = {"status": "invalid", "detail": "the public key in signature.json does not match its fingerprint"}
        return
    key = public_key or embedded
    if public_key is not None and signing.fingerprint(public_key) != sig["public_key_sha256"]:
        v.signature = {"status": "wrong-key", "key": sig["public_key_sha256"],
                       "detail": f"signed by key {sig['public_key_sha256'][:16]}…, not by the given key "
                                 f"{signing.fingerprint(public_key)[:16]}…"}
        return
    if not signing.valid(key, bytes.fromhex(sig["value"]), manifest_bytes):
        v.signature = {"status": "invalid", "key": sig["public_key_sha256"],
                       "detail": "the Ed25519 signature does not match manifest.json"}
        return
    v.signature = {"status": "valid", "key": sig["public_key_sha256"], "pinned": public_key is not None,
                   "detail": f"{ALGORITHM} key {sig['public_key_sha256'][:16]}…"
                             + (", the key given with --pub-key" if public_key is not None
                                else " (the key inside the bundle: pass --pub-key to check who signed)")}


def _check_consistency(zf: zipfile.ZipFile, infos: dict, manifest: dict, digests: dict, v: Verification) -> None:
    """The members agree with each other: the snapshot and policy bundle are the ones the
    evidence was made from, as the manifest says."""
    if "scan" not in manifest:
        _check_period(zf, infos, manifest["period"], digests, v)
        return
    scan = manifest["scan"]
    if SNAPSHOT in digests and digests[SNAPSHOT] != scan.get("snapshot_sha256"):
        _flag(v, SNAPSHOT, "inconsistent", "its SHA-256 is not the manifest's scan.snapshot_sha256")
    for name, key in ((EVIDENCE, None), (POLICIES, "policy_bundle_sha256")):
        if name not in digests:
            continue
        try:
            doc = json.loads(zf.read(infos[name]).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            _flag(v, name, "inconsistent", "not valid JSON")
            continue
        if key is None:
            same = isinstance(doc, dict) and all(doc.get(k) == scan.get(k) for k in
                                                 ("snapshot_sha256", "policy_bundle_sha256", "catalog_sha256", "finished_at"))
            if not same:
                _flag(v, name, "inconsistent", "its digests or finish time differ from the manifest's scan")
        elif sha256_hex(canonical_json(doc)) != scan.get(key):
            _flag(v, name, "inconsistent", f"its canonical SHA-256 is not the manifest's scan.{key}")


def _check_period(zf: zipfile.ZipFile, infos: dict, period: dict, digests: dict, v: Verification) -> None:
    """period.json is the report the manifest describes: same period and generation time."""
    if PERIOD not in digests:
        return
    try:
        doc = json.loads(zf.read(infos[PERIOD]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        doc = None
    if not (isinstance(doc, dict) and isinstance(doc.get("period"), dict) and doc.get("generated_at") == period.get("generated_at")
            and all(doc["period"].get(k) == period.get(k) for k in ("from", "to", "timezone"))):
        _flag(v, PERIOD, "inconsistent", "its period or generation time differ from the manifest's period")


def _flag(v: Verification, member: str, status: str, detail: str) -> None:
    for m in v.members:
        if m["member"] == member:
            m.update(status=status, detail=detail)


def _short(e: BaseException) -> str:
    return " ".join(str(e).split())[:160] or type(e).__name__
