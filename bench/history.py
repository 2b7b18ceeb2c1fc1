"""`make bench`, the scan history: 1,000 daily scans of a 1,000-resource snapshot recorded
into each backend (an SQLite file; a PostgreSQL 15 server started for the run on a
loopback port, as tests/pg_server.py does), the time to record them and the size of the
database, then `genmei report period` over all of them in each format, as a child
process (target: under 10 s). Writes its own section of bench/results.md.

The runs are real engine output: twenty variants of the synthetic snapshot (each with a
different handful of resources made non-compliant) are evaluated once by the embedded
engine; day d records the evaluation of variant (d // 7) % 20 with that day's collection
and finish times, so failures open and close week by week as they would in an account.
Only the timestamps are set by the benchmark.
"""

import argparse
import copy
import json
import re
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench.run import child, machine, spread  # noqa: E402

RESULTS = ROOT / "bench" / "results.md"
BEGIN, END = "<!-- history: bench/history.py -->", "<!-- /history -->"
TARGET_REPORT_S = 10.0
FIRST_DAY = date(2024, 1, 1)


def variants(size: int, count: int) -> list[tuple[dict, list[dict]]]:
    """(evidence, resources) of `count` real evaluations of variants of one snapshot."""
    from bench.synthetic import generate
    from genmei.engine.attestations import load_attestations
    from genmei.engine.backends.embedded import EmbeddedBackend
    from genmei.engine.catalog import load_catalog
    from genmei.engine.exceptions import load_exceptions
    from genmei.engine.policies import load_bundle
    from genmei.engine.scan import run_scan
    from genmei.engine.snapshot import Snapshot
    from genmei.engine.jsonio import dump_json, sha256_hex

    base = generate(size)
    catalog, bundle, backend = load_catalog(), load_bundle(), EmbeddedBackend()
    examples = ROOT / "mappings" / "examples"
    attestations = load_attestations(str(examples / "attestations.yaml"), set(catalog.items))
    exceptions = load_exceptions(str(examples / "exceptions.yaml"))
    out = []
    for k in range(count):
        doc = copy.deepcopy(base)
        for r in doc["resources"][k * 7:k * 7 + 5]:  # a different handful each variant
            if r["type"] == "compute.disk":
                r["attrs"]["encrypted"] = False
            elif r["type"] == "storage.bucket":
                r["attrs"]["public"] = True
            elif r["type"] == "network.firewall":
                r["attrs"]["rules"].append({"direction": "ingress", "action": "allow", "protocol": "tcp",
                                            "port_ranges": [{"from": 22, "to": 22}], "sources": ["0.0.0.0/0"]})
        data = dump_json(doc)
        snap = Snapshot(doc=doc, sha256=sha256_hex(data), path=f"bench-variant-{k}.json")
        evidence = run_scan(snap, bundle, backend, catalog, attestations, exceptions, date(2026, 1, 1)).evidence
        out.append((evidence, doc["resources"]))
    return out


def day_evidence(evidence: dict, day: date) -> dict:
    at = datetime(day.year, day.month, day.day, 2, 15, tzinfo=timezone.utc)
    stamp = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    ev = {**evidence, "started_at": stamp(at), "finished_at": stamp(at + timedelta(seconds=40)), "as_of": day.isoformat()}
    ev["snapshot"] = {**evidence["snapshot"], "collected_at": stamp(at - timedelta(seconds=30))}
    return ev


def record(location: str, runs: int, scans, progress) -> dict:
    from genmei.engine.store import open_store

    times = []
    with open_store(location) as store:
        for d in range(runs):
            evidence, resources = scans[(d // 7) % len(scans)]
            ev = day_evidence(evidence, FIRST_DAY + timedelta(days=d))
            t0 = time.perf_counter()
            store.record(ev, resources, service="bench")
            times.append(time.perf_counter() - t0)
            if d % 100 == 99:
                progress(f"history: {location[:12]}… {d + 1}/{runs} runs recorded")
    return {"total_s": sum(times), "per_run_ms": sorted(times)[len(times) // 2] * 1000, "results": len(scans[0][0]["results"])}


def sqlite_size(path: Path) -> int:
    import sqlite3

    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def postgres_size(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]


def report_times(location: str, runs: int, repeat: int, tmp: Path, progress) -> dict:
    last = (FIRST_DAY + timedelta(days=runs - 1)).isoformat()
    out = {}
    for fmt in ("json", "html", "xlsx"):
        walls = []
        for i in range(repeat):
            progress(f"history: report period ({fmt}) {i + 1}/{repeat}")
            wall, _, text = child([sys.executable, "-m", "genmei.engine.cli", "report", "period", "--store", location,
                                   "--from", FIRST_DAY.isoformat(), "--to", last, "--service", "bench",
                                   "--out", str(tmp / f"period.{fmt}")])
            walls.append(wall)
        out[fmt] = {"walls": walls, "bytes": (tmp / f"period.{fmt}").stat().st_size}
    doc = json.loads((tmp / "period.json").read_text())
    out["figures"] = {"runs": doc["summary"]["runs"], "failures": doc["summary"]["failures"]["total"],
                      "fixed": doc["summary"]["failures"]["fixed"], "days": doc["period"]["days"]}
    return out


def render(rows: dict, runs: int, size: int, repeat: int) -> str:
    lines = [BEGIN, "", "## Scan history (`bench/history.py`: record runs, `report period` over them)", "",
             f"Measured on {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}; {machine()}.",
             f"{runs:,} daily runs of a {size:,}-resource synthetic snapshot (real evaluations of 20 variants; "
             f"{rows[next(iter(rows))]['record']['results']:,} results per run) recorded one transaction each through "
             "the store API; the database size after the last run (SQLite: the file with its WAL checkpointed; "
             "PostgreSQL: `pg_database_size`, a fresh database on a local 15 server, fsync off as in the tests); "
             f"then `genmei report period --service bench` over all of them as a child process, median (min–max) of "
             f"{repeat} runs.", "",
             f"| backend | record {runs:,} runs s | per run ms (median) | database MB | report json s | report html s | report xlsx s |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    verdicts = []
    for name, row in rows.items():
        rep = row["report"]
        lines.append(f"| {name} | {row['record']['total_s']:.1f} | {row['record']['per_run_ms']:.1f} | "
                     f"{row['size'] / 1e6:,.0f} | {spread(rep['json']['walls'])} | {spread(rep['html']['walls'])} | "
                     f"{spread(rep['xlsx']['walls'])} |")
        worst = max(max(rep[f]["walls"]) for f in ("json", "html", "xlsx"))
        verdicts.append((f"`report period` over {runs:,} runs ({name}), slowest format and run", f"{worst:.2f} s",
                         f"≤ {TARGET_REPORT_S:.0f} s", worst <= TARGET_REPORT_S))
    fig = rows[next(iter(rows))]["report"]["figures"]
    lines += ["", f"The report covers {fig['days']:,} days, {fig['runs']:,} runs, {fig['failures']:,} failures "
                  f"({fig['fixed']:,} fixed).", "", "| target | measured | target | met |", "|---|---:|---:|:---:|"]
    lines += [f"| {w} | {m} | {t} | {'yes' if ok else '**no**'} |" for w, m, t, ok in verdicts]
    return "\n".join(lines + ["", END]) + "\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=1000)
    p.add_argument("--size", type=int, default=1000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--backends", default="sqlite,postgresql")
    p.add_argument("--out", default=str(RESULTS))
    args = p.parse_args(argv)
    progress = lambda m: print(f"bench: {m}", file=sys.stderr, flush=True)  # noqa: E731
    progress(f"history: evaluating 20 variants of a {args.size:,}-resource snapshot")
    scans = variants(args.size, 20)
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for backend in args.backends.split(","):
            if backend == "sqlite":
                location = str(tmp / "history.sqlite")
            else:
                import pg_server
                location = pg_server.server().new_database()
            rec = record(location, args.runs, scans, progress)
            size = sqlite_size(Path(location)) if backend == "sqlite" else postgres_size(location)
            rows[backend] = {"record": rec, "size": size, "report": report_times(location, args.runs, args.repeat, tmp, progress)}
    section = render(rows, args.runs, args.size, args.repeat)
    out = Path(args.out)
    text = out.read_text() if out.exists() else ""
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END) + "\n?", lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    out.write_text(text)
    print(section)
    return 0 if all(max(max(r["report"][f]["walls"]) for f in ("json", "html", "xlsx")) <= TARGET_REPORT_S
                    for r in rows.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
