-- severity: error
-- rule: every row of quotes belongs to an article that still exists
SELECT q.*
FROM quotes AS q
WHERE q.article_id NOT IN (SELECT article_id FROM articles)
