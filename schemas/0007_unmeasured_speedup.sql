-- sparseroof schema version 7: a pattern none of whose layers was measured has no measured
-- network time. Before, its layers fell back to their dense times, so a pattern that only
-- `predict` had stored, beside a dense bench, showed a measured speedup of exactly 1.
DROP VIEW v_sparsity_roofline;
DROP VIEW v_network_speedup;

CREATE VIEW v_network_speedup AS
WITH ranked AS (
    SELECT m.device_uuid, m.network_uuid, m.layer_idx, m.dtype, COALESCE(m.batch, 1) AS batch,
           m.pattern, m.sparsity, m.kind, m.predicted_time_s, m.time_median_s, m.device_time_s,
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
           MAX(CASE WHEN kind = 'measured' THEN device_time_s END) AS dpred,
           MAX(CASE WHEN kind = 'measured' THEN time_median_s END) AS meas
    FROM ranked
    WHERE rn = 1
    GROUP BY device_uuid, network_uuid, layer_idx, dtype, batch, pattern, sparsity),
cfg AS (
    SELECT DISTINCT device_uuid, network_uuid, dtype, batch, pattern, sparsity
    FROM lt WHERE pattern <> 'dense'),
per_layer AS (
    SELECT cfg.*, dn.pred AS dense_pred, dn.meas AS dense_meas, dn.gpred AS dense_gpred,
           dn.dpred AS dense_dpred,
           CASE WHEN l.prunable AND sp.meas IS NOT NULL THEN sp.dpred ELSE dn.dpred END AS sparse_dpred,
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
           CASE WHEN COUNT(sparse_gpred) = COUNT(*) AND SUM(sparse_measured) > 0
                THEN SUM(sparse_gpred) END AS gemm_predicted_sparse_s,
           CASE WHEN COUNT(dense_dpred) = COUNT(*) THEN SUM(dense_dpred) END AS device_dense_s,
           CASE WHEN COUNT(sparse_dpred) = COUNT(*) AND SUM(sparse_measured) > 0
                THEN SUM(sparse_dpred) END AS device_sparse_s,
           CASE WHEN COUNT(dense_meas) = COUNT(*) THEN SUM(dense_meas) END AS measured_dense_s,
           CASE WHEN COUNT(sparse_meas) = COUNT(*) AND SUM(sparse_measured) > 0
                THEN SUM(sparse_meas) END AS measured_sparse_s
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
       t.device_dense_s, t.device_sparse_s,
       t.device_dense_s / t.device_sparse_s AS device_speedup,
       (t.device_dense_s / t.device_sparse_s) / (t.measured_dense_s / t.measured_sparse_s) - 1
           AS device_speedup_error,
       t.device_sparse_s / t.measured_sparse_s - 1 AS device_time_error,
       t.layers, t.layers_measured, t.device_uuid, t.network_uuid
FROM totals t
JOIN network nw ON nw.uuid = t.network_uuid
JOIN device d ON d.uuid = t.device_uuid;

CREATE VIEW v_sparsity_roofline AS
SELECT s.network, s.device, s.pattern, s.sparsity, s.dtype, s.batch, s.predicted_speedup,
       s.measured_speedup, a.dataset, a.metric, a.value AS accuracy, a.dense_value,
       a.delta AS accuracy_delta, a.method, a.source AS accuracy_source, a.source_url,
       s.device_uuid, s.network_uuid
FROM v_network_speedup s
LEFT JOIN v_accuracy a ON a.network = s.network AND a.pattern = s.pattern
                      AND abs(a.sparsity - s.sparsity) < 1e-6;
