"""Loads the curated reference catalogs in seeds/reference/ into typed entities.

Files (CSV, UTF-8, `|` between aliases):
  systems.csv   system_id,name,category,nato_name,grau_index,origin_country,family,ambiguous_aliases,aliases
  sites.csv     site_id,name,site_type,lat,lon,parent,country,ambiguous_aliases,aliases
  actors.csv    actor_id,name,actor_type,affiliation,role,ambiguous_aliases,aliases
  outlet_domains.csv   domain,actor_id            (publisher of an article from its URL)
  site_descriptions.csv site_id,requires,pattern  (regex descriptions that name a site; `requires` lists
                        words, one of which the text must contain, so the pattern only runs where it can match)
  given_names.txt      one given name per line ("Kateryna Sydorenko studies ..." is a person)
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from flows.models import Entity, EntityType
from flows.names import normalise_name

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "seeds" / "reference"


def reference_dir() -> Path:
    """The catalogs' folder: seeds/reference, or $FLAKTURM_REFERENCE (a curator's working copy, tests)."""
    return Path(os.environ.get("FLAKTURM_REFERENCE") or REFERENCE_DIR)


CATALOG_FILES = ("systems.csv", "sites.csv", "actors.csv", "outlet_domains.csv", "site_descriptions.csv", "given_names.txt")


PUBLISHER_KINDS = frozenset({"outlet", "broadcaster", "wire_service", "osint", "think_tank", "telegram_channel"})


@dataclass(frozen=True)
class KnownOutlets:
    """What the catalog knows for naming an article's publisher: outlets' web domains, and their names."""

    by_domain: dict[str, str] = field(default_factory=dict)  # domain -> publisher name
    by_name: dict[str, str] = field(default_factory=dict)  # every publisher's names and aliases, normalised
    # (names.normalise_name) -> its name


@dataclass(frozen=True)
class SiteDescription:
    site_id: str
    pattern: re.Pattern[str]
    requires: tuple[str, ...]  # lower-case words, one of which the text must contain for the pattern to run


@dataclass(frozen=True)
class Catalog:
    version: str
    entities: dict[tuple[EntityType, str], Entity]
    ambiguous: dict[tuple[EntityType, str], frozenset[str]]  # entity -> its aliases that need context
    outlets: KnownOutlets = field(default_factory=KnownOutlets)
    descriptions: tuple[SiteDescription, ...] = ()
    given_names: frozenset[str] = frozenset()  # the file's, and the first names of the catalog's people
    folder: str = ""  # where the catalog was read from (worker processes read it again)

    def of_type(self, entity_type: EntityType) -> list[Entity]:
        return self._by_type.get(entity_type, [])

    @cached_property
    def _by_type(self) -> dict[EntityType, list[Entity]]:
        by_type: dict[EntityType, list[Entity]] = {}
        for (entity_type, _), entity in self.entities.items():
            by_type.setdefault(entity_type, []).append(entity)
        return by_type

    def get(self, entity_type: EntityType, entity_id: str) -> Entity | None:
        return self.entities.get((entity_type, entity_id))

    def ancestors(self, site_id: str) -> tuple[str, ...]:
        """The catalog's places that hold a site, innermost first."""
        return self._site_ancestors.get(site_id, ())

    @cached_property
    def _site_ancestors(self) -> dict[str, tuple[str, ...]]:
        chains: dict[str, tuple[str, ...]] = {}
        for site in self.of_type("site"):
            chain: list[str] = []
            parent = self.get("site", site.parent) if site.parent else None
            while parent is not None and parent.entity_id not in chain and parent.entity_id != site.entity_id:
                chain.append(parent.entity_id)
                parent = self.get("site", parent.parent) if parent.parent else None
            chains[site.entity_id] = tuple(chain)
        return chains

    @cached_property
    def air_base_of(self) -> dict[str, str]:
        """A site's air base: itself, or a town's own ('Morozovsk' -> Morozovsk Air Base)."""
        bases = {site.name.lower().removesuffix(" air base"): site.entity_id
                 for site in self.of_type("site") if site.kind == "air_base"}
        towns = {site.entity_id: bases.get(site.name.split(" (")[0].lower()) for site in self.of_type("site")}
        return {site: base for site, base in towns.items() if base} | {base: base for base in bases.values()}

    @cached_property
    def system_named(self) -> dict[str, str]:
        """A system's id by its name: the system a component's `family` names ('S-400' for the 92N6 radar)."""
        return {entity.name: entity.entity_id for entity in self.of_type("system")}


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a.strip() for a in (value or "").split("|") if a.strip()))


def _float(value: str | None) -> float | None:
    return float(value) if value not in (None, "") else None


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _entity(entity_type: EntityType, row: dict[str, str]) -> Entity:
    common = dict(entity_type=entity_type, name=row["name"], aliases=_split(row.get("aliases")), curated=True)
    if entity_type == "system":
        return Entity(
            entity_id=row["system_id"],
            kind=row.get("category") or None,
            nato_name=row.get("nato_name") or None,
            grau_index=row.get("grau_index") or None,
            origin_country=row.get("origin_country") or None,
            family=row.get("family") or None,
            **common,
        )
    if entity_type == "site":
        return Entity(
            entity_id=row["site_id"],
            kind=row.get("site_type") or None,
            lat=_float(row.get("lat")),
            lon=_float(row.get("lon")),
            parent=row.get("parent") or None,
            country=row.get("country") or None,
            **common,
        )
    return Entity(
        entity_id=row["actor_id"],
        kind=row.get("actor_type") or None,
        affiliation=row.get("affiliation") or None,
        role=row.get("role") or None,
        **common,
    )


def catalog_version(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in CATALOG_FILES:
        path = folder / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:12]


def load_catalog(folder: Path | None = None) -> Catalog:
    """Read the reference CSVs; the version is a hash of their bytes, so any edit re-extracts."""
    folder = folder or reference_dir()
    entities: dict[tuple[EntityType, str], Entity] = {}
    ambiguous: dict[tuple[EntityType, str], frozenset[str]] = {}
    for entity_type, filename in (("system", "systems.csv"), ("site", "sites.csv"), ("actor", "actors.csv")):
        for row in _rows(folder / filename):
            entity = _entity(entity_type, row)
            entities[(entity_type, entity.entity_id)] = entity
            ambiguous[(entity_type, entity.entity_id)] = frozenset(_split(row.get("ambiguous_aliases")))
    actor_names = {e.entity_id: e.name for (t, _), e in entities.items() if t == "actor"}
    outlets = KnownOutlets(
        by_domain={row["domain"].lower(): actor_names.get(row["actor_id"], row["actor_id"])
                   for row in _rows(folder / "outlet_domains.csv")},
        by_name={normalise_name(name): e.name for (t, _), e in entities.items() if t == "actor" and e.kind in PUBLISHER_KINDS
                 for name in (e.name, *e.aliases)},
    )
    descriptions = tuple(
        SiteDescription(row["site_id"], re.compile(row["pattern"], re.I), _split((row.get("requires") or "").lower()))
        for row in _rows(folder / "site_descriptions.csv")
    )
    listed = folder / "given_names.txt"
    given_names = frozenset(listed.read_text(encoding="utf-8").split() if listed.exists() else ()) | {
        e.name.split()[0] for (t, _), e in entities.items() if t == "actor" and e.kind == "person" and " " in e.name
    }
    return Catalog(catalog_version(folder), entities, ambiguous, outlets, descriptions, given_names, str(folder))


@lru_cache(maxsize=4)
def cached_catalog(folder: str, version: str = "") -> Catalog:
    """One catalog per process and catalog version (the version key makes edits visible)."""
    return load_catalog(Path(folder))


def current_catalog() -> Catalog:
    folder = reference_dir()
    return cached_catalog(str(folder), catalog_version(folder))
