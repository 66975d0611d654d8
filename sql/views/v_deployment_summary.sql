-- One row per system-site pair: how many claims, articles, publishers and independent original sources agree.
-- v_deployment_summary_live as of the end of the latest run (stored: computing it reads every deployment).
SELECT
    system_name,
    site_name,
    lat,
    lon,
    n_claims,
    n_articles,
    n_publishers,
    n_original_sources,
    first_seen,
    last_seen,
    best_certainty,
    system_id,
    site_id,
    is_single_source,
    original_sources,
    n_negated_claims
FROM deployment_summary
