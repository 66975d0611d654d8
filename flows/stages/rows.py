"""An extraction's rows as the tables receive them, column by column: cheap to send between processes,
to frame and to check (pickling the records would cost as much as extracting them). Free of the
load's libraries, so that extraction workers do not import them."""

from __future__ import annotations

from dataclasses import dataclass

from flows.models import Claim, Deployment, Entity, Extraction, Mention, Quote, ReviewItem, Sentence

Columns = dict[str, list]  # one table's rows, column by column

CHILD_RECORDS = {"sentences": Sentence, "mentions": Mention, "claims": Claim, "deployments": Deployment,
                 "quotes": Quote, "review_items": ReviewItem}
ARTICLE_CHILD_TABLES = tuple(CHILD_RECORDS)


def n_rows(columns: Columns) -> int:
    return len(next(iter(columns.values()), []))


def rows_of(columns: Columns) -> list[dict]:
    return [dict(zip(columns, values)) for values in zip(*columns.values())]


@dataclass
class ExtractedRows:
    """The article child tables of some extractions, column by column, and the provisional entities
    they name."""

    tables: dict[str, Columns]
    provisional: list[Entity]
    n_articles: int


def extracted_rows(extractions: list[Extraction]) -> ExtractedRows:
    tables = {}
    for name, record in CHILD_RECORDS.items():
        records = [r for extraction in extractions for r in getattr(extraction, name)]
        tables[name] = {column: [getattr(r, column) for r in records] for column in record.model_fields}
    return ExtractedRows(tables, _first_of_each(e for extraction in extractions for e in extraction.provisional),
                         len(extractions))


def merge_extracted(parts: list[ExtractedRows]) -> ExtractedRows:
    """Parts in order, as one."""
    tables = {
        name: {column: [v for part in parts for v in part.tables[name][column]] for column in record.model_fields}
        for name, record in CHILD_RECORDS.items()
    }
    return ExtractedRows(tables, _first_of_each(e for part in parts for e in part.provisional),
                         sum(part.n_articles for part in parts))


def _first_of_each(entities) -> list[Entity]:
    """One entity per (type, id): the first that names it describes it."""
    seen: dict[tuple[str, str], Entity] = {}
    for entity in entities:
        seen.setdefault((entity.entity_type, entity.entity_id), entity)
    return list(seen.values())
