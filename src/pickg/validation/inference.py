"""Entailment by rules: the RDFS, OWL and SKOS consequences the shapes and queries use.

The rules are SPARQL Update files under ``ontology/rules/`` (one rule per file, run
in file-name order), each with a ``#+`` header naming its ``summary`` and its
``family``:

* ``rdfs`` — subclass and subproperty transitivity (rdfs11, rdfs5), subproperty
  entailment (rdfs7), domain and range (rdfs2, rdfs3), subclass entailment (rdfs9);
* ``owl`` — inverse properties (``owl:inverseOf``) and symmetric properties;
* ``skos`` — ``skos:broaderTransitive``/``skos:narrowerTransitive`` from
  ``skos:broader``/``skos:narrower``, and the two as each other's inverse.

:func:`infer` runs them on a :class:`~pickg.graph.store.Store` until a round adds nothing
(a fixed point). On the Oxigraph store every rule runs inside the engine, so the
closure of a million triples takes seconds, where an RDFS reasoner written in Python
(owlrl) takes hours.

What the rules leave out, on purpose: the RDFS axiomatic triples and the
"everything is a resource" rules (rdfs1, rdfs4, rdfs6, rdfs8, rdfs10, rdfs12, rdfs13),
which add nothing a query or shape asks for; types that are anonymous classes
(a domain given as an ``owl:unionOf``); types of literals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pickg.graph.errors import InputError, NotFoundError, ParseError
from pickg.graph.sparqltokens import header_lines
from pickg.graph.store import Store
from pickg.graph.workspace import Workspace

__all__ = ["FAMILIES", "InferenceResult", "Rule", "infer", "load_rules", "rules_dir"]

#: The rule families, in the order of :mod:`pickg.validation.inference`'s description.
FAMILIES = ("rdfs", "owl", "skos")


@dataclass(frozen=True)
class Rule:
    """One rule file: its name (the file stem), family, summary and SPARQL Update text."""

    name: str
    family: str
    summary: str
    text: str
    path: Path


@dataclass
class InferenceResult:
    """What :func:`infer` did: triples before and after, rounds, triples added per rule."""

    before: int
    after: int
    rounds: int
    added_by_rule: dict[str, int] = field(default_factory=dict)

    @property
    def added(self) -> int:
        """How many triples the rules added."""
        return self.after - self.before


def rules_dir(workspace: Workspace | None = None) -> Path:
    """``ontology/rules/`` of the workspace."""
    return (workspace or Workspace.discover()).ontology_dir / "rules"


def _parse_rule(path: Path) -> Rule:
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    key = None
    for number, content in header_lines(text):
        if content[:1].isspace() and key is not None:  # a continuation line, indented further
            header[key] += " " + content.strip()
            continue
        name, colon, value = content.partition(":")
        name = name.strip()
        if not colon or not (name.isascii() and name.isalpha() and name.islower()):
            raise ParseError(path, number, 1, f"header line {text.splitlines()[number - 1]!r} is not '#+ key: value'")
        key = name
        header[key] = value.strip()
    family = header.get("family", "")
    if family not in FAMILIES:
        raise ParseError(
            path, 1, 1, f"the rule's family is {family or 'missing'!r}", hint=f"add '#+ family: ' one of {FAMILIES}"
        )
    if not header.get("summary"):
        raise ParseError(path, 1, 1, "the rule has no '#+ summary:' line", hint="add one")
    return Rule(name=path.stem, family=family, summary=header["summary"], text=text, path=path)


def load_rules(
    families: Iterable[str] | None = None,
    folder: str | Path | None = None,
) -> list[Rule]:
    """The rules of ``folder`` (``ontology/rules/`` by default), in file-name order.

    :param families: keep only these families (all when None).
    :raises NotFoundError: the folder holds no rule.
    :raises ParseError: a rule's header is malformed or names an unknown family.
    """
    where = Path(folder) if folder is not None else rules_dir()
    paths = sorted(where.glob("*.rq")) if where.is_dir() else []
    if not paths:
        raise NotFoundError(f"{where}: no rule files (*.rq); check the workspace")
    wanted = set(FAMILIES if families is None else families)
    unknown = wanted - set(FAMILIES)
    if unknown:
        raise NotFoundError(f"unknown rule families {sorted(unknown)}; use some of {', '.join(FAMILIES)}")
    return [rule for rule in map(_parse_rule, paths) if rule.family in wanted]


def infer(store: Store, rules: Sequence[Rule] | None = None, max_rounds: int = 50) -> InferenceResult:
    """Add to ``store`` what the rules entail, until a round adds nothing.

    The store is changed in place: open a store of your own (:func:`pickg.graph.store.open_store`)
    when the caller's data must stay as it was.

    :param store: the store (Oxigraph for big graphs; rdflib works, slowly).
    :param rules: the rules (all of :func:`load_rules` by default).
    :param max_rounds: a bound that a finite graph never reaches (each round adds
        triples from a finite set).
    :returns: the counts before and after and the rounds run.
    """
    chosen = list(rules) if rules is not None else load_rules()
    before = count = len(store)
    result = InferenceResult(before=before, after=before, rounds=0)
    for _ in range(max_rounds):
        start = count
        for rule in chosen:
            try:
                store.update(rule.text)
            except InputError as error:
                raise ParseError(rule.path, None, None, error.message, hint="correct the rule") from None
            now = len(store)
            result.added_by_rule[rule.name] = result.added_by_rule.get(rule.name, 0) + now - count
            count = now
        result.rounds += 1
        if count == start:
            break
    result.after = count
    return result
