-- Free-shape kernel runs (`sparseroof kernel`), least efficient first: where the kernels
-- are furthest from the roofline.
.headers on
.mode column
SELECT created_at, device, pattern, sparsity, m, k, n,
       printf('%.3g', time_median_s) AS median_s,
       printf('%.1f', gflops) AS gflops,
       printf('%.2f', efficiency) AS efficiency, bound, params
FROM v_kernel
WHERE kind = 'measured' AND verified = 1
ORDER BY efficiency ASC;
