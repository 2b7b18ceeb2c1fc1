"""A loopback server speaking the OPA REST endpoints genmei uses, evaluating with the
real OPA engine (embedded). It lets the opa-python-client path run for real (HTTP,
request and response shapes, error handling) where no `opa` binary can be installed.
It is a test aid, not a substitute for `opa run --server` in production.

Endpoints: GET /health, GET /v1/policies, PUT/GET/DELETE /v1/policies/{id},
PUT/POST/DELETE /v1/data/{path}. Failure modes for tests: `fail_next`
(HTTP 500) and `delay` (seconds before answering a query).
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opa_bindings import OpaEngine, OpaError, OpaUndefinedError


class OpaState:
    def __init__(self):
        self.policies: dict[str, str] = {}
        self.data: dict = {}
        self.lock = threading.Lock()
        self.fail_next = 0
        self.delay = 0.0
        self.requests: list[tuple[str, str]] = []

    def engine(self, policies=None) -> OpaEngine:
        e = OpaEngine()
        for pid, src in sorted((policies or self.policies).items()):
            e.add_policy(pid, src)
        if self.data:
            e.add_data(self.data)
        return e


def _set_path(root: dict, path: list[str], value) -> None:
    node = root
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


class Handler(BaseHTTPRequestHandler):
    state: OpaState

    def log_message(self, *args):
        pass

    def _send(self, code: int, body=None):
        raw = b"" if body is None else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _route(self, method):
        self.state.requests.append((method, self.path))
        if self.state.fail_next:
            self.state.fail_next -= 1
            self._body()
            return self._send(500, {"code": "internal_error", "message": "injected failure"})
        path = self.path.split("?")[0]
        if method == "GET" and path == "/health":
            return self._send(200, {})
        if path.startswith("/v1/policies"):
            return self._policies(method, path.removeprefix("/v1/policies").strip("/"))
        if path.startswith("/v1/data"):
            return self._data(method, [p for p in path.removeprefix("/v1/data").split("/") if p])
        return self._send(404, {"code": "resource_not_found", "message": f"{path} not found"})

    def _policies(self, method, pid):
        with self.state.lock:
            if method == "GET" and not pid:
                return self._send(200, {"result": [{"id": k, "raw": v} for k, v in sorted(self.state.policies.items())]})
            if method == "GET":
                if pid not in self.state.policies:
                    return self._send(404, {"code": "resource_not_found", "message": f"policy id {pid!r}"})
                return self._send(200, {"result": {"id": pid, "raw": self.state.policies[pid]}})
            if method == "DELETE":
                if self.state.policies.pop(pid, None) is None:
                    return self._send(404, {"code": "resource_not_found", "message": f"policy id {pid!r}"})
                return self._send(200, {})
            if method == "PUT":
                source = self._body().decode()
                candidate = {**self.state.policies, pid: source}
                engine = self.state.engine(candidate)
                try:
                    engine.eval_query("true")  # compiles every module, as OPA does on PUT
                except OpaError as e:
                    return self._send(400, {
                        "code": "invalid_parameter",
                        "message": "error(s) occurred while compiling module(s)",
                        "errors": [{"code": "rego_compile_error", "message": e.message, "location": {"file": pid, "row": 0}}],
                    })
                finally:
                    engine.close()
                self.state.policies = candidate
                return self._send(200, {})
        return self._send(405, {"code": "method_not_allowed", "message": method})

    def _data(self, method, parts):
        if method == "PUT":
            value = json.loads(self._body() or b"null")
            with self.state.lock:
                _set_path(self.state.data, parts, value)
            return self._send(204)
        if method == "DELETE":
            with self.state.lock:
                node = self.state.data
                for key in parts[:-1]:
                    node = node.get(key, {})
                if not parts or parts[-1] not in node:
                    return self._send(404, {"code": "resource_not_found", "message": "/".join(parts)})
                del node[parts[-1]]
            return self._send(204)
        if method in ("POST", "GET"):
            body = json.loads(self._body() or b"{}") if method == "POST" else {}
            if self.state.delay:
                time.sleep(self.state.delay)
            with self.state.lock:
                engine = self.state.engine()
            try:
                value = engine.eval_document(".".join(parts), body.get("input"))
            except OpaUndefinedError:
                return self._send(200, {})
            except OpaError as e:
                return self._send(500, {"code": "internal_error", "message": e.message})
            finally:
                engine.close()
            return self._send(200, {"result": value})
        return self._send(405, {"code": "method_not_allowed", "message": method})

    def do_GET(self):
        self._route("GET")

    def do_PUT(self):
        self._route("PUT")

    def do_POST(self):
        self._route("POST")

    def do_DELETE(self):
        self._route("DELETE")


class OpaRestServer:
    """Start with `with OpaRestServer() as srv:`; srv.url is http://127.0.0.1:PORT."""

    def __init__(self):
        self.state = OpaState()
        handler = type("BoundHandler", (Handler,), {"state": self.state})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
