-- One row per system-site pair, computed at query time: how many claims, articles, publishers and independent
-- original sources agree. Runs store it in table deployment_summary, which v_deployment_summary reads.
WITH deployments AS (
    SELECT
        *,
        coalesce(event_date, published_date) AS seen_date,
        CASE certainty
            WHEN 'asserted' THEN 1 WHEN 'reported' THEN 2 WHEN 'hedged' THEN 3
            WHEN 'speculative' THEN 4 WHEN 'question' THEN 5 ELSE 6
        END AS certainty_rank,
        -- the cited original, else the publisher, else the article itself; 'The Daily Mail' = 'Daily Mail'
        coalesce(
            nullif(regexp_replace(lower(strip_accents(original_source)), '^the\s+|[^\p{L}\p{N}]+', '', 'g'), ''),
            nullif(regexp_replace(lower(strip_accents(publisher)), '^the\s+|[^\p{L}\p{N}]+', '', 'g'), ''),
            'article:' || article_id
        ) AS source_key,
        coalesce(original_source, publisher, source_name) AS source_label
    FROM v_deployments
),
independent AS (
    -- one sentence carried word for word by several articles is one source, whoever relayed it
    SELECT
        *,
        min(source_key) OVER (PARTITION BY sentence_key) AS independent_key,
        arg_min(source_label, source_key) OVER (PARTITION BY sentence_key) AS independent_label
    FROM deployments
)
SELECT
    any_value(system_name) AS system_name,
    any_value(site_name) AS site_name,
    any_value(lat) AS lat,
    any_value(lon) AS lon,
    count(DISTINCT claim_id) AS n_claims,
    count(DISTINCT article_id) AS n_articles,
    count(DISTINCT coalesce(publisher, 'article:' || article_id)) AS n_publishers,
    count(DISTINCT independent_key) AS n_original_sources,
    min(seen_date) AS first_seen,
    max(seen_date) AS last_seen,
    arg_min(certainty, certainty_rank) AS best_certainty,
    system_id,
    site_id,
    count(DISTINCT independent_key) = 1 AS is_single_source,
    list(DISTINCT independent_label ORDER BY independent_label) AS original_sources,
    count(DISTINCT claim_id) FILTER (WHERE certainty = 'negated') AS n_negated_claims
FROM independent
GROUP BY system_id, site_id
