-- sparseroof schema version 8: each calibration point records a hash of what decided its
-- speed (the kernel sources and the parameters each point ran with), so that a calibration
-- made with other kernels is seen as stale (NULL: made before hashes were recorded).
ALTER TABLE calibration ADD COLUMN kernels_hash TEXT;

DROP VIEW v_calibration;
CREATE VIEW v_calibration AS
WITH sets AS (
    SELECT s.device_uuid, s.run_uuid,
           ROW_NUMBER() OVER (PARTITION BY s.device_uuid ORDER BY r.started_at DESC, r.uuid DESC) AS rn
    FROM (SELECT DISTINCT device_uuid, run_uuid FROM calibration) s
    JOIN run r ON r.uuid = s.run_uuid
    WHERE r.status = 'complete')
SELECT d.name AS device, c.pattern, c.sparsity, c.m, c.k, c.n, c.flops, c.time_s, c.pack_s,
       c.flops / c.time_s / 1e9 AS gflops, c.params, c.device_uuid, c.run_uuid AS run,
       c.kernels_hash
FROM sets
JOIN calibration c ON c.device_uuid = sets.device_uuid AND c.run_uuid = sets.run_uuid
JOIN device d ON d.uuid = c.device_uuid
WHERE sets.rn = 1;
