"""`genmei policy bundle`: the checks as an OPA bundle, for teams that run their own OPA
servers (`opa run --server --bundle genmei.tar.gz`, or a bundle service).

A gzipped tar in OPA's bundle format: `/.manifest` (revision, roots, rego_version), the
Rego modules at their paths under policies/ (the _test.rego files left out) and
`/data.json` holding the checks' parameters at data.genmei.params, where the OPA-server
backend puts them too (engine/backends/interface.py). The roots are the packages the
modules declare (genmei/checks, genmei/lib) and genmei/params, not all of genmei: OPA
refuses data writes under a bundle's roots, and the snapshot is written as data at
data.genmei.snapshots.<ref> before data.genmei.checks is queried with
{"snapshot_ref": ref} — the protocol of engine/backends/opa_server.py.

The archive is reproducible: the same policies, parameters and revision give the same
bytes (sorted members, zero timestamps and owners). The default revision is the policy
bundle's sha256, as recorded in every evidence.json (policy_bundle_sha256).

Not signed: OPA verifies a `.signatures.json` JWT over its own normalised file hashes,
and no OPA build is at hand here to prove a signature genmei would write; sign the
bundle with `opa sign` where it is deployed.
"""

import gzip
import io
import json
import re
import tarfile

from .backends.interface import PARAMS_PATH
from .policies import PolicyBundle

_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.M)


def roots(bundle: PolicyBundle) -> list[str]:
    """The two-segment prefixes of the modules' packages (genmei/checks, genmei/lib),
    and the parameters' path."""
    found = {"/".join(_PACKAGE.search(src).group(1).split(".")[:2]) for _, src in bundle.ordered_modules()}
    return sorted(found | {PARAMS_PATH.replace(".", "/")})


def params_document(params: dict) -> dict:
    """data.json: the parameters nested at PARAMS_PATH (genmei.params)."""
    doc: dict = params
    for key in reversed(PARAMS_PATH.split(".")):
        doc = {key: doc}
    return doc


def build_opa_bundle(bundle: PolicyBundle, revision: str | None = None) -> bytes:
    if any(path.endswith("_test.rego") for path in bundle.modules):
        raise ValueError("an OPA bundle for deployment holds no _test.rego modules")
    manifest = {"revision": revision or bundle.sha256, "roots": roots(bundle), "rego_version": 1,
                "metadata": {"genmei": {"policy_bundle_sha256": bundle.sha256}}}
    files = {".manifest": _json(manifest), "data.json": _json(params_document(bundle.params))}
    files.update((path, source.encode("utf-8")) for path, source in bundle.modules.items())
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(files):
            info = tarfile.TarInfo("/" + name)
            info.size, info.mode, info.mtime = len(files[name]), 0o644, 0
            tar.addfile(info, io.BytesIO(files[name]))
    return gzip.compress(raw.getvalue(), mtime=0)


def _json(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")
