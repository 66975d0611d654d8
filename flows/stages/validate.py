"""validate: Great Expectations suites over a batch's tables, as pandas DataFrames, before the load.

GX has no DuckDB engine, so each table of the batch is validated in memory; cross-table rules
(offsets equal to the surface, references to known entities) become derived columns first.
Expectations with meta severity 'warning' are recorded but never block the batch.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from flows.models import CERTAINTY_ORDER
from flows.stages.rows import n_rows

CLAIM_TYPES = ["deployment", "strike", "interception", "loss", "transfer", "development", "capability", "statement", "other"]
PRECISIONS = ["day", "week", "month", "year", "unknown"]
ENTITY_TYPES = ["system", "site", "actor"]
MENTION_METHODS = ["alias", "fuzzy", "description", "coref", "pattern", "gazetteer"]
TEXT_FORMATS = ["text", "markdown", "html"]
REJECT_REASONS = ["empty", "binary", "undecodable", "too_large", "not_a_file", "dangling_link", "unreadable", "unsupported_type"]


@dataclass(frozen=True)
class ExpectationResult:
    suite: str
    expectation: str
    column: str | None
    severity: str  # 'error' | 'warning'
    success: bool
    unexpected_count: int | None
    detail: str


@dataclass
class ValidationReport:
    results: list[ExpectationResult] = field(default_factory=list)

    @property
    def failures(self) -> list[ExpectationResult]:
        return [r for r in self.results if not r.success and r.severity == "error"]

    @property
    def warnings(self) -> list[ExpectationResult]:
        return [r for r in self.results if not r.success and r.severity == "warning"]

    @property
    def success(self) -> bool:
        return not self.failures

    def one_line(self) -> str:
        if self.success:
            return f"{len(self.results)} expectations passed" + (f", {len(self.warnings)} warnings" if self.warnings else "")
        named = ", ".join(f"{r.suite}.{r.column or '*'} {r.expectation} ({r.unexpected_count or 0} rows)" for r in self.failures[:3])
        more = f" and {len(self.failures) - 3} more" if len(self.failures) > 3 else ""
        return f"{len(self.failures)} expectation(s) failed: {named}{more}"


def _expectations(gx) -> dict[str, list]:
    """The suites, per table: what must hold before a batch may be loaded."""
    E = gx.expectations
    warn = {"severity": "warning"}

    def not_null(*cols):
        return [E.ExpectColumnValuesToNotBeNull(column=c) for c in cols]

    def unique(*cols):
        return [E.ExpectColumnValuesToBeUnique(column=c) for c in cols]

    def offsets_ok():
        return [
            E.ExpectColumnValuesToBeInTypeList(column="char_start", type_list=["int64", "int32", "int"]),
            E.ExpectColumnValuesToBeInTypeList(column="char_end", type_list=["int64", "int32", "int"]),
            E.ExpectColumnValuesToBeInSet(column="offset_matches", value_set=[True]),
            E.ExpectColumnValuesToBeBetween(column="char_start", min_value=0),
            E.ExpectColumnValuesToBeBetween(column="span_length", min_value=1),
        ]

    return {
        "articles": [
            *not_null("article_id", "content_hash", "source_name", "text", "encoding"),
            *unique("article_id"),
            E.ExpectColumnValuesToBeBetween(column="n_chars", min_value=1),
            E.ExpectColumnValuesToBeInSet(column="text_format", value_set=TEXT_FORMATS),
            E.ExpectColumnValuesToBeInSet(column="published_date_in_range", value_set=[True]),
            E.ExpectColumnValuesToNotBeNull(column="title", mostly=0.0, meta=warn),
        ],
        "sentences": [*not_null("article_id", "sentence_idx"), *offsets_ok()],
        "mentions": [
            *not_null("mention_id", "article_id", "entity_id", "surface"),
            *unique("mention_id"),
            E.ExpectColumnValuesToBeInSet(column="entity_type", value_set=ENTITY_TYPES),
            E.ExpectColumnValuesToBeInSet(column="method", value_set=MENTION_METHODS),
            E.ExpectColumnValuesToBeBetween(column="confidence", min_value=0, max_value=1),
            E.ExpectColumnValuesToBeInTypeList(column="confidence", type_list=["float64", "float"]),
            E.ExpectColumnValuesToBeInSet(column="entity_known", value_set=[True]),
            *offsets_ok(),
        ],
        "claims": [
            *not_null("claim_id", "article_id"),
            *unique("claim_id"),
            E.ExpectColumnValuesToBeInSet(column="claim_type", value_set=CLAIM_TYPES),
            E.ExpectColumnValuesToBeInSet(column="certainty", value_set=list(CERTAINTY_ORDER)),
            E.ExpectColumnValuesToBeInSet(column="event_date_precision", value_set=PRECISIONS),
            E.ExpectColumnValuesToBeBetween(column="confidence", min_value=0, max_value=1),
            E.ExpectColumnValuesToBeInSet(column="event_date_in_range", value_set=[True]),
            E.ExpectColumnValuesToBeInSet(column="date_explained", value_set=[True]),
            *offsets_ok(),
        ],
        "deployments": [
            *not_null("claim_id", "system_id", "site_id"),
            E.ExpectColumnValuesToBeInSet(column="claim_known", value_set=[True]),
            E.ExpectColumnValuesToBeInSet(column="entities_known", value_set=[True]),
        ],
        "quotes": [*not_null("quote_id", "quote"), *unique("quote_id"), *offsets_ok()],
        "sites": [
            E.ExpectColumnValuesToBeBetween(column="lat", min_value=-90, max_value=90),
            E.ExpectColumnValuesToBeBetween(column="lon", min_value=-180, max_value=180),
        ],
        "source_files": [*not_null("path", "status"), *unique("path")],
        "rejects": [E.ExpectColumnValuesToBeInSet(column="reason", value_set=REJECT_REASONS)],
    }


_GX_LOCK = threading.RLock()


def warm_up() -> threading.Thread:
    """Import Great Expectations in the background (it takes seconds) while the run discovers,
    parses and extracts; validate_tables then finds it ready."""
    thread = threading.Thread(target=_gx, name="gx-warm-up", daemon=True)
    thread.start()
    return thread


def _gx():
    with _GX_LOCK:
        return _gx_once()


@lru_cache(maxsize=1)
def _gx_once():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TQDM_DISABLE", "1")
    import great_expectations as gx

    quiet = os.environ.get("PREFECT_LOGGING_LEVEL") == "CRITICAL"
    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.CRITICAL if quiet else logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = gx.data_context.types.base.ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("flakturm_batch")
    return gx, context, source


def with_derived_columns(
    tables: dict[str, dict[str, list]], texts: dict[str, str], known_entities: set[tuple[str, str]]
) -> dict[str, pd.DataFrame]:
    """Frames for the suites from the tables' columns, with the cross-table facts as boolean columns
    (computed on the columns, before the frames are built: per-row pandas access would cost seconds)."""
    batch_entities = set(known_entities)
    for name, key, etype in (("systems", "system_id", "system"), ("sites", "site_id", "site"), ("actors", "actor_id", "actor")):
        batch_entities |= {(etype, value) for value in tables.get(name, {}).get(key, [])}
    claim_ids = set(tables.get("claims", {}).get("claim_id", []))

    def offsets(cols: dict[str, list], surface_column: str | None) -> dict[str, list]:
        spans = list(zip(cols["article_id"], cols["char_start"], cols["char_end"]))
        if surface_column:
            matches = [
                (text := texts.get(a)) is not None and text[s:e] == surface
                for (a, s, e), surface in zip(spans, cols[surface_column])
            ]
        else:
            matches = [(text := texts.get(a)) is not None and e <= len(text) for a, s, e in spans]
        return {"span_length": [e - s for _, s, e in spans], "offset_matches": matches}

    def dates(column: str, cols: dict[str, list]) -> dict[str, list]:
        values = cols[column]
        return {f"{column}_in_range": [_date_in_range(v) for v in values], column: [v.isoformat() if v else None for v in values]}

    derived = {
        "mentions": lambda c: offsets(c, "surface") | {
            "entity_known": [(t, i) in batch_entities for t, i in zip(c["entity_type"], c["entity_id"])],
        },
        "quotes": lambda c: offsets(c, "quote"),
        "sentences": lambda c: offsets(c, None),
        "claims": lambda c: offsets(c, None) | dates("event_date", c) | {
            "date_explained": [d is not None or r is not None for d, r in zip(c["event_date"], c["date_reason"])],
        },
        "deployments": lambda c: {
            "claim_known": [i in claim_ids for i in c["claim_id"]],
            "entities_known": [("system", a) in batch_entities and ("site", b) in batch_entities
                               for a, b in zip(c["system_id"], c["site_id"])],
        },
        "articles": lambda c: dates("published_date", c),
    }
    # only the columns a suite reads: building the others costs, and GX fingerprints every column it gets
    needed = suite_columns()
    frames = {}
    for name, cols in tables.items():
        if name in needed and n_rows(cols):
            add = derived.get(name)
            every = cols | add(cols) if add else cols
            frames[name] = pd.DataFrame({c: values for c, values in every.items() if c in needed[name]})
    return frames


def _suites() -> dict:
    """Per table, a batch definition taking the frame as a parameter, and the table's suite: built
    once per process (building them for every batch cost more than some validations)."""
    with _GX_LOCK:
        return _suites_once()


@lru_cache(maxsize=1)
def _suites_once() -> dict:
    gx, _, source = _gx()
    suites = {}
    for table, expectations in _expectations(gx).items():
        definition = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe("whole")
        suites[table] = (definition, gx.ExpectationSuite(name=table, expectations=expectations))
    return suites


def suite_columns() -> dict[str, frozenset[str]]:
    """The columns each table's suite reads."""
    return {table: frozenset(e.column for e in suite.expectations) for table, (_, suite) in _suites().items()}


def _date_in_range(value) -> bool:
    """No date is fine; a date must be neither in the future nor before 1900."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return True
    return dt.date(1900, 1, 1) <= value <= dt.date.today()


def _forget_batches(source) -> None:
    """GX's pandas execution engine keeps every validated DataFrame in its batch cache (about 20 KB
    per article, for the life of the process): drop them once a table is validated."""
    manager = source.get_execution_engine().batch_manager
    manager.batch_data_cache.clear()
    manager.reset_batch_cache()


def validate_tables(frames: dict[str, pd.DataFrame]) -> ValidationReport:
    """Run each table's suite on its frame; returns every expectation's result."""
    source = _gx()[2]
    report = ValidationReport()
    for table, (definition, suite) in _suites().items():
        frame = frames.get(table)
        if frame is None or frame.empty:
            continue
        try:
            outcome = definition.get_batch(batch_parameters={"dataframe": frame}).validate(suite)
        finally:
            _forget_batches(source)
        for result in outcome.results:
            config = result.expectation_config
            severity = (config.meta or {}).get("severity", "error")
            unexpected = (result.result or {}).get("unexpected_count")
            sample = (result.result or {}).get("partial_unexpected_list") or []
            report.results.append(
                ExpectationResult(
                    suite=table,
                    expectation=config.type,
                    column=config.kwargs.get("column"),
                    severity=severity,
                    success=bool(result.success),
                    unexpected_count=unexpected,
                    detail=("examples: " + ", ".join(map(str, sample[:3]))) if sample and not result.success else "",
                )
            )
    return report
