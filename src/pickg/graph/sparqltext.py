"""Rewriting SPARQL text without changing its answers: VALUES binding, flat groups, anti-joins.

Each rewrite works on the tokens of :mod:`pickg.graph.sparqltokens`, so a brace or a
keyword inside a comment, a string or an IRI never counts. Nothing here parses SPARQL
fully; each function says what it relies on, and leaves anything else as written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rdflib.term import Identifier

from pickg.graph.bindings import bind_values, query_form
from pickg.graph.sparqltokens import Token, closing, tokens

__all__ = ["flatten_groups", "not_exists_to_minus", "query_form", "with_values"]


def with_values(query: str, bindings: Mapping[str, Identifier]) -> str:
    """``query`` with ``bindings`` as a ``VALUES`` row at the head of its ``WHERE`` group.

    One implementation serves the Oxigraph store and remote endpoints alike:
    :func:`pickg.graph.bindings.bind_values`, which writes each term with every quote,
    backslash and line break escaped and refuses a bound text that no longer parses.
    """
    return bind_values(query, bindings)


# What makes a nested group more than triple patterns and FILTERs.
_GROUP_KEYWORDS = ("OPTIONAL", "UNION", "MINUS", "BIND", "VALUES", "GRAPH", "SERVICE", "SELECT", "EXISTS", "IN")
# What may leave a variable of the WHERE group unbound.
_UNBINDING = ("BIND", "VALUES", "OPTIONAL", "UNION", "MINUS", "SELECT")


def _names(found: Sequence[Token]) -> set[str]:
    return {token.name for token in found if token.kind == "var"}


def _has_word(found: Sequence[Token], words: Sequence[str]) -> bool:
    return any(token.is_word(*words) for token in found)


def _filters(body: Sequence[Token]) -> tuple[list[Token], list[Token]] | None:
    """(the tokens of the FILTER expressions of ``body``, the other tokens); None when a
    FILTER is not followed by ``(`` (a function call), which leaves the group alone."""
    filters: list[Token] = []
    kept: list[Token] = []
    index = 0
    while index < len(body):
        token = body[index]
        if token.is_word("FILTER"):
            if index + 1 >= len(body) or body[index + 1].text != "(":
                return None
            end = closing(body, index + 1)
            filters += body[index + 1 : end + 1]
            index = end + 1
            continue
        kept.append(token)
        index += 1
    return filters, kept


def _next(found: Sequence[Token], start: int, text: str) -> int:
    """The index of the first token ``text`` from ``start`` on, or -1."""
    return next((index for index in range(start, len(found)) if found[index].text == text), -1)


def flatten_groups(query: str) -> str:
    """Dissolve nested ``{ … }`` groups that hold only triple patterns and FILTERs.

    ``{ P FILTER(F) } Q`` and ``P Q FILTER(F)`` have the same solutions when every
    variable of ``F`` is bound by ``P`` (and ``F`` has no EXISTS): ``F`` sees the
    same values either way. Oxigraph evaluates a nested group on its own and
    hash-joins it with the rest, so a group that pairs resources by label is joined
    with *all* pairs of resources of a type (quadratic); one flat group lets the
    optimiser follow the label. Anything else is left as written.
    """
    found = tokens(query)
    where = _next(found, 0, "{")
    if where < 0:
        return query
    spans: list[tuple[int, int]] = []
    depth, index = 1, where + 1
    while index < len(found) and depth > 0:
        text = found[index].text
        if text == "{":
            if depth == 1 and found[index - 1].text in ("{", ".", "}"):
                close = _next(found, index + 1, "}")
                inner = _next(found, index + 1, "{")
                if close > 0 and (inner < 0 or inner > close):
                    body = found[index + 1 : close]
                    split = None if body and body[-1].text in (";", ",") else _filters(body)
                    if split is not None and not _has_word(body, _GROUP_KEYWORDS):
                        bound = _names(split[1])
                        if bound and _names(split[0]) <= bound:
                            spans.append((found[index].start, found[close].start))
                            index = close + 1
                            continue
            depth += 1
        elif text == "}":
            depth -= 1
        index += 1
    out = query
    for start, end in reversed(spans):
        inside = out[start + 1 : end].rstrip()
        if inside and not inside.endswith("."):
            inside += " ."
        out = out[:start] + " " + inside + " " + out[end + 1 :]
    return out


def _top_level(found: Sequence[Token]) -> list[Token]:
    """The tokens of a group outside its nested ``{ … }``, its FILTERs and ``FILTER [NOT] EXISTS``."""
    outside: list[Token] = []
    depth = 0
    for token in found:
        if token.text == "{":
            depth += 1
        elif token.text == "}":
            depth -= 1
        elif depth == 0:
            outside.append(token)
    kept: list[Token] = []
    index = 0
    while index < len(outside):
        if outside[index].is_word("FILTER"):
            after = 2 if index + 1 < len(outside) and outside[index + 1].is_word("NOT") else 1
            if index + after < len(outside) and outside[index + after].is_word("EXISTS"):
                index += after + 1
                continue
        kept.append(outside[index])
        index += 1
    split = _filters(kept)
    return [] if split is None else split[1]


def not_exists_to_minus(query: str) -> str:
    """Write ``FILTER NOT EXISTS { P }`` of the WHERE group as ``MINUS { P }`` when equal.

    The two agree when ``P`` is triple patterns and FILTERs over its own variables,
    and every variable ``P`` shares with the group is bound by the group's own triple
    patterns (then "no solution of P matches" and "no compatible solution of P
    exists" are the same test). Oxigraph runs MINUS as one anti-join, where it
    evaluates NOT EXISTS once per solution, which made a check of participations
    quadratic in the number of initiatives. When the group binds every variable of
    ``P``, NOT EXISTS stays: once per solution it is one lookup in an index, where MINUS
    would evaluate ``P`` alone (``?s ?p ?o``, a reified statement's triple: every triple
    of the store, 1.0 s and 50 MB at 805,670 triples, against nothing). Anything else
    is left as written.
    """
    found = tokens(query)
    where = _next(found, 0, "{")
    if where < 0:
        return query
    end = max((index for index, token in enumerate(found) if token.text == "}"), default=where)
    group = found[where + 1 : end]
    if _has_word(group, _UNBINDING):
        return query  # a variable of the group might be unbound: keep NOT EXISTS
    bound = _names(_top_level(group))
    spans: list[tuple[int, int]] = []
    for index in range(where + 1, end - 3):
        keyword, negation, exists, brace = found[index : index + 4]
        if not (
            keyword.is_word("FILTER") and negation.is_word("NOT") and exists.is_word("EXISTS") and brace.text == "{"
        ):
            continue
        before = found[where + 1 : index]
        if sum(t.text == "{" for t in before) != sum(t.text == "}" for t in before):
            continue  # not at the top level of the WHERE group
        close = _next(found, index + 4, "}")
        if close < 0 or _next(found[:close], index + 4, "{") >= 0:
            continue
        body = found[index + 4 : close]
        split = _filters(body)
        if _has_word(body, _GROUP_KEYWORDS) or split is None:
            continue
        own = _names(split[1])
        if not own & bound or not _names(split[0]) <= own or own <= bound:
            continue  # every variable bound by the group: NOT EXISTS is one index probe
        spans.append((keyword.start, brace.start))
    out = query
    for start, open_at in reversed(spans):
        out = out[:start] + "MINUS " + out[open_at:]
    return out
