-- One row per mention: one occurrence of a system, site or actor; v_articles.text[char_start:char_end] = surface.
SELECT
    m.article_id,
    a.source_name,
    m.entity_type,
    m.entity_id,
    e.name AS entity_name,
    m.surface,
    m.char_start,
    m.char_end,
    m.sentence_idx,
    m.method,
    m.confidence,
    e.curated
FROM mentions AS m
JOIN articles AS a USING (article_id)
LEFT JOIN v_entities AS e USING (entity_type, entity_id)
