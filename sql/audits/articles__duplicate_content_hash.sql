-- severity: error
-- rule: the same content is stored once, however many files carry it
SELECT a.article_id, a.source_name, a.content_hash, count(*) OVER (PARTITION BY a.content_hash) AS n_rows
FROM articles AS a
QUALIFY n_rows > 1
