-- severity: error
-- rule: a deployment's system exists in table systems
SELECT d.*
FROM deployments AS d
WHERE d.system_id NOT IN (SELECT system_id FROM systems)
