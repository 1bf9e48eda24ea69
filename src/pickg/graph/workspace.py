"""Where the ontology, the data and the queries live: paths only, no parsing.

In a checkout (``<repo>/src/pickg`` with ``<repo>/ontology`` beside ``src/``) the
repository's folders are used, so edits show at once. An installed wheel carries the
same folders as package data under ``pickg/_resources``. The environment variable
``PICKG_HOME`` overrides both: it names a folder holding ``ontology/``, ``data/`` and
``queries/``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pickg.graph.errors import InputError

__all__ = ["package_version", "HOME_VARIABLE", "Workspace", "default_workspace", "resolve_root"]


def package_version() -> str:
    """The installed version of pickg, or ``0+unknown`` in a source tree never installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pickg")
    except PackageNotFoundError:
        return "0+unknown"


#: The environment variable that points pickg at another workspace.
HOME_VARIABLE = "PICKG_HOME"

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/pickg, above this room


def resolve_root(
    package_dir: Path = _PACKAGE_DIR,
    environ: Mapping[str, str] | None = None,
) -> Path:
    """Decide which folder holds ``ontology/``, ``data/`` and ``queries/``.

    :param package_dir: the folder of the ``pickg`` package (a parameter for tests).
    :param environ: the environment to read ``PICKG_HOME`` from; ``os.environ`` if None.
    :returns: ``$PICKG_HOME`` if set; else the repository when ``package_dir`` is
        ``<repo>/src/pickg`` and ``<repo>/ontology`` exists; else the packaged resources.
    :raises InputError: ``PICKG_HOME`` is set but is not a folder.
    """
    environ = os.environ if environ is None else environ
    home = environ.get(HOME_VARIABLE, "").strip()
    if home:
        root = Path(home).expanduser()
        if not root.is_dir():
            raise InputError(
                f"{HOME_VARIABLE}={home} is not a folder; point it at a folder holding "
                "ontology/, data/ and queries/, or unset it"
            )
        return root.resolve()
    repo = package_dir.parent.parent
    if package_dir.parent.name == "src" and (repo / "ontology").is_dir():
        return repo
    return package_dir / "_resources"


def _sorted_files(folder: Path, pattern: str) -> list[Path]:
    """Files under ``folder`` matching ``pattern``, sorted by relative path."""
    if not folder.is_dir():
        return []
    found = (p for p in folder.glob(pattern) if p.is_file())
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


@dataclass(frozen=True)
class Workspace:
    """The folders of one pickg workspace, found under ``root``."""

    root: Path

    @classmethod
    def discover(cls, environ: Mapping[str, str] | None = None) -> Workspace:
        """The workspace in use: ``PICKG_HOME``, else the checkout, else the packaged data."""
        return cls(resolve_root(environ=environ))

    @property
    def ontology_dir(self) -> Path:
        """``ontology/``: the ontology, its vocabularies and shapes."""
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        """``data/``: the curated facts."""
        return self.root / "data"

    @property
    def queries_dir(self) -> Path:
        """``queries/``: the SPARQL catalogue."""
        return self.root / "queries"

    def ontology_files(self) -> list[Path]:
        """The ontology itself: ``ontology/*.ttl`` (shape files excluded)."""
        files = _sorted_files(self.ontology_dir, "*.ttl")
        return [p for p in files if not p.name.endswith(".shapes.ttl")]

    def vocabulary_files(self) -> list[Path]:
        """The SKOS vocabularies: ``ontology/vocabularies/*.ttl``."""
        return _sorted_files(self.ontology_dir / "vocabularies", "*.ttl")

    def shape_files(self) -> list[Path]:
        """The SHACL shapes: ``ontology/shapes/*.shapes.ttl``."""
        return _sorted_files(self.ontology_dir / "shapes", "*.shapes.ttl")

    def data_files(self) -> list[Path]:
        """The curated facts: ``data/**/*.ttl``, sorted by relative path."""
        return _sorted_files(self.data_dir, "**/*.ttl")

    def query_files(self) -> list[Path]:
        """The query catalogue: ``queries/*.rq`` (checks excluded)."""
        return _sorted_files(self.queries_dir, "*.rq")

    def check_files(self) -> list[Path]:
        """The data checks that must return no rows: ``queries/checks/*-violation.rq``."""
        return _sorted_files(self.queries_dir / "checks", "*-violation.rq")

    def extract_files(self) -> list[Path]:
        """The queries behind a release's CSV tables: ``queries/extracts/*.rq``."""
        return _sorted_files(self.queries_dir / "extracts", "*.rq")

    def turtle_files(self) -> list[Path]:
        """Every hand-edited Turtle file: ``ontology/**/*.ttl`` then ``data/**/*.ttl``."""
        return _sorted_files(self.ontology_dir, "**/*.ttl") + self.data_files()

    def relative(self, path: Path) -> str:
        """``path`` relative to the root (POSIX form) when inside it, else as given."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def default_workspace() -> Workspace:
    """The workspace in use now (reads ``PICKG_HOME`` on every call)."""
    return Workspace.discover()
