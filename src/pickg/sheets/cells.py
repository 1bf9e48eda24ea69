"""What a cell of the workbook holds, and the RDF terms it stands for.

One codec for both directions: :func:`cell_value` writes the values of a column as the
cell shows them, :meth:`Codec.parse` reads a cell back into terms, or says, in a
:class:`CellProblem`, what is wrong with it. Choice cells show labels — the
vocabulary's ``skos:prefLabel`` for a concept, the resource's ``rdfs:label`` for a
reference — and :class:`Choices` turns a label back into its IRI (any language, the
concept's ``skos:notation`` or the ``prefix:local`` name are accepted too). A label
that names two resources is never offered: such a resource is shown by its
``prefix:local`` name instead, so every cell reads back to what was written.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from pickg.graph.labels import preferred_label
from pickg.graph.messages import translate
from pickg.graph.namespaces import RDF, RDFS, SKOS, XSD, compact_iri
from pickg.sheets.layout import Column, SheetLayout

__all__ = ["CellProblem", "Choices", "Codec", "cell_value", "clean_text", "fold", "value_key"]

_DATE_FORMS = ((re.compile(r"^\d{4}-\d{2}-\d{2}$"), XSD.date), (re.compile(r"^\d{4}-\d{2}$"), XSD.gYearMonth))
_YEAR = re.compile(r"^\d{4}$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_TRUE = {"true", "vrai", "oui", "yes", "1"}
_FALSE = {"false", "faux", "non", "no", "0"}
#: What the choices of a column depend on: its kind, classes, scheme, and sheet for a type column.
_ChoicesKey = tuple[str, tuple[URIRef, ...], URIRef | None, str]

_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.nonNegativeInteger, XSD.positiveInteger}


#: Spaces a cell may hold that are not the ordinary space: no-break, narrow no-break, thin, figure...
_ODD_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
#: Apostrophes and quotes a keyboard or a word processor types for the straight apostrophe.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"})


def clean_text(text: str, one_line: bool) -> str:
    """``text`` as it is written into the graph: its ends trimmed; in a one-line field
    (a name, one value of a list), unusual spaces (no-break, narrow no-break, tabs) made
    ordinary and inner runs of spaces and line breaks made one space.

    A text of several lines (prose, often a quotation) keeps its inside as written: its
    line breaks, and the no-break spaces French typography puts inside « ».

    >>> clean_text("  Verdun\u00a0 Sud\n", one_line=True)
    'Verdun Sud'
    """
    if not one_line:
        return text.replace("\r\n", "\n").strip()
    return re.sub(r"\s+", " ", _ODD_SPACES.sub(" ", text)).strip()


def fold(text: str) -> str:
    """What two ways of typing a choice share: no accents, no case, straight apostrophes, single spaces.

    >>> fold("Ouest-de-l\u2019Île ") == fold("ouest-de-l'ile")
    True
    """
    text = unicodedata.normalize("NFKD", clean_text(text.translate(_APOSTROPHES), one_line=True))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


class CellProblem(Exception):
    """A cell that cannot be read: what is wrong and what to write instead, as the key of
    its message in the catalogues' ``[problems]`` table and the message's fields."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def message(self, lang: str) -> str:
        return translate(lang, "problems." + self.key, **self.values)


def value_key(term: Node) -> object:
    """What two values must share to be the same fact: numbers by value, the rest as terms."""
    if isinstance(term, Literal) and term.datatype in _NUMERIC:
        try:
            return (term.datatype, Decimal(str(term)))
        except InvalidOperation:
            return term
    return term


class Choices:
    """The choices of the workbook's drop-down lists, and labels read back into IRIs.

    :param graph: the data with the ontology and the vocabularies.
    :param lang: the language labels are shown in.
    """

    def __init__(self, graph: Graph, lang: str) -> None:
        self.graph = graph
        self.lang = lang
        self._subclasses: dict[URIRef, set[URIRef]] = {}
        self._options: dict[_ChoicesKey, list[tuple[URIRef, str]]] = {}
        self._lookup: dict[_ChoicesKey, dict[str, set[URIRef]]] = {}
        self._folded: dict[_ChoicesKey, dict[str, set[URIRef]]] = {}
        self._shown: dict[_ChoicesKey, dict[URIRef, str]] = {}
        self._extra: dict[URIRef, set[URIRef]] = defaultdict(set)
        self._extra_labels: dict[URIRef, list[str]] = defaultdict(list)

    def add_resource(self, iri: URIRef, classes: Iterable[URIRef], labels: Iterable[str]) -> None:
        """Make a resource of the workbook (a new row) a choice of the columns that point to its classes."""
        for cls in classes:
            self._extra[cls].add(iri)
        self._extra_labels[iri].extend(labels)
        self._options.clear()
        self._lookup.clear()
        self._folded.clear()
        self._shown.clear()

    def _closure(self, cls: URIRef) -> set[URIRef]:
        if cls not in self._subclasses:
            found, todo = {cls}, [cls]
            while todo:
                for child in self.graph.subjects(RDFS.subClassOf, todo.pop()):
                    if isinstance(child, URIRef) and child not in found:
                        found.add(child)
                        todo.append(child)
            self._subclasses[cls] = found
        return self._subclasses[cls]

    def _members(self, column: Column, sheet: SheetLayout) -> set[URIRef]:
        g = self.graph
        if column.kind == "concept":
            return {c for c in g.subjects(SKOS.inScheme, column.scheme) if isinstance(c, URIRef)}
        if column.kind == "type":
            return set(sheet.classes)
        if column.classes == (RDFS.Resource,):
            return {s for s in g.subjects(RDFS.label, None) if isinstance(s, URIRef)} | set(self._extra_labels)
        members: set[URIRef] = set()
        for cls in column.classes:
            for sub in self._closure(cls):
                members |= {s for s in g.subjects(RDF.type, sub) if isinstance(s, URIRef)}
                members |= self._extra.get(sub, set())
        return members

    def _names(self, iri: URIRef) -> set[str]:
        g = self.graph
        names = {str(o) for p in (SKOS.prefLabel, RDFS.label, SKOS.notation) for o in g.objects(iri, p)}
        names |= set(self._extra_labels.get(iri, ()))
        return {n.strip() for n in names if n.strip()}

    def _build(self, column: Column, sheet: SheetLayout) -> _ChoicesKey:
        key: _ChoicesKey = (column.kind, column.classes, column.scheme, sheet.key if column.kind == "type" else "")
        if key not in self._options:
            members = self._members(column, sheet)
            lookup: dict[str, set[URIRef]] = defaultdict(set)
            for iri in members:
                for name in self._names(iri):
                    lookup[name.casefold()].add(iri)
                lookup[compact_iri(str(iri)).casefold()].add(iri)
            options = []
            for iri in members:
                shown = self.label(iri)
                if shown is None or len(lookup.get(shown.strip().casefold(), ())) != 1:
                    shown = compact_iri(str(iri))
                options.append((iri, shown))
            options.sort(key=lambda o: (o[1].casefold(), str(o[0])))
            self._options[key] = options
            self._shown[key] = {}
            for iri, text in options:
                self._shown[key].setdefault(iri, text)
            self._lookup[key] = dict(lookup)
            folded: dict[str, set[URIRef]] = defaultdict(set)
            for iri, shown in options:
                folded[fold(shown)].add(iri)
            self._folded[key] = dict(folded)
        return key

    def label(self, iri: URIRef) -> str | None:
        """:func:`~pickg.graph.labels.preferred_label` of ``iri``, or the label its new row gives.

        Asked of the graph for each resource: one pass over every naming statement, kept
        by resource, was quicker on the shipped data but held about 100 MiB more at
        47,899 rows (``bench/SHEETS.md``)."""
        label = preferred_label(self.graph, iri, self.lang)
        if label is None and self._extra_labels.get(iri):
            label = self._extra_labels[iri][0]
        return label

    def options(self, column: Column, sheet: SheetLayout) -> list[tuple[URIRef, str]]:
        """``(IRI, label shown)`` of every choice of ``column``, sorted by label."""
        return self._options[self._build(column, sheet)]

    def shown(self, column: Column, sheet: SheetLayout, iri: URIRef) -> str:
        """How a cell of ``column`` shows ``iri``."""
        return self._shown[self._build(column, sheet)].get(iri) or compact_iri(str(iri))

    def resolve(self, column: Column, sheet: SheetLayout, text: str) -> URIRef:
        """The IRI a cell's text names, or :class:`CellProblem`."""
        key = self._build(column, sheet)
        found = self._lookup[key].get(text.strip().casefold(), set())
        if not found:  # typed another way: accents, case, a typographic apostrophe, spaces
            found = self._folded[key].get(fold(text), set())
        if len(found) == 1:
            return next(iter(found))
        what = column.headers
        if found:
            names = " ; ".join(sorted(self.shown(column, sheet, i) for i in found))
            raise CellProblem("ambiguous", text=text, names=names)
        if not column.one_per_cell and re.search(r"[,;]", text):
            parts = [p for p in re.split(r"\s*[,;]\s*", text.strip()) if p]
            if len(parts) > 1 and all(len(self._folded[key].get(fold(p), ())) == 1 for p in parts):
                raise CellProblem("one_per_line", text=text, column=what, first=parts[0], second=parts[1])
        close = difflib.get_close_matches(fold(text), list(self._folded[key]), n=3, cutoff=0.72)
        if close:
            shown = " / ".join(self.shown(column, sheet, next(iter(self._folded[key][c]))) for c in close)
            raise CellProblem("did_you_mean", text=text, column=what, choices=shown)
        raise CellProblem("not_a_row" if column.kind == "ref" else "not_a_choice", text=text, column=what)


def _number_text(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return repr(value)
    return str(value).strip()


def cell_value(column: Column, sheet: SheetLayout, values: list[Node], choices: Choices) -> object:
    """What a cell of ``column`` holds for ``values`` (None when empty)."""
    if not values:
        return None
    if column.kind in ("ref", "concept", "type"):
        texts = sorted((choices.shown(column, sheet, v) for v in values if isinstance(v, URIRef)), key=str.casefold)
        return "\n".join(texts)
    if column.kind == "literal" and len(values) == 1:
        value = values[0].toPython() if isinstance(values[0], Literal) else None
        if column.datatype == XSD.integer and isinstance(value, int) and not isinstance(value, bool):
            return value
        if column.datatype == XSD.decimal and isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)
        if column.datatype == XSD.boolean and isinstance(value, bool):
            return value
    return "\n".join(sorted(str(v) for v in values))


class Codec:
    """Reads the cells of a sheet into RDF terms."""

    def __init__(self, choices: Choices) -> None:
        self.choices = choices

    def parse(self, column: Column, sheet: SheetLayout, raw: object) -> list[Node]:
        """The terms a cell stands for (empty cell: none).

        :raises CellProblem: the cell's value does not fit the column.
        """
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return []
        if column.kind == "text":
            text = raw if isinstance(raw, str) else _number_text(raw)
            if column.prose:
                parts = [clean_text(text, one_line=False)]
            elif column.one_per_cell:
                parts = [clean_text(text, one_line=True)]
            else:
                parts = [clean_text(p, one_line=True) for p in text.split("\n") if p.strip()]
            if column.lang:
                return [Literal(p, lang=column.lang) for p in parts]
            return [Literal(p) for p in parts]
        if column.kind == "literal" and not isinstance(raw, str):
            return [self._literal(column, raw)]
        if isinstance(raw, dt.datetime | dt.date) and column.kind == "date":
            day = raw.date() if isinstance(raw, dt.datetime) else raw
            return [Literal(day.isoformat(), datatype=XSD.date)]
        text = raw if isinstance(raw, str) else _number_text(raw)
        parts = [p.strip() for p in text.split("\n") if p.strip()]  # the shapes judge how many
        if column.kind in ("ref", "concept", "type"):
            return [self.choices.resolve(column, sheet, p) for p in parts]
        if column.kind == "date":
            return [_date(column, p) for p in parts]
        return [self._literal(column, p) for p in parts]

    def _literal(self, column: Column, raw: object) -> Literal:
        datatype = column.datatype
        header = column.headers
        if datatype == XSD.boolean:
            if isinstance(raw, bool):
                return Literal(raw)
            if isinstance(raw, int | float) and raw in (0, 1):  # an ODS boolean, as LibreOffice saves one
                return Literal(raw == 1)
            text = _number_text(raw).casefold()
            if text in _TRUE or text in _FALSE:
                return Literal(text in _TRUE)
            raise CellProblem("not_boolean", value=str(raw), column=header)
        if datatype == XSD.integer:
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)
            text = _number_text(raw)
            if isinstance(raw, bool) or not _INTEGER.match(text):
                raise CellProblem("not_integer", value=str(raw), column=header)
            return Literal(int(text))
        if datatype == XSD.decimal:
            if isinstance(raw, float) and raw.is_integer() and abs(raw) < 2**53:
                raw = int(raw)
            text = _number_text(raw)
            if isinstance(raw, bool) or not _DECIMAL.match(text):
                raise CellProblem("not_amount", value=str(raw), column=header)
            return Literal(Decimal(text), datatype=XSD.decimal)
        if datatype == XSD.anyURI:
            text = _number_text(raw)
            if not re.match(r"^https?://\S+$", text):
                raise CellProblem("not_url", value=str(raw), column=header)
            return Literal(text, datatype=XSD.anyURI)
        return Literal(_number_text(raw), datatype=datatype)


def _date(column: Column, text: str) -> Literal:
    for pattern, datatype in _DATE_FORMS:
        if pattern.match(text):
            if datatype == XSD.date:
                try:
                    dt.date.fromisoformat(text)
                except ValueError:
                    break
            elif not 1 <= int(text[5:7]) <= 12:
                break
            return Literal(text, datatype=datatype)
    else:
        if _YEAR.match(text):
            return Literal(text, datatype=XSD.gYear)
    header = column.headers
    raise CellProblem("not_date", value=text, column=header)
