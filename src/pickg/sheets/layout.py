"""The layout of the stewards' workbook, derived from the shapes and the ontology.

``mapping.toml`` (next to this module) names the sheets, the classes each one holds,
the namespace, file and slug rule of its new resources and a few extra columns. The
columns themselves come from ``ontology/shapes/``: every property shape whose target
is a class of the sheet (or one of its superclasses) gives a column, with what the
shapes say about it — required (``sh:minCount`` of a violation) or recommended (of a
warning), one value or several (``sh:maxCount 1``), its datatype (``sh:datatype``,
``sh:or`` of datatypes, ``sh:languageIn``), the class its values belong to
(``sh:class``) or the SKOS scheme they come from (``sh:node picsh:In…Scheme``). The
ontology gives the headers and the help text (``rdfs:label``, ``skos:definition``);
the mapping's ``[terms]`` table names a column where a steward's word differs from the
ontology's (``rdfs:label`` is "Nom", not the vocabulary's "Libellé"), and describes what it does not.

Both directions of the workbook (:mod:`pickg.sheets.export`, :mod:`pickg.sheets.importing`)
read the same :class:`Layout`, so a column is written and read by one description.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from pickg.graph.errors import InputError
from pickg.graph.messages import DATA_LANGUAGE, LANGUAGES
from pickg.graph.namespaces import (
    DCTERMS,
    OWL,
    PIC,
    PREFIXES,
    RDF,
    RDFS,
    SH,
    SHAPES,
    SKOS,
    XSD,
    compact_iri,
    expand_curie,
)
from pickg.graph.rdfio import load
from pickg.graph.workspace import Workspace
from pickg.validation.shapes import load_shapes

__all__ = [
    "DATE_TYPES",
    "MAPPING_FILE",
    "Column",
    "Layout",
    "Point",
    "SheetLayout",
    "expand",
    "load_layout",
]

#: The mapping file kept in the repository, beside this module.
MAPPING_FILE = Path(__file__).with_name("mapping.toml")

#: Datatypes a date column accepts, most precise first.
DATE_TYPES = (XSD.date, XSD.gYearMonth, XSD.gYear)


def expand(curie: str) -> URIRef:
    """``pic:Initiative`` → its IRI, with the project's prefixes.

    :raises InputError: the prefix is not one of the project's.
    """
    iri = expand_curie(curie)
    if iri is None:
        raise InputError(f"{curie!r} in {MAPPING_FILE.name} is not a CURIE with one of the project's prefixes")
    return URIRef(iri)


@dataclass(frozen=True)
class Column:
    """One column of a sheet: which facts it carries and how a cell holds them.

    :ivar key: the column's stable name, ``rdfs:label@fr``, ``pic:phase``, ``id``.
    :ivar kind: ``id`` (the resource), ``type`` (its class among the sheet's),
        ``text`` (a string, with ``lang`` or without), ``literal`` (a typed value:
        ``datatype``), ``date`` (one of :data:`DATE_TYPES`), ``ref`` (a resource of
        ``classes``) or ``concept`` (a concept of ``scheme``).
    :ivar predicate: the property (None for ``id``).
    :ivar required: ``required``, ``recommended`` or ``optional``.
    :ivar single: at most one value (``sh:maxCount 1``); otherwise one per line.
    :ivar headers: language → header.
    :ivar definitions: language → help text.
    :ivar translates: the key of the French column whose text this English column
        renders (``pic:desiredChange@fr`` for ``pic:desiredChangeTranslation@en``), a
        translation made for this graph and described by its own ``rdf:Statement``;
        None for other columns.
    """

    key: str
    kind: str
    predicate: URIRef | None = None
    lang: str | None = None
    datatype: URIRef | None = None
    classes: tuple[URIRef, ...] = ()
    scheme: URIRef | None = None
    required: str = "optional"
    single: bool = False
    prose: bool = False
    translates: str | None = None
    headers: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    definitions: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def one_per_cell(self) -> bool:
        """A cell holds one value: the column is single-valued or holds prose (line breaks are text)."""
        return self.single or self.prose

    def representable(self, values: list[Node]) -> bool:
        """Whether one cell can hold ``values`` exactly (else the column leaves them to the Turtle)."""
        if self.one_per_cell:
            return len(values) <= 1
        return not any("\n" in str(v) for v in values)

    def carries(self, value: Node) -> bool:
        """Whether a value of :attr:`predicate` is one this column shows (others are kept as they are)."""
        if self.kind in ("ref", "concept", "type"):
            return isinstance(value, URIRef)
        if not isinstance(value, Literal):
            return False
        if self.kind == "text":
            if self.lang:
                return value.language == self.lang
            return value.language is None and value.datatype in (None, XSD.string)
        if self.kind == "date":
            return value.datatype in DATE_TYPES
        return value.datatype == self.datatype and value.language is None


@dataclass(frozen=True)
class SheetLayout:
    """One sheet: the classes of its rows, where new rows go, and its columns."""

    key: str
    names: dict[str, str]
    classes: tuple[URIRef, ...]
    namespace: str
    file: str
    slug: tuple[str, ...]
    slug_prefix: str
    columns: tuple[Column, ...]

    @property
    def base(self) -> URIRef:
        """The namespace IRI of the sheet's resources."""
        return URIRef(PREFIXES[self.namespace])

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


@dataclass(frozen=True)
class Point:
    """Where a shape's results go when the value is written in another sheet's row.

    :ivar shape: the shape (``picsh:Neighbourhood-supportTier``).
    :ivar sheet: the sheet whose row takes the value; ``column``, its column.
    :ivar focus: the column of that row naming the result's resource; ``value``, the
        column holding the result's value (None: any).
    """

    shape: str
    sheet: str
    column: str
    focus: str
    value: str | None = None


@dataclass(frozen=True)
class Layout:
    """The workbook: its sheets, and the ontology and vocabularies they draw on."""

    sheets: tuple[SheetLayout, ...]
    ontology: Graph = field(compare=False, hash=False, repr=False)
    terms: dict[str, dict[str, str]] = field(compare=False, hash=False, repr=False)
    points: tuple[Point, ...] = ()

    def sheet(self, key: str) -> SheetLayout:
        return next(s for s in self.sheets if s.key == key)


def _text(graph: Graph, node: Node, prop: URIRef) -> dict[str, str]:
    return {o.language: str(o) for o in graph.objects(node, prop) if isinstance(o, Literal) and o.language in LANGUAGES}


def _superclasses(ontology: Graph, cls: URIRef) -> set[URIRef]:
    found = {cls}
    todo = [cls]
    while todo:
        for parent in ontology.objects(todo.pop(), RDFS.subClassOf):
            if isinstance(parent, URIRef) and parent not in found:
                found.add(parent)
                todo.append(parent)
    return found


def _targets(shapes: Graph, shape: Node) -> set[Node]:
    targets = set(shapes.objects(shape, SH.targetClass))
    for node_shape in shapes.subjects(SH.property, shape):
        targets |= set(shapes.objects(node_shape, SH.targetClass))
    return targets


def _severity(shapes: Graph, shape: Node) -> URIRef:
    severity = shapes.value(shape, SH.severity)
    return severity if isinstance(severity, URIRef) else SH.Violation


@dataclass
class _Facts:
    """What the shapes say about one property of one sheet."""

    datatypes: set[URIRef] = field(default_factory=set)
    classes: set[URIRef] = field(default_factory=set)
    scheme: URIRef | None = None
    langs: set[str] = field(default_factory=set)
    required: str = "optional"
    single: bool = False
    order: int = 0


def _scheme_of(shapes: Graph, node_shape: Node) -> URIRef | None:
    for prop in shapes.objects(node_shape, SH.property):
        if shapes.value(prop, SH.path) == SKOS.inScheme:
            value = shapes.value(prop, SH.hasValue)
            if isinstance(value, URIRef):
                return value
    return None


def _read_constraints(shapes: Graph, shape: Node, facts: _Facts, covers_all: bool) -> None:
    datatype = shapes.value(shape, SH.datatype)
    if isinstance(datatype, URIRef):
        facts.datatypes.add(datatype)
    alternatives = shapes.value(shape, SH["or"])
    if alternatives is not None:
        for member in Collection(shapes, alternatives):
            inner = shapes.value(member, SH.datatype)
            if isinstance(inner, URIRef):
                facts.datatypes.add(inner)
    cls = shapes.value(shape, SH["class"])
    if isinstance(cls, URIRef):
        facts.classes.add(cls)
    node = shapes.value(shape, SH.node)
    if node is not None:
        facts.scheme = _scheme_of(shapes, node) or facts.scheme
    languages = shapes.value(shape, SH.languageIn)
    if languages is not None:
        facts.langs |= {str(lang) for lang in Collection(shapes, languages)}
    if covers_all and shapes.value(shape, SH.maxCount) == Literal(1):
        facts.single = True
    if covers_all and shapes.value(shape, SH.minCount) is not None:
        if _severity(shapes, shape) == SH.Violation:
            facts.required = "required"
        elif facts.required == "optional":
            facts.required = "recommended"


def _derived_properties(shapes: Graph, ontology: Graph, classes: tuple[URIRef, ...]) -> dict[URIRef, _Facts]:
    """Property → what the shapes say, for every property shape aimed at the sheet's classes."""
    base = classes[0]
    every = set().union(*(_superclasses(ontology, c) for c in classes))
    above_base = _superclasses(ontology, base)
    found: dict[URIRef, _Facts] = {}
    for shape in sorted(set(shapes.subjects(SH.path, None)), key=str):
        path = shapes.value(shape, SH.path)
        if not isinstance(path, URIRef):
            continue
        targets = _targets(shapes, shape)
        if targets & every:
            facts = found.setdefault(path, _Facts(order=len(found)))
            _read_constraints(shapes, shape, facts, covers_all=bool(targets & above_base))
    for path, facts in found.items():  # range shapes aimed at the subjects of a property
        for shape in shapes.subjects(SH.targetSubjectsOf, path):
            if shapes.value(shape, SH.path) == path:
                _read_constraints(shapes, shape, facts, covers_all=False)
    return found


def _column(
    key: str, predicate: URIRef, facts: _Facts, lang: str | None, ontology: Graph, terms: dict[str, dict[str, str]]
) -> Column:
    datatypes = facts.datatypes - {RDF.langString}
    classes = tuple(sorted(facts.classes, key=str))
    scheme = facts.scheme
    if not datatypes and not classes and scheme is None and lang is None and RDF.langString not in facts.datatypes:
        declared = ontology.value(predicate, RDFS.range)
        if isinstance(declared, URIRef) and str(declared).startswith(str(XSD)):
            datatypes = {declared}
        elif isinstance(declared, URIRef) and declared not in (SKOS.Concept, RDFS.Literal, OWL.Thing):
            classes = (declared,)
        elif (predicate, RDF.type, OWL.ObjectProperty) in ontology:
            classes = (RDFS.Resource,)
    if scheme is not None:
        kind = "concept"
    elif classes:
        kind = "ref"
    elif datatypes and datatypes <= set(DATE_TYPES):
        kind = "date"
    elif datatypes and datatypes != {XSD.string}:
        kind = "literal"
    else:
        kind = "text"
    curie = key.partition("@")[0]
    headers = _text(ontology, predicate, RDFS.label)
    definitions = _text(ontology, predicate, SKOS.definition) or _text(ontology, predicate, RDFS.comment)
    extra = terms.get(curie, {})
    for tag in LANGUAGES:  # the mapping's own words for a column come first, then the ontology's
        headers[tag] = extra.get(tag) or headers.get(tag) or curie
        definitions[tag] = extra.get(f"{tag}_definition") or definitions.get(tag, "")
    headers = {tag: text[:1].upper() + text[1:] for tag, text in headers.items()}
    if lang:
        headers = {tag: f"{text} ({lang})" for tag, text in headers.items()}
    return Column(
        key=key,
        kind=kind,
        predicate=predicate,
        lang=lang,
        datatype=next(iter(sorted(datatypes, key=str)), None) if kind == "literal" else None,
        classes=classes,
        scheme=scheme,
        required=facts.required,
        single=facts.single,
        headers=headers,
        definitions=definitions,
    )


def _worded(column: Column, terms: dict[str, dict[str, str]]) -> Column:
    """``column`` headed and defined by the mapping's words for its key (the key itself
    when the mapping has no header for it)."""
    extra = terms.get(column.key.partition("@")[0], {})
    return replace(
        column,
        headers={tag: extra.get(tag, column.key) for tag in LANGUAGES},
        definitions={tag: extra.get(f"{tag}_definition", "") for tag in LANGUAGES},
    )


def _extra_column(key: str, shapes: Graph, ontology: Graph, terms: dict[str, dict[str, str]]) -> Column:
    """The column of a property the mapping names (``also``, ``english``): ``property`` or
    ``property@lang``, with what the shapes aimed at its subjects say about its values."""
    curie, _, lang = key.partition("@")
    predicate = expand(curie)
    extra_facts = _Facts()
    for shape in shapes.subjects(SH.targetSubjectsOf, predicate):
        if shapes.value(shape, SH.path) == predicate:
            _read_constraints(shapes, shape, extra_facts, covers_all=False)
    facts = _Facts(datatypes=extra_facts.datatypes, classes=extra_facts.classes, scheme=extra_facts.scheme, langs=set())
    return _column(key, predicate, facts, lang or None, ontology, terms)


def _sheet(entry: dict[str, Any], shapes: Graph, ontology: Graph, terms: dict[str, dict[str, str]]) -> SheetLayout:
    classes = tuple(expand(c) for c in entry["classes"])
    derived = _derived_properties(shapes, ontology, classes)
    omit = {expand(c) for c in entry.get("omit", [])}
    columns = [_worded(Column("id", "id", single=True), terms)]
    if len(classes) > 1:
        columns.append(_worded(Column("rdf:type", "type", RDF.type, required="required", single=True), terms))
    label_langs = [DATA_LANGUAGE]
    if set(shapes.objects(SHAPES["Fact-label-en"], SH.targetClass)) & set(classes):
        label_langs.append("en")
    for label_lang in label_langs:
        facts = _Facts(required="required" if label_lang == DATA_LANGUAGE else "recommended", single=True)
        columns.append(_column(f"rdfs:label@{label_lang}", RDFS.label, facts, label_lang, ontology, terms))
    special = {RDFS.label, DCTERMS.source, PIC.confidence, RDF.type}
    ordered = sorted(
        (p for p in derived if p not in special and p not in omit),
        key=lambda p: ({"required": 0, "recommended": 1}.get(derived[p].required, 2), derived[p].order, str(p)),
    )
    for predicate in ordered:
        facts = derived[predicate]
        lang = next(iter(facts.langs)) if len(facts.langs) == 1 else None
        key = f"{compact_iri(predicate, any_local=True)}@{lang}" if lang else compact_iri(predicate, any_local=True)
        columns.append(_column(key, predicate, facts, lang, ontology, terms))
    for extra in entry.get("also", []):
        columns.append(_extra_column(extra, shapes, ontology, terms))
    prose = set(entry.get("prose", []))
    columns = [replace(c, prose=True) if c.key in prose else c for c in columns]
    for french, english in entry.get("english", {}).items():
        at = next((i for i, c in enumerate(columns) if c.key == french), None)
        if at is None:
            raise InputError(
                f"{MAPPING_FILE.name}: sheet {entry['key']!r} gives an English column to {french!r}, "
                "a column it does not have; name one of its French text columns"
            )
        column = replace(
            _extra_column(english, shapes, ontology, terms),
            prose=columns[at].prose,
            translates=french,
            required="recommended" if english in entry.get("english_recommended", []) else "optional",
        )
        columns.insert(at + 1, column)
    if DCTERMS.source in derived:
        required = derived[DCTERMS.source].required
        source = Column("dcterms:source", "ref", DCTERMS.source, classes=(PIC.Source,), required=required)
        columns.append(_worded(source, terms))
    if PIC.confidence in derived:
        facts = derived[PIC.confidence]
        column = _column("pic:confidence", PIC.confidence, facts, None, ontology, terms)
        scheme = URIRef("https://w3id.org/pickg/vocab/confidence")
        columns.append(replace(column, kind="concept", datatype=None, classes=(), scheme=scheme, single=True))
    missing = [part for part in entry["slug"] if part != "label" and part not in {c.key for c in columns}]
    if missing:
        raise InputError(
            f"{MAPPING_FILE.name}: sheet {entry['key']!r} makes the identifiers of new rows from the column "
            f"{missing[0]!r}, which the shapes give it no longer; name one of its columns in its slug"
        )
    return SheetLayout(
        key=entry["key"],
        names={"fr": entry["fr"], "en": entry["en"]},
        classes=classes,
        namespace=entry["namespace"],
        file=entry["file"],
        slug=tuple(entry["slug"]),
        slug_prefix=entry.get("prefix", ""),
        columns=tuple(columns),
    )


#: Layouts built in this process, by the digest of what they are built from (a few at most).
_LAYOUTS: dict[str, Layout] = {}


def load_layout(workspace: Workspace | None = None, mapping: Path = MAPPING_FILE) -> Layout:
    """The workbook's layout: ``mapping.toml`` read, the columns derived from the shapes.

    Kept for the process under the digest of the bytes it is built from (the mapping,
    the shapes, the ontology and vocabularies): a process that exports or imports several
    workbooks (the Python API, a notebook, the test suite) builds it once. Building it
    takes 0.14 s of CPU on the shipped ontology, reading the digest about 1 ms
    (``bench/RESULTS.md``, "Stewards' workbook"). A file that changes changes the
    digest, so a layout is never older than its sources; a copy of the workspace
    elsewhere, with the same bytes, has the same layout. The layout and its ontology
    graph are read, never changed, by their users.

    :raises InputError: the mapping names an unknown prefix, or a slug names a column its sheet has not.
    :raises PickgError: the shapes or the ontology cannot be read.
    """
    ws = workspace or Workspace.discover()
    digest = hashlib.sha256()
    for path in [mapping, *ws.shape_files(), *ws.ontology_files(), *ws.vocabulary_files()]:
        digest.update(path.name.encode("utf-8", "surrogateescape") + b"\0")  # not the folder: a copy is the same
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0unreadable")  # the build below says what is wrong
        digest.update(b"\0")
    key = digest.hexdigest()
    if key not in _LAYOUTS:
        if len(_LAYOUTS) >= 4:
            _LAYOUTS.pop(next(iter(_LAYOUTS)))
        _LAYOUTS[key] = _build_layout(ws, mapping)
    return _LAYOUTS[key]


def _build_layout(ws: Workspace, mapping: Path) -> Layout:
    entries = tomllib.loads(mapping.read_text(encoding="utf-8"))
    shapes = load_shapes(ws)
    ontology = load([], include_ontology=True, workspace=ws)
    terms = entries.get("terms", {})
    sheets = tuple(_sheet(entry, shapes, ontology, terms) for entry in entries["sheet"])
    points = tuple(Point(**entry) for entry in entries.get("point", []))
    return Layout(sheets=sheets, ontology=ontology, terms=terms, points=points)
