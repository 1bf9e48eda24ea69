"""The release's CITATION.cff: valid YAML of the Citation File Format, from the release's facts."""

from __future__ import annotations

import datetime as dt

import yaml

from pickg.release.citation import citation_cff


def test_the_citation_says_the_release_its_licence_and_creators() -> None:
    text = citation_cff(
        version="1.2.3",
        issued=dt.date(2026, 11, 22),
        license="https://creativecommons.org/licenses/by/4.0/",
        creators=["Ada", "Grace"],
        url="https://example.org/pickg",
    )
    cff = yaml.safe_load(text)
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["version"] == "1.2.3" and cff["date-released"] == "2026-11-22"
    assert cff["license"] == "CC-BY-4.0"
    assert [a["name"] for a in cff["authors"]] == ["Ada", "Grace"]
    assert cff["url"] == "https://example.org/pickg" and cff["title"]


def test_a_licence_without_spdx_identifier_is_given_by_its_address() -> None:
    cff = yaml.safe_load(
        citation_cff(version="1.0.0", issued=dt.date(2026, 1, 1), license="https://example.org/licence", creators=[])
    )
    assert cff["license-url"] == "https://example.org/licence" and "license" not in cff
