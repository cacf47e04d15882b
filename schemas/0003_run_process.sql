-- Which process wrote a run, so that a run left 'running' by a process that is gone
-- (killed by SIGKILL, or the machine restarted) can be told from one still going: the
-- next run begun on the same host closes it as 'interrupted'.
ALTER TABLE run ADD COLUMN pid INTEGER;
ALTER TABLE run ADD COLUMN process_start TEXT; -- boot id and start time of that process
