"""One evaluator process of the embedded backend: `python -m genmei.engine.backends.embedded_worker`.

Why a process and not a thread: OPA's Go engine holds the GIL-free CPU work, but one Go
runtime per process shares one garbage collector, and the collector's settings (GOGC,
GOMEMLIMIT) are read from the environment the process was *started* with — a Go library
loaded into Python never sees a later os.environ change. A worker started with its own
environment evaluates with a collector tuned for a short-lived, bounded heap.

Protocol (stdin → stdout, length-prefixed pickles; the parent is the only peer):
  parent → worker: {"modules": [(path, source), …], "params": {…}, "params_path": …}   once
  worker → parent: ("ready", None)
  parent → worker: (query, input as JSON bytes)                      per partition
  worker → parent: ("ok", OPA's answer as JSON bytes) | ("error", one-line message)
EOF on stdin ends the worker. Its peak RSS (VmHWM) is reported on stderr's last line as
`maxrss_kb=N` so that the benchmark can add up the whole process tree honestly.
"""

import ctypes
import gc
import pickle
import resource
import struct
import sys

_LENGTH = struct.Struct("!Q")


def read_frame(stream):
    """The next pickled object, or None at a clean end of stream."""
    head = stream.read(_LENGTH.size)
    if not head:
        return None
    if len(head) < _LENGTH.size:
        raise EOFError("truncated frame header")
    (size,) = _LENGTH.unpack(head)
    body = stream.read(size)
    if len(body) < size:
        raise EOFError("truncated frame")
    return pickle.loads(body)


def write_frame(stream, value) -> None:
    body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(body)))
    stream.write(body)
    stream.flush()


def load_policies(engine, modules: list[tuple[str, str]], params: dict, params_path: str) -> None:
    """Rego modules (library first: PolicyBundle.ordered_modules) and the checks'
    parameters (at params_path: interface.PARAMS_PATH) into an OpaEngine."""
    for path, source in modules:
        engine.add_policy(path, source)
    engine.add_data(params, params_path)


def error_text(error) -> str:
    return " ".join(str(getattr(error, "message", error)).split())


def eval_raw(engine, query: str, input_json: bytes) -> bytes:
    """Evaluate `query` on an input that is JSON already; return OPA's answer as the JSON
    bytes it wrote. OpaEngine.eval_query would encode the input with json and decode the
    answer with json (together a third of a partition's evaluation); the parent encodes
    and decodes with orjson instead, and this passes the bytes through. Written against
    the pinned opa-golib-python-bindings 0.4.4 (Makefile): the native call and its
    freeing are those of OpaEngine._call."""
    from opa_bindings import OpaError

    ptr = engine._lib.OpaEvalQuery(engine._handle, query.encode(), input_json, 0, 0)
    if not ptr:
        raise OpaError("internal", "native call returned NULL")
    try:
        return ctypes.string_at(ptr)
    finally:
        engine._lib.OpaFreeString(ptr)


def serve(stdin, stdout) -> None:
    from opa_bindings import OpaEngine, OpaError

    setup = read_frame(stdin)
    if setup is None:
        return
    engine = OpaEngine()
    try:
        load_policies(engine, setup["modules"], setup["params"], setup["params_path"])
    except OpaError as e:
        write_frame(stdout, ("error", f"{e.code}: {error_text(e)}"))
        return
    write_frame(stdout, ("ready", None))
    while (task := read_frame(stdin)) is not None:
        query, input_json = task
        try:
            write_frame(stdout, ("ok", eval_raw(engine, query, input_json)))
        except OpaError as e:
            write_frame(stdout, ("error", f"{e.code}: {error_text(e)}"))


def main() -> None:
    gc.disable()  # as in the CLI (engine/cli.py pause_cyclic_gc): one batch of acyclic data
    try:
        serve(sys.stdin.buffer, sys.stdout.buffer)
    except (EOFError, BrokenPipeError):
        pass  # the parent went away or gave up: nothing left to answer
    finally:
        print(f"maxrss_kb={peak_rss_kb()}", file=sys.stderr, flush=True)


def peak_rss_kb() -> int:
    """This process's own peak resident set (VmHWM). Not ru_maxrss: that keeps the peak of
    the image before exec, i.e. the parent's resident set at the fork that started us."""
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    main()
