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
parameter: the language of labels, ``fr`` or ``en`` (default ``fr`` in the text; pickg
binds the reader's). ``money`` (``- value: currency``) names a column of amounts and
the column of their currency, which tables show as money.

The header is YAML; reading it and checking the shapes of its entries (with errors
naming the line) is :mod:`pickg.queries.header`.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pickg.graph.errors import NotFoundError, ParseError
from pickg.graph.messages import reader_language
from pickg.graph.sparqltokens import tokens, variable_names
from pickg.graph.workspace import Workspace
from pickg.queries.header import LANGS, HeaderEntry, header_items, header_texts, parse_header

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
    "packaged_query",
    "parse_query_file",
    "query_variables",
]

#: Types a parameter may have. ``search`` is a string compared accent- and
#: case-insensitively: its value is normalised before it is bound.
PARAM_TYPES = ("iri", "string", "search", "integer", "decimal", "date")

#: The implicit parameter that chooses the language of labels.
LANG_PARAM = "lang"

_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PARAM_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


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
    #: The columns that hold amounts of money, each with the column of its currency
    #: (``#+ money: - value: currency``): tables and Markdown show them as money.
    money: tuple[tuple[str, str], ...] = ()

    def summary_in(self, lang: str | None = None) -> str:
        """The summary in ``lang`` (None: the reader's), else in French."""
        return self.summary.get(reader_language(lang)) or self.summary["fr"]

    def description_in(self, lang: str | None = None) -> str:
        """The description in ``lang`` (None: the reader's), else in French."""
        return self.description.get(reader_language(lang)) or self.description["fr"]

    def param(self, name: str) -> Param | None:
        """The parameter called ``name``, or None."""
        return next((p for p in self.params if p.name == name), None)

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)


# --- the query text --------------------------------------------------------------------


def query_variables(text: str) -> tuple[list[str], bool]:
    """The parameter names of a query text (``?_x`` → ``x``), in order of first use,
    and whether the outermost query has an ``ORDER BY``; read from the tokens of
    :mod:`pickg.graph.sparqltokens`, so a ``?_x`` in a string or comment never counts.
    """
    names = [name[1:] for name in variable_names(text) if name[:1] == "_" and len(name) > 1]
    depth = 0
    seen_group = order_by = False
    previous = None
    for token in tokens(text):
        if token.text == "{":
            depth += 1
            seen_group = True
        elif token.text == "}":
            depth -= 1
        elif depth == 0 and seen_group and token.is_word("BY") and previous is not None and previous.is_word("ORDER"):
            order_by = True
        previous = token
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
    return _read_query(path, text, name or path.stem)


def _read_query(path: Path, text: str, name: str) -> Query:
    if not _NAME.fullmatch(name):
        raise ParseError(
            path,
            None,
            None,
            f"the name {name!r} is not kebab-case",
            hint="rename the file in lower-case words joined by '-'",
        )
    entries = parse_header(path, text)
    summary = header_texts(path, entries, "summary")
    description = header_texts(path, entries, "description")
    tags = tuple(value for _, _, value in header_items(path, entries, "tags", keyed=False))

    used, has_order_by = query_variables(text)
    declared: dict[str, tuple[int, str]] = {}
    for line, pname, ptype in header_items(path, entries, "params", keyed=True):
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
    for line, pname, value in header_items(path, entries, "defaults", keyed=True):
        assert pname is not None
        if pname not in declared:
            raise ParseError(
                path, line, None, f"default for unknown parameter {pname!r}", hint="declare it under '#+ params:'"
            )
        defaults[pname] = value
    choices: dict[str, tuple[str, ...]] = {LANG_PARAM: LANGS} if LANG_PARAM in used else {}
    for line, pname, value in header_items(path, entries, "enumerate", keyed=True):
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
        money=_money_columns(path, entries, text),
    )


def _money_columns(path: Path, entries: dict[str, HeaderEntry], text: str) -> tuple[tuple[str, str], ...]:
    """The ``money`` entries: amount column → currency column, both variables of the text."""
    variables = set(variable_names(text))
    money = []
    for line, column, currency in header_items(path, entries, "money", keyed=True):
        assert column is not None
        for name in (column, currency):
            if name not in variables:
                raise ParseError(
                    path, line, None, f"money column {name!r} is not a variable of the query", hint="name a column"
                )
        money.append((column, currency))
    return tuple(money)


@functools.cache
def packaged_query(package: str, name: str) -> str:
    """The text of ``sparql/<name>.rq`` shipped inside ``package``, read once per process.

    A module keeps the fixed SPARQL it runs (counts, bookkeeping) next to itself,
    ``pickg/<room>/sparql/<name>.rq``, rather than in a Python string; the file has a
    catalogue header, checked as any catalogue file's. Values are never pasted into
    the text: the caller binds them (``?_name`` parameters) as for a catalogue query.

    :param package: the package holding the ``sparql`` folder, e.g. ``"pickg.queries"``.
    :param name: the file's stem, e.g. ``"stats-totals"``.
    :raises NotFoundError: no such file in the package.
    :raises ParseError: its header is malformed.
    """
    resource = resources.files(package).joinpath("sparql", f"{name}.rq")
    try:
        text = resource.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFoundError(f"{package} ships no sparql/{name}.rq; check the name or reinstall pickg") from None
    _read_query(Path(str(resource)), text, name)
    return text


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
