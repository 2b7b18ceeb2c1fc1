"""`genmei import gcp-cai FILE...`: Cloud Asset Inventory exports a user already has,
turned into a canonical snapshot by the same normalisers as the live GCP collector.

Accepted: `gcloud asset export` output (JSONL, one asset per line, snake_case keys),
`gcloud asset list --format=json` (a JSON array, camelCase keys), a ListAssets response
page (`{"assets": [...]}`), and concatenated JSON objects. Exports of the same scope
with different content types (resource, iam-policy) may be given together and are
merged per asset. Asset types genmei does not model are counted and reported, not
dropped silently. Files that are not CAI data (malformed JSON, records that are not
assets, test templates with unrendered `{{...}}` placeholders) are rejected with the
file, line and reason. Every record is read by engine.jsonio's bounded parser, with the
limits of a whole JSON file (nesting, infinities, lone surrogates, long integers).
"""

import re
from collections import Counter
from pathlib import Path

from genmei.engine.errors import InputError
from genmei.engine.jsonio import MAX_JSON_DEPTH, parse_json_at, read_bytes

from genmei.collectors.gcp.envelope import now, snapshot
from genmei.collectors.gcp.normalise import normalise
from genmei.collectors.gcp.normalise.asset import AssetError, read_asset

PLACEHOLDER = re.compile(r"\{\{[^}]*\}\}")


def records(data: bytes, name: str):
    """Yield (record, line) from a JSON array, a response page, JSONL or a stream of
    JSON objects; raise InputError at the first thing that is none of these."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{name}: not UTF-8 text (byte {e.start})") from None
    pos = _skip(text, 0)
    if pos == len(text):
        raise InputError(f"{name}: empty file, expected Cloud Asset Inventory assets")
    lines = _Lines(text)
    if text[pos] == "[":
        pos = _skip(text, pos + 1)
        if pos < len(text) and text[pos] == "]":
            return _end(text, pos + 1, name, lines)
        while True:   # each element one level below the array
            value, end = parse_json_at(text, pos, name, f"{name}: line {lines.at(pos)}", MAX_JSON_DEPTH - 1)
            yield value, lines.at(pos)
            pos = _skip(text, end)
            if pos < len(text) and text[pos] == ",":
                pos = _skip(text, pos + 1)
                continue
            if pos < len(text) and text[pos] == "]":
                return _end(text, pos + 1, name, lines)
            found = repr(text[pos]) if pos < len(text) else "end of file"
            raise InputError(f"{name}: malformed JSON at line {lines.at(pos)}: expected ',' or ']' in the array, found {found}")
    while pos < len(text):
        start = pos
        value, end = parse_json_at(text, pos, name, f"{name}: line {lines.at(pos)}")
        if isinstance(value, dict) and "assets" in value and "name" not in value:
            assets = value["assets"]
            if not isinstance(assets, list):
                raise InputError(f"{name}: line {lines.at(start)}: `assets` is not a list")
            for a in assets:
                yield a, lines.at(start)
        else:
            yield value, lines.at(start)
        pos = _skip(text, end)


def _end(text, pos, name, lines):
    pos = _skip(text, pos)
    if pos < len(text):
        raise InputError(f"{name}: malformed JSON at line {lines.at(pos)}: unexpected {text[pos]!r} after the closing ']' of the array")


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


class _Lines:
    """Line numbers of increasing offsets, counted incrementally (linear in the file)."""

    def __init__(self, text: str):
        self.text, self.pos, self.line = text, 0, 1

    def at(self, pos: int) -> int:
        if pos < self.pos:
            return self.text.count("\n", 0, pos) + 1
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def read_files(paths: list[str]):
    """All assets of the files, each with its origin; InputError on the first bad one."""
    assets = []
    for path in paths:
        name = str(path)
        count = 0
        for record, line in records(read_bytes(path), name):
            origin = {"kind": "cai", "file": Path(path).name, "line": line}
            try:
                asset = read_asset(record, origin)
            except AssetError as e:
                raise InputError(f"{name}: line {line}: {e}; not a Cloud Asset Inventory asset") from None
            for field, value in (("name", asset.name), ("parent", asset.parent or "")):
                if PLACEHOLDER.search(value):
                    raise InputError(f"{name}: line {line}: asset {field} {value!r} holds an unrendered template placeholder "
                                     f"({PLACEHOLDER.search(value).group(0)}): a test template, not a Cloud Asset Inventory export")
            origin["ref"] = asset.asset_type
            assets.append(asset)
            count += 1
        if count == 0:
            raise InputError(f"{name}: holds no Cloud Asset Inventory assets")
    return assets


def read(paths: list[str], progress) -> dict:
    """The import-format interface (collectors/imports.py): files → snapshot dict."""
    started = now()
    assets = read_files(paths)
    read_types = {a.asset_type for a in assets if a.data is not None}
    iam_read = any(a.iam_policy is not None for a in assets)
    inventory_read = any(a.os_inventory is not None for a in assets)
    try:
        norm = normalise(assets, read_types, iam_read, inventory_read=inventory_read, observed_at=_exported_by(assets))
    except AssetError as e:
        raise InputError(f"{', '.join(str(p) for p in paths)}: {e}") from None
    account = _account(assets, norm.projects, paths)
    gaps = _gaps(account, assets, inventory_read)
    # Unmodelled asset types are reported in meta.description, which `genmei import` prints.
    description = unsupported_text(norm.unsupported) if norm.unsupported else None
    progress(f"imported {len(assets)} assets as {len(norm.resources)} resources")
    return snapshot(norm, account=account, collector="genmei-gcp-cai-import", source=", ".join(str(p) for p in paths),
                    started=started, gaps=gaps, description=description)


def _exported_by(assets) -> str | None:
    """The newest time an asset of the export says it changed: the export was made no
    earlier, so ages counted to it are never longer than at the export."""
    from genmei.collectors.canonical import times

    seen = [times.utc(t) for a in assets for t in (a.update_time, (a.os_inventory or {}).get("update_time"),
                                                    (a.os_inventory or {}).get("updateTime")) if isinstance(t, str)]
    return times.rfc3339(max(seen)) if seen else None


def _gaps(account: str, assets, inventory_read: bool) -> list[dict]:
    """What a CAI export cannot hold: OS Config's vulnerability reports, and (unless
    exported with --content-type=os-inventory) the VMs' OS inventories."""
    from .gcp.normalise.vm_manager import INSTANCE

    scope = f"{account}/global"
    gaps = [{"scope": scope, "service": "osconfig", "api": "ListVulnerabilityReports", "resource_types": ["vulnerability.report"],
             "error_code": "NotInCaiExport",
             "message": "Cloud Asset Inventory exports hold no VM Manager vulnerability reports (read live by genmei collect gcp)"}]
    if not inventory_read and any(a.asset_type == INSTANCE and a.data is not None for a in assets):
        gaps.append({"scope": scope, "service": "cloudasset", "api": "ListAssets (OS_INVENTORY)",
                     "resource_types": ["compute.host_management"], "error_code": "NotInExport",
                     "message": "the export holds no OS inventories of the VMs; export them too with "
                                "`gcloud asset export --content-type=os-inventory`"})
    return gaps


def unsupported_text(unsupported: Counter) -> str:
    total = sum(unsupported.values())
    kinds = ", ".join(f"{t} ×{n}" for t, n in sorted(unsupported.items()))
    return f"{total} asset(s) of types genmei does not model were not imported: {kinds}"


def _account(assets, projects: set, paths) -> str:
    """The project when there is one; else the organisation or folder every asset sits
    under; else the file name."""
    if len(projects) == 1:
        return f"projects/{next(iter(projects))}"
    chains = [a.ancestors for a in assets if a.ancestors]
    if chains and len(chains) == len(assets):
        common = set(chains[0])
        for c in chains[1:]:
            common &= set(c)
        for ancestor in chains[0]:
            if ancestor in common and not ancestor.startswith("projects/"):
                return ancestor
    return f"gcp-cai:{Path(paths[0]).name}"
