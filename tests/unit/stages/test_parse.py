import datetime as dt

import pytest

from flows.catalog import KnownOutlets
from flows.models import Article, Reject, SourceFile
from flows.stages.parse import (
    decode, detect_format, find_published_date, markdown_to_text, normalise_body, parse_article,
)
from tests.conftest import SEEDS

OUTLETS = KnownOutlets(
    by_domain={"themoscowtimes.com": "The Moscow Times", "dailymail.co.uk": "Daily Mail", "apnews.com": "Associated Press"},
    by_name={"themoscowtimes": "The Moscow Times", "dailymail": "Daily Mail", "kyivpost": "Kyiv Post", "afp": "AFP", "dw": "DW",
             "theinsider": "The Insider", "associatedpress": "Associated Press", "apnews": "Associated Press",
             "instituteforthestudyofwar": "Institute for the Study of War", "currenttimetv": "Current Time",
             "112": "112 Ukraine"},
)


def parse(data: bytes, name: str = "a.txt") -> Article | Reject:
    src = SourceFile(path=f"/tmp/{name}", source_name=name, size_bytes=len(data), mtime_ns=0)
    return parse_article(src, data, OUTLETS, dt.date(2026, 1, 1))


def seed(name: str) -> Article:
    path = next(SEEDS.glob(f"{name}_*.txt"))
    result = parse(path.read_bytes(), path.name)
    assert isinstance(result, Article)
    return result


def test_utf8_with_and_without_bom():
    assert decode("Pantsir – Москва".encode())[1:] == ("utf-8", False)
    text, encoding, fallback = decode(b"\xef\xbb\xbfPantsir")
    assert (text, encoding, fallback) == ("Pantsir", "utf-8-sig", False)


def test_cp1252_fallback_is_recorded():
    article = parse("Putin’s “Pantsir” on the roof of the ministry in Moscow.\n".encode("cp1252"))
    assert isinstance(article, Article)
    assert article.encoding_fallback and "Putin’s “Pantsir”" in article.text


@pytest.mark.parametrize(
    "data, reason",
    [(b"", "empty"), (b"  \n\t\n ", "empty"), (b"\x00\x01\x02binary\x00" * 50, "binary"), (bytes(range(256)) * 4, "binary")],
)
def test_bad_input_is_rejected_with_reason(data, reason):
    result = parse(data)
    assert isinstance(result, Reject) and result.reason == reason


def test_format_detection():
    assert detect_format("<!doctype html><html><body><p>x</p></body></html>") == "html"
    assert detect_format("# Title\n\nBody with **bold**.") == "markdown"
    assert detect_format("Plain words. More words.") == "text"


def test_markdown_is_flattened_and_body_normalised():
    raw = "# Head\n\n\n\nSome **bold** and [a link](http://x) and *it*.\n\n    indented line  \n"
    assert normalise_body(markdown_to_text(raw)) == "Head\n\nSome bold and a link and it.\n\nindented line"


def test_dateline_only_on_its_own_line():
    assert find_published_date(["Title", "", "January 20, 2023"]) == dt.date(2023, 1, 20)
    assert find_published_date(["It began after the Feb. 24, 2022 invasion of its neighbour."]) is None


def test_dateline_shared_with_a_byline():
    assert find_published_date(["Title", "May 30, 2023 6:12 PM GMT+3 | By Reuters Staff"]) == dt.date(2023, 5, 30)
    assert find_published_date(["**The Perimeter** · by Ilya Brandt · Jun 14, 2023"]) == dt.date(2023, 6, 14)
    assert find_published_date(["Moscow | Kyiv | London"]) is None
    assert find_published_date(["Roman Petrenko — Saturday, 16 March 2024, 10:14"]) == dt.date(2024, 3, 16)
    long_line = "Pieter van Dalen | 19 Feb 2024 | https://groundtruth.substack.com/p/towers-berms-and-empty-fields"
    assert find_published_date([long_line]) == dt.date(2024, 2, 19)  # a long line by its parts
    assert find_published_date(["14/09/2023 - 13:47"]) == dt.date(2023, 9, 14)  # day first: no month is 14
    assert find_published_date(["04/09/2023"]) is None  # April or September: not read


def test_seed_metadata_matches_the_gold_annotation():
    moscow_times = seed("003")
    assert moscow_times.title == "Kremlin Declines to Say if Moscow is Preparing for Air Strikes"
    assert moscow_times.published_date == dt.date(2023, 1, 20)
    assert moscow_times.publisher == "The Moscow Times"
    assert moscow_times.url.startswith("https://www.themoscowtimes.com/2023/01/20/")
    assert seed("002").title == "Russia ramps up Moscow’s air defences with missile launchers placed on roofs"
    for name in ("000", "001", "004"):
        article = seed(name)
        assert (article.title, article.published_date, article.publisher, article.url) == (None, None, None, None)


def test_html_picture_captions_are_paragraphs_of_the_text():
    html = b"""<!doctype html><html><head><title>Air defence in pictures</title></head><body><article>
    <h1>Air defence in pictures</h1><p>Both sides now fire missiles worth millions at drones worth thousands.</p>
    <figure><img src="01.jpg" alt="A missile system on a roof"><figcaption>A Pantsir-S1 on the roof of the National
    Defence Management Centre in Moscow. <span class="credit">Photograph: social media</span></figcaption></figure>
    <figure><img src="02.jpg"><figcaption>An S-400 launcher in Losiny Ostrov national park.</figcaption></figure>
    </article></body></html>"""
    lines = parse(html, "gallery.html").text.splitlines()
    assert "An S-400 launcher in Losiny Ostrov national park." in lines
    assert any(line.startswith("A Pantsir-S1 on the roof") and line.endswith("Photograph: social media") for line in lines)


def test_html_comments_of_a_thread_are_part_of_its_text():
    html = b"""<!doctype html><html><head><title>Air defence sightings thread</title></head><body class="comments-page">
    <div class="thing link self"><div class="md"><p>Post your spots around St Petersburg, with sources, please.</p>
    <p>A Pantsir-S1 stands on a lattice tower at Strelna, photographed by a local VK group.</p></div></div>
    <div class="commentarea"><div class="comment"><p class="tagline"><a class="author">neva_spotter</a></p>
    <div class="md"><p>Can confirm Strelna, drove past it last weekend, and the radar was turning.</p></div></div>
    <div class="comment"><div class="md"><p>Kirishi: a Pantsir was parked by the KINEF main gate for two weeks.</p></div>
    </div></div></body></html>"""
    text = parse(html, "thread.html").text
    assert "Can confirm Strelna" in text and "KINEF main gate" in text


def test_html_tables_are_rows_of_the_text():
    html = b"""<!doctype html><html><body><article><p>Where the long-range systems around Moscow stood in 2024,
    by our count of satellite imagery and official statements.</p><table><tr><th>System</th><th>Location</th></tr>
    <tr><td>S-400</td><td>Zvenigorod, Dmitrov</td></tr><tr><td>Pantsir-S1</td><td>Usovo</td></tr></table>
    <p>More towers have gone up since, mostly west of the city.</p></article></body></html>"""
    lines = [line.strip() for line in parse(html, "table.html").text.splitlines()]
    assert "| S-400 | Zvenigorod, Dmitrov |" in lines and "| Pantsir-S1 | Usovo |" in lines


def test_html_main_text_without_boilerplate():
    html = b"""<!doctype html><html><head><title>S-400 seen in Moscow park</title>
    <meta property="article:published_time" content="2023-01-19T10:00:00Z">
    <link rel="canonical" href="https://www.dailymail.co.uk/news/s400.html">
    <script>var tracking = 1;</script><style>p {color: red}</style></head>
    <body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>
    <article><h1>S-400 seen in Moscow park</h1>
    <p>An S-400 battery was photographed in Losiny Ostrov national park on Wednesday, according to images
    shared on social media. Trees were felled to make room for the launchers, residents said.</p>
    <p>The Kremlin declined to comment on the deployment when asked by reporters on Thursday.</p></article>
    <footer>Copyright 2023 Associated Newspapers. All rights reserved.</footer></body></html>"""
    article = parse(html, "page.html")
    assert isinstance(article, Article) and article.text_format == "html"
    assert "Losiny Ostrov" in article.text and "The Kremlin declined" in article.text
    for noise in ("tracking", "color: red", "Home", "Copyright"):
        assert noise not in article.text
    assert article.title == "S-400 seen in Moscow park"
    assert article.published_date == dt.date(2023, 1, 19)
    assert article.publisher == "Daily Mail"


def test_article_id_is_content_derived():
    one, two = parse(b"Pantsir in Moscow."), parse(b"Pantsir in Moscow.", "b.txt")
    assert one.article_id == two.article_id and len(one.article_id) == 16


def test_files_are_read_in_order_with_errors_in_place(tmp_path):
    from flows.stages.parse import read_files

    paths = []
    for i in range(40):
        path = tmp_path / f"{i}.txt"
        path.write_bytes(f"article {i}".encode())
        paths.append(str(path))
    paths[7] = str(tmp_path / "gone.txt")
    read = read_files(paths)
    assert isinstance(read[7], FileNotFoundError)
    assert [r for i, r in enumerate(read) if i != 7] == [f"article {i}".encode() for i in range(40) if i != 7]


def test_labelled_header_lines_and_front_matter_state_the_metadata():
    article = parse("Title: Residents ask who put a battery in Losiny Ostrov\nPublisher: Novaya Gazeta Europe\n"
                    "Author: Darya Sokolova\nPublished: 2023-01-27T14:30:00+02:00\n"
                    "URL: https://novayagazeta.eu/articles/2023/01/27/battery\n\n"
                    "Residents ask who put a battery in Losiny Ostrov\n\nLocals say trees were felled at night.".encode())
    assert (article.title, article.publisher, article.author, article.published_date, article.url) == (
        "Residents ask who put a battery in Losiny Ostrov", "Novaya Gazeta Europe", "Darya Sokolova",
        dt.date(2023, 1, 27), "https://novayagazeta.eu/articles/2023/01/27/battery")
    front_matter = parse('---\ntitle: "Factbox: What air defences protect Moscow?"\ndate: 2024-09-10T13:05:00Z\n'
                         'publisher: Reuters\n---\n\n# Factbox: What air defences protect Moscow?\n\n'
                         'Moscow is protected by one of the densest networks of air defences.'.encode(), "a.md")
    assert (front_matter.published_date, front_matter.publisher) == (dt.date(2024, 9, 10), "Reuters")
    credit = parse(b"Drones hit an S-300 in Crimea\n\nSource: HUR on Telegram\n\nThe strike destroyed a launcher.")
    assert credit.publisher is None  # a "Source:" that is no link credits the information


@pytest.mark.parametrize("header, publisher", [
    ("'We counted missiles like money': a colonel on 2023\n\nKyiv Post\n\nInterview by Olena Savchuk", "Kyiv Post"),
    ("What is the Pantsir-S1? Where has it been seen?\n\nDW | 12.03.2025 | Jakob Brenner", "DW"),
    ("A photo of S-400 launchers was taken in 2020\n\nAFP Fact Check\nPublished on 6 May 2025", "AFP"),
    ("Drone hits Moscow skyscraper again\n\nMOSCOW (AP) \u2014 A drone slammed into a skyscraper.", "Associated Press"),
    ("Russia rushes Pantsirs to refineries\n\nApril 3, 2024\n\n(Bloomberg) -- Russia is stationing Pantsirs.", "Bloomberg"),
])
def test_a_header_line_or_a_wire_dateline_names_the_publisher(header, publisher):
    body = "\n\nThe drone hit the IQ-Quarter complex in Moscow City early on Tuesday, officials said in a statement."
    assert parse((header + body).encode()).publisher == publisher


def test_a_link_after_its_sites_name_and_a_pages_own_site_name():
    isw = parse("# Russian Offensive Campaign Assessment, June 12, 2024\n\nJune 12, 2024\n\nInstitute for the Study of War "
                "\u2014 https://www.understandingwar.org/backgrounder/assessment-june-12-2024\n\nRussian milbloggers claimed "
                "that the command had redeployed air defence systems to Belgorod.".encode(), "a.md")
    assert (isw.publisher, isw.url) == ("Institute for the Study of War",
                                        "https://www.understandingwar.org/backgrounder/assessment-june-12-2024")
    page = ('<html><head><title>Pantsirs in the park</title><meta property="og:site_name" content="{}">'
            '<meta property="og:url" content="https://apnews.com/article/pantsir-park"></head><body><article>'
            "<p>Residents of Sokolniki photographed a Pantsir-S1 behind a fence near a school on Tuesday, and the defence "
            "ministry declined to comment on the sighting when asked about it by reporters.</p></article></body></html>")
    assert parse(page.format("Mail Plus").encode(), "a.html").publisher == "Mail Plus"
    assert parse(page.format("AP News").encode(), "a.html").publisher == "Associated Press"  # as the catalog names it
    assert parse(page.format("apnews_en").encode(), "a.html").publisher == "Associated Press"  # a handle is no name


def test_a_newsletters_header_and_a_link_below_the_byline():
    newsletter = parse("**The Bell** \u00b7 English newsletter\n**Sent:** Sunday, 7 April 2024, 12:30 Moscow time\n"
                       "**Web version:** https://en.thebell.io/drones-over-morozovsk/\n\n# Drones over Morozovsk\n\n"
                       "Hi! This is The Bell. This week Ukraine launched one of its biggest drone raids.".encode(), "a.md")
    assert (newsletter.published_date, newsletter.url) == (dt.date(2024, 4, 7), "https://en.thebell.io/drones-over-morozovsk/")
    wire = parse("THE WALL STREET JOURNAL.\nWORLD | EUROPE\n\nUkraine Uses U.S. Missiles to Punch Holes in Crimea's Air "
                 "Defenses\nKyiv has destroyed several systems, officials say\n\nBy Ilya Marchenko and Daniel Harwood\n"
                 "May 19, 2024 5:30 am ET\n\nhttps://www.wsj.com/world/europe/ukraine-crimea-air-defenses-7c41d2a9\n\n"
                 "KYIV, Ukraine\u2014Ukraine has used long-range missiles to knock out several S-400 systems.".encode())
    assert wire.url == "https://www.wsj.com/world/europe/ukraine-crimea-air-defenses-7c41d2a9"


def test_an_emailed_newsletter_a_broadcast_transcript_and_a_telegram_digest():
    email = parse("From: Semafor Flagship <flagship@semafor.com>\nDate: Wed, 31 May 2023 05:58 EDT\nSubject: Drones reach "
                  "Moscow's elite suburbs\nView in browser: https://www.semafor.com/newsletter/05/31/2023/drones\n\n"
                  "SEMAFOR FLAGSHIP\n\nGood morning. Moscow woke up to the war on its doorstep today.".encode())
    assert (email.title, email.published_date, email.url) == (
        "Drones reach Moscow's elite suburbs", dt.date(2023, 5, 31), "https://www.semafor.com/newsletter/05/31/2023/drones")
    transcript = parse("CURRENT TIME TV | Nastoyashchee Vremya\nProgramme: Vremya Nastoyashchee (evening news) - English "
                       "transcript\nAired: 31 May 2023, 19:00 Moscow time\n\nDrones over Rublyovka: how Moscow lives next "
                       "to its air defenses\n\n[ANCHOR]\nGood evening. A day after the largest drone attack on Moscow since "
                       "the start of the war, the Russian capital is counting the damage.".encode())
    assert (transcript.title, transcript.publisher, transcript.published_date) == (
        "Drones over Rublyovka: how Moscow lives next to its air defenses", "Current Time", dt.date(2023, 5, 31))
    digest = parse("https://t.me/frontova_zvedenka/5127\n16.05.2024, 19:40 (Kyiv time)\nFrontova Zvedenka | military "
                   "digest channel\n\nNIGHT OVER BELBEK: WHAT THE GENERAL STAFF SAID ABOUT THE STRIKES\n\n02:35 - The first "
                   "reports of explosions came from Sevastopol's North Side and the villages around the airfield.".encode())
    assert (digest.title, digest.publisher, digest.published_date) == (
        "NIGHT OVER BELBEK: WHAT THE GENERAL STAFF SAID ABOUT THE STRIKES", "Frontova Zvedenka", dt.date(2024, 5, 16))
    blog = parse("Medium\nAnton Veres \u00b7 8 min read \u00b7 Feb 19, 2024\nhttps://medium.com/@anton.veres/stilts-in-the-"
                 "birches\n\n# Stilts in the Birches\n\nTwo photos, one TV tower and a power line.".encode(), "a.md")
    assert blog.publisher == "Medium"


def test_an_ordinal_date_and_a_site_label_with_its_description():
    economist = parse("The Economist\nEurope | Holes in the umbrella\nSep 21st 2023 | KYIV\n\nUkraine is picking apart "
                      "Crimea's air defences\n\nON SEPTEMBER 14th a pair of drones flew low over the salt lakes.".encode())
    assert economist.published_date == dt.date(2023, 9, 21)
    local = parse("Site: Odintsovo-INFO (odintsovo.info), Odintsovo urban district news\nDate: 22.08.2023, 09:40\n\nAir "
                  "defence shoots down drone over Odintsovo district\n\nResidents of Razdory woke up to bangs.".encode())
    assert local.publisher == "Odintsovo-INFO"


def test_a_telegram_channels_compiled_posts_and_a_breadcrumb_above_the_headline():
    posts = parse("ASTRA \u00b7 Telegram channel \u00b7 t.me/astrapress\nDrones over Morozovsk, Engels and Yeysk: ASTRA's posts "
                  "through the night\nCompiled posts of 5 April 2024 (Moscow time, translated from Russian)\nFirst post: "
                  "https://t.me/astrapress/54812\n\n[05.04.2024, 02:14]\nBryansk region governor Alexander Bogomaz reports "
                  "that a drone was shot down over the Pogar district.".encode())
    assert (posts.title, posts.url, posts.published_date) == (
        "Drones over Morozovsk, Engels and Yeysk: ASTRA's posts through the night", "https://t.me/astrapress/54812",
        dt.date(2024, 4, 5))
    item = parse("https://www.m24.ru/news/proisshestviya/30052023/597214\n30.05.2023, 11:47 (updated 16:05)\nMoskva 24 \u2014 "
                 "News \u2014 Incidents\n[Translated from Russian]\n\nSobyanin: several buildings slightly damaged in drone "
                 "attack on Moscow\n\nSeveral residential buildings in Moscow received minor damage.".encode())
    assert item.title == "Sobyanin: several buildings slightly damaged in drone attack on Moscow"


def test_a_threads_header_a_transcripts_breadcrumb_and_a_channel_named_by_digits():
    thread = parse("Thread by Lotte Brandsma (@lbrandsma_imint), posted on X\n7:42 PM \u00b7 May 3, 2024 \u00b7 13 posts\n"
                   "https://x.com/lbrandsma_imint/status/1786412938806473095\n\nOne year after the Kremlin drones: what "
                   "changed in Moscow's air defence \U0001f9f5\n\n1/ A year ago two drones exploded over the Senate dome."
                   .encode())
    assert thread.title == "One year after the Kremlin drones: what changed in Moscow's air defence"
    transcript = parse("President of Russia (en.kremlin.ru)\nEvents > President > Transcripts\nDecember 14, 2023, 16:10\n\n"
                       "Results of the Year with Vladimir Putin\n\nThe combined Direct Line was held at Gostiny Dvor.".encode())
    assert transcript.title == "Results of the Year with Vladimir Putin"
    mastodon = parse("https://mastodon.social/@mvos_geo/112232906184457713\nApr 8, 2024, 09:14 UTC\nGeolocating the air "
                     "defence at Morozovsk after the raid\n\n1/12\nThe first images came on Saturday.".encode())
    assert mastodon.publisher != "112 Ukraine"
