"""`zonal demo` and `zonal serve`: the synthetic Brussels demo and the web app.

The store, the generator, the forecasting models and the web stack are imported inside the
commands, so that `zonal --help` does not load them (see cli/__init__.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from zonal.cli._app import console

if TYPE_CHECKING:
    from pathlib import Path

    from zonal.settings import Settings

Host = Annotated[str | None, typer.Option(help="Address to listen on (ZONAL_HOST).")]
Port = Annotated[int | None, typer.Option(help="Port to listen on (ZONAL_PORT).")]

# What to open, in the order of README.md's table (tests/unit/test_demo_pages.py keeps them equal).
DEMO_PAGES: tuple[tuple[str, str], ...] = (
    ("/zones", "the six Brussels police zones on a map with their incidents per cluster"),
    ("/forecast", "next week's hourly demand per zone, sector and cluster, with intervals"),
    ("/planning", "teams required per hour, designed shifts and a named roster"),
    ("/complaint", "the citizen portal: report an offence, follow it at /follow"),
    ("/office", "the back office: queue, cases, messages; the login page lists the demo accounts"),
    ("/docs", "the JSON API"),
)


def demo_command(
    seed: Annotated[int, typer.Option(help="Seed of the generator: same seed, same data.")] = 2016,
    days: Annotated[int, typer.Option(min=7, max=1096, help="Days of incidents.")] = 365,
    rebuild: Annotated[bool, typer.Option(help="Regenerate even if the store has it.")] = False,
    serve: Annotated[bool, typer.Option(help="Start the web app afterwards.")] = True,
    host: Host = None,
    port: Port = None,
) -> None:
    """Build the synthetic Brussels demo year (six zones) in the store and serve the web app.

    The data are SYNTHETIC: generated, seeded and reproducible, not real Brussels figures.

    Examples: zonal demo;  zonal demo --no-serve --days 90 --seed 7 --rebuild
    """
    from zonal.bootstrap import complaints_setup, open_store
    from zonal.incidents.demo import DemoSpec
    from zonal.services.demo import prepare_demo
    from zonal.settings import get_settings

    store = open_store()
    print_store(store.schema_status().url, get_settings().data_dir)
    demo_settings = get_settings().model_copy(update={"demo_mode": True})
    staff = complaints_setup(store, demo_settings) if serve else None
    spec = DemoSpec(seed=seed, days=days)
    with console.status("Generating the synthetic Brussels demo year, its forecast and plan ..."):
        ready = prepare_demo(
            store.uow(), spec, rebuild=rebuild, complaints=staff, planner=store.planner()
        )
    report, run = ready.report, ready.run
    verb = "Generated" if report.created else "The store already holds"
    console.print(f"{verb} {report.incidents:,} synthetic incidents (dataset {report.dataset!r}).")
    console.print(f"Forecast run {run.id}: the week from {run.origin:%Y-%m-%d %H:%M} UTC.")
    if ready.staff_created:
        console.print(f"Created {ready.staff_created} demo staff accounts: see /office/login.")
    settings = get_settings()
    print_pages(host or settings.host, port or settings.port)
    if serve:
        console.print(
            "[yellow]Demo mode:[/] complaints are encrypted with a publicly known demo key. "
            "Never enter real personal data here."
        )
        _serve(demo_settings, host, port)


def serve_command(host: Host = None, port: Port = None) -> None:
    """Serve the web app (citizen portal, zone overview, API docs at /docs).

    Example: zonal serve --port 8080
    """
    from zonal.settings import get_settings

    _serve(get_settings(), host, port)


def _serve(settings: Settings, host: str | None, port: int | None) -> None:
    # Imported here: the web stack is heavy and most commands never need it.
    import uvicorn

    from zonal.web.app import create_app

    host, port = host or settings.host, port or settings.port
    app = create_app(settings)
    console.print(f"Open [bold]http://{host}:{port}/[/]. Ctrl+C stops.")
    # uvicorn's own proxy headers would believe X-Forwarded-For from 127.0.0.1, which anyone
    # on the host can send; the app reads it from configured proxies only (client_address).
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)


def page_lines(host: str, port: int) -> list[str]:
    """One line per page of the demo: its address and what it is for."""
    return [f"  http://{host}:{port}{path}  {what}" for path, what in DEMO_PAGES]


def print_store(url: str, data_dir: Path) -> None:
    """Say where the demo goes: the default folder is shared by every checkout of the user."""
    console.print(f"Store: {url}", highlight=False, soft_wrap=True)
    console.print(
        f"Data folder (attachments, rejects): {data_dir}; ZONAL_DATA_DIR chooses another, "
        "`zonal db info` shows what it holds.",
        highlight=False,
        soft_wrap=True,
    )


def print_pages(host: str, port: int) -> None:
    console.print("Pages to open:")
    for line in page_lines(host, port):
        # never wrapped, so that an address stays one clickable piece
        console.print(line, highlight=False, soft_wrap=True)


def register(root: typer.Typer) -> None:
    root.command("demo")(demo_command)
    root.command("serve")(serve_command)
