-- severity: error
-- rule: every deployment row belongs to a claim that still exists
SELECT d.*
FROM deployments AS d
WHERE d.claim_id NOT IN (SELECT claim_id FROM claims)
