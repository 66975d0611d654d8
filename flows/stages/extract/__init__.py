"""extract: article text -> sentences, mentions, claims, deployments and quotes, all with offsets."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flows.catalog import Catalog
from flows.models import Article, Deployment, Extraction, Sentence
from flows.stages.extract.claims import SentenceContext, claims_from_sentence
from flows.stages.extract.mentions import ArticleReader, resolver_for, to_mentions
from flows.stages.extract.quotes import extract_quotes
from flows.stages.extract.text import split_sentences


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """A hash of the extraction code: any change to it re-extracts the articles on the next run."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class ArticleEntities:
    """The catalog plus this article's provisional entities, looked up the same way."""

    def __init__(self, catalog: Catalog, provisional: dict):
        self.catalog = catalog
        self.provisional = provisional

    def get(self, entity_type: str, entity_id: str):
        return self.provisional.get((entity_type, entity_id)) or self.catalog.get(entity_type, entity_id)


def drop_enclosing_places(deployments: list[Deployment], entities: ArticleEntities) -> list[Deployment]:
    """Within one article, a system placed at Dzhankoi Air Base is not also placed at the town of Dzhankoi:
    the direct parent of another place of the same system is dropped, unless it is a city, region or
    country (being 'in Moscow' is a claim of its own)."""
    sites_of: dict[str, set[str]] = {}
    for d in deployments:
        sites_of.setdefault(d.system_id, set()).add(d.site_id)

    def parent(site_id: str) -> str | None:
        site = entities.get("site", site_id)
        if site is None or not site.parent:
            return None
        enclosing = entities.get("site", site.parent)
        return site.parent if enclosing is not None and enclosing.kind not in ("city", "region", "country") else None

    dropped = {(system, parent(s)) for system, sites in sites_of.items() for s in sites}
    return [d for d in deployments if (d.system_id, d.site_id) not in dropped]


def extract_article(article: Article, catalog: Catalog) -> Extraction:
    """Everything the extractor finds in one article; pure: same article and catalog, same records."""
    text = article.text
    spans = split_sentences(text)
    reader = ArticleReader(resolver_for(catalog), article.article_id, text, spans)
    found = reader.read()
    mentions = to_mentions(article.article_id, reader)
    entities = ArticleEntities(catalog, found.provisional)
    quotes = extract_quotes(article.article_id, text, spans, mentions, entities)
    publisher_chain = (article.publisher,) if article.publisher else ()
    claims, deployments = [], []
    by_sentence: dict[int, list] = {}
    for mention in mentions:
        by_sentence.setdefault(mention.sentence_idx, []).append(mention)
    quotes_by_sentence: dict[int, list] = {}
    for quote in quotes:
        quotes_by_sentence.setdefault(quote.sentence_idx, []).append(quote)
    for idx, (start, end) in enumerate(spans):
        ctx = SentenceContext(idx, start, end, text[start:end], by_sentence.get(idx, []), quotes_by_sentence.get(idx, []))
        claim, pairs = claims_from_sentence(article, ctx, entities, publisher_chain)
        if claim:
            claims.append(claim)
            deployments.extend(pairs)
    deployments = drop_enclosing_places(deployments, entities)
    return Extraction(
        article_id=article.article_id,
        sentences=tuple(
            Sentence(article_id=article.article_id, sentence_idx=i, char_start=s, char_end=e)
            for i, (s, e) in enumerate(spans)
        ),
        mentions=tuple(mentions),
        claims=tuple(claims),
        deployments=tuple(deployments),
        quotes=tuple(quotes),
        review_items=tuple(found.review),
        provisional=tuple(found.provisional.values()),
    )
