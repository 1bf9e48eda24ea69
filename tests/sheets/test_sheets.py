"""The stewards' workbook (issue 16): export, import, review, validation at the cell, writing.

Every workbook here is made from a real export of the shipped data, edited with
openpyxl as a steward would edit it in a spreadsheet program; imports run on a scratch
copy of the workspace, and each test checks that ``data/`` is unchanged unless it
expects it to change.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from rdflib import Graph, Literal, URIRef

from pickg.cli import main
from pickg.graph.canonical import canonical_turtle
from pickg.graph.errors import InputError
from pickg.graph.namespaces import PIC, RDF, RDFS, SH, SHAPES, SKOS
from pickg.graph.rdfio import load, parse_file
from pickg.graph.workspace import Workspace
from pickg.sheets import WorkbookError, export_workbook, import_workbook
from pickg.sheets.export import HEADER_ROWS, ExportSummary
from pickg.sheets.facts import carried, resources_by_sheet
from pickg.sheets.layout import MAPPING_FILE, load_layout
from pickg.sheets.origin import ORIGIN_FILE
from pickg.validation.shapes import load_shapes
from tests.support.workbooks import RDF_WORDS, edit, libreoffice_convert, open_workbook

#: A source of data/sources.ttl, written as the workbook shows it (its label).
SOURCE = "pic.centraide.org/en/nouvelles/un-premier-carrefour-des-apprentissages-russi-pour-le-pic-nbsp"
PHASE_2 = "Phase 2 du Projet impact collectif"


def data_digest(ws: Workspace) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(ws.data_dir.glob("*.ttl"))}


@pytest.fixture(autouse=True)
def french_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the French messages: the command line speaks French to a French reader."""
    monkeypatch.setenv("PICKG_LANG", "fr")


@pytest.fixture(scope="module")
def exported(shipped_export: Callable[[str], Path]) -> Path:
    """The workbook of the shipped data, exported once for the session (French)."""
    return shipped_export("fr")


def edited(exported: Path, tmp_path: Path, change: Callable, name: str = "edited.xlsx") -> Path:
    """A copy of the exported workbook with ``change(book)`` applied, saved."""
    return edited_at(exported, tmp_path, change, name)[0]


def edited_at(exported: Path, tmp_path: Path, change: Callable, name: str = "edited.xlsx") -> tuple[Path, object]:
    """:func:`edited`, with what ``change`` returned (the place it changed)."""
    return edit(exported, tmp_path / name, change)


def header_index(ws, header: str) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def add_row(book, sheet: str, values: dict[str, object]) -> int:
    ws = book[sheet]
    row = ws.max_row + 1
    for header, value in values.items():
        ws.cell(row=row, column=header_index(ws, header), value=value)
    return row


def row_of(ws, identifier: str) -> int:
    return next(r for r in range(HEADER_ROWS + 1, ws.max_row + 1) if ws.cell(row=r, column=1).value == identifier)


@functools.cache
def shipped_shapes() -> Graph:
    """The shapes, read once for the module (the tests read them, never change them)."""
    return load_shapes()


def shape_message(shape: str, lang: str = "fr") -> str:
    shapes = shipped_shapes()
    return next(str(m) for m in shapes.objects(SHAPES[shape], SH.message) if m.language == lang)


# --- the round trip ----------------------------------------------------------------------


def test_round_trip_of_the_shipped_data_changes_nothing(exported: Path, workspace_copy: Workspace) -> None:
    before = data_digest(workspace_copy)
    outcome = import_workbook(exported, write=True)
    assert outcome.changes == [] and outcome.added == set() and outcome.removed == set()
    assert outcome.written == []
    assert data_digest(workspace_copy) == before


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_round_trip_of_the_csv_folder_changes_nothing(
    lang: str, workspace_copy: Workspace, shipped_csv: Callable[[str], tuple[Path, ExportSummary]]
) -> None:
    folder, summary = shipped_csv(lang)
    assert summary.form == "csv"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{s.key}.csv" for s in load_layout().sheets] + [ORIGIN_FILE]
    )
    before = data_digest(workspace_copy)
    outcome = import_workbook(folder, write=True, lang=lang)
    assert (outcome.added, outcome.removed, outcome.written) == (set(), set(), [])
    assert data_digest(workspace_copy) == before


def test_export_fills_in_every_fact_its_columns_carry(exported: Path) -> None:
    """Each resource of a sheet's classes is a row; the rows hold every carried value (counted)."""
    layout = load_layout()
    graph = load()
    members = resources_by_sheet(layout, graph)
    book = open_workbook(exported)
    facts = 0
    for sheet in layout.sheets:
        ws = book[sheet.names["fr"]]
        ids = [ws.cell(row=r, column=1).value for r in range(HEADER_ROWS + 1, ws.max_row + 1)]
        assert sorted(ids) == sorted(f"{sheet.namespace}:{str(m).rsplit('/', 1)[1]}" for m in members[sheet.key])
        for resource in members[sheet.key]:
            for column in sheet.columns:
                facts += len(carried(graph, sheet, column, resource) or [])
        typed = {s for cls in sheet.classes for s in graph.subjects(RDF.type, cls)}
        assert len(ids) == len(typed)  # every resource of the sheet's classes is a row
    # The round trip (above) proves each of them reads back unchanged; here, that there are
    # more of them than resources: the rows are filled in, not just listed.
    assert facts > 5 * sum(len(m) for m in members.values())


def test_columns_come_from_the_shapes() -> None:
    """Every property a shape requires of an initiative is a required column of the Initiatives sheet."""
    layout = load_layout()
    shapes = load_shapes()
    sheet = layout.sheet("initiatives")
    required = {
        shapes.value(ps, SH.path)
        for ps in shapes.objects(SHAPES.InitiativeShape, SH.property)
        if shapes.value(ps, SH.minCount) is not None
    }
    assert required == {PIC.neighbourhood, PIC.phase}
    by_predicate = {c.predicate: c for c in sheet.columns if c.predicate is not None}
    for predicate in required:
        assert by_predicate[predicate].required == "required"
        assert by_predicate[predicate].single  # sh:maxCount 1
    assert by_predicate[PIC.theme].kind == "concept" and not by_predicate[PIC.theme].single
    assert by_predicate[PIC.confidence].kind == "concept"
    assert by_predicate[PIC.timeHorizonYears].datatype == URIRef("http://www.w3.org/2001/XMLSchema#integer")
    assert sheet.column("rdfs:label@fr").required == "required"
    assert [s.key for s in layout.sheets] == [
        "neighbourhoods",
        "roundtables",
        "organisations",
        "roles",
        "participations",
        "initiatives",
        "amounts",
        "sources",
        "events",
        "territories",
        "people",
        "places",
        "figures",
        "publications",
        "programme-changes",
    ]


def test_a_slug_naming_a_column_the_shapes_no_longer_give_is_refused_when_the_layout_loads(tmp_path: Path) -> None:
    # Importing a new row of such a sheet stopped on an AttributeError before.
    mapping = tmp_path / "mapping.toml"
    text = MAPPING_FILE.read_text(encoding="utf-8")
    assert 'slug = ["pic:phase", "pic:neighbourhood"]' in text
    mapping.write_text(text.replace('slug = ["pic:phase", "pic:neighbourhood"]', 'slug = ["pic:phase", "pic:gone"]'))
    with pytest.raises(InputError) as caught:
        load_layout(mapping=mapping)
    assert "sheet 'participations'" in str(caught.value) and "'pic:gone'" in str(caught.value)


def test_headers_are_bilingual_with_a_help_row(exported: Path) -> None:
    ws = open_workbook(exported)["Initiatives"]
    headers = [c.value for c in ws[1]]
    english = [c.value for c in ws[2]]
    help_row = [c.value for c in ws[3]]
    assert headers[:5] == ["Identifiant", "Nom (fr)", "Nom traduit (en)", "Quartier", "Phase"]
    assert english[:5] == ["Identifier", "Name (fr)", "Translated name (en)", "Neighbourhood", "Phase"]
    graph = load([])
    definition = str(next(o for o in graph.objects(PIC.neighbourhood, SKOS.definition) if o.language == "fr"))
    assert help_row[3].startswith(definition) and "obligatoire" in help_row[3]
    assert headers[-2:] == ["Sources", "Confiance"]


def test_drop_downs_hold_the_vocabulary_labels(exported: Path) -> None:
    book = open_workbook(exported)
    ws = book["Initiatives"]
    theme_column = header_index(ws, "Thème")
    letter = ws.cell(row=1, column=theme_column).column_letter
    validation = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(f"{letter}4"))
    sheet_name, cells = validation.formula1.split("!")
    listed = [c.value for row in book[sheet_name.strip("'")][cells.replace("$", "")] for c in row]
    graph = load([])
    themes = {
        str(label)
        for concept in graph.subjects(SKOS.inScheme, URIRef("https://w3id.org/pickg/vocab/theme"))
        for label in graph.objects(concept, SKOS.prefLabel)
        if label.language == "fr"
    }
    assert set(listed) == themes and len(themes) > 5


# --- a steward adds a Phase-2 neighbourhood ---------------------------------------------


def add_neighbourhood(book) -> None:
    add_row(
        book,
        "Quartiers",
        {"Nom (fr)": "Quartier exemple", "Table de quartier": "Table exemple", "Sources": SOURCE, "Confiance": "C1"},
    )
    add_row(
        book,
        "Tables de quartier",
        {"Nom (fr)": "Table exemple", "Table du quartier": "Quartier exemple", "Sources": SOURCE, "Confiance": "C1"},
    )
    add_row(
        book,
        "Participations",
        {
            "Nom (fr)": "Participation de Quartier exemple à la phase 2",
            "Nom (en)": "Quartier exemple in Phase 2",
            "Quartier": "Quartier exemple",
            "Phase": PHASE_2,
            "Sources": SOURCE,
            "Confiance": "Source unique",
        },
    )
    add_row(
        book,
        "Initiatives",
        {
            "Nom (fr)": "Initiative exemple",
            "Quartier": "Quartier exemple",
            "Phase": PHASE_2,
            "Changement souhaité (fr)": "« Un changement souhaité, cité tel quel. »\nSur deux lignes.",
            "Thème": "Alimentation\nParticipation citoyenne",
            "Sources": SOURCE,
            "Confiance": "C1",
        },
    )


def test_a_new_neighbourhood_with_its_roundtable_and_initiative(
    exported: Path, tmp_path: Path, workspace_copy: Workspace
) -> None:
    workbook = edited(exported, tmp_path, add_neighbourhood)
    review = import_workbook(workbook)
    new = {c.resource for c in review.changes if c.kind == "added"}
    assert new == {
        "nbh:quartier-exemple",
        "organisation:table-exemple",
        "participation:phase-2-quartier-exemple",
        "initiative:quartier-exemple-initiative-exemple",
    }
    assert all(c.kind == "added" for c in review.changes)
    assert review.removed == set() and review.conforms and review.written == []
    theme = next(c for c in review.changes if c.property == "Thème")
    assert theme.where.startswith("Initiatives!H") and theme.after == ("Alimentation", "Participation citoyenne")
    markdown = review.markdown()
    assert "## Ressources ajoutées" in markdown and "`nbh:quartier-exemple`" in markdown
    assert "Le résultat est conforme" in markdown

    before = data_digest(workspace_copy)
    modes = {p.name: p.stat().st_mode for p in workspace_copy.data_dir.glob("*.ttl")}
    written = import_workbook(workbook, write=True)
    assert {p.name: p.stat().st_mode for p in workspace_copy.data_dir.glob("*.ttl")} == modes
    assert not list(workspace_copy.data_dir.glob(".*.tmp"))  # no staged file left behind
    assert sorted(written.written) == [
        "data/initiatives.ttl",
        "data/neighbourhoods.ttl",
        "data/programme.ttl",
        "data/roundtables.ttl",
    ]
    after = data_digest(workspace_copy)
    assert {k for k in after if after[k] != before[k]} == {
        "initiatives.ttl",
        "neighbourhoods.ttl",
        "programme.ttl",
        "roundtables.ttl",
    }
    for name in ("initiatives.ttl", "neighbourhoods.ttl", "programme.ttl", "roundtables.ttl"):
        path = workspace_copy.data_dir / name
        assert path.read_text(encoding="utf-8") == canonical_turtle(parse_file(path))
    graph = load()
    initiative = URIRef("https://w3id.org/pickg/id/initiative/quartier-exemple-initiative-exemple")
    neighbourhood = URIRef("https://w3id.org/pickg/id/neighbourhood/quartier-exemple")
    assert (initiative, RDF.type, PIC.Initiative) in graph
    assert (initiative, PIC.neighbourhood, neighbourhood) in graph
    assert (neighbourhood, RDFS.label, Literal("Quartier exemple", lang="fr")) in graph
    assert (
        initiative,
        PIC.desiredChange,
        Literal("« Un changement souhaité, cité tel quel. »\nSur deux lignes.", lang="fr"),
    ) in graph
    from pickg.validation.validate import validate

    assert validate().conforms

    # the identifiers are given once: a new export carries them, and imports unchanged
    again = tmp_path / "again.xlsx"
    export_workbook(again)
    assert import_workbook(again).changes == []
    ws = load_workbook(again, read_only=True)["Quartiers"]
    assert "nbh:quartier-exemple" in [row[0] for row in ws.iter_rows(min_row=HEADER_ROWS + 1, values_only=True)]


def test_editing_and_removing_rows_keeps_what_the_sheet_does_not_carry(
    exported: Path, tmp_path: Path, workspace_copy: Workspace
) -> None:
    def change(book) -> None:
        ws = book["Quartiers"]
        ws.cell(row=row_of(ws, "nbh:centre-sud"), column=header_index(ws, "Rang"), value=30)
        events = book["Événements"]
        events.delete_rows(row_of(events, "event:2015-10-public-announcement"))

    outcome = import_workbook(edited(exported, tmp_path, change), write=False)
    changed = [c for c in outcome.changes if c.kind == "changed"]
    assert [(c.resource, c.property, c.before, c.after) for c in changed] == [
        ("nbh:centre-sud", "Rang", ("3",), ("30",))
    ]
    removed = [c for c in outcome.changes if c.kind == "removed"]
    assert [c.resource for c in removed] == ["event:2015-10-public-announcement"]
    # the editorial note of Centre-Sud is not a column: it stays
    centre_sud = URIRef("https://w3id.org/pickg/id/neighbourhood/centre-sud")
    assert all(t[0] != centre_sud or t[1] == PIC.ordinal for t in outcome.added | outcome.removed)


# --- mistakes: the cell, the message, the exit code, and data/ unchanged -----------------


# Each change returns the exact place the message must name (``Sheet!Cell`` or ``Sheet``).


def _clear(sheet: str, identifier: str, header: str) -> Callable:
    def change(book) -> str:
        ws = book[sheet]
        cell = ws.cell(row=row_of(ws, identifier), column=header_index(ws, header))
        cell.value = None  # ws.cell(..., value=None) would set nothing
        return f"{sheet}!{cell.coordinate}"

    return change


def _set(sheet: str, identifier: str, header: str, value: object) -> Callable:
    def change(book) -> str:
        ws = book[sheet]
        cell = ws.cell(row=row_of(ws, identifier), column=header_index(ws, header))
        cell.value = value
        return f"{sheet}!{cell.coordinate}"

    return change


def _new(sheet: str, values: dict[str, object], at: str = "Nom (fr)") -> Callable:
    def change(book) -> str:
        row = add_row(book, sheet, values)
        return f"{sheet}!{book[sheet].cell(row=row, column=header_index(book[sheet], at)).coordinate}"

    return change


def _twice(sheet: str, values: dict[str, object]) -> Callable:
    def change(book) -> str:
        add_row(book, sheet, values)
        return _new(sheet, values)(book)

    return change


def _wrong_sheet(book) -> str:
    row = add_row(book, "Initiatives", {"Identifiant": "nbh:ahuntsic", "Nom (fr)": "Ahuntsic"})
    return f"Initiatives!A{row}"


def _duplicate_existing(book) -> str:
    ws = book["Quartiers"]
    source = row_of(ws, "nbh:lachine")
    target = ws.max_row + 1
    for column in range(1, ws.max_column + 1):
        ws.cell(row=target, column=column, value=ws.cell(row=source, column=column).value)
    return f"Quartiers!A{target}"


def _merge(book) -> str:
    book["Initiatives"].merge_cells("B5:C5")
    return "Initiatives!B5:C5"


def _empty_sheet(book) -> str:
    ws = book["Sources"]
    ws.delete_rows(1, ws.max_row)
    return "Sources"


def _drop_sheet(book) -> str:
    del book["Événements"]
    return "Événements"


def _rename_header(book) -> str:
    book["Quartiers"].cell(row=1, column=4, value="Table du coin")
    return "Quartiers!D1"


def _drop_column(book) -> str:
    book["Participations"].delete_cols(header_index(book["Participations"], "Niveau de soutien"))
    return "Participations"


def _stray_sheet(book) -> str:
    book.create_sheet("Brouillon").cell(row=1, column=1, value="nbh:nouveau")
    return "Brouillon"


def _header_twice(book) -> str:
    ws = book["Quartiers"]
    ws.cell(row=1, column=header_index(ws, "Autre nom (fr)"), value="Rang")
    return "Quartiers!G1"


def _drop(sheet: str) -> Callable:
    def change(book) -> str:
        del book[sheet]
        return sheet if sheet != "Origine" else "edited.xlsx"

    return change


def _notes_sheet(book) -> str:
    book.create_sheet("Notes").cell(row=2, column=2, value="à revoir")
    return "Notes"


def _delete_verdun(book) -> str:
    ws = book["Quartiers"]
    ws.delete_rows(row_of(ws, "nbh:verdun"))
    return "Quartiers"


#: (case, change, where the message points (sheet and column), words of the message, exit code)
MISTAKES: list[tuple[str, Callable, str, str, int]] = [
    (
        "unknown-choice",
        _set("Initiatives", "initiative:lachine-systeme-alimentaire-lachinois", "Thème", "Cuisine"),
        "Initiatives!H",
        "« Cuisine » n'est pas un choix de la colonne « Thème »",
        2,
    ),
    (
        "source-that-does-not-exist",
        _set("Quartiers", "nbh:verdun", "Sources", "Une source inventée"),
        "Quartiers!I",
        "« Une source inventée » n'est pas un choix de la colonne « Sources »",
        2,
    ),
    (
        "bad-date",
        _set("Événements", "event:2015-10-public-announcement", "Date", "2019-13-45"),
        "Événements!F",
        "« 2019-13-45 » n'est pas une date",
        2,
    ),
    (
        "bad-amount",
        _set("Montants", "amount:investment-mercier-est-en-reseau-since-2016", "Montant", "233 000 $"),
        "Montants!F",
        "n'est pas un montant",
        2,
    ),
    (
        "bad-whole-number",
        _set("Quartiers", "nbh:verdun", "Rang", "seize"),
        "Quartiers!F",
        "« seize » n'est pas un nombre entier",
        2,
    ),
    (
        "bad-boolean",
        _set("Événements", "event:2015-10-public-announcement", "Approximatif", "peut-être"),
        "Événements!G",
        "« peut-être » n'est pas vrai ou faux",
        2,
    ),
    (
        "bad-web-address",
        _set("Sources", "source:pic-impact", "Adresse web", "pic.centraide.org"),
        "Sources!C",
        "n'est pas une adresse web",
        2,
    ),
    (
        "duplicate-name",
        _twice("Quartiers", {"Nom (fr)": "Quartier double", "Sources": SOURCE, "Confiance": "C1"}),
        "Quartiers!B",
        "« Quartier double » a déjà sa ligne en Quartiers!B",
        2,
    ),
    (
        "name-of-an-existing-resource",
        _new("Quartiers", {"Nom (fr)": "Lachine", "Sources": SOURCE, "Confiance": "C1"}),
        "Quartiers!B",
        "le nom « Lachine » est déjà celui d'une ligne de la feuille « Quartiers »",
        2,
    ),
    ("duplicate-row", _duplicate_existing, "Quartiers!A", "« Lachine » a déjà sa ligne en Quartiers!A", 2),
    (
        "row-in-the-wrong-sheet",
        _wrong_sheet,
        "Initiatives!A",
        "cet identifiant est celui de « Ahuntsic », une ligne de la feuille « Quartiers »",
        2,
    ),
    (
        "unknown-identifier",
        _set("Quartiers", "nbh:verdun", "Identifiant", "nbh:nulle-part"),
        "Quartiers!A",
        "cet identifiant n'existe pas",
        2,
    ),
    (
        "new-row-without-neighbourhood",
        _new("Initiatives", {"Nom (fr)": "Sans quartier", "Phase": PHASE_2}, at="Quartier"),
        "Initiatives!D",
        "une nouvelle ligne a besoin de « Quartier »",
        2,
    ),
    (
        "formula",
        _set("Quartiers", "nbh:verdun", "Rang", "=1+15"),
        "Quartiers!F",
        "la cellule contient une formule (=1+15)",
        2,
    ),
    (
        "error-value",
        _set("Quartiers", "nbh:verdun", "Rang", "#REF!"),
        "Quartiers!F",
        "la cellule contient une erreur (#REF!)",
        2,
    ),
    ("merged-cells", _merge, "Initiatives!B5:C5", "des cellules sont fusionnées", 2),
    ("empty-sheet", _empty_sheet, "Sources", "la feuille est vide", 2),
    ("missing-sheet", _drop_sheet, "Événements", "la feuille « Événements » manque", 2),
    (
        "unknown-column",
        _rename_header,
        "Quartiers!D1",
        "la colonne « Table du coin » n'est pas une colonne de la feuille",
        2,
    ),
    ("missing-column", _drop_column, "Participations", "la colonne « Niveau de soutien » manque", 2),
    ("stray-sheet", _stray_sheet, "Brouillon", "cette feuille n'est pas une feuille du classeur : supprimez-la", 2),
    (
        "did-you-mean",
        _set("Initiatives", "initiative:lachine-systeme-alimentaire-lachinois", "Thème", "alimentaton"),
        "Initiatives!H",
        "vouliez-vous dire « Alimentation",
        2,
    ),
    (
        "two-values-on-one-line",
        _set(
            "Initiatives",
            "initiative:lachine-systeme-alimentaire-lachinois",
            "Thème",
            "Alimentation, Participation citoyenne",
        ),
        "Initiatives!H",
        "la colonne « Thème » prend une valeur par ligne, sans virgule : écrivez « Alimentation », puis",
        2,
    ),
    (
        "unknown-confidence",
        _set("Quartiers", "nbh:verdun", "Confiance", "C7"),
        "Quartiers!J",
        "« C7 » n'est pas un choix de la colonne « Confiance »",
        2,
    ),
    (
        "unknown-role",
        _set("Rôles", "membership:phase-1-co-designer-centraide-du-grand-montreal", "Rôle", "Grand manitou"),
        "Rôles!G",
        "« Grand manitou » n'est pas un choix de la colonne « Rôle »",
        2,
    ),
    (
        "unknown-phase",
        _set("Participations", "participation:phase-2-verdun", "Phase", "Phase 7"),
        "Participations!E",
        "« Phase 7 » n'est pas un choix de la colonne « Phase »",
        2,
    ),
    (
        "unknown-type",
        _set("Organisations", "organisation:cdc-de-la-pointe-region-est-de-montreal", "Type", "Banque"),
        "Organisations!B",
        "« Banque » n'est pas un choix de la colonne « Type »",
        2,
    ),
    (
        "unknown-neighbourhood",
        _set("Initiatives", "initiative:lachine-systeme-alimentaire-lachinois", "Quartier", "Atlantide"),
        "Initiatives!D",
        "« Atlantide » n'est pas un choix de la colonne « Quartier »",
        2,
    ),
    (
        "bad-horizon",
        _set("Initiatives", "initiative:lachine-systeme-alimentaire-lachinois", "Horizon (ans)", "cinq"),
        "Initiatives!K",
        "« cinq » n'est pas un nombre entier (colonne « Horizon (ans) »)",
        2,
    ),
    (
        "amount-with-words",
        _set("Montants", "amount:investment-mercier-est-en-reseau-since-2016", "Montant", "1,5 M$"),
        "Montants!F",
        "« 1,5 M$ » n'est pas un montant",
        2,
    ),
    (
        "bad-boolean-of-an-amount",
        _set("Montants", "amount:investment-mercier-est-en-reseau-since-2016", "Approximatif", "bof"),
        "Montants!K",
        "« bof » n'est pas vrai ou faux",
        2,
    ),
    (
        "formula-in-a-name",
        _set("Quartiers", "nbh:verdun", "Nom (fr)", "=A1"),
        "Quartiers!B",
        "la cellule contient une formule (=A1)",
        2,
    ),
    (
        "division-error",
        _set("Quartiers", "nbh:verdun", "Rang", "#DIV/0!"),
        "Quartiers!F",
        "la cellule contient une erreur (#DIV/0!)",
        2,
    ),
    ("header-twice", _header_twice, "Quartiers!G1", "la colonne « Rang » apparaît deux fois", 2),
    ("missing-organisations", _drop("Organisations"), "Organisations", "la feuille « Organisations » manque", 2),
    (
        "new-row-without-name",
        _new("Quartiers", {"Sources": SOURCE, "Confiance": "C1"}),
        "Quartiers!B",
        "une nouvelle ligne a besoin d'un nom",
        2,
    ),
    (
        "stray-sheet-in-english",
        _notes_sheet,
        "Notes",
        "cette feuille n'est pas une feuille du classeur : supprimez-la",
        2,
    ),
    (
        "identifier-without-prefix",
        _set("Quartiers", "nbh:verdun", "Identifiant", "verdun"),
        "Quartiers!A",
        "cet identifiant n'existe pas",
        2,
    ),
    (
        "web-address-without-scheme",
        _set("Sources", "source:pic-impact", "Adresse web", "www.centraide.org"),
        "Sources!C",
        "« www.centraide.org » n'est pas une adresse web",
        2,
    ),
    (
        "deleted-row-still-named",
        _delete_verdun,
        "Quartiers",
        "vous avez supprimé la ligne « Verdun », mais d'autres lignes la nomment encore",
        2,
    ),
    (
        "origin-sheet-removed",
        _drop("Origine"),
        "edited.xlsx",
        "ce classeur ne dit pas de quel état des données il vient",
        2,
    ),
    (
        "identifier-of-another-sheet",
        _new("Quartiers", {"Identifiant": "participation:phase-2-verdun", "Nom (fr)": "Verdun bis"}, at="Identifiant"),
        "Quartiers!A",
        "une ligne de la feuille « Participations »",
        2,
    ),
    (
        "month-that-does-not-exist",
        _set("Événements", "event:2015-10-public-announcement", "Date", "2019-13"),
        "Événements!F",
        "« 2019-13 » n'est pas une date",
        2,
    ),
]

#: Mistakes only the shapes see: (case, change, cell prefix, shape whose French message is shown).
SHAPE_MISTAKES: list[tuple[str, Callable, str, str]] = [
    (
        "missing-required-cell",
        _clear("Initiatives", "initiative:lachine-systeme-alimentaire-lachinois", "Phase"),
        "Initiatives!E",
        "Initiative-phase",
    ),
    ("confidence-missing", _clear("Quartiers", "nbh:verdun", "Confiance"), "Quartiers!J", "Fact-confidence"),
    (
        "two-values-in-a-one-value-cell",
        _set(
            "Participations", "participation:phase-2-verdun", "Phase", f"{PHASE_2}\nPhase 1 du Projet impact collectif"
        ),
        "Participations!E",
        "Participation-phase",
    ),
    (
        "bad-currency",
        _set("Montants", "amount:investment-mercier-est-en-reseau-since-2016", "Devise", "dollars"),
        "Montants!E",
        "MonetaryAmount-currency-range",
    ),
]


def test_the_corpus_of_mistakes_is_large() -> None:
    assert len(MISTAKES) + len(SHAPE_MISTAKES) >= 46


@pytest.mark.parametrize(("case", "change", "where", "words", "code"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_mistake_names_its_cell_and_writes_nothing(
    case: str,
    change: Callable,
    where: str,
    words: str,
    code: int,
    exported: Path,
    tmp_path: Path,
    workspace_copy: Workspace,
) -> None:
    workbook, exact = edited_at(exported, tmp_path, change)
    assert str(exact).startswith(where)
    before = data_digest(workspace_copy)
    result = CliRunner().invoke(main, ["sheet", "import", str(workbook), "--write"])
    assert result.exit_code == code, result.output
    line = next((line for line in result.output.splitlines() if words in line), None)
    assert line is not None, result.output
    assert line.strip().startswith(f"{exact}: "), line
    assert data_digest(workspace_copy) == before
    found = RDF_WORDS.search(result.output)
    assert found is None, f"{found.group(0)!r} in {result.output}"  # a steward's words, not RDF


@pytest.mark.parametrize(("case", "change", "where", "shape"), SHAPE_MISTAKES, ids=[m[0] for m in SHAPE_MISTAKES])
def test_a_shape_violation_names_its_cell_with_the_shape_message(
    case: str, change: Callable, where: str, shape: str, exported: Path, tmp_path: Path, workspace_copy: Workspace
) -> None:
    workbook, exact = edited_at(exported, tmp_path, change)
    assert str(exact).startswith(where)
    before = data_digest(workspace_copy)
    outcome = import_workbook(workbook, write=True)
    assert not outcome.conforms and outcome.written == []
    assert data_digest(workspace_copy) == before
    hit = [r for r in outcome.violations if r.shape == f"picsh:{shape}"]
    assert hit, outcome.violations
    assert hit[0].where == exact and hit[0].messages["fr"] == shape_message(shape)
    assert hit[0].messages["en"] == shape_message(shape, "en")
    sheet_name, cell = exact.split("!")
    header = load_workbook(workbook, read_only=True)[sheet_name][f"{''.join(c for c in cell if c.isalpha())}1"]
    assert hit[0].message.startswith(f"« {header.value} »"), hit[0].message  # the column as the steward sees it
    for result in outcome.results:
        assert not RDF_WORDS.search(result.message), result.message


def test_the_cli_exits_1_on_a_violation_and_shows_the_cell(
    exported: Path, tmp_path: Path, workspace_copy: Workspace
) -> None:
    workbook = edited(exported, tmp_path, _clear("Quartiers", "nbh:verdun", "Confiance"))
    result = CliRunner().invoke(main, ["sheet", "import", str(workbook), "--write", "--lang", "en"])
    assert result.exit_code == 1
    assert "Quartiers!J" in result.output
    words = " ".join(result.output.split())  # the terminal wraps long lines
    assert "'Confidence' is empty for 'Verdun': fill the cell in (choice from the list)" in words
    assert "Participations!F" in words and "'Support tier' of 'Participation de Verdun" in words  # where it goes
    assert "The result does not conform: nothing is written while violations remain." in words
    assert not RDF_WORDS.search(result.output), RDF_WORDS.search(result.output)


def test_a_file_that_is_not_a_workbook(exported: Path, tmp_path: Path, workspace_copy: Workspace) -> None:
    fake = tmp_path / "notes.xlsx"
    fake.write_text("Quartier,Table\n", encoding="utf-8")
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(exported.read_bytes()[:2000])
    for path in (fake, truncated):
        result = CliRunner().invoke(main, ["sheet", "import", str(path), "--write"])
        assert result.exit_code == 2
        assert f"{path}: ce n'est pas un classeur XLSX ou ODS" in result.output


def test_a_csv_folder_with_a_missing_file_and_a_bad_cell(
    tmp_path: Path, workspace_copy: Workspace, shipped_csv: Callable[[str], tuple[Path, ExportSummary]]
) -> None:
    folder = tmp_path / "sheets"
    shutil.copytree(shipped_csv("fr")[0], folder)
    (folder / "events.csv").unlink()
    with pytest.raises(WorkbookError) as caught:
        import_workbook(folder)
    assert caught.value.problems[0].where == "events.csv"
    shutil.copytree(shipped_csv("fr")[0], folder, dirs_exist_ok=True)
    rows = list(csv.reader((folder / "neighbourhoods.csv").open(encoding="utf-8")))
    rows[4][4] = "quatre"
    with (folder / "neighbourhoods.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(WorkbookError) as caught:
        import_workbook(folder)
    assert [p.where for p in caught.value.problems] == ["neighbourhoods.csv!E5"]


def test_markdown_review_on_standard_output(exported: Path, tmp_path: Path, workspace_copy: Workspace) -> None:
    workbook = edited(exported, tmp_path, _set("Quartiers", "nbh:verdun", "Rang", 99))
    result = CliRunner().invoke(main, ["sheet", "import", str(workbook), "--markdown", "-", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "## Facts changed" in result.output
    assert "| `Quartiers!F" in result.output and "| Verdun | Ordinal |" in result.output


# --- LibreOffice -------------------------------------------------------------------------


@pytest.mark.system
def test_libreoffice_opens_the_workbook_and_a_resaved_copy_imports_unchanged(
    exported: Path, tmp_path: Path, workspace_copy: Workspace
) -> None:
    out, profile = tmp_path / "lo", tmp_path / "profile"
    pdf = libreoffice_convert(exported, "pdf", out, profile)
    resaved = libreoffice_convert(exported, "xlsx:Calc MS Excel 2007 XML", out, profile)
    assert pdf.read_bytes().startswith(b"%PDF")
    book = load_workbook(resaved)
    ws = book["Participations"]
    letter = ws.cell(row=1, column=header_index(ws, "Niveau de soutien")).column_letter
    validation = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(f"{letter}4"))
    sheet_name, cells = validation.formula1.split("!")
    listed = {c.value for row in book[sheet_name.strip("'")][cells.replace("$", "")] for c in row}
    assert listed == {"Soutien intensif", "Soutien modéré"}
    before = data_digest(workspace_copy)
    outcome = import_workbook(resaved, write=True)
    assert outcome.changes == [] and data_digest(workspace_copy) == before


def test_a_statement_about_a_changed_triple_is_kept_and_points_at_the_cell(
    exported: Path, tmp_path: Path, workspace_copy: Workspace
) -> None:
    """The rdf:Statement giving a support tier its own source is not the sheet's: it stays, and says so."""
    workbook = edited(
        exported,
        tmp_path,
        _set("Participations", "participation:phase-1-ahuntsic", "Niveau de soutien", "Soutien intensif"),
    )
    before = data_digest(workspace_copy)
    outcome = import_workbook(workbook, write=True)
    assert [(c.resource, c.before, c.after) for c in outcome.changes] == [
        ("participation:phase-1-ahuntsic", ("Soutien modéré",), ("Soutien intensif",))
    ]
    statement = URIRef("https://w3id.org/pickg/id/statement/participation-phase-1-ahuntsic-support-tier")
    assert all(t[0] != statement for t in outcome.added | outcome.removed)
    hit = next(r for r in outcome.violations if r.shape == "picsh:Statement-assertedTriple")
    assert (
        hit.where.startswith("Participations!F")
        and hit.resource == "statement:participation-phase-1-ahuntsic-support-tier"
    )
    assert outcome.written == [] and data_digest(workspace_copy) == before


def test_cli_export_in_english(tmp_path: Path) -> None:
    out = tmp_path / "pickg-en.xlsx"
    result = CliRunner().invoke(main, ["sheet", "export", "--lang", "en", str(out)])
    assert result.exit_code == 0, result.output
    count = len(set(load().subjects(RDF.type, PIC.Neighbourhood)))
    assert f"Neighbourhoods {count}," in result.output
    book = load_workbook(out, read_only=True)
    assert book.sheetnames[:2] == ["Neighbourhoods", "Roundtables"] and book["Lists"].sheet_state == "hidden"
    assert [c.value for c in book["Initiatives"][1]][:4] == [
        "Identifier",
        "Name (fr)",
        "Translated name (en)",
        "Neighbourhood",
    ]
    folder = tmp_path / "csv"
    result = CliRunner().invoke(main, ["sheet", "export", "--csv", str(folder)])
    assert result.exit_code == 0 and (folder / "initiatives.csv").is_file()


def test_round_trip_of_the_ods_workbook_changes_nothing(tmp_path: Path, workspace_copy: Workspace) -> None:
    """LibreOffice's own format: written by odfpy, read by python-calamine, exact both ways."""
    path = tmp_path / "pickg.ods"
    summary = export_workbook(path)
    assert summary.form == "ods" and path.read_bytes()[:2] == b"PK"
    before = data_digest(workspace_copy)
    outcome = import_workbook(path, write=True)
    assert (outcome.changes, outcome.added, outcome.removed, outcome.written) == ([], set(), set(), [])
    assert data_digest(workspace_copy) == before


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_password_protected_workbook_says_so_and_how_to_save_it_without(
    lang: str, tmp_path: Path, workspace_copy: Workspace
) -> None:
    # What Excel and LibreOffice write for a password-protected .xlsx: an OLE compound file.
    path = tmp_path / "protected.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    result = CliRunner().invoke(main, ["sheet", "import", str(path), "--lang", lang])
    assert result.exit_code == 2
    words = " ".join(result.output.split())
    expected = {
        "fr": "protected.xlsx: ce classeur est protégé par un mot de passe, que pickg ne lit pas",
        "en": "protected.xlsx: this workbook is protected by a password, which pickg does not read",
    }
    assert expected[lang] in words and ("Enregistrer avec mot de passe" in words or "Save with password" in words)


def test_names_are_written_clean_and_the_review_says_so(
    exported: Path, tmp_path: Path, workspace_copy: Workspace
) -> None:
    def change(book) -> str:
        ws = book["Quartiers"]
        row = row_of(ws, "nbh:verdun")
        ws.cell(row=row, column=header_index(ws, "Nom (fr)"), value="  Verdun\u00a0 Centre\n")
        ws.cell(row=row, column=header_index(ws, "Autre nom (fr)"), value="Verdun\u202fSud  \n")
        return f"Quartiers!B{row}"

    workbook, where = edited_at(exported, tmp_path, change)
    outcome = import_workbook(workbook, write=True)
    assert outcome.conforms, outcome.results
    graph = load()
    verdun = URIRef("https://w3id.org/pickg/id/neighbourhood/verdun")
    assert Literal("Verdun Centre", lang="fr") in set(graph.objects(verdun, RDFS.label))
    assert Literal("Verdun Sud", lang="fr") in set(graph.objects(verdun, SKOS.altLabel))
    notices = {(n.where, n.message("fr")) for n in outcome.notices}
    assert (where, "espaces retirés : « Verdun Centre »") in notices
    assert any(text == "espaces retirés : « Verdun Sud »" for _, text in notices)
    assert "espaces retirés" in outcome.markdown()


def test_a_typographic_apostrophe_or_other_accents_still_name_the_choice(
    exported: Path, tmp_path: Path, workspace_copy: Workspace
) -> None:
    typed = "L’ACTUALITÉ, 2020 — article sur le PIC, lauréat du Prix de l'impact social"
    workbook = edited(exported, tmp_path, _set("Quartiers", "nbh:verdun", "Sources", f"{SOURCE}\n{typed}"))
    outcome = import_workbook(workbook)
    assert outcome.conforms
    assert [c.after for c in outcome.changes] == [
        tuple(
            sorted(
                [SOURCE, "L'actualité, 2020 — article sur le PIC, lauréat du Prix de l'impact social"], key=str.casefold
            )
        )
    ]


def test_the_csv_form_is_the_same_bytes_every_time(
    tmp_path: Path, shipped_csv: Callable[[str], tuple[Path, ExportSummary]]
) -> None:
    """For version control: two exports of the same data diff to nothing (the session's and a new one)."""
    first, second = shipped_csv("fr")[0], tmp_path / "two"
    export_workbook(second)
    assert {p.name: p.read_bytes() for p in first.iterdir()} == {p.name: p.read_bytes() for p in second.iterdir()}
