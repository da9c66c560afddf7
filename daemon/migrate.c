/* migrate.c — the migration engine: one transaction per apply, verified
 * before COMMIT, for PostgreSQL (blocking libpq) and SQLite.
 *
 * Everything here blocks, so it runs either in the one-shot CLI
 * (`schemawatchd --apply`) or in a worker thread started by migrate_start,
 * which hands the result back to the loop through worker.c, as
 * probe_sqlite.c does. Nothing waits without a bound: the PostgreSQL
 * connection has connect_timeout, every statement lock_timeout and
 * statement_timeout, the advisory lock is only tried; SQLite waits for its
 * write lock at most apply_lock_timeout and runs at most
 * apply_statement_timeout after that (a progress handler interrupts it).
 *
 * The order of a PostgreSQL apply matters:
 *  - the advisory lock comes before the state check, so two appliers cannot
 *    both see `pending`;
 *  - pgcat_query() runs `SET LOCAL search_path = ''`, which inside our
 *    transaction lasts until COMMIT: the target's schema is set again after
 *    each introspection, before any unqualified DDL;
 *  - the version row is written in the same transaction as the DDL, and the
 *    fresh introspection is the last thing before COMMIT. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "dbfile.h"
#include "log.h"
#include "migrate.h"
#include "pgcat.h"
#include "pgnotice.h"
#include "report.h"
#include "sqlcat.h"
#include "util.h"
#include "worker.h"

#define LOG_DIFFS_MAX	5	/* differences named in one log line */

/* What one apply needs, copied so that it does not depend on the lifetime
 * of the configuration it came from. */
struct spec {
	char			*name;
	enum cfg_target_kind	 kind;
	char			*conninfo;
	char			*schema;
	char			*path;
	int64_t			 connect_timeout_ms;
	int64_t			 lock_timeout_ms;
	int64_t			 statement_timeout_ms;
	char			*sql_dir;
	char			*rev_v7;
	char			*rev_prev;	/* "" = no row after a downgrade */
	bool			 downgrade;
	bool			 dry_run;
};

/* One apply in progress. */
struct mig {
	const struct spec	*s;
	struct migrate_result	*r;
	enum tgt_state		 want_before;	/* pending for an upgrade, ok for a downgrade */
	enum tgt_state		 want_after;
	char			*sql_path;
	char			*sql;		/* the file's text */
	char			*secret;	/* PostgreSQL password, scrubbed from messages */
};

/* ---- names and results ---------------------------------------------------- */

static const char *const outcome_names[] = {
	[MIGRATE_APPLIED] = "applied",
	[MIGRATE_DRY_RUN] = "dry-run",
	[MIGRATE_REFUSED] = "refused",
	[MIGRATE_FAILED] = "failed",
};

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

	json_object_set_new(o, "target", json_string(r->target != NULL ? r->target : ""));
	json_object_set_new(o, "action", json_string(migrate_action_name(r->downgrade)));
	json_object_set_new(o, "dry_run", json_boolean(r->dry_run));
	json_object_set_new(o, "applied", json_boolean(r->applied));
	json_object_set_new(o, "outcome", json_string(outcome_names[r->outcome]));
	json_object_set_new(o, "before", json_string(tgt_state_name(r->before)));
	json_object_set_new(o, "after", json_string(tgt_state_name(r->after)));
	json_object_set_new(o, "duration_ms", json_integer(r->duration_ms));
	if (with_plan && r->plan != NULL)
		json_object_set_new(o, "plan", json_string(r->plan));
	if (r->error != NULL)
		json_object_set_new(o, "error", json_string(r->error));
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

static void
mig_fail(struct mig *m, enum migrate_outcome o, char *error)
{
	m->r->outcome = o;
	free(m->r->error);
	m->r->error = error;
}

/* Judge a catalog read inside the transaction. Returns the state; the
 * differences go to r->diffs (replacing what was there). */
static enum tgt_state
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
static bool
mig_check_before(struct mig *m, enum tgt_state st)
{
	m->r->before = m->r->after = st;
	if (st == m->want_before)
		return true;
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

/* After the DDL and the version row: exactly the intended state, or nothing. */
static bool
mig_check_after(struct mig *m, enum tgt_state st)
{
	if (st == m->want_after)
		return true;
	mig_fail(m, MIGRATE_FAILED, xasprintf("verification failed: after the %s the target "
	    "would be %s, not %s; rolled back", migrate_action_name(m->s->downgrade),
	    tgt_state_name(st), tgt_state_name(m->want_after)));
	return false;
}

static const char *
sql_file_name(const struct spec *s)
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
	m->sql_path = xasprintf("%s/%s", m->s->sql_dir, sql_file_name(m->s));
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
static const char *
target_revision(const struct spec *s)
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
static char *
version_sql(const struct spec *s, const char *lit)
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
	const char *rev = target_revision(s);
	char *lit = rev != NULL ? plan_literal(rev) : NULL, *vsql = version_sql(s, lit), *id;
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

/* ---- PostgreSQL ---------------------------------------------------------------- */

/* The error of a failed step: the server's primary message when there is
 * one ("canceling statement due to lock timeout"), else libpq's. */
static char *
pg_error(struct mig *m, PGconn *conn, const PGresult *res, const char *what)
{
	const char *primary = res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char *msg = primary != NULL ? str_first_line(primary, m->secret) :
	    str_first_line(PQerrorMessage(conn), m->secret);
	char *e = xasprintf("%s: %s", what, msg);

	free(msg);
	return e;
}

/* Run one statement text; 0 when it succeeded. */
static int
pg_exec(struct mig *m, PGconn *conn, const char *sql, const char *what)
{
	PGresult *res = PQexec(conn, sql);
	ExecStatusType st = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) {
		PQclear(res);
		return 0;
	}
	mig_fail(m, MIGRATE_FAILED, pg_error(m, conn, res, what));
	PQclear(res);
	return -1;
}

/* Connect with the target's conninfo, our application_name (so that an
 * apply is recognisable in pg_stat_activity) and a connect_timeout unless
 * the target sets one. */
static PGconn *
pg_connect(struct mig *m)
{
	PQconninfoOption *opts, *o;
	const char **keys, **vals;
	char *perr = NULL, timeout[32];
	bool have_timeout = false;
	PGconn *conn;
	size_t n = 0;

	if ((opts = PQconninfoParse(m->s->conninfo, &perr)) == NULL) {
		/* The message may quote the string: do not repeat it. */
		PQfreemem(perr);
		mig_fail(m, MIGRATE_FAILED, xstrdup("invalid connection string"));
		return NULL;
	}
	for (o = opts; o->keyword != NULL; o++)
		n++;
	keys = xcalloc(n + 3, sizeof *keys);
	vals = xcalloc(n + 3, sizeof *vals);
	n = 0;
	for (o = opts; o->keyword != NULL; o++) {
		if (o->val == NULL || strcmp(o->keyword, "application_name") == 0)
			continue;
		if (strcmp(o->keyword, "password") == 0 && o->val[0] != '\0')
			m->secret = xstrdup(o->val);
		if (strcmp(o->keyword, "connect_timeout") == 0)
			have_timeout = true;
		keys[n] = o->keyword;
		vals[n++] = o->val;
	}
	keys[n] = "application_name";
	vals[n++] = MIGRATE_APPLICATION_NAME;
	if (!have_timeout && m->s->connect_timeout_ms > 0) {
		/* Whole seconds, rounded up (libpq's unit). */
		snprintf(timeout, sizeof timeout, "%lld",
		    (long long)((m->s->connect_timeout_ms + 999) / 1000));
		keys[n] = "connect_timeout";
		vals[n++] = timeout;
	}
	conn = PQconnectdbParams(keys, vals, 0);
	pgnotice_install(conn, m->s->name);	/* DROP … IF EXISTS and friends */
	free(keys);
	free(vals);
	PQconninfoFree(opts);
	if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
		char *msg = pgnotice_login_hint(str_first_line(conn != NULL ?
		    PQerrorMessage(conn) : "out of memory", m->secret));

		mig_fail(m, MIGRATE_FAILED, xasprintf("cannot connect: %s", msg));
		free(msg);
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

static int
pg_set_search_path(struct mig *m, PGconn *conn)
{
	char *id, *q;
	int rc;

	if ((id = PQescapeIdentifier(conn, m->s->schema, strlen(m->s->schema))) == NULL) {
		mig_fail(m, MIGRATE_FAILED, pg_error(m, conn, NULL, "quoting the schema name"));
		return -1;
	}
	q = xasprintf("SET LOCAL search_path = %s", id);
	PQfreemem(id);
	rc = pg_exec(m, conn, q, "setting search_path");
	free(q);
	return rc;
}

/* Introspect inside the transaction; -1 on failure, else the state. */
static int
pg_verdict(struct mig *m, PGconn *conn)
{
	struct catalog *cat;
	PGresult *res;
	char *q, *err = NULL;

	if ((q = pgcat_query(conn, m->s->schema, &err)) == NULL) {
		mig_fail(m, MIGRATE_FAILED, xasprintf("reading the schema: %s", err));
		free(err);
		return -1;
	}
	res = PQexec(conn, q);
	free(q);
	if (pgcat_no_schema(res)) {
		/* Nothing to upgrade into: refused, not failed. */
		m->r->before = m->r->after = ST_ERROR;
		mig_fail(m, MIGRATE_REFUSED, xasprintf("schema \"%s\" does not exist",
		    m->s->schema));
		PQclear(res);
		return -1;
	}
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		mig_fail(m, MIGRATE_FAILED, pg_error(m, conn, res, "reading the schema"));
		PQclear(res);
		return -1;
	}
	cat = pgcat_from_result(res, &err);
	PQclear(res);
	if (cat == NULL) {
		mig_fail(m, MIGRATE_FAILED, xasprintf("reading the schema: %s", err));
		free(err);
		return -1;
	}
	return (int)mig_judge(m, cat);
}

static int
pg_try_lock(struct mig *m, PGconn *conn)
{
	PGresult *res = PQexec(conn, "SELECT pg_try_advisory_xact_lock(" MIGRATE_ADVISORY_KEY_TEXT ")");
	bool got;

	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		mig_fail(m, MIGRATE_FAILED, pg_error(m, conn, res, "taking the advisory lock"));
		PQclear(res);
		return -1;
	}
	got = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!got) {
		mig_fail(m, MIGRATE_FAILED, xstrdup("another apply is running on this database "
		    "(advisory lock " MIGRATE_ADVISORY_KEY_TEXT " is held)"));
		return -1;
	}
	return 0;
}

static int
pg_write_version(struct mig *m, PGconn *conn)
{
	const char *rev = target_revision(m->s);
	char *lit = NULL, *q;
	int rc;

	if (rev != NULL && (lit = PQescapeLiteral(conn, rev, strlen(rev))) == NULL) {
		mig_fail(m, MIGRATE_FAILED, pg_error(m, conn, NULL, "quoting the revision"));
		return -1;
	}
	q = version_sql(m->s, lit);
	PQfreemem(lit);
	rc = pg_exec(m, conn, q, "writing alembic_version");
	free(q);
	return rc;
}

/* The steps inside the transaction; 0 when COMMIT may follow (or, for a dry
 * run, when the state allows the apply). */
static int
pg_steps(struct mig *m, PGconn *conn)
{
	char *q, *what;
	int st, rc;

	q = xasprintf("SET LOCAL lock_timeout = %lld; SET LOCAL statement_timeout = %lld",
	    (long long)m->s->lock_timeout_ms, (long long)m->s->statement_timeout_ms);
	rc = pg_exec(m, conn, q, "setting the timeouts");
	free(q);
	if (rc < 0)
		return -1;
	/* A dry run changes nothing, so it does not exclude a real apply. */
	if (!m->s->dry_run && pg_try_lock(m, conn) < 0)
		return -1;
	if ((st = pg_verdict(m, conn)) < 0 || !mig_check_before(m, st))
		return -1;
	if (m->s->dry_run)
		return 0;
	if (pg_set_search_path(m, conn) < 0)
		return -1;
	what = xasprintf("running %s", sql_file_name(m->s));
	rc = pg_exec(m, conn, m->sql, what);
	free(what);
	if (rc < 0 || pg_write_version(m, conn) < 0)
		return -1;
	if ((st = pg_verdict(m, conn)) < 0 || !mig_check_after(m, st))
		return -1;
	return 0;
}

static void
pg_apply(struct mig *m)
{
	PGconn *conn;
	PGresult *res;

	if ((conn = pg_connect(m)) == NULL)
		return;
	if (pg_exec(m, conn, "BEGIN", "BEGIN") < 0) {
		PQfinish(conn);
		return;
	}
	if (pg_steps(m, conn) == 0 && !m->s->dry_run) {
		res = PQexec(conn, "COMMIT");
		if (res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK &&
		    strcmp(PQcmdStatus(res), "COMMIT") == 0) {
			m->r->outcome = MIGRATE_APPLIED;
			m->r->after = m->want_after;
		} else
			mig_fail(m, MIGRATE_FAILED, pg_error(m, conn, res, "COMMIT"));
		PQclear(res);
	} else {
		if (m->s->dry_run && m->r->error == NULL)
			m->r->outcome = MIGRATE_DRY_RUN;
		/* Errors here change nothing: closing the session rolls back too. */
		PQclear(PQexec(conn, "ROLLBACK"));
	}
	PQfinish(conn);
}

/* ---- SQLite ------------------------------------------------------------------------ */

struct sq_deadline {
	int64_t	at_ms;		/* 0: none */
};

/* Interrupts a statement running past apply_statement_timeout. */
static int
sq_progress(void *arg)
{
	const struct sq_deadline *dl = arg;

	return dl->at_ms > 0 && now_ms() > dl->at_ms;
}

static int
sq_exec(struct mig *m, sqlite3 *db, const char *sql, const char *what)
{
	char *emsg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &emsg);

	if (rc == SQLITE_OK)
		return 0;
	if ((rc & 0xff) == SQLITE_BUSY)
		mig_fail(m, MIGRATE_FAILED, xasprintf("%s: database is locked (busy for more than "
		    "%lld ms)", what, (long long)m->s->lock_timeout_ms));
	else if (rc == SQLITE_INTERRUPT)
		mig_fail(m, MIGRATE_FAILED, xasprintf("%s: interrupted after the statement timeout "
		    "(%lld ms)", what, (long long)m->s->statement_timeout_ms));
	else
		mig_fail(m, MIGRATE_FAILED, xasprintf("%s: %s", what,
		    emsg != NULL ? emsg : sqlite3_errmsg(db)));
	sqlite3_free(emsg);
	return -1;
}

static int
sq_verdict(struct mig *m, sqlite3 *db)
{
	struct catalog *cat;
	char *err = NULL;

	if ((cat = sqlcat_read(db, &err)) == NULL) {
		mig_fail(m, MIGRATE_FAILED, xasprintf("reading the schema: %s", err));
		free(err);
		return -1;
	}
	return (int)mig_judge(m, cat);
}

static int
sq_steps(struct mig *m, sqlite3 *db, struct sq_deadline *dl)
{
	const char *rev = target_revision(m->s);
	char *lit = NULL, *q, *what;
	int st, rc;

	if (sq_exec(m, db, "BEGIN IMMEDIATE", "BEGIN IMMEDIATE") < 0)
		return -1;
	dl->at_ms = m->s->statement_timeout_ms > 0 ? now_ms() + m->s->statement_timeout_ms : 0;
	if ((st = sq_verdict(m, db)) < 0 || !mig_check_before(m, st))
		return -1;
	if (m->s->dry_run)
		return 0;
	what = xasprintf("running %s", sql_file_name(m->s));
	rc = sq_exec(m, db, m->sql, what);
	free(what);
	if (rc < 0)
		return -1;
	if (rev != NULL)
		lit = sqlite3_mprintf("%Q", rev);
	q = version_sql(m->s, lit);
	sqlite3_free(lit);
	rc = sq_exec(m, db, q, "writing alembic_version");
	free(q);
	if (rc < 0)
		return -1;
	if ((st = sq_verdict(m, db)) < 0 || !mig_check_after(m, st))
		return -1;
	return 0;
}

static void
sq_apply(struct mig *m)
{
	struct sq_deadline dl = { 0 };
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	bool created = false;
	sqlite3 *db = NULL;
	char *journal, *why;

	/* SQLite's "unable to open database file" (or a silent read-only
	 * open) hides the cause: name it before trying. */
	if ((why = dbfile_diagnose(m->s->path, m->s->downgrade ? DBFILE_WRITE :
	    DBFILE_CREATE)) != NULL) {
		m->r->before = m->r->after = ST_UNREACHABLE;
		mig_fail(m, MIGRATE_FAILED, xasprintf("cannot open %s: %s", m->s->path, why));
		free(why);
		return;
	}
	if (access(m->s->path, F_OK) != 0 && errno == ENOENT) {
		/* A database that does not exist yet has no V7 object: pending.
		 * An upgrade creates it (how a developer sets up dev.db). */
		m->r->before = m->r->after = ST_PENDING;
		if (m->s->dry_run) {
			m->r->outcome = MIGRATE_DRY_RUN;
			return;
		}
		flags |= SQLITE_OPEN_CREATE;
		created = true;
	}
	if (sqlite3_open_v2(m->s->path, &db, flags, NULL) != SQLITE_OK) {
		mig_fail(m, MIGRATE_FAILED, xasprintf("cannot open %s: %s", m->s->path,
		    db != NULL ? sqlite3_errmsg(db) : "out of memory"));
		m->r->before = m->r->after = ST_UNREACHABLE;
		sqlite3_close(db);
		return;
	}
	sqlite3_extended_result_codes(db, 1);
	/* Waits for another connection's lock at most this long: a busy
	 * database is reported, never waited on forever. */
	sqlite3_busy_timeout(db, m->s->lock_timeout_ms > INT32_MAX ? INT32_MAX :
	    (int)m->s->lock_timeout_ms);
	sqlite3_progress_handler(db, 1000, sq_progress, &dl);
	if (sq_exec(m, db, "PRAGMA foreign_keys = ON", "PRAGMA foreign_keys") == 0 &&
	    sq_steps(m, db, &dl) == 0) {
		if (m->s->dry_run)
			m->r->outcome = MIGRATE_DRY_RUN;
		else if (sq_exec(m, db, "COMMIT", "COMMIT") == 0) {
			m->r->outcome = MIGRATE_APPLIED;
			m->r->after = m->want_after;
		}
	}
	dl.at_ms = 0;	/* ROLLBACK must not be interrupted */
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	if (created && m->r->outcome != MIGRATE_APPLIED) {
		/* Leave no empty file behind an upgrade that did not happen. */
		unlink(m->s->path);
		journal = xasprintf("%s-journal", m->s->path);
		unlink(journal);
		free(journal);
	}
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
			pg_apply(&m);
		else
			sq_apply(&m);
	}
	r->plan = mig_plan(&m);
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
	struct event		*ev;		/* zero timer when no worker started */
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

/* Loop thread: the worker has finished. */
static void
job_done(void *arg)
{
	struct migrate_job *j = arg;
	struct migrate_result *r = j->res;
	migrate_done_cb cb = j->cb;
	void *cbarg = j->arg;

	j->res = NULL;
	job_free(j);
	cb(r, cbarg);
}

/* Loop thread: no worker could start; answer from the zero timer. */
static void
job_failed(evutil_socket_t fd, short what, void *arg)
{
	struct migrate_job *j = arg;

	(void)fd;
	(void)what;
	event_free(j->ev);
	j->ev = NULL;
	job_done(j);
}

void
migrate_abandon(struct migrate_job *j)
{
	if (j == NULL)
		return;
	if (j->w != NULL) {
		worker_abandon(j->w);	/* frees j now or when the worker returns */
		return;
	}
	if (j->ev != NULL)
		event_free(j->ev);
	job_free(j);
}

/* A failure to start, still answered through the loop. */
static struct migrate_result *
job_start_failure(const struct spec *s, const char *what, int err)
{
	struct migrate_result *r = xcalloc(1, sizeof *r);

	r->target = xstrdup(s->name);
	r->downgrade = s->downgrade;
	r->dry_run = s->dry_run;
	r->outcome = MIGRATE_FAILED;
	r->error = xasprintf("%s: %s", what, strerror(err));
	return r;
}

struct migrate_job *
migrate_start(struct event_base *base, const struct migrate_req *req, migrate_done_cb cb,
    void *arg)
{
	static const struct timeval now = { 0, 0 };
	struct migrate_job *j = xcalloc(1, sizeof *j);
	enum worker_fail fail;

	j->cb = cb;
	j->arg = arg;
	spec_from_req(&j->spec, req);
	j->w = worker_start(base, job_work, job_done, job_free, j, &fail);
	if (j->w == NULL) {
		j->res = job_start_failure(&j->spec, worker_fail_what(fail), errno);
		j->ev = evtimer_new(base, job_failed, j);
		evtimer_add(j->ev, &now);
	}
	return j;
}

/* ---- the one-shot command -------------------------------------------------------------- */

static void
cli_print(const struct migrate_result *r)
{
	const char *action = migrate_action_name(r->downgrade);

	switch (r->outcome) {
	case MIGRATE_APPLIED:
		printf("%s: %s applied (%s -> %s) in %lld ms\n", r->target, action,
		    tgt_state_name(r->before), tgt_state_name(r->after),
		    (long long)r->duration_ms);
		break;
	case MIGRATE_DRY_RUN:
		fputs(r->plan, stdout);
		printf("%s: dry run: the %s would run (the target is %s); nothing was changed\n",
		    r->target, action, tgt_state_name(r->before));
		break;
	case MIGRATE_REFUSED:
	case MIGRATE_FAILED:
		/* The verdict comes last, after what it is about. */
		if (r->diffs.n > 0) {
			report_diffs_human(stdout, &r->diffs, "  ");
			putchar('\n');
		}
		printf("%s: %s %s, nothing was changed: %s\n", r->target, action,
		    outcome_names[r->outcome], r->error);
		break;
	}
}

int
migrate_cli(const struct config *cfg, const char *target, bool downgrade, bool dry_run,
    bool json)
{
	struct migrate_req req = { cfg, NULL, downgrade, dry_run };
	struct migrate_result r;
	json_t *o;
	char *text;
	int rc;

	if ((req.t = cfg_find_target(cfg, target)) == NULL) {
		fprintf(stderr, "schemawatchd: no target named \"%s\" in %s\n", target, cfg->file);
		return MIGRATE_EXIT_FAILED;
	}
	log_init("schemawatchd", LOG_SINK_STDERR, LOG_INFO);
	rc = migrate_run(&req, &r);
	migrate_log(&r, "by schemawatchd --apply");
	if (json) {
		o = migrate_result_json(&r, true);
		text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(text);
		free(text);
		json_decref(o);
	} else
		cli_print(&r);
	fflush(stdout);
	migrate_result_clear(&r);
	log_fini();
	return rc;
}
