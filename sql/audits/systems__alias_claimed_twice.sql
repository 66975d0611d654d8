-- severity: error
-- rule: one normalised name or alias belongs to one system only (else the resolver cannot choose)
SELECT alias_key, list(DISTINCT entity_id ORDER BY entity_id) AS system_ids, list(DISTINCT alias ORDER BY alias) AS aliases
FROM v_entity_aliases
WHERE entity_type = 'system' AND alias_key <> ''
GROUP BY alias_key
HAVING count(DISTINCT entity_id) > 1
