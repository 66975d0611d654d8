-- severity: error
-- rule: one row per article_id
SELECT a.article_id, a.source_name, a.content_hash, count(*) OVER (PARTITION BY a.article_id) AS n_rows
FROM articles AS a
QUALIFY n_rows > 1
