"""The SPARQL tokenizer: the one place that reads SPARQL text with regular expressions.

Every module that looks into a query's text (its form, the brace of its ``WHERE``
group, its ``?_name`` parameters, the prefixes it declares, its ``#+`` header, the
groups a rewrite may dissolve) reads the tokens of :func:`tokens`. Comments, strings
(short and long, both quotes) and IRIs are single tokens, so a brace, a keyword or a
``?x`` inside them never counts. Nothing here parses SPARQL fully; Oxigraph's parser
is the judge of what is valid (:func:`pickg.graph.bindings.parse_error`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "FORMS",
    "Token",
    "closing",
    "first_form",
    "first_group",
    "header_lines",
    "leading_comments",
    "mask",
    "prefixes_declared",
    "tokens",
    "variable_names",
]

#: The four query forms.
FORMS = frozenset({"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"})

# The alternatives that may hold braces or keywords as plain text come first. A word is
# a keyword, a prefixed name or a function name (``pic:name``, ``GROUP_CONCAT``); like a
# prefixed name, it never ends with ``.`` (that dot ends a triple pattern).
_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>
          \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        | '''(?:[^'\\]|\\.|'(?!''))*'''
        | "(?:[^"\\\n\r]|\\.)*"
        | '(?:[^'\\\n\r]|\\.)*'
      )
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
    | (?P<word>[A-Za-z_](?:[A-Za-z0-9_\-.:\u00b7\u00c0-\uffff]*[A-Za-z0-9_\-:\u00b7\u00c0-\uffff])?)
    | (?P<space>\s+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Token:
    """One token of a SPARQL text.

    :ivar kind: ``comment``, ``string``, ``iri``, ``var`` (``?x`` or ``$x``), ``word``
        (keyword, prefixed name, function name) or ``other`` (one character: a brace,
        a parenthesis, ``.``, ``;``, an operator, a digit).
    :ivar text: the token as written.
    :ivar start: its offset in the text.
    :ivar end: the offset just after it.
    """

    kind: str
    text: str
    start: int
    end: int

    def is_word(self, *words: str) -> bool:
        """Whether the token is one of the keywords ``words`` (upper case), in any case."""
        return self.kind == "word" and self.text.upper() in words

    @property
    def name(self) -> str:
        """A variable's name without ``?`` or ``$``."""
        return self.text[1:]


@lru_cache(maxsize=512)
def _all_tokens(text: str) -> tuple[Token, ...]:
    return tuple(
        Token(match.lastgroup or "other", match.group(), match.start(), match.end())
        for match in _TOKEN.finditer(text)
        if match.lastgroup != "space"
    )


def tokens(text: str, *, comments: bool = False) -> tuple[Token, ...]:
    """The tokens of ``text``, spaces left out and comments too unless ``comments``.

    Cached per text: a catalogue query read again and again is lexed once.
    """
    found = _all_tokens(text)
    return found if comments else _code_tokens(text)


@lru_cache(maxsize=512)
def _code_tokens(text: str) -> tuple[Token, ...]:
    return tuple(token for token in _all_tokens(text) if token.kind != "comment")


def mask(text: str) -> str:
    """``text`` with comments, strings and IRIs blanked out (same length), for scanning."""
    out, at = [], 0
    for token in tokens(text, comments=True):
        if token.kind in ("comment", "string", "iri"):
            out += [text[at : token.start], " " * (token.end - token.start)]
            at = token.end
    out.append(text[at:])
    return "".join(out)


def first_group(text: str) -> int:
    """Offset just after the first ``{`` outside comments, strings and IRIs, or -1."""
    return next((token.end for token in tokens(text) if token.text == "{"), -1)


def first_form(text: str) -> Token | None:
    """The first query form keyword (``SELECT``, ``CONSTRUCT``, ``ASK``, ``DESCRIBE``) of ``text``, or None."""
    return next((token for token in tokens(text) if token.is_word(*FORMS)), None)


def closing(found: Sequence[Token], at: int) -> int:
    """The index in ``found`` of the token that closes the bracket ``found[at]``
    (``(``, ``{`` or ``[``), or ``len(found)`` when it is never closed."""
    pairs = {"(": ")", "{": "}", "[": "]"}
    opening = found[at].text
    depth = 0
    for index in range(at, len(found)):
        text = found[index].text
        if text == opening:
            depth += 1
        elif text == pairs[opening]:
            depth -= 1
            if depth == 0:
                return index
    return len(found)


def variable_names(text: str) -> list[str]:
    """The names of the variables of ``text`` (``?x`` and ``$x`` → ``x``), in order of first use."""
    return list(dict.fromkeys(token.name for token in tokens(text) if token.kind == "var"))


def prefixes_declared(text: str) -> set[str]:
    """The prefix names ``text`` declares with ``PREFIX name:`` (``""`` for ``PREFIX :``)."""
    found = tokens(text)
    declared: set[str] = set()
    for index, token in enumerate(found[:-1]):
        if not token.is_word("PREFIX"):
            continue
        name = found[index + 1]
        if name.kind == "word" and name.text.endswith(":") and name.text.count(":") == 1:
            declared.add(name.text[:-1])
        elif name.text == ":":
            declared.add("")
        elif name.kind == "word" and ":" not in name.text and index + 2 < len(found) and found[index + 2].text == ":":
            declared.add(name.text)
    return declared


def leading_comments(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, the line stripped)`` for each comment line before the first line of
    SPARQL (blank lines skipped): the header and documentation of a query file."""
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            return
        yield number, stripped


def header_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, content after '#+')`` for the ``#+`` header lines at the top of a
    query file (the one space after ``#+`` taken off); other comments are skipped."""
    for number, line in leading_comments(text):
        if line.startswith("#+"):
            content = line[2:]
            yield number, content[1:] if content.startswith(" ") else content
