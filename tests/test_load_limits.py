"""Hostile workbooks: zip bombs and entry floods are refused with a LoadError before parsing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import supportinsight as si
from supportinsight.errors import LoadError
from supportinsight.loaders import records


def _workbook(tmp_path: Path) -> Path:
    path = tmp_path / "tickets.xlsx"
    pd.DataFrame({"Ticket": [1, 2], "Nachricht": ["Paket fehlt", "Danke!"]}).to_excel(path, index=False)
    return path


def test_load_xlsx_within_limits_loads(tmp_path):
    assert len(si.load(_workbook(tmp_path))) == 2


def test_load_xlsx_refuses_large_unpacked_size(tmp_path, monkeypatch):
    path = _workbook(tmp_path)
    monkeypatch.setattr(records, "MAX_XLSX_UNPACKED_BYTES", 1_000)
    with pytest.raises(LoadError, match="MAX_XLSX_UNPACKED_BYTES") as err:
        si.load(path)
    assert "tickets.xlsx" in str(err.value)


def test_load_xlsx_refuses_too_many_entries(tmp_path, monkeypatch):
    path = _workbook(tmp_path)
    monkeypatch.setattr(records, "MAX_XLSX_ENTRIES", 3)
    with pytest.raises(LoadError, match="MAX_XLSX_ENTRIES"):
        si.load(path)


def test_load_xlsx_refuses_high_compression_ratio(tmp_path):
    # 50 MB of zeros deflate to about 50 kB: a ratio over 1,000 is refused before inflating
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * 50_000_000)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(buf.getvalue())
    with pytest.raises(LoadError, match="zip bomb"):
        si.load(path, format="xlsx")


def test_load_xlsx_does_not_resolve_external_entities(tmp_path):
    """An XXE payload in the sheet XML is refused or left unresolved, never read from disk."""
    src = _workbook(tmp_path)
    out = tmp_path / "xxe.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/") or item.filename == "xl/sharedStrings.xml":
                text = data.decode("utf-8")
                head, sep, rest = text.partition("?>")
                doctype = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                text = head + sep + doctype + rest.replace("Paket fehlt", "&xxe;") if sep else text
                data = text.encode("utf-8")
            zout.writestr(item, data)
    try:
        frame = si.load(out)
    except LoadError:
        return
    assert not frame["text"].str.contains("root:").any()
