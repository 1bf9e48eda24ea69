"""The fast engine is the default, and pySHACL stays its peer: the same report, to the line.

Both engines' reports are compared whole (their JSON: every result's focus node, shape,
path, value, severity, component, messages, file and line, plus the files and checks),
on the shipped data and on the whole invalid corpus of ``tests/validation/shapes/invalid/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pickg.graph.cache import workspace_digest
from pickg.graph.workspace import Workspace
from pickg.validation.report import Report, term_text
from pickg.validation.validate import chosen_engine, validate
from tests.support.references import reference_key, reference_value

SHAPES_DIR = Path(__file__).resolve().parent / "shapes"
WORLD = SHAPES_DIR / "valid" / "world.ttl"
INVALID = sorted((SHAPES_DIR / "invalid").glob("*.ttl"))
WORKSPACE = Workspace.discover()
#: The libraries that make pySHACL's report.


def _reference_lines(name: str, paths: list[Path] | None, checks: bool = True) -> list[str]:
    """pySHACL's report (:func:`_json_lines`) on the workspace's sources and ``paths``: the
    reference, kept in the project's cache under a key of every file of the workspace and
    of ``paths``, the libraries, pickg's code and this module (:mod:`tests.support.references`)."""
    name = f"pyshacl {name} checks={checks} workspace {workspace_digest(WORKSPACE)}"
    key = reference_key(name, __file__, paths or [], pickg=True)
    return reference_value(key, lambda: _json_lines(validate(paths, checks=checks, engine="pyshacl")))


def _json_lines(report: Report) -> list[str]:
    """The report as JSON, blank node labels (each engine's own) made equal."""
    return re.sub(r'"_:[A-Za-z0-9]+"', '"_:b"', report.to_json()).splitlines()


def _differences(fast: Report, theirs: list[str]) -> list[str]:
    ours = _json_lines(fast)
    if ours == theirs:
        return []
    import difflib

    return list(difflib.unified_diff(theirs, ours, "pyshacl", "fast", lineterm="", n=2))


def _misplaced(report: Report) -> list[str]:
    """Results in a file without a line, or whose line does not begin the statement
    about their focus node (a node no file describes, such as a misspelt term, has
    neither file nor line)."""
    problems = []
    for result in report.results:
        if result.file is None:
            continue
        if result.line is None:
            problems.append(f"no line: {result.file} {result.focus_node} {result.source_name}")
            continue
        text = (WORKSPACE.root / result.file).read_text(encoding="utf-8").splitlines()[result.line - 1]
        if not text.startswith((term_text(result.focus_node), f"<{result.focus_node}>")):
            problems.append(f"{result.place}: {text!r} does not begin with {term_text(result.focus_node)}")
    return problems


def test_the_default_engine_is_fast_at_every_size_and_pyshacl_runs_owl_rl() -> None:
    assert chosen_engine(None) == chosen_engine(None, "rdfs") == "fast"
    assert chosen_engine(None, "owlrl") == "pyshacl"
    assert chosen_engine("pyshacl") == "pyshacl"


def test_the_shipped_data_gives_the_same_report_with_each_warning_at_its_line() -> None:
    fast, reference = validate(), _reference_lines("shipped", None)
    assert fast.conforms and fast.warnings, "the shipped data is expected to conform, with warnings"
    assert not _differences(fast, reference), "\n".join(_differences(fast, reference))
    assert all(r.place and r.place.startswith("data/") and r.line for r in fast.results), fast.results
    assert not _misplaced(fast), "\n".join(_misplaced(fast))


@pytest.mark.parametrize("checks", [False, True], ids=["shapes", "shapes-and-checks"])
def test_the_invalid_corpus_gives_the_same_report_with_every_result_at_its_line(checks: bool) -> None:
    fast = validate([WORLD, *INVALID], checks=checks)
    reference = _reference_lines("invalid corpus", [WORLD, *INVALID], checks)
    assert len(fast.results) >= len(INVALID) and len(fast.violations) > 100
    assert sum(r.line is not None for r in fast.results) >= len(fast.results) - 4, "nearly every result has a line"
    assert not _differences(fast, reference), "\n".join(_differences(fast, reference))
    assert not _misplaced(fast), "\n".join(_misplaced(fast))
