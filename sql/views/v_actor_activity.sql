-- One row per actor seen in the corpus (mentioned, credited with a claim or quoted): how active, and when.
WITH activity AS (
    SELECT entity_id AS actor_id, article_id, 'mention' AS kind, NULL::DATE AS seen_date
    FROM mentions
    WHERE entity_type = 'actor'
    UNION ALL
    SELECT attributed_to_id, article_id, 'claim', event_date
    FROM claims
    WHERE attributed_to_id IS NOT NULL
    UNION ALL
    SELECT speaker_id, article_id, 'quote', NULL
    FROM quotes
    WHERE speaker_id IS NOT NULL AND NOT is_continuation
),
dated AS (
    SELECT act.*, coalesce(act.seen_date, a.published_date) AS seen_on
    FROM activity AS act
    JOIN articles AS a USING (article_id)
)
SELECT
    ac.actor_id,
    ac.name,
    ac.actor_type,
    ac.affiliation,
    count(*) FILTER (WHERE d.kind = 'mention') AS n_mentions,
    count(DISTINCT d.article_id) AS n_articles,
    count(*) FILTER (WHERE d.kind = 'claim') AS n_claims_attributed,
    count(*) FILTER (WHERE d.kind = 'quote') AS n_quotes,
    min(d.seen_on) AS first_seen,
    max(d.seen_on) AS last_seen,
    ac.curated
FROM dated AS d
JOIN actors AS ac USING (actor_id)
GROUP BY ALL
