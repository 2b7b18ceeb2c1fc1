"""`genmei collect gcp` and `genmei scan gcp` end to end: the real AssetServiceClient and
SecurityCenterManagementClient (REST transport) and the real Application Default
Credentials chain (a service-account key file whose self-signed JWTs the server verifies)
against a loopback server that answers ListAssets from Cloud Asset Inventory data and
ListSecurityCenterServices from Security Command Center service settings, in the REST
wire format, with paging, refusals, throttling and a refused scope."""

import base64
import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from conftest import AS_OF, ROOT, genmei
from dead_endpoints import silent_endpoint

FIXTURE = ROOT / "tests" / "fixtures" / "gcp" / "project.jsonl"
PROJECT = "genmei-demo"
CLIENT_EMAIL = "genmei-reader@genmei-demo.iam.gserviceaccount.com"
CONTENT = {"1": "RESOURCE", "2": "IAM_POLICY", "6": "OS_INVENTORY"}
# SecurityCenterService.EnablementState on the wire (the client asks for enum numbers).
ENABLEMENT = {"ENABLEMENT_STATE_UNSPECIFIED": 0, "INHERITED": 1, "ENABLED": 2, "DISABLED": 3, "INGEST_ONLY": 4}
SCC_SERVICES = ("container-threat-detection", "event-threat-detection", "security-health-analytics",
                "vm-threat-detection", "web-security-scanner")


def camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(p.title() for p in rest)


def to_wire(value, inside_data=False):
    """A CAI asset as the REST API sends it: JSON (camelCase) field names, except inside
    resource.data, a Struct whose keys are the resource API's own."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            out[k if inside_data else camel(k)] = to_wire(v, inside_data or k == "data")
        return out
    if isinstance(value, list):
        return [to_wire(v, inside_data) for v in value]
    return value


def load_assets(path=FIXTURE) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def scc_service(project: str, name: str, effective: str, intended: str = "INHERITED") -> dict:
    """A SecurityCenterService as the REST API sends it (camelCase, enum names)."""
    return {"name": f"projects/{project}/locations/global/securityCenterServices/{name}",
            "intendedEnablementState": intended, "effectiveEnablementState": effective,
            "modules": {"SAMPLE_MODULE": {"intendedEnablementState": "INHERITED", "effectiveEnablementState": effective}},
            "updateTime": "2026-11-01T00:00:00Z"}


def scc_services(project: str, etd: str) -> list[dict]:
    """Every service of a project with Security Command Center activated at the
    organisation: all inherited; Event Threat Detection effectively `etd`."""
    return [scc_service(project, name, etd if name == "event-threat-detection" else "ENABLED") for name in SCC_SERVICES]


class CaiServer:
    """GET /v1/{parent}/assets as Cloud Asset Inventory answers it, and
    GET /v1/projects/{P}/locations/global/securityCenterServices as Security Center
    Management answers it, for one project. Nothing but GET is served."""

    def __init__(self, public_key, assets):
        self.public_key = public_key
        self.assets = assets
        self.deny_types: set[str] = set()
        self.requests: list[dict] = []
        self.scc = {PROJECT: scc_services(PROJECT, "ENABLED")}
        self.scc_page_size = 2  # the server's own page size: the client sends none
        self.scc_deny = False
        self.scc_throttle = 0  # answer this many SCC requests with 429 first
        self.scc_requests: list[dict] = []
        # Quota: answer the first sending of each ListAssets request 429 (each page of each
        # type), with this Retry-After (None: none, the client backs off on its own).
        self.throttle_first = False
        self.throttle_limit = None  # at most this many 429s (None: every first sending)
        self.retry_after: str | None = None
        self.throttled: set[str] = set()
        self.quota_projects: list[str | None] = []
        # VM Manager's vulnerability reports by zone (ListVulnerabilityReports), REST JSON
        self.vulnerability_reports: dict[str, list[dict]] = {}
        self.osconfig_deny: set[str] = set()  # zones whose reports are refused
        self.osconfig_requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if urlparse(self.path).path.endswith("/securityCenterServices"):
                    server.handle_scc(self)
                elif urlparse(self.path).path.endswith("/vulnerabilityReports"):
                    server.handle_osconfig(self)
                else:
                    server.handle(self)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def authorised(self, header: str) -> bool:
        """The bearer must be a JWT signed (RS256) with the service account's key."""
        if not header.startswith("Bearer "):
            return False
        try:
            head, payload, signature = header[7:].split(".")
            self.public_key.verify(b64url(signature), f"{head}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
        except Exception:  # noqa: BLE001 - any malformed or forged token is refused
            return False
        claims = json.loads(b64url(payload))
        return claims.get("iss") == CLIENT_EMAIL and claims.get("exp", 0) > time.time()

    def handle(self, h):
        url = urlparse(h.path)
        q = parse_qs(url.query)
        m = re.fullmatch(r"/v1/(projects|folders|organizations)/([^/]+)/assets", url.path)
        types = q.get("assetTypes", [])
        content = CONTENT.get(q.get("contentType", [""])[0])
        self.requests.append({"path": url.path, "types": types, "content": content, "token": q.get("pageToken", [""])[0],
                              "page_size": int(q.get("pageSize", ["0"])[0])})
        self.quota_projects.append(h.headers.get("x-goog-user-project"))
        if not self.authorised(h.headers.get("Authorization", "")):
            return self.error(h, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
        if self.throttle_first and h.path not in self.throttled and (
                self.throttle_limit is None or len(self.throttled) < self.throttle_limit):
            self.throttled.add(h.path)
            return self.error(h, 429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'List Assets requests' "
                              "and limit 'List Assets requests per minute per project'", self.retry_after)
        if m is None or m.group(2) != PROJECT:
            return self.error(h, 403, "PERMISSION_DENIED", "The caller does not have permission")
        if set(types) & self.deny_types:
            return self.error(h, 403, "PERMISSION_DENIED", f"Permission 'cloudasset.assets.listResource' denied for {types[0]}")
        if content is None:
            return self.error(h, 400, "INVALID_ARGUMENT", "contentType is required")
        selected = []
        for a in self.assets:
            if a["asset_type"] not in types:
                continue
            a = dict(a)
            if content == "RESOURCE":
                a.pop("iam_policy", None)
                a.pop("os_inventory", None)
            elif content == "OS_INVENTORY":
                if "os_inventory" not in a:
                    continue
                a.pop("resource", None)
                a.pop("iam_policy", None)
            elif "iam_policy" in a:
                a.pop("resource", None)
                a.pop("os_inventory", None)
            else:
                continue
            selected.append(to_wire(a))
        start = int(q.get("pageToken", ["0"])[0] or 0)
        size = int(q.get("pageSize", ["100"])[0])
        page = {"assets": selected[start:start + size], "readTime": "2026-11-22T00:00:00Z"}
        if start + size < len(selected):
            page["nextPageToken"] = str(start + size)
        self.send(h, 200, page)

    def handle_scc(self, h):
        url = urlparse(h.path)
        q = parse_qs(url.query)
        m = re.fullmatch(r"/v1/projects/([^/]+)/locations/global/securityCenterServices", url.path)
        self.scc_requests.append({"path": url.path, "token": q.get("pageToken", [""])[0], "query": sorted(q)})
        if not self.authorised(h.headers.get("Authorization", "")):
            return self.error(h, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
        if self.scc_throttle:
            self.scc_throttle -= 1
            return self.error(h, 429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Read requests'")
        if m is None or m.group(1) not in self.scc or self.scc_deny:
            return self.error(h, 403, "PERMISSION_DENIED",
                              "Permission 'securitycentermanagement.securityCenterServices.list' denied on resource")
        services = self.scc[m.group(1)]
        if q.get("$alt") == ["json;enum-encoding=int"]:  # what the client asks for: numbers, not names
            services = [numeric_enums(s) for s in services]
        start = int(q.get("pageToken", ["0"])[0] or 0)
        page = {"securityCenterServices": services[start:start + self.scc_page_size]}
        if start + self.scc_page_size < len(services):
            page["nextPageToken"] = str(start + self.scc_page_size)
        self.send(h, 200, page)

    def handle_osconfig(self, h):
        """GET /v1/projects/P/locations/ZONE/instances/-/vulnerabilityReports, paged by the
        server (two reports a page)."""
        url = urlparse(h.path)
        q = parse_qs(url.query)
        m = re.fullmatch(r"/v1/projects/([^/]+)/locations/([^/]+)/instances/-/vulnerabilityReports", url.path)
        self.osconfig_requests.append({"path": url.path, "token": q.get("pageToken", [""])[0]})
        if not self.authorised(h.headers.get("Authorization", "")):
            return self.error(h, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
        if m is None or m.group(1) != PROJECT or m.group(2) in self.osconfig_deny:
            return self.error(h, 403, "PERMISSION_DENIED", "Permission 'osconfig.vulnerabilityReports.list' denied")
        reports = self.vulnerability_reports.get(m.group(2), [])
        start = int(q.get("pageToken", ["0"])[0] or 0)
        page = {"vulnerabilityReports": reports[start:start + 2]}
        if start + 2 < len(reports):
            page["nextPageToken"] = str(start + 2)
        self.send(h, 200, page)

    def error(self, h, code, status, message, retry_after=None):
        self.send(h, code, {"error": {"code": code, "message": message, "status": status}},
                  {"Retry-After": retry_after} if retry_after is not None else {})

    @staticmethod
    def send(h, code, body, headers=None):
        data = json.dumps(body).encode()
        h.send_response(code)
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)


def numeric_enums(value):
    if isinstance(value, dict):
        return {k: ENABLEMENT[v] if k.endswith("EnablementState") else numeric_enums(v) for k, v in value.items()}
    return value


@pytest.fixture(scope="module")
def key_file(tmp_path_factory):
    """A service-account key made for the test (never a real one)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    path = tmp_path_factory.mktemp("gcp-creds") / "sa.json"
    path.write_text(json.dumps({
        "type": "service_account", "project_id": PROJECT, "private_key_id": "test-key-1", "private_key": pem,
        "client_email": CLIENT_EMAIL, "client_id": "1", "token_uri": "http://127.0.0.1:9/unused",
    }))
    return path, key.public_key()


@pytest.fixture
def server(key_file):
    s = CaiServer(key_file[1], load_assets())
    yield s
    s.close()


def make_env(key_file, directory: Path) -> dict:
    """Application Default Credentials from the key file; a fresh HOME so no gcloud
    configuration or scan history of the machine is used."""
    home = directory / "home"
    home.mkdir()
    return {"GOOGLE_APPLICATION_CREDENTIALS": str(key_file[0]), "HOME": str(home), "CLOUDSDK_CONFIG": str(home / "gcloud"),
            "XDG_DATA_HOME": str(home / "data"), "NO_GCE_CHECK": "true"}


@pytest.fixture
def env(key_file, tmp_path):
    return make_env(key_file, tmp_path)


def collect(server, env, out, *extra):
    return genmei("collect", "gcp", "--project", PROJECT, "--endpoint", server.url, "--scc-endpoint", server.url,
                  "--osconfig-endpoint", server.url, "--page-size", "2", "--out", out, *extra, env=env)


def scan(server, env, out, *extra):
    """`scan gcp` against the server: (exit code, {(check, resource short name): result}, stderr)."""
    code, stdout, stderr = genmei("scan", "gcp", "--project", PROJECT, "--endpoint", server.url, "--scc-endpoint", server.url,
                                  "--osconfig-endpoint", server.url, "--page-size", "3", "--out", out, "--format", "json", "--fail-on", "none", "--as-of", AS_OF,
                                  *extra, env=env)
    results = {}
    if code == 0:
        for r in json.loads(stdout)["results"]:
            results[(r["check"], r["resource"].rsplit("/", 1)[-1])] = r
    return code, results, stderr


@pytest.fixture(scope="module")
def collected(key_file, tmp_path_factory):
    """One unhindered collection, shared by the tests that only read its snapshot:
    (exit code, stderr, snapshot text, the CAI requests the server saw, the SCC ones)."""
    directory = tmp_path_factory.mktemp("gcp-collect")
    server = CaiServer(key_file[1], load_assets())
    try:
        out = directory / "snap.json"
        code, _, stderr = collect(server, make_env(key_file, directory), out)
        return code, stderr, out.read_text() if out.exists() else "", list(server.requests), list(server.scc_requests)
    finally:
        server.close()


def by_name(doc):
    return {(r["type"], r["name"]): r for r in doc["resources"]}


def test_collect_reads_every_type_through_pages(collected):
    code, stderr, text, requests, _ = collected
    assert code == 0, stderr
    doc = json.loads(text)
    assert doc["meta"]["provider"] == "gcp" and doc["meta"]["account"] == f"projects/{PROJECT}"
    assert doc["meta"]["accounts"] == [PROJECT]
    # Several pages per type, followed to the end, with the page size asked for.
    firewall_calls = [r for r in requests if r["types"] == ["compute.googleapis.com/Firewall"]]
    assert [r["token"] for r in firewall_calls] == ["", "2", "4", "6"]
    assert all(r["page_size"] == 2 for r in requests)
    assert doc["meta"]["api_calls"]["cloudasset.ListAssets"] == len(requests)
    # IAM policies are read with the IAM_POLICY content type, for buckets only.
    assert {tuple(r["types"]) for r in requests if r["content"] == "IAM_POLICY"} == {("storage.googleapis.com/Bucket",)}
    counts = {}
    for r in doc["resources"]:
        counts[r["type"]] = counts.get(r["type"], 0) + 1
    # (the VMs hold no OS inventory: three unmanaged compute.host_management, test_gcp_vulnerability.py)
    assert counts == {"network.firewall": 8, "network.vpc": 2, "compute.instance": 3, "compute.disk": 3, "storage.bucket": 3,
                      "db.instance": 2, "kms.key": 2, "k8s.cluster": 2, "lb.listener": 5, "cloud.region": 1,
                      "compute.host_management": 3}
    assert doc["meta"]["gaps"] == [] and "description" not in doc["meta"]
    assert "pubsub" not in text  # only the modelled types are requested live


def test_threat_detection_is_read_from_security_command_center_through_pages(collected):
    code, stderr, text, _, scc_requests = collected
    assert code == 0, stderr
    doc = json.loads(text)
    # One project, its five services on three pages of the server's size, every page followed.
    assert [r["path"] for r in scc_requests] == [f"/v1/projects/{PROJECT}/locations/global/securityCenterServices"] * 3
    assert [r["token"] for r in scc_requests] == ["", "2", "4"]
    assert doc["meta"]["api_calls"]["securitycentermanagement.ListSecurityCenterServices"] == 3
    [region] = [r for r in doc["resources"] if r["type"] == "cloud.region"]
    assert region["attrs"] == {"default_disk_encryption": True, "threat_detection_enabled": True,
                               "configuration_recorder": "recording", "vulnerability_scanning_enabled": False,
                               "quota_alarms": []}  # ops2: the project's alert policies, none on a quota
    # Every service stays as evidence, with its intended and effective state by name.
    services = region["raw"]["security_center_services"]
    assert sorted(s["name"].rsplit("/", 1)[-1] for s in services) == sorted(SCC_SERVICES)
    etd = next(s for s in services if s["name"].endswith("/event-threat-detection"))
    assert etd["intended_enablement_state"] == "INHERITED" and etd["effective_enablement_state"] == "ENABLED"
    assert region["raw"]["resource"]["name"] == PROJECT  # the compute Project asset is still there


def test_only_read_calls_are_sent(collected):
    """The server answers GET alone (anything else is 501, and a refused call would show
    as a gap or a reason); every call went to ListAssets or ListSecurityCenterServices."""
    code, stderr, text, requests, scc_requests = collected
    assert code == 0, stderr
    assert all(re.fullmatch(rf"/v1/projects/{PROJECT}/assets", r["path"]) for r in requests)
    assert all(r["path"].endswith("/locations/global/securityCenterServices") for r in scc_requests)


def test_collected_attrs_come_from_the_wire_format(collected):
    r = by_name(json.loads(collected[2]))
    bucket = r[("storage.bucket", "genmei-demo-public-assets")]["attrs"]
    assert bucket["public"] is True and bucket["public_via"] == ["iam:allUsers:roles/storage.objectViewer"]
    assert r[("storage.bucket", "genmei-demo-legacy-acl")]["attrs"]["public"] is False
    # Struct numbers arrive as floats from the client; the normaliser gives integers back.
    rdp = r[("network.firewall", "allow-rdp-world")]["attrs"]["rules"]
    assert rdp == [{"direction": "ingress", "action": "allow", "protocol": "tcp", "port_ranges": [{"from": 3389, "to": 3389}],
                    "sources": ["0.0.0.0/0"], "priority": 1000}]
    nat = r[("compute.instance", "nat-gw")]
    assert nat["attrs"]["anti_spoofing"] is False and nat["attrs"]["serial_port_enabled"] is True
    assert nat["attrs"]["os_login_enabled"] is False  # the instance's FALSE overrides the project's TRUE
    assert r[("compute.instance", "web-1")]["attrs"]["os_login_enabled"] is True  # inherited from the project
    assert "//compute.googleapis.com/projects/genmei-demo/global/firewalls/allow-rdp-world" in nat["attrs"]["firewalls"]
    assert r[("db.instance", "orders-ha")]["zones"] == ["asia-northeast1-a", "asia-northeast1-b"]
    assert r[("db.instance", "orders-ha")]["attrs"]["backup_retention_days"] == 14
    assert r[("kms.key", "disk-key")]["attrs"]["rotation_period_days"] == 90
    assert r[("network.vpc", "prod-vpc")]["attrs"]["flow_logs_enabled"] is True
    assert r[("network.vpc", "dev-vpc")]["attrs"]["flow_logs_enabled"] is False
    assert all(x["source"] == {"kind": "api", "ref": "cloudasset.ListAssets"} for x in r.values())


def test_secrets_never_reach_the_snapshot(collected):
    text = collected[2]
    for secret in ("hunter2-do-not-leak", "s3cret-replica-pw", "BEGIN PRIVATE KEY", "AAAAC3NzaC1lZDI1NTE5", "c2VjcmV0LWNsaWVudC1rZXk="):
        assert secret not in text, secret
    # The metadata settings genmei reads stay visible as evidence.
    nat = by_name(json.loads(text))[("compute.instance", "nat-gw")]
    assert {"key": "serial-port-enable", "value": "true"} in nat["raw"]["resource"]["metadata"]["items"]


def test_the_live_collector_and_the_importer_agree(collected):
    """One normaliser: the API's camelCase wire format and the JSONL export give the
    same resources (except where they came from, and the client's defaults in `raw`)."""
    from genmei.collectors.gcp_cai import read

    live = by_name(json.loads(collected[2]))
    imported = by_name(read([str(FIXTURE)], print))

    def strip(r):
        return {k: v for k, v in r.items() if k not in ("source", "raw")}
    # The one thing an export cannot hold: Security Command Center state, read live only.
    region = ("cloud.region", PROJECT)
    assert live[region]["attrs"].pop("threat_detection_enabled") is True
    assert imported[region]["attrs"].pop("not_collected") == {
        "threat_detection_enabled": "Security Command Center state is not part of Cloud Asset Inventory data",
        # ops2: the export holds no alert policy, so it cannot tell whether a quota is watched
        "quota_alarms": "the project's alert policies (monitoring.googleapis.com/AlertPolicy) were not read"}
    assert live[region]["attrs"].pop("quota_alarms") == []
    assert live[region]["raw"].pop("security_center_services")
    # … and the VMs' OS inventories, which the fixture export was not made with
    # (--content-type=os-inventory): the live VMs' host records have no counterpart.
    live = {k: v for k, v in live.items() if k[0] != "compute.host_management"}
    assert set(live) <= set(imported)
    assert [k for k in live if strip(live[k]) != strip(imported[k])] == []
    assert [k for k in live if live[k].get("raw", {}).get("resource") != imported[k].get("raw", {}).get("resource")] == []


def test_a_refused_asset_type_is_a_gap_and_the_rest_is_read(server, env, tmp_path):
    server.deny_types = {"sqladmin.googleapis.com/Instance", "compute.googleapis.com/Subnetwork"}
    out = tmp_path / "snap.json"
    code, _, stderr = collect(server, env, out)
    assert code == 0, stderr
    doc = json.loads(out.read_text())
    gaps = [g for g in doc["meta"]["gaps"] if g["service"] == "cloudasset"]
    assert len(gaps) == 1
    gap = gaps[0]
    assert gap["scope"] == f"projects/{PROJECT}/global" and gap["api"] == "ListAssets"
    assert gap["resource_types"] == ["db.instance", "network.vpc"]
    assert gap["error_code"] == "PERMISSION_DENIED"
    assert "sqladmin.googleapis.com/Instance (RESOURCE)" in gap["message"]
    types = {r["type"] for r in doc["resources"]}
    assert "db.instance" not in types and "storage.bucket" in types
    # Without the subnets, flow logs are unknown, not guessed.
    assert {r["attrs"].get("flow_logs_enabled") for r in doc["resources"] if r["type"] == "network.vpc"} == {None}


# Checks that fail on the fixture, and where: (resource, criteria, risks).
EXPECTED_FAIL = {
    "GM-ADMIN-001": ("allow-rdp-world", ["7.4.4.2", "7.4.4.6"], ["H05", "H06", "M08", "M09", "L15", "L17"]),
    "GM-NET-001": ("allow-all-world", ["6.6.1.10", "6.6.1.12", "7.4.4.5"], ["H05", "M09", "L17"]),
    "GM-NET-003": ("nat-gw", ["7.4.7.3"], ["M11"]),
    "GM-DB-001": ("orders-public", ["6.6.1.10"], ["H05"]),
    "GM-STO-002": ("genmei-demo-public-assets", ["6.6.1.10"], ["H05"]),
    "GM-TLS-001": ("legacy-https", ["6.6.1.5", "6.8.1.8", "6.9.2.6", "8.3.1.3"], ["M09"]),
    "GM-K8S-001": ("dev-cluster", ["7.4.4.2", "7.4.4.6"], ["H05", "H06", "M08", "M09", "L15", "L17"]),
    "GM-AVL-001": ("orders-public", ["C.1.1.1", "C.2.1.1"], ["H01"]),
    "GM-BAK-001": ("orders-public", ["6.5.1.6"], ["H03"]),
    "GM-LOG-001": ("dev-vpc", ["6.6.1.6", "6.10.1.10"], ["H03", "H05", "H06", "M09", "M11", "L17"]),
    "GM-KMS-001": ("bucket-key", ["8.3.2.10", "8.3.2.17"], ["L16"]),
    "GM-GCP-001": ("nat-gw", ["7.4.4.2", "7.4.4.6"], ["H05", "H06", "M08", "M09", "L15", "L17"]),
    "GM-GCP-002": ("nat-gw", ["7.2.1.2"], ["L15"]),
    "GM-GCP-003": ("genmei-demo-legacy-acl", ["6.6.1.10"], ["H05"]),
}


def test_scan_gcp_runs_end_to_end_and_maps_each_concern(server, env, tmp_path):
    out = tmp_path / "scan"
    code, status, stderr = scan(server, env, out)
    assert code == 0, stderr
    assert (out / "snapshot.json").exists()
    for check, (name, criteria, risks) in EXPECTED_FAIL.items():
        r = status[(check, name)]
        assert r["status"] == "FAIL", (check, name, r["reason"])
        assert r["criteria"] == criteria and r["risks"] == risks, check
    expected_pass = [("GM-ADMIN-001", "allow-ssh-iap"), ("GM-ADMIN-001", "old-ssh-world-disabled"), ("GM-NET-001", "allow-https-world"),
                     ("GM-NET-003", "web-1"), ("GM-DB-001", "orders-ha"), ("GM-STO-002", "genmei-demo-private"),
                     ("GM-TLS-001", "web-https"), ("GM-K8S-001", "prod-cluster"), ("GM-AVL-001", "orders-ha"),
                     ("GM-AVL-001", "prod-cluster"), ("GM-BAK-001", "orders-ha"), ("GM-LOG-001", "prod-vpc"),
                     ("GM-KMS-001", "disk-key"), ("GM-ENC-001", "data-cmek"), ("GM-STO-001", "genmei-demo-private"),
                     ("GM-GCP-001", "web-1"), ("GM-GCP-002", "web-1"), ("GM-GCP-003", "genmei-demo-private")]
    for key in expected_pass:
        assert status[key]["status"] == "PASS", (key, status[key]["reason"])
    # Plaintext HTTP is a failure; an HTTP proxy that only redirects is not, but its TLS
    # version is unknown; Cloud SQL gives no minimum version; GCS gives no TLS setting.
    assert status[("GM-TLS-001", "web-http-plain")]["status"] == "FAIL"
    assert status[("GM-TLS-001", "web-http-redirect")]["status"] == "NOT_EVALUATED"
    assert status[("GM-TLS-001", "tcp-tls-default")]["status"] == "FAIL"  # Google's default policy allows TLS 1.0
    assert status[("GM-TLS-001", "orders-ha")]["status"] == "NOT_EVALUATED"
    assert status[("GM-TLS-001", "genmei-demo-private")]["status"] == "NOT_EVALUATED"
    assert ("GM-AVL-001", "prod-vpc") not in status  # a network is not a workload: not judged for zones
    # Event Threat Detection is effectively on (inherited from the organisation); disks
    # are always encrypted by default on GCP.
    assert status[("GM-IDS-001", PROJECT)]["status"] == "PASS"
    assert status[("GM-ENC-003", PROJECT)]["status"] == "PASS"
    assert not [k for k, r in status.items() if r["status"] == "ERROR" or k[1].startswith("gap:")]


def test_threat_detection_off_fails_like_guardduty_off(server, env, tmp_path):
    server.scc[PROJECT] = scc_services(PROJECT, "DISABLED")
    code, status, stderr = scan(server, env, tmp_path / "scan")
    assert code == 0, stderr
    r = status[("GM-IDS-001", PROJECT)]
    assert r["status"] == "FAIL" and r["reason"] == "threat detection is off"
    # The same 項番 and risks as a region without GuardDuty (tests/test_cross_cloud.py).
    assert r["criteria"] == ["6.6.1.14", "6.6.1.15"] and r["risks"] == ["H03", "H05", "H06", "M09", "M11", "L17"]
    assert r["severity"] == "medium"


def test_a_refused_security_command_center_leaves_only_threat_detection_unevaluated(server, env, tmp_path):
    code, unhindered, stderr = scan(server, env, tmp_path / "ok")
    assert code == 0, stderr
    server.scc_deny = True
    out = tmp_path / "scan"
    code, status, stderr = scan(server, env, out)
    assert code == 0, stderr
    r = status[("GM-IDS-001", PROJECT)]
    assert r["status"] == "NOT_EVALUATED"
    assert r["reason"] == (f"attrs.threat_detection_enabled was not collected: Security Command Center ListSecurityCenterServices "
                           f"for projects/{PROJECT}/locations/global failed (PERMISSION_DENIED: Permission "
                           "'securitycentermanagement.securityCenterServices.list' denied on resource)")
    # Everything else, on the same project's cloud.region too, is judged as before: no gap.
    assert status[("GM-ENC-003", PROJECT)]["status"] == "PASS"
    assert {k: v["status"] for k, v in status.items() if k[0] != "GM-IDS-001"} == \
        {k: v["status"] for k, v in unhindered.items() if k[0] != "GM-IDS-001"}
    doc = json.loads((out / "snapshot.json").read_text())
    assert doc["meta"]["gaps"] == []
    assert doc["meta"]["api_calls"]["securitycentermanagement.ListSecurityCenterServices"] == 1
    assert doc["meta"]["description"].startswith("threat detection (GM-IDS-001) not evaluated for 1 project(s)")
    assert f"projects/{PROJECT}: PERMISSION_DENIED" in doc["meta"]["description"]


def test_a_throttled_security_command_center_call_is_retried(server, env, tmp_path):
    server.scc_throttle = 1
    out = tmp_path / "snap.json"
    code, _, stderr = collect(server, env, out)
    assert code == 0, stderr
    [region] = [r for r in json.loads(out.read_text())["resources"] if r["type"] == "cloud.region"]
    assert region["attrs"]["threat_detection_enabled"] is True
    assert [r["token"] for r in server.scc_requests] == ["", "", "2", "4"]  # the 429, then the three pages


def test_an_unknown_state_is_not_evaluated_with_the_state(server, env, tmp_path):
    server.scc[PROJECT] = scc_services(PROJECT, "ENABLEMENT_STATE_UNSPECIFIED")
    out = tmp_path / "snap.json"
    code, _, stderr = collect(server, env, out)
    assert code == 0, stderr
    [region] = [r for r in json.loads(out.read_text())["resources"] if r["type"] == "cloud.region"]
    assert "threat_detection_enabled" not in region["attrs"]
    assert region["attrs"]["not_collected"] == {
        "threat_detection_enabled": "the effective enablement state of Event Threat Detection is ENABLEMENT_STATE_UNSPECIFIED"}


def test_no_scc_skips_security_command_center_and_says_so(server, env, tmp_path):
    out = tmp_path / "snap.json"
    code, _, stderr = collect(server, env, out, "--no-scc")
    assert code == 0, stderr
    assert server.scc_requests == []
    doc = json.loads(out.read_text())
    assert "securitycentermanagement.ListSecurityCenterServices" not in doc["meta"]["api_calls"]
    [region] = [r for r in doc["resources"] if r["type"] == "cloud.region"]
    assert region["attrs"] == {"default_disk_encryption": True, "configuration_recorder": "recording",
                               "vulnerability_scanning_enabled": False, "quota_alarms": [],
                               "not_collected": {"threat_detection_enabled": "Security Command Center was not read (--no-scc)"}}


def test_a_refused_scope_is_a_collection_error(server, env, tmp_path):
    out = tmp_path / "snap.json"
    code, stdout, stderr = genmei("collect", "gcp", "--project", "someone-elses", "--endpoint", server.url, "--out", out, env=env)
    assert code == 3
    assert stderr.count("\n") == 1 and "PERMISSION_DENIED" in stderr and "projects/someone-elses" in stderr
    assert "Traceback" not in stderr and not out.exists()


def test_no_credentials_is_a_collection_error_without_waiting(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {"GOOGLE_APPLICATION_CREDENTIALS": "", "HOME": str(home), "CLOUDSDK_CONFIG": str(home / "gcloud"), "NO_GCE_CHECK": "true"}
    out = tmp_path / "snap.json"
    code, _, stderr = genmei("collect", "gcp", "--project", PROJECT, "--endpoint", "http://127.0.0.1:9", "--out", out, env=env)
    assert code == 3 and "no Google Cloud credentials" in stderr and not out.exists()


def test_unreachable_endpoint_is_a_collection_error(env, tmp_path):
    out = tmp_path / "snap.json"
    code, _, stderr = genmei("collect", "gcp", "--project", PROJECT, "--endpoint", "http://127.0.0.1:9", "--out", out, env=env)
    assert code == 3 and "cannot reach the Cloud Asset Inventory endpoint" in stderr and "ConnectionError" in stderr
    assert not out.exists()


def test_an_endpoint_that_never_answers_ends_within_a_minute(env, tmp_path):
    """A loopback port that accepts and never answers: the first call times out, and the
    other asset types are not attempted (each would wait the same); one line, exit 3."""
    out = tmp_path / "snap.json"
    with silent_endpoint() as (port, held):
        url = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        code, _, stderr = genmei("collect", "gcp", "--project", PROJECT, "--endpoint", url, "--scc-endpoint", url,
                                 "--out", out, env=env)
        took = time.monotonic() - started
    assert code == 3 and took < 60, (took, stderr)
    assert stderr.count("\n") == 1 and "cannot reach the Cloud Asset Inventory endpoint" in stderr
    assert "Timeout" in stderr and held and not out.exists()


@pytest.mark.parametrize("call, request_", [
    ("export_assets", {"parent": f"projects/{PROJECT}", "output_config": {"gcs_destination": {"uri": "gs://b/o"}}}),
    ("search_all_resources", {"scope": f"projects/{PROJECT}"}),
    ("analyze_iam_policy", {"analysis_query": {"scope": f"projects/{PROJECT}"}}),
    ("batch_get_assets_history", {"parent": f"projects/{PROJECT}"}),
])
def test_only_the_two_list_calls_can_be_sent(key_file, call, request_):
    """The clients' sessions refuse any other RPC before it is sent: the endpoint (a
    counting socket) sees no connection."""
    from google.oauth2 import service_account

    from genmei.collectors.gcp import assets, guard

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    sock.settimeout(0.2)
    try:
        creds = service_account.Credentials.from_service_account_file(
            str(key_file[0]), scopes=["https://www.googleapis.com/auth/cloud-platform"])
        client = assets.make_client(f"http://127.0.0.1:{sock.getsockname()[1]}", creds)
        with pytest.raises(guard.ReadOnlyViolation, match="read-only"):
            getattr(client, call)(request=request_)
        with pytest.raises(socket.timeout):
            sock.accept()
    finally:
        sock.close()
    guard.check_request("GET", f"https://cloudasset.googleapis.com/v1/projects/{PROJECT}/assets?assetTypes=x")
    guard.check_request("GET", f"https://h/v1/projects/{PROJECT}/locations/global/securityCenterServices")
    with pytest.raises(guard.ReadOnlyViolation):
        guard.check_request("POST", f"https://h/v1/projects/{PROJECT}/assets")


@pytest.mark.parametrize("args, message", [
    ((), "one of the arguments --project --folder --organization is required"),
    (("--project", "a", "--folder", "1"), "not allowed with argument"),
    (("--project", "projects/a"), "expected a bare project id"),
    (("--project", "a", "--page-size", "0"), "--page-size 0"),
])
def test_bad_options_are_usage_errors(args, message, tmp_path, capsys):
    from genmei.engine.cli import main

    try:
        code = main(["collect", "gcp", *args, "--out", str(tmp_path / "x.json")])
    except SystemExit as e:  # argparse's own usage errors
        code = e.code
    assert code == 2 and message in capsys.readouterr().err


def test_every_first_request_answered_429_still_reads_every_asset(server, env, tmp_path, collected):
    """ListAssets' quota (100 a minute per project): every page of every type is first
    refused 429 with Retry-After; each is sent again after it and every asset is read —
    the same snapshot as an unhindered collection, with no gap."""
    server.throttle_first, server.retry_after = True, "0"
    out = tmp_path / "snap.json"
    code, _, stderr = collect(server, env, out)
    assert code == 0, stderr
    doc, unhindered = json.loads(out.read_text()), json.loads(collected[2])
    assert doc["meta"]["gaps"] == []
    assert [r["id"] for r in doc["resources"]] == [r["id"] for r in unhindered["resources"]]
    assert [r["attrs"] for r in doc["resources"]] == [r["attrs"] for r in unhindered["resources"]]
    # Each distinct request was refused once and then answered: twice as many requests.
    assert len(server.throttled) == len(collected[3]) and len(server.requests) == 2 * len(collected[3])


def test_a_429_without_retry_after_is_backed_off_and_the_quota_project_is_billed(server, env, tmp_path):
    """Without Retry-After the client waits on its own (exponential back-off from 1 s) and
    sends it again; --quota-project reaches the server on every call (x-goog-user-project)."""
    server.throttle_first, server.throttle_limit = True, 1
    out = tmp_path / "snap.json"
    started = time.monotonic()
    code, _, stderr = collect(server, env, out, "--quota-project", "billing-project", "--log-level", "debug")
    assert code == 0, stderr
    assert time.monotonic() - started >= 0.5  # the back-off waited (half of the first second at least)
    assert len(server.throttled) == 1 and "429; sending it again in" in stderr
    assert json.loads(out.read_text())["meta"]["gaps"] == []
    assert set(server.quota_projects) == {"billing-project"}


def test_a_quota_that_outlasts_the_retries_is_a_gap(server, env, tmp_path, monkeypatch):
    """When the 429s do not stop, the types refused are a gap naming the quota, never a PASS."""
    from genmei.collectors.gcp import guard

    assert guard.RETRY_BUDGET >= 2 * guard.QUOTA[1]  # the retries outlast a whole quota window
    server.deny_types = set()
    server.throttle_first, server.retry_after = True, str(int(guard.RETRY_BUDGET) + 1)  # longer than the budget
    server.throttle_limit = None
    out = tmp_path / "snap.json"
    code, _, stderr = collect(server, env, out, "--no-scc")
    # Every type refused: nothing read → exit 3 with the quota's message.
    assert code == 3 and "RESOURCE_EXHAUSTED" in stderr and "List Assets requests" in stderr, stderr
    assert not out.exists()


def test_a_live_gcp_source_in_a_service_configuration(server, env, tmp_path):
    """genmei.yaml with a live GCP project (read through the real clients from the loopback
    server) and the AWS example snapshot: one scan, results of both clouds, the live source's
    digest that of what `collect gcp` would have written."""
    import yaml

    from conftest import DEMO_SNAPSHOT

    config = tmp_path / "genmei.yaml"
    config.write_text(yaml.safe_dump({
        "service": "svc", "organisation": "Org", "fail_on": "none", "store": False, "out": "evidence",
        "sources": [{"name": "aws", "snapshot": str(DEMO_SNAPSHOT)},
                    {"name": "gcp", "gcp": {"project": PROJECT, "endpoint": server.url, "scc_endpoint": server.url,
                                            "page_size": 3, "quota_project": "billing-project",
                                                "osconfig_endpoint": server.url}}]}))
    code, stdout, stderr = genmei("scan", "--config", config, "--format", "json", "--as-of", AS_OF, env=env)
    assert code == 0, stderr
    ev = json.loads(stdout)
    assert {r["provider"] for r in ev["results"]} == {"aws", "gcp"}
    aws, gcp = ev["snapshot"]["sources"]
    assert (gcp["provider"], gcp["account"], gcp["input"]) == ("gcp", f"projects/{PROJECT}", {"kind": "live"})
    assert gcp["collector"]["name"] == "genmei-gcp-cai" and gcp["gaps"] == []
    status = {(r["check"], r["resource"].rsplit("/", 1)[-1]): r["status"] for r in ev["results"]}
    assert status[("GM-ADMIN-001", "allow-rdp-world")] == "FAIL" and status[("GM-ADMIN-001", "sg-0b22admin")] == "FAIL"
    snapshot = json.loads((tmp_path / "evidence" / "snapshot.json").read_text())
    assert snapshot["meta"]["sources"][1]["api_calls"]["cloudasset.ListAssets"] == len(server.requests)
    assert set(server.quota_projects) == {"billing-project"}
