-- One row per entity of any kind (system, site, actor), curated or provisional.
SELECT 'system' AS entity_type, system_id AS entity_id, name, aliases, category AS kind, curated FROM systems
UNION ALL
SELECT 'site', site_id, name, aliases, site_type, curated FROM sites
UNION ALL
SELECT 'actor', actor_id, name, aliases, actor_type, curated FROM actors
