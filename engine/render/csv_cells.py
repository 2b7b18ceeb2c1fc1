"""CSV for spreadsheets: UTF-8 with a BOM (Excel then reads Japanese text correctly)
and no cell that a spreadsheet would run as a formula.

A cell that starts with = + - @ (or a tab or carriage return, which some programs skip
before looking) is read as a formula by Excel, LibreOffice and Google Sheets; resource
names, tags and reasons come from the scanned cloud, so one could carry
`=HYPERLINK(...)`. Such a cell is written with a leading apostrophe, which spreadsheets
show as text and do not display (OWASP, "CSV Injection").
"""

import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: list[str], rows) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for row in rows:
        w.writerow([guard(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")
