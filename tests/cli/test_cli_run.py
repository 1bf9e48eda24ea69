"""``pickg run``: the demonstration of ``make run`` in one process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pickg.cli import main
from pickg.graph.workspace import Workspace
from tests.support.runs import PublishedRelease, publish_env, run_pickg, snapshot

pytestmark = pytest.mark.system


@pytest.fixture(scope="module")
def small_run(small_home: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """One ``pickg run`` of the small home (cache on, 120 columns): its output and its folder.

    The tests that need a release already there start from a copy of this folder rather
    than running again."""
    out = tmp_path_factory.mktemp("small-run") / "dist"
    result = run_pickg("run", "--out", str(out), env=publish_env(Workspace(small_home), COLUMNS="120"))
    assert result.returncode == 0, result.stderr
    return result.stdout, out


def copy_of(small_run: tuple[str, Path], tmp_path: Path) -> Path:
    """A copy of the small run's output folder, for a test to change."""
    out = tmp_path / "dist"
    shutil.copytree(small_run[1], out, symlinks=True)
    return out


def test_run_prints_what_the_commands_print_and_publishes_the_same_bytes(
    published_release: PublishedRelease, workspace: Workspace, tmp_path: Path
) -> None:
    env = publish_env(workspace, COLUMNS="120")
    out = tmp_path / "dist"
    result = run_pickg("run", "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    # The release: the same files, the same bytes as `pickg publish`.
    assert snapshot(out / published_release.version) == snapshot(published_release.path)
    # The text: what the separate commands of the former `make run` print, in order (run
    # in this process: the same commands, without five more start-ups).
    expected = ""
    for args in (
        ("validate",),
        ("query", "run", "theme-summary"),
        ("query", "run", "collaboration-partners", "--limit", "10"),
        ("query", "run", "systems-change-matrix"),
        ("stats",),
    ):
        step = CliRunner().invoke(main, list(args), env=env)
        assert step.exit_code == 0, step.output
        expected += step.stdout
    summary = published_release.stdout.splitlines()[1]
    release = out / published_release.version
    site = (release / "site" / "index.html").resolve().as_uri()
    where = f"The website: open {site} in a browser (no server needed), or run `pickg serve --release {release}`"
    assert result.stdout.startswith(expected + f"{release}\n{summary}\n{where}")
    assert result.stdout.count("\n") == expected.count("\n") + 3


def test_run_replaces_a_release_only_with_force(small_home: Path, small_run: tuple[str, Path], tmp_path: Path) -> None:
    env = publish_env(Workspace(small_home))
    out = copy_of(small_run, tmp_path)
    before = snapshot(out)
    again = run_pickg("run", "--out", str(out), env=env)
    assert again.returncode == 2
    assert "--force" in again.stderr and "Traceback" not in again.stderr
    assert snapshot(out) == before
    release = out / small_run[0].splitlines()[-3].rsplit("/", 1)[-1]
    stamps = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in release.rglob("*")}
    # Built afresh (no cache), the release is the same bytes: the folder is left as it is.
    forced = run_pickg("run", "--out", str(out), "--force", "--timings", env={**env, "PICKG_CACHE_DIR": "off"})
    assert forced.returncode == 0, forced.stderr
    assert "unchanged" in forced.stdout and "replacing" not in forced.stdout
    assert snapshot(out) == before
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in release.rglob("*")} == stamps
    for step in ("load the sources", "validate", "stats", "publish: pic.ttl", "total"):
        assert step in forced.stderr
    # One byte changed, or a stray file added: the next --force replaces the folder and
    # the bytes are the built ones again.
    for damage in ("byte", "stray"):
        if damage == "byte":
            page = release / "pic.nt"
            page.write_bytes(page.read_bytes()[:-2] + b"X\n")
        else:
            (release / "site" / "stray.txt").write_text("not part of the release", encoding="utf-8")
        assert snapshot(out) != before
        again = run_pickg("run", "--out", str(out), "--force", "--lang", "fr", env=env)
        assert again.returncode == 0, again.stderr
        assert "remplace la construction précédente" in again.stdout and "inchangée" not in again.stdout
        assert snapshot(out) == before
    # Run again on the same sources, with the cache: the release in place is recognised from
    # its record, checked file by file, and neither built nor written.
    unchanged = run_pickg("run", "--out", str(out), "--force", "--lang", "fr", "--timings", env=env)
    assert "inchangée" in unchanged.stdout
    assert "publish: the release in place" in unchanged.stderr and "publish: pic.ttl" not in unchanged.stderr
    assert snapshot(out) == before


def test_non_conforming_data_is_reported_and_nothing_is_published(small_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(small_home, home)
    unsourced = Path(__file__).resolve().parents[1] / "release" / "publish" / "unsourced-neighbourhood.ttl"
    shutil.copy(unsourced, home / "data")
    out = tmp_path / "dist"
    result = run_pickg("run", "--out", str(out), "--lang", "en", env=publish_env(Workspace(home)))
    assert result.returncode == 1, result.stderr
    assert "data/unsourced-neighbourhood.ttl" in result.stdout
    assert "Does not conform" in result.stdout
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_malformed_data_is_named_and_nothing_is_published(small_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(small_home, home)
    broken = home / "data" / "broken.ttl"
    broken.write_text('@prefix ex: <https://example.org/> .\nex:a ex:b "unterminated .\n', encoding="utf-8")
    out = tmp_path / "dist"
    result = run_pickg("run", "--out", str(out), env=publish_env(Workspace(home)))
    assert result.returncode == 2, result.stderr
    assert f"{broken}:2:" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_run_is_listed_in_the_help() -> None:
    result = run_pickg("--help")
    assert result.returncode == 0
    assert "run " in result.stdout


def test_serial_and_parallel_runs_print_and_publish_the_same(
    small_home: Path, small_run: tuple[str, Path], tmp_path: Path
) -> None:
    """--serial builds the release in the same process, after the tables: same text, same bytes.

    The parallel side is the module's run (cache on); the serial one is built with the
    cache off, so that the cache is not compared with itself."""
    env = publish_env(Workspace(small_home), COLUMNS="120", PICKG_CACHE_DIR="off")
    out = tmp_path / "serial"
    result = run_pickg("run", "--out", str(out), "--serial", env=env)
    assert result.returncode == 0, result.stderr
    parallel_stdout, parallel_out = small_run
    assert result.stdout.replace(str(out), "OUT") == parallel_stdout.replace(str(parallel_out), "OUT")
    assert snapshot(out) == snapshot(parallel_out)


@pytest.mark.parametrize("serial", [False, True], ids=["parallel", "serial"])
def test_a_refused_release_leaves_the_output_as_it_was(
    small_home: Path, small_run: tuple[str, Path], tmp_path: Path, serial: bool
) -> None:
    """An existing release without --force: exit 2 after the tables, nothing touched, in both modes."""
    env = publish_env(Workspace(small_home))
    out = copy_of(small_run, tmp_path)
    before = snapshot(out)
    again = run_pickg("run", "--out", str(out), *(["--serial"] if serial else []), env=env)
    assert again.returncode == 2
    assert "already exists" in again.stderr and "Traceback" not in again.stderr
    assert "Totals" in again.stdout  # the statistics were shown first
    assert snapshot(out) == before
