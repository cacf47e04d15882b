-- sparseroof schema version 4: where an accuracy figure comes from, and its baseline.
-- `source` names the study a row belongs to (one table of one paper or repository, e.g.
-- 'rigl-erk-5x'): the rows of one network, dataset, metric and source compare against that
-- source's own dense row, since dense baselines differ between sources (76.15 to 80.1 top-1
-- for "ResNet-50"). `source_url` is where the figure stands, `method` how it was pruned.
ALTER TABLE accuracy ADD COLUMN dataset TEXT NOT NULL DEFAULT '';
ALTER TABLE accuracy ADD COLUMN method TEXT NOT NULL DEFAULT '';
ALTER TABLE accuracy ADD COLUMN source_url TEXT NOT NULL DEFAULT '';

-- Each accuracy figure beside its source's dense baseline; delta = value - dense_value
-- (negative: a drop, in the metric's points). dense_value is NULL when the source has no
-- dense row for that network, dataset and metric.
CREATE VIEW v_accuracy AS
SELECT a.network, a.dataset, a.metric, a.pattern, a.sparsity, a.value, b.value AS dense_value,
       a.value - b.value AS delta, a.method, a.source, a.source_url, a.run_uuid AS run
FROM accuracy a
LEFT JOIN accuracy b ON b.network = a.network AND b.dataset = a.dataset AND b.metric = a.metric
                    AND b.source = a.source AND b.pattern = 'dense';

-- Sparsity Roofline points at the sparsities where accuracy and speedup were both stored
-- (curve interpolates the speedup between stored sparsities; this view does not).
DROP VIEW v_sparsity_roofline;
CREATE VIEW v_sparsity_roofline AS
SELECT s.network, s.device, s.pattern, s.sparsity, s.dtype, s.batch, s.predicted_speedup,
       s.measured_speedup, a.dataset, a.metric, a.value AS accuracy, a.dense_value,
       a.delta AS accuracy_delta, a.method, a.source AS accuracy_source, a.source_url,
       s.device_uuid, s.network_uuid
FROM v_network_speedup s
LEFT JOIN v_accuracy a ON a.network = s.network AND a.pattern = s.pattern
                      AND abs(a.sparsity - s.sparsity) < 1e-6;
