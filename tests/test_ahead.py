"""Work done ahead in a forked child: kept only on the parent's word, errors carried back."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pickg.ahead import Ahead, ChildError, can_fork
from pickg.errors import InputError
from pickg.timing import Steps

pytestmark = pytest.mark.skipif(not can_fork(), reason="this platform does not fork")


def _write(path: Path) -> Ahead[str, str]:
    """Prepare a text in the child; commit writes it to ``path``."""

    def prepare(steps: Steps) -> str:
        with steps("prepare"):
            return f"written by {path.name}"

    def commit(text: str, steps: Steps) -> str:
        with steps("commit"):
            path.write_text(text, encoding="utf-8")
        return str(path)

    return Ahead.start(prepare, commit)


def test_finish_commits_in_the_child_and_returns_its_result(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    ahead = _write(target)
    steps = Steps()
    assert ahead.finish(steps) == str(target)
    assert target.read_text(encoding="utf-8") == "written by out.txt"
    assert [name for name, _ in steps.times] == ["prepare", "commit"]
    ahead.cancel()  # after finish: nothing left to do


def test_cancel_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    ahead = _write(target)
    time.sleep(0.2)  # the child has prepared and waits
    ahead.cancel()
    assert not target.exists()
    with pytest.raises(RuntimeError, match="already"):
        ahead.finish()


def test_an_error_of_the_child_is_raised_in_the_parent_with_its_message_and_exit_code(tmp_path: Path) -> None:
    def prepare(steps: Steps) -> None:
        raise InputError(f"{tmp_path} already exists; give --force")

    ahead: Ahead[None, None] = Ahead.start(prepare, lambda prepared, steps: None)
    with pytest.raises(ChildError) as raised:
        ahead.finish()
    assert raised.value.exit_code == InputError.exit_code
    assert str(raised.value) == f"{tmp_path} already exists; give --force."


def test_a_bug_in_the_child_comes_back_with_its_traceback() -> None:
    def commit(prepared: int, steps: Steps) -> float:
        return prepared / 0

    ahead: Ahead[int, float] = Ahead.start(lambda steps: 1, commit)
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        ahead.finish()


def test_the_child_writes_nothing_when_its_parent_dies(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    script = textwrap.dedent(
        f"""
        import os, sys
        from pathlib import Path
        from pickg.ahead import Ahead
        target = Path({str(target)!r})
        ahead = Ahead.start(lambda steps: "text", lambda text, steps: target.write_text(text))
        print(ahead._pid, flush=True)
        os._exit(3)  # killed before giving its word
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 3, done.stderr
    child = int(done.stdout.strip())
    assert _ends(child), "the child outlived its parent by 30 s"
    assert not target.exists()


def _ends(pid: int, within: float = 30.0) -> bool:
    """Whether process ``pid`` (not ours: its parent has died) exits within ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        stat = Path(f"/proc/{pid}/stat")
        with contextlib.suppress(OSError):
            if stat.read_text().split()[2] == "Z":
                return True  # exited; waits for a reaper
        time.sleep(0.05)
    return False
