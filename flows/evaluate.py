"""Scoring what the warehouse extracted against a gold file (format `flakturm-gold/1`).

Matching is by normalised name: a predicted entity matches a gold one when any of its names equals
any gold alias. A prediction matching only optional gold entries neither helps nor hurts; one
matching nothing is a false positive; a second prediction for an already matched gold entry (and
no optional one) is a false positive too (fragmentation).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from flows import warehouse as wh
from flows.names import normalise_name
from flows.stages.load import ENTITY_TABLES

CATEGORIES = ("systems", "sites", "actors", "deployments", "quotes")
ENTITY_TABLE = {"systems": "system", "sites": "site", "actors": "actor"}
METADATA_FIELDS = ("title", "published_date", "publisher", "url")


@dataclass
class Prediction:
    label: str  # what to show in a report
    names: set[str]  # normalised names it answers to
    quote: str = ""  # normalised quote text, for quotes


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class ArticleResult:
    source_name: str
    misses: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    false_positives: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def _names(*names) -> set[str]:
    return {n for n in (normalise_name(x) for x in names if x) if n}


def match(predictions: list[Prediction], required: list, optional: list, matches) -> tuple[Score, list[str], list[str]]:
    """Maximum one-to-one matching of predictions to required gold entries (augmenting paths);
    `matches(prediction, gold)` says whether they agree. Unmatched predictions are false positives
    unless they agree with an optional entry; those that agree with none are matched first, so that one an
    optional entry also accepts ("@ Moscow") does not leave another ("@ the Defence Ministry") unmatched."""
    edges = [[i for i, gold in enumerate(required) if matches(p, gold)] for p in predictions]
    owner: dict[int, int] = {}  # gold index -> prediction index

    def augment(p: int, visited: set[int]) -> bool:
        for g in edges[p]:
            if g in visited:
                continue
            visited.add(g)
            if g not in owner or augment(owner[g], visited):
                owner[g] = p
                return True
        return False

    for p in sorted(range(len(predictions)), key=lambda p: any(matches(predictions[p], gold) for gold in optional)):
        augment(p, set())  # an assigned prediction stays assigned: the order is the priority
    assigned = set(owner.values())
    score, false_positives = Score(tp=len(owner)), []
    for p, prediction in enumerate(predictions):
        if p in assigned or any(matches(prediction, gold) for gold in optional):
            continue
        score.fp += 1
        false_positives.append(prediction.label + (" (second match)" if edges[p] else ""))
    misses = [_gold_label(gold) for i, gold in enumerate(required) if i not in owner]
    score.fn = len(misses)
    return score, misses, false_positives


def _gold_label(gold) -> str:
    if isinstance(gold, dict) and "site_any" in gold:
        return f"{gold['system']} @ {'|'.join(gold['site_any'])}"
    if isinstance(gold, dict):
        return f"{gold['speaker']}: {gold['starts_with']}"
    return str(gold)


def _predictions(con, source_name: str) -> dict[str, list[Prediction]]:
    out: dict[str, list[Prediction]] = {}
    for category, entity_type in ENTITY_TABLE.items():
        table, key = ENTITY_TABLES[entity_type]
        rows = con.execute(
            f"""SELECT e.{key}, e.name, e.aliases, min(m.char_start) AS first
                FROM v_mentions m JOIN {table} e ON e.{key} = m.entity_id
                WHERE m.source_name = ? AND m.entity_type = ?
                GROUP BY ALL ORDER BY first, e.name""",
            [source_name, entity_type],
        ).fetchall()
        out[category] = [Prediction(name, _names(name, *(aliases or []))) for _, name, aliases, _ in rows]
    rows = con.execute(
        """SELECT DISTINCT d.system_id, d.site_id, sy.name, sy.aliases, si.name, si.aliases, min(d.char_start) AS first
           FROM v_deployments d JOIN systems sy USING (system_id) JOIN sites si USING (site_id)
           WHERE d.source_name = ? GROUP BY ALL ORDER BY first, sy.name, si.name""",
        [source_name],
    ).fetchall()
    out["deployments"] = [
        Prediction(f"{sn} @ {tn}", _names(sn, *(sa or [])), quote=json.dumps(sorted(_names(tn, *(ta or [])))))
        for _, _, sn, sa, tn, ta, _ in rows
    ]
    rows = con.execute(
        """SELECT q.speaker_name, a.aliases, q.quote FROM v_quotes q JOIN actors a ON a.actor_id = q.speaker_id
           WHERE q.source_name = ? ORDER BY q.char_start""",
        [source_name],
    ).fetchall()
    out["quotes"] = [Prediction(f"{s}: {q[:40]}", _names(s, *(al or [])), normalise_name(q)) for s, al, q in rows]
    return out


def evaluate_warehouse(path: Path, gold_path: Path) -> dict:
    """Per-category micro precision/recall/F1, metadata accuracy, and per-article misses and false positives."""
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    if gold.get("format") != "flakturm-gold/1":
        raise ValueError(f"{gold_path} is not a flakturm-gold/1 file")
    registry = {cat: {name: _names(name, *aliases) for name, aliases in entries.items()} for cat, entries in gold["registry"].items()}
    totals = {c: Score() for c in CATEGORIES}
    metadata_right, metadata_total = 0, 0
    articles: list[ArticleResult] = []
    with wh.read_only(path) as con:
        stored = {r[0]: r for r in con.execute("SELECT source_name, title, publisher, url, published_date FROM v_articles").fetchall()}
        for entry in gold["articles"]:
            name = entry["source_name"]
            result = ArticleResult(name)
            predictions = _predictions(con, name) if name in stored else {c: [] for c in CATEGORIES}
            for category in ("systems", "sites", "actors"):
                aliases = registry.get(category, {})
                score, misses, fps = match(
                    predictions[category], entry[category]["required"], entry[category]["optional"],
                    lambda p, g, a=aliases: bool(p.names & a.get(g, _names(g))),
                )
                _accumulate(totals[category], score, result, category, misses, fps)
            systems, sites, actors = registry.get("systems", {}), registry.get("sites", {}), registry.get("actors", {})

            def deployment_matches(p: Prediction, g: dict) -> bool:
                site_names = set(json.loads(p.quote))
                gold_sites = set().union(*(sites.get(s, _names(s)) for s in g["site_any"]))
                return bool(p.names & systems.get(g["system"], _names(g["system"]))) and bool(site_names & gold_sites)

            deployments = entry.get("deployments", {"required": [], "optional": []})
            score, misses, fps = match(predictions["deployments"], deployments["required"], deployments["optional"], deployment_matches)
            _accumulate(totals["deployments"], score, result, "deployments", misses, fps)

            def quote_matches(p: Prediction, g: dict) -> bool:
                return bool(p.names & actors.get(g["speaker"], _names(g["speaker"]))) and p.quote.startswith(normalise_name(g["starts_with"]))

            score, misses, fps = match(predictions["quotes"], entry.get("quotes", []), [], quote_matches)
            _accumulate(totals["quotes"], score, result, "quotes", misses, fps)
            row = stored.get(name)
            for i, fieldname in enumerate(METADATA_FIELDS):
                if fieldname not in entry:
                    continue
                predicted = row[{"title": 1, "publisher": 2, "url": 3, "published_date": 4}[fieldname]] if row else None
                expected = entry[fieldname]
                same = (normalise_name(str(predicted)) == normalise_name(str(expected))) if (predicted and expected) else (predicted is None and expected is None)
                metadata_total += 1
                metadata_right += int(same)
                if not same:
                    result.misses["metadata"].append(f"{fieldname}: expected {expected!r}, got {predicted!r}")
            articles.append(result)
    return {
        "gold": str(gold_path),
        "warehouse": str(path),
        "scores": {c: totals[c].as_dict() for c in CATEGORIES},
        "metadata_accuracy": round(metadata_right / metadata_total, 4) if metadata_total else None,
        "articles": [
            {"source_name": a.source_name, "misses": dict(a.misses), "false_positives": dict(a.false_positives)}
            for a in articles
        ],
    }


def _accumulate(total: Score, score: Score, result: ArticleResult, category: str, misses: list[str], fps: list[str]) -> None:
    total.tp += score.tp
    total.fp += score.fp
    total.fn += score.fn
    if misses:
        result.misses[category].extend(misses)
    if fps:
        result.false_positives[category].extend(fps)


def print_evaluation(result: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"flakturm eval · {result['gold']}", title_justify="left")
    for column in ("category", "tp", "fp", "fn", "precision", "recall", "F1"):
        table.add_column(column, justify="right" if column != "category" else "left")
    for category, s in result["scores"].items():
        table.add_row(category, str(s["tp"]), str(s["fp"]), str(s["fn"]), f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}")
    console.print(table)
    if result["metadata_accuracy"] is not None:
        console.print(f"metadata accuracy: {result['metadata_accuracy']:.3f}")
    for article in result["articles"]:
        if not article["misses"] and not article["false_positives"]:
            continue
        console.print(f"[bold]{article['source_name']}[/bold]")
        for category, items in article["misses"].items():
            console.print(f"  missed {category}: " + "; ".join(items))
        for category, items in article["false_positives"].items():
            console.print(f"  false positive {category}: " + "; ".join(items))
