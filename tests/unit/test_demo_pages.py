"""`zonal demo` prints every page of README.md's table, with what it is for."""

from __future__ import annotations

import re
from pathlib import Path

from zonal.cli.demo import DEMO_PAGES, page_lines

README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(r"^\| (http://127\.0\.0\.1:8000(/\S*)) \|", re.M)


def readme_pages() -> list[str]:
    """The paths of the README's "make demo prints what to open" table, in its order."""
    return [path for _, path in ROW.findall(README.read_text(encoding="utf-8"))]


def test_the_readme_table_is_found() -> None:
    assert readme_pages()[:2] == ["/zones", "/forecast"] and "/docs" in readme_pages()


def test_the_demo_lists_the_pages_of_the_readme_in_its_order() -> None:
    assert [path for path, _ in DEMO_PAGES] == readme_pages()


def test_every_printed_line_has_the_address_and_what_the_page_is_for() -> None:
    lines = page_lines("127.0.0.1", 8000)
    for (url, _), line, (_, what) in zip(
        ROW.findall(README.read_text()), lines, DEMO_PAGES, strict=True
    ):
        assert line.split()[0] == url and line.endswith(what) and len(what) > 10
