-- One row per claim, dated by its event date or else its article's publication date.
WITH claim_systems AS (
    SELECT c.claim_id, list(s.name ORDER BY s.name) AS system_names
    FROM claims AS c, unnest(c.system_ids) AS u(system_id)
    JOIN systems AS s ON s.system_id = u.system_id
    GROUP BY c.claim_id
),
claim_sites AS (
    SELECT c.claim_id, list(s.name ORDER BY s.name) AS site_names
    FROM claims AS c, unnest(c.site_ids) AS u(site_id)
    JOIN sites AS s ON s.site_id = u.site_id
    GROUP BY c.claim_id
)
SELECT
    c.claim_id,
    coalesce(c.event_date, c.published_date) AS claim_date,
    CASE
        WHEN c.event_date IS NOT NULL THEN c.event_date_precision
        WHEN c.published_date IS NOT NULL THEN 'day'
        ELSE 'unknown'
    END AS date_precision,
    CASE
        WHEN c.event_date IS NOT NULL THEN 'event'
        WHEN c.published_date IS NOT NULL THEN 'published'
    END AS date_basis,
    c.claim_type,
    c.certainty,
    coalesce(sy.system_names, []) AS system_names,
    coalesce(si.site_names, []) AS site_names,
    c.attributed_to AS claimant,
    coalesce(c.original_source, c.publisher) AS source,
    c.publisher,
    c.article_id,
    c.source_name,
    c.sentence,
    c.char_start,
    c.char_end,
    c.date_reason
FROM v_claims AS c
LEFT JOIN claim_systems AS sy USING (claim_id)
LEFT JOIN claim_sites AS si USING (claim_id)
