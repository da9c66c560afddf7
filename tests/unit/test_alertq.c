/* Unit tests for alertq.c with a real state.db and real hook processes:
 * a hook that fails twice then succeeds gets each event exactly once, in
 * order, and the counters say so; a hook that times out is retried; an
 * event still undelivered when the queue stops (the daemon stops) is in the
 * outbox and is delivered by the next queue over the reopened state.db,
 * exactly once; with no command nothing is queued but history is kept. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <event2/event.h>

#include "alertq.h"
#include "history.h"
#include "hook.h"
#include "log.h"
#include "tap.h"
#include "util.h"

static struct event_base	*base;
static struct hook_mgr		*hooks;
static char			 dir[256], outfile[300], failfile[300];

struct until {
	bool		(*cond)(void *);
	void		*arg;
	int64_t		 deadline;
};

static void
poll_cb(evutil_socket_t fd, short what, void *arg)
{
	struct until *u = arg;

	if (u->cond(u->arg) || now_ms() >= u->deadline)
		event_base_loopbreak(base);
}

/* Run the loop until cond holds (at most 20 s: retries pause 1 s, 2 s, ...). */
static bool
run_until(bool (*cond)(void *), void *arg)
{
	struct until u = { cond, arg, now_ms() + 20000 };
	struct timeval t10 = { 0, 10000 };
	struct event *ev = event_new(base, -1, EV_PERSIST, poll_cb, &u);

	event_add(ev, &t10);
	event_base_dispatch(base);
	event_free(ev);
	return cond(arg);
}

static bool
drained(void *arg)
{
	struct alertq_stats st;

	alertq_stats(arg, &st);
	return st.pending == 0 && hook_running(hooks) == 0;
}

static bool
failed_once(void *arg)
{
	struct alertq_stats st;

	alertq_stats(arg, &st);
	return st.failures >= 1 && hook_running(hooks) == 0;
}

static char *
slurp(const char *path)
{
	char *s = read_file(path, NULL);

	return s != NULL ? s : xstrdup("");
}

static void
push(struct alertq *q, struct history *h, const char *state)
{
	char env0[64], what[64], json[64];
	char *env[] = { env0, NULL };
	struct hist_entry e = { 0 };

	snprintf(env0, sizeof env0, "SCHEMAWATCH_STATE=%s", state);
	snprintf(what, sizeof what, "target t: %s", state);
	snprintf(json, sizeof json, "{\"state\":\"%s\"}", state);
	e.kind = HIST_TARGET;
	e.name = "t";
	e.state = (char *)state;
	alertq_push(q, h != NULL ? &e : NULL, env, json, what);
}

static int
outbox_rows(struct history *h)
{
	struct hist_outbox *v;
	char *err = NULL;
	int n = -1;

	if ((v = history_outbox_list(h, &n, &err)) == NULL) {
		printf("# outbox: %s\n", err);
		free(err);
		return -1;
	}
	hist_outbox_free(v, n);
	return n;
}

static struct history *
open_hist(void)
{
	struct history *h;
	char *err = NULL;

	if ((h = history_open(dir, &err)) == NULL) {
		printf("# history_open: %s\n", err);
		free(err);
	}
	return h;
}

/* The hook fails (exit 1) while $FAILFILE holds a positive count, counting
 * down; "hang" in it makes the next run sleep past its timeout instead. */
static char *const hook_argv[] = { "/bin/sh", "-c",
	"n=$(cat \"$FAILFILE\" 2>/dev/null || echo 0); "
	"if [ \"$n\" = hang ]; then echo 0 >\"$FAILFILE\"; exec sleep 30; fi; "
	"if [ \"$n\" -gt 0 ]; then echo $((n - 1)) >\"$FAILFILE\"; exit 1; fi; "
	"printf '%s %s\\n' \"$SCHEMAWATCH_STATE\" \"$(cat)\" >>\"$OUTFILE\"", NULL };

static void
set_fail(const char *what)
{
	char cmd[400];

	snprintf(cmd, sizeof cmd, "echo %s >'%s'", what, failfile);
	if (system(cmd) != 0)
		printf("# cannot write %s\n", failfile);
}

static void
test_retry_in_order(void)
{
	struct history *h = open_hist();
	struct alertq *q = alertq_new(base, h, hooks);
	struct alertq_stats st;
	char *out;

	alertq_configure(q, hook_argv, 5000);
	set_fail("2");
	push(q, h, "drift");
	push(q, h, "ok");
	ok(run_until(drained, q), "a hook failing twice: the queue drains");
	out = slurp(outfile);
	is_str(out, "drift {\"state\":\"drift\"}\nok {\"state\":\"ok\"}\n",
	    "each event delivered exactly once, in order, with its JSON");
	free(out);
	alertq_stats(q, &st);
	is_int(st.delivered, 2, "stats: 2 deliveries");
	is_int(st.failures, 2, "stats: 2 failures");
	is_int(st.retries, 2, "stats: 2 retries");
	is_int(outbox_rows(h), 0, "the outbox is empty once delivered");
	alertq_free(q);
	history_close(h);
	unlink(outfile);
}

static void
test_timeout(void)
{
	struct history *h = open_hist();
	struct alertq *q = alertq_new(base, h, hooks);
	struct alertq_stats st;
	char *out;

	/* Long enough for the retry's shell to start and write on a loaded
	 * machine (300 ms was not, under CI load: a second time-out, a second
	 * delivery); the first run hangs for ever, so only this is waited. */
	alertq_configure(q, hook_argv, 2000);
	set_fail("hang");
	push(q, h, "unreachable");
	ok(run_until(drained, q), "a hook that timed out is retried");
	out = slurp(outfile);
	is_str(out, "unreachable {\"state\":\"unreachable\"}\n", "... and delivers the event once");
	free(out);
	alertq_stats(q, &st);
	is_int(st.failures, 1, "stats: the timeout counts as a failure");
	alertq_free(q);
	history_close(h);
	unlink(outfile);
}

static void
test_restart(void)
{
	struct history *h = open_hist();
	struct alertq *q = alertq_new(base, h, hooks);
	struct hist_entry *e;
	char *out, *err = NULL;
	int n = 0;

	alertq_configure(q, hook_argv, 5000);
	set_fail("1000");
	push(q, h, "error");
	ok(run_until(failed_once, q), "the hook fails");
	alertq_free(q);		/* the daemon stops */
	history_close(h);
	ok(access(outfile, F_OK) != 0, "nothing was delivered");

	h = open_hist();
	is_int(outbox_rows(h), 1, "after the stop the event is in state.db's outbox");
	e = history_list(h, "t", 1, &n, &err);
	ok(e != NULL && n == 1 && strcmp(e[0].state, "error") == 0,
	    "... and its history entry too");
	hist_entries_free(e, n);
	free(err);
	set_fail("0");
	q = alertq_new(base, h, hooks);
	alertq_configure(q, hook_argv, 5000);
	alertq_load(q);
	ok(run_until(drained, q), "the next start delivers it");
	out = slurp(outfile);
	is_str(out, "error {\"state\":\"error\"}\n", "... exactly once");
	free(out);
	is_int(outbox_rows(h), 0, "... and empties the outbox");
	alertq_free(q);
	history_close(h);

	/* A third start has nothing left to deliver. */
	h = open_hist();
	q = alertq_new(base, h, hooks);
	alertq_configure(q, hook_argv, 5000);
	alertq_load(q);
	run_until(drained, q);
	out = slurp(outfile);
	is_str(out, "error {\"state\":\"error\"}\n", "a further restart delivers nothing again");
	free(out);
	alertq_free(q);
	history_close(h);
	unlink(outfile);
}

static void
test_no_command(void)
{
	struct history *h = open_hist();
	struct alertq *q = alertq_new(base, h, hooks);
	struct hist_entry *e;
	char *err = NULL;
	int n = 0;

	alertq_configure(q, NULL, 0);
	push(q, h, "drift");
	is_int(outbox_rows(h), 0, "no alert_command: nothing waits in the outbox");
	e = history_list(h, "t", 1, &n, &err);
	ok(e != NULL && n == 1 && strcmp(e[0].state, "drift") == 0, "... but history is kept");
	hist_entries_free(e, n);
	free(err);
	alertq_free(q);
	history_close(h);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");
	char cmd[600];

	snprintf(dir, sizeof dir, "%s/test_alertq.XXXXXX", tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(outfile, sizeof outfile, "%s/hook.out", dir);
	snprintf(failfile, sizeof failfile, "%s/fail", dir);
	setenv("OUTFILE", outfile, 1);
	setenv("FAILFILE", failfile, 1);
	log_init("test_alertq", LOG_SINK_STDERR, LOG_WARNING);
	base = event_base_new();
	hooks = hook_init(base);

	test_retry_in_order();
	test_timeout();
	test_restart();
	test_no_command();

	hook_fini(hooks);
	event_base_free(base);
	log_fini();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# cannot remove %s\n", dir);
	return tap_done();
}
