"""The words pickg shows people, one catalogue per language, and numbers for people.

Each language has one file, ``pickg/locales/<lang>.toml``: a ``[language]`` table (its
gettext plural rule and the suffix of its web pages), then one table per part of pickg
(``[cli]``, ``[release]``, ``[site]``, ``[sheets]``, …) of *key = text*. A text is a
:meth:`str.format` template (``"{n} fichiers"``); a text that depends on a count is a
list of the language's plural forms, chosen by its plural rule (French: 0 and 1 take
the singular). ``tests/graph/test_messages.py`` checks that both files have the same
keys, the same placeholders and as many forms as their plural rule, and that the rule is
the one CLDR gives the language (through Babel).

Numbers and money are written by Babel (:func:`format_number`, :func:`format_money`).

Which language a reader gets is decided in one place, :func:`reader_language`: the CLI's
``--lang``, the Python API's ``lang=None``, the stewards' workbook and the website's
messages all call it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from pickg.graph.errors import InputError

__all__ = [
    "DATA_LANGUAGE",
    "FALLBACK_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_VARIABLE",
    "LOCALE_VARIABLES",
    "Language",
    "catalogue",
    "format_money",
    "format_number",
    "in_every_language",
    "language",
    "load_number_data",
    "other_language",
    "reader_language",
    "translate",
    "words",
]

#: The languages pickg speaks, each with its catalogue.
LANGUAGES = ("fr", "en")
#: The language the graph's own text is written in: its labels are required in it, and a
#: reader of another language sees them glossed where a translation exists.
DATA_LANGUAGE = "fr"
#: The variable that chooses the language for every command and call (``PICKG_LANG=en``).
LANGUAGE_VARIABLE = "PICKG_LANG"
#: The locale variables that name the language of messages, strongest first (POSIX).
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
#: The language when nothing chooses one: no locale, the ``C`` locale, or a locale in a
#: language pickg does not speak (English is the one more readers outside Québec read).
FALLBACK_LANGUAGE = "en"


def reader_language(lang: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language to speak to the reader, by the one rule of pickg.

    The first of: ``lang`` when given (``--lang``, ``lang="en"``); ``PICKG_LANG`` when
    set; the locale, read from the first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG``
    that is set (``fr_CA.UTF-8`` is French, ``en_GB.UTF-8`` English); else
    :data:`FALLBACK_LANGUAGE` (English), which is also the answer for a locale in
    another language or ``C``.

    >>> reader_language(environ={"LANG": "fr_CA.UTF-8"})
    'fr'
    >>> reader_language("en", environ={"LANG": "fr_CA.UTF-8"})
    'en'
    >>> reader_language(environ={"LANG": "C.UTF-8"})
    'en'

    :param lang: the reader's explicit choice, or None.
    :param environ: the environment to read (:data:`os.environ` when None).
    :raises InputError: ``lang`` or ``PICKG_LANG`` is a language pickg does not speak.
    """
    import os

    env = os.environ if environ is None else environ
    chosen, where = (lang, "the language") if lang is not None else (env.get(LANGUAGE_VARIABLE), LANGUAGE_VARIABLE)
    if chosen:
        if chosen not in LANGUAGES:
            raise InputError(f"{where} {chosen!r} is not one pickg speaks; use one of {', '.join(LANGUAGES)}")
        return chosen
    for name in LOCALE_VARIABLES:
        value = env.get(name)
        if value:
            return next((tag for tag in LANGUAGES if value.lower().startswith(tag)), FALLBACK_LANGUAGE)
    return FALLBACK_LANGUAGE


@dataclass(frozen=True)
class Language:
    """What a catalogue says of its language besides words.

    :ivar code: the language tag (``fr``).
    :ivar plural: the gettext plural rule (``(n > 1)``), its forms counted by ``plurals``.
    :ivar page_suffix: what the website's page files of this language end with before
        ``.html`` (``""`` for ``index.html``, ``".en"`` for ``index.en.html``).
    """

    code: str
    plurals: int
    plural: str
    page_suffix: str

    @property
    def plural_index(self) -> Callable[[int], int]:
        """The index of the plural form to use for a count."""
        return _plural_function(self.plural)


@cache
def _plural_function(rule: str) -> Callable[[int], int]:
    import gettext

    return gettext.c2py(rule)


@cache
def catalogue(lang: str) -> dict[str, Any]:
    """The whole catalogue of ``lang``: table → key → text (or plural forms)."""
    if lang not in LANGUAGES:
        raise KeyError(f"no message catalogue for language {lang!r} (there are {', '.join(LANGUAGES)})")
    import tomllib
    from importlib import resources

    text = resources.files("pickg").joinpath("locales", f"{lang}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def language(lang: str) -> Language:
    """The ``[language]`` table of ``lang``'s catalogue."""
    head = catalogue(lang)["language"]
    return Language(code=lang, plurals=head["plurals"], plural=head["plural"], page_suffix=head["page_suffix"])


def other_language(lang: str) -> str:
    """The other language of a bilingual text whose first language is ``lang``."""
    return next(tag for tag in LANGUAGES if tag != lang)


def _entry(lang: str, key: str) -> str | list[str]:
    table, _, name = key.partition(".")
    entry: str | list[str] = catalogue(lang)[table][name]
    return entry


def translate(lang: str, key: str, /, **values: object) -> str:
    """The text ``key`` (``table.name``) in ``lang``, its ``{fields}`` filled from ``values``.

    A text with plural forms takes the form for ``values["n"]``. Numbers among
    ``values`` (not booleans) are written by :func:`format_number`; a mapping among them
    (a column's headers, a sheet's names) gives its value in ``lang``. A text quoted from
    the user is passed as a string, so that it is shown as it was written.

    >>> translate("fr", "cli.rows", n=0)
    '0 ligne'
    """
    entry = _entry(lang, key)
    if isinstance(entry, list):
        count = values["n"]
        if not isinstance(count, int):
            raise TypeError(f"{key} takes an integer n, not {count!r}")
        entry = entry[language(lang).plural_index(abs(count))]
    if not values:
        return entry
    return entry.format(**{name: _shown(value, lang) for name, value in values.items()})


def _shown(value: object, lang: str) -> object:
    """A field's value as ``lang`` shows it: a number by Babel, a mapping by its entry for ``lang``."""
    if isinstance(value, Mapping):
        return value[lang]
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return format_number(value, lang)
    return value


def in_every_language(key: str, /, **values: object) -> dict[str, str]:
    """The text ``key`` in each of :data:`LANGUAGES`, in that order (a bilingual metadata field)."""
    return {lang: translate(lang, key, **values) for lang in LANGUAGES}


def words(lang: str, table: str) -> Mapping[str, Any]:
    """Every text of one table of ``lang``'s catalogue (for a template that shows many)."""
    table_words: Mapping[str, Any] = catalogue(lang)[table]
    return table_words


def format_number(value: int | float | Decimal, lang: str, decimals: int | None = None) -> str:
    """A number for people, by Babel: ``23 000 000`` (narrow no-break spaces) in French,
    ``23,000,000`` in English; every decimal kept, or ``decimals`` of them.

    An integer between -999 and 999 is its digits in both languages, which is what Babel
    writes; it is written without loading Babel's locale data, which costs 45 ms of CPU
    on each command (the counts of a validation summary, of a query's rows).
    """
    if isinstance(value, int) and -1000 < value < 1000 and decimals is None:
        return str(value)
    from babel.numbers import format_decimal

    if decimals is not None:
        pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
        return format_decimal(value, format=pattern, locale=lang)
    return format_decimal(value, locale=lang, decimal_quantization=False)


def format_money(value: int | float | Decimal, currency: str, lang: str) -> str:
    """An amount of money for people, by Babel: ``CA$23,000,000`` in English,
    ``23 000 000 $ CA`` in French; cents shown only when the amount has some.

    :param currency: the ISO 4217 code (``CAD``).
    """
    from babel.numbers import format_currency as babel_currency

    amount = Decimal(str(value))
    if amount == amount.to_integral_value():
        return babel_currency(amount, currency, format=_whole_money_pattern(lang), locale=lang, currency_digits=False)
    return babel_currency(amount, currency, locale=lang)


@cache
def _whole_money_pattern(lang: str) -> str:
    """The locale's currency pattern without its decimals (``¤#,##0`` for ``¤#,##0.00``)."""
    from babel import Locale

    pattern: str = Locale.parse(lang).currency_formats["standard"].pattern
    return pattern.replace(".00", "")


def load_number_data(lang: str) -> None:
    """Import Babel and read its data for ``lang`` now, so that the first number written
    later does not wait for them.

    ``pickg run`` calls it for each language before it forks the process that builds the
    release: both processes write numbers, and the 30 to 50 ms of CPU this takes
    (importing ``babel.numbers``, unpickling CLDR's data for the language) are then spent
    once instead of in each.
    """
    format_number(0.5, lang)
