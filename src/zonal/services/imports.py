"""Use case: import a file of incidents into the store, with an account of every row."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from sqlalchemy import Engine

from zonal.errors import InputError
from zonal.incidents.importers import read_incidents, write_rejects
from zonal.incidents.mapping import ColumnMapping
from zonal.incidents.options import ImportOptions, ImportResult
from zonal.incidents.presets import get_preset
from zonal.services.store import registry_of
from zonal.storage import dataset_counts, write_incidents
from zonal.storage.import_runs import ImportRunCreate, finish_import_run, record_import_run


@dataclass(frozen=True)
class ImportRequest:
    """What a user asked to import: a preset, or a mapping with its time zone."""

    path: Path
    preset: str | None = None
    mapping: str | None = None
    time_zone: str | None = None
    dataset: str | None = None
    scheme: str | None = None
    time_format: str | None = None
    agencies: tuple[str, ...] | None = None  # dispatch-center preset: () keeps every agency
    check_zones: bool | None = None  # reject zones outside the registry; default: not for presets
    replace: bool = False


@dataclass(frozen=True)
class ImportReport:
    run_id: int
    dataset: str
    rows_read: int
    rows_imported: int
    reasons: dict[str, int]
    notes: dict[str, int]
    unclassified: pl.DataFrame
    rejects_path: Path | None

    @property
    def rows_rejected(self) -> int:
        return sum(self.reasons.values())


def import_incidents(engine: Engine, request: ImportRequest, rejects_dir: Path) -> ImportReport:
    """Read `request.path`, store its incidents and record the run; rejects go to a CSV.

    Raises:
        InputError: the dataset already exists and `replace` was not asked, or the request
            names neither a preset nor a mapping with a time zone.
    """
    options = build_options(request)
    if request.check_zones if request.check_zones is not None else not request.preset:
        options = replace(options, known_zones=frozenset(registry_of(engine).zones))
    _refuse_overwrite(engine, options.dataset, request.replace)
    started = datetime.now(UTC)
    result = read_incidents(request.path, options)
    run_id = _record_run(engine, request, options, result, started)
    rejects_path = _write_rejects(result, rejects_dir, options.dataset, run_id)
    replaced = options.dataset if request.replace else None
    write_incidents(engine, result.incidents, import_run=run_id, replace_dataset=replaced)
    finish_import_run(engine, run_id, rejects_path)
    return ImportReport(
        run_id=run_id,
        dataset=options.dataset,
        rows_read=result.rows_read,
        rows_imported=result.incidents.height,
        reasons=result.reasons,
        notes=result.notes,
        unclassified=result.unclassified,
        rejects_path=rejects_path,
    )


def build_options(request: ImportRequest) -> ImportOptions:
    """The importer options of a preset or of an explicit mapping, with the user's overrides."""
    if request.preset:
        overrides: dict[str, object] = {
            name: value
            for name, value in (
                ("dataset", request.dataset),
                ("time_zone", request.time_zone),
                ("scheme", request.scheme),
                ("time_format", request.time_format),
            )
            if value is not None
        }
        if request.mapping:
            overrides["mapping"] = ColumnMapping.parse(request.mapping)
        if request.agencies is not None:
            overrides["agencies"] = request.agencies or None
        return get_preset(request.preset).options(**overrides)
    if not request.mapping or not request.time_zone:
        raise InputError(
            "give either --preset NAME, or --map with --tz, e.g. "
            "--map time=occurred_at,zone=beat,category=offense --tz Europe/Brussels"
        )
    return ImportOptions(
        mapping=ColumnMapping.parse(request.mapping),
        time_zone=request.time_zone,
        dataset=request.dataset or _dataset_name(request.path),
        scheme=request.scheme or "zonal",
        time_format=request.time_format,
    )


def _dataset_name(path: Path) -> str:
    name = path.name
    for suffix in (".gz", ".csv", ".parquet"):
        name = name.removesuffix(suffix)
    return name


def _refuse_overwrite(engine: Engine, dataset: str, replace_allowed: bool) -> None:
    stored = dataset_counts(engine).get(dataset, 0)
    if stored and not replace_allowed:
        raise InputError(
            f"dataset {dataset!r} already holds {stored:,} incidents; add --replace to "
            "replace it, or give another name with --dataset"
        )


def _record_run(
    engine: Engine,
    request: ImportRequest,
    options: ImportOptions,
    result: ImportResult,
    started: datetime,
) -> int:
    run = ImportRunCreate(
        dataset=options.dataset,
        source=str(request.path),
        preset=request.preset,
        time_zone=options.time_zone,
        started_at=started,
        rows_read=result.rows_read,
        rows_imported=result.incidents.height,
        rows_rejected=result.rejects.height,
        reasons=dict(result.reasons),
        notes=dict(result.notes),
    )
    return record_import_run(engine, run)


def _write_rejects(result: ImportResult, folder: Path, dataset: str, run_id: int) -> Path | None:
    if result.rejects.is_empty():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    return write_rejects(result, folder / f"{dataset}-run{run_id}.csv")
