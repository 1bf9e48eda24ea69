"""The query catalogue: read ``queries/*.rq`` and their headers, never run them.

A catalogue file is one SPARQL SELECT query preceded by a header of ``#+`` comment
lines (the grlc convention, with French and English texts)::

    #+ summary:
    #+   fr: Quartiers qui partagent des thèmes
    #+   en: Neighbourhoods that share themes
    #+ description:
    #+   fr: Paires de quartiers dont les initiatives partagent au moins un thème,
    #+     les plus proches d'abord. Répond à CQ07.
    #+   en: Pairs of neighbourhoods whose initiatives share at least one theme,
    #+     closest first. Answers CQ07.
    #+ tags:
    #+   - collaboration
    #+ params:
    #+   - neighbourhood: iri
    #+ defaults:
    #+   - neighbourhood: https://w3id.org/pickg/id/neighbourhood/saint-michel
    #+ enumerate:
    #+   - lang: fr, en

The file stem is the query's public name. ``?_name`` variables of the text are its
parameters: the catalogue derives them from the text and takes their types from the
``params`` entry (one of :data:`PARAM_TYPES`). ``?_lang`` is the one implicit
parameter: the language of labels, ``fr`` or ``en`` (default ``fr``).

Header grammar: a top-level line is ``key:`` or ``key: value``; the lines under a key
are indented and are either list items (``- value`` or ``- name: value``) or mapping
entries (``fr: text``); a line indented deeper than the entry above it continues that
entry's text. Any other shape is a :class:`~pickg.errors.ParseError` naming the line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pickg.errors import NotFoundError, ParseError
from pickg.workspace import Workspace

__all__ = [
    "LANG_PARAM",
    "LANGS",
    "PARAM_TYPES",
    "Param",
    "Query",
    "get_check",
    "get_query",
    "load_catalog",
    "load_checks",
    "parse_query_file",
    "query_variables",
]

#: Types a parameter may have. ``search`` is a string compared accent- and
#: case-insensitively: its value is normalised before it is bound.
PARAM_TYPES = ("iri", "string", "search", "integer", "decimal", "date")

#: Languages the texts of a header are written in (French first: the source language).
LANGS = ("fr", "en")

#: The implicit parameter that chooses the language of labels.
LANG_PARAM = "lang"

_KEYS = ("summary", "description", "tags", "params", "defaults", "enumerate")
_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PARAM_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")

# A small SPARQL lexer: comments, strings and IRIs are skipped as units, so a ``?_x``
# or a brace inside them never counts.
_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
    | (?P<word>[A-Za-z][A-Za-z0-9_-]*)
    | (?P<open>\{)
    | (?P<close>\})
    | (?P<other>[^\s])
    | (?P<space>\s+)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Param:
    """A parameter of a query: a ``?_name`` variable bound to a typed RDF term.

    :ivar name: the name without ``?_`` (``neighbourhood`` for ``?_neighbourhood``).
    :ivar type: one of :data:`PARAM_TYPES`.
    :ivar default: the value bound when the caller gives none, as written in the
        header; None when the parameter is left unbound (the query then ranges
        over every value).
    :ivar choices: the only values allowed, when the header enumerates them.
    """

    name: str
    type: str
    default: str | None = None
    choices: tuple[str, ...] | None = None

    @property
    def variable(self) -> str:
        """The SPARQL variable name, without ``?``: ``_name``."""
        return "_" + self.name


@dataclass(frozen=True)
class Query:
    """One catalogue file, read but not run."""

    name: str
    path: Path
    summary: dict[str, str]
    description: dict[str, str]
    tags: tuple[str, ...]
    params: tuple[Param, ...]
    text: str
    has_order_by: bool

    def summary_in(self, lang: str = "fr") -> str:
        """The summary in ``lang``, else in French."""
        return self.summary.get(lang) or self.summary["fr"]

    def description_in(self, lang: str = "fr") -> str:
        """The description in ``lang``, else in French."""
        return self.description.get(lang) or self.description["fr"]

    @property
    def summary_fr(self) -> str:
        return self.summary["fr"]

    @property
    def summary_en(self) -> str:
        return self.summary["en"]

    @property
    def description_fr(self) -> str:
        return self.description["fr"]

    @property
    def description_en(self) -> str:
        return self.description["en"]

    def param(self, name: str) -> Param | None:
        """The parameter called ``name``, or None."""
        return next((p for p in self.params if p.name == name), None)

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)


# --- the header ------------------------------------------------------------------------


@dataclass
class _Entry:
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


def _header_lines(text: str) -> Iterator[tuple[int, str]]:
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


def _parse_header(path: Path, text: str) -> tuple[dict[str, _Entry], int]:
    """The header's entries by key, and the number of the last header line."""
    entries: dict[str, _Entry] = {}
    current: _Entry | None = None
    child_indent: int | None = None
    last_line = 0
    # where a continuation line goes: ("scalar",) / ("item", index) / ("map", key)
    target: tuple[str, str | int] | None = None

    def fail(line: int, detail: str) -> ParseError:
        return ParseError(
            path, line, None, f"bad query header: {detail}", hint="see queries/README.md for the header format"
        )

    for number, content in _header_lines(text):
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
            if key not in _KEYS:
                raise fail(number, f"unknown key {key!r} (known: {', '.join(_KEYS)})")
            if key in entries:
                raise fail(number, f"key {key!r} given twice")
            current = _Entry(line=number, scalar=match["value"].strip() or None)
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


def _texts(path: Path, entries: dict[str, _Entry], key: str) -> dict[str, str]:
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


def _list(path: Path, entries: dict[str, _Entry], key: str, keyed: bool) -> list[tuple[int, str | None, str]]:
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


# --- the query text --------------------------------------------------------------------


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            yield kind, match.group()


def query_variables(text: str) -> tuple[list[str], bool]:
    """The parameter names of a query text (``?_x`` → ``x``), in order of first use,
    and whether the outermost query has an ``ORDER BY``.
    """
    names: list[str] = []
    depth = 0
    seen_group = False
    order_by = False
    previous = ""
    for kind, value in _tokens(text):
        if kind == "var" and value[1:2] == "_" and len(value) > 2:
            name = value[2:]
            if name not in names:
                names.append(name)
        elif kind == "open":
            depth += 1
            seen_group = True
        elif kind == "close":
            depth -= 1
        elif kind == "word":
            if depth == 0 and seen_group and previous == "ORDER" and value.upper() == "BY":
                order_by = True
            previous = value.upper()
            continue
        previous = ""
    return names, order_by


def parse_query_file(path: str | Path, name: str | None = None) -> Query:
    """Read one catalogue (or check) file.

    :param path: the ``.rq`` file.
    :param name: its public name; the file stem by default.
    :raises NotFoundError: the file does not exist.
    :raises ParseError: the header is malformed, a text is missing, a parameter of the
        text is not declared (or a declared one is not used), a default does not
        fit its type. The message names ``path:line``.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFoundError(f"{path}: no such query file; check the path") from None
    except UnicodeDecodeError:
        raise ParseError(path, None, None, "not valid UTF-8", hint="save the file as UTF-8") from None
    name = name or path.stem
    if not _NAME.fullmatch(name):
        raise ParseError(
            path,
            None,
            None,
            f"the name {name!r} is not kebab-case",
            hint="rename the file in lower-case words joined by '-'",
        )
    entries, _ = _parse_header(path, text)
    summary = _texts(path, entries, "summary")
    description = _texts(path, entries, "description")
    tags = tuple(value for _, _, value in _list(path, entries, "tags", keyed=False))

    used, has_order_by = query_variables(text)
    declared: dict[str, tuple[int, str]] = {}
    for line, pname, ptype in _list(path, entries, "params", keyed=True):
        assert pname is not None
        if ptype not in PARAM_TYPES:
            raise ParseError(
                path,
                line,
                None,
                f"parameter {pname!r} has unknown type {ptype!r}",
                hint=f"use one of {', '.join(PARAM_TYPES)}",
            )
        if pname in declared:
            raise ParseError(path, line, None, f"parameter {pname!r} is declared twice", hint="keep one line")
        declared[pname] = (line, ptype)
    if LANG_PARAM in used and LANG_PARAM not in declared:
        declared[LANG_PARAM] = (0, "string")
    for pname, (line, _) in declared.items():
        if pname not in used:
            raise ParseError(
                path,
                line or None,
                None,
                f"parameter {pname!r} is declared but ?_{pname} is not in the query",
                hint="remove the declaration or use the variable",
            )
    for pname in used:
        if not _PARAM_NAME.fullmatch(pname):
            raise ParseError(
                path, None, None, f"?_{pname} is not a valid parameter name", hint="use letters, digits and '_'"
            )
        if pname not in declared:
            raise ParseError(
                path,
                entries["params"].line if "params" in entries else None,
                None,
                f"the query uses ?_{pname} but the header does not declare it",
                hint=f"add '- {pname}: <type>' under '#+ params:'",
            )

    defaults: dict[str, str] = {LANG_PARAM: LANGS[0]} if LANG_PARAM in used else {}
    for line, pname, value in _list(path, entries, "defaults", keyed=True):
        assert pname is not None
        if pname not in declared:
            raise ParseError(
                path, line, None, f"default for unknown parameter {pname!r}", hint="declare it under '#+ params:'"
            )
        defaults[pname] = value
    choices: dict[str, tuple[str, ...]] = {LANG_PARAM: LANGS} if LANG_PARAM in used else {}
    for line, pname, value in _list(path, entries, "enumerate", keyed=True):
        assert pname is not None
        if pname not in declared:
            raise ParseError(
                path, line, None, f"choices for unknown parameter {pname!r}", hint="declare it under '#+ params:'"
            )
        choices[pname] = tuple(v.strip() for v in value.split(",") if v.strip())
    params = []
    for pname in used:
        param = Param(pname, declared[pname][1], defaults.get(pname), choices.get(pname))
        if param.default is not None and param.choices and param.default not in param.choices:
            raise ParseError(
                path,
                None,
                None,
                f"the default of {pname!r} is not one of its choices",
                hint="fix the default or the choices",
            )
        params.append(param)
    return Query(
        name=name,
        path=path,
        summary=summary,
        description=description,
        tags=tags,
        params=tuple(params),
        text=text,
        has_order_by=has_order_by,
    )


# --- the catalogue ---------------------------------------------------------------------


def _load(files: list[Path]) -> dict[str, Query]:
    return {query.name: query for query in (parse_query_file(path) for path in files)}


def load_catalog(workspace: Workspace | None = None) -> dict[str, Query]:
    """Every catalogue query of the workspace, by name, in name order.

    :raises ParseError: a file is malformed (the first one found, with its line).
    """
    ws = workspace or Workspace.discover()
    return _load(ws.query_files())


def load_checks(workspace: Workspace | None = None) -> dict[str, Query]:
    """Every data check (``queries/checks/*-violation.rq``), by name, in name order."""
    ws = workspace or Workspace.discover()
    return _load(ws.check_files())


def _find(name: str, files: list[Path], what: str, hint: str) -> Query:
    by_name = {path.stem: path for path in files}
    if name in by_name:
        return parse_query_file(by_name[name])
    close = difflib.get_close_matches(name, list(by_name), n=3, cutoff=0.5)
    if not close:
        close = [known for known in by_name if name and (name in known or known in name)][:3]
    suggestion = f"did you mean {', '.join(close)}? " if close else ""
    raise NotFoundError(f"there is no {what} named {name!r}; {suggestion}{hint}")


def get_query(name: str, workspace: Workspace | None = None) -> Query:
    """The catalogue query called ``name``.

    :raises NotFoundError: no such query; the message lists close names.
    """
    ws = workspace or Workspace.discover()
    return _find(name, ws.query_files(), "query", "run `pickg query list` to see them all")


def get_check(name: str, workspace: Workspace | None = None) -> Query:
    """The data check called ``name`` (for instance ``fact-without-source-violation``)."""
    ws = workspace or Workspace.discover()
    return _find(name, ws.check_files(), "check", "see queries/checks/")
