"""Attestations: evidence for the criteria items that configuration cannot show
(organisational procedures, and the hyperscaler's physical and hypervisor controls)."""

from dataclasses import dataclass
from datetime import date

from .errors import InputError
from .jsonio import validate
from .yamlio import load_yaml

SCHEMA = "attestations.schema.json"


@dataclass(frozen=True)
class Attestation:
    item: str
    kind: str
    statement: str
    attested_by: str
    attested_on: date
    evidence_ref: str
    expires: date

    def summary(self, today: date) -> dict:
        return {
            "item": self.item, "kind": self.kind, "statement": self.statement,
            "attested_by": self.attested_by, "attested_on": self.attested_on.isoformat(),
            "evidence_ref": self.evidence_ref, "expires": self.expires.isoformat(),
            "expired": self.expires < today,
        }


def load_attestations(path: str, known_items: set[str] | None = None) -> list[Attestation]:
    doc = load_yaml(path)
    validate(doc, SCHEMA, path)
    out = []
    for i, a in enumerate(doc["attestations"]):
        if known_items is not None and a["item"] not in known_items:
            raise InputError(f"{path}: $.attestations[{i}] names item {a['item']} which seed 004 does not cite")
        attested_on, expires = date.fromisoformat(a["attested_on"]), date.fromisoformat(a["expires"])
        if expires < attested_on:
            raise InputError(f"{path}: $.attestations[{i}] ({a['item']}) expires before it was attested")
        out.append(Attestation(
            item=a["item"], kind=a["kind"], statement=a["statement"], attested_by=a["attested_by"],
            attested_on=attested_on, evidence_ref=a["evidence_ref"], expires=expires,
        ))
    return out
