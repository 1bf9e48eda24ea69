"""The ``#+`` header of a catalogue file: its grammar and the shapes of its entries.

Header grammar: a top-level line is ``key:`` or ``key: value``; the lines under a key
are indented and are either list items (``- value`` or ``- name: value``) or mapping
entries (``fr: text``); a line indented deeper than the entry above it continues that
entry's text. Any other shape is a :class:`~pickg.graph.errors.ParseError` naming the line.

What the entries mean (parameters, types, defaults) is :mod:`pickg.queries.catalogue`'s job;
this module only reads their shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pickg.graph.errors import ParseError

__all__ = ["HEADER_KEYS", "LANGS", "HeaderEntry", "header_items", "header_lines", "header_texts", "parse_header"]

#: Languages the texts of a header are written in (French first: the source language).
LANGS = ("fr", "en")

#: The keys a header may hold.
HEADER_KEYS = ("summary", "description", "tags", "params", "defaults", "enumerate")


@dataclass
class HeaderEntry:
    """A parsed header value: a scalar, a list of items or a mapping, with its line."""

    line: int
    scalar: str | None = None
    items: list[tuple[int, str | None, str]] = field(default_factory=list)  # (line, key, value)
    mapping: dict[str, tuple[int, str]] = field(default_factory=dict)


_TOP = re.compile(r"(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.*)")
_ITEM = re.compile(
    r"-\s+(?:(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*:\s+|(?P<bare>[A-Za-z_][A-Za-z0-9_]*)\s*:$)?(?P<value>.*)"
)
_MAP = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<value>.*)")


def header_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, content after '#+')`` for the header lines at the top of the file."""
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        if stripped.startswith("#+"):
            content = stripped[2:]
            yield number, content[1:] if content.startswith(" ") else content
        elif stripped.startswith("#"):
            continue
        else:
            return


def parse_header(path: Path, text: str) -> tuple[dict[str, HeaderEntry], int]:
    """The header's entries by key, and the number of the last header line.

    :raises ParseError: a line has none of the shapes of the grammar, a key is unknown
        (not in :data:`HEADER_KEYS`) or given twice.
    """
    entries: dict[str, HeaderEntry] = {}
    current: HeaderEntry | None = None
    child_indent: int | None = None
    last_line = 0
    # where a continuation line goes: ("scalar",) / ("item", index) / ("map", key)
    target: tuple[str, str | int] | None = None

    def fail(line: int, detail: str) -> ParseError:
        return ParseError(
            path, line, None, f"bad query header: {detail}", hint="see queries/README.md for the header format"
        )

    for number, content in header_lines(text):
        last_line = number
        if not content.strip():
            continue
        indent = len(content) - len(content.lstrip(" "))
        body = content.strip()
        if indent == 0:
            match = _TOP.fullmatch(body)
            if not match:
                raise fail(number, f"expected 'key:' or 'key: value', found {body!r}")
            key = match["key"]
            if key not in HEADER_KEYS:
                raise fail(number, f"unknown key {key!r} (known: {', '.join(HEADER_KEYS)})")
            if key in entries:
                raise fail(number, f"key {key!r} given twice")
            current = HeaderEntry(line=number, scalar=match["value"].strip() or None)
            entries[key] = current
            child_indent = None
            target = ("scalar", "") if current.scalar is not None else None
            continue
        if current is None:
            raise fail(number, "an indented line comes before any key")
        if child_indent is None or indent == child_indent:
            if child_indent is None:
                if current.scalar is not None:
                    current.scalar += " " + body
                    continue
                child_indent = indent
            if body.startswith("-"):
                match = _ITEM.fullmatch(body)
                if not match:
                    raise fail(number, f"expected '- value' or '- name: value', found {body!r}")
                key = match["key"] or match["bare"]
                current.items.append((number, key, match["value"].strip()))
                target = ("item", len(current.items) - 1)
            else:
                match = _MAP.fullmatch(body)
                if not match:
                    raise fail(number, f"expected 'name: text', found {body!r}")
                if match["key"] in current.mapping:
                    raise fail(number, f"{match['key']!r} given twice")
                current.mapping[match["key"]] = (number, match["value"].strip())
                target = ("map", match["key"])
            continue
        if indent > child_indent and target is not None:
            kind, where = target
            if kind == "item":
                line, key, value = current.items[int(where)]
                current.items[int(where)] = (line, key, (value + " " + body).strip())
            elif kind == "map":
                line, value = current.mapping[str(where)]
                current.mapping[str(where)] = (line, (value + " " + body).strip())
            continue
        raise fail(number, f"indentation does not match the lines above ({body!r})")
    return entries, last_line


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
