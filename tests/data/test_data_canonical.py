"""The data is under test: every Turtle file equals its canonical form (`make fmt`)."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from pickg.graph.canonical import canonical_turtle
from pickg.graph.rdfio import parse_file
from pickg.graph.workspace import Workspace

WORKSPACE = Workspace.discover()
FILES = WORKSPACE.turtle_files()


@pytest.mark.parametrize("path", FILES, ids=[WORKSPACE.relative(p) for p in FILES])
def test_file_is_canonical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = canonical_turtle(parse_file(path))
    if text != expected:
        name = WORKSPACE.relative(path)
        diff = "".join(
            difflib.unified_diff(
                text.splitlines(keepends=True),
                expected.splitlines(keepends=True),
                fromfile=f"{name} (as written)",
                tofile=f"{name} (canonical)",
            )
        )
        pytest.fail(f"{name} is not in canonical form; run `make fmt`.\n{diff}", pytrace=False)
