-- severity: error
-- rule: latitude lies in [-90, 90], longitude in [-180, 180], and a site has both or neither
SELECT s.*
FROM sites AS s
WHERE s.lat NOT BETWEEN -90 AND 90
   OR s.lon NOT BETWEEN -180 AND 180
   OR (s.lat IS NULL) <> (s.lon IS NULL)
