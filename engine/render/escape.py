"""One escaping layer per output kind. Every text a rendering takes from the input
(resource ids and names, reasons, exception and attestation fields, --service and other
options) passes through the function for its output before it is written:

- `cell`: spreadsheet cells (XLSX and CSV). A cell is text, never a formula: a value
  starting with = + - @ TAB or CR (OWASP, CSV injection) gets a leading apostrophe in CSV
  and Excel's quotePrefix in XLSX; control characters become visible symbols (one ESC in
  a name would otherwise make the XLSX writer refuse the whole workbook).
- `terminal`: the table, summary.txt and other terminal text. Control characters (ESC,
  BEL, CR, backspace, line breaks inside a value) and bidirectional overrides are shown as
  escapes (`\\x1b`), so a value can neither move the cursor, clear the screen nor print a
  line of its own.
- `markdown`: Markdown documents. ASCII punctuation that Markdown or HTML would interpret
  is backslash-escaped (CommonMark §2.4), line breaks are folded, control characters shown.
- `xml_text`: XML 1.0 cannot hold most control characters at all (JUnit XML): they become
  visible symbols, as in spreadsheet cells.
HTML goes through Jinja2's autoescape; JSON needs no escaping.
"""

import re

# C0 and C1 controls and DEL; line breaks and tabs are handled per output.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
# Bidirectional overrides and isolates (they reorder what the reader sees: "Trojan Source").
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _picture(ch: str) -> str:
    """The Unicode control picture of a C0 control (␛ for ESC), else U+FFFD."""
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7f:
        return "\u2421"
    return "\ufffd"


def _visible(text: str) -> str:
    return _BIDI.sub(lambda m: f"\\u{ord(m.group()):04x}", _CONTROLS.sub(lambda m: _picture(m.group()), text))


def cell_text(value) -> tuple[object, bool]:
    """A spreadsheet value made safe: (value, starts_like_a_formula). Numbers and None
    pass as they are; text keeps its line breaks and inner tabs and shows every other
    control character."""
    if not isinstance(value, str):
        return value, False
    return _visible(value.replace("\r\n", "\n")).replace("\r", "\u240d"), value.startswith(FORMULA_START)


def xml_text(value) -> str:
    """Text XML 1.0 can hold: every control character but tab and line feed shown as a symbol."""
    return _visible(str(value)).replace("\r", "\u240d")


def csv_cell(value):
    """A CSV field: text that starts like a formula gets a leading apostrophe."""
    text, guarded = cell_text(value)
    return "'" + text if guarded else text


def terminal(value) -> str:
    """Text for a terminal line: every control character, line break and bidi override visible."""
    text = str(value)
    out = _BIDI.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return re.sub(r"[\x00-\x1f\x7f\x80-\x9f]", lambda m: _terminal_escape(m.group()), out)


def _terminal_escape(ch: str) -> str:
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch, f"\\x{ord(ch):02x}")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&=])")


def markdown(value) -> str:
    """Inline Markdown text that renders as itself: no emphasis, link, heading, list,
    table cell, HTML tag or entity can start inside it."""
    text = " ".join(_visible(str(value)).replace("\t", " ").split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
