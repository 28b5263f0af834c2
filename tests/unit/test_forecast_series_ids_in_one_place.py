"""Series ids AREA|CLUSTER are built, read and compared in forecasting/series_key.py only.

Everywhere else goes through SeriesKey. The guard walks every module of src/zonal and flags
the forms a hand-made id takes: the bar itself ("|"), an f-string with a bar, a text that
starts or ends with a bar ("|all", "5339|"), a regex matching a literal bar, a comparison
with a text holding a bar ("all|all"), and the module's SEPARATOR imported to split by hand.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "zonal"
HOME = Path("forecasting/series_key.py")
BAR = "|"
LITERAL_BAR = re.compile(r"\\\||\[\^?\||\|\]")  # \| or a character class holding a bar
# Bars that are not series ids, each by its module and its exact line, and why.
ALLOWED = {
    ("incidents/sources.py", '_SNIFFED = (",", ";", "\\t", "|")'): "CSV delimiters to sniff",
    ("incidents/sources.py", '_SEPARATOR_NAMES = {";": "semicolon", "\\t": "tab", "|": "pipe"}'): (
        "the names of CSV delimiters in messages"
    ),
    (
        "taxonomy/schemes.py",
        'columns = tuple(c.strip() for c in (row["columns"] or "").split("|") if c.strip())',
    ): "the reference table lists a scheme's source columns separated by bars",
    (
        "complaints/schemas.py",
        "Language = Annotated[str, Field(pattern=rf\"^({'|'.join(LANGUAGES)})$\")]",
    ): "a regex alternation of the language codes",
}


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the docstring constants, which may show an id in prose."""
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            if isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _texts(node: ast.AST) -> list[str]:
    """The str constants of a node and of a tuple, list or set it holds."""
    items = node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else [node]
    return [i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)]


def _form(node: ast.AST, skip: set[int]) -> str | None:
    """Which hand-made form of an id `node` is, if any."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
        text = node.value
        bare = text.strip("^$").replace("\\|", BAR)
        if text == BAR:
            return "the bar itself"
        if bare.startswith(BAR) or bare.endswith(BAR):
            return "a text starting or ending with a bar"
        if LITERAL_BAR.search(text):
            return "a regex matching a literal bar"
    if isinstance(node, ast.JoinedStr) and any(
        isinstance(v, ast.FormattedValue) for v in node.values
    ):
        if any(BAR in t for v in node.values for t in _texts(v)):
            return "an f-string with a bar"
    if isinstance(node, ast.Compare):
        if any(BAR in t for side in [node.left, *node.comparators] for t in _texts(side)):
            return "a comparison with a text holding a bar"
    if isinstance(node, ast.ImportFrom) and any(a.name == "SEPARATOR" for a in node.names):
        return "the separator imported"
    return None


def hand_made_ids(source: str, name: str) -> list[str]:
    """`name:line: form: code` for every hand-made id in `source`, the allowed ones left out."""
    tree = ast.parse(source)
    lines = source.splitlines()
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        form = _form(node, skip)
        line = lines[node.lineno - 1].strip() if form else ""
        if form and (name, line) not in ALLOWED:
            found.append(f"{name}:{node.lineno}: {form}: {line}")
    return sorted(set(found))


def test_no_module_but_series_key_builds_or_reads_an_id_by_hand() -> None:
    found = [
        hit
        for path in sorted(SRC.rglob("*.py"))
        if path.relative_to(SRC) != HOME
        for hit in hand_made_ids(path.read_text(encoding="utf-8"), str(path.relative_to(SRC)))
    ]
    assert not found, "use zonal.forecasting.series_key.SeriesKey:\n" + "\n".join(found)


def test_every_allowed_bar_is_still_there() -> None:
    """An exclusion whose line is gone would silently allow the next bar put on that line."""
    for module, line in ALLOWED:
        source = (SRC / module).read_text(encoding="utf-8")
        assert line in [s.strip() for s in source.splitlines()], (module, line)


@pytest.mark.parametrize(
    "code",
    [
        'area, cluster = series.split("|")',
        'area = uid.partition("|")[0]',
        'uid = "|".join([area, cluster])',
        'uid = area + "|" + cluster',
        'uid = pl.concat_str([pl.col("area"), pl.lit("|"), pl.col("cluster")])',
        'uid = pl.concat_str(["area", "cluster"], separator="|")',
        'uid = f"{area}|{cluster}"',
        'totals = frame.filter(pl.col("unique_id").str.ends_with(f"|{TOTAL}"))',
        'totals = frame.filter(pl.col("unique_id").str.ends_with("|all"))',
        'mine = ids.str.starts_with(area + "|")',
        "unknown = uid.startswith('unknown|')",
        'zones = ids.str.contains(r"^[^/|:]+\\|all$")',
        'area = pl.col("unique_id").str.replace(r"\\|all$", "")',
        'sectors = ids.str.contains(r"^\\d+/[^|]+")',
        'rest = frame.filter(pl.col("unique_id") != "all|all")',
        'city = uid in ("all|all", "all|none")',
        "from zonal.forecasting.series_key import SEPARATOR",
    ],
)
def test_the_guard_flags_each_hand_made_form(code: str) -> None:
    assert hand_made_ids(code, "sample.py"), code


def test_the_guard_leaves_prose_and_other_bars_alone() -> None:
    code = (
        'def f():\n    """Ids look like 5339|all."""\n'
        "    return InputError(\"the forecast has no zone totals (ids like '5339|all')\")\n"
        'ORIGIN = r"^(ON VIEW|TRAFFIC STOP)$"\n'
        'joined = pl.concat_str(columns, separator=" | ")\n'
        "either = a | b\n"
    )
    assert hand_made_ids(code, "sample.py") == []
