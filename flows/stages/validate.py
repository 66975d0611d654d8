"""validate: Great Expectations suites over a batch's tables, as pandas DataFrames, before the load.

GX has no DuckDB engine, so each table of the batch is validated in memory; cross-table rules
(offsets equal to the surface, references to known entities) become derived columns first.
Expectations with meta severity 'warning' are recorded but never block the batch.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from functools import lru_cache

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


@dataclass(frozen=True)
class Expect:
    """One expectation of a suite, as data: the Great Expectations class, its column and options.
    Severity 'warning' is recorded but never blocks a batch."""

    kind: str
    column: str
    options: tuple[tuple[str, object], ...] = ()
    severity: str = "error"


def _expect(kind: str, column: str, severity: str = "error", **options) -> Expect:
    return Expect(kind, column, tuple(options.items()), severity)


def _not_null(*columns: str) -> list[Expect]:
    return [_expect("ExpectColumnValuesToNotBeNull", c) for c in columns]


def _unique(*columns: str) -> list[Expect]:
    return [_expect("ExpectColumnValuesToBeUnique", c) for c in columns]


def _in_set(column: str, values: list) -> Expect:
    return _expect("ExpectColumnValuesToBeInSet", column, value_set=values)


def _between(column: str, **bounds) -> Expect:
    return _expect("ExpectColumnValuesToBeBetween", column, **bounds)


def _offsets_ok() -> list[Expect]:
    return [
        _expect("ExpectColumnValuesToBeInTypeList", "char_start", type_list=["int64", "int32", "int"]),
        _expect("ExpectColumnValuesToBeInTypeList", "char_end", type_list=["int64", "int32", "int"]),
        _in_set("offset_matches", [True]),
        _between("char_start", min_value=0),
        _between("span_length", min_value=1),
    ]


# The suites, per table: what must hold before a batch may be loaded.
SUITES: dict[str, list[Expect]] = {
    "articles": [
        *_not_null("article_id", "content_hash", "source_name", "text", "encoding"),
        *_unique("article_id"),
        _between("n_chars", min_value=1),
        _in_set("text_format", TEXT_FORMATS),
        _in_set("published_date_in_range", [True]),
        _expect("ExpectColumnValuesToNotBeNull", "title", severity="warning", mostly=0.0),
    ],
    "sentences": [*_not_null("article_id", "sentence_idx"), *_offsets_ok()],
    "mentions": [
        *_not_null("mention_id", "article_id", "entity_id", "surface"),
        *_unique("mention_id"),
        _in_set("entity_type", ENTITY_TYPES),
        _in_set("method", MENTION_METHODS),
        _between("confidence", min_value=0, max_value=1),
        _expect("ExpectColumnValuesToBeInTypeList", "confidence", type_list=["float64", "float"]),
        _in_set("entity_known", [True]),
        *_offsets_ok(),
    ],
    "claims": [
        *_not_null("claim_id", "article_id"),
        *_unique("claim_id"),
        _in_set("claim_type", CLAIM_TYPES),
        _in_set("certainty", list(CERTAINTY_ORDER)),
        _in_set("event_date_precision", PRECISIONS),
        _between("confidence", min_value=0, max_value=1),
        _in_set("event_date_in_range", [True]),
        _in_set("date_explained", [True]),
        *_offsets_ok(),
    ],
    "deployments": [
        *_not_null("claim_id", "system_id", "site_id"),
        _in_set("claim_known", [True]),
        _in_set("entities_known", [True]),
    ],
    "quotes": [*_not_null("quote_id", "quote"), *_unique("quote_id"), *_offsets_ok()],
    "sites": [_between("lat", min_value=-90, max_value=90), _between("lon", min_value=-180, max_value=180)],
    "source_files": [*_not_null("path", "status"), *_unique("path")],
    "rejects": [_in_set("reason", REJECT_REASONS)],
}

# The columns each table's suite reads: only these are built and sent to the gate.
SUITE_COLUMNS: dict[str, frozenset[str]] = {table: frozenset(e.column for e in suite) for table, suite in SUITES.items()}


def with_derived_columns(
    tables: dict[str, dict[str, list]], texts: dict[str, str], known_entities: set[tuple[str, str]]
) -> dict[str, dict[str, list]]:
    """The columns the suites read, per table with rows, with the cross-table facts (offsets equal to the
    surface, references to known entities) as boolean columns: plain lists, so that the gate process
    gets only what it checks."""
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
    checked = {}
    for name, cols in tables.items():
        if name in SUITE_COLUMNS and n_rows(cols):
            add = derived.get(name)
            every = cols | add(cols) if add else cols
            checked[name] = {c: values for c, values in every.items() if c in SUITE_COLUMNS[name]}
    return checked


def _date_in_range(value: dt.date | None) -> bool:
    """No date is fine; a date must be neither in the future nor before 1900."""
    return value is None or dt.date(1900, 1, 1) <= value <= dt.date.today()


@lru_cache(maxsize=1)
def gx_suites() -> tuple:
    """Great Expectations (imported here: it takes one to two seconds), an in-memory pandas source, and
    per table a batch definition taking the frame as a parameter with the table's suite: built once
    per process (building them for every batch cost more than some validations)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TQDM_DISABLE", "1")
    import great_expectations as gx

    quiet = os.environ.get("PREFECT_LOGGING_LEVEL") == "CRITICAL"
    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.CRITICAL if quiet else logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = gx.data_context.types.base.ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("flakturm_batch")
    suites = {}
    for table, expects in SUITES.items():
        expectations = [
            getattr(gx.expectations, e.kind)(
                column=e.column, **dict(e.options), **({"meta": {"severity": e.severity}} if e.severity != "error" else {})
            )
            for e in expects
        ]
        definition = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe("whole")
        suites[table] = (definition, gx.ExpectationSuite(name=table, expectations=expectations))
    return source, suites


def _forget_batches(source) -> None:
    """GX's pandas execution engine keeps every validated DataFrame in its batch cache (about 20 KB
    per article, for the life of the process): drop them once a table is validated."""
    manager = source.get_execution_engine().batch_manager
    manager.batch_data_cache.clear()
    manager.reset_batch_cache()


def validate_tables(checked: dict[str, dict[str, list]]) -> ValidationReport:
    """Run each table's suite on its columns (from with_derived_columns) as a pandas DataFrame; returns
    every expectation's result. Each table's columns leave `checked` as its frame is built, and the frame
    goes once validated: the gate's process holds one table of a batch at a time, not the batch twice."""
    import pandas as pd

    source, suites = gx_suites()
    report = ValidationReport()
    for table, (definition, suite) in suites.items():
        if table not in checked:
            continue
        frame = pd.DataFrame(checked.pop(table))
        try:
            outcome = definition.get_batch(batch_parameters={"dataframe": frame}).validate(suite)
        finally:
            del frame
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
