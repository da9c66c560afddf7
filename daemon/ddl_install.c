/* ddl_install.c — install the DDL event trigger in one target's database.
 *
 * A one-shot command with no event loop, like --apply: a blocking libpq
 * connection bounded by connect_timeout (libpq's own, in whole seconds) and
 * statement_timeout on the server. Event triggers need a superuser: when
 * the server refuses (managed services usually do), the message says that
 * the target keeps being polled, which is the fallback. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "ddl_install.h"
#include "util.h"

#ifndef SW_DATADIR
#define SW_DATADIR "/usr/share/schemawatchd"
#endif

/* The file's text, or NULL after saying why. It is not part of a
 * definition: looked for in sql_dir, beside it (sql_dir is a definition's
 * directory in the source tree: sql/prompter), then in the package's data
 * directory, where make install puts it. */
static char *
di_read_sql(const struct config *cfg)
{
	const char *dirs[] = { cfg->sql_dir, NULL, SW_DATADIR };
	char *parent = xasprintf("%s/..", cfg->sql_dir), *path, *sql = NULL;
	size_t i;

	dirs[1] = parent;
	for (i = 0; i < sizeof dirs / sizeof dirs[0] && sql == NULL; i++) {
		path = xasprintf("%s/%s", dirs[i], DDL_INSTALL_FILE);
		sql = read_file(path, NULL);
		free(path);
	}
	if (sql == NULL)
		fprintf(stderr, "schemawatchd: cannot find %s in %s, %s or %s\n",
		    DDL_INSTALL_FILE, cfg->sql_dir, parent, SW_DATADIR);
	free(parent);
	return sql;
}

/* The connection, or NULL after saying why (never with the password). */
static PGconn *
di_connect(const struct config *cfg, const struct cfg_target *t, char **secret)
{
	const char *keys[] = { "dbname", "application_name", "connect_timeout",
	    "options", NULL };
	const char *vals[5];
	char timeout[32], options[96];
	PQconninfoOption *opts, *o;
	PGconn *conn;

	snprintf(timeout, sizeof timeout, "%lld",
	    (long long)((cfg->connect_timeout_ms + 999) / 1000));
	snprintf(options, sizeof options, "-c statement_timeout=%lld -c lock_timeout=%lld",
	    (long long)cfg->statement_timeout_ms, (long long)cfg->lock_timeout_ms);
	/* dbname first, expanded: the target's string (or URI) gives the rest;
	 * ours come after it and win. */
	vals[0] = t->conninfo;
	vals[1] = "schemawatchd-install";
	vals[2] = timeout;
	vals[3] = options;
	vals[4] = NULL;
	if ((opts = PQconninfoParse(t->conninfo, NULL)) != NULL) {
		for (o = opts; o->keyword != NULL; o++)
			if (strcmp(o->keyword, "password") == 0 && o->val != NULL && o->val[0] != '\0')
				*secret = xstrdup(o->val);
		PQconninfoFree(opts);
	}
	conn = PQconnectdbParams(keys, vals, 1);
	if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
		char *msg = str_first_line(conn != NULL ? PQerrorMessage(conn) : "out of memory",
		    *secret);

		fprintf(stderr, "schemawatchd: %s: cannot connect: %s\n", t->name, msg);
		free(msg);
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

int
ddl_install_cli(const struct config *cfg, const char *target)
{
	const struct cfg_target *t = cfg_find_target(cfg, target);
	char *sql, *secret = NULL, *msg;
	PGresult *res;
	PGconn *conn;
	int rc = 1;

	if (t == NULL) {
		fprintf(stderr, "schemawatchd: no target named \"%s\" in %s\n", target, cfg->file);
		return 1;
	}
	if (t->kind != CFG_PG) {
		fprintf(stderr, "schemawatchd: %s: DDL events exist for PostgreSQL targets only\n",
		    t->name);
		return 1;
	}
	if ((sql = di_read_sql(cfg)) == NULL)
		return 1;
	if ((conn = di_connect(cfg, t, &secret)) != NULL) {
		res = PQexec(conn, sql);
		if (PQresultStatus(res) == PGRES_COMMAND_OK) {
			printf("%s: DDL event trigger installed; set ddl_events: true on the target\n",
			    t->name);
			rc = 0;
		} else {
			const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

			msg = str_first_line(PQresultErrorMessage(res), secret);
			fprintf(stderr, "schemawatchd: %s: cannot install the DDL event trigger: %s\n",
			    t->name, msg);
			if (state != NULL && strcmp(state, "42501") == 0)
				fprintf(stderr, "schemawatchd: %s: event triggers need a superuser "
				    "(managed services often refuse them); the target is still "
				    "checked by polling at its interval\n", t->name);
			free(msg);
		}
		PQclear(res);
		PQfinish(conn);
	}
	if (secret != NULL) {
		memset(secret, 0, strlen(secret));
		free(secret);
	}
	free(sql);
	return rc;
}
