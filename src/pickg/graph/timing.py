"""How long each step of a long command took: :class:`Steps` records, the CLI renders.

>>> steps = Steps()
>>> with steps("load"):
...     pass
>>> [name for name, _ in steps.times]
['load']
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["Steps"]


class Steps:
    """Step name → seconds, in the order the steps ended (a step may be timed twice: the times add up)."""

    def __init__(self) -> None:
        self._times: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        """Time the ``with`` block as step ``name``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self._times[name] = self._times.get(name, 0.0) + time.perf_counter() - start

    def merge(self, other: Steps) -> None:
        """Add the steps of ``other`` (timed in another process, say) to these."""
        for name, seconds in other.times:
            self._times[name] = self._times.get(name, 0.0) + seconds

    @property
    def times(self) -> list[tuple[str, float]]:
        """(step, seconds) pairs."""
        return list(self._times.items())
