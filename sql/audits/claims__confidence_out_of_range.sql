-- severity: error
-- rule: an extraction confidence lies in [0, 1]
SELECT c.claim_id, c.article_id, c.confidence
FROM claims AS c
WHERE c.confidence NOT BETWEEN 0 AND 1 OR c.confidence IS NULL
