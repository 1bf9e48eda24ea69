"""Issue 26: a table of results speaks words in the reader's language, never CURIEs.

For every catalogue query, ``pickg query run NAME --lang LANG -f table`` (and ``-f md``)
shows each phase, kind, budget, tier and source by its label, lists in the chosen
language and amounts as money: no cell, and no item of a list, reads as a CURIE
(``phase:1``, ``source:dev-2018``) or a bare amount. CSV keeps IRIs and numbers, and
its ``…Label`` columns give the chosen language's form of a name: for a reader of
English the gloss of a name the sources give in French only.

The queries run in-process (click's runner) on the workspace's data, once per query,
language and format for the session.
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from pickg.cli import main
from pickg.graph.namespaces import PIC, PREFIXES, RDFS
from pickg.queries.catalogue import load_catalog

CATALOG = load_catalog()
LANGS = ("en", "fr")

#: A whole cell (or list item) that is a CURIE of the project's prefixes: ``phase:1``.
CURIE = re.compile(r"(?:" + "|".join(sorted(map(re.escape, PREFIXES), key=len, reverse=True)) + r"):[\w.\-/]*")
#: A number as SPARQL writes a decimal amount (``1967459.0``) where money is expected.
BARE_AMOUNT = re.compile(r"\d{4,}\.\d+")


@cache
def _run(name: str, lang: str, output_format: str) -> str:
    result = CliRunner().invoke(
        main,
        ["query", "run", name, "--lang", lang, "-f", output_format],
        env={"COLUMNS": "4000"},
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def _table_cells(text: str) -> list[str]:
    """The text of every cell line of a table drawn by rich (a list item a line)."""
    return [cell.strip() for line in text.splitlines() if line.startswith("│") for cell in line.strip("│").split("│")]


def _markdown_cells(text: str) -> list[str]:
    """Every item of every body cell of a Markdown table (``; ``-separated lists split)."""
    lines = text.splitlines()[2:]
    cells = [cell.strip() for line in lines for cell in line.strip().strip("|").split(" | ")]
    return [item.strip() for cell in cells for item in cell.replace("<br>", "; ").split("; ")]


def curies_shown(name: str, lang: str, output_format: str) -> list[str]:
    """The cells (or list items) of the query's table that read as a CURIE or a bare amount."""
    text = _run(name, lang, output_format)
    cells = _table_cells(text) if output_format == "table" else _markdown_cells(text)
    return [cell for cell in cells if CURIE.fullmatch(cell) or BARE_AMOUNT.fullmatch(cell)]


@pytest.mark.parametrize("output_format", ["table", "md"])
@pytest.mark.parametrize("lang", LANGS)
def test_no_table_shows_a_curie(lang: str, output_format: str) -> None:
    found = {name: shown for name in CATALOG if (shown := curies_shown(name, lang, output_format))}
    count = sum(len(shown) for shown in found.values())
    print(f"{lang} {output_format}: {count} CURIEs or bare amounts in {len(CATALOG)} queries")
    assert not found, f"cells that read as CURIEs ({count}): " + "; ".join(
        f"{name}: {sorted(set(shown))[:5]}" for name, shown in found.items()
    )


def test_amounts_are_money_in_tables_and_numbers_in_csv() -> None:
    english = _run("phase-budgets", "en", "md")
    french = _run("phase-budgets", "fr", "md")
    assert "| CA$23,000,000 |" in english and "| 23\u202f000\u202f000\xa0$CA |" in french
    assert "currency" not in english.splitlines()[0]  # the money says its currency
    rows = list(csv.DictReader(io.StringIO(_run("phase-budgets", "en", "csv"))))
    assert {row["value"] for row in rows} >= {"23000000.0"} and {row["currency"] for row in rows} == {"CAD"}


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_csv_labels_are_in_the_chosen_language_with_the_gloss(graph: Graph, name: str) -> None:
    """In English, a ``…Label`` column gives the English label of a resource, else its gloss."""
    rows = list(csv.DictReader(io.StringIO(_run(name, "en", "csv"))))
    checked = 0
    for row in rows:
        for column, label in row.items():
            iri = row.get(column.removesuffix("Label")) if column.endswith("Label") else None
            if not iri or not iri.startswith("https://"):
                continue
            english = [
                o for o in graph.objects(URIRef(iri), RDFS.label) if isinstance(o, Literal) and o.language == "en"
            ]
            glosses = [
                o for o in graph.objects(URIRef(iri), PIC.gloss) if isinstance(o, Literal) and o.language == "en"
            ]
            if glosses and not english:
                assert label in {str(g) for g in glosses}, (name, column, iri, label)
                checked += 1
    if name in ("roles-in-phase", "funders-across-phases", "search-desired-changes"):
        assert checked, f"{name}: no glossed name to check; the data has some"
