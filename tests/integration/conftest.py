"""Stores for integration tests (a fresh SQLite file, a schema of its own on PostgreSQL, and
the in-memory fake beside them for contract tests), and what runs on them: the complaint use
cases (`world`) and the web app (`office`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from tests.conftest import POSTGRES_URL, require
from tests.factories import Office, SqlWorld, build_office
from zonal.bootstrap import Store
from zonal.incidents.demo import DemoSpec
from zonal.services.demo import build_demo, ensure_demo_forecast
from zonal.services.ports import StoreUnitOfWork
from zonal.settings import get_settings
from zonal.storage import SqlStoreUnitOfWork, make_engine, upgrade
from zonal.storage.memory import InMemoryStoreUnitOfWork
from zonal.web.app import create_app


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'zonal.db'}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The local PostgreSQL server's URL; skips (fails under CI) when it is not reachable."""
    try:
        probe = create_engine(POSTGRES_URL)
        with probe.connect() as connection:
            connection.execute(text("SELECT 1"))
        probe.dispose()
        reachable = True
    except OperationalError:
        reachable = False
    require(reachable, f"PostgreSQL at {POSTGRES_URL} is not reachable")
    return POSTGRES_URL


@pytest.fixture
def postgres_engine(postgres_server: str) -> Iterator[Engine]:
    """An engine whose search_path is a schema created for this test and dropped after it."""
    schema = f"zonal_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{postgres_server}?options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """The same test on both supported backends."""
    name = "sqlite_engine" if request.param == "sqlite" else "postgres_engine"
    return request.getfixturevalue(name)


@pytest.fixture
def store(engine: Engine) -> Engine:
    """A migrated store on each backend."""
    upgrade(engine)
    return engine


@pytest.fixture
def sql_uow(store: Engine) -> SqlStoreUnitOfWork:
    """A unit of work on a migrated store of each backend."""
    return SqlStoreUnitOfWork(store)


@pytest.fixture(params=["sqlite", "postgresql", "memory"])
def uow(request: pytest.FixtureRequest) -> StoreUnitOfWork:
    """The same contract on both SQL backends and on the in-memory fake."""
    if request.param == "memory":
        return InMemoryStoreUnitOfWork()
    name = "sqlite_engine" if request.param == "sqlite" else "postgres_engine"
    engine: Engine = request.getfixturevalue(name)
    upgrade(engine)
    return SqlStoreUnitOfWork(engine)


@pytest.fixture(scope="module")
def demo_pages_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The web app over a SQLite store holding eight weeks of the demo and its forecast."""
    store = Store(make_engine(f"sqlite:///{tmp_path_factory.mktemp('zonal') / 'zonal.db'}"))
    upgrade(store.engine)
    build_demo(store.uow(), DemoSpec(days=56))
    run = ensure_demo_forecast(store.uow())
    store.planner().prepare(run.id)  # as `zonal demo` does: the overviews are ready
    with TestClient(create_app(get_settings(), store)) as client:
        yield client
    store.dispose()


@pytest.fixture
def world(store: Engine) -> SqlWorld:
    """The complaint use cases over a migrated store on each backend, on a fixed clock."""
    return SqlWorld(store)


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    """The web app over a fresh SQLite store, with cheap Argon2 costs and a fixed clock."""
    built = build_office(tmp_path)
    yield built
    built.store.dispose()
