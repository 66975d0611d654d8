-- severity: error
-- rule: a claim's stored sentence must be its article's text between the claim's offsets
SELECT c.claim_id, c.article_id, c.char_start, c.char_end, c.sentence
FROM claims AS c
JOIN articles AS a USING (article_id)
WHERE c.sentence IS DISTINCT FROM substring(a.text, c.char_start + 1, c.char_end - c.char_start)
