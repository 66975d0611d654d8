from collections import Counter
from itertools import combinations

from flows.catalog import load_catalog
from flows.names import normalise_name

CATALOG = load_catalog()


def test_catalogs_are_broad():
    sizes = Counter(t for t, _ in CATALOG.entities)
    assert sizes["system"] >= 200 and sizes["site"] >= 300 and sizes["actor"] >= 200


def test_no_alias_is_claimed_by_two_entities_of_one_kind():
    """Two entities may share a normalised alias only when they spell it differently ("Moscow City" the business
    district, "Moscow city" the city): the exact spelling then decides."""
    owners: dict[tuple[str, str], dict[str, set[str]]] = {}
    for (entity_type, entity_id), entity in CATALOG.entities.items():
        for alias in (entity.name, *entity.aliases):
            owners.setdefault((entity_type, normalise_name(alias)), {}).setdefault(entity_id, set()).add(alias)
    clashes = {key: spellings for key, spellings in owners.items()
               if any(a & b for a, b in combinations(spellings.values(), 2))}
    assert clashes == {}


def test_every_site_has_coordinates_and_a_known_parent():
    sites = {e.entity_id: e for (t, _), e in CATALOG.entities.items() if t == "site"}
    for site in sites.values():
        assert site.lat is not None and site.lon is not None, site.entity_id
        assert site.parent is None or site.parent in sites, site.entity_id


def test_transliteration_variants_resolve_to_one_site():
    novo = CATALOG.get("site", "novo-ogaryovo")
    names = {normalise_name(n) for n in (novo.name, *novo.aliases)}
    assert {"novoogaryovo", "novoogarevo", "novoogariovo"} <= names
