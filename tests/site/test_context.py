"""The language of parts of a page (issue 26, WCAG 3.1.2): what a text quotes or lists
in another language than the page's is marked with ``lang``."""

from __future__ import annotations

from pickg.site.context import quoted_html, value_html


def test_an_english_text_marks_its_french_quotations_and_stays_escaped() -> None:
    html = quoted_html("English gloss of the name « Table de quartier <b> » & more", "en")
    assert html == 'English gloss of the name « <span lang="fr">Table de quartier &lt;b&gt;</span> » &amp; more'


def test_a_french_text_keeps_its_quotations_as_they_are() -> None:
    text = "La page « Phase 1 » du PIC"
    assert quoted_html(text, "fr") == text


def test_a_value_in_the_readers_language_marks_its_quotations_and_a_foreign_one_is_marked_whole() -> None:
    english = {"text": "A network « qui met en relation »", "lang": "en", "href": None, "external": False}
    assert value_html(english, "en") == 'A network « <span lang="fr">qui met en relation</span> »'
    french = {"text": "Un réseau « de connexion »", "lang": "fr", "href": None, "external": False}
    assert value_html(french, "en").startswith('<span lang="fr">Un réseau « de connexion »</span>')


def test_a_list_of_names_marks_each_name_in_another_language() -> None:
    borough = "Rivière-des-Prairies–Pointe-aux-Trembles"
    parts = [{"text": "Montreal East", "lang": None}, {"text": borough, "lang": "fr"}]
    listed = {"text": "", "lang": None, "href": None, "external": False, "parts": parts}
    assert value_html(listed, "en") == f'Montreal East; <span lang="fr">{borough}</span>'
    assert value_html(listed, "fr") == f"Montreal East; {borough}"
