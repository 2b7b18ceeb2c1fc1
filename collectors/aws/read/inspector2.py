"""Amazon Inspector in one region: whether it scans the account's EC2 instances (and ECR
images, Lambda functions), and the account's active findings.

Findings are read only where Inspector scans something: a region where every scan type
is off has none to read. They are filtered to this account, so a delegated administrator
does not also report its members' findings (with --accounts each member reads its own).
"""

STATUS_HIDES = ("cloud.region",)
FINDINGS_HIDES = ("vulnerability.report",)
ACTIVE = {"findingStatus": [{"comparison": "EQUALS", "value": "ACTIVE"}]}


def read(r) -> dict:
    raw = {}
    status = r.get("inspector2:BatchGetAccountStatus", STATUS_HIDES, accountIds=[r.clients.account])
    if status is not None:
        raw["inspector2:BatchGetAccountStatus"] = status
        if not scans_anything(status, r.clients.account):
            return raw
    criteria = {**ACTIVE, "awsAccountId": [{"comparison": "EQUALS", "value": r.clients.account}]}
    findings = r.list("inspector2:ListFindings", "findings", FINDINGS_HIDES, filterCriteria=criteria)
    if findings is not None:
        raw["inspector2:ListFindings"] = findings
    return raw


def account_state(status: dict, account: str) -> dict | None:
    return next((a for a in status.get("accounts") or [] if a.get("accountId") == account), None)


def scans_anything(status: dict, account: str) -> bool:
    """False only when Inspector says every scan type is off for the account; an answer
    without the account (or a failed one) is no reason to skip the findings."""
    state = account_state(status, account)
    if state is None:
        return True
    return any((v or {}).get("status") != "DISABLED" for v in (state.get("resourceState") or {}).values())
