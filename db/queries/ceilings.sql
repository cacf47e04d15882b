-- Each device's current ceilings (from its newest complete `peaks` run), levels from the
-- smallest working set to DRAM.
.headers on
.mode column
SELECT device, kind, name, value, unit, ws_min_bytes, ws_max_bytes, supported, method
FROM v_ceiling
ORDER BY device, kind, position;
