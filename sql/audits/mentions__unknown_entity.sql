-- severity: error
-- rule: a mention's entity exists in the systems, sites or actors table of its entity_type
SELECT m.*
FROM mentions AS m
ANTI JOIN v_entities AS e USING (entity_type, entity_id)
