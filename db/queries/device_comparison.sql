-- The same kernel on every device that ran it: best verified time, GFLOP/s reached, and the
-- fraction of the device's roofline it achieved.
.headers on
.mode column
SELECT pattern, sparsity, dtype, m, k, n, device,
       printf('%.3g', best_time_s) AS best_s,
       printf('%.1f', best_gflops) AS gflops,
       printf('%.2f', efficiency) AS efficiency,
       peak_gflops, dram_gbps
FROM v_device_comparison
ORDER BY pattern, sparsity, m, k, n, best_time_s;

-- One line per device with its headline ceilings.
SELECT device, type, platform, driver_version, host, fp32_gflops, dram_gbps, runs,
       measurements
FROM v_device
ORDER BY device;
