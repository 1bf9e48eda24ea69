"""What some tests found, gathered during the run and printed at its end (``conftest.py``)."""

from __future__ import annotations

from typing import Any

#: The three SHACL engines' counts on the release and on the small copies.
SHACL_PEERS: dict[str, dict[str, int]] = {}

#: What the hostile corpus (tests/cli/test_hostile_corpus.py) tried and found.
CORPUS: dict[str, Any] = {
    "inputs": 0,
    "runs": 0,
    "tracebacks": 0,
    "hangs": 0,
    "wrong_exit": 0,
    "unnamed": 0,
    "families": {},
    "failures": [],
}
