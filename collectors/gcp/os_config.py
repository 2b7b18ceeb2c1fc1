"""The OS Config call of the GCP collector: VM Manager's vulnerability reports,
ListVulnerabilityReports on projects/P/locations/ZONE/instances/- (every VM of a zone),
read-only, once per project and zone that has VMs, every page followed.

Cloud Asset Inventory holds no vulnerability reports. A report exists for every VM whose
OS Config agent has reported its packages — with no vulnerability listed, it is a VM
found clean. A refused or failed call (403, the API not enabled, retries run out, no
connection) is a gap over vulnerability.report in that project and zone: the reports it
would have returned cannot be told from "none".
"""

import time
from dataclasses import dataclass, field

from .assets import api_errors, describe_error, whole_numbers
from .guard import CALL_TIMEOUT, connection_failure, guarded

API = "osconfig.ListVulnerabilityReports"
HIDES = ["vulnerability.report"]


@dataclass
class Reading:
    reports: list[dict] = field(default_factory=list)  # VulnerabilityReport.to_dict, snake_case, enum names
    gaps: list[dict] = field(default_factory=list)
    calls: int = 0


def make_client(endpoint: str | None, credentials):
    from google.api_core.client_options import ClientOptions
    from google.cloud import osconfig_v1

    options = ClientOptions(api_endpoint=endpoint) if endpoint else None
    return guarded(osconfig_v1.OsConfigZonalServiceClient(credentials=credentials, transport="rest", client_options=options))


def read_zones(client, zones: set[tuple[str, str]], progress, deadline: float | None = None) -> Reading:
    """Every report of each (project, zone); after a failure of the connection itself, or
    past the run's deadline, the remaining zones are not attempted and are gaps."""
    from google.cloud import osconfig_v1

    call_errors = api_errors()
    reading = Reading()
    stop = None
    for project, zone in sorted(zones):
        parent = f"projects/{project}/locations/{zone}/instances/-"
        if stop is None and deadline is not None and time.monotonic() > deadline:
            stop = ("Timeout", "the collection's time limit (--timeout) ran out before this call")
        if stop is not None:
            reading.gaps.append(_gap(project, zone, *stop))
            continue
        progress(f"listing VM Manager vulnerability reports of {parent}…")
        found = []
        try:
            request = osconfig_v1.ListVulnerabilityReportsRequest(parent=parent)
            for page in client.list_vulnerability_reports(request=request, timeout=CALL_TIMEOUT).pages:
                reading.calls += 1
                found += [whole_numbers(osconfig_v1.VulnerabilityReport.to_dict(r)) for r in page.vulnerability_reports]
        except call_errors as e:
            reading.calls += 1
            code, message = describe_error(e)
            reading.gaps.append(_gap(project, zone, code, message))
            if connection_failure(e):
                stop = (code, f"not attempted after {parent}'s call failed to connect: {message}")
            continue
        reading.reports += found
    return reading


def _gap(project: str, zone: str, code: str, message: str) -> dict:
    return {"scope": f"projects/{project}/{zone}", "service": "osconfig", "api": "ListVulnerabilityReports",
            "resource_types": HIDES, "error_code": code, "message": message}
