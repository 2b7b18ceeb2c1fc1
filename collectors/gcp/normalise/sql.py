"""Cloud SQL instances (sqladmin.googleapis.com/Instance) as db.instance.

- storage_encrypted: Cloud SQL encrypts data at rest always; `key_type` is customer
  when the instance names a Cloud KMS key (diskEncryptionConfiguration.kmsKeyName).
- public: reachable from the internet when it has a public IPv4 address
  (ipConfiguration.ipv4Enabled) and an authorised network is 0.0.0.0/0; a public IP
  limited to narrower authorised networks (or to the Cloud SQL connectors, which need
  IAM) is not counted as public. An entry's expirationTime is not applied: the entry
  counts as it stands (a snapshot does not depend on the clock of the run).
- tls.enforced: sslMode ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED (the
  current field), else the older requireSsl; the Admin API omits requireSsl unless it
  is set and the default accepts unencrypted connections, so an ipConfiguration with
  neither field is not enforced. No minimum TLS version is in the data (absent).
- backup_retention_days: 0 when automated backups are off; when on, the number of
  retained automated backups (backupRetentionSettings.retainedBackups with unit COUNT).
  Automated backups are daily, so the count stands in for days; a retention given in
  another unit, or none at all, is unknown (null).
- zones / multi_az: availabilityType REGIONAL keeps a standby in a second zone
  (gceZone and secondaryGceZone, or the location preference); ZONAL is one zone. When a
  regional instance's second zone is not named, zones stay unknown (null) rather than one.
"""

from .common import as_int, dig, listed, string

ENCRYPTED_ONLY = {"ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"}
WORLD = {"0.0.0.0/0", "0.0.0.0"}


def instance(a, ctx) -> dict:
    data = a.data
    settings = dig(data, "settings")
    if not isinstance(settings, dict):
        return {"attrs": {}, "region": string(data, "region")}
    ip = dig(settings, "ipConfiguration")
    ip = ip if isinstance(ip, dict) else None
    kms = dig(data, "diskEncryptionConfiguration", "kmsKeyName")
    regional = settings.get("availabilityType") == "REGIONAL"
    attrs = {
        "storage_encrypted": True,
        "key_type": "customer" if kms else "provider",
        "public": _public(ip),
        "authorized_networks": sorted(str(n.get("value")) for n in listed(ip, "authorizedNetworks", "authorizedNetwork")
                                      if isinstance(n, dict)),
        "multi_az": regional if settings.get("availabilityType") else None,
        "automatic_failover": regional if settings.get("availabilityType") else None,
        "backup_retention_days": _retention(settings.get("backupConfiguration")),
        "tls": {"enforced": _tls_enforced(ip)},
        "engine": data.get("databaseVersion"),
        "instance_type": data.get("instanceType"),
    }
    return {"attrs": attrs, "zones": _zones(data, settings, regional), "region": string(data, "region")}


def _public(ip: dict | None) -> bool | None:
    if ip is None or not isinstance(ip.get("ipv4Enabled"), bool):
        return None
    if not ip["ipv4Enabled"]:
        return False
    nets = {str(n.get("value")).strip() for n in listed(ip, "authorizedNetworks", "authorizedNetwork") if isinstance(n, dict)}
    return bool(nets & WORLD)


def _tls_enforced(ip: dict | None) -> bool | None:
    if ip is None:
        return None
    mode = ip.get("sslMode")
    if isinstance(mode, str) and mode:
        return mode in ENCRYPTED_ONLY
    if isinstance(ip.get("requireSsl"), bool):
        return ip["requireSsl"]
    return False


def _retention(backup) -> int | None:
    if not isinstance(backup, dict) or not isinstance(backup.get("enabled"), bool):
        return None
    if not backup["enabled"]:
        return 0
    keep = backup.get("backupRetentionSettings")
    if not isinstance(keep, dict) or (keep.get("retentionUnit") or "COUNT") != "COUNT":
        return None
    return as_int(keep.get("retainedBackups"))


def _zones(data: dict, settings: dict, regional: bool) -> list[str] | None:
    pref = settings.get("locationPreference") if isinstance(settings.get("locationPreference"), dict) else {}
    primary = data.get("gceZone") or pref.get("zone")
    secondary = data.get("secondaryGceZone") or pref.get("secondaryZone")
    if not settings.get("availabilityType") or not primary:
        return None
    if regional:
        return sorted({primary, secondary}) if secondary and secondary != primary else None
    return [primary]
