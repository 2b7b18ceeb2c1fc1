"""IAM → iam.user from the users list and the credential report (console password, MFA,
active access keys). The report's <root_account> row is read by account.py."""

import csv
import io

from .common import resource

ROOT_ROW = "<root_account>"


def report_rows(response) -> list[dict] | None:
    """The credential report's CSV rows (boto3 gives bytes; recordings may hold text)."""
    if not response or "Content" not in response:
        return None
    content = response["Content"]
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else str(content)
    return list(csv.DictReader(io.StringIO(text)))


def user_attrs(rows: list[dict]) -> dict:
    """A user's attrs from its report rows; a user listed twice is judged by the worse row."""
    if not rows:
        return {"console_access": None, "mfa_enabled": None, "active_access_keys": None}
    return {"console_access": any(r.get("password_enabled") == "true" for r in rows),
            "mfa_enabled": all(r.get("mfa_active") == "true" for r in rows),
            "active_access_keys": max(sum(r.get(f"access_key_{n}_active") == "true" for n in (1, 2)) for r in rows)}


def resources(acct):
    rows = report_rows(acct.global_.get("iam:GetCredentialReport"))
    by_arn: dict[str, list] = {}
    for row in rows or []:
        if row.get("user") != ROOT_ROW and row.get("arn"):
            by_arn.setdefault(row["arn"], []).append(row)
    users = acct.global_.get("iam:ListUsers")
    if users is None:  # the report alone still names every user
        users = [{"UserName": r[0]["user"], "Arn": arn} for arn, r in by_arn.items()]
    for u in users:
        mine = by_arn.get(u["Arn"], [])
        yield resource(acct, type="iam.user", native="AWS::IAM::User", id=u["Arn"], name=u["UserName"],
                       attrs=user_attrs(mine),
                       raw={"User": u, "CredentialReport": mine}, ref="iam:GetCredentialReport")
