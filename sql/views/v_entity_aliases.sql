-- One row per entity and accepted name (its name or an alias), with the name normalised the way the resolver matches it.
WITH names AS (
    SELECT entity_type, entity_id, curated, unnest(list_distinct(list_prepend(name, aliases))) AS alias
    FROM v_entities
)
SELECT
    entity_type,
    entity_id,
    curated,
    alias,
    -- flows/names.normalise_name: casefold, strip diacritics, keep only letters and digits
    regexp_replace(lower(strip_accents(alias)), '[^\p{L}\p{N}]+', '', 'g') AS alias_key
FROM names
