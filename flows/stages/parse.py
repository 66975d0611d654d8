"""parse: bytes of one file -> an Article (metadata + normalised body) or a Reject with its reason.

The normalised body is what `v_articles.text` stores and what every offset indexes.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from pydantic import ValidationError

from flows.catalog import KnownOutlets
from flows.models import Article, Reject, SourceFile, TextFormat
from flows.names import normalise_name


class ParseError(Exception):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def parser_version() -> str:
    """A hash of this module: when parsing changes, stored articles are parsed again from their files."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def article_id_for(digest: str) -> str:
    """Article IDs are the content hash's prefix: the same bytes give the same article anywhere."""
    return digest[:16]


# --- decoding -------------------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CONTROL = {c for c in range(32) if chr(c) not in "\t\n\r\f\v"} | {127}
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = len(head.translate(None, _NOT_CONTROL))  # the control bytes are what deleting the others leaves
    return controls > max(2, len(head) // 100)


def _garbled_share(text: str) -> float:
    bad = sum(1 for ch in text if ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v"))
    return bad / max(1, len(text))


def decode(data: bytes) -> tuple[str, str, bool]:
    """Return (text, encoding, used_fallback). UTF-8 first; otherwise detection, then cp1252, then latin-1."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding, False
    if _looks_binary(data):
        raise ParseError("binary", "control bytes or NUL in the first 8 KiB")
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError as exc:
        first_error = f"not UTF-8 (byte {exc.start})"
    candidates: list[str] = []
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and best.encoding:
            candidates.append(best.encoding)
    except Exception:  # detection is a hint, never a reason to fail
        pass
    candidates += ["cp1252", "latin-1"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _garbled_share(text) < 0.01:
            return text, encoding, True
    raise ParseError("undecodable", f"{first_error}; no fallback encoding gives clean text")


# --- format detection and normalisation -----------------------------------------------------------

_HTML_HINT = re.compile(r"<!doctype html|<html[\s>]|<body[\s>]|<head[\s>]|<article[\s>]|<p[\s>]|<div[\s>]", re.I)
_MD_HINTS = (
    re.compile(r"^#{1,6}\s+\S", re.M),
    re.compile(r"\*\*[^*\n]+\*\*"),
    re.compile(r"\[[^\]\n]+\]\([^)\n]*\)"),
    re.compile(r"^<https?://[^>\s]+>\s*$", re.M),
)


def detect_format(text: str) -> TextFormat:
    if _HTML_HINT.search(text[:4096]):
        return "html"
    if sum(1 for pattern in _MD_HINTS if pattern.search(text)) >= 1:
        return "markdown"
    return "text"


# (what a match must contain, pattern, replacement): a rule runs only on text that has its marker
_MD_RULES: tuple[tuple[tuple[str, ...], re.Pattern[str], str], ...] = (
    (("```",), re.compile(r"^```.*?^```\s*$", re.S | re.M), ""),  # code fences
    (("-", "*", "_"), re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$", re.M), ""),  # rules
    (("![",), re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # images -> alt text
    (("](",), re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)"), r"\1"),  # links -> their text
    (("<http",), re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    (("#",), re.compile(r"^#{1,6}\s+", re.M), ""),  # heading markers
    ((">",), re.compile(r"^>\s?", re.M), ""),  # block quotes
    (("**", "__"), re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (("*",), re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # italics
)


def markdown_to_text(text: str) -> str:
    for markers, pattern, replacement in _MD_RULES:
        if any(marker in text for marker in markers):
            text = pattern.sub(replacement, text)
    return text


# trafilatura drops <figure> blocks with their captions, and a caption often says what stands where ("A
# Pantsir-S1 on the roof of the National Defence Management Centre"): captions become paragraphs
_FIGURE_TAG = re.compile(r"<(/?)(figure|figcaption)\b", re.I)


def html_to_text(html: str) -> str:
    """Main text, picture captions, tables (rows as "| a | b |") and comments (no navigation, scripts, styles,
    footers), by trafilatura: a table often says what stands where, and on a forum thread the comments are
    what the page reports ("Can confirm Strelna, drove past it")."""
    import trafilatura

    if "<fig" in html or "<FIG" in html:
        html = _FIGURE_TAG.sub(lambda m: f"<{m.group(1)}{'div' if m.group(2).lower() == 'figure' else 'p'}", html)
    body = trafilatura.extract(
        html, output_format="txt", include_comments=True, include_tables=True, favor_recall=True, deduplicate=False
    )
    return body or ""


_ODD_SPACES = "\t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_SPACES = re.compile(f"[ {_ODD_SPACES}]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")


def _collapse_spaces(text: str) -> str:
    """Every run of space characters as one " " (most texts have none: checking first skips the regex scan)."""
    if "  " in text or any(ch in text for ch in _ODD_SPACES):
        return _SPACES.sub(" ", text)
    return text


def normalise_body(text: str) -> str:
    """NFC, unified newlines and spaces, lines trimmed, at most one blank line between paragraphs."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _collapse_spaces(_INVISIBLE.sub("", text))
    lines = [line.strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


# --- metadata --------------------------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_RE = r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE_PATTERNS = (
    re.compile(_MONTH_RE + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)", re.I),  # "Sep 21st 2023"
    re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_RE + r",?\s+(?P<year>(?:19|20)\d\d)", re.I),
    re.compile(r"(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)"),
    re.compile(r"\b(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>(?:19|20)\d\d)\b"),  # 30.05.2023
    re.compile(r"\b(?P<day>1[3-9]|2\d|3[01])/(?P<month>\d{1,2})/(?P<year>(?:19|20)\d\d)\b"),  # 14/09/2023: a day no month can be
)
_US_DATE = re.compile(r"\b(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>(?:19|20)?\d\d)\b")  # 3/21/23, bylines only
_TIME = re.compile(r"\b\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s*(?:[A-Z]{2,4}(?:[+-]\d{1,2})?|ET|UTC|GMT))?", re.I)
_DATE_NOISE = re.compile(
    r"\b(?:published|posted|updated|date|dated|on|at|by|(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)"
    r"(?:day)?|gmt|utc|bst|cet|eet|msk|edt|est|et|time|local|kyiv|kiev|moscow)\b|[|:,.\-+/()\[\]\d]",  # "19:40 (Kyiv time)",
    # a Telegram post's "[05.04.2024, 02:14]"
    re.I,
)
_BYLINE_DATE = re.compile(r"^(?:by|posted|published|updated)\b", re.I)
_WIRE_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z .'-]+(?:,\s*[^()\n/]{0,25}?)?\s*)?(?:\((?P<wire>Reuters|AP|AFP|Bloomberg)\)|/(?P<agency>TASS|Interfax|RIA Novosti)/)"
)
_URL = re.compile(r"https?://[^\s>]+", re.I)
# what precedes a labelled link: "Original URL: ", "Source:\n<" (the link is found first: a scan for the
# labels themselves is slow)
_URL_LABEL_BEFORE = re.compile(
    r"(?:original\s+url|source\s+url|source|url|link|canonical|permalink|original|web\s+version|(?:read|view)\s+online|view\s+in\s+(?:your\s+)?browser"
    r"|(?:first\s+)?post)"
    r"\s*:\s*[<\"']?$", re.I
)
_BYLINE = re.compile(r"^By\s+(?P<author>[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){1,3})(?:\s*[,|]|\s*$)", re.M)
_WIRES = {"reuters": "Reuters", "ap": "Associated Press", "afp": "AFP", "bloomberg": "Bloomberg"}


def parse_date(text: str, default_year: int | None = None) -> dt.date | None:
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        parts = match.groupdict()
        month = int(parts["month"]) if parts.get("month") else _MONTHS[parts["mon"].lower().rstrip(".")]
        try:
            return dt.date(int(parts["year"]), month, int(parts["day"]))
        except ValueError:
            continue
    return None


def find_published_date(lines: list[str]) -> dt.date | None:
    """A dateline among the first lines: a short line that is mostly a date ('Fri 20 Jan 2023 13.47 GMT',
    '30.05.2023'), or a byline carrying one ('Posted on 19 April 2024 by ...', 'BY X ON 3/21/23 AT 8:52 AM'),
    or such a part of a line split by |, ·, • or a dash ('May 30, 2023 6:12 PM GMT+3 | By Reuters Staff')."""
    for line in lines[:15]:
        parts = _HEADER_SEPARATOR.split(line)  # a long line only by its parts ("X | 19 Feb 2024 | https://...")
        for part in ([line] if len(line) <= 90 else []) + (parts if len(parts) > 1 else []):
            found = _dateline_date(part)
            if found is not None:
                return found
    return None


_HEADER_SEPARATOR = re.compile(r"\s+[|·•—–]\s+")  # "Roman Petrenko — Saturday, 16 March 2024, 10:14", "DW | 12.03.2025"


def _header_lines(lines: list[str]) -> list[str]:
    """The lines above the body (title, site, byline, date): the first twelve, up to one that reads as prose."""
    header = []
    for line in lines[:12]:
        if len(line.split()) > 30 or (line.endswith(".") and len(line.split()) > 12):
            break  # the body has begun
        header.append(line)
    return header


def _dateline_date(line: str) -> dt.date | None:
    found = parse_date(line)
    byline = _BYLINE_DATE.match(line)
    if found is None and byline:
        us = _US_DATE.search(line)
        if us:
            year = int(us.group("year"))
            try:
                found = dt.date(year + 2000 if year < 100 else year, int(us.group("month")), int(us.group("day")))
            except ValueError:
                found = None
    if found is None:
        return None
    leftover = _DATE_NOISE.sub(" ", _TIME.sub(" ", line))
    leftover = re.sub(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b", " ", leftover, flags=re.I)
    return found if byline or len(leftover.split()) <= 1 else None


_THREAD_BY = re.compile(r"\bthread\s+by\b", re.I)


def _title_like(line: str) -> bool:
    words = line.split()
    opening = line.lstrip("'\"‘“«")  # "'We counted missiles like money': a colonel on ..."
    title_case = sum(w[0].isupper() for w in words) >= 0.6 * len(words)  # "... Drones. It Still Has Cracks."
    return (
        3 <= len(words) <= 25 and len(line) <= 160 and opening[:1].isupper()
        and (line[-1] not in ".,;:!\"”’" or line[-1] == "." and title_case)
        and "|" not in line and len(_HEADER_SEPARATOR.findall(line)) < 2  # "Moskva 24 — News — Incidents"
        and " > " not in line and not _THREAD_BY.search(line)  # "Events > President > Transcripts", "Thread by X, posted on X"
        and (not line.isupper() or len(words) >= 5) and not re.match(r"https?://", line)
        and not ((label := _LABELLED_LINE.match(line)) and label.group("label").lower() in _HEADER_LABELS)
        and not _BYLINE_DATE.match(line) and (parse_date(line) is None or len(words) >= 7)
    )


def find_title(raw: str, text_format: TextFormat, lines: list[str]) -> str | None:
    """A Markdown heading, else the first title-like line above the body (skipping section labels,
    site names, URLs, bylines and datelines); a short first line alone qualifies too."""
    if text_format == "markdown":
        heading = re.search(r"^#{1,2}\s+(.+?)\s*#*\s*$", raw, re.M)
        if heading:
            return normalise_body(markdown_to_text(heading.group(1))) or None
    if len(lines) < 3:
        return None
    candidates = [line for line in _header_lines(lines) if line and _title_like(line)]
    for line in sorted(candidates, key=str.isupper):  # a headline in capitals only if none is in mixed case
        if len(line.split()) >= 5:
            return _without_symbols_after(line)
    return _without_symbols_after(candidates[0]) if candidates and candidates[0] == lines[0] and lines[1] == "" else None


def _without_symbols_after(line: str) -> str:
    """A headline without the pictographs after it ("... Moscow's air defence 🧵")."""
    end = len(line)
    while end and (line[end - 1].isspace() or unicodedata.category(line[end - 1]).startswith("S")):
        end -= 1
    return line[:end] or line


_LINK_CLOSING_A_LINE = re.compile(r"(?:[^\n]{0,80}\s[—–|·]\s+)?<?(https?://\S+?)>?")


def find_url(text: str) -> str | None:
    if "http" not in text.lower():
        return None  # every form below is a link
    for link in _URL.finditer(text):  # a labelled link, the label on the same line or the one before
        if _URL_LABEL_BEFORE.search(text, max(0, link.start() - 40), link.start()):
            return link.group().rstrip(".,;)\"'")
    lines = [line for line in text.split("\n") if line.strip()]
    for line in lines[:10] + lines[-3:]:  # a bare link in the header block (title, date, byline) or closing the article,
        # alone or after its site's name ("Institute for the Study of War — https://...")
        if bare := _LINK_CLOSING_A_LINE.fullmatch(line.strip()):
            return bare.group(1)
    return None


def publisher_from_url(url: str | None, by_domain: dict[str, str], text: str = "") -> str | None:
    """The outlet behind a URL: the catalog's outlet for the domain, else the name the text gives the site
    ('hangarnotes.substack.com' and '(c) 2024 Hangar Notes' -> 'Hangar Notes'; 't.me/frontova_zvedenka/5127'
    and 'Frontova Zvedenka | military digest channel'), else the host."""
    if not url:
        return None
    host = (urlparse(url).hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    parts = host.split(".")
    for i in range(len(parts) - 1):
        candidate = ".".join(parts[i:])
        if candidate in by_domain:
            return by_domain[candidate]
    blog_host = len(parts) > 2 and parts[1] in ("substack", "medium", "blogspot", "wordpress")
    second_level = len(parts) > 2 and parts[-2] in ("co", "com", "org", "net", "gov", "ac", "edu")  # "morningcourier.co.uk"
    label = parts[0] if blog_host else parts[-3] if second_level else (parts[-2] if len(parts) >= 2 else "")
    if host in ("t.me", "telegram.me"):  # a channel's handle: "t.me/s/<handle>" too
        label = next((p for p in urlparse(url).path.split("/") if p and p != "s"), "")
    label = normalise_name(label)  # "nash-sevastopol.ru" and "Nash Sevastopol"
    if len(label) >= 4:
        for run in _NAME_RUN.finditer(text):
            name = run.group()
            if label in (normalise_name(name), normalise_name(name.removeprefix("The "))):
                return name.title() if name.isupper() else name
    return host or None


# a name as a site gives itself: "The Potomac Ledger", "War on the Rocks", "Tyl i Front"
_NAME_RUN = re.compile(r"[A-Z][\w'’-]*(?:[ \t]+(?:(?:on|of|the|and|i|de)[ \t]+)?[A-Z][\w'’-]*){0,3}")  # within a line


def own_site_name(sitename: str | None, known: dict[str, str]) -> str | None:
    """A page's own site name ("Mail Online"), unless it is a host ("bbc.co.uk") or a name the catalog knows
    ("AP News", "Washington Post"), which the catalog names as its outlet is called ("Associated Press")."""
    if not sitename or "." in sitename or "_" in sitename or normalise_name(sitename) in known:
        return None  # a host ("kyivindependent.com") or a handle ("France24_en") is no name
    return sitename


def header_outlet(lines: list[str], known: dict[str, str]) -> str | None:
    """A publisher the header names on a line of its own or in a part of one, as written ('Kyiv Post',
    'DW | 12.03.2025 | Jakob Brenner', 'The Insider · Investigation · January 19, 2024', 'AFP Fact Check'), or
    as the catalog writes it when the header shouts it ('CURRENT TIME TV | Nastoyashchee Vremya')."""
    for line in _header_lines(lines):
        for part in _HEADER_SEPARATOR.split(line.strip()):
            words = part.split()
            if len(words) > 8:
                continue
            for n in range(len(words), 0, -1):  # the longest name the part opens with: 'AFP' of 'AFP Fact Check'
                name = " ".join(words[:n])
                if (key := normalise_name(name)) in known and all(w.lower() in _DESK_WORDS for w in words[n:]) \
                        and any(c.isalpha() for c in name):  # not a thread's "1/12" for the channel "112"
                    return known[key] if name.isupper() and len(key) > 4 else name  # 'AFP' as written
    return None


_DESK_WORDS = frozenset({"fact", "check", "staff", "news", "live", "investigations", "explainer", "analysis", "exclusive"})


@dataclass(frozen=True)
class Metadata:
    """What a file states about itself: an HTML page's meta tags, or a text's labelled header lines."""

    title: str | None = None
    url: str | None = None
    date: dt.date | None = None
    author: str | None = None
    sitename: str | None = None


# "Title: ...", "Publisher: ...", "Published: 2023-01-27T14:30:00+02:00" opening a text file (find_url reads "URL: ..."), or the
# same keys in a Markdown file's front matter ("title: \"Factbox: ...\"", "date: 2024-09-10")
_LABELLED_LINE = re.compile(r"^(?P<label>[A-Za-z][A-Za-z ]{1,20}?)\s*:\s+(?P<value>\S.*?)\s*$")
_LABELS = {
    "title": "title", "headline": "title",
    "publisher": "sitename", "publication": "sitename", "outlet": "sitename", "site": "sitename",
    "author": "author", "authors": "author", "byline": "author", "by": "author",
    "published": "date", "date": "date", "published date": "date", "publication date": "date", "published on": "date",
    "sent": "date",  # a newsletter's "Sent: Sunday, 7 April 2024, 12:30 Moscow time"
    "aired": "date", "broadcast": "date",  # a transcript's "Aired: 31 May 2023, 19:00 Moscow time"
    "subject": "title",  # an e-mailed newsletter's "Subject: Drones reach Moscow's elite suburbs"
}


# labels of header lines that are never the headline: "Programme: Vremya Nastoyashchee (evening news)"
_HEADER_LABELS = frozenset(_LABELS) | {"programme", "program", "show", "episode", "link", "url", "source", "from", "to",
                                       "section", "category", "tags", "filed under", "updated", "edition"}


_SITENAME_END = re.compile(r"\s+\(|,\s+|\s+[|·—–]\s+")


def labelled_metadata(lines: list[str]) -> Metadata:
    """The metadata of the labelled lines that open a file (the first of each field wins)."""
    found: dict[str, object] = {}
    for line in lines[:15]:
        match = _LABELLED_LINE.match(line)
        field = _LABELS.get(match.group("label").lower()) if match else None
        if field is None:
            continue
        value = match.group("value")
        if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1].strip()
        if field == "date":
            value = parse_date(value)
        elif field == "sitename":  # "Site: Odintsovo-INFO (odintsovo.info), Odintsovo urban district news"
            value = _SITENAME_END.split(value, maxsplit=1)[0]
        if value and field not in found:
            found[field] = value
    return Metadata(**found)


def html_metadata(html: str) -> Metadata:
    import trafilatura

    meta = trafilatura.extract_metadata(html)
    if meta is None:
        return Metadata()
    date = None
    if meta.date:
        try:
            date = dt.date.fromisoformat(meta.date[:10])
        except ValueError:
            date = None
    return Metadata(
        title=meta.title or None, url=meta.url or None, date=date, author=meta.author or None, sitename=meta.sitename
    )


def parse_article(
    src: SourceFile, data: bytes, outlets: KnownOutlets | None = None, today: dt.date | None = None
) -> Article | Reject:
    """Decode, detect the format, normalise the body and read the metadata the text carries."""
    outlets = outlets or KnownOutlets()
    digest = content_hash(data)

    def reject(reason: str, detail: str) -> Reject:
        return Reject(
            path=src.path,
            source_name=src.source_name,
            reason=reason,
            detail=detail,
            size_bytes=len(data),
            mtime_ns=src.mtime_ns,
            content_hash=digest,
        )

    if not data.strip():
        return reject("empty", "no content" if not data else "only whitespace")
    try:
        raw, encoding, fallback = decode(data)
    except ParseError as exc:
        return reject(exc.reason, exc.detail)

    text_format = detect_format(raw)
    html_meta = Metadata()
    if text_format == "html":
        html_meta = html_metadata(raw)
        body = normalise_body(html_to_text(raw))
    elif text_format == "markdown":
        body = normalise_body(markdown_to_text(raw))
    else:
        body = normalise_body(raw)
    if not body:
        return reject("empty", f"no text left after {text_format} extraction")

    lines = body.split("\n")
    labelled = labelled_metadata(lines)
    url = html_meta.url or find_url(body)  # a labelled link ("URL: ...") included
    wire = None
    for line in lines[:12]:
        if match := _WIRE_DATELINE.match(line):
            wire = _WIRES.get((match.group("wire") or "").lower()) or match.group("agency")
    published = html_meta.date or labelled.date or find_published_date(lines)
    if published and today and published > today:
        published = None  # a date in the future is not a publication date
    byline = _BYLINE.search("\n".join(lines[:8]))
    try:
        return Article(
            article_id=article_id_for(digest),
            content_hash=digest,
            source_name=src.source_name,
            title=html_meta.title or labelled.title or find_title(raw, text_format, lines),
            publisher=labelled.sitename or own_site_name(html_meta.sitename, outlets.by_name)
            or header_outlet(lines, outlets.by_name) or publisher_from_url(url, outlets.by_domain, raw) or wire,
            url=url,
            published_date=published,
            author=html_meta.author or labelled.author or (byline.group("author") if byline else None),
            text=body,
            text_format=text_format,
            encoding=encoding,
            encoding_fallback=fallback,
        )
    except ValidationError as exc:
        return reject("undecodable", f"invalid article record: {exc.errors()[0]['msg']}")


@dataclass
class ParsedBatch:
    """A batch of files read: new articles, the file records to store, and what was rejected."""

    articles: list[Article]
    source_rows: list[dict]
    rejects: list[Reject]
    n_new: int = 0
    n_changed: int = 0
    n_unchanged: int = 0  # stamp changed, content did not
    n_duplicates: int = 0  # content already stored under another name
    n_reparsed: int = 0  # unchanged content parsed again because the parser changed


READ_THREADS = 8


def _read(path: str) -> bytes | OSError:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        return exc


def read_files(paths: list[str]) -> list[bytes | OSError]:
    """Each file's bytes, or the error reading it; several reads in flight, since a cold cache or a
    network file system makes each read wait (in order of `paths`)."""
    if len(paths) < 2 * READ_THREADS:
        return [_read(path) for path in paths]
    with ThreadPoolExecutor(READ_THREADS) as pool:
        return list(pool.map(_read, paths))


def parse_batch(
    files: list[SourceFile],
    known: dict,
    known_article_ids: set[str],
    run_id: str,
    outlets: KnownOutlets,
    today: dt.date,
    reparsed_ids: set[str] | None = None,
) -> ParsedBatch:
    """Read each file, confirm a changed stamp by content hash, and parse what is really new.

    `known` maps path -> discover.KnownFile; `known_article_ids` are the articles already stored
    (and grows with this batch, so identical content under a second name is one article).
    With `reparsed_ids` (the parser changed), unchanged files are parsed again, once per article;
    the set collects the articles re-parsed so far in this run."""
    out = ParsedBatch([], [], [])
    for src, data in zip(files, read_files([src.path for src in files])):
        prior = known.get(src.path)
        row = {
            "path": src.path, "source_name": src.source_name, "size_bytes": src.size_bytes, "mtime_ns": src.mtime_ns,
            "first_seen_run": prior.first_seen_run if prior and prior.first_seen_run else run_id,
            "last_changed_run": run_id, "missing_since_run": None,
        }
        if isinstance(data, OSError):
            exc = data
            reject = Reject(path=src.path, source_name=src.source_name, reason="unreadable",
                            detail=exc.strerror or str(exc), size_bytes=src.size_bytes, mtime_ns=src.mtime_ns)
            out.rejects.append(reject)
            out.source_rows.append(row | {"content_hash": None, "article_id": None, "status": "rejected"})
            continue
        digest = content_hash(data)
        article_id = article_id_for(digest)
        unchanged = prior and prior.content_hash == digest and prior.status != "rejected"
        if unchanged and reparsed_ids is not None and article_id not in reparsed_ids:
            parsed = parse_article(src, data, outlets, today)
            if isinstance(parsed, Article):
                reparsed_ids.add(article_id)
                out.articles.append(parsed)
                out.n_reparsed += 1
        if unchanged:
            out.n_unchanged += 1
            out.source_rows.append(row | {"content_hash": digest, "article_id": prior.article_id, "status": "ok",
                                          "last_changed_run": prior.last_changed_run or run_id})
            continue
        if article_id in known_article_ids:
            out.n_duplicates += 1
            out.source_rows.append(row | {"content_hash": digest, "article_id": article_id, "status": "ok"})
            continue
        parsed = parse_article(src, data, outlets, today)
        if isinstance(parsed, Reject):
            out.rejects.append(parsed)
            out.source_rows.append(row | {"content_hash": digest, "article_id": None, "status": "rejected"})
            continue
        known_article_ids.add(article_id)
        out.articles.append(parsed)
        out.source_rows.append(row | {"content_hash": digest, "article_id": article_id, "status": "ok"})
        if prior:
            out.n_changed += 1
        else:
            out.n_new += 1
    return out
