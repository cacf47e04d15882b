-- sparseroof schema version 2: views for people at the sqlite3 shell (db/queries/README.md).
-- Times are seconds, rates GFLOP/s or GB/s; efficiency = predicted / measured time (1 = the
-- kernel runs at the roofline's speed of light).

-- Runs with their device and host.
CREATE VIEW v_run AS
SELECT r.uuid AS run, r.started_at, r.ended_at, r.status, r.command, r.command_line,
       d.name AS device, r.cl_platform AS platform, r.cl_driver_version AS driver,
       h.hostname AS host, r.tool_version,
       (SELECT COUNT(*) FROM measurement m WHERE m.run_uuid = r.uuid) AS measurements,
       r.device_uuid, r.message
FROM run r
LEFT JOIN device d ON d.uuid = r.device_uuid
LEFT JOIN host h ON h.uuid = r.host_uuid;

-- Each device's current ceilings: the set of its newest complete run that stored any.
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
WHERE sets.rn = 1;

-- Every measurement and prediction, flat, with names instead of keys.
CREATE VIEW v_measurement AS
SELECT m.id, m.run_uuid AS run, r.status AS run_status, m.created_at, d.name AS device,
       nw.name AS network, m.layer_idx AS layer, l.name AS layer_name, m.kind, m.pattern,
       m.sparsity, m.dtype, m.m, m.k, m.n, m.groups, m.batch, m.nnz, m.flops, m.bytes, m.ai,
       m.bound, m.predicted_time_s, m.time_median_s, m.time_min_s, m.time_max_s, m.reps,
       m.flops / m.time_median_s / 1e9 AS gflops,
       COALESCE(m.efficiency, m.predicted_time_s / m.time_median_s) AS efficiency,
       m.verified, m.max_rel_error, m.timing_method, m.build_time_s, m.params,
       m.device_uuid, m.network_uuid, m.uuid
FROM measurement m
JOIN run r ON r.uuid = m.run_uuid
JOIN device d ON d.uuid = m.device_uuid
LEFT JOIN network nw ON nw.uuid = m.network_uuid
LEFT JOIN layer l ON l.network_uuid = m.network_uuid AND l.idx = m.layer_idx;

-- Kernels run on a free shape (`sparseroof kernel`).
CREATE VIEW v_kernel AS
SELECT id, run, created_at, device, kind, pattern, sparsity, dtype, m, k, n, nnz, flops,
       bytes, ai, bound, predicted_time_s, time_median_s, time_min_s, time_max_s, reps, gflops,
       efficiency, verified, max_rel_error, timing_method, build_time_s, params, device_uuid
FROM v_measurement
WHERE network IS NULL;

-- Per-layer roofline: where each layer sits (AI, FLOPs, bytes), which ceiling bounds it
-- and that ceiling's current value, predicted and measured time.
CREATE VIEW v_layer_roofline AS
SELECT v.network, v.layer, v.layer_name, v.device, v.kind, v.pattern, v.sparsity, v.dtype,
       v.batch, v.m, v.k, v.n, v.groups, v.flops, v.bytes, v.ai,
       v.bound AS ceiling,
       (SELECT c.value FROM v_ceiling c
        WHERE c.device_uuid = v.device_uuid
          AND ((v.bound = 'compute' AND c.kind = 'compute' AND c.name = v.dtype)
               OR (c.kind = 'bandwidth' AND c.name = v.bound))) AS ceiling_value,
       CASE WHEN v.bound = 'compute' THEN 'GFLOP/s' WHEN v.bound IS NOT NULL THEN 'GB/s' END
           AS ceiling_unit,
       v.predicted_time_s, v.time_median_s AS measured_time_s, v.gflops, v.efficiency,
       v.verified, v.run, v.device_uuid, v.network_uuid
FROM v_measurement v
WHERE v.network IS NOT NULL;

-- Network time and speedup over dense per device, pattern and sparsity: the sum over the
-- network's layers of the newest time of each layer, where layers that are not prunable
-- (or have no row for the pattern) keep their dense time. A total is NULL unless every
-- layer has a time. Predicted times come from 'predicted' rows, else from the prediction
-- stored with a measurement.
CREATE VIEW v_network_speedup AS
WITH ranked AS (
    SELECT m.device_uuid, m.network_uuid, m.layer_idx, m.dtype, COALESCE(m.batch, 1) AS batch,
           m.pattern, m.sparsity, m.kind, m.predicted_time_s, m.time_median_s,
           ROW_NUMBER() OVER (PARTITION BY m.device_uuid, m.network_uuid, m.layer_idx,
                                           m.dtype, COALESCE(m.batch, 1), m.pattern,
                                           m.sparsity, m.kind
                              ORDER BY r.started_at DESC, m.created_at DESC, m.id DESC) AS rn
    FROM measurement m
    JOIN run r ON r.uuid = m.run_uuid
    WHERE m.network_uuid IS NOT NULL AND (m.kind = 'predicted' OR m.verified IS NOT 0)),
lt AS (
    SELECT device_uuid, network_uuid, layer_idx, dtype, batch, pattern, sparsity,
           COALESCE(MAX(CASE WHEN kind = 'predicted' THEN predicted_time_s END),
                    MAX(CASE WHEN kind = 'measured' THEN predicted_time_s END)) AS pred,
           MAX(CASE WHEN kind = 'measured' THEN time_median_s END) AS meas
    FROM ranked
    WHERE rn = 1
    GROUP BY device_uuid, network_uuid, layer_idx, dtype, batch, pattern, sparsity),
cfg AS (
    SELECT DISTINCT device_uuid, network_uuid, dtype, batch, pattern, sparsity
    FROM lt WHERE pattern <> 'dense'),
per_layer AS (
    SELECT cfg.*, dn.pred AS dense_pred, dn.meas AS dense_meas,
           CASE WHEN l.prunable AND sp.pred IS NOT NULL THEN sp.pred ELSE dn.pred END AS sparse_pred,
           CASE WHEN l.prunable AND sp.meas IS NOT NULL THEN sp.meas ELSE dn.meas END AS sparse_meas,
           CASE WHEN l.prunable AND sp.meas IS NOT NULL THEN 1 ELSE 0 END AS sparse_measured
    FROM cfg
    JOIN layer l ON l.network_uuid = cfg.network_uuid
    LEFT JOIN lt dn ON dn.device_uuid = cfg.device_uuid AND dn.network_uuid = cfg.network_uuid
                   AND dn.layer_idx = l.idx AND dn.dtype = cfg.dtype AND dn.batch = cfg.batch
                   AND dn.pattern = 'dense'
    LEFT JOIN lt sp ON sp.device_uuid = cfg.device_uuid AND sp.network_uuid = cfg.network_uuid
                   AND sp.layer_idx = l.idx AND sp.dtype = cfg.dtype AND sp.batch = cfg.batch
                   AND sp.pattern = cfg.pattern AND sp.sparsity = cfg.sparsity),
totals AS (
    SELECT device_uuid, network_uuid, dtype, batch, pattern, sparsity, COUNT(*) AS layers,
           SUM(sparse_measured) AS layers_measured,
           CASE WHEN COUNT(dense_pred) = COUNT(*) THEN SUM(dense_pred) END AS predicted_dense_s,
           CASE WHEN COUNT(sparse_pred) = COUNT(*) THEN SUM(sparse_pred) END AS predicted_sparse_s,
           CASE WHEN COUNT(dense_meas) = COUNT(*) THEN SUM(dense_meas) END AS measured_dense_s,
           CASE WHEN COUNT(sparse_meas) = COUNT(*) THEN SUM(sparse_meas) END AS measured_sparse_s
    FROM per_layer
    GROUP BY device_uuid, network_uuid, dtype, batch, pattern, sparsity)
SELECT nw.name AS network, d.name AS device, t.pattern, t.sparsity, t.dtype, t.batch,
       t.predicted_dense_s, t.predicted_sparse_s,
       t.predicted_dense_s / t.predicted_sparse_s AS predicted_speedup,
       t.measured_dense_s, t.measured_sparse_s,
       t.measured_dense_s / t.measured_sparse_s AS measured_speedup,
       t.layers, t.layers_measured, t.device_uuid, t.network_uuid
FROM totals t
JOIN network nw ON nw.uuid = t.network_uuid
JOIN device d ON d.uuid = t.device_uuid;

-- Sparsity Roofline points: speedup (predicted and measured) with accuracy where known.
CREATE VIEW v_sparsity_roofline AS
SELECT s.network, s.device, s.pattern, s.sparsity, s.dtype, s.batch, s.predicted_speedup,
       s.measured_speedup, a.metric, a.value AS accuracy, a.source AS accuracy_source,
       s.device_uuid, s.network_uuid
FROM v_network_speedup s
LEFT JOIN accuracy a ON a.network = s.network AND a.pattern = s.pattern
                    AND abs(a.sparsity - s.sparsity) < 1e-6;

-- One row per device: what it is and its headline ceilings.
CREATE VIEW v_device AS
SELECT d.name AS device, d.type, d.is_virtual, d.platform_name AS platform,
       d.platform_version, d.driver_version, h.hostname AS host, h.cpu_model, d.compute_units,
       (SELECT c.value FROM v_ceiling c WHERE c.device_uuid = d.uuid AND c.kind = 'compute'
          AND c.name = 'fp32' AND c.supported IS NOT 0) AS fp32_gflops,
       (SELECT c.value FROM v_ceiling c WHERE c.device_uuid = d.uuid AND c.kind = 'bandwidth'
        ORDER BY c.position DESC LIMIT 1) AS dram_gbps,
       (SELECT COUNT(*) FROM run r WHERE r.device_uuid = d.uuid) AS runs,
       (SELECT COUNT(*) FROM measurement m WHERE m.device_uuid = d.uuid) AS measurements,
       d.uuid AS device_uuid
FROM device d
LEFT JOIN host h ON h.uuid = d.host_uuid;

-- The same kernel (pattern, sparsity, dtype, shape) on each device: best verified time,
-- the GFLOP/s it reached and how close to the device's roofline.
CREATE VIEW v_device_comparison AS
SELECT d.name AS device, d.type, d.platform_name AS platform, d.driver_version,
       h.hostname AS host, m.pattern, m.sparsity, m.dtype, m.m, m.k, m.n,
       COUNT(*) AS measurements,
       MIN(m.time_median_s) AS best_time_s,
       MAX(m.flops / m.time_median_s) / 1e9 AS best_gflops,
       MIN(m.predicted_time_s) AS predicted_time_s,
       MIN(m.predicted_time_s) / MIN(m.time_median_s) AS efficiency,
       (SELECT c.value FROM v_ceiling c WHERE c.device_uuid = d.uuid AND c.kind = 'compute'
          AND c.name = m.dtype) AS peak_gflops,
       (SELECT c.value FROM v_ceiling c WHERE c.device_uuid = d.uuid AND c.kind = 'bandwidth'
        ORDER BY c.position DESC LIMIT 1) AS dram_gbps,
       d.uuid AS device_uuid
FROM measurement m
JOIN device d ON d.uuid = m.device_uuid
LEFT JOIN host h ON h.uuid = d.host_uuid
WHERE m.kind = 'measured' AND m.verified = 1 AND m.time_median_s > 0
GROUP BY m.device_uuid, m.pattern, m.sparsity, m.dtype, m.m, m.k, m.n;
