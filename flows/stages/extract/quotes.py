"""Quotes: direct quotations and who said them (said/told/wrote/according to, before or after the
quote, across sentence breaks, partial quotes). Scare quotes and single terms are not statements."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flows.models import Mention, Quote
from flows.names import stable_id
from flows.stages.extract import lexicon as lx
from flows.stages.extract.text import paragraph_of

MIN_QUOTE_WORDS = 4
_PAIRS = {"“": "”", "«": "»", '"': '"', "„": "“"}
_VERBS = "|".join(sorted(lx.REPORTING_VERBS | {"according to", "quoted", "acknowledged"}))
_VERB_RE = re.compile(rf"\b(?:{_VERBS})\b", re.I)
_PRONOUN_SPEAKER = re.compile(rf"^\s*,?\s*(?:he|she)\s+(?:{_VERBS})\b|\b(?:he|she)\s+(?:{_VERBS})\b[^\n]*$", re.I)


@dataclass(frozen=True)
class QuotedSpan:
    start: int  # first character inside the quote marks
    end: int  # last character inside, exclusive

    @property
    def outer(self) -> tuple[int, int]:
        return self.start - 1, self.end + 1


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Spans between matching quote marks, never across a paragraph break."""
    spans: list[QuotedSpan] = []
    i = 0
    while i < len(text):
        opener = text[i]
        closer = _PAIRS.get(opener)
        if closer is None:
            i += 1
            continue
        j = text.find(closer, i + 1)
        paragraph_break = text.find("\n\n", i + 1)
        if j < 0 or (0 <= paragraph_break < j):
            i += 1
            continue
        spans.append(QuotedSpan(i + 1, j))
        i = j + 1
    return spans


def _trimmed(text: str, span: QuotedSpan) -> tuple[int, int]:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def _speaker_after(text: str, span: QuotedSpan, actors: list[Mention]) -> Mention | None:
    """“...,” wrote Dmitry Medvedev / "...," Peskov told reporters / “...,” the UK defence ministry wrote."""
    close = span.end + 1
    window_end = min(len(text), close + 90)
    newline = text.find("\n", close)
    if 0 <= newline < window_end:
        window_end = newline
    tail = text[close:window_end]
    if not _VERB_RE.search(tail):
        return None
    for mention in actors:
        if close <= mention.char_start < window_end:
            between = text[close:mention.char_start]
            after = text[mention.char_end:mention.char_end + 40]
            if _VERB_RE.search(between) or _VERB_RE.match(after.strip()):
                return mention
    return None


def _speaker_before(text: str, span: QuotedSpan, sentence_start: int, actors: list[Mention]) -> Mention | None:
    """X said (on Twitter) that ... "quote" / X acknowledged ... that “quote”."""
    open_ = span.start - 1
    candidates = [m for m in actors if sentence_start <= m.char_start and m.char_end <= open_]
    for mention in reversed(candidates):
        between = text[mention.char_end:open_]
        if _VERB_RE.search(between[:60]):
            return mention
    return None


def _speaker_pronoun(text: str, span: QuotedSpan, actors: list[Mention]) -> Mention | None:
    around = text[span.end + 1:span.end + 30]
    if not _PRONOUN_SPEAKER.search(around):
        return None
    people = [m for m in actors if m.char_end <= span.start]
    return people[-1] if people else None


def extract_quotes(
    article_id: str, text: str, sentences: list[tuple[int, int]], mentions: list[Mention]
) -> list[Quote]:
    actors = sorted((m for m in mentions if m.entity_type == "actor"), key=lambda m: m.char_start)
    starts = [s for s, _ in sentences]
    quotes: list[Quote] = []
    previous: tuple[QuotedSpan, Quote] | None = None
    for span in find_quoted_spans(text):
        start, end = _trimmed(text, span)
        content = text[start:end]
        if len(re.findall(r"[\w'’-]+", content)) < MIN_QUOTE_WORDS:
            continue  # scare quotes, single terms, titles
        sentence_idx = max(0, sum(1 for s in starts if s <= span.start) - 1)
        sentence_start = starts[sentence_idx] if starts else 0
        speaker = (
            _speaker_after(text, span, actors)
            or _speaker_before(text, span, sentence_start, actors)
            or _speaker_pronoun(text, span, actors)
        )
        continuation = False
        if speaker is None and previous is not None and previous[1].speaker_id:
            prev_span, prev_quote = previous
            same_paragraph = paragraph_of(text, prev_span.start) == paragraph_of(text, span.start)
            gap = text[prev_span.end + 1:span.start - 1]
            if same_paragraph and len(gap) < 160 and not re.search(r"[“\"«]", gap):
                speaker_id, speaker_surface, continuation = prev_quote.speaker_id, prev_quote.speaker_surface, True
        quote = Quote(
            quote_id=stable_id(article_id, start, end),
            article_id=article_id,
            speaker_id=speaker.entity_id if speaker else (speaker_id if continuation else None),
            speaker_surface=speaker.surface if speaker else (speaker_surface if continuation else None),
            quote=content,
            char_start=start,
            char_end=end,
            sentence_idx=sentence_idx,
            is_continuation=continuation,
        )
        quotes.append(quote)
        previous = (span, quote)
    return quotes
