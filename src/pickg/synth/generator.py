"""Synthetic data in the project's own model, of any size, for tests and benchmarks.

:func:`synthesize` writes a graph that looks like the curated data of a funders'
collaborative with N neighbourhoods: a programme with two phases, its funders
(role assignments and grants in each phase, budgets that are their sum), the
operator and the partnership, territories, neighbourhoods with their roundtables,
participations with a support tier, 1–6 initiatives per neighbourhood and phase with
French desired-change texts, themes, a maturity stage in Phase 2, links to the
conditions of systems change (stated or judged, with a rationale), the funding each
neighbourhood received (within the phase's budget), and sources and a confidence on
every resource. It uses the real vocabularies (themes, conditions, tiers, roles,
confidence levels) and conforms to the shapes like the curated data.

Every IRI is under the data namespace with a ``synth`` slug
(``https://w3id.org/pickg/id/neighbourhood/synth-000123``), so synthetic resources
never collide with curated ones. The same ``(neighbourhoods, seed)`` gives the same
bytes: the triples come from one seeded :class:`random.Random` in a fixed order and
are written by pyoxigraph's streaming serialiser (N-Triples or Turtle).

Size: about :data:`TRIPLES_PER_NEIGHBOURHOOD` triples per neighbourhood, so
``neighbourhoods = triples / 187`` (54 → ~10k, 535 → ~100k, 5 350 → ~1M,
53 500 → ~10M triples).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from random import Random

import pyoxigraph as ox

from pickg.graph.errors import InputError
from pickg.graph.files import write_atomically
from pickg.graph.formats import FORMATS as RDF_FORMATS
from pickg.graph.namespaces import (
    AMOUNT,
    BASIS,
    CONF,
    DCTERMS,
    INITIATIVE,
    LINK,
    MEMBERSHIP,
    NBH,
    ORG,
    ORGANISATION,
    PARTICIPATION,
    PHASE,
    PIC,
    PREFIXES,
    PROGRAMME,
    RDF,
    RDFS,
    ROLE,
    SCC,
    SCHEMA,
    SOURCE,
    STAGE,
    TERRITORY,
    THEME,
    TIER,
    XSD,
)
from pickg.synth.names import THEME_PHRASES, desired_change, initiative_name, neighbourhood_name, organisation_names

__all__ = ["FORMATS", "TRIPLES_PER_NEIGHBOURHOOD", "SynthResult", "neighbourhoods_for", "synthesize", "triples"]

#: Average number of triples per neighbourhood (measured; the programme-level part
#: adds a few hundred triples more).
TRIPLES_PER_NEIGHBOURHOOD = 187

#: Output formats: name (the suffix) → (file suffix, pyoxigraph format), from
#: :data:`pickg.graph.formats.FORMATS`.
FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {
    suffix[1:]: (suffix, RDF_FORMATS[suffix][1]) for suffix in (".nt", ".ttl")
}

_CONDITIONS = (
    "policies",
    "practices",
    "resource-flows",
    "relationships-and-connections",
    "power-dynamics",
    "mental-models",
)
_THEMES = tuple(THEME_PHRASES)
_PHASES = (1, 2)
_START_YEAR = {1: 2015, 2: 2022}
_ROLE_FR = {"operator": "opérateur", "funder": "bailleur de fonds"}
_END_YEAR = {1: 2023, 2: 2027}


def neighbourhoods_for(target_triples: int) -> int:
    """How many neighbourhoods give about ``target_triples`` triples (at least 1)."""
    return max(1, round(target_triples / TRIPLES_PER_NEIGHBOURHOOD))


@dataclass(frozen=True)
class SynthResult:
    """What :func:`synthesize` wrote."""

    path: Path
    neighbourhoods: int
    seed: int
    triples: int


class _Terms:
    """Cached pyoxigraph terms, so a big graph does not rebuild the same IRIs."""

    def __init__(self) -> None:
        self._cache: dict[str, ox.NamedNode] = {}

    def __call__(self, iri: str) -> ox.NamedNode:
        node = self._cache.get(iri)
        if node is None:
            node = self._cache[iri] = ox.NamedNode(iri)
        return node


def _fr(text: str) -> ox.Literal:
    return ox.Literal(text, language="fr")


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def _typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(datatype))


def _amount(value: int) -> tuple[tuple[str, ox.Literal], tuple[str, ox.Literal]]:
    """An amount's value and currency (Canadian dollars), as facts of a resource."""
    return (str(SCHEMA.value), _money(value)), (str(SCHEMA.currency), ox.Literal("CAD"))


def _money(value: int) -> ox.Literal:
    return _typed(f"{value}.0", str(XSD.decimal))


class _Writer:
    """Turns the model into triples, drawing every choice from one seeded generator."""

    def __init__(self, neighbourhoods: int, seed: int) -> None:
        self.n = neighbourhoods
        self.rng = Random(seed)
        self.iri = _Terms()
        self.sources = [self.iri(f"{SOURCE}synth-{i:05d}") for i in range(max(20, neighbourhoods // 2))]
        self.funders = [f"synth-funder-{i:03d}" for i in range(8 + neighbourhoods // 100)]
        territories = max(3, neighbourhoods // 8)
        self.territories = [f"synth-{i:05d}" for i in range(territories)]
        self.a = self.iri(str(RDF.type))
        p = self.iri
        self.label, self.source, self.confidence = p(str(RDFS.label)), p(str(DCTERMS.source)), p(str(PIC.confidence))
        self.phase_iri = {k: p(f"{PHASE}synth-{k}") for k in _PHASES}
        self.programme = p(f"{PROGRAMME}synth")
        self.partnership = p(f"{ORGANISATION}synth-partnership")
        self.operator = p(f"{ORGANISATION}synth-operator")

    # provenance ---------------------------------------------------------------------
    def _provenance(self, subject: ox.NamedNode, inferred: float = 0.0) -> Iterator[ox.Triple]:
        """``dcterms:source`` (1–3 sources) and a confidence that agrees with their number."""
        rng = self.rng
        count = rng.choice((1, 1, 2, 2, 3))
        chosen = sorted(rng.sample(range(len(self.sources)), count))
        for index in chosen:
            yield ox.Triple(subject, self.source, self.sources[index])
        if inferred and rng.random() < inferred:
            yield ox.Triple(subject, self.confidence, self.iri(str(CONF.inf)))
            yield ox.Triple(
                subject,
                self.iri(str(PIC.rationale)),
                _fr("Déduit du rapport d’activité du quartier, qui ne le dit pas en toutes lettres."),
            )
        else:
            level = CONF.c2 if count >= 2 else CONF.c1
            yield ox.Triple(subject, self.confidence, self.iri(str(level)))

    def _labelled(self, subject: ox.NamedNode, cls: str, fr: str, en: str | None = None) -> Iterator[ox.Triple]:
        yield ox.Triple(subject, self.a, self.iri(cls))
        yield ox.Triple(subject, self.label, _fr(fr))
        if en is not None:
            yield ox.Triple(subject, self.label, _en(en))

    def _resource(
        self,
        subject: ox.NamedNode,
        cls: str,
        labels: tuple[str, str],
        facts: Sequence[tuple[str, ox.NamedNode | ox.Literal]],
        inferred: float = 0.0,
    ) -> Iterator[ox.Triple]:
        """A resource described whole: its class, its French and English labels, ``facts``
        (property IRI, value) in order, then its provenance."""
        yield from self._labelled(subject, cls, *labels)
        for prop, value in facts:
            yield ox.Triple(subject, self.iri(prop), value)
        yield from self._provenance(subject, inferred)

    def _amount_resource(
        self,
        subject: ox.NamedNode,
        cls: str,
        labels: tuple[str, str],
        phase: ox.NamedNode,
        value: int,
        facts: Sequence[tuple[str, ox.NamedNode | ox.Literal]] = (),
        inferred: float = 0.0,
    ) -> Iterator[ox.Triple]:
        """An amount of money of a phase (a grant, a budget, a neighbourhood's funding):
        its phase, ``facts``, then its value in Canadian dollars."""
        return self._resource(subject, cls, labels, [(str(PIC.phase), phase), *facts, *_amount(value)], inferred)

    # the programme ------------------------------------------------------------------
    def programme_triples(self) -> Iterator[ox.Triple]:
        p, t = self.iri, ox.Triple
        for i, subject in enumerate(self.sources):
            yield from self._labelled(subject, str(PIC.Source), f"Source synthétique {i}", f"Synthetic source {i}")
            yield t(
                subject, p(str(SCHEMA.url)), _typed(f"https://example.org/pickg-synth/source/{i:05d}", str(XSD.anyURI))
            )
        yield from self._labelled(self.programme, str(PIC.Programme), "Programme synthétique", "Synthetic programme")
        yield from self._provenance(self.programme)
        for k in _PHASES:
            phase = self.phase_iri[k]
            yield from self._labelled(
                phase, str(PIC.Phase), f"Phase {k} du programme synthétique", f"Synthetic phase {k}"
            )
            yield t(phase, p(str(PIC.phaseOf)), self.programme)
            yield t(self.programme, p(str(PIC.hasPhase)), phase)
            yield t(phase, p(str(PIC.startYear)), _typed(str(_START_YEAR[k]), str(XSD.gYear)))
            yield t(phase, p(str(PIC.endYear)), _typed(str(_END_YEAR[k]), str(XSD.gYear)))
            yield from self._provenance(phase)
        yield from self._labelled(
            self.partnership, str(PIC.Partnership), "Partenariat synthétique", "Synthetic partnership"
        )
        yield from self._provenance(self.partnership)
        yield from self._labelled(self.operator, str(PIC.Organisation), "Opérateur synthétique", "Synthetic operator")
        yield from self._provenance(self.operator)
        for slug in self.territories:
            municipality = self.rng.random() < 0.2
            cls = PIC.Municipality if municipality else PIC.Borough
            kind = "Municipalité" if municipality else "Arrondissement"
            yield from self._labelled(p(f"{TERRITORY}{slug}"), str(cls), f"{kind} synthétique {slug[6:]}")
            yield from self._provenance(p(f"{TERRITORY}{slug}"))
        for slug in self.funders:
            funder = p(f"{ORGANISATION}{slug}")
            yield from self._labelled(funder, str(PIC.Foundation), f"Fondation synthétique {slug[-3:]}")
            yield from self._provenance(funder)

    def phase_money(self, k: int) -> tuple[list[ox.Triple], int]:
        """Role assignments and grants of phase ``k``'s funders, its budget, and the budget's value."""
        p, rng = self.iri, self.rng
        out: list[ox.Triple] = []
        phase = self.phase_iri[k]
        assignments = [("operator", self.operator, ROLE.operator)] + [
            ("funder", p(f"{ORGANISATION}{slug}"), ROLE.funder) for slug in self.funders
        ]
        total = 0
        for role_name, org, role_iri in assignments:
            slug = org.value.rsplit("/", 1)[1]
            ra = p(f"{MEMBERSHIP}phase-synth-{k}-{role_name}-{slug}")
            out += self._resource(
                ra,
                str(PIC.RoleAssignment),
                (f"{slug} — {_ROLE_FR[role_name]}, phase {k}", f"{slug} — {role_name}, Phase {k}"),
                [
                    (str(ORG.member), org),
                    (str(ORG.organization), self.partnership),
                    (str(ORG.role), p(str(role_iri))),
                    (str(PIC.phase), phase),
                ],
                inferred=0.05,
            )
            if role_name != "funder":
                continue
            value = rng.randrange(20, 400) * 5_000 * max(1, self.n // 17)
            total += value
            grant = p(f"{AMOUNT}phase-synth-{k}-grant-{slug}")
            named = (f"Subvention de {slug} pour la phase {k}", f"{slug} grant for Phase {k}")
            out += self._amount_resource(grant, str(PIC.Grant), named, phase, value, [(str(PIC.funder), org)])
        budget = p(f"{AMOUNT}phase-synth-{k}-budget")
        funders = (str(PIC.funderCount), _typed(str(len(self.funders)), str(XSD.integer)))
        named = (f"Budget commun de la phase {k}", f"Phase {k} pooled budget")
        out += self._amount_resource(budget, str(PIC.Budget), named, phase, total, [funders])
        return out, total

    # one neighbourhood -------------------------------------------------------------
    def neighbourhood_triples(
        self, i: int, phases: list[int], shares: dict[int, dict[int, int]]
    ) -> Iterator[ox.Triple]:
        p, t, rng = self.iri, ox.Triple, self.rng
        slug = f"synth-{i:06d}"
        name = neighbourhood_name(rng, i)
        nbh = p(f"{NBH}{slug}")
        table = p(f"{ORGANISATION}{slug}-table")
        yield from self._labelled(nbh, str(PIC.Neighbourhood), name)
        yield t(nbh, p(str(PIC.ordinal)), _typed(str(i), str(XSD.integer)))
        yield t(nbh, p(str(PIC.roundtable)), table)
        for territory in sorted(rng.sample(self.territories, 2 if rng.random() < 0.1 else 1)):
            yield t(nbh, p(str(PIC.territory)), p(f"{TERRITORY}{territory}"))
        yield from self._provenance(nbh)
        yield from self._labelled(table, str(PIC.Roundtable), f"Table de quartier de {name}")
        yield t(table, p(str(PIC.roundtableOf)), nbh)
        yield from self._provenance(table)
        names = organisation_names(rng, name, rng.choice((1, 2)))
        orgs = [p(f"{ORGANISATION}{slug}-org-{j}") for j in range(1, len(names) + 1)]
        for org, org_name in zip(orgs, names, strict=True):
            yield from self._labelled(org, str(PIC.CommunityOrganisation), org_name)
            yield from self._provenance(org)
        for k in phases:
            phase = self.phase_iri[k]
            part = p(f"{PARTICIPATION}phase-synth-{k}-{slug}")
            tier = TIER.intensive if rng.random() < 0.3 else TIER.moderate
            yield from self._resource(
                part,
                str(PIC.Participation),
                (f"Participation de {name} à la phase {k}", f"{name} in Phase {k}"),
                [(str(PIC.neighbourhood), nbh), (str(PIC.phase), phase), (str(PIC.supportTier), p(str(tier)))],
            )
            share = shares[k].get(i)
            if share:  # unknown funding stays absent
                funding = p(f"{AMOUNT}phase-synth-{k}-funding-{slug}")
                yield from self._amount_resource(
                    funding,
                    str(PIC.NeighbourhoodFunding),
                    (f"Financement de la phase {k} — {name}", f"Phase {k} funding — {name}"),
                    phase,
                    share,
                    [(str(PIC.neighbourhood), nbh)],
                    inferred=0.1,
                )
            for j in range(1, rng.randint(1, 6) + 1):
                yield from self._initiative(slug, name, nbh, k, j, orgs)

    def _initiative(
        self, slug: str, name: str, nbh: ox.NamedNode, k: int, j: int, orgs: list[ox.NamedNode]
    ) -> Iterator[ox.Triple]:
        p, t, rng = self.iri, ox.Triple, self.rng
        themes = sorted(rng.sample(_THEMES, rng.choice((1, 1, 2, 2, 3))))
        text, horizon = desired_change(rng, themes, name)
        local = f"{slug}-phase-{k}-{j}"
        ini = p(f"{INITIATIVE}{local}")
        label = f"{initiative_name(rng, themes[0], name)} (phase {k}, no {j})"
        yield from self._labelled(ini, str(PIC.Initiative), label)
        yield t(ini, p(str(PIC.desiredChange)), _fr(text))
        yield t(ini, p(str(PIC.neighbourhood)), nbh)
        yield t(ini, p(str(PIC.phase)), self.phase_iri[k])
        yield t(ini, p(str(PIC.ordinal)), _typed(str(j), str(XSD.integer)))
        for theme in themes:
            yield t(ini, p(str(PIC.theme)), p(f"{THEME}{theme}"))
        if horizon is not None:
            yield t(ini, p(str(PIC.timeHorizonYears)), _typed(str(horizon), str(XSD.integer)))
        if k == 2:
            stage = rng.choice((STAGE.planning, STAGE.implementation, STAGE.scaling))
            yield t(ini, p(str(PIC.maturityStage)), p(str(stage)))
        if orgs and rng.random() < 0.5:
            yield t(ini, p(str(PIC.leadOrganisation)), rng.choice(orgs))
        yield from self._provenance(ini)
        for condition in sorted(rng.sample(_CONDITIONS, rng.choice((1, 1, 2, 3)))):
            link = p(f"{LINK}initiative-{local}--{condition}")
            facts: list[tuple[str, ox.NamedNode | ox.Literal]] = [
                (str(PIC.linkedResource), ini),
                (str(PIC.condition), p(f"{SCC}{condition}")),
            ]
            if rng.random() < 0.4:
                facts.append((str(PIC.basis), p(str(BASIS.stated))))
            else:
                facts.append((str(PIC.basis), p(str(BASIS.judged))))
                facts.append(
                    (str(PIC.rationale), _fr("Le texte du changement souhaité vise cette condition sans la nommer."))
                )
            yield from self._resource(
                link,
                str(PIC.ConditionLink),
                (
                    f"{name}, phase {k}, initiative {j} — condition {condition}",
                    f"{name}, Phase {k}, initiative {j} — {condition} condition",
                ),
                facts,
            )

    def all_triples(self) -> Iterator[ox.Triple]:
        yield from self.programme_triples()
        rng = self.rng
        phase_one = sorted(rng.sample(range(1, self.n + 1), max(1, self.n // 2)))
        in_phase_one = set(phase_one)
        shares: dict[int, dict[int, int]] = {}
        for k in _PHASES:
            money, budget = self.phase_money(k)
            yield from money
            members = phase_one if k == 1 else list(range(1, self.n + 1))
            weights = [rng.randint(1, 10) for _ in members]
            known = [rng.random() < 0.6 for _ in members]
            pool = budget * 8 // 10  # neighbourhoods receive at most 80 % of the budget
            scale = sum(weights)
            shares[k] = {i: pool * w // scale for i, w, ok in zip(members, weights, known, strict=True) if ok}
        for i in range(1, self.n + 1):
            phases = list(_PHASES) if i in in_phase_one else [2]
            yield from self.neighbourhood_triples(i, phases, shares)


def triples(neighbourhoods: int, seed: int = 0) -> Iterator[ox.Triple]:
    """The synthetic graph's triples, in their deterministic order.

    :raises InputError: ``neighbourhoods`` is smaller than 1.
    """
    if neighbourhoods < 1:
        raise InputError(f"--neighbourhoods {neighbourhoods}: give at least 1 neighbourhood")
    return _Writer(neighbourhoods, seed).all_triples()


def synthesize(
    neighbourhoods: int,
    out_dir: str | os.PathLike[str],
    seed: int = 0,
    format: str = "nt",
) -> SynthResult:
    """Write a synthetic graph of ``neighbourhoods`` neighbourhoods to ``out_dir``.

    The file is ``synthetic-<N>-<seed>.nt`` (or ``.ttl``), written atomically: on any
    failure nothing is left behind.

    :param neighbourhoods: how many neighbourhoods (see :func:`neighbourhoods_for`).
    :param out_dir: the folder to write to (created when missing).
    :param seed: the seed; the same seed and size give the same bytes.
    :param format: ``"nt"`` (N-Triples) or ``"ttl"`` (Turtle with the project's prefixes).
    :raises InputError: a bad size or format, or a folder that cannot be written.
    """
    if format not in FORMATS:
        raise InputError(f"--format {format!r} is not a synthetic data format; use nt or ttl")
    suffix, rdf_format = FORMATS[format]
    generated = triples(neighbourhoods, seed)
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{folder}: cannot create the output folder ({exc.strerror}); choose another --out") from None
    target = folder / f"synthetic-{neighbourhoods}-{seed}{suffix}"
    count = 0

    def counted() -> Iterator[ox.Triple]:
        nonlocal count
        for triple in generated:
            count += 1
            yield triple

    prefixes = PREFIXES if rdf_format == ox.RdfFormat.TURTLE else None
    write_atomically(target, lambda tmp: ox.serialize(counted(), tmp, rdf_format, prefixes=prefixes), mode=0o644)
    return SynthResult(path=target, neighbourhoods=neighbourhoods, seed=seed, triples=count)
