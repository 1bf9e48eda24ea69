"""Two stewards at once (issue 29): an export carries its origin, an import compares three versions.

Steward A and steward B export the same data; A writes first. Whatever B's workbook
holds as it was exported never overwrites A's work; a row both changed is a conflict,
listed at its cell with both values, and nothing is written.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from pickg.cli import main
from pickg.graph.messages import reader_language
from pickg.graph.namespaces import PIC, RDF, RDFS, SCHEMA
from pickg.graph.rdfio import load
from pickg.graph.workspace import Workspace
from pickg.sheets import export_workbook, import_workbook
from pickg.sheets.origin import import_lock
from tests.support.workbooks import RDF_WORDS, data_bytes, data_digest, edit, row_of, set_cell

AMOUNT = "amount:investment-mercier-est-en-reseau-since-2016"
AMOUNT_IRI = URIRef("https://w3id.org/pickg/id/amount/investment-mercier-est-en-reseau-since-2016")
VERDUN = URIRef("https://w3id.org/pickg/id/neighbourhood/verdun")
PICKG = [sys.executable, "-m", "pickg.cli"]

#: The words of each language the scenario reads: sheet, headers, what the import says.
WORDS = {
    "fr": {"amounts": "Montants", "amount": "Montant", "name": "Nom (en)", "nbh": "Quartiers", "rank": "Rang"},
    "en": {"amounts": "Amounts", "amount": "Amount", "name": "Name (en)", "nbh": "Neighbourhoods", "rank": "Ordinal"},
}
CONFLICT = {
    "fr": "mais depuis votre export les données portent « 235000 »",
    "en": "since your export the data holds '235000'",
}


def amount_value() -> Literal | None:
    value = load().value(AMOUNT_IRI, SCHEMA.value)
    return value if isinstance(value, Literal) else None


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_stale_workbook_that_changed_the_same_row_is_a_conflict_and_writes_nothing(
    lang: str, tmp_path: Path, workspace_copy: Workspace, shipped_export: Callable[[str], Path]
) -> None:
    w = WORDS[lang]
    exported = shipped_export(lang)
    a, _ = edit(exported, tmp_path / "a.xlsx", set_cell(w["amounts"], AMOUNT, w["amount"], 235000))
    b, b_cell = edit(exported, tmp_path / "b.xlsx", set_cell(w["amounts"], AMOUNT, w["name"], "Mercier-Est network"))
    assert CliRunner().invoke(main, ["sheet", "import", str(a), "--write", "--lang", lang]).exit_code == 0
    written = amount_value()
    assert written is not None and int(written.toPython()) == 235000
    before = data_digest(workspace_copy)

    result = CliRunner().invoke(main, ["sheet", "import", str(b), "--write", "--lang", lang])
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    amount_line = next(line for line in lines if CONFLICT[lang] in line)
    row = "".join(ch for ch in str(b_cell).split("!")[1] if ch.isdigit())
    amount_cell = f"{w['amounts']}!F{row}"  # the amount's column is F
    assert amount_line.strip().startswith(f"{amount_cell}: ") and "233000" in amount_line
    assert any(line.strip().startswith(f"{b_cell}: ") and "Mercier-Est network" in line for line in lines)
    assert data_digest(workspace_copy) == before  # nothing written
    assert not RDF_WORDS.search(result.output), result.output
    assert int(amount_value().toPython()) == 235000

    # B exports again, makes his change again: it goes in, and A's is kept
    again = tmp_path / "again.xlsx"
    export_workbook(again, lang=lang)
    b2, _ = edit(again, tmp_path / "b2.xlsx", set_cell(w["amounts"], AMOUNT, w["name"], "Mercier-Est network"))
    result = CliRunner().invoke(main, ["sheet", "import", str(b2), "--write", "--lang", lang])
    assert result.exit_code == 0, result.output
    graph = load()
    assert int(graph.value(AMOUNT_IRI, SCHEMA.value).toPython()) == 235000
    assert Literal("Mercier-Est network", lang="en") in set(graph.objects(AMOUNT_IRI, RDFS.label))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_two_stewards_changing_different_rows_both_keep_their_change(
    lang: str, tmp_path: Path, workspace_copy: Workspace, shipped_export: Callable[[str], Path]
) -> None:
    w = WORDS[lang]
    exported = shipped_export(lang)
    a, _ = edit(exported, tmp_path / "a.xlsx", set_cell(w["amounts"], AMOUNT, w["amount"], 235000))
    b, _ = edit(exported, tmp_path / "b.xlsx", set_cell(w["nbh"], "nbh:verdun", w["rank"], 99))
    assert import_workbook(a, write=True, lang=lang).written == ["data/neighbourhood-funding.ttl"]
    outcome = import_workbook(b, write=True, lang=lang)
    assert [(c.label, c.before, c.after) for c in outcome.changes] == [("Verdun", ("16",), ("99",))]
    assert outcome.written == ["data/neighbourhoods.ttl"]
    graph = load()
    assert int(graph.value(AMOUNT_IRI, SCHEMA.value).toPython()) == 235000
    assert {int(v.toPython()) for v in graph.objects(VERDUN, URIRef("https://w3id.org/pickg/ontology#ordinal"))} == {99}


def test_a_row_added_since_the_export_is_not_removed_by_an_older_workbook(
    workspace_copy: Workspace, shipped_export: Callable[[str], Path]
) -> None:
    old = shipped_export(reader_language())  # the language an import speaks by default
    (workspace_copy.data_dir / "events.ttl").write_text(
        (workspace_copy.data_dir / "events.ttl").read_text(encoding="utf-8")
        + "\n<https://w3id.org/pickg/id/event/added-since> a <https://w3id.org/pickg/ontology#Event> ;\n"
        '    <http://www.w3.org/2000/01/rdf-schema#label> "Ajouté depuis"@fr .\n',
        encoding="utf-8",
    )
    outcome = import_workbook(old)
    assert outcome.changes == [] and outcome.removed == set()


def test_a_second_import_while_one_writes_is_told_to_wait(
    exported_fr: Path, tmp_path: Path, workspace_copy: Workspace
) -> None:
    workbook, _ = edit(exported_fr, tmp_path / "b.xlsx", set_cell("Quartiers", "nbh:verdun", "Rang", 99))
    before = data_digest(workspace_copy)
    with import_lock(workspace_copy, "fr"):
        result = CliRunner().invoke(main, ["sheet", "import", str(workbook), "--write", "--lang", "fr"])
    assert result.exit_code == 2
    assert f"une autre importation (processus {os.getpid()}) écrit en ce moment dans les données" in result.output
    assert data_digest(workspace_copy) == before
    assert CliRunner().invoke(main, ["sheet", "import", str(workbook), "--write"]).exit_code == 0


@pytest.fixture
def exported_fr(workspace_copy: Workspace, shipped_export: Callable[[str], Path]) -> Path:
    return shipped_export("fr")


def _new_rows(book) -> None:
    from tests.sheets.test_sheets import add_neighbourhood

    add_neighbourhood(book)


@pytest.mark.system
def test_a_write_killed_at_any_moment_leaves_each_data_file_as_before_or_as_after(
    exported_fr: Path, tmp_path: Path, workspace_copy: Workspace
) -> None:
    workbook, _ = edit(exported_fr, tmp_path / "new.xlsx", _new_rows)
    home = workspace_copy.root
    before = data_bytes(workspace_copy)
    env = {**os.environ, "PICKG_HOME": str(home), "PICKG_LANG": "fr"}
    started = time.monotonic()
    done = subprocess.run([*PICKG, "sheet", "import", str(workbook), "--write"], env=env, capture_output=True)
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    after = data_bytes(workspace_copy)
    changed = {name for name in after if after[name] != before[name]}
    assert len(changed) == 4
    rng = random.Random(29)
    outcomes = set()
    for _ in range(20):
        for name, data in before.items():
            (workspace_copy.data_dir / name).write_bytes(data)
        process = subprocess.Popen([*PICKG, "sheet", "import", str(workbook), "--write"], env=env)
        # Most of the run reads and validates, the end writes. The moments reach from early in
        # the run to past its end, since a run's time moves with the machine's load; one that
        # ends first is not killed, and the next begins at once.
        try:
            process.wait(timeout=rng.uniform(0.3, 1.3) * took)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
        now = data_bytes(workspace_copy)
        assert now.keys() == before.keys()
        for name, data in now.items():
            assert data in (before[name], after[name]), name
        outcomes.add(tuple(sorted(name for name in changed if now[name] == after[name])))
        for stray in workspace_copy.data_dir.glob(".*.tmp"):
            stray.unlink()  # a staged file the kill left: never read, and removed here
    assert len(outcomes) >= 2  # some kills came before the write, some after or during


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_older_export_says_a_deleted_row_stays_deleted_and_restore_puts_it_back(
    lang: str, tmp_path: Path, workspace_copy: Workspace, shipped_export: Callable[[str], Path]
) -> None:
    sheet = {"fr": "Événements", "en": "Events"}[lang]
    old = shipped_export(lang)
    event = "event:2015-10-public-announcement"

    def delete(book) -> None:
        ws = book[sheet]
        ws.delete_rows(row_of(ws, event))

    deleted, _ = edit(old, tmp_path / "deleted.xlsx", delete)
    outcome = import_workbook(deleted, write=True, lang=lang)
    assert [(c.kind, c.sheet) for c in outcome.changes] == [("removed", sheet)]
    after_delete = data_digest(workspace_copy)

    again = import_workbook(old, write=True, lang=lang)  # the export made before the deletion
    assert again.changes == [] and again.written == [] and data_digest(workspace_copy) == after_delete
    [notice] = again.notices
    assert notice.where.startswith(f"{sheet}!A")
    words = {
        "fr": "a été supprimée des données depuis l'export de ce classeur : elle n'est pas remise",
        "en": "was deleted from the data since this workbook was exported: it is not put back",
    }
    assert words[lang] in notice.message(lang) and "--restore" in notice.message(lang)
    assert not RDF_WORDS.search(notice.message(lang))

    restored = import_workbook(old, write=True, restore=True, lang=lang)
    assert {c.kind for c in restored.changes} == {"added"} and restored.conforms
    assert {c.resource for c in restored.changes} == {event}
    subject = URIRef("https://w3id.org/pickg/id/event/2015-10-public-announcement")
    assert (subject, RDF.type, PIC.Event) in load()
