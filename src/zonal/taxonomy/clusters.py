"""The ten security clusters of the Belgian integrated security policy.

The Framework Note on Integral Security (KIV/NCSI) and the National Security Plan group the
priority security phenomena into ten clusters ("veiligheidsclusters", "clusters de
sécurité"); zonal security plans and the policy-cycle indicators are reported by cluster.
Dutch and French labels follow the official wording; German and English are translations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from zonal.errors import InputError, NotFoundError

LANGUAGES: tuple[str, ...] = ("nl", "fr", "de", "en")


@dataclass(frozen=True)
class SecurityCluster:
    """One security cluster: its number (1..10), a short code and labels in four languages."""

    number: int
    code: str
    labels: Mapping[str, str]

    def label(self, language: str) -> str:
        """The label in `language` ("nl", "fr", "de" or "en")."""
        return pick_label(self.labels, language)


def pick_label(labels: Mapping[str, str], language: str) -> str:
    """`labels[language]`, or an InputError listing the supported languages."""
    try:
        return labels[language]
    except KeyError:
        raise InputError(
            f"unknown language {language!r}; use one of {', '.join(LANGUAGES)}"
        ) from None


def _cluster(number: int, code: str, nl: str, fr: str, de: str, en: str) -> SecurityCluster:
    labels = MappingProxyType({"nl": nl, "fr": fr, "de": de, "en": en})
    return SecurityCluster(number=number, code=code, labels=labels)


_CLUSTERS = (
    _cluster(
        1,
        "radicalisation_terrorism",
        "Radicalisering, gewelddadig extremisme en terrorisme",
        "Radicalisation, extrémisme violent et terrorisme",
        "Radikalisierung, gewalttätiger Extremismus und Terrorismus",
        "Radicalisation, violent extremism and terrorism",
    ),
    _cluster(
        2,
        "human_trafficking",
        "Mensensmokkel en mensenhandel",
        "Trafic et traite des êtres humains",
        "Menschenschmuggel und Menschenhandel",
        "Trafficking and smuggling of human beings",
    ),
    _cluster(3, "drugs", "Drugs", "Drogues", "Drogen", "Drugs"),
    _cluster(
        4,
        "social_fiscal_fraud",
        "Sociale en fiscale fraude",
        "Fraude sociale et fiscale",
        "Sozial- und Steuerbetrug",
        "Social and fiscal fraud",
    ),
    _cluster(
        5,
        "cybercrime",
        "Cybercrime en cybersecurity",
        "Cybercriminalité et cybersécurité",
        "Cyberkriminalität und Cybersicherheit",
        "Cybercrime and cybersecurity",
    ),
    _cluster(
        6,
        "violence_integrity_discrimination",
        "Geweldscriminaliteit, aantasting van de persoonlijke integriteit en discriminatie",
        "Criminalité violente, atteinte à l'intégrité de la personne et discrimination",
        "Gewaltkriminalität, Verletzung der persönlichen Unversehrtheit und Diskriminierung",
        "Violent crime, violations of personal integrity and discrimination",
    ),
    _cluster(
        7,
        "property_crime_illegal_goods",
        "Georganiseerde eigendomscriminaliteit en illegale goederentrafieken",
        "Criminalité organisée contre la propriété et trafics de biens illégaux",
        "Organisierte Eigentumskriminalität und illegaler Warenhandel",
        "Organised property crime and trafficking in prohibited goods",
    ),
    _cluster(8, "environment", "Leefmilieu", "Environnement", "Umwelt", "Environment"),
    _cluster(
        9,
        "road_safety",
        "Verkeersveiligheid",
        "Sécurité routière",
        "Verkehrssicherheit",
        "Road safety",
    ),
    _cluster(
        10,
        "public_order",
        "Openbare orde: overlast, genegotieerd beheer van de publieke ruimte en illegale migratie",
        "Ordre public : incivilités, gestion négociée de l'espace public et migration illégale",
        "Öffentliche Ordnung: Belästigungen, ausgehandelte Verwaltung des öffentlichen Raums "
        "und illegale Migration",
        "Public order: nuisance, negotiated management of public space, illegal migration",
    ),
)

CLUSTERS: Mapping[int, SecurityCluster] = MappingProxyType({c.number: c for c in _CLUSTERS})


def cluster(number: int) -> SecurityCluster:
    """The security cluster numbered `number`.

    Raises:
        NotFoundError: `number` is not 1..10.
    """
    try:
        return CLUSTERS[number]
    except (KeyError, TypeError):
        raise NotFoundError(
            f"no security cluster {number!r}; clusters are numbered 1 to {len(CLUSTERS)}"
        ) from None
