"""Use case: import a file of incidents into the store, with an account of every row."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from zonal.errors import InputError
from zonal.incidents.import_runs import ImportRunCreate
from zonal.incidents.importers import read_incidents, write_rejects
from zonal.incidents.mapping import ColumnMapping
from zonal.incidents.options import ImportOptions, ImportResult
from zonal.incidents.presets import get_preset
from zonal.services.ports import StoreUnitOfWork
from zonal.services.zones import current_registry


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


def import_incidents(
    uow: StoreUnitOfWork, request: ImportRequest, rejects_dir: Path
) -> ImportReport:
    """Read `request.path`, store its incidents and record the run; rejects go to a CSV.

    The run is committed before its incidents, which refer to it; they are written in one
    transaction, so a failed write (or replacement) leaves the store's rows as they were.

    Raises:
        InputError: the dataset already exists and `replace` was not asked, or the request
            names neither a preset nor a mapping with a time zone.
    """
    options = _checked_options(uow, request)
    started = datetime.now(UTC)
    result = read_incidents(request.path, options)
    with uow:
        run_id = uow.imports.record(_run(request, options, result, started))
        uow.commit()
    rejects_path = _write_rejects(result, rejects_dir, options.dataset, run_id)
    replaced = options.dataset if request.replace else None
    with uow:
        uow.incidents.write(result.incidents, import_run=run_id, replace_dataset=replaced)
        uow.commit()
    with uow:
        uow.imports.finish(run_id, rejects_path)
        uow.commit()
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


def _checked_options(uow: StoreUnitOfWork, request: ImportRequest) -> ImportOptions:
    """The request's options, zones checked against the registry when asked; refused before
    the file is read when it would overwrite a dataset without `replace`."""
    options = build_options(request)
    with uow:
        if request.check_zones if request.check_zones is not None else not request.preset:
            options = replace(options, known_zones=frozenset(current_registry(uow).zones))
        stored = uow.incidents.dataset_counts().get(options.dataset, 0)
    if stored and not request.replace:
        raise InputError(
            f"dataset {options.dataset!r} already holds {stored:,} incidents; add --replace "
            "to replace it, or give another name with --dataset"
        )
    return options


@dataclass(frozen=True)
class FileIncidents:
    """A file's incidents as read (nothing stored) and the clock they were read in."""

    result: ImportResult
    time_zone: str


def read_file(request: ImportRequest) -> FileIncidents:
    """Read `request.path` as the request says, without the store (to forecast a file).

    Raises:
        InputError: the request names neither a preset nor a mapping with a time zone, or the
            file cannot be read as asked.
    """
    options = build_options(request)
    return FileIncidents(read_incidents(request.path, options), options.time_zone)


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


def _run(
    request: ImportRequest, options: ImportOptions, result: ImportResult, started: datetime
) -> ImportRunCreate:
    return ImportRunCreate(
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


def _write_rejects(result: ImportResult, folder: Path, dataset: str, run_id: int) -> Path | None:
    if result.rejects.is_empty():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    return write_rejects(result, folder / f"{dataset}-run{run_id}.csv")
