"""The per-result outputs of `scan` and `gate` (engine.formats.RESULT_FORMATS): every
result (check × resource) as evidence.json holds it, every status kept.

- csv: one row per result for spreadsheets and SIEM uploads (UTF-8 with BOM, cells
  guarded against formula injection: csv_cells.py); NOT_EVALUATED and ERROR rows say why
  in `reason`, a WAIVED row names its exception there.
- ocsf: OCSF Compliance Finding events (ocsf.py), a JSON array.
"""

from .csv_cells import csv_bytes

CSV_HEADER = ["check", "resource", "type", "provider", "account", "region", "status", "severity", "criteria",
              "risks", "reason"]


def render_results(fmt: str, evidence: dict, lang: str) -> bytes:
    if fmt == "csv":
        return results_csv(evidence)
    from ..catalog import load_catalog
    from ..jsonio import dump_json
    from .ocsf import render_ocsf

    return dump_json(render_ocsf(evidence, lang, load_catalog().edition))


def results_csv(evidence: dict) -> bytes:
    rows = ([r["check"], r["resource"], r["resource_type"], r["provider"], r["account"], r["region"], r["status"],
             r["severity"], ";".join(r["criteria"]), ";".join(r["risks"]), r["reason"]] for r in evidence["results"])
    return csv_bytes(CSV_HEADER, rows)
