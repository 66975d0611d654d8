-- One row per expectation result of the latest run that validated anything (one per batch).
WITH latest AS (
    SELECT run_id
    FROM dq_results
    ORDER BY checked_at_utc DESC, run_id DESC
    LIMIT 1
)
SELECT
    d.run_id,
    d.batch_no,
    d.suite,
    d.expectation,
    d.column_name,
    d.severity,
    d.success,
    d.unexpected_count,
    d.detail,
    d.checked_at_utc,
    r.status AS run_status,
    r.started_at_utc AS run_started_at_utc
FROM dq_results AS d
JOIN latest USING (run_id)
LEFT JOIN runs AS r USING (run_id)
