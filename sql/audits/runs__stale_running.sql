-- severity: warning
-- rule: a run still 'running' after a later run started, or for over six hours, has died without closing
SELECT r.run_id, r.started_at_utc, r.status
FROM runs AS r
WHERE r.status = 'running'
  AND (
      r.started_at_utc < (SELECT max(started_at_utc) FROM runs)
      OR r.started_at_utc < CAST(now() AT TIME ZONE 'UTC' AS TIMESTAMP) - INTERVAL 6 HOURS
  )
