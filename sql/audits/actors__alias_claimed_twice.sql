-- severity: error
-- rule: a name or alias belongs to one actor only; two actors may share a normalised name only when they spell it
-- differently (the resolver takes the one spelled as written: "Moscow City", "Moscow city")
SELECT alias_key, list(DISTINCT entity_id ORDER BY entity_id) AS actor_ids, list(DISTINCT alias ORDER BY alias) AS aliases
FROM v_entity_aliases
WHERE entity_type = 'actor' AND alias_key <> ''
GROUP BY alias_key, alias
HAVING count(DISTINCT entity_id) > 1
