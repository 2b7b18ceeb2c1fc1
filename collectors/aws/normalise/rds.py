"""RDS → db.instance: encryption, public accessibility, Multi-AZ and its zones (and the
automatic failover to its standby), backup retention, and TLS from the instance's parameter group (per engine family:
collectors/canonical/tls.py rds_tls)."""

from genmei.collectors.canonical import tls as canonical_tls, zones as zone_names

from .common import resource, tags


def db_tls(engine: str | None, parameters: list | None) -> tuple:
    """(tls or None, the parameters used) from DescribeDBParameters of the instance's
    group. None when the engine's setting is not in the parameters read (unknown, never
    assumed)."""
    if parameters is None:
        return None, {}
    values = {p["ParameterName"]: p.get("ParameterValue") for p in parameters if "ParameterName" in p}
    used = {k: values.get(k) for k in canonical_tls.rds_parameters_used(engine)}
    return canonical_tls.rds_tls(engine, values), used


def automatic_failover(db: dict) -> bool | None:
    """A Multi-AZ instance fails over to its standby automatically. An Aurora instance's
    failover depends on the other instances of its cluster, which are not read: unknown."""
    if db.get("DBClusterIdentifier") or str(db.get("Engine") or "").startswith("aurora"):
        return None
    multi_az = db.get("MultiAZ")
    return multi_az if isinstance(multi_az, bool) else None


def zones(db: dict) -> list | None:
    """The zone, and the standby's when Multi-AZ; None when the standby's is not reported."""
    return zone_names.database(db.get("AvailabilityZone"), db.get("MultiAZ") is True, db.get("SecondaryAvailabilityZone"))


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
                                  "tls": tls, "engine": db.get("Engine"), "automatic_failover": automatic_failover(db)},
                           raw={"DBInstance": db, "Parameters": used}, ref="rds:DescribeDBInstances")
