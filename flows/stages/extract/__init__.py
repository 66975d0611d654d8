"""extract: article text -> sentences, mentions, claims, deployments and quotes, all with offsets."""

from __future__ import annotations

import hashlib
import math
from functools import lru_cache
from pathlib import Path

from flows.catalog import Catalog
from flows.models import Article, Deployment, Extraction, ReviewItem, Sentence
from flows.names import normalise_name, stable_id
from flows.stages.extract.claims import (
    BESIDE_THE_PLACED, EXAMPLES_FOLLOW, SentenceContext, carried_site, carried_systems, claims_from_sentence,
    heading_applies, list_heading_places, list_heading_systems, placeable, section_place, specific_places,
)
from flows.stages.extract.mentions import ArticleMentions, ArticleReader, resolver_for, to_mentions
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

    def ancestors(self, site_id: str) -> tuple[str, ...]:
        return self.catalog.ancestors(site_id)  # provisional places have no parents

    @property
    def air_base_of(self) -> dict[str, str]:
        return self.catalog.air_base_of


SPECIFICITY = {"continent": 0, "country": 0, "sea": 0, "region": 1, "city": 2, "town": 3, "district": 4, "village": 5, "street": 6, "square": 6}
SAME_PLACE_KM = 8.0
SETTLEMENTS = frozenset({"city", "town", "village", "district"})


def _km(a, b) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _metropolis(site, entities: ArticleEntities) -> bool:
    """A city directly under its country (Moscow, Kyiv, Saint Petersburg): too large for one place inside it
    to stand for the whole."""
    parent = entities.get("site", site.parent) if site.kind == "city" and site.parent else None
    return parent is not None and parent.kind == "country"


def _named_after(a, b) -> bool:
    """Is one place named after the settlement the other is ('Dzhankoi Air Base' and 'Dzhankoi')?"""
    settlement, place = (a, b) if a.kind in SETTLEMENTS else (b, a)
    stem = normalise_name(settlement.name)[:5]
    return any(normalise_name(name).startswith(stem) for name in (place.name, *place.aliases))


def merge_nearby_places(
    deployments: list[Deployment], entities: ArticleEntities, apart: frozenset[tuple[str, str]] = frozenset()
) -> list[Deployment]:
    """Within one article, one system at 'Dzhankoi' and at 'the Dzhankoi airfield', or at 'Kerch' and
    'the bridge', is one deployment: a city, town or village of the same system's deployments merges
    into a more specific place of another kind inside it or within 8 km, and a region into a city or
    town it directly holds; other places (two buildings, a district) merge only when one contains the
    other. Countries stay claims of their own, and so does a place a claim gives examples from (`apart`: claim
    and site ids; "several buildings in central Moscow, including the Defence Ministry")."""
    by_system: dict[str, list[str]] = {}
    claims_of: dict[tuple[str, str], set[str]] = {}
    for d in deployments:
        if d.site_id not in by_system.setdefault(d.system_id, []):
            by_system[d.system_id].append(d.site_id)
        claims_of.setdefault((d.system_id, d.site_id), set()).add(d.claim_id)

    def same_place(system: str, a_id: str, b_id: str) -> bool:
        a, b = entities.get("site", a_id), entities.get("site", b_id)
        if a is None or b is None or min(SPECIFICITY.get(a.kind, 9), SPECIFICITY.get(b.kind, 9)) == 0:
            return False
        if any((c, a_id) in apart or (c, b_id) in apart for c in claims_of[(system, a_id)] & claims_of[(system, b_id)]):
            return False
        if a.kind == "region" or b.kind == "region":  # "from Belgorod Oblast" and "near Belgorod": the city
            region, inner = (a_id, b) if a.kind == "region" else (b_id, a)
            return inner.kind in ("city", "town") and inner.parent == region
        if (_metropolis(a, entities) or _metropolis(b, entities)) and not claims_of[(system, a_id)] & claims_of[(system, b_id)]:
            return False  # "the ring that surrounds the capital" and, later, "an S-400 in Losiny Ostrov": two places
        if b_id in entities.ancestors(a_id) or a_id in entities.ancestors(b_id):  # "Kurilovo" and "New Moscow"
            return True
        if None in (a.lat, a.lon, b.lat, b.lon):  # "the Olympic Park in Adler": unplaced, named with its town
            unplaced, other = (a, b) if None in (a.lat, a.lon) else (b, a)
            return unplaced.kind not in SETTLEMENTS and other.kind in SETTLEMENTS and other.lat is not None \
                and bool(claims_of[(system, a_id)] & claims_of[(system, b_id)])
        # two villages (or towns) named apart are two places: "towers at Zhukovka and Barvikha"; so are a village
        # and an area named in different claims, and a village and a residence ("towers around the residence at
        # Novo-Ogarevo, including one near Zarechye, and others near Usovo")
        # a town and a place near it named in different claims are one when the place is named after the town
        # ("Dzhankoi" and "the Dzhankoi airfield"), not when it is another's ("Ramenskoye" and "the Zhukovsky airfield")
        village = "village" in (a.kind, b.kind)
        together = bool(claims_of[(system, a_id)] & claims_of[(system, b_id)])
        return bool({a.kind, b.kind} & {"city", "town", "village"}) and a.kind != b.kind and _km(a, b) <= SAME_PLACE_KM \
            and (together or not village and _named_after(a, b)) and (not village or "residence" not in (a.kind, b.kind))

    replace: dict[tuple[str, str], str] = {}
    for system, sites in by_system.items():
        ranked = sorted(sites, key=lambda s: -SPECIFICITY.get(getattr(entities.get("site", s), "kind", None), 9))
        kept: list[str] = []
        for site in ranked:  # most specific first; a later (broader) place folds into one kept nearby
            home = next((k for k in kept if same_place(system, k, site)), None)
            if home is None:
                kept.append(site)
            else:
                replace[(system, site)] = home
    merged: dict[tuple[str, str, str], Deployment] = {}
    for d in deployments:
        site = replace.get((d.system_id, d.site_id), d.site_id)
        update = {"site_id": site, "link": "context"} if site != d.site_id else {}
        merged.setdefault((d.claim_id, d.system_id, site), d.model_copy(update=update))
    return list(merged.values())


def without_silent_sources(mentions: list, found: ArticleMentions, quotes) -> tuple[list, ArticleMentions]:
    """An unnamed source ('a U.S. official') is an actor only where it speaks a quotation: one only cited
    ('citing a source in the SBU') stays in the text, not in the actors."""
    silent = {key for key, e in found.provisional.items() if e.kind == "anonymous_source"} \
        - {("actor", q.speaker_id) for q in quotes}
    if not silent:
        return mentions, found
    ids = {entity_id for _, entity_id in silent}
    kept = ArticleMentions(
        found=found.found, review=[r for r in found.review if r.entity_id not in ids],
        provisional={k: e for k, e in found.provisional.items() if k not in silent},
    )
    return [m for m in mentions if m.entity_type != "actor" or m.entity_id not in ids], kept


def _types(mentions) -> set[str]:
    return {m.entity_type for m in mentions} - {"actor"}


def extract_or_report(article: Article, catalog: Catalog) -> Extraction:
    """extract_article, except that a bug meeting one article's text costs only that article's
    extraction: it is loaded with its sentences and a review item saying what failed."""
    try:
        return extract_article(article, catalog)
    except Exception as exc:  # the article still loads; the failure is visible in v_review_queue
        spans = split_sentences(article.text)
        end = min(len(article.text), 60)
        reason = f"extraction failed: {type(exc).__name__}: {exc}"[:300]
        return Extraction(
            article_id=article.article_id,
            sentences=tuple(
                Sentence(article_id=article.article_id, sentence_idx=i, char_start=s, char_end=e)
                for i, (s, e) in enumerate(spans)
            ),
            review_items=(
                ReviewItem(item_id=stable_id(article.article_id, "extraction-failed"), article_id=article.article_id,
                           entity_type=None, entity_id=None, surface=article.text[:end], char_start=0, char_end=end,
                           reason=reason),
            ),
        )


def extract_article(article: Article, catalog: Catalog) -> Extraction:
    """Everything the extractor finds in one article; pure: same article and catalog, same records."""
    text = article.text
    spans = split_sentences(text)
    reader = ArticleReader(resolver_for(catalog), article.article_id, text, spans)
    found = reader.read()
    mentions = to_mentions(article.article_id, reader)
    entities = ArticleEntities(catalog, found.provisional)
    quotes = extract_quotes(article.article_id, text, spans, mentions, entities)
    mentions, found = without_silent_sources(mentions, found, quotes)
    publisher_chain = (article.publisher,) if article.publisher else ()
    claims, deployments = [], []
    by_sentence: dict[int, list] = {}
    for mention in mentions:
        by_sentence.setdefault(mention.sentence_idx, []).append(mention)
    quotes_by_sentence: dict[int, list] = {}
    for quote in quotes:
        quotes_by_sentence.setdefault(quote.sentence_idx, []).append(quote)
    carried_into: dict[int, list] = {}  # the systems a sentence took from the one before
    heading: list = []  # the systems of the list this sentence may be an item of
    heading_places: list = []  # and the places its heading named
    section: list = []  # the place the thread's current section is about ("SITE 1: Losiny Ostrov")
    placed_last: list = []  # the places of the latest deployment ("stationed next to the position" sentences later)
    apart: set[tuple[str, str]] = set()  # the places claims give examples from
    for idx, (start, end) in enumerate(spans):
        named = by_sentence.get(idx, [])
        heading = list_heading_systems([m for m in named if m.entity_type == "system"], text[start:end], heading)
        heading_places = list_heading_places(named if heading else [], text[start:end], heading_places, entities)
        section = section_place(named, text, start, end, section, entities)
        if idx not in by_sentence and idx not in quotes_by_sentence:
            continue  # nothing named or quoted: no claim
        listed_under = heading_applies(heading, named, text[start:end]) if "site" in _types(named) else []
        sites_carried, systems_carried = [], []
        before = by_sentence.get(idx - 1, [])
        # the last of the three sentences before that named anything (a place, a system)
        back = next((j for j in range(idx - 1, max(-1, idx - 4), -1) if _types(by_sentence.get(j, []))), idx - 1)
        if "system" in _types(named) and not specific_places(named, entities) and "site" in _types(by_sentence.get(back, [])):
            # a place named there, a system (and no place below a city) named here
            before_start, before_end = spans[back]
            previous = SentenceContext(back, before_start, before_end, text[before_start:before_end], by_sentence[back], [])
            sites_carried = carried_site(previous, text[start:end], text, entities, adjacent=back == idx - 1)
        if "system" in _types(named) and not placeable(named, entities) and not sites_carried:
            sites_carried = heading_places  # "- IRIS-T SLM launchers from Germany, positioned to cover ..."
        if "system" in _types(named) and not specific_places(named, entities) and not sites_carried \
                and BESIDE_THE_PLACED.search(text, start, end):
            sites_carried = placed_last
        if "system" in _types(named) and not specific_places(named, entities) and not sites_carried:
            if idx not in quotes_by_sentence:  # a speaker's words are about their point, not the section's place
                sites_carried = section
        elif "site" in _types(named):  # a place named here, a system before (named or itself carried): in
            # the sentence before, or (when this one names none) in the one before that
            before = before + carried_into.get(idx - 1, [])
            two_back = by_sentence.get(idx - 2, []) + carried_into.get(idx - 2, []) if "system" not in _types(named) else []
            earlier = before if "system" in _types(before) else two_back
            placed = earlier is two_back or bool(specific_places(earlier, entities))
            systems_carried = carried_into[idx] = carried_systems(earlier, text[start:end], placed, text)
        ctx = SentenceContext(idx, start, end, text[start:end], named, quotes_by_sentence.get(idx, []), sites_carried,
                              systems_carried, listed_under)
        claim, pairs = claims_from_sentence(article, ctx, entities, publisher_chain)
        if claim:
            claims.append(claim)
            deployments.extend(pairs)
            apart |= {(claim.claim_id, m.entity_id) for m in named
                      if m.entity_type == "site" and EXAMPLES_FOLLOW.match(text, m.char_end)}
        if pairs:
            placed_at = {d.site_id for d in pairs}
            placed_last = [m for m in (*named, *sites_carried) if m.entity_type == "site" and m.entity_id in placed_at]
    deployments = merge_nearby_places(deployments, entities, frozenset(apart))
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
