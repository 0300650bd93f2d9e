"""Hostile files for the robustness tests and bench/aanvallen.py: a header of 40.000 columns,
files of only wrong rows, workbooks that are tiny packed and huge unpacked (zip bombs), a cell in
the last column of a sheet. Built in memory, never kept on disk."""

from __future__ import annotations

import io
import zipfile


def csv_kolommen(aantal: int) -> bytes:
    return (",".join(f"k{i}" for i in range(aantal)) + "\n").encode()


def csv_regels(kop: str, regel: str, grootte: int) -> bytes:
    aantal = max(1, (grootte - len(kop)) // len(regel))
    return (kop + regel * aantal).encode()


def xlsx_bom(rijen: int, cel: str = '<c t="inlineStr"><is><t>x</t></is></c>') -> bytes:
    """A workbook whose sheet repeats one row `rijen` times: tiny zipped, huge unpacked."""
    kop = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>indicator</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>gebied</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>periode</t></is></c>'
        '<c r="D1" t="inlineStr"><is><t>waarde</t></is></c></row>'
    )
    blad = io.StringIO()
    blad.write(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{kop}"
    )
    regel = f"<row>{cel}</row>"
    blad.write(regel * rijen)
    blad.write("</sheetData></worksheet>")
    return _werkmap(blad.getvalue())


def xlsx_xfd() -> bytes:
    """A normal header and one cell in the last column (XFD) of row 2."""
    kop = "".join(
        f'<c r="{k}1" t="inlineStr"><is><t>{n}</t></is></c>'
        for k, n in zip("ABCD", ("indicator", "gebied", "periode", "waarde"), strict=True)
    )
    blad = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<dimension ref="A1:XFD1048576"/>'
        f'<sheetData><row r="1">{kop}</row>'
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return _werkmap(blad)


def _werkmap(blad: str) -> bytes:
    uit = io.BytesIO()
    with zipfile.ZipFile(uit, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        z.writestr("xl/worksheets/sheet1.xml", blad)
    return uit.getvalue()
