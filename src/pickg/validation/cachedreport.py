"""The validation report of unchanged sources, kept in the cache as JSON.

``pickg run`` validates the workspace's sources on every run, most often sources that
did not change: 0.2-0.3 s of CPU on the shipped data, a third of a warm run once the
release in place is recognised (:mod:`pickg.release.reuse`). :func:`cached_report` keeps
the report of :func:`pickg.validation.fast_engine.validate_store` (with its defaults:
the data checks run, no inference, every result kept) in the content-addressed cache
(:mod:`pickg.graph.cache`, kind ``validation``), as JSON, under a key of everything it
is made from:

* every file of the workspace (:func:`pickg.graph.cache.workspace_digest`: the data,
  the ontology, the shapes, the rules and the data checks), taken *before* the store
  was loaded from them, and the workspace's folder;
* every file of the pickg package (:func:`pickg.graph.cache.package_digest`), Python's
  version and every installed distribution's
  (:func:`pickg.graph.cache.installed_distributions`);
* the language of the labels and messages.

A report is kept only if the workspace's files are the same after the validation as
before the store was loaded (an edit meanwhile would key the report of the older files
under the newer ones). A damaged or foreign entry is validated again; ``PICKG_CACHE_DIR=off``
turns the cache off. Read back: 2 ms, against 0.2-0.3 s to validate (``bench/RESULTS.md``,
note of 2026-12-07, night).
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph

from pickg.graph.terms import json_term, term_json
from pickg.graph.workspace import Workspace
from pickg.validation.report import Report, ValidationResult

__all__ = ["REPORTS_KEPT", "REPORT_KIND", "cached_report", "report_from_json", "report_to_json"]

#: The cache's subfolder holding the reports.
REPORT_KIND = "validation"

#: Reports kept (15 KB each on the shipped data), the ones used last.
REPORTS_KEPT = 8

_SCHEMA = "validation report 1"

_TERMS = ("focus_node", "source", "path", "value", "component")
_PLAIN = ("severity", "file", "line", "focus_label", "check")


def report_to_json(report: Report) -> str:
    """``report`` as JSON: every field of every result, terms as :func:`pickg.graph.terms.term_json`.

    Not pySHACL's report graph nor its text: the fast engine's reports have neither.
    """
    results = [
        {
            **{name: term_json(getattr(result, name)) for name in _TERMS},
            **{name: getattr(result, name) for name in _PLAIN},
            "messages": result.messages,
        }
        for result in report.results
    ]
    return json.dumps(
        {
            "schema": _SCHEMA,
            "conforms": report.conforms,
            "files": list(report.files),
            "inference": report.inference,
            "lang": report.lang,
            "checks": list(report.checks),
            "results": results,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def report_from_json(text: str | bytes) -> Report:
    """The report :func:`report_to_json` wrote.

    :raises ValueError, KeyError, TypeError: ``text`` is not such a report.
    """
    data: dict[str, Any] = json.loads(text)
    if data["schema"] != _SCHEMA:
        raise ValueError(f"a report of another form: {data['schema']!r}")
    results = tuple(
        ValidationResult(
            **{name: json_term(item[name]) for name in _TERMS},
            **{name: item[name] for name in _PLAIN},
            messages={str(tag): str(text) for tag, text in item["messages"].items()},
        )
        for item in data["results"]
    )
    return Report(
        conforms=bool(data["conforms"]),
        results=results,
        graph=Graph(),
        files=tuple(str(f) for f in data["files"]),
        inference=str(data["inference"]),
        lang=data["lang"],
        checks=tuple(str(c) for c in data["checks"]),
    )


def cached_report(store: Any, *, lang: str | None, workspace: Workspace, sources: str | None) -> Report:
    """``validate_store(store, lang=lang, workspace=workspace)``, read from the cache when kept.

    :param store: a :class:`pickg.graph.store.Store` loaded with ``workspace``'s sources.
    :param sources: the :func:`~pickg.graph.cache.workspace_digest` of ``workspace``
        taken before ``store`` was loaded, and the same after (else the store may hold
        other bytes than the key says: pass None); None validates without the cache.
    """
    from pickg.graph.cache import (
        cache_dir,
        cache_key,
        installed_distributions,
        package_digest,
        read_entry,
        workspace_digest,
        write_entry,
    )
    from pickg.validation.fast_engine import validate_store

    cache = cache_dir(workspace)
    if cache is None or sources is None:
        return validate_store(store, lang=lang, workspace=workspace)
    key = cache_key(_SCHEMA, package_digest(), installed_distributions(), str(workspace.root), sources, lang or "-")
    found = read_entry(cache, REPORT_KIND, key, keep=REPORTS_KEPT)
    if found is not None:
        try:
            return report_from_json(found)
        except (ValueError, KeyError, TypeError, AttributeError):
            pass  # damaged or foreign: validated again
    report = validate_store(store, lang=lang, workspace=workspace)
    if workspace_digest(workspace) == sources:
        write_entry(cache, REPORT_KIND, key, report_to_json(report).encode("utf-8"), keep=REPORTS_KEPT)
    return report
