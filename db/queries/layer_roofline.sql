-- Per-layer roofline: where each layer sits, which ceiling bounds it, predicted against
-- measured time. Narrow it to one network and device with the commented condition.
.headers on
.mode column
SELECT network, device, layer, layer_name, pattern, sparsity, m, k, n,
       printf('%.3g', flops) AS flops, printf('%.3g', bytes) AS bytes, printf('%.2f', ai) AS ai,
       ceiling, ceiling_value, ceiling_unit,
       printf('%.3g', predicted_time_s) AS predicted_s,
       printf('%.3g', measured_time_s) AS measured_s,
       printf('%.2f', efficiency) AS efficiency
FROM v_layer_roofline
WHERE pattern IN ('dense', '2:4') -- AND network = 'resnet50' AND device = 'cpu-a'
ORDER BY network, device, pattern, layer;
