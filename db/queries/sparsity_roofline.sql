-- Sparsity Roofline points: accuracy against speedup, one curve per pattern. Rows without
-- accuracy (metric NULL) are the speedup-against-sparsity curve.
.headers on
.mode column
SELECT network, device, pattern, sparsity, metric, accuracy,
       printf('%.2f', predicted_speedup) AS predicted_speedup,
       printf('%.2f', measured_speedup) AS measured_speedup,
       accuracy_source
FROM v_sparsity_roofline
ORDER BY network, device, pattern, sparsity;
