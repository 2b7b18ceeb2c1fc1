"""`make bench`: measure genmei and write bench/results.md. Every figure in that file is
measured by this run; nothing is written by hand.

Sections:
- scaling: synthetic canonical snapshots of 1,000 / 10,000 / 100,000 resources evaluated
  with every shipped check, each in a child process (wall time of load + evaluate +
  assess, peak RSS of the process tree), and the ratio time(100k) / time(10k);
- account: the moto reference account of the demo, `genmei scan aws` end to end
  (collect + evaluate + evidence), wall time and API calls;
- gate: generated Terraform plans of 1,000 and 50,000 resources through `genmei gate`;
- realistic: snapshots of real collector output with its `raw` API objects
  (bench/realistic.py: the demo's snapshot repeated) of 100,000 and 1,000,000 resources,
  `genmei scan --snapshot FILE --out DIR` end to end, without and with the scan history
  (wall time, peak RSS of the process tree), and where the time goes (bench/measure_scan.py).
"""

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGETS = {"eval_100k_s": 10.0, "rss_100k_mb": 1536.0, "ratio": 12.0, "gate_1k_s": 2.0, "gate_50k_s": 15.0,
           "real_100k_s": 10.0, "real_1m_s": 90.0, "real_1m_mb": 3072.0, "real_ratio": 12.0}
# A realistic snapshot of a million resources is ~1.6 GB, over the default input limit.
REALISTIC_ENV = {"GENMEI_MAX_INPUT_BYTES": str(4 << 30)}
STAGES = ("read", "parse", "validate", "engine", "records", "assess", "render", "write", "history")


# A child whose process tree grows beyond this is stopped (the machine may be shared).
MAX_TREE_KB = int(os.environ.get("BENCH_MAX_TREE_MB", "12000")) * 1024


def tree_pids(pid: int) -> list[int]:
    """A process and its descendants, now."""
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        out.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return out


def tree_rss_kb(pid: int) -> int:
    """Resident set of a process and all its descendants, now (0 once it is gone)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
            with open(f"/proc/{p}/task/{p}/children") as f:
                stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def child(args: list[str], env=None) -> tuple[float, int, str]:
    """Run a child; return (wall seconds, peak RSS in MB of its process tree, stdout)."""
    run = run_child(args, env)
    return run["wall"], run["peak_mb"], run["stdout"]


def run_child(args: list[str], env=None) -> dict:
    """Run a child: wall seconds, peak RSS in MB of its process tree, CPU seconds, stdout.

    The tree's RSS (the child plus, say, its OPA worker processes) is summed every 20 ms:
    the peak of what was resident at one time, which wait4 cannot give (its figure is
    the largest single process). CPU is user + system of the child and the children it
    waited for (wait4): steadier than wall time on a shared machine."""
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.PIPE, env=env, cwd=ROOT)
        peak, killed = [0], [False]
        done = threading.Event()

        def sample():
            while not done.wait(0.02):
                peak[0] = max(peak[0], tree_rss_kb(proc.pid))
                if peak[0] > MAX_TREE_KB:  # the machine is shared: stop before it swaps
                    killed[0] = True
                    for pid in tree_pids(proc.pid):
                        try:
                            os.kill(pid, 9)
                        except OSError:
                            pass
                    return

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode(errors="replace")
        out.seek(0)
        text = out.read().decode()
    if killed[0]:
        raise SystemExit(f"bench: {' '.join(map(str, args))} stopped: its process tree passed {MAX_TREE_KB // 1024:,} MB "
                         "(BENCH_MAX_TREE_MB)")
    if proc.returncode not in (0, 1):
        raise SystemExit(f"bench: {' '.join(map(str, args))} exited {proc.returncode}: {err.strip()[-500:]}")
    return {"wall": wall, "peak_mb": max(peak[0], usage.ru_maxrss) // 1024, "stdout": text,
            "cpu": usage.ru_utime + usage.ru_stime}


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def scaling(sizes: list[int], runs: int, progress) -> dict:
    from bench.synthetic import generate
    from genmei.engine.jsonio import dump_json

    rows = {}
    for n in sizes:
        walls, rss, bound, figures = [], [], [], None
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"snapshot-{n}.json"
            path.write_bytes(dump_json(generate(n)))
            for i in range(runs):
                progress(f"scaling: {n:,} resources, run {i + 1}/{runs}")
                _, peak, text = child([sys.executable, "bench/measure_eval.py", str(path)])
                figures = json.loads(text)
                walls.append(figures["load_s"] + figures["eval_s"])
                rss.append(peak)
                bound.append(figures["rss_kb"] // 1024)
        rows[n] = {"walls": walls, "rss": rss, "bound": bound, "figures": figures}
    return rows


def account(runs: int, progress) -> dict:
    from genmei.collectors.aws.reference_account import DEMO_ARGS, moto_server, scan_environment, seed

    walls, calls = [], None
    with moto_server() as endpoint, tempfile.TemporaryDirectory() as tmp:
        progress("account: seeding the moto reference account")
        seed(endpoint)
        env = {**scan_environment(endpoint), "XDG_DATA_HOME": tmp}
        for i in range(runs):
            progress(f"account: scan {i + 1}/{runs}")
            out = Path(tmp) / f"run{i}"
            wall, _, _ = child([sys.executable, "-m", "genmei.engine.cli", "scan", "aws", *DEMO_ARGS, "--out", str(out)], env=env)
            walls.append(wall)
            snapshot = json.loads((out / "snapshot.json").read_text())
            calls = sum(snapshot["meta"].get("api_calls", {}).values())
            resources = len(snapshot["resources"])
    return {"walls": walls, "api_calls": calls, "resources": resources}


def gate(size: int, runs: int, progress) -> dict:
    from bench.tfplan import generate

    walls = []
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "plan.json"
        plan.write_text(json.dumps(generate(size)))
        for i in range(runs):
            progress(f"gate: {size:,}-resource plan, run {i + 1}/{runs}")
            wall, _, text = child([sys.executable, "-m", "genmei.engine.cli", "gate", str(plan), "--format", "json", "--fail-on", "none"])
            walls.append(wall)
        summary = json.loads(text)["summary"]
    return {"walls": walls, "results": summary["results"], "size": size}


def realistic(sizes: list[int], runs: int, kinds: set[str], progress) -> dict:
    """`genmei scan --snapshot --out` over realistic snapshots, `runs` times each (once
    from a million resources on: a run takes minutes): *plain* with --no-store, *stored*
    with a fresh SQLite history; then *stages*, once, in bench/measure_scan.py (with the
    history below a million resources, without it from there)."""
    from bench.realistic import write

    rows = {}
    env = {**os.environ, **REALISTIC_ENV}
    for n in sizes:
        row = {"plain": [], "stored": [], "load": []}  # (wall, peak MB, CPU s) per run
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"realistic-{n}.json"
            progress(f"realistic: writing {n:,} resources")
            row["bytes"] = write(path, n)
            for i in range(runs if n < 1_000_000 else 1):
                for kind in ("plain", "stored"):
                    if kind not in kinds:
                        continue
                    progress(f"realistic: {n:,} resources, {kind}, run {i + 1}")
                    store = ["--store", str(Path(tmp) / f"h{i}.sqlite")] if kind == "stored" else ["--no-store"]
                    row["load"].append(os.getloadavg()[0])
                    run = run_child([sys.executable, "-m", "genmei.engine.cli", "scan", "--snapshot", str(path),
                                     "--out", str(Path(tmp) / "out"), "--fail-on", "none", *store], env=env)
                    row[kind].append((run["wall"], run["peak_mb"], run["cpu"]))
            if "stages" in kinds:
                progress(f"realistic: {n:,} resources, stages")
                store = ["--store", str(Path(tmp) / "stages.sqlite")] if n < 1_000_000 else []
                text = run_child([sys.executable, "bench/measure_scan.py", str(path), str(Path(tmp) / "out"), *store],
                                 env=env)["stdout"]
                row["stages"] = json.loads(text.strip().splitlines()[-1])
        rows[n] = row
    return rows


REAL_BEGIN, REAL_END = "<!-- realistic: {label} -->", "<!-- /realistic: {label} -->"


def realistic_lines(rows: dict, label: str) -> list[str]:
    """The realistic section, its own targets with it, between markers named by `label`
    (a later `--sections realistic` run replaces only the section of its label)."""
    verdicts: list = []
    lines = [REAL_BEGIN.format(label=label), "",
             f"## Realistic snapshots: {label} (collector output with `raw`, `genmei scan --snapshot --out`, whole command)", "",
             f"Measured on {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}, {machine()}.", "",
             "The demo's snapshot (bench/realistic-seed.json, 56 resources of the moto reference account with their",
             "API objects) repeated with unique ids (bench/realistic.py). *no history*: `--no-store`; *history*: the",
             "run also recorded in a fresh SQLite store. Peak RSS of the process tree, summed every 20 ms. The machine",
             "is shared: *load* is the 1-minute load average when each run started, and *CPU s* (user + system of",
             "the process tree) is steadier than wall time when it is high.", "",
             "| resources | file MB | no history: wall s | CPU s | peak MB | history: wall s | CPU s | peak MB | load |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    def cells(runs):
        if not runs:
            return "– | – | –"
        return f"{spread([r[0] for r in runs])} | {spread([r[2] for r in runs])} | {statistics.median([r[1] for r in runs]):,.0f}"

    for n, row in rows.items():
        lines.append(f"| {n:,} | {row['bytes'] / 1e6:,.0f} | {cells(row['plain'])} | {cells(row['stored'])} | "
                     f"{', '.join(f'{x:.1f}' for x in row['load'])} |")
    staged = {n: row["stages"] for n, row in rows.items() if row.get("stages")}
    if staged:  # the stages table only when `stages` was run (--realistic-kinds)
        lines += ["", "Where the time goes (one run, bench/measure_scan.py: each stage's own wall seconds; with the history",
                  "below a million resources; *engine* is OPA in the worker processes, with their answers turned into",
                  "results as they come in (a snapshot beyond 5,000 resources); *records* the rest of checking the engine's",
                  "output and turning it into results; *validate* includes keeping each block's resources):", "",
                  "| resources | " + " | ".join(STAGES) + " | other | total |", "|---:|" + "---:|" * (len(STAGES) + 2)]
    for n, st in staged.items():
        lines.append(f"| {n:,} | " + " | ".join(f"{st['stages'].get(s, 0):.1f}" for s in STAGES)
                     + f" | {st['other_s']:.1f} | {st['total_s']:.1f} |")
    if rows.get(100_000, {}).get("plain"):
        t100 = statistics.median([r[0] for r in rows[100_000]["plain"]])
        verdicts.append(("realistic 100,000 scanned (no history)", f"{t100:.1f} s", f"≤ {TARGETS['real_100k_s']:.0f} s",
                         t100 <= TARGETS["real_100k_s"]))
    if rows.get(1_000_000, {}).get("plain"):
        t1m = statistics.median([r[0] for r in rows[1_000_000]["plain"]])
        p1m = statistics.median([r[1] for r in rows[1_000_000]["plain"]])
        verdicts += [("realistic 1,000,000 scanned (no history)", f"{t1m:.1f} s", f"≤ {TARGETS['real_1m_s']:.0f} s",
                      t1m <= TARGETS["real_1m_s"]),
                     ("peak RSS at realistic 1,000,000", f"{p1m:,.0f} MB", f"≤ {TARGETS['real_1m_mb']:,.0f} MB",
                      p1m <= TARGETS["real_1m_mb"])]
        if rows.get(100_000, {}).get("plain"):
            ratio = t1m / t100
            verdicts.append(("realistic time(1M)/time(100k)", f"{ratio:.1f}", f"≤ {TARGETS['real_ratio']:.0f}",
                             ratio <= TARGETS["real_ratio"]))
    if verdicts:
        lines += ["", f"Targets ({label}):", "", "| what | measured | target | met |", "|---|---:|---:|:---:|"]
        lines += [f"| {w} | {m} | {t} | {'yes' if ok else '**no**'} |" for w, m, t, ok in verdicts]
    return lines + ["", REAL_END.format(label=label)]


def splice(text: str, section: str, label: str) -> str:
    """`text` with the realistic section of `label` replaced by `section` (or added)."""
    begin, end = REAL_BEGIN.format(label=label), REAL_END.format(label=label)
    if begin in text:
        return re.sub(re.escape(begin) + ".*?" + re.escape(end) + "\n?", lambda _: section + "\n", text, flags=re.S)
    return text.rstrip("\n") + "\n\n" + section + "\n"


def git_describe() -> str:
    try:
        return subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "(no git)"


def versions() -> str:
    names = ["opa-golib-python-bindings", "opa-python-client", "boto3", "moto", "jsonschema", "fastjsonschema"]
    found = []
    for n in names:
        try:
            found.append(f"{n} {metadata.version(n)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(found)


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({model}), {mem} GiB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


# The gate's plan sizes and the time each must gate within (whole command).
GATE_SIZES = {1_000: "gate_1k_s", 50_000: "gate_50k_s"}


def render(scale: dict, acct: dict | None, gates: list[dict], runs: int) -> str:
    from genmei.engine import __version__

    lines = [
        "# genmei benchmark results",
        "",
        f"Measured by `make bench` on {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}; "
        "medians with min–max over the runs. Do not edit: run `make bench` again.",
        "",
        f"- machine: {machine()}",
        f"- genmei {__version__}; {versions()}",
        "",
        "## Scaling (synthetic snapshots, every shipped check, embedded OPA)",
        "",
        "Wall time is load + schema validation + evaluation + assessment in one process;",
        "peak RSS is the process tree's (the evaluating process and its OPA worker processes),",
        "summed every 20 ms; *bound* adds up each process's own peak (wait4-style), an upper",
        "bound, since the peaks need not coincide.",
        "",
        "| resources | checks | results | FAIL | OPA workers | wall s | peak RSS MB | bound MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, row in scale.items():
        f = row["figures"]
        lines.append(f"| {f['resources']:,} | {f['checks']} | {f['results']:,} | {f['fail']:,} | {f['workers'] or 'in process'} | {spread(row['walls'])} | "
                     f"{statistics.median(row['rss']):,.0f} | {statistics.median(row['bound']):,.0f} |")
    verdicts = []
    if 10_000 in scale and 100_000 in scale:
        t10, t100 = statistics.median(scale[10_000]["walls"]), statistics.median(scale[100_000]["walls"])
        rss100 = statistics.median(scale[100_000]["rss"])
        ratio = t100 / t10
        lines += ["", f"time(100k) / time(10k) = **{ratio:.1f}** (target ≤ {TARGETS['ratio']:.0f})"]
        verdicts += [
            ("100,000 resources evaluated", f"{t100:.1f} s", f"≤ {TARGETS['eval_100k_s']:.0f} s", t100 <= TARGETS["eval_100k_s"]),
            ("peak RSS at 100,000", f"{rss100:,.0f} MB", f"≤ {TARGETS['rss_100k_mb']:,.0f} MB", rss100 <= TARGETS["rss_100k_mb"]),
            ("time(100k)/time(10k)", f"{ratio:.1f}", f"≤ {TARGETS['ratio']:.0f}", ratio <= TARGETS["ratio"]),
        ]
    if acct:
        lines += ["", "## Account scan (moto reference account, `genmei scan aws`, collect + evaluate + evidence)", "",
                  f"- {acct['resources']} resources, {acct['api_calls']} API calls per scan",
                  f"- wall time: {spread(acct['walls'])} s over {len(acct['walls'])} runs"]
    if gates:
        lines += ["", "## Gate (`genmei gate` on generated plans, whole command)", ""]
    for gt in gates:
        t, target = statistics.median(gt["walls"]), TARGETS[GATE_SIZES[gt["size"]]]
        lines.append(f"- {gt['size']:,}-resource plan: {gt['results']:,} results; wall time: {spread(gt['walls'])} s "
                     f"over {len(gt['walls'])} runs")
        verdicts.append((f"gate on a {gt['size']:,}-resource plan", f"{t:.2f} s", f"≤ {target:.0f} s", t <= target))
    if verdicts:
        lines += ["", "## Targets", "", "| what | measured | target | met |", "|---|---:|---:|:---:|"]
        lines += [f"| {w} | {m} | {t} | {'yes' if ok else '**no**'} |" for w, m, t, ok in verdicts]
    lines += ["", "Peers (Prowler, checkov): `make bench-peers`, not part of this file.", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python bench/run.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1000,10000,100000", help="synthetic snapshot sizes (default: 1000,10000,100000)")
    p.add_argument("--runs", type=int, default=3, help="runs per measurement (default: 3)")
    p.add_argument("--sections", default="scaling,account,gate,realistic", help="which sections to run")
    p.add_argument("--realistic-kinds", default="plain,stored,stages",
                   help="what the realistic section runs: plain (--no-store), stored (with a history), stages "
                        "(bench/measure_scan.py) (default: all three)")
    p.add_argument("--label", default="genmei " + git_describe(),
                   help="names the realistic section (default: genmei and its commit); `--sections realistic` alone "
                        "replaces that section of --out and keeps the rest")
    p.add_argument("--realistic-sizes", default="100000,1000000",
                   help="realistic snapshot sizes (default: 100000,1000000; a million takes minutes and ~1.6 GB of disk)")
    p.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    args = p.parse_args(argv)
    sections = set(args.sections.split(","))

    def progress(message):
        print(f"bench: {message}", file=sys.stderr, flush=True)

    scale = scaling([int(x) for x in args.sizes.split(",")], args.runs, progress) if "scaling" in sections else {}
    acct = account(args.runs, progress) if "account" in sections else None
    gates = [gate(n, args.runs, progress) for n in GATE_SIZES] if "gate" in sections else []
    real = realistic([int(x) for x in args.realistic_sizes.split(",")], args.runs, set(args.realistic_kinds.split(",")),
                     progress) \
        if "realistic" in sections else None
    out = Path(args.out)
    existing = out.read_text(encoding="utf-8") if out.exists() else ""
    if sections == {"realistic"} and existing:
        text = existing
    else:
        text = render(scale, acct, gates, args.runs)
        # The marked blocks other runs wrote (bench/history.py, realistic runs under their
        # labels) stay: a partial run replaces only what it measured.
        kept = existing.find("\n<!-- ")
        if kept >= 0:
            text = text.rstrip("\n") + "\n" + existing[kept:]
    if real:
        text = splice(text, "\n".join(realistic_lines(real, args.label)), args.label)
    out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
