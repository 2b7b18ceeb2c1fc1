"""Realistic synthetic canonical snapshots for the scaling benchmark.

Mixed resource types and providers in the proportions of a typical account (many
firewalls, disks, instances; fewer databases, load balancers, clusters), references
between resources (instances → firewalls, subnets; listeners → load balancers), and
about one resource in eight violating something. Deterministic for a given size and seed.
"""

import json
import random
import sys

PROVIDERS = ("aws", "azure", "gcp")
ZONES = {"aws": ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"],
         "azure": ["japaneast-1", "japaneast-2", "japaneast-3"],
         "gcp": ["asia-northeast1-a", "asia-northeast1-b", "asia-northeast1-c"]}
# type → share of resources
MIX = {"network.firewall": 0.22, "compute.instance": 0.2, "compute.disk": 0.22, "storage.bucket": 0.1,
       "network.vpc": 0.04, "lb.load_balancer": 0.03, "lb.listener": 0.05, "db.instance": 0.05,
       "kms.key": 0.04, "iam.user": 0.04, "k8s.cluster": 0.01,
       "compute.instance_group": 0.01, "monitoring.alarm": 0.02}
NATIVE = {"network.firewall": "SecurityGroup", "compute.instance": "Instance", "compute.disk": "Disk",
          "storage.bucket": "Bucket", "network.vpc": "Network", "lb.load_balancer": "LoadBalancer",
          "lb.listener": "Listener", "db.instance": "Database", "kms.key": "Key", "iam.user": "User",
          "k8s.cluster": "Cluster", "compute.instance_group": "InstanceGroup", "monitoring.alarm": "Alarm"}


def _rule(rng, bad):
    port = rng.choice([22, 3389, 5432, 8080]) if bad else rng.choice([443, 80])
    src = "0.0.0.0/0" if bad or port in (80, 443) else "10.0.0.0/8"
    return {"direction": "ingress", "action": "allow", "protocol": "tcp",
            "port_ranges": [{"from": port, "to": port}], "sources": [src]}


def _attrs(t, rng, bad, ids):
    tls = {"enforced": not bad, "min_version": "1.2" if not bad else "1.0"}
    if t == "network.firewall":
        rules = [_rule(rng, False) for _ in range(rng.randint(1, 4))] + ([_rule(rng, True)] if bad else [])
        return {"rules": rules}
    if t == "compute.instance":
        return {"public_ips": ["198.51.100.7"] if bad else [], "anti_spoofing": not bad,
                "firewalls": rng.sample(ids["network.firewall"], min(2, len(ids["network.firewall"]))),
                "subnet": rng.choice(ids["network.vpc"]) if ids["network.vpc"] else None}
    if t == "compute.disk":
        return {"encrypted": not bad, "key_type": "customer", "backup_count": 0 if bad else 3, "latest_backup_age_hours": 2}
    if t == "storage.bucket":
        return {"default_encryption": not bad, "public": bad, "public_via": ["policy"] if bad else [], "tls": tls}
    if t == "network.vpc":
        return {"cidr": "10.0.0.0/16", "subnets": [], "flow_logs_enabled": not bad,
                "default_firewall_rules": [_rule(rng, False)] if bad else []}
    if t == "compute.instance_group":
        return {"min_size": 2, "max_size": 2 if bad else 10, "desired_capacity": 2, "autoscaling": True, "scaling_policies": ["p"],
                "load_balancers": [] if bad else ["tg"]}
    if t == "monitoring.alarm":
        return {"enabled": True, "notification_targets": [] if bad else ["topic"], "metric": "cpu"}
    if t == "lb.listener":
        return {"protocol": "HTTP" if bad else "HTTPS", "port": 443, "tls": tls,
                "load_balancer": rng.choice(ids["lb.load_balancer"]) if ids["lb.load_balancer"] else None}
    if t == "db.instance":
        return {"storage_encrypted": True, "public": bad, "multi_az": not bad, "backup_retention_days": 1 if bad else 7, "tls": tls}
    if t == "kms.key":
        return {"managed_by": "customer", "enabled": True, "rotation_enabled": not bad}
    if t == "iam.user":
        return {"console_access": True, "mfa_enabled": not bad, "active_access_keys": 1}
    if t == "k8s.cluster":
        return {"endpoint_public": True, "authorized_cidrs": ["0.0.0.0/0"] if bad else ["203.0.113.0/24"]}
    return {"scheme": "internet-facing"}


def generate(size: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    counts = {t: max(1, round(size * share)) for t, share in MIX.items()}
    counts["compute.disk"] += size - sum(counts.values())
    ids = {t: [f"{t.split('.')[1]}-{i:07d}" for i in range(n)] for t, n in counts.items()}
    resources = []
    for t, names in ids.items():
        for rid in names:
            provider = rng.choice(PROVIDERS)
            bad = rng.random() < 0.125
            zones = rng.sample(ZONES[provider], 1 if bad else 2)
            resources.append({
                "id": f"{provider}:{rid}", "type": t, "provider": provider,
                "native_type": f"{provider}::{NATIVE[t]}", "account": "bench", "region": "japan",
                "zones": zones, "name": rid, "tags": {"env": rng.choice(["prod", "dev", "stg"])},
                "attrs": _attrs(t, rng, bad, ids), "source": {"kind": "example", "ref": "bench/synthetic.py"},
            })
    accounts = [{"id": f"{p}:account", "type": "cloud.account", "provider": p, "native_type": f"{p}::Account",
                 "attrs": {"root_mfa_enabled": True, "root_access_keys_present": False,
                           "audit_log": {"all_regions": True, "integrity_validation": p != "gcp", "trails": ["t"]},
                           "metric_alarms": counts["monitoring.alarm"]},
                 "source": {"kind": "example"}} for p in PROVIDERS]
    return {
        "genmei_snapshot": "1.0",
        "meta": {"provider": "mixed", "account": "bench", "regions": ["japan"],
                 "collector": {"name": "bench-synthetic", "version": "1"},
                 "started_at": "2026-01-01T00:00:00Z", "finished_at": "2026-01-01T00:00:01Z", "gaps": []},
        "resources": resources + accounts,
    }


if __name__ == "__main__":
    json.dump(generate(int(sys.argv[1])), sys.stdout)
