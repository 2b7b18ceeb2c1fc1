"""A loopback TLS server that answers the ARM REST calls the Azure collector makes, from
recorded ARM JSON: a "world" of resources (tests/fixtures/azure, the spec examples of
the shared corpora) or the exact interactions of a recorded session (the cloud-custodian
cassettes of the shared corpora).

It behaves as ARM does where the collector depends on it: GET by id, collection GETs at
resource-group and subscription scope, nextLink paging, Resource Graph queries with
$skipToken paging, ARM error bodies, 403/429/409 faults (429 with a Retry-After in
milliseconds, so the SDK's real retry policy runs without slowing the suite). Every
request is recorded so tests can prove the collector only read. TLS is required: the
SDK's bearer-token policy refuses plain HTTP. The certificate is made here, per server.
"""

import datetime
import ipaddress
import json
import re
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

PUBLIC = "https://management.azure.com"
# Collections ARM returns whole (the SDK does not follow a nextLink on them).
UNPAGED = ("/providers/microsoft.security/pricings", "/providers/microsoft.insights/diagnosticsettings", "/locations",
           "/providers/microsoft.insights/metricalerts", "/providers/microsoft.insights/actiongroups")


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (cert.pem doubles as the CA bundle)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                        x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def arm_error(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


class World:
    """ARM resources keyed by lower-case id, answering collection GETs by parent path."""

    def __init__(self, doc: dict, page_size: int = 2):
        self.subscriptions = {s["subscriptionId"].lower(): s for s in doc.get("subscriptions", [])}
        self.locations = {k.lower(): v for k, v in doc.get("locations", {}).items()}
        self.resources = {r["id"].lower(): r for r in doc.get("resources", [])}
        self.page_size = page_size

    @staticmethod
    def collection_keys(rid: str) -> set[str]:
        parent = rid.lower().rsplit("/", 1)[0]
        return {parent, re.sub(r"/resourcegroups/[^/]+", "", parent, count=1)}

    def get(self, path: str):
        """(status, body) for a GET of `path` (lower case, no query)."""
        parts = path.strip("/").split("/")
        if path == "/subscriptions":
            return 200, list(self.subscriptions.values())
        if len(parts) == 2 and parts[0] == "subscriptions":
            sub = self.subscriptions.get(parts[1])
            return (200, sub) if sub else (404, arm_error("SubscriptionNotFound", f"subscription {parts[1]} not found"))
        if len(parts) == 3 and parts[0] == "subscriptions" and parts[2] == "locations":
            return 200, self.locations.get(parts[1], [])
        if path in self.resources:
            return 200, self.resources[path]
        items = [r for rid, r in sorted(self.resources.items()) if path in self.collection_keys(rid)]
        if items or path.endswith(UNPAGED) or self._is_collection(path):
            return 200, items
        return 404, arm_error("ResourceNotFound", f"no resource at {path}")

    @staticmethod
    def _is_collection(path: str) -> bool:
        # …/providers/<Namespace>/<type>[/<name>/<childType>]*: an odd number of segments after the namespace.
        m = re.search(r"/providers/[^/]+/(.+)$", path)
        return bool(m) and len(m.group(1).split("/")) % 2 == 1

    def graph_rows(self, subscriptions: list[str], query: str) -> list[dict]:
        types = {t.lower() for t in re.findall(r"'([^']+)'", query)}
        subs = {s.lower() for s in subscriptions}
        rows = []
        for rid, r in sorted(self.resources.items()):
            parts = rid.split("/")
            if r.get("type", "").lower() in types and len(parts) > 2 and parts[2] in subs:
                rg = parts[4] if len(parts) > 4 and parts[3] == "resourcegroups" else ""
                rows.append({**r, "type": r["type"].lower(), "subscriptionId": parts[2], "resourceGroup": rg})
        return rows


class ArmServer:
    def __init__(self, cert_dir: Path, world: World | None = None, recorded: list[dict] | None = None,
                 faults: list[dict] | None = None):
        self.world = world
        self.recorded = {}
        for interaction in recorded or []:
            self.add_recorded(interaction)
        self.faults = [dict(f, seen=0) for f in faults or []]
        self.requests: list[tuple[str, str, str]] = []
        self.lock = threading.Lock()
        # Parallelism seen: subscriptions with a request in flight at once (delay: seconds each request takes).
        self.delay = 0.0
        self.in_flight: dict[str, int] = {}
        self.most_subscriptions_at_once = 0
        self.ca_bundle, key = make_certificate(cert_dir)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.ca_bundle, key)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def add_recorded(self, interaction: dict) -> None:
        """One recorded request/response (VCR cassette format; body under data or string)."""
        request, response = interaction["request"], interaction["response"]
        split = urlsplit(request["uri"])
        body = response.get("body") or {}
        if "data" in body:
            payload = body["data"]
        elif body.get("string"):
            try:
                payload = json.loads(body["string"])
            except ValueError:
                return  # a non-JSON body (data plane XML): never asked for by the collector
        else:
            payload = None
        key = (request["method"], split.netloc.lower(), unquote(split.path).lower().rstrip("/"), self._skiptoken(split.query))
        self.recorded.setdefault(key, (response["status"]["code"], payload))

    @staticmethod
    def _skiptoken(query: str) -> str | None:
        params = {k.lower(): v for k, v in parse_qs(query).items()}
        return (params.get("$skiptoken") or [None])[0]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def writes(self) -> list[tuple[str, str, str]]:
        return [r for r in self.requests if r[0] != "GET" and not r[1].endswith("/providers/microsoft.resourcegraph/resources")]

    # --- answering ---------------------------------------------------------
    def answer(self, method: str, path: str, query: str, body: bytes):
        fault = self._fault(method, path)
        if fault:
            return fault
        if method == "POST" and path.endswith("/providers/microsoft.resourcegraph/resources") and self.world:
            return self._graph(json.loads(body or b"{}"))
        token = self._skiptoken(query)
        recorded = self.recorded.get((method, "management.azure.com", path, token))
        if recorded is None and token:
            # Recorded nextLinks were sanitised to another subscription id: the token decides.
            recorded = next((v for (m, _, _, t), v in self.recorded.items() if m == method and t == token), None)
        if recorded:
            return recorded[0], self._rewrite(recorded[1]), {}
        if method == "GET" and self.world:
            status, payload = self.world.get(path)
            if isinstance(payload, list):
                return 200, self._page(path, payload, token), {}
            return status, payload, {}
        if method != "GET":
            return 405, arm_error("MethodNotAllowed", f"{method} is not served here"), {}
        return 404, arm_error("NotRecorded", f"no recorded response for GET {path}"), {}

    def _fault(self, method: str, path: str):
        with self.lock:
            for f in self.faults:
                if f.get("method", "GET") == method and re.fullmatch(f["path"], path):
                    f["seen"] += 1
                    if f.get("times") is None or f["seen"] <= f["times"]:
                        headers = {"retry-after-ms": "5"} if f["status"] == 429 else {}
                        return f["status"], arm_error(f["code"], f.get("message", f["code"])), headers
        return None

    def _page(self, path: str, items: list, token: str | None) -> dict:
        if path.endswith(UNPAGED) or path == "/subscriptions":
            return {"value": items}
        start = int(token or 0)
        size = self.world.page_size if self.world else len(items)
        page = {"value": items[start:start + size]}
        if start + size < len(items):
            page["nextLink"] = f"{self.url}{path}?api-version=2099-01-01&$skiptoken={start + size}"
        return page

    def _graph(self, request: dict):
        rows = self.world.graph_rows(request.get("subscriptions") or [], request.get("query") or "")
        options = request.get("options") or {}
        start = int(options.get("$skipToken") or 0)
        top = min(int(options.get("$top") or 1000), self.world.page_size * 3)
        page = rows[start:start + top]
        out = {"totalRecords": len(rows), "count": len(page), "resultTruncated": "false", "data": page}
        if start + top < len(rows):
            out["$skipToken"] = str(start + top)
        return 200, out, {}

    def _rewrite(self, payload):
        """Recorded nextLinks point at Azure: point them here instead."""
        if payload is None:
            return None
        return json.loads(json.dumps(payload).replace(PUBLIC, self.url))

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def setup(self):
                super().setup()
                # Headers and body go out as two writes: without this, Nagle's algorithm and
                # delayed ACKs add ~40 ms to every response.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def _serve(self):
                split = urlsplit(self.path)
                path = unquote(split.path).lower().rstrip("/")
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                sub = path.split("/")[2] if path.startswith("/subscriptions/") and path.count("/") > 2 else None
                with server.lock:
                    server.requests.append((self.command, path, split.query))
                    if sub:
                        server.in_flight[sub] = server.in_flight.get(sub, 0) + 1
                        busy = sum(1 for n in server.in_flight.values() if n)
                        server.most_subscriptions_at_once = max(server.most_subscriptions_at_once, busy)
                try:
                    time.sleep(server.delay)
                    status, payload, headers = server.answer(self.command, path, split.query, body)
                finally:
                    if sub:
                        with server.lock:
                            server.in_flight[sub] -= 1
                data = b"" if payload is None else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        return Handler
