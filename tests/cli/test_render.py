"""How a validation report reads: each resource after the file and line that describe it."""

from __future__ import annotations

import io

from rdflib import Graph, Literal, URIRef
from rich.console import Console

from pickg.cli.render import render_text
from pickg.graph.namespaces import PIC, SHAPES
from pickg.validation.report import Report, ValidationResult

NBH = "https://w3id.org/pickg/id/neighbourhood/"


def _text(*results: ValidationResult) -> list[str]:
    out = io.StringIO()
    console = Console(file=out, width=200, highlight=False)
    render_text(Report.build(results, graph=Graph()), console, lang="en")
    return out.getvalue().splitlines()


def _warning(node: str, line: int | None, value: str = "2") -> ValidationResult:
    return ValidationResult(
        focus_node=URIRef(NBH + node),
        severity="Warning",
        source=SHAPES["Neighbourhood-supportTier"],
        messages={"en": "No support tier.", "fr": "Pas de palier."},
        path=PIC.supportTier,
        value=Literal(int(value)),
        file="data/neighbourhoods.ttl",
        line=line,
    )


def test_a_shared_finding_lists_each_resource_after_its_file_and_line_in_the_order_of_the_file() -> None:
    lines = _text(_warning("verdun", 210), _warning("ahuntsic", 14), _warning("lachine", None))
    assert lines[:4] == [
        "data/neighbourhoods.ttl",
        "  3 resources (--verbose for each one)",
        "    ! warning  picsh:Neighbourhood-supportTier  pic:supportTier  value 2",
        "      No support tier.",
    ]
    assert lines[4:7] == [
        "      data/neighbourhoods.ttl:14  nbh:ahuntsic",
        "      data/neighbourhoods.ttl:210  nbh:verdun",
        "      data/neighbourhoods.ttl  nbh:lachine",  # the line is not known: the file alone
    ]


def test_a_finding_about_one_resource_with_several_values_is_printed_under_that_resource() -> None:
    lines = _text(_warning("verdun", 210, "2"), _warning("verdun", 210, "3"))
    assert "resources" not in "\n".join(lines)
    assert lines[1] == "  data/neighbourhoods.ttl:210  nbh:verdun"
    assert sum("value 2" in line or "value 3" in line for line in lines) == 2
