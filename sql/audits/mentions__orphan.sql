-- severity: error
-- rule: every row of mentions belongs to an article that still exists
SELECT m.*
FROM mentions AS m
WHERE m.article_id NOT IN (SELECT article_id FROM articles)
