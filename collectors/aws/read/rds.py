"""RDS in one region: DB instances and the parameters of their parameter groups (for TLS:
rds.force_ssl, require_secure_transport and the minimum protocol versions)."""

HIDES = ("db.instance",)


def read(r) -> dict:
    instances = r.list("rds:DescribeDBInstances", "DBInstances", HIDES)
    if instances is None:
        return {}
    groups = sorted({g["DBParameterGroupName"] for db in instances for g in db.get("DBParameterGroups", [])[:1]})
    parameters = {}
    for group in groups:
        params = r.list("rds:DescribeDBParameters", "Parameters", HIDES, subject=group, DBParameterGroupName=group)
        if params is not None:
            parameters[group] = params
    return {"rds:DescribeDBInstances": instances, "rds:DescribeDBParameters": parameters}
