"""Read the taxonomy's CSV tables shipped inside the package.

The tables are plain CSV (UTF-8, `#` starts a comment line) so a police organisation can
read and amend them without Python; every value is read as text and checked by the caller.
"""

from __future__ import annotations

import io
from importlib.resources import files
from pathlib import Path

import polars as pl

from zonal.errors import FileFormatError

DATA_PACKAGE = "zonal.taxonomy"


def read_packaged(name: str) -> pl.DataFrame:
    """Read `data/<name>` from the installed package, every column as String."""
    resource = files(DATA_PACKAGE).joinpath("data", name)
    return read_table(resource.read_bytes(), source=f"taxonomy data file {name}")


def read_path(path: Path) -> pl.DataFrame:
    """Read a user's table from `path`, every column as String."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise FileFormatError(f"cannot read mapping table {path}: {exc}") from exc
    return read_table(content, source=str(path))


def read_table(content: bytes, source: str) -> pl.DataFrame:
    """Parse CSV `content`; `source` names the file in error messages."""
    try:
        frame = pl.read_csv(io.BytesIO(content), infer_schema=False, comment_prefix="#")
    except (pl.exceptions.PolarsError, UnicodeDecodeError) as exc:
        raise FileFormatError(f"{source} is not a readable UTF-8 CSV file: {exc}") from exc
    # Strip cells once here so every checker and lookup sees the same text.
    return frame.with_columns(pl.all().str.strip_chars())


def require_columns(frame: pl.DataFrame, columns: tuple[str, ...], source: str) -> None:
    """Raise FileFormatError naming the columns of `columns` that `frame` lacks."""
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise FileFormatError(
            f"{source} lacks column(s) {missing}; its header must be {','.join(columns)}"
        )


def line_of(row_index: int) -> str:
    """Describe a data row for messages (comment lines are not counted)."""
    return f"data row {row_index + 1}"
