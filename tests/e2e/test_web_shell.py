"""The web shell through HTTP: pages in four languages, the zone map, the API, errors, headers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient

from zonal.bootstrap import open_store
from zonal.geo import default_registry
from zonal.incidents.demo import DEMO_DATASET, DemoSpec, generate_demo
from zonal.services.demo import build_demo
from zonal.settings import get_settings
from zonal.web.app import create_app

SPEC = DemoSpec(days=14, seed=11)


@pytest.fixture
def client(zonal_home: Path) -> Iterator[TestClient]:
    store = open_store(get_settings())
    build_demo(store.uow(), SPEC)
    with TestClient(create_app(get_settings(), store)) as client:
        yield client


def test_zones_page_lists_the_six_brussels_zones_on_a_map_with_counts(client: TestClient) -> None:
    page = client.get("/zones")
    assert page.status_code == 200
    for name in ("Brussels-Capital/Ixelles", "Brussels-West", "Midi", "Montgomery"):
        assert name in page.text
    assert "<svg" in page.text and 'role="img"' in page.text
    assert "Synthetic data." in page.text


def test_counts_per_cluster_match_the_generated_data(client: TestClient) -> None:
    expected = generate_demo(default_registry(), SPEC)
    rows = {row["zone"]: row for row in client.get("/api/incidents/counts").json()}
    assert set(rows) == set(default_registry().zones)
    assert sum(row["total"] for row in rows.values()) == expected.height
    drugs_5339 = expected.filter((pl.col("zone") == "5339") & (pl.col("cluster") == 3)).height
    assert rows["5339"]["by_cluster"]["3"] == drugs_5339


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("nl", "Politiezones en hun incidenten"),
        ("fr", "Les zones de police et leurs incidents"),
        ("de", "Polizeizonen und ihre Vorfälle"),
        ("en", "Police zones and their incidents"),
    ],
)
def test_language_switch_translates_and_is_remembered(
    client: TestClient, language: str, heading: str
) -> None:
    page = client.get(f"/zones?lang={language}")
    assert f'<html lang="{language}">' in page.text
    assert heading in page.text
    again = client.get("/zones")
    assert heading in again.text, "the chosen language is kept in a cookie"


def test_browser_language_is_used_without_a_choice(client: TestClient) -> None:
    page = client.get("/", headers={"Accept-Language": "fr-BE,fr;q=0.9"})
    assert '<html lang="fr">' in page.text


def test_zone_page_lists_its_municipalities(client: TestClient) -> None:
    page = client.get("/zones/5340?lang=fr")
    assert page.status_code == 200
    for name in ("Molenbeek-Saint-Jean", "Koekelberg", "Jette", "Ganshoren"):
        assert name in page.text


def test_unknown_zone_is_a_clear_404_in_html_and_json(client: TestClient) -> None:
    page = client.get("/zones/9999")
    assert page.status_code == 404 and "9999" in page.text
    api = client.get("/api/zones/9999")
    assert api.status_code == 404
    assert "9999" in api.json()["error"]


def test_unknown_dataset_names_the_stored_ones(client: TestClient) -> None:
    response = client.get("/api/incidents/counts", params={"dataset": "nope"})
    assert response.status_code == 404
    assert DEMO_DATASET in response.json()["error"]


def test_hostile_query_is_escaped(client: TestClient) -> None:
    page = client.get("/zones", params={"dataset": "<script>alert(1)</script>"})
    assert page.status_code == 404
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;" in page.text


def test_oversized_query_is_refused_with_a_reason(client: TestClient) -> None:
    response = client.get("/api/incidents/counts", params={"dataset": "x" * 500})
    assert response.status_code == 422
    assert "dataset" in response.json()["error"]


def test_postal_codes_resolve_to_zones(client: TestClient) -> None:
    ixelles = client.get("/api/postcodes/1050").json()
    assert ixelles["zones"] == ["5339"] and not ixelles["ambiguous"]
    assert set(ixelles["municipalities"]) == {"21004", "21009"}
    split = client.get("/api/postcodes/1040").json()
    assert split["ambiguous"] and set(split["zones"]) == {"5339", "5343"}
    bad = client.get("/api/postcodes/10a0")
    assert bad.status_code == 422 and "4 digits" in bad.json()["error"]


def test_pages_carry_security_headers(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_api_docs_work_without_internet(client: TestClient) -> None:
    docs = client.get("/docs").text
    assert "/docs-static/swagger-ui-bundle.js" in docs and "cdn" not in docs
    assert client.get("/docs-static/swagger-ui-bundle.js").status_code == 200
    assert "/api/zones" in client.get("/openapi.json").json()["paths"]


def test_api_docs_keep_the_strict_csp_with_no_inline_script(client: TestClient) -> None:
    docs = client.get("/docs")
    assert "script-src 'self';" in docs.headers["content-security-policy"]
    assert "<script>" not in docs.text and "<script src=" in docs.text


def test_health_reports_the_store(client: TestClient) -> None:
    assert client.get("/health").json()["status"] == "ok"
