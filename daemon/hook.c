/* hook.c — run the alert command: posix_spawn, stdin fed from an EV_WRITE
 * event, a timeout timer, and SIGCHLD through libevent.
 *
 * Nothing here waits: the stdin pipe is non-blocking, the exit status is
 * collected when libevent reports SIGCHLD, and the timeout is a timer. Only
 * hook_fini, at shutdown, waits for the children it has just SIGKILLed. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>

#include "hook.h"
#include "log.h"
#include "util.h"

extern char **environ;

/* One started hook, from posix_spawn until waitpid has collected it. */
struct hook_proc {
	struct hook_mgr		*mgr;
	struct hook_proc	*next;
	pid_t			 pid;
	char			*what;
	int64_t			 timeout_ms;
	int64_t			 started_ms;
	bool			 timed_out;
	void			(*done)(void *, bool);	/* NULL: nobody waits */
	void			*done_arg;

	int			 stdin_fd;	/* -1 once all is written or given up */
	struct event		*stdin_ev;
	char			*data;
	size_t			 len, off;

	struct event		*timer;
};

struct hook_mgr {
	struct event_base	*base;
	struct event		*sigchld;
	struct hook_proc	*procs;
	int			 nrunning;
};

/* ---- the child's stdin ---------------------------------------------------- */

static void
hook_stdin_close(struct hook_proc *hp)
{
	if (hp->stdin_ev != NULL) {
		event_free(hp->stdin_ev);
		hp->stdin_ev = NULL;
	}
	if (hp->stdin_fd >= 0) {
		close(hp->stdin_fd);
		hp->stdin_fd = -1;
	}
	free(hp->data);
	hp->data = NULL;
}

static void
hook_stdin_cb(evutil_socket_t fd, short what, void *arg)
{
	struct hook_proc *hp = arg;
	ssize_t n;

	n = write(fd, hp->data + hp->off, hp->len - hp->off);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return;		/* the pipe is full: wait for EV_WRITE */
		/* EPIPE: the hook exited or closed stdin without reading the
		 * event; its business (SIGPIPE is ignored, so we get EPIPE). */
		log_msg(errno == EPIPE ? LOG_DEBUG : LOG_WARNING,
		    "alert hook for %s: stdin not fully written (%zu of %zu bytes): %s",
		    hp->what, hp->off, hp->len, strerror(errno));
		hook_stdin_close(hp);
		return;
	}
	hp->off += (size_t)n;
	if (hp->off == hp->len)
		hook_stdin_close(hp);	/* EOF tells the hook the JSON is complete */
}

/* ---- ending a run --------------------------------------------------------- */

static void
hook_proc_free(struct hook_proc *hp)
{
	hook_stdin_close(hp);
	if (hp->timer != NULL)
		event_free(hp->timer);
	free(hp->what);
	free(hp);
}

static void
hook_unlink(struct hook_proc *hp)
{
	struct hook_proc **pp;

	for (pp = &hp->mgr->procs; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == hp) {
			*pp = hp->next;
			hp->mgr->nrunning--;
			return;
		}
	}
}

/* The run's verdict for whoever waits on it: only exit 0 in time is success. */
static void
hook_finish(struct hook_proc *hp, bool ok)
{
	void (*done)(void *, bool) = hp->done;

	hp->done = NULL;
	if (done != NULL)
		done(hp->done_arg, ok);
}

static void
hook_report(const struct hook_proc *hp, int status)
{
	long long ms = (long long)(now_ms() - hp->started_ms);

	if (hp->timed_out) {
		/* Already logged when the timer fired; once is enough. */
		log_msg(LOG_DEBUG, "alert hook for %s (pid %ld) reaped after its timeout",
		    hp->what, (long)hp->pid);
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		log_msg(LOG_DEBUG, "alert hook for %s succeeded in %lldms", hp->what, ms);
	} else if (WIFEXITED(status)) {
		int code = WEXITSTATUS(status);

		/* 126/127 are what shells and posix_spawnp report for a
		 * program that cannot be executed or found. */
		log_event(LOG_WARNING, LOGEV_HOOK_FAILED, NULL, NULL, NULL,
		    "alert hook for %s failed: exit status %d%s", hp->what, code,
		    code == 127 ? " (command not found)" :
		    code == 126 ? " (command not executable)" : "");
	} else if (WIFSIGNALED(status)) {
		log_event(LOG_WARNING, LOGEV_HOOK_FAILED, NULL, NULL, NULL,
		    "alert hook for %s failed: killed by signal %d (%s)", hp->what,
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
	}
}

/* SIGCHLD may stand for several exits (signals coalesce) and for children
 * that are not ours: ask each of our pids, and only ours. */
static void
hook_sigchld_cb(evutil_socket_t sig, short what, void *arg)
{
	struct hook_mgr *mgr = arg;
	struct hook_proc *hp, *next;
	pid_t r;
	int status;

	for (hp = mgr->procs; hp != NULL; hp = next) {
		next = hp->next;
		do
			r = waitpid(hp->pid, &status, WNOHANG);
		while (r < 0 && errno == EINTR);
		if (r == 0)
			continue;
		if (r < 0)
			log_msg(LOG_WARNING, "alert hook for %s (pid %ld): exit status lost: %s",
			    hp->what, (long)hp->pid, strerror(errno));
		else
			hook_report(hp, status);
		hook_unlink(hp);
		/* Unlinked first: the callback may start the next run. */
		hook_finish(hp, r > 0 && !hp->timed_out && WIFEXITED(status) &&
		    WEXITSTATUS(status) == 0);
		hook_proc_free(hp);
	}
}

static void
hook_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct hook_proc *hp = arg;

	/* The whole process group: a shell script's children die with it. */
	if (kill(-hp->pid, SIGKILL) < 0 && errno != ESRCH)
		log_msg(LOG_WARNING, "alert hook for %s: kill(-%ld): %s", hp->what,
		    (long)hp->pid, strerror(errno));
	hp->timed_out = true;
	hook_stdin_close(hp);
	log_event(LOG_WARNING, LOGEV_HOOK_FAILED, NULL, NULL, NULL,
	    "alert hook for %s timed out after %lldms, killed", hp->what,
	    (long long)hp->timeout_ms);
	/* The status arrives with SIGCHLD. */
}

/* ---- starting a run ------------------------------------------------------- */

static bool
env_name_in(const char *var, char *const list[])
{
	size_t n = strcspn(var, "="), i;

	for (i = 0; list != NULL && list[i] != NULL; i++)
		if (strncmp(var, list[i], n) == 0 && list[i][n] == '=')
			return true;
	return false;
}

/* The daemon's environment with env_extra added; a variable named in
 * env_extra replaces the daemon's. The strings are borrowed, not copied. */
static char **
hook_env(char *const env_extra[])
{
	size_t n = 0, i, k = 0;
	char **envp;

	for (i = 0; environ[i] != NULL; i++)
		n++;
	for (i = 0; env_extra != NULL && env_extra[i] != NULL; i++)
		n++;
	envp = xreallocarray(NULL, n + 1, sizeof *envp);
	for (i = 0; environ[i] != NULL; i++)
		if (!env_name_in(environ[i], env_extra))
			envp[k++] = environ[i];
	for (i = 0; env_extra != NULL && env_extra[i] != NULL; i++)
		envp[k++] = env_extra[i];
	envp[k] = NULL;
	return envp;
}

/* posix_spawnp with stdin from stdin_rd, stdout to our stderr, a new process
 * group, default signal handling (we ignore SIGPIPE, the hook must not), and
 * no inherited descriptors beyond 0-2. Returns 0 or an errno value. */
static int
hook_spawn(pid_t *pid, char *const argv[], char *const envp[], int stdin_rd)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t all, none;
	int rc;

	if ((rc = posix_spawn_file_actions_init(&fa)) != 0)
		return rc;
	if ((rc = posix_spawnattr_init(&at)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return rc;
	}
	sigfillset(&all);
	sigemptyset(&none);
	if ((rc = posix_spawn_file_actions_adddup2(&fa, stdin_rd, STDIN_FILENO)) != 0 ||
	    (rc = posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO, STDOUT_FILENO)) != 0)
		goto out;
#if defined(__GLIBC_PREREQ)
#if __GLIBC_PREREQ(2, 34)
	/* Database sockets and the control socket are close-on-exec, but one
	 * forgotten descriptor would leak a connection to an arbitrary
	 * command: close everything else for sure. */
	if ((rc = posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1)) != 0)
		goto out;
#endif
#endif
	if ((rc = posix_spawnattr_setsigdefault(&at, &all)) != 0 ||
	    (rc = posix_spawnattr_setsigmask(&at, &none)) != 0 ||
	    (rc = posix_spawnattr_setpgroup(&at, 0)) != 0 ||
	    (rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)) != 0)
		goto out;
	/* glibc reports exec failures (ENOENT, EACCES) here, not as exit 127. */
	rc = posix_spawnp(pid, argv[0], &fa, &at, argv, envp);
out:
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

static void
hook_fail(const char *what, const char *reason, const char *detail)
{
	log_event(LOG_WARNING, LOGEV_HOOK_FAILED, NULL, NULL, NULL,
	    "alert hook for %s not run: %s%s", what, reason, detail);
}

/* Arm the stdin writer; an empty stdin is EOF at once. */
static void
hook_stdin_start(struct hook_proc *hp, const char *stdin_data)
{
	if (stdin_data == NULL || *stdin_data == '\0') {
		hook_stdin_close(hp);
		return;
	}
	hp->len = strlen(stdin_data);
	hp->data = xstrndup(stdin_data, hp->len);
	/* util.h's policy: these fail only without memory, which is fatal. */
	hp->stdin_ev = xevent_new(hp->mgr->base, hp->stdin_fd, EV_WRITE | EV_PERSIST,
	    hook_stdin_cb, hp);
	xevent_add(hp->stdin_ev, NULL);
}

static void
hook_timer_start(struct hook_proc *hp, int64_t timeout_ms)
{
	hp->timeout_ms = timeout_ms > 0 ? timeout_ms : HOOK_DEFAULT_TIMEOUT_MS;
	/* A hook without its timeout could run forever: no "log and go on". */
	hp->timer = xevtimer_new(hp->mgr->base, hook_timeout_cb, hp);
	xevtimer_add_ms(hp->timer, hp->timeout_ms);
}

int
hook_run(struct hook_mgr *mgr, char *const argv[], char *const env_extra[],
    const char *stdin_data, int64_t timeout_ms, const char *what)
{
	return hook_run_cb(mgr, argv, env_extra, stdin_data, timeout_ms, what, NULL, NULL);
}

int
hook_run_cb(struct hook_mgr *mgr, char *const argv[], char *const env_extra[],
    const char *stdin_data, int64_t timeout_ms, const char *what,
    void (*done)(void *arg, bool ok), void *arg)
{
	struct hook_proc *hp;
	char **envp;
	int pfd[2], rc;
	pid_t pid;

	if (what == NULL)
		what = "an event";
	if (mgr == NULL) {
		hook_fail(what, "alert hooks are disabled", "");
		return -1;
	}
	if (argv == NULL || argv[0] == NULL || argv[0][0] == '\0') {
		hook_fail(what, "no command", "");
		return -1;
	}
	if (mgr->nrunning >= HOOK_MAX_RUNNING) {
		log_event(LOG_WARNING, LOGEV_HOOK_FAILED, NULL, NULL, NULL,
		    "alert hook for %s dropped: %d hooks already running",
		    what, mgr->nrunning);
		return -1;
	}
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		hook_fail(what, "pipe: ", strerror(errno));
		return -1;
	}
	/* Never let a hook that does not read stall the loop in write(2). */
	if (fcntl(pfd[1], F_SETFL, O_NONBLOCK) < 0) {
		rc = errno;
		close(pfd[0]);
		close(pfd[1]);
		hook_fail(what, "fcntl: ", strerror(rc));
		return -1;
	}

	envp = hook_env(env_extra);
	rc = hook_spawn(&pid, argv, envp, pfd[0]);
	free(envp);
	close(pfd[0]);
	if (rc != 0) {
		close(pfd[1]);
		log_event(LOG_WARNING, LOGEV_HOOK_FAILED, NULL, NULL, NULL,
		    "alert hook for %s not run: cannot execute %s: %s", what, argv[0],
		    strerror(rc));
		return -1;
	}

	hp = xcalloc(1, sizeof *hp);
	hp->mgr = mgr;
	hp->pid = pid;
	hp->what = xstrdup(what);
	hp->started_ms = now_ms();
	hp->stdin_fd = pfd[1];
	hp->done = done;
	hp->done_arg = arg;
	hp->next = mgr->procs;
	mgr->procs = hp;
	mgr->nrunning++;
	log_msg(LOG_DEBUG, "alert hook for %s started: %s (pid %ld)", what, argv[0], (long)pid);

	hook_timer_start(hp, timeout_ms);
	hook_stdin_start(hp, stdin_data);
	return 0;
}

int
hook_running(const struct hook_mgr *mgr)
{
	return mgr != NULL ? mgr->nrunning : 0;
}

/* ---- lifetime ------------------------------------------------------------- */

struct hook_mgr *
hook_init(struct event_base *base)
{
	struct hook_mgr *mgr = xcalloc(1, sizeof *mgr);

	/* A hook that exits without reading its stdin must cost an EPIPE, not
	 * the daemon's life. main() should have done this already. */
	signal(SIGPIPE, SIG_IGN);
	mgr->base = base;
	mgr->sigchld = evsignal_new(base, SIGCHLD, hook_sigchld_cb, mgr);
	if (mgr->sigchld == NULL || evsignal_add(mgr->sigchld, NULL) < 0) {
		/* Without it no child would be reaped: refuse to start hooks. */
		log_msg(LOG_ERR, "alert hooks disabled: cannot watch SIGCHLD");
		if (mgr->sigchld != NULL)
			event_free(mgr->sigchld);
		free(mgr);
		return NULL;
	}
	return mgr;
}

void
hook_fini(struct hook_mgr *mgr)
{
	struct hook_proc *hp;
	int status;

	if (mgr == NULL)
		return;
	while ((hp = mgr->procs) != NULL) {
		if (waitpid(hp->pid, &status, WNOHANG) == hp->pid) {
			/* It ended before the loop could hear of it. */
			hook_report(hp, status);
		} else {
			/* Still a child of ours (not yet reaped), so the pid
			 * and its group cannot have been reused. */
			kill(-hp->pid, SIGKILL);
			while (waitpid(hp->pid, &status, 0) < 0 && errno == EINTR)
				;
			log_msg(LOG_NOTICE, "alert hook for %s killed at shutdown",
			    hp->what);
		}
		hook_unlink(hp);
		hook_proc_free(hp);
	}
	event_free(mgr->sigchld);
	free(mgr);
}
