"""Security clusters and the offence catalogue: complete, labelled, and strict about input."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from zonal.errors import FileFormatError, InputError, NotFoundError
from zonal.taxonomy import (
    CLUSTERS,
    LANGUAGES,
    OFFENCE_TYPES,
    SCHEMES,
    UNCLASSIFIED,
    cluster,
    offence_type,
)
from zonal.taxonomy.offences import CATALOGUE_COLUMNS, parse_catalogue

REQUIRED_CODES = """
residential_burglary commercial_burglary vehicle_theft theft_from_vehicle bicycle_theft
shoplifting theft_from_person other_theft robbery phishing online_purchase_fraud
investment_fraud bank_helpdesk_fraud other_fraud account_hacking sextortion identity_theft
ransomware racist_or_xenophobic_act hate_speech other_discrimination homicide assault
domestic_violence sexual_offence threat stalking drugs weapons human_trafficking
terrorism_extremism environmental_offence vandalism arson traffic_accident traffic_offence
nuisance disturbance public_order illegal_migration alarm suspicious_situation lost_documents
missing_person assistance administrative unclassified
""".split()

POLICE_TASKS = ["alarm", "suspicious_situation", "lost_documents", "assistance", "administrative"]


def test_there_are_ten_clusters_numbered_one_to_ten() -> None:
    assert sorted(CLUSTERS) == list(range(1, 11))
    assert all(CLUSTERS[n].number == n for n in CLUSTERS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_cluster_has_its_own_label_in_each_language(language: str) -> None:
    labels = [c.label(language) for c in CLUSTERS.values()]
    assert all(label.strip() for label in labels)
    assert len(set(labels)) == len(labels)


def test_cluster_labels_use_the_official_belgian_wording() -> None:
    assert cluster(2).label("nl") == "Mensensmokkel en mensenhandel"
    assert cluster(4).label("fr") == "Fraude sociale et fiscale"
    assert cluster(6).label("nl").startswith("Geweldscriminaliteit")
    assert cluster(9).label("de") == "Verkehrssicherheit"
    assert "illegal migration" in cluster(10).label("en")


def test_cluster_codes_are_unique_snake_case() -> None:
    codes = [c.code for c in CLUSTERS.values()]
    assert len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", code) for code in codes)


@pytest.mark.parametrize("number", [0, 11, -1])
def test_unknown_cluster_number_is_not_found_and_quoted(number: int) -> None:
    with pytest.raises(NotFoundError, match=rf"no security cluster {number}\b.*1 to 10"):
        cluster(number)


def test_unknown_language_lists_the_supported_ones() -> None:
    with pytest.raises(InputError, match="'es'.*nl, fr, de, en"):
        cluster(1).label("es")


def test_catalogue_has_every_required_offence_type() -> None:
    assert set(REQUIRED_CODES) <= set(OFFENCE_TYPES)


@pytest.mark.parametrize("code", sorted(OFFENCE_TYPES))
def test_every_offence_type_is_complete_and_valid(code: str) -> None:
    offence = offence_type(code)
    assert offence.code == code
    assert offence.cluster is None or offence.cluster in CLUSTERS
    assert all(offence.label(language).strip() for language in LANGUAGES)
    assert offence.default_priority in (1, 2, 3, 4)


def test_every_cluster_has_an_offence_type_to_report_on() -> None:
    covered = {o.cluster for o in OFFENCE_TYPES.values()}
    assert set(CLUSTERS) <= covered


def test_police_tasks_and_unclassified_sit_outside_the_clusters() -> None:
    for code in [*POLICE_TASKS, UNCLASSIFIED]:
        assert offence_type(code).cluster is None
        assert offence_type(code).security_cluster is None


def test_offence_types_sit_in_the_expected_clusters() -> None:
    expected = {
        "terrorism_extremism": 1,
        "human_trafficking": 2,
        "drugs": 3,
        "phishing": 5,
        "ransomware": 5,
        "domestic_violence": 6,
        "hate_speech": 6,
        "residential_burglary": 7,
        "environmental_offence": 8,
        "traffic_accident": 9,
        "illegal_migration": 10,
    }
    assert {code: offence_type(code).cluster for code in expected} == expected
    assert offence_type("residential_burglary").security_cluster == cluster(7)


def test_only_bias_motivated_types_ask_for_the_bias_motive() -> None:
    flagged = {code for code, o in OFFENCE_TYPES.items() if o.discrimination}
    assert flagged == {"racist_or_xenophobic_act", "hate_speech", "other_discrimination"}


def test_computer_offences_need_no_physical_place() -> None:
    online = {code for code, o in OFFENCE_TYPES.items() if o.online}
    assert {"phishing", "account_hacking", "ransomware", "online_purchase_fraud"} <= online
    assert not {"residential_burglary", "assault", "traffic_accident"} & online


def test_online_complaints_cover_minor_offences_not_emergencies() -> None:
    assert offence_type("bicycle_theft").complaint_online
    assert offence_type("phishing").complaint_online
    assert not offence_type("homicide").complaint_online
    assert not offence_type("domestic_violence").complaint_online


def test_life_threatening_types_are_more_urgent_than_minor_ones() -> None:
    assert offence_type("homicide").default_priority == 1
    assert offence_type("robbery").default_priority < offence_type("bicycle_theft").default_priority


def test_unknown_offence_code_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="'jaywalking'"):
        offence_type("jaywalking")


def _catalogue(**changes: str) -> pl.DataFrame:
    row = dict.fromkeys(CATALOGUE_COLUMNS, "")
    row.update(code="phishing", cluster="5", online="true", discrimination="false")
    row.update(complaint_online="true", default_priority="4")
    row.update({f"label_{language}": f"label {language}" for language in LANGUAGES})
    row.update(changes)
    unclassified = {**row, "code": UNCLASSIFIED, "cluster": ""}
    return pl.DataFrame([row, unclassified])


def test_a_valid_catalogue_parses() -> None:
    types = parse_catalogue(_catalogue(), "test")
    assert types["phishing"].cluster == 5 and types["phishing"].online


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cluster": "11"}, "cluster '11' must be 1..10"),
        ({"code": "Phishing Mail"}, "'Phishing Mail' is not snake_case"),
        ({"label_de": ""}, r"no label in \['de'\]"),
        ({"online": "yes"}, "online is 'yes'; write true or false"),
        ({"default_priority": "5"}, "default_priority '5' must be 1, 2, 3 or 4"),
        ({"code": UNCLASSIFIED}, "listed twice"),
    ],
)
def test_a_broken_catalogue_row_is_refused_with_the_bad_value(
    changes: dict[str, str], message: str
) -> None:
    with pytest.raises(FileFormatError, match=message):
        parse_catalogue(_catalogue(**changes), "test")


def test_a_catalogue_without_unclassified_is_refused() -> None:
    frame = _catalogue().head(1)
    with pytest.raises(FileFormatError, match="must list 'unclassified'"):
        parse_catalogue(frame, "test")


DOC = Path(__file__).resolve().parents[2] / "docs" / "taxonomy.md"


def test_the_guide_documents_every_cluster_and_offence_type() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing_types = [code for code in OFFENCE_TYPES if f"`{code}`" not in text]
    missing_labels = [
        c.label(language)
        for c in CLUSTERS.values()
        for language in LANGUAGES
        if c.label(language) not in text
    ]
    assert missing_types == [] and missing_labels == []


def test_the_guide_documents_every_scheme() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert [name for name in SCHEMES if f"`{name}`" not in text] == []
