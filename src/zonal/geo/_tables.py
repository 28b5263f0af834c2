"""Reading and writing the registry's small CSV files with the line numbers errors need.

Lines starting with '#' are comments (the shipped files say where their numbers come from)
and blank lines are skipped; the first other line is the header.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from zonal.errors import RegistryFormatError


@dataclass(frozen=True)
class Row:
    """One data row: where it is (for error messages) and its values by column."""

    file: str
    line: int
    values: dict[str, str]

    def where(self) -> str:
        return f"{self.file} line {self.line}"

    def text(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def optional_text(self, column: str) -> str | None:
        return self.text(column) or None

    def optional_float(self, column: str, low: float, high: float) -> float | None:
        raw = self.text(column)
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            raise self.error(f"{column} {raw!r} is not a number; write it like 50.85") from None
        if not low <= value <= high:
            raise self.error(f"{column} {raw!r} is outside {low:g}..{high:g}; fix the value")
        return value

    def optional_int(self, column: str) -> int | None:
        raw = self.text(column).replace("_", "")
        if not raw:
            return None
        if not raw.isdigit():
            raise self.error(f"{column} {raw!r} is not a whole number >= 0; write it like 185103")
        return int(raw)

    def error(self, what: str) -> RegistryFormatError:
        return RegistryFormatError(f"{self.where()}: {what}")


def read_rows(path: Path, required: Sequence[str], optional: Sequence[str] = ()) -> list[Row]:
    """The data rows of a CSV file that must have `required` columns and may have `optional`."""
    lines = _numbered_lines(path)
    if not lines:
        raise RegistryFormatError(f"{path.name}: the file is empty; it needs a header line")
    (header_line, raw_header), *body = list(_parse(lines))
    header = [name.strip() for name in raw_header]
    _check_header(path.name, header_line, header, required, optional)
    rows = []
    for line, cells in body:
        if len(cells) != len(header):
            raise RegistryFormatError(
                f"{path.name} line {line}: {len(cells)} values for {len(header)} columns;"
                " quote values that contain commas"
            )
        rows.append(Row(path.name, line, dict(zip(header, cells, strict=True))))
    return rows


def _numbered_lines(path: Path) -> list[tuple[int, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RegistryFormatError(f"{path}: the file does not exist") from None
    except OSError as exc:
        raise RegistryFormatError(f"{path}: the file cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise RegistryFormatError(
            f"{path.name}: not UTF-8 (byte {exc.start}); save the file as UTF-8"
        ) from None
    numbered = enumerate(text.splitlines(), start=1)
    return [(n, line) for n, line in numbered if line.strip() and not line.startswith("#")]


def _parse(lines: list[tuple[int, str]]) -> Iterable[tuple[int, list[str]]]:
    # One line per record: registry values never span lines, and this keeps line numbers true.
    for number, line in lines:
        yield number, next(csv.reader([line]))


def _check_header(
    file: str, line: int, header: list[str], required: Sequence[str], optional: Sequence[str]
) -> None:
    missing = [name for name in required if name not in header]
    if missing:
        raise RegistryFormatError(
            f"{file} line {line}: missing column(s) {', '.join(missing)};"
            f" the header must name {', '.join(required)}"
        )
    unknown = [name for name in header if name not in (*required, *optional)]
    if unknown:
        raise RegistryFormatError(
            f"{file} line {line}: unknown column(s) {', '.join(map(repr, unknown))};"
            f" allowed are {', '.join((*required, *optional))}"
        )
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise RegistryFormatError(f"{file} line {line}: column(s) {', '.join(duplicated)} twice")


def write_rows(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[object]], comment: str = ""
) -> None:
    """Write a CSV file in the format `read_rows` reads; None is written as an empty cell."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        for line in comment.splitlines():
            handle.write(f"# {line}\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])
