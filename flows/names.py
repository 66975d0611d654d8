"""Name normalisation shared by the catalogs, the resolver and the evaluation."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_NOT_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=262_144)
def normalise_name(name: str) -> str:
    """Casefold, strip diacritics, keep only letters and digits: 'Novo-Ogaryovo' -> 'novoogaryovo'."""
    if name.isascii():  # nothing to decompose, and casefold is lower
        return _NOT_ALNUM.sub("", name.lower())
    return _NOT_ALNUM.sub("", strip_diacritics(name).casefold())


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", strip_diacritics(name).casefold()).strip("-") or "x"


def stable_id(*parts: object, length: int = 16) -> str:
    """A content-derived ID: the same parts give the same ID on any machine."""
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]
