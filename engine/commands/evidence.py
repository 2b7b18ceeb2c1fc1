"""`genmei evidence export|verify|keygen`: the evidence bundle an auditor receives
(engine/bundle.py) and the Ed25519 keys that sign it (engine/signing.py)."""

import os
import sys
from pathlib import Path

from ..errors import EXIT_FINDINGS, EXIT_OK, InputError
from .history import add_store_option, open_store

STATUS_LABEL = {"ok": "ok", "changed": "CHANGED", "added": "ADDED", "removed": "REMOVED",
                "duplicated": "DUPLICATED", "inconsistent": "INCONSISTENT", "malformed": "MALFORMED",
                "not-a-file": "NOT-A-FILE", "unsafe-name": "UNSAFE-NAME"}


def cmd_export(args) -> int:
    from ..bundle import ATTACHMENTS, write_bundle
    from ..evidence_files import EVIDENCE, ROLES, read_evidence_dir
    from ..jsonio import parse_json, read_bytes
    from ..signing import fingerprint, load_private_key

    from ..formats import check_suffix

    check_suffix("zip", args.out, what="an evidence bundle (zip)")
    out = Path(args.out)
    if out.is_dir():
        raise InputError(f"--out {out}: is a directory; expected the bundle's file name (bundle.zip)")
    key = load_private_key(args.sign_key) if args.sign_key else None
    attachments = {}
    for path in args.attach or []:
        name = ATTACHMENTS + Path(path).name
        if name in attachments:
            raise InputError(f"--attach {path}: another attachment is already named {Path(path).name}")
        attachments[name] = read_bytes(path)

    run_id = None
    if args.scan:
        with open_store(args, create=False) as store:
            run = store.run(args.scan)
        run_id = run["id"]
        if not run["evidence_dir"]:
            raise InputError(f"run {run_id} was scanned without --out, so it kept no evidence directory to export; "
                             "scan with --out DIR to be able to export")
        files, others = read_evidence_dir(Path(run["evidence_dir"]), expected=run["members"])
    else:
        files, others = read_evidence_dir(Path(args.evidence))
        run_id = recorded_run(Path(args.evidence), files, args.store)
    evidence = parse_json(files[EVIDENCE], EVIDENCE)
    roles = {**ROLES, **{name: "attached at export" for name in attachments}}
    sealed = write_bundle(out, {**files, **attachments}, roles, evidence, run_id, key)

    signed = f"signed with Ed25519 key {fingerprint(key.public_key())}" if key else "unsigned (no --sign-key)"
    print(f"bundle: {out} ({len(sealed['manifest']['members'])} members + manifest.json, signature.json; {signed})")
    print(f"manifest sha256: {sealed['manifest_sha256']}")
    if others:
        print(f"not included (not written by the scan): {', '.join(others)} — add files with --attach FILE")
    return EXIT_OK


def recorded_run(directory: Path, files: dict[str, bytes], store_path: str | None) -> str | None:
    """The run that recorded the scan in `directory`, when its scan was to be recorded
    (HISTORY names the store; --store overrides it): a directory written by a scan that
    was stopped before its record was written is refused."""
    from ..evidence_files import HISTORY, recorded_in
    from ..jsonio import sha256_hex
    from ..store import open_store

    recorded = recorded_in(directory)
    if recorded is None:  # scanned with --no-store
        return None
    try:
        store = open_store(store_path or recorded, create=False)
    except InputError as e:
        if store_path:
            raise
        raise InputError(f"{directory}: its scan was recorded in {recorded}, which cannot be opened here ({e}); "
                         f"pass --store PATH|URL, or remove {directory / HISTORY} to export it unrecorded") from None
    members = {name: sha256_hex(data) for name, data in files.items()}
    with store as s:
        run = next((r for r in reversed(s.runs()) if r["members"] == members), None)
    if run is None:
        raise InputError(f"{directory}: {s.location} holds no record of this scan (stopped before it was recorded?); "
                         "scan again")
    return run["id"]


def cmd_verify(args) -> int:
    from ..bundle import verify_bundle
    from ..jsonio import dump_json

    v = verify_bundle(args.bundle, signer_policy(args))
    if args.format == "json":
        sys.stdout.write(dump_json({"bundle": v.path, "ok": v.ok, "members": v.members, "signature": v.signature,
                                    "failures": v.failures, "scan": v.manifest.get("scan") if v.manifest else None,
                                    "period": v.manifest.get("period") if v.manifest else None}).decode())
    else:
        scan = v.manifest.get("scan") if v.manifest else None
        period = v.manifest.get("period") if v.manifest else None
        head = f" — scan of {scan['provider']} {scan['account']} finished {scan['finished_at']}" if scan else ""
        if period:
            head = f" — period report {period['from']} to {period['to']} made {period['generated_at']}"
        print(f"bundle: {v.path}{head}")
        width = max([len(m["member"]) for m in v.members] + [10])
        for m in v.members:
            detail = "" if m["status"] == "ok" else f"  {m['detail']}"
            print(f"  {STATUS_LABEL.get(m['status'], m['status']):<12} {m['member']:<{width}}{detail}".rstrip())
        sig = v.signature
        label = sig["status"] if sig["accepted"] else sig["status"].upper()
        print(f"signature: {label}" + (f" — {sig['detail']}" if sig.get("detail") else ""))
        if v.ok:
            what = "signed by a trusted key" if sig.get("pinned") else "integrity only: who sealed it is not checked"
            print(f"verified: {sum(1 for m in v.members if m['status'] == 'ok')} members match the manifest ({what})")
    if not v.ok:
        named = "; ".join(f"{f['member']} {f['status']}" for f in v.failures)
        print(f"genmei: error: {args.bundle}: verification failed: {named}", file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_OK


def signer_policy(args):
    """Trusted keys from --pub-key and --trusted-keys, else from the configuration's
    trusted-keys file; --allow-unsigned/--allow-unpinned only where no key is given."""
    from ..bundle import SignerPolicy
    from ..signing import default_trusted_keys_path, fingerprint, load_public_key, load_trusted_keys

    given = [opt for opt, value in (("--pub-key", args.pub_key), ("--trusted-keys", args.trusted_keys)) if value]
    waived = [opt for opt, value in (("--allow-unsigned", args.allow_unsigned), ("--allow-unpinned", args.allow_unpinned))
              if value]
    if given and waived:
        raise InputError(f"{given[0]} requires a signature by that key; {waived[0]} would accept less: give one or the other")
    trusted = {}
    if args.pub_key:
        trusted[fingerprint(load_public_key(args.pub_key))] = f"--pub-key {args.pub_key}"
    if args.trusted_keys:
        trusted.update({fp: f"--trusted-keys {args.trusted_keys}" for fp in load_trusted_keys(args.trusted_keys)
                        if fp not in trusted})
    configured = default_trusted_keys_path()
    if not given and configured.is_file():
        trusted = {fp: str(configured) for fp in load_trusted_keys(configured)}
    return SignerPolicy(trusted=trusted, allow_unsigned=args.allow_unsigned, allow_unpinned=args.allow_unpinned)


def cmd_keygen(args) -> int:
    from ..signing import PASSPHRASE_ENV, generate

    private = Path(args.out)
    public = Path(args.pub) if args.pub else private.with_name(private.name + ".pub")
    fp = generate(private, public)
    encrypted = f", encrypted with the passphrase in {PASSPHRASE_ENV}" if os.environ.get(PASSPHRASE_ENV) else ""
    print(f"private key: {private} (mode 0600{encrypted}; keep it secret)")
    print(f"public key: {public} (give it to auditors: genmei evidence verify BUNDLE --pub-key {public.name})")
    print(f"fingerprint: {fp}")
    return EXIT_OK


def register(sub) -> None:
    e = sub.add_parser("evidence", help="export a scan as a signed evidence bundle for auditors, verify one, make keys")
    esub = e.add_subparsers(dest="evidence_command", metavar="COMMAND", required=True, parser_class=type(e))

    x = esub.add_parser("export", help="write one zip: evidence, snapshot, policies, attestations, exceptions, "
                                       "manifest of SHA-256 digests, optional Ed25519 signature")
    src = x.add_mutually_exclusive_group(required=True)
    src.add_argument("--scan", metavar="RUN", help="a run from the scan history (id or unique prefix; scanned with --out)")
    src.add_argument("--evidence", metavar="DIR", help="an evidence directory written by `genmei scan --out DIR`")
    x.add_argument("--out", required=True, metavar="FILE", help="the bundle to write (bundle.zip)")
    x.add_argument("--sign-key", metavar="KEY", help="Ed25519 private key PEM (genmei evidence keygen) to sign the manifest")
    x.add_argument("--attach", action="append", metavar="FILE", help="also bundle this file as attachments/NAME (repeatable)")
    add_store_option(x)
    x.set_defaults(func=cmd_export)

    v = esub.add_parser("verify", help="recompute every digest and the signature of a bundle (exit 1 names what changed)",
                        description="Recompute every digest, check the signature and the zip container. Exit 0 only when "
                                    "every member matches the manifest and the bundle is signed by a trusted key: "
                                    "--pub-key, --trusted-keys, or ~/.config/genmei/trusted-keys ($XDG_CONFIG_HOME) "
                                    "when it exists. Exit 1 names what fails; 2 the bundle or a key cannot be read.")
    v.add_argument("bundle", metavar="BUNDLE")
    v.add_argument("--pub-key", metavar="KEY", help="Ed25519 public key PEM the bundle must be signed with")
    v.add_argument("--trusted-keys", metavar="FILE",
                   help="PEM public keys and/or fingerprints (64 hex digits), one per line: the bundle must be signed by one")
    v.add_argument("--allow-unsigned", action="store_true",
                   help="accept a bundle nobody signed (integrity only: anyone could have made it)")
    v.add_argument("--allow-unpinned", action="store_true",
                   help="accept a signature by a key that is not trusted (integrity only: anyone can re-seal a bundle)")
    v.add_argument("--format", choices=("table", "json"), default="table")
    v.set_defaults(func=cmd_verify)

    k = esub.add_parser("keygen", help="make an Ed25519 key pair for signing bundles (PEM; private key mode 0600)")
    k.add_argument("--out", required=True, metavar="KEY", help="private key file to write")
    k.add_argument("--pub", metavar="FILE", help="public key file to write (default: KEY.pub)")
    k.set_defaults(func=cmd_keygen)
