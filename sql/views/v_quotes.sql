-- One row per attributed direct quotation (continuations of a quote already listed are in table `quotes`).
SELECT
    q.article_id,
    a.source_name,
    q.speaker_id,
    ac.name AS speaker_name,
    q.quote,
    q.char_start,
    q.char_end,
    q.speaker_surface,
    q.sentence_idx,
    q.quote_id
FROM quotes AS q
JOIN articles AS a USING (article_id)
JOIN actors AS ac ON ac.actor_id = q.speaker_id
WHERE NOT q.is_continuation
