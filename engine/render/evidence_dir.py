"""The input of every auditor rendering: a stored evidence directory written by
`genmei scan --out DIR`. Renderings read only what the scan recorded (evidence.json),
plus the item texts of the catalog and the ISO crosswalk, so a scan can be rendered
again at any later time without rescanning. A document that is not a genmei evidence
file (mappings/schema/evidence.schema.json), or whose records do not hang together, is
refused with one line (exit 2) rather than rendered with holes. Before anything is
rendered `genmei report` re-performs the assessment (engine/reperform.py)."""

from dataclasses import dataclass, field
from pathlib import Path

from ..catalog import Catalog, load_catalog
from ..crosswalk import Crosswalk, load_crosswalk
from ..errors import InputError
from ..evidence_files import EVIDENCE as EVIDENCE_FILE, SNAPSHOT as SNAPSHOT_FILE
from ..jsonio import parse_json, read_bytes, sha256_hex, validate
from ..vocabulary import Status

FORMAT_PREFIX = "genmei-evidence/2."
SCHEMA = "evidence.schema.json"
REQUIRED = ("format", "tool", "started_at", "finished_at", "as_of", "snapshot_sha256", "policy_bundle_sha256",
            "catalog_sha256", "snapshot", "summary", "checks", "results", "risks", "outside_basic_statement",
            "items", "requirements", "exceptions", "attestations")
BASIC_RISKS = ("H01", "H02", "H03", "H04", "H05", "H06", "M07", "M08", "M09", "M10", "M11")
OUTSIDE_RISKS = ("L12", "L13", "L14", "L15", "L16", "L17", "L18", "L19", "L20", "L21")


@dataclass(frozen=True)
class Options:
    """What the user adds to a rendering: language, and the names a checklist or statement is made out to."""

    lang: str = "ja"
    service: str | None = None
    organisation: str | None = None
    representative: str | None = None
    date: str | None = None  # YYYY-MM-DD; default: the scan's as-of date
    internal: bool = False   # checklist: the provider's workpaper rather than the customer's checklist

    def issued(self, scan: "StoredScan") -> str:
        return self.date or scan.evidence["as_of"]


def date_text(iso: str, lang: str) -> str:
    """2026-11-22 → 2026年11月22日 in Japanese documents."""
    if lang != "ja":
        return iso
    y, m, d = iso[:10].split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


@dataclass
class StoredScan:
    """One scan as stored, with the lookups every rendering needs."""

    evidence: dict
    directory: Path
    evidence_sha256: str
    catalog: Catalog
    crosswalk: Crosswalk
    results_by_id: dict[str, dict] = field(default_factory=dict)
    checks_by_id: dict[str, dict] = field(default_factory=dict)

    @property
    def snapshot_member(self) -> str:
        """Where the evaluated snapshot is: beside evidence.json when the directory holds it."""
        if (self.directory / SNAPSHOT_FILE).is_file():
            return SNAPSHOT_FILE
        return self.evidence["snapshot"].get("path") or SNAPSHOT_FILE

    def all_risks(self) -> list[dict]:
        """H01–M11 then L12–L21, as the scan judged them."""
        return [*self.evidence["risks"].values(), *self.evidence["outside_basic_statement"].values()]

    def basic_risks(self) -> list[dict]:
        return list(self.evidence["risks"].values())

    def risk_results(self, risk: dict) -> list[dict]:
        """Every result counted for the risk (behind its items, for this risk), once each, in evidence order."""
        wanted = {rid for item in risk["items"].values() for rid in item["results"]}
        return [r for r in self.evidence["results"] if r["id"] in wanted]

    def supporting_results(self, risk: dict) -> list[dict]:
        """The results shown with the risk as supporting evidence: they move no judgement."""
        return [self.results_by_id[r] for r in risk["supporting"]["results"]]

    def item_results(self, item_id: str, risk: dict | None = None) -> list[dict]:
        """The results behind an item: those counted for `risk`, else for any risk."""
        entry = risk["items"][item_id] if risk else self.evidence["items"][item_id]
        return [self.results_by_id[r] for r in entry["results"]]

    def item_text(self, item_id: str, lang: str, risk_id: str | None = None) -> str:
        """The item's text; in Japanese the wording seed 004 prints for `risk_id` where it differs."""
        if item_id not in self.catalog.items:
            return ""
        return self.catalog.item_text(item_id, risk_id) if lang == "ja" else self.catalog.items[item_id]["title_en"]

    def check_title(self, check_id: str, lang: str) -> str:
        check = self.checks_by_id.get(check_id)
        return check["title"][lang] if check else check_id

    def item_risks(self, item_id: str) -> list[str]:
        return [r["id"] for r in self.all_risks() if item_id in r["items"]]


def load_stored_scan(directory: str | Path) -> StoredScan:
    d = Path(directory)
    if not d.exists():
        raise InputError(f"--evidence {directory}: no such directory")
    if not d.is_dir():
        raise InputError(f"--evidence {directory}: not a directory (give the DIR that `genmei scan --out DIR` wrote)")
    path = d / EVIDENCE_FILE
    if not path.is_file():
        raise InputError(f"--evidence {directory}: no {EVIDENCE_FILE} in it (give the DIR that `genmei scan --out DIR` wrote)")
    data = read_bytes(path)
    evidence = parse_json(data, str(path))
    check_evidence(evidence, str(path))
    validate(evidence, SCHEMA, str(path))
    catalog = load_catalog()
    scan = StoredScan(evidence=evidence, directory=d, evidence_sha256=sha256_hex(data), catalog=catalog,
                      crosswalk=load_crosswalk(frozenset(catalog.items)))
    scan.results_by_id = {r["id"]: r for r in evidence["results"]}
    scan.checks_by_id = {c["id"]: c for c in evidence["checks"]}
    _check_references(scan, str(path))
    return scan


def check_evidence(evidence, name: str) -> None:
    """The structure the renderings rely on; anything else is not a genmei evidence file."""
    if not isinstance(evidence, dict):
        raise InputError(f"{name}: not a genmei evidence document (expected a JSON object)")
    fmt = evidence.get("format")
    if not isinstance(fmt, str) or not fmt.startswith(FORMAT_PREFIX):
        raise InputError(f"{name}: not a genmei evidence document (format {fmt!r}, expected {FORMAT_PREFIX}x)")
    missing = [k for k in REQUIRED if k not in evidence]
    if missing:
        raise InputError(f"{name}: evidence document lacks {', '.join(missing)}")
    for key, ids in (("risks", BASIC_RISKS), ("outside_basic_statement", OUTSIDE_RISKS)):
        if not isinstance(evidence[key], dict) or tuple(evidence[key]) != ids:
            raise InputError(f"{name}: {key} must hold {ids[0]}–{ids[-1]} in order")
    for key in ("results", "checks", "exceptions", "attestations"):
        if not isinstance(evidence[key], list):
            raise InputError(f"{name}: {key} must be a list")
    if not isinstance(evidence["items"], dict):
        raise InputError(f"{name}: items must be an object keyed by 項番")
    bad = [r.get("id", "?") for r in evidence["results"] if not isinstance(r, dict) or r.get("status") not in set(Status)]
    if bad:
        raise InputError(f"{name}: result {bad[0]} has no valid status")


def _check_references(scan: StoredScan, name: str) -> None:
    """Every id the roll-ups cite must exist, or a rendering would silently drop it."""
    ev = scan.evidence
    if len(scan.results_by_id) != len(ev["results"]):
        raise InputError(f"{name}: duplicate result ids")
    for item_id, item in ev["items"].items():
        unknown = [r for r in item.get("results", []) if r not in scan.results_by_id]
        if unknown:
            raise InputError(f"{name}: item {item_id} cites unknown result {unknown[0]}")
    for risk in scan.all_risks():
        unknown = [i for i in risk["items"] if i not in ev["items"]]
        if unknown:
            raise InputError(f"{name}: risk {risk['id']} cites item {unknown[0]}, which the evidence lacks")
        cited = [r for e in risk["items"].values() for r in e["results"]] + risk["supporting"]["results"]
        unknown = [r for r in cited if r not in scan.results_by_id]
        if unknown:
            raise InputError(f"{name}: risk {risk['id']} cites unknown result {unknown[0]}")
