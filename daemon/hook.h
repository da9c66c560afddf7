/* hook.h — the alert hook: run a command on an event without ever blocking
 * the event loop.
 *
 * The command is an argv vector, executed directly (posix_spawnp, so
 * argv[0] without a '/' is looked up in the daemon's $PATH) and never through
 * a shell: arguments reach it byte for byte. Its environment is the daemon's
 * plus env_extra ("SCHEMAWATCH_X=value" strings, which replace a variable of
 * the same name). Its stdin is a pipe carrying stdin_data (the event's JSON)
 * and then EOF; a hook that exits or closes stdin without reading it all is
 * not an error. Its stdout and stderr are the daemon's stderr, so under
 * systemd what it prints lands in the journal next to our own lines. It
 * runs in a process group of its own with default signal dispositions and an
 * empty signal mask, and inherits no descriptor but 0, 1 and 2.
 *
 * Outcomes are logged (log.h): exit 0 at LOG_DEBUG; a non-zero exit, a
 * signal, a start failure (missing program), a run dropped because
 * HOOK_MAX_RUNNING hooks are already running, or a timeout at LOG_WARNING with
 * LOGEV_HOOK_FAILED. On timeout the whole process group gets SIGKILL.
 *
 * Requirements on the main program:
 *   - SIGPIPE must be ignored (a hook that stops reading its stdin would
 *     otherwise kill the daemon). hook_init() does signal(SIGPIPE, SIG_IGN);
 *     main should do it too, before anything writes to a pipe or socket.
 *   - SIGCHLD is watched with an evsignal on the base given to hook_init, and
 *     only the pids this module started are reaped (waitpid(pid, WNOHANG)):
 *     other modules must not reap with waitpid(-1, ...).
 *   - hook_fini() before event_base_free().
 * All functions are for the event-loop thread only. */
#ifndef SW_HOOK_H
#define SW_HOOK_H

#include <stdbool.h>
#include <stdint.h>

struct event_base;
struct hook_mgr;

/* Beyond this many hooks running at once a new run is dropped (and logged),
 * so that a flood of events cannot fork-bomb the host. */
#define HOOK_MAX_RUNNING	16
/* The timeout used when hook_run() is given timeout_ms <= 0. */
#define HOOK_DEFAULT_TIMEOUT_MS	30000

/* NULL when SIGCHLD cannot be watched (logged); hook_run(NULL, ...) then
 * refuses every run with a log line, hook_running(NULL) is 0. */
struct hook_mgr	*hook_init(struct event_base *base);
/* SIGKILLs the process groups of hooks still running and reaps them. */
void		 hook_fini(struct hook_mgr *);

/* Start one run of argv (NULL-terminated, argv[0] the program). env_extra:
 * NULL-terminated "NAME=value" strings, or NULL. stdin_data: NUL-terminated
 * text written to its stdin, or NULL for an empty stdin. what: names the
 * event in log lines, e.g. "target prod: drift". Everything is copied.
 * Returns 0 when the hook was started, -1 when it could not be (logged). */
int		 hook_run(struct hook_mgr *, char *const argv[],
		    char *const env_extra[], const char *stdin_data,
		    int64_t timeout_ms, const char *what);

/* The same, and done(arg, ok) once the run has ended: ok is true only for
 * exit status 0 before the timeout. done is not called when hook_run_cb
 * returns -1 (the run never started) nor for runs killed by hook_fini, and it
 * may start another run. */
int		 hook_run_cb(struct hook_mgr *, char *const argv[],
		    char *const env_extra[], const char *stdin_data,
		    int64_t timeout_ms, const char *what,
		    void (*done)(void *arg, bool ok), void *arg);

/* Hooks started and not yet reaped. */
int		 hook_running(const struct hook_mgr *);

#endif
