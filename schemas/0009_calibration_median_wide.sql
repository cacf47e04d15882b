-- sparseroof schema version 9: a pattern's calibrated median (v_ceiling, kind 'calibration')
-- is over its points of more than one column. Calibrations since version 8 hold N = 1
-- points too, where dense runs a GEMV and every kernel its narrowest vectors (5 to 30
-- times slower); counted in, they pulled the median line of the roofline picture down.
DROP VIEW v_ceiling;
CREATE VIEW v_ceiling AS
WITH sets AS (
    SELECT s.device_uuid, s.run_uuid,
           ROW_NUMBER() OVER (PARTITION BY s.device_uuid
                              ORDER BY r.started_at DESC, r.uuid DESC) AS rn
    FROM (SELECT DISTINCT device_uuid, run_uuid FROM ceiling) s
    JOIN run r ON r.uuid = s.run_uuid
    WHERE r.status = 'complete')
SELECT d.name AS device, c.kind, c.name, c.value, c.unit, c.ws_min_bytes, c.ws_max_bytes,
       c.supported, c.metadata_bits, c.method, c.position, c.device_uuid, c.run_uuid AS run
FROM sets
JOIN ceiling c ON c.device_uuid = sets.device_uuid AND c.run_uuid = sets.run_uuid
JOIN device d ON d.uuid = c.device_uuid
WHERE sets.rn = 1
UNION ALL
SELECT q.device, 'calibration', q.pattern, q.gflops,
       'GFLOP/s (median of ' || q.cnt || ' shapes of 2 or more columns, ' || printf('%.1f', q.lo) ||
           ' to ' || printf('%.1f', q.hi) || ')',
       NULL, NULL, NULL, NULL, 'measured', 0, q.device_uuid, q.run
FROM (SELECT v.device, v.pattern, v.gflops, v.device_uuid, v.run,
             ROW_NUMBER() OVER (PARTITION BY v.device_uuid, v.pattern ORDER BY v.gflops) AS rn,
             COUNT(*) OVER (PARTITION BY v.device_uuid, v.pattern) AS cnt,
             MIN(v.gflops) OVER (PARTITION BY v.device_uuid, v.pattern) AS lo,
             MAX(v.gflops) OVER (PARTITION BY v.device_uuid, v.pattern) AS hi
      FROM v_calibration v WHERE v.n > 1) q
WHERE q.rn = (q.cnt + 1) / 2;
