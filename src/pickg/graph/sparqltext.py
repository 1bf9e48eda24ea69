"""Reading SPARQL text without running it: its form, its first group, bound values.

A small lexer steps over comments, strings and IRIs as whole tokens, so a brace or a
keyword inside them never counts. Nothing here parses SPARQL fully; each function
says what it relies on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib.term import Identifier

from pickg.graph.bindings import bind_values, query_form

__all__ = ["SKIP", "first_group", "flatten_groups", "mask", "not_exists_to_minus", "query_form", "with_values"]

# A token the lexer steps over whole: a comment, a string (long or short) or an IRI.
SKIP = re.compile(
    r"#[^\n]*"
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|"(?:[^"\\\n]|\\.)*"'
    r'|<[^<>"{}|^`\\\s]*>'
)


def first_group(query: str) -> int:
    """Index just after the first ``{`` outside comments, strings and IRIs, or -1."""
    i = 0
    while i < len(query):
        match = SKIP.match(query, i)
        if match:
            i = match.end()
            continue
        if query[i] == "{":
            return i + 1
        i += 1
    return -1


def with_values(query: str, bindings: Mapping[str, Identifier]) -> str:
    """``query`` with ``bindings`` as a ``VALUES`` row at the head of its ``WHERE`` group.

    One implementation serves the Oxigraph store and remote endpoints alike:
    :func:`pickg.graph.bindings.bind_values`, which writes each term with every quote,
    backslash and line break escaped and refuses a bound text that no longer parses.
    """
    return bind_values(query, bindings)


# A nested group the engine may dissolve into its parent: triple patterns and FILTERs only.
_GROUP_KEYWORDS = re.compile(r"\b(OPTIONAL|UNION|MINUS|BIND|VALUES|GRAPH|SERVICE|SELECT|EXISTS|IN)\b", re.IGNORECASE)
_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")
_FILTER = re.compile(r"\bFILTER\b", re.IGNORECASE)


def mask(text: str) -> str:
    """``text`` with comments, strings and IRIs blanked out (same length), for scanning."""
    out, i = [], 0
    for match in SKIP.finditer(text):
        out.append(text[i : match.start()])
        out.append(" " * (match.end() - match.start()))
        i = match.end()
    out.append(text[i:])
    return "".join(out)


def _filters(body: str) -> tuple[str, str]:
    """(the FILTER expressions of ``body``, ``body`` without them), on masked text."""
    kept, filters, i = [], [], 0
    for match in _FILTER.finditer(body):
        start = body.index("(", match.end()) if "(" in body[match.end() :] else -1
        if start < 0 or body[match.end() : start].strip():
            return "", ""  # FILTER without parentheses (a function call): leave the group alone
        depth, j = 0, start
        while j < len(body):
            depth += {"(": 1, ")": -1}.get(body[j], 0)
            if depth == 0:
                break
            j += 1
        kept.append(body[i : match.start()])
        filters.append(body[start : j + 1])
        i = j + 1
    kept.append(body[i:])
    return " ".join(filters), "".join(kept)


def flatten_groups(query: str) -> str:
    """Dissolve nested ``{ … }`` groups that hold only triple patterns and FILTERs.

    ``{ P FILTER(F) } Q`` and ``P Q FILTER(F)`` have the same solutions when every
    variable of ``F`` is bound by ``P`` (and ``F`` has no EXISTS): ``F`` sees the
    same values either way. Oxigraph evaluates a nested group on its own and
    hash-joins it with the rest, so a group that pairs resources by label is joined
    with *all* pairs of resources of a type (quadratic); one flat group lets the
    optimiser follow the label. Anything else is left as written.
    """
    masked = mask(query)
    where = first_group(query)
    if where < 0:
        return query
    spans: list[tuple[int, int]] = []
    depth, i = 1, where
    while i < len(masked) and depth > 0:
        c = masked[i]
        if c == "{":
            if depth == 1:
                before = masked[:i].rstrip()
                close = masked.find("}", i + 1)
                inner_open = masked.find("{", i + 1)
                if before.endswith(("{", ".", "}")) and close > 0 and (inner_open < 0 or inner_open > close):
                    body = masked[i + 1 : close]
                    if not _GROUP_KEYWORDS.search(body) and not re.search(r"[;,]\s*$", body):
                        filters, triples = _filters(body)
                        bound = set(_VARIABLE.findall(triples))
                        if (filters or triples.strip()) and set(_VARIABLE.findall(filters)) <= bound and bound:
                            spans.append((i, close))
                            i = close + 1
                            continue
            depth += 1
        elif c == "}":
            depth -= 1
        i += 1
    out = query
    for start, end in reversed(spans):
        body = out[start + 1 : end].rstrip()
        if body and not body.endswith("."):
            body += " ."
        out = out[:start] + " " + body + " " + out[end + 1 :]
    return out


_NOT_EXISTS = re.compile(r"\bFILTER\s+NOT\s+EXISTS\s*\{", re.IGNORECASE)


def _top_level(masked: str, start: int, end: int) -> str:
    """The text between ``start`` and ``end`` with every nested ``{ … }`` and FILTER removed."""
    out, depth = [], 0
    for c in masked[start:end]:
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0:
            out.append(c)
    text = re.sub(r"\bFILTER\s+(NOT\s+)?EXISTS\b", " ", "".join(out), flags=re.IGNORECASE)
    return _filters(text)[1]


def not_exists_to_minus(query: str) -> str:
    """Write ``FILTER NOT EXISTS { P }`` of the WHERE group as ``MINUS { P }`` when equal.

    The two agree when ``P`` is triple patterns and FILTERs over its own variables,
    and every variable ``P`` shares with the group is bound by the group's own triple
    patterns (then "no solution of P matches" and "no compatible solution of P
    exists" are the same test). Oxigraph runs MINUS as one anti-join, where it
    evaluates NOT EXISTS once per solution, which made a check of participations
    quadratic in the number of initiatives. Anything else is left as written.
    """
    masked = mask(query)
    where = first_group(query)
    if where < 0:
        return query
    end = masked.rfind("}")
    top = _top_level(masked, where, end)
    if re.search(r"\b(BIND|VALUES|OPTIONAL|UNION|MINUS|SELECT)\b", masked[where:end], re.IGNORECASE):
        return query  # a variable of the group might be unbound: keep NOT EXISTS
    bound = set(_VARIABLE.findall(top))
    spans: list[tuple[int, int, int]] = []
    for match in _NOT_EXISTS.finditer(masked, where, end):
        open_at = match.end() - 1
        if masked[where : match.start()].count("{") != masked[where : match.start()].count("}"):
            continue  # not at the top level of the WHERE group
        close = masked.find("}", open_at + 1)
        if close < 0 or "{" in masked[open_at + 1 : close]:
            continue
        body = masked[open_at + 1 : close]
        if _GROUP_KEYWORDS.search(body):
            continue
        filters, triples = _filters(body)
        own = set(_VARIABLE.findall(triples))
        shared = own & bound
        if not shared or not set(_VARIABLE.findall(filters)) <= own:
            continue
        spans.append((match.start(), open_at, close))
    out = query
    for start, open_at, _close in reversed(spans):
        out = out[:start] + "MINUS " + out[open_at:]
    return out
