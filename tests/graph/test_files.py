"""The one atomic writer: every file appears whole, or none changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from pickg.graph.files import write_all_atomically, write_atomically


def test_several_files_are_written_all_or_none(tmp_path: Path) -> None:
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    first.write_bytes(b"old a")
    write_all_atomically({first: b"new a", second: b"new b"}, durable=True)
    assert (first.read_bytes(), second.read_bytes()) == (b"new a", b"new b")

    missing = tmp_path / "no-such-folder" / "c.ttl"
    with pytest.raises(OSError):
        write_all_atomically({first: b"newer a", missing: b"c"})
    assert first.read_bytes() == b"new a"  # the failure came before any rename
    assert (
        sorted(p.name for p in tmp_path.iterdir()) == ["a.ttl", "b.ttl", "no-such-folder"]
        or not missing.parent.exists()
    )
    assert [p.name for p in tmp_path.glob(".*.tmp")] == []


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "kept.txt"
    target.write_bytes(b"x")
    target.chmod(0o640)
    write_atomically(target, b"y")
    assert (target.read_bytes(), target.stat().st_mode & 0o777) == (b"y", 0o640)
    write_atomically(target, lambda tmp: Path(tmp).write_bytes(b"z"), mode=0o600)
    assert (target.read_bytes(), target.stat().st_mode & 0o777) == (b"z", 0o600)
