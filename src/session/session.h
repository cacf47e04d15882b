/* A command's session, written once for every command that runs or stores something:
 * find the OpenCL device, open the database, record the device and begin a run, open the
 * device, and at the end close the run by how the command went. Between src/cli (which
 * parses, shows progress and prints) and the layers below (bench, store, runtime). */
#ifndef SR_SESSION_H
#define SR_SESSION_H

#include "runtime/runtime.h"
#include "store/store.h"

typedef struct {
    int argc;          /* the command line: argv[0] is the subcommand */
    char **argv;
    int (*interrupted)(void); /* nonzero once a signal arrived; may be NULL */
    sr_device_info *devices;  /* the OpenCL devices here, once listed */
    size_t n_devices;
    const sr_device_info *dev; /* the one chosen (NULL: none) */
    sr_store *store;
    char run[SR_UUID_LEN];         /* "" until begun */
    char device_uuid[SR_UUID_LEN]; /* the chosen device's, once recorded */
    sr_cl *cl;
} sr_session;

void sr_session_init(sr_session *s, int argc, char **argv, int (*interrupted)(void));

/* Lists the OpenCL devices and chooses spec's (NULL: the first); nothing is opened. */
sr_code sr_session_find_device(sr_session *s, const char *spec, sr_err *err);

sr_code sr_session_open_store(sr_session *s, const char *path, sr_err *err);

/* Records the chosen device (if any) and begins a run of the command on it. */
sr_code sr_session_begin(sr_session *s, sr_err *err);

/* Takes up run_uuid again (one that was interrupted or failed) on the chosen device,
 * which must be the device it ran on. */
sr_code sr_session_resume(sr_session *s, const char *run_uuid, sr_err *err);

/* Opens the chosen device for kernels. */
sr_code sr_session_open_device(sr_session *s, sr_err *err);

/* Ends the run by how the command went: "complete" when c is SR_OK and no signal came
 * (if writing it fails, e.g. on a full disk, the run ends "failed" with that reason);
 * "interrupted" after a signal or SR_ERR_INTERRUPTED; else "failed" with err's message.
 * Returns the code to report (c, SR_ERR_INTERRUPTED, or the failure to complete). */
sr_code sr_session_end(sr_session *s, sr_code c, sr_err *err);

/* Closes the device and the database and frees the list. */
void sr_session_close(sr_session *s);

/* The store's record of an OpenCL device. */
void sr_session_device_rec(const sr_device_info *info, sr_device_rec *out);

#endif
