"""Name normalisation shared by the catalogs, the resolver and the evaluation."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_NOT_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _combining_marks() -> re.Pattern[str]:
    """Every combining mark of the Basic Multilingual Plane, as one character class."""
    marks = "".join(chr(c) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c)))
    return re.compile(f"[{re.escape(marks)}]")


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():
        return decomposed
    if max(decomposed) <= "\uffff":
        return _combining_marks().sub("", decomposed)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise_name(name: str) -> str:
    """Casefold, strip diacritics, keep only letters and digits: 'Novo-Ogaryovo' -> 'novoogaryovo'."""
    return _normalised_name(name) if len(name) <= 64 else normalise_text(name)  # names repeat; sentences hardly


@lru_cache(maxsize=131_072)
def _normalised_name(name: str) -> str:
    return normalise_text(name)


def normalise_text(text: str) -> str:
    """normalise_name without the memo, for strings met once (sentences, a gazetteer being indexed)."""
    if text.isascii():  # nothing to decompose, and casefold is lower
        return _NOT_ALNUM.sub("", text.lower())
    return _NOT_ALNUM.sub("", strip_diacritics(text).casefold())


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", strip_diacritics(name).casefold()).strip("-") or "x"


def stable_id(*parts: object, length: int = 16) -> str:
    """A content-derived ID: the same parts give the same ID on any machine."""
    joined = "\x1f".join(map(str, parts))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]
