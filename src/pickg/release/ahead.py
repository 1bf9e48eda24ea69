"""Work done ahead, in a forked child process, and kept only if the parent says so.

``pickg run`` has two independent halves of about the same length: validating and
showing the tables (the parent), and building the release (the child). On a machine
with two cores they run side by side. The child builds the release in memory, asks
its copy of the parent's store for the tables, and writes the files into a hidden
staging folder; then it waits for the parent's word. :meth:`Ahead.finish` (the data
conforms, all went well) lets it rename the release into place and returns what it
wrote; :meth:`Ahead.cancel`, or the parent's death, makes it remove the staging folder
and exit. So the release appears exactly when the serial order (validate, show, then
publish) would have written it.

The child is forked while the process runs a single thread (an in-memory Oxigraph
store starts none), never prints, and leaves with :func:`os._exit`, so it flushes none of the
parent's buffers and runs none of its exit handlers.

>>> ahead = Ahead.start(lambda steps: 6, lambda prepared, steps: prepared * 7)
>>> ahead.finish()
42
"""

from __future__ import annotations

import os
import pickle
import sys
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from pickg.graph.errors import PickgError
from pickg.graph.timing import Steps

__all__ = ["Ahead", "ChildError", "can_fork"]

P = TypeVar("P")  # what prepare returns
R = TypeVar("R")  # what commit returns

_GO, _STOP = b"1", b"0"


def can_fork() -> bool:
    """Whether this platform forks processes (Linux, the BSDs, macOS; not Windows)."""
    return hasattr(os, "fork")


class ChildError(PickgError):
    """An error the child met, raised again in the parent with the same message and exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def _outcome(call: Callable[..., Any], *args: Any) -> tuple[str, Any]:
    """``call(*args)`` as ("ok", value), ("error", (message, exit code)) or ("bug", traceback text)."""
    try:
        return "ok", call(*args)
    except PickgError as error:
        return "error", (error.message, error.exit_code)
    except BaseException:  # carried to the parent, which raises it
        return "bug", traceback.format_exc()


class Ahead(Generic[P, R]):
    """Work in a forked child, in two parts; the second only on the parent's word.

    * ``prepare(steps)`` runs in the child at once;
    * ``commit(prepared, steps)`` runs there on :meth:`finish` only; :meth:`cancel`
      (or the parent's death) ends the child instead, after ``discard(prepared)``
      when given.
    """

    def __init__(self, pid: int, go: int, back: int) -> None:
        self._pid, self._go, self._back = pid, go, back
        self._done = False
        #: The steps the child timed (filled by :meth:`finish`).
        self.steps = Steps()

    @classmethod
    def start(
        cls,
        prepare: Callable[[Steps], P],
        commit: Callable[[P, Steps], R],
        discard: Callable[[P], object] | None = None,
    ) -> Ahead[P, R]:
        """Fork; the child runs ``prepare``, then waits for the parent's word."""
        go_read, go_write = os.pipe()
        back_read, back_write = os.pipe()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover -- the child (its work is checked through the parent)
            os.close(go_write)
            os.close(back_read)
            status = 0
            try:
                steps = Steps()
                outcome = _child(go_read, prepare, commit, discard, steps)
                _write_all(back_write, pickle.dumps((outcome, steps)))
            except BaseException:  # nothing may escape the child
                status = 70
            finally:
                os._exit(status)
        os.close(go_read)
        os.close(back_write)
        return cls(pid, go_write, back_read)

    def _end(self, word: bytes) -> tuple[tuple[str, Any], Steps | None]:
        if self._done:
            raise RuntimeError("the work ahead was already finished or cancelled")
        self._done = True
        try:
            _write_all(self._go, word)
        except BrokenPipeError:
            pass  # the child died: read below what it left (nothing)
        finally:
            os.close(self._go)
        data = _read_all(self._back)
        os.close(self._back)
        _, status = os.waitpid(self._pid, 0)
        if not data:
            code = os.waitstatus_to_exitcode(status)
            return ("bug", f"the child process building ahead ended with status {code} and no result"), None
        outcome, steps = pickle.loads(data)  # our own child's bytes, through a private pipe
        return outcome, steps

    def finish(self, steps: Steps | None = None) -> R:
        """Let the child commit; its result, or its error raised here.

        The child's steps are in :attr:`steps` (and added to ``steps`` if given).

        :raises ChildError: the child met a :class:`PickgError` (same message, same exit code).
        :raises RuntimeError: the child failed otherwise (a bug: its traceback is the message).
        """
        (kind, value), child_steps = self._end(_GO)
        if child_steps is not None:
            self.steps.merge(child_steps)
        if steps is not None:
            steps.merge(self.steps)
        if kind == "ok":
            result: R = value  # what the child's function returned, unpickled
            return result
        if kind == "error":
            message, exit_code = value
            raise ChildError(message, exit_code)
        raise RuntimeError(f"building ahead failed in the child process:\n{value}")

    def cancel(self) -> None:
        """Tell the child to exit without committing; wait for it. Does nothing once finished."""
        if not self._done:
            self._end(_STOP)


def _child(
    go: int,
    prepare: Callable[[Steps], Any],
    commit: Callable[[Any, Steps], Any],
    discard: Callable[[Any], object] | None,
    steps: Steps,
) -> tuple[str, Any]:  # pragma: no cover -- runs in the child
    """The child's part: its outcome, ("cancelled", None) when the parent does not give its word."""
    state = _outcome(prepare, steps)
    if os.read(go, 1) != _GO:  # the word to stop, or the parent is gone
        if state[0] == "ok" and discard is not None:
            discard(state[1])
        return "cancelled", None
    if state[0] != "ok":
        return state
    return _outcome(commit, state[1], steps)
