"""The workbook's English columns (issue 26): a translation beside each French name and text.

Exported from the shipped data, edited with openpyxl as a steward would, imported on a
scratch copy of the workspace. The English text goes into the translation property the
data uses, with the statement that says it is the project's translation; a new row
without it gets a warning at its English cell, in both languages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rdflib import Literal, URIRef

from pickg.graph.namespaces import PIC, RDF, RDFS
from pickg.graph.rdfio import load
from pickg.graph.workspace import Workspace
from pickg.sheets import import_workbook
from pickg.sheets.layout import load_layout
from tests.support.workbooks import RDF_WORDS, data_bytes, edit, header_index, open_workbook, row_of

INF = URIRef("https://w3id.org/pickg/vocab/confidence/inf")
SOURCE = "source:pic-p1"
NEW = {
    "Nom (fr)": "Jardins du Nord",
    "Quartier": "Verdun",
    "Phase": "Phase 2 du Projet impact collectif",
    "Thème": "Alimentation",
    "Changement souhaité (fr)": "« Que chaque famille mange à sa faim. »",
    "Sources": SOURCE,
    "Confiance": "C1",
}
NEW_IRI = URIRef("https://w3id.org/pickg/id/initiative/verdun-jardins-du-nord")


@pytest.fixture(scope="module")
def exported(shipped_export: Callable[[str], Path]) -> Path:
    return shipped_export("fr")


def _add_initiative(values: dict[str, object]):
    def change(book) -> int:
        ws = book["Initiatives"]
        row = ws.max_row + 1
        for header, value in values.items():
            ws.cell(row=row, column=header_index(ws, header), value=value)
        return row

    return change


def test_each_french_text_has_its_english_column_beside_it() -> None:
    sheets = {s.key: s for s in load_layout().sheets}
    keys = [c.key for c in sheets["initiatives"].columns]
    assert keys[keys.index("rdfs:label@fr") + 1] == "pic:gloss@en"
    assert keys[keys.index("pic:desiredChange@fr") + 1] == "pic:desiredChangeTranslation@en"
    for key in ("neighbourhoods", "roundtables", "organisations", "territories"):
        columns = [c.key for c in sheets[key].columns]
        assert columns[columns.index("rdfs:label@fr") + 1] == "pic:gloss@en", key


def test_the_export_shows_the_data_s_translations(exported: Path) -> None:
    ws = open_workbook(exported)["Initiatives"]
    row = row_of(ws, "initiative:ahuntsic-ecole-de-la-citoyennete")
    assert ws.cell(row=row, column=header_index(ws, "Nom traduit (en)")).value == "Citizenship school"
    change = ws.cell(row=row, column=header_index(ws, "Changement souhaité traduit (en)")).value
    assert change.startswith("« In 5 years, we will have developed")


def test_a_new_row_with_its_english_texts_writes_them_with_their_statements(
    exported: Path, tmp_path: Path, workspace_copy: Workspace
) -> None:
    values = {
        **NEW,
        "Nom traduit (en)": "Northern gardens",
        "Changement souhaité traduit (en)": "« That every family eats. »",
    }
    workbook, _ = edit(exported, tmp_path / "new.xlsx", _add_initiative(values))
    outcome = import_workbook(workbook, write=True, lang="fr")
    assert outcome.conforms and outcome.written == ["data/initiatives.ttl"]
    assert not [r for r in outcome.results if r.shape == "—"]  # no warning of a missing English text
    graph = load()
    assert (NEW_IRI, PIC.gloss, Literal("Northern gardens", lang="en")) in graph
    for predicate, text in (
        (PIC.gloss, "Northern gardens"),
        (PIC.desiredChangeTranslation, "« That every family eats. »"),
    ):
        [statement] = [s for s in graph.subjects(RDF.subject, NEW_IRI) if (s, RDF.predicate, predicate) in graph]
        assert (statement, RDF.object, Literal(text, lang="en")) in graph
        assert (statement, PIC.confidence, INF) in graph
        assert {label.language for label in graph.objects(statement, RDFS.label)} == {"fr", "en"}


def test_a_new_row_without_its_english_text_gets_a_warning_at_the_cell(
    exported: Path, tmp_path: Path, workspace_copy: Workspace
) -> None:
    workbook, row = edit(exported, tmp_path / "new.xlsx", _add_initiative(NEW))
    outcome = import_workbook(workbook, lang="en")
    assert outcome.conforms
    ws = load_workbook(workbook, read_only=True)["Initiatives"]
    missing = {r.where: r for r in outcome.results if r.severity == "Warning" and r.shape == "—"}
    for header in ("Nom traduit (en)", "Changement souhaité traduit (en)"):
        where = f"Initiatives!{ws.cell(row=1, column=header_index(ws, header)).column_letter}{row}"
        result = missing[where]
        assert result.messages["fr"].startswith(f"« {header} » est vide pour la nouvelle ligne « Jardins du Nord »")
        assert result.messages["en"].startswith("'")
        assert "is empty for the new row 'Jardins du Nord'" in result.messages["en"]
        assert not RDF_WORDS.search(result.messages["en"]) and not RDF_WORDS.search(result.messages["fr"])


def test_editing_and_clearing_an_english_text_keeps_or_drops_its_statement(
    exported: Path, tmp_path: Path, workspace_copy: Workspace
) -> None:
    edited_iri = URIRef("https://w3id.org/pickg/id/initiative/ahuntsic-ecole-de-la-citoyennete")
    cleared_iri = URIRef("https://w3id.org/pickg/id/initiative/bordeaux-cartierville-espace-citoyens")

    def change(book) -> None:
        ws = book["Initiatives"]
        column = header_index(ws, "Nom traduit (en)")
        ws.cell(
            row=row_of(ws, "initiative:ahuntsic-ecole-de-la-citoyennete"), column=column
        ).value = "School of citizenship"
        ws.cell(row=row_of(ws, "initiative:bordeaux-cartierville-espace-citoyens"), column=column).value = None

    before = load()
    [kept] = [s for s in before.subjects(RDF.subject, edited_iri) if (s, RDF.predicate, PIC.gloss) in before]
    workbook, _ = edit(exported, tmp_path / "edited.xlsx", change)
    outcome = import_workbook(workbook, write=True, lang="fr")
    assert outcome.conforms and outcome.written == ["data/initiatives.ttl"]
    after = load()
    assert (kept, RDF.object, Literal("School of citizenship", lang="en")) in after
    assert set(after.predicate_objects(kept)) - {(RDF.object, Literal("School of citizenship", lang="en"))} == set(
        before.predicate_objects(kept)
    ) - {(RDF.object, Literal("Citizenship school", lang="en"))}
    assert not list(after.objects(cleared_iri, PIC.gloss))
    assert not [s for s in after.subjects(RDF.subject, cleared_iri) if (s, RDF.predicate, PIC.gloss) in after]


def test_an_unchanged_workbook_round_trips_byte_exact(exported: Path, workspace_copy: Workspace) -> None:
    before = data_bytes(workspace_copy)
    outcome = import_workbook(exported, write=True, lang="fr")
    assert not outcome.changes and outcome.written == []
    assert data_bytes(workspace_copy) == before
