"""A generated `terraform show -json` plan of N resources for the gate benchmark:
security groups (some opening SSH to the world), EBS volumes (some unencrypted), S3
buckets with their separate encryption and public-access-block resources, RDS
instances and KMS keys, in the shape Terraform 1.x writes."""

import json
import random
import sys


def _change(address, rtype, name, after, index=None):
    return {
        "address": address, "mode": "managed", "type": rtype, "name": name,
        **({"index": index} if index is not None else {}),
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {"actions": ["create"], "before": None, "after": after, "after_unknown": {"id": True, "arn": True}},
    }


def _sg(i, bad):
    port = 22 if bad else 443
    return {"name": f"sg-{i}", "description": "bench", "vpc_id": "vpc-1", "tags": {"Name": f"sg-{i}"},
            "ingress": [{"from_port": port, "to_port": port, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"],
                         "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": False, "description": ""}],
            "egress": [{"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"],
                        "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": False, "description": ""}]}


def generate(size: int, seed: int = 11) -> dict:
    rng = random.Random(seed)
    changes = []
    kinds = ["sg", "vol", "bucket", "db", "key"]
    i = 0
    while len(changes) < size:
        kind = kinds[i % len(kinds)]
        bad = rng.random() < 0.15
        if kind == "sg":
            changes.append(_change(f"aws_security_group.sg[{i}]", "aws_security_group", "sg", _sg(i, bad), i))
        elif kind == "vol":
            changes.append(_change(f"aws_ebs_volume.vol[{i}]", "aws_ebs_volume", "vol",
                                   {"availability_zone": "ap-northeast-1a", "size": 10, "encrypted": not bad, "type": "gp3", "tags": {}}, i))
        elif kind == "bucket":
            name = f"bench-bucket-{i}"
            changes.append(_change(f"aws_s3_bucket.b[{i}]", "aws_s3_bucket", "b", {"bucket": name, "force_destroy": False, "tags": {}}, i))
            if not bad and len(changes) < size:
                changes.append(_change(f"aws_s3_bucket_public_access_block.b[{i}]", "aws_s3_bucket_public_access_block", "b",
                                       {"bucket": name, "block_public_acls": True, "block_public_policy": True,
                                        "ignore_public_acls": True, "restrict_public_buckets": True}, i))
        elif kind == "db":
            changes.append(_change(f"aws_db_instance.db[{i}]", "aws_db_instance", "db",
                                   {"identifier": f"db-{i}", "engine": "postgres", "instance_class": "db.t3.micro",
                                    "storage_encrypted": not bad, "publicly_accessible": bad, "multi_az": not bad,
                                    "backup_retention_period": 1 if bad else 7, "tags": {}}, i))
        else:
            changes.append(_change(f"aws_kms_key.k[{i}]", "aws_kms_key", "k",
                                   {"description": "bench", "enable_key_rotation": not bad, "is_enabled": True, "tags": {}}, i))
        i += 1
    changes = changes[:size]
    resources = [{"address": c["address"], "mode": "managed", "type": c["type"], "name": c["name"],
                  **({"index": c["index"]} if "index" in c else {}),
                  "provider_name": c["provider_name"], "schema_version": 0, "values": c["change"]["after"]} for c in changes]
    return {"format_version": "1.2", "terraform_version": "1.9.8",
            "planned_values": {"root_module": {"resources": resources}},
            "resource_changes": changes,
            "configuration": {"root_module": {}}}


if __name__ == "__main__":
    json.dump(generate(int(sys.argv[1])), sys.stdout)
