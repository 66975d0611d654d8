-- severity: error
-- rule: a quote's speaker, when there is one, exists in table actors (else v_quotes silently drops it)
SELECT q.*
FROM quotes AS q
WHERE q.speaker_id IS NOT NULL AND q.speaker_id NOT IN (SELECT actor_id FROM actors)
