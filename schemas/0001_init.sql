-- sparseroof schema version 1: the tables.
-- Hosts, devices, runs, networks and single rows that travel between files (measurements,
-- tuned parameters) carry UUIDs, so files from several machines merge without collisions
-- and merging twice adds nothing. Host and device UUIDs are derived from what identifies
-- them (the same device on the same machine has the same UUID in every file); run and
-- row UUIDs are random. Times are UTC text, 'YYYY-MM-DDTHH:MM:SS.SSSZ'. Sizes in bytes,
-- times in seconds, bandwidth in GB/s (1e9 bytes/s), compute in GFLOP/s.

CREATE TABLE host (
    uuid         TEXT PRIMARY KEY NOT NULL,
    hostname     TEXT NOT NULL DEFAULT '',
    cpu_model    TEXT NOT NULL DEFAULT '',
    cores        INTEGER,                     -- online logical CPUs
    memory_bytes INTEGER,
    os           TEXT NOT NULL DEFAULT '',    -- 'Linux x86_64'
    first_seen   TEXT NOT NULL
);

-- An OpenCL device as one driver stack shows it, or a virtual device (hand-given ceilings).
CREATE TABLE device (
    uuid                TEXT PRIMARY KEY NOT NULL,
    host_uuid           TEXT REFERENCES host(uuid),    -- NULL for a virtual device
    is_virtual          INTEGER NOT NULL DEFAULT 0 CHECK (is_virtual IN (0, 1)),
    name                TEXT NOT NULL,
    vendor              TEXT NOT NULL DEFAULT '',
    type                TEXT NOT NULL DEFAULT '',       -- 'CPU', 'GPU', 'ACCELERATOR', 'OTHER', 'VIRTUAL'
    platform_name       TEXT NOT NULL DEFAULT '',
    platform_vendor     TEXT NOT NULL DEFAULT '',
    platform_version    TEXT NOT NULL DEFAULT '',       -- PoCL's names its LLVM
    device_version      TEXT NOT NULL DEFAULT '',
    driver_version      TEXT NOT NULL DEFAULT '',
    opencl_c_version    TEXT NOT NULL DEFAULT '',
    compute_units       INTEGER,
    max_clock_mhz       INTEGER,
    global_mem_bytes    INTEGER,
    local_mem_bytes     INTEGER,
    global_cache_bytes  INTEGER,
    max_alloc_bytes     INTEGER,
    max_work_group_size INTEGER,
    fp64                INTEGER,
    fp16                INTEGER,
    first_seen          TEXT NOT NULL
);

-- One invocation of sparseroof and what affects its timings.
CREATE TABLE run (
    uuid                TEXT PRIMARY KEY NOT NULL,
    host_uuid           TEXT REFERENCES host(uuid),
    device_uuid         TEXT REFERENCES device(uuid),
    command             TEXT NOT NULL,                 -- 'kernel', 'peaks', ...
    command_line        TEXT NOT NULL DEFAULT '',
    tool_version        TEXT NOT NULL,
    started_at          TEXT NOT NULL,
    ended_at            TEXT,
    status              TEXT NOT NULL DEFAULT 'running'
                        CHECK (status IN ('running', 'complete', 'failed', 'interrupted')),
    message             TEXT,                          -- why it failed
    cl_platform         TEXT,                          -- copied from the device row
    cl_platform_version TEXT,
    cl_driver_version   TEXT,
    cpu_model           TEXT,
    cores               INTEGER,
    governor            TEXT,                          -- cpufreq governor, NULL if unreadable
    os_version          TEXT,                          -- kernel release
    environment         TEXT                           -- 'NAME=value' lines: POCL_*, CL_*, OMP_*, OPENBLAS_*
);
CREATE INDEX run_started ON run(started_at);

-- Ceilings measured (or defined) for a device by a run; the newest complete run's set is
-- the device's current one (view v_ceiling).
CREATE TABLE ceiling (
    id            INTEGER PRIMARY KEY,
    run_uuid      TEXT NOT NULL REFERENCES run(uuid),
    device_uuid   TEXT NOT NULL REFERENCES device(uuid),
    kind          TEXT NOT NULL CHECK (kind IN ('bandwidth', 'compute', 'launch', 'pattern')),
    name          TEXT NOT NULL,       -- level ('L1', 'DRAM'), dtype ('fp32'), 'launch', pattern
    position      INTEGER NOT NULL,    -- order within its kind (levels: smallest working set first)
    value         REAL,                -- GB/s, GFLOP/s or s (see unit)
    unit          TEXT NOT NULL,
    ws_min_bytes  INTEGER,             -- bandwidth: working-set range; max NULL = unbounded
    ws_max_bytes  INTEGER,
    supported     INTEGER,             -- compute: 0 if the device cannot do this dtype
    metadata_bits REAL,                -- pattern: < 0 means the format's own cost
    method        TEXT NOT NULL DEFAULT 'measured' CHECK (method IN ('measured', 'defined')),
    UNIQUE (run_uuid, device_uuid, kind, name)
);
CREATE INDEX ceiling_device ON ceiling(device_uuid);

-- A network's layers as GEMMs (design.md); the UUID is derived from name and layers.
CREATE TABLE network (
    uuid        TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',   -- 'builtin' or the file it came from
    first_seen  TEXT NOT NULL
);
CREATE INDEX network_name ON network(name);

CREATE TABLE layer (
    network_uuid TEXT NOT NULL REFERENCES network(uuid),
    idx          INTEGER NOT NULL,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL DEFAULT '',   -- 'conv', 'linear', ...
    m            INTEGER NOT NULL,
    n            INTEGER NOT NULL,           -- at batch 1
    k            INTEGER NOT NULL,
    groups       INTEGER NOT NULL DEFAULT 1,
    prunable     INTEGER NOT NULL DEFAULT 1 CHECK (prunable IN (0, 1)),
    PRIMARY KEY (network_uuid, idx)
);

-- One kernel timing (kind 'measured') or model prediction (kind 'predicted'), of a free
-- shape or of a network layer.
CREATE TABLE measurement (
    id               INTEGER PRIMARY KEY,
    uuid             TEXT NOT NULL UNIQUE,
    run_uuid         TEXT NOT NULL REFERENCES run(uuid),
    device_uuid      TEXT NOT NULL REFERENCES device(uuid),
    network_uuid     TEXT,
    layer_idx        INTEGER,
    kind             TEXT NOT NULL CHECK (kind IN ('measured', 'predicted')),
    pattern          TEXT NOT NULL,          -- canonical: 'dense', 'unstructured', 'block:4x4', '2:4'
    block_rows       INTEGER,
    block_cols       INTEGER,
    nm_n             INTEGER,
    nm_m             INTEGER,
    sparsity         REAL NOT NULL CHECK (sparsity >= 0 AND sparsity <= 1),
    dtype            TEXT NOT NULL,
    m                INTEGER NOT NULL,
    k                INTEGER NOT NULL,
    n                INTEGER NOT NULL,
    groups           INTEGER NOT NULL DEFAULT 1,
    batch            INTEGER,
    nnz              INTEGER,
    flops            REAL,
    bytes            REAL,
    ai               REAL,
    predicted_time_s REAL,
    bound            TEXT,                   -- 'compute' or the memory level that bounds it
    time_median_s    REAL,
    time_min_s       REAL,
    time_max_s       REAL,
    reps             INTEGER,
    verified         INTEGER CHECK (verified IN (0, 1)),
    max_rel_error    REAL,
    timing_method    TEXT CHECK (timing_method IN ('events', 'wallclock')),
    build_time_s     REAL,
    params           TEXT,                   -- kernel parameters, '-DTM=4 -DVW=8'
    efficiency       REAL,                   -- predicted / measured time
    created_at       TEXT NOT NULL,
    FOREIGN KEY (network_uuid, layer_idx) REFERENCES layer(network_uuid, idx)
);
CREATE INDEX measurement_run ON measurement(run_uuid);
CREATE INDEX measurement_layer ON measurement(device_uuid, network_uuid, layer_idx);

-- Accuracy of a pruned network (published figures with their source, or the user's).
CREATE TABLE accuracy (
    id       INTEGER PRIMARY KEY,
    network  TEXT NOT NULL,                  -- network name
    pattern  TEXT NOT NULL,
    sparsity REAL NOT NULL CHECK (sparsity >= 0 AND sparsity <= 1),
    metric   TEXT NOT NULL,                  -- 'top1', 'top5', 'f1', ...
    value    REAL NOT NULL,
    source   TEXT NOT NULL DEFAULT '',
    run_uuid TEXT REFERENCES run(uuid),
    UNIQUE (network, pattern, sparsity, metric, source)
);

-- Best kernel parameters found by `tune` for a device, pattern and shape.
CREATE TABLE tuned (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    run_uuid    TEXT NOT NULL REFERENCES run(uuid),
    device_uuid TEXT NOT NULL REFERENCES device(uuid),
    pattern     TEXT NOT NULL,
    dtype       TEXT NOT NULL,
    sparsity    REAL,
    m           INTEGER,
    k           INTEGER,
    n           INTEGER,
    params      TEXT NOT NULL,
    gflops      REAL NOT NULL,
    time_s      REAL,
    created_at  TEXT NOT NULL
);
CREATE INDEX tuned_device ON tuned(device_uuid, pattern, dtype);
