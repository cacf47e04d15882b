-- Speedup over dense per pattern and sparsity, predicted by the model and measured, and how
-- far apart they are (the paper's claim is that they agree for well-optimized kernels).
.headers on
.mode column
SELECT network, device, pattern, sparsity, batch,
       printf('%.2f', predicted_speedup) AS predicted,
       printf('%.2f', measured_speedup) AS measured,
       printf('%+.0f%%', 100.0 * (measured_speedup / predicted_speedup - 1)) AS gap,
       layers_measured || '/' || layers AS layers_measured
FROM v_network_speedup
ORDER BY network, device, pattern, sparsity;
