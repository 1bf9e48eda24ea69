"""The message catalogues: complete in every language, plural rules from CLDR, numbers by
Babel, and no module that chooses its words with an ``if lang == "fr"``."""

from __future__ import annotations

import re
import string
from decimal import Decimal
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.plurals import get_plural
from babel.numbers import format_decimal

from pickg.graph.messages import (
    LANGUAGES,
    catalogue,
    format_money,
    format_number,
    in_every_language,
    language,
    other_language,
    translate,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "pickg"

#: A comparison of a language variable (``lang``, ``self.lang``, ``o.language``…) with a
#: language tag written in the code, either way round, in Python or in a Jinja2 template.
_LANG_BRANCH = re.compile(
    r"""\b\w*lang\w*\s*(?:==|!=)\s*['"](?:fr|en)['"]"""
    r"""|['"](?:fr|en)['"]\s*(?:==|!=)\s*[\w.]*lang\w*\b"""
)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _entries(lang: str) -> dict[str, str | list[str]]:
    return {
        f"{table}.{key}": value
        for table, entries in catalogue(lang).items()
        if table != "language"
        for key, value in entries.items()
    }


def test_every_language_has_the_same_keys() -> None:
    keys = {lang: set(_entries(lang)) for lang in LANGUAGES}
    for lang in LANGUAGES:
        for other in LANGUAGES:
            assert not keys[lang] - keys[other], f"in {lang}.toml, not in {other}.toml: {keys[lang] - keys[other]}"


def test_every_text_has_the_same_placeholders_in_every_language() -> None:
    first, *others = LANGUAGES
    for key, text in _entries(first).items():
        forms = text if isinstance(text, list) else [text]
        expected = set().union(*(_fields(form) for form in forms))
        for lang in others:
            theirs = _entries(lang)[key]
            their_forms = theirs if isinstance(theirs, list) else [theirs]
            assert isinstance(theirs, list) == isinstance(text, list), f"{key}: plural in one language only"
            for form in their_forms:
                assert _fields(form) == expected, f"{key} in {lang}: {form!r} has not the fields {expected}"


def test_plural_texts_have_one_form_per_plural_of_their_language_and_a_count() -> None:
    for lang in LANGUAGES:
        for key, text in _entries(lang).items():
            if isinstance(text, list):
                assert len(text) == language(lang).plurals, f"{key} in {lang}: {len(text)} forms"
                assert all("{n}" in form for form in text), f"{key} in {lang}: a form without its count"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_rule_is_the_one_cldr_gives(lang: str) -> None:
    """The catalogue's gettext rule is Babel's for the language, and picks the form CLDR does."""
    cldr = get_plural(lang)
    assert (language(lang).plurals, language(lang).plural) == (cldr.num_plurals, cldr.plural_expr)
    categories = Locale.parse(lang).plural_form
    order = [tag for tag in ("one", "two", "few", "many") if tag in categories.tags] + ["other"]
    for n in [*range(0, 2001), 1_000_000, 2_000_000, 1_500_000, 10**9]:
        assert order[language(lang).plural_index(n)] == categories(n), n


def test_french_counts_zero_and_one_in_the_singular() -> None:
    assert translate("fr", "cli.rows", n=0) == "0 ligne"
    assert translate("fr", "cli.rows", n=1) == "1 ligne"
    assert translate("fr", "cli.rows", n=2) == "2 lignes"
    assert translate("fr", "cli.rows", n=1_000_000) == "1\u202f000\u202f000 de lignes"
    assert translate("en", "cli.rows", n=0) == "0 rows"
    assert translate("en", "cli.rows", n=1) == "1 row"
    assert translate("en", "cli.rows", n=2742) == "2,742 rows"


def test_a_field_given_in_every_language_shows_the_readers_one() -> None:
    headers = {"fr": "Nom", "en": "Name"}
    assert translate("fr", "problems.missing_column", column=headers).startswith("la colonne « Nom » manque")
    assert translate("en", "problems.missing_column", column=headers).startswith("column 'Name' is missing")


def test_in_every_language_keeps_the_catalogues_order() -> None:
    titles = in_every_language("release.dataset_title")
    assert list(titles) == list(LANGUAGES)
    assert titles["en"] == "Projet impact collectif knowledge graph (pickg)"


def test_other_language() -> None:
    assert other_language("fr") == "en" and other_language("en") == "fr"


def test_an_unknown_language_is_named() -> None:
    with pytest.raises(KeyError, match="no message catalogue for language 'de'"):
        catalogue("de")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_numbers_are_babels(lang: str) -> None:
    """The integers written without loading Babel's locale data are what Babel writes."""
    for n in range(-999, 1000):
        assert format_number(n, lang) == format_decimal(n, locale=lang)
    for n in (1000, -1000, 23_000_000, 7487):
        assert format_number(n, lang) == format_decimal(n, locale=lang)
    assert format_number(23_000_000, "fr") == "23\u202f000\u202f000"
    assert format_number(23_000_000, "en") == "23,000,000"
    assert format_number(20.8, "fr", decimals=1) == "20,8"
    assert format_number(1500.125, "en") == "1,500.125"


def test_the_branch_pattern_finds_a_branch_on_the_language() -> None:
    planted = [
        'x = "a" if lang == "fr" else "b"',
        "if self.lang != 'en':",
        '{{ "a" if ctx.lang == "fr" else "b" }}',
        'if "fr" == outcome.lang:',
        'french = [o for o in labels if o.language == "fr"]',
    ]
    assert all(_LANG_BRANCH.search(line) for line in planted)
    assert not _LANG_BRANCH.search("if lang == DATA_LANGUAGE:")


def test_no_module_chooses_its_words_by_language() -> None:
    """Words come from the catalogues; what differs by language besides words is data
    (``DATA_LANGUAGE``, a catalogue's ``[language]`` table), never an ``if lang == "fr"``."""
    found = []
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in (".py", ".j2"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if _LANG_BRANCH.search(line):
                found.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_english_texts_use_english_typography() -> None:
    """Issue 26: no space before a colon, semicolon, ! or ?, and no « guillemets » in English."""
    french_marks = re.compile(r"[ \u00a0\u202f][:;!?](?:\s|$)|[«»]")
    found = {
        key: text
        for key, value in _entries("en").items()
        for text in ([value] if isinstance(value, str) else value)
        if french_marks.search(text)
    }
    assert not found, found


def test_money_is_babels_with_cents_only_when_there_are_some() -> None:
    assert format_money(23_000_000.0, "CAD", "en") == "CA$23,000,000"
    assert format_money(23_000_000, "CAD", "fr") == "23\u202f000\u202f000\xa0$CA"
    assert format_money(Decimal("1866453.50"), "CAD", "en") == "CA$1,866,453.50"
    assert format_money(12.5, "EUR", "fr") == "12,50\xa0€"
