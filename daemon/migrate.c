/* migrate.c — the migration engine: one transaction per apply, verified
 * before COMMIT; the dialects are migrate_pg.c and migrate_sqlite.c, the
 * one-shot command migrate_cli.c.
 *
 * Everything in the engine blocks, so it runs either in the one-shot CLI
 * (`schemawatchd --apply`) or in a worker thread started by migrate_start,
 * which hands the result back to the loop through worker.c. Nothing waits
 * without a bound: the PostgreSQL connection has connect_timeout, every
 * statement lock_timeout and statement_timeout, the advisory lock is only
 * tried; SQLite waits for its write lock at most apply_lock_timeout and runs
 * at most apply_statement_timeout after that (a progress handler interrupts
 * it).
 *
 * This file: the names and shapes of a result (JSON, log), the steps both
 * dialects share and the plan, the engine (spec -> result), and the job
 * that runs it on a worker. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "migrate.h"
#include "migrate_int.h"
#include "report.h"
#include "util.h"
#include "worker.h"

#define LOG_DIFFS_MAX	5	/* differences named in one log line */

/* ---- names and results ---------------------------------------------------- */

static const char *const outcome_names[] = {
	[MIGRATE_APPLIED] = "applied",
	[MIGRATE_DRY_RUN] = "dry-run",
	[MIGRATE_REFUSED] = "refused",
	[MIGRATE_FAILED] = "failed",
};

const char *
migrate_outcome_name(enum migrate_outcome o)
{
	return outcome_names[o];
}

const char *
migrate_action_name(bool downgrade)
{
	return downgrade ? "downgrade" : "upgrade";
}

const char *
migrate_history_state(const struct migrate_result *r)
{
	static const char *const up[] = {
		[MIGRATE_APPLIED] = "upgrade-ok", [MIGRATE_DRY_RUN] = "upgrade-dry-run",
		[MIGRATE_REFUSED] = "upgrade-refused", [MIGRATE_FAILED] = "upgrade-failed",
	};
	static const char *const down[] = {
		[MIGRATE_APPLIED] = "downgrade-ok", [MIGRATE_DRY_RUN] = "downgrade-dry-run",
		[MIGRATE_REFUSED] = "downgrade-refused", [MIGRATE_FAILED] = "downgrade-failed",
	};

	return r->downgrade ? down[r->outcome] : up[r->outcome];
}

int
migrate_exit_status(const struct migrate_result *r)
{
	switch (r->outcome) {
	case MIGRATE_APPLIED:
	case MIGRATE_DRY_RUN:
		return MIGRATE_EXIT_OK;
	case MIGRATE_REFUSED:
		return MIGRATE_EXIT_REFUSED;
	default:
		return MIGRATE_EXIT_FAILED;
	}
}

void
migrate_result_clear(struct migrate_result *r)
{
	if (r == NULL)
		return;
	free(r->target);
	free(r->error);
	free(r->plan);
	diff_list_free(&r->diffs);
	memset(r, 0, sizeof *r);
}

void
migrate_result_free(struct migrate_result *r)
{
	migrate_result_clear(r);
	free(r);
}

json_t *
migrate_result_json(const struct migrate_result *r, bool with_plan)
{
	json_t *o = json_object();

	json_object_set_new(o, "target", utf8_json(r->target != NULL ? r->target : ""));
	json_object_set_new(o, "action", json_string(migrate_action_name(r->downgrade)));
	json_object_set_new(o, "dry_run", json_boolean(r->dry_run));
	json_object_set_new(o, "applied", json_boolean(r->applied));
	json_object_set_new(o, "outcome", json_string(outcome_names[r->outcome]));
	json_object_set_new(o, "before", json_string(tgt_state_name(r->before)));
	json_object_set_new(o, "after", json_string(tgt_state_name(r->after)));
	json_object_set_new(o, "duration_ms", json_integer(r->duration_ms));
	if (r->nothing_to_do)
		json_object_set_new(o, "nothing_to_do", json_true());
	if (r->downgrade)
		json_object_set_new(o, "rows_dropped", json_integer(r->rows_dropped));
	if (with_plan && r->plan != NULL)
		json_object_set_new(o, "plan", utf8_json(r->plan));
	if (r->error != NULL)
		json_object_set_new(o, "error", utf8_json(r->error));
	json_object_set_new(o, "differences", report_diffs_json(&r->diffs));
	return o;
}

void
migrate_log(const struct migrate_result *r, const char *how)
{
	const char *action = migrate_action_name(r->downgrade), *sp = how ? " " : "";
	char *sum = NULL;

	if (how == NULL)
		how = "";
	if (r->nothing_to_do) {
		log_msg(LOG_INFO, "target %s: %s%s%s: already at V7 (ok); nothing to do", r->target,
		    action, sp, how);
		return;
	}
	if (r->dry_run && r->outcome != MIGRATE_DRY_RUN && r->outcome != MIGRATE_APPLIED) {
		/* A dry run changes nothing, whatever it found: not a failed
		 * migration (no migration-failed event), only its verdict. */
		log_msg(LOG_NOTICE, "target %s: dry run of the %s%s%s: it would be %s: %s",
		    r->target, action, sp, how, outcome_names[r->outcome],
		    r->error != NULL ? r->error : "unknown error");
		return;
	}
	if (r->diffs.n > 0)
		sum = report_diffs_summary(&r->diffs, LOG_DIFFS_MAX);
	switch (r->outcome) {
	case MIGRATE_APPLIED:
		log_event(LOG_NOTICE, LOGEV_MIGRATION_APPLIED, r->target, NULL,
		    tgt_state_name(r->after), "target %s: %s applied%s%s (%s -> %s) in %lld ms",
		    r->target, action, sp, how, tgt_state_name(r->before),
		    tgt_state_name(r->after), (long long)r->duration_ms);
		break;
	case MIGRATE_DRY_RUN:
		log_msg(LOG_INFO, "target %s: dry run of the %s%s%s: state %s allows it; "
		    "nothing changed", r->target, action, sp, how, tgt_state_name(r->before));
		break;
	case MIGRATE_REFUSED:
	case MIGRATE_FAILED:
		log_event(r->outcome == MIGRATE_REFUSED ? LOG_WARNING : LOG_ERR,
		    LOGEV_MIGRATION_FAILED, r->target, NULL, tgt_state_name(r->after),
		    "target %s: %s%s%s %s, nothing changed: %s%s%s", r->target, action, sp, how,
		    outcome_names[r->outcome], r->error != NULL ? r->error : "unknown error",
		    sum != NULL ? ": " : "", sum != NULL ? sum : "");
		break;
	}
	free(sum);
}

/* ---- common steps ------------------------------------------------------------ */

void
mig_fail(struct mig *m, enum migrate_outcome o, char *error)
{
	m->r->outcome = o;
	free(m->r->error);
	m->r->error = error;
}

/* Judge a catalog read inside the transaction. Returns the state; the
 * differences go to r->diffs (replacing what was there). */
enum tgt_state
mig_judge(struct mig *m, struct catalog *cat)
{
	enum tgt_state st;

	diff_list_free(&m->r->diffs);
	st = state_verdict(cat, &m->r->diffs);
	cat_free(cat);
	if (st != ST_DRIFT)
		diff_list_free(&m->r->diffs);
	return st;
}

/* The state found first decides whether we go on. */
bool
mig_check_before(struct mig *m, enum tgt_state st)
{
	m->r->before = m->r->after = st;
	if (st == m->want_before)
		return true;
	if (!m->s->downgrade && st == ST_OK) {
		/* Like `alembic upgrade head` at head: success, nothing to do
		 * (the caller rolls the empty transaction back). */
		m->r->outcome = MIGRATE_APPLIED;
		m->r->nothing_to_do = true;
		return false;
	}
	if (st == ST_DRIFT)
		mig_fail(m, MIGRATE_REFUSED, xasprintf("the target is in drift (%d difference%s); "
		    "an %s runs only from %s", m->r->diffs.n, m->r->diffs.n == 1 ? "" : "s",
		    migrate_action_name(m->s->downgrade), tgt_state_name(m->want_before)));
	else
		mig_fail(m, MIGRATE_REFUSED, xasprintf("the target is %s; %s %s runs only from %s",
		    tgt_state_name(st), m->s->downgrade ? "a" : "an",
		    migrate_action_name(m->s->downgrade), tgt_state_name(m->want_before)));
	return false;
}

/* ---- a downgrade drops no rows silently ------------------------------------------- */

char **
mig_dropped_tables(const struct mig *m)
{
	const char *p = m->sql, *q;
	char **v = xcalloc(1, sizeof *v);
	size_t n = 0, len;

	while (p != NULL && (p = strcasestr(p, "DROP TABLE")) != NULL) {
		p += strlen("DROP TABLE");
		p += strspn(p, " \t\r\n");
		if (strncasecmp(p, "IF EXISTS", 9) == 0)
			p += 9 + strspn(p + 9, " \t\r\n");
		/* name, "name" or schema.name: the last part, unquoted */
		for (q = p; *q != '\0' && *q != ';' && !strchr(" \t\r\n", *q); q++)
			;
		len = (size_t)(q - p);
		if (len == 0)
			continue;
		const char *dot = memrchr(p, '.', len);
		if (dot != NULL) {
			len -= (size_t)(dot + 1 - p);
			p = dot + 1;
		}
		if (len >= 2 && p[0] == '"' && p[len - 1] == '"') {
			p++;
			len -= 2;
		}
		v = xreallocarray(v, n + 2, sizeof *v);
		v[n++] = xstrndup(p, len);
		v[n] = NULL;
		p = q;
	}
	return v;
}

void
mig_count_rows(struct mig *m, const char *table, int64_t rows)
{
	if (m->rows.buf == NULL)
		sbuf_init(&m->rows);
	sbuf_printf(&m->rows, "--   %s: %lld row%s\n", table, (long long)rows, rows == 1 ? "" : "s");
	m->nrows += rows;
	m->r->rows_dropped = m->nrows;
}

bool
mig_rows_verdict(struct mig *m)
{
	if (m->nrows == 0 || m->s->force || m->s->dry_run)
		return true;
	mig_fail(m, MIGRATE_REFUSED, xasprintf("the downgrade would drop tables holding %lld "
	    "row%s (see the dry run's plan); use --force to drop them", (long long)m->nrows,
	    m->nrows == 1 ? "" : "s"));
	return false;
}

/* After the DDL and the version row: exactly the intended state, or nothing. */
bool
mig_check_after(struct mig *m, enum tgt_state st)
{
	if (st == m->want_after)
		return true;
	mig_fail(m, MIGRATE_FAILED, xasprintf("verification failed: after the %s the target "
	    "would be %s, not %s; rolled back", migrate_action_name(m->s->downgrade),
	    tgt_state_name(st), tgt_state_name(m->want_after)));
	return false;
}

const char *
mig_sql_file_name(const struct spec *s)
{
	static const char *const names[2][2] = {
		{ "v7-upgrade.postgresql.sql", "v7-downgrade.postgresql.sql" },
		{ "v7-upgrade.sqlite.sql", "v7-downgrade.sqlite.sql" },
	};

	return names[s->kind == CFG_SQLITE][s->downgrade];
}

static int
mig_read_sql(struct mig *m)
{
	m->sql_path = xasprintf("%s/%s", m->s->sql_dir, mig_sql_file_name(m->s));
	if ((m->sql = read_file(m->sql_path, NULL)) == NULL) {
		mig_fail(m, MIGRATE_FAILED, xasprintf("cannot read %s: %s", m->sql_path,
		    strerror(errno)));
		return -1;
	}
	return 0;
}

/* 'text' with quotes doubled: for the plan (execution quotes with the
 * database library's own function). */
static char *
plan_literal(const char *s)
{
	struct sbuf sb;

	sbuf_init(&sb);
	sbuf_addc(&sb, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			sbuf_addc(&sb, '\'');
		sbuf_addc(&sb, *s);
	}
	sbuf_addc(&sb, '\'');
	return sbuf_steal(&sb);
}

static char *
plan_ident(const char *s)
{
	struct sbuf sb;

	sbuf_init(&sb);
	sbuf_addc(&sb, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			sbuf_addc(&sb, '"');
		sbuf_addc(&sb, *s);
	}
	sbuf_addc(&sb, '"');
	return sbuf_steal(&sb);
}

/* The revision the version row holds afterwards, or NULL for no row. */
const char *
mig_target_revision(const struct spec *s)
{
	if (!s->downgrade)
		return s->rev_v7;
	return s->rev_prev[0] != '\0' ? s->rev_prev : NULL;
}

static const char alembic_create_pg[] =
	"CREATE TABLE IF NOT EXISTS alembic_version (version_num varchar(32) NOT NULL, "
	"CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))";
static const char alembic_create_sqlite[] =
	"CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL, "
	"CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))";

/* The version-row statements; lit is the quoted revision or NULL (no row). */
char *
mig_version_sql(const struct spec *s, const char *lit)
{
	return xasprintf("%s;\nDELETE FROM alembic_version;\n%s%s%s",
	    s->kind == CFG_PG ? alembic_create_pg : alembic_create_sqlite,
	    lit != NULL ? "INSERT INTO alembic_version (version_num) VALUES (" : "",
	    lit != NULL ? lit : "", lit != NULL ? ");\n" : "");
}

/* The plan: every statement in order, with the checks as comments. */
static char *
mig_plan(const struct mig *m)
{
	const struct spec *s = m->s;
	const char *rev = mig_target_revision(s);
	char *lit = rev != NULL ? plan_literal(rev) : NULL, *vsql = mig_version_sql(s, lit), *id;
	struct sbuf sb;
	size_t len;

	sbuf_init(&sb);
	if (s->kind == CFG_PG) {
		id = plan_ident(s->schema);
		sbuf_printf(&sb, "-- %s of target %s (postgresql, schema %s)\n",
		    migrate_action_name(s->downgrade), s->name, s->schema);
		sbuf_printf(&sb, "BEGIN;\nSET LOCAL lock_timeout = %lld;\n"
		    "SET LOCAL statement_timeout = %lld;\n",
		    (long long)s->lock_timeout_ms, (long long)s->statement_timeout_ms);
		sbuf_printf(&sb, "SELECT pg_try_advisory_xact_lock(%s);"
		    "  -- false: another apply is running; stop\n", MIGRATE_ADVISORY_KEY_TEXT);
		sbuf_printf(&sb, "SET LOCAL search_path = %s;\n", id);
		free(id);
	} else {
		sbuf_printf(&sb, "-- %s of target %s (sqlite, %s)\n",
		    migrate_action_name(s->downgrade), s->name, s->path);
		sbuf_printf(&sb, "PRAGMA foreign_keys = ON;\n"
		    "-- busy timeout %lld ms, statement timeout %lld ms\nBEGIN IMMEDIATE;\n",
		    (long long)s->lock_timeout_ms, (long long)s->statement_timeout_ms);
	}
	sbuf_printf(&sb, "-- check: the target must be %s, else ROLLBACK\n",
	    tgt_state_name(m->want_before));
	sbuf_printf(&sb, "-- %s\n", m->sql_path);
	if (m->sql != NULL) {
		len = strlen(m->sql);
		while (len > 0 && (m->sql[len - 1] == '\n' || m->sql[len - 1] == ' '))
			len--;
		sbuf_addn(&sb, m->sql, len);
		sbuf_addc(&sb, '\n');
	}
	sbuf_printf(&sb, "-- version: alembic_version := %s\n", rev != NULL ? rev :
	    "(no row: no previous revision)");
	sbuf_add(&sb, vsql);
	sbuf_printf(&sb, "-- verify: the target must now be %s, else ROLLBACK\nCOMMIT;\n",
	    tgt_state_name(m->want_after));
	free(lit);
	free(vsql);
	return sbuf_steal(&sb);
}

/* ---- the engine ------------------------------------------------------------------------- */

static void
spec_from_req(struct spec *s, const struct migrate_req *req)
{
	const struct cfg_target *t = req->t;
	const struct config *c = req->cfg;

	memset(s, 0, sizeof *s);
	s->name = xstrdup(t->name);
	s->kind = t->kind;
	if (t->kind == CFG_PG) {
		s->conninfo = xstrdup(t->conninfo);
		s->schema = xstrdup(t->schema != NULL ? t->schema : "public");
	} else
		s->path = xstrdup(t->path);
	s->connect_timeout_ms = c->connect_timeout_ms;
	s->lock_timeout_ms = c->lock_timeout_ms;
	s->statement_timeout_ms = c->statement_timeout_ms;
	s->sql_dir = xstrdup(c->sql_dir);
	s->rev_v7 = xstrdup(c->revision_v7);
	s->rev_prev = xstrdup(c->revision_prev != NULL ? c->revision_prev : "");
	s->downgrade = req->downgrade;
	s->dry_run = req->dry_run;
	s->force = req->force;
}

static void
spec_free(struct spec *s)
{
	free(s->name);
	if (s->conninfo != NULL) {
		/* It may hold a password. */
		memset(s->conninfo, 0, strlen(s->conninfo));
		free(s->conninfo);
	}
	free(s->schema);
	free(s->path);
	free(s->sql_dir);
	free(s->rev_v7);
	free(s->rev_prev);
}

static int
run_spec(const struct spec *s, struct migrate_result *r)
{
	struct mig m = { 0 };
	int64_t t0 = now_ms();

	memset(r, 0, sizeof *r);
	r->target = xstrdup(s->name);
	r->downgrade = s->downgrade;
	r->dry_run = s->dry_run;
	r->before = r->after = ST_UNKNOWN;
	r->outcome = MIGRATE_FAILED;
	m.s = s;
	m.r = r;
	m.want_before = s->downgrade ? ST_OK : ST_PENDING;
	m.want_after = s->downgrade ? ST_PENDING : ST_OK;
	if (mig_read_sql(&m) == 0) {
		if (s->kind == CFG_PG)
			mig_pg_apply(&m);
		else
			mig_sqlite_apply(&m);
	}
	r->plan = mig_plan(&m);
	if (m.rows.buf != NULL) {
		/* What the downgrade would drop, for the dry run's reader. */
		char *p = xasprintf("%s-- rows in the tables it drops (%lld in all%s):\n%s",
		    r->plan, (long long)m.nrows, m.nrows > 0 && !s->force ?
		    "; refused without --force" : "", m.rows.buf);

		free(r->plan);
		r->plan = p;
		sbuf_free(&m.rows);
	}
	r->applied = r->outcome == MIGRATE_APPLIED;
	if (r->outcome == MIGRATE_FAILED && r->error == NULL)
		r->error = xstrdup("failed");
	r->duration_ms = now_ms() - t0;
	free(m.sql_path);
	free(m.sql);
	if (m.secret != NULL) {
		memset(m.secret, 0, strlen(m.secret));
		free(m.secret);
	}
	return migrate_exit_status(r);
}

int
migrate_run(const struct migrate_req *req, struct migrate_result *r)
{
	struct spec s;
	int rc;

	spec_from_req(&s, req);
	rc = run_spec(&s, r);
	spec_free(&s);
	return rc;
}

/* ---- asynchronous: a worker thread, the result back on the loop ---------------------- */

/* The job runs on a worker (worker.c); once abandoned it is freed by the
 * worker's drop, so abandoning never waits for a worker behind a lock. */
struct migrate_job {
	struct worker		*w;		/* until done or abandoned */
	migrate_done_cb		 cb;
	void			*arg;
	struct spec		 spec;		/* the worker's, read-only */
	struct migrate_result	*res;		/* written by the worker */
};

static void
job_free(void *arg)
{
	struct migrate_job *j = arg;

	if (j->res != NULL)
		migrate_result_free(j->res);
	spec_free(&j->spec);
	free(j);
}

/* Worker thread. */
static void
job_work(struct worker *w, void *arg)
{
	struct migrate_job *j = arg;
	struct migrate_result *r = xcalloc(1, sizeof *r);

	(void)w;
	run_spec(&j->spec, r);
	j->res = r;
}

/* A failure to start, still answered through the loop. */
static struct migrate_result *
job_start_failure(const struct spec *s, const char *error)
{
	struct migrate_result *r = xcalloc(1, sizeof *r);

	r->target = xstrdup(s->name);
	r->downgrade = s->downgrade;
	r->dry_run = s->dry_run;
	r->outcome = MIGRATE_FAILED;
	r->before = r->after = ST_UNKNOWN;
	r->error = xstrdup(error);
	return r;
}

/* Loop thread: the worker has finished, or (error) none could start. */
static void
job_done(void *arg, const char *error)
{
	struct migrate_job *j = arg;
	struct migrate_result *r = j->res;
	migrate_done_cb cb = j->cb;
	void *cbarg = j->arg;

	if (error != NULL)
		r = job_start_failure(&j->spec, error);
	j->res = NULL;
	job_free(j);
	cb(r, cbarg);
}

void
migrate_abandon(struct migrate_job *j)
{
	if (j != NULL)
		worker_abandon(j->w);	/* frees j now or when the worker returns */
}

struct migrate_job *
migrate_start(struct event_base *base, const struct migrate_req *req, migrate_done_cb cb,
    void *arg)
{
	struct migrate_job *j = xcalloc(1, sizeof *j);

	j->cb = cb;
	j->arg = arg;
	spec_from_req(&j->spec, req);
	j->w = worker_start(base, job_work, job_done, job_free, j);
	return j;
}
