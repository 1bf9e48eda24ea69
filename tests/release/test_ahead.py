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

from pickg.graph.errors import InputError
from pickg.graph.timing import Steps
from pickg.release.ahead import Ahead, ChildError, can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="this platform does not fork")


def _write(path: Path, staged: Path) -> Ahead[Path, str]:
    """Prepare: write ``staged``; commit: rename it to ``path``; discard: remove it."""

    def prepare(steps: Steps) -> Path:
        with steps("prepare"):
            staged.write_text(f"written for {path.name}", encoding="utf-8")
        return staged

    def commit(prepared: Path, steps: Steps) -> str:
        with steps("commit"):
            prepared.rename(path)
        return str(path)

    return Ahead.start(prepare, commit, discard=lambda prepared: prepared.unlink())


def _appears(path: Path, within: float = 30.0) -> bool:
    deadline = time.monotonic() + within
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return path.exists()


def test_finish_commits_in_the_child_and_returns_its_result(tmp_path: Path) -> None:
    target, staged = tmp_path / "out.txt", tmp_path / ".staged"
    ahead = _write(target, staged)
    steps = Steps()
    assert ahead.finish(steps) == str(target)
    assert target.read_text(encoding="utf-8") == "written for out.txt"
    assert not staged.exists()
    assert [name for name, _ in steps.times] == ["prepare", "commit"]
    ahead.cancel()  # after finish: nothing left to do


def test_cancel_commits_nothing_and_discards_what_was_prepared(tmp_path: Path) -> None:
    target, staged = tmp_path / "out.txt", tmp_path / ".staged"
    ahead = _write(target, staged)
    assert _appears(staged)  # prepared; the child waits for the word
    ahead.cancel()
    assert not target.exists() and not staged.exists()
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
    ahead: Ahead[int, float] = Ahead.start(lambda steps: 0, lambda prepared, steps: 1 / prepared)
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        ahead.finish()


def test_a_large_result_comes_back_whole() -> None:
    text = "word " * 200_000  # more than a pipe holds
    ahead: Ahead[str, str] = Ahead.start(lambda steps: text, lambda prepared, steps: prepared.upper())
    assert ahead.finish() == text.upper()


@pytest.mark.system
def test_the_child_commits_nothing_when_its_parent_dies(tmp_path: Path) -> None:
    target, staged = tmp_path / "out.txt", tmp_path / ".staged"
    script = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from pickg.release.ahead import Ahead
        target, staged = Path({str(target)!r}), Path({str(staged)!r})
        ahead = Ahead.start(
            lambda steps: staged.write_text("text") and staged,
            lambda prepared, steps: prepared.rename(target),
            discard=lambda prepared: prepared.unlink(),
        )
        print(ahead._pid, flush=True)
        os._exit(3)  # dies before giving its word
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 3, done.stderr
    child = int(done.stdout.strip())
    assert _ends(child), "the child outlived its parent by 30 s"
    assert not target.exists() and not staged.exists()


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
