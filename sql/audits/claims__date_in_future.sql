-- severity: error
-- rule: no claim is dated after today
SELECT c.claim_id, c.article_id, c.event_date, c.event_date_precision, c.date_reason
FROM claims AS c
WHERE c.event_date > current_date
