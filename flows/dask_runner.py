"""Extraction on an existing Dask cluster, through prefect-dask: a small subflow whose task runner is
the cluster, one task per chunk of articles. Workers load the catalog themselves (by path and
version), so only articles travel out and extractions travel back."""

from __future__ import annotations

from prefect import flow, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect_dask import DaskTaskRunner

from flows.models import Article, Extraction
from flows.parallel import extract_chunk

# Small enough to spread a 1000-article batch over a few dozen worker slots, large enough that
# per-task overhead (a Prefect task run each) stays a small share.
ARTICLES_PER_TASK = 50


@task(name="extract-chunk", cache_policy=NO_CACHE)
def extract_chunk_task(articles: list[Article], reference_dir: str, catalog_version: str) -> list[Extraction]:
    return extract_chunk(articles, reference_dir, catalog_version)


def extract_on_dask(articles: list[Article], reference_dir: str, catalog_version: str, address: str) -> list[Extraction]:
    """Extract every article on the Dask scheduler at `address`; the output follows the input order."""
    if not articles:
        return []
    chunks = [articles[i:i + ARTICLES_PER_TASK] for i in range(0, len(articles), ARTICLES_PER_TASK)]

    # The chunks are closed over, not passed as flow parameters, which Prefect would send to its API.
    @flow(name="extract-on-dask", task_runner=DaskTaskRunner(address=address), validate_parameters=False,
          persist_result=False)
    def extract_on_cluster() -> list[list[Extraction]]:
        futures = extract_chunk_task.map(chunks, unmapped(reference_dir), unmapped(catalog_version))
        return [future.result() for future in futures]

    return [extraction for chunk in extract_on_cluster() for extraction in chunk]
