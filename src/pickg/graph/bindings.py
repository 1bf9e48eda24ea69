"""Bind query parameters for a remote endpoint: a ``VALUES`` block of RDF terms.

A local graph takes parameters through rdflib's ``initBindings``; a remote endpoint
only takes query text. This module writes that text without ever pasting a user's
string into it:

* each value reaches it as an rdflib term built from a validated, typed parameter;
  :func:`term_n3` checks the term and writes its N-Triples form (what rdflib's
  ``n3()`` gives, with every quote, backslash and control character of a literal
  escaped; the release's Turtle templates write terms with the same functions),
  so an IRI cannot close its ``<…>`` and a literal cannot close its quotes;
* :func:`bind_values` finds the query's ``WHERE`` group in the tokens of
  :mod:`pickg.graph.sparqltokens` (strings, IRIs and comments are single tokens, so
  text inside them never counts) and inserts ``VALUES (?a ?b) { (t1 t2) }`` right after its opening brace;
* the result is parsed again; a query that no longer parses is refused. A caller
  that parses the text itself before running anything (the Oxigraph store) skips
  that second parse with ``check=False`` and reports a failure with
  :func:`binding_error`.

The lexing of a query text (its form, the place of its ``WHERE`` brace) and the parse
check of a bound text are cached per text: a catalogue query run again and again
pays for them once.

Why the head of the ``WHERE`` group and not a trailing ``VALUES`` clause: a trailing
clause is joined *after* grouping and aggregation, where a parameter used inside an
aggregated pattern is out of scope (the join becomes a cross product). At the head of
the group the values are joined with every pattern of the group, as a pre-bound
variable is with ``initBindings``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

import pyoxigraph
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.term import Identifier

from pickg.graph.errors import InputError
from pickg.graph.sparqltokens import FORMS, first_form, tokens

__all__ = [
    "bind_list",
    "bind_values",
    "binding_error",
    "error_position",
    "iri_n3",
    "list_block",
    "literal_n3",
    "parse_error",
    "query_form",
    "quoted",
    "term_n3",
    "values_block",
]

# SPARQL 1.1 VARNAME, restricted to the characters a catalogue parameter may use.
_VARNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# SPARQL 1.1 IRIREF: the characters an IRI between < > may not contain.
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# BCP 47 language tags as SPARQL's LANGTAG accepts them.
_LANGTAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")


def iri_n3(iri: str, what: str = "the value") -> str:
    """``<iri>``, checked so it cannot close its brackets: the one writer of an IRI into
    SPARQL or Turtle text.

    :param what: how the IRI is named in the error (``the value``, ``the datatype``).
    :raises InputError: the IRI is empty or holds a character an ``IRIREF`` may not
        (space, control character, ``<>"{}|^`\\``).
    """
    bad = _IRI_FORBIDDEN.search(iri)
    if bad is not None or not iri:
        shown = repr(bad.group()) if bad else "nothing"
        raise InputError(
            f"{what} {iri!r} is not a valid IRI (it contains {shown}); "
            "give an absolute IRI without spaces, quotes or angle brackets"
        )
    return f"<{iri}>"


# Escapes of a SPARQL or Turtle string (ECHAR), the other control characters as UCHAR.
_ECHAR = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_TO_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def quoted(lexical: str) -> str:
    """A short string of SPARQL or Turtle: quote, backslash and line breaks escaped
    (``ECHAR``), the other control characters written ``\\uXXXX``.

    rdflib's ``Literal.n3()`` is not used for the lexical form: for a text holding a
    line break it writes a long string and leaves a closing backslash-quote unescaped,
    so the string could end early.

    :raises InputError: the text holds a lone surrogate, which no RDF literal may.
    """
    if _SURROGATE.search(lexical):
        raise InputError(f"{lexical!r} holds a lone surrogate, which no RDF literal may; give valid Unicode text")
    return '"' + _TO_ESCAPE.sub(lambda m: _ECHAR.get(m.group(), f"\\u{ord(m.group()):04X}"), lexical) + '"'


def literal_n3(lexical: str, lang: str | None = None, datatype: str | None = None) -> str:
    """``"text"``, ``"text"@lang`` or ``"lexical"^^<datatype>``, escaped by :func:`quoted`.

    :raises InputError: a malformed language tag, both a tag and a datatype, a datatype
        that is not an IRI, a lone surrogate.
    """
    text = quoted(lexical)
    if lang is not None:
        if datatype is not None:
            raise InputError("a literal has a language tag or a datatype, not both")
        if not _LANGTAG.fullmatch(lang):
            raise InputError(f"{lang!r} is not a language tag; give one such as fr or en-CA")
        return f"{text}@{lang}"
    if datatype is not None:
        return f"{text}^^{iri_n3(datatype, 'the datatype')}"
    return text


def term_n3(term: Identifier) -> str:
    """The SPARQL (and Turtle) form of one RDF term, checked so it cannot break out of its place.

    :param term: an IRI or a literal (rdflib ``URIRef`` or ``Literal``).
    :returns: ``<iri>``, ``"text"@lang`` or ``"lexical"^^<datatype>``.
    :raises InputError: a blank node (it cannot be named in a remote query), an IRI
        with characters SPARQL forbids, a malformed language tag.
    """
    if isinstance(term, URIRef):
        return iri_n3(str(term))
    if isinstance(term, Literal):
        datatype = None if term.language is not None or term.datatype is None else str(term.datatype)
        return literal_n3(str(term), term.language, datatype)
    if isinstance(term, BNode):
        raise InputError(
            f"the blank node {term.n3()} cannot be sent to an endpoint as a parameter; give an IRI or a literal"
        )
    raise InputError(f"{term!r} is not an RDF term; give an IRI or a literal")


def _variable_name(name: str) -> str:
    bare = str(name).lstrip("?$")
    if not _VARNAME.fullmatch(bare):
        raise InputError(
            f"{name!r} is not a SPARQL variable name; use letters, digits and underscores, starting with a letter or _"
        )
    return bare


def values_block(bindings: Mapping[str | Variable, Identifier]) -> str:
    """``VALUES (?a ?b) { (t1 t2) }`` for one row of bindings, variables sorted.

    :param bindings: variable name (with or without ``?``) → term.
    :returns: the block, or ``""`` when there is nothing to bind.
    :raises InputError: as :func:`term_n3`, or a name that is not a variable name.
    """
    if not bindings:
        return ""
    row = sorted((_variable_name(str(name)), term_n3(term)) for name, term in bindings.items())
    names = {name for name, _ in row}
    if len(names) != len(row):
        raise InputError("the same parameter is bound twice (with and without '?'); bind it once")
    variables = " ".join(f"?{name}" for name, _ in row)
    terms = " ".join(n3 for _, n3 in row)
    return f"VALUES ({variables}) {{ ({terms}) }}"


def list_block(variable: str | Variable, terms: Iterable[Identifier]) -> str:
    """A ``VALUES ?variable { t1 t2 … }`` block: one solution per term, every term
    written by :func:`term_n3`; ``""`` when ``terms`` is empty.

    :raises InputError: as :func:`term_n3`, or a name that is not a variable name.
    """
    written = [term_n3(term) for term in terms]
    if not written:
        return ""
    return f"VALUES ?{_variable_name(str(variable))} {{ {' '.join(written)} }}"


def bind_list(query: str, variable: str | Variable, terms: Iterable[Identifier]) -> str:
    """The query with ``variable`` bound to each of ``terms`` in turn (a :func:`list_block`
    at the head of its ``WHERE`` group), the bound text checked as :func:`bind_values` does.

    :raises InputError: as :func:`list_block`, or a query the block no longer lets parse.
    """
    block = list_block(variable, terms)
    if not block:
        return query
    offset = _where_brace(query)
    bound = f"{query[:offset]}\n  {block}\n{query[offset:]}"
    detail = parse_error(bound)
    if detail is not None:
        raise binding_error(detail)
    return bound


@lru_cache(maxsize=512)
def query_form(query: str) -> str:
    """``SELECT``, ``CONSTRUCT``, ``ASK`` or ``DESCRIBE``: the form of a query (cached per text).

    :raises InputError: the text has none of these keywords outside strings, IRIs and
        comments (it is not a query; an update is not run).
    """
    form = first_form(query)
    if form is None:
        raise InputError("the text is not a SPARQL query (no SELECT, CONSTRUCT, ASK or DESCRIBE); give a query")
    return form.text.upper()


@lru_cache(maxsize=512)
def _where_brace(query: str) -> int:
    """Offset just after the ``{`` that opens the query's ``WHERE`` group (cached per text)."""
    form: str | None = None
    depth = parens = 0
    previous = None
    top_level: list[tuple[int, bool]] = []  # (offset after '{', preceded by WHERE)
    for token in tokens(query):
        text = token.text
        if token.kind == "word" and depth == 0 and parens == 0 and form is None and text.upper() in FORMS:
            form = text.upper()
        elif token.kind == "other":
            if text == "{":
                if depth == 0 and parens == 0:
                    after_where = previous is not None and previous.is_word("WHERE")
                    top_level.append((token.end, after_where))
                depth += 1
            elif text == "}":
                depth -= 1
            elif text == "(" and depth == 0:
                parens += 1
            elif text == ")" and depth == 0:
                parens -= 1
        previous = token
    for offset, after_where in top_level:
        if after_where:
            return offset
    index = 1 if form == "CONSTRUCT" else 0
    if form is None or len(top_level) <= index:
        raise InputError(
            "the query has no WHERE group to bind parameters in; "
            "give it a SELECT, ASK, CONSTRUCT or DESCRIBE form with a WHERE { … } group"
        )
    return top_level[index][0]


def bind_values(query: str, bindings: Mapping[str | Variable, Identifier], *, check: bool = True) -> str:
    """The query with ``bindings`` joined at the head of its ``WHERE`` group.

    :param query: the SPARQL query text (a catalogue file, prefixes declared).
    :param bindings: parameter name → RDF term; empty leaves the query unchanged.
    :param check: parse the bound text and refuse it when it no longer parses (the
        check is cached per bound text). Only a caller that parses the bound text
        itself before running anything may pass False; it must report a text that
        fails to parse with :func:`binding_error`.
    :returns: the query text to send to an endpoint.
    :raises InputError: a value or name that cannot be bound (see :func:`term_n3`),
        or a query with no ``WHERE`` group, or (``check``) one that stops parsing
        once bound.
    """
    block = values_block(bindings)
    if not block:
        return query
    offset = _where_brace(query)
    bound = f"{query[:offset]}\n  {block}\n{query[offset:]}"
    if check:
        detail = parse_error(bound)
        if detail is not None:
            raise binding_error(detail)
    return bound


@lru_cache(maxsize=512)
def parse_error(query: str) -> str | None:
    """Why SPARQL does not accept ``query`` (the first line of the parser's message),
    or None when it parses. Cached per text.

    Oxigraph's parser is strict SPARQL 1.1 and fast; ``query()`` parses at once and
    evaluates only when its result is read, which it never is here.
    """
    try:
        pyoxigraph.Store().query(query)
    except SyntaxError as exc:
        detail = str(exc.msg if exc.msg else exc).strip().splitlines()[0]
        return detail if len(detail) <= 100 else detail[:99] + "…"
    return None


# Where Oxigraph's parser puts the position of a syntax error: ``error at 3:14: …``.
_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.DOTALL)


def error_position(detail: str) -> tuple[int, int, str] | None:
    """(line, column, the rest of the message) of a syntax error :func:`parse_error`
    reported, or None when Oxigraph gave no position."""
    found = _POSITION.match(detail)
    return None if found is None else (int(found[1]), int(found[2]), found[3])


def binding_error(detail: str | BaseException) -> InputError:
    """The error for a query that binding its parameters made invalid (never sent
    half-broken): ``detail`` is the parser's message or its exception."""
    if isinstance(detail, BaseException):
        message = getattr(detail, "msg", None) or str(detail)
        detail = (str(message).strip().splitlines() or [type(detail).__name__])[0]
        detail = detail if len(detail) <= 100 else detail[:99] + "…"
    return InputError(
        f"binding the parameters made the query invalid ({detail}); "
        "bind parameters only in queries with a plain WHERE { … } group"
    )
