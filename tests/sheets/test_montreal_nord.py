"""A new Phase-2 neighbourhood entirely through a workbook LibreOffice saved as .ods (issue 29).

A steward adds Montréal-Nord: its borough, its roundtable, its participation in Phase 2,
two initiatives, an amount and a figure, in the exported workbook, which LibreOffice
then saves in its own format. The import writes it and the whole data validates; no
Turtle is written by hand. The participation has its support tier, although no other
Phase-2 participation has one: a tier a source gives for one neighbourhood is recorded
without inventing the others' (the other participations keep their warning, the data
check ``participation-without-tier`` does not ask a phase's tiers to be all known or all
absent). The workspace is a copy: the tier here is the scenario's, not a fact of data/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from rdflib import URIRef

from pickg.graph.namespaces import PIC, RDF, RDFS
from pickg.graph.rdfio import load
from pickg.graph.workspace import Workspace
from pickg.sheets import export_workbook, import_workbook
from pickg.validation.validate import validate
from tests.support.workbooks import header_index, libreoffice_convert

SOURCE = "pic.centraide.org/en/nouvelles/un-premier-carrefour-des-apprentissages-russi-pour-le-pic-nbsp"
PHASE_2 = "Phase 2 du Projet impact collectif"
ROUNDTABLE = "Table de quartier de Montréal-Nord"
ROWS: dict[str, list[dict[str, object]]] = {
    "Territoires": [{"Type": "Arrondissement", "Nom (fr)": "Montréal-Nord"}],
    "Quartiers": [{"Nom (fr)": "Montréal-Nord", "Table de quartier": ROUNDTABLE, "Territoire": "Montréal-Nord"}],
    "Tables de quartier": [{"Nom (fr)": ROUNDTABLE, "Table du quartier": "Montréal-Nord"}],
    "Participations": [
        {
            "Nom (fr)": "Participation de Montréal-Nord à la phase 2",
            "Nom (en)": "Montréal-Nord in Phase 2",
            "Quartier": "Montréal-Nord",
            "Phase": PHASE_2,
            "Niveau de soutien": "Soutien modéré",
        }
    ],
    "Initiatives": [
        {
            "Nom (fr)": name,
            "Quartier": "Montréal-Nord",
            "Phase": PHASE_2,
            "Thème": theme,
            "Changement souhaité (fr)": f"« {change} »",
        }
        for name, theme, change in (
            ("Cuisines collectives du Nord", "Alimentation", "Que chaque famille du quartier mange à sa faim."),
            ("Voix citoyennes", "Participation citoyenne", "Que les résidents pèsent sur les décisions locales."),
        )
    ],
    "Montants": [
        {
            "Type": "Investissement dans une initiative",
            "Nom (fr)": "Investissement dans Cuisines collectives du Nord",
            "Devise": "CAD",
            "Montant": 120000,
            "Initiative": "Cuisines collectives du Nord",
        }
    ],
    "Chiffres": [
        {
            "Nom (fr)": "Membres de la Table de quartier de Montréal-Nord",
            "À propos de": ROUNDTABLE,
            "Unité": "organisations",
            "Montant": 40,
        }
    ],
}


def _add_rows(workbook: Path, out: Path) -> None:
    book = load_workbook(workbook)
    for sheet, rows in ROWS.items():
        ws = book[sheet]
        for values in rows:
            row = ws.max_row + 1
            for header, value in {**values, "Sources": SOURCE, "Confiance": "C1"}.items():
                ws.cell(row=row, column=header_index(ws, header), value=value)
    book.save(out)


@pytest.mark.system
def test_montreal_nord_added_through_a_workbook_libreoffice_saved_as_ods(
    tmp_path: Path, workspace_copy: Workspace
) -> None:
    exported = tmp_path / "pickg.xlsx"
    export_workbook(exported, lang="fr")  # the French headers the rows below name
    edited = tmp_path / "edited.xlsx"
    _add_rows(exported, edited)
    saved = libreoffice_convert(edited, "ods", tmp_path / "lo", tmp_path / "profile")
    assert saved.read_bytes()[:2] == b"PK"
    turtle_before = {p.name: p.read_bytes() for p in workspace_copy.data_dir.glob("*.ttl")}

    outcome = import_workbook(saved, write=True, lang="fr")
    assert outcome.conforms, "\n".join(f"{r.where} {r.message}" for r in outcome.violations)
    assert not [r for r in outcome.results if r.shape == "picsh:Neighbourhood-supportTier"]
    added = {c.label for c in outcome.changes if c.kind == "added"}
    assert added >= {"Montréal-Nord", ROUNDTABLE, "Cuisines collectives du Nord", "Voix citoyennes"}
    assert not [c for c in outcome.changes if c.kind != "added"]
    assert outcome.written and set(outcome.written) >= {"data/neighbourhoods.ttl", "data/programme.ttl"}
    assert {p.name for p in workspace_copy.data_dir.glob("*.ttl")} == set(turtle_before)

    graph = load()
    borough = URIRef("https://w3id.org/pickg/id/territory/montreal-nord")
    neighbourhood = URIRef("https://w3id.org/pickg/id/neighbourhood/montreal-nord")
    assert (borough, RDF.type, PIC.Borough) in graph
    assert (neighbourhood, PIC.territory, borough) in graph
    participation = URIRef("https://w3id.org/pickg/id/participation/phase-2-montreal-nord")
    assert (participation, PIC.neighbourhood, neighbourhood) in graph
    assert (participation, PIC.supportTier, URIRef("https://w3id.org/pickg/vocab/support-tier/moderate")) in graph
    assert (
        len(set(graph.subjects(PIC.neighbourhood, neighbourhood)) & set(graph.subjects(RDF.type, PIC.Initiative))) == 2
    )
    figures = [s for s in graph.subjects(RDF.type, PIC.Figure) if "Montréal-Nord" in str(graph.value(s, RDFS.label))]
    assert len(figures) == 1
    report = validate()
    assert report.conforms, [r.message("fr") for r in report.violations][:5]
