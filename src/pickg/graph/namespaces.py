"""The namespaces of pickg and the one prefix map used everywhere.

Every IRI prefix the project writes lives here (see ``docs/model.md``); other modules
import these constants instead of spelling IRIs.
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import Graph, Namespace

__all__ = [
    "AMOUNT",
    "AWARD",
    "AXIS",
    "BASIS",
    "CIC",
    "CONF",
    "DCAT",
    "DCTERMS",
    "EVENT",
    "FIGURE",
    "FILE_GRAPH",
    "FINDING",
    "FOAF",
    "ID",
    "INITIATIVE",
    "LINK",
    "MEDIA_TYPE",
    "MEASURE",
    "MEMBERSHIP",
    "NBH",
    "ORG",
    "ORGANISATION",
    "OWL",
    "PARTICIPATION",
    "PERSON",
    "PHASE",
    "PIC",
    "PLACE",
    "PREFIXES",
    "PROGRAMME",
    "PROV",
    "PUBLICATION",
    "QUOTATION",
    "RDF",
    "RDFS",
    "RELEASE",
    "RELEASE_GRAPH",
    "REPORT",
    "ROLE",
    "SCC",
    "SCHEMA",
    "SH",
    "SHAPES",
    "SKOS",
    "SOURCE",
    "SPDX",
    "STAGE",
    "STATEMENT",
    "TERRITORY",
    "THEME",
    "TIER",
    "TIME",
    "VCARD",
    "VOID",
    "XSD",
    "bind_prefixes",
    "compact_iri",
    "expand_curie",
    "slugify",
]

# --- the ontology and its vocabularies ------------------------------------------------
PIC = Namespace("https://w3id.org/pickg/ontology#")
SCC = Namespace("https://w3id.org/pickg/vocab/systems-change/")
CIC = Namespace("https://w3id.org/pickg/vocab/collective-impact/")
THEME = Namespace("https://w3id.org/pickg/vocab/theme/")
ROLE = Namespace("https://w3id.org/pickg/vocab/role/")
TIER = Namespace("https://w3id.org/pickg/vocab/support-tier/")
CONF = Namespace("https://w3id.org/pickg/vocab/confidence/")
BASIS = Namespace("https://w3id.org/pickg/vocab/link-basis/")
AXIS = Namespace("https://w3id.org/pickg/vocab/assessment-axis/")
STAGE = Namespace("https://w3id.org/pickg/vocab/maturity-stage/")
MEASURE = Namespace("https://w3id.org/pickg/vocab/measure/")

# --- the data: one path segment per kind under ID ---------------------------------------
ID = Namespace("https://w3id.org/pickg/id/")
PROGRAMME = Namespace(ID + "programme/")
PHASE = Namespace(ID + "phase/")
NBH = Namespace(ID + "neighbourhood/")
TERRITORY = Namespace(ID + "territory/")
ORGANISATION = Namespace(ID + "organisation/")
PERSON = Namespace(ID + "person/")
INITIATIVE = Namespace(ID + "initiative/")
PARTICIPATION = Namespace(ID + "participation/")
MEMBERSHIP = Namespace(ID + "membership/")
AMOUNT = Namespace(ID + "amount/")
REPORT = Namespace(ID + "report/")
FINDING = Namespace(ID + "finding/")
EVENT = Namespace(ID + "event/")
SOURCE = Namespace(ID + "source/")
LINK = Namespace(ID + "link/")
FIGURE = Namespace(ID + "figure/")
PUBLICATION = Namespace(ID + "publication/")
STATEMENT = Namespace(ID + "statement/")
AWARD = Namespace(ID + "award/")
QUOTATION = Namespace(ID + "quotation/")
PLACE = Namespace(ID + "place/")

# --- standard vocabularies -------------------------------------------------------------
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
TIME = Namespace("http://www.w3.org/2006/time#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")

# --- the SHACL shapes of ontology/shapes/ ---------------------------------------------
#: Node and property shapes (``picsh:PhaseShape``, ``picsh:Phase-startYear``).
SHAPES = Namespace("https://w3id.org/pickg/shapes#")

# --- the open-data releases (``pickg publish``) -------------------------------------------
#: One release: ``<RELEASE><version>`` is its dataset, ``<RELEASE><version>/<file>`` a file.
RELEASE = Namespace("https://w3id.org/pickg/release/")
#: Named graphs of a release's TriG dump: one per source file, ``<RELEASE_GRAPH><path without .ttl>``.
RELEASE_GRAPH = Namespace("https://w3id.org/pickg/graph/")
#: IANA media types as IRIs (``dcat:mediaType``): ``<MEDIA_TYPE>text/turtle``.
MEDIA_TYPE = Namespace("https://www.iana.org/assignments/media-types/")

# --- internal names (not a prefix of the published data) --------------------------------
#: Named graphs of :func:`pickg.graph.rdfio.load_dataset`: one per file, ``<FILE_GRAPH><relative path>``.
FILE_GRAPH = Namespace("urn:pickg:file:")

#: The prefix map (prefix → namespace IRI) used for every file, query and output.
PREFIXES: dict[str, str] = {
    "pic": str(PIC),
    "scc": str(SCC),
    "cic": str(CIC),
    "theme": str(THEME),
    "role": str(ROLE),
    "tier": str(TIER),
    "conf": str(CONF),
    "basis": str(BASIS),
    "axis": str(AXIS),
    "stage": str(STAGE),
    "measure": str(MEASURE),
    "programme": str(PROGRAMME),
    "phase": str(PHASE),
    "nbh": str(NBH),
    "territory": str(TERRITORY),
    "organisation": str(ORGANISATION),
    "person": str(PERSON),
    "initiative": str(INITIATIVE),
    "participation": str(PARTICIPATION),
    "membership": str(MEMBERSHIP),
    "amount": str(AMOUNT),
    "report": str(REPORT),
    "finding": str(FINDING),
    "event": str(EVENT),
    "source": str(SOURCE),
    "link": str(LINK),
    "figure": str(FIGURE),
    "publication": str(PUBLICATION),
    "statement": str(STATEMENT),
    "award": str(AWARD),
    "quotation": str(QUOTATION),
    "place": str(PLACE),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "time": str(TIME),
    "dcat": str(DCAT),
    "void": str(VOID),
    "sh": str(SH),
    "picsh": str(SHAPES),
    "spdx": str(SPDX),
    "vcard": str(VCARD),
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind every prefix of :data:`PREFIXES` on ``graph``, replacing clashing bindings.

    Only the namespace manager changes, never the triples. Prefixes bound earlier under
    other names stay bound; use a graph made with ``bind_namespaces="none"`` to get
    exactly :data:`PREFIXES`.

    :param graph: the graph whose namespace manager is updated.
    :returns: the same graph, for chaining.
    """
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, Namespace(iri), override=True, replace=True)
    return graph


_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Letters that Unicode decomposition does not reduce to ASCII (``Cœur`` → ``coeur``).
_LETTERS = str.maketrans(
    {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D"}
)


def slugify(text: str) -> str:
    """Turn a label into the slug of an IRI, as ``docs/model.md`` prescribes.

    Lower-case ASCII, accents removed, every run of other characters replaced by one
    ``-``, no ``-`` at either end.

    >>> slugify("Ville-Émard–Côte-Saint-Paul")
    'ville-emard-cote-saint-paul'

    :param text: any label.
    :returns: the slug; empty when ``text`` has no letter or digit.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    unaccented = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_SLUG.sub("-", unaccented.lower()).strip("-")


def compact_iri(iri: str, *, any_local: bool = False) -> str:
    """Write ``iri`` as ``prefix:local`` with :data:`PREFIXES`, or return it unchanged.

    The longest matching namespace wins. A local part that is empty or holds ``/`` or
    ``#`` is not compacted, unless ``any_local`` (a name shown to people, such as the
    anchors of the site's dictionary or the headers of the stewards' workbook).

    >>> compact_iri("https://w3id.org/pickg/id/phase/1")
    'phase:1'
    """
    if any_local:
        best = max((ns for ns in _PREFIX_OF if iri.startswith(ns)), key=len, default=None)
        return iri if best is None else f"{_PREFIX_OF[best]}:{iri[len(best) :]}"
    cut = max(iri.rfind("/"), iri.rfind("#")) + 1
    prefix = _PREFIX_OF.get(iri[:cut]) if cut < len(iri) else None
    if prefix is not None:  # every namespace ends with "/" or "#": the local part is all after the last
        return f"{prefix}:{iri[cut:]}"
    if not _OTHER_ENDINGS:
        return iri
    best_match: tuple[int, str] | None = None
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and (best_match is None or len(namespace) > best_match[0]):
            local = iri[len(namespace) :]
            if local and not any(c in local for c in "/#"):
                best_match = (len(namespace), f"{prefix}:{local}")
    return best_match[1] if best_match else iri


def expand_curie(curie: str) -> str | None:
    """The IRI that ``prefix:local`` stands for with :data:`PREFIXES`, or None when the
    text is not one (no colon, an unknown prefix, nothing after the colon, or ``//``
    after it, as in ``https://…``).

    >>> expand_curie("nbh:verdun")
    'https://w3id.org/pickg/id/neighbourhood/verdun'
    """
    prefix, colon, local = curie.partition(":")
    namespace = PREFIXES.get(prefix) if colon else None
    if namespace is None or not local or local.startswith("//"):
        return None
    return namespace + local


#: Namespace → its prefix (the first listed, when two share one), for :func:`compact_iri`.
_PREFIX_OF: dict[str, str] = {}
for _prefix, _namespace in PREFIXES.items():
    _PREFIX_OF.setdefault(_namespace, _prefix)
_OTHER_ENDINGS = any(not ns.endswith(("/", "#")) for ns in PREFIXES.values())
