"""Choosing the label to show for a resource, in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal
from rdflib.term import Node

from pickg.graph.namespaces import DCTERMS, RDFS, SCHEMA, SKOS

__all__ = ["LABEL_PROPERTIES", "choose_label", "preferred_label"]

#: Properties that name a resource, most specific first.
LABEL_PROPERTIES = (SKOS.prefLabel, RDFS.label, SCHEMA.name, DCTERMS.title)


def preferred_label(graph: Graph, node: Node, lang: str = "fr") -> str | None:
    """The label of ``node`` to show a reader of ``lang``.

    Tries :data:`LABEL_PROPERTIES` in order; within one property prefers a literal in
    ``lang``, then one without a language, then French, then English, then the
    smallest other; the choice never depends on the order triples were read.

    :param graph: where to look.
    :param node: the resource.
    :param lang: the reader's language tag (``"fr"`` or ``"en"``).
    :returns: the label's text, or None when the resource has none.
    """
    for prop in LABEL_PROPERTIES:
        labels = [(o.language, str(o)) for o in graph.objects(node, prop) if isinstance(o, Literal)]
        if labels:
            return choose_label(labels, lang)
    return None


def choose_label(labels: Iterable[tuple[str | None, str]], lang: str = "fr") -> str | None:
    """The text to show among ``(language tag or None, text)`` labels of one property.

    A label in ``lang`` first, then one without a language, then French, then English,
    then any other; the smallest text among equals, so the order given never matters.
    """
    order: list[str | None] = [lang, None, "fr", "en"]
    rank = {tag: order.index(tag) for tag in order}
    best = min(labels, key=lambda label: (rank.get(label[0], len(order)), label[1]), default=None)
    return None if best is None else best[1]
