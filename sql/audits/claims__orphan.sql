-- severity: error
-- rule: every row of claims belongs to an article that still exists
SELECT c.*
FROM claims AS c
WHERE c.article_id NOT IN (SELECT article_id FROM articles)
