"""Choosing the label to show for a resource, in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal
from rdflib.term import Node

from pickg.graph.namespaces import DCTERMS, PIC, RDFS, SCHEMA, SKOS

__all__ = ["LABEL_PROPERTIES", "choose_label", "display_label", "preferred_label"]

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


def display_label(labels: Iterable[tuple[Node, str | None, str]], lang: str = "fr") -> str | None:
    """The text to show for a resource among its ``(property, language tag, text)`` labels
    and glosses (``pic:gloss``), as a table of results shows it to a reader of ``lang``.

    A label in ``lang`` (of the first of :data:`LABEL_PROPERTIES` that has one), then a
    gloss in ``lang`` (an English form made for this graph, where the sources name the
    resource in French only), then :func:`preferred_label`'s choice among the labels:
    with ``lang="en"``, ``rdfs:label@en``, then ``pic:gloss@en``, then the French label.
    """
    found = list(labels)
    for prop in (*LABEL_PROPERTIES, PIC.gloss):
        texts = [text for p, tag, text in found if p == prop and tag == lang]
        if texts:
            return min(texts)
    for prop in LABEL_PROPERTIES:
        of_prop = [(tag, text) for p, tag, text in found if p == prop]
        if of_prop:
            return choose_label(of_prop, lang)
    return None
