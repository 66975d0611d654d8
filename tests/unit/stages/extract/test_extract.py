import datetime as dt

import pytest

from flows.catalog import current_catalog
from flows.models import Article
from flows.stages.extract import extract_article
from flows.stages.extract.dates import resolve_event_date
from flows.stages.extract.text import split_sentences

CATALOG = current_catalog()


def article(text: str, published: dt.date | None = None) -> Article:
    return Article(article_id="a1", content_hash="h", source_name="t.txt", text=text, text_format="text",
                   encoding="utf-8", published_date=published)


def entities(extraction, entity_type):
    return {m.entity_id for m in extraction.mentions if m.entity_type == entity_type}


def placements(extraction) -> set[tuple[str, str]]:
    """(system, site) of every deployment."""
    return {(d.system_id, d.site_id) for d in extraction.deployments}


def pairs_of(text: str) -> set[tuple[str, str]]:
    return placements(extract_article(article(text), CATALOG))


def quotes_of(text: str):
    return extract_article(article(text), CATALOG).quotes


def speakers_of(text: str) -> list[str | None]:
    """Each quote's speaker by name, provisional or catalog."""
    extraction = extract_article(article(text), CATALOG)
    provisional = {e.entity_id: e.name for e in extraction.provisional}
    return [provisional.get(q.speaker_id) or CATALOG.get("actor", q.speaker_id).name if q.speaker_id else None
            for q in extraction.quotes]


def test_sentences_respect_abbreviations_and_initials():
    text = "John W. Nowak wrote on Feb. 24 that the U.S. sent aid. Then it stopped! It is run by the Department. iStories saw it."
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["John W. Nowak wrote on Feb. 24 that the U.S. sent aid.", "Then it stopped!",
                                             "It is run by the Department.", "iStories saw it."]


def test_offsets_give_the_surface_and_variants_resolve():
    text = "Pantsirs were placed near Novo-Ogarevo and an S-400 in Losiny Island park, the Kremlin said."
    extraction = extract_article(article(text), CATALOG)
    for m in extraction.mentions:
        assert text[m.char_start:m.char_end] == m.surface
    assert {"pantsir-s1", "s-400"} <= entities(extraction, "system")
    assert {"novo-ogaryovo", "losiny-ostrov"} <= entities(extraction, "site")
    assert "kremlin" in entities(extraction, "actor")


def test_a_word_the_text_also_writes_in_lower_case_is_no_misspelt_name():
    text = "Inside the city, the defences are discreet. The launchers stand inside fenced yards, the Kremlin said."
    assert "the-insider" not in entities(extract_article(article(text), CATALOG), "actor")
    renewed = "Renews of the old contract are routine. The ministry renews it every year, the Kremlin said."
    assert "rte" not in entities(extract_article(article(renewed), CATALOG), "actor")  # "RTÉ News" is close to "Renews"


@pytest.mark.parametrize("text, wanted", [
    ("The Kremlin refused to comment.", "actor"),
    ("It stood 1.5 miles southeast of the Kremlin.", "site"),
    ("Pantsir units were set up around the Kremlin.", "site"),
    ("Buildings depending on the Kremlin were protected.", "actor"),
])
def test_context_decides_kremlin_place_or_institution(text, wanted):
    extraction = extract_article(article(text), CATALOG)
    kinds = {m.entity_type for m in extraction.mentions if m.surface == "Kremlin"}
    assert kinds == {wanted}


@pytest.mark.parametrize("text, sites", [
    ("Drones hit the Kyiv, Odesa, Kharkiv and Sumy regions overnight.", {"kyiv-oblast", "odesa-oblast", "kharkiv-oblast", "sumy-oblast"}),
    ("Shaheds were destroyed over the Odesa and Mykolaiv regions.", {"odesa-oblast", "mykolaiv-oblast"}),
    ("Without the Patriots, Kyiv would not be the city it is today.", {"kyiv"}),
    ("Kyiv has not commented.", set()),  # the state, not the place
    ("A drone hit a tower in Moscow City.", {"moscow-city"}),  # the business district, spelled as the catalog spells it
    ("Moscow city officials said nothing.", {"moscow"}),
    ("Two launchers are visible at the New Moscow position in Sentinel-2 imagery.", {"new-moscow"}),  # imagery is no place
    ("A launcher was filmed at the edge of an airfield. The airfield is Khalino, home to a fighter regiment.",
     {"khalino-air-base"}),  # "the airfield is X" names its place
])
def test_which_places_a_sentence_names(text, sites):
    assert entities(extract_article(article(text), CATALOG), "site") == sites


@pytest.mark.parametrize("text, systems", [
    # a weapon's own name needs no cue in an article that has named three other systems ...
    ("NASAMS, IRIS-T SLM and Pantsir-S1 batteries were all in action. Q: What about the Gepards?", {"nasams", "iris-t-slm", "pantsir-s1", "gepard"}),
    # ... but not where it has not, nor as a family name beside its variants
    ("Q: What about the Gepards?", set()),
    ("NASAMS, IRIS-T SLM and Pantsir-S1 were in action. A vanished Buk. The Buk-M2 launcher near Podolsk is gone.",
     {"nasams", "iris-t-slm", "pantsir-s1", "buk-m2"}),
])
def test_which_systems_a_text_names(text, systems):
    assert entities(extract_article(article(text), CATALOG), "system") == systems



def test_the_cruiser_moskva_is_not_a_place_or_system():
    extraction = extract_article(article("The Neptune missile was used to sink the Russian cruiser Moskva."), CATALOG)
    assert "r-360-neptune" in entities(extraction, "system")
    assert not any(m.surface == "Moskva" for m in extraction.mentions)


def test_deployment_across_sentences_through_coreference():
    text = ("A Pantsir-S1 system has appeared on the roof of the National Defence Management Centre. "
            "A video showed the same powerful system being lifted onto a rooftop in Teterinsky Lane, "
            "one-and-a-half miles from the Kremlin.")
    extraction = extract_article(article(text), CATALOG)
    pairs = placements(extraction)
    assert ("pantsir-s1", "teterinsky-lane") in pairs
    assert ("pantsir-s1", "moscow-kremlin") not in pairs  # a distance reference, not a location


@pytest.mark.parametrize("sentence, certainty", [
    ("A Pantsir was installed on the roof in Moscow.", "asserted"),
    ("A Pantsir was installed on the roof in Moscow, Daily Mail reported.", "reported"),
    ("A Pantsir was reportedly installed on the roof in Moscow.", "hedged"),
    ("There are rumours that a Pantsir could be placed in Moscow.", "speculative"),
    ("The Pantsir was not installed in Moscow.", "negated"),
    ("Is a Pantsir being installed in Moscow?", "question"),
])
def test_certainty_from_cues(sentence, certainty):
    claims = extract_article(article(sentence), CATALOG).claims
    assert [c.certainty for c in claims] == [certainty]


def test_attribution_and_relay_chain():
    a = article("A Pantsir-S1 appeared on a roof in Moscow, Daily Mail reported.").model_copy(update={"publisher": "Newsweek"})
    (claim,) = extract_article(a, CATALOG).claims
    assert claim.attributed_to == "Daily Mail" and claim.relay_chain == ("Newsweek", "Daily Mail")
    assert claim.original_source == "Daily Mail" and claim.claim_type == "deployment"


@pytest.mark.parametrize("sentence, date, precision", [
    ("Images were shared on Thursday.", dt.date(2023, 1, 19), "day"),
    ("It was filmed last week.", dt.date(2023, 1, 9), "week"),
    ("Since May, Pantsirs have been perched on roofs.", dt.date(2022, 5, 1), "month"),
    ("It followed the Feb. 24, 2022 invasion.", dt.date(2022, 2, 24), "day"),
    ("Explosions hit airbases last month.", dt.date(2022, 12, 1), "month"),
])
def test_event_dates_resolve_against_the_published_date(sentence, date, precision):
    resolved = resolve_event_date(sentence, dt.date(2023, 1, 20))
    assert (resolved.date, resolved.precision) == (date, precision)


def test_unresolvable_date_says_why():
    assert "no published date" in resolve_event_date("It happened on Thursday.", None).reason


def test_quotes_with_speakers_but_not_scare_quotes():
    text = ('The word “flakturm” returned. “The defeat of a nuclear power can provoke a nuclear war,” wrote '
            'Dmitry Medvedev. "They are responsible for the security of the capital," Peskov told reporters.')
    quotes = quotes_of(text)
    assert [(q.speaker_id, q.quote[:10]) for q in quotes] == [("dmitry-medvedev", "The defeat"), ("dmitry-peskov", "They are r")]


def test_unknown_names_become_provisional_entities():
    text = ("Security analyst Olena Hrytsenko said a Tor-M2DT was seen. The Baza Telegram channel reported "
            "an S-550 near Moscow.")
    extraction = extract_article(article(text), CATALOG)
    provisional = {(e.entity_type, e.name) for e in extraction.provisional}
    assert ("actor", "Olena Hrytsenko") in provisional
    assert ("system", "S-550") in provisional
    assert all(not e.curated for e in extraction.provisional)
    assert {r.surface for r in extraction.review_items} >= {"Olena Hrytsenko", "S-550"}


@pytest.mark.parametrize("text, name", [
    ("Senior Lieutenant Oleh Zinchenko said his gun fired every night.", "Oleh Zinchenko"),
    ("French Armed Forces Minister Étienne Lacombe said France would send more.", "Étienne Lacombe"),
    ("Lithuanian Defence Minister Tomas Žilinskas told reporters in Vilnius that it was calm.", "Tomas Žilinskas"),
])
def test_titles_are_not_part_of_a_name(text, name):
    actors = {e.name for e in extract_article(article(text), CATALOG).provisional if e.entity_type == "actor"}
    assert actors == {name}


def test_handles_are_accounts_unless_their_owner_is_named():
    text = ("@kotelnik_geo matched the tree line to panoramas. Jakub Sereda (@sereda_geo) said the same; "
            "write to tips@example.org.")
    accounts = {e.name for e in extract_article(article(text), CATALOG).provisional if e.kind == "osint"}
    assert accounts == {"@kotelnik_geo"}


def test_speakers_of_quotes_without_their_own_attribution():
    text = ("Russia's Defence Ministry did not acknowledge any losses. In its daily summary it said air defences had "
            '"destroyed four guided missiles over the sea." Sergei Aksyonov wrote on Telegram: "An attack on the '
            'district was repelled."\n\nNina Zakharchenko, 64, who lives on the 14th floor, said the blast threw her. '
            '"We have been hearing about drones for a year."')
    quotes = quotes_of(text)
    assert [(q.speaker_id, q.quote[:12]) for q in quotes] == [
        ("russian-ministry-of-defence", "destroyed fo"), ("sergey-aksyonov", "An attack on"),
        ("prov-actor-nina-zakharchenko", "We have been"),
    ]


def test_a_place_missiles_are_aimed_at_is_no_deployment():
    text = 'He said IRIS-T batteries had shot down "most of the Kh-101s aimed at Odesa and Kyiv" this year.'
    assert extract_article(article(text), CATALOG).deployments == ()


def test_a_relay_names_the_original_source():
    a = article("TASS reported, citing the Russian Defence Ministry, that a Pantsir-S1 was placed in Moscow.")
    (claim,) = extract_article(a.model_copy(update={"publisher": "Newsweek"}), CATALOG).claims
    assert claim.relay_chain == ("Newsweek", "TASS", "Russian Ministry of Defence")
    assert claim.original_source == "Russian Ministry of Defence"


def test_an_extraction_bug_costs_only_that_article(monkeypatch):
    from flows.stages import extract as extract_module

    def broken(article, catalog):
        raise RuntimeError("boom")

    monkeypatch.setattr(extract_module, "extract_article", broken)
    result = extract_module.extract_or_report(article("A Pantsir in Moscow."), CATALOG)
    assert result.mentions == () and result.sentences
    assert result.review_items[0].reason == "extraction failed: RuntimeError: boom"


@pytest.mark.parametrize("text, surface, kind", [
    ("Drones hit an oil depot on Atlasova Street on Monday.", "Atlasova Street", "street"),
    ("Residents of the village of Malye Pryshyby heard blasts.", "Malye Pryshyby", "village"),
    ("A Pantsir stands on Mount Zelenaya, officials said.", "Mount Zelenaya", "landmark"),
])
def test_place_phrases_become_provisional_sites(text, surface, kind):
    extraction = extract_article(article(text), CATALOG)
    places = {(m.surface, e.kind) for m in extraction.mentions for e in extraction.provisional
              if m.entity_id == e.entity_id and m.entity_type == "site"}
    assert (surface, kind) in places


@pytest.mark.parametrize("sentence, expected", [
    ("It was seen on Thursday.", (dt.date(2024, 5, 16), "day")),
    ("The battery has stood there since May.", (dt.date(2024, 5, 1), "month")),
    ("Images from two weeks ago show it.", (dt.date(2024, 4, 29), "week")),  # that week's Monday
    ("On 12 March 2023 the system arrived.", (dt.date(2023, 3, 12), "day")),
    ("No date here at all.", (None, "unknown")),
])
def test_event_dates_resolve_against_publication(sentence, expected):
    when = resolve_event_date(sentence, dt.date(2024, 5, 18))
    assert (when.date, when.precision) == expected


@pytest.mark.parametrize("text, wanted, unwanted", [
    # a place in an appositive describing another place only measures
    ("A Pantsir was filmed near Zarechye, a village that borders Novo-Ogaryovo.",
     ("pantsir-s1", "zarechye"), ("pantsir-s1", "novo-ogaryovo")),
    # each system takes the place named after it, not one in an earlier phrase
    ("Drones over Podolsk, a Pantsir over Istra.", ("pantsir-s1", "istra"), ("pantsir-s1", "podolsk")),
    # a coordinated list of places shares its preposition
    ("Researchers place S-400 regiments near Zvenigorod, Dmitrov and Naro-Fominsk.", ("s-400", "naro-fominsk"), None),
    # the place something fires on is its target
    ("The S-300 battery near Belgorod has been firing on Kharkiv for months.", ("s-300", "belgorod"), ("s-300", "kharkiv")),
    # a transfer places a system at a destination below a country
    ("Two more Pantsir batteries were sent to the Kursk region.", ("pantsir-s1", "kursk-oblast"), None),
    ("Germany sent more IRIS-T SLM launchers to Ukraine.", None, ("iris-t-slm", "ukraine")),
    # a place "protected by" systems has every one of them
    ("Beyond that, Belgorod is protected by Tor-M2 and Buk-M3 batteries.", ("buk-m3", "belgorod"), None),
    # a lake beside a residence only measures
    ("The residence at Dolgiye Borody, on the shore of Lake Uzhin, is guarded by a Pantsir-S1.",
     ("pantsir-s1", "dolgiye-borody"), ("pantsir-s1", "prov-site-lake-uzhin")),
    # a 'where' clause is about the place before it, even one that only measures a distance
    ("The towers sit 8 kilometres from Novo-Ogaryovo, Putin's residence, where a Pantsir-S1 was filmed in 2023.",
     ("pantsir-s1", "novo-ogaryovo"), None),
    # ... and about the innermost of the places that locate it; a later place is not the system's
    ("Strikes on Belbek airfield near Sevastopol in mid-May, where an S-400 radar was reportedly hit, and the "
     "explosions at Saky will be covered later.", ("s-400", "belbek-air-base"), ("s-400", "saky")),
    ("He stayed at his residence at Valdai, in the Novgorod region, where towers carrying Pantsir systems were "
     "reportedly erected.", ("pantsir-s1", "valdai"), ("pantsir-s1", "novgorod-oblast")),
    # a place 'covered by' systems holds them, whatever else the sentence says
    ("And Novorossiysk, where the fleet now stands after leaving Sevastopol, is covered by the same S-400 umbrella.",
     ("s-400", "novorossiysk"), ("s-400", "sevastopol")),
    # "north of" locates; "on the platform" and "Another, lifted ..." point back; "southeast of Kyiv" describes Boryspil
    ("The tower in the birch clearing stands about 600 meters north of the Rublyovo water treatment plant. Construction "
     "began in December; a Pantsir-S1 is visible on the platform in a Maxar image.",
     ("pantsir-s1", "rublyovo-water-treatment-plant"), None),
    ("A Pantsir-S1 on a newly built tower north of the Rublyovo water treatment plant, on Moscow's western edge.",
     ("pantsir-s1", "rublyovo-water-treatment-plant"), None),
    ("Pantsirs went up on the roof of the National Defence Management Centre. Another, lifted by crane the same week "
     "onto a building on Teterinsky Lane, was visible in images.", ("pantsir-s1", "teterinsky-lane"), None),
    ("One unit near Boryspil, southeast of Kyiv, operates a Soviet ZU-23-2 anti-aircraft gun from a truck.",
     ("zu-23-2", "boryspil"), ("zu-23-2", "kyiv")),
    # far from a landmark is around its city; near it is the landmark's (above: "one-and-a-half miles from")
    ("The S-400 regiments form a ring between 40km and 100km from the Kremlin.", ("s-400", "moscow"), ("s-400", "moscow-kremlin")),
    # systems that surround, ring or protect a place stand there
    ("Older S-300 regiments have surrounded Moscow since Soviet times.", ("s-300", "moscow"), None),
    ("S-400 regiments ring Moscow and protect the Kaliningrad exclave, St. Petersburg and Crimea.",
     ("s-400", "saint-petersburg"), None),
    ("The first S-500 regiment has taken up combat duty in the Moscow region.", ("s-500", "moscow-oblast"), None),
    # parts after a semicolon that go on listing places; "which supplies Moscow" describes the plant
    ("Towers topped with Pantsir-S1 systems now stand near Zhukovka; beside the Rublyovo water treatment plant, which "
     "supplies Moscow; and near Ilyinskoye.", ("pantsir-s1", "ilyinskoye-krasnogorsk"), ("pantsir-s1", "moscow")),
    # coordinated through a supplier's adjective and a radar
    ("Officials credited the US-provided Patriot and the German-provided IRIS-T SLM systems defending Kyiv.",
     ("patriot", "kyiv"), None),
    ("Strikes hit a 96L6 all-altitude detection radar and an S-300PM launcher positioned near Yevpatoria.",
     ("96l6", "yevpatoria"), None),
    # the sentence itself places the system: no place carried from the sentence before
    ("Debris killed one civilian in Kyiv's Holosiivskyi district. Ihnat said the Patriot system in Kyiv continues to work "
     "after claims that a Kinzhal strike destroyed the system.", ("patriot", "kyiv"), ("patriot", "holosiivskyi-district")),
    # an explainer's section: "It" is the system its heading names
    ("NASAMS. It has guarded the airspace over Washington since 2005.", ("nasams", "washington-dc"), None),
    # "the first one" points back; a geolocation thread's "SITE 1:" section holds what its posts place; a ring
    # road only bounds
    ("We first saw Pantsirs on roofs in January. Right. The first one was on the roof of the Defence Ministry on "
     "Frunzenskaya.", ("pantsir-s1", "national-defence-management-centre"), None),
    ("3/ SITE 1: Losiny Ostrov national park, NE Moscow. Geolocated to a clearing just inside the MKAD. Nothing "
     "else there. 4/ Status: OCCUPIED. Imagery shows the 92N6 on the north edge of the clearing.",
     ("92n6", "losiny-ostrov"), ("92n6", "mkad")),
    # spelled-out distances; "halfway to" only measures; where someone works, was born or whose sources speak
    ("Stalin ordered the S-25 Berkut: launch sites in two rings, roughly fifty and ninety kilometres from the Kremlin.",
     ("s-25", "moscow"), ("s-25", "moscow-kremlin")),
    ("Three Pantsir-S1 towers stand around the President's residence on Lake Valdai, halfway to St. Petersburg.",
     ("pantsir-s1", "dolgiye-borody"), ("pantsir-s1", "saint-petersburg")),
    ('"A Pantsir on a roof sees little street," said Laura Mendelsohn, an air defense analyst at the Baltic Security '
     'Forum in Tallinn, Estonia.', None, ("pantsir-s1", "tallinn")),
    ("Her late husband was born in Kharkiv, and in Kyiv people shelter while Patriot batteries fire over their heads.",
     ("patriot", "kyiv"), ("patriot", "kharkiv")),
    ('Channels citing "reliable sources in Kyiv" claim the A-50 was hit by an S-200 positioned in the Odesa region.',
     ("s-200", "odesa-oblast"), ("s-200", "kyiv")),
    # a place a town is "home to" describes it; "a sister system" points back; "Kyiv has had a Patriot"
    ("A Pantsir-S1 was stationed near Kubinka, a garrison town that is also home to the Patriot military theme park.",
     ("pantsir-s1", "kubinka-air-base"), ("pantsir-s1", "patriot-park")),
    ("The box is a Pantsir-S1. It was lifted onto the school a day after a sister system appeared on the roof on "
     "Frunzenskaya Embankment.", ("pantsir-s1", "frunzenskaya-embankment"), None),
    ("NASAMS, IRIS-T SLM and Skynex units guard the city. The difference is that Kyiv has had a Patriot since the spring.",
     ("patriot", "kyiv"), None),
    # a compass point is a place cue for a name that needs one; a place naming the unit holds it
    ("- S-400 east of Kursk (claimed).", ("s-400", "kursk"), None),
    ("- Pantsir-S1 inside the Zvenigorod S-400 position (geolocated).", ("s-400", "zvenigorod"), None),
    # "headquartered in" is the unit's home; ", and it ..." starts a new clause
    ("The peninsula is covered by the 31st Air Defense Division, headquartered in Sevastopol, with S-400 regiments at "
     "Feodosia.", ("s-400", "feodosia"), ("s-400", "sevastopol")),
    ("Moscow has not moved S-400 battalions back from the Moscow region, and it has not committed the S-500 to the "
     "peninsula.", ("s-400", "moscow-oblast"), ("s-500", "moscow-oblast")),
    # a heading that names a place holds what the section's sentences place nowhere else; "the battalion" of a
    # launcher is its system
    ("Dzhankoi.\nATACMS missiles hit the airfield in April. According to HUR, four 5P85SM2-01 launchers were destroyed. "
     "Imagery shows burned revetments. The battalion had reportedly been stationed there since 2023.",
     ("s-400", "dzhankoi"), None),
    ("Dzhankoi.\nWhat it adds up to\nThe army is filling the gaps between its S-400 regiments.", None, ("s-400", "dzhankoi")),
    # "Others ring ...", "A further tower ...", "at least one system" carry the systems just named; "Besides X, ..."
    # places at X too
    ("A Pantsir-S1 sits on top of a steel tower near Zhukovka. Others ring the president's residence at Novo-Ogaryovo.",
     ("pantsir-s1", "novo-ogaryovo"), None),
    ("A Pantsir was photographed on a low earth mound. A further tower has been photographed near Dolgiye Borody.",
     ("pantsir-s1", "dolgiye-borody"), None),
    ("Besides the National Defence Management Centre on Frunzenskaya Embankment, a Pantsir was filmed being hoisted on "
     "to a school building in Teterinsky Lane.", ("pantsir-s1", "national-defence-management-centre"), None),
    # a city under its country is a place of its own beside a park inside it, named in another claim
    ("An S-400 battery stands in Losiny Ostrov park. Older S-400 regiments ring Moscow.", ("s-400", "moscow"), None),
    # a clause that counts the units goes on placing them
    ("This is where the first Pantsir towers appeared in 2023, and we know of at least four, near Usovo, Zhukovka and "
     "Uspenskoye.", ("pantsir-s1", "usovo"), None),
    # one of them, after an attribution
    ("The first rooftop Pantsir-S1 systems appeared in January 2023. According to the BBC Russian Service, one was "
     "lifted by crane onto the roof of the National Defence Management Centre.",
     ("pantsir-s1", "national-defence-management-centre"), None),
    # what a system covers, in any claim
    ("A Pantsir-S1 that covers the airfield at Belbek from the north was not damaged, they added.",
     ("pantsir-s1", "belbek-air-base"), None),
    # the place an inverted sentence opens on, not one in a description after the system
    ("Some 15 kilometres to the north, near Sofrino, stands the Don-2N radar, the giant truncated pyramid that is the "
     "centre of Moscow's missile defence.", ("don-2n", "sofrino"), ("don-2n", "moscow")),
    # a second measure is no second place
    ("Pantsir-S1 on a ~20 m steel scaffold tower just north of Zhukovka, about 3 km from Novo-Ogaryovo.",
     ("pantsir-s1", "zhukovka"), ("pantsir-s1", "novo-ogaryovo")),
    ("S-400 launchers stand north of Dmitrov and Zvenigorod.", ("s-400", "zvenigorod"), None),
    # where it is seen from is not where it stands
    ("The Pantsir on the tower at Kratovo, the one you all photograph from the Novoryazanskoye highway, has been on "
     "combat duty since the summer.", ("pantsir-s1", "kratovo"), None),
    # a clause after a semicolon that places "it"; Kongsberg is the company, not Königsberg
    ("Kongsberg confirmed that one NASAMS fire unit had been delivered in October; Ukrainian media reported that it "
     "was deployed near Lviv to protect the region's power plants.", ("nasams", "lviv"), ("nasams", "kaliningrad")),
    # "the guns" are the anti-aircraft gun named before
    ("The German-built Gepard has become Ukraine's main answer to the Shahed drones. The guns are also reported to "
     "guard Reni, a few kilometres upstream.", ("gepard", "reni"), None),
    # a village ", in" its district is the place
    ("The S-400 position at Kurilovo, in New Moscow, was photographed in 2024.", ("s-400", "kurilovo"), ("s-400", "new-moscow")),
    # where leaders met, where someone comes from or has moved to, a capital that acts: no places
    ("The next day, at Nato's summit in Washington, the US and Germany pledged five more air defence systems for "
     "Ukraine: four Patriot batteries and one SAMP/T.", None, ("patriot", "washington-dc")),
    ("Rinat Zaripov, a former air defence officer from Kazan who now lives in Tbilisi, identified them from the video "
     "as Tor-M2 launchers.", None, ("tor-m2", "kazan")),
    ("In June, Ukrainian media reported that a Patriot battery had been moved north to protect Kharkiv, shortly after "
     "Washington eased restrictions on strikes into Russian territory near the city.", ("patriot", "kharkiv"),
     ("patriot", "washington-dc")),
    ("On May 17, a U.S. official confirmed to reporters in Washington that one Patriot system had sustained minimal "
     "damage.", None, ("patriot", "washington-dc")),
    # a place once found by its cue is that place wherever it is named again
    ("Scorch marks lie at a position about 3km north of the village of Vitino. HUR spokesman Andriy Yusov said the "
     "S-400 battery had been brought to the Vitino area in the spring.", ("s-400", "prov-site-vitino"), None),
    # a place named to say where another one is; a river inside a description of a building
    ("The same type of Pantsir system has also been reported near the village of Zarechye, close to Mr Putin's country "
     "residence at Novo-Ogaryovo.", ("pantsir-s1", "zarechye"), ("pantsir-s1", "novo-ogaryovo")),
    ("Pictured: A Pantsir-S1 on the roof of the Russian defence ministry building beside the Moskva River",
     ("pantsir-s1", "national-defence-management-centre"), ("pantsir-s1", "moskva-river")),
    # a launch site is for the weapons named just before it, not the interceptors that shot them down
    ("The Southern Defense Forces said IRIS-T crews had shot down four Kalibr cruise missiles over Odesa Oblast, as well "
     "as most of the Shahed drones, which it said had been launched from the Chauda training ground.",
     ("shahed-136", "cape-chauda"), ("iris-t-slm", "cape-chauda")),
    # where an analyst's firm is; where launch tubes point
    ("Tomasz Wierzbicki, a former Polish air force officer who now analyzes Russian forces for a private intelligence "
     "firm in Warsaw, said a Pantsir stands on the roof.", None, ("pantsir-s1", "warsaw")),
    ("Another was photographed on the roof of the Ministry of Education on Karetny Ryad, its Pantsir launch tubes "
     "pointing over the rooftops towards the Garden Ring.", ("pantsir-s1", "karetny-ryad"), ("pantsir-s1", "garden-ring")),
    # "the city centre" is not the city where a quoted analyst's institute is
    ("A Pantsir-S1 stands on the Defence Ministry in Moscow. Lennart Vahter, an analyst at the Baltic Institute for "
     "Defence Studies in Tallinn, said so. \"A Pantsir on a roof in the city centre is a very visible statement,\" "
     "Vahter said.", None, ("pantsir-s1", "tallinn")),
    # "it has stood" after an opening phrase points back at the system
    ("One Pantsir-S1 position deserves particular attention. Since the spring of 2023 it has stood on a concrete "
     "platform beside the Moscow refinery in Kapotnya.", ("pantsir-s1", "moscow-oil-refinery"), None),
    # a resolved "the battery" is itself an antecedent: the chain reaches past three sentences
    ("A U.S. official said one Patriot system had sustained minimal damage. The rest of the battery kept working. "
     "Crews rested. Where it stood. The battery that came under attack was the first of two. It was donated by the "
     "United States. Bloggers claimed to show the battery firing from a position in the Holosiivskyi district.",
     ("patriot", "holosiivskyi-district"), None),
])
def test_which_place_a_system_stands_at(text, wanted, unwanted):
    pairs = pairs_of(text)
    assert wanted is None or wanted in pairs
    assert unwanted not in pairs


def test_a_region_folds_into_the_city_it_holds():
    text = ("The S-300s were fired from Belgorod Oblast, the governor said. "
            "The launchers stand near Belgorod, Ihnat said.")
    assert pairs_of(text) == {("s-300", "belgorod")}


def test_it_and_one_of_them_point_back_at_the_system():
    text = ("A newer addition is a Pantsir-S1 mounted on a steel tower. It stands inside the naval base at Kronstadt.\n\n"
            "Russia has put Tor-M2 systems around the city. One of them stands beside a highway near Lesnoy Gorodok.")
    extraction = extract_article(article(text), CATALOG)
    site_of = {m.surface: m.entity_id for m in extraction.mentions if m.entity_type == "site"}
    pairs = placements(extraction)
    assert ("pantsir-s1", site_of["Kronstadt"]) in pairs
    assert ("tor-m2", site_of["Lesnoy Gorodok"]) in pairs


def test_a_sentence_pointing_back_inherits_the_systems_before():
    text = ("Russia protects its capital with S-400 regiments. Researchers have located their positions near "
            "Zvenigorod, and the Moscow region also hosts the A-135 system.")
    extraction = extract_article(article(text), CATALOG)
    assert {(d.system_id, d.site_id, d.link) for d in extraction.deployments} == {
        ("s-400", "zvenigorod", "coref"), ("a-135", "moscow-oblast", "sentence"),
    }


def test_a_sentence_pointing_back_inherits_the_place_before():
    text = ("Residents sent photographs of military vehicles parked in a clearing near Usovo. "
            "The photographs show a Tor-M2 short-range system.")
    assert pairs_of(text) == {("tor-m2", "usovo")}


def test_places_the_catalogs_lack_become_provisional_after_a_place_cue():
    text = "A Pantsir now stands on a tower near Krasnoye Pakhorkino, and a Tor was seen in Polish reports."
    extraction = extract_article(article(text), CATALOG)
    assert ("pantsir-s1", "prov-site-krasnoye-pakhorkino") in placements(extraction)
    assert not any(m.surface == "Polish" for m in extraction.mentions)


def test_speakers_named_after_the_quote_or_in_the_next_sentence():
    text = ('"There are no options left other than the elimination of the regime." The demand came from Dmitry '
            'Medvedev, in a post on Telegram.\n\nRussia\'s Defence Ministry reported an attack. Two drones were downed, '
            'the ministry said, while a third "lost control '
            'and crashed into a building".\n\nA local channel, Kuntsevo Patrol, posted a video. "They put it up in two '
            'nights and nobody asked us," the post said.')
    quotes = quotes_of(text)
    assert [(q.speaker_id, q.quote[:10]) for q in quotes] == [
        ("dmitry-medvedev", "There are "), ("russian-ministry-of-defence", "lost contr"),
        ("prov-actor-kuntsevo-patrol", "They put i"),
    ]


def test_quote_speakers_within_their_sentence_and_terms_that_are_no_quotes():
    text = ('The Russian Defence Ministry reported the attack. "An attempt by the Kiev regime to carry out a terrorist '
            'attack has been thwarted," the ministry said in a statement carried by TASS.\n\n'
            'SHOT said a Pantsir battery had engaged "at least two targets on the approach", and posted a clip. '
            'Novaya Gazeta Europe could not verify it.\n\n'
            'Peskov said it would not change the course of what Moscow calls its "special military operation."\n\n'
            '"The Patriot is not a magic wand, but it has changed the arithmetic."\n\n'
            'That is the view of Nadia Kerr, an air defence analyst.')
    quotes = quotes_of(text)
    assert [(q.speaker_surface, q.quote[:10]) for q in quotes] == [
        ("Russian Defence Ministry", "An attempt"), ("SHOT", "at least t"), ("Nadia Kerr", "The Patrio"),
    ]


def test_the_air_force_as_speaker_and_the_person_its_role_names():
    text = ('The Air Force said the attack came from three directions. "All targets were destroyed," it said.\n\n'
            'Air Force spokesperson Yurii Ihnat credited the systems guarding the capital: "Without the Patriot '
            'we would not be able to shoot down the Kinzhal."\n\n'
            'The most likely branch to lead a coup is the air force.')
    extraction = extract_article(article(text), CATALOG)
    assert [(q.speaker_id, q.quote[:10]) for q in extraction.quotes] == [
        ("ukrainian-air-force", "All target"), ("yurii-ihnat", "Without th"),
    ]
    assert [m.surface for m in extraction.mentions if m.entity_id == "ukrainian-air-force"] == ["Air Force", "Air Force"]


def test_there_carries_the_place_just_named_and_guarding_makes_a_place():
    text = ("ATACMS missiles struck the airfield at Dzhankoy in the north. Four S-400 launchers were damaged there, "
            "according to Krymsky Veter. There were no other losses. Rybar said the S-400 battery guarding Belbek "
            "had been hit as well.")
    extraction = extract_article(article(text), CATALOG)
    assert {(d.system_id, d.site_id, d.link) for d in extraction.deployments} >= {
        ("s-400", "dzhankoi", "coref"), ("s-400", "belbek-air-base", "sentence"),
    }


def test_a_compass_point_after_a_coordinate_ends_a_sentence():
    text = "A Pantsir-S1 sits on the roof at 55.7294 N, 37.5867 E. The vehicle faces the river. John W. Nowak said so."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "A Pantsir-S1 sits on the roof at 55.7294 N, 37.5867 E.", "The vehicle faces the river.", "John W. Nowak said so.",
    ]


def test_he_is_the_subject_of_the_sentence_before_and_a_quote_split_by_its_speaker_is_one():
    text = ('Former president Dmitry Medvedev called openly for Zelensky to be killed. "There are no options left '
            'except for the physical elimination," he wrote on Telegram.\n\n'
            'Mykhailo Podolyak, an adviser to President Volodymyr Zelensky\'s office, spoke on a breakfast show. '
            'But he added that Ukraine had "nothing to do directly with this."\n\n'
            '"I would just tell you," spokesman John Kirby responded, "that Mr. Peskov is just lying there."')
    quotes = quotes_of(text)
    assert [(q.speaker_id, q.quote[:10], q.is_continuation) for q in quotes] == [
        ("dmitry-medvedev", "There are ", False), ("mykhailo-podolyak", "nothing to", False),
        ("john-kirby", "I would ju", False), ("john-kirby", "that Mr. P", True),
    ]


def test_a_sentence_opening_on_one_of_the_units_takes_their_system_from_two_sentences_back():
    text = ("The first S-400 regiment was stationed at Elektrostal in 2007. It was the start of a new ring. "
            "Others have since been re-equipped at Zvenigorod in the west.")
    extraction = extract_article(article(text), CATALOG)
    assert placements(extraction) == {("s-400", "elektrostal"), ("s-400", "zvenigorod")}


def test_systems_guarding_a_city_more_of_their_kind_and_no_aircraft_in_a_50_storey_tower():
    text = ("Kyiv, which in May endured a barrage of six Kinzhal missiles, is defended by American Patriot batteries "
            "and German-supplied IRIS-T launchers. A drone reached a 50-storey tower.\n\n"
            "Steel towers carrying Pantsir systems were reportedly erected at Valdai last year. A second cluster of "
            "such towers stands close to his residence at Novo-Ogaryovo.")
    extraction = extract_article(article(text), CATALOG)
    assert placements(extraction) == {
        ("patriot", "kyiv"), ("iris-t-slm", "kyiv"), ("pantsir-s1", "valdai"), ("pantsir-s1", "novo-ogaryovo"),
    }
    assert "a-50" not in entities(extraction, "system")


def test_a_dateline_places_nothing_and_an_ambiguous_name_before_a_capitalised_word_is_another_name():
    text = ("KYIV — When a satellite passed over the airfield outside Dzhankoi, each S-400 launcher was parked "
            "beside a berm.\n\nThe Moskovsky Dozor channel posted a video.")
    extraction = extract_article(article(text), CATALOG)
    assert placements(extraction) == {("s-400", "dzhankoi")}
    assert "moskovsky-new-moscow" not in entities(extraction, "site")


def test_a_known_given_name_makes_a_person_without_a_role_or_a_verb():
    text = ("Not everyone in Kyiv agrees. Kateryna Sydorenko studies Russian air defences. \"Moscow still has the "
            "densest layered air defence in Europe.\" Tourists gathered in the Alexander Garden.\nAnna Reinholt\nFri 14 Jul")
    extraction = extract_article(article(text), CATALOG)
    people = {m.surface for m in extraction.mentions if m.entity_type == "actor"}
    assert {"Kateryna Sydorenko", "Anna Reinholt"} <= people and not any("Garden" in p or "\n" in p for p in people)
    assert [q.speaker_surface for q in extraction.quotes] == ["Kateryna Sydorenko"]


def test_single_quote_marks_are_quotes_only_in_a_text_without_double_ones():
    british = ("'Today I am especially grateful to the United States,' Volodymyr Zelensky said. Putin's spokesman "
               "called it 'a provocation by the Kyiv regime' on Friday. It's the pilots' job, officials said.")
    quotes = extract_article(article(british), CATALOG).quotes
    assert [q.quote for q in quotes] == ["Today I am especially grateful to the United States", "a provocation by the Kyiv regime"]
    nested = "\"He told me: 'we are ready' and left,\" Peskov said. It's the pilots' job."
    assert [q.quote for q in extract_article(article(nested), CATALOG).quotes] == ["He told me: 'we are ready' and left"]


def test_a_launch_site_places_the_weapons_and_their_target_is_no_deployment():
    text = ("Iskander-M ballistic missiles and S-300 missiles were fired from the Belgorod region at Kharkiv. "
            "Shahed-136 drones were launched from the Kursk region and from Cape Chauda.")
    extraction = extract_article(article(text), CATALOG)
    assert placements(extraction) == {
        ("iskander-m", "belgorod-oblast"), ("s-300", "belgorod-oblast"),
        ("shahed-136", "kursk-oblast"), ("shahed-136", "cape-chauda"),
    }


def test_the_second_of_two_positions_a_short_walk_and_the_lakes_only_measure():
    text = ("The two long-range positions inside the city limits are both S-400 batteries. The first occupies the "
            "fields of the Timiryazev Agricultural Academy. The second is in a cleared strip of Losiny Ostrov.\n\n"
            "A Pantsir-S1 stands in Kosino-Ukhtomsky district near the Kosino lakes, a short walk from the "
            "Hermitage Garden.")
    extraction = extract_article(article(text), CATALOG)
    assert placements(extraction) >= {
        ("s-400", "timiryazev-agricultural-academy"), ("s-400", "losiny-ostrov"), ("pantsir-s1", "kosino-ukhtomsky-district"),
    }
    assert not {d.site_id for d in extraction.deployments} & {"kosino-lakes", "hermitage-garden"}


def test_where_an_analyst_lives_and_a_regional_press_are_no_deployment_sites():
    text = ('"There are about a dozen S-400 regiments in the country," says Gleb Tsvetkov, who now lives in Tbilisi.\n\n'
            "Engels was struck in December. The base is guarded, according to the Saratov regional press, by an "
            "S-400 battery on the river bank.")
    extraction = extract_article(article(text), CATALOG)
    sites = {d.site_id for d in extraction.deployments}
    assert "engels-air-base" in sites and not sites & {"tbilisi", "saratov"}


def test_a_second_unit_after_a_semicolon_and_what_a_town_is_home_to():
    text = ("The first S-400 regiment was stationed at Elektrostal, east of the city; a second followed near Dmitrov. "
            "Analysts place S-300PM batteries close to Kubinka, home to a military airfield and to Patriot Park.")
    extraction = extract_article(article(text), CATALOG)
    pairs = placements(extraction)
    assert {("s-400", "elektrostal"), ("s-400", "dmitrov")} <= pairs
    assert "patriot-park" not in {site for _, site in pairs}


def test_headings_and_one_word_lines_do_not_count_towards_an_anaphors_reach():
    text = ("1. The roof of the ministry\n\nA Pantsir-S1 was photographed on the roof of the National Defence "
            "Management Centre. It is still there in imagery from February.\n\nConfirmed.\n\n2.\n\nTeterinsky Lane\n\n"
            "The second rooftop system turned up the same day on a building in Teterinsky Lane.")
    extraction = extract_article(article(text), CATALOG)
    assert ("pantsir-s1", "teterinsky-lane") in placements(extraction)


def test_a_list_of_systems_shares_the_place_of_its_relative_clause():
    text = ("The army operates S-400 Triumf and S-300PM2 long-range air defense missile systems, as well as Pantsir-S "
            "systems, which are deployed in the Moscow Region.")
    extraction = extract_article(article(text), CATALOG)
    assert {d.system_id for d in extraction.deployments if d.site_id == "moscow-oblast"} == {"s-400", "s-300pmu-2", "pantsir-s1"}


def test_two_villages_named_apart_stay_two_places_and_figures_are_no_places():
    text = "We geolocated Pantsir-S1 towers at Zhukovka (Figure 5) and Barvikha (Figure 6), shown in Figure 4."
    extraction = extract_article(article(text), CATALOG)
    assert {d.site_id for d in extraction.deployments} == {"zhukovka", "barvikha"}


def test_the_head_noun_of_a_place_just_named_points_back_at_it():
    text = ("A lattice tower stands in the wooded grounds of the Timiryazev Agricultural Academy. An S-400 battery "
            "was photographed in the academy's fields in January 2023.")
    extraction = extract_article(article(text), CATALOG)
    assert ("s-400", "timiryazev-agricultural-academy") in placements(extraction)


def test_it_is_a_system_names_what_the_sentence_before_placed_and_the_capital_opens_a_sentence():
    text = ("Moscow has many air defences. The machine stands at the edge of the industrial zone in Kapotnya, where "
            "the flare stacks of the Moscow Oil Refinery burn. It is a Pantsir-S1, parked on a concrete platform. "
            "The capital is also protected by the A-135 system.")
    extraction = extract_article(article(text), CATALOG)
    assert {("pantsir-s1", "moscow-oil-refinery"), ("a-135", "moscow")} <= placements(extraction)


def test_a_structure_introduced_with_its_place_is_that_place_later():
    text = ("Figure 2 shows a lattice tower roughly 20 metres high in Timiryazevsky Park. It was built in 2023. "
            "The tower first appears in imagery in December, and a Pantsir-S1 is visible on its platform. "
            "A clearing in Losiny Ostrov now holds a tower and a revetted pad. The tower carries a Pantsir-S1. "
            "We assess that the pad is used by an S-400 launcher.")
    assert {("pantsir-s1", "timiryazevsky-park"), ("pantsir-s1", "losiny-ostrov"), ("s-400", "losiny-ostrov")} <= pairs_of(text)


def test_a_table_row_places_its_systems_in_its_cells():
    text = ("| Tier | System | Locations | Confidence |\n|---|---|---|---|\n"
            "| Long range | S-400 Triumf | Zvenigorod, Dmitrov, Kurilovo | High |\n"
            "| Short range, mobile | Tor-M2 | Moscow Oblast, relocated frequently | Medium |")
    assert pairs_of(text) == {("s-400", "zvenigorod"), ("s-400", "dmitrov"), ("s-400", "kurilovo"), ("tor-m2", "moscow-oblast")}


def test_a_village_and_a_residence_stay_two_places():
    text = ("We geolocated Pantsir-S1 towers at Zhukovka and a third at Gorki-2. The towers sit 8 kilometres from "
            "Novo-Ogaryovo, Putin's residence, where a Pantsir-S1 was first filmed in 2023.")
    assert {("pantsir-s1", "zhukovka"), ("pantsir-s1", "gorki-2"), ("pantsir-s1", "novo-ogaryovo")} <= pairs_of(text)
    text = ("Several Pantsir towers were built in 2023 around the presidential residence at Novo-Ogarevo, including one "
            "near the village of Zarechye, and others near Usovo and Ilyinskoye.")
    assert {("pantsir-s1", "novo-ogaryovo"), ("pantsir-s1", "usovo"), ("pantsir-s1", "zarechye")} <= pairs_of(text)


def test_a_strike_placed_in_one_sentence_places_what_the_next_says_it_destroyed():
    text = ("The first hit came on Aug. 23, 2023, near the village of Olenivka on Cape Tarkhankut. HUR said an S-400 "
            "system had been completely destroyed.")
    assert ("s-400", "olenivka-crimea") in pairs_of(text)


def test_list_items_take_the_system_of_their_heading_unless_they_name_one_of_its_systems():
    text = ("Surface-to-air missile systems\n"
            "- 4 96K6 Pantsir-S1 (SA-22 Greyhound):\n"
            "- (1, destroyed) near Skadovsk, Kherson Oblast (25.01.24)\n"
            "- (2, destroyed) Henichesk, Kherson Oblast (08.05.24)\n"
            "- 2 9K317 Buk-M2 / 9K317M Buk-M3 (SA-17 / SA-27):\n"
            "- (1, Buk-M2 TELAR, destroyed) near Tokmak, Zaporizhzhia Oblast (19.01.24)\n"
            "The list is updated as footage appears near Melitopol.\n")
    pairs = pairs_of(text)
    assert {("pantsir-s1", "skadovsk"), ("pantsir-s1", "henichesk"), ("buk-m2", "tokmak")} <= pairs
    assert ("buk-m3", "tokmak") not in pairs and not any(site == "melitopol" for _, site in pairs)


def test_a_name_in_brackets_after_a_system_of_its_family_is_that_system():
    extraction = extract_article(article("Russia lost a 9K332 Tor-M2 (SA-15 Gauntlet) and an S-300PM/PS (SA-10 Grumble)."), CATALOG)
    assert entities(extraction, "system") == {"tor-m2", "s-300pmu"}


def test_an_ambiguous_name_needs_no_cue_after_the_entity_was_named_plainly():
    text = "Germany sent the Flakpanzer Gepard. Videos show Gepards firing at drones over Kyiv at night."
    assert sum(m.entity_id == "gepard" for m in extract_article(article(text), CATALOG).mentions) == 2


def test_a_platform_placed_in_one_sentence_places_the_system_on_top_of_it():
    text = ("The first such platform was photographed near Zhukovka, a few kilometres from Novo-Ogaryovo. "
            "A Pantsir-S1 air defence system stands on top of it, according to photos.")
    assert ("pantsir-s1", "zhukovka") in pairs_of(text)


def test_a_city_in_an_opening_clause_does_not_place_the_systems_after_it():
    text = "When NATO leaders gathered in Washington last week, the headline pledge was five more Patriot batteries."
    assert not pairs_of(text)


def test_a_district_named_after_a_catalog_town_is_that_town():
    extraction = extract_article(article("Air defence destroyed three drones over the Liski district."), CATALOG)
    assert entities(extraction, "site") == {"liski"}


def test_the_city_points_back_at_a_town_the_article_called_a_city():
    text = ("In the Tula Region, one drone was shot down on approach to the city of Aleksin. A source said it had been "
            "intercepted by a Buk-M1 air defense missile system and that its fragments fell outside the city.")
    assert ("buk-m1", "aleksin") in pairs_of(text)


def test_a_place_measured_from_wins_over_the_place_that_describes_it():
    text = ("A battery was spotted. The position is east of Razumnoye, a village just outside Belgorod, and that "
            "S-300 battery had been firing on Kharkiv for months.")
    pairs = pairs_of(text)
    assert ("s-300", "razumnoye") in pairs and ("s-300", "belgorod") not in pairs


def test_quotes_around_their_speakers_tag_are_one_statement():
    text = ('Governor Andrei Vorobyov said debris fell near Stupino. "The roof of a private house was damaged," '
            'Vorobyov wrote. "Nobody was hurt, and there is no threat to residents."')
    quotes = quotes_of(text)
    assert [q.is_continuation for q in quotes] == [False, True] and {q.speaker_id for q in quotes} == {"andrei-vorobyov"}


def test_a_person_named_after_an_opening_conjunction():
    text = 'When Galina Serova bought a plot near Iksha, the view was a meadow. "It hums all night," said Serova.'
    quotes = quotes_of(text)
    assert [q.speaker_surface for q in quotes] == ["Serova"] and quotes[0].speaker_id == "prov-actor-galina-serova"


def test_a_resident_named_by_a_given_name_only_speaks():
    text = '"At first it was strange, now we don\'t notice it," Oleg, a resident of Razdory, told BBC News Russian.'
    assert [q.speaker_id for q in quotes_of(text)] == ["prov-actor-oleg"]


@pytest.mark.parametrize("text, wanted", [
    ("In another video, a Pantsir and what appears to be a Tor-M2 system can be seen parked near Domodedovo.",
     {("pantsir-s1", "domodedovo"), ("tor-m2", "domodedovo")}),
    ("Pantsir-S1 and the newer Pantsir-SM are now perched on the roof of the National Defence Management Centre.",
     {("pantsir-s1", "national-defence-management-centre"), ("pantsir-sm", "national-defence-management-centre")}),
])
def test_systems_listed_together_share_their_place(text, wanted):
    assert wanted <= pairs_of(text)


def test_a_city_in_an_opening_clause_after_a_dateline_places_nothing():
    assert not pairs_of("WASHINGTON — When NATO leaders gathered in Washington last week, the pledge was Patriot batteries.")


def test_a_system_pointing_back_takes_the_place_of_the_last_sentence_that_named_one():
    text = ("A squat truck with a turret of missile tubes, it has sat on the roof of the National Defence Management "
            "Centre since January. \"At first we thought they were filming something.\" The vehicle is a Pantsir-S1.")
    assert ("pantsir-s1", "national-defence-management-centre") in pairs_of(text)


def test_units_listed_after_a_colon_take_the_systems_of_the_sentence_before():
    text = ("In January 2023 Pantsirs appeared on the roof of the defence ministry on Frunzenskaya Embankment, not far "
            "from the Kremlin. This year they put up towers: one near the Rublyovo water station, two on the approaches "
            "to Novo-Ogaryovo.")
    extraction = extract_article(article(text), CATALOG)
    assert {("pantsir-s1", "rublyovo-water-treatment-plant"), ("pantsir-s1", "novo-ogaryovo")} <= placements(extraction)
    assert {c.certainty for c in extraction.claims} == {"asserted"}  # "not far from" denies nothing


@pytest.mark.parametrize("text, wanted", [
    # a caption: a supplier named in passing reports no transfer
    ("A German-supplied Gepard self-propelled anti-aircraft gun on the outskirts of Odesa.", ("gepard", "odesa")),
    ("A NASAMS launcher, supplied by Norway and the US, under camouflage netting in the Kyiv region.", ("nasams", "kyiv-oblast")),
    # a refinery is 'the plant'; revetments point back at the airfield a caption named
    ("Firefighters at the Tuapse refinery after a drone attack. Residents say a Pantsir has since been placed on a hill "
     "above the plant.", ("pantsir-s1", "tuapse-refinery")),
    ("A satellite image of Dzhankoi airfield after a Ukrainian ATACMS strike. Burn marks surround the revetments where "
     "an S-400 battery's launchers stood.", ("s-400", "dzhankoi-air-base")),
])
def test_captions_place_their_systems(text, wanted):
    assert wanted in pairs_of(text)


def test_a_weapon_a_strike_was_made_with_is_no_transfer():
    extraction = extract_article(article("Ukraine hit the Sevmorzavod shipyard in Sevastopol with UK-supplied Storm Shadow missiles."), CATALOG)
    assert [c.claim_type for c in extraction.claims] == ["strike"]


def test_a_speaker_named_in_an_appositive_after_the_quote_and_a_single_quoted_caption_quote():
    text = ("“Ukraine needs more air defence, and it needs it now,” the Nato secretary general, Jens Stoltenberg, said.\n"
            "Members of a mobile fire group near Boryspil. ‘A Shahed sounds like a moped,’ says the commander, Andrii Melnyk.")
    quotes = quotes_of(text)
    assert [(q.speaker_surface, q.quote[:9]) for q in quotes] == [("Jens Stoltenberg", "Ukraine n"), ("Andrii Melnyk", "A Shahed ")]


def test_a_city_that_relies_on_systems_holds_them():
    text = ("Dnipro, a logistics hub for the front in the east, still relies largely on Soviet-era S-300 and Buk-M1 "
            "systems, according to a source who was not authorized to speak to the media.")
    extraction = extract_article(article(text), CATALOG)
    assert {("s-300", "dnipro"), ("buk-m1", "dnipro")} <= placements(extraction)
    assert [c.certainty for c in extraction.claims] == ["asserted"]


def test_a_place_in_the_relative_clause_of_a_protected_place_holds_nothing():
    text = "And Novorossiysk, where the fleet now stands after leaving Sevastopol, is covered by the same S-400 umbrella."
    pairs = pairs_of(text)
    assert ("s-400", "novorossiysk") in pairs and ("s-400", "sevastopol") not in pairs


def test_the_head_noun_points_back_along_a_chain_of_mentions():
    text = ("A drone set fire to a unit at the Tuapse refinery. Since then the sky above the refinery has changed. "
            "Sirens sound at night. Residents film the drones. Nobody sleeps. A Pantsir-S1 has stood since February on "
            "a hill above the refinery's tank farm.")
    assert ("pantsir-s1", "tuapse-refinery") in pairs_of(text)


def test_a_short_opening_of_a_quote_split_by_its_tag_and_a_digest_header_speaks():
    text = ('Hannah Kessler studies air defence. “The towers,” Ms. Kessler said, “are an admission that the old ring '
            'was built for bombers.”\n10:12 | Two Majors\n"The enemy is methodically hunting our air defence in Crimea."\n'
            'The pro-Kremlin channel said nothing more.')
    extraction = extract_article(article(text), CATALOG)
    assert [(q.speaker_surface, q.is_continuation, q.quote[:10]) for q in extraction.quotes] == [
        ("Kessler", False, "The towers"), ("Kessler", True, "are an adm"), ("Two Majors", False, "The enemy ")]
    assert "kremlin" not in entities(extraction, "actor")


@pytest.mark.parametrize("text, speaker", [
    # "He" is no one named after "He said"
    ('Kremlin spokesman Dmitry Peskov declined to comment on the attack. He said President Vladimir Putin had been '
     '"informed about everything in real time" during the night.', "Dmitry Peskov"),
    # "According to <role> X," speaks for the sentence
    ('According to the local historian Mikhail Zotov, the fenced site in the forest "has belonged to the military '
     'since 1955", when a position was built there.', "Mikhail Zotov"),
    # a quote that ends its sentence belongs to that sentence's speaker, not the next sentence's subject
    ('The Defense Ministry announced in 2021 that the first S-500 had been delivered to a regiment that "has taken up '
     'combat duty in the Moscow region." Ukrainian military intelligence claimed in 2023 that it had been moved.',
     "Defense Ministry"),
    ('According to HUR representative Andriy Yusov, the radar at Belbek “was the eyes of the entire battalion,” and '
     'the launchers are now blind.', "Andriy Yusov"),
    ('As Ihnat put it on television that winter, "IRIS-T shoots down almost everything it is given."', "Ihnat"),
    ('The Russian Defence Ministry reported a drone over Lyubertsy. "The crew detected the target at a distance of 14 '
     'kilometers," a spokesman for the ministry\'s press service said.', "Russian Defence Ministry"),
    ('The Russian defence ministry blamed Kyiv. In a statement carried by RIA Novosti, it said:\n"At about 4am Moscow '
     'time, an attempt by the Kyiv regime was thwarted."', "Russian defence ministry"),
    ('The Russian defence ministry blamed Kyiv. In a statement carried by RIA Novosti, the ministry said:\n"At about '
     '4am Moscow time, an attempt by the Kyiv regime was thwarted."', "Russian defence ministry"),
    ('Judge Natalya Kurbatova was not persuaded. "The video forms a negative attitude towards the Armed Forces," the '
     'judge wrote in her ruling.', "Natalya Kurbatova"),
    ('Tass, citing a law enforcement source, reported that the drone came in "at an altitude of no more than 50 metres".',
     "Tass"),
    ('The first thing Gulnara Minnullina noticed was a crane. "I thought they were putting up a new phone mast," says '
     'the 44-year-old laboratory technician.', "Gulnara Minnullina"),
    ('"The question for the insurer is simple," Maxim Orekhov, deputy chief executive of Severnaya Strakhovaya Gruppa, '
     'told Delovoy Kurier.', "Maxim Orekhov"),
    ('The commander goes by the callsign Kobzar. "Every flight is a negotiation with their radars," Kobzar says.', "Kobzar"),
    ('Sova, the unit’s navigator, a former software tester, says: “The Tor is the one we respect.”', "Sova"),
    ('The ministry also said which systems had done the work. The statement read: "Pantsir-S crews of the Moscow air '
     'defence grouping destroyed UAVs."', None),
    ('Governor Andrei Vorobyov promised that residents would receive payments "from the regional budget in full".',
     "Andrei Vorobyov"),
    # someone the text does not name is no one it named before
    ('Vladimir Putin was not in Moscow. A woman who runs a flower stall told me she counts the launchers. "The one on '
     'the school, the one on the Ministry," she said.', None),
    # the subject of a participle clause, through the role it names
    ('Kremlin spokesman Dmitry Peskov has referred questions about the systems to the Ministry of Defence, saying in '
     '2023 that their placement was "a matter for the military".', "Dmitry Peskov"),
    # the verb nearest the quote; whom it was told to is no speaker
    ('The Air Force said the missiles had been launched from the Belgorod region, and Kharkiv mayor Ihor Terekhov wrote '
     'that "the city was attacked by S-300 missiles from across the border, again".', "Ihor Terekhov"),
    ('"There is no military equipment on the roof of the main building," the press service told the Moscow newspaper '
     'Moskovsky Komsomolets on 1 June.', None),
    # "the Ministry said": the ministry, not the newspaper named since
    ("Colonel Vadim Lesnichy told the ministry newspaper Krasnaya Zvezda that the towers were an expedient. Drones "
     "struck the glass towers of Moscow City; the Ministry of Defence said. In both cases the ministry said they had been "
     "'suppressed by electronic warfare' rather than shot down.", "Ministry of Defence"),
    # a president named by office
    ("Vladimir Putin was in Moscow. As the President said after the attack, the air defence \"worked normally, but "
     "there is still work to be done\".", "the President"),
    # not the subject of a clause the tag goes on to
    ('Asked about the towers, Kremlin spokesman Dmitry Peskov called them "a question for the military" and would not '
     'say whether the president had been consulted.', "Dmitry Peskov"),
    # the outlet an interview was given to is the listener, not the speaker
    ("Taras Vovchenko, a Kyiv-based analyst, put it bluntly in an interview with The War Zone: \u201cYou can put a "
     "Pantsir on every tower around Moscow and you will still have gaps.\u201d", "Taras Vovchenko"),
    # a labelled quote; the General Staff, unqualified, is Ukraine's
    ('Quote from the General Staff: "On the night of 20 June, units struck the positions of S-400 systems."',
     "General Staff"),
])
def test_who_speaks_a_quote(text, speaker):
    assert [q.speaker_surface for q in quotes_of(text)] == [speaker]


def test_a_title_names_no_institution_and_a_name_with_a_patronymic_is_the_person():
    text = ("Chief of the General Staff Valery Gerasimov has not commented. "
            "Question (RIA Novosti): Dmitry Sergeyevich, has the President been informed?")
    assert entities(extract_article(article(text), CATALOG), "actor") == {"valery-gerasimov", "ria-novosti", "dmitry-peskov"}


def test_a_catalog_name_with_and_is_not_cut_into_two_organisations():
    text = ("She is a senior fellow at the Center for Strategic and International Studies (CSIS) in Washington. "
            "The Pacific Fleet and Air Command West said so, as did the U.S. Army.")
    assert entities(extract_article(article(text), CATALOG), "actor") == {"csis", "pacific-fleet", "ukrainian-air-command-west", "us-army"}


def test_numbered_formations_are_actors_and_russian_street_words_name_places():
    text = ("The 4th Air Defence Division and the 1478th Guards Anti-Aircraft Missile Regiment guard Moscow, as does the "
            "1st Air and Missile Defence Army. A Pantsir stands on an office block on Shmitovsky Proyezd.")
    extraction = extract_article(article(text), CATALOG)
    assert entities(extraction, "actor") == {"prov-actor-4th-air-defence-division", "1st-air-and-missile-defence-army",
                                             "prov-actor-1478th-guards-anti-aircraft-missile-regiment"}
    assert "prov-site-shmitovsky-proyezd" in entities(extraction, "site")


def test_single_quotes_count_when_the_only_double_ones_are_front_matter():
    text = ('title: "Layers Without Depth"\n\nColonel Vadim Lesnichy told the ministry newspaper Krasnaya Zvezda that '
            "they were 'a temporary engineering solution, not a new doctrine of air defence'.")
    assert ("Vadim Lesnichy", "a temporary engineering solution, not a new doctrine of air defence") in {
        (q.speaker_surface, q.quote) for q in quotes_of(text)}


def test_a_relative_clause_is_no_modifier_of_a_system_anaphor():
    text = "An S-400 stood there. The mast that carried the battery's 96L6 search radar seems to have collapsed."
    assert "The mast that carried the battery" not in {m.surface for m in extract_article(article(text), CATALOG).mentions}


def test_a_president_named_by_office_is_the_person():
    text = "The Ukrainian president thanked Germany. Russia's president did not comment. The president's residence is near."
    extraction = extract_article(article(text), CATALOG)
    assert [(m.surface, m.entity_id) for m in extraction.mentions if m.entity_type == "actor"] == [
        ("The Ukrainian president", "volodymyr-zelensky"), ("president", "vladimir-putin")]


def test_a_quote_after_its_speakers_tag_goes_on_with_the_same_statement():
    text = ('"Gradually, the war is returning to the territory of Russia," the Ukrainian president said in his nightly '
            'address on Sunday. "This is an inevitable, natural and absolutely fair process."')
    assert [q.is_continuation for q in quotes_of(text)] == [False, True]


def test_a_district_administration_is_an_actor_that_speaks():
    text = ('The press service of the administration of the Solnechnogorsk urban district said in a written reply: '
            '"Work on the site near the village is being carried out by federal bodies."')
    extraction = extract_article(article(text), CATALOG)
    assert entities(extraction, "actor") == {"prov-actor-solnechnogorsk-district-administration"}
    assert [q.speaker_id for q in extraction.quotes] == ["prov-actor-solnechnogorsk-district-administration"]


def test_a_quote_after_its_speaker_opens_a_new_paragraph_is_a_statement_of_its_own():
    text = ('"A drone between towers is what it was not built for," said Laura Mendelsohn, an analyst.\n\nMendelsohn said each '
            'launcher kept around Moscow was "a launcher that is not defending Belgorod or Kursk."')
    assert [q.is_continuation for q in quotes_of(text)] == [False, False]


@pytest.mark.parametrize("text, expected", [
    # a part the text calls theirs stands with its system
    ("Satellite images show S-400 launchers and the tall masts that carry their 92N6 engagement radars at "
     "established positions near Dmitrov.", {("s-400", "dmitrov"), ("92n6", "dmitrov")}),
    # "Both" opens on the things just placed
    ("Two more towers stand near the village of Usovo. Both carried Pantsir systems in images from January.",
     {("pantsir-s1", "usovo")}),
    # a system beside the battery the sentence before placed stands where it does; not one beside a system it names
    ("The S-400 battery near Yevpatoria was moved in the spring. A Pantsir-S1 had been stationed next to the battery "
     "to protect it from drones.", {("s-400", "yevpatoria"), ("pantsir-s1", "yevpatoria")}),
    ("The A-135 relies on the Don-2N, a radar near Sofrino. Western analysts believe a Pantsir-S1 is based close to "
     "the Don-2N radar.", {("don-2n", "sofrino")}),
    # what a name recalls is no place
    ("The Pantsirs stand on towers that bloggers have nicknamed flakturms, after the flak towers of Berlin and "
     "Vienna.", set()),
    # "show one on" is about one of the units just named
    ("The Guardian has identified Pantsirs on the roofs of buildings in central Moscow. A photograph purported to "
     "show one on an office block next to the White House, the seat of the Russian government on Krasnopresnenskaya "
     "Embankment.", {("pantsir-s1", "moscow"), ("pantsir-s1", "russian-white-house")}),
    # a town and an air base within 8 km, named in two claims, are two places when the base is not the town's
    ("A Pantsir-S1 was filmed on a tower in Shchyolkovo. Months later, the battery was reported to guard Chkalovsky "
     "air base.", {("pantsir-s1", "shchyolkovo"), ("pantsir-s1", "chkalovsky-air-base")}),
])
def test_deployments_through_parts_anaphors_and_neighbours(text, expected):
    assert pairs_of(text) == expected


def test_the_white_house_in_moscow_is_the_russian_government_building_not_the_us_presidency():
    text = "A Pantsir stands next to the White House, the seat of the Russian government. The White House declined to comment."
    extraction = extract_article(article(text), CATALOG)
    assert [(m.surface, m.entity_id) for m in extraction.mentions if m.entity_id in ("russian-white-house", "white-house")] \
        == [("White House", "russian-white-house"), ("White House", "white-house")]


@pytest.mark.parametrize("text, expected", [
    # "Russian-installed authorities" install nothing; missiles that were used stand nowhere
    ("On Aug. 6, missiles hit the Chonhar road bridge and a nearby bridge at Henichesk, according to the "
     "Russian-installed authorities, who said British-supplied Storm Shadow cruise missiles had been used.", set()),
    # a battery stationed outside a city stands there, not at the section's place; a speaker's words take no section place
    ("Chonhar\n\nTor-M2 systems cover the Chonhar crossings. On Thursday, HUR said its drones had damaged the radar of an "
     "S-400 battery stationed outside Feodosia.", {("tor-m2", "chonhar"), ("s-400", "feodosia")}),
    ('Chonhar\n\n"Russia cannot put a Pantsir on every kilometer of the coast," Sadovnyk said.', set()),
    # "Others" that were brought down are more of what flew
    ("Residents said a Pantsir-S1 arrived in Kuzminki park on Tuesday. Others were brought down near the Rublyovka area.",
     {("pantsir-s1", "kuzminki-park")}),
    # a place in a clause about something earlier or later
    ("Residents said the Pantsir-S1 arrived on Tuesday night, hours after drones reached apartment blocks on "
     "Profsoyuznaya Street.", set()),
    # where a motorway leads
    ("Images appeared to show an S-400 launcher being driven along a track in the Khimki forest, close to the M11 "
     "motorway to St Petersburg.", {("s-400", "khimki-forest")}),
    # the items of a list stand where its heading placed its systems
    ("Today Kyiv is covered by several Patriot batteries, along with:\n- IRIS-T SLM launchers from Germany, positioned "
     "to cover the government quarter;\n- Gepard anti-aircraft guns to deal with Shahed drones.",
     {("patriot", "kyiv"), ("iris-t-slm", "kyiv"), ("gepard", "kyiv")}),
    # missiles over a city fly there; "Moscow had billed" is the state
    ("The first Patriot battery arrived in April 2023 and within weeks was shooting down Russian Kinzhal missiles over "
     "Kyiv, which Moscow had billed as unstoppable.", {("patriot", "kyiv")}),
    # "that it was protecting"; where officials, workers and writers are
    ("The first SAMP/T has never been publicly located. Ukrainian media reported that it was protecting Dnipro, a claim "
     "officials in Rome and Kyiv declined to confirm.", {("samp-t", "dnipro")}),
    ("An employee of a contractor working along Rublyovka said that a Tor-M2 had been driven onto the grounds of the "
     "Barvikha sanatorium and parked behind the main building.", {("tor-m2", "barvikha-sanatorium")}),
    ('"A Pantsir on a tower can see over the trees," said Stanislav Rudnev, a former air defence officer who now writes '
     "about the Russian military from Riga.", set()),
])
def test_deployments_not_made_by_passing_places(text, expected):
    assert pairs_of(text) == expected


def test_quotes_short_tagged_new_sentence_tags_and_pronoun_tags_before():
    text = ('Denis Malakhov, an analyst at a brokerage, said most colleagues had come to work. "Nobody panicked," he said.\n\n'
            '"A Pantsir on a roof is good against a cruise missile," Roman Shatilov said by phone. The small drones, he said, '
            '"fly low between buildings, where radar sees almost nothing."\n\n'
            'Oliver Pennington, a former RAF officer, said the deployment looked improvised. "What you see is a crew sent to '
            'plug a hole," he said. "The Pantsir is a sensible choice against drones."\n\n'
            'The choice of south-east Moscow, he added, suggested worries about the south. The outer ring was "never designed '
            'for something the size of a garden shed."\n\n'
            'Andrei Ostapenko builds boats. "Nobody expected a boat at 40 knots," he said.\n\n"The booms and barges were '
            'added in a hurry."')
    assert [(q.speaker_surface, q.quote.split()[0], q.is_continuation) for q in quotes_of(text)] == [
        ("Denis Malakhov", "Nobody", False), ("Roman Shatilov", "A", False), ("Roman Shatilov", "fly", False),
        ("Oliver Pennington", "What", False), ("Oliver Pennington", "The", True), ("Oliver Pennington", "never", False),
        ("Andrei Ostapenko", "Nobody", False), ("Andrei Ostapenko", "The", True),
    ]


@pytest.mark.parametrize("text, expected", [
    # a unit's base is where its launchers are; "Elektrostal east of Moscow" says where Elektrostal is
    ("The 606th Guards Anti-Aircraft Missile Regiment, based in Elektrostal east of Moscow, was the first unit to "
     "receive the S-400.", {("s-400", "elektrostal")}),
    # a division's headquarters is not where its regiments stand
    ("The peninsula is covered by the 31st Air Defense Division, headquartered in Sevastopol, with S-400 regiments at "
     "Feodosia.", {("s-400", "feodosia")}),
    # "there" after the town the sentence before named
    ("The position north of Sergiev Posad tells a different story. An S-400 battalion stood there until 2022.",
     {("s-400", "sergiyev-posad")}),
    # units at places, listed
    ("These include:\n- S-400 regiments near Chkalovsk air base and Gvardeysk in Russia's Kaliningrad exclave;\n"
     "- the newly reported S-400 battalion near Baranovichi.",
     {("s-400", "chkalovsk-air-base"), ("s-400", "gvardeysk"), ("s-400", "baranovichi")}),
    # one place told twice; a village and the area that holds it, in two claims, are one place
    ("Pantsir towers have been photographed along the Rublyovo-Uspenskoye highway near Novo-Ogaryovo.",
     {("pantsir-s1", "rublyovo-uspenskoye-highway")}),
    ("An S-400 battery stands near Kurilovo. Later in the year, a second S-400 battery was reportedly deployed in New "
     "Moscow.", {("s-400", "kurilovo")}),
])
def test_deployments_of_units_and_places_that_locate_places(text, expected):
    assert pairs_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    # "a similar vehicle" is another of the system just named; an avenue "runs northwest from" a landmark
    ("In one video, a Pantsir-S1 can be seen on the roof. A second video appeared to show a similar vehicle on top of an "
     "office building on Tverskaya Street, the broad avenue that runs northwest from the Kremlin.",
     {("pantsir-s1", "tverskaya-street")}),
    # "there" is the place the sentence before put the system at, not the landmark it measured from
    ("A second video appeared to show a Pantsir-S1 on Tverskaya Street, which runs northwest from the Kremlin. Channels "
     "said the complex had been placed there to cover government offices.", {("pantsir-s1", "tverskaya-street")}),
    # "Its regiments" are the system's
    ("The S-400 Triumf forms the outer ring of Moscow's defences. Its regiments are positioned around the capital, "
     "including near Zvenigorod to the west and Elektrostal to the east.",
     {("s-400", "moscow"), ("s-400", "zvenigorod"), ("s-400", "elektrostal")}),
    # a town the sentence names beats the city a landmark's distance implies
    ("The A-135 system is built around the Don-2N, a huge pyramid-shaped radar near the town of Sofrino, about 50 km "
     "(30 miles) northeast of the Kremlin.", {("don-2n", "sofrino")}),
    # a sea drone that hit a harbour is a weapon, not a deployment
    ("In August 2023, a Sea Baby naval drone blew a hole in the hull of a Russian landing ship in Novorossiysk's harbor.",
     set()),


    # a place the footage was traced to, not the landmarks matched on the way
    ("It shows a boxy vehicle parked on a flat roof. The vehicle appears to be a Pantsir-S1. By matching the spire of "
     "the Kotelnicheskaya Embankment Building, we traced the roof to a five-storey building on Teterinsky Lane.",
     {("pantsir-s1", "teterinsky-lane")}),
    # where a commentator works
    ("Dr Miriam Sauer, a former air defence officer who now works as an independent consultant in Hamburg, said the "
     "trail was consistent with a Pantsir interceptor.", set()),
    # "One battery remains" is one of the batteries just named
    ("Sochi has been defended since the 2014 Winter Olympics, when S-400 batteries were brought in. One battery remains "
     "near the city's airport in the Adler district.", {("s-400", "adlersky-district")}),
    # "reported that air defence systems" points back at nothing; "the palace complex on Cape Idokopas" is a place
    ("An S-400 battery stands near Sochi. Schemes reported that air defence systems had also been seen at the palace "
     "complex on Cape Idokopas.", {("s-400", "sochi")}),
    # "next to the position" sentences after the position was placed
    ("The Navy said an S-400 launcher was destroyed near Cape Tarkhankut. Residents heard explosions.\n\n\"After that, "
     "the military closed the road.\"\n\nA Pantsir-S1 had reportedly been stationed next to the position in recent weeks.",
     {("s-400", "cape-tarkhankut"), ("pantsir-s1", "cape-tarkhankut")}),
    # "It is protected by" is about the place the sentence before was about (the air base home to the MiG-31s); a
    # warehouse complex is no system
    ("Belbek, which lies just inland from Lyubimovka, is home to MiG-31s. It is protected by an S-400 battery, according "
     "to Ukraine's military intelligence.", {("s-400", "belbek-air-base"), ("mig-31", "belbek-air-base")}),
    ("A Pantsir-S1 was filmed near Zarechye. The pylons and the roofline of a warehouse complex match imagery of a "
     "field in the Odintsovo district.", {("pantsir-s1", "zarechye")}),
    # the units a system was named with, named again; "eleven of them"; what a radar watches
    ("The first S-400 regiment went on combat duty in 2007 near Elektrostal. Today, about ten regiments are deployed in "
     "a ring around Moscow, including one near Zvenigorod, to the west.",
     {("s-400", "elektrostal"), ("s-400", "moscow"), ("s-400", "zvenigorod")}),
    ("Dozens of towers have appeared across the Moscow region to lift the Pantsirs above the treetops. Le Monde was able "
     "to geolocate eleven of them, including one on the edge of Zelenograd.",
     {("pantsir-s1", "moscow-oblast"), ("pantsir-s1", "zelenograd")}),
    ("The Don-2N radar near the town of Sofrino has watched the skies over Moscow since the late 1980s.",
     {("don-2n", "sofrino")}),
    # a unit named again but not counted carries nothing
    ("Farther out, the western approaches to the capital are covered by an S-400 regiment near Zvenigorod. The source "
     "said the Rublyovka towers were meant to close the gap between that regiment and the city.", {("s-400", "zvenigorod")}),
    # the city a direction measured from, named again later in the sentence, is a place of its own
    ("Moscow is defended in layers. The first S-400 regiment went on combat duty in Elektrostal, east of Moscow, in "
     "2007, and several more regiments now form a ring around the city.", {("s-400", "elektrostal"), ("s-400", "moscow")}),
    # a slash between two systems lists them
    ("Ukraine used HIMARS launchers to strike an S-300/S-400 battery in the Belgorod region.",
     {("s-300", "belgorod-oblast"), ("s-400", "belgorod-oblast")}),
    # the place examples are taken from is a claim of its own
    ("Pantsir systems have appeared on the roofs of several buildings in central Moscow, including the Defence Ministry "
     "headquarters on Frunzenskaya Embankment.", {("pantsir-s1", "moscow"), ("pantsir-s1", "national-defence-management-centre")}),
    # a list item opening on a place and its coordinates heads what follows; a short sentence naming a system does not
    ("Confirmed\n\n2. Teterinsky per., Taganka (≈55.744, 37.650). The second rooftop Pantsir. The crane footage matches "
     "the roofline.", {("pantsir-s1", "teterinsky-lane")}),
    # a continent is no place a system stands at
    ("Patriot systems were sent to Europe and one battery went to Kyiv.", {("patriot", "kyiv")}),
    # launchers that "went up" somewhere stand there; a drone is not deployed where it came down ("km." ends a sentence)
    ("Long-range S-400 launchers went up in the pine forests of Losiny Ostrov national park.", {("s-400", "losiny-ostrov")}),
    ("The UJ-22 drones have a range of up to 800 km. In April, a UJ-22 drone fell in a forest near the village of "
     "Rudnevo in the Noginsk district.", set()),
    # "them" that pictures showed, "three more" found; places a system is said not to protect
    ("Engineers have put up dozens of towers across the Moscow region to lift Pantsir radars above the treeline. "
     "Pictures showed them near Novo-Ogaryovo. Schemes found three more around Dolgiye Borody.",
     {("pantsir-s1", "moscow-oblast"), ("pantsir-s1", "novo-ogaryovo"), ("pantsir-s1", "dolgiye-borody")}),
    ("Every Pantsir on a tower at Usovo is one that is not protecting a refinery in Ryazan or an airfield in Crimea.",
     {("pantsir-s1", "usovo")}),
    # a relative clause after a place is no appositive describing it; what protects a place, whatever follows
    ("It operates several regiments of S-400 systems around the capital, the first of which went on duty near "
     "Elektrostal, east of Moscow, in 2007.", {("s-400", "elektrostal"), ("s-400", "moscow")}),
    ("Kyiv, meanwhile, is protected by IRIS-T SLM systems and American Patriot batteries, which in May intercepted "
     "several Kinzhal missiles over the Ukrainian capital.", {("iris-t-slm", "kyiv"), ("patriot", "kyiv")}),
    ("Towers with Pantsir-S1 systems went up near Krasnogorsk. Satellite images show at least three similar structures "
     "within a few kilometers of Novo-Ogaryovo.", {("pantsir-s1", "krasnogorsk"), ("pantsir-s1", "novo-ogaryovo")}),
    # what a munition strikes is its target; where a system is made is no place it stands; a capital that acts is the state
    ("April 17, 2024: ATACMS missiles hit the Dzhankoi airfield, where four S-400 launchers and three radar stations were "
     "destroyed.", {("s-400", "dzhankoi-air-base")}),
    ("The machine on top is a Pantsir-S1, a short-range system designed by the KBP bureau in Tula.", set()),
    ("Kyiv used a modified Neptune missile to destroy an S-400 near Yevpatoria in September 2023.", {("s-400", "yevpatoria")}),
    # a launcher hit where the strike hit; the fields of a place; a restrictive "where"
    ("In April, the Dzhankoi airfield in the north of the peninsula was struck with ATACMS, hitting four S-400 launchers.",
     {("s-400", "dzhankoi-air-base")}),
    ("GUR destroyed an S-400 launcher near Olenivka in August, and Ukrainian forces struck the Black Sea Fleet "
     "headquarters in Sevastopol in September.", {("s-400", "olenivka-crimea")}),
    ("Images showed S-400 launchers on the experimental fields of the Timiryazev Agricultural Academy.",
     {("s-400", "timiryazev-agricultural-academy")}),
    ("A second tower stands about 600 metres from the fields of the Timiryazev Agricultural Academy where S-400 launchers "
     "were photographed in January 2023.", {("s-400", "timiryazev-agricultural-academy")}),
])
def test_places_read_across_sentences_and_the_phrases_that_only_measure(text, expected):
    assert pairs_of(text) == expected


def test_companies_outlets_channels_and_people_named_in_new_forms():
    text = ("The drone was made by the Ukrainian firm Dronovia, the New York Times reported. The Times could not verify "
            "a video of the strike, in which Atacms missiles hit the base. Moscow blamed the Kyiv regime. Kirill "
            "Sazonov, a partner at the law firm Sazonov and Partners, declined to comment.\n"
            "Volnaya Pressa, an independent outlet, reported the towers.\nDrones Hit S-400 in Crimea, General Staff Says")
    extraction = extract_article(article(text), CATALOG)
    actors = {text[m.char_start:m.char_end]: m.entity_id for m in extraction.mentions if m.entity_type == "actor"}
    assert actors["Dronovia"] == "prov-actor-dronovia"
    assert actors["Times"] == "new-york-times"
    assert "Volnaya Pressa" in actors  # a name before an appositive stays on its line
    assert "Sazonov" not in actors and "Staff Says" not in actors
    assert "atacms" in entities(extraction, "system")
    assert "kyiv" not in entities(extraction, "site")
    channel = "The system was installed in 2023, according to the Moscow Telegram channel Ostorozhno, Moskva."
    assert entities(extract_article(article(channel), CATALOG), "actor") == {"ostorozhno-moskva"}
    spoke_to = "Viktoria Smirnova, 29, spoke to The Independent by phone. The open-source group Oryx counts the losses."
    assert {"the-independent", "oryx"} <= entities(extract_article(article(spoke_to), CATALOG), "actor")
    accented = '"It was not built for a drone made of plywood," said Élodie Vasseur, a researcher in Paris.'
    assert [q.speaker_surface for q in quotes_of(accented)] == ["Élodie Vasseur"]


def test_unnamed_sources_speak():
    text = ("\"We hit exactly what we were aiming at,\" said a senior Ukrainian military official, who spoke on condition "
            "of anonymity. A U.S. official said Washington had not been consulted.\n\n\"It's the logical sequence,\" the "
            "official said.\n\nA source in Ukraine's Security Service (SBU) told the Kyiv Independent that attacks would "
            "continue. \"Moscow City is a symbol,\" the source said.\n\n\"Nobody here is going to shed tears for "
            "Rublyovka,\" one EU diplomat told Playbook.\n\nUkrainian media, citing a source in the regional government, "
            "said six aircraft were destroyed.\n\nDenis Kulagin, a former officer who now works in Berlin, said: \"The "
            "towers are for show, nothing more.\"")
    extraction = extract_article(article(text), CATALOG)
    names = {e.entity_id: e for e in extraction.provisional}
    assert [names[q.speaker_id].name if q.speaker_id in names else q.speaker_surface for q in extraction.quotes] == [
        "Anonymous Ukrainian military official", "Anonymous U.S. official", "Anonymous SBU source", "Anonymous EU diplomat",
        "Denis Kulagin",
    ]
    assert "Ukrainian official" in names["prov-actor-anonymous-ukrainian-military-official"].aliases
    assert "source in Ukraine's Security Service (SBU)" in names["prov-actor-anonymous-sbu-source"].aliases
    # a source that is only cited, not quoted, is no actor; a named person's role is no unnamed source
    assert sorted(e.name for e in extraction.provisional if e.kind == "anonymous_source") == [
        "Anonymous EU diplomat", "Anonymous SBU source", "Anonymous U.S. official", "Anonymous Ukrainian military official",
    ]


def test_a_given_name_with_an_age_or_a_relative_clause_is_a_person():
    text = ("From her building, Irina, a 47-year-old pharmacist, can see the tower. \u201cAt first we thought it was a phone "
            "mast,\u201d she says.\n\n\"Then a crane came at night,\" says Larisa, who has lived in Usovo for fifteen "
            "years and asked the BBC not to publish her surname.")
    assert [(q.speaker_surface, q.quote[:10]) for q in quotes_of(text)] == [("Irina", "At first w"), ("Larisa", "Then a cra")]


def test_people_named_by_a_first_name_unnamed_members_and_headlines_in_quotes():
    text = ("A former officer, who asked that only his first name, Oleg, be used, says the ring was built for another war."
            "\n\n\"We trained to protect Moscow from B-52s,\" he says.\n\n\"The skies used to be quiet here,\" a resident "
            "of Yevpatoria who gave her name as Natalia told the Kyiv Independent.\n\n\"We are taking apart a system,\" a "
            "HUR officer involved in planning the strikes said. An officer in Ukraine's Air Force said the systems were "
            "moved.\n\n\"They can still make us pay for every strike,\" the officer said.\n\n\"The lights are going out\"\n\n"
            "Analysts say the strikes are part of a campaign, said Helen Carver of King's College London.")
    extraction = extract_article(article(text), CATALOG)
    assert [(q.speaker_surface, q.quote[:10]) for q in extraction.quotes] == [
        ("Oleg", "We trained"), ("Natalia", "The skies "), ("HUR", "We are tak"),
        ("An officer in Ukraine's Air Force", "They can s"),  # an unnamed source (test_unnamed_sources_speak)
    ]  # the subheading is no statement
    assert "prov-actor-king-s-college-london" in entities(extraction, "actor")
    others = ("\u201cAt first I thought they were filming a war movie,\u201d said Zinaida, a retired accountant.\n\n"
              "\u201cWhen the siren goes off we go down to the cellar,\u201d Lenur, a Crimean Tatar resident, told Kyiv Post.\n\n"
              "\u201cThe Kremlin has shown where its red line is,\u201d said Viktor Pavlenko, a military analyst. \u201cEach "
              "S-400 they lose at Dzhankoi has to be replaced.\u201d\n\nMaria Zakharova called the attack \"another terrorist "
              "attempt by the Kyiv regime\" and said it showed that Ukraine's Western backers were not interested in peace.\n\n"
              "Two drones targeted the Kremlin, Putin's office said in a statement. \"We consider these actions a "
              "planned terrorist act,\" the statement said.")
    assert [(q.speaker_surface, q.quote[:10]) for q in quotes_of(others)] == [
        ("Zinaida", "At first I"), ("Lenur", "When the s"), ("Viktor Pavlenko", "The Kremli"), ("Viktor Pavlenko", "Each S-400"),
        ("Maria Zakharova", "another te"), ("Putin's office", "We conside"),
    ]
    assert "london" not in entities(extraction, "site")


def test_sources_an_outlet_quotes_by_its_own_labels_and_a_statement_named_by_its():
    text = ("Source: a source in the SBU, speaking to Ukrainska Pravda\n\nDetails: According to the source, the strike "
            "was carried out overnight. Drones attacked first. Then two missiles hit the launchers.\n\nThe source said the "
            "system covered the coast.\n\nQuote from the source: \"This is another painful blow to the Russian air "
            "defence.\"\n\nA second Western official, who also asked not to be named, said the towers showed the priorities. "
            "\"Every Pantsir near Novo-Ogaryovo is a Pantsir that is not protecting a refinery.\"\n\nUkraine's General Staff "
            "later confirmed the strike. According to its statement, the attack also hit \"the radar of an S-400 air defence "
            "battalion\" near the airfield.\n\nLawyer Andrei Kiselyov, who has advised the residents, is doubtful. \"Formally, "
            "the ministry is a co-owner of the building,\" he said.")
    assert speakers_of(text) == [
        "Anonymous SBU source", "Anonymous Western official", "General Staff of the Armed Forces of Ukraine", "Andrei Kiselyov",
    ]


def test_a_force_in_a_persons_past_and_the_navy_of_a_ukrainian_report():
    text = ("\"Small drones are hard to see,\" said Jakub Sedlak, a former Czech air force intelligence officer. Daniel "
            "Rourke, a retired U.S. Air Force officer, agreed.\n\nThe SBU and the Navy said they had struck an S-400 near "
            "Yevpatoria. Andrei Ostapenko, a former Black Sea Fleet officer, told Meduza the bridge was exposed.")
    actors = entities(extract_article(article(text), CATALOG), "actor")
    assert {"us-air-force", "ukrainian-navy", "black-sea-fleet"} <= actors and "ukrainian-air-force" not in actors


def test_a_landmark_a_distance_is_measured_from_is_no_second_place():
    assert pairs_of("Images appeared to show a Pantsir on a raised concrete platform near the village of Zarechye, a few "
                    "kilometers from President Vladimir Putin's Novo-Ogaryovo residence.") == {("pantsir-s1", "zarechye")}


def test_reddit_users_speak_and_a_comment_on_a_quote_is_not_its_speaker():
    text = ("\"It's the same tower, same fence, same lamp post,\" wrote u/GridSquareNine.\n\nThe blogger channel Rybar wrote in "
            "March that there were \"not enough Pantsirs for everything,\" which, as u/ZenithOverTver noted, \"is the whole "
            "thread in one sentence.\"")
    assert [(q.speaker_surface, q.quote[:12]) for q in quotes_of(text)] == [
        ("u/GridSquareNine", "It's the sam"), ("Rybar", "not enough P"), ("u/ZenithOverTver", "is the whole"),
    ]


def test_places_a_system_is_not_at():
    assert pairs_of("Millerovo air base, near the border, was struck by a Tochka-U ballistic missile in February.") == set()
    assert pairs_of("\"If Russia cannot protect Engels and Morozovsk, we should be honest about what a handful of Patriot "
                    "batteries can protect in Europe,\" he said.") == set()
    assert pairs_of("\"Pantsirs are standing on towers around dachas while Belgorod is being shelled every day,\" it "
                    "wrote.") == set()
    assert pairs_of("\"Russia is not running out of S-400s,\" says Oliver Crane of the Royal United Services Institute, a "
                    "think-tank in London.") == set()


def test_the_airfield_is_the_air_base_its_sentence_names():
    text = ("Drones again closed Vnukovo airport in the morning.\n\nA user posted imagery from after the drone attack on "
            "Morozovsk air base in the Rostov region that appeared to show a Pantsir-S1 on the southern edge of the airfield.")
    assert ("pantsir-s1", "morozovsk-air-base") in pairs_of(text)


def test_unnamed_sources_of_services_and_people_introduced_by_their_trade():
    text = ("A source in the Crimean emergency services told TASS that the reports \"do not correspond to reality.\"\n\n"
            "\"Every radar they lose in Crimea is a window for us,\" says an officer in Ukraine's navy.\n\n\"The windows "
            "rattled and the dogs barked all morning,\" recalls Natalya, a hairdresser in Usovo.")
    assert speakers_of(text) == [
        "Anonymous source in the Crimean emergency services", "Anonymous officer in Ukraine's navy", "Natalya",
    ]


def test_a_system_covering_another_and_a_where_clause_after_the_city_a_park_is_in():
    assert pairs_of("In Losiny Ostrov national park, a clearing was cut for an S-400 battery, which is covered by a "
                    "Pantsir.") == {("s-400", "losiny-ostrov"), ("pantsir-s1", "losiny-ostrov")}
    assert pairs_of("Trees were felled in Losiny Ostrov National Park in the northeast of the city, where an S-400 "
                    "long-range system was later photographed.") == {("s-400", "losiny-ostrov")}


def test_units_after_a_date_and_the_lake_a_residence_stands_on():
    text = ("The first elevated Pantsirs appeared in the city itself. In January 2023 one was placed on the roof of the "
            "Defence Ministry's National Defence Management Centre on Frunzenskaya Embankment, and another was lifted "
            "onto an administrative building on Teterinsky Lane.\n\nFour hundred kilometres to the north-west is Dolgiye "
            "Borody, a former state dacha on Lake Valdai. Images taken in October 2023 show two new towers on the lake "
            "shore, one of them carrying what appears to be a Pantsir-S1.")
    assert {("pantsir-s1", "national-defence-management-centre"), ("pantsir-s1", "teterinsky-lane"),
            ("pantsir-s1", "lake-valdai")} <= pairs_of(text)


def test_unnamed_officers_of_formations_and_quotes_whose_sentence_ends_or_a_new_clause_follows():
    text = ("\"The outer ring was designed to stop aircraft,\" a former officer of the 1st Army, who served near Dmitrov "
            "until 2019, told Verstka on condition of anonymity.\n\n\"The systems on the roofs protect the ministries,\" a "
            "former air defence officer who served in the 1st Air and Missile Defence Army told Mediazona on condition of "
            "anonymity.\n\nAnother milblogger, Rybar, stated that Ukrainian forces had \"plenty of time to study them.\" ISW "
            "has previously reported on strikes against Russian S-400 systems near Yevpatoria.\n\nAlexander Khinshtein, a "
            "pro-Kremlin MP, wrote on Telegram that drones had been flying over Rublyovka \"in broad daylight\", while the "
            "military blogger channel Rybar asked how they had got so far.")
    assert speakers_of(text) == [
        "Anonymous former officer of the 1st Army", "Anonymous former air defence officer", "Rybar", "Alexander Khinshtein",
    ]


def test_aircraft_stand_at_the_air_base_their_sentence_names():
    assert pairs_of("Drones also went after Engels air base, home to Tu-95MS bombers, and the airfield at Yeysk.") \
        == {("tu-95ms", "engels-air-base")}
    # a town stands for its own air base; one named right after the planes holds them
    assert ("su-34", "morozovsk-air-base") in pairs_of(
        "Engels was attacked in 2022, and in April 2024 Ukraine said it had destroyed several Su-34 bombers at Morozovsk.")
    # never a city the aircraft bombs or flies over
    assert pairs_of("Su-34 bombers dropped glide bombs on Kharkiv overnight.") == set()


def test_places_far_from_a_system_and_the_weapons_a_strike_used_are_not_where_it_stands():
    assert ("s-300", "kharkiv") not in pairs_of(
        "Footage showed a HIMARS strike on an S-300 battery. We geolocated it to a field around 60 km from Kharkiv.")
    assert pairs_of("Ukrainian forces have struck air defence positions in Crimea using ATACMS missiles, HIMARS rockets "
                    "and drones.") == set()
    assert ("tor", "kerch") not in pairs_of("A thick layer of Pantsir-S1 and Tor systems covered the peninsula from Cape "
                                            "Tarkhankut to Kerch.")


def test_speakers_named_in_apposition_pointed_back_at_or_left_unnamed():
    text = ("A senior adviser to President Zelensky, Mykhailo Podolyak, said Kyiv was \"pleased to watch\" the attack.\n\n"
            "Zelensky thanked the Navy for what he called \"a very significant result\". Navy spokesman Dmytro Pletenchuk "
            "spoke on the telethon. According to him, the coast had long been covered \"precisely because the Russians "
            "understand how vulnerable it is\".\n\nA representative of one of the towers denied the rumours. \"There have "
            "been no such proposals,\" he said.")
    assert speakers_of(text) == ["Mykhailo Podolyak", "Volodymyr Zelensky", "Dmytro Pletenchuk", None]


def test_a_person_set_off_by_a_who_clause_and_an_unnamed_source_named_again():
    text = ("\"The first task is the president,\" a former officer told Proekt. Putin then said that air defence had "
            "\"worked normally\" on the day. Asked about priorities, the former officer did not hesitate. \"The people "
            "in the tower blocks come after that,\" he said.\n\nIrina, who has lived in Zarechye for twenty years, "
            "remembers the day. \"At first I was frightened,\" she said.")
    assert speakers_of(text) == ["Anonymous former officer", "Vladimir Putin", "Anonymous former officer", "Irina"]


def test_speakers_by_their_view_a_possessive_role_and_not_a_new_clause_after_the_quote():
    text = ("Dmitry Sedakov, a researcher at MGIMO, spoke to Izvestia. In his view, the raid was \"a signal addressed "
            "primarily to the new American administration\".\n\nPutin's spokesman Dmitry Peskov declined to comment, "
            "saying that his protection \"is handled by the relevant services\".\n\nBryansk governor Alexander Bogomaz "
            "regularly reports drones \"destroyed by the means of air defence\" over the region, and Kursk governor "
            "Roman Starovoit has asked residents not to film.")
    assert speakers_of(text) == ["Dmitry Sedakov", "Dmitry Peskov", "Alexander Bogomaz"]
