/* schemawatchctl.c — ask a running schemawatchd over its control socket.
 *
 * One request, one answer (doc/control-protocol.md), then an aligned table
 * for people or the result object for programs (--json). The exit status is
 * the answer in short: 0 fine, 1 "not ok" (drift, pending, unreachable,
 * error, differences, a failed reload), 2 usage or connection trouble,
 * 77 refused; for apply those of `schemawatchd --apply`: 0 applied, 1 refused,
 * 2 failed. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>

#include "color.h"
#include "report.h"
#include "util.h"

#define DEFAULT_SOCKET		"/run/schemawatchd/schemawatchd.sock"	/* cfg.c's default */
#define TIMEOUT_MS		10000		/* for an answer */
#define CHECK_TIMEOUT_MS	60000		/* `check` waits for fresh results */
#define ANSWER_MAX		(64 * 1024 * 1024)

#define EXIT_OK		0
#define EXIT_NOT_OK	1
#define EXIT_USAGE	2	/* usage or connection */
#define EXIT_NOPERM	77	/* sysexits.h EX_NOPERM */
#define EXIT_APPLY_FAILED 2	/* apply failed: as `schemawatchd --apply` */

#define PROTOCOL_VERSION 1

struct opts {
	const char	*socket;
	bool		 json;
	int64_t		 timeout_ms;	/* 0: by command */
	bool		 color;
};

static const char *progname = "schemawatchctl";

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: schemawatchctl [-s SOCKET] [--json] [-t TIMEOUT] COMMAND [ARGS]\n"
	    "\n"
	    "commands:\n"
	    "  status                   every target: state, since when, last check, differences\n"
	    "  diff NAME                a target's differences against its expected revision,\n"
	    "                           or a group's between its members (a name that is\n"
	    "                           both: the target; `diff group NAME` for the group)\n"
	    "  compare A B              the differences between two targets' schemas\n"
	    "  check [TARGET]           check now and wait for the result\n"
	    "  history [TARGET] [LIMIT] state changes, newest first\n"
	    "  reload                   re-read the daemon's configuration\n"
	    "  apply TARGET [--to REVISION] [--downgrade] [--dry-run] [--force]\n"
	    "                           walk a target along its definition's chain to its\n"
	    "                           expected revision or to REVISION\n"
	    "  version, help            the daemon's version; its commands\n"
	    "\n"
	    "  -s, --socket SOCKET  the daemon's socket (default $SCHEMAWATCHD_SOCKET or %s)\n"
	    "  -j, --json           print the result as JSON\n"
	    "  -t, --timeout DUR    wait at most this long for the answer (default 10s, check 60s)\n"
	    "  -V, --version        print this program's version\n"
	    "  -h, --help           print this help\n"
	    "\n"
	    "Exit status: 0 ok, 1 not ok (drift, pending, unreachable, error, differences),\n"
	    "2 usage or connection error, 77 permission denied; apply: 0 applied (or dry run\n"
	    "ok), 1 refused, 2 failed, as schemawatchd --apply.\n", DEFAULT_SOCKET);
}

static void __attribute__((format(printf, 1, 2)))
warnx_(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- talking to the daemon ------------------------------------------------------ */

static int
remaining(int64_t deadline)
{
	int64_t left = deadline - now_ms();

	return left > 0 ? (int)(left > 1000000 ? 1000000 : left) : 0;
}

/* Connect; on failure say why and return the exit status as a negative. */
static int
connect_socket(const char *path, int timeout_ms)
{
	struct sockaddr_un sa;
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
	int fd, e;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sa.sun_path) {
		warnx_("socket path %s is too long", path);
		return -EXIT_USAGE;
	}
	strcpy(sa.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		warnx_("socket: %s", strerror(errno));
		return -EXIT_USAGE;
	}
	/* A blocking connect to a UNIX socket waits while the daemon's backlog
	 * is full; SO_SNDTIMEO bounds that wait. */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		e = errno;
		close(fd);
		if (e == ENOENT || e == ECONNREFUSED) {
			warnx_("cannot connect to %s: %s — is schemawatchd running?", path,
			    strerror(e));
			return -EXIT_USAGE;
		}
		if (e == EACCES || e == EPERM) {
			warnx_("cannot connect to %s: %s (the socket is for the daemon's user "
			    "and group)", path, strerror(e));
			return -EXIT_NOPERM;
		}
		if (e == EAGAIN || e == EWOULDBLOCK || e == EINPROGRESS)
			warnx_("cannot connect to %s: the daemon is not accepting connections "
			    "(timed out)", path);
		else
			warnx_("cannot connect to %s: %s", path, strerror(e));
		return -EXIT_USAGE;
	}
	return fd;
}

static int
wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	int rc;

	do
		rc = poll(&p, 1, remaining(deadline));
	while (rc < 0 && errno == EINTR);
	if (rc == 0)
		errno = ETIMEDOUT;
	return rc > 0 ? 0 : -1;
}

static int
send_all(int fd, const char *buf, size_t len, int64_t deadline)
{
	ssize_t n;

	while (len > 0) {
		if (wait_fd(fd, POLLOUT, deadline) != 0)
			return -1;
		n = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read one line (the answer). NULL with errno set; ECONNRESET when the
 * daemon closed without a full line. */
static char *
recv_line(int fd, int64_t deadline)
{
	struct sbuf sb;
	char buf[65536], *nl;
	ssize_t n;

	sbuf_init(&sb);
	for (;;) {
		if (wait_fd(fd, POLLIN, deadline) != 0)
			goto fail;
		n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			goto fail;
		}
		if (n == 0) {
			errno = ECONNRESET;
			goto fail;
		}
		sbuf_addn(&sb, buf, (size_t)n);
		if ((nl = memchr(sb.buf, '\n', sb.len)) != NULL) {
			*nl = '\0';
			return sbuf_steal(&sb);
		}
		if (sb.len > ANSWER_MAX) {
			errno = EMSGSIZE;
			goto fail;
		}
	}
fail:
	sbuf_free(&sb);
	return NULL;
}

/* Send the request and return the parsed answer; NULL after saying why. */
static json_t *
ask(const struct opts *o, const char *command, char **args, int nargs, int *exit_status)
{
	json_t *req, *arr = json_array(), *resp, *s;
	json_error_t jerr;
	int64_t timeout, deadline;
	char *text, *line;
	int fd, i;

	*exit_status = EXIT_USAGE;
	for (i = 0; i < nargs; i++) {
		if ((s = json_string(args[i])) == NULL) {
			warnx_("argument \"%s\" is not valid UTF-8", args[i]);
			json_decref(arr);
			return NULL;
		}
		json_array_append_new(arr, s);
	}
	if ((s = json_string(command)) == NULL) {
		warnx_("the command is not valid UTF-8");
		json_decref(arr);
		return NULL;
	}
	req = json_pack("{s:i, s:o, s:o}", "version", PROTOCOL_VERSION, "command", s, "args", arr);
	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);

	timeout = o->timeout_ms > 0 ? o->timeout_ms :
	    strcmp(command, "check") == 0 || strcmp(command, "apply") == 0 ?
	    CHECK_TIMEOUT_MS : TIMEOUT_MS;
	deadline = now_ms() + timeout;
	if ((fd = connect_socket(o->socket, (int)timeout)) < 0) {
		*exit_status = -fd;
		free(text);
		return NULL;
	}
	line = NULL;
	if (send_all(fd, text, strlen(text), deadline) != 0 ||
	    send_all(fd, "\n", 1, deadline) != 0) {
		warnx_("cannot send the request to %s: %s", o->socket, strerror(errno));
	} else if ((line = recv_line(fd, deadline)) == NULL) {
		if (errno == ETIMEDOUT)
			warnx_("no answer from %s within %lld ms", o->socket, (long long)timeout);
		else if (errno == ECONNRESET)
			warnx_("%s closed the connection without answering", o->socket);
		else
			warnx_("cannot read the answer from %s: %s", o->socket, strerror(errno));
	}
	free(text);
	close(fd);
	if (line == NULL)
		return NULL;
	resp = json_loads(line, 0, &jerr);
	free(line);
	if (!json_is_object(resp) || !json_is_boolean(json_object_get(resp, "ok"))) {
		warnx_("unexpected answer from %s%s%s", o->socket, resp == NULL ? ": " : "",
		    resp == NULL ? jerr.text : "");
		json_decref(resp);
		return NULL;
	}
	return resp;
}

/* ---- output helpers ---------------------------------------------------------------- */

static const char *
jstr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static long long
jint(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (long long)json_integer_value(v) : 0;
}

/* "not ok" states (product.md): the answer makes the exit status 1. */
static bool
state_not_ok(const char *s)
{
	static const char *const bad[] = { "drift", "pending", "ahead", "unreachable", "error",
	    "diverged" };
	size_t i;

	for (i = 0; s != NULL && i < sizeof bad / sizeof bad[0]; i++)
		if (strcmp(s, bad[i]) == 0)
			return true;
	return false;
}

/* A state word for a table cell, coloured (color.h) when o->color. */
static char *
state_cell(const struct opts *o, const char *state)
{
	return color_state(o->color, state);
}

/* A wall-clock time in ms since the epoch, as local time; "-" for never. */
static char *
local_time(const json_t *v)
{
	struct tm tm;
	time_t t;
	char buf[64];

	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return xstrdup("-");
	t = (time_t)(json_integer_value(v) / 1000);
	if (localtime_r(&t, &tm) == NULL || strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		return xstrdup("-");
	return xstrdup(buf);
}

static void
print_json(const json_t *v)
{
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY);

	if (s != NULL)
		puts(s);
	free(s);
}

/* ---- rendering each result ---------------------------------------------------------- */

/* A target's place on its chain, one cell (report_revision_text). */
static char *
revision_cell(const json_t *t)
{
	const json_t *st = json_object_get(t, "state");
	struct target_report r = { .expected = jstr(t, "expected"), .revision = jstr(t, "revision"),
	    .closest = jstr(t, "closest"), .behind = (int)jint(t, "behind"),
	    .ahead = (int)jint(t, "ahead") };
	int s = json_is_string(st) ? tgt_state_parse(json_string_value(st)) : -1;

	r.state = s >= 0 ? (enum tgt_state)s : ST_UNKNOWN;
	return report_revision_text(&r);
}

/* status and check: the same shape. */
static int
show_status(const struct opts *o, const json_t *r)
{
	const json_t *daemon = json_object_get(r, "daemon"), *t, *g;
	struct text_table tt;
	char *since, *last, *st, *rev, num[32];
	size_t i;
	int rc = EXIT_OK;

	json_array_foreach(json_object_get(r, "targets"), i, t)
		if (state_not_ok(jstr(t, "state")))
			rc = EXIT_NOT_OK;
	json_array_foreach(json_object_get(r, "groups"), i, g)
		if (state_not_ok(jstr(g, "state")))
			rc = EXIT_NOT_OK;
	if (o->json) {
		print_json(r);
		return rc;
	}
	if (json_is_object(daemon)) {
		since = local_time(json_object_get(daemon, "started_ms"));
		printf("schemawatchd %s (pid %lld), running since %s: %s\n\n",
		    jstr(daemon, "version") ? jstr(daemon, "version") : "?", jint(daemon, "pid"),
		    since, jstr(daemon, "status") ? jstr(daemon, "status") : "");
		free(since);
	}
	ttable_init(&tt, 7);
	st = state_cell(o, "STATE");
	/* The header's escapes must not colour it: "STATE" takes the default. */
	ttable_row(&tt, "TARGET", "KIND", st, "SINCE", "LAST CHECK", "DIFFERENCES", "REVISION");
	free(st);
	json_array_foreach(json_object_get(r, "targets"), i, t) {
		since = local_time(json_object_get(t, "since_ms"));
		last = local_time(json_object_get(t, "last_check_ms"));
		st = state_cell(o, jstr(t, "state"));
		snprintf(num, sizeof num, "%lld", jint(t, "differences"));
		rev = revision_cell(t);
		ttable_row(&tt, jstr(t, "name"), jstr(t, "kind"), st, since, last, num, rev);
		free(rev);
		free(since);
		free(last);
		free(st);
	}
	ttable_print(stdout, &tt, "");
	ttable_free(&tt);
	json_array_foreach(json_object_get(r, "targets"), i, t)
		if (jstr(t, "error") != NULL)
			printf("\n%s: %s: %s\n", jstr(t, "name"), jstr(t, "state"), jstr(t, "error"));
	if (json_array_size(json_object_get(r, "groups")) > 0) {
		putchar('\n');
		ttable_init(&tt, 4);
		st = state_cell(o, "STATE");
		ttable_row(&tt, "GROUP", st, "SINCE", "DIFFERENCES");
		free(st);
		json_array_foreach(json_object_get(r, "groups"), i, g) {
			since = local_time(json_object_get(g, "since_ms"));
			st = state_cell(o, jstr(g, "state"));
			snprintf(num, sizeof num, "%zu",
			    json_array_size(json_object_get(g, "differences")));
			ttable_row(&tt, jstr(g, "name"), st, since, num);
			free(since);
			free(st);
		}
		ttable_print(stdout, &tt, "");
		ttable_free(&tt);
	}
	return rc;
}

static void
print_diffs(const json_t *arr)
{
	struct diff_list dl = { NULL, 0 };

	if (report_diffs_from_json(arr, &dl) != 0) {
		print_json(arr);	/* a kind this client does not know yet */
		diff_list_free(&dl);
		return;
	}
	report_diffs_human(stdout, &dl, "  ");
	diff_list_free(&dl);
}

/* A group's differences: one row per (object, member), the reference's
 * value beside the member's. */
static void
print_group_diffs(const json_t *arr)
{
	struct text_table tt;
	const json_t *d, *m;
	size_t i;

	ttable_init(&tt, 5);
	ttable_row(&tt, "OBJECT", "KIND", "MEMBER", "REFERENCE HAS", "MEMBER HAS");
	json_array_foreach(arr, i, d) {
		m = json_object_get(d, "members");
		ttable_row(&tt, jstr(d, "object"), jstr(d, "kind"),
		    json_string_value(json_array_get(m, 1)), jstr(d, "expected"), jstr(d, "actual"));
	}
	ttable_print(stdout, &tt, "  ");
	ttable_free(&tt);
}

static int
show_group_diff(const struct opts *o, const json_t *r)
{
	size_t n = json_array_size(json_object_get(r, "differences")), i;
	const json_t *m;
	char *st;

	st = state_cell(o, jstr(r, "state"));
	printf("group %s (", jstr(r, "group"));
	json_array_foreach(json_object_get(r, "members"), i, m)
		printf("%s%s", i > 0 ? ", " : "", json_string_value(m));
	printf("; reference %s): %s, %zu difference%s\n",
	    json_string_value(json_array_get(json_object_get(r, "members"), 0)), st, n,
	    n == 1 ? "" : "s");
	free(st);
	if (jstr(r, "reason") != NULL)
		printf("  %s\n", jstr(r, "reason"));
	if (n > 0) {
		putchar('\n');
		print_group_diffs(json_object_get(r, "differences"));
	}
	return n > 0 || state_not_ok(jstr(r, "state")) ? EXIT_NOT_OK : EXIT_OK;
}

static int
show_diff(const struct opts *o, const json_t *r)
{
	size_t n = json_array_size(json_object_get(r, "differences"));
	int rc = n > 0 || state_not_ok(jstr(r, "state")) ? EXIT_NOT_OK : EXIT_OK;
	char *st;

	if (o->json) {
		print_json(r);
		return rc;
	}
	if (jstr(r, "group") != NULL)
		return show_group_diff(o, r);
	st = state_cell(o, jstr(r, "state"));
	printf("%s (%s): %s, %zu difference%s\n", jstr(r, "target"), jstr(r, "kind"), st, n,
	    n == 1 ? "" : "s");
	free(st);
	if (jstr(r, "error") != NULL)
		printf("  %s\n", jstr(r, "error"));
	if (n > 0) {
		putchar('\n');
		print_diffs(json_object_get(r, "differences"));
	}
	return rc;
}

static int
show_compare(const struct opts *o, const json_t *r)
{
	size_t n = json_array_size(json_object_get(r, "differences"));

	if (o->json) {
		print_json(r);
		return n > 0 ? EXIT_NOT_OK : EXIT_OK;
	}
	if (n == 0) {
		printf("%s (%s) and %s (%s) have the same V7 schema\n", jstr(r, "a"),
		    jstr(r, "a_kind"), jstr(r, "b"), jstr(r, "b_kind"));
		return EXIT_OK;
	}
	printf("%s (%s, expected) vs %s (%s, actual): %zu difference%s\n\n", jstr(r, "a"),
	    jstr(r, "a_kind"), jstr(r, "b"), jstr(r, "b_kind"), n, n == 1 ? "" : "s");
	print_diffs(json_object_get(r, "differences"));
	return EXIT_NOT_OK;
}

static int
show_history(const struct opts *o, const json_t *r)
{
	const json_t *e;
	struct text_table tt;
	char *at, *st, num[32];
	size_t i;

	if (o->json) {
		print_json(r);
		return EXIT_OK;
	}
	if (json_array_size(json_object_get(r, "entries")) == 0) {
		printf("no history%s%s\n", jstr(r, "target") ? " for " : "",
		    jstr(r, "target") ? jstr(r, "target") : "");
		return EXIT_OK;
	}
	ttable_init(&tt, 6);
	st = state_cell(o, "STATE");
	ttable_row(&tt, "TIME", "KIND", "NAME", st, "PREVIOUS", "DIFFERENCES");
	free(st);
	json_array_foreach(json_object_get(r, "entries"), i, e) {
		at = local_time(json_object_get(e, "at_ms"));
		st = state_cell(o, jstr(e, "state"));
		snprintf(num, sizeof num, "%lld", jint(e, "differences"));
		ttable_row(&tt, at, jstr(e, "kind"), jstr(e, "name"), st, jstr(e, "prev_state"), num);
		free(at);
		free(st);
	}
	ttable_print(stdout, &tt, "");
	ttable_free(&tt);
	return EXIT_OK;
}

/* A reload that changed restart-only keys says which: they are the ones
 * still running with their old values. */
static int
show_reload(const struct opts *o, const json_t *r)
{
	const json_t *restart = json_object_get(r, "restart_needed"), *k;
	size_t i;

	if (o->json) {
		print_json(r);
		return EXIT_OK;
	}
	printf("configuration reloaded: %lld target%s\n", jint(r, "targets"),
	    jint(r, "targets") == 1 ? "" : "s");
	if (json_array_size(restart) > 0) {
		fputs("changed, takes effect only at the next restart:", stdout);
		json_array_foreach(restart, i, k)
			printf("%s %s", i > 0 ? "," : "", json_string_value(k));
		putchar('\n');
	}
	return EXIT_OK;
}

static int
show_version(const struct opts *o, const json_t *r)
{
	if (o->json)
		print_json(r);
	else
		printf("schemawatchctl %s; daemon %s %s (protocol %lld)\n", PACKAGE_VERSION,
		    jstr(r, "package"), jstr(r, "version"), jint(r, "protocol"));
	return EXIT_OK;
}

static int
show_help(const struct opts *o, const json_t *r)
{
	const json_t *c;
	struct text_table tt;
	char *u;
	size_t i;

	if (o->json) {
		print_json(r);
		return EXIT_OK;
	}
	ttable_init(&tt, 3);
	ttable_row(&tt, "COMMAND", "ALLOWED", "DESCRIPTION");
	json_array_foreach(json_object_get(r, "commands"), i, c) {
		u = xasprintf("%s%s%s", jstr(c, "name"), *jstr(c, "usage") ? " " : "",
		    jstr(c, "usage"));
		ttable_row(&tt, u, json_is_true(json_object_get(c, "allowed")) ? "yes" : "no",
		    jstr(c, "help"));
		free(u);
	}
	ttable_print(stdout, &tt, "");
	ttable_free(&tt);
	return EXIT_OK;
}

/* The outcome of `apply`, with the exit statuses of `schemawatchd --apply`:
 * 0 applied or dry run, 1 refused (wrong state), 2 failed. The verdict is
 * printed last, after the plan and the differences, so it is what a person
 * (or `tail -1`) sees. */
static int
apply_status(const char *outcome)
{
	if (outcome != NULL && (strcmp(outcome, "applied") == 0 ||
	    strcmp(outcome, "dry-run") == 0))
		return EXIT_OK;
	return outcome != NULL && strcmp(outcome, "refused") == 0 ? EXIT_NOT_OK : EXIT_APPLY_FAILED;
}

static int
show_apply(const struct opts *o, const json_t *r)
{
	const char *outcome = jstr(r, "outcome"), *plan = jstr(r, "plan"), *err = jstr(r, "error");
	size_t n = json_array_size(json_object_get(r, "differences"));
	int rc = apply_status(outcome), steps = (int)json_integer_value(json_object_get(r, "steps"));

	if (o->json) {
		print_json(r);
		return rc;
	}
	if (json_is_true(json_object_get(r, "nothing_to_do"))) {
		printf("%s: already at %s (the target is %s); nothing to do\n", jstr(r, "target"),
		    jstr(r, "to") != NULL ? jstr(r, "to") : "the revision",
		    jstr(r, "before") != NULL ? jstr(r, "before") : "ok");
		return rc;
	}
	if (plan != NULL)
		printf("plan:\n%s%s\n", plan, plan[0] && plan[strlen(plan) - 1] == '\n' ? "" : "\n");
	if (n > 0) {
		print_diffs(json_object_get(r, "differences"));
		putchar('\n');
	}
	printf("%s: %s%s %s (%s -> %s)", jstr(r, "target"), jstr(r, "action"),
	    json_is_true(json_object_get(r, "dry_run")) ? " (dry run)" : "",
	    outcome != NULL ? outcome : "?", jstr(r, "before") ? jstr(r, "before") : "-",
	    jstr(r, "after") ? jstr(r, "after") : "-");
	/* Where the walk went along the chain, once it was routed. */
	if (jstr(r, "from") != NULL && jstr(r, "to") != NULL && steps > 0)
		printf(": %s -> %s in %d step%s", jstr(r, "from"), jstr(r, "to"), steps,
		    steps == 1 ? "" : "s");
	printf("%s%s\n", err != NULL ? ": " : "", err != NULL ? err : "");
	return rc;
}

/* Commands this client does not know get their result printed as JSON. */
static int
show_other(const struct opts *o, const json_t *r)
{
	print_json(r);
	return EXIT_OK;
}

static const struct {
	const char	*command;
	int		(*show)(const struct opts *, const json_t *);
} shows[] = {
	{ "status",	show_status },
	{ "check",	show_status },
	{ "diff",	show_diff },
	{ "compare",	show_compare },
	{ "history",	show_history },
	{ "reload",	show_reload },
	{ "apply",	show_apply },
	{ "version",	show_version },
	{ "help",	show_help },
};

/* Error codes to exit statuses. */
static const struct {
	const char	*code;
	int		 status;
} error_status[] = {
	{ "permission_denied",	EXIT_NOPERM },
	{ "bad_request",	EXIT_USAGE },
	{ "unknown_command",	EXIT_USAGE },
	{ "unknown_target",	EXIT_USAGE },
	{ "too_large",		EXIT_USAGE },
	{ "too_many_clients",	EXIT_USAGE },
	{ "not_available",	EXIT_NOT_OK },
	{ "failed",		EXIT_NOT_OK },
};

static int
show_error(const struct opts *o, const json_t *err)
{
	const char *code = jstr(err, "code"), *msg = jstr(err, "message");
	size_t i;

	if (o->json) {
		json_t *doc = json_pack("{s:O}", "error", (json_t *)err);

		print_json(doc);
		json_decref(doc);
	}
	warnx_("%s", msg != NULL ? msg : code != NULL ? code : "the daemon said no");
	for (i = 0; code != NULL && i < sizeof error_status / sizeof error_status[0]; i++)
		if (strcmp(code, error_status[i].code) == 0)
			return error_status[i].status;
	return EXIT_NOT_OK;
}

/* ---- main ------------------------------------------------------------------------- */

static int
parse_options(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "socket",	required_argument,	NULL, 's' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "timeout",	required_argument,	NULL, 't' },
		{ "version",	no_argument,		NULL, 'V' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("SCHEMAWATCHD_SOCKET");
	int ch;

	o->socket = env != NULL && *env != '\0' ? env : DEFAULT_SOCKET;
	o->json = false;
	o->timeout_ms = 0;
	/* "+": options end at the command, so `apply prod --dry-run` stays whole. */
	while ((ch = getopt_long(argc, argv, "+s:jt:Vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			o->socket = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 't':
			if (parse_duration_ms(optarg, &o->timeout_ms) != 0 || o->timeout_ms <= 0) {
				warnx_("-t: \"%s\" is not a duration (e.g. 30s, 500ms)", optarg);
				return -1;
			}
			break;
		case 'V':
			printf("schemawatchctl %s\n", PACKAGE_VERSION);
			exit(EXIT_OK);
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind >= argc) {
		warnx_("no command given");
		usage(stderr);
		return -1;
	}
	o->color = !o->json && color_wanted(STDOUT_FILENO);
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o;
	json_t *resp;
	const char *command;
	size_t i;
	int rc;

	if (parse_options(argc, argv, &o) != 0)
		return EXIT_USAGE;
	command = argv[optind];
	if ((resp = ask(&o, command, argv + optind + 1, argc - optind - 1, &rc)) == NULL)
		return rc;
	if (!json_is_true(json_object_get(resp, "ok"))) {
		rc = show_error(&o, json_object_get(resp, "error"));
		json_decref(resp);
		return rc;
	}
	rc = -1;
	for (i = 0; i < sizeof shows / sizeof shows[0]; i++)
		if (strcmp(command, shows[i].command) == 0)
			rc = shows[i].show(&o, json_object_get(resp, "result"));
	if (rc < 0)
		rc = show_other(&o, json_object_get(resp, "result"));
	json_decref(resp);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warnx_("cannot write the output: %s", strerror(errno));
		return EXIT_USAGE;
	}
	return rc;
}
