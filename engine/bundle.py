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
(not in the manifest), removed (in the manifest, not in the zip) or duplicated, a
manifest or seal that was altered, and any departure of the zip container from the
layout genmei writes (engine/zipcheck.py). It fails closed on the signature: a bundle
nobody signed fails unless unsigned ones are allowed, and a valid signature proves who
sealed the bundle only against a key obtained separately (trusted keys: --pub-key,
--trusted-keys, or the trusted-keys file of the user's configuration), so a signature by a
key nobody pinned fails too unless that is allowed: anyone can re-seal an edited bundle
with a key of their own.
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
from .zipcheck import container_problems

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

@dataclass(frozen=True)
class SignerPolicy:
    """What a signature must show. `trusted`: fingerprint → where the key came from (a
    file name); empty when no key was pinned. Without a pinned key a valid signature shows
    only that the bundle is intact, so it is accepted only with allow_unpinned; a bundle
    nobody signed only with allow_unsigned (and never when a key was pinned)."""

    trusted: dict[str, str] = field(default_factory=dict)
    allow_unsigned: bool = False
    allow_unpinned: bool = False


@dataclass
class Verification:
    """What verify found: one entry per member, the signature's state, and the failures."""

    path: str
    members: list[dict] = field(default_factory=list)  # {member, status, detail}
    signature: dict = field(default_factory=lambda: {"status": "unchecked", "accepted": True})
    manifest: dict | None = None

    @property
    def failures(self) -> list[dict]:
        bad = [m for m in self.members if m["status"] != "ok"]
        if not self.signature["accepted"]:
            bad.append({"member": SIGNATURE, "status": self.signature["status"], "detail": self.signature.get("detail", "")})
        return bad

    @property
    def ok(self) -> bool:
        return not self.failures

    def add(self, member: str, status: str, detail: str = "") -> None:
        self.members.append({"member": member, "status": status, "detail": detail})


def verify_bundle(path: str | Path, policy: SignerPolicy = SignerPolicy()) -> Verification:
    """Recompute every digest and the seal, check the container. Raises InputError only
    when the file cannot be read as a zip at all; every other problem is a named failure
    in the result."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError) as e:
        raise InputError(f"{path}: not a readable zip archive ({e})") from None
    v = Verification(str(path))
    with zf:
        for member, status, detail in container_problems(p, zf):
            v.add(member, status, detail)
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
            _check_seal(seal_bytes, manifest_bytes, policy, v)
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


def _check_seal(data: bytes, manifest_bytes: bytes, policy: SignerPolicy, v: Verification) -> None:
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
        v.signature = _refused("invalid", "signature.json has been altered (not the seal genmei writes)")
        return
    if seal["manifest_sha256"] != sha256_hex(manifest_bytes):
        v.signature = _refused("invalid", "manifest.json does not match the digest sealed in signature.json")
        for m in v.members:
            if m["member"] == MANIFEST:
                m.update(status="changed", detail="its SHA-256 is not the one sealed in signature.json")
        return
    if sig is None:
        v.signature = _unsigned(policy)
        return
    try:
        embedded = signing.public_key_from_bytes(bytes.fromhex(sig["public_key"]))
    except ValueError:
        embedded = None
    if embedded is None or signing.fingerprint(embedded) != sig["public_key_sha256"]:
        v.signature = _refused("invalid", "the public key in signature.json does not match its fingerprint")
        return
    signer = sig["public_key_sha256"]
    if not signing.valid(embedded, bytes.fromhex(sig["value"]), manifest_bytes):
        v.signature = {**_refused("invalid", "the Ed25519 signature does not match manifest.json"), "key": signer}
        return
    if policy.trusted and signer not in policy.trusted:
        v.signature = {**_refused("wrong-key", f"signed by key {signer[:16]}…, which is not a trusted key "
                                               f"({', '.join(f'{fp[:16]}… from {src}' for fp, src in policy.trusted.items())})"),
                       "key": signer}
        return
    if policy.trusted:
        v.signature = {"status": "valid", "accepted": True, "pinned": True, "key": signer,
                       "detail": f"{ALGORITHM} key {signer[:16]}…, trusted ({policy.trusted[signer]})"}
        return
    detail = (f"{ALGORITHM} key {signer[:16]}… is not pinned: the signature shows the bundle is intact, not who "
              "sealed it — anyone can re-seal an edited bundle with a key of their own")
    v.signature = ({"status": "unpinned", "accepted": True, "pinned": False, "key": signer,
                    "detail": detail + " (accepted: --allow-unpinned)"} if policy.allow_unpinned else
                   {**_refused("unpinned", detail + "; give the signer's key with --pub-key or --trusted-keys"), "key": signer})


def _unsigned(policy: SignerPolicy) -> dict:
    if policy.trusted:
        return _refused("unsigned", "the bundle is not signed, but a trusted key was given: a signed bundle "
                                    "stripped of its signature looks like this")
    if policy.allow_unsigned:
        return {"status": "unsigned", "accepted": True, "pinned": False,
                "detail": "not signed (accepted: --allow-unsigned): the digests show the bundle is intact, "
                          "not who made it"}
    return _refused("unsigned", "not signed: anyone could have made it (export with --sign-key; "
                                "--allow-unsigned accepts integrity only)")


def _refused(status: str, detail: str) -> dict:
    return {"status": status, "accepted": False, "pinned": False, "detail": detail}


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
