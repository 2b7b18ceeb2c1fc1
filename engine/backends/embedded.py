"""The real OPA evaluator, embedded (opa-golib-python-bindings: OPA's Go engine via ctypes):
in this process for a small snapshot, in worker processes for a large one."""


import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from ..checks import walk_packages
from ..errors import EngineError
from ..extras import engine_missing
from ..jsonio import compact_json, parse_json
from ..policies import PolicyBundle
from ..snapshot import plain_input
from .embedded_worker import error_text, load_policies, read_frame, write_frame
from .interface import CHECKS_PATH, PARAMS_PATH, SNAPSHOTS_PATH, Backend, convert_document, new_snapshot_ref


def new_engine():
    """An OpaEngine, or a clear error when the pinned bindings are not installed."""
    try:
        from opa_bindings import OpaEngine
    except ImportError:
        raise engine_missing() from None
    except OSError as e:  # the shared library failed to load (libc too old, wrong arch)
        raise EngineError(f"embedded OPA engine failed to load: {e}") from None
    return OpaEngine()


# Up to this many resources, a snapshot is evaluated in this process, in one engine:
# starting worker processes would cost more than it saves.
IN_PROCESS_LIMIT = 5_000
# Beyond it, worker processes evaluate partitions of this many resources. Checks judge
# one resource at a time (joins between resources are made by the normalisers, into
# attrs, or by engine/snapshot.py evaluation_input over the whole snapshot), so partitions are independent; small ones keep each evaluation's Go heap
# small, and the collector's work with it (measured on 100,000 resources: partitions of
# 1,000 evaluated in about two thirds of the time of partitions of 5,000).
PARTITION_SIZE = 1_000


def partitions(snapshot_input: dict, size: int = PARTITION_SIZE) -> list[dict]:
    """Split {meta, resources: {type: {id: r}}} into inputs of at most `size` resources."""
    parts, current, count = [], {}, 0
    for rtype, by_id in snapshot_input["resources"].items():
        for rid, resource in by_id.items():
            if count == size:
                parts.append(current)
                current, count = {}, 0
            current.setdefault(rtype, {})[rid] = resource
            count += 1
    parts.append(current)
    return [{"meta": snapshot_input["meta"], "resources": p} for p in parts]


class EmbeddedBackend(Backend):
    """One partition: evaluated in this process. More: a skeleton document (METADATA, no
    resources) in this process, then the partitions' results in worker processes
    (engine/backends/embedded_worker.py), one per available core, in parallel."""

    name = "embedded"

    def __init__(self, workers: int | None = None, partition_size: int = PARTITION_SIZE,
                 in_process_limit: int = IN_PROCESS_LIMIT):
        self.workers = workers or min(MAX_WORKERS, len(os.sched_getaffinity(0)))
        self.partition_size = partition_size
        self.in_process_limit = in_process_limit
        self.worker_peak_rss_kb: list[int] = []  # of the last evaluation's workers

    def evaluate(self, bundle: PolicyBundle, snapshot_input: dict, records=None) -> dict:
        if sum(len(by_id) for by_id in snapshot_input["resources"].values()) <= self.in_process_limit:
            doc = self._evaluate_one(bundle, snapshot_input)
            return convert_document(doc, bundle, records, snapshot_input["resources"])
        parts = partitions(snapshot_input, self.partition_size)
        # METADATA is the same for every partition: read once, from a skeleton document
        # (no resources); the workers are asked for every package's results, nothing else.
        skeleton = self._evaluate_one(bundle, {"meta": snapshot_input["meta"], "resources": {}})
        nodes = dict(walk_packages(skeleton, bundle))
        packages = list(nodes)
        each = None
        if records is not None:
            convert = records.bind(skeleton, partition=True)

            def each(values: list, part: dict) -> list:
                return [convert(package, raw, part["resources"]) for package, raw in zip(packages, values)]
        pool = WorkerPool(bundle, min(self.workers, len(parts)))
        per_partition = pool.run(results_query(packages), parts, each)
        self.worker_peak_rss_kb = pool.peak_rss_kb
        for i, package in enumerate(packages):
            nodes[package]["results"] = [rec for values in per_partition for rec in values[i]]
        if records is not None and records.whole:
            self._convert_whole(bundle, sorted(records.whole), parts, records.bind(skeleton), nodes, snapshot_input)
        return skeleton

    def _convert_whole(self, bundle, again: list[str], parts, convert, nodes, snapshot_input) -> None:
        """The checks no partition could settle alone (evaluate.Records), evaluated again
        over every partition, their records joined and converted once, as one answer:
        a check's `results` is a set, so a record two partitions both gave is one record."""
        per_partition = WorkerPool(bundle, min(self.workers, len(parts))).run(results_query(again), parts)
        for i, package in enumerate(again):
            raw = {compact_json(rec): rec for values in per_partition for rec in values[i]}
            nodes[package]["results"] = convert(package, list(raw.values()), snapshot_input["resources"])

    @staticmethod
    def _evaluate_one(bundle: PolicyBundle, snapshot_input: dict) -> dict:
        engine = new_engine()  # first: it explains a missing engine
        from opa_bindings import OpaError, OpaUndefinedError

        try:
            try:
                load_policies(engine, bundle.ordered_modules(), bundle.params, PARAMS_PATH)
                ref = new_snapshot_ref()
                engine.add_data(plain_input(snapshot_input), f"{SNAPSHOTS_PATH}.{ref}")
                return engine.eval_document(CHECKS_PATH, {"snapshot_ref": ref})
            except OpaUndefinedError:
                return {}
            except OpaError as e:
                raise EngineError(f"embedded OPA: {e.code}: {error_text(e)}") from None
        finally:
            engine.close()


def results_query(packages: list[str]) -> str:
    """The query a worker answers: the `results` of each package, in this order."""
    return "x := [" + ", ".join(f"{package}.results" for package in packages) + "]"


# Workers at most, whatever the core count: each holds a Go heap of its own.
MAX_WORKERS = 8
# A worker's Go heap: collected only as it nears this limit (GOGC=off, GOMEMLIMIT),
# instead of every time it doubles; a partition's evaluation fits well within it. One
# thread of Go per worker (GOMAXPROCS=1): the workers already occupy every core, and
# their collectors would otherwise compete with each other's evaluations.
WORKER_HEAP_LIMIT = "192MiB"
WORKER = Path(__file__).with_name("embedded_worker.py")


class WorkerPool:
    """Worker processes fed partitions from one shared list; a thread per worker does
    the blocking pipe I/O (the GIL is released while it waits)."""

    def __init__(self, bundle: PolicyBundle, count: int):
        self.bundle = bundle
        self.count = count
        self.peak_rss_kb: list[int] = []

    def run(self, query: str, parts: list[dict], each=None) -> list:
        """Each partition's answer, in the order of `parts`; with `each`, what
        each(answer, partition) makes of it, as soon as it comes in."""
        env = {"GOGC": "off", "GOMEMLIMIT": WORKER_HEAP_LIMIT, "GOMAXPROCS": "1", **os.environ}
        setup = {"modules": self.bundle.ordered_modules(), "params": self.bundle.params, "params_path": PARAMS_PATH}
        results: list = [None] * len(parts)
        pending = iter(range(len(parts)))
        lock = threading.Lock()
        failures: list[tuple[int, str]] = []  # (worker index, message or "" when it died)
        procs, errs, finished = [], [], False
        try:
            for _ in range(self.count):
                err = tempfile.TemporaryFile()
                errs.append(err)
                try:
                    procs.append(subprocess.Popen([sys.executable, str(WORKER)], stdin=subprocess.PIPE,
                                                  stdout=subprocess.PIPE, stderr=err, env=env))
                except OSError as e:
                    raise EngineError(f"embedded OPA: cannot start a worker process ({e.strerror})") from None

            def convert(value, i: int):
                try:
                    return each(value, parts[i])
                except Exception as e:  # noqa: BLE001 - a defect of the conversion, not a dead worker
                    raise EngineError(f"embedded OPA: results of partition {i} could not be read: "
                                      f"{type(e).__name__}: {e}") from None

            def task() -> int | None:
                with lock:
                    return None if failures else next(pending, None)

            def serve(n, proc):
                try:
                    write_frame(proc.stdin, setup)
                    answer(read_frame(proc.stdout))
                    i = task()
                    if i is not None:
                        write_frame(proc.stdin, (query, encode(parts[i])))
                    while i is not None:
                        value = answer(read_frame(proc.stdout))
                        # the worker is given its next partition before this answer is
                        # converted, so that it evaluates while this thread converts
                        following = task()
                        if following is not None:
                            write_frame(proc.stdin, (query, encode(parts[following])))
                        results[i] = convert(value, i) if each else value
                        i = following
                except EngineError as e:
                    failures.append((n, str(e)))
                except (OSError, EOFError, ValueError):  # the worker died (or we stopped it)
                    failures.append((n, ""))
                except Exception as e:  # noqa: BLE001 - a defect here must not lose a partition silently
                    failures.append((n, f"embedded OPA: worker {n}: {type(e).__name__}: {e}"))

            threads = [threading.Thread(target=serve, args=(n, p), daemon=True) for n, p in enumerate(procs)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            finished = True
        finally:  # on a failure or an interrupt, the workers are stopped, not waited for
            for p in procs:
                if failures or not finished:
                    p.kill()
                _close(p.stdin)
            codes = [p.wait() for p in procs]
            tails = [_read_tail(e) for e in errs]
        self.peak_rss_kb = [_maxrss(t) for t in tails]
        if failures:
            n, reason = failures[0]  # the first failure is the cause; others were stopped after it
            raise EngineError(reason or f"embedded OPA worker exited with code {codes[n]}{_cause(tails[n])}")
        return results


def encode(part: dict) -> bytes:
    """A partition as JSON for the engine (orjson: a tenth of json's time). Its meta is
    encoded apart: where meta needs json (an integer beyond 64 bits), the resources,
    whose attrs json cannot write (orjson.Fragment), still need none."""
    try:
        return b'{"meta":' + compact_json(part["meta"]) + b',"resources":' + compact_json(part["resources"]) + b"}"
    except UnicodeEncodeError as e:  # a lone surrogate
        raise EngineError(f"embedded OPA: snapshot cannot be encoded for the engine: {e}") from None


def answer(frame):
    """The value a worker's frame carries: OPA's answer (JSON bytes, the envelope of
    the bindings: {"result": [{"bindings": {"x": …}}]} or {"error": {code, message}})
    decoded, or the worker's own error."""
    if frame is None:
        raise EOFError("worker closed its output")
    status, value = frame
    if status == "error":
        raise EngineError(f"embedded OPA: {value}")
    if status == "ready":
        return None
    envelope = parse_json(value, "embedded OPA answer", max_depth=None)  # records of a checked snapshot
    error = envelope.get("error")
    if error:
        raise EngineError(f"embedded OPA: {error.get('code', 'unknown')}: {error_text(error.get('message', ''))}")
    result = envelope.get("result") or []
    if not result:  # every check's `results` is a set, never undefined: a defect in a check
        raise EngineError("embedded OPA: a check package's `results` was undefined for a partition")
    return result[0]["bindings"]["x"]


def _close(stream) -> None:
    try:
        stream.close()
    except OSError:
        pass


def _read_tail(file, size: int = 4096) -> str:
    file.seek(0, os.SEEK_END)
    file.seek(max(0, file.tell() - size))
    text = file.read().decode("utf-8", "replace")
    file.close()
    return text


def _cause(tail: str) -> str:
    """The line of a dead worker's stderr that says why: a Go runtime's `fatal error:` or
    `panic:` line (its stack follows it), else the last line (a Python exception)."""
    lines = [ln.strip() for ln in tail.splitlines() if ln.strip() and not ln.startswith("maxrss_kb=")]
    line = next((ln for ln in lines if ln.startswith(("fatal error:", "panic:"))), lines[-1] if lines else "")
    return f": {line}" if line else ""


def _maxrss(tail: str) -> int:
    for line in reversed(tail.splitlines()):
        if line.startswith("maxrss_kb="):
            return int(line.split("=", 1)[1])
    return 0
