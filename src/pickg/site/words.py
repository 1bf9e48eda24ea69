"""The website's own words (headings, marks, axis titles) in French and English: ``messages.json``."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

__all__ = ["messages", "word"]


@cache
def messages() -> dict[str, dict[str, str]]:
    """Every word of the site: key → language → text."""
    table: dict[str, dict[str, str]] = json.loads(
        resources.files("pickg.site").joinpath("messages.json").read_text(encoding="utf-8")
    )
    return table


def word(key: str, lang: str, **values: object) -> str:
    """The word ``key`` in ``lang``, with ``{name}`` fields filled from ``values``."""
    text = messages()[key][lang]
    return text.format(**values) if values else text
