"""Issue 18: the command line speaks the reader's language, and says a finding once.

The language follows the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: French or
English, English otherwise) unless ``PICKG_LANG`` or ``--lang`` says otherwise.
Validation prints a finding shared by several resources once, with their list, unless
``--verbose``.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from pickg.cli import main
from pickg.graph.errors import InputError
from pickg.graph.messages import reader_language

NO_LANGUAGE = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": None, "PICKG_LANG": None}


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "fr_CA.UTF-8"}, "fr"),
        ({"LANG": "fr"}, "fr"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
        ({"LC_ALL": "fr_FR.UTF-8", "LANG": "en_GB.UTF-8"}, "fr"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "fr_CA.UTF-8"}, "en"),
        ({"LC_MESSAGES": "fr_BE.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LC_ALL": "", "LANG": "fr_CA.UTF-8"}, "fr"),
        ({"PICKG_LANG": "fr", "LANG": "en_CA.UTF-8"}, "fr"),
        ({"PICKG_LANG": "", "LANG": "fr_CA.UTF-8"}, "fr"),
    ],
)
def test_the_language_of_the_locale(environ: dict[str, str], expected: str) -> None:
    assert reader_language(environ=environ) == expected


def test_an_explicit_choice_wins_and_an_unknown_language_is_refused() -> None:
    assert reader_language("fr", environ={"PICKG_LANG": "en", "LC_ALL": "en_CA.UTF-8"}) == "fr"
    with pytest.raises(InputError, match="'de' is not one pickg speaks"):
        reader_language("de", environ={})
    with pytest.raises(InputError, match="PICKG_LANG 'es'"):
        reader_language(environ={"PICKG_LANG": "es"})


def _validate(env: dict[str, str | None], *args: str):
    return CliRunner(env={**NO_LANGUAGE, **env}).invoke(main, ["validate", "--engine", "fast", *args])


@pytest.mark.parametrize(
    ("env", "args", "summary"),
    [
        ({"LANG": "fr_CA.UTF-8"}, (), "Conforme : "),
        ({"LANG": "C.UTF-8"}, (), "Conforms: "),
        ({}, (), "Conforms: "),
        ({"LANG": "C.UTF-8", "PICKG_LANG": "fr"}, (), "Conforme : "),
        ({"LC_ALL": "fr_CA.UTF-8"}, ("--lang", "en"), "Conforms: "),
        ({"LC_ALL": "fr_CA.UTF-8", "PICKG_LANG": "en"}, (), "Conforms: "),
    ],
)
def test_validate_speaks_the_language_asked_for(env: dict[str, str], args: tuple[str, ...], summary: str) -> None:
    result = _validate(env, *args)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith(summary)


def test_the_help_says_where_the_language_comes_from() -> None:
    result = CliRunner(env=NO_LANGUAGE).invoke(main, ["validate", "--help"])
    assert "PICKG_LANG" in result.stdout and "LANG" in result.stdout.replace("PICKG_LANG", "")


def test_a_finding_shared_by_several_resources_is_printed_once() -> None:
    """The shipped data's warnings: each finding once, with the count and list of its resources."""
    report = json.loads(_validate({"LANG": "C.UTF-8"}, "--format", "json").stdout)
    findings = Counter((r["severity"], r["shape"] or r["check"], r["path"], r["message"]) for r in report["results"])
    shared = {key: n for key, n in findings.items() if n > 1}
    assert shared, "the shipped data has no finding shared by several resources to show"
    text = _validate({"LANG": "C.UTF-8"}).stdout
    verbose = _validate({"LANG": "C.UTF-8"}, "--verbose").stdout
    for (_severity, shape, _path, message), n in shared.items():
        assert text.count(message) == 1, text
        assert f"{n} resources" in text and shape in text
        assert verbose.count(message) == n
    for result in report["results"]:
        assert result["focus"] in text and result["focus"] in verbose
    assert text.splitlines()[-1] == verbose.splitlines()[-1]  # the same counts
