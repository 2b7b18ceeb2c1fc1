"""The zip container of an evidence bundle, checked strictly: exactly the layout genmei
writes, so that nothing rides along that the digests do not cover.

The manifest's digests cover the members' bytes, and the signature the manifest; what
lies around them is not covered, and zip readers forgive a lot of it. A bundle whose
first bytes are an HTML page (a polyglot that opens in a browser), with bytes appended
after the end record, with a zip comment, with a member marked as a symbolic link (which
`unzip` would create as a link), with a name that climbs out of the extraction directory,
or with a compressed or encrypted member still reads back the same digests. A bundle is
therefore accepted only as genmei lays it out: local headers and data back to back from
byte 0, the central directory right after them, then the end record (the zip64 records
before it, when the bundle needed them) and nothing after it.
"""

import stat
import struct
import zipfile
from pathlib import Path

ARCHIVE = "(zip container)"  # the name failures of the container itself are reported under

_LOCAL = b"PK\x03\x04"
_END = b"PK\x05\x06"
_END64 = b"PK\x06\x06"
_LOCATOR64 = b"PK\x06\x07"
_END_SIZE, _END64_SIZE, _LOCATOR64_SIZE = 22, 56, 20
_ENCRYPTED, _DATA_DESCRIPTOR = 0x1, 0x8


def container_problems(path: Path, zf: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """(member, status, detail) for every departure from genmei's layout: status
    `malformed` for the container, `not-a-file` for a member that is not a regular file,
    `unsafe-name` for a name unzip would write outside its directory."""
    problems = []
    size = path.stat().st_size
    with open(path, "rb") as f:
        position = 0
        for info in sorted(zf.infolist(), key=lambda i: i.header_offset):
            problems.extend(_member_problems(info))
            if info.header_offset != position:
                where = "before the first member" if position == 0 else f"before {info.filename!r}"
                problems.append((ARCHIVE, "malformed", _gap(info.header_offset - position, where)))
            f.seek(info.header_offset)
            header = f.read(30)
            if len(header) < 30 or header[:4] != _LOCAL:
                problems.append((info.filename, "malformed", "no local header where the central directory says"))
                return problems
            name_length, extra_length = struct.unpack("<HH", header[26:30])
            position = info.header_offset + 30 + name_length + extra_length + info.compress_size
        if zf.start_dir != position:
            problems.append((ARCHIVE, "malformed", _gap(zf.start_dir - position, "before the central directory")))
        problems.extend(_end_problems(f, size, len(zf.infolist())))
    return problems


def _member_problems(info: zipfile.ZipInfo) -> list[tuple[str, str, str]]:
    name, problems = info.filename, []
    mode = info.external_attr >> 16
    # A writer that records no Unix mode (type bits 0) makes a plain file; anything else
    # than a regular file — a link, a directory, a device — is refused.
    if name.endswith("/") or (info.create_system == 3 and stat.S_IFMT(mode) not in (0, stat.S_IFREG)):
        kind = "a directory" if name.endswith("/") or stat.S_ISDIR(mode) else \
            "a symbolic link" if stat.S_ISLNK(mode) else f"not a regular file (mode {mode:o})"
        problems.append((name, "not-a-file", f"{kind}: unzip would not write the bytes the manifest lists"))
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ".." in parts or "\\" in name or "\0" in name or (len(name) > 1 and name[1] == ":"):
        problems.append((name, "unsafe-name", "an absolute name, a backslash or .. that unzip would write elsewhere"))
    if info.compress_type != zipfile.ZIP_STORED:
        problems.append((name, "malformed", f"compressed (method {info.compress_type}); genmei stores members as they are"))
    if info.flag_bits & _ENCRYPTED:
        problems.append((name, "malformed", "encrypted"))
    if info.flag_bits & _DATA_DESCRIPTOR:
        problems.append((name, "malformed", "sizes in a trailing data descriptor, not in its header"))
    return problems


def _end_problems(f, size: int, members: int) -> list[tuple[str, str, str]]:
    """The end record must be the file's last 22 bytes, with no comment, right after the
    central directory (or after the zip64 end record and locator that follow it)."""
    window = min(size, _END_SIZE + 0xFFFF + 4096)
    f.seek(size - window)
    tail = f.read(window)
    at = tail.rfind(_END)
    if at < 0 or len(tail) - at < _END_SIZE:
        return [(ARCHIVE, "malformed", "no whole end-of-archive record")]
    (_, _, _, _, entries, cd_size, cd_offset, comment_length) = struct.unpack("<4sHHHHIIH", tail[at:at + _END_SIZE])
    problems = []
    if comment_length:
        problems.append((ARCHIVE, "malformed", f"a zip comment of {comment_length} bytes"))
    trailing = window - (at + _END_SIZE + comment_length)
    if trailing > 0:
        problems.append((ARCHIVE, "malformed", f"{trailing} bytes after the end of the archive"))
    elif trailing < 0:
        problems.append((ARCHIVE, "malformed", "the end record's comment runs past the end of the file"))
    end = size - window + at
    between = tail[:at][-(_END64_SIZE + _LOCATOR64_SIZE):]
    zip64 = len(between) == _END64_SIZE + _LOCATOR64_SIZE and between.startswith(_END64) \
        and between[_END64_SIZE:].startswith(_LOCATOR64)
    if zip64:
        (entries, cd_size, cd_offset) = struct.unpack("<QQQ", between[32:56])
        end -= _END64_SIZE + _LOCATOR64_SIZE
    if cd_offset + cd_size != end:
        problems.append((ARCHIVE, "malformed", _gap(end - cd_offset - cd_size, "between the central directory and the end record")
                         if cd_offset + cd_size < end else "the central directory does not end where the end record says"))
    if entries != members:
        problems.append((ARCHIVE, "malformed", f"the end record counts {entries} members, the central directory {members}"))
    return problems


def _gap(count: int, where: str) -> str:
    if count < 0:
        return f"members overlap {where}"
    return f"{count} bytes {where} (not covered by any digest: another file glued to the bundle?)"
