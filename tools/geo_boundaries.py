"""Make data/geo/: the neighbourhoods' boundaries the website's map draws, from the open
boundary data of the Ville de Montréal (CC BY 4.0), simplified.

    .venv/bin/pip install -e '.[geo]'
    .venv/bin/python tools/geo_boundaries.py SOCIOLOGICAL.geojson HOUSING.geojson

SOCIOLOGICAL is *Quartiers sociologiques* (2014), HOUSING *Quartiers de référence en
habitation* (with the island's linked municipalities), both GeoJSON in longitude and
latitude, as the city's open-data portal publishes them. For each neighbourhood of
``data/`` (its French label):

- a district of the same name in SOCIOLOGICAL (names compared without accents, case,
  spaces, dashes or slashes: « Peter McGill » is Peter-McGill) is its boundary, confidence
  C1 (one source, the city's own district);
- otherwise its boundary is the union of its territories (``pic:territory``) found by
  name in HOUSING (a borough's districts, or a municipality): an inference, marked INF.

The geometries are simplified by shapely (0.0003°, about 30 m, topology kept) and their
coordinates rounded to 5 decimals (about 1 m); the island's outline (all HOUSING polygons
merged, 0.001°) is added as context. Invalid rings of the source (a few
self-intersections) are repaired by ``shapely.make_valid`` before any union. Writes
``data/geo/neighbourhoods.geojson`` and ``data/geo/boundaries.ttl`` (the graph's link
from each neighbourhood to its boundary, with source and confidence; the two datasets'
source records are in ``data/sources.ttl``); ``make fmt`` then puts the Turtle in
canonical form.
"""

from __future__ import annotations

import hashlib
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS
from shapely import make_valid
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

REPO = Path(__file__).resolve().parents[1]
PIC = Namespace("https://w3id.org/pickg/ontology#")
NBH = "https://w3id.org/pickg/id/neighbourhood/"
BOUNDARY = "https://w3id.org/pickg/id/boundary/"
SOURCES = {
    "sociological": "https://w3id.org/pickg/id/source/vdm-quartiers-sociologiques-2014",
    "housing": "https://w3id.org/pickg/id/source/vdm-quartiers-reference-habitation",
}
TOLERANCE, CONTEXT_TOLERANCE, DIGITS = 0.0003, 0.001, 5
CONF = Namespace("https://w3id.org/pickg/vocab/confidence/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
RATIONALE = {
    "en": "The city publishes no district for {label}: its boundary is drawn as the union of the territories the "
    "graph gives it ({names}), as the Ville de Montréal's housing-reference districts and linked municipalities "
    "draw them.",
    "fr": "La Ville ne publie aucun quartier pour {label} : ses limites sont tracées comme l'union des territoires "
    "que le graphe lui donne ({names}), tels que les tracent les quartiers de référence en habitation et les "
    "municipalités liées de la Ville de Montréal.",
}


def key(name: str) -> str:
    """A name compared without accents, case, spaces, dashes, slashes or apostrophes."""
    folded = unicodedata.normalize("NFD", name).encode("ascii", "ignore").decode().lower()
    return "".join(c for c in folded if c.isalnum())


def rounded(geometry: Any) -> Any:
    """A GeoJSON geometry with its coordinates rounded to :data:`DIGITS` decimals."""

    def walk(value: Any) -> Any:
        if isinstance(value, float):
            return round(value, DIGITS)
        if isinstance(value, (list, tuple)):
            return [walk(v) for v in value]
        return value

    return {"type": geometry.geom_type, "coordinates": walk(mapping(geometry)["coordinates"])}


def main(sociological: Path, housing: Path) -> None:
    graph = Graph()
    for path in sorted((REPO / "data").glob("*.ttl")):
        graph.parse(path)
    districts = {key(f["properties"]["Q_sociologique"]): f for f in json.loads(sociological.read_text())["features"]}
    parts = json.loads(housing.read_text())["features"]
    by_territory: dict[str, list[Any]] = {}
    for feature in parts:
        props = feature["properties"]
        for name in {props.get("nom_arr"), props.get("nom_mun")} - {None, "Montréal"}:
            by_territory.setdefault(key(name), []).append(make_valid(shape(feature["geometry"])))
    features, out = [], Graph()
    for neighbourhood in sorted(graph.subjects(RDF.type, PIC.Neighbourhood)):
        label = next(str(o) for o in graph.objects(neighbourhood, RDFS.label) if o.language == "fr")
        slug = str(neighbourhood)[len(NBH) :]
        boundary = URIRef(BOUNDARY + slug)
        district = districts.get(key(label))
        if district is not None:
            geometry, dataset = shape(district["geometry"]), "sociological"
            names = [district["properties"]["Q_sociologique"]]
        else:
            names, shapes = [], []
            for territory in sorted(graph.objects(neighbourhood, PIC.territory)):
                name = next(str(o) for o in graph.objects(territory, RDFS.label) if o.language == "fr")
                found = by_territory.get(key(name))
                if not found:
                    raise SystemExit(f"{label}: territory « {name} » is in neither file")
                names.append(name)
                shapes += found
            geometry, dataset = unary_union(shapes), "housing"
        simple = geometry.simplify(TOLERANCE, preserve_topology=True)
        features.append(
            {
                "type": "Feature",
                "id": slug,
                "properties": {
                    "boundary": str(boundary),
                    "neighbourhood": str(neighbourhood),
                    "districts": names,
                    "dataset": dataset,
                    "union": dataset == "housing",
                },
                "geometry": rounded(simple),
            }
        )
        out.add((neighbourhood, PIC.boundary, boundary))
        out.add((boundary, RDF.type, PIC.Boundary))
        out.add((boundary, RDFS.label, Literal(f"Limites de {label}", lang="fr")))
        out.add((boundary, RDFS.label, Literal(f"Boundary of {label}", lang="en")))
        out.add((boundary, DCTERMS.source, URIRef(SOURCES[dataset])))
        out.add((boundary, PIC.confidence, CONF.inf if dataset == "housing" else CONF.c1))
        for name in names:
            out.add((boundary, PIC.sourceDistrict, Literal(name)))
        if dataset == "housing":
            listed = ", ".join(names)
            for lang, rationale in RATIONALE.items():
                out.add((boundary, PIC.rationale, Literal(rationale.format(label=label, names=listed), lang=lang)))
    island = unary_union([make_valid(shape(f["geometry"])) for f in parts])
    island = island.simplify(CONTEXT_TOLERANCE, preserve_topology=True)
    features.append({"type": "Feature", "id": "island", "properties": {"context": True}, "geometry": rounded(island)})
    target = REPO / "data" / "geo"
    target.mkdir(exist_ok=True)
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))
    raw = (text + "\n").encode("utf-8")
    (target / "neighbourhoods.geojson").write_bytes(raw)
    out.bind("pic", PIC)
    out.serialize(target / "boundaries.ttl", format="turtle")
    print(f"{len(features) - 1} boundaries, {len(raw)} bytes, sha256 {hashlib.sha256(raw).hexdigest()}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
