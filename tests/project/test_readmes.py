"""Issue 18: every folder README names files that exist.

A README is read by someone who goes looking for what it names. The test takes every
name a README quotes in backticks that looks like a file or a folder (it has a known
extension or ends with ``/``) and checks that it exists, relative to the README's
folder or to the repository root. A pattern (``<name>.rq``, ``*.ttl``, ``…``) must
match at least one file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "dist", "build", ".git", "node_modules", ".pytest_cache"}
READMES = sorted(
    p for p in ROOT.rglob("README.md") if not SKIP & set(p.relative_to(ROOT).parts) and "_resources" not in p.parts
)
EXTENSIONS = (".ttl", ".rq", ".py", ".md", ".json", ".csv", ".toml", ".trig", ".nt", ".jsonld", ".html", ".j2", ".txt")
QUOTED = re.compile(r"`([^`\s]+)`")
#: Names that are not in the repository by design: files of a release, generated or
#: git-ignored ones (benchmark scratch files and their results, the npm packages
#: `make test` installs into .ci/node/, absent when `make test-fast` runs first).
GENERATED = re.compile(
    r"^(\.ci/node/|dist/|pic\.|ontology\.(ttl|html)$|vocabularies\.ttl$|shapes\.ttl$|catalog\.ttl$|CHANGES\.md$|"
    r"changes\.json$|site/|csv-metadata\.json$|SHA256SUMS$|[a-z-]+\.csv$|pickg/_resources|bench/scratch/|results\.json$)"
)


def quoted_names(text: str) -> list[str]:
    """The names quoted in backticks that look like files or folders."""
    names = []
    for name in QUOTED.findall(text):
        name = name.rstrip(".,;:)")
        if name.startswith(("http", "-", "$", "?", "pickg ")) or "=" in name:
            continue
        if name.startswith(".") and "/" not in name:
            continue  # an extension (`.ttl`), not a file
        if name.endswith("/") or name.endswith(EXTENSIONS) or name.endswith("/…"):
            names.append(name)
    return names


def exists(name: str, folder: Path) -> bool:
    """A file or folder of that name (or matching it as a pattern) in the README's folder,
    at the repository root, or anywhere below the README's folder (a module table names
    ``store.py`` in its room's row)."""
    pattern = re.sub(r"<[^>]+>|\*|…|\.\.\.", "*", name).rstrip("/")
    places = [(folder, pattern), (ROOT, pattern)] + ([(folder, "**/" + pattern)] if folder != ROOT else [])
    return any(any(base.glob(glob)) for base, glob in places)


def test_the_readmes_are_found() -> None:
    assert {p.relative_to(ROOT).as_posix() for p in READMES} >= {"README.md", "data/README.md", "tests/README.md"}


@pytest.mark.parametrize("readme", READMES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_name_a_readme_quotes_exists(readme: Path) -> None:
    missing = [
        name
        for name in quoted_names(readme.read_text(encoding="utf-8"))
        if not GENERATED.match(name) and not exists(name, readme.parent)
    ]
    assert missing == [], f"{readme.relative_to(ROOT)} names files that do not exist: {missing}"


def test_a_name_that_does_not_exist_is_caught(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sources.ttl").write_text("")
    names = quoted_names("One file per topic (`sources.ttl`, `neighbourhoods/…`, `findings.ttl`, `.ttl`, `make fmt`).")
    assert names == ["sources.ttl", "neighbourhoods/…", "findings.ttl"]
    assert [n for n in names if not exists(n, tmp_path / "data")] == ["neighbourhoods/…", "findings.ttl"]
