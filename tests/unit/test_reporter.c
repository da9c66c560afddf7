/* Unit tests for reporter.c with its real sinks: a state.db in a temporary
 * directory, an alert hook script that appends what it got to a file, and
 * the log captured from stderr. A change is reported exactly once, also
 * across a restart (state.db reopened); drift whose differences change is
 * reported again; target, group and apply events each reach the log, the
 * history and the hook; a difference whose text is not UTF-8 survives into
 * the JSON of history and hook. */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <event2/event.h>
#include <jansson.h>

#include "alertq.h"
#include "history.h"
#include "hook.h"
#include "log.h"
#include "migrate.h"
#include "report.h"
#include "reporter.h"
#include "tap.h"
#include "util.h"

static struct event_base	*base;
static struct hook_mgr		*hooks;
static struct alertq		*alerts;
static char			 dir[256], hookfile[300], logfile[300];
static int			 saved_stderr = -1;
static int			 status_calls;

static void
poll_cb(evutil_socket_t fd, short what, void *arg)
{
	if (hook_running(hooks) == 0 || now_ms() >= *(int64_t *)arg)
		event_base_loopbreak(base);
}

/* Let every hook started so far finish (at most 10 s). */
static void
wait_hooks(void)
{
	int64_t deadline = now_ms() + 10000;
	struct timeval t10 = { 0, 10000 };
	struct event *ev = event_new(base, -1, EV_PERSIST, poll_cb, &deadline);

	event_add(ev, &t10);
	event_base_dispatch(base);
	event_free(ev);
}

static char *
slurp(const char *path)
{
	char *s = read_file(path, NULL);

	return s != NULL ? s : strdup("");
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* Entries stored for a name: n, and the newest one's state and detail. */
static int
stored(struct history *h, const char *name, char **state, char **detail)
{
	struct hist_entry *e;
	char *err = NULL;
	int n = 0;

	if ((e = history_list(h, name, 100, &n, &err)) == NULL) {
		free(err);
		return -1;
	}
	if (state != NULL)
		*state = n > 0 ? strdup(e[0].state) : NULL;
	if (detail != NULL)
		*detail = n > 0 && e[0].detail != NULL ? strdup(e[0].detail) : NULL;
	hist_entries_free(e, n);
	return n;
}

static char *
status_line(void *arg)
{
	status_calls++;
	return strdup("status");
}

static void
diffs_set(struct diff_list *l, const char *const *objects, int n)
{
	int i;

	diff_list_free(l);
	l->v = calloc((size_t)n + 1, sizeof *l->v);
	for (i = 0; i < n; i++) {
		l->v[i].object = strdup(objects[i]);
		l->v[i].kind = DIFF_MISSING_COLUMN;
		l->v[i].expected = strdup("text");
	}
	l->n = n;
}

static struct reporter *
open_reporter(struct history **h, const struct config *cfg)
{
	char *err = NULL;
	struct reporter *rep;

	if ((*h = history_open(dir, &err)) == NULL) {
		printf("# history_open: %s\n", err);
		free(err);
	}
	rep = reporter_new(*h, hooks);
	reporter_configure(rep, cfg);
	/* A queue per reporter, as the daemon has one per run; the previous
	 * one is idle here (every test waits for its hooks). */
	alertq_free(alerts);
	alerts = alertq_new(base, *h, hooks);
	reporter_use_alerts(rep, alerts);
	reporter_set_status(rep, status_line, NULL);
	return rep;
}

static void
test_targets(const struct config *cfg)
{
	static const char *const a[] = { "prompt_templates.a" }, *const b[] = {
		"prompt_templates.a", "prompt_templates.b" };
	struct diff_list dl = { NULL, 0 };
	struct rep_target t = { "prod", "postgresql", ST_DRIFT, NULL, &dl, 1700000000000, 1700000000000,
	    NULL, NULL, NULL, 0, 0 };
	struct history *h;
	struct reporter *rep = open_reporter(&h, cfg);
	char *log, *hk, *state = NULL;

	diffs_set(&dl, a, 1);
	status_calls = 0;
	ok(reporter_target(rep, &t), "a target in drift: news");
	ok(!reporter_target(rep, &t), "the same drift again: not news");
	ok(!reporter_target(rep, &t), "... nor the third time");
	ok(status_calls >= 3, "STATUS= is refreshed at every result");
	wait_hooks();
	is_int(stored(h, "prod", &state, NULL), 1, "history: stored exactly once");
	is_str(state, "drift", "... as drift");
	free(state);
	hk = slurp(hookfile);
	is_int(count(hk, "KIND=target EVENT=drift-detected STATE=drift"), 1,
	    "hook: run exactly once for it, with its variables");
	free(hk);
	log = slurp(logfile);
	is_int(count(log, "target prod: drift detected (1 difference)"), 1,
	    "log: one line for it");
	free(log);

	diffs_set(&dl, b, 2);
	ok(reporter_target(rep, &t), "drift whose set of differences changed: news again");
	wait_hooks();
	log = slurp(logfile);
	is_int(count(log, "target prod: drift changed (2 differences)"), 1,
	    "log: \"drift changed\"");
	free(log);
	is_int(stored(h, "prod", NULL, NULL), 2, "history: stored");
	hk = slurp(hookfile);
	is_int(count(hk, "EVENT=drift-detected STATE=drift PREV=drift"), 1,
	    "hook: run for it (previous state drift)");
	free(hk);

	/* Restart: a new reporter over the reopened state.db. */
	reporter_free(rep);
	history_close(h);
	rep = open_reporter(&h, cfg);
	is_int(reporter_last(rep, REP_TARGET, "prod", NULL), ST_DRIFT,
	    "restart: the reported state comes back from state.db");
	ok(!reporter_target(rep, &t), "restart: the same drift is not news (no re-alert)");
	diffs_set(&dl, a, 1);
	ok(reporter_target(rep, &t), "restart: other differences than those stored are news");
	t.state = ST_OK;
	diffs_set(&dl, NULL, 0);
	ok(reporter_target(rep, &t), "back to ok: news");
	wait_hooks();
	log = slurp(logfile);
	is_int(count(log, "target prod: ok (was drift)"), 1, "log: drift resolved");
	free(log);
	hk = slurp(hookfile);
	is_int(count(hk, "EVENT=drift-resolved STATE=ok"), 1, "hook: drift-resolved");
	free(hk);
	is_int(stored(h, "prod", NULL, NULL), 4, "history: four reports in all");

	/* Text that is not UTF-8 (a LATIN1 default, say): kept, as U+FFFD. */
	{
		static const char *const latin1[] = { "prompt_templates.caf\xe9" };
		char *detail = NULL;
		json_t *doc, *arr;

		t.state = ST_DRIFT;
		diffs_set(&dl, latin1, 1);
		ok(reporter_target(rep, &t), "drift with a non-UTF-8 difference: news");
		wait_hooks();
		stored(h, "prod", NULL, &detail);
		doc = detail != NULL ? json_loads(detail, 0, NULL) : NULL;
		arr = json_object_get(doc, "differences");
		is_int(json_array_size(arr), 1, "history: the non-UTF-8 difference is kept");
		is_str(json_string_value(json_object_get(json_array_get(arr, 0), "object")),
		    "prompt_templates.caf\xef\xbf\xbd", "... its bad byte as U+FFFD");
		json_decref(doc);
		free(detail);
		hk = slurp(hookfile);
		ok(strstr(hk, "\"object\":\"prompt_templates.caf\xef\xbf\xbd\"") != NULL,
		    "hook: the event's JSON carries it too");
		free(hk);
	}

	/* A rename: the log line names the new name, and renamed again (another
	 * new name, the same object and kind) is news, also after a restart. */
	diffs_set(&dl, (const char *const[]){ "prompt_templates.ix_a" }, 1);
	dl.v[0].kind = DIFF_INDEX_RENAMED;
	free(dl.v[0].expected);
	dl.v[0].expected = strdup("ix_a");
	dl.v[0].actual = strdup("ix_b");
	ok(reporter_target(rep, &t), "drift by a rename: news");
	ok(!reporter_target(rep, &t), "the same rename again: not news");
	wait_hooks();
	log = slurp(logfile);
	is_int(count(log, "(1 difference): prompt_templates.ix_a index_renamed to ix_b"), 1,
	    "log: the rename with its new name");
	free(log);
	free(dl.v[0].actual);
	dl.v[0].actual = strdup("ix_c");
	ok(reporter_target(rep, &t), "renamed again, to another name: news");
	wait_hooks();	/* the alert queue is freed with the reporter */
	reporter_free(rep);
	history_close(h);
	rep = open_reporter(&h, cfg);
	ok(!reporter_target(rep, &t), "restart: the stored rename is the same rename");
	diff_list_free(&dl);
	reporter_free(rep);
	history_close(h);
}

static void
test_groups(const struct config *cfg)
{
	struct rep_group g = { 0 };
	struct history *h;
	struct reporter *rep = open_reporter(&h, cfg);
	char *log, *hk, *state = NULL;

	g.name = "dev-vs-prod";
	g.state = GS_DIVERGED;
	g.prev = GS_UNKNOWN;
	g.ndiffs = 1;
	g.summary = "prompt_templates.a missing_column (dev: text, prod: none)";
	g.members = json_pack("[s,s]", "dev", "prod");
	g.differences = json_pack("[{s:s, s:s, s:[s,s]}]", "object", "prompt_templates.a",
	    "kind", "missing_column", "members", "dev", "prod");
	g.since_ms = wall_ms();
	ok(reporter_group(rep, &g), "a group diverged: news");
	ok(!reporter_group(rep, &g), "... once");
	g.prev = GS_DIVERGED;
	g.state = GS_UNKNOWN;
	g.reason = "prod is unreachable";
	ok(!reporter_group(rep, &g), "unknown is not news");
	g.prev = GS_UNKNOWN;
	g.state = GS_DIVERGED;
	ok(!reporter_group(rep, &g), "back to the reported state: not news");
	wait_hooks();
	log = slurp(logfile);
	is_int(count(log, "group dev-vs-prod: diverged (1 difference): prompt_templates.a"), 1,
	    "log: the group's change, once");
	is_int(count(log, "group dev-vs-prod: unknown (prod is unreachable)"), 1,
	    "log: unknown at info level");
	free(log);
	is_int(stored(h, "dev-vs-prod", &state, NULL), 1, "history: stored once");
	is_str(state, "diverged", "... as diverged");
	free(state);
	hk = slurp(hookfile);
	is_int(count(hk, "KIND=group EVENT=group-diverged STATE=diverged"), 1,
	    "hook: run once, as a group event");
	free(hk);

	/* Another object differs now: "divergence changed", reported again. */
	json_decref(g.differences);
	g.differences = json_pack("[{s:s, s:s, s:[s,s]}, {s:s, s:s, s:[s,s]}]",
	    "object", "prompt_templates.a", "kind", "missing_column", "members", "dev", "prod",
	    "object", "prompt_templates.b", "kind", "missing_column", "members", "dev", "prod");
	g.ndiffs = 2;
	g.summary = "prompt_templates.a missing_column; prompt_templates.b missing_column";
	g.prev = GS_DIVERGED;
	ok(reporter_group(rep, &g), "a group whose set of differences changed: news again");
	ok(!reporter_group(rep, &g), "... once");
	wait_hooks();
	log = slurp(logfile);
	is_int(count(log, "group dev-vs-prod: divergence changed (2 differences)"), 1,
	    "log: \"divergence changed\"");
	free(log);
	is_int(stored(h, "dev-vs-prod", NULL, NULL), 2, "history: stored");
	hk = slurp(hookfile);
	is_int(count(hk, "KIND=group EVENT=group-diverged STATE=diverged PREV=diverged"), 1,
	    "hook: run for it (previous state diverged)");
	free(hk);

	/* Restart: the stored differences are what "changed" is against. */
	reporter_free(rep);
	history_close(h);
	rep = open_reporter(&h, cfg);
	ok(!reporter_group(rep, &g), "after a restart the same divergence is not news");
	json_decref(g.differences);
	g.differences = json_pack("[{s:s, s:s, s:[s,s]}]", "object", "prompt_templates.b",
	    "kind", "missing_column", "members", "dev", "prod");
	g.ndiffs = 1;
	ok(reporter_group(rep, &g), "... another one is");
	wait_hooks();
	json_decref(g.members);
	json_decref(g.differences);
	reporter_free(rep);
	history_close(h);
}

static void
test_applies(const struct config *cfg)
{
	struct migrate_result r = { 0 };
	struct history *h;
	struct reporter *rep = open_reporter(&h, cfg);
	char *log, *hk, *state = NULL;

	r.outcome = MIGRATE_APPLIED;
	r.applied = true;
	r.target = "staging";
	r.before = ST_PENDING;
	r.after = ST_OK;
	r.duration_ms = 12;
	reporter_apply(rep, &r, false, ST_PENDING);
	r.outcome = MIGRATE_DRY_RUN;
	r.applied = false;
	r.dry_run = true;
	reporter_apply(rep, &r, false, ST_PENDING);
	wait_hooks();
	log = slurp(logfile);
	is_int(count(log, "target staging: upgrade applied on request (pending -> ok)"), 1,
	    "log: the apply");
	is_int(count(log, "target staging: dry run of the upgrade"), 1, "log: the dry run");
	free(log);
	is_int(stored(h, "staging", &state, NULL), 1, "history: the apply, not the dry run");
	is_str(state, "upgrade-ok", "... as upgrade-ok");
	free(state);
	hk = slurp(hookfile);
	is_int(count(hk, "KIND=apply EVENT=migration-applied STATE=upgrade-ok PREV=pending"), 1,
	    "hook: the apply, not the dry run");
	free(hk);
	reporter_free(rep);
	history_close(h);
}

static void
test_render_utf8(void)
{
	struct diff_list dl = { NULL, 0 };
	static const char *const bad[] = { "t.\xff\xfe" };
	struct target_report tr = { "prod\xe9", "sqlite", ST_DRIFT, "caf\xe9", &dl,
	    NULL, NULL, NULL, 0, 0 };
	json_t *j;

	diffs_set(&dl, bad, 1);
	j = report_diffs_json(&dl);
	is_int(json_array_size(j), 1, "report_diffs_json keeps a non-UTF-8 difference");
	is_str(json_string_value(json_object_get(json_array_get(j, 0), "object")),
	    "t.\xef\xbf\xbd\xef\xbf\xbd", "... each bad byte a U+FFFD");
	json_decref(j);
	j = report_target_json(&tr);
	ok(j != NULL && json_array_size(json_object_get(j, "differences")) == 1,
	    "--once --json: the target and its difference survive");
	is_str(json_string_value(json_object_get(j, "error")), "caf\xef\xbf\xbd",
	    "... and its error");
	json_decref(j);
	diff_list_free(&dl);
}

int
main(void)
{
	static char *argv[] = { "/bin/sh", "-c",
	    "echo \"KIND=$SCHEMAWATCH_KIND EVENT=$SCHEMAWATCH_EVENT STATE=$SCHEMAWATCH_STATE "
	    "PREV=$SCHEMAWATCH_PREVIOUS_STATE\" >>\"$HOOKFILE\"; cat >>\"$HOOKFILE\"; "
	    "echo >>\"$HOOKFILE\"", NULL };
	struct config cfg = { 0 };
	const char *tmp = getenv("TMPDIR");
	char cmd[600];
	int fd;

	snprintf(dir, sizeof dir, "%s/test_reporter.XXXXXX", tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(hookfile, sizeof hookfile, "%s/hook.out", dir);
	snprintf(logfile, sizeof logfile, "%s/log.out", dir);
	setenv("HOOKFILE", hookfile, 1);
	cfg.alert_command = argv;
	cfg.alert_timeout_ms = 10000;

	/* The log goes to stderr, which goes to a file we read back. */
	fflush(stderr);
	saved_stderr = dup(2);
	fd = open(logfile, O_WRONLY | O_CREAT | O_APPEND, 0600);
	dup2(fd, 2);
	close(fd);
	log_init("test_reporter", LOG_SINK_STDERR, LOG_DEBUG);
	base = event_base_new();
	hooks = hook_init(base);

	test_targets(&cfg);
	test_groups(&cfg);
	test_applies(&cfg);
	test_render_utf8();

	alertq_free(alerts);
	hook_fini(hooks);
	event_base_free(base);
	log_fini();
	dup2(saved_stderr, 2);
	close(saved_stderr);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (tap_failed == 0 && system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	else if (tap_failed != 0)
		printf("# kept %s\n", dir);
	return tap_done();
}
