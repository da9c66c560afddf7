/* commands.c — the control protocol: request parsing, authorization, and
 * one small handler per command, found through a table.
 *
 * Every handler runs on the event loop and answers from the daemon's
 * in-memory state, except `check` (waits for fresh results without blocking:
 * CTL_WAIT) and `history` (one indexed SQLite read of state.db). */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <event2/event.h>

#include "apply.h"
#include "commands.h"
#include "compare.h"
#include "groups.h"
#include "history.h"
#include "log.h"
#include "migrate.h"
#include "report.h"
#include "scheduler.h"
#include "target.h"
#include "util.h"

#define GROUPS_MAX	4096	/* supplementary groups we look at */

struct cmds {
	struct cmd_env		 env;
	const struct config	*cfg;
	gid_t			 admin_gid;	/* cfg->admin_group, looked up at (re)load */
	bool			 admin_gid_ok;
};

/* One request: the server's part first (control.h), then the parse. */
struct cmd_req {
	struct ctl_req		 ctl;
	struct cmds		*c;
	const char		*command;	/* into the parsed request */
	const char		**args;
	int			 nargs;
	json_t			*request;	/* the parsed line, or NULL */
};

/* ---- errors and responses ------------------------------------------------ */

#define CMD_ERR_NAME(e, s) [CMDERR_##e] = s,
static const char *const cmd_error_names[CMDERR__COUNT] = { CMD_ERRORS(CMD_ERR_NAME) };
#undef CMD_ERR_NAME

const char *
cmd_error_name(enum cmd_error e)
{
	return (unsigned)e < CMDERR__COUNT ? cmd_error_names[e] : "failed";
}

static json_t *
ms_or_null(int64_t ms)
{
	return ms > 0 ? json_integer(ms) : json_null();
}

static json_t *
response_new(const struct cmd_req *req, bool ok)
{
	json_t *r = json_object(), *id;

	json_object_set_new(r, "version", json_integer(CTL_PROTOCOL_VERSION));
	if (req != NULL && json_is_object(req->request) &&
	    (id = json_object_get(req->request, "id")) != NULL)
		json_object_set(r, "id", id);
	json_object_set_new(r, "ok", json_boolean(ok));
	return r;
}

static void
cmd_ok(struct cmd_req *req, json_t *result)
{
	json_decref(req->ctl.response);
	req->ctl.response = response_new(req, true);
	json_object_set_new(req->ctl.response, "result", result != NULL ? result : json_object());
}

static json_t *error_response(const struct cmd_req *, enum cmd_error, const char *, va_list)
    __attribute__((format(printf, 3, 0)));

static json_t *
error_response(const struct cmd_req *req, enum cmd_error code, const char *fmt, va_list ap)
{
	json_t *r = response_new(req, false);
	char *msg = xvasprintf(fmt, ap);

	json_object_set_new(r, "error", json_pack("{s:s, s:o}", "code", cmd_error_name(code),
	    "message", utf8_json(msg)));
	free(msg);
	return r;
}

static void cmd_err(struct cmd_req *, enum cmd_error, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
cmd_err(struct cmd_req *req, enum cmd_error code, const char *fmt, ...)
{
	va_list ap;

	json_decref(req->ctl.response);
	va_start(ap, fmt);
	req->ctl.response = error_response(req, code, fmt, ap);
	va_end(ap);
}

json_t *
cmd_error_response(enum cmd_error code, const char *fmt, ...)
{
	va_list ap;
	json_t *r;

	va_start(ap, fmt);
	r = error_response(NULL, code, fmt, ap);
	va_end(ap);
	return r;
}

static struct ctl_req *
cmd_req_new(void *ctx)
{
	struct cmd_req *req = xcalloc(1, sizeof *req);

	req->c = ctx;
	return &req->ctl;
}

static void
cmd_req_free(void *ctx, struct ctl_req *cr)
{
	struct cmd_req *req = (struct cmd_req *)cr;

	(void)ctx;
	json_decref(req->request);
	json_decref(req->ctl.response);
	free(req->args);
	free(req);
}

/* ---- authorization ---------------------------------------------------------- */

/* getgrnam_r with a growing buffer; a numeric name is taken as a gid when
 * no group has that name. Returns 0 and sets *gid, or -1. */
static int
group_gid(const char *name, gid_t *gid)
{
	struct group gr, *res = NULL;
	size_t len = 1024;
	char *buf, *end;
	unsigned long v;
	int rc;

	for (;;) {
		buf = xmalloc(len);
		rc = getgrnam_r(name, &gr, buf, len, &res);
		if (rc != ERANGE || len >= (1u << 20))
			break;
		free(buf);
		len *= 4;
	}
	if (rc == 0 && res != NULL) {
		*gid = gr.gr_gid;
		free(buf);
		return 0;
	}
	free(buf);
	errno = 0;
	v = strtoul(name, &end, 10);
	if (*name != '\0' && *end == '\0' && errno == 0) {
		*gid = (gid_t)v;
		return 0;
	}
	return -1;
}

/* The peer's supplementary groups from the group database, when the kernel
 * did not give them (no SO_PEERGROUPS). */
static void
peer_resolve_groups(struct ctl_peer *p)
{
	struct passwd pw, *res = NULL;
	size_t len = 1024;
	char *buf;
	int rc, n;

	p->ngroups = 0;
	for (;;) {
		buf = xmalloc(len);
		rc = getpwuid_r(p->uid, &pw, buf, len, &res);
		if (rc != ERANGE || len >= (1u << 20))
			break;
		free(buf);
		len *= 4;
	}
	if (rc == 0 && res != NULL) {
		n = 64;
		p->groups = xreallocarray(NULL, (size_t)n, sizeof *p->groups);
		if (getgrouplist(pw.pw_name, pw.pw_gid, p->groups, &n) < 0 && n <= GROUPS_MAX) {
			p->groups = xreallocarray(p->groups, (size_t)n, sizeof *p->groups);
			if (getgrouplist(pw.pw_name, pw.pw_gid, p->groups, &n) < 0)
				n = 0;
		}
		p->ngroups = n > 0 && n <= GROUPS_MAX ? n : 0;
	}
	free(buf);
}

void
cmds_configure(struct cmds *c, const struct config *cfg)
{
	const char *grp = cfg->admin_group;

	c->cfg = cfg;
	c->admin_gid_ok = false;
	if (grp == NULL)
		return;
	if (group_gid(grp, &c->admin_gid) == 0)
		c->admin_gid_ok = true;
	else
		log_msg(LOG_WARNING, "control: admin_group \"%s\" does not exist: only root and "
		    "the daemon's user may run changing commands (reload after creating it)", grp);
}

bool
cmd_peer_is_admin(const struct cmds *c, struct ctl_peer *p)
{
	int i;

	if (p->uid == 0 || p->uid == geteuid())
		return true;
	if (!c->admin_gid_ok)
		return false;
	if (p->gid == c->admin_gid)
		return true;
	if (p->ngroups < 0)
		peer_resolve_groups(p);
	for (i = 0; i < p->ngroups; i++)
		if (p->groups[i] == c->admin_gid)
			return true;
	return false;
}

/* ---- pieces of results ---------------------------------------------------------- */

/* revision, expected and the steps (report.h), as --once --json has them. */
static void
revisions_json(json_t *o, const struct tgt_view *t)
{
	struct target_report r = { .state = t->state, .expected = t->expected,
	    .revision = t->revision, .closest = t->closest, .behind = t->behind,
	    .ahead = t->ahead };

	report_revision_json(o, &r);
}

static json_t *
target_status_json(const struct cmds *c, const struct tgt *tg)
{
	json_t *o = json_object();
	struct tgt_view t;
	int64_t since;

	tgt_view(tg, &t);
	/* A target not checked yet has been "unknown" since the daemon started. */
	since = t.since_ms > 0 ? t.since_ms : c->env.started_ms;
	json_object_set_new(o, "name", utf8_json(t.name));
	json_object_set_new(o, "kind", json_string(t.kind));
	json_object_set_new(o, "source", utf8_json(t.cfg->kind == CFG_PG ?
	    t.cfg->conninfo_safe : t.cfg->path));
	json_object_set_new(o, "state", json_string(tgt_state_name(t.state)));
	revisions_json(o, &t);
	json_object_set_new(o, "since", report_iso_time(since));
	json_object_set_new(o, "since_ms", ms_or_null(since));
	json_object_set_new(o, "last_check", report_iso_time(t.last_check_ms));
	json_object_set_new(o, "last_check_ms", ms_or_null(t.last_check_ms));
	json_object_set_new(o, "last_duration_ms", t.last_check_ms > 0 ?
	    json_integer(t.last_duration_ms) : json_null());
	json_object_set_new(o, "differences", json_integer(t.diffs->n));
	json_object_set_new(o, "error", utf8_json(t.error));
	json_object_set_new(o, "checking", json_boolean(tgt_job(tg) != NULL &&
	    sched_busy(tgt_job(tg))));
	return o;
}

static json_t *
daemon_json(const struct cmds *c)
{
	char *line = c->env.status_line(c->env.svc);
	json_t *o = json_pack("{s:s, s:I, s:o, s:I, s:o}",
	    "version", PACKAGE_VERSION, "pid", (json_int_t)getpid(),
	    "started", report_iso_time(c->env.started_ms),
	    "started_ms", (json_int_t)c->env.started_ms, "status", utf8_json(line));

	free(line);
	return o;
}

/* The status object, for every target or for one (NULL when it is gone). */
static json_t *
status_json(const struct cmds *c, const char *only)
{
	json_t *targets = json_array();
	const struct tgt *t;
	int i, found = 0;

	/* One target is its row and its schema rows (schemas:). */
	for (i = 0; i < tgt_row_count(c->env.targets); i++) {
		t = tgt_row_at(c->env.targets, i);
		if (only != NULL && strcmp(tgt_name(t), only) != 0 &&
		    (tgt_parent(t) == NULL || strcmp(tgt_name(tgt_parent(t)), only) != 0))
			continue;
		json_array_append_new(targets, target_status_json(c, t));
		found++;
	}
	if (only != NULL && found == 0) {
		json_decref(targets);
		return NULL;
	}
	return json_pack("{s:o, s:o, s:o}", "daemon", daemon_json(c), "targets", targets,
	    "groups", groups_json(c->env.groups));
}

static struct tgt *
find_target(struct cmd_req *req, const char *name)
{
	struct tgt *t = tgt_find(req->c->env.targets, name);

	if (t == NULL)
		cmd_err(req, CMDERR_UNKNOWN_TARGET, "%s: no target named \"%s\"", req->command, name);
	return t;
}

/* A positive decimal number, or -1. */
static long
parse_count(const char *s)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || errno != 0 || v <= 0)
		return -1;
	return v;
}

/* ---- the commands ------------------------------------------------------------------ */

static enum ctl_result
cmd_status(struct cmd_req *req)
{
	cmd_ok(req, status_json(req->c, NULL));
	return CTL_DONE;
}

static const struct grp *
find_group(const struct cmd_req *req, const char *name)
{
	const struct groups *gs = req->c->env.groups;
	int i;

	for (i = 0; i < groups_count(gs); i++)
		if (strcmp(groups_at(gs, i)->name, name) == 0)
			return groups_at(gs, i);
	return NULL;
}

static void
diff_target(struct cmd_req *req, struct tgt *tg)
{
	struct tgt_view t;
	json_t *o;

	tgt_view(tg, &t);
	o = json_pack("{s:o, s:s, s:s, s:o, s:o, s:o, s:o}",
	    "target", utf8_json(t.name), "kind", t.kind,
	    "state", tgt_state_name(t.state),
	    "last_check", report_iso_time(t.last_check_ms), "last_check_ms", ms_or_null(t.last_check_ms),
	    "error", utf8_json(t.error),
	    "differences", report_diffs_json(t.diffs));
	revisions_json(o, &t);
	cmd_ok(req, o);
}

/* As in `status`, with "group" first so a client tells the two answers apart. */
static void
diff_group(struct cmd_req *req, const struct grp *g)
{
	json_t *o = json_pack("{s:o}", "group", utf8_json(g->name)), *body = grp_json(g);

	json_object_update(o, body);
	json_decref(body);
	cmd_ok(req, o);
}

/* `diff NAME`: a target's differences against the definition or, when no
 * target has that name, a group's differences between its members. A name
 * that is both is the target; `diff group NAME` / `diff target NAME` say
 * which explicitly. */
static enum ctl_result
cmd_diff(struct cmd_req *req)
{
	const char *name = req->args[req->nargs - 1];
	bool want_group = false, want_target = false;
	const struct grp *g = NULL;
	struct tgt *tg = NULL;

	if (req->nargs == 2) {
		want_group = strcmp(req->args[0], "group") == 0;
		want_target = strcmp(req->args[0], "target") == 0;
		if (!want_group && !want_target) {
			cmd_err(req, CMDERR_BAD_REQUEST,
			    "diff: expected \"target NAME\" or \"group NAME\", got \"%s\"",
			    req->args[0]);
			return CTL_DONE;
		}
	}
	if (!want_group)
		tg = tgt_find(req->c->env.targets, name);
	if (tg == NULL && !want_target)
		g = find_group(req, name);
	if (tg != NULL)
		diff_target(req, tg);
	else if (g != NULL)
		diff_group(req, g);
	else
		cmd_err(req, CMDERR_UNKNOWN_TARGET, "diff: no %s named \"%s\"",
		    want_group ? "group" : want_target ? "target" : "target or group", name);
	return CTL_DONE;
}

static enum ctl_result
cmd_compare(struct cmd_req *req)
{
	struct diff_list dl = { NULL, 0 };
	struct tgt_view a, b;
	struct tgt *ta, *tb;

	if ((ta = find_target(req, req->args[0])) == NULL ||
	    (tb = find_target(req, req->args[1])) == NULL)
		return CTL_DONE;
	tgt_view(ta, &a);
	tgt_view(tb, &b);
	if (a.cat == NULL || b.cat == NULL) {
		cmd_err(req, CMDERR_NOT_AVAILABLE, "compare: target %s has not been read yet",
		    a.cat == NULL ? a.name : b.name);
		return CTL_DONE;
	}
	state_compare_members(a.cat, a.def, b.cat, b.def, &dl);
	cmd_ok(req, json_pack("{s:o, s:o, s:s, s:s, s:o, s:o, s:o}",
	    "a", utf8_json(a.name), "b", utf8_json(b.name),
	    "a_kind", a.kind, "b_kind", b.kind,
	    "a_read", report_iso_time(a.last_check_ms), "b_read", report_iso_time(b.last_check_ms),
	    "differences", report_diffs_json(&dl)));
	diff_list_free(&dl);
	return CTL_DONE;
}

/* `check`: wait for fresh results. The scheduler's callback may run while
 * it walks its waiter list, so it only marks the wait done and the answer is
 * built on the next loop pass. */
struct check_wait {
	struct cmd_req		*req;
	struct sched_wait	*w;
	struct event		*answer;
	char			*target;	/* NULL: every target */
	bool			 woken;
};

static void
check_wait_free(struct check_wait *cw)
{
	event_free(cw->answer);
	free(cw->target);
	free(cw);
}

static void
check_woken(void *arg)
{
	struct check_wait *cw = arg;

	cw->woken = true;
	cw->w = NULL;		/* the scheduler frees it after this call */
	event_active(cw->answer, EV_TIMEOUT, 1);
}

static void
check_answer(evutil_socket_t fd, short what, void *arg)
{
	struct check_wait *cw = arg;
	struct cmd_req *req = cw->req;
	json_t *st = status_json(req->c, cw->target);

	(void)fd;
	(void)what;
	if (st != NULL)
		cmd_ok(req, st);
	else
		cmd_err(req, CMDERR_FAILED, "check: target %s was removed by a reload", cw->target);
	check_wait_free(cw);
	ctl_finish(&req->ctl);
}

static void
check_cancel(struct ctl_req *cr)
{
	struct check_wait *cw = cr->state;

	if (!cw->woken)
		sched_wait_cancel(cw->w);
	check_wait_free(cw);
	cr->state = NULL;
	cr->cancel = NULL;
}

static enum ctl_result
cmd_check(struct cmd_req *req)
{
	const struct cmd_env *env = &req->c->env;
	struct sched_job **jobs;
	struct check_wait *cw;
	struct tgt *t = NULL;
	int i, n = 0;

	if (req->nargs == 1 && (t = find_target(req, req->args[0])) == NULL)
		return CTL_DONE;
	cw = xcalloc(1, sizeof *cw);
	cw->req = req;
	cw->target = t != NULL ? xstrdup(tgt_name(t)) : NULL;
	cw->answer = xevent_new(env->base, -1, 0, check_answer, cw);
	req->ctl.state = cw;
	req->ctl.cancel = check_cancel;
	/* One target, or every one in configuration order. */
	jobs = xcalloc((size_t)tgt_count(env->targets) + 1, sizeof *jobs);
	if (t != NULL)
		jobs[n++] = tgt_job(t);
	else
		for (i = 0; i < tgt_count(env->targets); i++)
			jobs[n++] = tgt_job(tgt_at(env->targets, i));
	cw->w = sched_check_now(env->sched, jobs, n, check_woken, cw);
	free(jobs);
	return CTL_WAIT;
}

static json_t *
hist_entry_json(const struct hist_entry *e)
{
	json_t *o = json_object(), *detail = NULL;

	if (e->detail != NULL)
		detail = json_loads(e->detail, JSON_DECODE_ANY, NULL);
	if (detail == NULL)
		detail = utf8_json(e->detail);
	json_object_set_new(o, "id", json_integer(e->id));
	json_object_set_new(o, "at", report_iso_time(e->at_ms));
	json_object_set_new(o, "at_ms", json_integer(e->at_ms));
	json_object_set_new(o, "kind", json_string(hist_kind_name(e->kind)));
	json_object_set_new(o, "name", utf8_json(e->name));
	json_object_set_new(o, "state", utf8_json(e->state));
	json_object_set_new(o, "prev_state", utf8_json(e->prev_state));
	json_object_set_new(o, "differences", json_integer(e->ndiffs));
	json_object_set_new(o, "detail", detail);
	return o;
}

/* A name `history` knows: a configured target or group, or one with stored
 * history (a target removed from the configuration keeps its past). */
static bool
history_name_known(struct cmd_req *req, const char *name)
{
	struct hist_entry *e;
	char *err = NULL;
	int n = 0;

	if (tgt_find(req->c->env.targets, name) != NULL || cfg_find_group(req->c->cfg, name) != NULL)
		return true;
	if ((e = history_list(req->c->env.hist, name, 1, &n, &err)) == NULL) {
		free(err);
		return false;
	}
	hist_entries_free(e, n);
	return n > 0;
}

static enum ctl_result
cmd_history(struct cmd_req *req)
{
	const char *name = NULL;
	struct hist_entry *e;
	json_t *arr;
	char *err = NULL;
	long limit = 0;
	int n, i;

	if (req->c->env.hist == NULL) {
		cmd_err(req, CMDERR_NOT_AVAILABLE, "history unavailable: the state database "
		    "could not be opened (see the daemon's log)");
		return CTL_DONE;
	}
	/* history [TARGET] [LIMIT]: a lone number is a limit unless a target
	 * has that name. */
	if (req->nargs == 2 || (req->nargs == 1 && (parse_count(req->args[0]) < 0 ||
	    history_name_known(req, req->args[0])))) {
		name = req->args[0];
		if (!history_name_known(req, name)) {
			cmd_err(req, CMDERR_UNKNOWN_TARGET, "history: no target or group named \"%s\"",
			    name);
			return CTL_DONE;
		}
	}
	if (req->nargs == 2 || (req->nargs == 1 && name == NULL)) {
		if ((limit = parse_count(req->args[req->nargs - 1])) < 0) {
			cmd_err(req, CMDERR_BAD_REQUEST, "history: LIMIT must be a positive number, "
			    "not \"%s\"", req->args[req->nargs - 1]);
			return CTL_DONE;
		}
		if (limit > HISTORY_LIST_MAX)
			limit = HISTORY_LIST_MAX;
	}
	if ((e = history_list(req->c->env.hist, name, (int)limit, &n, &err)) == NULL) {
		cmd_err(req, CMDERR_FAILED, "history: %s", err);
		free(err);
		return CTL_DONE;
	}
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, hist_entry_json(&e[i]));
	hist_entries_free(e, n);
	cmd_ok(req, json_pack("{s:o, s:o}", "target", utf8_json(name), "entries", arr));
	return CTL_DONE;
}

/* "a, b" (cfg_restart_needed) as ["a","b"]; [] for NULL. */
static json_t *
restart_keys(const char *list)
{
	json_t *a = json_array();
	const char *p = list, *end;

	while (p != NULL && *p != '\0') {
		end = strchr(p, ',');
		json_array_append_new(a, json_stringn(p, end != NULL ? (size_t)(end - p) :
		    strlen(p)));
		p = end != NULL ? end + 2 : NULL;
	}
	return a;
}

static enum ctl_result
cmd_reload(struct cmd_req *req)
{
	char *err = NULL, *restart = NULL;	/* restart-only keys it changed: "a, b" */

	if (req->c->env.reload(req->c->env.svc, &err, &restart) != 0) {
		cmd_err(req, CMDERR_FAILED, "reload: %s (the running configuration stays)",
		    err != NULL ? err : "failed");
		free(err);
		return CTL_DONE;
	}
	cmd_ok(req, json_pack("{s:b, s:i, s:o}", "reloaded", 1, "targets",
	    tgt_count(req->c->env.targets), "restart_needed", restart_keys(restart)));
	free(restart);
	return CTL_DONE;
}

/* `apply`: apply.c runs the migration in a worker and calls back (never
 * from inside apply_start) once the outcome is logged, stored and the
 * target checked again; the answer is the outcome, whatever it is
 * (applied, dry-run, refused, failed): {"target","action","dry_run",
 * "applied","outcome","before","after","duration_ms","plan"? (dry run),
 * "error"?,"differences":[...]}. */
static void
apply_done(struct migrate_result *r, void *arg)
{
	struct cmd_req *req = arg;

	cmd_ok(req, migrate_result_json(r, r->dry_run));
	ctl_finish(&req->ctl);
}

static void
apply_cancel(struct ctl_req *cr)
{
	struct cmd_req *req = (struct cmd_req *)cr;

	apply_forget(req->c->env.apply, req);
	cr->state = NULL;
	cr->cancel = NULL;
}

static enum ctl_result
cmd_apply(struct cmd_req *req)
{
	struct apply_how how = { false, false, false, NULL };
	struct tgt *t;
	char *err = NULL;
	int i;

	if ((t = find_target(req, req->args[0])) == NULL)
		return CTL_DONE;
	for (i = 1; i < req->nargs; i++) {
		if (strcmp(req->args[i], "--downgrade") == 0)
			how.downgrade = true;
		else if (strcmp(req->args[i], "--dry-run") == 0)
			how.dry_run = true;
		else if (strcmp(req->args[i], "--force") == 0)
			how.force = true;
		else if (strncmp(req->args[i], "--to=", 5) == 0 && req->args[i][5] != '\0')
			how.to = req->args[i] + 5;
		else if (strcmp(req->args[i], "--to") == 0 && i + 1 < req->nargs)
			how.to = req->args[++i];
		else {
			cmd_err(req, CMDERR_BAD_REQUEST, "apply: %s \"%s\" (usage: apply TARGET "
			    "[--to REVISION] [--downgrade] [--dry-run] [--force])",
			    strcmp(req->args[i], "--to") == 0 ? "missing revision after" :
			    "unknown option", req->args[i]);
			return CTL_DONE;
		}
	}
	req->ctl.cancel = apply_cancel;
	if (apply_start(req->c->env.apply, t, &how, apply_done, req, &err) != 0) {
		req->ctl.cancel = NULL;
		cmd_err(req, CMDERR_FAILED, "apply: %s", err);
		free(err);
		return CTL_DONE;
	}
	return CTL_WAIT;
}

static enum ctl_result
cmd_version(struct cmd_req *req)
{
	cmd_ok(req, json_pack("{s:s, s:s, s:i}", "package", PACKAGE_NAME,
	    "version", PACKAGE_VERSION, "protocol", CTL_PROTOCOL_VERSION));
	return CTL_DONE;
}

static enum ctl_result cmd_help(struct cmd_req *);

static const struct cmd_entry commands[] = {
	{ "status", "", "every target: state, since when, last check, differences",
	  0, 0, false, cmd_status },
	{ "diff", "[target|group] NAME",
	  "the differences of a target against its expected revision, or between a group's members",
	  1, 2, false, cmd_diff },
	{ "compare", "A B", "the differences between the last schemas read from two targets",
	  2, 2, false, cmd_compare },
	{ "history", "[TARGET] [LIMIT]", "state changes and applies, newest first",
	  0, 2, false, cmd_history },
	{ "check", "[TARGET]", "check now (one target or all) and wait for the result",
	  0, 1, true, cmd_check },
	{ "reload", "", "re-read the configuration file",
	  0, 0, true, cmd_reload },
	{ "apply", "TARGET [--to REVISION] [--downgrade] [--dry-run] [--force]",
	  "walk a target along its definition's chain to its expected revision or "
	  "--to (--force: a downgrade may drop rows)",
	  1, 6, true, cmd_apply },
	{ "version", "", "the daemon's version and protocol version",
	  0, 0, false, cmd_version },
	{ "help", "", "the commands and whether this client may run them",
	  0, 0, false, cmd_help },
};
#define NCOMMANDS ((int)(sizeof commands / sizeof commands[0]))

static enum ctl_result
cmd_help(struct cmd_req *req)
{
	json_t *arr = json_array();
	bool admin = cmd_peer_is_admin(req->c, req->ctl.peer);
	int i;

	for (i = 0; i < NCOMMANDS; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b, s:b}",
		    "name", commands[i].name, "usage", commands[i].usage,
		    "help", commands[i].help, "mutating", commands[i].mutating,
		    "allowed", !commands[i].mutating || admin));
	cmd_ok(req, json_pack("{s:i, s:o}", "protocol", CTL_PROTOCOL_VERSION, "commands", arr));
	return CTL_DONE;
}

const struct cmd_entry *
cmd_table(int *n)
{
	*n = NCOMMANDS;
	return commands;
}

const struct cmd_entry *
cmd_find(const char *name)
{
	int i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* ---- parsing and dispatch --------------------------------------------------------- */

static const char *const request_keys[] = { "version", "command", "args", "id" };

/* Check the request object and fill req->command / args. 0, or -1 with
 * req->response set. */
static int
parse_request(struct cmd_req *req)
{
	json_t *o = req->request, *v, *args;
	const char *key;
	size_t i, k;

	if (!json_is_object(o)) {
		cmd_err(req, CMDERR_BAD_REQUEST, "a request is a JSON object, e.g. "
		    "{\"version\":1,\"command\":\"status\"}");
		return -1;
	}
	json_object_foreach(o, key, v) {
		for (k = 0; k < sizeof request_keys / sizeof request_keys[0]; k++)
			if (strcmp(key, request_keys[k]) == 0)
				break;
		if (k == sizeof request_keys / sizeof request_keys[0]) {
			cmd_err(req, CMDERR_BAD_REQUEST, "unknown key \"%s\" in the request", key);
			return -1;
		}
	}
	v = json_object_get(o, "version");
	if (v != NULL && (!json_is_integer(v) || json_integer_value(v) != CTL_PROTOCOL_VERSION)) {
		cmd_err(req, CMDERR_BAD_REQUEST, "unsupported protocol version (this daemon "
		    "speaks version %d)", CTL_PROTOCOL_VERSION);
		return -1;
	}
	v = json_object_get(o, "command");
	if (!json_is_string(v) || json_string_length(v) == 0) {
		cmd_err(req, CMDERR_BAD_REQUEST, "the request has no \"command\" string");
		return -1;
	}
	req->command = json_string_value(v);
	args = json_object_get(o, "args");
	if (args != NULL && !json_is_null(args) && !json_is_array(args)) {
		cmd_err(req, CMDERR_BAD_REQUEST, "%s: \"args\" must be an array of strings",
		    req->command);
		return -1;
	}
	req->nargs = (int)json_array_size(args);
	req->args = xcalloc((size_t)req->nargs + 1, sizeof *req->args);
	json_array_foreach(args, i, v) {
		if (!json_is_string(v)) {
			cmd_err(req, CMDERR_BAD_REQUEST, "%s: argument %zu is not a string",
			    req->command, i + 1);
			return -1;
		}
		req->args[i] = json_string_value(v);
	}
	return 0;
}

static bool
authorized(struct cmd_req *req, const struct cmd_entry *ce)
{
	struct ctl_peer *p = req->ctl.peer;

	if (!ce->mutating)
		return true;
	if (cmd_peer_is_admin(req->c, p)) {
		log_msg(LOG_INFO, "control: \"%s\" requested by uid %u (pid %d)", ce->name,
		    (unsigned)p->uid, (int)p->pid);
		return true;
	}
	log_msg(LOG_NOTICE, "control: \"%s\" refused to uid %u (pid %d)", ce->name,
	    (unsigned)p->uid, (int)p->pid);
	if (req->c->cfg->admin_group != NULL)
		cmd_err(req, CMDERR_PERMISSION_DENIED, "%s: permission denied: only root, the "
		    "daemon's user and members of group %s may run it", ce->name,
		    req->c->cfg->admin_group);
	else
		cmd_err(req, CMDERR_PERMISSION_DENIED, "%s: permission denied: only root and the "
		    "daemon's user may run it (no admin_group is configured)", ce->name);
	return false;
}

static enum ctl_result
cmd_serve(void *ctx, struct ctl_req *cr, const char *line, size_t len)
{
	struct cmd_req *req = (struct cmd_req *)cr;
	const struct cmd_entry *ce;
	json_error_t jerr;

	(void)ctx;
	req->request = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (req->request == NULL) {
		cmd_err(req, CMDERR_BAD_REQUEST, "malformed JSON at column %d: %s",
		    jerr.column, jerr.text);
		return CTL_DONE;
	}
	if (parse_request(req) != 0)
		return CTL_DONE;
	if ((ce = cmd_find(req->command)) == NULL) {
		cmd_err(req, CMDERR_UNKNOWN_COMMAND, "unknown command \"%s\" (\"help\" lists them)",
		    req->command);
		return CTL_DONE;
	}
	/* Refuse before looking at the arguments: a refused client learns
	 * nothing about targets from the error. */
	if (!authorized(req, ce))
		return CTL_DONE;
	if (req->nargs < ce->min_args || req->nargs > ce->max_args) {
		cmd_err(req, CMDERR_BAD_REQUEST, "%s: %s arguments (usage: %s%s%s)", ce->name,
		    req->nargs < ce->min_args ? "missing" : "too many", ce->name,
		    *ce->usage != '\0' ? " " : "", ce->usage);
		return CTL_DONE;
	}
	return ce->exec(req);
}

static json_t *
cmd_refusal(void *ctx, enum ctl_refusal why, const char *message)
{
	(void)ctx;
	return cmd_error_response(why == CTL_REFUSE_TOO_LARGE ? CMDERR_TOO_LARGE :
	    CMDERR_TOO_MANY_CLIENTS, "%s", message);
}

void
cmds_handler(struct cmds *c, struct ctl_handler *h)
{
	h->ctx = c;
	h->req_new = cmd_req_new;
	h->serve = cmd_serve;
	h->req_free = cmd_req_free;
	h->refusal = cmd_refusal;
}

struct cmds *
cmds_new(const struct cmd_env *env)
{
	struct cmds *c = xcalloc(1, sizeof *c);

	c->env = *env;
	return c;
}

void
cmds_free(struct cmds *c)
{
	free(c);
}
