"""SHACL shapes compiled to SPARQL: one query per constraint, for the fast engine.

pySHACL checks a shape one focus node at a time, in Python: 70 s for a million
triples. Here each constraint of each shape becomes *one* SPARQL query over all its
focus nodes at once, which Oxigraph answers in milliseconds, so validation of a
million triples takes seconds. The results are those of pySHACL: the same
(focus node, path, source shape, severity, constraint component) for every
constraint component the project's shapes use. Tests compare both engines on the
shipped data and on synthetic data with injected faults.

Supported: targets ``sh:targetClass`` (SHACL instances, through
``rdfs:subClassOf*``), ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``,
``sh:targetNode``; predicate, inverse, sequence, alternative and ``*``/``+``/``?``
paths; ``sh:class``, ``sh:datatype``, ``sh:nodeKind``, ``sh:pattern``, ``sh:in``,
``sh:languageIn``, ``sh:min/maxInclusive``, ``sh:min/maxExclusive``,
``sh:hasValue``, ``sh:minCount``, ``sh:maxCount``, ``sh:uniqueLang``,
``sh:qualifiedValueShape`` with ``sh:qualifiedMin/MaxCount``, ``sh:node``,
``sh:or``, ``sh:and``, ``sh:not`` and SPARQL-based constraints (``sh:sparql`` with
``sh:select`` and ``sh:prefixes``). A shape that uses anything else raises
:class:`Unsupported` when compiled; :func:`compile_shapes` sets it aside, and the
caller checks it with pySHACL (see :mod:`pickg.validation.validate`).

The queries are generated from the shapes graph: every term in them is written by
rdflib's ``n3()``; no user text enters them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from pickg.graph.namespaces import RDF, SH, XSD
from pickg.graph.sparqltext import flatten_groups, not_exists_to_minus
from pickg.graph.sparqltokens import tokens, variable_names

__all__ = ["Check", "Compiled", "Result", "Unsupported", "compile_shapes"]

RDFS_SUBCLASS = URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf")


class Unsupported(Exception):
    """A shape uses a SHACL feature this compiler does not translate."""


@dataclass(frozen=True)
class Result:
    """One validation result, as pySHACL reports it."""

    focus: Node
    path: Node | None
    shape: Node
    severity: Node
    component: Node
    value: Node | None = None
    messages: tuple[Literal, ...] = ()

    def key(self) -> tuple[Node, Node | None, Node, Node]:
        """(focus, path, source shape, severity): what identifies a result across engines."""
        return (self.focus, self.path, self.shape, self.severity)


@dataclass
class Check:
    """One compiled query and how to read its rows into results."""

    shape: Node
    path: Node | None
    severity: Node
    component: Node
    query: str
    messages: tuple[Literal, ...]


@dataclass
class Compiled:
    """The compiled checks, and the shapes left for pySHACL."""

    checks: list[Check] = field(default_factory=list)
    unsupported: dict[Node, str] = field(default_factory=dict)


# --- terms and paths -------------------------------------------------------------------

_HANDLED = {
    SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.path, SH.severity, SH.message,
    SH.name, SH.description, SH.order, SH.group, SH.defaultValue, SH.property, SH.sparql, SH.deactivated,
    SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH.flags, SH["in"], SH.languageIn, SH.minInclusive,
    SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.hasValue, SH.minCount, SH.maxCount, SH.uniqueLang,
    SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.node, SH["or"], SH["and"], SH["not"],
}  # fmt: skip


def _list(shapes: Graph, head: Node) -> list[Node]:
    return list(Collection(shapes, head))


def _path(shapes: Graph, node: Node | None) -> str:
    """The SPARQL property path for a SHACL path node (None: a property shape without one)."""
    if node is None:
        raise Unsupported("a property shape without sh:path")
    if isinstance(node, URIRef):
        return node.n3()
    if (node, RDF.first, None) in shapes:
        return "(" + "/".join(_path(shapes, item) for item in _list(shapes, node)) + ")"
    for predicate, template in (
        (SH.inversePath, "^({})"),
        (SH.zeroOrMorePath, "({})*"),
        (SH.oneOrMorePath, "({})+"),
        (SH.zeroOrOnePath, "({})?"),
    ):
        inner = shapes.value(node, predicate)
        if inner is not None:
            return template.format(_path(shapes, inner))
    alternatives = shapes.value(node, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path(shapes, item) for item in _list(shapes, alternatives)) + ")"
    raise Unsupported(f"path {node!r}")


_LEXICAL: dict[Node, str] = {
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.decimal: r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    XSD.boolean: r"^(true|false|1|0)$",
    XSD.date: r"^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.gYear: r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.gYearMonth: r"^-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
_NODE_KINDS: dict[Node, str] = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isIRI({v}) || isBlank({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
_COMPARISONS: dict[Node, str] = {
    SH.minInclusive: ">=",
    SH.maxInclusive: "<=",
    SH.minExclusive: ">",
    SH.maxExclusive: "<",
}


def _count(value: Node) -> int:
    """A cardinality (``sh:minCount`` and the like) as a number; Unsupported when it is not a whole number."""
    if isinstance(value, Literal):
        try:
            return int(value)
        except ValueError:
            pass
    raise Unsupported(f"cardinality {value!r}")


def _string(text: str) -> str:
    return Literal(text).n3()


# --- conditions on one value node -------------------------------------------------------


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.counter = 0

    def fresh(self) -> str:
        self.counter += 1
        return f"?_v{self.counter}"

    def value_condition(self, shape: Node, component: Node, v: str) -> str:
        """A SPARQL expression true when node ``v`` satisfies ``component`` of ``shape``."""
        g = self.shapes
        values = list(g.objects(shape, component))
        parts: list[str] = []
        for value in values:
            if component == SH["class"]:
                parts.append(f"EXISTS {{ {v} {RDF.type.n3()}/{RDFS_SUBCLASS.n3()}* {value.n3()} }}")
            elif component == SH.datatype:
                if value == RDF.langString:
                    parts.append(f'(isLiteral({v}) && lang({v}) != "")')
                    continue
                test = f'(isLiteral({v}) && lang({v}) = "" && datatype({v}) = {value.n3()}'
                if value in _LEXICAL:
                    test += f" && REGEX(STR({v}), {_string(_LEXICAL[value])})"
                parts.append(test + ")")
            elif component == SH.nodeKind:
                if value not in _NODE_KINDS:
                    raise Unsupported(f"sh:nodeKind {value}")
                parts.append(_NODE_KINDS[value].format(v=v))
            elif component == SH.pattern:
                flags = g.value(shape, SH.flags)
                extra = f", {_string(str(flags))}" if flags is not None else ""
                parts.append(f"(!isBlank({v}) && REGEX(STR({v}), {_string(str(value))}{extra}))")
            elif component == SH["in"]:
                members = _list(g, value)
                parts.append("(" + (" || ".join(f"sameTerm({v}, {m.n3()})" for m in members) or "false") + ")")
            elif component == SH.languageIn:
                tags = _list(g, value)
                tests = " || ".join(f"langMatches(lang({v}), {_string(str(t))})" for t in tags) or "false"
                parts.append(f"(isLiteral({v}) && ({tests}))")
            elif component in _COMPARISONS:
                parts.append(f"COALESCE({v} {_COMPARISONS[component]} {value.n3()}, false)")
            elif component == SH.node:
                parts.append(self.conforms(value, v))
            elif component == SH["or"]:
                parts.append("(" + (" || ".join(self.conforms(s, v) for s in _list(g, value)) or "false") + ")")
            elif component == SH["and"]:
                parts.append("(" + (" && ".join(self.conforms(s, v) for s in _list(g, value)) or "true") + ")")
            elif component == SH["not"]:
                parts.append(f"!({self.conforms(value, v)})")
            elif component == SH.hasValue:
                parts.append(f"sameTerm({v}, {value.n3()})")
            else:
                raise Unsupported(f"component {component}")
        return " && ".join(parts) if parts else "true"

    def conforms(self, shape: Node, v: str) -> str:
        """A SPARQL expression true when node ``v`` conforms to ``shape`` (a nested shape)."""
        g = self.shapes
        if (shape, SH.deactivated, Literal(True)) in g:
            return "true"
        predicates = set(g.predicates(shape)) - {RDF.type}
        extra = {p for p in predicates - _HANDLED if str(p).startswith(str(SH))}
        if extra:
            raise Unsupported(f"nested shape {shape} uses {sorted(map(str, extra))}")
        if predicates & {SH.sparql, SH.uniqueLang, SH.qualifiedValueShape}:
            raise Unsupported(f"nested shape {shape} uses a SPARQL, uniqueLang or qualified constraint")
        path = g.value(shape, SH.path)
        tests: list[str] = []
        if path is None:
            for component in sorted(predicates & (_VALUE_COMPONENTS | {SH.hasValue}), key=str):
                tests.append(self.value_condition(shape, component, v))
        else:
            tests.extend(self._property_condition(shape, _path(g, path), v))
        for child in g.objects(shape, SH.property):
            tests.extend(self._property_condition(child, _path(g, g.value(child, SH.path)), v))
        return "(" + (" && ".join(tests) or "true") + ")"

    def _property_condition(self, shape: Node, path: str, v: str) -> list[str]:
        g = self.shapes
        tests: list[str] = []
        y = self.fresh()
        for component in sorted(set(g.predicates(shape)) & _VALUE_COMPONENTS - {SH.hasValue}, key=str):
            tests.append(f"NOT EXISTS {{ {v} {path} {y} FILTER (!({self.value_condition(shape, component, y)})) }}")
        for value in g.objects(shape, SH.hasValue):
            tests.append(f"EXISTS {{ {v} {path} {y} FILTER sameTerm({y}, {value.n3()}) }}")
        low = g.value(shape, SH.minCount)
        if low is not None and _count(low) > 0:
            if _count(low) != 1:
                raise Unsupported("nested sh:minCount above 1")
            tests.append(f"EXISTS {{ {v} {path} {y} }}")
        high = g.value(shape, SH.maxCount)
        if high is not None:
            z = self.fresh()
            if _count(high) == 0:
                tests.append(f"NOT EXISTS {{ {v} {path} {y} }}")
            elif _count(high) == 1:
                tests.append(f"NOT EXISTS {{ {v} {path} {y}, {z} FILTER (!sameTerm({y}, {z})) }}")
            else:
                raise Unsupported("nested sh:maxCount above 1")
        return tests


_VALUE_COMPONENTS = {
    SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH["in"], SH.languageIn, SH.minInclusive, SH.maxInclusive,
    SH.minExclusive, SH.maxExclusive, SH.node, SH["or"], SH["and"], SH["not"],
}  # fmt: skip

_COMPONENT_IRI: dict[Node, URIRef] = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
    SH.qualifiedMinCount: SH.QualifiedMinCountConstraintComponent,
    SH.qualifiedMaxCount: SH.QualifiedMaxCountConstraintComponent,
    SH.sparql: SH.SPARQLConstraintComponent,
}


# --- top-level shapes -------------------------------------------------------------------


def _targets(shapes: Graph, shape: Node) -> list[str]:
    """Graph patterns binding ``?this`` to the shape's own targets."""
    patterns = [
        f"{{ ?this {RDF.type.n3()}/{RDFS_SUBCLASS.n3()}* {c.n3()} }}" for c in shapes.objects(shape, SH.targetClass)
    ]
    patterns += [f"{{ ?this {p.n3()} ?_any }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    patterns += [f"{{ ?_any {p.n3()} ?this }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
    patterns += [f"{{ VALUES ?this {{ {n.n3()} }} }}" for n in shapes.objects(shape, SH.targetNode)]
    if (shape, RDF.type, URIRef("http://www.w3.org/2000/01/rdf-schema#Class")) in shapes:
        patterns.append(f"{{ ?this {RDF.type.n3()}/{RDFS_SUBCLASS.n3()}* {shape.n3()} }}")
    return patterns


def _focus(patterns: list[str]) -> str:
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(patterns) + " } }"


#: A prefix name as SPARQL's PN_PREFIX allows it (ASCII letters, digits, '_', '-', '.').
_PREFIX_NAME = re.compile(r"[A-Za-z](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def _prefixes(shapes: Graph, constraint: Node) -> str:
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if not _PREFIX_NAME.fullmatch(str(prefix or "")) or namespace is None:
                raise ValueError(f"sh:declare of {constraint} has no usable sh:prefix/sh:namespace ({prefix!r})")
            lines.append(f"PREFIX {prefix}: {URIRef(str(namespace)).n3()}")  # n3() refuses a bad IRI
    return "\n".join(sorted(set(lines)))


#: The variables SHACL-SPARQL pre-binds (``$this`` …), written ``?this`` in the compiled query.
_PREBOUND = frozenset({"this", "value", "path", "PATH", "currentShape", "shapesGraph"})


def _prebound_as_variables(select: str) -> str:
    """``select`` with ``$this`` (and the other pre-bound variables) written ``?this``;
    the same name in a string, an IRI or a comment is left as written."""
    out, at = [], 0
    for token in tokens(select):
        if token.kind == "var" and token.text[0] == "$" and token.name in _PREBOUND:
            out += [select[at : token.start], "?", token.name]
            at = token.end
    return "".join(out) + select[at:]


def _compile_shape(compiler: _Compiler, shape: Node, focus: str, out: Compiled) -> None:
    g = compiler.shapes
    severity = g.value(shape, SH.severity) or SH.Violation
    messages = tuple(sorted((m for m in g.objects(shape, SH.message) if isinstance(m, Literal)), key=str))
    predicates = set(g.predicates(shape)) - {RDF.type}
    extra = {p for p in predicates - _HANDLED if str(p).startswith(str(SH))}
    if extra:
        raise Unsupported(f"{shape} uses {sorted(map(str, extra))}")
    path_node = g.value(shape, SH.path)
    path = _path(g, path_node) if path_node is not None else None
    checks: list[Check] = []

    def add(component: Node, query: str, msgs: tuple[Literal, ...] = messages) -> None:
        checks.append(Check(shape, path_node, severity, _COMPONENT_IRI[component], query, msgs))

    value_components = sorted(predicates & _VALUE_COMPONENTS, key=str)
    for component in value_components:
        if path is None:
            condition = compiler.value_condition(shape, component, "?this")
            add(component, f"SELECT DISTINCT ?this (?this AS ?value) WHERE {{ {focus} FILTER (!({condition})) }}")
        else:
            condition = compiler.value_condition(shape, component, "?value")
            add(
                component,
                f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value . FILTER (!({condition})) }}",
            )
    for value in g.objects(shape, SH.hasValue):
        if path is None:
            add(SH.hasValue, f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER (!sameTerm(?this, {value.n3()})) }}")
        else:
            add(
                SH.hasValue,
                f"SELECT DISTINCT ?this WHERE {{ {focus} "
                f"FILTER NOT EXISTS {{ ?this {path} ?_x FILTER sameTerm(?_x, {value.n3()}) }} }}",
            )
    if path is not None:
        for component, op in ((SH.minCount, "<"), (SH.maxCount, ">")):
            for bound in g.objects(shape, component):
                if component == SH.minCount and _count(bound) == 0:
                    continue
                add(
                    component,
                    f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?value }} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {op} {_count(bound)})",
                )
        if (shape, SH.uniqueLang, Literal(True)) in g:
            add(
                SH.uniqueLang,
                f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {path} ?_a, ?_b . "
                'FILTER (!sameTerm(?_a, ?_b) && isLiteral(?_a) && isLiteral(?_b) && lang(?_a) != "" '
                "&& LCASE(lang(?_a)) = LCASE(lang(?_b))) }",
            )
        qualified = g.value(shape, SH.qualifiedValueShape)
        if qualified is not None:
            if (shape, SH.qualifiedValueShapesDisjoint, Literal(True)) in g:
                raise Unsupported("sh:qualifiedValueShapesDisjoint")
            condition = compiler.conforms(qualified, "?value")
            for component, op in ((SH.qualifiedMinCount, "<"), (SH.qualifiedMaxCount, ">")):
                for bound in g.objects(shape, component):
                    add(
                        component,
                        f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?value FILTER ({condition}) }} }} "
                        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {op} {_count(bound)})",
                    )
    for constraint in g.objects(shape, SH.sparql):
        if (constraint, SH.deactivated, Literal(True)) in g:
            continue
        select = g.value(constraint, SH.select)
        if select is None:
            raise Unsupported(f"{shape}: SPARQL constraint without sh:select")
        text = not_exists_to_minus(flatten_groups(_prebound_as_variables(str(select))))
        if {"currentShape", "shapesGraph"} & set(variable_names(text)):
            raise Unsupported(f"{shape}: SPARQL constraint uses $currentShape or $shapesGraph")
        own = tuple(sorted((m for m in g.objects(constraint, SH.message) if isinstance(m, Literal)), key=str))
        add(SH.sparql, f"{_prefixes(g, constraint)}\nSELECT * WHERE {{ {focus} {{ {text} }} }}", own or messages)
    out.checks.extend(checks)


def compile_shapes(shapes: Graph) -> Compiled:
    """Compile every shape that has targets (its own, or a parent node shape's).

    Property shapes reached through ``sh:property`` get the focus nodes of every node
    shape that points at them, plus their own targets.
    """
    compiler = _Compiler(shapes)
    out = Compiled()
    shape_nodes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    shape_nodes |= set(shapes.subjects(SH.path, None)) | set(shapes.subjects(SH.property, None))
    for predicate in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode):
        shape_nodes |= set(shapes.subjects(predicate, None))
    for shape in sorted(shape_nodes, key=lambda n: n.n3()):
        if (shape, SH.deactivated, Literal(True)) in shapes:
            continue
        patterns = _targets(shapes, shape)
        for parent in shapes.subjects(SH.property, shape):
            if (parent, SH.deactivated, Literal(True)) in shapes:
                continue
            patterns += _targets(shapes, parent)
        if not patterns:
            continue
        try:
            _compile_shape(compiler, shape, _focus(sorted(set(patterns))), out)
        except Unsupported as reason:
            out.unsupported[shape] = str(reason)
    return out
