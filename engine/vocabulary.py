"""The words of genmei's verdicts, defined once: result statuses, severities, item
statuses, judgements, evidence classes and attestation kinds, with their Japanese and
English labels. The engine writes these values into the evidence; every renderer reads
its labels from here, so a status is never spelled (or forgotten) in a second place.

They are `StrEnum`s: a member is its string, so records keep plain JSON strings and a
comparison with a value read back from evidence.json needs no conversion.
"""

from enum import StrEnum


class Status(StrEnum):
    """The status of one result (check × resource)."""

    PASS = "PASS"
    FAIL = "FAIL"
    WAIVED = "WAIVED"
    NOT_EVALUATED = "NOT_EVALUATED"
    ERROR = "ERROR"


# What a check itself may return; WAIVED is applied afterwards by exceptions, ERROR by the engine.
RULE_STATUSES = frozenset({Status.PASS, Status.FAIL, Status.NOT_EVALUATED})
# The order results are listed in a summary: the worst first.
RESULT_ORDER = (Status.FAIL, Status.ERROR, Status.NOT_EVALUATED, Status.WAIVED, Status.PASS)
# The order of the counters in `evidence.summary` and the terminal table.
SUMMARY_ORDER = (Status.PASS, Status.FAIL, Status.WAIVED, Status.NOT_EVALUATED, Status.ERROR)

STATUS_LABEL = {
    "ja": {Status.PASS: "合格", Status.FAIL: "不合格", Status.WAIVED: "例外承認", Status.NOT_EVALUATED: "未評価",
           Status.ERROR: "エラー"},
    "en": {Status.PASS: "pass", Status.FAIL: "fail", Status.WAIVED: "waived", Status.NOT_EVALUATED: "not evaluated",
           Status.ERROR: "error"},
}


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """1 (low) … 4 (critical): `--fail-on high` fails on rank ≥ 3."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3, Severity.CRITICAL: 4}
# Listing order: the most severe first.
SEVERITY_ORDER = {s: 4 - s.rank for s in Severity}


class ItemStatus(StrEnum):
    """The status of a criteria item (項番), for one risk or over all the risks citing it."""

    NOT_SATISFIED = "not_satisfied"
    WAIVED = "waived"
    NOT_EVALUATED = "not_evaluated"
    SATISFIED = "satisfied"
    ATTESTED = "attested"
    INHERITED = "inherited"
    NOT_APPLICABLE = "not_applicable"


# Declaration order is the listing order (the worst first), used by tables and rationales.
ITEM_ORDER = tuple(ItemStatus)
# An item in one of these supports a ○ (not applicable is neutral, never enough alone).
SATISFYING = frozenset({ItemStatus.SATISFIED, ItemStatus.ATTESTED, ItemStatus.INHERITED})

ITEM_STATUS_LABEL = {
    "ja": {ItemStatus.NOT_SATISFIED: "不充足", ItemStatus.WAIVED: "例外承認", ItemStatus.NOT_EVALUATED: "未評価",
           ItemStatus.SATISFIED: "充足", ItemStatus.ATTESTED: "証明済", ItemStatus.INHERITED: "継承",
           ItemStatus.NOT_APPLICABLE: "対象なし"},
    "en": {s: s.replace("_", " ") for s in ItemStatus},
}


class Judgement(StrEnum):
    """The proposed judgement of a risk, in the symbols of the seed-000 checklist."""

    SATISFIED = "○"
    NOT_SATISFIED = "×"
    NOT_EVALUATED = "未評価"


JUDGEMENT_LABEL = {
    "ja": {j: j.value for j in Judgement},
    "en": {Judgement.SATISFIED: "satisfied", Judgement.NOT_SATISFIED: "not satisfied",
           Judgement.NOT_EVALUATED: "not evaluated"},
}


class EvidenceClass(StrEnum):
    """How an item can be evidenced (mappings/criteria.yaml `evidence`)."""

    AUTOMATED = "automated"  # checks of the cloud configuration decide it entirely
    PARTIAL = "partial"      # checks show part; the provider attests the rest
    MANUAL = "manual"        # the provider's organisational procedure: attestation only
    INHERITED = "inherited"  # the hyperscaler's control: its third-party report


EVIDENCE_CLASS_LABEL = {
    "ja": {EvidenceClass.AUTOMATED: "自動チェック", EvidenceClass.PARTIAL: "自動チェック+事業者の証明",
           EvidenceClass.MANUAL: "事業者の証明(組織的管理策)", EvidenceClass.INHERITED: "継承(クラウド基盤事業者の第三者報告書)"},
    "en": {EvidenceClass.AUTOMATED: "automated checks", EvidenceClass.PARTIAL: "checks + provider's attestation",
           EvidenceClass.MANUAL: "provider's attestation (organisational)",
           EvidenceClass.INHERITED: "inherited (hyperscaler's third-party report)"},
}


class AttestationKind(StrEnum):
    MANUAL = "manual"        # the provider attests its own control
    INHERITED = "inherited"  # the provider relies on the hyperscaler's third-party report


class Standing(StrEnum):
    """Whether an attestation counts on the as-of date, and if not, why."""

    COUNTED = "counted"
    SUPPLEMENTARY = "supplementary"  # recorded, but not the attestation the item needs (see the reason)
    NOT_YET = "not_yet"              # attested after the as-of date
    EXPIRED = "expired"
    WRONG_KIND = "wrong_kind"
    NEEDS_REVIEW = "needs_review"    # the catalog asks for a reviewer other than the attester
    NOT_NEEDED = "not_needed"        # an automated item: judged by its checks alone


STANDING_LABEL = {
    "ja": {Standing.COUNTED: "有効", Standing.SUPPLEMENTARY: "補足(単独では不足)", Standing.NOT_YET: "基準日より後の証明",
           Standing.EXPIRED: "期限切れ", Standing.WRONG_KIND: "種類が項目に合わない", Standing.NEEDS_REVIEW: "独立したレビューがない",
           Standing.NOT_NEEDED: "不要(自動チェックで判断)"},
    "en": {Standing.COUNTED: "valid", Standing.SUPPLEMENTARY: "supplementary (not enough alone)",
           Standing.NOT_YET: "attested after the as-of date", Standing.EXPIRED: "expired",
           Standing.WRONG_KIND: "kind does not fit the item", Standing.NEEDS_REVIEW: "no independent review",
           Standing.NOT_NEEDED: "not needed (judged by checks)"},
}
