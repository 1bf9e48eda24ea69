"""Fixtures shared by the tests of the stewards' workbook."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pickg.sheets import export_workbook


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
