"""The GCP normalisers on the edge cases real CAI data has: old singular field names,
omitted defaults, missing joins (which must give null, never a guess), and secrets."""

import pytest

from genmei.collectors.gcp.normalise import normalise
from genmei.collectors.gcp.normalise.asset import read_asset
from genmei.collectors.canonical.redact import REDACTED, raw as redact

P = "proj"
C = f"https://www.googleapis.com/compute/v1/projects/{P}"


def asset(asset_type, path, data, **extra):
    service = asset_type.split("/")[0]
    return {"name": f"//{service}/projects/{P}/{path}", "asset_type": asset_type, "resource": {"data": data}, **extra}


def run(*records, read_types=None, iam_read=False):
    assets = [read_asset(r, {"kind": "cai"}) for r in records]
    types = {a.asset_type for a in assets} if read_types is None else set(read_types)
    return {r["name"]: r for r in normalise(assets, types, iam_read).resources if r["type"] != "cloud.region"}


def firewall(**data):
    return asset("compute.googleapis.com/Firewall", "global/firewalls/fw", {"name": "fw", "network": f"{C}/global/networks/n", **data})


def rules(**data):
    return run(firewall(**data))["fw"]["attrs"].get("rules")


def test_ingress_without_any_source_is_the_world():
    """The Compute API fills in 0.0.0.0/0 when no source is given; older records omit it."""
    assert rules(allowed=[{"IPProtocol": "tcp", "ports": ["22"]}])[0]["sources"] == ["0.0.0.0/0"]


def test_tag_and_service_account_sources_are_never_the_world():
    r = rules(allowed=[{"IPProtocol": "tcp"}], sourceTags=["app"], sourceServiceAccounts=["a@p.iam.gserviceaccount.com"])
    assert r[0]["sources"] == ["tag:app", "serviceAccount:a@p.iam.gserviceaccount.com"]
    assert r[0]["port_ranges"] == [] and r[0]["priority"] == 1000  # no ports: every port; default priority


def test_old_singular_field_names_and_lowercase_protocol_key():
    r = rules(allowed=[{"ipProtocol": "TCP", "port": ["1000-2000"]}], sourceRange=["10.0.0.0/8"], direction="INGRESS", priority=10)
    assert r == [{"direction": "ingress", "action": "allow", "protocol": "tcp", "port_ranges": [{"from": 1000, "to": 2000}],
                  "sources": ["10.0.0.0/8"], "priority": 10}]


def test_egress_and_deny():
    r = rules(direction="EGRESS", denied=[{"IPProtocol": "all"}])
    assert r == [{"direction": "egress", "action": "deny", "protocol": "all", "port_ranges": [], "sources": ["0.0.0.0/0"], "priority": 1000}]


def test_disabled_firewall_admits_nothing():
    fw = run(firewall(allowed=[{"IPProtocol": "all"}], sourceRanges=["0.0.0.0/0"], disabled=True))["fw"]["attrs"]
    assert fw["rules"] == [] and fw["disabled"] is True


@pytest.mark.parametrize("entry", [{"IPProtocol": "tcp", "ports": ["ssh"]}, {"ports": ["22"]}, {"IPProtocol": "tcp", "ports": ["70000"]}])
def test_an_unreadable_entry_makes_the_rules_unknown(entry):
    assert rules(allowed=[entry]) is None


def instance(name="vm", metadata=None, **data):
    return asset("compute.googleapis.com/Instance", f"zones/asia-northeast1-a/instances/{name}",
                 {"name": name, "zone": f"{C}/zones/asia-northeast1-a", "canIpForward": False,
                  "networkInterfaces": [{"network": f"{C}/global/networks/n", "subnetwork": f"{C}/regions/asia-northeast1/subnetworks/s"}],
                  "metadata": {"items": metadata or []}, **data})


def compute_project(items):
    return {"name": f"//compute.googleapis.com/projects/{P}", "asset_type": "compute.googleapis.com/Project",
            "resource": {"data": {"name": P, "commonInstanceMetadata": {"items": items}}}}


def test_instance_settings_need_the_project_metadata_when_unset():
    vm = run(instance())["vm"]
    assert vm["attrs"].get("os_login_enabled") is None and vm["attrs"].get("serial_port_enabled") is None
    assert vm["zones"] == ["asia-northeast1-a"] and vm["region"] == "asia-northeast1"
    vm = run(instance(), compute_project([{"key": "enable-oslogin", "value": "true"}]))["vm"]
    assert vm["attrs"]["os_login_enabled"] is True and vm["attrs"]["serial_port_enabled"] is False  # platform default: off
    vm = run(instance(metadata=[{"key": "serial-port-enable", "value": "1"}, {"key": "enable-oslogin", "value": "false"}]))["vm"]
    assert vm["attrs"]["serial_port_enabled"] is True and vm["attrs"]["os_login_enabled"] is False


def test_instance_public_addresses_old_and_new_names():
    vm = run(instance(networkInterfaces=[
        {"network": f"{C}/global/networks/n", "accessConfig": [{"externalIp": "35.1.1.1"}],
         "ipv6AccessConfigs": [{"externalIpv6": "2600:1900::1"}]},
        {"network": f"{C}/global/networks/n", "accessConfigs": [{"type": "ONE_TO_ONE_NAT"}]}]))["vm"]
    assert vm["attrs"]["public_ips"] == ["35.1.1.1", "2600:1900::1"]


def test_ip_forwarding_not_given_is_unknown():
    data = instance()
    del data["resource"]["data"]["canIpForward"]
    assert run(data)["vm"]["attrs"].get("anti_spoofing") is None


def test_firewalls_applying_to_an_instance_follow_network_tags_and_service_accounts():
    fws = [asset("compute.googleapis.com/Firewall", f"global/firewalls/{n}", {"name": n, "network": f"{C}/global/networks/{net}", **d})
           for n, net, d in (("all", "n", {}), ("tagged", "n", {"targetTags": ["web"]}), ("other-tag", "n", {"targetTags": ["db"]}),
                             ("sa", "n", {"targetServiceAccounts": ["x@p"]}), ("other-net", "m", {}))]
    vm = run(instance(tags={"items": ["web"]}, serviceAccounts=[{"email": "x@p"}]), *fws)["vm"]
    assert [f.rsplit("/", 1)[-1] for f in vm["attrs"]["firewalls"]] == ["all", "sa", "tagged"]
    # Without the firewall list, the attribute is not claimed.
    assert "firewalls" not in run(instance(), read_types=["compute.googleapis.com/Instance"])["vm"]["attrs"]


def subnet(name, network, **data):
    return asset("compute.googleapis.com/Subnetwork", f"regions/r/subnetworks/{name}",
                 {"name": name, "network": f"{C}/global/networks/{network}", **data})


def network(name="n", **data):
    return asset("compute.googleapis.com/Network", f"global/networks/{name}", {"name": name, **data})


def test_flow_logs_need_every_vm_subnet():
    on = {"logConfig": {"enable": True}}
    assert run(network(), subnet("a", "n", **on), subnet("b", "n", enableFlowLogs=True))["n"]["attrs"]["flow_logs_enabled"] is True
    assert run(network(), subnet("a", "n", **on), subnet("b", "n"))["n"]["attrs"]["flow_logs_enabled"] is False
    # Proxy-only subnets cannot log flows and carry no VM traffic.
    assert run(network(), subnet("a", "n", **on), subnet("p", "n", purpose="REGIONAL_MANAGED_PROXY"))["n"]["attrs"]["flow_logs_enabled"] is True
    # logConfig.enable false wins over the older field.
    assert run(network(), subnet("a", "n", logConfig={"enable": False}, enableFlowLogs=True))["n"]["attrs"]["flow_logs_enabled"] is False


def test_flow_logs_unknown_without_the_subnets():
    assert run(network())["n"]["attrs"].get("flow_logs_enabled") is None  # no subnet type read
    listed = network(subnetworks=[f"{C}/regions/r/subnetworks/missing"])
    assert run(listed, subnet("a", "other", logConfig={"enable": True}))["n"]["attrs"].get("flow_logs_enabled") is None
    assert "zones" not in run(network(), subnet("a", "n"))["n"]  # a VPC is global: no zones claimed


def test_a_network_known_only_by_its_subnetworks_is_kept():
    """An export with subnetworks but not their network: the network is built from them
    (nothing read is dropped) — unlogged when a VM subnet logs no flows; otherwise not
    known, since its other subnetworks may not have been exported either."""
    on = {"logConfig": {"enable": True}}
    got = run(subnet("a", "orphan", **on), subnet("b", "orphan"), subnet("p", "orphan", purpose="REGIONAL_MANAGED_PROXY"))
    net = got["orphan"]
    assert net["type"] == "network.vpc" and net["id"] == f"//compute.googleapis.com/projects/{P}/global/networks/orphan"
    assert net["attrs"]["flow_logs_enabled"] is False and net["account"] == P and net["region"] == "global"
    assert net["attrs"]["subnets_without_flow_logs"] == [f"//compute.googleapis.com/projects/{P}/regions/r/subnetworks/b"]
    logged = run(subnet("a", "orphan", **on), subnet("p", "orphan", purpose="REGIONAL_MANAGED_PROXY"))["orphan"]["attrs"]
    assert "flow_logs_enabled" not in logged
    assert logged["not_collected"]["flow_logs_enabled"].startswith("the network itself is not in the export, only 2 of its subnetworks")
    # with its network exported, the network is built once, from its own asset
    assert [r["id"] for r in run(network(), subnet("a", "n", **on)).values() if r["type"] == "network.vpc"] == [
        f"//compute.googleapis.com/projects/{P}/global/networks/n"]


def sql(settings, **data):
    return {"name": f"//cloudsql.googleapis.com/projects/{P}/instances/db", "asset_type": "sqladmin.googleapis.com/Instance",
            "resource": {"data": {"name": "db", "region": "r1", "gceZone": "r1-a", "settings": settings, **data}}}


def test_cloud_sql_tls_modes():
    def tls(ip):
        return run(sql({"ipConfiguration": ip}))["db"]["attrs"].get("tls", {}).get("enforced")
    assert tls({"sslMode": "TRUSTED_CLIENT_CERTIFICATE_REQUIRED", "requireSsl": False}) is True
    assert tls({"sslMode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED", "requireSsl": True}) is False  # sslMode is the current field
    assert tls({"requireSsl": True}) is True
    assert tls({"ipv4Enabled": True}) is False  # the default accepts plaintext
    assert run(sql({}))["db"]["attrs"].get("tls", {}).get("enforced") is None


def test_cloud_sql_backups_and_zones():
    def attrs(settings, **data):
        return run(sql(settings, **data))["db"]
    on = {"enabled": True, "backupRetentionSettings": {"retentionUnit": "COUNT", "retainedBackups": 30}}
    assert attrs({"backupConfiguration": on})["attrs"]["backup_retention_days"] == 30
    assert attrs({"backupConfiguration": {"enabled": True}})["attrs"].get("backup_retention_days") is None
    other_unit = {"enabled": True, "backupRetentionSettings": {"retentionUnit": "RETENTION_UNIT_UNSPECIFIED", "retainedBackups": 3}}
    assert attrs({"backupConfiguration": other_unit})["attrs"].get("backup_retention_days") is None
    assert attrs({"backupConfiguration": {"enabled": False}})["attrs"]["backup_retention_days"] == 0
    assert attrs({"availabilityType": "ZONAL"})["zones"] == ["r1-a"]
    assert attrs({"availabilityType": "REGIONAL"})["zones"] is None  # the standby's zone is not named
    assert attrs({"availabilityType": "REGIONAL"}, secondaryGceZone="r1-c")["zones"] == ["r1-a", "r1-c"]
    assert attrs({"availabilityType": "REGIONAL", "locationPreference": {"secondaryZone": "r1-b"}})["attrs"]["multi_az"] is True


def test_cloud_sql_public_needs_the_world_in_authorised_networks():
    def public(ip):
        return run(sql({"ipConfiguration": ip}))["db"]["attrs"].get("public")
    assert public({"ipv4Enabled": True, "authorizedNetworks": [{"value": "0.0.0.0/0"}]}) is True
    assert public({"ipv4Enabled": True, "authorizedNetworks": [{"value": "203.0.113.0/24"}]}) is False
    assert public({"ipv4Enabled": False, "authorizedNetworks": [{"value": "0.0.0.0/0"}]}) is False
    assert public({"requireSsl": True}) is None


def bucket(iam=None, **data):
    record = {"name": "//storage.googleapis.com/b", "asset_type": "storage.googleapis.com/Bucket",
              "resource": {"data": {"name": "b", "location": "US", **data}}}
    if iam is not None:
        record["iam_policy"] = iam
    return record


def test_bucket_public_from_iam_acls_and_prevention():
    ubla = {"iamConfiguration": {"uniformBucketLevelAccess": {"enabled": True}}}
    world = {"bindings": [{"role": "roles/storage.objectViewer", "members": ["allAuthenticatedUsers"]}]}
    assert run(bucket(world, **ubla))["b"]["attrs"]["public"] is True
    assert run(bucket({"bindings": []}, **ubla))["b"]["attrs"]["public"] is False
    assert "public" not in run(bucket(**ubla))["b"]["attrs"]  # IAM not read: unknown
    assert run(bucket(**ubla), iam_read=True)["b"]["attrs"]["public"] is False  # IAM read, none set on this bucket
    enforced = {"iamConfiguration": {"publicAccessPrevention": "enforced"}}
    assert run(bucket(world, **enforced))["b"]["attrs"]["public"] is False
    acl = {"acl": [{"entity": "allUsers", "role": "READER"}], "defaultObjectAcl": []}
    b = run(bucket({"bindings": []}, **acl))["b"]["attrs"]
    assert b["public"] is True and b["public_via"] == ["acl:allUsers:READER"] and b["uniform_access"] is False
    # Fine-grained ACLs in force but not in the data: unknown.
    assert "public" not in run(bucket({"bindings": []}))["b"]["attrs"]
    # The older bucketPolicyOnly spelling of uniform access; the CMEK key.
    b = run(bucket(iamConfiguration={"bucketPolicyOnly": {"enabled": True}}, encryption={"defaultKmsKeyName": "k"}))["b"]
    assert b["attrs"]["uniform_access"] is True and b["attrs"]["key_type"] == "customer" and b["region"] == "us"
    assert "tls" not in b["attrs"]  # nothing in the asset shows a TLS setting


def test_kms_rotation():
    def key(**data):
        return run(asset("cloudkms.googleapis.com/CryptoKey", "locations/global/keyRings/r/cryptoKeys/k",
                         {"name": f"projects/{P}/locations/global/keyRings/r/cryptoKeys/k", **data}))["k"]["attrs"]
    assert key(rotationPeriod="7776000s", primary={"state": "ENABLED"}) == {
        "managed_by": "customer", "enabled": True, "rotation_enabled": True, "rotation_period_days": 90,
        "rotation_supported": True}
    # Cloud KMS rotates symmetric ENCRYPT_DECRYPT keys only: the others are not "rotation off"
    assert key(purpose="ASYMMETRIC_SIGN", versionTemplate={"algorithm": "EC_SIGN_P256_SHA256", "protectionLevel": "HSM"}) == {
        "managed_by": "customer", "rotation_supported": False, "key_spec": "EC_SIGN_P256_SHA256", "key_usage": "sign_verify",
        "purpose": "ASYMMETRIC_SIGN", "protection_level": "HSM"}
    assert key(purpose="ENCRYPT_DECRYPT", versionTemplate={"protectionLevel": "EXTERNAL"})["rotation_supported"] is False
    assert key(primary={"state": "DISABLED"})["enabled"] is False


def cluster(**data):
    return asset("container.googleapis.com/Cluster", "locations/r1/clusters/c", {"name": "c", "location": "r1", **data})


def test_gke_endpoint_and_authorised_networks():
    def attrs(**data):
        return run(cluster(**data))["c"]["attrs"]
    assert attrs() == {"endpoint_public": True, "private_nodes": False, "authorized_cidrs": [], "control_plane_multi_zone": True}
    assert attrs(masterAuthorizedNetworksConfig={"enabled": True, "cidrBlocks": [{"cidrBlock": "10.0.0.0/8"}],
                                                 "gcpPublicCidrsAccessEnabled": True})["authorized_cidrs"] == ["10.0.0.0/8", "gcp-public-cidrs"]
    locked = attrs(masterAuthorizedNetworksConfig={"enabled": True})
    assert locked["endpoint_public"] is False and "no address" in locked["endpoint_note"]
    assert attrs(privateClusterConfig={"enablePrivateEndpoint": True})["endpoint_public"] is False
    assert attrs(controlPlaneEndpointsConfig={"ipEndpointsConfig": {"enablePublicEndpoint": False}})["endpoint_public"] is False
    c = run(cluster(locations=["r1-a", "r1-b"]))["c"]
    assert c["zones"] == ["r1-a", "r1-b"] and c["region"] == "r1"
    zonal = run(asset("container.googleapis.com/Cluster", "zones/europe-west4-b/clusters/z", {"name": "z", "zone": "europe-west4-b"}))["z"]
    assert zonal["zones"] == ["europe-west4-b"] and zonal["region"] == "europe-west4"
    assert zonal["attrs"]["control_plane_multi_zone"] is False  # a zonal cluster: one control-plane replica


def test_target_proxies():
    policy = asset("compute.googleapis.com/SslPolicy", "global/sslPolicies/p", {"name": "p", "profile": "MODERN"})
    https = asset("compute.googleapis.com/TargetHttpsProxy", "global/targetHttpsProxies/h", {"name": "h", "sslPolicy": f"{C}/global/sslPolicies/p"})
    assert run(https, policy)["h"]["attrs"]["tls"] == {"enforced": True, "min_version": "1.0", "policy": "p"}  # API default TLS_1_0
    assert run(https)["h"]["attrs"]["tls"].get("min_version") is None  # the policy was not read
    http = asset("compute.googleapis.com/TargetHttpProxy", "global/targetHttpProxies/x", {"name": "x", "urlMap": f"{C}/global/urlMaps/m"})
    routed = asset("compute.googleapis.com/UrlMap", "global/urlMaps/m",
                   {"name": "m", "defaultUrlRedirect": {"httpsRedirect": True}, "pathMatchers": [{"name": "api"}]})
    assert run(http, routed)["x"]["attrs"]["tls"] == {"enforced": False}  # redirects by default, but routes some paths
    assert "tls" not in run(http)["x"]["attrs"]   # the URL map was not read: not collected


def test_disks_are_always_encrypted_and_name_their_key_holder():
    def disk(**data):
        return run(asset("compute.googleapis.com/Disk", "zones/r1-a/disks/d", {"name": "d", **data}))["d"]["attrs"]
    assert disk()["key_type"] == "provider" and disk()["encrypted"] is True
    assert disk(diskEncryptionKey={"kmsKeyName": "k"})["key_type"] == "customer"
    assert disk(diskEncryptionKey={"sha256": "abc"})["key_type"] == "customer"  # customer-supplied key


def test_unmodelled_types_are_counted_and_asset_without_data_is_not_guessed():
    assets = [read_asset(r, {"kind": "cai"}) for r in (
        {"name": "//pubsub.googleapis.com/projects/p/topics/t", "assetType": "pubsub.googleapis.com/Topic"},
        {"name": "//compute.googleapis.com/projects/p/global/firewalls/f", "assetType": "compute.googleapis.com/Firewall"})]
    out = normalise(assets, set(), False)
    assert dict(out.unsupported) == {"pubsub.googleapis.com/Topic": 1}
    fw = next(r for r in out.resources if r["type"] == "network.firewall")
    assert fw["attrs"] == {} and fw["account"] == "p"


def test_project_numbers_become_ids_when_the_project_was_read():
    project = {"name": "//cloudresourcemanager.googleapis.com/projects/42", "asset_type": "cloudresourcemanager.googleapis.com/Project",
               "resource": {"data": {"projectNumber": "42", "projectId": "answer"}}}
    b = {**bucket(), "ancestors": ["projects/42", "organizations/1"]}
    assert run(b)["b"]["account"] == "42"
    assert run(b, project)["b"]["account"] == "answer"


def test_redaction_keeps_settings_and_drops_secrets():
    raw = redact({"metadata": {"items": [{"key": "enable-oslogin", "value": "TRUE"}, {"key": "startup-script", "value": "pw=1"}]},
                  "masterAuth": {"password": "p", "clientKey": "k", "username": "admin"}, "diskEncryptionKey": {"rawKey": "r"},
                  "settings": {"ipConfiguration": {"requireSsl": True}}})
    assert raw["metadata"]["items"] == [{"key": "enable-oslogin", "value": "TRUE"}, {"key": "startup-script", "value": REDACTED}]
    assert raw["masterAuth"] == {"password": REDACTED, "clientKey": REDACTED, "username": "admin"}
    assert raw["diskEncryptionKey"] == {"rawKey": REDACTED} and raw["settings"]["ipConfiguration"]["requireSsl"] is True


def etd(state, name="event-threat-detection"):
    return [{"name": f"projects/{P}/locations/global/securityCenterServices/{name}", "effective_enablement_state": state},
            {"name": f"projects/{P}/locations/global/securityCenterServices/vm-threat-detection", "effective_enablement_state": "ENABLED"}]


@pytest.mark.parametrize("services, expected", [
    (etd("ENABLED"), (True, None)),
    (etd("DISABLED"), (False, None)),
    (etd("INGEST_ONLY"), (False, None)),  # findings would be ingested, but the detector is not running
    (etd("ENABLEMENT_STATE_UNSPECIFIED"), (None, "the effective enablement state of Event Threat Detection is ENABLEMENT_STATE_UNSPECIFIED")),
    (etd(7), (None, "the effective enablement state of Event Threat Detection is 7")),  # a state newer than the client
    (etd("ENABLED", name="container-threat-detection"),  # other detectors alone decide nothing
     (None, "Event Threat Detection is not among the project's Security Command Center services")),
])
def test_threat_detection_is_event_threat_detections_effective_state(services, expected):
    from genmei.collectors.gcp.normalise.project import threat_detection

    assert threat_detection(services) == expected


def test_threat_detection_reason_replaces_the_export_reason_and_raw_is_redacted():
    from genmei.collectors.gcp.normalise.monitoring import POLICIES_NOT_READ
    from genmei.collectors.gcp.normalise.project import NOT_IN_CAI, project_settings, with_threat_detection

    # (configuration_recorder: Cloud Asset Inventory always records; see test_gcp_vulnerability.py)
    [region] = project_settings({P}, {}, {"kind": "api"})
    assert region["attrs"] == {"default_disk_encryption": True, "configuration_recorder": "recording",
                               "not_collected": {"threat_detection_enabled": NOT_IN_CAI, "quota_alarms": POLICIES_NOT_READ}}
    services = etd("DISABLED")
    services[0]["service_config"] = {"api_token": "do-not-leak"}
    with_threat_detection(region, services, None)
    assert region["attrs"] == {"default_disk_encryption": True, "configuration_recorder": "recording",
                               "threat_detection_enabled": False, "not_collected": {"quota_alarms": POLICIES_NOT_READ}}
    assert region["raw"]["security_center_services"][0]["service_config"] == {"api_token": REDACTED}
    with_threat_detection(region, None, "the call failed")
    assert region["attrs"] == {"default_disk_encryption": True, "configuration_recorder": "recording",
                               "not_collected": {"quota_alarms": POLICIES_NOT_READ, "threat_detection_enabled": "the call failed"}}
