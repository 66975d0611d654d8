-- One row per name awaiting a curator: an unresolved name (table review_items) or a provisional entity, with context.
WITH unresolved AS (
    SELECT
        r.item_id,
        'unresolved' AS kind,
        r.entity_type,
        r.entity_id,
        r.article_id,
        r.surface,
        r.char_start,
        r.char_end,
        r.reason
    FROM review_items AS r
),
provisional AS (
    SELECT
        'entity:' || e.entity_type || ':' || e.entity_id AS item_id,
        'provisional' AS kind,
        e.entity_type,
        e.entity_id,
        arg_min(m.article_id, (m.article_id, m.char_start)) AS article_id,
        arg_min(m.surface, (m.article_id, m.char_start)) AS surface,
        arg_min(m.char_start, (m.article_id, m.char_start)) AS char_start,
        arg_min(m.char_end, (m.article_id, m.char_start)) AS char_end,
        'provisional entity, not in the catalogs' AS reason
    FROM v_entities AS e
    JOIN mentions AS m USING (entity_type, entity_id)
    WHERE NOT e.curated
      AND e.entity_id NOT IN (SELECT entity_id FROM review_items WHERE entity_id IS NOT NULL)
    GROUP BY e.entity_type, e.entity_id
),
queue AS (
    SELECT * FROM unresolved
    UNION ALL
    SELECT * FROM provisional
)
SELECT
    q.item_id,
    q.kind,
    q.entity_type,
    q.entity_id,
    e.name AS entity_name,
    q.surface,
    substring(a.text, greatest(q.char_start - 80, 0) + 1, least(q.char_end + 80, length(a.text)) - greatest(q.char_start - 80, 0)) AS context,
    q.article_id,
    a.source_name,
    q.char_start,
    q.char_end,
    q.reason,
    coalesce(e.curated, false) AS curated
FROM queue AS q
JOIN articles AS a USING (article_id)
LEFT JOIN v_entities AS e USING (entity_type, entity_id)
