"""load: one DuckDB transaction per batch. Changed articles have their old rows replaced; IDs are
content-derived, so the same input gives the same tables. Also the run's closing write (finalise)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import duckdb
import polars as pl

from flows.catalog import Catalog
from flows.models import Article, Entity, Reject
from flows.stages.rows import ARTICLE_CHILD_TABLES, Columns, ExtractedRows, extracted_rows, n_rows, rows_of
from flows.stages.parse import parser_version
from flows.warehouse import (
    mark_summary_stale, meta_value, refresh_deployment_summary, set_meta, summary_is_stale, transaction, utc_now,
)

if TYPE_CHECKING:
    from flows.stages.validate import ValidationReport

S, I, F, B, D = pl.String, pl.Int64, pl.Float64, pl.Boolean, pl.Date
LIST = pl.List(pl.String)

# Column names and types of every table the load writes; tests check these against sql/migrations.
TABLE_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "articles": {
        "article_id": S, "content_hash": S, "source_name": S, "title": S, "publisher": S, "url": S,
        "published_date": D, "author": S, "text": S, "text_format": S, "encoding": S, "encoding_fallback": B,
        "n_chars": I, "is_missing": B, "extractor_version": S, "catalog_version": S,
    },
    "sentences": {"article_id": S, "sentence_idx": I, "char_start": I, "char_end": I},
    "mentions": {
        "mention_id": S, "article_id": S, "entity_type": S, "entity_id": S, "surface": S, "char_start": I,
        "char_end": I, "sentence_idx": I, "method": S, "confidence": F,
    },
    "claims": {
        "claim_id": S, "article_id": S, "sentence_idx": I, "char_start": I, "char_end": I, "claim_type": S,
        "certainty": S, "attributed_to": S, "attributed_to_id": S, "relay_chain": LIST, "original_source": S,
        "event_date": D, "event_date_precision": S, "date_reason": S, "place_reason": S, "system_ids": LIST,
        "site_ids": LIST, "actor_ids": LIST, "confidence": F, "sentence_key": S,
    },
    "deployments": {"claim_id": S, "article_id": S, "system_id": S, "site_id": S, "link": S},
    "quotes": {
        "quote_id": S, "article_id": S, "speaker_id": S, "speaker_surface": S, "quote": S, "char_start": I,
        "char_end": I, "sentence_idx": I, "is_continuation": B,
    },
    "review_items": {
        "item_id": S, "article_id": S, "entity_type": S, "entity_id": S, "surface": S, "char_start": I,
        "char_end": I, "reason": S,
    },
    "systems": {
        "system_id": S, "name": S, "aliases": LIST, "category": S, "nato_name": S, "grau_index": S,
        "origin_country": S, "family": S, "curated": B,
    },
    "sites": {
        "site_id": S, "name": S, "aliases": LIST, "site_type": S, "lat": F, "lon": F, "parent": S, "country": S,
        "curated": B,
    },
    "actors": {
        "actor_id": S, "name": S, "aliases": LIST, "actor_type": S, "affiliation": S, "role": S, "curated": B,
    },
    "source_files": {
        "path": S, "source_name": S, "size_bytes": I, "mtime_ns": I, "content_hash": S, "article_id": S,
        "status": S, "first_seen_run": S, "last_changed_run": S, "missing_since_run": S,
    },
    "rejects": {
        "run_id": S, "path": S, "source_name": S, "reason": S, "detail": S, "size_bytes": I, "mtime_ns": I,
        "content_hash": S,
    },
}
# Columns the load adds to the stages' rows: a claim's sentence, cut from the article text (so that
# v_claims needs no article text).
DERIVED_COLUMNS: dict[str, dict[str, pl.DataType]] = {"claims": {"sentence": S}}
ENTITY_TABLES = {"system": ("systems", "system_id"), "site": ("sites", "site_id"), "actor": ("actors", "actor_id")}
# Provisional entity IDs carry one of these prefixes, so they never collide with curated IDs.
PROVISIONAL_PREFIXES = ("prov-", "geo-")


def columns_of(table: str, rows: list[dict]) -> Columns:
    return {column: [row.get(column) for row in rows] for column in TABLE_SCHEMAS[table]}


@dataclass
class LoadBatch:
    """Everything one batch writes, decided before the transaction opens."""

    run_id: str
    batch_no: int
    extractor_version: str
    catalog_version: str
    new_articles: list[Article] = field(default_factory=list)
    extracted: ExtractedRows = field(default_factory=lambda: extracted_rows([]))  # new and re-extracted articles
    texts: dict[str, str] = field(default_factory=dict)  # their texts, by article id
    reextracted_ids: list[str] = field(default_factory=list)
    source_rows: list[dict] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


def entity_row(entity: Entity) -> dict:
    table, key = ENTITY_TABLES[entity.entity_type]
    row = {key: entity.entity_id, "name": entity.name, "aliases": list(entity.aliases), "curated": entity.curated}
    if table == "systems":
        row |= {"category": entity.kind, "nato_name": entity.nato_name, "grau_index": entity.grau_index,
                "origin_country": entity.origin_country, "family": entity.family}
    elif table == "sites":
        row |= {"site_type": entity.kind, "lat": entity.lat, "lon": entity.lon, "parent": entity.parent,
                "country": entity.country}
    else:
        row |= {"actor_type": entity.kind, "affiliation": entity.affiliation, "role": entity.role}
    return row


def batch_tables(batch: LoadBatch) -> dict[str, Columns]:
    """The rows each table receives from this batch, column by column (also what the validate stage checks)."""
    articles = [
        article.model_dump() | {
            "n_chars": len(article.text),
            "is_missing": False,
            "extractor_version": batch.extractor_version,
            "catalog_version": batch.catalog_version,
        }
        for article in batch.new_articles
    ]
    tables = {"articles": columns_of("articles", articles), **batch.extracted.tables}
    claims = tables["claims"]
    tables["claims"] = claims | {"sentence": [
        batch.texts[article_id][start:end]
        for article_id, start, end in zip(claims["article_id"], claims["char_start"], claims["char_end"])
    ]}
    for entity_type, (table, _) in ENTITY_TABLES.items():
        entities = [e for e in batch.extracted.provisional if e.entity_type == entity_type]
        tables[table] = columns_of(table, [entity_row(e) for e in entities])
    tables["source_files"] = columns_of("source_files", batch.source_rows)
    tables["rejects"] = columns_of("rejects", [r.model_dump() | {"run_id": batch.run_id} for r in batch.rejects])
    return tables


def frame(table: str, columns: Columns) -> pl.DataFrame:
    schema = TABLE_SCHEMAS[table] | DERIVED_COLUMNS.get(table, {})
    return pl.DataFrame([_series(name, columns[name], dtype) for name, dtype in schema.items()])


LIST_SEPARATOR = "\x1f"  # the ASCII unit separator: in no name or id


def _series(name: str, values: list, dtype: pl.DataType) -> pl.Series:
    if dtype == LIST:  # polars reads Python lists of strings slowly: each list as one string, split in polars
        # (3x faster than building an arrow array, which also imports pandas into the flow's process)
        joined = pl.Series(name, [None if v is None else LIST_SEPARATOR.join(v) for v in values], dtype=pl.String)
        return joined.str.split(LIST_SEPARATOR).list.eval(pl.element().filter(pl.element() != ""))
    return pl.Series(name, values, dtype=dtype)


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: Columns) -> None:
    if not n_rows(columns):
        return
    df = frame(table, columns)
    con.register("_incoming", df)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _incoming")
    finally:
        con.unregister("_incoming")


def _delete_articles(con: duckdb.DuckDBPyConnection, ids: list[str], include_article: bool) -> None:
    if not ids:
        return
    tables = ARTICLE_CHILD_TABLES + (("articles",) if include_article else ())
    for table in tables:
        con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [ids])


def _delete_orphan_articles(con: duckdb.DuckDBPyConnection) -> None:
    """An article no file points at any more (its file was edited or became unreadable) goes, with its rows."""
    orphans = [
        row[0]
        for row in con.execute(
            "SELECT article_id FROM articles WHERE article_id NOT IN "
            "(SELECT article_id FROM source_files WHERE article_id IS NOT NULL)"
        ).fetchall()
    ]
    _delete_articles(con, orphans, include_article=True)


def refresh_curated_entities(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> bool:
    """Reload the curated dimension rows when the catalog version changed. Returns True if it did."""
    if meta_value(con, "catalog_version") == catalog.version:
        return False
    for entity_type, (table, key) in ENTITY_TABLES.items():
        con.execute(f"DELETE FROM {table} WHERE curated")
        _insert(con, table, columns_of(table, [entity_row(e) for e in catalog.of_type(entity_type)]))
        # a provisional entity whose id the catalog now curates gives way to it
        con.execute(
            f"DELETE FROM {table} WHERE NOT curated AND {key} IN (SELECT {key} FROM {table} WHERE curated)"
        )
    set_meta(con, "catalog_version", catalog.version)
    return True


def dq_rows(run_id: str, batch_no: int, report: ValidationReport) -> list[dict]:
    now = utc_now()
    return [
        {"run_id": run_id, "batch_no": batch_no, "suite": r.suite, "expectation": r.expectation,
         "column_name": r.column, "severity": r.severity, "success": r.success,
         "unexpected_count": r.unexpected_count, "detail": r.detail, "checked_at_utc": now}
        for r in report.results
    ]


def _insert_dicts(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Bookkeeping inserts (dq results, quarantine) without a typed schema: polars infers the types
    (DuckDB's executemany costs about a millisecond a row; registering an arrow table imports pandas)."""
    if not rows:
        return
    con.register("_incoming_rows", pl.DataFrame(rows, infer_schema_length=None))
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _incoming_rows")
    finally:
        con.unregister("_incoming_rows")


def quarantine_batch(
    con: duckdb.DuckDBPyConnection, batch: LoadBatch, tables: dict[str, Columns], run_row: dict,
    report: ValidationReport,
) -> None:
    """A blocked batch goes to the quarantine schema with its validation summary; core tables are untouched."""
    now = utc_now()
    with transaction(con):
        _insert_dicts(con, "quarantine.batches", [{
            "run_id": batch.run_id, "batch_no": batch.batch_no,
            "failed_expectations": [f"{r.suite}.{r.column or '*'}:{r.expectation}" for r in report.failures],
            "summary": report.one_line(), "n_articles": batch.extracted.n_articles, "quarantined_at_utc": now,
        }])
        rows = [
            {"run_id": batch.run_id, "batch_no": batch.batch_no, "table_name": name,
             "row_json": json.dumps(row, default=str, ensure_ascii=False)}
            for name, columns in tables.items() for row in rows_of(columns)
        ]
        _insert_dicts(con, "quarantine.rows", rows)
        _insert_dicts(con, "dq_results", dq_rows(batch.run_id, batch.batch_no, report))
        write_run(con, run_row)


class GateBlocked(Exception):
    """The quality gate failed the batch being loaded: its transaction rolls back."""

    def __init__(self, report: ValidationReport):
        super().__init__(report.one_line())
        self.report = report


def load_batch(
    con: duckdb.DuckDBPyConnection, batch: LoadBatch, tables: dict[str, Columns], catalog: Catalog,
    verdict: Callable[[], ValidationReport], passed: Callable[[ValidationReport], dict],
) -> ValidationReport:
    """Write one batch in one transaction: replace the batch's articles, files, rejects and the run row.
    `tables` is batch_tables(batch); `verdict` waits for the quality gate's report on them (the gate
    checks while the rows are written). The transaction commits, with the gate's results and the run
    row `passed` gives, only when the gate passes; otherwise it rolls back and the report is returned
    all the same, for the quarantine."""
    try:
        with transaction(con):
            _write_batch(con, batch, tables, catalog)
            report = verdict()
            if not report.success:
                raise GateBlocked(report)
            _insert_dicts(con, "dq_results", dq_rows(batch.run_id, batch.batch_no, report))
            write_run(con, passed(report))
    except GateBlocked as blocked:
        return blocked.report
    return report


def _write_batch(con: duckdb.DuckDBPyConnection, batch: LoadBatch, tables: dict[str, Columns], catalog: Catalog) -> None:
    new_ids = [a.article_id for a in batch.new_articles]
    # an article id is its content's hash: only a re-parsed article is stored already
    stored_ids = [row[0] for row in con.execute(
        "SELECT article_id FROM articles WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [new_ids]
    ).fetchall()]
    refresh_curated_entities(con, catalog)
    _delete_articles(con, stored_ids, include_article=True)
    _delete_articles(con, sorted(set(batch.reextracted_ids) - set(new_ids)), include_article=False)
    _insert(con, "articles", tables["articles"])
    if batch.reextracted_ids:
        con.execute(
            "UPDATE articles SET extractor_version = ?, catalog_version = ? "
            "WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
            [batch.extractor_version, batch.catalog_version, batch.reextracted_ids],
        )
    for name in ARTICLE_CHILD_TABLES:
        _insert(con, name, tables[name])
    for table, key in ENTITY_TABLES.values():
        incoming = tables[table]
        if n_rows(incoming):
            ids = incoming[key]
            con.execute(f"DELETE FROM {table} WHERE NOT curated AND {key} IN (SELECT unnest(?::VARCHAR[]))", [ids])
            _insert(con, table, incoming)
    paths = tables["source_files"]["path"]
    if paths:
        con.execute("DELETE FROM source_files WHERE path IN (SELECT unnest(?::VARCHAR[]))", [paths])
        _insert(con, "source_files", tables["source_files"])
        _delete_orphan_articles(con)
    _insert(con, "rejects", tables["rejects"])
    mark_summary_stale(con)  # finalise_run refreshes it


def write_run(con: duckdb.DuckDBPyConnection, run_row: dict) -> None:
    row = dict(run_row)
    if isinstance(row.get("timings_json"), dict):
        row["timings_json"] = json.dumps(row["timings_json"], sort_keys=True)
    columns = list(row)
    placeholders = ", ".join("?" for _ in columns)
    con.execute(f"INSERT OR REPLACE INTO runs ({', '.join(columns)}) VALUES ({placeholders})", list(row.values()))


@dataclass
class FinaliseResult:
    n_missing: int = 0
    n_pruned: int = 0
    catalog_refreshed: bool = False


def finalise_run(
    con: duckdb.DuckDBPyConnection,
    catalog: Catalog,
    run_id: str,
    missing_paths: list[str],
    prune: bool,
    run_row: dict,
    scan_rejects: list[Reject],
) -> FinaliseResult:
    """Record files rejected at scan time, mark files that disappeared, prune if asked, drop unreferenced
    provisional entities, store v_deployment_summary if anything it reads changed, close the run."""
    result = FinaliseResult(n_missing=len(missing_paths))
    with transaction(con):
        result.catalog_refreshed = refresh_curated_entities(con, catalog)
        if scan_rejects:
            paths = [r.path for r in scan_rejects]
            con.execute("DELETE FROM source_files WHERE path IN (SELECT unnest(?::VARCHAR[]))", [paths])
            _insert(con, "source_files", columns_of("source_files", [
                {"path": r.path, "source_name": r.source_name, "size_bytes": r.size_bytes or 0,
                 "mtime_ns": r.mtime_ns or 0, "status": "rejected", "first_seen_run": run_id,
                 "last_changed_run": run_id}
                for r in scan_rejects
            ]))
            _insert(con, "rejects", columns_of("rejects", [r.model_dump() | {"run_id": run_id} for r in scan_rejects]))
            _delete_orphan_articles(con)
        if missing_paths:
            con.execute(
                "UPDATE source_files SET status = 'missing', missing_since_run = ? "
                "WHERE path IN (SELECT unnest(?::VARCHAR[])) AND status <> 'missing'",
                [run_id, missing_paths],
            )
        if prune:
            gone = [
                r[0]
                for r in con.execute(
                    "SELECT DISTINCT article_id FROM source_files WHERE status = 'missing' AND article_id IS NOT NULL "
                    "AND article_id NOT IN (SELECT article_id FROM source_files WHERE status = 'ok' "
                    "AND article_id IS NOT NULL)"
                ).fetchall()
            ]
            con.execute("DELETE FROM source_files WHERE status = 'missing'")
            _delete_articles(con, gone, include_article=True)
            result.n_pruned = len(gone)
        # only the rows whose flag changes: rewriting it for every article costs a checkpoint of the column
        has_file = "EXISTS (SELECT 1 FROM source_files f WHERE f.article_id = articles.article_id AND f.status = 'ok')"
        con.execute(f"UPDATE articles SET is_missing = NOT {has_file} WHERE is_missing = {has_file}")
        n_dropped = 0
        for table, key in ENTITY_TABLES.values():
            n_dropped += con.execute(
                f"DELETE FROM {table} WHERE NOT curated AND {key} NOT IN ("
                "SELECT entity_id FROM mentions UNION SELECT speaker_id FROM quotes WHERE speaker_id IS NOT NULL)"
            ).fetchall()[0][0]
        if result.catalog_refreshed or scan_rejects or result.n_pruned or n_dropped or summary_is_stale(con):
            refresh_deployment_summary(con)
        if run_row["status"] == "completed":  # a blocked run leaves the re-parse to the next one
            set_meta(con, "parser_version", parser_version())
        write_run(con, run_row | {"n_missing": result.n_missing, "n_pruned": result.n_pruned})
    return result
