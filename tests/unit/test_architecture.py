"""Dependencies point inward: the analytic core imports no database, web or CLI code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "zonal"
FRAMEWORKS = {"sqlalchemy", "alembic", "fastapi", "starlette", "uvicorn", "typer", "rich", "jinja2"}
FORBIDDEN: dict[str, set[str]] = {
    # package: what it must never import
    "taxonomy": FRAMEWORKS | {"zonal.storage", "zonal.services", "zonal.web", "zonal.cli"},
    "geo": FRAMEWORKS | {"zonal.storage", "zonal.services", "zonal.web", "zonal.cli"},
    "incidents": FRAMEWORKS | {"zonal.storage", "zonal.services", "zonal.web", "zonal.cli"},
    "forecasting": FRAMEWORKS | {"zonal.storage", "zonal.services", "zonal.web", "zonal.cli"},
    "planning": FRAMEWORKS | {"zonal.storage", "zonal.services", "zonal.web", "zonal.cli"},
    "complaints": FRAMEWORKS | {"zonal.storage", "zonal.services", "zonal.web", "zonal.cli"},
    "storage": {"fastapi", "starlette", "typer", "zonal.services", "zonal.web", "zonal.cli"},
    # use cases see the store only through their ports
    "services": FRAMEWORKS | {"zonal.storage", "zonal.bootstrap", "zonal.web", "zonal.cli"},
}
ALLOWED: dict[str, set[str]] = {
    # package: modules it may import although FORBIDDEN names their parent
    "storage": {"zonal.services.ports"},  # adapters implement the protocols of the ports
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def violates(module: str, forbidden: set[str], allowed: frozenset[str] = frozenset()) -> bool:
    return module not in allowed and any(
        module == name or module.startswith(f"{name}.") for name in forbidden
    )


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_inward(package: str) -> None:
    bad = [
        f"{path.relative_to(SRC)} imports {module}"
        for path in sorted((SRC / package).rglob("*.py"))
        for module in sorted(imports_of(path))
        if violates(module, FORBIDDEN[package], frozenset(ALLOWED.get(package, ())))
    ]
    assert not bad, bad


def test_the_guard_detects_a_violation(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("from sqlalchemy.orm import Session\nimport zonal.web.app\n")
    assert {m for m in imports_of(sample) if violates(m, FORBIDDEN["geo"])} == {
        "sqlalchemy.orm",
        "zonal.web.app",
    }


def test_storage_may_import_the_ports_and_nothing_else_of_services() -> None:
    allowed = frozenset(ALLOWED["storage"])
    assert not violates("zonal.services.ports", FORBIDDEN["storage"], allowed)
    assert violates("zonal.services.forecasts", FORBIDDEN["storage"], allowed)
