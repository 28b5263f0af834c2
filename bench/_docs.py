"""Each benchmark owns one section of docs/benchmarks.md, between its own markers."""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def replace_section(start: str, end: str, section: str) -> Path:
    """Put `section` (which begins with `start` and ends with `end`) into docs/benchmarks.md.

    The file is re-read right before writing, so the other benchmarks' sections stay as they are;
    a section seen for the first time is appended.
    """
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text, encoding="utf-8")
    return DOCS
