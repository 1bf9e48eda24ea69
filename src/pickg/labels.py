"""Choosing the label to show for a resource, in the reader's language."""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.term import Node

from pickg.namespaces import DCTERMS, RDFS, SCHEMA, SKOS

__all__ = ["LABEL_PROPERTIES", "preferred_label"]

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
    order: list[str | None] = [lang, None, "fr", "en"]
    rank = {tag: order.index(tag) for tag in order}
    for prop in LABEL_PROPERTIES:
        labels = [o for o in graph.objects(node, prop) if isinstance(o, Literal)]
        if labels:
            best = min(labels, key=lambda lit: (rank.get(lit.language, len(order)), str(lit)))
            return str(best)
    return None
