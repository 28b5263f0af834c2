"""Server-rendered pages of the shell: home and the zone overview."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse

from zonal.geo.svgmap import render_zone_map
from zonal.services.overview import stored_datasets, zone_overview
from zonal.services.zones import zone_detail
from zonal.taxonomy import CLUSTERS
from zonal.web.deps import LanguageDep, StoreDep
from zonal.web.i18n import gettext_for
from zonal.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: StoreDep) -> HTMLResponse:
    """What Zonal does and where to start."""
    return render(request, "home.html", {"datasets": stored_datasets(store)})


@router.get("/zones", response_class=HTMLResponse)
def zones_page(
    request: Request,
    store: StoreDep,
    language: LanguageDep,
    dataset: Annotated[str | None, Query(max_length=100)] = None,
) -> HTMLResponse:
    """The zones on a map with their incidents per security cluster."""
    overview = zone_overview(store, dataset, language)
    _ = gettext_for(language)
    zone_map = render_zone_map(
        overview.registry,
        overview.totals() if overview.dataset else None,
        language=language,
        title=_("Police zones and their incidents"),
        value_label=_("Incidents"),
        gettext=_,
    )
    clusters = [CLUSTERS[number] for number in sorted(CLUSTERS)]
    context = {"overview": overview, "zone_map": zone_map, "clusters": clusters}
    return render(request, "zones.html", context)


@router.get("/zones/{number}", response_class=HTMLResponse)
def zone_page(request: Request, store: StoreDep, number: str) -> HTMLResponse:
    """One zone: its municipalities and sectors."""
    found = zone_detail(store, number)
    context = {"zone": found.zone, "municipalities": found.municipalities}
    return render(request, "zone.html", context)
