-- One row per deployment claim and system-site pair: a system said to be (or being) placed at a site.
SELECT
    d.claim_id,
    d.article_id,
    c.source_name,
    d.system_id,
    sy.name AS system_name,
    d.site_id,
    si.name AS site_name,
    c.certainty,
    c.attributed_to,
    c.event_date,
    si.lat,
    si.lon,
    c.sentence,
    c.event_date_precision,
    c.published_date,
    c.publisher,
    c.original_source,
    c.relay_chain,
    c.confidence,
    c.char_start,
    c.char_end,
    c.sentence_key,
    d.link
FROM deployments AS d
JOIN v_claims AS c USING (claim_id)
JOIN systems AS sy ON sy.system_id = d.system_id
JOIN sites AS si ON si.site_id = d.site_id
