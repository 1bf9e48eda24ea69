"""French names and desired-change texts for synthetic data (:mod:`pickg.synth.generator`).

Everything here is drawn from a :class:`random.Random` the caller seeds, so the same
seed gives the same words. The phrases imitate the desired-change texts of the PIC
initiatives (a horizon, who changes, what changes, how) without copying any of them.
"""

from __future__ import annotations

from random import Random

__all__ = [
    "THEME_PHRASES",
    "desired_change",
    "initiative_name",
    "neighbourhood_name",
    "organisation_names",
    "territory_name",
]

_PLACE_FIRST = (
    "Saint-Laurent",
    "Sainte-Marie",
    "Saint-Henri",
    "Saint-Pierre",
    "Sainte-Anne",
    "Saint-Jacques",
    "Notre-Dame",
    "Côte-Vertu",
    "Pointe-Verte",
    "Mont-Royal",
    "Rivière-des-Prairies",
    "Bois-Franc",
    "Cité-Jardin",
    "Val-Martin",
    "Plateau-Fleuri",
    "Parc-Lafontaine",
    "Petite-Bourgogne",
    "Haut-Anjou",
    "Bas-Lachine",
    "Île-Bizard",
    "Beaubien",
    "Marie-Victorin",
    "Louis-Riel",
    "Champlain",
    "Hochelaga",
)
_PLACE_SECOND = (
    "Est",
    "Ouest",
    "Nord",
    "Sud",
    "Centre",
    "du-Lac",
    "des-Érables",
    "des-Sources",
    "de-la-Gare",
    "du-Canal",
    "des-Rapides",
    "du-Parc",
    "de-l’Église",
    "des-Pins",
    "du-Marché",
)
_TERRITORY_FIRST = (
    "Arrondissement",
    "Arrondissement",
    "Arrondissement",
    "Ville",
)
_ORG_KINDS = (
    "Centre communautaire",
    "Maison de quartier",
    "Carrefour",
    "Comité logement",
    "Regroupement",
    "Cuisine collective",
    "Maison des jeunes",
    "Corporation de développement",
    "Table jeunesse",
    "Centre de ressources",
    "Coopérative",
    "Collectif",
)
_INITIATIVE_KINDS = (
    "Chantier",
    "Laboratoire",
    "Réseau",
    "Projet",
    "Démarche",
    "Comité",
    "Pôle",
    "Alliance",
    "Espace",
    "Mouvement",
    "Plan d’action",
    "Système",
)

#: theme slug → (what the initiative is about, noun phrase of the change it seeks).
THEME_PHRASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "food": (
        "alimentaire",
        (
            "un meilleur accès économique et physique à des aliments sains",
            "un système alimentaire local, durable et solidaire",
            "un réseau d’entraide en sécurité alimentaire",
        ),
    ),
    "housing": (
        "logement",
        (
            "des conditions de logement saines et sécuritaires",
            "un accès facile au logement social et abordable",
            "une mobilisation des locataires autour de l’enjeu du logement",
        ),
    ),
    "social-isolation": (
        "rencontre",
        (
            "des lieux de rencontre qui brisent l’isolement des personnes seules",
            "un réseau de voisinage qui rejoint les aînés isolés",
        ),
    ),
    "citizen-participation": (
        "citoyen",
        (
            "une participation citoyenne accrue aux décisions locales",
            "des initiatives citoyennes autonomes qui pèsent sur les décisions du quartier",
        ),
    ),
    "employment": (
        "emploi",
        (
            "un accès à des emplois de qualité qui correspondent aux compétences des résidents",
            "des parcours d’insertion en emploi pour les jeunes adultes",
        ),
    ),
    "educational-success": (
        "réussite",
        (
            "la réussite éducative des enfants et des jeunes du quartier",
            "des liens solides entre l’école, les familles et la communauté",
        ),
    ),
    "immigrant-integration": (
        "accueil",
        (
            "l’accueil et l’intégration des personnes issues de l’immigration",
            "une meilleure connaissance des ressources chez les familles nouvellement arrivées",
        ),
    ),
    "public-space-and-urban-planning": (
        "aménagement",
        (
            "des espaces publics sécuritaires, verts et conviviaux",
            "un aménagement urbain qui répond aux besoins des familles et des aînés",
        ),
    ),
    "community-infrastructure": (
        "milieu de vie",
        (
            "un lieu communautaire partagé, ouvert à l’année",
            "des infrastructures communautaires accessibles à toute la population",
        ),
    ),
    "evaluation-and-learning": (
        "évaluation",
        (
            "une évaluation continue qui nourrit les apprentissages collectifs",
            "le suivi des progrès et des résultats du plan de quartier",
        ),
    ),
    "collaboration-capacity": (
        "concertation",
        (
            "des pratiques de concertation plus efficaces entre organismes",
            "des capacités collectives renforcées chez les partenaires du quartier",
        ),
    ),
    "children-and-youth": (
        "jeunesse",
        (
            "des activités et des services adaptés aux enfants et aux jeunes de 0 à 25 ans",
            "un filet de soutien autour des familles avec de jeunes enfants",
        ),
    ),
    "access-to-services": (
        "services",
        (
            "un meilleur accès aux services de proximité pour les personnes vulnérables",
            "des intervenants mieux outillés pour accompagner les citoyens vers les ressources",
        ),
    ),
    "local-development": (
        "développement",
        (
            "un développement économique local qui profite aux résidents",
            "des partenariats entre acteurs privés, institutionnels et communautaires",
        ),
    ),
}

_WHO = (
    "les résidentes et résidents de {q}",
    "les familles de {q}",
    "les citoyennes et citoyens de {q}",
    "les organismes et les résidents de {q}",
    "la population de {q}",
)
_VERB = (
    "auront développé",
    "auront bâti",
    "auront mis en place",
    "verront naître",
    "auront obtenu",
)
_HOW = (
    "grâce à la concertation des organismes du quartier",
    "en s’appuyant sur les forces du milieu",
    "en mobilisant les partenaires locaux et régionaux",
    "par des actions concertées et des projets portés par la communauté",
    "avec l’appui de la Table de quartier",
)
_SECOND = (
    "Ces changements témoigneront d’une responsabilité collective à l’égard de la pauvreté.",
    "Les actions seront ajustées au fil des apprentissages.",
    "Les personnes concernées seront au cœur des décisions.",
    "Le quartier disposera ainsi de leviers durables pour lutter contre l’exclusion sociale.",
)


def neighbourhood_name(rng: Random, number: int) -> str:
    """A French neighbourhood name, made unique by ``number``."""
    return f"{rng.choice(_PLACE_FIRST)}-{rng.choice(_PLACE_SECOND)} {number}"


def territory_name(rng: Random, number: int, municipality: bool) -> str:
    """A borough (or, when ``municipality``, a town) name, made unique by ``number``."""
    if municipality:
        return f"Ville de {rng.choice(_PLACE_FIRST)} {number}"
    return f"{rng.choice(_TERRITORY_FIRST)} {rng.choice(_PLACE_FIRST)}–{rng.choice(_PLACE_SECOND)} {number}"


def organisation_names(rng: Random, place: str, count: int) -> list[str]:
    """``count`` community organisations of ``place``, with different names."""
    return [f"{kind} de {place}" for kind in rng.sample(_ORG_KINDS, count)]


def initiative_name(rng: Random, theme: str, place: str) -> str:
    """An initiative name about ``theme`` in ``place``."""
    word = THEME_PHRASES[theme][0]
    return f"{rng.choice(_INITIATIVE_KINDS)} {word} de {place}"


def desired_change(rng: Random, themes: list[str], place: str) -> tuple[str, int | None]:
    """A desired-change text in French and the horizon in years it states (or None).

    :param themes: the theme slugs (keys of :data:`THEME_PHRASES`) the text is about.
    :param place: the neighbourhood's name.
    """
    horizon = rng.choice((None, 3, 4, 5, 5, 10))
    opening = "" if horizon is None else rng.choice((f"Dans {horizon} ans, ", f"D’ici {horizon} ans, "))
    changes = [rng.choice(THEME_PHRASES[theme][1]) for theme in themes]
    what = changes[0] if len(changes) == 1 else ", ".join(changes[:-1]) + " et " + changes[-1]
    who = rng.choice(_WHO).format(q=place)
    sentence = f"{opening}{who} {rng.choice(_VERB)} {what}, {rng.choice(_HOW)}."
    text = f"« {sentence[0].upper()}{sentence[1:]} {rng.choice(_SECOND)} »"
    return text, horizon
