"""The validation gate of a release, run beside the build.

Validation takes as long as building the files, so :class:`ValidationGate` runs
:func:`pickg.validate.validate` in a child process (started fresh, not forked, so
no lock or thread of the parent is copied into it) while the parent builds the
release in memory; the parent writes nothing until :meth:`ValidationGate.wait` has
returned. Where no child process can be started, the validation runs in the parent,
at :meth:`~ValidationGate.wait`.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection
from typing import Any

from pickg.errors import NonConformingError, PickgError
from pickg.workspace import Workspace

__all__ = ["ValidationGate", "check_conforms"]


def check_conforms(ws: Workspace) -> None:
    """Refuse data that does not conform to the shapes or fails a data check.

    :raises NonConformingError: with the number of violations and the first one.
    """
    from pickg.validate import validate  # the only module that runs SHACL

    report = validate(workspace=ws)
    if report.conforms:
        return
    violations = report.violations
    example = ""
    if violations:
        first = violations[0]
        where = f"{first.file}: " if first.file else ""
        example = f" (first: {where}{first.focus_label or first.focus_node}: {first.message('en').rstrip('.')})"
    raise NonConformingError(
        f"the data does not conform to the shapes: {len(violations)} violation(s){example}; "
        "nothing was published. Run `pickg validate` to see them all, fix the data and publish again"
    )


def _child(ws: Workspace, connection: Connection) -> None:
    """In the child: validate, send back ("ok", None) or (kind, exit code, message)."""
    outcome: tuple[Any, ...]
    try:
        check_conforms(ws)
        outcome = ("ok", None, "")
    except PickgError as error:
        outcome = ("error", error.exit_code, str(error))
    except BaseException as error:  # noqa: BLE001 -- reported to the parent, which raises
        outcome = ("crash", 2, f"{type(error).__name__}: {error}")
    try:
        connection.send(outcome)
    finally:
        connection.close()


class ValidationGate:
    """Validation of a workspace, started now and awaited later."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._passed = False
        self._process: Any = None
        self._connection: Connection | None = None
        context = multiprocessing.get_context("spawn")
        receiving, sending = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(ws, sending), daemon=True, name="pickg-validate")
        try:
            process.start()
        except OSError:  # no process can be started here: validate in this one, at wait()
            receiving.close()
            return
        finally:
            sending.close()
        self._process = process
        self._connection = receiving

    def check(self) -> None:
        """Raise now if the validation has already failed; never waits.

        Call it between steps of the build, so non-conforming data stops it early.
        """
        if self._connection is not None and self._connection.poll():
            self.wait()
            self._passed = True

    def wait(self) -> None:
        """Return when the data conforms; raise otherwise.

        :raises NonConformingError: the data does not conform (exit 1).
        :raises PickgError: validation could not run (the message says why).
        """
        if self._passed:
            return
        if self._connection is None:
            check_conforms(self.ws)
            self._passed = True
            return
        try:
            kind, exit_code, message = self._connection.recv()
        except EOFError:
            kind, exit_code, message = ("crash", 2, "the validation process stopped without an answer")
        finally:
            self.stop()
        if kind == "ok":
            self._passed = True
            return
        if exit_code == NonConformingError.exit_code:
            raise NonConformingError(message)
        error = PickgError(message if kind == "error" else f"validation failed: {message}")
        error.exit_code = exit_code
        raise error

    def stop(self) -> None:
        """End the child process (at once if it is still validating)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None
