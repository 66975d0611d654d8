-- severity: error
-- rule: a name or alias belongs to one system only; two systems may share a normalised name only when they spell it
-- differently (the resolver takes the one spelled as written: "Moscow City", "Moscow city")
SELECT alias_key, list(DISTINCT entity_id ORDER BY entity_id) AS system_ids, list(DISTINCT alias ORDER BY alias) AS aliases
FROM v_entity_aliases
WHERE entity_type = 'system' AND alias_key <> ''
GROUP BY alias_key, alias
HAVING count(DISTINCT entity_id) > 1
