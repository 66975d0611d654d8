"""Cue words and patterns the extractor reads context with. Data, kept in one place."""

from __future__ import annotations

import re

from flows.names import normalise_name


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalised words that start sentences or titles but never name an entity on their own.
COMMON_CAPITALISED = words(
    """the a an and or but if so as at in on of to by for from with without into onto over under after before
    since until while when where which who whom whose what why how this that these those there here then than
    it its it's he she they we you i his her their our my your one two three four five six seven eight nine ten
    another other some many most much more several each every all any no not none both either neither such
    according also however meanwhile moreover still yet though although because despite during amid among
    inside outside within beyond behind across around near
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december today yesterday tomorrow last next first second third new old
    russian russians ukrainian ukrainians american british german french western eastern northern southern
    soviet european nato-made pro-russian pro-kremlin pro-ukrainian kremlin-backed
    president minister ministry defence defense spokesman spokesperson spokeswoman governor mayor general
    colonel commander chief head deputy official officials analyst analysts expert experts security
    air force forces army navy military armed federal state national regional city district village region
    oblast krai republic province street lane avenue square park embankment river lake sea island bridge
    airport airbase base station centre center building tower towers house palace residence office
    telegram channel twitter video videos photo photos image images footage report reports reported
    mr mrs ms dr sir lord embed updates update read more share photo credit source sources original url
    says said claims
    breaking exclusive live opinion analysis editor editors note notes watch listen
    missile missiles system systems drone drones rocket rockets strike strikes attack attacks war invasion
    operation special counter-offensive counteroffensive offensive battle front frontline
    god yes okay ok hence so-called figure fig figures table chart appendix graphic planet
    sentinel-1 sentinel-2 landsat worldview pleiades pléiades skysat planetscope""".replace("\n", " ")
)

COMMON_KEYS = frozenset(normalise_name(w) for w in COMMON_CAPITALISED)

REPORTING_VERBS = words(
    """said says say told tells wrote writes write tweeted posted posts added adds noted notes claimed claims
    claim stated states announced announces reported reports report acknowledged acknowledges confirmed confirms
    denied denies warned warns explained explains argued argues insisted insists suggested suggests alleged
    alleges showed shows shown revealed reveals published publishes shared shares commented comments believes
    believe thinks think asserted asserts told spoke speaks conceded concedes admitted admits observed observes
    repeated repeats recalled recalls stressed stresses emphasised emphasises emphasized emphasizes demanded
    demands""".replace("\n", " ")
)

# Unnamed sources: "a senior Ukrainian military official said", "a source in the SBU told", "the official said"
SOURCE_HEADS = words("official source officer diplomat")
# said of a source, never part of its name ("A second Western official, who also asked not to be named")
SOURCE_RANKS = words("senior high-ranking top serving local second third another")
SOURCE_MODIFIERS = SOURCE_RANKS | words(
    "former retired military defence defense intelligence security government administration air naval army regional "
    "federal presidential western european foreign emergency services police navy rescue medical industry "
    "law-enforcement diplomatic reserve"
)
SOURCE_INSTITUTION_WORDS = words(
    "of and the military army armed forces government security service services air defence defense district ministry "
    "intelligence regional presidential federal administration command emergency navy police fleet border guard rescue"
)
# what tells that an unnamed person is speaking: '..., who asked not to be named, said', 'speaking on condition of anonymity'
ANONYMITY_CUES = ("anonymity", "not to be named", "not be named", "declined to be named", "not to be identified",
                  "declined to give", "agreed to speak", "not authorized", "not authorised")

PLACE_PREPOSITIONS = words("in at near from of to outside inside around over")
PERSON_ROLES = words(
    """spokesperson spokesman spokeswoman minister governor mayor analyst expert commander general colonel
    journalist blogger correspondent president chairman chairwoman director head chief deputy official
    researcher photographer editor reporter lieutenant captain major admiral senator lawmaker ambassador
    secretary adviser advisor aide professor fellow pilot founder mp commentator economist historian
    investigator volunteer officer soldier serviceman veteran resident witness eyewitness user man woman
    pensioner retiree driver worker student teacher mother father owner farmer fisherman engineer
    administration head prosecutor navigator operator gunner sniper medic scholar specialist lecturer guard neighbour
    neighbor local lawyer attorney activist doctor nurse priest architect manager shopkeeper landlord tenant
    scientist sociologist psychologist hairdresser cashier waiter waitress cleaner caretaker doorman concierge baker
    builder welder electrician plumber mechanic carpenter florist saleswoman salesman vendor accountant programmer
    designer entrepreneur businessman businesswoman housewife grandmother grandfather""".replace("\n", " ")
)
# Words that may stand before a person's name as a title ("Senior Lieutenant", "Prosecutor", "Minister").
PERSON_TITLES = PERSON_ROLES | words("senior junior acting sergeant corporal private marshal judge dr mr mrs ms prof sir dame")

LOCATIVE_PREPOSITIONS = words(
    "in at near around outside inside from into onto over above beside behind across toward towards within "
    "to of on off by past along"
)
# After these, "the Kremlin" is the place; after the actor cues it is the institution.
PLACE_ONLY_PREPOSITIONS = words(
    "in at near around outside inside into onto over above beside behind across toward towards within off past "
    "along walls wall tower towers grounds"
)
# "the village of Rudnevo", "east of Razumnoye": an unknown name after "of" is a place only after these
PLACE_BEFORE_OF = words("village town settlement hamlet north south east west northeast northwest southeast southwest outskirts")
# "published in Forbes": an unknown name after "in" is no place after these
PUBLISHED_IN = words("published reported wrote written writing article interview piece op-ed column quoted posted appeared said told")
PLACE_FOLLOWERS = words("walls wall tower towers grounds territory premises palace complex building buildings gates")
ACTOR_FOLLOWERS = words(
    """said says has have had is was were refused declines declined denied denies appears appeared seems seemed
    spokesman spokesperson spokeswoman press official officials aide aides insiders sources claimed claims
    announced warned responded responds confirmed confirms would will wants wanted did does insisted
    accused accuses ordered orders believes believed blamed blames""".replace("\n", " ")
)
# After a capital's name, these verbs make it the state acting ("Moscow denies", "Kyiv pressed").
STATE_VERBS = words(
    """says said claims claimed denies denied accused accuses accusing blamed blames pressed presses insists
    insisted responded responds warned warns announced announces refused refuses wants wanted demanded demands
    threatened threatens retaliated launched fired stepped considers considered regards regarded rejected
    rejects dismissed dismisses commented comment confirmed confirms reported delivered delivers sent sends
    supplied supplies pledged pledges promised promises donated donates provided provides approved approves
    eased eases lifted lifts allowed allows imposed imposes agreed agrees decided decides included includes
    acknowledged acknowledges authorised authorized authorises authorizes signed signs billed bills touted touts
    used uses struck targeted destroyed attacked sought seeks received receives""".replace("\n", " ")
)
ACTOR_PRECEDERS = words("pro anti according depending by told asked urged accused blamed criticised criticized")

SYSTEM_CUE = re.compile(
    r"\b(?:missiles?|systems?|complex(?:es)?|launchers?|batter(?:y|ies)|drones?|UAVs?|air[- ]?defen[cs]es?|"
    r"SAMs?|interceptors?|rockets?|munitions?|warheads?|fired|launch(?:ed|es)?|shot\s+down|intercept\w*|"
    r"radars?|anti-aircraft|surface-to-air|cruise|ballistic|hypersonic|loitering|kamikaze|jets?|aircraft|"
    r"bombers?|fighters?|helicopters?|units?|variant|version|guns?|crews?)\b",
    re.I,
)
ACTOR_CUE = re.compile(
    r"\b(?:reported|reports?|said|says|told|wrote|posted|according\s+to|channel|website|blog|outlet|published|"
    r"shared|tweeted|claimed|claims|cited|citing|analysis|analysts?|account|newspaper|agency|quoted|declined|"
    r"denied|confirmed|comment(?:ed)?|statement|spokes(?:man|woman|person)|announced|warned|quote\s+from|"
    r"firm|company|maker|manufacturer|spoke\s+to|speaking\s+to|interview(?:ed)?|verif(?:y|ied)|group|stated|noted|"
    r"complained|argued|(?:mil)?bloggers?)\b"
    r"|^\s*\d{1,2}[:.]\d{2}\s*[—–|•·-]",  # a digest's "00:48 — Baza": who posted next
    re.I,
)
SITE_CUE = re.compile(
    r"\b(?:air\s*base|airbase|airfield|airport|city|town|village|region|oblast|district|in|at|near|outside|"
    r"around|from|over|next\s+to|beside|close\s+to|(?:north|south|east|west)\w*\s+of|lies|located|guard(?:s|ing|ed)?|"
    r"protect(?:s|ing|ed)?|defend(?:s|ing|ed)?)\b",
    re.I,
)

# A definite noun phrase that points back at a system already named: "the same powerful system", "its
# main radar" (a part points back through "its" or "their" only), "one of them", "It stands inside ...".
SYSTEM_ANAPHOR = re.compile(
    r"\b(?P<det>(?i:the|this|that|these|those|such|another|a\s+second|a\s+third|a\s+new|a\s+sister|a\s+similar|one\s+more|"
    r"at\s+least\s+one|its|their))\s+"
    r"(?P<mods>(?:same\s+)?(?:(?!(?:is|are|was|were|has|have|had|been|received|that|which|who)\s)(?:[a-z]+-)*[a-z]+\s+){0,4}?)"  # not "those
    # positions have received extra launchers", "the mast that carried the battery's radar"
    r"(?P<noun>systems?|complex(?:es)?|units?|launchers?|batter(?:y|ies)|battalions?|regiments?|installations?|radars?|vehicles?|"
    r"guns?|one)\b"
    r"|\b(?P<one>[Oo]ne\s+(?:of\s+(?:them|these|those)|such))\b"
)
# "It stands inside the naval base at Kronstadt", "Since the spring of 2023 it has stood on a concrete platform":
# run only over sentences with one of IT_ANAPHORS
IT_ANAPHOR = re.compile(
    r"\b(?P<one>It|(?<=\d )it|(?<=, )it|(?<=that )it)(?=\s+(?:stands|stood|sits|sat|ha[sd]\s+(?:stood|sat)|(?:is|was|has\s+been)\s+(?:now\s+)?"
    r"(?:located|stationed|deployed|positioned|placed|mounted|installed|parked|hidden|visible|protecting|guarding|defending|covering)"
    r"|(?:has\s+|had\s+)?(?:guard|protect|defend|cover)(?:s|ed)?)\b)"  # "It has guarded the airspace over Washington"
)
# one is in every SYSTEM_ANAPHOR (searched in lowercased text), or one of IT_ANAPHORS (as written)
ANAPHOR_NOUNS = ("system", "complex", "unit", "launcher", "batter", "battalion", "regiment", "installation", "radar", "vehicle", "gun",
                 "one of", "one such", " one ")
IT_ANAPHORS = ("It stands", "It stood", "It sits", "It sat", "It is ", "It was ", "It has ", "It had ", "It guard", "It protect",
               "It defend", "It cover", " it stands", " it stood", " it has stood", " it had stood", " it is ", " it was ",
               " it has ", "that it ")
UNIT_NOUNS = ("batter", "battalion", "regiment", "brigade")  # what a system is organised in: "the battery" is its system
PART_NOUNS = ("radar",)  # only after "its" or "their": "the search radar" is any radar
# Ambiguous system names that, in an article about weapons, mean nothing but the weapon (not "Neva" the river,
# "Berkut" the police unit, "Mistral" the ship; family names such as "Buk" or "Tor" stay out: a variant named nearby is usually what they mean)
WEAPON_ONLY_NAMES = frozenset({"patriot", "gepard", "stinger", "verba", "hawk", "piorun", "triumf", "favorit", "grom"})
ONE_DETERMINERS = ("another", "a second", "a third", "one more")  # "a second one turned up atop ..."
ORDINALS = ("first", "second", "third", "latest", "newest")  # "The first one was on the roof of the Defence Ministry"
NEAR_NOUNS = ("vehicle",)  # "the vehicle" is the system only in the sentence after it is named
GUN_NOUNS = ("gun",)  # "the guns" are an anti-aircraft gun named before (Gepard, Skynex), not any system
AIR_DEFENCE_WORDS = re.compile(r"air[- ]?defen[cs]e|anti-aircraft|surface-to-air|anti-air|SAM|missile defen[cs]e", re.I)
MUNITION_CATEGORIES = frozenset({
    "cruise_missile", "ballistic_missile", "hypersonic_missile", "anti_ship_missile", "air_to_surface_missile",
    "air_to_air_missile", "interceptor_missile", "guided_bomb", "loitering_munition", "naval_drone",
})
AIRCRAFT_CATEGORIES = frozenset({"combat_aircraft", "bomber", "transport_aircraft", "helicopter"})
AIR_DEFENCE_CATEGORIES = frozenset({"sam_system", "anti_aircraft_gun", "manpads", "radar", "interceptor_missile"})
NON_ANAPHOR_MODIFIERS = words("political economic legal judicial financial education school health solar palace residential "
                              "housing sports office hotel memorial industrial military-industrial warehouse")  # "the palace complex"

# Site kinds too broad to place a system at ("sent to Ukraine", "in Europe", "over the Black Sea"), and those
# that are not below a city.
AREA_KINDS = frozenset({"continent", "country", "sea"})
UNREPORTED_KINDS = frozenset({"continent"})  # catalog places found (so no other name takes them) but not reported
# "just inside the MKAD", "outside the Garden Ring": a ring road named as a boundary places nothing on it
# ("near the MKAD" does)
_ACROSS_A_BOUNDARY = re.compile(r"\b(?:inside|outside|within|beyond)\s+(?:the\s+)?$", re.I)


def only_bounds(kind: str | None, text: str, start: int) -> bool:
    """A ring road named as the boundary of an area, not as a place."""
    return kind == "ring_road" and _ACROSS_A_BOUNDARY.search(text, max(0, start - 20), start) is not None
BROAD_KINDS = AREA_KINDS | {"region", "city"}

# "Sigrid Halvorsen of the Nordvik Institute in Oslo", "says Gleb Tsvetkov, who now lives in Tbilisi"
ACTOR_HOME = re.compile(
    r"\s+in\s+|,\s+|,\s+(?:headquartered|based)\s+in\s+|,\s+(?:who|which)\s+(?:\w+\s+){0,2}?(?:lives?|lived|works?|worked|is\s+based|was\s+based|teaches|studies)\s+in\s+"
    r"|,\s+an?\s+(?:[\w-]+\s+){0,3}?(?:think[- ]tank|institute|university|firm|company|consultancy|foundation|organi[sz]ation|"
    r"charity|newspaper|broadcaster|agency)\s+(?:based\s+)?in\s+"  # "the Royal United Services Institute, a think-tank in London"
)

# A distance from a landmark names a reference point, not where the system stands.
DISTANCE_WORDS = ("mile", "kilomet", "km", "metre", "meter", "yard", "walk", "drive", "north", "south", "east", "west", "halfway")  # one is in every DISTANCE_REFERENCE
DISTANCE_REFERENCE = re.compile(
    r"(?:(?:\b|\d)(?:miles?|kilomet(?:er|re)s?|km|metres?|meters?|yards?|walk|drive)\b[^.;:]{0,25}?\s+(?:from|of|away\s+from)"
    r"|\b(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|south-east|"
    r"south-west)(?:wards?)?\s+(?:of|from)|\bhalfway\s+(?:to|between))\s+(?:\w+\s+){0,5}$",  # "on Lake Valdai, halfway to
    # St. Petersburg", "Tverskaya Street, the broad avenue that runs northwest from the Kremlin"
    re.I,
)

DESIGNATION_PREFIXES = (
    "S|Kh|KH|Х|X|R|P|9K|9M|9P|3M|5V|48N6|KN|Tu|Su|MiG|Mi|Ka|Il|Yak|An|Be|MIM|AIM|AGM|RIM|FIM|MGM|SM|PAC|UJ|FP|BM|"
    "TOS|Tor|Buk|Pantsir|Iskander|Shahed|Geran|Kalibr|Oniks|Hwasong|Fateh|Zolfaghar|Mohajer|Orlan|Lancet|Strela|"
    "Igla|Osa|Krasukha|Zala|ZALA|Eleron|Forpost|Orion|Neptune|Vilkha|Hrim|Grim|Sapsan|Lyutyi|Liutyi|Bober|Morok"
)
# Not inside a longer word: the caller checks the character before a match (a lookbehind here would stop
# the regex engine from skipping ahead to a prefix's first letter: four times slower).
DESIGNATION = re.compile(
    rf"(?:{DESIGNATION_PREFIXES})-(?:[A-Z]{{0,3}}\d{{1,4}}[A-Za-z]{{0,4}}\d?|[A-Z]{{1,3}}\d?)"
    rf"(?:-\d{{1,2}}[A-Z]?|-[A-Z]{{1,4}}\d?)?(?![\w-])"
)


# Claim cues, by category: single words, stems ending in '*', and phrases of several words.
CLAIM_CUES: dict[str, tuple[str, ...]] = {
    "deployment": (
        "deploy*", "install*", "placed", "placing", "position*", "station*", "spotted", "sighting", "sightings",
        "seen", "appear*", "emerg*", "erect*", "perched", "lift*", "hoist*", "mounted", "presence", "located",
        "rooftop", "rooftops", "roof", "roofs", "arriv*", "photographed", "filmed", "raised onto", "based at",
        "based in", "based near", "on top of", "guarded", "guarding", "ringed", "ringing", "encircl*",
        "defending", "operating", "stationed", "firing from", "protected by", "defended by", "guarded by", "shielded by", "covering", "moved to", "moved into",
        "guard", "guards", "geolocat*", "there is", "there are", "sits", "sitting", "occupies", "parked",
        "visible", "stand", "stands", "stood", "standing", "surround*", "protect", "protecting", "protects", "defends", "defended",
        "ring", "form a ring", "forms a ring", "formed a ring", "combat duty", "went up", "set up", "put up",
        "sprang up", "popped up", "identified at", "identified near", "identified in",
        # a unit at a place: "S-400 regiments near Chkalovsk", "an Iskander-M brigade at Chernyakhovsk"
        "regiment at", "regiment near", "regiment in", "regiments at", "regiments near", "regiments in",
        "brigade at", "brigade near", "brigade in", "battalion at", "battalion near", "battalion in",
        "battalions at", "battalions near", "battalions in",
    ),
    "transfer": (
        "provid*", "supply", "supplied", "supplies", "supplying", "deliver*", "donat*", "send", "sends",
        "sending", "sent", "transfer*", "aid package", "committed to",
    ),
    "interception": (
        "intercept", "intercepted", "intercepts", "interception", "interceptions", "shot down", "shoot down",
        "downed", "repel*", "neutralised", "neutralized",
    ),
    "not_event": ("intended to", "designed to", "used to", "able to", "meant to", "capable of"),
    "strike": (
        "strike", "strikes", "struck", "hit", "hits", "attack", "attacked", "attacks", "bombed", "bombing",
        "shelled", "shelling", "explosion", "explosions", "blast", "blasts", "targeted",
    ),
    "loss": ("loss", "losses", "lost", "destroyed", "damaged", "wrecked"),
    "development": ("develop*", "test", "tested", "testing", "tests", "unveil*", "produc*", "manufactur*", "upgrad*"),
    "capability": (
        "range", "designed", "capable", "equipped", "speed", "altitude", "employed", "can", "able to",
        "used against", "used to", "protect against",
    ),
    "reporting": (
        "said", "says", "told", "wrote", "reported", "claimed", "stated", "announced", "acknowledged",
        "according to",
    ),
    "unconfirmed": (
        "unconfirmed", "not confirmed", "not immediately confirmed", "not independently confirmed",
        "not officially confirmed", "not been confirmed", "not verified", "not independently verified",
        "not be verified", "not be independently verified", "not independently verify", "not verify",
    ),
    "negated": (
        "not", "never", "no longer", "denied", "denies", "deny", "isn't", "wasn't", "weren't", "aren't",
        "didn't", "doesn't", "hasn't", "haven't", "refuted", "dismissed",
    ),
    "speculative": (
        "could", "might", "possibly", "possible", "perhaps", "rumour", "rumours", "rumor", "rumors", "speculat*",
        "if so", "would", "potential", "potentially", "unlikely", "maybe",
    ),
    "hedged": (
        "reportedly", "purportedly", "allegedly", "apparently", "appears to", "appear to", "appeared to",
        "seem", "seems", "seemed", "said to be", "likely", "claimed", "suspected", "believed to",
    ),
}
# Phrases that look like a cue but are not one: "could be seen" is a sighting, not speculation.
CUE_EXCEPTIONS: dict[str, tuple[str, ...]] = {
    "speculative": (" could be seen ",), "negated": (" not only ", " not far from ", " not least ", " not long after ", " not authorized to ", " not authorised to "),
    "deployment": (" national guard ", " border guard ", " border guards ", " coast guard ", " russian guard "),
}


def _by_first_word(phrases) -> dict[str, tuple[tuple[str, frozenset[str]], ...]]:
    grouped: dict[str, list] = {}
    for phrase, categories in phrases:
        grouped.setdefault(phrase.split()[0], []).append((phrase, categories))
    return {word: tuple(group) for word, group in grouped.items()}


def _cue_tables():
    words: dict[str, set[str]] = {}
    stems: dict[str, list[tuple[str, set[str]]]] = {}
    phrases: dict[str, set[str]] = {}
    by_category: dict[str, set[str]] = {}
    for category, terms in CLAIM_CUES.items():
        for term in terms:
            by_category.setdefault(category, set()).add(term.rstrip("*"))
            if " " in term:
                phrases.setdefault(f" {term} ", set()).add(category)
            elif term.endswith("*"):
                stem = term[:-1]
                stems.setdefault(stem[:3], []).append((stem, {category}))
            else:
                words.setdefault(term, set()).add(category)
    return (
        {w: frozenset(c) for w, c in words.items()},
        {k: tuple((s, frozenset(c)) for s, c in v) for k, v in stems.items()},
        _by_first_word((p, frozenset(c)) for p, c in phrases.items()),
        by_category,
    )


# CUE_PHRASES: the padded phrases (' based at ') with their categories, by first word
CUE_WORDS, CUE_STEMS, CUE_PHRASES, CUE_TERMS_BY_CATEGORY = _cue_tables()

# Words that make a capitalised run an institution's name ("Institute for Security Analysis").
ORG_HEADS = words(
    """Ministry Institute Center Centre Agency Council Committee Service Services Directorate University
    Foundation Bureau Department Office Command Society Association Corporation Studies Research Commission
    Administration Guard Forces Force Navy Army Brigade Regiment Battalion Division Corps Federation Union
    Organization Organisation Party Fund Authority Inspectorate Prosecutor's Court Parliament Assembly College
    School""".replace("\n", " ")
)
ORG_LEADS = words("Ministry Institute Center Centre Agency Council Committee Department Office Directorate")

# Nationality adjectives: "American Patriot batteries" is a Patriot, not a longer name that contains one
NATIONALITY_ADJECTIVES = frozenset({
    "American", "British", "German", "French", "Italian", "Spanish", "Dutch", "Belgian", "Norwegian", "Swedish",
    "Danish", "Finnish", "Polish", "Czech", "Slovak", "Romanian", "Bulgarian", "Greek", "Turkish", "Israeli",
    "Iranian", "Russian", "Soviet", "Ukrainian", "Belarusian", "Georgian", "Lithuanian", "Latvian", "Estonian",
    "Canadian", "Australian", "Japanese", "Chinese", "Korean", "Taiwanese", "Swiss", "Austrian", "Portuguese",
    "Hungarian", "Western", "Allied",
})

# Last words of names that start with a given name but name a place or an institution ("Alexander Garden")
NOT_SURNAMES = words(
    "garden gardens park square street lane prospekt avenue highway bridge embankment cathedral church monastery "
    "museum theatre theater institute university academy school hospital foundation centre center fund prize "
    "airport station district island bay canal"
)

# Last words of place names that "the" + the word points back at: "the academy" after the Timiryazev
# Agricultural Academy ("the base", "the airfield", "the city" have their own rules)
# built things a system stands on, introduced with a place ("a tower in Timiryazevsky Park") and later "the tower"
STRUCTURE_NOUNS = words("tower pad platform emplacement revetment clearing rooftop hangar bunker mast")
HEAD_NOUN_SYNONYMS = {"refinery": ("plant",), "factory": ("plant",)}  # "the Tuapse refinery ... above the plant"
SITE_HEAD_NOUNS = words(
    "academy park refinery plant garden institute university cathedral monastery embankment lane street highway "
    "station port bridge square forest island reservoir depot arsenal factory terminal stadium complex"
)
