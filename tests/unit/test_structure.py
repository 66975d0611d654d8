"""The code keeps its promises about shape: pure stages, DDL that agrees with the records."""

import ast
import re
from pathlib import Path

import duckdb

from flows import models
from flows.stages.load import DERIVED_COLUMNS, TABLE_SCHEMAS
from flows.warehouse import migrate

FLOWS = Path(__file__).resolve().parents[2] / "flows"


def test_stages_never_import_prefect():
    for path in (FLOWS / "stages").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] == "prefect" for n in names), path


def test_ddl_agrees_with_the_load_schemas_and_the_records():
    con = duckdb.connect()
    migrate(con)
    for table, schema in TABLE_SCHEMAS.items():
        columns = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = 'main' "
            "ORDER BY ordinal_position", [table]).fetchall()]
        assert set(schema) | set(DERIVED_COLUMNS.get(table, {})) == set(columns), table
    records = {"sentences": models.Sentence, "mentions": models.Mention, "claims": models.Claim,
               "deployments": models.Deployment, "quotes": models.Quote, "review_items": models.ReviewItem}
    for table, record in records.items():
        assert set(record.model_fields) == set(TABLE_SCHEMAS[table]), table
    article_columns = set(TABLE_SCHEMAS["articles"])
    assert set(models.Article.model_fields) <= article_columns


def test_every_view_file_says_what_one_row_is():
    for path in (FLOWS.parent / "sql" / "views").glob("*.sql"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert re.match(r"--\s*One row per", first), path.name
