"""Synthetic data: deterministic, in the project's model, of the size asked for."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from pickg.graph.namespaces import CONF, DCTERMS, ID, PIC, RDF, SCHEMA
from pickg.synth.generator import TRIPLES_PER_NEIGHBOURHOOD, neighbourhoods_for, synthesize, triples
from tests.support.runs import run_pickg


@pytest.fixture(scope="module")
def synthetic(synthetic_file: Path) -> Graph:
    return Graph().parse(synthetic_file, format="nt")


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    first = synthesize(5, tmp_path / "a", seed=11, format="ttl")
    second = synthesize(5, tmp_path / "b", seed=11, format="ttl")
    other = synthesize(5, tmp_path / "c", seed=12, format="ttl")
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.path.read_bytes() != other.path.read_bytes()
    assert Graph().parse(first.path).isomorphic(Graph().parse(second.path))


def test_reported_count_is_the_file_count(synthetic_file: Path, synthetic: Graph) -> None:
    lines = [line for line in synthetic_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) == len(synthetic)
    assert synthetic_file.name == "synthetic-12-7.nt"


def test_size_grows_with_the_neighbourhoods() -> None:
    small = sum(1 for _ in triples(20, seed=1))
    large = sum(1 for _ in triples(200, seed=1))
    per_neighbourhood = (large - small) / 180
    assert 0.8 * TRIPLES_PER_NEIGHBOURHOOD < per_neighbourhood < 1.2 * TRIPLES_PER_NEIGHBOURHOOD
    assert neighbourhoods_for(1_000_000) == round(1_000_000 / TRIPLES_PER_NEIGHBOURHOOD)


def test_every_iri_it_mints_is_synthetic(synthetic: Graph) -> None:
    subjects = {s for s in synthetic.subjects() if isinstance(s, URIRef)}
    assert subjects and all(str(s).startswith(str(ID)) for s in subjects)
    assert all(str(s).rsplit("/", 1)[1].startswith(("synth", "phase-synth-", "initiative-synth-")) for s in subjects)


def test_every_typed_resource_has_sources_and_one_confidence(synthetic: Graph) -> None:
    for subject in set(synthetic.subjects(RDF.type)):
        if (subject, RDF.type, PIC.Source) in synthetic:
            assert (subject, SCHEMA.url, None) in synthetic
            continue
        sources = set(synthetic.objects(subject, DCTERMS.source))
        confidence = list(synthetic.objects(subject, PIC.confidence))
        assert sources, subject
        assert len(confidence) == 1, subject
        if confidence[0] == CONF.c2:
            assert len(sources) >= 2, subject
        if confidence[0] == CONF.inf:
            assert (subject, PIC.rationale, None) in synthetic


def test_initiatives_have_french_desired_changes_and_themes(synthetic: Graph) -> None:
    initiatives = set(synthetic.subjects(RDF.type, PIC.Initiative))
    per_participation = Counter(
        (synthetic.value(i, PIC.neighbourhood), synthetic.value(i, PIC.phase)) for i in initiatives
    )
    assert set(per_participation.values()) <= set(range(1, 7))
    for initiative in initiatives:
        (text,) = synthetic.objects(initiative, PIC.desiredChange)
        assert isinstance(text, Literal) and text.language == "fr" and text.startswith("« ")
        assert set(synthetic.objects(initiative, PIC.theme))
        horizon = synthetic.value(initiative, PIC.timeHorizonYears)
        if horizon is not None:
            assert f"{horizon} ans" in text


def test_condition_links_point_at_initiatives_and_judged_ones_say_why(synthetic: Graph) -> None:
    links = set(synthetic.subjects(RDF.type, PIC.ConditionLink))
    assert links
    for link in links:
        assert (synthetic.value(link, PIC.linkedResource), RDF.type, PIC.Initiative) in synthetic
        basis = str(synthetic.value(link, PIC.basis))
        assert basis.endswith(("/stated", "/judged"))
        assert basis.endswith("/stated") or synthetic.value(link, PIC.rationale) is not None


def test_money_adds_up(synthetic: Graph) -> None:
    for budget in synthetic.subjects(RDF.type, PIC.Budget):
        phase = synthetic.value(budget, PIC.phase)
        total = synthetic.value(budget, SCHEMA.value).toPython()
        grants = [
            synthetic.value(g, SCHEMA.value).toPython()
            for g in synthetic.subjects(RDF.type, PIC.Grant)
            if synthetic.value(g, PIC.phase) == phase
        ]
        funding = [
            synthetic.value(f, SCHEMA.value).toPython()
            for f in synthetic.subjects(RDF.type, PIC.NeighbourhoodFunding)
            if synthetic.value(f, PIC.phase) == phase
        ]
        assert sum(grants, Decimal(0)) == total
        assert 0 < sum(funding, Decimal(0)) <= total


@pytest.mark.system
def test_cli_writes_and_reports(tmp_path: Path) -> None:
    result = run_pickg("synth", "--neighbourhoods", "3", "--seed", "5", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    path, count, *_ = result.stdout.strip().split("\t")
    assert Path(path) == tmp_path / "synthetic-3-5.nt"
    # "1,106 triples" (or « 1 106 triplets »): the count is written as the reader reads numbers
    assert int("".join(ch for ch in count if ch.isdigit())) == len(Graph().parse(path, format="nt"))


@pytest.mark.system
def test_cli_rejects_a_bad_size_and_leaves_nothing(tmp_path: Path) -> None:
    result = run_pickg("synth", "--neighbourhoods", "0", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
