"""The worked notebook of docs/ runs from top to bottom, fast, and is kept without outputs (issue 30)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "analysis.ipynb"


def test_the_notebook_is_kept_without_outputs() -> None:
    import nbformat  # here, not at collection: 0.1 s of import in every worker

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and cell.execution_count is None for cell in code)


@pytest.mark.system
def test_the_notebook_runs_in_under_30_seconds_and_draws_its_chart() -> None:
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    started = time.perf_counter()
    NotebookClient(
        notebook, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    ).execute()
    elapsed = time.perf_counter() - started
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the chart of question 3"
    assert any("17 Phase-1 neighbourhoods" in o.get("text", "") for o in outputs)
    assert elapsed < 30, f"the notebook took {elapsed:.1f} s"
