"""The ``#+`` header of a catalogue file: YAML, and the shapes of its entries.

The header lines (:func:`pickg.graph.sparqltokens.header_lines`), their ``#+ `` taken
off, are a YAML mapping (the grlc convention),
read by PyYAML. Its keys are :data:`HEADER_KEYS`; each value is a text, a list whose
items are ``- value`` or ``- name: value``, or a mapping of texts (``fr: text``). A text
may go on over more indented lines; one that holds ``: `` or `` #`` is quoted
(``"…"``). Values stay the text written (YAML's ``yes`` or ``010`` are not turned into
a boolean or a number): what they mean is the catalogue's job. Anything else, and any
YAML syntax error, is a :class:`~pickg.graph.errors.ParseError` naming the file's line.

What the entries mean (parameters, types, defaults) is :mod:`pickg.queries.catalogue`'s job;
this module only reads their shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.reader import ReaderError

from pickg.graph.errors import ParseError
from pickg.graph.sparqltokens import header_lines

__all__ = [
    "HEADER_KEYS",
    "LANGS",
    "YAML_LOADER",
    "HeaderEntry",
    "header_items",
    "header_lines",
    "header_texts",
    "parse_header",
]

#: Languages the texts of a header are written in (French first: the source language).
LANGS = ("fr", "en")

#: The keys a header may hold.
HEADER_KEYS = ("summary", "description", "tags", "params", "defaults", "enumerate", "money")

#: PyYAML's safe loader, libyaml's where PyYAML was built with it (its wheels are): the
#: same nodes either way, four times faster (csv-columns.yaml: 5 ms instead of 20 ms).
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

_HINT = "see queries/README.md for the header format"
_SYNTAX_HINT = "check the indentation, and put a text that holds ': ' or ' #' in double quotes; " + _HINT


@dataclass
class HeaderEntry:
    """A parsed header value: a scalar, a list of items or a mapping, with its line."""

    line: int
    scalar: str | None = None
    items: list[tuple[int, str | None, str]] = field(default_factory=list)  # (line, key, value)
    mapping: dict[str, tuple[int, str]] = field(default_factory=dict)


def _fail(path: Path, line: int, detail: str, hint: str = _HINT) -> ParseError:
    return ParseError(path, line, None, f"bad query header: {detail}", hint=hint)


def _compose(path: Path, text: str) -> tuple[yaml.Node | None, list[int]]:
    """The YAML node of the header, and the file's line number of each of its lines."""
    numbers: list[int] = []
    lines: list[str] = []
    for number, content in header_lines(text):
        if content.strip():
            numbers.append(number)
            lines.append(content)
    try:
        return yaml.compose("\n".join(lines), Loader=YAML_LOADER), numbers
    except yaml.MarkedYAMLError as error:

        def file_line(mark: yaml.Mark | None) -> int:
            return numbers[min(mark.line, len(numbers) - 1)] if mark is not None and numbers else 1

        problem = error.problem or "not valid YAML"
        if error.context:  # "while scanning a quoted scalar on line 2, found unexpected end of stream"
            problem = f"{error.context} on line {file_line(error.context_mark)}, {problem}"
        raise _fail(path, file_line(error.problem_mark or error.context_mark), problem, _SYNTAX_HINT) from None
    except ReaderError as error:  # a character YAML does not take: no mark, a position
        char = error.character if isinstance(error.character, str) else chr(error.character)
        line = next((number for number, content in zip(numbers, lines, strict=True) if char in content), 1)
        raise _fail(path, line, f"{error.reason} (#x{ord(char):04x})", "remove the character") from None


def _text(node: yaml.Node) -> str | None:
    """The text of a scalar node as written (folded lines joined); None for any other node."""
    return node.value.strip() if isinstance(node, yaml.ScalarNode) else None


def parse_header(path: Path, text: str) -> dict[str, HeaderEntry]:
    """The header's entries by key.

    :raises ParseError: the header is not valid YAML, or not a mapping of the shapes
        above; a key is unknown (not in :data:`HEADER_KEYS`) or given twice.
    """
    root, numbers = _compose(path, text)
    if root is None:
        return {}

    def line_of(node: yaml.Node) -> int:
        return numbers[min(node.start_mark.line, len(numbers) - 1)]

    if not isinstance(root, yaml.MappingNode):
        raise _fail(path, line_of(root), "expected 'key:' or 'key: value' lines")
    entries: dict[str, HeaderEntry] = {}
    for key_node, value_node in root.value:
        key, line = _text(key_node), line_of(key_node)
        if key is None or not re.fullmatch(r"[A-Za-z_]+", key):
            raise _fail(path, line, "expected 'key:' or 'key: value'")
        if key not in HEADER_KEYS:
            raise _fail(path, line, f"unknown key {key!r} (known: {', '.join(HEADER_KEYS)})")
        if key in entries:
            raise _fail(path, line, f"key {key!r} given twice")
        entry = entries[key] = HeaderEntry(line=line)
        if isinstance(value_node, yaml.ScalarNode):
            entry.scalar = _text(value_node) or None
        elif isinstance(value_node, yaml.SequenceNode):
            for item in value_node.value:
                entry.items.append(_item(path, item, line_of(item)))
        else:
            for name_node, text_node in value_node.value:
                name, value, at = _text(name_node), _text(text_node), line_of(name_node)
                if name is None or value is None or not _NAME.fullmatch(name):
                    raise _fail(path, at, "expected 'name: text'")
                if name in entry.mapping:
                    raise _fail(path, at, f"{name!r} given twice")
                entry.mapping[name] = (at, value)
    return entries


def _item(path: Path, node: yaml.Node, line: int) -> tuple[int, str | None, str]:
    """``(line, None, value)`` for ``- value``, ``(line, name, value)`` for ``- name: value``."""
    value = _text(node)
    if value is not None:
        return line, None, value
    if isinstance(node, yaml.MappingNode) and len(node.value) == 1:
        name_node, value_node = node.value[0]
        name, value = _text(name_node), _text(value_node)
        if name is not None and value is not None and _NAME.fullmatch(name):
            return line, name, value
    raise _fail(path, line, "expected '- value' or '- name: value'")


def header_texts(path: Path, entries: dict[str, HeaderEntry], key: str) -> dict[str, str]:
    """The French and English texts of ``key`` (``summary``, ``description``), French first.

    :raises ParseError: the key is missing, is not a ``fr:``/``en:`` mapping, lacks a
        text or names another language.
    """
    entry = entries.get(key)
    if entry is None:
        raise ParseError(
            path, 1, None, f"the query header has no {key!r}", hint=f"add '#+ {key}:' with 'fr:' and 'en:' texts"
        )
    if entry.items or entry.scalar is not None:
        raise ParseError(
            path,
            entry.line,
            None,
            f"{key!r} must hold 'fr:' and 'en:' texts",
            hint="write one indented line per language",
        )
    texts = {lang: value for lang, (_, value) in entry.mapping.items()}
    unknown = set(texts) - set(LANGS)
    missing = [lang for lang in LANGS if not texts.get(lang)]
    if unknown or missing:
        problem = f"unknown language {sorted(unknown)[0]!r}" if unknown else f"no {missing[0]!r} text"
        raise ParseError(path, entry.line, None, f"{key!r} has {problem}", hint="give exactly 'fr:' and 'en:' texts")
    return {lang: texts[lang] for lang in LANGS}


def header_items(
    path: Path, entries: dict[str, HeaderEntry], key: str, keyed: bool
) -> list[tuple[int, str | None, str]]:
    """The ``(line, name, value)`` items of the list ``key``; none when the key is absent.

    :param keyed: items must read ``- name: value`` (True) or ``- value`` (False).
    :raises ParseError: the entry is not a list, or an item has the wrong shape.
    """
    entry = entries.get(key)
    if entry is None:
        return []
    if entry.mapping or entry.scalar is not None:
        raise ParseError(
            path, entry.line, None, f"{key!r} must be a list of '- ' items", hint="write one '- ' line per item"
        )
    for line, item_key, _value in entry.items:
        if keyed and item_key is None:
            raise ParseError(
                path, line, None, f"each {key!r} item must read '- name: value'", hint="name the parameter"
            )
        if not keyed and item_key is not None:
            raise ParseError(path, line, None, f"each {key!r} item must be a plain value", hint="remove the 'name:'")
    return entry.items
