"""Extraction on an existing Dask cluster, through prefect-dask: a small subflow whose task runner is
the cluster, one task per chunk of articles. Workers load the catalog themselves (by path and
version), so only articles travel out and table columns travel back."""

from __future__ import annotations

from functools import lru_cache

from prefect import flow, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect_dask import DaskTaskRunner

from flows.models import Article
from flows.parallel import extract_chunk
from flows.stages.rows import ExtractedRows, extracted_rows, merge_extracted

# Tasks per worker thread: enough to balance uneven chunks, few enough that the per-task overhead
# (a Prefect task run, a client round trip, pickling) stays small beside the extraction itself.
TASKS_PER_THREAD = 2


@task(name="extract-chunk", cache_policy=NO_CACHE)
def extract_chunk_task(articles: list[Article], reference_dir: str, catalog_version: str) -> ExtractedRows:
    return extract_chunk(articles, reference_dir, catalog_version)


@lru_cache(maxsize=4)
def cluster_threads(address: str) -> int:
    """Worker threads on the cluster (asked once per process)."""
    from distributed import Client

    with Client(address, set_as_default=False) as client:
        return max(1, sum(client.nthreads().values()))


def extract_on_dask(articles: list[Article], reference_dir: str, catalog_version: str, address: str) -> ExtractedRows:
    """Extract every article on the Dask scheduler at `address`; the rows follow the input order."""
    if not articles:
        return extracted_rows([])
    size = -(-len(articles) // (cluster_threads(address) * TASKS_PER_THREAD))
    chunks = [articles[i:i + size] for i in range(0, len(articles), size)]

    # The chunks are closed over, not passed as flow parameters, which Prefect would send to its API.
    @flow(name="extract-on-dask", task_runner=DaskTaskRunner(address=address), validate_parameters=False,
          persist_result=False)
    def extract_on_cluster() -> list[ExtractedRows]:
        futures = extract_chunk_task.map(chunks, unmapped(reference_dir), unmapped(catalog_version))
        return [future.result() for future in futures]

    return merge_extracted(extract_on_cluster())
