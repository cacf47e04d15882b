-- Two counts of a kernel's bytes: `bytes` is the model's (the formulas of design.md, the
-- reference every prediction uses), `layout_bytes` what the kernel's own layout reads
-- where it stores more (a byte of index per N:M value against the model's ceil(log2 M)
-- bits, CSR's K-block segments). rows_checked: rows of Y compared with the CPU reference
-- when a large layer's check took a sample (NULL: every row).
ALTER TABLE measurement ADD COLUMN layout_bytes REAL;
ALTER TABLE measurement ADD COLUMN rows_checked INTEGER;

DROP VIEW v_sparsity_roofline;
DROP VIEW v_network_speedup;
DROP VIEW v_layer_roofline;
DROP VIEW v_kernel;
DROP VIEW v_measurement;

CREATE VIEW v_measurement AS
SELECT m.id, m.run_uuid AS run, r.status AS run_status, m.created_at, d.name AS device,
       nw.name AS network, m.layer_idx AS layer, l.name AS layer_name, m.kind, m.pattern,
       m.sparsity, m.dtype, m.m, m.k, m.n, m.groups, m.batch, m.nnz, m.flops, m.bytes,
       m.layout_bytes, m.ai, m.bound, m.predicted_time_s, m.time_median_s, m.time_min_s,
       m.time_max_s, m.reps,
       m.flops / m.time_median_s / 1e9 AS gflops,
       COALESCE(m.efficiency, m.predicted_time_s / m.time_median_s) AS efficiency,
       m.verified, m.rows_checked, m.max_rel_error, m.timing_method, m.build_time_s, m.params,
       m.device_uuid, m.network_uuid, m.uuid
FROM measurement m
JOIN run r ON r.uuid = m.run_uuid
JOIN device d ON d.uuid = m.device_uuid
LEFT JOIN network nw ON nw.uuid = m.network_uuid
LEFT JOIN layer l ON l.network_uuid = m.network_uuid AND l.idx = m.layer_idx;

CREATE VIEW v_kernel AS
SELECT id, run, created_at, device, kind, pattern, sparsity, dtype, m, k, n, nnz, flops,
       bytes, layout_bytes, ai, bound, predicted_time_s, time_median_s, time_min_s, time_max_s,
       reps, gflops, efficiency, verified, max_rel_error, timing_method, build_time_s, params,
       device_uuid
FROM v_measurement
WHERE network IS NULL;

-- above_roof: a measured time faster than its roofline bound (efficiency above 1): a
-- ceiling or a byte count is wrong, and the row says so.
CREATE VIEW v_layer_roofline AS
SELECT v.network, v.layer, v.layer_name, v.device, v.kind, v.pattern, v.sparsity, v.dtype,
       v.batch, v.m, v.k, v.n, v.groups, v.flops, v.bytes, v.layout_bytes, v.ai,
       v.bound AS ceiling,
       (SELECT c.value FROM v_ceiling c
        WHERE c.device_uuid = v.device_uuid
          AND ((v.bound = 'compute' AND c.kind = 'compute' AND c.name = v.dtype)
               OR (c.kind = 'bandwidth' AND c.name = v.bound))) AS ceiling_value,
       CASE WHEN v.bound = 'compute' THEN 'GFLOP/s' WHEN v.bound IS NOT NULL THEN 'GB/s' END
           AS ceiling_unit,
       v.predicted_time_s, v.time_median_s AS measured_time_s, v.gflops, v.efficiency,
       CASE WHEN v.kind = 'measured' AND v.time_median_s > 0 AND v.predicted_time_s > 0
            THEN v.time_median_s < v.predicted_time_s END AS above_roof,
       v.predicted_time_s / v.time_median_s - 1 AS prediction_error,
       v.verified, v.run, v.run_status, v.device_uuid, v.network_uuid
FROM v_measurement v
WHERE v.network IS NOT NULL;

-- Network time and speedup over dense per device, pattern and sparsity: the sum over the
-- network's layers of the newest time of each layer, where layers that are not prunable
-- (or have no row for the pattern) keep their dense time. A total is NULL unless every
-- layer has a time. predicted_*: from 'predicted' rows (`predict`: non-GEMM work
-- included), else from the prediction stored with a measurement. gemm_predicted_*: the
-- prediction stored with each measurement (`bench`: the same GEMM work as the measured
-- time, no non-GEMM term), so that speedup_error holds like against like.
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
           MAX(CASE WHEN kind = 'measured' THEN predicted_time_s END) AS gpred,
           MAX(CASE WHEN kind = 'measured' THEN time_median_s END) AS meas
    FROM ranked
    WHERE rn = 1
    GROUP BY device_uuid, network_uuid, layer_idx, dtype, batch, pattern, sparsity),
cfg AS (
    SELECT DISTINCT device_uuid, network_uuid, dtype, batch, pattern, sparsity
    FROM lt WHERE pattern <> 'dense'),
per_layer AS (
    SELECT cfg.*, dn.pred AS dense_pred, dn.meas AS dense_meas, dn.gpred AS dense_gpred,
           CASE WHEN l.prunable AND sp.pred IS NOT NULL THEN sp.pred ELSE dn.pred END AS sparse_pred,
           CASE WHEN l.prunable AND sp.meas IS NOT NULL THEN sp.meas ELSE dn.meas END AS sparse_meas,
           CASE WHEN l.prunable AND sp.meas IS NOT NULL THEN sp.gpred ELSE dn.gpred END AS sparse_gpred,
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
           CASE WHEN COUNT(dense_gpred) = COUNT(*) THEN SUM(dense_gpred) END AS gemm_predicted_dense_s,
           CASE WHEN COUNT(sparse_gpred) = COUNT(*) THEN SUM(sparse_gpred) END AS gemm_predicted_sparse_s,
           CASE WHEN COUNT(dense_meas) = COUNT(*) THEN SUM(dense_meas) END AS measured_dense_s,
           CASE WHEN COUNT(sparse_meas) = COUNT(*) THEN SUM(sparse_meas) END AS measured_sparse_s
    FROM per_layer
    GROUP BY device_uuid, network_uuid, dtype, batch, pattern, sparsity)
SELECT nw.name AS network, d.name AS device, t.pattern, t.sparsity, t.dtype, t.batch,
       t.predicted_dense_s, t.predicted_sparse_s,
       t.predicted_dense_s / t.predicted_sparse_s AS predicted_speedup,
       t.measured_dense_s, t.measured_sparse_s,
       t.measured_dense_s / t.measured_sparse_s AS measured_speedup,
       t.gemm_predicted_dense_s, t.gemm_predicted_sparse_s,
       t.gemm_predicted_dense_s / t.gemm_predicted_sparse_s AS gemm_predicted_speedup,
       (t.gemm_predicted_dense_s / t.gemm_predicted_sparse_s)
           / (t.measured_dense_s / t.measured_sparse_s) - 1 AS speedup_error,
       t.layers, t.layers_measured, t.device_uuid, t.network_uuid
FROM totals t
JOIN network nw ON nw.uuid = t.network_uuid
JOIN device d ON d.uuid = t.device_uuid;

CREATE VIEW v_sparsity_roofline AS
SELECT s.network, s.device, s.pattern, s.sparsity, s.dtype, s.batch, s.predicted_speedup,
       s.measured_speedup, a.metric, a.value AS accuracy, a.source AS accuracy_source,
       s.device_uuid, s.network_uuid
FROM v_network_speedup s
LEFT JOIN accuracy a ON a.network = s.network AND a.pattern = s.pattern
                    AND abs(a.sparsity - s.sparsity) < 1e-6;
