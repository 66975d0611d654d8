-- One row per claim: one assertion in one sentence, with claimant, certainty, date and the sentence itself.
SELECT
    c.claim_id,
    c.article_id,
    a.source_name,
    a.publisher,
    a.published_date,
    c.claim_type,
    c.certainty,
    c.attributed_to,
    c.attributed_to_id,
    c.relay_chain,
    c.original_source,
    c.event_date,
    c.event_date_precision,
    c.date_reason,
    c.place_reason,
    c.system_ids,
    c.site_ids,
    c.actor_ids,
    c.confidence,
    c.sentence_key,
    c.sentence_idx,
    c.char_start,
    c.char_end,
    c.sentence
FROM claims AS c
JOIN articles AS a USING (article_id)
