"""The catalogue files: headers, parameters, names — read without running anything."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pickg.graph.errors import NotFoundError, ParseError
from pickg.graph.workspace import Workspace
from pickg.queries.catalogue import (
    LANG_PARAM,
    PARAM_TYPES,
    get_check,
    get_query,
    load_catalog,
    load_checks,
    parse_query_file,
)
from pickg.queries.execution import prepare

CATALOG = load_catalog()
CHECKS = load_checks()

HEADER = """#+ summary:
#+   fr: Quartiers
#+   en: Neighbourhoods
#+ description:
#+   fr: Les quartiers d'une phase,
#+     sur deux lignes.
#+   en: The neighbourhoods of a phase,
#+     on two lines.
#+ tags:
#+   - neighbourhoods
#+ params:
#+   - phase: iri
#+   - minimum: integer
#+ defaults:
#+   - phase: https://w3id.org/pickg/id/phase/1
#+ enumerate:
#+   - minimum: 1, 2
PREFIX pic: <https://w3id.org/pickg/ontology#>
SELECT ?n WHERE {
  BIND(COALESCE(?_lang, "fr") AS ?lang)
  ?p pic:phase ?_phase ; pic:neighbourhood ?n ; pic:count ?_minimum .
  # a comment naming ?_ghost is not a parameter
  FILTER(?n != <https://example.org/?_notaparam> && "?_nor_this" != "")
}
ORDER BY ?n
"""


def write(tmp_path: Path, text: str, name: str = "sample-query.rq") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_header_is_read_with_its_texts_params_defaults_and_choices(tmp_path: Path) -> None:
    query = parse_query_file(write(tmp_path, HEADER))
    assert query.name == "sample-query"
    assert query.summary == {"fr": "Quartiers", "en": "Neighbourhoods"}
    assert query.description["fr"] == "Les quartiers d'une phase, sur deux lignes."
    assert query.description_in("en") == "The neighbourhoods of a phase, on two lines."
    assert query.tags == ("neighbourhoods",)
    assert query.has_order_by
    by_name = {p.name: p for p in query.params}
    assert list(by_name) == ["lang", "phase", "minimum"]  # order of first use in the text
    assert by_name["phase"].type == "iri" and by_name["phase"].default == "https://w3id.org/pickg/id/phase/1"
    assert by_name["minimum"].choices == ("1", "2") and by_name["minimum"].default is None
    assert by_name["lang"].choices == ("fr", "en") and by_name["lang"].default == "fr"
    assert query.money == ()
    assert parse_query_file(write(tmp_path, HEADER.replace("#+ tags:", "#+ money:\n#+   - n: p\n#+ tags:"))).money == (
        ("n", "p"),
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("#+   - minimum: integer\n", ""), "uses ?_minimum but the header does not declare it"),
        (("#+   - phase: iri\n", "#+   - phase: iri\n#+   - unused: string\n"), "'unused' is declared but ?_unused"),
        (("#+   - phase: iri\n", "#+   - phase: uri\n"), "unknown type 'uri'"),
        (("#+   en: Neighbourhoods\n", ""), "'summary' has no 'en' text"),
        (("#+ tags:\n", "#+ tag:\n"), "unknown key 'tag'"),
        (("#+   - neighbourhoods\n", "#+   - neighbourhoods\n#+       oops: x\n#+  - z\n"), "indentation"),
        (("#+ defaults:\n#+   - phase", "#+ defaults:\n#+   - stage"), "default for unknown parameter 'stage'"),
        (("#+ tags:\n", "#+ money:\n#+   - n: currency\n#+ tags:\n"), "money column 'currency' is not a variable"),
    ],
)
def test_a_malformed_header_names_the_file_and_line(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in HEADER
    path = write(tmp_path, HEADER.replace(old, new, 1))
    with pytest.raises(ParseError) as caught:
        parse_query_file(path)
    assert expected in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_header_error_points_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.replace("#+   - phase: iri\n", "#+   - phase: uri\n"))
    with pytest.raises(ParseError) as caught:
        parse_query_file(path)
    assert caught.value.line == 12


def test_a_file_name_must_be_kebab_case(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="kebab-case"):
        parse_query_file(write(tmp_path, HEADER, "Sample_Query.rq"))


def test_an_unknown_name_lists_close_names() -> None:
    with pytest.raises(NotFoundError) as caught:
        get_query("neighbourhood-of-phase")
    assert "neighbourhoods-of-phase" in str(caught.value)
    with pytest.raises(NotFoundError, match="no check named"):
        get_check("nothing-like-it-at-all")


def test_the_catalogue_is_in_the_workspace(workspace: Workspace) -> None:
    assert {path.stem for path in workspace.query_files()} == set(CATALOG)
    assert len(CATALOG) >= 20
    assert {path.stem for path in workspace.check_files()} == set(CHECKS)


@pytest.mark.parametrize("name", sorted(CATALOG) + sorted(CHECKS))
def test_every_query_documents_itself_in_both_languages(name: str) -> None:
    query = CATALOG.get(name) or CHECKS[name]
    for texts in (query.summary, query.description):
        assert set(texts) == {"fr", "en"}
        assert all(len(text) > 10 for text in texts.values())
        assert texts["fr"] != texts["en"]
    assert query.tags, "tag the query so `pickg query list` can group it"
    assert all(p.type in PARAM_TYPES for p in query.params)
    assert query.path.read_text(encoding="utf-8") == query.text


@pytest.mark.parametrize("name", sorted(CATALOG) + sorted(CHECKS))
def test_every_query_is_valid_sparql_and_declares_its_prefixes(name: str) -> None:
    query = CATALOG.get(name) or CHECKS[name]
    prepared = prepare(query)  # rdflib knows no prefixes here: every one must be declared
    assert prepared.algebra.name == "SelectQuery"
    used = set(re.findall(r"(?<![\w<?$:/#.-])([a-z][a-z0-9]*):[A-Za-z0-9_]", _without_strings(query.text)))
    declared = set(re.findall(r"^PREFIX\s+([a-z][a-z0-9]*):", query.text, re.MULTILINE))
    assert used <= declared, f"undeclared prefixes: {sorted(used - declared)}"


def _without_strings(text: str) -> str:
    text = re.sub(r"#[^\n]*", "", text)
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    return re.sub(r"<[^<>\s]*>", "<>", text)


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_parameters_with_a_default_are_read_once_at_the_head_of_the_query(name: str) -> None:
    """``BIND(COALESCE(?_x, default) AS ?x)`` gives the header's default in any SPARQL UI."""
    query = CATALOG[name]
    for param in query.params:
        pattern = re.compile(r"BIND\(COALESCE\(\?_" + param.name + r", ([^)]+)\) AS \?(\w+)\)")
        found = pattern.findall(query.text)
        if param.default is None:
            assert not found, f"?_{param.name} has no default in the header but one in the text"
            continue
        assert len(found) == 1, f"read ?_{param.name} once with BIND(COALESCE(?_{param.name}, …) AS ?…)"
        written = found[0][0].strip()
        expected = {
            f'"{param.default}"',
            f"<{param.default}>",
        }
        prefixes = dict(re.findall(r"^PREFIX\s+([a-z0-9]*):\s*<([^>]+)>", query.text, re.MULTILINE))
        if ":" in written and not written.startswith(("<", '"')):
            prefix, _, local = written.partition(":")
            written = f"<{prefixes[prefix]}{local}>"
        assert written in expected, f"the text's default {written} differs from the header's {param.default}"


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_parameters_reach_sub_selects_only_as_projected_pattern_variables(name: str) -> None:
    """A ``VALUES`` row at the head of the ``WHERE`` group and rdflib's ``initBindings``
    then give the same answers (the contract with remote endpoints)."""
    query = CATALOG[name]
    prepared = prepare(query)
    problems: list[str] = []

    def walk(node: object, inside: bool) -> None:
        if isinstance(node, dict):
            kind = getattr(node, "name", "")
            if kind == "Project" and inside:
                projected = {str(v) for v in node.get("PV", [])}
                used = {str(v) for v in _variables(node.get("p"))}
                for variable in sorted(used):
                    if variable.startswith("_") and not variable.startswith("__") and variable not in projected:
                        problems.append(f"?{variable} is used in a sub-select that does not project it")
            child_inside = inside or kind == "ToMultiSet"
            for key, value in node.items():
                if key not in ("_vars", "PV", "_d"):
                    walk(value, child_inside)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item, inside)

    walk(prepared.algebra, False)
    assert not problems, problems
    for param in query.params:
        if param.default is not None:
            inner = _sub_select_texts(query.text)
            assert all(f"?_{param.name}" not in text for text in inner), (
                f"?_{param.name} has a default, read once at the head: "
                f"use ?{param.name} (not the parameter) in sub-selects"
            )


def _variables(node: object) -> set[str]:
    from rdflib import Variable

    found: set[str] = set()
    if isinstance(node, Variable):
        found.add(str(node))
    elif isinstance(node, dict):
        for key, value in node.items():
            if key != "_vars":
                found |= _variables(value)
    elif isinstance(node, list | tuple | set):
        for item in node:
            found |= _variables(item)
    return found


def _sub_select_texts(text: str) -> list[str]:
    body = re.sub(r"#[^\n]*", "", text)
    outer = body.upper().find("SELECT")
    texts = []
    for match in re.finditer(r"\bSELECT\b", body):
        if match.start() == outer:
            continue
        depth, i = 0, body.find("{", match.start())
        while i < len(body):
            depth += {"{": 1, "}": -1}.get(body[i], 0)
            i += 1
            if depth == 0:
                break
        texts.append(body[match.start() : i])
    return texts


def test_every_competency_question_has_a_query_that_says_it_answers_it() -> None:
    answered = {cq for q in CATALOG.values() for cq in re.findall(r"CQ\d\d", q.description["en"] + q.description["fr"])}
    assert {f"CQ{n:02d}" for n in range(1, 16)} <= answered


def test_queries_declare_lang_only_implicitly() -> None:
    for query in CATALOG.values():
        lang = query.param(LANG_PARAM)
        assert lang is not None, f"{query.name} does not choose labels by language (?_lang)"
        assert lang.type == "string" and lang.choices == ("fr", "en")


def test_every_query_is_listed_in_the_catalogue_readme(workspace: Workspace) -> None:
    readme = (workspace.queries_dir / "README.md").read_text(encoding="utf-8")
    missing = [name for name in CATALOG if f"| `{name}` |" not in readme]
    assert not missing, f"add these queries to the table of queries/README.md: {missing}"
