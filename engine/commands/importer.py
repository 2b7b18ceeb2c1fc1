"""`genmei import FORMAT FILE... --out snapshot.json`: an export the user already has (a
Resource Graph result, …) turned into a canonical snapshot for `genmei scan --snapshot`.
Formats come from genmei.collectors.imports, as providers come from genmei.collectors.registry."""

from ..errors import EXIT_OK
from .scan import progress


def cmd_import(args) -> int:
    from genmei.collectors.imports import load_format

    from ..jsonio import dump_json, sha256_hex, write_atomic
    from ..snapshot import validate_snapshot

    from ..formats import check_suffix

    check_suffix("json", args.out, what="a snapshot (JSON)")
    doc = load_format(args.format).read(args.files, progress)
    validate_snapshot(doc, f"{args.format} import of {', '.join(args.files)}")
    data = dump_json(doc)
    write_atomic(args.out, data)
    meta = doc["meta"]
    print(f"snapshot: {args.out} ({len(doc['resources'])} resources, {len(meta.get('gaps', []))} gap(s), sha256 {sha256_hex(data)})")
    if meta.get("description"):
        from .. import console

        console.note(meta["description"])
    return EXIT_OK


def register(sub) -> None:
    from genmei.collectors.imports import FORMATS, title

    p = sub.add_parser("import", help="turn an offline export (Resource Graph results, …) into a canonical snapshot")
    formats = p.add_subparsers(dest="format", metavar="FORMAT", required=True, parser_class=type(p))
    for name in FORMATS:
        f = formats.add_parser(name, help=title(name))
        f.add_argument("files", nargs="+", metavar="FILE", help="the export (several files: pages of one export)")
        f.add_argument("--out", required=True, metavar="FILE", help="write the snapshot JSON here")
        f.set_defaults(func=cmd_import)
