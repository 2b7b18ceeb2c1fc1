"""What a resource policy document (S3 bucket policy, GCS IAM policy data) proves: public
grants and transport requirements. A document that is not valid JSON proves nothing."""

import json

TLS_VERSIONS = {"1.0", "1.1", "1.2", "1.3"}


def parse_document(text):
    if isinstance(text, dict):
        return text
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        return None
    return doc if isinstance(doc, dict) else None


def statements(doc: dict) -> list[dict]:
    s = doc.get("Statement") or []
    return [x for x in (s if isinstance(s, list) else [s]) if isinstance(x, dict)]


def _listed(value) -> list:
    return value if isinstance(value, list) else [value]


def principal_is_anyone(principal) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        return any(p == "*" for v in principal.values() for p in _listed(v))
    return False


def public_grants(doc: dict) -> list[str]:
    """Allow statements to anyone without a condition (a condition may narrow them: not
    proven public)."""
    out = []
    for s in statements(doc):
        if s.get("Effect") == "Allow" and principal_is_anyone(s.get("Principal")) and not s.get("Condition"):
            actions = ",".join(str(a) for a in _listed(s.get("Action", "*")))
            out.append(f"bucket policy grants {actions} to *")
    return out


def _condition_values(statement: dict, operator: str, key: str) -> list:
    cond = statement.get("Condition") or {}
    block = cond.get(operator) if isinstance(cond, dict) else None
    if not isinstance(block, dict):
        return []
    for k, v in block.items():
        if k.lower() == key.lower():
            return _listed(v)
    return []


def denies_insecure_transport(doc: dict) -> bool:
    """A Deny to everyone when aws:SecureTransport is false: plaintext requests refused."""
    return any(
        s.get("Effect") == "Deny" and principal_is_anyone(s.get("Principal"))
        and any(str(v).lower() == "false" for v in _condition_values(s, "Bool", "aws:SecureTransport"))
        for s in statements(doc)
    )


def minimum_tls(doc: dict) -> str | None:
    """The lowest TLS version not denied by `s3:TlsVersion NumericLessThan X`."""
    found = []
    for s in statements(doc):
        if s.get("Effect") == "Deny" and principal_is_anyone(s.get("Principal")):
            for v in _condition_values(s, "NumericLessThan", "s3:TlsVersion"):
                text = str(v)
                if text in TLS_VERSIONS:
                    found.append(text)
    return max(found) if found else None
