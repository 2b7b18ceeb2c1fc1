"""Attestations: evidence for what configuration cannot show — the provider's own
procedures (`manual`), the hyperscaler's controls relied upon through its third-party
report (`inherited`), and the parts of the 基本言明要件 genmei does not assess (`part:`).

An attestation is something an auditor can rely on only if it holds on the as-of date
and fits what it attests. `standing` decides that, once, for the assessment and every
rendering: it counts when attested_on ≤ as-of ≤ expires, when its kind fits the item's
class (`inherited` only for inherited items, a provider's `manual` attestation for manual
and partial items; an inherited report beside a partial item is supplementary, never
enough alone), and, where the catalog asks, when someone other than the attester
reviewed it. A referenced `document` (a path relative to the attestations file) is hashed
on load, so the evidence records exactly which document was relied upon.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .catalog import Catalog
from .errors import InputError
from .jsonio import read_bytes, sha256_hex, validate
from .vocabulary import AttestationKind, EvidenceClass, Standing
from .yamlio import load_yaml

SCHEMA = "attestations.schema.json"


@dataclass(frozen=True)
class Attestation:
    item: str | None   # a criteria item (項番) …
    part: str | None   # … or a part of the 基本言明要件 (basic-statement.yaml)
    kind: str
    statement: str
    attested_by: str
    attested_on: date
    evidence_ref: str
    expires: date
    reviewed_by: str | None = None
    report: dict | None = None          # inherited: {name, period: {from, to}} of the hyperscaler's report
    document: str | None = None         # as written in the file
    document_sha256: str | None = None  # None when the document was not read (re-performing a stored scan)

    @property
    def subject(self) -> str:
        return self.item or f"part:{self.part}"

    def summary(self, standing: "AttestationStanding") -> dict:
        """The attestation as the evidence records it, with whether it counts and why."""
        out = {
            "item": self.item, "part": self.part, "kind": self.kind, "statement": self.statement,
            "attested_by": self.attested_by, "attested_on": self.attested_on.isoformat(),
            "reviewed_by": self.reviewed_by, "evidence_ref": self.evidence_ref, "expires": self.expires.isoformat(),
            "report": self.report, "document": self.document, "document_sha256": self.document_sha256,
            "expired": standing.standing == Standing.EXPIRED,
            "counted": standing.standing == Standing.COUNTED,
            "standing": standing.standing, "standing_reason": standing.reason, "standing_reason_ja": standing.reason_ja,
        }
        return out


@dataclass(frozen=True)
class AttestationStanding:
    standing: Standing
    reason: str
    reason_ja: str


def standing(a: Attestation, evidence_class: str, review: str | None, as_of: date) -> AttestationStanding:
    """Whether `a` counts on `as_of` for an item of `evidence_class` (a part of the
    基本言明要件 is attested like a manual item), and why not when it does not."""
    if a.attested_on > as_of:
        return AttestationStanding(Standing.NOT_YET, f"attested on {a.attested_on}, after the as-of date {as_of}",
                                   f"証明日 {a.attested_on} が判定基準日 {as_of} より後")
    if a.expires < as_of:
        return AttestationStanding(Standing.EXPIRED, f"expired on {a.expires}", f"{a.expires} に期限切れ")
    if a.report is not None and date.fromisoformat(a.report["period"]["from"]) > as_of:
        return AttestationStanding(Standing.NOT_YET, f"the report's period begins on {a.report['period']['from']}, after the as-of date {as_of}",
                                   f"報告書の対象期間の開始日 {a.report['period']['from']} が判定基準日 {as_of} より後")
    if evidence_class == EvidenceClass.AUTOMATED:
        return AttestationStanding(Standing.NOT_NEEDED, "an automated item is judged by its checks alone",
                                   "自動チェックで判断する項目であり、証明は判断に用いない")
    if evidence_class == EvidenceClass.INHERITED and a.kind != AttestationKind.INHERITED:
        return AttestationStanding(Standing.WRONG_KIND, "an inherited item needs the hyperscaler's report (kind inherited)",
                                   "継承の項目にはクラウド基盤事業者の報告書(種類 inherited)が必要")
    if evidence_class == EvidenceClass.MANUAL and a.kind != AttestationKind.MANUAL:
        return AttestationStanding(Standing.WRONG_KIND, "a manual item is the provider's own procedure: it needs the provider's attestation (kind manual)",
                                   "組織的管理策の項目は事業者自身の手続であり、事業者の証明(種類 manual)が必要")
    if evidence_class == EvidenceClass.PARTIAL and a.kind != AttestationKind.MANUAL:
        return AttestationStanding(Standing.SUPPLEMENTARY, "the hyperscaler's report covers only its share of a partial item; the provider's attestation is still needed",
                                   "クラウド基盤事業者の報告書は項目のうち基盤事業者の分担しか示さず、事業者自身の証明が別に必要")
    if review == "independent" and (not a.reviewed_by or a.reviewed_by.strip() == a.attested_by.strip()):
        return AttestationStanding(Standing.NEEDS_REVIEW, "the catalog asks for a reviewer other than the attester",
                                   "証明者とは別の者によるレビューが必要(カタログの要求)")
    return AttestationStanding(Standing.COUNTED, "counts on the as-of date", "判定基準日に有効")


def standing_in(catalog: Catalog, a: Attestation, as_of: date) -> AttestationStanding:
    """`standing` with the class and review the catalog gives the attestation's subject."""
    if a.item is not None:
        entry = catalog.items[a.item]
        return standing(a, entry["evidence"], entry.get("attestation_review"), as_of)
    part = catalog.part(a.part)
    return standing(a, EvidenceClass.MANUAL, part.get("attestation_review"), as_of)


def load_attestations(path: str, catalog: Catalog, read_documents: bool = True) -> list[Attestation]:
    """The attestations file, validated against the schema and the catalog. With
    `read_documents` each referenced document is read and hashed (a missing one is an
    input error); re-performing a stored scan passes False and uses the recorded digests."""
    doc = load_yaml(path)
    validate(doc, SCHEMA, path)
    base = Path(path).parent
    out = []
    for i, a in enumerate(doc["attestations"]):
        where = f"{path}: $.attestations[{i}]"
        item, part = a.get("item"), a.get("part")
        if item is not None and item not in catalog.items:
            raise InputError(f"{where} names item {item} which seed 004 does not cite")
        if part is not None:
            try:
                entry = catalog.part(part)
            except KeyError:
                raise InputError(f"{where} names part {part!r}, not a part of the 基本言明要件 "
                                 f"({', '.join(p['id'] for p in catalog.parts)})") from None
            if entry["evidenced_by"] != "attestation":
                raise InputError(f"{where} attests part {part!r}, which genmei assesses from the H01–M11 items: attest those items instead")
        attested_on, expires = date.fromisoformat(a["attested_on"]), date.fromisoformat(a["expires"])
        if expires < attested_on:
            raise InputError(f"{where} ({item or part}) expires before it was attested")
        report = a.get("report")
        if report is not None and date.fromisoformat(report["period"]["to"]) < date.fromisoformat(report["period"]["from"]):
            raise InputError(f"{where} ({item or part}): the report period ends before it begins")
        digest = None
        if "document" in a and read_documents:
            target = base / a["document"]
            if not target.is_file():
                raise InputError(f"{where} ({item or part}): document {a['document']} not found (relative to {base or '.'})")
            digest = sha256_hex(read_bytes(target))
        out.append(Attestation(
            item=item, part=part, kind=a["kind"], statement=a["statement"], attested_by=a["attested_by"],
            attested_on=attested_on, evidence_ref=a["evidence_ref"], expires=expires,
            reviewed_by=a.get("reviewed_by"), report=report, document=a.get("document"), document_sha256=digest,
        ))
    return out
