"""Claims: one assertion per sentence, typed, with certainty from cues, the claimant and relay chain,
an event date, and the system-site pairs of deployment claims."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flows.catalog import Catalog
from flows.models import Article, Certainty, Claim, ClaimType, Deployment, Mention, Quote
from flows.names import stable_id
from flows.stages.extract import lexicon as lx
from flows.stages.extract.dates import resolve_event_date


def _cue(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


DEPLOYMENT_STRONG = _cue(
    r"\b(?:deploy\w*|install\w*|plac(?:ed|ing)|position\w*|station\w*|spotted|sightings?|seen|appear\w*|"
    r"emerg\w*|set(?:ting)?\s+(?:\w+\s+){0,3}up|erect\w*|perched|lift\w*|rais\w*\s+onto|hoist\w*|mounted|"
    r"mov(?:ed|ing)\s+\w+\s+(?:to|into)|presence|located|based\s+(?:at|in|near)|on\s+(?:the\s+)?roofs?|"
    r"rooftops?|on\s+(?:the\s+)?top\s+of|arriv\w*|photographed|filmed)\b"
)
TRANSFER = _cue(r"\b(?:provid\w*|suppl(?:y|ied|ies|ying)|deliver\w*|donat\w*|send(?:s|ing)?|sent|transfer\w*|aid\s+package|committed\s+to)\b")
INTERCEPTION = _cue(r"\b(?:intercept(?:ed|s|ion|ions)|shot\s+down|shoot\s+down|downed|repel\w*|neutrali[sz]ed)\b")
NOT_EVENT = _cue(r"\b(?:intended|designed|used|able|capable|meant)\s+to\b")
STRIKE = _cue(r"\b(?:strikes?|struck|hit|attack(?:ed|s)?|bomb(?:ed|ing)|shell(?:ed|ing)|explosions?|blasts?|targeted)\b")
LOSS = _cue(r"\b(?:loss(?:es)?|lost|destroyed|damaged|wrecked)\b")
DEVELOPMENT = _cue(r"\b(?:develop\w*|test(?:ed|ing|s)?|unveil\w*|produc\w*|manufactur\w*|upgrad\w*)\b")
CAPABILITY = _cue(
    r"\b(?:range|designed|capable|able\s+to|equipped|speed|altitude|employed|used\s+(?:against|to)|"
    r"protect\s+against|can\s+\w+)\b"
)
REPORTING = _cue(r"\b(?:said|says|told|wrote|reported|according\s+to|claimed|stated|announced|acknowledged)\b")

QUESTION = _cue(r"^\s*(?:asked\s+whether|whether)\b|\?\s*[\"”’]?\s*$")
UNCONFIRMED = _cue(
    r"\bnot\s+(?:been\s+)?(?:immediately\s+|independently\s+|officially\s+)?(?:confirmed|verified)\b|"
    r"\bunconfirmed\b|\bcould\s+not\s+(?:be\s+)?(?:independently\s+)?verif"
)
NEGATED = _cue(
    r"\b(?:not|never|no\s+longer|denied|denies|deny|isn't|wasn't|weren't|aren't|didn't|doesn't|hasn't|haven't|"
    r"refuted|dismissed)\b"
)
SPECULATIVE = _cue(
    r"\b(?:could(?!\s+be\s+seen)|might|may|possibl[ey]|perhaps|rumou?rs?|speculat\w*|if\s+so|would|"
    r"potential(?:ly)?|unlikely|maybe)\b"
)
HEDGED = _cue(
    r"\b(?:reportedly|purportedly|allegedly|apparently|appear(?:s|ed)?\s+to|seem(?:s|ed)?|said\s+to\s+be|"
    r"likely|claimed|suspected|believed\s+to|what\s+appeared\s+to\s+be)\b"
)
SOURCE_PHRASE = _cue(
    r"\b(?P<phrase>(?:images?|videos?|photos?|photographs|footage|pictures|clips?)\s+(?:\w+\s+){0,2}?"
    r"(?:shared|circulating|posted|published|surfaced|appeared)(?:\s+(?:on|online)(?:\s+social\s+media)?)?|"
    r"(?:local|state|russian|ukrainian|western)\s+media(?:\s+outlets)?|reports\s+emerged|"
    r"pro-kremlin\s+bloggers|social\s+media)\b"
)
REPORT_VERB_AFTER = re.compile(
    r"^\W{0,3}(?:has\s+|have\s+|had\s+)?(?:reported|said|says|told|wrote|claimed|stated|announced|acknowledged|"
    r"showed|shows|posted|tweeted|confirmed|revealed)\b",
    re.I,
)
REPORT_VERB_BEFORE = re.compile(
    r"\b(?:reported|said|says|wrote|according\s+to|citing|cited|claimed|told)\W{0,3}(?:the\s+)?$", re.I
)


@dataclass(frozen=True)
class SentenceContext:
    idx: int
    start: int
    end: int
    text: str
    mentions: list[Mention]
    quotes: list[Quote]

    def of_type(self, entity_type: str) -> list[Mention]:
        return [m for m in self.mentions if m.entity_type == entity_type]


def classify_claim(sentence: str, has_site: bool, has_quote: bool) -> ClaimType | None:
    if DEPLOYMENT_STRONG.search(sentence) and has_site:
        return "deployment"
    if TRANSFER.search(sentence):
        return "transfer"
    if INTERCEPTION.search(sentence) and not NOT_EVENT.search(sentence):
        return "interception"
    if STRIKE.search(sentence) and not NOT_EVENT.search(sentence):
        return "strike"
    if LOSS.search(sentence):
        return "loss"
    if DEVELOPMENT.search(sentence):
        return "development"
    if CAPABILITY.search(sentence):
        return "capability"
    if DEPLOYMENT_STRONG.search(sentence):
        return "deployment"
    if has_quote or REPORTING.search(sentence):
        return "statement"
    return None


def classify_certainty(sentence: str, attributed: bool) -> Certainty:
    if QUESTION.search(sentence):
        return "question"
    if UNCONFIRMED.search(sentence):
        return "hedged"
    if NEGATED.search(sentence):
        return "negated"
    if SPECULATIVE.search(sentence):
        return "speculative"
    if HEDGED.search(sentence):
        return "hedged"
    return "reported" if attributed else "asserted"


def attribution(ctx: SentenceContext, full_text: str, catalog: Catalog) -> tuple[str | None, str | None]:
    """(claimant name, actor_id or None): 'Daily Mail reported', 'according to images shared on social media'."""
    for quote in ctx.quotes:
        if quote.speaker_id:
            actor = catalog.get("actor", quote.speaker_id)
            return (actor.name if actor else quote.speaker_surface), quote.speaker_id
    for mention in ctx.of_type("actor"):
        after = full_text[mention.char_end:mention.char_end + 40]
        before = full_text[max(ctx.start, mention.char_start - 30):mention.char_start]
        if REPORT_VERB_AFTER.search(after) or REPORT_VERB_BEFORE.search(before):
            return _actor_name(mention, catalog), mention.entity_id
    if match := SOURCE_PHRASE.search(ctx.text):
        return match.group("phrase").strip(), None
    return None, None


def _actor_name(mention: Mention, catalog: Catalog) -> str:
    actor = catalog.get("actor", mention.entity_id)
    return actor.name if actor else mention.surface


def deployment_sites(ctx: SentenceContext, full_text: str, catalog: Catalog) -> list[Mention]:
    """Where the sentence places its systems: named sites, minus countries, minus landmarks that only
    measure a distance ('1.5 miles southeast of the Kremlin') unless nothing else is named."""
    sites = [m for m in ctx.of_type("site") if _site_kind(m, catalog) != "country"]
    located, references = [], []
    for mention in sites:
        preceding = full_text[ctx.start:mention.char_start]
        (references if lx.DISTANCE_REFERENCE.search(preceding) else located).append(mention)
    specific = [m for m in located if _site_kind(m, catalog) not in ("city", "region")]
    chosen = located if specific or not references else located + references
    return _most_specific(chosen, catalog)


def _ancestors(site_id: str, catalog: Catalog) -> set[str]:
    seen: set[str] = set()
    site = catalog.get("site", site_id)
    while site is not None and site.parent and site.parent not in seen:
        seen.add(site.parent)
        site = catalog.get("site", site.parent)
    return seen


def _most_specific(sites: list[Mention], catalog: Catalog) -> list[Mention]:
    """'NDMC on Frunzenskaya Embankment', 'Teterinsky Lane, Taganka district': keep the innermost place."""
    ids = {m.entity_id for m in sites}
    enclosing = set().union(*(_ancestors(i, catalog) for i in ids)) if ids else set()
    return [m for m in sites if m.entity_id not in enclosing]


def _site_kind(mention: Mention, catalog: Catalog) -> str | None:
    site = catalog.get("site", mention.entity_id)
    return site.kind if site else "city"


def claims_from_sentence(
    article: Article, ctx: SentenceContext, catalog: Catalog, publisher_chain: tuple[str, ...]
) -> tuple[Claim | None, list[Deployment]]:
    systems = ctx.of_type("system")
    sites = ctx.of_type("site")
    attributed_quote = any(q.speaker_id for q in ctx.quotes)
    event_words = INTERCEPTION.search(ctx.text) or STRIKE.search(ctx.text)
    if not systems and not (event_words and sites) and not attributed_quote:
        return None, []
    claim_type = classify_claim(ctx.text, bool(sites), attributed_quote)
    if claim_type is None:
        claim_type = "other"
    claimant, claimant_id = attribution(ctx, article.text, catalog)
    certainty = classify_certainty(ctx.text, claimant is not None)
    relay = tuple(dict.fromkeys(p for p in (*publisher_chain, claimant_id and claimant) if p))
    original = claimant if claimant_id else (publisher_chain[0] if publisher_chain else None)
    when = resolve_event_date(ctx.text, article.published_date)
    located = deployment_sites(ctx, article.text, catalog) if claim_type == "deployment" else []
    place_reason = None
    if claim_type in ("deployment", "strike", "interception") and not (located or sites):
        place_reason = "no place named in the sentence"
    elif claim_type == "deployment" and not systems:
        place_reason = "no system named in or before the sentence"
    direct = any(m.method != "coref" for m in systems)
    confidence = min(0.95, 0.45 + (0.2 if direct else 0.1 if systems else 0) + (0.15 if sites else 0) + (0.1 if claimant else 0))
    claim_id = stable_id(article.article_id, ctx.start, ctx.end)
    claim = Claim(
        claim_id=claim_id,
        article_id=article.article_id,
        sentence_idx=ctx.idx,
        char_start=ctx.start,
        char_end=ctx.end,
        claim_type=claim_type,
        certainty=certainty,
        attributed_to=claimant,
        attributed_to_id=claimant_id,
        relay_chain=relay,
        original_source=original,
        event_date=when.date,
        event_date_precision=when.precision,
        date_reason=when.reason,
        place_reason=place_reason,
        system_ids=tuple(dict.fromkeys(m.entity_id for m in systems)),
        site_ids=tuple(dict.fromkeys(m.entity_id for m in sites)),
        actor_ids=tuple(dict.fromkeys(m.entity_id for m in ctx.of_type("actor"))),
        confidence=round(confidence, 2),
    )
    deployments: dict[tuple[str, str], Deployment] = {}
    for system in systems:
        for site in located:
            key = (system.entity_id, site.entity_id)
            link = "coref" if system.method == "coref" else "sentence"
            deployments.setdefault(
                key,
                Deployment(
                    claim_id=claim_id, article_id=article.article_id, system_id=key[0], site_id=key[1], link=link
                ),
            )
    return claim, list(deployments.values())
