from collections import Counter

from flows.catalog import load_catalog
from flows.names import normalise_name

CATALOG = load_catalog()


def test_catalogs_are_broad():
    sizes = Counter(t for t, _ in CATALOG.entities)
    assert sizes["system"] >= 200 and sizes["site"] >= 300 and sizes["actor"] >= 200


def test_no_alias_is_claimed_by_two_entities_of_one_kind():
    owners: dict[tuple[str, str], set[str]] = {}
    for (entity_type, entity_id), entity in CATALOG.entities.items():
        for alias in (entity.name, *entity.aliases):
            owners.setdefault((entity_type, normalise_name(alias)), set()).add(entity_id)
    clashes = {k: v for k, v in owners.items() if len(v) > 1}
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
