"""AWS Config configuration items → the raw API shapes of model.AccountRaw, so that the
normalisers of the live collector (collectors/aws/normalise/) judge an import exactly as
they judge a collection.

A configuration item's `configuration` is the Describe API's answer with camelCase keys
(`ipPermissions[].ipRanges`, `dBInstanceIdentifier`); S3 keeps what the per-bucket Get
APIs return in `supplementaryConfiguration` (ServerSideEncryptionConfiguration,
PublicAccessBlockConfiguration, BucketPolicy, AccessControlList, BucketVersioningConfiguration,
BucketLifecycleConfiguration, BucketReplicationConfiguration), often as JSON text and
sometimes JSON text of JSON text. The adapter capitalises keys, applies Config's renames,
and files each item where the reads would have put the API's answer. What Config does
not record is left out, so the normalisers report it as not collected (None): bucket
policy status (whether AWS judges a policy public), RDS parameter values, KMS rotation,
EBS encryption by default, the IAM credential report.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .model import AccountRaw

# Config key → the API's key where capitalising the first letter is not enough.
RENAMES = {"SseAlgorithm": "SSEAlgorithm", "KmsMasterKeyID": "KMSMasterKeyID", "KmsMasterKeyId": "KMSMasterKeyID"}
# ACL grantee groups as Config names them → their URI in GetBucketAcl.
GROUPS = {"AllUsers": "http://acs.amazonaws.com/groups/global/AllUsers",
          "AuthenticatedUsers": "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
          "LogDelivery": "http://acs.amazonaws.com/groups/s3/LogDelivery"}
# Types that only complete a VPC (zones, routes, flow logs, peerings): raw list key, id key.
SUPPORTING = {"AWS::EC2::Subnet": ("ec2:DescribeSubnets", "SubnetId"),
              "AWS::EC2::RouteTable": ("ec2:DescribeRouteTables", "RouteTableId"),
              "AWS::EC2::InternetGateway": ("ec2:DescribeInternetGateways", "InternetGatewayId"),
              "AWS::EC2::NatGateway": ("ec2:DescribeNatGateways", "NatGatewayId"),
              "AWS::EC2::FlowLog": ("ec2:DescribeFlowLogs", "FlowLogId"),
              "AWS::EC2::VPCPeeringConnection": ("ec2:DescribeVpcPeeringConnections", "VpcPeeringConnectionId")}
DELETED = ("ResourceDeleted", "ResourceDeletedNotRecorded")
# The Config types the adapter files for a normaliser, and the canonical type each feeds.
MODELLED = {"AWS::EC2::SecurityGroup": "network.firewall", "AWS::EC2::NetworkAcl": "network.firewall",
            "AWS::EC2::VPC": "network.vpc", "AWS::EC2::Instance": "compute.instance", "AWS::EC2::Volume": "compute.disk",
            "AWS::S3::Bucket": "storage.bucket", "AWS::KMS::Key": "kms.key", "AWS::RDS::DBInstance": "db.instance",
            "AWS::ElasticLoadBalancingV2::LoadBalancer": "lb.load_balancer",
            "AWS::ElasticLoadBalancingV2::Listener": "lb.listener", "AWS::EKS::Cluster": "k8s.cluster",
            "AWS::IAM::User": "iam.user", "AWS::S3::AccountPublicAccessBlock": "storage.bucket",
            "AWS::AutoScaling::AutoScalingGroup": "compute.instance_group",
            "AWS::AutoScaling::ScalingPolicy": "compute.instance_group", "AWS::CloudWatch::Alarm": "monitoring.alarm",
            **{t: "network.vpc" for t in SUPPORTING}, "AWS::EC2::NatGateway": "network.gateway"}


class ItemError(ValueError):
    """A record that is not a usable configuration item (the message says why)."""


def decode(value):
    """Config's JSON-in-a-string values (possibly encoded twice) → JSON values."""
    for _ in range(3):
        if not isinstance(value, str) or value.strip()[:1] not in ("{", "[", '"'):
            return value
        try:
            value = json.loads(value)
        except ValueError:
            return value
    return value


def pascal(value):
    """camelCase keys → the API's PascalCase, everywhere (values untouched)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            key = str(k)[:1].upper() + str(k)[1:]
            out[RENAMES.get(key, key)] = pascal(v)
        return out
    if isinstance(value, list):
        return [pascal(v) for v in value]
    return value


def camel(value):
    """PascalCase keys → camelCase (EKS answers in camelCase; Config 1.3 records PascalCase)."""
    if isinstance(value, dict):
        return {str(k)[:1].lower() + str(k)[1:]: camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel(v) for v in value]
    return value


@dataclass
class Item:
    """The fields genmei reads from a configuration item, whichever shape it came in
    (delivery file, boto3/CLI answer, rule event, advanced query row)."""
    type: str
    id: str
    name: str | None
    arn: str | None
    account: str
    region: str
    status: str | None
    captured: str | None
    tags: dict
    configuration: object
    supplementary: dict
    ref: str

    @property
    def deleted(self) -> bool:
        return self.status in DELETED


def captured_at(value) -> str | None:
    """Capture time as sortable text: ISO text, epoch seconds, or a placebo-recorded datetime."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, timezone.utc).isoformat()
    if isinstance(value, dict) and value.get("__class__") == "datetime":
        parts = [value.get(k, 0) for k in ("year", "month", "day", "hour", "minute", "second", "microsecond")]
        if all(isinstance(p, int) for p in parts):
            return "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:06d}".format(*parts)
    return None


def read_item(record, ref: str) -> Item:
    """An Item from one configuration item; ItemError when it is not one."""
    if not isinstance(record, dict):
        raise ItemError(f"a JSON {type(record).__name__}, expected a configuration item object")
    rtype, rid = record.get("resourceType"), record.get("resourceId")
    if not isinstance(rtype, str) or not rtype.startswith("AWS::"):
        keys = ", ".join(sorted(map(str, record))[:6]) or "none"
        raise ItemError(f"no resourceType (fields: {keys}); an advanced query must select resourceType, resourceId, "
                        "accountId, awsRegion, configuration, supplementaryConfiguration")
    if not isinstance(rid, str) or not rid:
        raise ItemError(f"{rtype} item without a resourceId")
    arn = record.get("ARN") or record.get("arn")
    arn_parts = arn.split(":") if isinstance(arn, str) else []
    account = record.get("awsAccountId") or record.get("accountId") or (arn_parts[4] if len(arn_parts) > 5 else None)
    region = record.get("awsRegion") or (arn_parts[3] if len(arn_parts) > 5 and arn_parts[3] else None)
    if not account or not region:
        raise ItemError(f"{rtype} {rid}: no awsAccountId/accountId or awsRegion (select them in an advanced query)")
    configuration = decode(record.get("configuration"))
    supplementary = decode(record.get("supplementaryConfiguration")) or {}
    tags = record.get("tags")
    return Item(type=rtype, id=rid, name=record.get("resourceName"), arn=arn if isinstance(arn, str) else None,
                account=str(account), region=str(region),
                status=record.get("configurationItemStatus"), captured=captured_at(record.get("configurationItemCaptureTime")),
                tags={str(k): str(v) for k, v in tags.items()} if isinstance(tags, dict) else {},
                configuration=configuration,
                supplementary={k: decode(v) for k, v in supplementary.items()} if isinstance(supplementary, dict) else {},
                ref=ref)


@dataclass
class Adapted:
    """Raw data per account, and which item each expected resource id came from."""
    accounts: dict[str, AccountRaw] = field(default_factory=dict)
    origins: dict[str, Item] = field(default_factory=dict)  # expected canonical id → item
    unmodelled: Counter = field(default_factory=Counter)
    listener_regions: set = field(default_factory=set)  # (account, region) holding listener items
    listeners_missing: set = field(default_factory=set)  # (account, region) with load balancers but no listener items


def _tag_list(tags: dict) -> list[dict]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def _ranges(perm: dict) -> dict:
    """Config 1.2 writes ipRanges as bare CIDR strings beside ipv4Ranges [{cidrIp}]; the API
    has IpRanges [{CidrIp}]."""
    perm = dict(perm)
    v4 = perm.pop("Ipv4Ranges", None)
    ranges = v4 if isinstance(v4, list) else perm.get("IpRanges") or []
    perm["IpRanges"] = [{"CidrIp": r} if isinstance(r, str) else r for r in ranges]
    perm["Ipv6Ranges"] = [{"CidrIpv6": r} if isinstance(r, str) else r for r in perm.get("Ipv6Ranges") or []]
    return perm


def _acl(value) -> dict | None:
    """Config's AccessControlList {grantList: [{grantee, permission}]} → GetBucketAcl; None
    when a grantee has a form genmei does not know (the ACL is then not judged)."""
    if not isinstance(value, dict):
        return None
    grants = []
    for g in value.get("grantList") or []:
        grantee = g.get("grantee") if isinstance(g, dict) else None
        if isinstance(grantee, str) and grantee in GROUPS:
            who = {"Type": "Group", "URI": GROUPS[grantee]}
        elif isinstance(grantee, dict) and grantee.get("id"):
            who = {"Type": "CanonicalUser", "ID": grantee["id"]}
        elif isinstance(grantee, dict) and grantee.get("uri"):
            who = {"Type": "Group", "URI": grantee["uri"]}
        else:
            return None
        grants.append({"Grantee": who, "Permission": g.get("permission")})
    return {"Grants": grants, "Owner": pascal(value.get("owner"))}


def _policy(value) -> dict | None:
    """BucketPolicy {policyText: null | text} → GetBucketPolicy (null: no policy)."""
    if not isinstance(value, dict) or "policyText" not in value:
        return None
    text = value["policyText"]
    if text is None:
        return {"Error": {"Code": "NoSuchBucketPolicy", "Message": "no bucket policy (AWS Config: policyText null)"}}
    return {"Policy": text if isinstance(text, str) else json.dumps(text)}


def _versioning(value):
    """BucketVersioningConfiguration {status: Off | Enabled | Suspended} → GetBucketVersioning."""
    if not isinstance(value, dict):
        return None
    status = value.get("status")
    return {"Status": status} if status in ("Enabled", "Suspended") else {}


def _rule_filter(rule: dict) -> dict:
    """Config's lifecycle filter predicate → the API's Filter: a prefix predicate keeps its
    prefix; a tag or an And predicate is a filter that limits the rule (kept as such)."""
    predicate = (rule.get("filter") or {}).get("predicate") if isinstance(rule.get("filter"), dict) else None
    if not isinstance(predicate, dict):
        return {"Prefix": rule.get("prefix") or ""}
    if predicate.get("type") == "LifecyclePrefixPredicate":
        return {"Filter": {"Prefix": predicate.get("prefix") or ""}}
    return {"Filter": {"And": predicate}}


def _lifecycle(value, recorded: bool):
    """BucketLifecycleConfiguration {rules: [...]} → GetBucketLifecycleConfiguration. Config
    leaves the key out when the bucket has no lifecycle rules: with the bucket's other S3
    settings recorded (versioning), that absence is "none"; otherwise not collected."""
    if value is None:
        return {"Error": {"Code": "NoSuchLifecycleConfiguration", "Message": "no lifecycle rules (AWS Config)"}} if recorded else None
    if not isinstance(value, dict):
        return None
    rules = []
    for r in value.get("rules") or []:
        if isinstance(r, dict):
            days = r.get("noncurrentVersionExpirationInDays")
            rule = {"Status": r.get("status"), **_rule_filter(r)}
            if isinstance(days, int) and days >= 0:
                rule["NoncurrentVersionExpiration"] = {"NoncurrentDays": days}
            rules.append(rule)
    return {"Rules": rules}


def _replication(value, recorded: bool):
    """BucketReplicationConfiguration {rules: {id: {prefix, status, destinationConfig}}} →
    GetBucketReplication; absent with other S3 settings recorded = no replication."""
    if value is None:
        return ({"Error": {"Code": "ReplicationConfigurationNotFoundError", "Message": "no replication (AWS Config)"}}
                if recorded else None)
    if not isinstance(value, dict):
        return None
    rules = value.get("rules") or {}
    rules = rules.values() if isinstance(rules, dict) else rules
    return {"ReplicationConfiguration": {"Rules": [
        {"Status": r.get("status"), "Prefix": r.get("prefix") or "",
         **({"Filter": {"And": r["filter"]}} if r.get("filter") else {}),
         "Destination": {"Bucket": (r.get("destinationConfig") or {}).get("bucketARN")}}
        for r in rules if isinstance(r, dict)]}}


def _bucket(raw: AccountRaw, item: Item, conf: dict) -> str:
    name = conf.get("name") or item.name or item.id
    region = raw.regions.setdefault(item.region, {})
    raw.global_.setdefault("s3:ListBuckets", []).append({"Name": name, "CreationDate": conf.get("creationDate"),
                                                        "BucketRegion": item.region})
    sup = item.supplementary
    per = {"s3:GetBucketTagging": {"TagSet": _tag_list(item.tags)}}
    if isinstance(sup.get("ServerSideEncryptionConfiguration"), dict):
        per["s3:GetBucketEncryption"] = {"ServerSideEncryptionConfiguration": pascal(sup["ServerSideEncryptionConfiguration"])}
    if isinstance(sup.get("PublicAccessBlockConfiguration"), dict):
        per["s3:GetPublicAccessBlock"] = {"PublicAccessBlockConfiguration": pascal(sup["PublicAccessBlockConfiguration"])}
    if (policy := _policy(sup.get("BucketPolicy"))) is not None:
        per["s3:GetBucketPolicy"] = policy
        if "Error" in policy:
            per["s3:GetBucketPolicyStatus"] = policy
    if (acl := _acl(sup.get("AccessControlList"))) is not None:
        per["s3:GetBucketAcl"] = acl
    recorded = isinstance(sup.get("BucketVersioningConfiguration"), dict)
    for api, answer in (("s3:GetBucketVersioning", _versioning(sup.get("BucketVersioningConfiguration"))),
                        ("s3:GetBucketLifecycleConfiguration", _lifecycle(sup.get("BucketLifecycleConfiguration"), recorded)),
                        ("s3:GetBucketReplication", _replication(sup.get("BucketReplicationConfiguration"), recorded))):
        if answer is not None:
            per[api] = answer
    for api, answer in per.items():
        region.setdefault(api, {})[name] = answer
    return f"arn:{raw.partition}:s3:::{name}"


def _ec2_arn(raw: AccountRaw, item: Item, kind: str, rid: str) -> str:
    return f"arn:{raw.partition}:ec2:{item.region}:{raw.account}:{kind}/{rid}"


def add(adapted: Adapted, item: Item) -> None:
    """File one (current, not deleted) item into its account's raw data."""
    raw = adapted.accounts.get(item.account)
    if raw is None:
        partition = item.arn.split(":")[1] if item.arn and item.arn.count(":") >= 5 else "aws"
        raw = adapted.accounts[item.account] = AccountRaw(account=item.account, partition=partition)
    conf = item.configuration if isinstance(item.configuration, dict) else None
    if conf is None:
        adapted.unmodelled[f"{item.type} (no configuration)"] += 1
        return
    t = item.type
    if t == "AWS::S3::AccountPublicAccessBlock":  # account-wide: applies to every bucket
        raw.global_["s3control:GetPublicAccessBlock"] = {"PublicAccessBlockConfiguration": pascal(conf)}
        return
    if item.region == "global" and t != "AWS::IAM::User":
        adapted.unmodelled[f"{t} (region global)"] += 1
        return
    region = raw.regions.setdefault(item.region, {}) if item.region != "global" else None
    api = pascal(conf)
    if t == "AWS::EC2::SecurityGroup":
        api.setdefault("GroupId", item.id)
        api["IpPermissions"] = [_ranges(p) for p in api.get("IpPermissions") or []]
        api["IpPermissionsEgress"] = [_ranges(p) for p in api.get("IpPermissionsEgress") or []]
        region.setdefault("ec2:DescribeSecurityGroups", []).append(api)
        expected = _ec2_arn(raw, item, "security-group", api["GroupId"])
    elif t == "AWS::EC2::NetworkAcl":
        api.setdefault("NetworkAclId", item.id)
        region.setdefault("ec2:DescribeNetworkAcls", []).append(api)
        expected = _ec2_arn(raw, item, "network-acl", api["NetworkAclId"])
    elif t == "AWS::EC2::VPC":
        api.setdefault("VpcId", item.id)
        region.setdefault("ec2:DescribeVpcs", []).append(api)
        expected = _ec2_arn(raw, item, "vpc", api["VpcId"])
    elif t == "AWS::EC2::Instance":
        api.setdefault("InstanceId", item.id)
        region.setdefault("ec2:DescribeInstances", []).append({"Instances": [api]})
        expected = _ec2_arn(raw, item, "instance", api["InstanceId"])
    elif t == "AWS::EC2::Volume":
        api.setdefault("VolumeId", item.id)
        region.setdefault("ec2:DescribeVolumes", []).append(api)
        expected = _ec2_arn(raw, item, "volume", api["VolumeId"])
    elif t in SUPPORTING:
        api.setdefault(SUPPORTING[t][1], item.id)
        region.setdefault(SUPPORTING[t][0], []).append(api)
        return
    elif t == "AWS::S3::Bucket":
        expected = _bucket(raw, item, conf)
    elif t == "AWS::KMS::Key":
        key_id = api.get("KeyId") or item.id
        key_arn = api.get("Arn") or item.arn or key_id
        region.setdefault("kms:ListKeys", []).append({"KeyId": key_id, "KeyArn": key_arn})
        region.setdefault("kms:DescribeKey", {})[key_id] = {"KeyMetadata": api}
        expected = key_arn
    elif t == "AWS::RDS::DBInstance":
        api.setdefault("DBInstanceArn", item.arn)
        api.setdefault("DBInstanceIdentifier", item.name or item.id)
        if not api["DBInstanceArn"]:
            adapted.unmodelled[f"{t} (no ARN)"] += 1
            return
        region.setdefault("rds:DescribeDBInstances", []).append(api)
        expected = api["DBInstanceArn"]
    elif t == "AWS::ElasticLoadBalancingV2::LoadBalancer":
        api.setdefault("LoadBalancerArn", item.arn or item.id)
        api.setdefault("LoadBalancerName", item.name or item.id)
        region.setdefault("elbv2:DescribeLoadBalancers", []).append(api)
        tags = pascal(item.supplementary.get("Tags")) if isinstance(item.supplementary.get("Tags"), list) else _tag_list(item.tags)
        region.setdefault("elbv2:DescribeTags", {})[api["LoadBalancerArn"]] = tags
        region.setdefault("elbv2:DescribeListeners", {}).setdefault(api["LoadBalancerArn"], [])
        expected = api["LoadBalancerArn"]
    elif t == "AWS::ElasticLoadBalancingV2::Listener" and api.get("LoadBalancerArn"):
        api.setdefault("ListenerArn", item.arn or item.id)
        region.setdefault("elbv2:DescribeListeners", {}).setdefault(api["LoadBalancerArn"], []).append(api)
        adapted.listener_regions.add((item.account, item.region))
        expected = api["ListenerArn"]
    elif t == "AWS::EKS::Cluster":
        cluster = camel(conf)
        cluster.setdefault("arn", item.arn)
        cluster.setdefault("name", item.name or item.id)
        if not isinstance(cluster.get("tags"), dict):  # Config 1.3 may hold a [{Key, Value}] list
            cluster["tags"] = item.tags
        region.setdefault("eks:DescribeCluster", {})[cluster["name"]] = {"cluster": cluster}
        expected = cluster["arn"] or cluster["name"]
    elif t == "AWS::AutoScaling::AutoScalingGroup":
        api.setdefault("AutoScalingGroupName", item.name or item.id)
        api.setdefault("AutoScalingGroupARN", item.arn or item.id)
        region.setdefault("autoscaling:DescribeAutoScalingGroups", []).append(api)
        expected = api["AutoScalingGroupARN"]
    elif t == "AWS::AutoScaling::ScalingPolicy":
        # Completes its group (GM-CAP-001). A region with groups but no policy item leaves
        # the groups' policies unknown: the recorder may not record this type.
        api.setdefault("PolicyName", item.name or item.id)
        region.setdefault("autoscaling:DescribePolicies", []).append(api)
        return
    elif t == "AWS::CloudWatch::Alarm":
        api.setdefault("AlarmName", item.name or item.id)
        api.setdefault("AlarmArn", item.arn or item.id)
        region.setdefault("cloudwatch:DescribeAlarms", []).append(api)
        expected = api["AlarmArn"]
    elif t == "AWS::IAM::User":
        user = {"UserName": api.get("UserName") or item.name or item.id, "Arn": api.get("Arn") or item.arn}
        if not user["Arn"]:
            adapted.unmodelled[f"{t} (no ARN)"] += 1
            return
        raw.global_.setdefault("iam:ListUsers", []).append(user)
        expected = user["Arn"]
    else:
        adapted.unmodelled[t] += 1
        return
    adapted.origins[expected] = item


def adapt(items: list[Item]) -> Adapted:
    """Every current item filed into raw data. Load balancers whose listeners are not among
    the items are noted, since Config records listeners as items of their own."""
    adapted = Adapted()
    for item in items:
        try:
            add(adapted, item)
        except (AttributeError, KeyError, TypeError, ValueError) as e:
            raise ItemError(f"{item.ref}: {item.type} {item.id}: configuration is not in the API's shape ({type(e).__name__}: {e})") from None
    for account, raw in adapted.accounts.items():
        for region, data in raw.regions.items():
            if data.get("elbv2:DescribeLoadBalancers") and (account, region) not in adapted.listener_regions:
                adapted.listeners_missing.add((account, region))
    return adapted
