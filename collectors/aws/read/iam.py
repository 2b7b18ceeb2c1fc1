"""IAM, account-wide: users, and the credential report (console passwords, MFA, access
keys, and the root user's MFA and keys).

The report is built by iam:GenerateCredentialReport, the one write genmei sends (it is in
AWS's SecurityAudit policy); if that is denied, a report built earlier is still read.
"""

import time

from ..calls import ANY

HIDES_USERS = ("iam.user",)
HIDES_REPORT = ("iam.user", "cloud.account")
REPORT_POLLS, REPORT_WAIT = 12, 4.0  # AWS builds a report in seconds; wait at most ~35 s
sleep = time.sleep  # replaced by tests


def read(r) -> dict:
    raw = {}
    users = r.list("iam:ListUsers", "Users", HIDES_USERS)
    if users is not None:
        raw["iam:ListUsers"] = users
    for attempt in range(REPORT_POLLS):
        state = r.get("iam:GenerateCredentialReport", HIDES_REPORT, answers=ANY)
        if "Error" in state or state.get("State") == "COMPLETE":
            break
        sleep(min(REPORT_WAIT, 0.25 * 2 ** attempt))
    report = r.get("iam:GetCredentialReport", HIDES_REPORT)
    if report is not None:
        raw["iam:GetCredentialReport"] = report
    return raw
