-- severity: error
-- rule: one row per source file path
SELECT f.path, f.status, f.article_id, count(*) OVER (PARTITION BY f.path) AS n_rows
FROM source_files AS f
QUALIFY n_rows > 1
