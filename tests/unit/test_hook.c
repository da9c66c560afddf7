/* Unit tests for hook.c: stdin and environment reach the hook, argv is not
 * a shell command, timeouts kill without blocking the loop, failures are
 * logged, and nothing is left behind. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>

#include "hook.h"
#include "log.h"
#include "tap.h"
#include "util.h"

static struct event_base	*base;
static struct hook_mgr		*mgr;
static const char		*tmp;
static char			*logpath;

/* ---- helpers ---------------------------------------------------------------- */

static char *
tpath(const char *name)
{
	return xasprintf("%s/%s", tmp, name);
}

static char *
slurp(const char *path)
{
	size_t len;

	return read_file(path, &len);
}

static bool
log_has(const char *needle)
{
	char *s = slurp(logpath);
	bool found = s != NULL && strstr(s, needle) != NULL;

	if (!found)
		printf("#   log lacks: %s\n", needle);
	free(s);
	return found;
}

struct waiter {
	int64_t		 deadline;
	int		 ticks;
	const char	*file;	/* or wait until no hook runs */
};

static void
poll_cb(evutil_socket_t fd, short what, void *arg)
{
	struct waiter *w = arg;
	struct stat st;
	bool done = w->file != NULL ? stat(w->file, &st) == 0 && st.st_size > 0 :
	    hook_running(mgr) == 0;

	if (done || now_ms() >= w->deadline)
		event_base_loopbreak(base);
}

static void
tick_cb(evutil_socket_t fd, short what, void *arg)
{
	((struct waiter *)arg)->ticks++;
}

/* Run the loop until every hook was reaped (or file exists), at most
 * max_ms; returns the time taken, counts 50ms ticks into *ticks. */
static int64_t
run_until(const char *file, int64_t max_ms, int *ticks)
{
	struct waiter w = { now_ms() + max_ms, 0, file };
	struct timeval t10 = { 0, 10000 }, t50 = { 0, 50000 };
	struct event *poll_ev = event_new(base, -1, EV_PERSIST, poll_cb, &w);
	struct event *tick_ev = event_new(base, -1, EV_PERSIST, tick_cb, &w);
	int64_t start = now_ms();

	event_add(poll_ev, &t10);
	event_add(tick_ev, &t50);
	event_base_dispatch(base);
	event_free(poll_ev);
	event_free(tick_ev);
	if (ticks != NULL)
		*ticks = w.ticks;
	return now_ms() - start;
}

static pid_t
read_pid(const char *path)
{
	char *s = slurp(path);
	pid_t pid = s != NULL ? (pid_t)strtol(s, NULL, 10) : 0;

	free(s);
	return pid;
}

/* Dead and reaped by us: waitpid says it is not our child (any more). */
static bool
reaped(pid_t pid)
{
	int st;

	return pid > 0 && waitpid(pid, &st, WNOHANG) < 0 && errno == ECHILD;
}

/* Dead: no such process, or a zombie (reparented to an init that is slow
 * to reap). */
static bool
dead(pid_t pid)
{
	char path[64], *s, *p;
	bool z;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((s = slurp(path)) == NULL)
		return true;
	p = strrchr(s, ')');
	z = p != NULL && p[1] == ' ' && p[2] == 'Z';
	free(s);
	return z;
}

/* ---- tests ------------------------------------------------------------------ */

static void
test_stdin_env(void)
{
	char *out = tpath("stdin.out"), *envout = tpath("env.out");
	char *e_out = xasprintf("SCHEMAWATCH_OUT=%s", out);
	char *e_env = xasprintf("SCHEMAWATCH_ENVOUT=%s", envout);
	char *argv[] = { "/bin/sh", "-c",
	    "cat > \"$SCHEMAWATCH_OUT\"; "
	    "printf '%s|%s|%s' \"$SCHEMAWATCH_TARGET\" \"$SCHEMAWATCH_STATE\" \"$SWTEST_INHERITED\" "
	    "> \"$SCHEMAWATCH_ENVOUT\"", NULL };
	char *env[] = { e_out, e_env, "SCHEMAWATCH_TARGET=prod", "SCHEMAWATCH_STATE=drift", NULL };
	const char *json = "{\"event\":\"drift-detected\",\"target\":\"prod\",\"differences\":2}\n";
	char *got;

	setenv("SWTEST_INHERITED", "yes", 1);
	setenv("SCHEMAWATCH_STATE", "stale-daemon-value", 1);
	is_int(hook_run(mgr, argv, env, json, 5000, "target prod: drift"), 0, "hook started");
	is_int(hook_running(mgr), 1, "one hook running");
	run_until(NULL, 5000, NULL);
	is_int(hook_running(mgr), 0, "hook reaped");
	got = slurp(out);
	is_str(got, json, "the hook read the event's JSON on stdin, byte for byte");
	free(got);
	got = slurp(envout);
	is_str(got, "prod|drift|yes",
	    "env_extra reaches the hook, replaces a daemon variable of the same name, "
	    "the daemon's environment is kept");
	free(got);
	ok(log_has("<7>alert hook for target prod: drift succeeded"), "exit 0 is logged at LOG_DEBUG");
	unsetenv("SCHEMAWATCH_STATE");
	free(out);
	free(envout);
	free(e_out);
	free(e_env);
}

/* More than a pipe holds (64 KiB): written in pieces as the hook reads. */
static void
test_big_stdin(void)
{
	char *out = tpath("big.out"), *e_out = xasprintf("SCHEMAWATCH_OUT=%s", out);
	char *argv[] = { "/bin/sh", "-c", "sleep 0.2; cat > \"$SCHEMAWATCH_OUT\"", NULL };
	char *env[] = { e_out, NULL };
	struct sbuf big;
	char *got;
	int i, ticks;
	int64_t ms;

	sbuf_init(&big);
	sbuf_add(&big, "[");
	for (i = 0; i < 20000; i++)
		sbuf_printf(&big, "%s{\"n\":%d}", i ? "," : "", i);
	sbuf_add(&big, "]");
	is_int(hook_run(mgr, argv, env, big.buf, 5000, "big"), 0, "hook with 250 KB of stdin started");
	ms = run_until(NULL, 5000, &ticks);
	got = slurp(out);
	ok(got != NULL && strcmp(got, big.buf) == 0, "250 KB of stdin arrived whole");
	ok(ticks >= (int)(ms / 50) / 2, "the loop kept running while the pipe was full");
	free(got);
	sbuf_free(&big);

	/* A hook that never reads its stdin: EPIPE, not a dead daemon. */
	{
		char *argv2[] = { "/bin/sh", "-c", "exec 0<&-; exit 0", NULL };
		struct sbuf huge;

		sbuf_init(&huge);
		for (i = 0; i < 100000; i++)
			sbuf_add(&huge, "0123456789");
		is_int(hook_run(mgr, argv2, NULL, huge.buf, 5000, "no reader"), 0,
		    "hook that closes stdin started");
		run_until(NULL, 5000, NULL);
		ok(log_has("alert hook for no reader succeeded"),
		    "a hook that ignores its stdin succeeds; the daemon survives EPIPE");
		sbuf_free(&huge);
	}
	free(out);
	free(e_out);
}

static void
test_no_shell(void)
{
	char *dir = tpath("noshell"), *pwned, *literal, *out, *e_out, *arg, *got;
	char *touch[3] = { "/usr/bin/touch", NULL, NULL };
	char *echo[] = { "/bin/sh", "-c", "printf '%s' \"$1\" > \"$SCHEMAWATCH_OUT\"", "sh", NULL, NULL };
	char *env[2] = { NULL, NULL };
	struct stat st;

	/* touch, no shell anywhere: a file named by the whole argument. */
	mkdir(dir, 0755);
	literal = xasprintf("%s/$(touch swtest-pwned); ;", dir);
	touch[1] = literal;
	is_int(hook_run(mgr, touch, NULL, NULL, 5000, "metachar"), 0, "touch started");
	run_until(NULL, 5000, NULL);
	ok(stat(literal, &st) == 0, "an argument with $(...) and ; arrives literally (file of that name)");
	ok(stat("swtest-pwned", &st) < 0 && errno == ENOENT, "and nothing in it was run by a shell");

	/* The argument as the hook sees it, byte for byte. */
	pwned = xasprintf("%s/pwned", dir);
	arg = xasprintf("$(touch %s); ; `touch %s` | & \"'", pwned, pwned);
	out = xasprintf("%s/argv.out", dir);
	e_out = xasprintf("SCHEMAWATCH_OUT=%s", out);
	echo[4] = arg;
	env[0] = e_out;
	is_int(hook_run(mgr, echo, env, NULL, 5000, "metachar 2"), 0, "argv printer started");
	run_until(NULL, 5000, NULL);
	got = slurp(out);
	is_str(got, arg, "shell metacharacters in argv reach the hook unchanged");
	ok(stat(pwned, &st) < 0 && errno == ENOENT, "no command substitution happened");
	free(got);
	free(dir);
	free(pwned);
	free(literal);
	free(arg);
	free(out);
	free(e_out);
}

static void
test_timeout(void)
{
	char *pidf = tpath("timeout.pid"), *kidf = tpath("timeout.kid");
	char *e1 = xasprintf("SCHEMAWATCH_PIDF=%s", pidf), *e2 = xasprintf("SCHEMAWATCH_KIDF=%s", kidf);
	char *argv[] = { "/bin/sh", "-c",
	    "sleep 10 & echo $! > \"$SCHEMAWATCH_KIDF\"; echo $$ > \"$SCHEMAWATCH_PIDF\"; wait", NULL };
	char *env[] = { e1, e2, NULL };
	int ticks, i;
	int64_t ms;
	pid_t pid, kid;

	is_int(hook_run(mgr, argv, env, "{}", 300, "slow"), 0, "slow hook started");
	ms = run_until(NULL, 5000, &ticks);
	printf("# took %lldms, %d ticks of 50ms\n", (long long)ms, ticks);
	is_int(hook_running(mgr), 0, "slow hook gone");
	ok(ms >= 250 && ms < 1500, "killed after about 300ms, not 10s");
	ok(ticks >= 4, "a 50ms timer kept ticking meanwhile: the loop was never blocked");
	ok(log_has("<4>alert hook for slow timed out after 300ms, killed [event=hook-failed"),
	    "the timeout is logged at LOG_WARNING with LOGEV_HOOK_FAILED");
	pid = read_pid(pidf);
	kid = read_pid(kidf);
	ok(reaped(pid), "the hook was reaped");
	for (i = 0; i < 100 && kid > 0 && !dead(kid); i++)
		usleep(10000);
	ok(kid > 0 && dead(kid), "its child (same process group) was killed too");
	free(pidf);
	free(kidf);
	free(e1);
	free(e2);
}

static void
test_failures(void)
{
	char *exit3[] = { "/bin/sh", "-c", "exit 3", NULL };
	char *sig[] = { "/bin/sh", "-c", "kill -TERM $$", NULL };
	char *missing[] = { "/nonexistent/schemawatch-hook", "x", NULL };
	char *nopath[] = { "schemawatch-no-such-hook-anywhere", NULL };
	char *empty[] = { NULL };
	char *echo[] = { "/bin/sh", "-c", "echo hook-stdout-marker; echo hook-stderr-marker >&2", NULL };

	is_int(hook_run(mgr, exit3, NULL, NULL, 5000, "exit three"), 0, "exit-3 hook started");
	is_int(hook_run(mgr, sig, NULL, NULL, 5000, "signalled"), 0, "self-killing hook started");
	is_int(hook_run(mgr, echo, NULL, NULL, 5000, "echo"), 0, "echo hook started");
	run_until(NULL, 5000, NULL);
	ok(log_has("<4>alert hook for exit three failed: exit status 3 [event=hook-failed message_id="),
	    "exit status 3 is logged with LOGEV_HOOK_FAILED");
	ok(log_has("<4>alert hook for signalled failed: killed by signal 15"),
	    "death by signal is logged with the signal");
	ok(log_has("\nhook-stdout-marker\n") && log_has("\nhook-stderr-marker\n"),
	    "the hook's stdout and stderr go to the daemon's stderr");

	is_int(hook_run(mgr, missing, NULL, NULL, 5000, "missing"), -1, "a missing program: -1");
	ok(log_has("<4>alert hook for missing not run: cannot execute /nonexistent/schemawatch-hook: "
	    "No such file or directory [event=hook-failed"), "a missing program is logged");
	is_int(hook_run(mgr, nopath, NULL, NULL, 5000, "not in path"), -1,
	    "a program not in $PATH: -1");
	ok(log_has("alert hook for not in path not run: cannot execute schemawatch-no-such-hook-anywhere"),
	    "a program not in $PATH is logged");
	is_int(hook_run(mgr, empty, NULL, NULL, 5000, "empty"), -1, "an empty argv: -1");
	is_int(hook_running(mgr), 0, "failed starts leave nothing running");
}

static void
test_fds(void)
{
	char *out = tpath("fds.out"), *e = xasprintf("SCHEMAWATCH_OUT=%s", out);
	char *argv[] = { "/bin/sh", "-c",
	    "if [ -e /proc/self/fd/42 ]; then echo open; else echo closed; fi > \"$SCHEMAWATCH_OUT\"",
	    NULL };
	char *env[] = { e, NULL };
	char *got;
	int fd = open("/dev/null", O_RDONLY);	/* deliberately not O_CLOEXEC */

	dup2(fd, 42);
	close(fd);
	is_int(hook_run(mgr, argv, env, NULL, 5000, "fds"), 0, "fd hook started");
	run_until(NULL, 5000, NULL);
	got = slurp(out);
	is_str(got, "closed\n", "a descriptor the daemon forgot to mark close-on-exec is not inherited");
	free(got);
	close(42);
	free(out);
	free(e);
}

/* HOOK_MAX_RUNNING at once, then one more is dropped; hook_fini kills and
 * reaps them all. */
static void
test_limit_and_fini(void)
{
	char *argv[] = { "/bin/sh", "-c", "echo $$ > \"$SCHEMAWATCH_PIDF\"; exec sleep 10", NULL };
	pid_t pids[HOOK_MAX_RUNNING];
	char *files[HOOK_MAX_RUNNING], *envs[HOOK_MAX_RUNNING];
	int i, started = 0, gone = 0, nreaped = 0;

	for (i = 0; i < HOOK_MAX_RUNNING; i++) {
		char name[32];
		char *env[2] = { NULL, NULL };

		snprintf(name, sizeof name, "sleeper.%d", i);
		files[i] = tpath(name);
		envs[i] = xasprintf("SCHEMAWATCH_PIDF=%s", files[i]);
		env[0] = envs[i];
		if (hook_run(mgr, argv, env, "{}", 30000, "sleeper") == 0)
			started++;
	}
	is_int(started, HOOK_MAX_RUNNING, "HOOK_MAX_RUNNING hooks start");
	is_int(hook_run(mgr, argv, NULL, NULL, 30000, "one too many"), -1, "one more is refused");
	ok(log_has("<4>alert hook for one too many dropped: 16 hooks already running"),
	    "the dropped run is logged");
	is_int(hook_running(mgr), HOOK_MAX_RUNNING, "hook_running counts them");
	for (i = 0; i < HOOK_MAX_RUNNING; i++)
		run_until(files[i], 5000, NULL);
	for (i = 0; i < HOOK_MAX_RUNNING; i++)
		pids[i] = read_pid(files[i]);

	hook_fini(mgr);
	mgr = NULL;
	for (i = 0; i < HOOK_MAX_RUNNING; i++) {
		if (reaped(pids[i]))
			nreaped++;
		if (dead(pids[i]))
			gone++;
		free(files[i]);
		free(envs[i]);
	}
	is_int(nreaped, HOOK_MAX_RUNNING, "hook_fini reaped every hook (waitpid: ECHILD)");
	is_int(gone, HOOK_MAX_RUNNING, "no hook process is left");
	ok(log_has("alert hook for sleeper killed at shutdown"), "killing at shutdown is logged");
}

int
main(void)
{
	int fd;

	tmp = getenv("SW_TEST_TMP");
	if (tmp == NULL)
		tmp = "/tmp";
	logpath = tpath("hook.log");
	/* Our log and the hooks' output both go to fd 2: keep them in a file
	 * the checks can read. */
	fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	dup2(fd, STDERR_FILENO);
	close(fd);
	setenv("SCHEMAWATCHD_LOG", "stderr", 1);
	log_init("test_hook", LOG_SINK_STDERR, LOG_DEBUG);

	base = event_base_new();
	mgr = hook_init(base);
	ok(mgr != NULL, "hook_init");
	test_stdin_env();
	test_big_stdin();
	test_no_shell();
	test_timeout();
	test_failures();
	test_fds();
	test_limit_and_fini();
	event_base_free(base);
	log_fini();
	free(logpath);
	return tap_done();
}
