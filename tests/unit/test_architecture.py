"""Dependencies point inward, for every package of Zonal.

    cores (taxonomy, geo, incidents, forecasting, planning, complaints, errors, settings)
        <- services (use cases; see the store only through their ports)
        <- storage (adapters: SQLAlchemy, bulk Arrow I/O, encryption at rest)
        <- bootstrap (the composition root)
        <- web, cli (entry points)

A new top-level package fails `test_every_package_has_a_layer` until it is given one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "zonal"
FRAMEWORKS = {"sqlalchemy", "alembic", "fastapi", "starlette", "uvicorn", "typer", "rich", "jinja2"}
DRIVERS = {"redis", "psycopg", "adbc_driver_postgresql", "sqlite3"}
OUTER = {"zonal.services", "zonal.storage", "zonal.bootstrap", "zonal.web", "zonal.cli"}
CORE = FRAMEWORKS | DRIVERS | OUTER
LAYERS: dict[str, set[str]] = {
    # package or module: what it must never import
    "taxonomy": CORE,
    "geo": CORE,
    "incidents": CORE,
    "forecasting": CORE,
    "planning": CORE,
    "complaints": CORE,
    "errors.py": CORE,
    "settings.py": CORE,
    "__init__.py": CORE,
    "services": FRAMEWORKS | DRIVERS | (OUTER - {"zonal.services"}),
    "storage": {"fastapi", "starlette", "uvicorn", "typer", "rich", "jinja2"}
    | (OUTER - {"zonal.storage"}),
    "bootstrap.py": {"fastapi", "starlette", "typer", "rich", "zonal.web", "zonal.cli"},
    "web": {"sqlalchemy", "alembic", "typer", "zonal.storage", "zonal.cli"},
    "cli": {"sqlalchemy", "alembic", "fastapi", "starlette", "zonal.storage"},
}
# The adapters implement the use cases' protocols and may name them; nothing else of services.
ALLOWED = {"storage": {"zonal.services.ports", "zonal.services.complaints.ports"}}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.update({node.module, *(f"{node.module}.{a.name}" for a in node.names)})
    return found


def violates(module: str, forbidden: set[str], allowed: set[str] = frozenset()) -> bool:  # type: ignore[assignment]
    def under(name: str) -> bool:
        return module == name or module.startswith(f"{name}.")

    return any(under(name) for name in forbidden) and not any(under(name) for name in allowed)


def files_of(layer: str) -> list[Path]:
    target = SRC / layer
    return [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))


def test_every_package_has_a_layer() -> None:
    found = {
        p.name
        for p in SRC.iterdir()
        if p.suffix == ".py" or (p.is_dir() and any(p.rglob("*.py")) and p.name != "__pycache__")
    }
    assert found == set(LAYERS), f"give each package a layer in LAYERS: {found ^ set(LAYERS)}"


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_layer_imports_only_inward(layer: str) -> None:
    bad = [
        f"{path.relative_to(SRC)} imports {module}"
        for path in files_of(layer)
        for module in sorted(imports_of(path))
        if violates(module, LAYERS[layer], ALLOWED.get(layer, set()))
    ]
    assert not bad, bad


def test_the_guard_detects_a_violation(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("from sqlalchemy.orm import Session\nimport zonal.web.app\n")
    assert {m for m in imports_of(sample) if violates(m, LAYERS["geo"])} == {
        "sqlalchemy.orm",
        "sqlalchemy.orm.Session",
        "zonal.web.app",
    }


def test_a_route_reaching_past_the_use_cases_is_caught(tmp_path: Path) -> None:
    sample = tmp_path / "route.py"
    sample.write_text("from zonal.storage import dataset_counts\nfrom zonal import storage\n")
    assert {m for m in imports_of(sample) if violates(m, LAYERS["web"])} == {
        "zonal.storage",
        "zonal.storage.dataset_counts",
    }


def test_the_adapters_may_name_the_ports_and_nothing_else_of_services(tmp_path: Path) -> None:
    sample = tmp_path / "adapter.py"
    sample.write_text(
        "from zonal.services.ports import StoreUnitOfWork\nimport zonal.services.demo\n"
    )
    bad = {m for m in imports_of(sample) if violates(m, LAYERS["storage"], ALLOWED["storage"])}
    assert bad == {"zonal.services.demo"}
