-- severity: warning
-- rule: the stored summary must equal v_deployment_summary_live (it lags only while a run loads, or after one died)
WITH stored AS (SELECT * FROM deployment_summary), live AS (SELECT * FROM v_deployment_summary_live)
(SELECT 'only stored' AS side, * FROM (SELECT * FROM stored EXCEPT ALL SELECT * FROM live))
UNION ALL
(SELECT 'only live' AS side, * FROM (SELECT * FROM live EXCEPT ALL SELECT * FROM stored))
