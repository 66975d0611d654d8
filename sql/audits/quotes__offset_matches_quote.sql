-- severity: error
-- rule: a quote's offsets must give back the quotation from the article text
SELECT q.*, substring(a.text, q.char_start + 1, q.char_end - q.char_start) AS text_at_offsets
FROM quotes AS q
JOIN articles AS a USING (article_id)
WHERE substring(a.text, q.char_start + 1, q.char_end - q.char_start) IS DISTINCT FROM q.quote
   OR q.char_start < 0
