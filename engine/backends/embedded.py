"""The real OPA evaluator, in-process (opa-golib-python-bindings: OPA's Go engine via ctypes)."""


from ..errors import EngineError
from ..policies import PolicyBundle
from .interface import CHECKS_PATH, PARAMS_PATH, SNAPSHOTS_PATH, Backend, new_snapshot_ref


def new_engine():
    """An OpaEngine, or a clear error when the pinned bindings are not installed."""
    try:
        from opa_bindings import OpaEngine
    except ImportError:
        raise EngineError(
            "embedded OPA engine not installed: run `make setup` (it installs "
            "opa-golib-python-bindings==0.4.4), or use --opa-url with an OPA server"
        ) from None
    except OSError as e:  # the shared library failed to load (libc too old, wrong arch)
        raise EngineError(f"embedded OPA engine failed to load: {e}") from None
    return OpaEngine()


def opa_error_text(error) -> str:
    return " ".join(str(getattr(error, "message", error)).split())


# Resources per partition. Checks judge one resource at a time (joins between resources
# are made by the normalisers, into attrs), so a large snapshot is evaluated in
# partitions, one after the other, each in an engine of its own: the evaluator's memory
# (about 25 KB of Go heap per resource) then follows the partition, not the snapshot.
# Measured: two partitions on two threads were no faster than one after the other.
PARTITION_SIZE = 5_000


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


def merge_documents(docs: list[dict]) -> dict:
    """One data.genmei.checks document from the partitions': results concatenated."""
    merged = docs[0]
    for doc in docs[1:]:
        _merge_into(merged, doc)
    return merged


def _merge_into(into: dict, other: dict) -> None:
    for key, value in other.items():
        if key == "results" and isinstance(value, list) and isinstance(into.get(key), list):
            into[key].extend(value)
        elif isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge_into(into[key], value)
        else:
            into.setdefault(key, value)


class EmbeddedBackend(Backend):
    name = "embedded"

    def evaluate(self, bundle: PolicyBundle, snapshot_input: dict) -> dict:
        return merge_documents([self._evaluate_one(bundle, part) for part in partitions(snapshot_input)])

    @staticmethod
    def _evaluate_one(bundle: PolicyBundle, snapshot_input: dict) -> dict:
        from opa_bindings import OpaError, OpaUndefinedError

        engine = new_engine()
        try:
            try:
                for path in bundle.upload_order():
                    engine.add_policy(path, bundle.modules[path])
                engine.add_data(bundle.params, PARAMS_PATH)
                ref = new_snapshot_ref()
                engine.add_data(snapshot_input, f"{SNAPSHOTS_PATH}.{ref}")
                return engine.eval_document(CHECKS_PATH, {"snapshot_ref": ref})
            except OpaUndefinedError:
                return {}
            except OpaError as e:
                raise EngineError(f"embedded OPA: {e.code}: {opa_error_text(e)}") from None
        finally:
            engine.close()
