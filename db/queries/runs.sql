-- Runs that did not complete, and what affected the timings of the last ones.
.headers on
.mode column
SELECT run, started_at, status, command_line, message
FROM v_run
WHERE status <> 'complete'
ORDER BY started_at DESC;

SELECT uuid, started_at, cl_platform_version, cl_driver_version, cpu_model, cores, governor,
       replace(environment, char(10), ' ') AS environment
FROM run
ORDER BY started_at DESC
LIMIT 5;
