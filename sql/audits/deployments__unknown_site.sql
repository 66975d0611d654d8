-- severity: error
-- rule: a deployment's site exists in table sites
SELECT d.*
FROM deployments AS d
WHERE d.site_id NOT IN (SELECT site_id FROM sites)
