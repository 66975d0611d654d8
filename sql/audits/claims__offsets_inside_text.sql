-- severity: error
-- rule: a claim's sentence offsets must be a non-empty span inside its article's text
SELECT c.*, length(a.text) AS text_length
FROM claims AS c
JOIN articles AS a USING (article_id)
WHERE c.char_start < 0 OR c.char_end <= c.char_start OR c.char_end > length(a.text)
