"""The CSV tables of a release described for tabular tools: ``csv-metadata.json``.

The W3C's CSV on the Web (CSVW) metadata, chosen over a Frictionless data package
because it says what these tables need: a list separator per column (`` | `` between
the values of a multi-valued cell), titles in several languages, and ``aboutUrl`` /
``valueUrl`` so that a CSVW processor turns each row back into RDF with the graph's own
IRIs. Each table states its columns in order (name, French and English titles, the
description of the query's comment block, datatype, separator), its primary key and
its foreign keys to the other tables.

The titles, datatypes and keys come from ``csv-columns.yaml`` next to this module;
the column names, descriptions and which columns are lists from the extract queries.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from importlib.resources import files
from typing import Any

import yaml

from pickg.graph.errors import InputError
from pickg.queries.header import YAML_LOADER
from pickg.release.tables import Extract

__all__ = ["CSV_METADATA", "LIST_SEPARATOR", "csv_metadata"]

#: The name of the metadata file in a release (CSVW's default for a folder of tables).
CSV_METADATA = "csv-metadata.json"
#: What separates the values of a multi-valued cell.
LIST_SEPARATOR = " | "
_SCHEMA_FILE = "csv-columns.yaml"
#: Datatypes of ``csv-columns.yaml`` that are not CSVW built-in names.
_DATATYPES: dict[str, Any] = {
    "year-or-date": {"base": "string", "format": r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"},
}
_BUILT_IN = {"string", "anyURI", "decimal", "integer", "boolean"}


@functools.cache
def _schema() -> dict[str, Any]:
    text = (files("pickg.release") / _SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = yaml.load(text, Loader=YAML_LOADER)
    return schema


def _column(table: str, name: str, description: str, spec: Any, multi_valued: bool) -> dict[str, Any]:
    if not (isinstance(spec, list) and len(spec) == 3) or not (spec[2] in _BUILT_IN or spec[2] in _DATATYPES):
        raise InputError(
            f"pickg/release/{_SCHEMA_FILE}: {table}.{name} must be [French title, English title, datatype] "
            f"with a datatype among {', '.join(sorted(_BUILT_IN | set(_DATATYPES)))}, not {spec!r}"
        )
    fr, en, datatype = spec
    column: dict[str, Any] = {
        "name": name,
        "titles": {"fr": fr, "en": en, "und": name},
        "dc:description": {"@value": description, "@language": "en"},
        "datatype": _DATATYPES.get(datatype, datatype),
    }
    if multi_valued:
        column["separator"] = LIST_SEPARATOR
    if datatype == "anyURI":
        column["valueUrl"] = f"{{+{name}}}"
    return column


def _table(extract: Extract) -> dict[str, Any]:
    query = extract.query
    spec = _schema().get(query.name)
    where = f"pickg/release/{_SCHEMA_FILE}"
    if not isinstance(spec, dict):
        raise InputError(f"{where} does not describe the table {query.name} ({query.path}); add it there")
    described = list(spec.get("columns") or {})
    names = [name for name, _ in query.columns]
    if described != names:
        raise InputError(
            f"{where}: {query.name} describes the columns {', '.join(described)} but {query.path} selects "
            f"{', '.join(names)}; make them the same, in order"
        )
    columns = [
        _column(query.name, name, doc, spec["columns"][name], name in query.multi_valued) for name, doc in query.columns
    ]
    key = spec.get("primary_key")
    if key not in names or key in query.multi_valued:
        raise InputError(f"{where}: the primary key of {query.name} must be one of its single-valued columns")
    columns[names.index(key)]["required"] = True
    schema: dict[str, Any] = {"columns": columns, "primaryKey": key, "aboutUrl": f"{{+{key}}}"}
    links = spec.get("links") or {}
    foreign = []
    for column, target in sorted(links.items()):
        target_spec = _schema().get(target)
        if column not in names or column in query.multi_valued or not isinstance(target_spec, dict):
            raise InputError(f"{where}: {query.name}.{column} cannot refer to the table {target!r}")
        foreign.append(
            {
                "columnReference": column,
                "reference": {"resource": f"{target}.csv", "columnReference": target_spec["primary_key"]},
            }
        )
    if foreign:
        schema["foreignKeys"] = foreign
    return {
        "url": extract.file_name,
        "dc:title": {"@value": query.summary, "@language": "en"},
        "dc:description": {"@value": query.description, "@language": "en"},
        "tableSchema": schema,
    }


def csv_metadata(extracts: Sequence[Extract], license: str) -> str:
    """``csv-metadata.json`` for the tables ``extracts``, in file-name order, as JSON text.

    :param license: the IRI of the release's licence.
    :raises InputError: a table or column is not described in ``csv-columns.yaml``, or a
        key names a column that cannot be one.
    """
    document = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "dc:license": {"@id": license},
        "dialect": {"header": True, "encoding": "utf-8", "lineTerminators": ["\r\n"]},
        "tables": [_table(extract) for extract in sorted(extracts, key=lambda e: e.file_name)],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
