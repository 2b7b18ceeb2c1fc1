"""Where a plan address is written: the `.tf` file and line of its `resource` block, found
by parsing the configuration with python-hcl2 (`--source-dir`).

Module directories come from the plan's own `configuration` (a call's `source`), then the
`module` blocks of the parent directory, then `.terraform/modules/modules.json` (modules
installed by `terraform init`). Each directory is parsed once. A file that does not
parse is reported on stderr and its blocks are left without a location; nothing fails.
"""

import json
import os
from pathlib import Path

import hcl2
from lark import LarkError, Tree

from genmei.engine.errors import InputError

from .address import parse_address
from .plan import Plan


class SourceLocator:
    def __init__(self, source_dir: str, plan: Plan, warn):
        root = Path(source_dir)
        if not root.is_dir():
            raise InputError(f"--source-dir {source_dir}: no such directory")
        self.root_text = source_dir
        self.root = root
        self.plan = plan
        self.warn = warn
        self._dirs: dict[tuple, str | None] = {(): "."}
        self._scanned: dict[str, tuple[dict, dict]] = {}
        self._installed = self._read_modules_json()

    def __call__(self, address: str) -> tuple[str, int] | None:
        try:
            addr = parse_address(address)
        except ValueError:
            return None
        rel = self._module_dir(addr.module_path)
        if rel is None:
            return None
        resources, _ = self._scan(rel)
        return resources.get((addr.type, addr.name))

    def _read_modules_json(self) -> dict[str, str]:
        path = self.root / ".terraform" / "modules" / "modules.json"
        if not path.is_file():
            return {}
        try:
            doc = json.loads(path.read_text(encoding="utf-8-sig"))
            return {m["Key"]: m["Dir"] for m in doc.get("Modules", []) if isinstance(m, dict) and "Key" in m and "Dir" in m}
        except (OSError, ValueError, AttributeError) as e:
            self.warn(f"{path}: cannot read installed modules ({e}); locations inside remote modules are omitted")
            return {}

    def _module_dir(self, path: tuple) -> str | None:
        """The module's directory relative to the source dir, or None when not found."""
        if path in self._dirs:
            return self._dirs[path]
        parent = self._module_dir(path[:-1])
        found = None
        if parent is not None:
            source = (self.plan.config.calls.get(path) or {}).get("source") or self._scan(parent)[1].get(path[-1])
            if isinstance(source, str) and source.startswith(("./", "../")):
                found = os.path.normpath(os.path.join(parent, source))
            elif ".".join(path) in self._installed:
                found = os.path.normpath(self._installed[".".join(path)])
        if found is not None and not (self.root / found).is_dir():
            found = None
        self._dirs[path] = found
        return found

    def _scan(self, rel: str) -> tuple[dict, dict]:
        """(resource (type, name) → (file, line), module name → source) of one directory."""
        if rel in self._scanned:
            return self._scanned[rel]
        resources, modules = {}, {}
        for file in sorted((self.root / rel).glob("*.tf")):
            shown = Path(os.path.normpath(os.path.join(self.root_text, rel, file.name))).as_posix()
            for kind, labels, line, attrs in self._blocks(file, shown):
                if kind == "resource" and len(labels) == 2:
                    resources.setdefault(tuple(labels), (shown, line))
                elif kind == "module" and len(labels) == 1 and "source" in attrs:
                    modules.setdefault(labels[0], attrs["source"])
        self._scanned[rel] = (resources, modules)
        return resources, modules

    def _blocks(self, file: Path, shown: str):
        try:
            tree = hcl2.parses_to_tree(file.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, LarkError) as e:
            self.warn(f"{shown}: cannot parse HCL ({type(e).__name__}: {' '.join(str(e).split())[:160]}); its blocks get no line")
            return
        body = tree.children[0] if tree.children and isinstance(tree.children[0], Tree) else tree
        for block in body.children:
            if not isinstance(block, Tree) or block.data != "block":
                continue
            kind, labels, attrs = None, [], {}
            for child in block.children:
                if not isinstance(child, Tree):
                    continue
                if child.data == "identifier" and kind is None:
                    kind = str(child.children[0])
                elif child.data == "string":
                    labels.append(_string(child))
                elif child.data == "body":
                    attrs = _string_attributes(child)
            if kind:
                yield kind, labels, block.meta.line, attrs


def _string(node) -> str:
    return "".join(str(t.children[0]) for t in node.children if isinstance(t, Tree) and t.data == "string_part" and t.children)


def _string_attributes(body) -> dict:
    """Attributes of a block body whose value is a plain string literal."""
    out = {}
    for attr in body.children:
        if not isinstance(attr, Tree) or attr.data != "attribute":
            continue
        name = value = None
        for child in attr.children:
            if isinstance(child, Tree) and child.data == "identifier":
                name = str(child.children[0])
            elif isinstance(child, Tree) and child.data == "expr_term":
                strings = [c for c in child.children if isinstance(c, Tree) and c.data == "string"]
                if strings:
                    value = _string(strings[0])
        if name and value is not None:
            out[name] = value
    return out
