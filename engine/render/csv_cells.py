"""CSV for spreadsheets: UTF-8 with a BOM (Excel then reads Japanese text correctly),
every field through escape.csv_cell (no cell a spreadsheet would run as a formula, control
characters visible)."""

import csv
import io

from .escape import csv_cell


def csv_bytes(header: list[str], rows) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for row in rows:
        w.writerow([csv_cell(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")
