"""Typed records shared by the stages. Each model mirrors one warehouse table (see sql/migrations)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

EntityType = Literal["system", "site", "actor"]
ClaimType = Literal[
    "deployment", "strike", "interception", "loss", "transfer", "development", "capability", "statement", "other"
]
Certainty = Literal["asserted", "reported", "hedged", "speculative", "negated", "question"]
DatePrecision = Literal["day", "week", "month", "year", "unknown"]
TextFormat = Literal["text", "markdown", "html"]
RejectReason = Literal[
    "empty", "binary", "undecodable", "too_large", "not_a_file", "dangling_link", "unreadable", "unsupported_type"
]

# Ordered from most to least certain; v_deployment_summary picks the best by this order.
CERTAINTY_ORDER: tuple[Certainty, ...] = ("asserted", "reported", "hedged", "speculative", "question", "negated")


class Record(BaseModel):
    """Our own rows: unknown fields are a bug, not data."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceFile(Record):
    """One file found under a source folder, as the file system describes it."""

    path: str
    source_name: str
    size_bytes: int
    mtime_ns: int


class Reject(Record):
    """A file that could not become an article, and why."""

    path: str
    source_name: str
    reason: RejectReason
    detail: str
    size_bytes: int | None = None
    mtime_ns: int | None = None
    content_hash: str | None = None


class Article(Record):
    """A parsed article: metadata plus the normalised body that every offset indexes."""

    article_id: str
    content_hash: str
    source_name: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published_date: dt.date | None = None
    author: str | None = None
    text: str
    text_format: TextFormat
    encoding: str
    encoding_fallback: bool = False

    @model_validator(mode="after")
    def _body_not_blank(self) -> Article:
        if not self.text.strip():
            raise ValueError("article body is blank")
        return self


class Sentence(Record):
    article_id: str
    sentence_idx: int = Field(ge=0)
    char_start: int = Field(ge=0)
    char_end: int = Field(ge=0)


class Mention(Record):
    """One occurrence of an entity in an article; text[char_start:char_end] == surface."""

    mention_id: str
    article_id: str
    entity_type: EntityType
    entity_id: str
    surface: str
    char_start: int = Field(ge=0)
    char_end: int = Field(ge=0)
    sentence_idx: int = Field(ge=0)
    method: Literal["alias", "fuzzy", "description", "coref", "pattern", "gazetteer"]
    confidence: float = Field(ge=0, le=1)


class Entity(Record):
    """A row of the systems/sites/actors dimensions: curated from the catalogs or provisional."""

    entity_type: EntityType
    entity_id: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str | None = None  # category / site_type / actor_type
    curated: bool = True
    nato_name: str | None = None
    grau_index: str | None = None
    origin_country: str | None = None
    family: str | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    parent: str | None = None
    country: str | None = None
    affiliation: str | None = None
    role: str | None = None

    @property
    def system_family(self) -> str:
        """A system's family, or its own name when it heads one ('S-400' for the 92N6 radar and the S-400 alike)."""
        return self.family or self.name


class Claim(Record):
    """One assertion in one sentence, with who says it and how sure they are."""

    claim_id: str
    article_id: str
    sentence_idx: int = Field(ge=0)
    char_start: int = Field(ge=0)
    char_end: int = Field(ge=0)
    claim_type: ClaimType
    certainty: Certainty
    attributed_to: str | None = None
    attributed_to_id: str | None = None
    relay_chain: tuple[str, ...] = ()
    original_source: str | None = None
    event_date: dt.date | None = None
    event_date_precision: DatePrecision = "unknown"
    date_reason: str | None = None
    place_reason: str | None = None
    system_ids: tuple[str, ...] = ()
    site_ids: tuple[str, ...] = ()
    actor_ids: tuple[str, ...] = ()
    confidence: float = Field(ge=0, le=1)
    sentence_key: str | None = None  # hash of the normalised sentence: one sentence reprinted is one source


class Deployment(Record):
    """A deployment claim's system placed at a site (one row per system-site pair)."""

    claim_id: str
    article_id: str
    system_id: str
    site_id: str
    link: Literal["sentence", "coref", "context"]


class Quote(Record):
    quote_id: str
    article_id: str
    speaker_id: str | None = None
    speaker_surface: str | None = None
    quote: str
    char_start: int = Field(ge=0)
    char_end: int = Field(ge=0)
    sentence_idx: int = Field(ge=0)
    is_continuation: bool = False  # continues the speaker's previous quotation


class ReviewItem(Record):
    """A name that looks like an entity but resolved to no curated entry."""

    item_id: str
    article_id: str
    entity_type: EntityType | None
    entity_id: str | None
    surface: str
    char_start: int = Field(ge=0)
    char_end: int = Field(ge=0)
    reason: str


class Extraction(Record):
    """Everything the extract stage produced for one article."""

    article_id: str
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    claims: tuple[Claim, ...] = ()
    deployments: tuple[Deployment, ...] = ()
    quotes: tuple[Quote, ...] = ()
    review_items: tuple[ReviewItem, ...] = ()
    provisional: tuple[Entity, ...] = ()
