"""OSCAL assessment-results (JSON) from a stored scan, as plain dicts: genmei does not
depend on an OSCAL library at run time; the tests validate the output with
compliance-trestle's models.

- one observation per check × resource (subject: the resource as an inventory item;
  relevant evidence: the snapshot member and its SHA-256 digest in back-matter), and one
  per attestation;
- one finding per criteria item (項番), `satisfied` only when the item is satisfied,
  attested or inherited: not satisfied, waived, not evaluated and not applicable are all
  `not-satisfied` (a waived failure is never satisfied; unknown is never a pass), with
  genmei's own status in a property;
- the risks H01–M11 as OSCAL risks (○ closed, × open, 未評価 investigating).

UUIDs are version 5, derived from the scan's digests, so rendering the same evidence
twice gives the same document."""

import json
import uuid

from .evidence_dir import Options, StoredScan
from ..vocabulary import SATISFYING, ItemStatus, Status
from .labels import STATUS, judgement, rationale, reason, resource_label, scope_text

FORMATS = ("json",)
OSCAL_VERSION = "1.1.2"
NS = "https://genmei.dev/ns/oscal"
RISK_STATUS = {"○": "closed", "×": "open", "未評価": "investigating"}
REASON = {ItemStatus.NOT_SATISFIED: "fail", ItemStatus.WAIVED: "fail", ItemStatus.SATISFIED: "pass",
          ItemStatus.ATTESTED: "pass", ItemStatus.INHERITED: "pass"}


def prop(name: str, value) -> dict:
    return {"name": name, "ns": NS, "value": str(value)}


def control_id(item_id: str) -> str:
    """OSCAL control ids are tokens, which may not begin with a digit."""
    return f"jasa-{item_id}"


class Ids:
    """Deterministic UUIDs: version 5 under a namespace made from the scan's digests."""

    def __init__(self, ev: dict):
        seed = "|".join((ev["snapshot_sha256"], ev["policy_bundle_sha256"], ev["catalog_sha256"], ev["as_of"], ev["started_at"]))
        self.base = uuid.uuid5(uuid.NAMESPACE_URL, f"https://genmei.dev/oscal/assessment-results/{seed}")

    def __call__(self, kind: str, key: str = "") -> str:
        return str(uuid.uuid5(self.base, f"{kind}:{key}"))


def _observation(scan: StoredScan, r: dict, ids: Ids, snapshot_res: str, lang: str) -> dict:
    subject = {"subject-uuid": ids("inventory-item", r["resource"]), "type": "inventory-item",
               "title": resource_label(r)}
    obs = {
        "uuid": ids("observation", r["id"]),
        "title": f"{r['check']} — {resource_label(r)}",
        "description": f"{scan.check_title(r['check'], lang)}: {r['status']} — {reason(r, lang)}",
        "props": [prop("result-id", r["id"]), prop("check-id", r["check"]), prop("result-status", r["status"]),
                  prop("severity", r["severity"])] + [prop("criteria-item", i) for i in r["criteria"]],
        "methods": ["TEST"],
        "subjects": [subject],
        "relevant-evidence": [{
            "href": f"#{snapshot_res}",
            "description": f"{scan.snapshot_member} (sha256 {scan.evidence['snapshot_sha256']}), resource {r['resource']}",
            "props": [prop("resource-id", r["resource"])],
        }],
        "collected": scan.evidence["snapshot"]["collected_at"],
        "remarks": json.dumps(r.get("evidence", {}), ensure_ascii=False, sort_keys=True),
    }
    if r["status"] in (Status.FAIL, Status.WAIVED, Status.ERROR):
        obs["types"] = ["finding"]
    return obs


def _attestation_observation(a: dict, ids: Ids, evidence_res: str) -> dict:
    subject = a["item"] or f"part:{a['part']}"
    obs = {
        "uuid": ids("attestation", f"{subject}|{a['attested_by']}|{a['attested_on']}|{a['evidence_ref']}"),
        "title": f"attestation {subject} ({a['kind']})",
        "description": a["statement"],
        "props": [prop("criteria-item" if a["item"] else "requirement-part", a["item"] or a["part"]),
                  prop("attestation-kind", a["kind"]), prop("attestation-standing", a["standing"])]
        + ([prop("document-sha256", a["document_sha256"])] if a["document_sha256"] else []),
        "methods": ["EXAMINE"],
        "relevant-evidence": [{"href": f"#{evidence_res}",
                               "description": f"{a['evidence_ref']} — attested by {a['attested_by']} on {a['attested_on']}"}],
        "collected": f"{a['attested_on']}T00:00:00Z",
        "expires": f"{a['expires']}T23:59:59Z",
    }
    return obs


def _inventory_item(r: dict, ids: Ids) -> dict:
    item = {"uuid": ids("inventory-item", r["resource"]),
            "description": (f"{r['resource_type']} {resource_label(r)}" if r.get("resource_type")
                            else f"collection gap {r['resource']}"),
            "props": [prop("resource-id", r["resource"])]}
    if r.get("resource_type"):
        item["props"].append(prop("resource-type", r["resource_type"]))
    if r.get("region"):
        item["props"].append(prop("region", r["region"]))
    return item


def _finding(scan: StoredScan, item_id: str, ids: Ids, obs_by_result: dict, att_obs: dict, risk_ids: dict, lang: str) -> dict:
    item = scan.evidence["items"][item_id]
    status = item["status"]
    state = "satisfied" if status in SATISFYING else "not-satisfied"
    related = [obs_by_result[r] for r in item["results"]] + att_obs.get(item_id, [])
    finding = {
        "uuid": ids("finding", item_id),
        "title": f"{item_id} {STATUS[lang][status]}",
        "description": scan.item_text(item_id, lang) or item_id,
        "props": [prop("item-status", status), prop("evidence-class", item["evidence_class"])]
        + [prop("iso27001-2022", c) for c in scan.crosswalk.iso27001(item_id)]
        + [prop("iso27017-2015", c) for c in scan.crosswalk.iso27017(item_id)],
        "target": {
            "type": "objective-id",
            "target-id": control_id(item_id),
            "status": {"state": state, "reason": REASON.get(status, "other"), "remarks": reason(item, lang)},
        },
    }
    if related:
        finding["related-observations"] = [{"observation-uuid": u} for u in related]
    risks = [risk_ids[r] for r in scan.item_risks(item_id) if r in risk_ids]
    if risks:
        finding["related-risks"] = [{"risk-uuid": u} for u in risks]
    return finding


def _risk(scan: StoredScan, risk: dict, ids: Ids, obs_by_result: dict, lang: str) -> dict:
    out = {
        "uuid": ids("risk", risk["id"]),
        "title": f"{risk['id']} {risk['name'][lang]}",
        "description": f"{risk['name']['ja']} / {risk['name']['en']} (level {risk['level']}; JASA basic statement)",
        "statement": rationale(risk, lang),
        "props": [prop("risk-id", risk["id"]), prop("judgement", judgement(risk, "ja")),
                  prop("judgement-en", risk["judgement_en"]), prop("level", risk["level"])],
        "status": RISK_STATUS[risk["judgement"]],
    }
    related = [obs_by_result[r["id"]] for r in scan.risk_results(risk)]
    if related:
        out["related-observations"] = [{"observation-uuid": u} for u in related]
    return out


def build(scan: StoredScan, opts: Options) -> dict:
    ev, lang = scan.evidence, opts.lang
    ids = Ids(ev)
    snapshot_res, evidence_res, plan_res = ids("resource", "snapshot"), ids("resource", "evidence"), ids("resource", "plan")
    obs_by_result = {r["id"]: ids("observation", r["id"]) for r in ev["results"]}
    observations = [_observation(scan, r, ids, snapshot_res, lang) for r in ev["results"]]
    att_obs: dict[str, list[str]] = {}
    for a in ev["attestations"]:
        o = _attestation_observation(a, ids, evidence_res)
        observations.append(o)
        if a["counted"] and a["item"]:
            att_obs.setdefault(a["item"], []).append(o["uuid"])
    inventory = {}
    for r in ev["results"]:
        inventory.setdefault(r["resource"], _inventory_item(r, ids))
    risks = [_risk(scan, r, ids, obs_by_result, lang) for r in scan.basic_risks()]
    risk_ids = {r["id"]: ids("risk", r["id"]) for r in scan.basic_risks()}
    findings = [_finding(scan, i, ids, obs_by_result, att_obs, risk_ids, lang) for i in ev["items"]]
    snap = ev["snapshot"]
    title = f"genmei {'評価結果' if lang == 'ja' else 'assessment results'} — {scope_text(snap, lang)}"
    result = {
        "uuid": ids("result"),
        "title": title,
        "description": ("JASA クラウド情報セキュリティ管理基準: 基本言明要件 (H01–M11) に対する構成の評価。判断は提案。"
                        if lang == "ja" else
                        "Configuration assessed against the JASA cloud criteria and the basic-statement risks H01–M11. "
                        "Judgements are proposals."),
        "start": ev["started_at"],
        "end": ev["finished_at"],
        "props": [prop("snapshot-sha256", ev["snapshot_sha256"]), prop("policy-bundle-sha256", ev["policy_bundle_sha256"]),
                  prop("catalog-sha256", ev["catalog_sha256"]), prop("evidence-sha256", scan.evidence_sha256),
                  prop("as-of", ev["as_of"]), prop("engine-backend", ev["tool"]["backend"])],
        "local-definitions": {"inventory-items": list(inventory.values())},
        "reviewed-controls": {"control-selections": [
            {"include-controls": [{"control-id": control_id(i)} for i in ev["items"]]}]},
        "observations": observations,
        "risks": risks,
        "findings": findings,
    }
    back_matter = [
        {"uuid": snapshot_res, "title": "snapshot", "description": "the canonical snapshot the checks evaluated",
         "rlinks": [{"href": scan.snapshot_member, "media-type": "application/json",
                     "hashes": [{"algorithm": "SHA-256", "value": ev["snapshot_sha256"]}]}]},
        {"uuid": evidence_res, "title": "evidence", "description": "genmei evidence document of the scan",
         "rlinks": [{"href": "evidence.json", "media-type": "application/json",
                     "hashes": [{"algorithm": "SHA-256", "value": scan.evidence_sha256}]}]},
        {"uuid": plan_res, "title": "assessment plan",
         "description": "No separate OSCAL assessment plan: the plan is the genmei policy bundle (every Rego check) "
                        "and the JASA catalog, identified by their digests.",
         "props": [prop("policy-bundle-sha256", ev["policy_bundle_sha256"]), prop("catalog-sha256", ev["catalog_sha256"])]},
    ]
    return {"assessment-results": {
        "uuid": ids("assessment-results"),
        "metadata": {
            "title": title,
            "last-modified": ev["finished_at"],
            "version": f"genmei-{ev['tool']['version']}",
            "oscal-version": OSCAL_VERSION,
            "props": [prop("tool", f"{ev['tool']['name']} {ev['tool']['version']}")],
        },
        "import-ap": {"href": f"#{plan_res}"},
        "results": [result],
        "back-matter": {"resources": back_matter},
    }}


def render(scan: StoredScan, opts: Options, fmt: str) -> bytes:
    return (json.dumps(build(scan, opts), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
