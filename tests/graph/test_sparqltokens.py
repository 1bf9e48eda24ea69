"""The SPARQL tokenizer: what hides in comments, strings and IRIs never counts."""

from __future__ import annotations

import pyoxigraph
import pytest

from pickg.graph.sparqltokens import (
    closing,
    first_form,
    first_group,
    header_lines,
    leading_comments,
    mask,
    prefixes_declared,
    tokens,
    variable_names,
)
from pickg.graph.workspace import Workspace

TRICKY = '''#+ summary: SELECT { ?_hidden }
PREFIX ex: <http://example.org/x#?_no>
PREFIX : <http://example.org/>
# a comment with { and ?_nope
ASK WHERE {
  ?s ex:label """long { ?_in_string
  } text""" ; ex:note 'a } ?_x' .
  FILTER (?s != <http://example.org/?_iri>)
}
'''


def test_braces_keywords_and_variables_inside_strings_iris_and_comments_do_not_count() -> None:
    assert first_form(TRICKY) is not None and first_form(TRICKY).text == "ASK"  # type: ignore[union-attr]
    assert TRICKY[first_group(TRICKY) - 1] == "{" and TRICKY[: first_group(TRICKY)].rstrip().endswith("WHERE {")
    assert variable_names(TRICKY) == ["s"]
    assert prefixes_declared(TRICKY) == {"ex", ""}


def test_a_word_never_ends_with_the_dot_that_ends_a_triple() -> None:
    words = [t.text for t in tokens("SELECT * { ?s a ex:Thing. ?s ex:p.q ?o }") if t.kind == "word"]
    assert words == ["SELECT", "a", "ex:Thing", "ex:p.q"]


def test_mask_blanks_what_is_not_code_and_keeps_every_offset() -> None:
    masked = mask(TRICKY)
    assert len(masked) == len(TRICKY)
    assert "?_hidden" not in masked and "?_nope" not in masked and "?_in_string" not in masked
    assert masked.count("{") == 1 and "FILTER" in masked


def test_closing_finds_the_matching_bracket() -> None:
    found = tokens('SELECT (GROUP_CONCAT(STR(?x); SEPARATOR=" ) ") AS ?y) { }')
    opening = next(i for i, t in enumerate(found) if t.text == "(")
    assert found[closing(found, opening) + 1].text == "{"
    assert closing(found[:4], 1) == 4  # never closed: the length


def test_header_lines_are_the_top_comments_that_start_with_a_plus() -> None:
    assert list(header_lines(TRICKY)) == [(1, "summary: SELECT { ?_hidden }")]
    assert [n for n, _ in leading_comments("\n#+ a: b\n# c\nSELECT * {}\n# d\n")] == [2, 3]


@pytest.mark.parametrize("path", Workspace.discover().query_files(), ids=lambda p: p.stem)
def test_every_variable_of_a_catalogue_query_is_one_oxigraph_sees(path) -> None:  # type: ignore[no-untyped-def]
    """On the shipped queries, the tokens agree with Oxigraph's parser about the variables."""
    text = path.read_text(encoding="utf-8")
    parsed = pyoxigraph.Store().query(text)  # parsed, never evaluated
    projected = {variable.value for variable in getattr(parsed, "variables", [])}
    assert projected <= set(variable_names(text))
