"""The evidence directory a scan writes (`scan --out DIR`), self-contained so that it can
be exported to an auditor's bundle later without scanning again.

Beside evidence.json and summary.txt it holds the inputs exactly as the scan used them:
the snapshot bytes (their SHA-256 is evidence.json's snapshot_sha256), the attestations
and exceptions files as given, and the policy bundle evaluated (policies.json, whose
canonical digest is evidence.json's policy_bundle_sha256). SHA256SUMS, in `sha256sum`
format, lists every file of the scan, so that `sha256sum -c SHA256SUMS` checks the
directory and export knows which files are the scan's and that they are unchanged.

The directory is replaced whole (engine/outdir.py): a killed scan leaves the previous
scan's directory or the new one. When the scan is recorded in a history store, HISTORY
(not one of the scan's files) names the store, so that export can refuse a directory
whose record was never written — a scan killed between writing and recording.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .jsonio import canonical_json, dump_json, parse_json, read_bytes, sha256_hex, write_json
from .outdir import replace_directory
from .policies import PolicyBundle

EVIDENCE = "evidence.json"
SUMMARY = "summary.txt"
SNAPSHOT = "snapshot.json"
POLICIES = "policies.json"
ATTESTATIONS = "attestations.yaml"
EXCEPTIONS = "exceptions.yaml"
SUMS = "SHA256SUMS"
HISTORY = "HISTORY"
REQUIRED = (EVIDENCE, SNAPSHOT, POLICIES)

ROLES = {
    EVIDENCE: "results, assessment of items and risks, digests, tool version",
    SUMMARY: "the terminal summary of the scan",
    SNAPSHOT: "the canonical snapshot evaluated, bytes as given",
    POLICIES: "the policy bundle evaluated: Rego modules and parameters",
    ATTESTATIONS: "the attestations file used, as given",
    EXCEPTIONS: "the exceptions file used, as given",
}


@dataclass(frozen=True)
class FileCopy:
    """A file copied into the evidence directory as it is on disk (the snapshot a scan
    read from a file: at a million resources it is gigabytes, never held in memory),
    streamed, and refused if its bytes are no longer those the scan read (`sha256`)."""
    path: str
    sha256: str

    def write_to(self, out) -> None:
        digest = hashlib.sha256()
        try:
            with open(self.path, "rb") as f:
                while chunk := f.read(COPY_BYTES):
                    digest.update(chunk)
                    out.write(chunk)
        except OSError as e:
            raise InputError(f"{self.path}: cannot read ({e.strerror}); scan it again") from None
        if digest.hexdigest() != self.sha256:
            raise InputError(f"{self.path}: changed while it was being scanned; scan it again")


COPY_BYTES = 8 * 1024 * 1024


class JsonFile:
    """A document written as jsonio.dump_json lays it out, streamed into its file
    (jsonio.write_json) rather than made into bytes first; its SHA-256 is known once it
    is written."""

    def __init__(self, value):
        self.value = value
        self.sha256: str | None = None

    def write_to(self, out) -> None:
        self.sha256 = write_json(self.value, out)


class Sums:
    """SHA256SUMS of the files before it, made when it is written: after them."""

    def __init__(self, files: dict):
        self.files = files
        self.digests: dict[str, str] = {}

    def write_to(self, out) -> None:
        self.digests = {name: _digest(data) for name, data in self.files.items()}
        out.write("".join(f"{d}  {n}\n" for n, d in sorted(self.digests.items())).encode("ascii"))


def _digest(data) -> str:
    if isinstance(data, bytes):
        return sha256_hex(data)
    if data.sha256 is None:  # a streamed file is hashed as it is written
        raise RuntimeError("SHA256SUMS written before a file it lists")
    return data.sha256


def policy_bundle_document(bundle: PolicyBundle) -> dict:
    return {"modules": bundle.modules, "params": bundle.params}


def scan_files(evidence: dict, summary: str, snapshot: "bytes | FileCopy", bundle: PolicyBundle,
                   attestations: bytes | None, exceptions: bytes | None) -> dict:
    """The files of one scan, evidence.json last (the order they are written in); the
    snapshot as bytes (collected in this run) or a FileCopy of the file it was read from,
    evidence.json a JsonFile, streamed."""
    if _digest(snapshot) != evidence["snapshot_sha256"]:
        raise InputError(f"{evidence['snapshot']['path']}: changed while the scan read it; scan again")
    files = {SNAPSHOT: snapshot, POLICIES: dump_json(policy_bundle_document(bundle))}
    if attestations is not None:
        files[ATTESTATIONS] = attestations
    if exceptions is not None:
        files[EXCEPTIONS] = exceptions
    files[SUMMARY] = summary.encode("utf-8")
    files[EVIDENCE] = JsonFile(evidence)
    return files


def write_evidence_dir(out_dir: Path, files: dict, store: str | None = None) -> dict[str, str]:
    """Replace out_dir with the scan's files (bytes, FileCopy or JsonFile), SHA256SUMS
    and, when the run is to be recorded in the store at `store` (its reopen_at: an
    absolute SQLite path or a PostgreSQL URL without password), HISTORY; return file
    name → SHA-256."""
    sums = Sums(files)
    written = {**files, SUMS: sums}  # in this order: SHA256SUMS after the files it lists
    if store is not None:
        written[HISTORY] = dump_json({"store": str(store)})
    replace_directory(out_dir, written, owned={*ROLES, SUMS, HISTORY}, marker_last=SUMS)
    return sums.digests


def recorded_in(path: Path) -> str | None:
    """The history store the scan in `path` was recorded in, if it was to be recorded."""
    if not (path / HISTORY).is_file():
        return None
    doc = parse_json(read_bytes(path / HISTORY), str(path / HISTORY))
    if not isinstance(doc, dict) or not isinstance(doc.get("store"), str):
        raise InputError(f"{path / HISTORY}: not a genmei history note (expected {{\"store\": PATH or URL}})")
    return doc["store"]


def read_evidence_dir(path: Path, expected: dict[str, str] | None = None) -> tuple[dict[str, bytes], list[str]]:
    """The scan's files from DIR, checked whole and consistent; and the names of other
    files found there (not the scan's). `expected` (name → SHA-256, from the history)
    pins them to one recorded run."""
    if not path.is_dir():
        raise InputError(f"{path}: no such evidence directory")
    listed = _read_sums(path)
    if expected is not None and listed != expected:
        raise InputError(f"{path}: holds a different scan than the one recorded (rescanned into the same --out?)")
    missing = [n for n in REQUIRED if n not in listed]
    if missing:
        raise InputError(f"{path / SUMS}: does not list {', '.join(missing)}")
    files = {}
    for name, digest in listed.items():
        data = read_bytes(path / name)
        if sha256_hex(data) != digest:
            raise InputError(f"{path / name}: changed since the scan wrote it (its SHA-256 is not the one in {SUMS})")
        files[name] = data
    evidence = parse_json(files[EVIDENCE], str(path / EVIDENCE))
    if not isinstance(evidence, dict) or not str(evidence.get("format", "")).startswith("genmei-evidence/"):
        raise InputError(f"{path / EVIDENCE}: not a genmei evidence document")
    if sha256_hex(files[SNAPSHOT]) != evidence.get("snapshot_sha256"):
        raise InputError(f"{path / SNAPSHOT}: is not the snapshot evidence.json was made from (snapshot_sha256 differs)")
    policies = parse_json(files[POLICIES], str(path / POLICIES))
    if sha256_hex(canonical_json(policies)) != evidence.get("policy_bundle_sha256"):
        raise InputError(f"{path / POLICIES}: is not the policy bundle evidence.json was made with (policy_bundle_sha256 differs)")
    others = sorted(p.name for p in path.iterdir() if p.name not in listed and p.name not in (SUMS, HISTORY)
                    and not p.name.startswith("."))
    return files, others


def _read_sums(path: Path) -> dict[str, str]:
    sums = path / SUMS
    if not sums.exists():
        raise InputError(f"{path}: no {SUMS}; not an evidence directory written by `genmei scan --out` "
                         "(or written by an older genmei: scan again)")
    listed = {}
    for n, line in enumerate(read_bytes(sums).decode("ascii", errors="replace").splitlines(), 1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64 or "/" in name or name in ("", ".", "..") or name in listed:
            raise InputError(f"{sums}: line {n} is not `SHA256  NAME`")
        listed[name] = digest.lower()
    return listed
