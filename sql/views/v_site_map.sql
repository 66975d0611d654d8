-- One row per site mentioned or claimed in the corpus: where it is, how precise a place it is, how often it comes up.
WITH mentioned AS (
    SELECT entity_id AS site_id, count(*) AS n_mentions, count(DISTINCT article_id) AS n_articles
    FROM mentions
    WHERE entity_type = 'site'
    GROUP BY entity_id
),
claimed AS (
    SELECT site_id, count(DISTINCT claim_id) AS n_deployment_claims
    FROM deployments
    GROUP BY site_id
),
kremlin AS (
    SELECT radians(55.7520) AS lat, radians(37.6175) AS lon
)
SELECT
    s.site_id,
    s.name,
    s.site_type,
    s.lat,
    s.lon,
    -- haversine on a sphere of the Earth's mean radius
    round(2 * 6371.0088 * asin(sqrt(
        pow(sin((radians(s.lat) - k.lat) / 2), 2)
        + cos(k.lat) * cos(radians(s.lat)) * pow(sin((radians(s.lon) - k.lon) / 2), 2)
    )), 3) AS distance_km,
    CASE
        WHEN s.site_type IN ('building', 'government_building', 'residence', 'landmark', 'bridge') THEN 'building'
        WHEN s.site_type IN ('street', 'square', 'ring_road') THEN 'street'
        WHEN s.site_type IN ('district', 'park', 'airport', 'air_base', 'industrial') THEN 'district'
        WHEN s.site_type IN ('city', 'town', 'village') THEN 'city'
        WHEN s.site_type IN ('region', 'river', 'sea') THEN 'region'
        WHEN s.site_type IN ('country', 'continent') THEN 'country'
        ELSE 'unknown'
    END AS place_precision,
    coalesce(m.n_mentions, 0) AS n_mentions,
    coalesce(m.n_articles, 0) AS n_articles,
    coalesce(c.n_deployment_claims, 0) AS n_deployment_claims,
    s.parent,
    s.country,
    s.curated
FROM sites AS s
CROSS JOIN kremlin AS k
LEFT JOIN mentioned AS m USING (site_id)
LEFT JOIN claimed AS c USING (site_id)
WHERE m.site_id IS NOT NULL OR c.site_id IS NOT NULL
