/* SIGINT/SIGTERM during a measurement: the handler only raises a flag; the command checks
 * it between measurements, rolls back the set in progress, marks its run interrupted and
 * exits 128 + the signal's number (130 for Ctrl-C, 143 for SIGTERM). A second signal ends the process at once (the database stays consistent:
 * SQLite rolls back an open transaction on the next open). */
#include "cli/signals.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
    if (caught) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    caught = sig;
}

void sr_cli_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int sr_cli_interrupted(void) { return caught != 0; }

int sr_cli_interrupt_exit(void) { return caught ? 128 + (int)caught : SR_EXIT_INTERRUPTED; }
