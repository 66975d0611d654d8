-- severity: error
-- rule: a mention's offsets must give back its surface from the article text
SELECT m.*, substring(a.text, m.char_start + 1, m.char_end - m.char_start) AS text_at_offsets
FROM mentions AS m
JOIN articles AS a USING (article_id)
WHERE substring(a.text, m.char_start + 1, m.char_end - m.char_start) IS DISTINCT FROM m.surface
   OR m.char_start < 0
