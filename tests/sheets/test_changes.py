"""Where a workbook's changes go: a removed number leaves the file as the file writes it."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from pickg.graph.namespaces import PIC, RDF
from pickg.graph.store import OxigraphStore
from pickg.graph.storeview import store_graph
from pickg.graph.workspace import Workspace
from pickg.sheets.changes import changes_by_file

AMOUNT = URIRef("https://w3id.org/pickg/id/amount/a")
TEXT = """PREFIX pic: <https://w3id.org/pickg/ontology#>

<https://w3id.org/pickg/id/amount/a>
    a pic:Amount ;
    pic:amountValue 1.50 ;
.
"""


def test_a_number_the_store_writes_otherwise_leaves_the_file_as_written(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    path = tmp_path / "data" / "funding.ttl"
    path.write_text(TEXT, encoding="utf-8")
    store = OxigraphStore()
    store.load([path])
    graph = store_graph(store)
    assert (AMOUNT, RDF.type, PIC.Amount) in graph
    held = graph.value(AMOUNT, PIC.amountValue)
    assert held == Literal("1.5", datatype=XSD.decimal)  # Oxigraph keeps the number, not its form
    new = Literal("2.5", datatype=XSD.decimal)
    targets = changes_by_file(
        Workspace(tmp_path), {(AMOUNT, PIC.amountValue, new)}, {(AMOUNT, PIC.amountValue, held)}, {}
    )
    adding, removing = targets[path]
    assert removing == {(AMOUNT, PIC.amountValue, Literal("1.50", datatype=XSD.decimal))}
    assert adding == {(AMOUNT, PIC.amountValue, new)}
