"""The review of a workbook's import, and its Markdown (``templates/review.md.j2``).

The review is for a second steward to approve: the resources the workbook adds and
removes, the facts it changes (before and after, as the workbook shows them), each at
its ``Sheet!Cell``, and what validation found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef
from rdflib.term import Node

from pickg.graph.messages import translate, words
from pickg.validation.report import Report

__all__ = ["CellResult", "Change", "Notice", "SheetImport", "Triple", "render_markdown"]

Triple = tuple[URIRef, URIRef, Node]


@dataclass(frozen=True)
class Change:
    """One change the workbook makes: a resource added or removed, or one property's values changed.

    :ivar kind: ``added`` (a fact of a new resource), ``changed`` (the values of one
        property of a resource that exists) or ``removed`` (a whole resource, its row gone).
    :ivar where: the cell (``Initiatives!D14``), or the sheet for a removed row.
    :ivar before: the values shown as the workbook shows them, before and after.
    """

    kind: str
    sheet: str
    where: str
    resource: str
    label: str
    property: str
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class CellResult:
    """A validation result traced back to the workbook."""

    where: str
    severity: str
    message: str
    shape: str
    resource: str
    messages: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Notice:
    """Something the import did or left that the steward should know, at its cell:
    spaces removed from a name, a row deleted since the export and not put back.

    :ivar key: the message's key in the catalogues' ``[review]`` table.
    """

    where: str
    key: str
    values: tuple[tuple[str, str], ...] = ()

    def message(self, lang: str) -> str:
        return translate(lang, "review." + self.key, **dict(self.values))


@dataclass
class SheetImport:
    """What importing a workbook found and did.

    :ivar changes: the review, in sheet and row order.
    :ivar added: the triples the workbook adds; ``removed``, those it removes.
    :ivar results: the validation results about the changed resources (violations
        anywhere, warnings on changed rows), each at its cell.
    :ivar written: the data files written (workspace-relative), empty without ``--write``.
    """

    source: Path
    lang: str
    changes: list[Change] = field(default_factory=list)
    added: set[Triple] = field(default_factory=set)
    removed: set[Triple] = field(default_factory=set)
    results: list[CellResult] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    report: Report | None = None
    written: list[str] = field(default_factory=list)

    @property
    def violations(self) -> list[CellResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def markdown(self) -> str:
        """The review as Markdown, for a second steward to approve."""
        return render_markdown(self)


_TEMPLATES = Path(__file__).with_name("templates")


def _md(text: object) -> str:
    """A table cell's text: pipes escaped, line breaks as ``<br>``."""
    return str(text).replace("|", "\\|").replace("\n", "<br>")


def _summary(outcome: SheetImport) -> str:
    """« 2 ressources ajoutées, 1 fait modifié, 0 ressource retirée (9 triplets ajoutés, 1 retiré). »"""
    lang = outcome.lang
    changes = outcome.changes
    return translate(
        lang,
        "review.summary",
        added=translate(lang, "review.resources_added", n=len({c.resource for c in changes if c.kind == "added"})),
        changed=translate(lang, "review.facts_changed", n=sum(c.kind == "changed" for c in changes)),
        removed=translate(lang, "review.resources_removed", n=sum(c.kind == "removed" for c in changes)),
        triples_added=translate(lang, "sheets.triples_added", n=len(outcome.added)),
        triples_removed=translate(lang, "sheets.triples_removed", n=len(outcome.removed)),
    )


def render_markdown(outcome: SheetImport) -> str:
    """The review of ``outcome`` as Markdown, in its language."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["md"] = _md
    template = env.get_template("review.md.j2")
    text = template.render(
        t=words(outcome.lang, "review"),
        summary=_summary(outcome),
        source=outcome.source.name,
        changes=outcome.changes,
        added_facts=[c for c in outcome.changes if c.kind == "added"],
        changed=[c for c in outcome.changes if c.kind == "changed"],
        removed_resources=[c for c in outcome.changes if c.kind == "removed"],
        results=outcome.results,
        notices=[(n.where, n.message(outcome.lang)) for n in outcome.notices],
        validated=outcome.report is not None,
        violations=outcome.violations,
    )
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"  # one blank line between blocks
