"""Fixtures shared by the tests of the stewards' workbook."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pickg.graph.cache import CACHE_VARIABLE, cache_dir
from pickg.graph.workspace import Workspace
from pickg.sheets import export_workbook
from pickg.sheets.export import ExportSummary


@pytest.fixture(autouse=True)
def checkout_cache(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Scratch copies of the workspace (``workspace_copy``) keep their cache in the checkout's.

    The cache is content-addressed (its keys hold the shapes' bytes and pickg's code), so
    a copy reads the shapes the checkout compiled instead of compiling them again in a
    cache of its own: a third of a second of CPU for each import that validates.
    """
    folder = cache_dir(workspace)
    if folder is not None:
        monkeypatch.setenv(CACHE_VARIABLE, str(folder))


@pytest.fixture(scope="session")
def shipped_export(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The workbook of the shipped data in a language, exported once for the session.

    A workbook records the data's state by the files' names and bytes, so a scratch
    copy of the workspace (``workspace_copy``) takes it as its own export; the tests
    edit copies of it and never the file itself. An export costs about a second of CPU.
    """
    folder = tmp_path_factory.mktemp("shipped")
    made: dict[str, Path] = {}

    def export(lang: str) -> Path:
        if lang not in made:
            made[lang] = folder / f"pickg-{lang}.xlsx"
            export_workbook(made[lang], lang=lang)
        return made[lang]

    return export


@pytest.fixture(scope="session")
def shipped_csv(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], tuple[Path, ExportSummary]]:
    """The CSV form of the shipped data in a language (a folder), exported once for the
    session, and what the export said; as :func:`shipped_export`, tests read it or copy it."""
    folder = tmp_path_factory.mktemp("shipped-csv")
    made: dict[str, tuple[Path, ExportSummary]] = {}

    def export(lang: str) -> tuple[Path, ExportSummary]:
        if lang not in made:
            made[lang] = (folder / lang, export_workbook(folder / lang, lang=lang))
        return made[lang]

    return export
