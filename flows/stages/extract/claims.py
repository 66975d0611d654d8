"""Claims: one assertion per sentence, typed, with certainty from cues, the claimant and relay chain,
an event date, and the system-site pairs of deployment claims."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flows.catalog import Catalog
from flows.models import Article, Certainty, Claim, ClaimType, Deployment, Mention, Quote
from flows.names import normalise_text, stable_id
from flows.stages.extract import lexicon as lx
from flows.stages.extract.dates import resolve_event_date


def _cue(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


SOURCE_PHRASE = _cue(
    r"\b(?P<phrase>(?:images?|videos?|photos?|photographs|footage|pictures|clips?)\s+(?:\w+\s+){0,2}?"
    r"(?:shared|circulating|posted|published|surfaced|appeared)(?:\s+(?:on|online)(?:\s+social\s+media)?)?|"
    r"(?:local|state|russian|ukrainian|western)\s+media(?:\s+outlets)?|reports\s+emerged|"
    r"pro-kremlin\s+bloggers|social\s+media)\b"
)
# one of these is in every SOURCE_PHRASE
SOURCE_WORDS = ("image", "video", "photo", "footage", "picture", "clip", "media", "emerged", "bloggers")
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
    carried_sites: list[Mention] = field(default_factory=list)  # from the previous sentence (carried_site)
    carried_systems: list[Mention] = field(default_factory=list)  # from the previous sentence (carried_systems)
    listed_under: list[Mention] = field(default_factory=list)  # the systems of the list's heading (list_heading_systems)

    def of_type(self, entity_type: str) -> list[Mention]:
        return [m for m in self.mentions if m.entity_type == entity_type]


def sentence_cues(sentence: str) -> frozenset[str]:
    """The cue categories (lexicon.CLAIM_CUES) that occur in the sentence: words, stems and phrases."""
    lowered = sentence.lower().replace("’", "'")
    if any(word in lowered for word in _MADE_BY_WORDS):  # "US-supplied HIMARS", "A NASAMS launcher, supplied by
        lowered = _MADE_BY.sub("", lowered)  # Norway, ...": they describe the weapon; they report no transfer
    words = _WORD.findall(lowered)
    present = set(words)
    found: set[str] = set()
    for word in present & lx.CUE_WORDS.keys():
        found |= lx.CUE_WORDS[word]
    for word in present:
        for stem, categories in lx.CUE_STEMS.get(word[:3], ()):
            if word.startswith(stem):
                found |= categories
    padded = " " + " ".join(words) + " "
    for first_word in present & lx.CUE_PHRASES.keys():
        for phrase, categories in lx.CUE_PHRASES[first_word]:
            if phrase in padded:
                found |= categories
    for category, phrases in lx.CUE_EXCEPTIONS.items():
        if category in found and any(p in padded for p in phrases):
            cleaned = padded
            for phrase in phrases:
                cleaned = cleaned.replace(phrase, " ")
            if not (set(cleaned.split()) & lx.CUE_TERMS_BY_CATEGORY[category]):
                found.discard(category)
    if " may " in " " + sentence + " ":  # the verb, not the month
        found.add("speculative")
    if {"set", "sets", "setting"} & present and "up" in present:
        found.add("deployment")
    if sentence.rstrip(" \"”’'").endswith("?") or lowered.startswith(("asked whether", "whether")):
        found.add("question")
    return frozenset(found)


_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_MADE_BY_WORDS = ("supplied", "provided", "donated", "delivered", "made", "built", "produced", "installed")  # "Russian-installed"
_MADE_BY = re.compile(rf"(?<=[a-z])-(?:{'|'.join(_MADE_BY_WORDS)})\b|(?<=, )(?:{'|'.join(_MADE_BY_WORDS)})\s+by\b")


def classify_claim(cues: frozenset[str], has_site: bool, has_quote: bool) -> ClaimType | None:
    event = "not_event" not in cues
    if "deployment" in cues and has_site:
        return "deployment"
    for claim_type, needs_event in (("transfer", False), ("interception", True), ("strike", True), ("loss", False),
                                    ("development", False), ("capability", False), ("deployment", False)):
        if claim_type in cues and (event or not needs_event):
            return claim_type
    if has_quote or "reporting" in cues:
        return "statement"
    return None


def classify_certainty(cues: frozenset[str], attributed: bool) -> Certainty:
    for cue, certainty in (("question", "question"), ("unconfirmed", "hedged"), ("negated", "negated"),
                           ("speculative", "speculative"), ("hedged", "hedged")):
        if cue in cues:
            return certainty
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
    lowered = ctx.text.lower()
    if any(w in lowered for w in SOURCE_WORDS) and (match := SOURCE_PHRASE.search(ctx.text)):
        return match.group("phrase").strip(), None
    return None, None


CITING = re.compile(r"\b(?:citing|quoting|cited|according\s+to)\s+(?:the\s+|a\s+report\s+(?:by|in)\s+(?:the\s+)?)?$", re.I)


def cited_sources(ctx: SentenceContext, full_text: str, catalog: Catalog, claimant_id: str | None) -> list[str]:
    """Who the claimant relays: 'TASS reported, citing the defence ministry' -> [Russian Ministry of Defence]."""
    if not claimant_id:
        return []
    cited = []
    for mention in ctx.of_type("actor"):
        if mention.entity_id == claimant_id:
            continue
        if CITING.search(full_text, max(ctx.start, mention.char_start - 40), mention.char_start):
            cited.append(_actor_name(mention, catalog))
    return cited


def _actor_name(mention: Mention, catalog: Catalog) -> str:
    actor = catalog.get("actor", mention.entity_id)
    return actor.name if actor else mention.surface


LOCATIVE = re.compile(
    r"\b(?:in|at|near|outside|around|on|over|above|beside|inside|by|off|close\s+to|next\s+to|from|to|into"
    r"|(?:north|south|east|west)(?:-?(?:east|west))?\s+of)\s+(?:the\s+)?"
    r"(?:(?:[a-z-]+\s+)?(?:city|town|village|region|outskirts|edge|perimeter|suburbs?|area|vicinity|fields?|grounds?|territory"
    r"|premises|land)\s+of\s+(?:the\s+)?)?"  # "on the experimental fields of the Timiryazev Agricultural Academy"
    r"(?:(?:[\w'’-]+\s+){0,2}|(?:(?-i:[A-Z])[\w'’-]*(?:,\s+|,?\s+(?:and|or)\s+)){1,3})$",  # "near Zvenigorod, Dmitrov and Naro-Fominsk"
    re.I,
)
INVERTED = re.compile(
    r",?\s+(?:now\s+)?(?:stands?|stood|sits?|sat|lies|lay|is|was|are|were)\s+(?:the|an?|two|three|several)\s+(?:[\w'’-]+\s+){0,3}",
    re.I,
)
# "the one you all photograph from the Novoryazanskoye highway", "its launch tubes pointing over the rooftops towards
# the Garden Ring": where it is seen from or points to, not where it stands
VIEWPOINT = re.compile(
    r"\b(?:photograph(?:ed|s)?|film(?:ed|s)?|seen|visible|watch(?:ed|es)?|observed|see)\s+(?:\w+\s+){0,2}?from\s+(?:the\s+)?$"
    r"|\b(?:point(?:ing|ed|s)?|fac(?:ing|ed|es))\b[^.;,]{0,40}?\b(?:towards?|at)\s+(?:the\s+)?$",
    re.I,
)
# "has watched the skies over Moscow since the late 1980s": what a radar watches, not where it stands
SKY_OVER = re.compile(r"\b(?:watch|watched|watches|watching|monitor(?:s|ed|ing)?|scan(?:s|ned|ning)?)\s+the\s+"
                      r"(?:skies|sky|airspace)\s+(?:over|above|of)\s+(?:the\s+)?$", re.I)
# "A Pantsir-S1 that covers the airfield from the north was not damaged": what a system guards is where it stands
GUARDED = re.compile(r"\b(?:cover|guard|protect|defend)(?:s|ed|ing)?\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$", re.I)
NEVER_LOCATES = ("development",)  # "tested at Kapustin Yar" is no deployment
TABLE_ROW = re.compile(r"^\s*\|(?:[^|\n]*\|){3,}\s*$")  # a Markdown table's row of three cells or more
# a transfer locates a system only at its destination, below a country: "two more Pantsir batteries were
# sent to the Kursk region" ("sent to Ukraine" names a country, which never locates)
DESTINATION = re.compile(r"\b(?:to|into)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$", re.I)
# "drone attacks on Tuapse": the target of a strike, not where a system stands
TARGETED = re.compile(
    r"\b(?:attacks?|strikes?|raids?|assaults?|shelling)\s+(?:\w+\s+){0,2}?(?:on|against)\s+(?:the\s+)?(?:\w+\s+)?"
    r"(?:[\w'’-]+(?:,\s+|\s+(?:and|or)\s+)){0,3}$"  # "drone attacks on Tuapse and Novorossiysk"
    r"|\btarget(?:ed|ing)\s+(?:the\s+)?$"
    # "the Kh-101s aimed at Odesa and Kyiv"
    r"|\b(?:aimed|fir(?:ed|ing)|launched|directed|used|fl(?:ies|ying|ew)|head(?:ed|ing))"
    r"(?:\s+from\s+(?:the\s+)?(?:[\w'’-]+\s+){1,3}?)?\s+(?:at|toward|towards|for|on|against)\s+(?:the\s+)?"  # "fired from the Belgorod region at"
    r"(?:[\w'’-]+(?:,\s+|\s+(?:and|or)\s+)){0,3}$",
    re.I,
)
# one is in every TARGETED
TARGET_WORDS = ("attack", "strike", "raid", "assault", "shelling", "target", "aimed", "fired", "firing", "launched", "directed",
                "used", "flies", "flying", "flew", "headed", "heading")


def _targeted(text: str, start: int, end: int) -> bool:
    window = text[start:end].lower()
    return any(w in window for w in TARGET_WORDS) and TARGETED.search(text, start, end) is not None


ATTRIBUTIVE = re.compile(
    r"(?:'s|’s)?\s+(?:residents?|officials?|governor|mayor|authorities|administration|police|media|region's|regional|press|"
    r"line|highway|road|railway|motorway|direction)\b|-based\b",  # "the Yaroslavl line" is no place in Yaroslavl
    re.I,
)


DATELINE_AFTER = re.compile(r"[A-Z ,.]{0,30}(?:\s*\([\w .]+\))?\s*(?:—|–|--|-)\s")  # "KYIV — ", "MOSCOW, May 3 (Reuters) - "


def _dateline(site: Mention, full_text: str) -> bool:
    """'KYIV — When a satellite passed over ...': where the reporter filed from, not where anything stands."""
    at_line_start = site.char_start == 0 or full_text[site.char_start - 1] == "\n"
    return at_line_start and site.surface.isupper() and DATELINE_AFTER.match(full_text, site.char_end) is not None




# "an air defense analyst at the Baltic Security Forum in Tallinn", "her husband was born in Kharkiv", "citing
# reliable sources in Kyiv", "a former air defence officer from Kazan who now lives in Tbilisi": where someone
# works, was born, comes or speaks from, or has moved to ("Galina has lived in Usovo", where the story is, stays)
SOMEONES_PLACE = re.compile(
    rf"\b(?:{'|'.join(sorted(lx.PERSON_ROLES))})s?\b(?:[^.;:]{{0,80}}?\b(?:at|of|with)\s+(?:the\s+)?[A-Z][^.;:]{{0,60}}?\bin|\s+from"
    r"|[^.;:]{0,80}?\b(?:firm|company|institute|university|think[- ]tank|cent(?:re|er)|consultancy|foundation)\s+(?:based\s+)?in)\s+$"
    r"|\b(?:born|grew\s+up|raised|studied)\s+in\s+$|\bwho\s+(?:now\s+)?(?:lives|lived|resides)\s+in\s+$"
    r"|\b(?:sources|officials|authorities|diplomats|lawmakers)\s+in\s+(?:[A-Z][\w'’-]+\s+(?:and|or)\s+)?$"  # "officials in Rome and Kyiv"
    r"|\b(?:working|living|who\s+(?:work|works|live|lives))\s+(?:along|in|on|near|at)\s+(?:the\s+)?$"  # "contractors working along Rublyovka"
    r"|\bwho\s+(?:now\s+)?(?:works|worked|lives|lived)\s+as\s+[^.;:]{0,50}?\s(?:in|at|near)\s+$"  # "who now works as a consultant in Hamburg"
    r"|\b(?:writes|wrote|reports|reported|blogs|posts|posted|broadcasts|speaks|spoke)\s+(?:[^.;:]{0,50}?\s)?from\s+$"  # "writes about it from Riga"
    # where a system is made: "designed by the KBP bureau in Tula", "manufactured in Kolomna"
    r"|\b(?:designed|developed|manufactured|produced|assembled|made)\s+(?:by\s+[^.;:]{0,60}?\s)?(?:in|at)\s+(?:the\s+)?$"
)
# "at Nato's summit in Washington, the US ... pledged ... four Patriot batteries", "confirmed to reporters in
# Washington that one Patriot system had ...": where people met or spoke, not where a system stands
EVENT_VENUE = re.compile(
    r"\b(?:summit|meeting|conference|talks|forum|ceremony|briefing|gathering|visit|reporters|journalists)\s+(?:\w+\s+){0,2}?"
    r"(?:in|at)\s+(?:the\s+)?$",
    re.I,
)


# "towers ... nicknamed 'flakturms', after the flak towers of Berlin and Vienna": what a name recalls
NAMED_AFTER = re.compile(r"\b(?:named|nicknamed|dubbed|called)\b[^.;]{0,40}?\bafter\s[^.;]{0,60}$", re.I)


def deployment_sites(ctx: SentenceContext, full_text: str, catalog: Catalog) -> list[Mention]:
    """Where the sentence places its systems: named sites, minus countries and seas, minus landmarks that
    only measure a distance ('1.5 miles southeast of the Kremlin') and waters ('on the shore of Lake
    Uzhin') unless nothing else is named."""
    sites = [m for m in ctx.of_type("site") if _site_kind(m, catalog) not in lx.AREA_KINDS
             and not lx.only_bounds(_site_kind(m, catalog), full_text, m.char_start)]
    located, references, around = [], [], []
    sites = [m for m in sites if not ATTRIBUTIVE.match(full_text, m.char_end)  # "Kherson residents said"
             and not any(o.char_start <= m.char_start and m.char_end <= o.char_end and o.char_end - o.char_start > m.char_end - m.char_start
                         for o in sites)]  # "the defence ministry building beside the Moskva River": the river describes it
    actors = ctx.of_type("actor")
    sites = [m for m in sites if not any(_actors_home(a, m, full_text, catalog) for a in actors)
             and not SOMEONES_PLACE.search(full_text, max(ctx.start, m.char_start - 100), m.char_start)]
    sites = [m for m in sites if not _targeted(full_text, max(ctx.start, m.char_start - 40), m.char_start)
             and not VIEWPOINT.search(full_text, max(ctx.start, m.char_start - 50), m.char_start)
             and not SKY_OVER.search(full_text, max(ctx.start, m.char_start - 30), m.char_start)
             and not EVENT_VENUE.search(full_text, max(ctx.start, m.char_start - 40), m.char_start)
             and not NAMED_AFTER.search(full_text, max(ctx.start, m.char_start - 110), m.char_start)
             and not NOT_THERE.search(full_text, max(ctx.start, m.char_start - 80), m.char_start)]
    sites = [m for m in sites if not _dateline(m, full_text)]
    sites.sort(key=lambda m: m.char_start)
    # "near Zarechie, a village that borders Novo-Ogarevo, Putin's residence": where each place that only describes
    # another was named last; the same place named again soon after describes too, not later in the sentence
    # ("in Elektrostal, east of Moscow, ... and several more regiments now form a ring around the city")
    described: dict[str, int] = {}
    for previous, mention in zip([None, *sites], sites):
        if mention.char_start - described.get(mention.entity_id, -999) <= 60 or previous is not None \
                and mention.char_start - previous.char_end <= 60 \
                and (APPOSITIVE_REFERENCE.match(full_text, previous.char_end, mention.char_start)
                 or DIRECTION_FROM.fullmatch(full_text, previous.char_end, mention.char_start)):
            described[mention.entity_id] = mention.char_end
            references.append(mention)
            continue
        preceding = full_text[max(ctx.start, mention.char_start - 90):mention.char_start]
        if EXTENT.search(preceding):
            continue  # "covered the peninsula from Cape Tarkhankut to Kerch": the ends of an extent, not positions
        lowered = preceding.lower()
        # the pattern needs a unit or a direction: most places have neither before them
        reference = lx.DISTANCE_REFERENCE.search(preceding) if any(w in lowered for w in lx.DISTANCE_WORDS) else None
        if reference is None and any(w in lowered for w in ROUTE_WORDS):
            reference = ROUTE_END.search(preceding)  # "on the road from Kurchatov to the regional capital"
        km = _measured_km(preceding[max(0, reference.start() - 12):]) if reference is not None else None
        if reference is None and not _water(mention, catalog):
            located.append(mention)
        elif km is not None and (city := _city_far_around(mention, km, catalog)):
            around.append(city)  # "a ring between 40km and 100km from the Kremlin": around Moscow, not at the Kremlin
        elif km is not None and km >= REMOTE_KM:
            continue  # "a field around 60 km from Kharkiv": nowhere near the place measured from
        else:  # "10 kilometers from the residence", "just north of Chornomorske", "on the shore of Lake Uzhin": near
            # it, if nothing else is named ("north of Dmitrov and Zvenigorod": both), but not a second measure ("just
            # north of Zhukovka, about 3 km from Novo-Ogaryovo" is near Zhukovka)
            measured_from = mention.char_start - len(preceding) + reference.start() if reference else None
            if not references or measured_from is None or measured_from < references[-1].char_end:
                references.append(mention)
    specific = [m for m in located if _site_kind(m, catalog) not in ("city", "region")]
    if specific:  # "near the town of Sofrino, about 50 km northeast of the Kremlin" is at Sofrino, not around Moscow
        return located
    located += around
    if not references:
        return located
    # "east of Razumnoye, a village just outside Belgorod": near the place measured from, not the one describing it
    return located + ([m for m in references if m.entity_id not in described] or ([] if located else references))


EXTENT = re.compile(r"\b(?:peninsula|coast(?:line)?|region|country|front(?:\s+line)?|border)\s+from\s+"
                    r"(?:(?:the\s+)?[A-Z][\w'’-]*\s+){0,3}(?:to\s+)?$")
FAR_KM = 10.0
REMOTE_KM = 30.0  # measured from a place this far or more, a system is not near it
_NUMBER_WORDS = {"ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                 "ninety": 90, "hundred": 100}
_DISTANCE = re.compile(rf"(\d+(?:[.,]\d+)?|{'|'.join(_NUMBER_WORDS)})\s*(?:-\s*)?(km|kilomet|mile)", re.I)


def _measured_km(measure: str) -> float | None:
    """The least distance a phrase measures ('between 40km and 100km from' -> 40.0), if any."""
    distances = [float(_NUMBER_WORDS.get(n.lower()) or n.replace(",", ".")) * (1.609 if unit.lower() == "mile" else 1.0)
                 for n, unit in _DISTANCE.findall(measure)]
    return min(distances) if distances else None


def _city_far_around(landmark: Mention, km: float, catalog: Catalog) -> Mention | None:
    """The city around a building or landmark that a system stands at least 10 km from ('between 40km and
    100km from the Kremlin' is around Moscow); None when nearer, or when the place is no landmark in a city."""
    if km < FAR_KM or _site_kind(landmark, catalog) in SETTLEMENT_KINDS:
        return None
    city = next((a for a in catalog.ancestors(landmark.entity_id) if catalog.get("site", a).kind == "city"), None)
    return landmark.model_copy(update={"entity_id": city}) if city else None


SETTLEMENT_KINDS = lx.BROAD_KINDS | {"town", "village", "district"}


ROUTE_WORDS = ("road", "route", "highway", "motorway", "expressway", "railway")
ROUTE_END = re.compile(
    rf"\b(?:{'|'.join(ROUTE_WORDS)})\s+(?:from\s+(?:[\w'’-]+\s+){{1,3}})?(?:from|to|between)\s+(?:the\s+)?(?:[\w'’-]+[\s,]+){{0,3}}$", re.I
)


def _water(mention: Mention, catalog: Catalog) -> bool:
    return _site_kind(mention, catalog) in ("river", "lake") or WATER_NAME.search(mention.surface) is not None


WATER_NAME = re.compile(r"^Lake\s|\s(?:Lakes?|River|Reservoir|Bay|[Ll]akes)$")


# "<place>, a village that borders <place>", "<place>, a suburb just outside <place>": the second place
# describes the first
APPOSITIVE_REFERENCE = re.compile(  # not a relative clause: "the capital, the first of which went on duty near Elektrostal"
    r",\s+(?:(?:an?|the)\s+(?:(?!(?:of\s+)?which\b)[\w'’-]+\s+){0,6}?(?:(?:that|which)\s+(?:borders|adjoins|neighbou?rs|lies\s+(?:near|next\s+to|close\s+to|outside)|(?:is\s+)?(?:also\s+)?home\s+to)|"
    r"(?:just\s+)?(?:near|outside|beside|next\s+to|close\s+to|bordering|adjoining|off)|(?:north|south|east|west)\w*\s+of)"
    r"|(?:close|next)\s+to(?:\s+(?:[\w'’-]+\s+){0,5}?(?:at|in|of))?|not\s+far\s+from|(?:north|south|east|west)\w*\s+of"  # "near Boryspil,
    # southeast of Kyiv", "near the village of Zarechye, close to Mr Putin's country residence at Novo-Ogaryovo"
    r"|home\s+to(?:\s+[^,;.]{0,60}?\s+and(?:\s+to)?)?)\s+(?:the\s+)?$"  # "outside Razdory, west of Moscow, close to the Rublyovka enclave"
    # "near the village of Zarechye, a few kilometers from President Vladimir Putin's Novo-Ogaryovo residence"
    r"|,\s+(?:(?:a|about|some|roughly|around|only|just|nearly|almost|less|more|than|few|several|couple|of|mere|barely)\s+){0,4}"
    r"(?:\d+(?:[.,]\d+)?\s*|(?:one|two|three|four|five|six|seven|eight|nine|ten|a\s+dozen|dozens\s+of)\s+)?"
    r"(?:km|kilomet(?:er|re)s?|miles?)\s+(?:away\s+)?from\s+(?:[\w'’.-]+\s+){0,4}$",
    re.I,
)


# "Elektrostal east of Moscow": the second place says where the first is
DIRECTION_FROM = re.compile(r"\s+(?:(?:some|about|just)\s+)?(?:north|south|east|west)[\w-]*\s+of\s+(?:the\s+)?", re.I)
NEAR_THE_OTHER = re.compile(r"\s+(?:near|outside|beside|next\s+to|close\s+to)\s+(?:the\s+)?(?:(?:village|town)\s+of\s+)?", re.I)


def _most_specific(sites: list[Mention], catalog: Catalog, text: str) -> list[Mention]:
    """'NDMC on Frunzenskaya Embankment', 'Teterinsky Lane, Taganka district': keep the innermost place,
    by the catalog's parents or, for places it lacks, by the text ('Lehtusi in Vsevolozhsky District')."""
    ids = {m.entity_id for m in sites}
    enclosing = set().union(*(catalog.ancestors(i) for i in ids)) if ids else set()
    ordered = sorted(sites, key=lambda m: m.char_start)
    for inner, outer in zip(ordered, ordered[1:]):
        between = text[inner.char_end:outer.char_start]
        kind = _site_kind(outer, catalog)
        if kind in ("district", "region") and re.fullmatch(r",?\s+in\s+(?:the\s+)?|,\s+", between) \
                or kind in ("city", "town") and re.fullmatch(r",?\s+in\s+", between):
            enclosing.add(outer.entity_id)
        elif NEAR_THE_OTHER.fullmatch(between) and _site_kind(inner, catalog) not in SETTLEMENT_KINDS \
                and inner.entity_id != outer.entity_id:
            enclosing.add(outer.entity_id)  # "the Rublyovo-Uspenskoye highway near Novo-Ogaryovo": one place, told twice
    # "on the roofs of several buildings in central Moscow, including the Defence Ministry": the place the examples
    # are taken from is a claim of its own
    enclosing -= {m.entity_id for m in ordered if EXAMPLES_FOLLOW.match(text, m.char_end)}
    return [m for m in sites if m.entity_id not in enclosing]


EXAMPLES_FOLLOW = re.compile(r",\s+(?:including|such\s+as|among\s+them)\s", re.I)


def _site_kind(mention: Mention, catalog: Catalog) -> str | None:
    site = catalog.get("site", mention.entity_id)
    return site.kind if site else "city"


def placeable(mentions: list[Mention], catalog: Catalog) -> list[Mention]:
    """The sites among the mentions that a system can stand at: not a country, continent or sea."""
    return [m for m in mentions if m.entity_type == "site" and _site_kind(m, catalog) not in lx.AREA_KINDS]


def specific_places(mentions: list[Mention], catalog: Catalog) -> list[Mention]:
    """The sites among the mentions below a city: not a country, region or city."""
    return [m for m in mentions if m.entity_type == "site" and _site_kind(m, catalog) not in lx.BROAD_KINDS]


def claims_from_sentence(
    article: Article, ctx: SentenceContext, catalog: Catalog, publisher_chain: tuple[str, ...]
) -> tuple[Claim | None, list[Deployment]]:
    systems = ctx.of_type("system") or ctx.carried_systems or ctx.listed_under
    sites = ctx.of_type("site")
    attributed_quote = any(q.speaker_id for q in ctx.quotes)
    if not systems and not attributed_quote and not sites:
        return None, []
    cues = sentence_cues(ctx.text)
    if not systems and not attributed_quote and not ({"interception", "strike"} & cues):
        return None, []
    claim_type = classify_claim(cues, bool(sites), attributed_quote) or "other"
    table_row = TABLE_ROW.match(ctx.text) is not None
    if table_row and claim_type in ("capability", "other") and sites and _launchers(ctx.of_type("system"), catalog):
        claim_type = "deployment"  # "| Long range | S-400 Triumf | Zvenigorod, Dmitrov, Elektrostal | High |"
    claimant, claimant_id = attribution(ctx, article.text, catalog)
    certainty = classify_certainty(cues, claimant is not None)
    cited = cited_sources(ctx, article.text, catalog, claimant_id)
    relay = tuple(dict.fromkeys(p for p in (*publisher_chain, claimant_id and claimant, *cited) if p))
    original = (cited[-1] if cited else claimant) if claimant_id else (publisher_chain[0] if publisher_chain else None)
    when = resolve_event_date(ctx.text, article.published_date)
    located = deployment_sites(ctx, article.text, catalog) if claim_type not in NEVER_LOCATES else []
    if claim_type == "transfer":
        located = [m for m in located if DESTINATION.search(article.text, max(ctx.start, m.char_start - 40), m.char_start)]
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
        sentence_key=stable_id(normalise_text(ctx.text)),
    )
    own = ctx.of_type("system")
    if ctx.carried_sites and not _placed_directly(own, located, article.text):
        # the place the sentence before named, not a city this one names in passing
        pairs = [] if claim_type in NEVER_LOCATES else [(s, site) for s in _launchers(own, catalog) for site in ctx.carried_sites]
    else:
        pairs, located = _carried_system_pairs(ctx, own, located, article.text, catalog)
        pairs += pair_systems_with_sites(claim_type, own, located, ctx, article.text, catalog)
    if claim_type not in NEVER_LOCATES:
        pairs += _aircraft_at_bases(own, sites, article.text, catalog)
    if table_row:  # a row's cells hold what stands where, without prepositions
        pairs += [(s, site) for s in _launchers(own, catalog) for site in _most_specific(located, catalog, article.text)]
    if ctx.listed_under:  # "- (3, destroyed) near the Crimean Bridge, Kerch (16.05.24)" under "- 4 Pantsir-S1:"
        pairs += [(s, site) for s in _launchers(ctx.listed_under, catalog) for site in _most_specific(located, catalog, article.text)]
    deployments: dict[tuple[str, str], Deployment] = {}
    for system, site in pairs:
        key = (system.entity_id, site.entity_id)
        across = site.sentence_idx != ctx.idx or system.sentence_idx != ctx.idx  # carried from the sentence before
        link = "coref" if system.method == "coref" or across else "sentence"
        deployments.setdefault(
            key, Deployment(claim_id=claim_id, article_id=article.article_id, system_id=key[0], site_id=key[1], link=link)
        )
    return claim, list(deployments.values())


AT_BASE = re.compile(r"\s+(?:[\w-]+\s+){0,3}?(?:at|on|from)\s+(?:the\s+)?")  # "MiG-31 and Su-27 aircraft at "


def _aircraft_at_bases(
    systems: list[Mention], sites: list[Mention], text: str, catalog: Catalog
) -> list[tuple[Mention, Mention]]:
    """'Morozovsk air base, home to Su-34 bombers', 'hit MiG-31 and Su-27 aircraft at Belbek': an aircraft stands
    at an air base its sentence names (a town stands for its own base), never at a city it flies over."""
    bases = [site.model_copy(update={"entity_id": catalog.air_base_of[site.entity_id]})
             for site in sites if site.entity_id in catalog.air_base_of]
    aircraft = [m for m in systems if m.method != "coref" and _system_kind(m, catalog) in lx.AIRCRAFT_CATEGORIES]
    if not bases or not aircraft:
        return []

    def distance(plane: Mention, base: Mention) -> int:
        """A base right after its planes holds them ("destroyed several Su-34 bombers at Morozovsk"); otherwise the
        base named before them ("Engels, home to Tu-95s, and Yeysk"), or after them if none is named before."""
        if base.char_end <= plane.char_start:
            return plane.char_start - base.char_end
        return 0 if AT_BASE.fullmatch(text, plane.char_end, base.char_start) else 1000 + base.char_start - plane.char_end

    return [(plane, min(bases, key=lambda base: distance(plane, base))) for plane in aircraft]


PLACED_DIRECTLY = re.compile(  # "the Patriot system in Kyiv", "an S-400 battery stationed outside Feodosia"
    r"(?:\s+(?:system|battery|launcher|unit)s?)?(?:\s+(?:stationed|deployed|based|positioned|located|parked|placed))?"
    r"\s+(?:in|at|near|outside|around)\s+(?:the\s+)?", re.I,
)


def _placed_directly(systems: list[Mention], sites: list[Mention], text: str) -> bool:
    """'the Patriot system in Kyiv continues to work': the sentence itself says where a system stands."""
    return any(PLACED_DIRECTLY.fullmatch(text, system.char_end, site.char_start) for system in systems for site in sites)


def _carried_system_pairs(
    ctx: SentenceContext, own: list[Mention], located: list[Mention], text: str, catalog: Catalog
) -> tuple[list[tuple[Mention, Mention]], list[Mention]]:
    """The systems carried from the sentence before ('... S-400 regiments. Researchers have located their
    positions near Zvenigorod') at the places named before the clause that names a system of its own
    ('..., and the Moscow region also hosts the A-135'); and the places left for the sentence's own systems."""
    if not ctx.carried_systems:
        return [], located
    first_own = min((m.char_start for m in own), default=ctx.end)
    breaks = [b.start() for b in CLAUSE_SPLIT.finditer(text, ctx.start, first_own)]
    split = breaks[-1] if breaks and own else first_own
    traced = TRACED_TO.search(text, ctx.start, split)  # "matching the spire of ..., we traced the roof to ...": after "to"
    places = _most_specific([m for m in located if m.char_end <= split and (not traced or m.char_start >= traced.end())],
                            catalog, text)
    pairs = [(system, site) for system in _launchers(ctx.carried_systems, catalog) for site in places]
    return pairs, [m for m in located if m.char_end > split]


LAUNCHED_FROM = re.compile(r"\b(?:launched|fired)\s+(?:[\w-]+\s+){0,2}?from\s+(?:the\s+)?$", re.I)
AND_FROM = re.compile(r"\b(?:and|or)\s+(?:also\s+)?from\s+(?:the\s+)?$", re.I)


def _launch_sites(sites: list[Mention], ctx: SentenceContext, text: str) -> list[Mention]:
    """The places weapons were 'launched from' or 'fired from' (and 'and from' after one)."""
    if "from" not in ctx.text or not ("launched" in ctx.text or "fired" in ctx.text):
        return []
    found: list[Mention] = []
    for site in sorted(sites, key=lambda m: m.char_start):
        before = text[max(ctx.start, site.char_start - 40):site.char_start]
        if LAUNCHED_FROM.search(before) or (found and AND_FROM.search(before)):
            found.append(site)
    return found


def _launched_from(systems: list[Mention], site: Mention, text: str) -> list[Mention]:
    """The weapons a launch site is for: the system named last before it, with those listed with it ("IRIS-T
    crews shot down four Kalibr missiles, as well as the Shahed drones, which had been launched from Chauda":
    the Shaheds), or every system when none is named before it."""
    before = sorted((m for m in systems if m.char_end <= site.char_start), key=lambda m: m.char_start)
    if not before:
        return systems
    chain = [before[-1]]
    for m in reversed(before[:-1]):
        if not _coordinated(m, chain[-1], text):
            break
        chain.append(m)
    return chain


def _coordinated(a: Mention, b: Mention, text: str) -> bool:
    """'a Pantsir-S1 and elements of an S-400 battery': systems listed together share a place."""
    first, second = (a, b) if a.char_start <= b.char_start else (b, a)
    return second.char_start - first.char_end <= 90 and COORDINATED.match(text, first.char_end, second.char_start) is not None


STRUCK_USING = re.compile(  # "struck air defence positions in Crimea ... using ATACMS missiles, HIMARS rockets and ..."
    r"\b(?:struck|strikes?|hit|attacked|targeted|destroyed)\b[^.;“”\"]{0,120}?\b(?:using|with\s+the\s+help\s+of|by\s+means\s+of)"
    r"\s+(?:[\w-]+,?\s+){0,4}$", re.I,
)


def pair_systems_with_sites(
    claim_type: str, systems: list[Mention], sites: list[Mention], ctx: SentenceContext, text: str, catalog: Catalog
) -> list[tuple[Mention, Mention]]:
    """Which system stands where. A deployment places its systems at the sentence's sites; any other
    claim (a strike, a loss, a statement) places a launcher, not a munition, at a site named with a
    preposition ('destroyed an S-400 near Yevpatoria', 'the Pantsir batteries around Sebastopol').
    Aircraft are platforms, not deployments. With several systems, each site goes to the nearest
    system, preferring one named before it ('an S-400 at Losiny Ostrov and a Pantsir on the ministry')."""
    if claim_type in NEVER_LOCATES:
        return []
    systems = [m for m in systems if _system_kind(m, catalog) not in lx.AIRCRAFT_CATEGORIES]
    launch_sites = _launch_sites(sites, ctx, text)
    if launch_sites:  # "Shahed-136 drones, launched from the Kursk region and from Cape Chauda"
        return [(system, site) for site in launch_sites for system in _launched_from(systems, site, text)]
    systems = [m for m in systems if not STRUCK_USING.search(text, ctx.start, m.char_start)]
    where = _where_clauses(systems, ctx, text, catalog)  # "Novo-Ogaryovo, ..., where a Pantsir-S1 was filmed"
    systems = [m for m in systems if m not in where]
    protection = {m: PROTECTED_BY.match(text, m.char_end) for m in sites}  # "the capital is protected by NASAMS"
    if claim_type != "deployment":
        systems = _launchers(systems, catalog)
        sites = [m for m in sites if LOCATIVE.search(text[max(ctx.start, m.char_start - 80):m.char_start])
                 or _named_by(m, systems, text) or protection[m] or _a_structure(m)
                 or GUARDED.search(text, max(ctx.start, m.char_start - 40), m.char_start)
                 or _struck_with(m, systems, ctx, text)]
    opening = OPENING_CLAUSE.match(ctx.text)
    opening_end = ctx.start + opening.end() if opening else ctx.start

    def linked(system: Mention, site: Mention) -> bool:
        """No new clause between them (", as fears grow in the Kremlin"), unless it opens on another of the
        units ("stationed at Elektrostal; a second followed near Dmitrov"); not a city in the sentence's
        opening clause and a system after it ("When NATO leaders gathered in Washington, the pledge was Patriots")."""
        first, second = (system, site) if system.char_start <= site.char_start else (site, system)
        if first.char_end <= opening_end <= second.char_start and _site_kind(site, catalog) in ("city", "region", "country"):
            return False
        if first is system and (TIME_CLAUSE.search(text, first.char_end, second.char_start)
                                or WHILE_CLAUSE.search(text, first.char_end, second.char_start)):
            return False  # "the system arrived on Tuesday, hours after drones reached ... Profsoyuznaya Street", "Pantsirs
            # stand on towers around dachas while Belgorod is shelled" (but "in Kyiv people shelter while Patriots fire")
        breaks = CLAUSE_BREAK.search(text, first.char_end, second.char_start)
        return breaks is None or first is system and (
            ANOTHER_OF_THEM.match(text, breaks.end()) is not None or _places_listed(text, breaks.start(), second.char_start))

    # "Some 15 kilometres to the north, near Sofrino, stands the Don-2N radar, the centre of Moscow's missile
    # defence": the place the sentence opens on is the system's, not one in a description after it
    inverted = {system: site for site in sites for system in systems
                if site.char_end <= system.char_start and INVERTED.fullmatch(text, site.char_end, system.char_start)}

    def distance(system: Mention, site: Mention) -> int:
        if system.char_end <= site.char_start:
            return site.char_start - system.char_end
        return system.char_start - site.char_end + (0 if inverted.get(system) is site else 500)  # after the site: weaker

    def flying_over(system: Mention, site: Mention) -> bool:
        """'shooting down Russian Kinzhal missiles over Kyiv': a munition over a place is not stationed there;
        nor is a drone where it came down ('a UJ-22 drone fell in a forest near the village of Rudnevo')."""
        if system.char_end <= site.char_start and CAME_DOWN.match(text, system.char_end, site.char_start):
            return True
        if _system_kind(system, catalog) not in lx.MUNITION_CATEGORIES:
            return False
        # 'ATACMS missiles hit the Dzhankoi airfield': what a munition strikes is its target
        return OVER.search(text, max(0, site.char_start - 10), site.char_start) is not None \
            or system.char_end <= site.char_start and STRUCK.search(text, system.char_end, site.char_start) is not None \
            or site.char_end <= system.char_start and STRUCK_BY.search(text, site.char_end, system.char_start) is not None

    besides = ALSO_AT.match(ctx.text)  # "Besides the NDMC on Frunzenskaya Embankment, a Pantsir was filmed ... in Teterinsky Lane"

    def placed_after(system: Mention, site: Mention) -> bool:
        """'Drones over Podolsk, a Pantsir over Istra': a place after the system, not one in an earlier phrase."""
        if besides and site.char_end <= ctx.start + besides.end():
            return False
        if system in inverted:
            return inverted[system] is not site
        return site.char_end <= system.char_start and "," in text[site.char_end:system.char_start] and any(
            other.char_start >= system.char_end and linked(system, other)
            for other in sites
        )  # not the same place named again ("Kyiv ... over the Ukrainian capital")

    # "Novorossiysk, where the fleet now stands after leaving Sevastopol, is covered by S-400s": not Sevastopol
    aside = [(m.char_end, found.end()) for m in sites if (found := protection[m])]
    pairs: list[tuple[Mention, Mention]] = []
    for site in sites:
        if any(start < site.char_start < end for start, end in aside):
            continue
        # "Kyiv, meanwhile, is protected by IRIS-T SLM systems ... over the Ukrainian capital": the systems after "by"
        # protect the place before it, whatever is named after them ("Moscow has ... its Don-2N radar at Sofrino" not)
        named_by_verb = protection[site] is not None and protection[site].group().lower().endswith("by")
        candidates = [m for m in systems if linked(m, site) and (named_by_verb or not placed_after(m, site))
                      and not flying_over(m, site)]
        if protected_by := protection[site]:  # every system after the verb: "protected by NASAMS and IRIS-T"
            candidates = [m for m in candidates if m.char_start >= protected_by.end()
                          and _system_kind(m, catalog) not in lx.MUNITION_CATEGORIES]  # not the missiles they intercepted
        elif len({m.entity_id for m in candidates}) > 1:
            nearest = min(candidates, key=lambda m: distance(m, site))
            listed = [nearest]  # the nearest and every system listed with it, in a chain ("X and Y, as well as Z")
            for m in sorted(candidates, key=lambda m: abs(m.char_start - nearest.char_start)):
                if m not in listed and any(_coordinated(m, other, text) for other in listed):
                    listed.append(m)
            candidates = listed
        # "inside the Zvenigorod S-400 position": the system the place names stands there too; "S-400 launchers
        # and the masts that carry their 92N6 radars near Dmitrov": so does the system whose part is placed
        candidates += [m for m in [*_named_by(site, systems, text), *_owners_of_parts(candidates, systems, text, catalog),
                                   *_guards_of(candidates, systems, text)] if m not in candidates]
        pairs += [(system, site) for system in candidates]
    # per system, keep the innermost place: 'NDMC on Frunzenskaya Embankment' -> NDMC
    by_system: dict[str, list[Mention]] = {}
    for system, site in pairs:
        by_system.setdefault(system.entity_id, []).append(site)
    keep = {(sid, m.entity_id) for sid, places in by_system.items() for m in _most_specific(places, catalog, text)}
    return [(system, site) for system, site in pairs if (system.entity_id, site.entity_id) in keep] + [
        (system, site) for system, places in where.items() for site in places if system in _launchers([system], catalog)
    ]  # "Odesa, where they guard the port against Shaheds": a weapon in the clause is aimed there


OVER = re.compile(r"\b(?:over|above)\s+(?:the\s+)?$", re.I)
_STRIKE_VERBS = r"hit|hits|struck|strikes?|striking|attacked|targeted|bombed|pounded|slammed\s+into"
STRUCK = re.compile(rf"\b(?:{_STRIKE_VERBS})\b", re.I)  # between a munition and a place: its target
STRUCK_BY = re.compile(rf"\b(?:was|were|been|being)\s+(?:{_STRIKE_VERBS})\s+(?:by|with)\b", re.I)  # "Millerovo ... was struck by a Tochka-U"
# "the Dzhankoi airfield ... was struck with ATACMS, hitting four S-400 launchers": a launcher hit where the strike hit
STRUCK_PLACE_BEFORE = re.compile(rf"\b(?:{_STRIKE_VERBS})\s+(?:the\s+)?$", re.I)
_OTHER_CLAUSE = re.compile(r",\s+and\s|;")  # "destroyed an S-400 near Olenivka ..., and Ukrainian forces struck the headquarters"
STRUCK_PLACE_AFTER = re.compile(
    r"(?:\s+(?:in|on|near|at)\s+[^,;.]{0,40}?)?\s+(?:was|were|has\s+been|had\s+been)\s+(?:struck|hit|attacked|bombed)\b", re.I
)
HIT_SYSTEM = re.compile(
    r"\b(?:hitting|hit|destroying|destroyed|damaging|damaged|wrecking|wrecked|striking|knocking\s+out|knocked\s+out)"
    r"\s+(?:[\w-]+\s+){0,3}$", re.I
)


def _struck_with(site: Mention, launchers: list[Mention], ctx: SentenceContext, text: str) -> bool:
    """Is the place what a strike hit, and a launcher of the sentence what it destroyed or damaged?"""
    struck = STRUCK_PLACE_BEFORE.search(text, max(ctx.start, site.char_start - 25), site.char_start) \
        or STRUCK_PLACE_AFTER.match(text, site.char_end)
    return struck is not None and any(HIT_SYSTEM.search(text, max(ctx.start, m.char_start - 40), m.char_start)
                                      and not _OTHER_CLAUSE.search(text, *sorted((m.char_end, site.char_end))) for m in launchers)


CAME_DOWN = re.compile(  # "UJ-22 Airborne drone crashed near", "a drone that was shot down over"
    r"\s+(?:[\w-]+\s+){0,3}?(?:(?:that|which)\s+)?(?:crashed|crash-landed|fell|came\s+down|exploded|"
    r"(?:was|were)\s+(?:shot\s+down|downed|intercepted))\b", re.I,
)
THEIR_PART = re.compile(r"\b(?:their|its)\s+(?:[\w-]+\s+)?$", re.I)


def _owners_of_parts(parts: list[Mention], systems: list[Mention], text: str, catalog: Catalog) -> list[Mention]:
    """The systems named before a part of theirs that the text calls theirs ('S-400 launchers ... their 92N6 radars')."""
    owners = []
    for part in parts:
        if not THEIR_PART.search(text, max(0, part.char_start - 30), part.char_start):
            continue
        family = _family(part, catalog)
        owners += [m for m in systems if m.char_end <= part.char_start and m.entity_id != part.entity_id
                   and family is not None and _family(m, catalog) == family]
    return owners


# "another S-400 battery, which, according to residents who photographed it, is covered by a Pantsir"
GUARDING_IT = re.compile(r"\b(?:covered|protected|guarded|defended|shielded)\s+by\s+(?:an?\s+|one\s+|two\s+|its\s+own\s+)?$", re.I)


def _guards_of(placed: list[Mention], systems: list[Mention], text: str) -> list[Mention]:
    """The systems that cover one placed before them in a clause about it: where it stands, they stand."""
    return [m for m in systems if m not in placed and GUARDING_IT.search(text, max(0, m.char_start - 40), m.char_start)
            and any(p.char_end <= m.char_start and not CLAUSE_BREAK.search(text, p.char_end, m.char_start) for p in placed)]


def _family(mention: Mention, catalog: Catalog) -> str | None:
    system = catalog.get("system", mention.entity_id)
    return system.system_family if system else None


# "<place>[, <appositive>], where <system> ...": the relative clause is about the place before it
WHERE_CLAUSE = re.compile(r"(?:,\s+[^,;]{1,60})?,?\s+where\s+[^;]{0,100}$", re.I)  # ", where" and the restrictive " where"
# "Belbek airfield near Sevastopol in mid-May, where ...", "Valdai, in the Novgorod region, where ...": the
# place and the places that locate it
PLACE_QUALIFIED = re.compile(  # "Losiny Ostrov National Park in the northeast of the city, where ..."
    r",?\s+(?:near|in|outside|at|on)\s+(?:the\s+)?(?:(?:north|south|east|west)[\w-]*(?:\s+(?:part|edge|outskirts))?\s+of\s+(?:the\s+)?)?"
    r"|,\s+", re.I)
PLACE_TRAILER = re.compile(r"\s+(?:in|on|during|since)\s+[\w\s-]{1,20}$", re.I)  # " in mid-May"


def _where_clauses(systems: list[Mention], ctx: SentenceContext, text: str, catalog: Catalog) -> dict[Mention, list[Mention]]:
    """The systems named in a 'where' clause, with the place the clause is about (innermost of the
    place before ', where' and the places that locate it), even a place that only measures a distance
    ('8 km from Novo-Ogaryovo, Putin's residence, where a Pantsir-S1 was filmed')."""
    if "where" not in ctx.text:
        return {}
    sites = sorted(ctx.of_type("site"), key=lambda m: m.char_start)
    found: dict[Mention, list[Mention]] = {}
    for system in systems:
        before = [m for m in sites if m.char_end <= system.char_start]
        if not before:
            continue
        head = before[-1]
        clause = WHERE_CLAUSE.search(text, head.char_end, system.char_start)
        if clause is None or clause.start() != head.char_end and not PLACE_TRAILER.fullmatch(text, head.char_end, clause.start()) \
                or CLAUSE_BREAK.search(text, clause.start() + 1, system.char_start):
            continue
        places = [head]
        for inner in reversed(before[:-1]):
            if not PLACE_QUALIFIED.fullmatch(text, inner.char_end, places[-1].char_start):
                break
            places.append(inner)
        found[system] = _most_specific(places, catalog, text)
    return found


# "... photographs of military vehicles parked above Kurortny Prospekt. The photographs show a Tor-M2",
# "... four launchers near Yazhelbitsy. Meduza could not confirm that the launchers belong to an S-400"
POINTS_BACK = re.compile(
    r"\b(?:the|these|those|this|that)\s+(?:[\w-]+\s+){0,2}?(?:photographs?|photos?|images?|videos?|footage|pictures?|"
    r"clips?|launchers?|vehicles?|trucks?|positions?|battery|batteries|towers?|platforms?|revetments?)\b|^\W*Each\b"  # "Each carries a Pantsir"
    r"|^\W*(?:It|This)\s+(?:is|was)\s+(?:a|an)\s"  # "The machine stands ... in Kapotnya. It is a Pantsir-S1"
    r"|^\W*Both(?:\s+of\s+them)?\s+(?!the\b|and\b)[a-z]",  # "Two more towers stand near Usovo. Both carried Pantsirs"
    re.I,
)


# "... S-400 regiments. Researchers have located their positions near Zvenigorod and Elektrostal",
# "... Pantsir-S1 systems have been hoisted onto roofs. One was placed on the Defence Ministry; another ..."
POINTS_BACK_TO_SYSTEMS = re.compile(  # ... "Le Monde was able to geolocate eleven of them"
    r"\b(?:their|its)\s+(?:[\w-]+\s+)?(?:positions?|launchers?|batter(?:y|ies)|radars?|sites?|towers?|regiments?)\b"
    r"|\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens|some|several|many|most)\s+of\s+them\b"
    r"|\b(?:showed|shows|spotted|photographed|filmed|saw|placed)\s+them\b"  # "Pictures ... showed them near Novo-Ogaryovo"
)
# "The first S-400 regiment went on combat duty near Elektrostal ... Today, about ten regiments ... around Moscow":
# the units a system was just named with, named again
_UNIT_AFTER = re.compile(rf"[\s-]+({'|'.join(lx.UNIT_NOUNS)})", re.I)
_COUNTED_UNITS = re.compile(  # "about ten regiments", "two more batteries", not "between that regiment and the city"
    rf"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|many|dozens\s+of)\s+(?:more\s+|other\s+)?"
    rf"({'|'.join(lx.UNIT_NOUNS)})", re.I)
# "A second cluster of such towers stands close to ... Novo-Ogaryovo": more of the kind just placed
OF_THE_SAME_KIND = re.compile(  # ... "A further tower has been photographed near Dolgiye Borody", "found three more around",
    # "three similar structures within a few kilometers of Novo-Ogaryovo"
    r"\b(?:such|another|a\s+further|one\s+more|similar|comparable)\s+(?:[\w-]+\s+)?"
    r"(?:towers?|batter(?:y|ies)|systems?|launchers?|units?|complex(?:es)?|structures?|platforms?)\b"
    r"|\b(?:found|counted|located|geolocated|spotted)\s+(?:\d+|two|three|four|five|six|several|dozens)\s+more\b",
    re.I,
)
ALSO_AT = re.compile(r"\W*(?:Besides|Apart\s+from|As\s+well\s+as|In\s+addition\s+to|Alongside)\b[^,;]{0,120},")
# "One stands in a field outside Zvenigorod", "Another reportedly overlooks ...", "Others have since been
# re-equipped at ...", "The second is in a cleared strip ...": a sentence that opens on one of the units named
ONE_OF_THEM = (r"(?:another|others|one(?:\s+(?:more|battery|system|launcher|unit|tower|complex))?|both|they|"
               r"(?:the|a)\s+(?:first|second|third|other|latter))")  # "One battery remains near the city's airport"
OPENS_ON_ONE_OF_THEM = re.compile(
    rf"(?:(?:^|[:;]\s+)\W*(?:(?i:according\s+to)\s+[^,;]{{1,60}},\s+)?"  # "According to the BBC, one was lifted ..."
    rf"(?:(?:In|On|By|Since|Later|Earlier)\s+(?:[\w-]+\s+){{1,3}}?(?:\d{{4}}|\w+day|week|month|year)\b,?\s+)?"  # "In January 2023 one was placed"
    rf"(?i:{ONE_OF_THEM}|two|three|some|several|most)"  # also a clause after a colon ("...: one stands near")
    r"(?:\s+(?:of\s+them\s+)?(?:\w+ly\s+)?(?:was|were|is|are|has|have|had|stands?|stood|sits?|sat|appeared|lies|lay|"
    r"remains?|remained|followed|went|occupies|overlooks?|overlooked|guards?|guarded|covers?|covered|rings?|ringed|surround(?:s|ed)?)"
    r"|,\s+\w+ed)\b)"  # "Another, lifted", "Others ring the president's residence"
    r"|[:;]\s+(?i:one|two)\s+(?:near|outside|beside|at|in|on)\s"  # "they put up towers: one near the water station"
    r"|\b(?:show|shows|showed|shown|showing)\s+(?:one|another|two|three)\s+(?:near|outside|beside|at|in|on|above)\s"
)  # "A photograph purported to show one on an office block next to the White House"


# "By matching the rooftops, ... we traced the roof to a five-storey building on Teterinsky Lane"
TRACED_TO = re.compile(r"\b(?:traced|geolocated|pinpointed)\b[^.;]{0,60}?\bto\b")
SHOT_DOWN = re.compile(r"\b(?:shot|brought|taken)\s+down\b|\bintercepted\b", re.I)


def carried_systems(earlier: list[Mention], sentence: str, placed: bool, text: str) -> list[Mention]:
    """The systems a sentence that names places but no system inherits from a sentence just before that
    named systems: when it opens on one of them ('One was ...', 'Another ...'), speaks of more of their
    kind ('such towers') or counts the units they were named in ('S-400 regiment' ... 'ten regiments'), or,
    when that sentence placed them nowhere below a city, when it points back at them ('their positions')."""
    if SHOT_DOWN.search(sentence):  # "Others were brought down near the Rublyovka area": more of what flew, not the launchers
        return []
    systems = [m for m in earlier if m.entity_type == "system"]
    units = {unit.group(1).lower() for m in systems if (unit := _UNIT_AFTER.match(text, m.char_end))}
    counted = {unit.group(1).lower() for unit in _COUNTED_UNITS.finditer(sentence)} if units else set()
    if OPENS_ON_ONE_OF_THEM.search(sentence) or OF_THE_SAME_KIND.search(sentence) or units & counted \
            or (not placed and (POINTS_BACK_TO_SYSTEMS.search(sentence) or TRACED_TO.search(sentence))):
        return systems
    return []


# "were damaged there", "There, a Pantsir ...": the place just named, not "there is" or "there were"
# "one that is not protecting a refinery in Ryazan or an airfield in Crimea": where a system is said not to be
NOT_THERE = re.compile(
    r"(?:\b(?:not|cannot|never|no\s+longer)|n['’]t)\s+(?:\w+\s+)?(?:protect|guard|defend|cover|station|deploy)\w*\b[^.;,]*$", re.I
)
LOCATIVE_THERE = re.compile(
    r"\bthere\b(?!\s+(?:is|are|was|were|has|have|had|will|would|may|might|could|must|seems?|seemed|appears?|appeared)\b)",
    re.I,
)


LIST_ITEM = re.compile(r"^\s*(?:[-–•*]|\(?\d{1,3}[.)])\s")


def _heads_a_list(sentence: str) -> bool:
    return sentence.rstrip().endswith(":")


def list_heading_systems(systems: list[Mention], sentence: str, heading: list[Mention]) -> list[Mention]:
    """The systems the items of a list inherit: a line that ends with a colon and names systems heads a
    list ('- 4 96K6 Pantsir-S1 (SA-22 Greyhound):'); its items ('- (1, destroyed) near Skadovsk') follow
    until a line that is no item."""
    if _heads_a_list(sentence) and systems:
        return systems
    return heading if LIST_ITEM.match(sentence) else []


def list_heading_places(sites: list[Mention], sentence: str, heading: list[Mention], catalog: Catalog) -> list[Mention]:
    """The places the items of a list stand at when they name none: those of a heading that names systems
    and places ('Today Kyiv is covered by several Patriot batteries, along with:' '- IRIS-T SLM launchers ...')."""
    if _heads_a_list(sentence):
        return placeable(sites, catalog)
    return heading if LIST_ITEM.match(sentence) else []


def heading_applies(heading: list[Mention], named: list[Mention], sentence: str) -> list[Mention]:
    """An item that names a system of its heading ('- (1, Buk-M2 TELAR, destroyed)' under 'Buk-M2 / Buk-M3')
    is about that one; one that names none of them, or only a part ('92N6E radar'), is about the heading's;
    the heading line itself is about nothing it heads."""
    ids = {m.entity_id for m in heading}
    return [] if _heads_a_list(sentence) or any(m.entity_id in ids for m in named) else heading


# "3/ SITE 1: Losiny Ostrov (Elk Island) national park, NE Moscow.": a section of a geolocation thread about one place
SECTION_HEADING = re.compile(r"^\W*(?:\d{1,3}/\s*)?(?:SITE|Site|LOCATION|Location|POSITION|Position)\s*(?:\d{1,3}|[A-Z])?\s*:\s*")
# "10/ Downtown.", "Dzhankoi.", "What it adds up to": a new part of the text, about the place it names if any; so is a
# list item's place with its coordinates ("Teterinsky per., Taganka (≈55.744, 37.650).")
PART_HEADING = re.compile(r"^\W*(?:\d{1,3}/\s*)?(?:\w+(?:\s+\w+)?[.:]?|(?:[\w'’-]+\s+){0,5}[\w'’-]+)\s*$")
PLACE_WITH_COORDINATES = re.compile(r"^\W*(?:[\w'’.-]+,?\s+){0,5}[\w'’-]+\.?\s*\([^()\n]{1,40}\)[.:]?\s*$")


def section_place(
    named: list[Mention], text: str, start: int, end: int, section: list[Mention], catalog: Catalog
) -> list[Mention]:
    """The place the current section of a thread or an analysis is about: the first place below a city its
    heading names ("3/ SITE 1: Losiny Ostrov ...", a line or list item opening on "Dzhankoi." or "Teterinsky
    per., Taganka (≈55.744, 37.650)."), kept until the next heading; none after a heading that names none
    ("10/ Downtown."), a system ("What the Pantsir is", "- Pantsir-S1 inside the Zvenigorod S-400 position") or
    several places ("Chornomorske, Feodosia, and Saky."), or after a short sentence that names nothing
    ("Confirmed."). Other short sentences inside a paragraph are no headings ("Departures from Sheremetevo were
    not affected.", "The second rooftop Pantsir.")."""
    sentence, sites = text[start:end], [m for m in named if m.entity_type == "site"]
    if heading := SECTION_HEADING.match(sentence):
        return specific_places([m for m in sites if m.char_start >= start + heading.end()], catalog)[:1]
    if not PART_HEADING.match(sentence) and not ("(" in sentence and PLACE_WITH_COORDINATES.match(sentence)):
        return section
    if LIST_ITEM_OPENING.fullmatch(text, text.rfind("\n", 0, start) + 1, start) is None:
        return [] if not named else section
    places = specific_places(sites, catalog) if not any(m.entity_type == "system" for m in named) else []
    return places[:1] if len(places) <= 2 else []


LIST_ITEM_OPENING = re.compile(r"[ \t]*(?:[-*•]|\d{1,3}[.)])?[ \t]*")  # what may come before a heading on its line


def _loss_after_strike(previous: str, sentence: str) -> bool:
    """'The first hit came ... near Olenivka on Cape Tarkhankut. HUR said an S-400 had been destroyed':
    a strike named with its place and no system, then what it destroyed."""
    return "loss" in sentence_cues(sentence) and "strike" in sentence_cues(previous)


def carried_site(previous: SentenceContext, sentence: str, text: str, catalog: Catalog, adjacent: bool = True) -> list[Mention]:
    """The place a sentence that names a system but no place inherits from an earlier one (the sentence
    before, unless `adjacent` is False: the last one that named a place, with only unnamed things between):
    when it stands beside what the sentence before placed ('stationed next to the battery'), where that was;
    when it points back at what that one showed ('The vehicle is a Pantsir-S1', 'on top of it') and that one
    placed no launcher, or, next to it, says what a strike that one placed destroyed (and that one named no
    system), the last specific place (not a country, region or city) where that sentence located something;
    when it says "there", the last specific place the sentence before named; when it says what protects "it",
    the first place the sentence before named (its subject)."""
    if adjacent and IT_IS_PROTECTED.match(sentence):  # "Belbek, which lies ... It is protected by an S-400 battery"
        return placeable(previous.mentions, catalog)[:1]
    if adjacent and LOCATIVE_THERE.search(sentence):  # "The position north of Sergiev Posad ... An S-400 stood there"
        located = [m for m in deployment_sites(previous, text, catalog) if _site_kind(m, catalog) != "region"]
    elif adjacent and _launchers(previous.of_type("system"), catalog) and BESIDE_THE_PLACED.search(sentence):
        located = [m for m in deployment_sites(previous, text, catalog) if _site_kind(m, catalog) != "region"]
    elif not _launchers(previous.of_type("system"), catalog) and (POINTS_BACK.search(sentence, 0, 80) or ON_WHAT_WAS_SHOWN.search(sentence)) \
            or not previous.of_type("system") and adjacent and _loss_after_strike(previous.text, sentence):
        located = [m for m in deployment_sites(previous, text, catalog) if _site_kind(m, catalog) not in ("region", "city")]
    else:
        return []
    innermost = _most_specific(located, catalog, text)
    if ON_EACH_OF_THEM.search(sentence):  # "another tower near Dolgoprudny, and one more next to the refinery"
        return innermost
    return [max(innermost, key=lambda m: m.char_start)] if innermost else []


# "It is protected by an S-400 battery": what the sentence before is about
IT_IS_PROTECTED = re.compile(
    r"\W*It\s+(?:is|was|has\s+been|had\s+been|remains)\s+(?:\w+ly\s+)?(?:protected|defended|guarded|covered|shielded)\s+by\b"
)


# "The S-400 battery near Yevpatoria was moved ... A Pantsir-S1 had been stationed next to the battery"
BESIDE_THE_PLACED = re.compile(  # not "based close to the Don-2N radar": a system named here is no earlier one
    r"\b(?i:next\s+to|beside|alongside|close\s+to|near)\s+(?i:the|that|this|these|those)\s+(?:[a-z][\w-]*\s+)?"
    r"(?i:battery|batteries|launchers?|systems?|radars?|positions?|complex)\b"
)


# "... a platform near Razdory. A Pantsir-S1 stands on top of it", "A Pantsir was installed on each of them"
ON_THEM = r"\bon\s+(?:top\s+of\s+)?(?:them|each\s+of\s+them|both(?:\s+of\s+them)?"
ON_WHAT_WAS_SHOWN = re.compile(
    ON_THEM + r"|it|(?:its|the)\s+(?:top\s+|upper\s+)?(?:roof|platform))\b", re.I,  # "a Pantsir sits on its upper platform"
)
ON_EACH_OF_THEM = re.compile(ON_THEM + r")\b", re.I)


# "When NATO leaders gathered in Washington last week, ...": a subordinate clause that sets the scene
OPENING_CLAUSE = re.compile(
    r"\W*(?:[A-Z][A-Z .,]+(?:\([\w .]+\))?\s*[—–-]+\s*)?"  # after a dateline ("WASHINGTON — When ...")
    r"(?:When|After|While|Before|Once|Although|Though|As\s+soon\s+as)\b[^,;:]{0,120},"
)
CLAUSE_SPLIT = re.compile(r",\s+(?:and|but|while|whereas)\b|;")  # where a new clause may begin
PROTECTED_BY = re.compile(  # "Kyiv, which in May endured a barrage ..., is defended by American Patriot batteries"
    # "Dnipro, a logistics hub for the front, still relies on", "Kyiv, meanwhile, is protected by"
    r"(?:,\s+(?:which|where)\b[^;]{0,160}?,|,\s+an?\s[^,;]{1,60},|,\s+(?:meanwhile|however|too|also|in\s+turn),)?\s+"
    r"(?:(?:is|are|was|were|has\s+been|have\s+been|had\s+been|will\s+be)\s+(?:\w+ly\s+|now\s+|also\s+)?"
    r"(?:protected|guarded|defended|covered|shielded|ringed)\s+by"
    r"|(?:still\s+|now\s+)?(?:relies|relied|depends|depended)\s+(?:\w+ly\s+)?on"
    r"|(?:still\s+|now\s+|also\s+)?(?:has|have|had)(?:\s+had)?(?=\s+(?:a|an|its\s+own|two|three|four|several|\d+)\s))\b",  # "Kyiv has had a Patriot"
    re.I,
)
# "towers now stand near Zhukovka, ...; beside the water plant, ...; and near Ilyinskoye": each part after a
# semicolon goes on listing where
NEXT_PLACE_LISTED = re.compile(
    r";\s+(?:and\s+|or\s+)?(?:also\s+)?(?:near|beside|outside|around|at|in|on|by|next\s+to|close\s+to|above|behind)\s", re.I
)


def _places_listed(text: str, start: int, end: int) -> bool:
    """Every clause break from start to end is a semicolon that goes on listing places."""
    return all(NEXT_PLACE_LISTED.match(text, b.start()) for b in CLAUSE_BREAK.finditer(text, start, end))


# a clause that opens on one of the units, counts them ("..., and we know of at least four, near Usovo") or
# places "it" ("...; Ukrainian media reported that it was deployed near Lviv")
ANOTHER_OF_THEM = re.compile(
    rf"\s*(?:{ONE_OF_THEM}\b|(?:\w+\s+){{0,2}}?(?:know\s+of|counted|count|found|identified|located|geolocated|spotted)\s+"
    r"(?:at\s+least\s+|some\s+|about\s+|around\s+)?(?:\d+|two|three|four|five|six|seven|eight|nine|ten|a\s+dozen)\b"
    r"|[^;.]{0,60}?\b(?:it|they)\s+(?:was|were|is|are|had\s+been|has\s+been|have\s+been)\s+(?:\w+ly\s+)?"
    r"(?:deployed|stationed|moved|placed|positioned|installed|based|set\s+up)\b)",
    re.I,
)
CLAUSE_BREAK = re.compile(
    r",\s+(?:as(?!\s+well\s+as)|while|whereas|although|though|but|amid|because)\b|;"
    r"|,\s+and\s+[a-z]+ed\s+(?:a|an|the|to|by|on|in|at|into|from|that|it|its|their|his|her)\b"  # ", and posted a clip"
    r"|,\s+and\s+(?:it|they|he|she|we)\s",  # ", and it has not committed the S-500 to the peninsula"
    re.I,
)
WHILE_CLAUSE = re.compile(r"(?<!,)\s(?:while|whereas)\s+(?!\w+ing\b)", re.I)
TIME_CLAUSE = re.compile(r",\s+(?:(?:hours|days|weeks|months|minutes|shortly|soon|just|a\s+day|a\s+week)\s+)?(?:after|before)\s", re.I)
COORDINATED = re.compile(  # "S-300PM2 Favorit long-range air defense missile systems, as well as Pantsir-S"
    r"(?:\s+(?:[\w-]+\s+){0,5}?(?:systems?|missiles?|launchers?|batter(?:y|ies)|complex(?:es)?|units?|radars?|vehicles?))?"
    r"(?:\s*/\s*|\s*,\s*(?:and\s+|as\s+well\s+as\s+)?|\s+(?:and|or|as\s+well\s+as)\s+)"  # "an S-300/S-400 battery"
    r"(?:what\s+(?:appears|seems|looks)\s+(?:to\s+be|like)\s+)?"  # "a Pantsir and what appears to be a Tor-M2"
    r"(?:(?:elements\s+of\s+)?(?:an?|the|two|three|several)\s+(?:newer\s+|older\s+|upgraded\s+|modernised\s+|modernized\s+)?"
    r"(?:[A-Za-z]+-(?:provided|supplied|made|built|donated)\s+)?)?$",  # "the US-provided Patriot and the German-provided IRIS-T\"
    re.I,
)


def _a_structure(site: Mention) -> bool:
    """'The tower carries a Pantsir-S1': a structure, standing for its place, holds what it carries."""
    return site.method == "coref" and site.surface.split()[-1].lower().rstrip("s") in lx.STRUCTURE_NOUNS


def _named_by(site: Mention, systems: list[Mention], text: str) -> list[Mention]:
    """'the Zvenigorod S-400 regiment': a place right before a system names where it stands."""
    return [system for system in systems if system.char_start >= site.char_end and not text[site.char_end:system.char_start].strip()]


def _launchers(systems: list[Mention], catalog: Catalog) -> list[Mention]:
    """The systems that stand somewhere: not munitions, not aircraft."""
    return [m for m in systems if _system_kind(m, catalog) not in lx.AIRCRAFT_CATEGORIES | lx.MUNITION_CATEGORIES]


def _actors_home(actor: Mention, site: Mention, text: str, catalog: Catalog) -> bool:
    """'Sigrid Halvorsen of the Nordvik Institute in Oslo': where the actor is, not where a system stands; but a
    unit's base is where its launchers are ('The 606th Regiment, based in Elektrostal')."""
    home = lx.ACTOR_HOME.fullmatch(text, actor.char_end, site.char_start)
    if home is None:
        return False
    unit = catalog.get("actor", actor.entity_id)
    return not (unit and unit.kind in ("military_unit", "armed_forces") and "based" in home.group())


def _system_kind(mention: Mention, catalog: Catalog) -> str | None:
    system = catalog.get("system", mention.entity_id)
    return system.kind if system else None
