"""The compiled shapes are cached by the shape files' bytes, and the cache changes no result."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pickg.graph.workspace import Workspace
from pickg.validation import compiled as module
from pickg.validation.compiled import compiled_shapes
from pickg.validation.compiler import compile_shapes
from pickg.validation.validate import load_shapes


def _copy(tmp_path: Path, workspace: Workspace) -> Workspace:
    shutil.copytree(workspace.ontology_dir, tmp_path / "ontology")
    return Workspace(tmp_path)


def _checks(compiled: object) -> list[tuple[str, ...]]:
    return sorted(
        (
            c.shape.n3(),
            c.path.n3() if c.path is not None else "",
            c.severity.n3(),
            c.component.n3(),
            c.query,
            *sorted(m.n3() for m in c.messages),
        )
        for c in compiled.checks  # type: ignore[attr-defined]
    )


def test_the_cached_checks_are_the_compiled_checks(
    tmp_path: Path, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _copy(tmp_path, workspace)
    monkeypatch.setenv("PICKG_CACHE_DIR", str(tmp_path / "cache"))
    shapes, made = compiled_shapes(ws)
    assert shapes is not None and not made.unsupported
    again_shapes, again = compiled_shapes(ws)
    assert again_shapes is None  # read back: no shape file parsed
    # blank node shapes keep their labels, so the checks are the same text
    assert _checks(again) == _checks(made)
    # and the same checks as compiling the shapes afresh, up to blank node labels
    fresh = compile_shapes(load_shapes(ws))
    assert sorted(c.query for c in again.checks if "_:" not in c.query) == sorted(
        c.query for c in fresh.checks if "_:" not in c.query
    )
    assert len(again.checks) == len(fresh.checks)


def test_another_shape_file_is_another_entry(
    tmp_path: Path, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _copy(tmp_path, workspace)
    monkeypatch.setenv("PICKG_CACHE_DIR", str(tmp_path / "cache"))
    compiled_shapes(ws)
    shape_file = ws.shape_files()[0]
    shape_file.write_text(shape_file.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    shapes, _ = compiled_shapes(ws)
    assert shapes is not None  # compiled again
    assert len(list((tmp_path / "cache" / "compiled-shapes").iterdir())) == 2


def test_a_damaged_entry_is_rebuilt_and_off_turns_the_cache_off(
    tmp_path: Path, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _copy(tmp_path, workspace)
    monkeypatch.setenv("PICKG_CACHE_DIR", str(tmp_path / "cache"))
    _, made = compiled_shapes(ws)
    (entry,) = (tmp_path / "cache" / "compiled-shapes").iterdir()
    entry.write_bytes(entry.read_bytes()[:-20])
    shapes, again = compiled_shapes(ws)
    assert shapes is not None and _checks(again) != [] and len(again.checks) == len(made.checks)
    assert compiled_shapes(ws)[0] is None  # rewritten whole
    monkeypatch.setenv("PICKG_CACHE_DIR", "off")
    monkeypatch.setattr(module, "_decode", lambda text: pytest.fail("the cache was read although off"))
    assert compiled_shapes(ws)[0] is not None
