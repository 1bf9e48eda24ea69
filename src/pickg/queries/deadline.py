"""A local query bounded in time: run in a forked child, killed at its deadline.

Neither rdflib's SPARQL engine nor pyoxigraph's can be told to stop a query that is
already running, and a query on a few thousand triples can still run for minutes
when a parameter makes the engine choose a bad join order. :func:`within` runs the
call in a forked child process, reads its pickled answer through a pipe, and kills
the child when the deadline passes: the engine stops however deep it is, and the
error says which query ran out of time and what to do.

The child is forked while the process runs a single thread (an rdflib graph or an
in-memory Oxigraph store starts none); it never prints and leaves with
:func:`os._exit`. Where processes cannot be forked (Windows) the call runs in-process,
unbounded.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from typing import Any, TypeVar

from pickg.graph.errors import PickgError, QueryTimeoutError

__all__ = ["DEFAULT_QUERY_TIMEOUT", "within"]

#: Seconds a local query may run before it is stopped, unless ``--timeout`` says otherwise.
DEFAULT_QUERY_TIMEOUT = 30.0

R = TypeVar("R")


def _child(write: int, call: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        try:
            outcome: tuple[str, Any] = ("ok", call(*args))
        except PickgError as error:
            outcome = ("error", (type(error).__name__, str(error), error.exit_code))
        except BaseException as error:  # noqa: BLE001 -- sent to the parent, raised there
            outcome = ("bug", repr(error))
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(write, view) :]
    finally:
        os._exit(0)


def within(seconds: float, what: str, call: Callable[..., R], *args: Any) -> R:
    """``call(*args)``, stopped after ``seconds``.

    :param what: what runs, for the message (``query 'neighbourhoods-by-theme'``).
    :raises QueryTimeoutError: the deadline passed; the child was killed.
    :raises PickgError: what the call raised in the child (same message, same exit code).
    """
    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        return call(*args)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read)
        _child(write, call, args)
    os.close(write)
    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise QueryTimeoutError(
                    f"{what} ran out of time: it did not finish within {seconds:g} seconds and was stopped; "
                    "raise --timeout, or give parameters that match the data"
                )
            ready, _, _ = select.select([read], [], [], left)
            if ready:
                chunk = os.read(read, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.close(read)
        os.waitpid(pid, 0)
    if not chunks:
        raise PickgError(f"{what} stopped without an answer (the process running it died); run it again")
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "ok":
        return value  # type: ignore[no-any-return]
    if kind == "error":
        _name, message, exit_code = value
        error = PickgError(message)
        error.exit_code = exit_code
        raise error
    raise RuntimeError(f"{what} failed: {value}")
