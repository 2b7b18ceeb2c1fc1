"""`genmei history` (list, migrate, prune), `genmei diff` and `genmei trend`: the scan
history kept by `scan` (engine/store/), listed, copied, pruned, compared and followed."""

import sys
from datetime import datetime, timedelta, timezone

from ..errors import EXIT_FINDINGS, EXIT_OK, InputError

STORE_HELP = ("scan history: an SQLite file, or postgresql://USER@HOST:PORT/DATABASE (password from PGPASSWORD or "
              "~/.pgpass) (default: $GENMEI_STORE, else $XDG_DATA_HOME/genmei/history.sqlite, "
              "else ~/.local/share/genmei/history.sqlite)")
# The CS mark's licence runs 3 years 6 months from the audit report (seed 003): evidence kept less long may be
# needed by an auditor while the mark is still in use.
CS_MARK_DAYS = 3 * 365 + 183


def add_store_option(p, scan: bool = False) -> None:
    p.add_argument("--store", metavar="PATH|URL", help=STORE_HELP)
    if scan:
        p.add_argument("--no-store", action="store_true", help="do not record this run in the scan history")
        p.add_argument("--service", metavar="NAME",
                       help="record the run under this service (report a service over its accounts: "
                            "report period --service NAME)")


def open_store(args, create: bool):
    """The history store named by --store (or the default), None under --no-store."""
    from ..store import default_store, open_store as open_at

    if getattr(args, "no_store", False):
        if args.store:
            raise InputError("--store and --no-store contradict each other")
        return None
    return open_at(args.store or default_store(), create=create)


def positive(value: str, option: str = "--last") -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise InputError(f"{option} {value!r}: expected a positive whole number")
    return n


def pick_account(store, account: str | None) -> str:
    """--account, else the account of the most recent run."""
    accounts = store.accounts()
    if not accounts:
        raise InputError(f"{store.location}: no runs recorded yet")
    if account is None:
        return accounts[0]
    if account not in accounts:
        raise InputError(f"--account {account!r}: no runs of it in {store.location} (accounts: {', '.join(accounts)})")
    return account


def cmd_history(args) -> int:
    from ..jsonio import dump_json
    from ..render.escape import terminal
    from ..vocabulary import SUMMARY_ORDER

    with open_store(args, create=False) as store:
        runs = store.runs(args.account, positive(args.last), covering=True)
        rows = [{**r, "judgements": {k: v["judgement"] for k, v in store.judgements(r).items()}} for r in runs]
    if args.format == "json":
        sys.stdout.write(dump_json(rows).decode())
        return EXIT_OK
    if not rows:
        print(f"no runs{' of account ' + args.account if args.account else ''} in {store.location}")
        return EXIT_OK
    print(f"{'run':<28} {'finished':<21} {'account':<24} {'res':>5} " + " ".join(f"{c[:6]:>6}" for c in SUMMARY_ORDER)
          + f" {'×':>3}  evidence")
    for r in rows:
        crosses = sum(1 for risk, j in r["judgements"].items() if j == "×" and risk[0] in "HM")
        counts = " ".join(f"{r['summary'].get(c, 0):>6}" for c in SUMMARY_ORDER)
        print(terminal(f"{r['id']:<28} {r['finished_at']:<21} {scanned(r):<24} "
                       f"{r['resource_count']:>5} {counts} {crosses:>3}  {r['evidence_dir'] or '-'}"))
    return EXIT_OK


def scanned(run: dict) -> str:
    """What a run scanned: `aws 123456789012`, or a service run's name and its sources."""
    if run.get("sources"):
        return f"service {run['account']} ({len(run['sources'])} sources)"
    return f"{run['provider']} {run['account']}"


def cmd_diff(args) -> int:
    from ..compare import diff_runs
    from ..jsonio import dump_json

    with open_store(args, create=False) as store:
        if args.runs:
            if len(args.runs) != 2:
                raise InputError("diff takes two runs (RUN_A RUN_B) or none (the last two runs of an account)")
            a, b = (store.run(ref) for ref in args.runs)
        else:
            account = pick_account(store, args.account)
            last = store.runs(account, 2)
            if len(last) < 2:  # the first scheduled run: nothing to compare yet, and no alarm
                print(f"account {account} has one run in {store.location} ({last[0]['id']}); nothing to compare yet")
                return EXIT_OK
            a, b = last
        d = diff_runs(store, a, b)
    if args.format == "json":
        sys.stdout.write(dump_json(d).decode())
    else:
        sys.stdout.write(render_diff(d))
    return EXIT_FINDINGS if d["new_failures"] else EXIT_OK


def render_diff(d: dict) -> str:
    """The diff for a terminal: every value from the runs (ids, names, reasons) goes
    through escape.terminal, so none can move the cursor or fake a line."""
    from ..render.escape import terminal

    a, b = d["from"], d["to"]
    lines = [f"diff {a['id']} → {b['id']} · {scanned(b)}"]
    if not d["same_account"]:
        lines.append(f"note: the runs are of different accounts ({a['provider']} {a['account']} → {b['provider']} {b['account']})")
    changed = [name for name, key in (("snapshot", "snapshot_changed"), ("policy bundle", "policy_bundle_changed"),
                                      ("catalog", "catalog_changed")) if d[key]]
    lines.append(f"changed between the runs: {', '.join(changed) if changed else 'nothing (same snapshot, policies and catalog)'}")
    titles = (("new_failures", "new failures"), ("fixed", "fixed"), ("still_failing", "still failing"),
              ("other_changes", "other status changes"))
    for key, title in titles:
        lines += ["", f"{title} ({len(d[key])})" + (":" if d[key] else "")]
        for f in d[key]:
            was = "" if key == "still_failing" else f"  ({f['from'] or 'absent'} → {f['to'] or 'absent'})"
            lines.append(f"  {f['severity']:8} {f['check']} {f['resource']} [{', '.join(f['risks'])}]{was} {f['reason']}")
    lines += ["", f"resources: {len(d['resources_added'])} added, {len(d['resources_removed'])} removed, "
                  f"{len(d['resources_changed'])} changed"]
    for mark, key in (("+", "resources_added"), ("-", "resources_removed"), ("~", "resources_changed")):
        lines += [f"  {mark} {r['type']} {r['id']}" for r in d[key]]
    lines += ["", f"judgement changes ({len(d['judgement_changes'])})" + (":" if d["judgement_changes"] else "")]
    for j in d["judgement_changes"]:
        items = ", ".join(f"{i['item']} {i['from'] or 'absent'} → {i['to'] or 'absent'}" for i in j["items"])
        scope = "" if j["basic_statement"] else " (outside the basic statement)"
        lines.append(f"  {j['risk']}  {j['from'] or '-'} → {j['to'] or '-'}{scope}" + (f"  [{items}]" if items else ""))
    return "\n".join(map(terminal, lines)) + "\n"


def cmd_trend(args) -> int:
    from ..compare import trend
    from ..jsonio import dump_json

    with open_store(args, create=False) as store:
        account = pick_account(store, args.account)
        t = trend(store, store.runs(account, positive(args.last)))
    if not args.all:
        t["risks"] = {k: v for k, v in t["risks"].items() if v["basic_statement"]}
    if args.format == "json":
        sys.stdout.write(dump_json(t).decode())
        return EXIT_OK
    from ..render.escape import terminal
    from ..render.table import fit

    runs = t["runs"]
    lines = [f"{scanned(runs[-1])} · {len(runs)} run(s), oldest first"]
    for n, r in enumerate(runs, 1):
        lines.append(f"  #{n:<3} {r['id']:<28} {r['finished_at']}  FAIL {r['summary'].get('FAIL', 0)}")
    lines += ["", "risk  " + " ".join(fit(f"#{n}", 6) for n in range(1, len(runs) + 1)).rstrip()]
    for risk, row in t["risks"].items():
        lines.append(f"{risk:<5} " + " ".join(fit(j or "-", 6) for j in row["judgements"]).rstrip())
    lines += ["", "○ satisfied · × not satisfied · 未評価 not evaluated · - not in that run (judgements are proposals)"]
    sys.stdout.write("\n".join(map(terminal, lines)) + "\n")
    return EXIT_OK


def cmd_migrate(args) -> int:
    """Copy every run (and every sealed report's record) of one store into another, each
    run in its own transaction and checked against its record digest; runs already
    there with the same digest are left as they are, so an interrupted copy can resume."""
    from ..jsonio import dump_json
    from ..store import open_store as open_at
    from ..store.records import record_digest

    with open_at(args.source, create=False) as src, open_at(args.target, create=True) as dst:
        if (src.backend, src.location) == (dst.backend, dst.location):
            raise InputError("--from and --to name the same store")
        there = dst.digests()
        copied, present = [], []
        for run in src.runs():
            if run["id"] in there:
                if there[run["id"]] != run["record_sha256"]:
                    raise InputError(f"{dst.location}: holds another run with the id {run['id']} "
                                     "(its record differs); nothing more copied")
                present.append(run["id"])
                continue
            record = src.read_record(run)
            if record_digest(record) != run["record_sha256"]:
                raise InputError(f"{src.location}: run {run['id']} no longer matches its record digest; not copied")
            dst.write(record, keep_id=True)
            copied.append(run["id"])
        sealed_there = {s["manifest_sha256"] for s in dst.seals()}
        seals = 0
        for seal in src.seals():
            if seal["manifest_sha256"] not in sealed_there:
                dst.add_seal(seal, src.seal_run_ids(seal["id"]))
                seals += 1
        # Each copy read back from the target must hash to its source's digest.
        source = {run["id"]: run["record_sha256"] for run in src.runs()}
        bad = [rid for rid in copied if record_digest(dst.read_record(dst.run(rid))) != source[rid]]
        copies = dst.digests()
    summary = {"from": src.location, "to": dst.location, "copied": len(copied), "already_there": len(present),
               "seals_copied": seals, "runs_in_target": len(copies)}
    if bad:
        raise InputError(f"{dst.location}: copies of {', '.join(bad)} do not match their source digests")
    if args.format == "json":
        sys.stdout.write(dump_json(summary).decode())
    else:
        print(f"copied {len(copied)} run(s) and {seals} sealed report record(s) from {src.location} to {dst.location} "
              f"({len(present)} already there, each checked against its record digest); {len(copies)} run(s) there now")
    return EXIT_OK


def cmd_prune(args) -> int:
    from ..jsonio import dump_json

    keep = positive(args.keep_days, "--keep-days")
    cutoff = (datetime.now(timezone.utc) - timedelta(days=keep)).strftime("%Y-%m-%dT%H:%M:%SZ")
    if keep < CS_MARK_DAYS:
        from .. import console

        console.warn(f"--keep-days {keep} is shorter than the CS mark's licence period (3 years 6 months, "
                     f"{CS_MARK_DAYS} days, seed 003): an auditor may ask for evidence of runs pruned now while the mark "
                     "is in use")
    with open_store(args, create=False) as store:
        done = store.prune(cutoff, dry_run=args.dry_run)
    if args.format == "json":
        sys.stdout.write(dump_json({"cutoff": cutoff, **done}).decode())
        return EXIT_OK
    verb = "would delete" if args.dry_run else "deleted"
    print(f"{verb} {len(done['deleted'])} run(s) observed before {cutoff} from {store.location}")
    for r in done["deleted"]:
        print(f"  - {r['id']}  {r['observed_at']}")
    print(f"kept {len(done['kept_sealed'])} older run(s) that sealed period reports rest on")
    if not args.dry_run:
        removed = done["removed"]
        print(f"removed what no run refers to any more: {removed['findings']} finding(s), {removed['outcomes']} outcome(s), "
              f"{removed['resource_states']} resource state(s)")
    return EXIT_OK


def register(sub) -> None:
    h = sub.add_parser("history", help="list the scans recorded in the scan history; copy (migrate) or prune it",
                       description="Without a command: list the recorded runs.")
    h.add_argument("--account", metavar="ID", help="only runs of this account (with the service runs that covered it) "
                                                  "or of this service")
    h.add_argument("--last", default="20", metavar="N", help="the N most recent runs (default: 20)")
    h.add_argument("--format", choices=("table", "json"), default="table")
    add_store_option(h)
    h.set_defaults(func=cmd_history)
    hsub = h.add_subparsers(dest="history_command", metavar="COMMAND", parser_class=type(h))
    m = hsub.add_parser("migrate", help="copy every run of one store into another (e.g. SQLite → PostgreSQL)")
    m.add_argument("--from", dest="source", required=True, metavar="PATH|URL", help="the store to copy")
    m.add_argument("--to", dest="target", required=True, metavar="PATH|URL", help="the store to copy into (created if new)")
    m.add_argument("--format", choices=("table", "json"), default="table")
    m.set_defaults(func=cmd_migrate)
    pr = hsub.add_parser("prune", help="delete runs older than N days, except those sealed period reports rest on")
    pr.add_argument("--keep-days", required=True, metavar="N", help="keep the runs observed in the last N days")
    pr.add_argument("--dry-run", action="store_true", help="only list what would be deleted")
    pr.add_argument("--format", choices=("table", "json"), default="table")
    add_store_option(pr)
    pr.set_defaults(func=cmd_prune)

    d = sub.add_parser("diff", help="compare two recorded runs: new failures, fixed, still failing, resources, judgements "
                                    "(exit 1 when the newer run has new failures)")
    d.add_argument("runs", nargs="*", metavar="RUN", help="RUN_A RUN_B: ids or unique id prefixes (default: the last two runs)")
    d.add_argument("--account", metavar="ID", help="without RUN ids: the last two runs of this account, or of this service "
                                                  "(default: of the latest run)")
    d.add_argument("--format", choices=("table", "json"), default="table")
    add_store_option(d)
    d.set_defaults(func=cmd_diff)

    t = sub.add_parser("trend", help="per-risk judgement over the recorded runs of one account")
    t.add_argument("--account", metavar="ID", help="the account, or the service (default: of the latest run)")
    t.add_argument("--last", default="10", metavar="N", help="the N most recent runs (default: 10)")
    t.add_argument("--all", action="store_true", help="also L12–L21, outside the basic statement")
    t.add_argument("--format", choices=("table", "json"), default="table")
    add_store_option(t)
    t.set_defaults(func=cmd_trend)
