"""Tokens and sentences with character offsets into the normalised body."""

from __future__ import annotations

import re
from typing import NamedTuple

TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# Characters allowed between two tokens of one name: "Novo-Ogaryovo", "S-400", "John W. Nowak".
NAME_GAP = re.compile(r"[ \-\u2010-\u2013./'’]{1,2}")

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "mt", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "gov", "sen", "rep",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "etc",
    "approx", "inc", "ltd", "co", "corp", "u", "s", "e", "g", "i", "per", "ul", "nab", "pr", "fig",
}
_UNITS = {"km"}
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’»)\]]*(?:\[\d{1,3}\])*(?=\s)|\n+")  # "... a damaged Su-27.[1] Russian"


class Token(NamedTuple):
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def _is_abbreviation(text: str, dot: int) -> bool:
    """Is the period at `dot` part of an abbreviation or an initial ("Gen.", "U.S.", "John W. Nowak")?"""
    start = dot
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    word = text[start:dot]
    if not word:
        return False
    if word in ("N", "E", "S", "W") and _COORDINATE_BEFORE.search(text, 0, start):
        return False  # a compass point after a coordinate: "at 55.72 N, 37.86 E. Residents ..."
    if word.lower() in _UNITS:  # "about 25 km. north", but "up to 800 km. In late April ...": a sentence ends
        return not text[dot + 1:dot + 3].lstrip()[:1].isupper()
    return word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


_COORDINATE_BEFORE = re.compile(r"\d°?\s?$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end), trimmed; paragraph and line breaks always end a sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if match.group().startswith("."):
            if _is_abbreviation(text, match.start()):
                continue
            following = text[end:end + 4].lstrip()
            if following and following[0].islower() and not following[1:2].isupper():  # "... Department. iStories geolocated"
                continue
        _append_span(text, start, end, spans)
        start = end
    _append_span(text, start, len(text), spans)
    return spans


def _append_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def paragraph_of(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n\n", 0, offset)
    end = text.find("\n\n", offset)
    return (0 if start < 0 else start + 2, len(text) if end < 0 else end)
