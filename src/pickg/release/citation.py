"""The release's ``CITATION.cff``: how to cite it, in the Citation File Format 1.2.0.

Written from the release's own facts (title, version, date, licence, creators, landing
page when the settings give one), as YAML by PyYAML, so that GitHub, Zenodo and
reference managers read the same citation the website's pages show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import yaml

from pickg.graph.messages import translate

__all__ = ["CITATION_FILE", "citation_cff"]

#: The file's name in a release.
CITATION_FILE = "CITATION.cff"

#: SPDX identifiers of the licences a release may carry, by IRI.
_SPDX = {
    "https://creativecommons.org/licenses/by/4.0/": "CC-BY-4.0",
    "http://creativecommons.org/licenses/by/4.0/": "CC-BY-4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0-1.0",
    "http://creativecommons.org/publicdomain/zero/1.0/": "CC0-1.0",
}


def citation_cff(
    *, version: str, issued: dt.date, license: str, creators: Sequence[str], url: str | None = None
) -> str:
    """The text of ``CITATION.cff`` for a release (creators as ``name`` entities)."""
    entry: dict[str, object] = {
        "cff-version": "1.2.0",
        "message": translate("en", "release.cite_message"),
        "type": "dataset",
        "title": translate("en", "release.dataset_title"),
        "abstract": translate("en", "release.dataset_description"),
        "version": version,
        "date-released": issued.isoformat(),
        "authors": [{"name": str(c)} for c in creators] or [{"name": "pickg contributors"}],
    }
    spdx = _SPDX.get(license)
    if spdx is not None:
        entry["license"] = spdx
    else:
        entry["license-url"] = license
    if url:
        entry["url"] = url
    return yaml.safe_dump(entry, allow_unicode=True, sort_keys=False, width=100)
