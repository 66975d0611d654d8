-- One row per system-site pair: how many claims, articles, publishers and independent original sources agree.
WITH deployments AS (
    SELECT
        *,
        coalesce(event_date, published_date) AS seen_date,
        CASE certainty
            WHEN 'asserted' THEN 1 WHEN 'reported' THEN 2 WHEN 'hedged' THEN 3
            WHEN 'speculative' THEN 4 WHEN 'question' THEN 5 ELSE 6
        END AS certainty_rank
    FROM v_deployments
)
SELECT
    any_value(system_name) AS system_name,
    any_value(site_name) AS site_name,
    any_value(lat) AS lat,
    any_value(lon) AS lon,
    count(DISTINCT claim_id) AS n_claims,
    count(DISTINCT article_id) AS n_articles,
    count(DISTINCT coalesce(publisher, 'article:' || article_id)) AS n_publishers,
    count(DISTINCT coalesce(original_source, publisher, 'article:' || article_id)) AS n_original_sources,
    min(seen_date) AS first_seen,
    max(seen_date) AS last_seen,
    arg_min(certainty, certainty_rank) AS best_certainty,
    system_id,
    site_id
FROM deployments
GROUP BY system_id, site_id
