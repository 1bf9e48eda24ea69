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

#: The differential manifest's summary as a worker of pytest-xdist sent it to the
#: controller (in a run without workers, conftest.py reads the module's own).
MANIFEST: dict[str, Any] = {}


def worker_output(manifest: dict[str, Any] | None) -> dict[str, Any]:
    """What a pytest-xdist worker found, in the plain types the controller can receive."""
    plain = {key: sorted(value) if isinstance(value, set) else value for key, value in (manifest or {}).items()}
    return {"corpus": CORPUS, "shacl_peers": SHACL_PEERS, "manifest": plain}


def merge_worker_output(output: dict[str, Any]) -> None:
    """Add a worker's findings (:func:`worker_output`) to the controller's."""
    corpus = output["corpus"]
    for key in ("inputs", "runs", "tracebacks", "hangs", "wrong_exit", "unnamed"):
        CORPUS[key] += corpus[key]
    for family, count in corpus["families"].items():
        CORPUS["families"][family] = CORPUS["families"].get(family, 0) + count
    CORPUS["failures"] += corpus["failures"]
    SHACL_PEERS.update(output["shacl_peers"])
    if output["manifest"].get("cases"):
        MANIFEST.update(output["manifest"])
