"""Use case: import a file of incidents into the store, with an account of every row.

Before anything is written, the import says what it could not resolve (`zonal.incidents.
resolution`). Two findings stop it unless the user settles them:

- **No zone at all.** Every forecast, plan and map of Zonal is per zone; a file without one
  would be stored, forecast and planned as zone "unknown", and the zone map would show every
  zone at 0: it looks like success and is useless. A warning scrolls past (and exits 0 in a
  script), while a refusal costs one re-run with the fix the message names: a zone column, the
  file's one zone (`zone`, checked against the registry), or `without_zone` to import it so on
  purpose (a city-wide dispatch centre forecast as one total is legitimate).
- **A default scheme that a known one beats by far, on the file's own column names** (a
  `Problem` column that the `dispatch-center` scheme reads). The user did not choose the
  scheme, so refusing costs nothing but naming the right one. A chosen scheme is kept, and a
  scheme that only matches by position (any one column against a one-column scheme) is a
  guess: both are warnings.

Every other finding is a warning in the report. Options that cannot apply are refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from zonal.errors import InputError, NotFoundError
from zonal.incidents.import_runs import ImportRunCreate
from zonal.incidents.importers import read_incidents, write_rejects
from zonal.incidents.mapping import ColumnMapping
from zonal.incidents.options import ImportOptions, ImportResult
from zonal.incidents.presets import Preset, get_preset
from zonal.incidents.resolution import BETTER_SCHEME, NO_ZONE, Unresolved, unresolved
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
    agencies: tuple[str, ...] | None = None  # the agencies to keep; () keeps every agency
    check_zones: bool | None = None  # reject zones outside the registry; default: not for presets
    replace: bool = False
    zone: str | None = None  # the zone of every row, for a file of one zone
    without_zone: bool = False  # import a file without any zone, knowingly


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
    warnings: tuple[str, ...] = ()  # what the import could not resolve, and how to fix it

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
        InputError: the dataset already exists and `replace` was not asked, the request names
            neither a preset nor a mapping with a time zone, an option cannot apply, or the
            file leaves unresolved what the user has not settled (no zone at all, a better
            scheme than the default): the message says how to fix each.
        NotFoundError: `zone` is not a zone of the registry.
    """
    options = _checked_options(uow, request)
    started = datetime.now(UTC)
    result = read_incidents(request.path, options)
    warnings = _settled(request, unresolved(result, options))
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
        warnings=warnings,
    )


def _settled(request: ImportRequest, findings: list[Unresolved]) -> tuple[str, ...]:
    """The findings as warnings, once none is left that the user must settle first.

    Raises:
        InputError: a file without any zone and no `without_zone`, or a better scheme than the
            default one; the message lists every finding with its fix.
    """
    blocking = [finding for finding in findings if _blocks(finding, request)]
    if blocking:
        listed = "\n".join(f"- {finding.message}" for finding in blocking)
        raise InputError(f"{request.path.name}: nothing was imported.\n{listed}")
    return tuple(finding.message for finding in findings)


def _blocks(finding: Unresolved, request: ImportRequest) -> bool:
    if finding.kind == NO_ZONE:
        return not request.without_zone
    if finding.kind == BETTER_SCHEME:
        return request.scheme is None and request.preset is None
    return False


def _checked_options(uow: StoreUnitOfWork, request: ImportRequest) -> ImportOptions:
    """The request's options, zones checked against the registry when asked; refused before
    the file is read when it would overwrite a dataset without `replace`."""
    options = build_options(request)
    _refuse_contradictions(request, options)
    with uow:
        registry = current_registry(uow)
        if request.zone is not None:
            _require_zone(request.zone, registry.zones)
        if request.check_zones if request.check_zones is not None else not request.preset:
            options = replace(options, known_zones=frozenset(registry.zones))
        stored = uow.incidents.dataset_counts().get(options.dataset, 0)
    if stored and not request.replace:
        raise InputError(
            f"dataset {options.dataset!r} already holds {stored:,} incidents; add --replace "
            "to replace it, or give another name with --dataset"
        )
    return options


def _refuse_contradictions(request: ImportRequest, options: ImportOptions) -> None:
    """Refuse zone options that cannot apply together (a zone column or --zone with
    --no-zone, a zone check without zones)."""
    if not request.without_zone:
        return
    if options.mapping.zone is not None or options.zone is not None:
        given = f"column {options.mapping.zone!r}" if options.mapping.zone else "--zone"
        raise InputError(
            f"--no-zone imports without zones, but the zones come from {given}: drop --no-zone"
        )
    if request.check_zones:
        raise InputError("--check-zones checks zones and --no-zone imports none: drop one")


def _require_zone(zone: str, zones: Mapping[str, object]) -> None:
    if zone.strip() not in zones:
        raise NotFoundError(
            f"--zone {zone!r} is not a zone of the registry; its zones are "
            f"{', '.join(sorted(zones)[:12])}{' ...' if len(zones) > 12 else ''}. "
            "Load your own with `zonal zones load FOLDER`"
        )


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
    """The importer options of a preset or of an explicit mapping, with the user's overrides.

    Raises:
        InputError: neither a preset nor a mapping with a time zone, or an option that cannot
            apply: `agencies` without an agency column, `scheme` without a category column.
    """
    preset = get_preset(request.preset) if request.preset else None
    options = _preset_options(request, preset) if preset else _mapped_options(request)
    if request.scheme is not None and not options.mapping.category:
        raise InputError(
            f"--scheme {request.scheme} classifies the category column, and none is mapped: "
            "add category=COLUMN to --map, or drop --scheme"
        )
    return _with_agencies(options, request, preset)


def _preset_options(request: ImportRequest, preset: Preset) -> ImportOptions:
    overrides: dict[str, object] = {
        name: value
        for name, value in (
            ("dataset", request.dataset),
            ("time_zone", request.time_zone),
            ("scheme", request.scheme),
            ("time_format", request.time_format),
            ("zone", request.zone),
        )
        if value is not None
    }
    if request.mapping:
        overrides["mapping"] = ColumnMapping.parse(request.mapping)
    return preset.options(**overrides)


def _with_agencies(
    options: ImportOptions, request: ImportRequest, preset: Preset | None
) -> ImportOptions:
    """Keep the asked agencies' rows: by the mapped agency column, else by the preset's own
    agency filter; refused when there is neither, since the option would do nothing."""
    if request.agencies is None:
        return options
    column = options.mapping.agency
    if column is not None:
        keep = {name: values for name, values in options.keep_values.items() if name != column}
        if request.agencies:
            keep[column] = frozenset(request.agencies)
        return replace(options, keep_values=keep)
    if preset is not None and "agencies" in preset.extras:
        return preset.extras["agencies"](options, request.agencies or None)
    raise InputError(
        "--agency keeps the rows of some agencies, and no agency column is mapped: add "
        "agency=COLUMN to --map (e.g. --map time=Incident_Start_Time,agency=Agency), "
        "or drop --agency"
    )


def _mapped_options(request: ImportRequest) -> ImportOptions:
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
        zone=request.zone,
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
