"""Corrections to rdflib's SPARQL engine, installed through its ``CUSTOM_EVALS`` hook.

rdflib 7.6.0 (and every 7.x release read here) gives a ``GROUP BY`` that matches
nothing one solution with no variable bound, where SPARQL 1.1 (section 11.1, the
``Group`` function) gives no group and so no solution. Joined with the rest of a
query, that empty solution is compatible with everything: a sub-select that found no
initiative for a theme, followed by ``OPTIONAL { ?neighbourhood rdfs:label ?l }``,
answered every labelled resource of the graph as a "neighbourhood" (640 rows for
``neighbourhoods-by-theme`` with ``theme=theme:food`` and ``phase=phase:2``, where
Oxigraph answers none). ``docs/rdflib-group-by-empty.md`` holds the minimal
reproduction; upstream it is RDFLib/rdflib issue 3382.

:func:`install` registers an evaluation of ``AggregateJoin`` for explicit groupings
only (an aggregate without ``GROUP BY`` keeps rdflib's own, which rightly gives one
solution over no input). It is idempotent, and costs one dictionary look-up per
algebra node rdflib evaluates.
"""

from __future__ import annotations

import collections
from collections.abc import Iterator
from typing import Any

__all__ = ["install"]

_NAME = "pickg:group-by-without-groups"


def _grouped(ctx: Any, agg: Any) -> Iterator[Any]:
    """The solutions of an explicit ``GROUP BY``: one per group, none without a group."""
    from rdflib.plugins.sparql.aggregates import Aggregator
    from rdflib.plugins.sparql.evaluate import evalPart
    from rdflib.plugins.sparql.evalutils import _eval
    from rdflib.plugins.sparql.sparql import FrozenBindings

    groups: dict[Any, Any] = collections.defaultdict(lambda: Aggregator(aggregations=agg.A))
    for row in evalPart(ctx, agg.p):
        groups[tuple(_eval(e, row, False) for e in agg.p.expr)].update(row)
    for aggregator in groups.values():
        yield FrozenBindings(ctx, aggregator.get_bindings())


def _evaluate(ctx: Any, part: Any) -> Iterator[Any]:
    if part.name != "AggregateJoin" or part.p.expr is None:
        raise NotImplementedError  # rdflib's own evaluation
    return _grouped(ctx, part)


def install() -> None:
    """Register the corrections with rdflib's SPARQL engine (once per process)."""
    from rdflib.plugins.sparql import CUSTOM_EVALS

    CUSTOM_EVALS.setdefault(_NAME, _evaluate)
