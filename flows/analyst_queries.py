"""The README's analyst questions: each question's SQL and its real output on the seed corpus.

`python -m flows.analyst_queries README.md --warehouse W --update` rewrites the outputs in the README
from the warehouse W; a test rebuilds the seed warehouse and checks that the README still says what
the queries return.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path

from flows import warehouse as wh

# A question block in the README: a "### Q..." heading, a ```sql block, then a ```text block of output.
BLOCK = re.compile(r"(?P<head>### Q\d+\..*?\n\n```sql\n(?P<sql>.*?)\n```\n\n```text\n)(?P<out>.*?)(?P<tail>```)", re.S)
MAX_CELL = 70


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        value = ", ".join(map(str, value))
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def render(columns: list[str], rows: list[tuple]) -> str:
    """A plain fixed-width table, stable enough to keep in a README."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def answers(readme: str, warehouse: Path) -> list[tuple[str, str, str]]:
    """(sql, documented output, real output) for every question in the README."""
    found = []
    with wh.read_only(warehouse) as con:
        for block in BLOCK.finditer(readme):
            cursor = con.execute(block.group("sql"))
            columns = [d[0] for d in cursor.description]
            found.append((block.group("sql"), block.group("out"), render(columns, cursor.fetchall())))
    return found


def update(readme_path: Path, warehouse: Path) -> int:
    readme = readme_path.read_text(encoding="utf-8")
    outputs = iter(real for _, _, real in answers(readme, warehouse))
    updated = BLOCK.sub(lambda m: m.group("head") + next(outputs) + m.group("tail"), readme)
    readme_path.write_text(updated, encoding="utf-8")
    return len(BLOCK.findall(readme))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("readme", type=Path)
    parser.add_argument("--warehouse", type=Path, default=wh.default_warehouse())
    parser.add_argument("--update", action="store_true", help="rewrite the outputs in place")
    args = parser.parse_args()
    if args.update:
        print(f"updated {update(args.readme, args.warehouse)} answers in {args.readme}")
        return
    stale = [sql.splitlines()[0] for sql, documented, real in answers(args.readme.read_text(), args.warehouse) if documented != real]
    print("README answers are current" if not stale else f"{len(stale)} stale answers: {stale}")


if __name__ == "__main__":
    main()
