"""Who publishes the releases, whom to contact, where they are served: the settings.

Nothing here is guessed: a setting that is not configured is absent from the
release's metadata. Settings are read, later ones winning, from

1. ``[tool.pickg.publish]`` in the workspace's ``pyproject.toml``;
2. ``[publish]`` in the workspace's ``pickg.toml``;
3. environment variables ``PICKG_PUBLISH_<KEY>`` (``PICKG_PUBLISH_PUBLISHER``,
   ``PICKG_PUBLISH_CONTACT_EMAIL``, …).

Keys (all optional):

``publisher``         name of the organisation that publishes the data
``publisher_url``     its home page
``contact_name``      name of the contact point (a person or a service)
``contact_email``     its e-mail address
``contact_url``       a page or form to reach it
``landing_page``      the page that presents the dataset
``download_url``      where releases are served: ``<download_url><version>/<file>``
                      (``pickg publish --base-url``; by default the release IRIs,
                      ``https://w3id.org/pickg/release/<version>/<file>``)
``sparql_endpoint``   a public SPARQL endpoint serving the data
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from urllib.parse import urlsplit

from pickg.graph.errors import InputError, ParseError
from pickg.graph.workspace import Workspace

__all__ = ["CONFIG_FILE", "ENV_PREFIX", "PublishSettings", "load_settings", "with_base_url"]

#: The settings file at the workspace's root.
CONFIG_FILE = "pickg.toml"
#: Prefix of the environment variables that override the files.
ENV_PREFIX = "PICKG_PUBLISH_"

_URL_KEYS = ("publisher_url", "contact_url", "landing_page", "download_url", "sparql_endpoint")
_EMAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")


@dataclass(frozen=True)
class PublishSettings:
    """The configured facts about publication; None means "not configured"."""

    publisher: str | None = None
    publisher_url: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_url: str | None = None
    landing_page: str | None = None
    download_url: str | None = None
    sparql_endpoint: str | None = None

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        """The setting names, in order."""
        return tuple(f.name for f in fields(cls))


def _check(key: str, value: object, where: str) -> str | None:
    if not isinstance(value, str):
        raise InputError(f"{where}: {key} must be a string, not {type(value).__name__}; quote it")
    value = value.strip()
    if not value:
        return None
    if key in _URL_KEYS:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c in value for c in ' <>"{}|\\^`'):
            raise InputError(f"{where}: {key} = {value!r} is not an http(s) address; give a full URL such as https://…")
        if key == "download_url" and not value.endswith("/"):
            value += "/"
    if key == "contact_email" and not _EMAIL.fullmatch(value):
        raise InputError(f"{where}: contact_email = {value!r} is not an e-mail address; write it as name@domain")
    return value


def _read_table(path: Path, table: tuple[str, ...]) -> dict[str, object]:
    """The table ``table`` (a path of keys) of the TOML file ``path``; empty if absent."""
    if not path.is_file():
        return {}
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+), column (\d+)", str(exc))
        line, col = (int(match.group(1)), int(match.group(2))) if match else (None, None)
        raise ParseError(path, line, col, str(exc).split(" (at line")[0]) from None
    except UnicodeDecodeError:
        raise ParseError(path, None, None, "not UTF-8 text", hint="save the file as UTF-8") from None
    node: object = document
    for key in table:
        if not isinstance(node, dict) or key not in node:
            return {}
        node = node[key]
    if not isinstance(node, dict):
        raise InputError(f"{path}: [{'.'.join(table)}] must be a table of settings")
    return node


def load_settings(workspace: Workspace | None = None, environ: Mapping[str, str] | None = None) -> PublishSettings:
    """Read the publication settings of ``workspace`` (see the module's documentation).

    :param workspace: where ``pyproject.toml`` and ``pickg.toml`` are looked for.
    :param environ: the environment; ``os.environ`` if None.
    :raises InputError: an unknown key, a value that is not a string, a malformed URL
        or e-mail address.
    :raises ParseError: a settings file is not valid TOML.
    """
    ws = workspace or Workspace.discover()
    environ = os.environ if environ is None else environ
    known = PublishSettings.keys()
    values: dict[str, str | None] = {}
    sources = [
        (ws.root / "pyproject.toml", ("tool", "pickg", "publish")),
        (ws.root / CONFIG_FILE, ("publish",)),
    ]
    for path, table in sources:
        where = f"{path} [{'.'.join(table)}]"
        for key, value in _read_table(path, table).items():
            if key not in known:
                raise InputError(f"{where}: unknown setting {key!r}; the settings are {', '.join(known)}")
            values[key] = _check(key, value, where)
    for key in known:
        variable = ENV_PREFIX + key.upper()
        if variable in environ:
            values[key] = _check(key, environ[variable], f"environment variable {variable}")
    return PublishSettings(**values)


def with_base_url(settings: PublishSettings, url: str, where: str = "--base-url") -> PublishSettings:
    """``settings`` with ``download_url`` replaced by ``url`` (a trailing ``/`` added).

    :raises InputError: ``url`` is not an http(s) address.
    """
    return replace(settings, download_url=_check("download_url", url, where))
