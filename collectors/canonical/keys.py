"""Encryption at rest and keys: who holds the key behind a disk, bucket or database, and
what kind of key a KMS key is — which decides whether the provider can rotate it.

Automatic rotation exists only for some keys, and GM-KMS-001 does not judge the others
(NOT_EVALUATED with the reason; they are rotated by hand):
- AWS KMS: symmetric encryption keys (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT) whose key
  material KMS generated (origin AWS_KMS). Asymmetric, HMAC and signing keys, imported
  key material (EXTERNAL) and custom key stores cannot be rotated by AWS.
- Cloud KMS: symmetric ENCRYPT_DECRYPT keys outside external key managers.
- Azure Key Vault: every key (a rotation policy applies to RSA and EC keys alike).
"""

from .values import UNKNOWN, known

# Provider names of what a key is for → the canonical key_usage.
USAGES = {"ENCRYPT_DECRYPT": "encrypt_decrypt", "SIGN_VERIFY": "sign_verify", "GENERATE_VERIFY_MAC": "mac",
          "KEY_AGREEMENT": "key_agreement",
          # Cloud KMS purposes
          "RAW_ENCRYPT_DECRYPT": "encrypt_decrypt", "ASYMMETRIC_DECRYPT": "encrypt_decrypt",
          "ASYMMETRIC_SIGN": "sign_verify", "MAC": "mac"}
AWS_ROTATABLE = {"spec": "SYMMETRIC_DEFAULT", "usage": "ENCRYPT_DECRYPT", "origin": "AWS_KMS"}
GCP_EXTERNAL = frozenset({"EXTERNAL", "EXTERNAL_VPC"})


def usage(value):
    if value is UNKNOWN or value is None:
        return value
    return USAGES.get(str(value).upper())


def aws_rotation_supported(spec, key_usage, origin, custom_key_store=None):
    """Whether AWS can rotate the key automatically; the AWS defaults apply to what is unset
    (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT, AWS_KMS), UNKNOWN while any is known only after apply."""
    if not known(spec, key_usage, origin, custom_key_store):
        return UNKNOWN
    return ((spec or AWS_ROTATABLE["spec"]) == AWS_ROTATABLE["spec"]
            and (key_usage or AWS_ROTATABLE["usage"]) == AWS_ROTATABLE["usage"]
            and (origin or AWS_ROTATABLE["origin"]) == AWS_ROTATABLE["origin"]
            and not custom_key_store)


def gcp_rotation_supported(purpose, protection_level):
    if not known(purpose, protection_level):
        return UNKNOWN
    return (purpose or "ENCRYPT_DECRYPT") == "ENCRYPT_DECRYPT" and protection_level not in GCP_EXTERNAL


def kms_key(*, managed_by, enabled=None, rotation_enabled=None, rotation_period_days=None, rotation_supported=True,
            key_spec=None, key_usage=None, origin=None, **extra) -> dict:
    """kms.key attrs. A key the provider cannot rotate carries no rotation_enabled (there
    is nothing to be on or off), whatever the source wrote beside it."""
    if rotation_supported is False:
        rotation_enabled = rotation_period_days = None
    elif rotation_enabled is False:
        rotation_period_days = None
    return {"managed_by": managed_by, "enabled": enabled, "rotation_enabled": rotation_enabled,
            "rotation_period_days": rotation_period_days, "rotation_supported": rotation_supported,
            "key_spec": key_spec, "key_usage": usage(key_usage), "origin": origin, **extra}


def aws_key_ref_type(ref):
    """customer/provider from a key reference alone (a plan, where the key is not described):
    aliases under alias/aws/ are AWS-managed keys; any other named key is the customer's;
    none named means the service's AWS-managed default key."""
    if ref is UNKNOWN:
        return UNKNOWN
    if not ref:
        return "provider"
    return "provider" if str(ref).startswith("alias/aws/") or ":alias/aws/" in str(ref) else "customer"


def rds_storage_encrypted(value, *, engine=None, snapshot_identifier=None, replicate_source_db=None):
    """storage_encrypted of an aws_db_instance in a plan. RDS creates an unencrypted
    instance when StorageEncrypted is not given — unless it is restored from a snapshot or
    is a read replica (it inherits the source's encryption) or is an Aurora instance (its
    cluster decides): then an unset value is known only after apply, not false."""
    if value is not None:
        return value
    if not known(snapshot_identifier, replicate_source_db, engine):
        return UNKNOWN
    if snapshot_identifier or replicate_source_db or str(engine or "").startswith("aurora"):
        return UNKNOWN
    return False
