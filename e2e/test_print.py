"""Ledgers print like the originals (issue #14 item 9): LibreOffice Calc (Debian's `soffice --headless`) converts the
demo city's 附件5 complaint ledger and the 情况汇总表 to PDF. Every page is A4 landscape and the table is one page wide:
the page count follows the rows (a page holds many of them), instead of multiplying by the column groups as an XLSX
without page setup does (77 portrait pages with three columns each, before)."""

import io
import re
import shutil
import subprocess
import urllib.request

import openpyxl
from openpyxl.utils import get_column_letter
import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def download(browser, path: str) -> bytes:
    session = browser.driver.get_cookie("ledger_session")["value"]
    request = urllib.request.Request(browser.url(path), headers={"Cookie": f"ledger_session={session}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
        return response.read()


def to_pdf(xlsx: bytes, folder, name: str) -> bytes:
    source = folder / f"{name}.xlsx"
    source.write_bytes(xlsx)
    # A profile of its own, so a LibreOffice left running elsewhere cannot take the job.
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{folder}/lo-profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
    return (folder / f"{name}.pdf").read_bytes()


def pages(pdf: bytes):
    """The page sizes (points) of every page of a PDF LibreOffice wrote (uncompressed page dictionaries)."""
    boxes = re.findall(rb"/Type\s*/Page\b(?!s).*?/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf, re.S)
    if not boxes:  # the MediaBox written before /Type
        boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\][^>]*?/Type\s*/Page\b(?!s)", pdf, re.S)
    return [(float(w), float(h)) for w, h in boxes]


def table_rows(xlsx: bytes) -> int:
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).worksheets[0]
    return sheet.max_row


def first_column_only(xlsx: bytes) -> bytes:
    """The same workbook with every column but the first hidden: the pages the rows alone need."""
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    for sheet in book.worksheets:
        for index in range(2, sheet.max_column + 1):
            sheet.column_dimensions[get_column_letter(index)].hidden = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("path,name", [("/complaints/ledger.xlsx", "complaint-ledger"), ("/reports/summary.xlsx", "summary")])
def test_a_ledger_prints_one_table_wide_on_a4_landscape(browser, tmp_path, path, name):
    assert SOFFICE, "LibreOffice is missing: `make deps` installs it as root (Debian package libreoffice-calc-nogui)"
    browser.login("fuzhou")
    xlsx = download(browser, path)
    rows = table_rows(xlsx)
    sizes = pages(to_pdf(xlsx, tmp_path, name))
    assert sizes, "no pages found in the PDF"
    # A4 landscape: 842 × 595 points.
    assert all(abs(w - 842) < 3 and abs(h - 595) < 3 for w, h in sizes), sizes[:3]
    # One table wide: the whole table takes no more pages than its first column alone (a table split into column
    # groups takes as many pages again for each group).
    alone = pages(to_pdf(first_column_only(xlsx), tmp_path, name + "-first-column"))
    print(f"{name}: {rows} rows on {len(sizes)} pages; the first column alone on {len(alone)}")
    assert alone and len(sizes) <= len(alone), f"{len(sizes)} pages, the first column alone {len(alone)}"
    assert len(sizes) * 8 <= rows + 8, f"{len(sizes)} pages for {rows} rows"
