"""The Security Command Center call of the GCP collector: Security Center Management
ListSecurityCenterServices, read-only, once per project (every page followed).

Cloud Asset Inventory holds no Security Command Center state, so threat detection
(GM-IDS-001) needs this second API. Each service comes back with its intended state at
the project and its *effective* state, which includes what the project inherits from
its folders and organisation — the state that decides whether anything is watching.

A refused or failed call (403, API not enabled, Security Command Center not activated,
429 or 503 still failing after retries, no connection) costs only that project's threat
detection: it is reported per project, never as a gap over `cloud.region`, because the
same resource carries settings CAI did read (default disk encryption).
"""

import time
from dataclasses import dataclass, field

from .assets import api_errors, describe_error, whole_numbers
from .guard import CALL_TIMEOUT, connection_failure, guarded

API = "securitycentermanagement.ListSecurityCenterServices"
ORIGIN = {"kind": "api", "ref": API}
LOCATION = "global"
TIMEOUT = 60.0


@dataclass
class ProjectServices:
    """What one project's call gave: the services as dicts (enum names, snake_case
    fields, as `SecurityCenterService.to_dict` writes them), or why there are none."""
    project: str
    services: list[dict] | None = None
    error_code: str | None = None
    message: str | None = None

    @property
    def failed(self) -> bool:
        return self.services is None

    def why(self) -> str:
        return f"Security Command Center ListSecurityCenterServices for {parent_of(self.project)} failed ({self.error_code}: {self.message})"


@dataclass
class Reading:
    projects: dict[str, ProjectServices] = field(default_factory=dict)
    calls: int = 0

    def failures(self) -> list[ProjectServices]:
        return [p for p in self.projects.values() if p.failed]


def parent_of(project: str) -> str:
    return f"projects/{project}/locations/{LOCATION}"


def make_client(endpoint: str | None, credentials):
    from google.api_core.client_options import ClientOptions
    from google.cloud import securitycentermanagement_v1

    options = ClientOptions(api_endpoint=endpoint) if endpoint else None
    return guarded(securitycentermanagement_v1.SecurityCenterManagementClient(credentials=credentials, transport="rest",
                                                                              client_options=options))


def retry_policy():
    """The client retries nothing on this method by default; a quota refusal (429) or an
    unavailable service (503) is retried with back-off for up to a minute before the
    project's threat detection is given up as not collected."""
    from google.api_core import exceptions as core
    from google.api_core import retry

    return retry.Retry(predicate=retry.if_exception_type(core.TooManyRequests, core.ServiceUnavailable),
                       initial=1.0, maximum=16.0, multiplier=2.0, timeout=TIMEOUT)


def read_projects(client, projects, progress, deadline: float | None = None) -> Reading:
    """Each project's services; after a failure of the connection itself, or past the
    run's deadline, the remaining projects are not attempted and say why."""
    from google.cloud import securitycentermanagement_v1 as scc

    call_errors = api_errors()
    policy = retry_policy()
    reading = Reading()
    stop = None
    for project in sorted(projects):
        parent = parent_of(project)
        if stop is None and deadline is not None and time.monotonic() > deadline:
            stop = ("Timeout", "the collection's time limit (--timeout) ran out before this call")
        if stop is not None:
            reading.projects[project] = ProjectServices(project, error_code=stop[0], message=stop[1])
            continue
        progress(f"listing Security Command Center services of {parent}…")
        request = scc.ListSecurityCenterServicesRequest(parent=parent)
        services = []
        try:
            for page in client.list_security_center_services(request=request, retry=policy, timeout=CALL_TIMEOUT).pages:
                reading.calls += 1
                services += [service_dict(s) for s in page.security_center_services]
        except call_errors as e:
            reading.calls += 1
            code, message = describe_error(e)
            reading.projects[project] = ProjectServices(project, error_code=code, message=message)
            progress(f"could not read Security Command Center services of {parent}: {code}: {message}")
            if connection_failure(e):
                stop = (code, f"not attempted after {parent}'s call failed to connect: {message}")
            continue
        reading.projects[project] = ProjectServices(project, services=services)
    return reading


def service_dict(service) -> dict:
    """A service as a dict with enum names (an enum value newer than this client stays
    its number, which no decision treats as ENABLED or DISABLED)."""
    from google.cloud import securitycentermanagement_v1 as scc

    return whole_numbers(scc.SecurityCenterService.to_dict(service, use_integers_for_enums=False,
                                                             preserving_proto_field_name=True))
