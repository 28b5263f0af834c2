"""Security clusters, offence types and maps from foreign category schemes (pure, no I/O
beyond the package's own CSV tables).

    CLUSTERS, cluster(n)             the ten ISFD/NSP security clusters, labels nl/fr/de/en
    OFFENCE_TYPES, offence_type(c)   the offence catalogue (data/offence_types.csv)
    SCHEMES, classify(), unclassified_counts()
                                     map a foreign scheme's categories to our types, vectorised
"""

from __future__ import annotations

from zonal.taxonomy.classify import classify, cluster_of, unclassified_counts
from zonal.taxonomy.clusters import CLUSTERS, LANGUAGES, SecurityCluster, cluster
from zonal.taxonomy.offences import OFFENCE_TYPES, UNCLASSIFIED, OffenceType, offence_type
from zonal.taxonomy.rules import MATCH_KINDS, RULE_COLUMNS
from zonal.taxonomy.schemes import SCHEMES, CategoryScheme, get_scheme, read_scheme

__all__ = [
    "CLUSTERS",
    "LANGUAGES",
    "MATCH_KINDS",
    "OFFENCE_TYPES",
    "RULE_COLUMNS",
    "SCHEMES",
    "UNCLASSIFIED",
    "CategoryScheme",
    "OffenceType",
    "SecurityCluster",
    "classify",
    "cluster",
    "cluster_of",
    "get_scheme",
    "offence_type",
    "read_scheme",
    "unclassified_counts",
]
