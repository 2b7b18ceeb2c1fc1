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


class EmbeddedBackend(Backend):
    name = "embedded"

    def evaluate(self, bundle: PolicyBundle, snapshot_input: dict) -> dict:
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
