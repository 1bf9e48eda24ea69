"""The shapes themselves: every class covered, every constraint explained in French and
English, each file described, valid examples conform, and every reportable shape
caught by at least one invalid fixture with the exact shape, focus node, severity
and file.

Invalid fixtures live in ``tests/validation/shapes/invalid/<shape>--<case>.ttl``: the shape's
local name comes from the file name; a comment header gives the focus node, the
severity and, when one defect unavoidably breaks a second rule, ``# also:`` shapes.
They are validated together, on top of ``tests/validation/shapes/valid/world.ttl``, and each
must produce its expected result, in its own file, and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from pickg import load
from pickg.graph.cache import workspace_digest
from pickg.graph.namespaces import PIC, SH, SHAPES
from pickg.graph.rdfio import parse_file
from pickg.graph.workspace import Workspace
from pickg.validation.report import Report
from pickg.validation.validate import load_shapes, validate, validate_shapes
from tests.support.references import reference_key, reference_value

HERE = Path(__file__).resolve().parent / "shapes"
WORLD = HERE / "valid" / "world.ttl"
VALID = sorted((HERE / "valid").glob("*.ttl"))
INVALID = sorted((HERE / "invalid").glob("*.ttl"))
WORKSPACE = Workspace.discover()

#: Parameters whose presence makes a shape a constraint that can report something.
_CONSTRAINT_PARAMETERS = {
    SH[name]
    for name in (
        "class datatype nodeKind minCount maxCount minExclusive minInclusive maxExclusive maxInclusive "
        "minLength maxLength pattern languageIn uniqueLang equals disjoint lessThan lessThanOrEquals "
        "not and or xone node qualifiedValueShape hasValue in closed sparql"
    ).split()
}


def _pyshacl_verdict(name: str, inputs: list[Path], compute: Callable[[], Report]) -> tuple[bool, list[str]]:
    """Whether pySHACL's report holds no result at all, and its results in words: kept in
    the project's cache under a key of the workspace, ``inputs``, the libraries, pickg's
    code and this module (:mod:`tests.support.references`)."""

    def verdict() -> tuple[bool, list[str]]:
        report = compute()
        return report.conforms_strictly(), [
            f"{r.file}: {r.focus_node} [{r.source_name}] {r.value} — {r.message('en')}" for r in report.results
        ]

    key = reference_key(f"{name} workspace {workspace_digest(WORKSPACE)}", __file__, inputs, pickg=True)
    return reference_value(key, verdict)


def _header(path: Path) -> dict[str, str]:
    return dict(re.findall(r"^# (shape|focus|severity|also): (.*)$", path.read_text(encoding="utf-8"), re.M))


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(WORKSPACE)


@pytest.fixture(scope="module")
def combined() -> Report:
    """The world and every invalid fixture, validated once (shapes only, no data checks)."""
    return validate([WORLD, *INVALID], checks=False)


def _constraint_shapes(shapes: Graph) -> list:
    found = []
    for shape in (
        set(shapes.subjects(RDF.type, SH.NodeShape))
        | set(shapes.subjects(RDF.type, SH.PropertyShape))
        | set(shapes.subjects(SH.path, None))
    ):
        if any((shape, parameter, None) in shapes for parameter in _CONSTRAINT_PARAMETERS):
            found.append(shape)
    return found


def _reportable(shapes: Graph) -> set[URIRef]:
    """Named shapes that can appear as ``sh:sourceShape``: targeted, or a property of a targeted shape."""
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    targeted = {s for t in targets for s in shapes.subjects(t, None)}
    reportable = {s for s in targeted if isinstance(s, URIRef) and s in _constraint_shapes(shapes)}
    reportable |= {p for s in targeted for p in shapes.objects(s, SH.property) if isinstance(p, URIRef)}
    return reportable


# --- the shapes as written ---------------------------------------------------------------


def test_shapes_are_valid_shacl() -> None:
    """The shapes conform to the SHACL-for-SHACL shapes (pySHACL's meta-SHACL)."""
    conforms, results = _pyshacl_verdict("shapes against SHACL-for-SHACL", [], lambda: validate_shapes(WORKSPACE))
    assert conforms, "\n".join(results)


def test_every_class_of_the_ontology_has_its_node_shape(shapes: Graph) -> None:
    ontology = parse_file(WORKSPACE.ontology_dir / "pic.ttl")
    classes = sorted(c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef))
    assert len(classes) >= 38
    missing = [
        str(c) for c in classes if (SHAPES[f"{str(c).removeprefix(str(PIC))}Shape"], SH.targetClass, c) not in shapes
    ]
    assert not missing, "classes without a picsh:<Class>Shape targeting them:\n" + "\n".join(missing)


def test_every_constraint_has_a_severity_and_messages_in_french_and_english(shapes: Graph) -> None:
    problems = []
    for shape in _constraint_shapes(shapes):
        name = shape.n3(shapes.namespace_manager)
        if shapes.value(shape, SH.severity) not in (SH.Violation, SH.Warning, SH.Info):
            problems.append(f"{name}: no sh:severity")
        langs = {m.language for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)}
        if not {"fr", "en"} <= langs:
            problems.append(f"{name}: sh:message in {sorted(filter(None, langs))}, needs fr and en")
    assert not problems, "\n".join(problems)


def test_sparql_constraints_leave_their_messages_to_their_shape(shapes: Graph) -> None:
    """A rule's messages are on its node shape, which holds that one constraint and no other.

    Jena SHACL (4.5 to 5.x) refuses a ``sh:SPARQLConstraint`` with more than one
    ``sh:message`` ("More than one match"), so the French and English messages sit on
    the shape; SHACL gives a shape's messages to every result it produces, and a shape
    with one constraint gives them to that constraint's results only (docs/shacl-engines.md).
    """
    problems = []
    for shape in sorted(set(shapes.subjects(SH.sparql, None))):
        name = shape.n3(shapes.namespace_manager)
        constraints = list(shapes.objects(shape, SH.sparql))
        others = [
            p for p in (SH.property, SH.node, SH["and"], SH["or"], SH.xone, SH["not"]) if (shape, p, None) in shapes
        ]
        if len(constraints) != 1 or others:
            problems.append(
                f"{name}: {len(constraints)} sh:sparql and {len(others)} other constraints; a rule shape holds one"
            )
        problems += [
            f"{name}: its sh:SPARQLConstraint carries a sh:message"
            for c in constraints
            if (c, SH.message, None) in shapes
        ]
    assert not problems, "\n".join(problems)


def test_named_shapes_follow_the_naming_rule(shapes: Graph) -> None:
    """Node shapes of a class are ``<Class>Shape``; other named shapes ``<Class>-<what>``."""
    class_shape = r"[A-Z][A-Za-z]+Shape"
    class_aspect = r"[A-Z][A-Za-z]+-[a-z][A-Za-z]*(?:-[a-z][A-Za-z]*)?"
    helper = r"In[A-Za-z]+Scheme|[A-Za-z]+Condition|ConditionConcept"
    pattern = re.compile(rf"^(?:{class_shape}|{class_aspect}|{helper})$")
    names = {
        str(s).removeprefix(str(SHAPES))
        for s in _constraint_shapes(shapes) + list(shapes.subjects(SH.targetClass, None))
        if isinstance(s, URIRef)
    }
    bad = sorted(n for n in names if not pattern.match(n))
    assert not bad, bad


@pytest.mark.parametrize("path", WORKSPACE.shape_files(), ids=lambda p: p.name)
def test_each_shapes_file_opens_with_a_node_describing_it(path: Path) -> None:
    graph = parse_file(path)
    text = path.read_text(encoding="utf-8")
    first_subject = re.search(r"^(<[^>]+>|\S+:\S*)\s*$", text, re.M)
    head = URIRef(f"https://w3id.org/pickg/ontology/shapes/{path.name.removesuffix('.shapes.ttl')}")
    assert first_subject and first_subject.group(1) == f"<{head}>", f"{path.name} does not open with {head}"
    for prop in (RDFS.label, RDFS.comment):
        langs = {o.language for o in graph.objects(head, prop)}
        assert {"fr", "en"} <= langs, f"{path.name}: {prop} needs fr and en"
    declared = set(graph.objects(head, SHAPES.severity))
    assert declared, f"{path.name} does not say which severity its shapes have"
    used = {graph.value(s, SH.severity) for s in _constraint_shapes(graph) if isinstance(s, URIRef)}
    assert used and used <= declared, f"{path.name}: shapes of severity {used - declared} in a file declared {declared}"


def test_every_reportable_shape_has_an_invalid_fixture(shapes: Graph) -> None:
    covered = {path.name.split("--", 1)[0] for path in INVALID}
    reportable = {str(s).removeprefix(str(SHAPES)) for s in _reportable(shapes)}
    assert len(reportable) > 100
    untested, unknown = sorted(reportable - covered), sorted(covered - reportable)
    assert not untested, "shapes no invalid fixture exercises:\n" + "\n".join(untested)
    assert not unknown, "fixtures named after no reportable shape:\n" + "\n".join(unknown)


def test_there_are_enough_invalid_fixtures() -> None:
    assert len(INVALID) >= 25


# --- valid examples -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_example_conforms_without_any_result(path: Path) -> None:
    report = validate([path])
    assert report.conforms and not report.results, "\n".join(
        f"{r.focus_node} {r.source_name} {r.value}: {r.message('en')}" for r in report.results
    )


def test_valid_examples_still_conform_with_owl_rl_inference() -> None:
    """Entailed triples must not make valid data fail (RDFS: see the regression tests of test_validate)."""
    conforms, results = _pyshacl_verdict(
        "valid examples, owlrl", VALID, lambda: validate(VALID, inference="owlrl", checks=False)
    )
    assert conforms, results


def test_the_world_has_no_result_when_validated_with_every_fixture(combined: Report) -> None:
    """Fixtures use fresh IRIs: none of them may make the world itself fail."""
    world = WORKSPACE.relative(WORLD)
    assert [r for r in combined.results if r.file == world] == []
    assert all(r.file for r in combined.results), "a result names no file"


# --- invalid fixtures -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_fails_with_its_shape_focus_severity_and_file(path: Path, combined: Report) -> None:
    header = _header(path)
    shape = path.name.split("--", 1)[0]
    assert header.get("shape") == f"picsh:{shape}", f"{path.name}: header shape does not match the file name"
    expected_focus = URIRef(header["focus"])
    severity = header["severity"]
    file = WORKSPACE.relative(path)
    mine = [r for r in combined.results if r.file == file]
    matching = [
        r for r in mine if r.source == SHAPES[shape] and r.focus_node == expected_focus and r.severity == severity
    ]
    assert matching, f"{path.name}: expected {shape} on {expected_focus} ({severity}); got " + repr(
        [(str(r.focus_node), r.source_name, r.severity) for r in mine]
    )
    allowed = {f"picsh:{shape}", *header.get("also", "").split()}
    unexpected = {r.source_name for r in mine} - allowed
    assert not unexpected, f"{path.name} also breaks {sorted(unexpected)}"
    result = matching[0]
    assert result.messages.get("fr") and result.messages.get("en"), result.messages
    assert result.message("fr") != result.message("en")


def test_fixture_focus_nodes_are_never_blank(combined: Report) -> None:
    assert not [r for r in combined.results if isinstance(r.focus_node, BNode)]


@pytest.mark.parametrize("shape", ["Resource-label", "Fact-source", "Fact-confidence"])
def test_every_class_of_the_data_is_held_to_the_shapes_of_every_fact(shapes: Graph, shape: str) -> None:
    """A class left out of these shared target lists is never checked for a label, a
    source or a confidence: pic:Place was, until its two places were found unchecked."""
    data = load()
    targets = set(shapes.objects(SHAPES[shape], SH.targetClass))
    used = {c for c in data.objects(None, RDF.type) if isinstance(c, URIRef) and str(c).startswith(str(PIC))}
    exempt = {PIC.Source} if shape != "Resource-label" else set()
    unchecked = sorted(
        c for c in used - exempt if not any(s in targets for s in data.transitive_objects(c, RDFS.subClassOf))
    )
    assert unchecked == [], f"{shape} does not reach {unchecked}"
