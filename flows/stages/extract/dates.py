"""Event dates: expressions in a sentence resolved against the article's publication date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flows.models import DatePrecision
from flows.stages.parse import _MONTHS, parse_date

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_NAMES = "january|february|march|april|may|june|july|august|september|october|november|december"
_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_EXPLICIT = re.compile(
    r"\b(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+(?:19|20)\d\d"
    r"|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+(?:19|20)\d\d"
    r"|(?:19|20)\d\d-\d\d-\d\d)\b",
    re.I,
)
_MONTH_YEAR = re.compile(rf"\b(?:in|since|from|by|during|early|late|mid-?)\s+(?P<mon>{_MONTH_NAMES})\s+(?P<year>(?:19|20)\d\d)\b", re.I)
_WEEKDAY = re.compile(r"\b(?:on|last|this|early|late)?\s*(?P<day>" + "|".join(WEEKDAYS) + r")\b", re.I)
_RELATIVE = re.compile(
    r"\b(?P<expr>yesterday|today|tonight|this morning|last night|overnight|last week|this week|earlier this week|"
    r"last month|this month|earlier this month|last year|this year|earlier this year|(?:a|one|two|three) days? ago|"
    r"(?:a|one|two|three) weeks? ago|(?:a|one|two|three) months? ago|a day (?:earlier|before))\b",
    re.I,
)
_MONTH_ONLY = re.compile(rf"\b(?P<prep>in|since|from|by|during|early|late|mid-?|last)\s+(?P<mon>{_MONTH_NAMES})\b(?!\s+\d)", re.I)
_YEAR = re.compile(r"\b(?:in|since|during|by)\s+(?P<year>(?:19|20)\d\d)\b")


@dataclass(frozen=True)
class EventDate:
    date: dt.date | None
    precision: DatePrecision
    reason: str | None  # why it could not be resolved, when date is None


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _month_before(published: dt.date, month: int) -> dt.date:
    """The named month at or before publication ("since May" in a January article is last May)."""
    year = published.year if month <= published.month else published.year - 1
    return dt.date(year, month, 1)


_NO_DATE = EventDate(None, "unknown", "no date expression in the sentence")


# Each pattern runs only when words it needs occur in the sentence (most sentences have none of them).
_HINTS = ("day", "week", "month", "year", "night", "morning", "ago", "earlier", *_MONTH_STEMS)
_RELATIVE_WORDS = ("yesterday", "today", "tonight", "morning", "night", "week", "month", "year", "ago", "a day")
_DIGIT = re.compile(r"\d")
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")


def resolve_event_date(sentence: str, published: dt.date | None) -> EventDate:
    """The first date expression in the sentence, resolved against the publication date."""
    lowered = sentence.lower()
    if not (_DIGIT.search(sentence) or any(hint in lowered for hint in _HINTS)):
        return _NO_DATE
    has_year = _YEAR_DIGITS.search(sentence) is not None
    has_month = any(month in lowered for month in _MONTH_STEMS)
    if has_year and (match := _EXPLICIT.search(sentence)):
        found = parse_date(match.group())
        if found:
            return EventDate(found, "day", None)
    if has_year and has_month and (match := _MONTH_YEAR.search(sentence)):
        month = _MONTHS[match.group("mon").lower()]
        return EventDate(dt.date(int(match.group("year")), month, 1), "month", None)
    # the first that matches of: relative, weekday, month alone, year alone
    relative = _RELATIVE.search(sentence) if any(word in lowered for word in _RELATIVE_WORDS) else None
    weekday = _WEEKDAY.search(sentence) if not relative and any(day in lowered for day in WEEKDAYS) else None
    month_only = _MONTH_ONLY.search(sentence) if not (relative or weekday) and has_month else None
    year = _YEAR.search(sentence) if not (relative or weekday or month_only) and has_year else None
    expression = next((m.group().strip() for m in (relative, weekday, month_only) if m), None)
    if expression and published is None:
        return EventDate(None, "unknown", f"relative date '{expression}' but the article has no published date")
    if relative:
        return _relative(relative.group("expr").lower(), published)
    if weekday:
        target = WEEKDAYS.index(weekday.group("day").lower())
        delta = (published.weekday() - target) % 7
        return EventDate(published - dt.timedelta(days=delta), "day", None)
    if month_only:
        return EventDate(_month_before(published, _MONTHS[month_only.group("mon").lower()]), "month", None)
    if year:
        return EventDate(dt.date(int(year.group("year")), 1, 1), "year", None)
    return _NO_DATE


def _relative(expr: str, published: dt.date) -> EventDate:
    if expr in ("yesterday", "last night", "overnight", "a day earlier", "a day before"):
        return EventDate(published - dt.timedelta(days=1), "day", None)
    if expr in ("today", "tonight", "this morning"):
        return EventDate(published, "day", None)
    if expr.endswith("days ago") or expr.endswith("day ago"):
        n = {"a": 1, "one": 1, "two": 2, "three": 3}[expr.split()[0]]
        return EventDate(published - dt.timedelta(days=n), "day", None)
    if expr == "last week" or expr.endswith("weeks ago") or expr.endswith("week ago"):
        n = 1 if expr == "last week" else {"a": 1, "one": 1, "two": 2, "three": 3}[expr.split()[0]]
        return EventDate(_monday(published) - dt.timedelta(weeks=n), "week", None)
    if "this week" in expr:
        return EventDate(_monday(published), "week", None)
    if expr == "last month" or expr.endswith("months ago") or expr.endswith("month ago"):
        n = 1 if expr == "last month" else {"a": 1, "one": 1, "two": 2, "three": 3}[expr.split()[0]]
        month_index = published.year * 12 + published.month - 1 - n
        return EventDate(dt.date(month_index // 12, month_index % 12 + 1, 1), "month", None)
    if "this month" in expr:
        return EventDate(published.replace(day=1), "month", None)
    if expr == "last year":
        return EventDate(dt.date(published.year - 1, 1, 1), "year", None)
    return EventDate(dt.date(published.year, 1, 1), "year", None)
