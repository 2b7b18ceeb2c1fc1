"""RDS → db.instance: encryption, public accessibility, Multi-AZ and its zones, backup
retention, and TLS from the instance's parameter group."""

from .common import lowest_tls, resource, tags, tls_version

# Per engine family: (parameter that forces TLS, values meaning "on", parameter giving the
# minimum protocol, whether that parameter lists several protocols).
TLS_PARAMETERS = {
    "postgres": ("rds.force_ssl", {"1", "on", "true"}, "ssl_min_protocol_version", False),
    "mysql": ("require_secure_transport", {"1", "on", "true"}, "tls_version", True),
    "sqlserver": ("rds.force_ssl", {"1", "on", "true"}, None, False),
}
FAMILIES = {"postgres": "postgres", "aurora-postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql",
            "aurora-mysql": "mysql"}


def family(engine: str) -> str | None:
    return FAMILIES.get(engine) or ("sqlserver" if engine.startswith("sqlserver") else None)


def db_tls(engine: str, parameters: list | None) -> tuple:
    """({enforced, min_version} or None, the parameters used). None when the engine's
    setting is not in the parameters read (unknown, never assumed)."""
    spec = TLS_PARAMETERS.get(family(engine or ""))
    if spec is None or parameters is None:
        return None, {}
    force, on, minimum, listed = spec
    values = {p["ParameterName"]: p.get("ParameterValue") for p in parameters if "ParameterName" in p}
    used = {k: values.get(k) for k in (force, minimum) if k}
    if values.get(force) is None:
        return None, used
    text = values.get(minimum) if minimum else None
    version = (lowest_tls(text.split(",")) if listed else tls_version(text)) if text else None
    return {"enforced": values[force].strip().lower() in on, "min_version": version}, used


def zones(db: dict) -> list | None:
    """The zone, and the standby's when Multi-AZ; None when the standby's is not reported."""
    az = db.get("AvailabilityZone")
    if not az:
        return None
    if db.get("MultiAZ"):
        standby = db.get("SecondaryAvailabilityZone")
        return sorted({az, standby}) if standby else None
    return [az]


def resources(acct):
    for region, raw in acct.regions.items():
        parameters = raw.get("rds:DescribeDBParameters") or {}
        for db in raw.get("rds:DescribeDBInstances") or []:
            groups = db.get("DBParameterGroups") or [{}]
            tls, used = db_tls(db.get("Engine"), parameters.get(groups[0].get("DBParameterGroupName")))
            yield resource(acct, type="db.instance", native="AWS::RDS::DBInstance", id=db["DBInstanceArn"],
                           name=db["DBInstanceIdentifier"], region=region, tags=tags(db.get("TagList")), zones=zones(db),
                           attrs={"storage_encrypted": db.get("StorageEncrypted"), "public": db.get("PubliclyAccessible"),
                                  "multi_az": db.get("MultiAZ"), "backup_retention_days": db.get("BackupRetentionPeriod"),
                                  "tls": tls},
                           raw={"DBInstance": db, "Parameters": used}, ref="rds:DescribeDBInstances")
