"""Raw AWS API JSON → canonical resources (mappings/resource-types.yaml), kept apart from the
calls: pure functions of model.AccountRaw, no boto3, so recorded responses normalise
offline exactly as live ones do.

A value the raw data does not establish is None (the check then says NOT_EVALUATED);
it is never guessed from defaults.
"""

from ..model import AccountRaw
from . import account, autoscaling, cloudwatch, ec2, eks, elbv2, iam, inspector, kms, rds, s3, ssm, vpn, wafv2

SERVICES = (ec2, s3, kms, rds, elbv2, eks, iam, account, autoscaling, cloudwatch, inspector, ssm, wafv2, vpn)


def normalise(acct: AccountRaw) -> list[dict]:
    out = []
    for service in SERVICES:
        out.extend(service.resources(acct))
    return out
