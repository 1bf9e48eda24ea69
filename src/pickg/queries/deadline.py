"""A local query bounded in time: run in a forked child, killed at its deadline.

Neither rdflib's SPARQL engine nor pyoxigraph's can be told to stop a query that is
already running, and a query on a few thousand triples can still run for minutes
when a parameter makes the engine choose a bad join order. :func:`within` runs the
call in a forked child process, reads its pickled answer through a pipe, and kills
the child when the deadline passes: the engine stops however deep it is, and the
error says which query ran out of time and what to do.

A long call made of many queries (``pickg validate``: every data check, every compiled
shape) passes ``steps=True`` and says, in the child, when each of them starts
(:func:`step`): each step then has the whole deadline to itself, and the error names
the step that ran out of time. Time before the first step (reading the files) and
after :func:`step` with None is not bounded; the size limit on inputs bounds it.

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

__all__ = ["DEFAULT_QUERY_TIMEOUT", "step", "within"]

#: Seconds a local query may run before it is stopped, unless ``--timeout`` says otherwise.
DEFAULT_QUERY_TIMEOUT = 30.0

R = TypeVar("R")

#: In a child of :func:`within` with ``steps=True``: the pipe :func:`step` writes to.
_steps: int | None = None


def step(name: str | None) -> None:
    """Say that the step ``name`` (``the data check 'x'``) starts now; None: what follows
    is not bounded. Does nothing outside a call of :func:`within` with ``steps=True``."""
    if _steps is None:
        return
    line = ("" if name is None else " ".join(name.split())[:400]) + "\n"
    os.write(_steps, line.encode("utf-8"))  # shorter than PIPE_BUF: written at once


def _child(write: int, call: Callable[..., Any], args: tuple[Any, ...], steps: int | None) -> None:
    global _steps
    _steps = steps
    try:
        try:
            outcome: tuple[str, Any] = ("ok", call(*args))
        except PickgError as error:
            outcome = ("error", (type(error).__name__, str(error), error.exit_code))
        except BaseException as error:  # sent to the parent, raised there
            outcome = ("bug", repr(error))
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(write, view) :]
    finally:
        os._exit(0)


def within(
    seconds: float,
    what: str,
    call: Callable[..., R],
    *args: Any,
    steps: bool = False,
    hint: str = "raise --timeout, or give parameters that match the data",
) -> R:
    """``call(*args)``, stopped after ``seconds``.

    :param what: what runs, for the message (``query 'neighbourhoods-by-theme'``).
    :param steps: bound each :func:`step` the call announces by ``seconds`` instead of
        the whole call, and name the step that ran out of time.
    :param hint: what to do, ending the message of a timeout.
    :raises QueryTimeoutError: the deadline passed; the child was killed.
    :raises PickgError: what the call raised in the child (same message, same exit code).
    """
    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        return call(*args)
    read, write = os.pipe()
    progress, announce = os.pipe() if steps else (None, None)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read)
        if progress is not None:
            os.close(progress)
        _child(write, call, args, announce)
    os.close(write)
    if announce is not None:
        os.close(announce)
    watched = [read] if progress is None else [read, progress]
    running: str | None = None if steps else what
    deadline = None if steps else time.monotonic() + seconds
    pending = b""
    chunks: list[bytes] = []
    try:
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise QueryTimeoutError(
                    f"{running} ran out of time: it did not finish within {seconds:g} seconds and was stopped; {hint}"
                )
            ready, _, _ = select.select(watched, [], [], left)
            if progress is not None and progress in ready:
                news = os.read(progress, 1 << 16)
                if not news:
                    watched.remove(progress)
                pending += news
                *lines, pending = pending.split(b"\n")
                if lines:
                    running = lines[-1].decode("utf-8", "replace") or None
                    deadline = None if running is None else time.monotonic() + seconds
            if read in ready:
                chunk = os.read(read, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.close(read)
        if progress is not None:
            os.close(progress)
        os.waitpid(pid, 0)
    if not chunks:
        raise PickgError(f"{what} stopped without an answer (the process running it died); run it again")
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "ok":
        result: R = value  # what the call returned, unpickled
        return result
    if kind == "error":
        _name, message, exit_code = value
        error = PickgError(message)
        error.exit_code = exit_code
        raise error
    raise RuntimeError(f"{what} failed: {value}")
