"""S3 buckets: the one reader of bucket policies, and the facts of the platform every path
applies — live (GetBucketPolicy, GetBucketAcl, GetBucketEncryption…), AWS Config items
and Terraform plans alike.

Bucket policy (read_policy):
- public: an Allow to anyone ("*" or {"AWS": "*"}) with no condition, or only with
  conditions that do not restrict who asks, grants public access; one whose condition
  fixes the caller's network, VPC endpoint, account, organisation or source ARN
  (aws:SourceIp, aws:SourceVpce, aws:PrincipalOrgID… — what AWS itself counts as
  non-public) does not; any other condition leaves it undetermined.
- plaintext refused: a Deny to anyone of every S3 action ("s3:*" or "*") when
  aws:SecureTransport is false (Bool or BoolIfExists, keys in any case).
- TLS floor: a Deny to anyone when s3:TlsVersion is NumericLessThan a version; every S3
  endpoint has refused TLS below 1.2 since 2024, so the floor is at least 1.2.
Default encryption: S3 has applied SSE-S3 to every bucket since 5 January 2023, and it
cannot be turned off: a bucket is encrypted at rest by default whether or not an
encryption configuration is written (an old provider's empty
server_side_encryption_configuration, a new provider's computed one, an emulator's
"not found"); only who holds the key depends on the configuration. Not collected when
the configuration could not be read at all.
"""

import json
from dataclasses import dataclass, field

from .tls import highest, tls
from .values import UNKNOWN

S3_MIN_TLS = "1.2"
PUBLIC_GRANTEES = {"http://acs.amazonaws.com/groups/global/AllUsers": "AllUsers",
                   "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "AuthenticatedUsers"}
CANNED_PUBLIC = {"public-read": "ACL public-read", "public-read-write": "ACL public-read-write",
                 "authenticated-read": "ACL authenticated-read (any AWS account)"}
# Condition keys that, set to fixed values, make a grant to anyone not public (AWS's own
# definition: the Amazon S3 User Guide, "The meaning of public").
NARROWING_KEYS = frozenset({
    "aws:sourceip", "aws:sourcevpc", "aws:sourcevpce", "aws:sourcearn", "aws:sourceaccount", "aws:sourceowner",
    "aws:sourceorgid", "aws:sourceorgpaths", "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount",
    "aws:principalarn", "aws:userid", "s3:dataaccesspointarn", "s3:dataaccesspointaccount",
})
WORLD_CIDRS = frozenset({"0.0.0.0/0", "::/0"})
TLS_VERSIONS = ("1.0", "1.1", "1.2", "1.3")


@dataclass
class PolicyFacts:
    public_grants: list[str] = field(default_factory=list)     # proven public
    undetermined: list[str] = field(default_factory=list)      # grants to anyone under conditions not judged
    denies_plaintext: bool = False
    tls_floor: str | None = None


def parse(text) -> dict | None:
    """A policy document from its JSON text (or the object itself); None when it is not a
    JSON object (a policy that is not valid JSON proves nothing)."""
    if isinstance(text, dict):
        return text
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


def _listed(value) -> list:
    return value if isinstance(value, list) else [value]


def statements(doc: dict | None) -> list[dict]:
    return [s for s in _listed((doc or {}).get("Statement") or []) if isinstance(s, dict)]


def anyone(principal) -> bool:
    if principal == "*":
        return True
    return isinstance(principal, dict) and "*" in _listed(principal.get("AWS"))


def _conditions(statement: dict) -> list[tuple[str, str, list]]:
    """[(operator, key, values)], operator and key in lower case."""
    out = []
    cond = statement.get("Condition")
    if not isinstance(cond, dict):
        return out
    for op, block in cond.items():
        if isinstance(block, dict):
            for key, values in block.items():
                out.append((str(op).lower(), str(key).lower(), _listed(values)))
    return out


def _narrows(op: str, key: str, values: list) -> bool:
    """A condition that limits a grant to fixed callers (not negated, not IfExists, no wildcard)."""
    if key not in NARROWING_KEYS or "not" in op or op.endswith("ifexists"):
        return False
    texts = [str(v) for v in values]
    if not texts or any("*" in t or "?" in t for t in texts):
        return False
    return not (key == "aws:sourceip" and any(t in WORLD_CIDRS for t in texts))


def _all_s3_actions(actions) -> bool:
    return any(a in ("*", "s3:*") for a in _listed(actions))


def read_policy(doc: dict | None) -> PolicyFacts:
    facts = PolicyFacts()
    floors = []
    for s in statements(doc):
        if not anyone(s.get("Principal")):
            continue
        effect = s.get("Effect")
        conditions = _conditions(s)
        if effect == "Allow":
            what = f"bucket policy grants {','.join(str(a) for a in _listed(s.get('Action', '*')))} to *"
            if not conditions:
                facts.public_grants.append(what)
            elif not any(_narrows(*c) for c in conditions):
                facts.undetermined.append(f"{what} under conditions {sorted({k for _, k, _ in conditions})}")
        elif effect == "Deny":
            for op, key, values in conditions:
                if (key == "aws:securetransport" and op in ("bool", "boolifexists") and _all_s3_actions(s.get("Action"))
                        and any(str(v).lower() == "false" for v in values)):
                    facts.denies_plaintext = True
                if key == "s3:tlsversion" and op == "numericlessthan":
                    floors += [str(v) for v in values if str(v) in TLS_VERSIONS]
    facts.tls_floor = max(floors, key=TLS_VERSIONS.index) if floors else None
    return facts


def policy_exposure(docs: list[dict] | None, unknown: bool = False, aws_says_public: bool | None = None):
    """(public through the policy: True/False/None/UNKNOWN, what makes it so). `docs` None:
    the policy was not read; []: there is none. `aws_says_public`: GetBucketPolicyStatus,
    AWS's own evaluation, where it was read: it proves public access the reader cannot."""
    if docs is None:
        return (True, ["bucket policy (AWS policy status: public)"]) if aws_says_public else (None, [])
    facts = [read_policy(d) for d in docs]
    grants = [g for f in facts for g in f.public_grants]
    if grants:
        return True, grants
    if aws_says_public:
        return True, ["bucket policy (AWS policy status: public)"]
    if unknown:
        return UNKNOWN, []
    if any(f.undetermined for f in facts) and aws_says_public is None:
        return None, []
    return False, []


def acl_exposure(canned=None, grantee_uris=None):
    """(public through the ACL, what makes it so) from a canned ACL and grantee URIs; UNKNOWN
    where either is known only after apply, None where the grants were not read."""
    via, unknown = [], canned is UNKNOWN
    if isinstance(canned, str) and canned in CANNED_PUBLIC:
        via.append(CANNED_PUBLIC[canned])
    if grantee_uris is UNKNOWN:
        unknown = True
    for uri in grantee_uris if isinstance(grantee_uris, list) else []:
        if uri is UNKNOWN:
            unknown = True
        elif uri in PUBLIC_GRANTEES:
            via.append(f"ACL grant to {PUBLIC_GRANTEES[uri]}")
    if via:
        return True, via
    if unknown:
        return UNKNOWN, []
    return (None, []) if grantee_uris is None and canned is None else (False, [])


def public(policy: tuple, acl: tuple, restrict_public_buckets, ignore_public_acls) -> tuple:
    """(public, public_via) after the public access block: RestrictPublicBuckets stops the
    policy channel, IgnorePublicAcls the ACL one. Each input is True, False, None (not
    collected) or UNKNOWN (known only after apply)."""
    channels = []
    for (exposed, via), blocker in ((policy, restrict_public_buckets), (acl, ignore_public_acls)):
        if blocker is True or exposed is False:
            channels.append((False, []))
        elif exposed is True:
            channels.append((True if blocker is False else blocker, via))
        else:
            channels.append((exposed, []))
    if any(v is True for v, _ in channels):
        return True, [x for v, via in channels if v is True for x in via]
    if any(v is UNKNOWN for v, _ in channels):
        return UNKNOWN, None
    if any(v is None for v, _ in channels):
        return None, None
    return False, []


def bucket_tls(docs: list[dict] | None, unknown: bool = False):
    """The `tls` attr of a bucket from its policies (None: not read; []: none)."""
    if unknown:
        return tls(UNKNOWN)
    if docs is None:
        return None
    facts = [read_policy(d) for d in docs]
    enforced = any(f.denies_plaintext for f in facts)
    floor = max((f.tls_floor for f in facts if f.tls_floor), key=TLS_VERSIONS.index, default=None)
    return tls(enforced, highest(S3_MIN_TLS, floor), "aws:SecureTransport deny" if enforced else None)


def default_encryption(rules, key_type_of):
    """(default_encryption, key_type). `rules`: [(algorithm, key reference)] of the
    encryption configuration, [] when none is configured, None when it was not read,
    UNKNOWN when it is known only after apply. `key_type_of(ref)` names who holds a KMS key."""
    if rules is None:
        return None, None
    if rules is UNKNOWN:
        return True, UNKNOWN
    for algorithm, key in rules:
        if algorithm is UNKNOWN or key is UNKNOWN:
            return True, UNKNOWN
        if algorithm and str(algorithm).lower().startswith("aws:kms") and key:
            return True, key_type_of(key)
    return True, "provider"   # SSE-S3, or SSE-KMS with the AWS-managed aws/s3 key
