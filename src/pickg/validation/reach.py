"""The focus nodes a validation need ask about after a few resources changed.

``pickg sheet import`` validates the data as a workbook leaves it, and shows every
violation and the warnings about the resources the workbook changed. Most compiled
checks (a count, a class, a datatype, a pattern of one property) judge a focus node by
its own triples and the types of its values: after a change only the changed resources
and those that point at them can gain or lose a result. A :class:`Reach` says so, and
:func:`pickg.validation.fast_engine.run_compiled` and
:func:`pickg.validation.checks.check_results` bind each check's focus variable to those
nodes (a ``VALUES`` block of terms, :func:`pickg.graph.bindings.bind_list`):

* a warning (compiled or a data check): the changed resources only, the only ones whose
  warnings are kept;
* a violation of a compiled check that is not a SPARQL constraint: the changed
  resources and those with a triple whose object is one of them (``near``);
* a violation of a SPARQL constraint or of a data check: every focus node (they join
  other resources: a phase's amounts, two resources sharing a label).

Measured at 19,208 rows (``bench/SHEETS.md``): the compiled shapes 6.4 s of CPU on every
focus node, 1.7 s so; the data checks 2.6 s, most of it the 17,375 rows of
``text-in-one-language`` built into results a review then drops.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import BNode, URIRef
from rdflib.term import Identifier, Node

from pickg.graph.bindings import bind_list
from pickg.graph.errors import InputError
from pickg.graph.sparqltokens import variable_names

if TYPE_CHECKING:
    from pickg.graph.store import OxigraphStore

__all__ = ["Reach", "bound_to", "reach_of"]

#: Past this many resources near the changed ones (a phase that every row names), the
#: compiled checks are asked about every focus node: as quick as a long ``VALUES`` block.
MOST_NEAR = 5000


@dataclass(frozen=True)
class Reach:
    """What changed, and the focus nodes whose results it can change.

    :param changed: the resources whose triples changed (warnings are asked about them only).
    :param near: ``changed`` and the resources with a triple whose object is one of them;
        None asks every compiled check about every focus node.
    """

    changed: frozenset[Node]
    near: frozenset[Node] | None


def bound_to(query: str, variables: Iterable[str], nodes: frozenset[Node]) -> str | None:
    """``query`` with the first of ``variables`` it uses bound to each of ``nodes`` (not
    empty: a caller with no node to ask about skips the query); None when it uses none
    of them or the bound text does not parse (a variable it assigns itself): the query
    is then run as it is.
    """
    used = set(variable_names(query))
    variable = next((v for v in variables if v in used), None)
    if variable is None:
        return None
    try:
        return bind_list(query, variable, sorted((n for n in nodes if isinstance(n, Identifier)), key=str))
    except InputError:
        return None


def reach_of(store: OxigraphStore, changed: Iterable[Node]) -> Reach:
    """The :class:`Reach` of ``changed`` in ``store`` as the changes leave it: the changed
    resources, and those with a triple whose object is one of them (every focus node
    past :data:`MOST_NEAR` of them)."""
    touched = frozenset(changed)
    near: set[Node] = set(touched)
    for node in touched:
        if not isinstance(node, URIRef | BNode):
            continue
        near.update(subject for subject, _, _ in store.triples((None, None, node)))
        if len(near) > MOST_NEAR:
            return Reach(touched, None)
    return Reach(touched, frozenset(near))
