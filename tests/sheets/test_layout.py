"""The workbook's layout is built once per process for the same sources, and again when they change."""

from __future__ import annotations

from pathlib import Path

from pickg.graph.workspace import Workspace
from pickg.sheets.layout import MAPPING_FILE, load_layout


def test_the_same_sources_give_the_same_layout_object(workspace: Workspace, workspace_copy: Workspace) -> None:
    first = load_layout(workspace)
    assert load_layout(workspace) is first
    assert load_layout(workspace_copy) is first  # a copy elsewhere with the same bytes


def test_a_changed_shape_or_mapping_builds_the_layout_again(workspace_copy: Workspace, tmp_path: Path) -> None:
    before = load_layout(workspace_copy)
    shapes = workspace_copy.shape_files()[0]
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    edited = load_layout(workspace_copy)
    assert edited is not before and edited.sheets == before.sheets

    # A mapping without its first sheet gives a layout without it.
    text = MAPPING_FILE.read_text(encoding="utf-8")
    first, rest = text.split("[[sheet]]", 2)[1:]
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(text.replace("[[sheet]]" + first, "", 1), encoding="utf-8")
    fewer = load_layout(workspace_copy, mapping)
    assert [s.key for s in fewer.sheets] == [s.key for s in edited.sheets][1:]
    assert rest
