-- Two things the contract views computed on every query, stored instead:
-- * each claim's sentence (v_claims, v_deployments): the view hashed every article's text to answer even a LIMIT;
--   the load sets it from the article's text, this backfills the claims already stored;
-- * v_deployment_summary, aggregated over every deployment: table deployment_summary, refreshed from
--   v_deployment_summary_live when a run has changed anything (and whenever the view files change).
ALTER TABLE claims ADD COLUMN IF NOT EXISTS sentence VARCHAR;

UPDATE claims SET sentence = substring(a.text, claims.char_start + 1, claims.char_end - claims.char_start)
FROM articles AS a
WHERE a.article_id = claims.article_id AND claims.sentence IS NULL;

CREATE TABLE IF NOT EXISTS deployment_summary (
    system_name         VARCHAR,
    site_name           VARCHAR,
    lat                 DOUBLE,
    lon                 DOUBLE,
    n_claims            BIGINT,
    n_articles          BIGINT,
    n_publishers        BIGINT,
    n_original_sources  BIGINT,
    first_seen          DATE,
    last_seen           DATE,
    best_certainty      VARCHAR,
    system_id           VARCHAR,
    site_id             VARCHAR,
    is_single_source    BOOLEAN,
    original_sources    VARCHAR[],
    n_negated_claims    BIGINT
);
