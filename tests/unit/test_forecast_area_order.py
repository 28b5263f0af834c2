"""Areas on the forecast pages are listed as people count them: district 2 before 10."""

from __future__ import annotations

from zonal.services.forecasts import area_order


def test_total_then_provinces_then_zones_in_numeric_order() -> None:
    areas = ["10", "2", "all", "1", "unknown", "province:2", "5339/21009", "5339", "1A20", "1A3"]
    assert sorted(areas, key=area_order) == [
        "all", "province:2", "1", "1A3", "1A20", "2", "10", "5339", "5339/21009", "unknown",
    ]  # fmt: skip
