"""Dependencies shared by routes: the store, the planner and the request's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request

from zonal.bootstrap import ComplaintsSetup, Store, complaints_setup
from zonal.services.planning import Planner
from zonal.services.ports import StoreUnitOfWork


def _store_uow(request: Request) -> StoreUnitOfWork:
    """A new unit of work on the app's store for each request that asks for one."""
    store: Store = request.app.state.store
    return store.uow()


def _planner(request: Request) -> Planner:
    """The app's planner: plans kept in the store, solved by the app's background jobs."""
    planner: Planner = request.app.state.planner
    return planner


def _language(request: Request) -> str:
    language: str = request.state.language
    return language


def on_app_state(request: Request, name: str, build: Callable[[], Any]) -> Any:
    """`app.state.<name>`, built on first use and kept; tests may set their own beforehand."""
    value = getattr(request.app.state, name, None)
    if value is None:
        value = build()
        setattr(request.app.state, name, value)
    return value


def complaints_of(request: Request) -> ComplaintsSetup:
    """The complaints wiring, built on first use: pages without a case work before a data
    key is configured, and a missing key fails on the first complaint, saying what to set."""
    state = request.app.state
    setup: ComplaintsSetup = on_app_state(
        request, "complaints", lambda: complaints_setup(state.store, state.settings)
    )
    return setup


StoreDep = Annotated[StoreUnitOfWork, Depends(_store_uow)]
ComplaintsDep = Annotated[ComplaintsSetup, Depends(complaints_of)]
PlannerDep = Annotated[Planner, Depends(_planner)]
LanguageDep = Annotated[str, Depends(_language)]
