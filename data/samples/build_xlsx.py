"""Write data/samples/tickets_webform.xlsx from data/samples/xlsx_source/tickets_webform.csv (reproducible).

    python data/samples/build_xlsx.py

Order values become numbers, ``created_at`` real Excel dates, as a web-form tool's
Excel export would hold them.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent


def main() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Anfragen"
    with (HERE / "xlsx_source" / "tickets_webform.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    ws.append(rows[0])
    for row in rows[1:]:
        row = list(row)
        row[1] = datetime.fromisoformat(row[1])
        row[7] = float(row[7]) if row[7] else None
        ws.append(row)
    # fixed workbook metadata so a rebuild gives the same content
    wb.properties.created = wb.properties.modified = datetime(2026, 10, 26)
    wb.properties.creator = "supportinsight team"
    wb.save(HERE / "tickets_webform.xlsx")


if __name__ == "__main__":
    main()
