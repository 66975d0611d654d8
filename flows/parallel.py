"""Spreading extraction over worker processes (one machine) or a Dask cluster. The load stays a single
writer; extraction is pure, so serial, multi-process and Dask runs give identical records."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor

from flows.catalog import Catalog, cached_catalog
from flows.models import Article
from flows.runtime import tune_gc, worker_context
from flows.stages.extract import extract_or_report
from flows.stages.extract.mentions import gazetteer_lookup, resolver_for
from flows.stages.rows import ExtractedRows, extracted_rows, merge_extracted

# Below this many articles a pool costs more than it saves.
MIN_ARTICLES_FOR_POOL = 400


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def uses_pool(workers: int, n_articles: int) -> bool:
    """Are this many articles worth sending to worker processes?"""
    return workers > 1 and n_articles >= MIN_ARTICLES_FOR_POOL


def extract_chunk(articles: list[Article], reference_dir: str, catalog_version: str) -> ExtractedRows:
    """Worker entry point: the catalog is loaded once per process (cached by path and version); the
    records go back as table columns."""
    catalog = cached_catalog(reference_dir, catalog_version)
    return extracted_rows([extract_or_report(article, catalog) for article in articles])


def _prepare_worker(reference_dir: str, catalog_version: str) -> None:
    """A worker's start: GC thresholds for batch work, then the catalog, its alias index and the city
    gazetteer (about half a second), before the first chunk arrives."""
    tune_gc()
    catalog = cached_catalog(reference_dir, catalog_version)
    resolver_for(catalog)
    gazetteer_lookup("Moscow")


def _ready() -> None:
    """Nothing: submitting one per worker makes the pool start every process now."""


_POOL: tuple[tuple, ProcessPoolExecutor] | None = None


def _pool(workers: int, reference_dir: str, catalog_version: str) -> ProcessPoolExecutor:
    global _POOL
    key = (workers, reference_dir, catalog_version)
    if _POOL is None or _POOL[0] != key:
        shutdown_pool()
        executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=worker_context(),
            initializer=_prepare_worker, initargs=(reference_dir, catalog_version),
        )
        _POOL = (key, executor)
    return _POOL[1]


def start_workers(batch_articles: int, catalog: Catalog, workers: int) -> None:
    """Start the worker processes, when batches of this many articles will use them, while the flow
    parses its first batch."""
    if uses_pool(workers, batch_articles):
        pool = _pool(workers, catalog.folder, catalog.version)
        for _ in range(workers):
            pool.submit(_ready)


def shutdown_pool() -> None:
    global _POOL
    if _POOL is not None:
        _POOL[1].shutdown(wait=True, cancel_futures=True)
        _POOL = None


def _split(items: list, parts: int) -> list[list]:
    size = max(1, -(-len(items) // parts))
    return [items[i:i + size] for i in range(0, len(items), size)]


def extract_articles(
    articles: list[Article], catalog: Catalog, workers: int = 1, dask_address: str | None = None
) -> ExtractedRows:
    """Extract every article; the order of the rows follows the input."""
    reference_dir = catalog.folder
    if dask_address:
        from flows.dask_runner import extract_on_dask

        return extract_on_dask(articles, reference_dir, catalog.version, dask_address)
    if not uses_pool(workers, len(articles)):
        return extracted_rows([extract_or_report(article, catalog) for article in articles])
    chunks = _split(articles, workers * 4)
    pool = _pool(workers, reference_dir, catalog.version)
    return merge_extracted(list(pool.map(extract_chunk, chunks, [reference_dir] * len(chunks), [catalog.version] * len(chunks))))
