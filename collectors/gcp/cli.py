"""`genmei collect gcp` / `genmei scan gcp`: read a project, folder or organisation
through Cloud Asset Inventory (read-only ListAssets), then each project's Security
Command Center services (read-only ListSecurityCenterServices, for threat detection) and
VM Manager's vulnerability reports (read-only ListVulnerabilityReports), and return a
canonical snapshot.

Credentials are Application Default Credentials (`gcloud auth application-default
login`, GOOGLE_APPLICATION_CREDENTIALS, or the metadata server of a GCP host; set
NO_GCE_CHECK=true off GCP so the lookup does not wait on a metadata server). The
caller needs roles/cloudasset.viewer on the scope, and for threat detection
roles/securitycentermanagement.viewer (securitycentermanagement.securityCenterServices.list);
without the latter only GM-IDS-001 is left not evaluated, per project, with the reason.
VM Manager's vulnerability reports need roles/osconfig.vulnerabilityReportViewer
(osconfig.vulnerabilityReports.list); a refusal is a gap over vulnerability.report.
"""

import time

from genmei.engine.errors import CollectionError, InputError

from ..limits import DEFAULT_TIMEOUT

TITLE = "Google Cloud (Cloud Asset Inventory)"
SCOPE = "https://www.googleapis.com/auth/cloud-platform"


def add_arguments(parser) -> None:
    scope = parser.add_mutually_exclusive_group(required=True)
    scope.add_argument("--project", metavar="P", help="project id or number")
    scope.add_argument("--folder", metavar="F", help="folder number")
    scope.add_argument("--organization", metavar="O", help="organisation number")
    parser.add_argument("--endpoint", metavar="URL",
                        help="Cloud Asset API endpoint (default: cloudasset.googleapis.com; http:// for a local test server)")
    parser.add_argument("--page-size", type=int, default=500, metavar="N", help="assets per ListAssets page (default: 500)")
    parser.add_argument("--scc-endpoint", metavar="URL",
                        help="Security Center Management API endpoint, read for threat detection "
                             "(default: securitycentermanagement.googleapis.com; http:// for a local test server)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S",
                        help=f"time limit of the whole collection in seconds (default: {DEFAULT_TIMEOUT}); what is not read "
                             "by then is a collection gap (NOT_EVALUATED), never a PASS")
    parser.add_argument("--quota-project", metavar="P",
                        help="project billed for the API quota (x-goog-user-project), e.g. when the credentials are a "
                             "user's; ListAssets allows 100 requests a minute per quota project")
    parser.add_argument("--no-scc", action="store_true",
                        help="do not read Security Command Center: threat detection (GM-IDS-001) is then not evaluated")
    parser.add_argument("--osconfig-endpoint", metavar="URL",
                        help="OS Config API endpoint, read for VM Manager's vulnerability reports "
                             "(default: osconfig.googleapis.com; http:// for a local test server)")
    parser.add_argument("--no-osconfig", action="store_true",
                        help="do not read VM Manager's vulnerability reports: open vulnerabilities (GM-VUL-002) are then a gap")


def parent_of(args) -> str:
    for flag, prefix in (("project", "projects"), ("folder", "folders"), ("organization", "organizations")):
        value = getattr(args, flag, None)
        if value:
            value = value.strip()
            if not value or "/" in value:
                raise InputError(f"--{flag} {value!r}: expected a bare {flag} id, such as my-project or 123456789")
            return f"{prefix}/{value}"
    raise InputError("gcp needs one of --project, --folder or --organization")


def validate(args) -> str:
    """The options, refused (InputError) before anything runs; returns the scope's parent."""
    parent = parent_of(args)
    if args.page_size < 1 or args.page_size > 1000:
        raise InputError(f"--page-size {args.page_size}: expected 1 to 1000")
    timeout = getattr(args, "timeout", DEFAULT_TIMEOUT)
    if not 1 <= timeout <= 24 * 3600:
        raise InputError(f"--timeout {timeout:g}: expected 1 to 86400 seconds")
    return parent


def credentials(quota_project: str | None = None):
    """Application Default Credentials; with a quota project, every call they sign bills
    its quota there (x-goog-user-project)."""
    import google.auth
    from google.auth.exceptions import DefaultCredentialsError

    try:
        creds, _ = google.auth.default(scopes=[SCOPE], quota_project_id=quota_project)
    except DefaultCredentialsError as e:
        raise CollectionError(f"no Google Cloud credentials: {' '.join(str(e).split())} "
                              "(run `gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS)") from None
    return creds


def collect(args, progress) -> dict:
    from . import assets as api
    from . import security_center as scc
    from .envelope import now, snapshot
    from .normalise import MODELLED, normalise
    from .normalise.asset import AssetError
    from .normalise.project import NOT_READ, with_threat_detection

    parent = validate(args)
    timeout = getattr(args, "timeout", DEFAULT_TIMEOUT)
    deadline = time.monotonic() + timeout
    started = now()
    quota_project = getattr(args, "quota_project", None)
    creds = credentials(quota_project)
    client = api.make_client(args.endpoint, creds, deadline)
    reading = api.read_all(client, parent, args.page_size, progress, deadline)
    if not reading.read_types and not reading.iam_read:
        first = reading.failures[0]
        what = (f"cannot reach the Cloud Asset Inventory endpoint {args.endpoint or 'cloudasset.googleapis.com'}"
                if reading.unreachable else f"nothing could be read from {parent} through Cloud Asset Inventory")
        raise CollectionError(f"{what}: {first.error_code}: {first.message}")
    scope = f"{parent}/global"
    gaps = merged_gaps(scope, reading.failures)
    try:
        norm = normalise(reading.assets, reading.read_types, reading.iam_read, inventory_read=reading.inventory_read,
                         observed_at=started)
    except AssetError as e:
        raise CollectionError(f"gcp: Cloud Asset Inventory returned malformed data: {e}") from None
    if reading.unreadable:
        gaps.append({"scope": scope, "service": "cloudasset", "api": "ListAssets (unreadable assets)",
                     "resource_types": sorted({t for t, _ in MODELLED.values()}), "error_code": "MalformedAsset",
                     "message": f"{reading.unreadable} asset(s) returned without a name or asset type were skipped"})
    progress(f"read {len(reading.assets)} assets in {reading.calls} calls; {len(norm.resources)} resources, {len(gaps)} gap(s)")
    api_calls = {"cloudasset.ListAssets": reading.calls}
    source = args.endpoint or "cloudasset.googleapis.com"
    note = None
    if args.no_scc:
        for r in project_regions(norm.resources):
            with_threat_detection(r, None, NOT_READ)
    else:
        api_calls[scc.API], note = add_threat_detection(args.scc_endpoint, creds, norm.resources, progress, deadline)
        source += f", {args.scc_endpoint or 'securitycentermanagement.googleapis.com'}"
    if args.no_osconfig:
        gaps.append({"scope": scope, "service": "osconfig", "api": "ListVulnerabilityReports", "resource_types": ["vulnerability.report"],
                     "error_code": "NotRead", "message": "VM Manager's vulnerability reports were not read (--no-osconfig)"})
    elif "compute.googleapis.com/Instance" in reading.read_types:
        calls, found_gaps, endpoint = add_vulnerability_reports(args, creds, norm, reading.assets, started, progress, deadline)
        gaps += found_gaps
        api_calls["osconfig.ListVulnerabilityReports"] = calls
        source += f", {endpoint or 'osconfig.googleapis.com'}"
    return snapshot(norm, account=parent, collector="genmei-gcp-cai", source=source,
                    started=started, gaps=gaps, api_calls=api_calls, description=note)


def add_vulnerability_reports(args, creds, norm, assets, started: str, progress, deadline) -> tuple[int, list, str | None]:
    """Read VM Manager's vulnerability reports of every zone that has VMs and add them to
    the resources: (calls made, gaps, the endpoint)."""
    from . import os_config
    from .normalise import segment, vulnerability_reports
    from .normalise.asset import AssetError

    endpoint = args.osconfig_endpoint
    zones = {(segment(a.name, "projects"), segment(a.name, "zones")) for a in assets
             if a.asset_type == "compute.googleapis.com/Instance" and segment(a.name, "zones")}
    found = os_config.read_zones(os_config.make_client(endpoint, creds), zones, progress, deadline)
    try:
        norm.resources.extend(vulnerability_reports(found.reports, assets, started))
    except AssetError as e:
        raise CollectionError(f"gcp: OS Config returned malformed data: {e}") from None
    progress(f"read {len(found.reports)} vulnerability report(s) of {len(zones)} zone(s) in {found.calls} calls")
    return found.calls, found.gaps, endpoint


def project_regions(resources: list[dict]) -> list[dict]:
    return [r for r in resources if r["type"] == "cloud.region"]


def add_threat_detection(endpoint: str | None, creds, resources: list[dict], progress,
                         deadline: float | None = None) -> tuple[int, str | None]:
    """Read each project's Security Command Center services and set its threat detection.
    Returns the calls made and, when some projects could not be read, the note for
    meta.description (the per-project reason is on each resource, not a gap)."""
    from . import security_center as scc
    from .normalise.project import with_threat_detection

    regions = project_regions(resources)
    if not regions:
        return 0, None
    reading = scc.read_projects(scc.make_client(endpoint, creds), {r["account"] for r in regions}, progress, deadline)
    for r in regions:
        got = reading.projects[r["account"]]
        with_threat_detection(r, got.services, got.why() if got.failed else None)
    failures = reading.failures()
    progress(f"read Security Command Center services of {len(regions) - len(failures)} of {len(regions)} project(s) "
             f"in {reading.calls} calls")
    if not failures:
        return reading.calls, None
    listed = "; ".join(f"projects/{f.project}: {f.error_code}: {f.message}" for f in failures[:5])
    more = f"; and {len(failures) - 5} more" if len(failures) > 5 else ""
    return reading.calls, (f"threat detection (GM-IDS-001) not evaluated for {len(failures)} project(s): Security Command "
                           f"Center ListSecurityCenterServices failed — {listed}{more}")


def merged_gaps(scope: str, failures) -> list[dict]:
    """One gap per scope and API: the engine names a gap's records by scope, service and
    API, so failures of several asset types in one scope are one gap listing them all."""
    # Project ids (cloudresourcemanager) feed no check: their refusal only leaves numbers as account names.
    from .envelope import canonical_types

    def fed(f) -> list[str]:  # a VM's OS inventory feeds its host-management record only
        return ["compute.host_management"] if f.content == "OS_INVENTORY" else canonical_types([f.asset_type])

    failures = [f for f in failures if fed(f)]
    if not failures:
        return []
    types = sorted({t for f in failures for t in fed(f)})
    codes = sorted({f.error_code for f in failures})
    listed = ", ".join(f"{f.asset_type} ({f.content})" for f in failures)
    message = f"{failures[0].message} — refused for: {listed}"
    return [{"scope": scope, "service": "cloudasset", "api": "ListAssets", "resource_types": types,
             "error_code": ",".join(codes), "message": message}]
