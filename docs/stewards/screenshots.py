"""Render the screenshots of ``docs/stewards.md`` with LibreOffice headless.

    .venv/bin/python docs/stewards/screenshots.py

Exports the workbook of this checkout, adds the walkthrough's example rows (a
neighbourhood, its roundtable, its Phase-2 participation and an initiative, as
``docs/stewards.md`` types them), keeps two existing rows per sheet so each page shows
the layout and the new rows together, converts the workbook to PDF with LibreOffice
(``soffice --headless``, Debian ``libreoffice-calc-nogui``) and the pages of the sheets
shown to PNG with ``pdftoppm`` (Debian ``poppler-utils``). Nothing here goes into data/.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook

from pickg.sheets import export_workbook

HERE = Path(__file__).resolve().parent
SOURCE = "pic.centraide.org/en/nouvelles/un-premier-carrefour-des-apprentissages-russi-pour-le-pic-nbsp"
PHASE_2 = "Phase 2 du Projet impact collectif"
#: The walkthrough's rows: an example, not a fact (the Phase-2 neighbourhoods are not all public).
ROWS = {
    "Quartiers": {
        "Nom (fr)": "Quartier exemple",
        "Table de quartier": "Table exemple",
        "Sources": SOURCE,
        "Confiance": "C1",
    },
    "Tables de quartier": {
        "Nom (fr)": "Table exemple",
        "Table du quartier": "Quartier exemple",
        "Sources": SOURCE,
        "Confiance": "C1",
    },
    "Participations": {
        "Nom (fr)": "Participation de Quartier exemple à la phase 2",
        "Nom (en)": "Quartier exemple in Phase 2",
        "Quartier": "Quartier exemple",
        "Phase": PHASE_2,
        "Sources": SOURCE,
        "Confiance": "C1",
    },
    "Initiatives": {
        "Nom (fr)": "Initiative exemple",
        "Quartier": "Quartier exemple",
        "Phase": PHASE_2,
        "Changement souhaité (fr)": "« Le changement souhaité, cité tel que la source l'écrit. »",
        "Thème": "Alimentation",
        "Sources": SOURCE,
        "Confiance": "C1",
    },
}
#: Sheet → (image, resolution in dpi, crop x, y, width, height in pixels at that resolution).
SHOWN = {
    "Quartiers": ("workbook-neighbourhoods.png", 120, 60, 105, 1260, 400),
    "Initiatives": ("workbook-initiatives.png", 220, 40, 180, 2500, 380),
}


def main() -> None:
    soffice = shutil.which("soffice")
    pdftoppm = shutil.which("pdftoppm")
    if not soffice or not pdftoppm:
        sys.exit("needs soffice and pdftoppm: apt-get install libreoffice-calc-nogui poppler-utils")
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        book_path = work / "walkthrough.xlsx"
        export_workbook(book_path, lang="fr")
        book = load_workbook(book_path)
        for name, values in ROWS.items():
            ws = book[name]
            headers = [c.value for c in ws[1]]
            ws.delete_rows(6, ws.max_row - 5)  # two existing rows after the three header rows
            for number in range(6, 12):  # the deleted rows' heights stay behind: reset them
                ws.row_dimensions[number].height = None
            row = ws.max_row + 1
            for header, value in values.items():
                ws.cell(row=row, column=headers.index(header) + 1, value=value)
        for ws in book.worksheets:
            if ws.title not in SHOWN:
                ws.sheet_state = "hidden"
        book.active = book.sheetnames.index("Quartiers")
        book.save(book_path)
        profile = f"-env:UserInstallation=file://{work / 'profile'}"
        subprocess.run(
            [
                soffice,
                "--headless",
                "--norestore",
                profile,
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(book_path),
            ],
            check=True,
            capture_output=True,
        )
        for page, (name, (image, dpi, x, y, width, height)) in enumerate(SHOWN.items(), start=1):
            stem = work / f"page-{page}"
            subprocess.run(
                [
                    pdftoppm,
                    "-png",
                    "-r",
                    str(dpi),
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-x",
                    str(x),
                    "-y",
                    str(y),
                    "-W",
                    str(width),
                    "-H",
                    str(height),
                    "-singlefile",
                    str(work / "walkthrough.pdf"),
                    str(stem),
                ],
                check=True,
            )
            shutil.copyfile(stem.with_suffix(".png"), HERE / image)
            print(f"{name}: {HERE / image}")


if __name__ == "__main__":
    main()
