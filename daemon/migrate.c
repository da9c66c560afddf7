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
 * dialects share (the route along the chain, the verifications, the
 * version row) and the plan, the engine (spec -> result), and the job that
 * runs it on a worker. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "defset.h"
#include "log.h"
#include "migrate.h"
#include "migrate_int.h"
#include "report.h"
#include "sqltext.h"
#include "state.h"
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
	free(r->from_rev);
	free(r->to_rev);
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
	if (r->from_rev != NULL)
		json_object_set_new(o, "from", utf8_json(r->from_rev));
	if (r->to_rev != NULL)
		json_object_set_new(o, "to", utf8_json(r->to_rev));
	json_object_set_new(o, "steps", json_integer(r->steps));
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
		log_msg(LOG_INFO, "target %s: %s%s%s: already at %s; nothing to do", r->target,
		    action, sp, how, r->to_rev != NULL ? r->to_rev : "the revision");
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
		    tgt_state_name(r->after), "target %s: %s applied%s%s (%s -> %s) in %lld ms: "
		    "%s -> %s in %d step%s", r->target, action, sp, how, tgt_state_name(r->before),
		    tgt_state_name(r->after), (long long)r->duration_ms,
		    r->from_rev != NULL ? r->from_rev : "?", r->to_rev != NULL ? r->to_rev : "?",
		    r->steps, r->steps == 1 ? "" : "s");
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

/* ---- the route along the chain ------------------------------------------------ */

void
mig_fail(struct mig *m, enum migrate_outcome o, char *error)
{
	m->r->outcome = o;
	free(m->r->error);
	m->r->error = error;
}

/* A target exactly at revision `at`, against its expected one. */
static enum tgt_state
state_at(int at, int expected)
{
	return at == expected ? ST_OK : at < expected ? ST_PENDING : ST_AHEAD;
}

/* What the version table holds, in state_verdict_def's terms: nothing was
 * read, or there is no table at all (a schema built by hand), is "unknown",
 * not "no row". */
static const char *
version_row(const struct cat_version *ver)
{
	return ver != NULL && ver->read && ver->table ? ver->row : STATE_VERSION_UNKNOWN;
}

/* Where the walk ends (migrate.h): --to, or by direction. */
static void
mig_resolve_to(struct mig *m)
{
	const struct spec *s = m->s;

	if (s->to != NULL)
		m->to = strcmp(s->to, MIGRATE_TO_BASE) == 0 ? -1 : def_find(m->def, s->to);
	else if (!s->downgrade)
		m->to = m->expected;
	else
		m->to = m->at > m->expected ? m->expected : m->at - 1;
}

/* The files of the walk, read now: a missing downgrade is a refusal before
 * anything ran, an unreadable file a failure. */
static bool
mig_build_steps(struct mig *m)
{
	int n = m->to > m->at ? m->to - m->at : m->at - m->to, k, rev;
	const struct def_step *ds;
	const char *path;

	m->steps = xcalloc((size_t)n + 1, sizeof *m->steps);
	for (k = 0; k < n; k++) {
		rev = m->s->downgrade ? m->at - k : m->at + 1 + k;
		ds = &m->def->revs[rev].step[m->dialect];
		if ((path = m->s->downgrade ? ds->downgrade : ds->upgrade) == NULL) {
			mig_fail(m, MIGRATE_REFUSED, xasprintf("revision %s has no %s downgrade "
			    "file: it cannot be downgraded", m->def->revs[rev].id,
			    cat_dialect_name(m->dialect)));
			return false;
		}
		m->steps[k].rev = rev;
		m->steps[k].path = path;
		if ((m->steps[k].sql = read_file(path, NULL)) == NULL) {
			mig_fail(m, MIGRATE_FAILED, xasprintf("cannot read %s: %s", path,
			    strerror(errno)));
			return false;
		}
		m->nsteps++;
	}
	m->r->steps = n;
	return true;
}

bool
mig_route(struct mig *m, struct catalog *cat, const struct cat_version *ver)
{
	const struct spec *s = m->s;
	struct migrate_result *r = m->r;
	const char *action = s->downgrade ? "a downgrade" : "an upgrade";
	struct rev_verdict v;
	enum tgt_state st;

	diff_list_free(&r->diffs);
	st = state_verdict_def(m->def, m->expected, cat, version_row(ver), &r->diffs, &v);
	cat_free(cat);
	r->before = r->after = st;
	if (st == ST_DRIFT) {
		/* Also a version row out of step with the schema: which of the
		 * two is right is for a person to say. */
		mig_fail(m, MIGRATE_REFUSED, xasprintf("the target is in drift (%d difference%s "
		    "against %s, closest revision %s); %s runs only from a revision of the "
		    "chain", r->diffs.n, r->diffs.n == 1 ? "" : "s", m->def->revs[m->expected].id,
		    state_revision_name(m->def, v.closest), action));
		return false;
	}
	diff_list_free(&r->diffs);
	m->at = v.at;
	mig_resolve_to(m);
	r->from_rev = xstrdup(state_revision_name(m->def, m->at));
	r->to_rev = xstrdup(state_revision_name(m->def, m->to));
	if (!s->downgrade && m->at == m->to) {
		/* Like `alembic upgrade head` at head: success, nothing to do
		 * (the caller rolls the empty transaction back). */
		r->outcome = MIGRATE_APPLIED;
		r->nothing_to_do = true;
		return false;
	}
	if (!s->downgrade && m->at > m->to) {
		mig_fail(m, MIGRATE_REFUSED, xasprintf("the target is %s, at %s, past %s; going "
		    "down is a downgrade (--downgrade)", tgt_state_name(st), r->from_rev, r->to_rev));
		return false;
	}
	if (s->downgrade && m->at < 0) {
		mig_fail(m, MIGRATE_REFUSED, xasprintf("the target is %s, before the chain (none "
		    "of its tables exist); a downgrade runs only from a revision of the chain",
		    tgt_state_name(st)));
		return false;
	}
	if (s->downgrade && m->to >= m->at) {
		mig_fail(m, MIGRATE_REFUSED, xasprintf("the target is at %s; a downgrade to %s "
		    "would not go down (an upgrade does that)", r->from_rev, r->to_rev));
		return false;
	}
	return mig_build_steps(m);
}

/* The schema must be exactly revision `want` (-1: before the chain) and,
 * when ver is given, record it. cat freed. */
static bool
mig_verify(struct mig *m, struct catalog *cat, int want, const struct cat_version *ver,
    const char *after)
{
	const struct definition *d = m->def;
	struct rev_verdict v;
	enum tgt_state st;

	diff_list_free(&m->r->diffs);
	st = state_verdict_def(d, want < 0 ? 0 : want, cat, version_row(ver), &m->r->diffs, &v);
	if (st == (want < 0 ? ST_PENDING : ST_OK) && v.at == want) {
		cat_free(cat);
		return true;
	}
	if (st != ST_DRIFT && want >= 0)	/* at another revision: say how */
		compare_catalogs(d->revs[want].step[m->dialect].compiled, cat, &m->r->diffs);
	mig_fail(m, MIGRATE_FAILED, xasprintf("verification failed: after %s the schema "
	    "would be %s%s, not %s; rolled back", after, v.at >= 0 ? "at " : "",
	    v.at >= 0 ? d->revs[v.at].id : want < 0 && cat->ntables > 0 ? "holding tables" :
	    "in drift", state_revision_name(d, want)));
	cat_free(cat);
	return false;
}

bool
mig_step_verified(struct mig *m, int k, struct catalog *cat)
{
	int want = m->s->downgrade ? m->steps[k].rev - 1 : m->steps[k].rev;

	return mig_verify(m, cat, want, NULL, m->steps[k].path);
}

bool
mig_finish(struct mig *m, struct catalog *cat, const struct cat_version *ver)
{
	if (!mig_verify(m, cat, m->to, ver, "the version row"))
		return false;
	m->r->after = state_at(m->to, m->expected);
	return true;
}

/* ---- statements --------------------------------------------------------------- */

bool
mig_next_statement(const struct mig *m, int k, const char **pos, const char **stmt,
    size_t *len)
{
	const char *p = *pos != NULL ? *pos : m->steps[k].sql, *end;

	while (*p != '\0') {
		end = sqltext_statement_end(p);
		if (!sqltext_blank(p, (size_t)(end - p))) {
			*stmt = sqltext_skip_space(p, end);
			*len = (size_t)(end - *stmt);
			*pos = end;
			return true;
		}
		p = end;
	}
	*pos = p;
	return false;
}

void
mig_statement_failed(struct mig *m, int k, const char *stmt, size_t len, int n,
    const char *msg)
{
	char *e = sqltext_error(m->steps[k].path, m->steps[k].sql, stmt, len, n, msg, m->secret);

	mig_fail(m, MIGRATE_FAILED, xasprintf("running %s", e));
	free(e);
}

const struct cat_strv *
mig_tables(const struct mig *m)
{
	return &m->def->tables;
}

const char *
mig_version_table(const struct mig *m)
{
	return m->def->version_table;
}

/* ---- a downgrade drops no rows silently ------------------------------------------- */

/* The tables one file drops, appended to v (n entries, NULL-terminated). */
static char **
dropped_in(const char *p, char **v, size_t *n)
{
	const char *q, *dot;
	size_t len;

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
		if ((dot = memrchr(p, '.', len)) != NULL) {
			len -= (size_t)(dot + 1 - p);
			p = dot + 1;
		}
		if (len >= 2 && p[0] == '"' && p[len - 1] == '"') {
			p++;
			len -= 2;
		}
		v = xreallocarray(v, *n + 2, sizeof *v);
		v[(*n)++] = xstrndup(p, len);
		v[*n] = NULL;
		p = q;
	}
	return v;
}

char **
mig_dropped_tables(const struct mig *m)
{
	char **v = xcalloc(1, sizeof *v);
	size_t n = 0;
	int k;

	for (k = 0; k < m->nsteps; k++)
		v = dropped_in(m->steps[k].sql, v, &n);
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

/* ---- the version row and the plan ------------------------------------------------- */

static char	*quote_ident(const char *);

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

/* name as is when it is a plain lower-case identifier (what Alembic
 * writes), else "name" with quotes doubled: an identifier in both dialects. */
static char *
plain_ident(const char *s)
{
	if (s[0] != '\0' && strchr("abcdefghijklmnopqrstuvwxyz_", s[0]) != NULL &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz_0123456789") == strlen(s))
		return xstrdup(s);
	return quote_ident(s);
}

/* "name" with quotes doubled: an identifier in both dialects. */
static char *
quote_ident(const char *s)
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

const char *
mig_target_revision(const struct mig *m)
{
	return m->to >= 0 ? m->def->revs[m->to].id : m->def->revs[0].previous;
}

char *
mig_version_sql(const struct mig *m, const char *lit)
{
	const char *vt = m->def->version_table;
	char *tab, *pkc, *pkname, *q;

	if (vt == NULL)
		return NULL;
	/* Alembic's own layout: version_num varchar(32), primary key <table>_pkc. */
	tab = plain_ident(vt);
	pkname = xasprintf("%s_pkc", vt);
	pkc = plain_ident(pkname);
	q = xasprintf("CREATE TABLE IF NOT EXISTS %s (version_num %s(%d) NOT NULL, "
	    "CONSTRAINT %s PRIMARY KEY (version_num));\nDELETE FROM %s;\n%s%s%s%s%s",
	    tab, m->dialect == CAT_PG ? "varchar" : "VARCHAR", DEF_REVISION_MAX, pkc, tab,
	    lit != NULL ? "INSERT INTO " : "", lit != NULL ? tab : "",
	    lit != NULL ? " (version_num) VALUES (" : "", lit != NULL ? lit : "",
	    lit != NULL ? ");\n" : "");
	free(tab);
	free(pkc);
	free(pkname);
	return q;
}

/* The plan: every statement in order, with the checks as comments. */
static char *
mig_plan(const struct mig *m)
{
	const struct spec *s = m->s;
	const char *rev = m->def != NULL && m->to >= -1 ? mig_target_revision(m) : NULL;
	char *lit = rev != NULL ? plan_literal(rev) : NULL, *vsql, *id;
	struct sbuf sb;
	size_t len;
	int k;

	sbuf_init(&sb);
	if (s->kind == CFG_PG) {
		id = quote_ident(s->schema);
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
	if (m->def == NULL) {
		free(lit);
		return sbuf_steal(&sb);
	}
	sbuf_printf(&sb, "-- check: the target must be exactly at a revision of definition %s "
	    "(found: %s), else ROLLBACK\n", m->def->name, m->r->from_rev != NULL ?
	    m->r->from_rev : "not read");
	for (k = 0; k < m->nsteps; k++) {
		sbuf_printf(&sb, "-- step %d of %d: %s %s: %s\n", k + 1, m->nsteps,
		    migrate_action_name(s->downgrade), m->def->revs[m->steps[k].rev].id,
		    m->steps[k].path);
		len = strlen(m->steps[k].sql);
		while (len > 0 && (m->steps[k].sql[len - 1] == '\n' || m->steps[k].sql[len - 1] == ' '))
			len--;
		sbuf_addn(&sb, m->steps[k].sql, len);
		sbuf_addc(&sb, '\n');
		sbuf_printf(&sb, "-- verify: the schema must now be exactly %s, else ROLLBACK\n",
		    state_revision_name(m->def, s->downgrade ? m->steps[k].rev - 1 :
		    m->steps[k].rev));
	}
	if (m->nsteps == 0) {		/* stopped before the walk */
		free(lit);
		return sbuf_steal(&sb);
	}
	if ((vsql = mig_version_sql(m, lit)) != NULL) {
		sbuf_printf(&sb, "-- version: %s := %s\n", m->def->version_table, rev != NULL ?
		    rev : "(no row: nothing recorded before the chain)");
		sbuf_add(&sb, vsql);
		free(vsql);
	} else
		sbuf_add(&sb, "-- version: not recorded (version_table: none)\n");
	sbuf_printf(&sb, "-- verify: the target must now be exactly %s, else ROLLBACK\n"
	    "COMMIT;\n", state_revision_name(m->def, m->to));
	free(lit);
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
	s->def_dir = xstrdup(defset_dir_of(c, t));
	s->expect = t->expect != NULL ? xstrdup(t->expect) : NULL;
	s->to = req->to != NULL ? xstrdup(req->to) : NULL;
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
	free(s->def_dir);
	free(s->expect);
	free(s->to);
}

/* The definition, as it is on disk now (the daemon's loaded copy stays on
 * the loop thread), and the revisions named: refused before connecting. */
static int
mig_load(struct mig *m)
{
	const struct spec *s = m->s;
	struct definition *d;
	char *err = NULL;

	if ((d = m->def = def_load_full(s->def_dir, &err)) == NULL) {
		mig_fail(m, MIGRATE_FAILED, err);
		return -1;
	}
	if (!d->has[m->dialect]) {
		mig_fail(m, MIGRATE_FAILED, xasprintf("definition %s has no %s revisions", d->name,
		    cat_dialect_name(m->dialect)));
		return -1;
	}
	m->expected = s->expect != NULL ? def_find(d, s->expect) : d->nrevs - 1;
	if (m->expected < 0) {
		mig_fail(m, MIGRATE_FAILED, xasprintf("expect: %s is not a revision of definition "
		    "%s", s->expect, d->name));
		return -1;
	}
	if (s->to != NULL && strcmp(s->to, MIGRATE_TO_BASE) != 0 && def_find(d, s->to) < 0) {
		mig_fail(m, MIGRATE_FAILED, xasprintf("--to %s: not a revision of definition %s "
		    "(%s .. %s, or %s for before the first)", s->to, d->name, d->revs[0].id,
		    d->revs[d->nrevs - 1].id, MIGRATE_TO_BASE));
		return -1;
	}
	return 0;
}

static int
run_spec(const struct spec *s, struct migrate_result *r)
{
	struct mig m = { 0 };
	int64_t t0 = now_ms();
	int k;

	memset(r, 0, sizeof *r);
	r->target = xstrdup(s->name);
	r->downgrade = s->downgrade;
	r->dry_run = s->dry_run;
	r->before = r->after = ST_UNKNOWN;
	r->outcome = MIGRATE_FAILED;
	m.s = s;
	m.r = r;
	m.dialect = s->kind == CFG_PG ? CAT_PG : CAT_SQLITE;
	m.at = m.to = -2;	/* not routed */
	if (mig_load(&m) == 0) {
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
	for (k = 0; k < m.nsteps; k++)
		free(m.steps[k].sql);
	free(m.steps);
	def_free(m.def);
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
