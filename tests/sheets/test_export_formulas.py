"""Issue 27: a value from the data never becomes a live formula in the stewards' workbook.

Names that read as formulas are planted in a copy of the data (an initiative's name in
the Initiatives sheet, a neighbourhood's name, which the hidden list sheet and every
drop-down of neighbourhoods hold too); the exported workbook, opened with openpyxl and
after LibreOffice has saved it again, holds no formula cell, and the names come back
as the characters the data holds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pickg.graph.workspace import HOME_VARIABLE, Workspace
from pickg.sheets import export_workbook, import_workbook
from pickg.sheets.export import list_sheet
from tests.support.workbooks import libreoffice_convert, open_workbook

DDE = "=cmd|' /C calc'!A0"
LINK = '=HYPERLINK("http://x.test","y")'
SUM = "=1+1"


def plant(ws: Workspace) -> None:
    """Rename an initiative and a neighbourhood (and a second initiative) as formulas."""
    initiatives = ws.data_dir / "initiatives.ttl"
    text = initiatives.read_text(encoding="utf-8")
    assert text.count('"Mon Peter-McGill"@fr') == 1
    text = text.replace('"Mon Peter-McGill"@fr', '"' + DDE + '"@fr')
    initiatives.write_text(text, encoding="utf-8")
    neighbourhoods = ws.data_dir / "neighbourhoods.ttl"
    text = neighbourhoods.read_text(encoding="utf-8")
    assert text.count('"Ahuntsic"@fr') == 1
    text = text.replace('"Ahuntsic"@fr', '"' + LINK.replace('"', '\\"') + '"@fr')
    neighbourhoods.write_text(text, encoding="utf-8")


#: How LibreOffice saves a TRUE or FALSE cell (a boolean of the data, not text): as a formula.
BOOLEANS = {"=TRUE()", "=FALSE()"}


def formula_cells(path: Path) -> list[str]:
    book = open_workbook(path)
    return [
        f"{ws.title}!{cell.coordinate}: {cell.value}"
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f" and str(cell.value).upper() not in BOOLEANS
    ]


def texts(path: Path) -> dict[str, set[str]]:
    """Sheet name → the text of its cells."""
    book = open_workbook(path)
    return {
        ws.title: {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)} for ws in book.worksheets
    }


@pytest.fixture(scope="module")
def planted_home(tmp_path_factory: pytest.TempPathFactory, workspace: Workspace) -> Workspace:
    """A copy of the workspace with the names planted, and its export: one for the module,
    which its tests read and import without writing."""
    home = tmp_path_factory.mktemp("planted")
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(workspace.root / folder, home / folder)
    planted = Workspace(home)
    plant(planted)
    export_workbook(home / "planted.xlsx", lang="fr", workspace=planted)
    return planted


@pytest.fixture
def planted_workspace(planted_home: Workspace, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """The planted workspace, made current (as ``workspace_copy`` makes its copy)."""
    monkeypatch.setenv(HOME_VARIABLE, str(planted_home.root))
    return planted_home


@pytest.fixture
def planted(planted_workspace: Workspace) -> Path:
    return planted_workspace.root / "planted.xlsx"


def test_no_value_of_the_data_is_written_as_a_formula(planted: Path) -> None:
    assert formula_cells(planted) == []
    found = texts(planted)
    assert DDE in found["Initiatives"]
    assert LINK in found["Quartiers"] and LINK in found[list_sheet("fr")]
    # every drop-down still points at the list, the one formula a workbook needs
    book = open_workbook(planted)
    assert all(
        dv.formula1.startswith(f"'{list_sheet('fr')}'!$") for dv in book["Initiatives"].data_validations.dataValidation
    )


def test_the_planted_workbook_imports_back_unchanged(planted: Path, planted_workspace: Workspace) -> None:
    outcome = import_workbook(planted, workspace=planted_workspace)
    assert outcome.changes == [] and outcome.added == set() and outcome.removed == set()


def test_a_formula_a_steward_writes_is_still_refused(
    planted: Path, tmp_path: Path, planted_workspace: Workspace
) -> None:
    from pickg.sheets import WorkbookError

    book = open_workbook(planted)
    ws = book["Initiatives"]
    ws.cell(row=5, column=2, value=SUM)
    assert ws.cell(row=5, column=2).data_type == "f"
    out = tmp_path / "with-formula.xlsx"
    book.save(out)
    with pytest.raises(WorkbookError) as caught:
        import_workbook(out, workspace=planted_workspace)
    assert "Initiatives!B5" in str(caught.value) and SUM in str(caught.value)


@pytest.mark.system
def test_libreoffice_saves_the_planted_workbook_without_a_formula(planted: Path, tmp_path: Path) -> None:
    resaved = libreoffice_convert(planted, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo", tmp_path / "profile")
    assert formula_cells(resaved) == []
    found = texts(resaved)
    assert DDE in found["Initiatives"] and LINK in found["Quartiers"] and LINK in found[list_sheet("fr")]


def test_a_control_character_in_the_data_is_refused_by_export_with_its_cell(
    workspace_copy: Workspace, tmp_path: Path
) -> None:
    from pickg.graph.errors import InputError

    neighbourhoods = workspace_copy.data_dir / "neighbourhoods.ttl"
    text = neighbourhoods.read_text(encoding="utf-8")
    neighbourhoods.write_text(text.replace('"Ahuntsic"@fr', '"Ahunt\\u0000sic"@fr'), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        export_workbook(tmp_path / "nul.xlsx", lang="en", workspace=workspace_copy)
    assert "Neighbourhoods!B" in str(caught.value) and "'Ahunt\\x00sic'" in str(caught.value)
    assert not (tmp_path / "nul.xlsx").exists()
