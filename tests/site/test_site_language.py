"""Every page of the website speaks its own language (issue 26): the visible text of an
English page outside the elements marked with another ``lang`` holds no French sentence,
and the other way round.

Every page of the session's release is read in the session's Chromium. From the rendered
DOM, once the page's scripts ran, the test keeps what a reader sees: it drops ``hidden``
elements, ``<script>``, ``<style>``, ``<template>``, code (``<pre>``, ``<code>``: a
query's text) and elements whose ``lang`` is not the page's, and web addresses and
compact IRIs from the text, and keeps the closed ``<details>``, one click away; the text
is split into blocks at block elements, and py3langid, restricted to French and English,
names the language of every block of six words or more (each distinct block once).
Proper names are marked with ``lang`` by the site and are so excluded by construction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

pytestmark = pytest.mark.system

#: The shortest block whose language is asked: shorter ones (labels, names, numbers) say too little.
MIN_WORDS = 6
#: How sure py3langid must be that a block is in the other language to count it. Below
#: this, on the shipped site, the blocks are sentences of the page's language made mostly
#: of proper names of the other (« Lucie and André Chagnon Foundation », 0.5 to 0.9).
SURE = 0.95
#: Elements whose content a reader does not see.
INVISIBLE = {"script", "style", "template", "noscript", "svg", "head", "title"}
#: Elements that hold code (a query's text, an IRI), which is in no natural language.
CODE = {"code", "pre", "kbd", "samp"}
#: Elements that end a block of text (and start another).
BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "td", "th",
    "tr", "ul", "button", "label", "select", "textarea",
}  # fmt: skip
_WORD = re.compile(r"[^\W\d_]{2,}")
#: Web addresses, shown where a source has no title: not words of any language.
#: Web addresses (shown where a source has no title), compact IRIs (``pic:Initiative``)
#: and keys, which are words of no language.
_ADDRESS = re.compile(
    r"\(?\b(?:https?://|www\.)\S+"  # a web address
    r"|\b[\w-]+(?:\.[\w-]+)+/\S*"  # a web address without its scheme
    r"|\b[a-z][\w-]*:[\w-]+\S*"  # a compact IRI
    r"|\b[a-z0-9]+(?:-[a-z0-9]+){2,}\b"  # a record's key (``petermcgill-our-committees``)
    r"|\b[A-Z]+-[A-Z0-9]+\b"  # a source's key (``LAPRESSE-2019``)
)


#: The walk over the rendered DOM (``hidden`` is the browser's own).
_BROWSER_BLOCKS = """(blocks) => {
  const page = document.documentElement.lang, out = []; let text = [];
  const blockTags = new Set(blocks), skipTags = new Set(%s);
  const flush = () => {
    const t = text.join("").split(/\\s+/).filter(Boolean).join(" ");
    if (t) out.push(t);
    text = [];
  };
  const walk = (node) => {
    if (node.nodeType === 3) { text.push(node.data); return; }
    if (node.nodeType !== 1) return;
    const tag = node.localName;
    const lang = node.getAttribute("lang");
    if (skipTags.has(tag) || node.hidden || (lang !== null && lang.split("-")[0] !== page)) {
      if (blockTags.has(tag)) flush();
      return;
    }
    if (blockTags.has(tag)) flush();
    for (const child of node.childNodes) walk(child);
    if (blockTags.has(tag)) flush();
  };
  walk(document.body); flush();
  return [page, out];
}"""


@pytest.fixture(scope="module")
def identify() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["fr", "en"])
    return identifier


def _wrong(
    identify: LanguageIdentifier, pages: Iterable[tuple[str, str, list[str]]]
) -> tuple[int, list[tuple[str, str, str]]]:
    """The blocks of 6+ words of ``pages`` (path, language, blocks) and those in another
    language, each (first page, block, language found). A block repeated on many pages
    (menus, footers, a name in every list) is asked once, with the first page that shows it."""
    seen: dict[tuple[str, str], list[Any]] = {}  # (language, block) -> [first page, times shown]
    for page, lang, blocks in pages:
        for block in blocks:
            seen.setdefault((lang, block), [page, 0])[1] += 1
    asked, wrong, classified = 0, [], set()
    for (lang, shown), (page, times) in seen.items():
        block = _words(shown)
        if len(_WORD.findall(block)) < MIN_WORDS:
            continue
        asked += times
        if (lang, block) in classified:
            continue
        classified.add((lang, block))
        found, probability = identify.classify(block)
        if found != lang and probability >= SURE:
            wrong.append((page, block, found))
    return asked, wrong


def _report(kind: str, pages: int, asked: int, wrong: list[tuple[str, str, str]]) -> str:
    lines = [f"{kind}: {pages} pages, {asked} blocks of {MIN_WORDS}+ words, {len(wrong)} in the other language"]
    lines += [f"  {page}: [{found}] {block[:160]}" for page, block, found in wrong[:60]]
    if len(wrong) > 60:
        lines.append(f"  … and {len(wrong) - 60} more")
    return "\n".join(lines)


def _words(block: str) -> str:
    """The block without its web addresses."""
    return " ".join(_ADDRESS.sub(" ", block).split())


def test_every_page_speaks_its_language_in_chromium(
    site_dir: Path,
    base: str,
    browser: object,
    identify: LanguageIdentifier,
) -> None:
    pages = [str(path.relative_to(site_dir)) for path in sorted(site_dir.rglob("*.html"))]
    assert len(pages) > 100, f"only {len(pages)} pages in {site_dir}"
    script = _BROWSER_BLOCKS % sorted(INVISIBLE | CODE)
    read: list[tuple[str, str, list[str]]] = []
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        for relative in pages:
            # The DOM once parsed and the page's (deferred) scripts run: what the test reads.
            page.goto(base + relative, wait_until="domcontentloaded")
            lang, blocks = page.evaluate(script, sorted(BLOCKS))
            assert lang in ("fr", "en"), f"{relative}: <html lang={lang!r}>"
            read.append((relative, lang, blocks))
    finally:
        page.close()
    asked, wrong = _wrong(identify, read)
    langs = [lang for _, lang, _ in read]
    report = _report(f"Chromium ({langs.count('en')} en, {langs.count('fr')} fr)", len(pages), asked, wrong)
    print(report)
    assert not wrong, report
